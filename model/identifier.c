/* identifier.c — see identifier.h. */
#include "identifier.h"
#include "case.h"
#include "i18n.h"
#include "settings.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Same order as the schema's CHECK list; the enum below indexes it. */
const char *const identifier_kind_names[] = {
	"phone", "email", "social", "url", "imei", "imsi", "iccid", "btc", "eth", "tron", "iban",
	NULL,
};

enum {
	K_PHONE, K_EMAIL, K_SOCIAL, K_URL, K_IMEI, K_IMSI, K_ICCID, K_BTC, K_ETH, K_TRON, K_IBAN,
};

static dl_status copy_out(const char *field, const char *v, char *out, size_t outsz,
                          dl_err *err)
{
	size_t n = strlen(v);
	if (n >= outsz)
		return dl_err_set(err, DL_EINVAL, field, _("expected at most %zu bytes, got %zu"),
		                  outsz ? outsz - 1 : 0, n);
	memcpy(out, v, n + 1);
	return DL_OK;
}

/* Social handles are typed as one word, "platform:handle", like the other
 * kinds; val_social wants the two parts apart. */
static dl_status normalize_social(dl_store *st, const char *field, const char *value,
                                  char *out, size_t outsz, dl_err *err)
{
	const char *colon = value ? strchr(value, ':') : NULL;
	if (!colon)
		/* the value is not echoed: it may hold anything, even terminal escapes */
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected platform:handle, e.g. telegram:@name"));
	char *platform = strndup(value, (size_t)(colon - value));
	if (!platform)
		return dl_err_set(err, DL_ENOMEM, field, _("out of memory"));
	char cc[4];
	unsigned long mark = store_oom_mark();
	settings_phone_cc(st, cc);
	dl_status rc = store_oom_check(mark, err);
	if (rc == DL_OK)
		rc = val_social(field, platform, colon + 1, cc, out, outsz, err);
	free(platform);
	return rc;
}

static dl_status normalize(dl_store *st, const char *field, int kind, const char *value,
                           char *out, size_t outsz, dl_err *err)
{
	char tmp[35];   /* the fixed-size outputs: E.164 (17), IMEI/IMSI (16), ICCID (21), IBAN (35) */
	char cc[4];
	dl_status rc;
	if (outsz)
		out[0] = '\0';
	switch (kind) {
	case K_PHONE: {
		unsigned long mark = store_oom_mark();
		settings_phone_cc(st, cc);
		if ((rc = store_oom_check(mark, err)) != DL_OK)
			return rc;
		rc = val_phone(field, value, cc, tmp, err);
		break;
	}
	case K_EMAIL:
		return val_email(field, value, out, outsz, err);
	case K_SOCIAL:
		return normalize_social(st, field, value, out, outsz, err);
	case K_URL:
		return val_url(field, value, out, outsz, err);
	case K_IMEI:
		rc = val_imei(field, value, tmp, err);
		break;
	case K_IMSI:
		rc = val_imsi(field, value, tmp, err);
		break;
	case K_ICCID:
		rc = val_iccid(field, value, tmp, err);
		break;
	case K_BTC:
		return val_btc(field, value, out, outsz, err);
	case K_ETH:
		return val_eth(field, value, out, outsz, err);
	case K_TRON:
		return val_tron(field, value, out, outsz, err);
	case K_IBAN:
		rc = val_iban(field, value, tmp, err);
		break;
	default:
		return dl_err_set(err, DL_EINVAL, "kind", _("unknown identifier kind"));
	}
	return rc == DL_OK ? copy_out(field, tmp, out, outsz, err) : rc;
}

dl_status identifier_normalize(dl_store *st, const char *kind, const char *value,
                               char *out, size_t outsz, dl_err *err)
{
	int k;
	dl_status rc = val_enum("kind", kind, identifier_kind_names, &k, err);
	if (rc != DL_OK)
		return rc;
	return normalize(st, identifier_kind_names[k], k, value, out, outsz, err);
}

/* Insert unless the subject already has this kind and value; *id gets the row
 * either way. A case-level identifier (no person, no device) is "the same"
 * only within its case. */
