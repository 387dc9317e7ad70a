/* casepack.c — see casepack.h. */
#include "casepack.h"
#include "i18n.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The persons a case names: its roles, the owners of its devices, the persons
 * its identifiers belong to. */
#define PERSONS_OF_CASE \
	"SELECT person_id FROM case_persons WHERE case_id = ?1" \
	" UNION SELECT owner_id FROM devices WHERE case_id = ?1 AND owner_id IS NOT NULL" \
	" UNION SELECT person_id FROM identifiers WHERE case_id = ?1 AND person_id IS NOT NULL"
#define ITEMS_OF_CASE \
	"SELECT id FROM evidence_items WHERE source_id IN (SELECT id FROM evidence_sources WHERE case_id = ?1)"

/* Every record of a case, table by table in an order an import can insert
 * them in (referenced rows first). Rows come whole (SELECT *), so columns
 * added by later migrations travel too. */
static const struct {
	const char *table;
	const char *sql;
} record_sets[] = {
	{"cases", "SELECT * FROM cases WHERE id = ?1"},
	{"case_assignments", "SELECT * FROM case_assignments WHERE case_id = ?1 ORDER BY id"},
	{"case_status_history", "SELECT * FROM case_status_history WHERE case_id = ?1 ORDER BY id"},
	{"case_deadline_history", "SELECT * FROM case_deadline_history WHERE case_id = ?1 ORDER BY id"},
	{"persons", "SELECT * FROM persons WHERE id IN (" PERSONS_OF_CASE ") ORDER BY id"},
	{"person_aliases", "SELECT * FROM person_aliases WHERE person_id IN (" PERSONS_OF_CASE ") ORDER BY id"},
	{"person_documents", "SELECT * FROM person_documents WHERE person_id IN (" PERSONS_OF_CASE ") ORDER BY id"},
	{"case_persons", "SELECT * FROM case_persons WHERE case_id = ?1 ORDER BY id"},
	{"devices", "SELECT * FROM devices WHERE case_id = ?1 ORDER BY id"},
	{"evidence_sources", "SELECT * FROM evidence_sources WHERE case_id = ?1 ORDER BY id"},
	{"evidence_items", "SELECT * FROM evidence_items WHERE id IN (" ITEMS_OF_CASE ") ORDER BY id"},
	{"identifiers", "SELECT * FROM identifiers WHERE case_id = ?1 ORDER BY id"},
	{"custody_events", "SELECT * FROM custody_events WHERE case_id = ?1 ORDER BY id"},
	{"provider_requests", "SELECT * FROM provider_requests WHERE case_id = ?1 ORDER BY id"},
	{"request_identifiers", "SELECT * FROM request_identifiers WHERE request_id IN"
	                        " (SELECT id FROM provider_requests WHERE case_id = ?1) ORDER BY id"},
	{"notes", "SELECT * FROM notes WHERE case_id = ?1 ORDER BY id"},
	{"tasks", "SELECT * FROM tasks WHERE case_id = ?1 ORDER BY id"},
	{"hashsets", "SELECT * FROM hashsets WHERE id IN (SELECT hashset_id FROM item_hits WHERE item_id IN ("
	             ITEMS_OF_CASE ")) ORDER BY id"},
	{"item_hits", "SELECT * FROM item_hits WHERE item_id IN (" ITEMS_OF_CASE ") ORDER BY id"},
	{"reports", "SELECT * FROM reports WHERE case_id = ?1 ORDER BY id"},
};

/* The users the records name, by what an import needs to show them: never
 * their password hash. */
