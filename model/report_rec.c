/* report_rec.c — see report_rec.h. */
#include "report_rec.h"
#include "case.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

const char *const report_kind_names[] = {"court", "inventory", "custody", "progress", "request", NULL};
const char *const report_lang_names[] = {"ar", "en", NULL};

static int is_sha256(const char *h)
{
	if (!h || strlen(h) != 64)
		return 0;
	for (const char *p = h; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

dl_status report_register(dl_session *s, const dl_report_input *in, long long *id, dl_err *err)
{
	dl_status rc;
	int k;
	if ((rc = val_enum("kind", in->kind, report_kind_names, &k, err)) != DL_OK ||
	    (rc = val_enum("lang", in->lang, report_lang_names, &k, err)) != DL_OK)
		return rc;
	if (!is_sha256(in->sha256))
		return dl_err_set(err, DL_EINVAL, "sha256", _("expected 64 lowercase hexadecimal digits"));
	if (!in->created_at || strlen(in->created_at) != 20)
		return dl_err_set(err, DL_EINVAL, "created_at", _("expected a time YYYY-MM-DDTHH:MM:SSZ"));
	long long case_id = 0;
	if (in->case_number) {
		if ((rc = case_resolve(s, in->case_number, 0, &case_id, err)) != DL_OK)
			return rc;
	} else if ((rc = perm_supervise(s, err)) != DL_OK) {
		return rc;
	}
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO reports (case_id, kind, lang, file_name, sha256, author_id, created_at)"
		" VALUES (?,?,?,?,?,?,?)", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		store_bind_id(q, 1, case_id);
		sqlite3_bind_text(q, 2, in->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, in->lang, -1, SQLITE_STATIC);
		store_bind_text(q, 4, in->file_name);
		sqlite3_bind_text(q, 5, in->sha256, -1, SQLITE_STATIC);
		store_bind_id(q, 6, s->user_id);
		sqlite3_bind_text(q, 7, in->created_at, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, "");
		sqlite3_finalize(q);
	}
	long long new_id = sqlite3_last_insert_rowid(st->db);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = new_id;
	return rc;
}

#define REC_SELECT \
	"SELECT r.id, r.case_id, c.number, r.kind, r.lang, r.file_name, r.sha256, u.username," \
	" r.created_at FROM reports r LEFT JOIN cases c ON c.id = r.case_id" \
	" LEFT JOIN users u ON u.id = r.author_id "

static void rec_read(sqlite3_stmt *q, dl_report_rec *out)
{
	out->id = sqlite3_column_int64(q, 0);
	out->case_id = sqlite3_column_int64(q, 1);
	out->case_number = store_col_dup(q, 2);
	out->kind = store_col_dup(q, 3);
	out->lang = store_col_dup(q, 4);
	out->file_name = store_col_dup(q, 5);
	out->sha256 = store_col_dup(q, 6);
	out->author = store_col_dup(q, 7);
	out->created_at = store_col_dup(q, 8);
}

dl_status report_find_sha256(dl_session *s, const char *sha256, dl_report_rec *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	if (!is_sha256(sha256))
		return dl_err_set(err, DL_EINVAL, "sha256", _("expected 64 lowercase hexadecimal digits"));
	sqlite3_stmt *q = store_prepare(s->store, REC_SELECT "WHERE r.sha256 = ? ORDER BY r.id LIMIT 1", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	dl_status rc = DL_OK;
	if (step == SQLITE_ROW) {
		rec_read(q, out);
	} else if (step == SQLITE_DONE) {
		rc = dl_err_set(err, DL_ENOTFOUND, "", _("no registered report has the SHA-256 %s"), sha256);
	} else {
		rc = store_sqlerr(s->store, err, "");
	}
	sqlite3_finalize(q);
	return rc;
}

dl_status report_list(dl_session *s, const char *case_number, dl_report_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, REC_SELECT "WHERE r.case_id = ? ORDER BY r.id DESC", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		dl_report_rec *v = realloc(out->v, (out->n + 1) * sizeof *v);
		if (!v) {
			rc = dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
			break;
		}
		out->v = v;
		memset(&out->v[out->n], 0, sizeof *out->v);
		rec_read(q, &out->v[out->n++]);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		report_list_free(out);
	return rc;
}

void report_list_free(dl_report_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		report_rec_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void report_rec_free(dl_report_rec *r)
{
	free(r->case_number);
	free(r->kind);
	free(r->lang);
	free(r->file_name);
	free(r->sha256);
	free(r->author);
	free(r->created_at);
	memset(r, 0, sizeof *r);
}
