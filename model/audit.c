/* audit.c — recording row changes through SQLite's pre-update hook, writing them
 * hash-chained at commit, and verifying chain and rows; see audit.h. */
#include "audit.h"
#include "crypto.h"
#include "hashset.h"
#include "i18n.h"
#include "json.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Columns whose values must not be copied into the log: they are recorded as
 * the SHA-256 of the value, which still shows any change. */
static int column_is_secret(const char *table, const char *col)
{
	return strcmp(table, "users") == 0 && strcmp(col, "password_hash") == 0;
}

static void value_json(dl_buf *out, const char *table, const char *col, sqlite3_value *v)
{
	if (!v) {
		buf_adds(out, "null");
		return;
	}
	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		buf_adds(out, "null");
		break;
	case SQLITE_INTEGER:
		buf_addf(out, "%lld", (long long)sqlite3_value_int64(v));
		break;
	case SQLITE_FLOAT: {
		char tmp[40];
		sqlite3_snprintf(sizeof tmp, tmp, "%!.17g", sqlite3_value_double(v));
		buf_adds(out, tmp);
		break;
	}
	case SQLITE_TEXT: {
		const char *t = (const char *)sqlite3_value_text(v);
		if (!t) {   /* SQLite ran out of memory converting it */
			out->failed = 1;
			break;
		}
		if (column_is_secret(table, col)) {
			char h[65];
			crypto_sha256_hex(t, (size_t)sqlite3_value_bytes(v), h);
			buf_adds(out, "\"sha256:");
			buf_adds(out, h);
			buf_addc(out, '"');
		} else {
			json_add_string(out, t);
		}
		break;
	}
	default: { /* BLOB */
		const unsigned char *b = sqlite3_value_blob(v);
		int n = sqlite3_value_bytes(v);
		if (!b && n > 0) {
			out->failed = 1;
			break;
		}
		buf_adds(out, "\"hex:");
		for (int i = 0; i < n; i++)
			buf_addf(out, "%02x", b[i]);
		buf_addc(out, '"');
	}
	}
}

void store_row_json(const store_table *t, sqlite3_value *(*get)(void *ctx, int i),
                    void *ctx, dl_buf *out)
{
	buf_addc(out, '{');
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			buf_addc(out, ',');
		json_add_string(out, t->cols[i]);
		buf_addc(out, ':');
		value_json(out, t->name, t->cols[i], get(ctx, i));
	}
	buf_addc(out, '}');
}

/* The values of the row being changed. SQLite may need memory to unpack
 * them: a failure is noted (store_oom_note), never taken for a NULL. */
static sqlite3_value *get_new(void *ctx, int i)
{
	sqlite3_value *v = NULL;
	if (sqlite3_preupdate_new(ctx, i, &v) != SQLITE_OK)
		store_oom_note();
	return v;
}

static sqlite3_value *get_old(void *ctx, int i)
{
	sqlite3_value *v = NULL;
	if (sqlite3_preupdate_old(ctx, i, &v) != SQLITE_OK)
		store_oom_note();
	return v;
}

static audit_pending *push(dl_store *s)
{
	if (s->npending == s->cappending) {
		size_t cap = s->cappending ? s->cappending * 2 : 16;
		audit_pending *p = realloc(s->pending, cap * sizeof *p);
		if (!p)
			return NULL;
		s->pending = p;
		s->cappending = cap;
	}
	audit_pending *e = &s->pending[s->npending++];
	memset(e, 0, sizeof *e);
	return e;
}

/* Old values of the columns an update changed, as {"col": old, …}; empty when
 * the update changed nothing. */
static void changed_old(const store_table *t, sqlite3 *db, dl_buf *out)
{
	int first = 1;
	for (int i = 0; i < t->ncols; i++) {
		sqlite3_value *o = get_old(db, i), *n = get_new(db, i);
		dl_buf a = {0}, b = {0};
		value_json(&a, t->name, t->cols[i], o);
		value_json(&b, t->name, t->cols[i], n);
		/* a value that could not be written cannot be compared */
		if (buf_failed(&a) || buf_failed(&b))
			out->failed = 1;
		else if (strcmp(buf_str(&a), buf_str(&b)) != 0) {
			buf_adds(out, first ? "{" : ",");
			first = 0;
			json_add_string(out, t->cols[i]);
			buf_addc(out, ':');
			buf_adds(out, buf_str(&a));
		}
		buf_free(&a);
		buf_free(&b);
	}
	if (!first)
		buf_addc(out, '}');
}