static const char users_sql[] =
	"SELECT id, username, name_ar, name_en, role FROM users WHERE id IN ("
	" SELECT lead_id FROM cases WHERE id = ?1 UNION SELECT created_by FROM cases WHERE id = ?1"
	" UNION SELECT user_id FROM case_assignments WHERE case_id = ?1"
	" UNION SELECT user_id FROM case_status_history WHERE case_id = ?1"
	" UNION SELECT user_id FROM case_deadline_history WHERE case_id = ?1"
	" UNION SELECT created_by FROM persons WHERE id IN (" PERSONS_OF_CASE ")"
	" UNION SELECT created_by FROM devices WHERE case_id = ?1"
	" UNION SELECT recorded_by FROM custody_events WHERE case_id = ?1"
	" UNION SELECT created_by FROM provider_requests WHERE case_id = ?1"
	" UNION SELECT author_id FROM notes WHERE case_id = ?1"
	" UNION SELECT assignee_id FROM tasks WHERE case_id = ?1"
	" UNION SELECT done_by FROM tasks WHERE case_id = ?1"
	" UNION SELECT created_by FROM tasks WHERE case_id = ?1"
	" UNION SELECT ingested_by FROM evidence_sources WHERE case_id = ?1"
	" UNION SELECT imported_by FROM hashsets WHERE id IN (SELECT hashset_id FROM item_hits WHERE item_id IN ("
	ITEMS_OF_CASE "))"
	" UNION SELECT author_id FROM reports WHERE case_id = ?1) ORDER BY id";

static sqlite3_value *col_value(void *ctx, int i)
{
	return sqlite3_column_value(ctx, i);
}

/* The rows of one record set as a JSON array; their count added to *n. */
static dl_status add_rows(dl_store *st, const char *table, const char *sql, long long case_id,
                          size_t max_bytes, json_w *w, long long *n, dl_err *err)
{
	const store_table *t = store_table_find(st, table);
	if (!t)
		return dl_err_set(err, DL_EDB, "", _("the store has no table %s"), table);
	sqlite3_stmt *q = store_prepare(st, sql, err);
	if (!q)
		return DL_EDB;
	if (sqlite3_column_count(q) != t->ncols) {
		sqlite3_finalize(q);
		return dl_err_set(err, DL_EDB, "", _("the store has no table %s"), table);
	}
	sqlite3_bind_int64(q, 1, case_id);
	json_key(w, table);
	json_begin_array(w);
	dl_buf row = {0};
	int step;
	dl_status rc = DL_OK;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		buf_reset(&row);
		store_row_json(t, col_value, q, &row);
		if (buf_failed(&row)) {   /* a row cut short would travel as another */
			rc = store_nomem(err);
			break;
		}
		json_raw(w, buf_str(&row));
		(*n)++;
		if (max_bytes && w->out.len > max_bytes) {
			rc = dl_err_set(err, DL_EINVAL, "case",
			                _("the case's records pass %zu MiB (at %s, %lld rows), more than one "
			                  "bundle may hold"), max_bytes >> 20, table, *n);
			break;
		}
	}
	json_end_array(w);
	buf_free(&row);
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "");
	if (rc == DL_OK && buf_failed(&w->out))
		rc = store_nomem(err);
	sqlite3_finalize(q);
	return rc;
}

/* 0, or -1 without memory (or without the digest SQLite could not give). */
static int objects_push(dl_pack_objects *l, const char *sha, long long size, const char *kind,
                        int in_bundle, const char *reason)
{
	if (!sha)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		dl_pack_object *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	dl_pack_object *o = &l->v[l->n++];
	snprintf(o->sha256, sizeof o->sha256, "%s", sha);
	o->size = size;
	o->kind = kind;
	o->in_bundle = in_bundle;
	o->reason = reason;
	return 0;
}

#define SOURCES_OF_CASE \
	"SELECT sha256 FROM evidence_sources WHERE case_id = ?1 AND sha256 IS NOT NULL"

/* Each object once however many rows name it (the same archive ingested
 * twice; kept once and once in place: then it is kept), in the order the
 * sources were ingested, then the objects of its items: members cached from
 * an archive, and the files of an ingested folder (kept as objects of kind
 * source, one per file). */
