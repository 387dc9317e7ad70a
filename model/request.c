/* request.c — see request.h. */
#include "request.h"
#include "case.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const request_kind_names[] = {"preservation", "disclosure", NULL};
const char *const request_provider_type_names[] = {
	"platform", "isp", "telecom", "bank", "exchange", "other", NULL,
};
const char *const request_status_names[] = {
	"draft", "sent", "acknowledged", "answered", "partial", "refused", "withdrawn", NULL,
};

/* At most this many identifiers per request: a letter to a provider names a
 * handful of accounts, not a dump. */
#define REQUEST_MAX_IDENTS 500

/* The values of a request while it is being checked: the current row (edit)
 * or the defaults (add), with the given input laid over them. */
typedef struct req_vals {
	long long case_id;
	int kind;                      /* -1 until given */
	int ptype, status;
	char *provider, *legal_basis, *reference, *notes;   /* owned; NULL = none */
	char sent[11], due[11], answer[11];                 /* "" = none */
	long long *idents;             /* sorted, owned */
	size_t nidents;
} req_vals;

static void vals_free(req_vals *v)
{
	free(v->provider); free(v->legal_basis); free(v->reference); free(v->notes);
	free(v->idents);
	memset(v, 0, sizeof *v);
}

static int name_index(const char *const names[], const char *v)
{
	for (int i = 0; v && names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return 0;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int vals_equal(const req_vals *a, const req_vals *b)
{
	return a->kind == b->kind && a->ptype == b->ptype && a->status == b->status &&
	       str_eq(a->provider, b->provider) && str_eq(a->legal_basis, b->legal_basis) &&
	       str_eq(a->reference, b->reference) && str_eq(a->notes, b->notes) &&
	       !strcmp(a->sent, b->sent) && !strcmp(a->due, b->due) && !strcmp(a->answer, b->answer) &&
	       a->nidents == b->nidents &&
	       (a->nidents == 0 || !memcmp(a->idents, b->idents, a->nidents * sizeof *a->idents));
}

/* Tomorrow's date, UTC. Dates typed in North Africa (UTC+1/+2) can be a day
 * ahead of UTC around midnight; anything later than this is a mistake. */
static void tomorrow(char out[11])
{
	time_t t = time(NULL) + 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Lay a given text over *dst: NULL keeps it, "" clears it. */
static dl_status over_text(char **dst, const char *field, const char *in, size_t maxlen,
                           int multiline, dl_err *err)
{
	if (!in)
		return DL_OK;
	dl_status rc = val_text(field, in, maxlen, 0, multiline, err);
	if (rc != DL_OK)
		return rc;
	char *copy = *in ? strdup(in) : NULL;
	if (*in && !copy)
		return store_nomem(err);
	free(*dst);
	*dst = copy;
	return DL_OK;
}

static dl_status over_date(char dst[11], const char *field, const char *in, dl_err *err)
{
	if (!in)
		return DL_OK;
	if (!*in) {
		dst[0] = '\0';
		return DL_OK;
	}
	return val_date(field, in, dst, err);
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* Parse the comma-separated identifier ids and check that each is an
 * identifier of the case: a letter must not name another case's accounts. */
static dl_status parse_idents(dl_store *st, long long case_id, const char *list, req_vals *v,
                              dl_err *err)
{
	free(v->idents);
	v->idents = NULL;
	v->nidents = 0;
	if (!*list)
		return DL_OK;
	char *copy = strdup(list);
	if (!copy)
		return store_nomem(err);
	dl_status rc = DL_OK;
	size_t cap = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long long id;
		if ((rc = val_id("identifiers", tok, &id, err)) != DL_OK)
			break;
		if (v->nidents == REQUEST_MAX_IDENTS) {
			rc = dl_err_set(err, DL_EINVAL, "identifiers", _("expected at most %d identifiers"),
			                REQUEST_MAX_IDENTS);
			break;
		}
		if (v->nidents == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			long long *n = realloc(v->idents, ncap * sizeof *n);
			if (!n) {
				rc = store_nomem(err);
				break;
			}
			v->idents = n;
			cap = ncap;
		}
		v->idents[v->nidents++] = id;
	}
	free(copy);
	if (rc == DL_OK && v->nidents == 0)
		rc = dl_err_set(err, DL_EINVAL, "identifiers", _("expected identifier ids separated by commas"));
	if (rc != DL_OK)
		return rc;
	qsort(v->idents, v->nidents, sizeof *v->idents, cmp_id);
	for (size_t i = 1; i < v->nidents; i++)
		if (v->idents[i] == v->idents[i - 1])
			return dl_err_set(err, DL_EINVAL, "identifiers", _("identifier %lld is given twice"),
			                  v->idents[i]);
	sqlite3_stmt *q = store_prepare(st, "SELECT case_id FROM identifiers WHERE id = ?", err);
	if (!q)
		return DL_EDB;
	for (size_t i = 0; i < v->nidents && rc == DL_OK; i++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, v->idents[i]);
		if (sqlite3_step(q) != SQLITE_ROW)
			rc = dl_err_set(err, DL_EINVAL, "identifiers", _("no identifier with id %lld"), v->idents[i]);
		else if (sqlite3_column_int64(q, 0) != case_id)
			rc = dl_err_set(err, DL_EINVAL, "identifiers",
			                _("identifier %lld is not recorded in this case"), v->idents[i]);
	}
	sqlite3_finalize(q);
	return rc;
}

/* Lay the input over v and check the result as a whole. adding: kind and
 * provider must be given. */
static dl_status apply_input(dl_store *st, const dl_request_input *in, int adding, req_vals *v,
                             dl_err *err)
{
	dl_status rc;
	if (in->kind || adding) {
		if (!in->kind || !*in->kind)
			return dl_err_set(err, DL_EINVAL, "kind", _("a kind is required: preservation or disclosure"));
		if ((rc = val_enum("kind", in->kind, request_kind_names, &v->kind, err)) != DL_OK)
			return rc;
	}
	if (in->provider || adding) {
		if ((rc = val_text("provider", in->provider, 300, 1, 0, err)) != DL_OK)
			return rc;
		if ((rc = over_text(&v->provider, "provider", in->provider, 300, 0, err)) != DL_OK)
			return rc;
	}
	if (in->provider_type &&
	    (rc = val_enum("provider-type", in->provider_type, request_provider_type_names, &v->ptype,
	                   err)) != DL_OK)
		return rc;
	if ((rc = over_text(&v->legal_basis, "legal-basis", in->legal_basis, 1000, 0, err)) != DL_OK ||
	    (rc = over_text(&v->reference, "reference", in->reference, 200, 0, err)) != DL_OK ||
	    (rc = over_date(v->sent, "sent", in->sent_date, err)) != DL_OK ||
	    (rc = over_date(v->due, "due", in->due_date, err)) != DL_OK)
		return rc;
	if (in->status &&
	    (rc = val_enum("status", in->status, request_status_names, &v->status, err)) != DL_OK)
		return rc;
	if ((rc = over_date(v->answer, "answered", in->answer_date, err)) != DL_OK ||
	    (rc = over_text(&v->notes, "notes", in->notes, 20000, 1, err)) != DL_OK)
		return rc;
	if (in->identifiers && (rc = parse_idents(st, v->case_id, in->identifiers, v, err)) != DL_OK)
		return rc;

	char limit[11];
	tomorrow(limit);
	const char *status = request_status_names[v->status];
	if (v->sent[0] && v->due[0] && strcmp(v->due, v->sent) < 0)
		return dl_err_set(err, DL_EINVAL, "due", _("the due date %s is before the sent date %s"),
		                  v->due, v->sent);
	if (v->sent[0] && v->status != DL_REQUEST_DRAFT && strcmp(v->sent, limit) > 0)
		return dl_err_set(err, DL_EINVAL, "sent", _("the sent date %s is in the future"), v->sent);
	if (!v->sent[0] && (v->status == DL_REQUEST_SENT || v->status == DL_REQUEST_ACKNOWLEDGED))
		/* TRANSLATORS: %s is the status, sent or acknowledged. */
		return dl_err_set(err, DL_EINVAL, "sent", _("a %s request needs its sent date (--sent DATE)"),
		                  status);
	int answered = v->status == DL_REQUEST_ANSWERED || v->status == DL_REQUEST_PARTIAL ||
	               v->status == DL_REQUEST_REFUSED;
	if (answered && !v->answer[0])
		/* TRANSLATORS: %s is the status, answered, partial or refused. */
		return dl_err_set(err, DL_EINVAL, "answered",
		                  _("a %s request needs its answer date (--answered DATE)"), status);
	if (!answered && v->answer[0])
		return dl_err_set(err, DL_EINVAL, "answered",
		                  _("an answer date goes with status answered, partial or refused, not %s"),
		                  status);
	if (v->answer[0] && v->sent[0] && strcmp(v->answer, v->sent) < 0)
		return dl_err_set(err, DL_EINVAL, "answered", _("the answer date %s is before the sent date %s"),
		                  v->answer, v->sent);
	if (v->answer[0] && strcmp(v->answer, limit) > 0)
		return dl_err_set(err, DL_EINVAL, "answered", _("the answer date %s is in the future"), v->answer);
	return DL_OK;
}

static void bind_vals(sqlite3_stmt *q, const req_vals *v)
{
	sqlite3_bind_text(q, 1, request_kind_names[v->kind], -1, SQLITE_STATIC);
	store_bind_text(q, 2, v->provider);
	sqlite3_bind_text(q, 3, request_provider_type_names[v->ptype], -1, SQLITE_STATIC);
	store_bind_text(q, 4, v->legal_basis);
	store_bind_text(q, 5, v->reference);
	store_bind_text(q, 6, v->sent);
	store_bind_text(q, 7, v->due);
	sqlite3_bind_text(q, 8, request_status_names[v->status], -1, SQLITE_STATIC);
	store_bind_text(q, 9, v->answer);
	store_bind_text(q, 10, v->notes);
}

/* Make request_identifiers of request id hold exactly want (sorted), touching
 * only the rows that change so the audit log shows what really moved. */
static dl_status sync_idents(dl_store *st, long long id, const req_vals *have,
                             const req_vals *want, dl_err *err)
{
	sqlite3_stmt *del = store_prepare(st,
		"DELETE FROM request_identifiers WHERE request_id = ? AND identifier_id = ?", err);
	sqlite3_stmt *ins = del ? store_prepare(st,
		"INSERT INTO request_identifiers (request_id, identifier_id) VALUES (?, ?)", err) : NULL;
	dl_status rc = del && ins ? DL_OK : DL_EDB;
	size_t i = 0, j = 0;
	while (rc == DL_OK && (i < have->nidents || j < want->nidents)) {
		sqlite3_stmt *q;
		long long ident;
		if (j == want->nidents || (i < have->nidents && have->idents[i] < want->idents[j])) {
			q = del;
			ident = have->idents[i++];
		} else if (i == have->nidents || want->idents[j] < have->idents[i]) {
			q = ins;
			ident = want->idents[j++];
		} else {   /* in both */
			i++;
			j++;
			continue;
		}
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, ident);
		rc = store_step_done(st, q, err, "identifiers");
	}
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	return rc;
}

dl_status request_add(dl_session *s, const char *case_number, const dl_request_input *in,
                      long long *id, dl_err *err)
{
	req_vals v = {0};
	dl_status rc = case_resolve(s, case_number, 1, &v.case_id, err);
	if (rc != DL_OK)
		return rc;
	dl_store *st = s->store;
	v.kind = -1;
	v.ptype = DL_PROVIDER_PLATFORM;
	v.status = DL_REQUEST_DRAFT;
	if ((rc = apply_input(st, in, 1, &v, err)) != DL_OK) {
		vals_free(&v);
		return rc;
	}
	if ((rc = session_begin(s, err)) != DL_OK) {
		vals_free(&v);
		return rc;
	}
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO provider_requests (kind, provider, provider_type, legal_basis, reference,"
		" sent_date, due_date, status, answer_date, notes, case_id, created_by, created_at,"
		" updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		bind_vals(q, &v);
		sqlite3_bind_int64(q, 11, v.case_id);
		store_bind_id(q, 12, s->user_id);
		sqlite3_bind_text(q, 13, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 14, now, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, "provider");
		sqlite3_finalize(q);
	}
	long long new_id = sqlite3_last_insert_rowid(st->db);
	if (rc == DL_OK) {
		req_vals none = {0};
		rc = sync_idents(st, new_id, &none, &v, err);
	}
	vals_free(&v);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = new_id;
	return rc;
}

/* The stored values of request id, without any permission check. */
static dl_status load_vals(dl_store *st, long long id, req_vals *v, dl_err *err)
{
	memset(v, 0, sizeof *v);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT case_id, kind, provider, provider_type, legal_basis, reference, sent_date,"
		" due_date, status, answer_date, notes FROM provider_requests WHERE id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no request with id %lld"), id);
	}
	v->case_id = sqlite3_column_int64(q, 0);
	v->kind = name_index(request_kind_names, (const char *)sqlite3_column_text(q, 1));
	v->provider = store_col_dup(q, 2);
	v->ptype = name_index(request_provider_type_names, (const char *)sqlite3_column_text(q, 3));
	v->legal_basis = store_col_dup(q, 4);
	v->reference = store_col_dup(q, 5);
	const int date_col[] = {6, 7, 9};
	char *dates[] = {v->sent, v->due, v->answer};
	for (int i = 0; i < 3; i++) {
		const unsigned char *t = sqlite3_column_text(q, date_col[i]);
		snprintf(dates[i], 11, "%s", t ? (const char *)t : "");
	}
	v->status = name_index(request_status_names, (const char *)sqlite3_column_text(q, 8));
	v->notes = store_col_dup(q, 10);
	sqlite3_finalize(q);
	q = store_prepare(st, "SELECT identifier_id FROM request_identifiers WHERE request_id = ?"
	                      " ORDER BY identifier_id", err);
	if (!q) {
		vals_free(v);
		return DL_EDB;
	}
	sqlite3_bind_int64(q, 1, id);
	size_t cap = 0;
	int step;
	dl_status rc = DL_OK;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (v->nidents == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			long long *n = realloc(v->idents, ncap * sizeof *n);
			if (!n) {
				rc = store_nomem(err);
				break;
			}
			v->idents = n;
			cap = ncap;
		}
		v->idents[v->nidents++] = sqlite3_column_int64(q, 0);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		vals_free(v);
	return rc;
}