/* Runs inside SQLite's statement: it may read the values but not touch the
 * connection, so it only queues what commit will write. */
static void preupdate(void *ctx, sqlite3 *db, int op, const char *zdb, const char *table,
                      sqlite3_int64 key1, sqlite3_int64 key2)
{
	dl_store *s = ctx;
	if (strcmp(zdb, "main") != 0)
		return;
	const store_table *t = store_table_find(s, table);
	if (!t)
		return;
	if (sqlite3_preupdate_count(db) != t->ncols) {
		s->pending_failed = DL_EDB;   /* schema cache out of date: refuse to commit blind */
		return;
	}
	dl_buf row = {0}, data = {0};
	const char *action;
	long long id;
	unsigned long mark = store_oom_mark();
	if (op == SQLITE_INSERT) {
		action = "insert";
		id = key2;
		store_row_json(t, get_new, db, &row);
	} else if (op == SQLITE_DELETE) {
		action = "delete";
		id = key1;
		store_row_json(t, get_old, db, &data);
	} else {
		action = "update";
		id = key2;
		changed_old(t, db, &data);
		if (data.len == 0 && !buf_failed(&data) && store_oom_check(mark, NULL) == DL_OK) {   /* nothing changed: nothing to record */
			buf_free(&data);
			return;
		}
		store_row_json(t, get_new, db, &row);
	}
	int lost = buf_failed(&row) || buf_failed(&data) || store_oom_check(mark, NULL) != DL_OK;
	audit_pending *e = lost ? NULL : push(s);
	if (!e) {
		s->pending_failed = DL_ENOMEM;
		buf_free(&row);
		buf_free(&data);
		return;
	}
	snprintf(e->action, sizeof e->action, "%s", action);
	snprintf(e->entity, sizeof e->entity, "%s", table);
	e->entity_id = id;
	e->row = row.data;   /* ownership moves to the entry */
	e->data = data.data;
}

void audit_install_hook(dl_store *s)
{
	sqlite3_preupdate_hook(s->db, preupdate, s);
}

void audit_event(dl_store *s, const char *action, const char *entity,
                 long long entity_id, const char *details)
{
	char *copy = details ? strdup(details) : NULL;
	audit_pending *e = details && !copy ? NULL : push(s);
	if (!e) {
		s->pending_failed = DL_ENOMEM;
		free(copy);
		return;
	}
	snprintf(e->action, sizeof e->action, "%s", action);
	snprintf(e->entity, sizeof e->entity, "%s", entity);
	e->entity_id = entity_id;
	e->data = copy;
}

void audit_discard(dl_store *s)
{
	for (size_t i = 0; i < s->npending; i++) {
		free(s->pending[i].row);
		free(s->pending[i].data);
	}
	s->npending = 0;
}

/* The text an entry's hash covers: every field, each followed by a newline,
 * with "\x01" standing for NULL so that NULL and "" differ. 0, or -1 when
 * memory ran out (out is then not a hash). */
static int entry_hash(long long id, const char *at, long long user_id, const char *username,
                       const char *action, const char *entity, long long entity_id,
                       int has_entity_id, const char *row, const char *data,
                       const char *prev, char out[65])
{
	dl_buf b = {0};
	buf_addf(&b, "%s\n%lld\n%s\n", prev, id, at);
	if (user_id > 0)
		buf_addf(&b, "%lld\n", user_id);
	else
		buf_adds(&b, "\x01\n");
	buf_addf(&b, "%s\n%s\n%s\n", username, action, entity);
	if (has_entity_id)
		buf_addf(&b, "%lld\n", entity_id);
	else
		buf_adds(&b, "\x01\n");
	buf_adds(&b, row ? row : "\x01");
	buf_addc(&b, '\n');
	buf_adds(&b, data ? data : "\x01");
	buf_addc(&b, '\n');
	int r = buf_failed(&b) ? -1 : 0;
	if (r == 0)
		crypto_sha256_hex(b.data, b.len, out);
	buf_free(&b);
	return r;
}