dl_status pack_objects(dl_session *s, long long case_id, int metadata_only, dl_pack_objects *out,
                       dl_err *err)
{
	dl_store *st = s->store;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT x.sha256, COALESCE(max(o.size), max(x.size), 0), min(x.in_place), max(o.id IS NOT NULL),"
		" max(x.kind = 'folder')"
		" FROM evidence_sources x LEFT JOIN objects o ON o.sha256 = x.sha256"
		" WHERE x.case_id = ?1 AND x.sha256 IS NOT NULL GROUP BY x.sha256 ORDER BY min(x.id)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(q, 0);
		int in_place = sqlite3_column_int(q, 2), kept = sqlite3_column_int(q, 3);
		/* a folder's digest names no object: its files travel as their own */
		const char *reason = !kept ? (in_place ? "in_place" : sqlite3_column_int(q, 4) ? "folder"
		                              : "not_in_store")
		                   : metadata_only ? "metadata_only" : NULL;
		if (objects_push(out, sha, sqlite3_column_int64(q, 1), "source", reason == NULL, reason) != 0) {
			step = SQLITE_NOMEM;   /* ours (or a digest SQLite could not hand over) */
			break;
		}
	}
	sqlite3_finalize(q);
	if (step != SQLITE_DONE) {
		pack_objects_free(out);
		return step == SQLITE_NOMEM ? store_nomem(err) : store_sqlerr(st, err, "");
	}
	q = store_prepare(st,
		"SELECT o.sha256, o.size, o.kind = 'source' FROM objects o WHERE o.sha256 IN ("
		" SELECT sha256 FROM evidence_items WHERE id IN (" ITEMS_OF_CASE ") AND sha256 IS NOT NULL)"
		" AND o.sha256 NOT IN (" SOURCES_OF_CASE ") ORDER BY o.id", err);
	if (!q) {
		pack_objects_free(out);
		return DL_EDB;
	}
	sqlite3_bind_int64(q, 1, case_id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (objects_push(out, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1),
		                 sqlite3_column_int(q, 2) ? "source" : "member", !metadata_only,
		                 metadata_only ? "metadata_only" : NULL) != 0) {
			step = SQLITE_NOMEM;
			break;
		}
	dl_status rc = step == SQLITE_DONE ? DL_OK
	             : step == SQLITE_NOMEM ? store_nomem(err) : store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		pack_objects_free(out);
	return rc;
}