static dl_status ident_put(dl_store *st, const char *kind, const char *value, long long case_id,
                           long long person_id, long long device_id, long long *id, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id FROM identifiers WHERE kind = ?1 AND value = ?2 AND person_id IS ?3"
		" AND device_id IS ?4 AND item_id IS NULL"
		" AND (?3 IS NOT NULL OR ?4 IS NOT NULL OR case_id IS ?5)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	store_bind_id(q, 3, person_id);
	store_bind_id(q, 4, device_id);
	store_bind_id(q, 5, case_id);
	long long found = 0;
	int row;
	dl_status rc = store_step_one(st, q, &row, err);
	if (row)
		found = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	if (found) {
		if (id)
			*id = found;
		return DL_OK;
	}
	char now[21];
	store_now(now);
	q = store_prepare(st,
		"INSERT INTO identifiers (kind, value, case_id, person_id, device_id, created_at)"
		" VALUES (?,?,?,?,?,?)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	store_bind_id(q, 3, case_id);
	store_bind_id(q, 4, person_id);
	store_bind_id(q, 5, device_id);
	sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
	rc = store_step_done(st, q, err, kind);
	sqlite3_finalize(q);
	if (rc == DL_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

dl_status identifier_insert(dl_store *st, const char *kind, const char *normalized,
                            long long case_id, long long person_id, long long device_id,
                            dl_err *err)
{
	int k;
	dl_status rc = val_enum("kind", kind, identifier_kind_names, &k, err);
	if (rc != DL_OK)
		return rc;
	return ident_put(st, identifier_kind_names[k], normalized, case_id, person_id, device_id,
	                 NULL, err);
}

dl_status identifier_insert_item(dl_store *st, const char *kind, const char *normalized,
                                 long long case_id, long long item_id, long long offset,
                                 dl_err *err)
{
	int k;
	dl_status rc = val_enum("kind", kind, identifier_kind_names, &k, err);
	if (rc != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	/* cached: ingest runs it for every hit of every item */
	sqlite3_stmt *q = store_cached(st,
		"INSERT INTO identifiers (kind, value, case_id, item_id, item_offset, created_at)"
		" VALUES (?,?,?,?,?,?)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, identifier_kind_names[k], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, normalized, -1, SQLITE_STATIC);
	store_bind_id(q, 3, case_id);
	sqlite3_bind_int64(q, 4, item_id);
	if (offset >= 0)
		sqlite3_bind_int64(q, 5, offset);
	else
		sqlite3_bind_null(q, 5);
	sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
	rc = store_step_done(st, q, err, kind);
	sqlite3_reset(q);
	return rc;
}

int identifier_item_has(dl_store *st, long long case_id, long long item_id, const char *kind,
                        const char *normalized)
{
	/* by the case index: there is none on item_id */
	sqlite3_stmt *q = store_cached(st,
		"SELECT 1 FROM identifiers WHERE case_id = ? AND item_id = ? AND kind = ? AND value = ?",
		NULL);
	if (!q)
		return 0;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, item_id);
	sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, normalized, -1, SQLITE_STATIC);
	int found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);
	return found;
}

dl_status identifier_item_load(dl_store *st, long long case_id, dl_item_ident_list *out,
                               dl_err *err)
{
	memset(out, 0, sizeof out[0]);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, item_id, ifnull(item_offset, -1), kind, value FROM identifiers"
		" WHERE case_id = ? AND item_id IS NOT NULL ORDER BY item_id, kind, value, id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	size_t cap = 0;
	unsigned long mark = store_oom_mark();
	dl_status rc = DL_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			dl_item_ident *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_item_ident *d = &out->v[out->n++];
		d->id = sqlite3_column_int64(q, 0);
		d->item_id = sqlite3_column_int64(q, 1);
		d->offset = sqlite3_column_int64(q, 2);
		d->kind = store_col_dup(q, 3);
		d->value = store_col_dup(q, 4);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		identifier_item_list_free(out);
	return rc;
}

void identifier_item_list_free(dl_item_ident_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].kind);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

dl_status identifier_item_delete(dl_store *st, long long id, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, "DELETE FROM identifiers WHERE id = ? AND item_id IS NOT NULL", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	dl_status rc = store_step_done(st, q, err, "identifier");
	sqlite3_finalize(q);
	return rc;
}

dl_status identifier_item_set_offset(dl_store *st, long long id, long long offset, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE identifiers SET item_offset = ? WHERE id = ? AND item_id IS NOT NULL", err);
	if (!q)
		return DL_EDB;
	if (offset >= 0)
		sqlite3_bind_int64(q, 1, offset);
	else
		sqlite3_bind_null(q, 1);
	sqlite3_bind_int64(q, 2, id);
	dl_status rc = store_step_done(st, q, err, "identifier");
	sqlite3_finalize(q);
	return rc;
}

dl_status identifier_batch_add(dl_store *st, dl_ident_batch *b, const char *kind,
                               const char *value, dl_err *err)
{
	int k;
	dl_status rc = val_enum("kind", kind, identifier_kind_names, &k, err);
	if (rc != DL_OK)
		return rc;
	char norm[DL_IDENT_MAX];
	if ((rc = normalize(st, identifier_kind_names[k], k, value, norm, sizeof norm, err)) != DL_OK)
		return rc;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;
		void *v = realloc(b->v, cap * sizeof *b->v);
		if (!v)
			return store_nomem(err);
		b->v = v;
		b->cap = cap;
	}
	char *copy = strdup(norm);
	if (!copy)
		return store_nomem(err);
	b->v[b->n].kind = identifier_kind_names[k];
	b->v[b->n].value = copy;
	b->n++;
	return DL_OK;
}

dl_status identifier_batch_insert(dl_store *st, const dl_ident_batch *b, long long case_id,
                                  long long person_id, long long device_id, dl_err *err)
{
	dl_status rc = DL_OK;
	for (size_t i = 0; i < b->n && rc == DL_OK; i++)
		rc = ident_put(st, b->v[i].kind, b->v[i].value, case_id, person_id, device_id, NULL, err);
	return rc;
}