dl_status audit_flush(dl_store *s, dl_err *err)
{
	if (s->pending_failed == DL_ENOMEM) {
		audit_discard(s);
		return store_nomem(err);
	}
	if (s->pending_failed) {
		audit_discard(s);
		return dl_err_set(err, DL_EDB, "", _("internal error: a change could not be audited"));
	}
	if (s->npending == 0)
		return DL_OK;
	char prev[65] = GENESIS_HASH;
	long long last_id = 0;
	sqlite3_stmt *q = store_prepare(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", err);
	if (!q)
		return DL_EDB;
	/* the chain goes on from the last entry: not reading it is an error, never
	 * a fresh start */
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		last_id = sqlite3_column_int64(q, 0);
		const char *h = (const char *)sqlite3_column_text(q, 1);
		if (h)
			snprintf(prev, sizeof prev, "%s", h);
		else if (sqlite3_column_type(q, 1) != SQLITE_NULL)
			step = SQLITE_NOMEM;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		dl_status rc = step == SQLITE_NOMEM ? store_nomem(err) : store_sqlerr(s, err, "");
		sqlite3_finalize(q);
		return rc;
	}
	sqlite3_finalize(q);

	sqlite3_stmt *ins = store_prepare(s,
		"INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id,"
		" row, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!ins)
		return DL_EDB;
	char at[21];
	store_now(at);
	dl_status st = DL_OK;
	for (size_t i = 0; i < s->npending && st == DL_OK; i++) {
		audit_pending *e = &s->pending[i];
		long long id = ++last_id;
		char hash[65];
		if (entry_hash(id, at, s->actor_id, s->actor_name, e->action, e->entity, e->entity_id,
		               1, e->row, e->data, prev, hash) != 0) {
			st = store_nomem(err);
			break;
		}
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, at, -1, SQLITE_STATIC);
		store_bind_id(ins, 3, s->actor_id);
		sqlite3_bind_text(ins, 4, s->actor_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, e->action, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, e->entity, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 7, e->entity_id);
		if (e->row) sqlite3_bind_text(ins, 8, e->row, -1, SQLITE_STATIC);
		else sqlite3_bind_null(ins, 8);
		if (e->data) sqlite3_bind_text(ins, 9, e->data, -1, SQLITE_STATIC);
		else sqlite3_bind_null(ins, 9);
		sqlite3_bind_text(ins, 10, prev, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 11, hash, -1, SQLITE_STATIC);
		st = store_step_done(s, ins, err, "");
		memcpy(prev, hash, sizeof prev);
	}
	sqlite3_finalize(ins);
	audit_discard(s);
	return st;
}

/* ---- reading ---- */

static int may_read_audit(dl_session *s)
{
	return s->role == DL_ROLE_ADMIN || s->role == DL_ROLE_SUPERVISOR;
}

static void entry_from_row(sqlite3_stmt *st, dl_audit_entry *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->at = store_col_dup(st, 1);
	e->user_id = sqlite3_column_int64(st, 2);
	e->username = store_col_dup(st, 3);
	e->action = store_col_dup(st, 4);
	e->entity = store_col_dup(st, 5);
	e->entity_id = sqlite3_column_int64(st, 6);
	e->row = store_col_dup(st, 7);
	e->data = store_col_dup(st, 8);
	e->prev_hash = store_col_dup(st, 9);
	e->hash = store_col_dup(st, 10);
}

static void entry_free(dl_audit_entry *e)
{
	free(e->at); free(e->username); free(e->action); free(e->entity);
	free(e->row); free(e->data); free(e->prev_hash); free(e->hash);
}

/* Every row of st into out; on any failure out is emptied. */
static dl_status read_entries(dl_store *s, sqlite3_stmt *st, dl_audit_list *out, dl_err *err)
{
	unsigned long mark = store_oom_mark();
	size_t cap = 0;
	int step;
	dl_status rc = DL_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			dl_audit_entry *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		entry_from_row(st, &out->v[out->n++]);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s, err, "");
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		audit_list_free(out);
	return rc;
}