void pack_objects_free(dl_pack_objects *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

dl_status pack_records(dl_session *s, long long case_id, size_t max_bytes, json_w *w,
                       long long *records, dl_err *err)
{
	*records = 0;
	dl_status rc = pack_users(s, case_id, w, err);
	if (rc != DL_OK)
		return rc;
	json_key(w, "records");
	json_begin_object(w);
	for (size_t i = 0; i < sizeof record_sets / sizeof record_sets[0] && rc == DL_OK; i++)
		rc = add_rows(s->store, record_sets[i].table, record_sets[i].sql, case_id, max_bytes, w,
		              records, err);
	json_end_object(w);
	if (rc == DL_OK && buf_failed(&w->out))
		rc = store_nomem(err);
	return rc;
}

dl_status pack_users(dl_session *s, long long case_id, json_w *w, dl_err *err)
{
	dl_store *st = s->store;
	dl_status rc = DL_OK;
	json_key(w, "users");
	json_begin_array(w);
	sqlite3_stmt *q = store_prepare(st, users_sql, err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		json_begin_object(w);
		json_kint(w, "id", sqlite3_column_int64(q, 0));
		json_kstr(w, "username", (const char *)sqlite3_column_text(q, 1));
		json_kstr(w, "name_ar", (const char *)sqlite3_column_text(q, 2));
		json_kstr(w, "name_en", (const char *)sqlite3_column_text(q, 3));
		json_kstr(w, "role", (const char *)sqlite3_column_text(q, 4));
		json_end_object(w);
	}
	if (step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	json_end_array(w);
	if (rc == DL_OK && buf_failed(&w->out))
		rc = store_nomem(err);
	return rc;
}

long long pack_export_entry(dl_session *s, long long case_id, const char *bundle_id)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT id FROM audit_log WHERE action = 'bundle_export' AND entity = 'cases' AND entity_id = ?1"
		" AND json_extract(data, '$.manifest_sha256') = ?2 ORDER BY id LIMIT 1", NULL);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_text(q, 2, bundle_id, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	long long id = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : step == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(q);
	return id;
}

/* The row changes of a case after an audit entry: the rows the full bundle
 * carries (see record_sets), found by what each row names — its case, its
 * person, its request, its source — in the row after the change or, for a
 * delete, the row deleted. The persons of the case are taken as they are now. */
#define CHANGE_ROW "json_extract(coalesce(row, data), '$."
static const char changes_sql[] =
	"SELECT id, action, entity, entity_id, row, data FROM audit_log WHERE id > ?2"
	" AND action IN ('insert', 'update', 'delete') AND ("
	" (entity = 'cases' AND entity_id = ?1)"
	" OR (entity IN ('case_assignments', 'case_status_history', 'case_deadline_history', 'case_persons',"
	"  'devices', 'evidence_sources', 'identifiers', 'custody_events', 'provider_requests', 'notes',"
	"  'tasks', 'reports') AND " CHANGE_ROW "case_id') = ?1)"
	" OR (entity = 'persons' AND entity_id IN (" PERSONS_OF_CASE "))"
	" OR (entity IN ('person_aliases', 'person_documents') AND " CHANGE_ROW "person_id') IN ("
	PERSONS_OF_CASE "))"
	" OR (entity = 'request_identifiers' AND " CHANGE_ROW "request_id') IN"
	"  (SELECT id FROM provider_requests WHERE case_id = ?1))"
	" OR (entity = 'evidence_items' AND " CHANGE_ROW "source_id') IN"
	"  (SELECT id FROM evidence_sources WHERE case_id = ?1))"
	") ORDER BY id";

dl_status pack_changes(dl_session *s, long long case_id, long long after_audit_id, size_t max_bytes,
                       json_w *w, long long *changes, char ***shas, size_t *nshas, dl_err *err)
{
	*changes = 0;
	*shas = NULL;
	*nshas = 0;
	sqlite3_stmt *q = store_prepare(s->store, changes_sql, err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, after_audit_id);
	json_key(w, "changes");
	json_begin_array(w);
	int step;
	dl_status rc = DL_OK;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(q, 1);
		const char *table = (const char *)sqlite3_column_text(q, 2);
		const char *row = (const char *)sqlite3_column_text(q, 4);
		const char *data = (const char *)sqlite3_column_text(q, 5);
		if (!action || !table || (!row && sqlite3_column_type(q, 4) != SQLITE_NULL) ||
		    (!data && sqlite3_column_type(q, 5) != SQLITE_NULL)) {
			rc = store_nomem(err);   /* SQLite could not hand the text over */
			break;
		}
		json_begin_object(w);
		json_kint(w, "audit_id", sqlite3_column_int64(q, 0));
		json_kstr(w, "action", action);
		json_kstr(w, "table", table);
		json_kint(w, "id", sqlite3_column_int64(q, 3));
		json_key(w, "row");
		if (row) json_raw(w, row); else json_null(w);
		json_key(w, "old");
		if (data) json_raw(w, data); else json_null(w);
		json_end_object(w);
		(*changes)++;
		/* the objects the new rows name travel with them */
		if (row && !strcmp(action, "insert") &&
		    (!strcmp(table, "evidence_sources") || !strcmp(table, "evidence_items"))) {
			const char *p = strstr(row, "\"sha256\":\"");
			if (p && strlen(p) >= 10 + 64) {
				char **v = realloc(*shas, (*nshas + 1) * sizeof *v);
				if (v)
					*shas = v;
				if (!v || !(v[*nshas] = strndup(p + 10, 64))) {
					rc = store_nomem(err);
					break;
				}
				(*nshas)++;
			}
		}
		if (max_bytes && w->out.len > max_bytes) {
			rc = dl_err_set(err, DL_EINVAL, "case", _("the case's changes pass %zu MiB, more than one bundle "
			                                          "may hold"), max_bytes >> 20);
			break;
		}
	}
	json_end_array(w);
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	if (rc == DL_OK && buf_failed(&w->out))
		rc = store_nomem(err);
	sqlite3_finalize(q);
	return rc;
}

dl_status pack_audit_export(dl_session *s, long long case_id, const char *details, dl_err *err)
{
	dl_status rc = session_begin(s, err);
	if (rc != DL_OK)
		return rc;
	audit_event(s->store, "bundle_export", "cases", case_id, details);
	return store_commit(s->store, err);
}