void identifier_batch_free(dl_ident_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].value);
	free(b->v);
	memset(b, 0, sizeof *b);
}

#define IDENT_COLS "i.id, i.kind, i.value, i.case_id, i.person_id, i.device_id, i.item_id, i.created_at"

static void ident_from_row(sqlite3_stmt *q, dl_identifier *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(q, 0);
	d->kind = store_col_dup(q, 1);
	d->value = store_col_dup(q, 2);
	d->case_id = sqlite3_column_int64(q, 3);
	d->person_id = sqlite3_column_int64(q, 4);
	d->device_id = sqlite3_column_int64(q, 5);
	d->item_id = sqlite3_column_int64(q, 6);
	d->created_at = store_col_dup(q, 7);
}

/* Run q (bound) and append every row; column 8, when present, is the subject.
 * All of them or an error (out emptied). */
static dl_status collect(dl_store *st, sqlite3_stmt *q, dl_identifier_list *out, dl_err *err)
{
	size_t cap = out->n;
	unsigned long mark = store_oom_mark();
	dl_status rc = DL_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			dl_identifier *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_identifier *d = &out->v[out->n++];
		ident_from_row(q, d);
		if (sqlite3_column_count(q) > 8)
			d->subject = store_col_dup(q, 8);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "");
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		identifier_list_free(out);
	return rc;
}

dl_status identifier_load(dl_store *st, long long person_id, long long device_id,
                          dl_identifier_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(st, person_id > 0
		? "SELECT " IDENT_COLS " FROM identifiers i WHERE i.person_id = ? ORDER BY i.id"
		: "SELECT " IDENT_COLS " FROM identifiers i WHERE i.device_id = ? ORDER BY i.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, person_id > 0 ? person_id : device_id);
	dl_status rc = collect(st, q, out, err);
	sqlite3_finalize(q);
	return rc;
}

/* *in: 1 when the subject is part of the case. */
static dl_status subject_in_case(dl_store *st, long long case_id, long long person_id,
                                 long long device_id, int *in, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, person_id > 0
		? "SELECT 1 FROM case_persons WHERE case_id = ?1 AND person_id = ?2"
		: "SELECT 1 FROM devices WHERE case_id = ?1 AND id = ?2", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, person_id > 0 ? person_id : device_id);
	dl_status rc = store_step_one(st, q, in, err);
	sqlite3_finalize(q);
	return rc;
}

dl_status identifier_add(dl_session *s, const char *case_number, const char *kind,
                         const char *value, long long person_id, long long device_id,
                         long long *id, dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if ((person_id > 0) == (device_id > 0))
		return dl_err_set(err, DL_EINVAL, "person",
		                  _("expected either a person or a device the identifier belongs to"));
	int in;
	if ((rc = subject_in_case(s->store, case_id, person_id, device_id, &in, err)) != DL_OK)
		return rc;
	if (!in)
		return person_id > 0
			? dl_err_set(err, DL_EINVAL, "person", _("person %lld is not in case %s"),
			             person_id, case_number)
			: dl_err_set(err, DL_EINVAL, "device", _("device %lld is not in case %s"),
			             device_id, case_number);
	int k;
	if ((rc = val_enum("kind", kind, identifier_kind_names, &k, err)) != DL_OK)
		return rc;
	char norm[DL_IDENT_MAX];
	if ((rc = normalize(s->store, "value", k, value, norm, sizeof norm, err)) != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	long long new_id = 0;
	rc = ident_put(st, identifier_kind_names[k], norm, case_id, person_id, device_id, &new_id, err);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = new_id;
	return rc;
}

dl_status identifier_list(dl_session *s, const char *case_number, dl_identifier_list *out,
                          dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	/* Same values next to each other: that is where links show. */
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " IDENT_COLS ","
		" CASE WHEN i.person_id IS NOT NULL THEN"
		"   (SELECT p.name_ar FROM persons p WHERE p.id = i.person_id)"
		" WHEN i.device_id IS NOT NULL THEN"
		"   (SELECT d.type || ifnull(' ' || d.make, '') || ifnull(' ' || d.model, '')"
		"    FROM devices d WHERE d.id = i.device_id) END"
		" FROM identifiers i"
		" WHERE (i.case_id = ?1 AND i.item_id IS NULL)"
		"  OR i.person_id IN (SELECT person_id FROM case_persons WHERE case_id = ?1)"
		"  OR i.device_id IN (SELECT id FROM devices WHERE case_id = ?1)"
		" ORDER BY i.kind, i.value, i.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	rc = collect(s->store, q, out, err);
	sqlite3_finalize(q);
	return rc;
}

void identifier_list_free(dl_identifier_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].kind);
		free(l->v[i].value);
		free(l->v[i].subject);
		free(l->v[i].created_at);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void identifier_list_json(json_w *w, const dl_identifier_list *l)
{
	json_begin_array(w);
	for (size_t i = 0; i < l->n; i++) {
		json_begin_object(w);
		json_kint(w, "id", l->v[i].id);
		json_kstr(w, "kind", l->v[i].kind);
		json_kstr(w, "value", l->v[i].value);
		json_end_object(w);
	}
	json_end_array(w);
}