static int input_empty(const dl_request_input *in)
{
	return !in->kind && !in->provider && !in->provider_type && !in->legal_basis &&
	       !in->reference && !in->sent_date && !in->due_date && !in->status &&
	       !in->answer_date && !in->notes && !in->identifiers;
}

/* Copy of v whose strings and ids are owned separately: 0, or -1 without
 * memory (out then owns what was copied; vals_free it). */
static int vals_copy(const req_vals *v, req_vals *out)
{
	*out = *v;
	out->provider = v->provider ? strdup(v->provider) : NULL;
	out->legal_basis = v->legal_basis ? strdup(v->legal_basis) : NULL;
	out->reference = v->reference ? strdup(v->reference) : NULL;
	out->notes = v->notes ? strdup(v->notes) : NULL;
	out->idents = NULL;
	if (v->nidents) {
		out->idents = malloc(v->nidents * sizeof *v->idents);
		if (!out->idents)
			return -1;
		memcpy(out->idents, v->idents, v->nidents * sizeof *v->idents);
	}
	if ((v->provider && !out->provider) || (v->legal_basis && !out->legal_basis) ||
	    (v->reference && !out->reference) || (v->notes && !out->notes))
		return -1;
	return 0;
}

dl_status request_edit(dl_session *s, long long id, const dl_request_input *in, dl_err *err)
{
	dl_store *st = s->store;
	req_vals cur, v;
	dl_status rc = load_vals(st, id, &cur, err);
	if (rc != DL_OK)
		return rc;
	rc = perm_case_write(s, cur.case_id, err);
	vals_free(&cur);
	if (rc != DL_OK)
		return rc;
	if (input_empty(in))
		return dl_err_set(err, DL_EINVAL, "", _("nothing to change: give at least one option"));
	/* Read, check and write under the write lock: an edit made meanwhile by
	 * another dalil cannot be overwritten by values checked against old ones. */
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	if ((rc = load_vals(st, id, &cur, err)) != DL_OK) {
		store_rollback(st);
		return rc;
	}
	rc = vals_copy(&cur, &v) == 0 ? DL_OK : store_nomem(err);
	if (rc == DL_OK)
		rc = apply_input(st, in, 0, &v, err);
	if (rc == DL_OK && !vals_equal(&cur, &v)) {
		char now[21];
		store_now(now);
		sqlite3_stmt *q = store_prepare(st,
			"UPDATE provider_requests SET kind = ?, provider = ?, provider_type = ?,"
			" legal_basis = ?, reference = ?, sent_date = ?, due_date = ?, status = ?,"
			" answer_date = ?, notes = ?, updated_at = ? WHERE id = ?", err);
		rc = q ? DL_OK : DL_EDB;
		if (q) {
			bind_vals(q, &v);
			sqlite3_bind_text(q, 11, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q, 12, id);
			rc = store_step_done(st, q, err, "");
			sqlite3_finalize(q);
		}
		if (rc == DL_OK)
			rc = sync_idents(st, id, &cur, &v, err);
		if (rc == DL_OK)
			rc = store_commit(st, err);
		else
			store_rollback(st);
	} else {
		store_rollback(st);   /* refused, or nothing differs: nothing to write */
	}
	vals_free(&cur);
	vals_free(&v);
	return rc;
}