dl_status audit_list(dl_session *s, const char *entity, long long entity_id,
                     long long limit, dl_audit_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	if (!may_read_audit(s))
		return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may read the audit log"));
	sqlite3_stmt *st = store_prepare(s->store,
		"SELECT id, at, user_id, username, action, entity, entity_id, row, data,"
		" prev_hash, hash FROM audit_log"
		" WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)"
		" ORDER BY id DESC LIMIT ?3", err);
	if (!st)
		return DL_EDB;
	store_bind_text(st, 1, entity);
	store_bind_id(st, 2, entity_id);
	sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
	dl_status rc = read_entries(s->store, st, out, err);
	sqlite3_finalize(st);
	return rc;
}

/* The case a logged row belongs to: its values after the change, or before
 * it for a delete (an update's data holds only the changed columns). */
#define AUDIT_ROW_VALUE(col) "coalesce(json_extract(row, '$." col "'), json_extract(data, '$." col "'))"

dl_status audit_list_case(dl_session *s, long long case_id, long long limit,
                          dl_audit_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	if (!may_read_audit(s))
		return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may read the audit log"));
	dl_status rc = perm_case_read(s, case_id, err);
	if (rc != DL_OK)
		return rc;
	/* The tables that say which case a row is in, from the schema itself so
	 * that tables added by later migrations are covered. */
	dl_buf tables = {0};
	buf_addc(&tables, '[');
	for (int i = 0; i < s->store->ntables; i++) {
		const store_table *t = &s->store->tables[i];
		for (int c = 0; c < t->ncols; c++)
			if (!strcmp(t->cols[c], "case_id")) {
				if (tables.len > 1)
					buf_addc(&tables, ',');
				json_add_string(&tables, t->name);
				break;
			}
	}
	buf_addc(&tables, ']');
	/* One indexed branch per kind of row (audit_entity covers the entity
	 * lookups), then newest first. */
	sqlite3_stmt *st = store_prepare(s->store,
		"SELECT id, at, user_id, username, action, entity, entity_id, row, data,"
		" prev_hash, hash FROM audit_log WHERE id IN ("
		"  SELECT id FROM audit_log WHERE entity = 'cases' AND entity_id = ?1"
		"  UNION ALL SELECT id FROM audit_log WHERE entity IN (SELECT value FROM json_each(?2))"
		"   AND action IN ('insert','update','delete') AND " AUDIT_ROW_VALUE("case_id") " = ?1"
		"  UNION ALL SELECT id FROM audit_log WHERE entity = 'request_identifiers'"
		"   AND " AUDIT_ROW_VALUE("request_id") " IN (SELECT entity_id FROM audit_log"
		"    WHERE entity = 'provider_requests' AND " AUDIT_ROW_VALUE("case_id") " = ?1))"
		" ORDER BY id DESC LIMIT ?3", err);
	if (!st) {
		buf_free(&tables);
		return DL_EDB;
	}
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_text(st, 2, buf_str(&tables), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
	rc = buf_failed(&tables) ? store_nomem(err) : read_entries(s->store, st, out, err);
	sqlite3_finalize(st);
	buf_free(&tables);
	return rc;
}

void audit_list_free(dl_audit_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* A problem found. Out of memory is noted for store_oom_check: verification
 * then fails as a whole rather than report less than it found. */
static void problem(dl_audit_report *r, const char *entity, long long id, const char *what)
{
	dl_audit_problem *v = realloc(r->v, (r->n + 1) * sizeof *v);
	if (!v) {
		store_oom_note();
		return;
	}
	r->v = v;
	dl_audit_problem *p = &r->v[r->n++];
	snprintf(p->entity, sizeof p->entity, "%s", entity);
	p->entity_id = id;
	snprintf(p->what, sizeof p->what, "%s", what);
}

static dl_status verify_chain(dl_store *s, dl_audit_report *r, dl_err *err)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT id, at, user_id, username, action, entity, entity_id, row, data,"
		" prev_hash, hash FROM audit_log ORDER BY id", err);
	if (!st)
		return DL_EDB;
	char prev[65] = GENESIS_HASH;
	long long expect_id = 0;
	int rc;
	unsigned long mark = store_oom_mark();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dl_audit_entry e;
		entry_from_row(st, &e);
		if (store_oom_check(mark, NULL) != DL_OK) {
			/* a field that could not be read is not a tampered one */
			entry_free(&e);
			break;
		}
		int has_eid = sqlite3_column_type(st, 6) != SQLITE_NULL;
		r->entries++;
		char buf[320];
		if (expect_id && e.id != expect_id + 1) {
			snprintf(buf, sizeof buf, _("audit entries %lld to %lld are missing"),
			         expect_id + 1, e.id - 1);
			problem(r, "audit_log", e.id, buf);
		}
		expect_id = e.id;
		if (!e.prev_hash || strcmp(e.prev_hash, prev) != 0) {
			snprintf(buf, sizeof buf, _("audit entry does not link to the entry before it"));
			problem(r, "audit_log", e.id, buf);
		}
		char h[65];
		if (entry_hash(e.id, e.at ? e.at : "", e.user_id, e.username ? e.username : "",
		               e.action ? e.action : "", e.entity ? e.entity : "", e.entity_id, has_eid,
		               e.row, e.data, e.prev_hash ? e.prev_hash : "", h) != 0) {
			store_oom_note();
		} else if (!e.hash || strcmp(h, e.hash) != 0) {
			snprintf(buf, sizeof buf, _("audit entry was altered (its hash does not match its content)"));
			problem(r, "audit_log", e.id, buf);
		}
		snprintf(prev, sizeof prev, "%s", e.hash ? e.hash : "");
		entry_free(&e);
	}
	sqlite3_finalize(st);
	if (store_oom_check(mark, err) != DL_OK)
		return DL_ENOMEM;
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, err, "");
	return DL_OK;
}