dl_status request_delete(dl_session *s, long long id, dl_err *err)
{
	dl_store *st = s->store;
	sqlite3_stmt *q;
	long long case_id;
	dl_status rc = store_case_of(st, "provider_requests", id, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if (!case_id)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no request with id %lld"), id);
	rc = perm_case_write(s, case_id, err);
	if (rc != DL_OK || (rc = session_begin(s, err)) != DL_OK)
		return rc;
	/* The identifiers link first, by hand: rows removed by a foreign-key
	 * cascade would not pass through the audit hook one by one. */
	static const char *const sql[] = {
		"DELETE FROM request_identifiers WHERE request_id = ?",
		"DELETE FROM provider_requests WHERE id = ?",
	};
	for (int i = 0; i < 2 && rc == DL_OK; i++) {
		if (!(q = store_prepare(st, sql[i], err))) {
			rc = DL_EDB;
			break;
		}
		sqlite3_bind_int64(q, 1, id);
		rc = store_step_done(st, q, err, "id");
		sqlite3_finalize(q);
	}
	/* deleted by another dalil between the check and the write lock */
	if (rc == DL_OK && sqlite3_changes(st->db) == 0)
		rc = dl_err_set(err, DL_ENOTFOUND, "id", _("no request with id %lld"), id);
	return store_end(st, rc, err);
}

/* Overdue: waiting for an answer past the due date. */
#define OVERDUE_SQL \
	"(r.status IN ('sent','acknowledged') AND r.due_date IS NOT NULL AND r.due_date < @today)"

#define REQUEST_COLS \
	"r.id, r.case_id, c.number, r.kind, r.provider, r.provider_type, r.legal_basis," \
	" r.reference, r.sent_date, r.due_date, r.status, r.answer_date, r.notes," \
	" u.username, r.created_at, r.updated_at, " OVERDUE_SQL "," \
	" CASE WHEN " OVERDUE_SQL " THEN CAST(julianday(@today) - julianday(r.due_date) AS INTEGER)" \
	" ELSE 0 END" \
	" FROM provider_requests r JOIN cases c ON c.id = r.case_id" \
	" LEFT JOIN users u ON u.id = r.created_by"

static void request_from_row(sqlite3_stmt *q, dl_request *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->case_id = sqlite3_column_int64(q, 1);
	r->case_number = store_col_dup(q, 2);
	r->kind = (dl_request_kind)name_index(request_kind_names, (const char *)sqlite3_column_text(q, 3));
	r->provider = store_col_dup(q, 4);
	r->provider_type = (dl_provider_type)name_index(request_provider_type_names,
	                                                (const char *)sqlite3_column_text(q, 5));
	r->legal_basis = store_col_dup(q, 6);
	r->reference = store_col_dup(q, 7);
	r->sent_date = store_col_dup(q, 8);
	r->due_date = store_col_dup(q, 9);
	r->status = (dl_request_status)name_index(request_status_names,
	                                          (const char *)sqlite3_column_text(q, 10));
	r->answer_date = store_col_dup(q, 11);
	r->notes = store_col_dup(q, 12);
	r->created_by = store_col_dup(q, 13);
	r->created_at = store_col_dup(q, 14);
	r->updated_at = store_col_dup(q, 15);
	r->overdue = sqlite3_column_int(q, 16);
	r->days_overdue = sqlite3_column_int64(q, 17);
}

/* Fill r->identifiers with the statement q (bound to each request in turn).
 * Lost memory is noted (store_oom_note) for the caller's store_oom_check. */
static dl_status load_idents(dl_store *st, sqlite3_stmt *q, dl_request *r, dl_err *err)
{
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, r->id);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (r->nidentifiers == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			dl_request_ident *n = realloc(r->identifiers, ncap * sizeof *n);
			if (!n)
				return store_nomem(err);
			r->identifiers = n;
			cap = ncap;
		}
		dl_request_ident *d = &r->identifiers[r->nidentifiers++];
		d->id = sqlite3_column_int64(q, 0);
		d->kind = store_col_dup(q, 1);
		d->value = store_col_dup(q, 2);
	}
	return step == SQLITE_DONE ? DL_OK : store_sqlerr(st, err, "");
}

static const char idents_sql[] =
	"SELECT i.id, i.kind, i.value FROM request_identifiers ri"
	" JOIN identifiers i ON i.id = ri.identifier_id WHERE ri.request_id = ? ORDER BY i.id";

dl_status request_get(dl_session *s, long long id, dl_request *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " REQUEST_COLS " WHERE r.id = @id", err);
	if (!q)
		return DL_EDB;
	char today[11];
	store_today(today);
	sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@today"), today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@id"), id);
	unsigned long mark = store_oom_mark();
	int found;
	dl_status rc = store_step_one(s->store, q, &found, err);
	if (found)
		request_from_row(q, out);
	sqlite3_finalize(q);
	if (rc != DL_OK) {
		request_free(out);
		return rc;
	}
	if (!found)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no request with id %lld"), id);
	rc = perm_case_read(s, out->case_id, err);
	if (rc != DL_OK) {
		request_free(out);
		return rc;
	}
	if (!(q = store_prepare(s->store, idents_sql, err))) {
		request_free(out);
		return DL_EDB;
	}
	rc = load_idents(s->store, q, out, err);
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		request_free(out);
	return rc;
}

dl_status request_list(dl_session *s, const char *case_number, int overdue_only,
                       dl_request_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id = 0;
	dl_status rc;
	if (case_number && (rc = case_resolve(s, case_number, 0, &case_id, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " REQUEST_COLS " WHERE " PERM_CASE_VISIBLE_SQL
		" AND (@case IS NULL OR r.case_id = @case) AND (@overdue = 0 OR " OVERDUE_SQL ")"
		" ORDER BY 17 DESC, 18 DESC, r.due_date IS NULL, r.due_date, r.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_stmt *iq = store_prepare(s->store, idents_sql, err);
	if (!iq) {
		sqlite3_finalize(q);
		return DL_EDB;
	}
	char today[11];
	store_today(today);
	perm_bind(s, q);
	sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@today"), today, -1, SQLITE_STATIC);
	store_bind_id(q, sqlite3_bind_parameter_index(q, "@case"), case_id);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, "@overdue"), overdue_only ? 1 : 0);
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	rc = DL_OK;
	while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_request *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_request *r = &out->v[out->n++];
		request_from_row(q, r);
		rc = load_idents(s->store, iq, r, err);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	sqlite3_finalize(q);
	sqlite3_finalize(iq);
	if (rc != DL_OK)
		request_list_free(out);
	return rc;
}

void request_free(dl_request *r)
{
	free(r->case_number); free(r->provider); free(r->legal_basis); free(r->reference);
	free(r->sent_date); free(r->due_date); free(r->answer_date); free(r->notes);
	free(r->created_by); free(r->created_at); free(r->updated_at);
	for (size_t i = 0; i < r->nidentifiers; i++) {
		free(r->identifiers[i].kind);
		free(r->identifiers[i].value);
	}
	free(r->identifiers);
	memset(r, 0, sizeof *r);
}

void request_list_free(dl_request_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		request_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void request_json(json_w *w, const dl_request *r)
{
	json_begin_object(w);
	json_kint(w, "id", r->id);
	json_kstr(w, "case", r->case_number);
	json_kstr(w, "kind", request_kind_names[r->kind]);
	json_kstr(w, "provider", r->provider);
	json_kstr(w, "provider_type", request_provider_type_names[r->provider_type]);
	json_kstr(w, "legal_basis", r->legal_basis);
	json_kstr(w, "reference", r->reference);
	json_kstr(w, "sent_date", r->sent_date);
	json_kstr(w, "due_date", r->due_date);
	json_kstr(w, "status", request_status_names[r->status]);
	json_kstr(w, "answer_date", r->answer_date);
	json_kbool(w, "overdue", r->overdue);
	json_kint(w, "days_overdue", r->days_overdue);
	json_key(w, "identifiers");
	json_begin_array(w);
	for (size_t i = 0; i < r->nidentifiers; i++)
		json_int(w, r->identifiers[i].id);
	json_end_array(w);
	/* The values too, so a script drafting the letter needs no second query. */
	json_key(w, "identifier_values");
	json_begin_array(w);
	for (size_t i = 0; i < r->nidentifiers; i++) {
		json_begin_object(w);
		json_kint(w, "id", r->identifiers[i].id);
		json_kstr(w, "kind", r->identifiers[i].kind);
		json_kstr(w, "value", r->identifiers[i].value);
		json_end_object(w);
	}
	json_end_array(w);
	json_kstr(w, "notes", r->notes);
	json_kstr(w, "created_by", r->created_by);
	json_kstr(w, "created_at", r->created_at);
	json_kstr(w, "updated_at", r->updated_at);
	json_end_object(w);
}