typedef struct row_ctx {
	sqlite3_stmt *st;
} row_ctx;

/* Column i of the table is column i + 1 of "SELECT rowid, *". */
static sqlite3_value *get_col(void *ctx, int i)
{
	return sqlite3_column_value(((row_ctx *)ctx)->st, i + 1);
}

/* Names of the columns whose values differ between two row documents. */
static void differing_columns(dl_store *s, const char *a, const char *b, dl_buf *out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db,
		"SELECT x.key FROM json_each(?1) x LEFT JOIN json_each(?2) y ON x.key = y.key"
		" WHERE y.key IS NULL OR x.type IS NOT y.type OR x.atom IS NOT y.atom"
		" ORDER BY x.id", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	int first = 1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (!key)
			break;
		buf_adds(out, first ? "" : ", ");
		first = 0;
		buf_adds(out, key);
	}
	sqlite3_finalize(st);
}

static dl_status verify_table(dl_store *s, const store_table *t, dl_audit_report *r,
                              dl_err *err)
{
	dl_buf sql = {0};
	/* Table names come from sqlite_schema, never from the user; quoted all
	 * the same, as a store being verified may have been tampered with. */
	buf_adds(&sql, "SELECT rowid, * FROM ");
	store_add_ident(&sql, t->name);
	buf_adds(&sql, " ORDER BY rowid");
	if (buf_failed(&sql)) {
		buf_free(&sql);
		return store_nomem(err);
	}
	sqlite3_stmt *rows = store_prepare(s, sql.data, err);
	buf_free(&sql);
	if (!rows)
		return DL_EDB;
	sqlite3_stmt *last = store_prepare(s,
		"SELECT action, row FROM audit_log WHERE entity = ?1 AND entity_id = ?2"
		" AND action IN ('insert','update','delete') ORDER BY id DESC LIMIT 1", err);
	if (!last) {
		sqlite3_finalize(rows);
		return DL_EDB;
	}
	dl_buf cur = {0};
	char buf[320];
	/* Out of memory or a failed read is never reported as tampering: the
	 * verification stops with the error instead. */
	dl_status rc = DL_OK;
	int step, lstep;
	while (rc == DL_OK && (step = sqlite3_step(rows)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(rows, 0);
		r->rows++;
		row_ctx ctx = {rows};
		buf_reset(&cur);
		store_row_json(t, get_col, &ctx, &cur);
		if (buf_failed(&cur)) {
			rc = store_nomem(err);
			break;
		}

		sqlite3_reset(last);
		sqlite3_bind_text(last, 1, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(last, 2, id);
		if ((lstep = sqlite3_step(last)) != SQLITE_ROW) {
			if (lstep != SQLITE_DONE) {
				rc = store_sqlerr(s, err, "");
				break;
			}
			snprintf(buf, sizeof buf, _("row was added outside dalil (no audit entry)"));
			problem(r, t->name, id, buf);
			continue;
		}
		const char *action = (const char *)sqlite3_column_text(last, 0);
		const char *row = (const char *)sqlite3_column_text(last, 1);
		if (!action || (!row && sqlite3_column_type(last, 1) != SQLITE_NULL)) {
			rc = store_nomem(err);
			break;
		}
		if (strcmp(action, "delete") == 0) {
			snprintf(buf, sizeof buf, _("row was deleted through dalil but is present again"));
			problem(r, t->name, id, buf);
		} else if (!row || strcmp(row, buf_str(&cur)) != 0) {
			dl_buf cols = {0};
			differing_columns(s, row ? row : "{}", buf_str(&cur), &cols);
			snprintf(buf, sizeof buf, _("row was changed outside dalil (columns: %s)"),
			         cols.len ? cols.data : "?");
			buf_free(&cols);
			problem(r, t->name, id, buf);
		}
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s, err, "");
	sqlite3_finalize(rows);
	sqlite3_finalize(last);
	buf_free(&cur);
	if (rc != DL_OK)
		return rc;

	/* Rows the log says exist but which are gone. */
	sqlite3_stmt *gone = store_prepare(s,
		"SELECT a.entity_id FROM audit_log a"
		" WHERE a.entity = ?1 AND a.action IN ('insert','update')"
		" AND a.id = (SELECT max(b.id) FROM audit_log b WHERE b.entity = a.entity"
		"   AND b.entity_id = a.entity_id AND b.action IN ('insert','update','delete'))"
		" ORDER BY a.entity_id", err);
	if (!gone)
		return DL_EDB;
	dl_buf chk = {0};
	buf_adds(&chk, "SELECT 1 FROM ");
	store_add_ident(&chk, t->name);
	buf_adds(&chk, " WHERE rowid = ?");
	sqlite3_stmt *exists = buf_failed(&chk) ? NULL : store_prepare(s, chk.data, err);
	if (!exists) {
		rc = buf_failed(&chk) ? store_nomem(err) : DL_EDB;
		buf_free(&chk);
		sqlite3_finalize(gone);
		return rc;
	}
	buf_free(&chk);
	sqlite3_bind_text(gone, 1, t->name, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(gone)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(gone, 0);
		sqlite3_reset(exists);
		sqlite3_bind_int64(exists, 1, id);
		if ((lstep = sqlite3_step(exists)) != SQLITE_ROW) {
			if (lstep != SQLITE_DONE)
				break;   /* step stays SQLITE_ROW: reported below */
			snprintf(buf, sizeof buf, _("row was deleted outside dalil"));
			problem(r, t->name, id, buf);
		}
	}
	if (step != SQLITE_DONE)
		rc = store_sqlerr(s, err, "");
	sqlite3_finalize(gone);
	sqlite3_finalize(exists);
	return rc;
}

static void hashset_problem(void *ctx, long long set_id, const char *what)
{
	problem(ctx, "hashset_entries", set_id, what);
}

dl_status audit_verify(dl_session *s, dl_audit_report *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	if (!may_read_audit(s))
		return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may verify the audit log"));
	dl_store *st = s->store;
	/* One read transaction so chain and rows are seen at the same moment. */
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "");
	unsigned long mark = store_oom_mark();
	dl_status rc = verify_chain(st, r, err);
	/* Tables that exist now but were not known when the store was opened are
	 * picked up by reloading the list. */
	if (rc == DL_OK)
		rc = store_load_tables(st, err);
	for (int i = 0; rc == DL_OK && i < st->ntables; i++)
		rc = verify_table(st, &st->tables[i], r, err);
	/* hash set entries are not logged row by row: their digest is */
	if (rc == DL_OK && hashset_check(st, hashset_problem, r) < 0)
		rc = store_sqlerr(st, err, "");
	store_read_end(st);
	/* a problem that could not be recorded: the report would be short */
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK) {
		audit_report_free(r);
		return rc;
	}
	if (r->n > 0)
		return dl_err_set(err, DL_ETAMPER, "",
		                  _("the store was changed outside dalil; problems found: %zu"), r->n);
	return DL_OK;
}

void audit_report_free(dl_audit_report *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
