/* caseunpack.c — see caseunpack.h. The manifest is read with SQLite's JSON
 * functions: the top level once, then each table's array and each row on
 * its own (small texts), so that the large manifest is parsed once. */
#include "caseunpack.h"
#include "i18n.h"
#include "settings.h"
#include "validate.h"
#include "store_priv.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tables a manifest may carry, in the order they are inserted: every
 * table a row refers to comes before it (casepack.c writes them so). */
static const char *const unpack_tables[] = {
	"cases", "case_assignments", "case_status_history", "case_deadline_history",
	"persons", "person_aliases", "person_documents", "case_persons", "devices",
	"evidence_sources", "evidence_items", "identifiers", "custody_events",
	"provider_requests", "request_identifiers", "notes", "tasks", "hashsets",
	"item_hits", "reports", NULL,
};

/* One of the sender's users and the local account standing for them. */
typedef struct remote_user {
	long long remote_id, local_id;
} remote_user;

typedef struct unpack {
	dl_session *s;
	dl_store *st;
	const dl_unpack_origin *o;
	dl_unpack_result *r;
	char slug[32];             /* the unit's name as a suffix (see unpack_case) */
	char now[21];
	long long case_id;
	const char *origin_number;
	remote_user *users;
	size_t nusers;
	sqlite3_stmt *map_get, *map_put;
} unpack;

static void free_unpack(unpack *u)
{
	free(u->users);
	sqlite3_finalize(u->map_get);
	sqlite3_finalize(u->map_put);
}

/* strdup that notes lost memory for unpack_case's store_oom_check: a copy
 * that is missing must not read as a manifest that lacks something. */
static char *xdup(const char *v)
{
	char *r = v ? strdup(v) : NULL;
	if (v && !r)
		store_oom_note();
	return r;
}

static dl_status bad_manifest(dl_err *err, const char *what)
{
	return dl_err_set(err, DL_EINVAL, "manifest", _("the bundle's manifest cannot be imported: %s"), what);
}

/* A failed step over the manifest's JSON: out of memory is DL_ENOMEM,
 * anything else the manifest's fault (what). */
static dl_status step_failed(unpack *u, dl_err *err, const char *what)
{
	if ((sqlite3_errcode(u->st->db) & 0xff) == SQLITE_NOMEM)
		return store_nomem(err);
	return bad_manifest(err, what);
}

void unpack_result_free(dl_unpack_result *r)
{
	pack_objects_free(&r->objects);
	for (size_t i = 0; i < r->nconflicts; i++)
		free(r->conflicts[i]);
	free(r->conflicts);
	r->conflicts = NULL;
	r->nconflicts = 0;
}

int unpack_find(dl_session *s, const char *bundle_id, char *number, size_t numbersz)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT c.number FROM bundle_imports b JOIN cases c ON c.id = b.case_id WHERE b.bundle_id = ?", NULL);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, bundle_id, -1, SQLITE_STATIC);
	int step = sqlite3_step(q), found = 0;
	if (step == SQLITE_ROW) {
		snprintf(number, numbersz, "%s", (const char *)sqlite3_column_text(q, 0));
		found = 1;
	} else if (step != SQLITE_DONE) {
		found = -1;
	}
	sqlite3_finalize(q);
	return found;
}

/* The local id the sender's row remote_id of table became; 0 when none. */
static long long map_get(unpack *u, const char *table, long long remote_id)
{
	sqlite3_reset(u->map_get);
	sqlite3_bind_int64(u->map_get, 1, u->case_id);
	sqlite3_bind_text(u->map_get, 2, table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(u->map_get, 3, remote_id);
	long long id = sqlite3_step(u->map_get) == SQLITE_ROW ? sqlite3_column_int64(u->map_get, 0) : 0;
	sqlite3_reset(u->map_get);
	return id;
}

static dl_status map_put(unpack *u, const char *table, long long remote_id, long long local_id,
                         dl_err *err)
{
	sqlite3_reset(u->map_put);
	sqlite3_bind_int64(u->map_put, 1, u->case_id);
	sqlite3_bind_text(u->map_put, 2, table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(u->map_put, 3, remote_id);
	sqlite3_bind_int64(u->map_put, 4, local_id);
	dl_status rc = store_step_done(u->st, u->map_put, err, "manifest");
	sqlite3_reset(u->map_put);
	return rc;
}

static long long user_local(const unpack *u, long long remote_id)
{
	for (size_t i = 0; i < u->nusers; i++)
		if (u->users[i].remote_id == remote_id)
			return u->users[i].local_id;
	return 0;
}

/* The sender's users become local accounts named "user.unit" (lowercase), with
 * their names and role as the sender gave them (reports show them), disabled
 * and without a usable password ("!" is no hash): a user of another unit is not
 * the local user of the same name, and must never be able to log in here; the
 * records keep naming who did what, with the names the sender gave. The same
 * placeholder serves every bundle from that unit. */
static dl_status unpack_users(unpack *u, const char *users_json, dl_err *err)
{
	if (!users_json)
		return DL_OK;
	sqlite3_stmt *q = store_prepare(u->st,
		"SELECT json_extract(value, '$.id'), json_extract(value, '$.username'),"
		" json_extract(value, '$.name_ar'), json_extract(value, '$.name_en'), json_extract(value, '$.role')"
		" FROM json_each(?1)", err);
	/* only a placeholder: never a real local account that happens to have the name */
	sqlite3_stmt *find = store_prepare(u->st, "SELECT id, password_hash = '!' AND disabled FROM users"
	                                          " WHERE username = ?1", err);
	sqlite3_stmt *add = store_prepare(u->st,
		"INSERT INTO users (username, name_ar, name_en, role, password_hash, disabled, created_at)"
		" VALUES (?1, ?2, ?3, CASE WHEN ?5 IN ('admin','supervisor','investigator','clerk') THEN ?5"
		" ELSE 'clerk' END, '!', 1, ?4)", err);
	dl_status rc = q && find && add ? DL_OK : DL_EDB;
	if (rc == DL_OK)
		sqlite3_bind_text(q, 1, users_json, -1, SQLITE_STATIC);
	int step = SQLITE_DONE;
	while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 1);
		if (sqlite3_column_type(q, 0) != SQLITE_INTEGER || !name || !*name) {
			rc = bad_manifest(err, _("a user without an id or a username"));
			break;
		}
		char local[33], raw[200];
		snprintf(raw, sizeof raw, "%s.%.*s", name, (int)(31 - (strlen(name) < 20 ? strlen(name) : 20)), u->slug);
		raw[32] = '\0';
		if (val_username("user", raw, local, NULL) != DL_OK) {
			rc = bad_manifest(err, _("a username this store cannot hold"));
			break;
		}
		sqlite3_reset(find);
		sqlite3_bind_text(find, 1, local, -1, SQLITE_TRANSIENT);
		long long id = 0;
		if (sqlite3_step(find) == SQLITE_ROW) {
			if (!sqlite3_column_int(find, 1)) {
				rc = dl_err_set(err, DL_EEXIST, "file",
				                _("user %s exists here: rename it before importing (it would stand for "
				                  "the sending unit's %s)"), local, name);
				break;
			}
			id = sqlite3_column_int64(find, 0);
		} else {
			sqlite3_reset(add);
			sqlite3_bind_text(add, 1, local, -1, SQLITE_TRANSIENT);
			sqlite3_bind_value(add, 2, sqlite3_column_value(q, 2));
			sqlite3_bind_value(add, 3, sqlite3_column_value(q, 3));
			sqlite3_bind_text(add, 4, u->now, -1, SQLITE_STATIC);
			sqlite3_bind_value(add, 5, sqlite3_column_value(q, 4));
			if ((rc = store_step_done(u->st, add, err, "manifest")) != DL_OK)
				break;
			id = sqlite3_last_insert_rowid(u->st->db);
			u->r->users_created++;
		}
		remote_user *v = realloc(u->users, (u->nusers + 1) * sizeof *v);
		if (!v) {
			rc = store_nomem(err);
			break;
		}
		u->users = v;
		u->users[u->nusers].remote_id = sqlite3_column_int64(q, 0);
		u->users[u->nusers].local_id = id;
		u->nusers++;
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = bad_manifest(err, _("the list of users is not valid JSON"));
	sqlite3_finalize(q);
	sqlite3_finalize(find);
	sqlite3_finalize(add);
	return rc;
}

/* The objects the manifest lists, for the caller to copy in. */
static dl_status unpack_objects(unpack *u, const char *objects_json, dl_err *err)
{
	if (!objects_json)
		return bad_manifest(err, _("no list of objects"));
	sqlite3_stmt *q = store_prepare(u->st,
		"SELECT json_extract(value, '$.sha256'), json_extract(value, '$.size'),"
		" json_extract(value, '$.kind'), json_extract(value, '$.in_bundle') FROM json_each(?1)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, objects_json, -1, SQLITE_STATIC);
	dl_pack_objects *l = &u->r->objects;
	int step;
	dl_status rc = DL_OK;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(q, 0);
		const char *kind = (const char *)sqlite3_column_text(q, 2);
		if (!sha || strlen(sha) != 64 || sqlite3_column_type(q, 1) != SQLITE_INTEGER) {
			rc = bad_manifest(err, _("an object without a SHA-256 or a size"));
			break;
		}
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 32;
			dl_pack_object *v = realloc(l->v, cap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			l->v = v;
			l->cap = cap;
		}
		dl_pack_object *ob = &l->v[l->n++];
		memset(ob, 0, sizeof *ob);
		memcpy(ob->sha256, sha, 65);
		ob->size = sqlite3_column_int64(q, 1);
		ob->kind = kind && !strcmp(kind, "member") ? "member" : "source";
		ob->in_bundle = sqlite3_column_int(q, 3);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = bad_manifest(err, _("the list of objects is not valid JSON"));
	sqlite3_finalize(q);
	return rc;
}

/* What one column of a table refers to: NULL (nothing), "users", or a table. */
typedef struct colinfo {
	char *ref;
	int blob;
} colinfo;

static void free_cols(colinfo *ci, int n)
{
	for (int i = 0; i < n; i++)
		free(ci[i].ref);
	free(ci);
}

/* References the schema declares, and those it keeps without a declared key:
 * an identifier's evidence item; a custody event's subject (by its kind). */
static dl_status table_cols(unpack *u, const store_table *t, colinfo **out, dl_err *err)
{
	*out = NULL;
	colinfo *ci = calloc((size_t)t->ncols, sizeof *ci);
	if (!ci)
		return store_nomem(err);
	sqlite3_stmt *q = store_prepare(u->st,
		"SELECT c.name, upper(c.type), (SELECT f.\"table\" FROM pragma_foreign_key_list(?1) f"
		" WHERE f.\"from\" = c.name) FROM pragma_table_info(?1) c", err);
	if (!q) {
		free(ci);
		return DL_EDB;
	}
	sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
	/* a reference not known would import a row unmapped: all or an error */
	dl_status rc = DL_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (!name) {
			rc = store_nomem(err);
			break;
		}
		const char *type = (const char *)sqlite3_column_text(q, 1);
		const char *ref = (const char *)sqlite3_column_text(q, 2);
		for (int i = 0; i < t->ncols; i++) {
			if (strcmp(t->cols[i], name) != 0)
				continue;
			ci[i].blob = type && !strcmp(type, "BLOB");
			if (!strcmp(t->name, "identifiers") && !strcmp(name, "item_id"))
				ref = "evidence_items";
			if (ref && !(ci[i].ref = strdup(ref)))
				rc = store_nomem(err);
		}
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(u->st, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK) {
		free_cols(ci, t->ncols);
		return rc;
	}
	*out = ci;
	return DL_OK;
}

static int unhex_blob(const char *hex, unsigned char **out, int *n)
{
	size_t len = strlen(hex);
	if (len % 2)
		return -1;
	*out = malloc(len / 2 + 1);
	if (!*out)
		return -2;   /* out of memory, not bad hex */
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = hex[2 * i + (size_t)k];
			v <<= 4;
			if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
			else { free(*out); *out = NULL; return -1; }
		}
		(*out)[i] = (unsigned char)v;
	}
	*n = (int)(len / 2);
	return 0;
}

/* The case's number here: the sender's, or "NUMBER_UNIT" when a case of that
 * number exists already (made here or received from another unit): the two
 * are kept apart, never merged. */
static dl_status local_number(unpack *u, const char *number, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(u->st,
		/* the latest bundle applied to it: what an incremental should build on */
		"SELECT (SELECT l.bundle_id FROM bundle_imports l WHERE l.case_id = b.case_id ORDER BY l.id DESC"
		" LIMIT 1), c.number FROM bundle_imports b JOIN cases c ON c.id = b.case_id"
		" WHERE b.fingerprint = ?1 AND b.origin_case_number = ?2 AND b.base_bundle_id IS NULL", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, u->o->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, number, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		dl_status rc = dl_err_set(err, DL_EEXIST, "file",
		                          _("case %s of this unit was imported already, as %s, from another bundle; "
		                            "ask the sender for an incremental bundle (export --since %s)"),
		                          number, (const char *)sqlite3_column_text(q, 1),
		                          (const char *)sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
		return rc;
	}
	sqlite3_finalize(q);
	q = store_prepare(u->st, "SELECT 1 FROM cases WHERE number = ?1", err);
	if (!q)
		return DL_EDB;
	snprintf(u->r->case_number, sizeof u->r->case_number, "%s", number);
	for (int round = 0; round < 2; round++) {
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, u->r->case_number, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_ROW) {
			sqlite3_finalize(q);
			return DL_OK;
		}
		char raw[200], ok[41];
		size_t nl = strlen(number);
		snprintf(raw, sizeof raw, "%s_%.*s", number, (int)(nl < 39 ? 39 - nl : 0), u->slug);
		if (val_case_number("case", raw, ok, NULL) != DL_OK)
			snprintf(ok, sizeof ok, "%.30s_%.8s", number, u->o->fingerprint);
		snprintf(u->r->case_number, sizeof u->r->case_number, "%s", ok);
		u->r->renumbered = 1;
	}
	sqlite3_finalize(q);
	return dl_err_set(err, DL_EEXIST, "file", _("cases %s and %s exist already: rename one first"), number,
	                  u->r->case_number);
}

/* A hash set the sender matched against: the local one of the same name and
 * entries when there is one (mapped, not copied); else inserted, named
 * "NAME_UNIT" when the name is taken by other entries. Returns the local id
 * to use (0: insert under *name). */
static long long hashset_local(unpack *u, const char *name, const char *entries_sha256, char *use,
                               size_t usesz, dl_err *err, dl_status *rc)
{
	sqlite3_stmt *q = store_prepare(u->st, "SELECT id, entries_sha256 IS ?2 FROM hashsets WHERE name = ?1", err);
	*rc = q ? DL_OK : DL_EDB;
	if (!q)
		return 0;
	for (int round = 0; round < 2; round++) {
		if (round == 0)
			snprintf(use, usesz, "%s", name);
		else
			snprintf(use, usesz, "%s_%s", name, u->slug);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, use, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, entries_sha256, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_ROW) {
			sqlite3_finalize(q);
			return 0;
		}
		if (sqlite3_column_int(q, 1)) {
			long long id = sqlite3_column_int64(q, 0);
			sqlite3_finalize(q);
			return id;
		}
	}
	sqlite3_finalize(q);
	*rc = dl_err_set(err, DL_EEXIST, "file", _("hash sets %s and %s exist with other entries: rename one first"),
	                 name, use);
	return 0;
}

/* Insert the rows of one table (rows_json: the manifest's array for it). */
static dl_status unpack_table(unpack *u, const char *table, const char *rows_json, dl_err *err)
{
	const store_table *t = store_table_find(u->st, table);
	if (!t)
		return dl_err_set(err, DL_EDB, "", _("the store has no table %s"), table);
	colinfo *ci;
	dl_status crc = table_cols(u, t, &ci, err);
	if (crc != DL_OK)
		return crc;
	sqlite3_value **val = calloc((size_t)t->ncols, sizeof *val);
	if (!val) {
		free_cols(ci, t->ncols);
		return store_nomem(err);
	}
	int idcol = -1;
	dl_buf sql = {0};
	/* table is one of unpack_tables (its caller checked); column names are
	 * this store's own, quoted as identifiers */
	buf_adds(&sql, "INSERT INTO ");
	store_add_ident(&sql, t->name);
	buf_adds(&sql, " (");
	int nbind = 0;
	for (int i = 0; i < t->ncols; i++) {
		if (!strcmp(t->cols[i], "id")) {
			idcol = i;
			continue;
		}
		if (nbind)
			buf_addc(&sql, ',');
		store_add_ident(&sql, t->cols[i]);
		nbind++;
	}
	buf_adds(&sql, ") VALUES (");
	for (int i = 0; i < nbind; i++)
		buf_adds(&sql, i ? ",?" : "?");
	buf_adds(&sql, ")");
	sqlite3_stmt *ins = (buf_failed(&sql) ? NULL : store_prepare(u->st, buf_str(&sql), err));
	sqlite3_stmt *rows = store_prepare(u->st, "SELECT value FROM json_each(?1)", err);
	sqlite3_stmt *fields = store_prepare(u->st, "SELECT key, atom, type FROM json_each(?1)", err);
	/* a statement cut short by a failed buffer (a DELETE without its WHERE)
	 * is never prepared: out of memory */
	int cut = buf_failed(&sql);
	buf_free(&sql);
	dl_status rc = ins && rows && fields && idcol >= 0 ? DL_OK : cut ? store_nomem(err) : DL_EDB;
	if (rc == DL_OK)
		sqlite3_bind_text(rows, 1, rows_json, -1, SQLITE_STATIC);
	char what[200];
	int step = SQLITE_DONE;
	while (rc == DL_OK && (step = sqlite3_step(rows)) == SQLITE_ROW) {
		for (int i = 0; i < t->ncols; i++) {
			sqlite3_value_free(val[i]);
			val[i] = NULL;
		}
		sqlite3_reset(fields);
		sqlite3_bind_value(fields, 1, sqlite3_column_value(rows, 0));
		while (rc == DL_OK && sqlite3_step(fields) == SQLITE_ROW) {
			const char *key = (const char *)sqlite3_column_text(fields, 0);
			const char *type = (const char *)sqlite3_column_text(fields, 2);
			int i = 0;
			while (i < t->ncols && (!key || strcmp(t->cols[i], key) != 0))
				i++;
			if (i == t->ncols || (type && (!strcmp(type, "object") || !strcmp(type, "array")))) {
				snprintf(what, sizeof what, _("%s: unknown column %s"), table, key ? key : "?");
				rc = bad_manifest(err, what);
				break;
			}
			sqlite3_value_free(val[i]);
			val[i] = sqlite3_value_dup(sqlite3_column_value(fields, 1));
		}
		if (rc != DL_OK)
			break;
		if (!val[idcol] || sqlite3_value_type(val[idcol]) != SQLITE_INTEGER) {
			snprintf(what, sizeof what, _("%s: a row without an id"), table);
			rc = bad_manifest(err, what);
			break;
		}
		long long remote_id = sqlite3_value_int64(val[idcol]);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		int b = 0;
		long long existing = 0;
		char hsname[600];
		for (int i = 0; i < t->ncols && rc == DL_OK; i++) {
			if (i == idcol)
				continue;
			b++;
			sqlite3_value *v = val[i];
			const char *col = t->cols[i];
			int vt = v ? sqlite3_value_type(v) : SQLITE_NULL;
			if (vt == SQLITE_NULL) {
				sqlite3_bind_null(ins, b);
				continue;
			}
			const char *ref = ci[i].ref;
			if (!strcmp(table, "custody_events") && !strcmp(col, "subject_id")) {
				int k = 0;
				while (k < t->ncols && strcmp(t->cols[k], "subject_kind") != 0)
					k++;
				const char *kind = k < t->ncols && val[k] ? (const char *)sqlite3_value_text(val[k]) : "";
				ref = !strcmp(kind, "device") ? "devices" : !strcmp(kind, "source") ? "evidence_sources"
				    : !strcmp(kind, "item") ? "evidence_items" : NULL;
				if (!ref) {
					snprintf(what, sizeof what, _("custody_events %lld: unknown subject"), remote_id);
					rc = bad_manifest(err, what);
					break;
				}
			}
			if (ref) {
				if (vt != SQLITE_INTEGER) {
					snprintf(what, sizeof what, _("%s %lld: %s is not an id"), table, remote_id, col);
					rc = bad_manifest(err, what);
					break;
				}
				long long rid = sqlite3_value_int64(v);
				long long lid = !strcmp(ref, "users") ? user_local(u, rid) : map_get(u, ref, rid);
				if (!lid) {
					snprintf(what, sizeof what, _("%s %lld: %s names %s %lld, which the bundle does not carry"),
					         table, remote_id, col, ref, rid);
					rc = bad_manifest(err, what);
					break;
				}
				sqlite3_bind_int64(ins, b, lid);
				continue;
			}
			if (!strcmp(table, "cases") && !strcmp(col, "number")) {
				const char *num = (const char *)sqlite3_value_text(v);
				if (strcmp(num, u->origin_number) != 0) {
					rc = bad_manifest(err, _("the case row has another number than the manifest"));
					break;
				}
				if ((rc = local_number(u, num, err)) != DL_OK)
					break;
				sqlite3_bind_text(ins, b, u->r->case_number, -1, SQLITE_TRANSIENT);
				continue;
			}
			if (!strcmp(table, "hashsets") && !strcmp(col, "name")) {
				int k = 0;
				while (k < t->ncols && strcmp(t->cols[k], "entries_sha256") != 0)
					k++;
				const char *es = k < t->ncols && val[k] ? (const char *)sqlite3_value_text(val[k]) : NULL;
				existing = hashset_local(u, (const char *)sqlite3_value_text(v), es, hsname, sizeof hsname,
				                         err, &rc);
				sqlite3_bind_text(ins, b, hsname, -1, SQLITE_TRANSIENT);
				continue;
			}
			if (ci[i].blob && vt == SQLITE_TEXT && !strncmp((const char *)sqlite3_value_text(v), "hex:", 4)) {
				unsigned char *bl;
				int n;
				int hx = unhex_blob((const char *)sqlite3_value_text(v) + 4, &bl, &n);
				if (hx == -2) {
					rc = store_nomem(err);
					break;
				}
				if (hx != 0) {
					snprintf(what, sizeof what, _("%s %lld: %s is not hexadecimal"), table, remote_id, col);
					rc = bad_manifest(err, what);
					break;
				}
				sqlite3_bind_blob(ins, b, bl, n, free);
				continue;
			}
			sqlite3_bind_value(ins, b, v);
		}
		if (rc != DL_OK)
			break;
		long long local_id = existing;
		if (existing) {
			u->r->mapped++;
		} else {
			if ((rc = store_step_done(u->st, ins, err, "manifest")) != DL_OK)
				break;
			local_id = sqlite3_last_insert_rowid(u->st->db);
			u->r->records++;
		}
		if (!strcmp(table, "cases")) {
			if (u->case_id) {
				rc = bad_manifest(err, _("more than one case"));
				break;
			}
			u->case_id = u->r->case_id = local_id;
		}
		rc = map_put(u, table, remote_id, local_id, err);
	}
	if (rc == DL_OK && step != SQLITE_DONE && step != SQLITE_ROW) {
		snprintf(what, sizeof what, _("%s: not valid JSON"), table);
		rc = bad_manifest(err, what);
	}
	for (int i = 0; i < t->ncols; i++)
		sqlite3_value_free(val[i]);
	free(val);
	free_cols(ci, t->ncols);
	sqlite3_finalize(ins);
	sqlite3_finalize(rows);
	sqlite3_finalize(fields);
	return rc;
}

/* ------------------------------------------------------------ incremental */

static void conflict(dl_unpack_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void conflict(dl_unpack_result *r, const char *fmt, ...)
{
	/* lost memory is noted: unpack_case fails with DL_ENOMEM rather than
	 * apply changes with a conflict unrecorded */
	char *p = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&p, fmt, ap);
	va_end(ap);
	char **v = n < 0 ? NULL : realloc(r->conflicts, (r->nconflicts + 1) * sizeof *v);
	if (!v) {
		if (n >= 0)
			free(p);
		store_oom_note();
		return;
	}
	r->conflicts = v;
	v[r->nconflicts++] = p;
}

/* The sender's value of col as this store holds it: references mapped.
 * Returns a new value (NULL when the reference does not resolve here). */
static sqlite3_value *local_value(unpack *u, const store_table *t, const colinfo *ci, int i,
                                  sqlite3_value *v, const char *subject_kind)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return sqlite3_value_dup(v);
	const char *ref = ci[i].ref;
	if (!strcmp(t->name, "custody_events") && !strcmp(t->cols[i], "subject_id"))
		ref = !subject_kind ? NULL : !strcmp(subject_kind, "device") ? "devices"
		    : !strcmp(subject_kind, "source") ? "evidence_sources" : "evidence_items";
	if (!strcmp(t->name, "cases") && !strcmp(t->cols[i], "number") && u->origin_number &&
	    !strcmp((const char *)sqlite3_value_text(v), u->origin_number)) {
		sqlite3_stmt *q = NULL;
		sqlite3_prepare_v2(u->st->db, "SELECT ?1", -1, &q, NULL);
		sqlite3_bind_text(q, 1, u->r->case_number, -1, SQLITE_TRANSIENT);
		sqlite3_step(q);
		sqlite3_value *out = sqlite3_value_dup(sqlite3_column_value(q, 0));
		sqlite3_finalize(q);
		return out;
	}
	if (!ref)
		return sqlite3_value_dup(v);
	long long rid = sqlite3_value_int64(v);
	long long lid = !strcmp(ref, "users") ? user_local(u, rid) : map_get(u, ref, rid);
	if (!lid)
		return NULL;
	sqlite3_stmt *q = NULL;
	sqlite3_prepare_v2(u->st->db, "SELECT ?1", -1, &q, NULL);
	sqlite3_bind_int64(q, 1, lid);
	sqlite3_step(q);
	sqlite3_value *out = sqlite3_value_dup(sqlite3_column_value(q, 0));
	sqlite3_finalize(q);
	return out;
}

/* The columns of a JSON object (a row, or its old values) by table column:
 * vals[i] set (dup'd) for the keys present. -1 on an unknown key. */
static int json_cols(unpack *u, const store_table *t, const char *json, sqlite3_value **vals)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(u->st->db, "SELECT key, atom FROM json_each(?1)", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, json, -1, SQLITE_STATIC);
	int rc = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0);
		int i = 0;
		while (i < t->ncols && (!key || strcmp(t->cols[i], key) != 0))
			i++;
		if (i == t->ncols) {
			rc = -1;
			break;
		}
		sqlite3_value_free(vals[i]);
		vals[i] = sqlite3_value_dup(sqlite3_column_value(q, 1));
	}
	sqlite3_finalize(q);
	return rc;
}

/* Apply one update or delete of the sender to local row lid, unless a column
 * it names is not as the sender had it (edited here since): then a conflict. */
static dl_status apply_change(unpack *u, const char *action, const char *table, long long remote_id,
                              const char *row, const char *old, dl_err *err)
{
	const store_table *t = store_table_find(u->st, table);
	if (!t)
		return bad_manifest(err, table);
	long long lid = map_get(u, table, remote_id);
	if (!lid) {
		conflict(u->r, _("%s (the sender's %lld): not in this store (deleted here?)"), table, remote_id);
		return DL_OK;
	}
	colinfo *ci;
	dl_status rc = table_cols(u, t, &ci, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_value **ov = calloc((size_t)t->ncols, sizeof *ov), **nv = calloc((size_t)t->ncols, sizeof *nv);
	if (!ov || !nv) {
		free(ov);
		free(nv);
		free_cols(ci, t->ncols);
		return store_nomem(err);
	}
	if (!old || json_cols(u, t, old, ov) != 0 || (row && json_cols(u, t, row, nv) != 0))
		rc = bad_manifest(err, table);
	int kind_col = -1;
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], "subject_kind"))
			kind_col = i;
	const char *kind_old = kind_col >= 0 && ov[kind_col] ? (const char *)sqlite3_value_text(ov[kind_col]) : NULL;
	const char *kind_new = kind_col >= 0 && nv[kind_col] ? (const char *)sqlite3_value_text(nv[kind_col]) : kind_old;
	dl_buf cols = {0}, sql = {0};
	/* each column the change names must still be as the sender had it;
	 * updated_at aside: bookkeeping that any local edit moves (assigning
	 * an investigator here would otherwise block every later change) */
	for (int i = 0; rc == DL_OK && i < t->ncols; i++) {
		if (!ov[i] || !strcmp(t->cols[i], "id") || !strcmp(t->cols[i], "updated_at"))
			continue;
		sqlite3_value *want = local_value(u, t, ci, i, ov[i], kind_old);
		buf_reset(&sql);
		buf_adds(&sql, "SELECT ");
		store_add_ident(&sql, t->cols[i]);
		buf_adds(&sql, " IS ?1 FROM ");
		store_add_ident(&sql, t->name);
		buf_adds(&sql, " WHERE id = ?2");
		sqlite3_stmt *q = (buf_failed(&sql) ? NULL : store_prepare(u->st, buf_str(&sql), err));
		if (!q) {
			sqlite3_value_free(want);
			rc = buf_failed(&sql) ? store_nomem(err) : DL_EDB;
			break;
		}
		if (want)
			sqlite3_bind_value(q, 1, want);
		sqlite3_bind_int64(q, 2, lid);
		int same = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) && want;
		sqlite3_finalize(q);
		sqlite3_value_free(want);
		if (!same)
			buf_addf(&cols, "%s%s", cols.len ? ", " : "", t->cols[i]);
	}
	if (rc == DL_OK && cols.len) {
		conflict(u->r, _("%s %lld (the sender's %lld): changed here since: %s"), table, lid, remote_id,
		         buf_str(&cols));
	} else if (rc == DL_OK && !strcmp(action, "delete")) {
		buf_reset(&sql);
		buf_adds(&sql, "DELETE FROM ");
		store_add_ident(&sql, t->name);
		buf_adds(&sql, " WHERE id = ?1");
		sqlite3_stmt *q = (buf_failed(&sql) ? NULL : store_prepare(u->st, buf_str(&sql), err));
		if (!q) {
			rc = buf_failed(&sql) ? store_nomem(err) : DL_EDB;
		} else {
			sqlite3_bind_int64(q, 1, lid);
			rc = store_step_done(u->st, q, err, "manifest");
			sqlite3_finalize(q);
		}
		u->r->records++;
	} else if (rc == DL_OK) {
		/* the columns the sender changed, set to their new values */
		for (int i = 0; rc == DL_OK && i < t->ncols; i++) {
			if (!ov[i] || !strcmp(t->cols[i], "id"))
				continue;
			if (!nv[i]) {
				rc = bad_manifest(err, table);
				break;
			}
			sqlite3_value *val = local_value(u, t, ci, i, nv[i], kind_new);
			if (!val) {
				conflict(u->r, _("%s %lld (the sender's %lld): %s names a row this store does not have"), table,
				         lid, remote_id, t->cols[i]);
				continue;
			}
			buf_reset(&sql);
			buf_adds(&sql, "UPDATE ");
			store_add_ident(&sql, t->name);
			buf_adds(&sql, " SET ");
			store_add_ident(&sql, t->cols[i]);
			buf_adds(&sql, " = ?1 WHERE id = ?2");
			sqlite3_stmt *q = (buf_failed(&sql) ? NULL : store_prepare(u->st, buf_str(&sql), err));
			if (!q) {
				sqlite3_value_free(val);
				rc = buf_failed(&sql) ? store_nomem(err) : DL_EDB;
				break;
			}
			sqlite3_bind_value(q, 1, val);
			sqlite3_bind_int64(q, 2, lid);
			rc = store_step_done(u->st, q, err, "manifest");
			sqlite3_finalize(q);
			sqlite3_value_free(val);
		}
		u->r->records++;
	}
	for (int i = 0; i < t->ncols; i++) {
		sqlite3_value_free(ov[i]);
		sqlite3_value_free(nv[i]);
	}
	free(ov);
	free(nv);
	buf_free(&cols);
	buf_free(&sql);
	free_cols(ci, t->ncols);
	return rc;
}

/* An incremental bundle: its changes applied to the case its base became, in
 * the order the sender made them. Every conflict is collected; the caller
 * rolls the whole bundle back when there is any (nothing half-applied). */
static dl_status unpack_changes(unpack *u, const char *changes, dl_err *err)
{
	if (!changes)
		return bad_manifest(err, _("an incremental bundle without changes"));
	sqlite3_stmt *q = store_prepare(u->st,
		"SELECT json_extract(value, '$.action'), json_extract(value, '$.table'), json_extract(value, '$.id'),"
		" json_extract(value, '$.row'), json_extract(value, '$.old') FROM json_each(?1)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, changes, -1, SQLITE_STATIC);
	dl_status rc = DL_OK;
	int step;
	while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(q, 0);
		const char *table = (const char *)sqlite3_column_text(q, 1);
		const char *row = (const char *)sqlite3_column_text(q, 3);
		const char *old = (const char *)sqlite3_column_text(q, 4);
		size_t i = 0;
		while (unpack_tables[i] && (!table || strcmp(unpack_tables[i], table) != 0))
			i++;
		if (!action || !unpack_tables[i] || sqlite3_column_type(q, 2) != SQLITE_INTEGER) {
			rc = bad_manifest(err, _("a change of an unknown table"));
			break;
		}
		long long rid = sqlite3_column_int64(q, 2);
		if (!strcmp(action, "insert")) {
			if (!row || !strcmp(table, "cases")) {
				rc = bad_manifest(err, _("an insert without its row"));
				break;
			}
			if (map_get(u, table, rid))
				continue;   /* this store has it already */
			dl_buf one = {0};
			buf_addf(&one, "[%s]", row);
			rc = unpack_table(u, table, buf_str(&one), err);
			buf_free(&one);
			/* a new row naming one this store no longer has (deleted here):
			 * a conflict like any other, listed with the rest */
			if (rc == DL_EINVAL) {
				conflict(u->r, "%s", err->msg);
				rc = DL_OK;
			}
		} else if (!strcmp(action, "update") || !strcmp(action, "delete")) {
			if (!strcmp(action, "delete") && !strcmp(table, "cases")) {
				conflict(u->r, _("the sender deleted the case: not applied here"));
				continue;
			}
			rc = apply_change(u, action, table, rid, row, old, err);
		} else {
			rc = bad_manifest(err, _("a change of an unknown kind"));
		}
	}
	sqlite3_finalize(q);
	return rc;
}

/* A "received" custody event for each exhibit (device, source) of the case:
 * the hand-over from the sending unit to this one is part of its chain. */
static dl_status unpack_received(unpack *u, long long after_map_id, dl_err *err)
{
	char here[256] = "";
	settings_get(u->st, "unit_name_en", here, sizeof here, NULL);
	if (!here[0])
		settings_get(u->st, "unit_name_ar", here, sizeof here, NULL);
	char reason[256];
	snprintf(reason, sizeof reason, _("received in a signed bundle, id %.16s…"), u->o->bundle_id);
	const char *from = u->o->unit_name_en && *u->o->unit_name_en ? u->o->unit_name_en
	                 : u->o->unit_name_ar && *u->o->unit_name_ar ? u->o->unit_name_ar : u->o->unit_name;
	sqlite3_stmt *q = store_prepare(u->st,
		"INSERT INTO custody_events (case_id, subject_kind, subject_id, event, from_party, to_party, at,"
		" reason, recorded_by, recorded_at)"
		" SELECT ?1, CASE tbl WHEN 'devices' THEN 'device' ELSE 'source' END, local_id, 'received', ?2, ?3,"
		" ?4, ?5, ?6, ?4 FROM bundle_rows WHERE case_id = ?1 AND tbl IN ('devices', 'evidence_sources')"
		" AND id > ?7"
		" ORDER BY tbl, remote_id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, u->case_id);
	sqlite3_bind_text(q, 2, from, -1, SQLITE_STATIC);
	store_bind_text(q, 3, here);
	sqlite3_bind_text(q, 4, u->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, reason, -1, SQLITE_STATIC);
	store_bind_id(q, 6, u->s->user_id);
	sqlite3_bind_int64(q, 7, after_map_id);
	dl_status rc = store_step_done(u->st, q, err, "");
	u->r->received = sqlite3_changes(u->st->db);
	sqlite3_finalize(q);
	return rc;
}

static dl_status unpack_provenance(unpack *u, const char *base, const char *audit_json, long long nrecords,
                                   dl_err *err)
{
	sqlite3_stmt *q = store_prepare(u->st,
		"INSERT INTO bundle_imports (bundle_id, case_id, origin_case_number, unit_name, unit_name_ar,"
		" unit_name_en, fingerprint, sent_at, sent_by, file_sha256, records, objects, imported_by,"
		" imported_at, base_bundle_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", err);
	if (!q)
		return DL_EDB;
	const dl_unpack_origin *o = u->o;
	sqlite3_bind_text(q, 1, o->bundle_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, u->case_id);
	sqlite3_bind_text(q, 3, u->origin_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, o->unit_name, -1, SQLITE_STATIC);
	store_bind_text(q, 5, o->unit_name_ar);
	store_bind_text(q, 6, o->unit_name_en);
	sqlite3_bind_text(q, 7, o->fingerprint, -1, SQLITE_STATIC);
	store_bind_text(q, 8, o->sent_at);
	store_bind_text(q, 9, o->sent_by);
	store_bind_text(q, 10, o->file_sha256);
	sqlite3_bind_int64(q, 11, nrecords);
	sqlite3_bind_int64(q, 12, o->objects);
	store_bind_id(q, 13, u->s->user_id);
	sqlite3_bind_text(q, 14, u->now, -1, SQLITE_STATIC);
	store_bind_text(q, 15, base);
	dl_status rc = store_step_done(u->st, q, err, "file");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	u->r->import_id = sqlite3_last_insert_rowid(u->st->db);
	if (!audit_json)
		return DL_OK;
	/* the sender's entries as they were, hashes included: readable, checkable
	 * against the sender's chain, and no part of this store's chain */
	q = store_prepare(u->st,
		"INSERT INTO received_audit (import_id, remote_id, at, username, action, entity, entity_id, row,"
		" data, prev_hash, hash) SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.at'),"
		" json_extract(value, '$.username'), json_extract(value, '$.action'),"
		" json_extract(value, '$.entity'), json_extract(value, '$.entity_id'),"
		" json_extract(value, '$.row'), json_extract(value, '$.data'),"
		" json_extract(value, '$.prev_hash'), json_extract(value, '$.hash') FROM json_each(?2)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, u->r->import_id);
	sqlite3_bind_text(q, 2, audit_json, -1, SQLITE_STATIC);
	rc = store_step_done(u->st, q, err, "manifest");
	u->r->audit = sqlite3_changes(u->st->db);
	sqlite3_finalize(q);
	return rc;
}

dl_status unpack_case(dl_session *s, const char *manifest, size_t len, const dl_unpack_origin *o,
                      dl_unpack_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	unpack u = {.s = s, .st = s->store, .o = o, .r = r};
	store_now(u.now);
	/* the unit as a suffix case numbers and usernames accept: its ASCII
	 * letters and digits, other runs as one '-'; the key's fingerprint when
	 * its name has none ("Tripoli TIP" -> "Tripoli-TIP") */
	size_t k = 0;
	for (const char *p = o->unit_name; *p && k + 1 < 24; p++) {
		if (isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
			u.slug[k++] = *p;
		else if (k && u.slug[k - 1] != '-')
			u.slug[k++] = '-';
	}
	while (k && u.slug[k - 1] == '-')
		k--;
	u.slug[k] = '\0';
	if (!k)
		snprintf(u.slug, sizeof u.slug, "%.8s", o->fingerprint);

	/* lost memory anywhere below fails the import (store_oom_check) */
	unsigned long mark = store_oom_mark();
	/* the top level, parsed once: each value comes back as its own text */
	sqlite3_stmt *top = store_prepare(u.st, "SELECT key, value FROM json_each(?1)", err);
	if (!top)
		return DL_EDB;
	sqlite3_bind_text(top, 1, manifest, (int)len, SQLITE_STATIC);
	char *users = NULL, *records = NULL, *audit = NULL, *number = NULL, *objects = NULL, *base = NULL,
	     *changes = NULL;
	int step;
	while ((step = sqlite3_step(top)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(top, 0);
		char **slot = !key ? NULL : !strcmp(key, "users") ? &users : !strcmp(key, "records") ? &records
		            : !strcmp(key, "audit") ? &audit : !strcmp(key, "case_number") ? &number
		            : !strcmp(key, "objects") ? &objects : !strcmp(key, "base_bundle_id") ? &base
		            : !strcmp(key, "changes") ? &changes : NULL;
		if (slot && !*slot && sqlite3_column_text(top, 1))
			*slot = xdup((const char *)sqlite3_column_text(top, 1));
	}
	sqlite3_finalize(top);
	dl_status rc = DL_OK;
	if (step != SQLITE_DONE)
		rc = step_failed(&u, err, _("no records or case number"));
	else if (store_oom_check(mark, err) != DL_OK)
		rc = DL_ENOMEM;
	else if (!records || !number)
		rc = bad_manifest(err, _("no records or case number"));
	u.origin_number = number;
	char **arrays = calloc(sizeof unpack_tables / sizeof unpack_tables[0], sizeof *arrays);
	if (!arrays && rc == DL_OK)
		rc = store_nomem(err);
	sqlite3_stmt *tabs = NULL;
	if (rc == DL_OK) {
		u.map_get = store_prepare(u.st, "SELECT local_id FROM bundle_rows WHERE case_id = ?1 AND tbl = ?2"
		                                " AND remote_id = ?3", err);
		u.map_put = store_prepare(u.st, "INSERT INTO bundle_rows (case_id, tbl, remote_id, local_id)"
		                                " VALUES (?1, ?2, ?3, ?4)", err);
		if (!u.map_get || !u.map_put)
			rc = DL_EDB;
	}
	if (rc == DL_OK)
		rc = unpack_objects(&u, objects, err);
	if (rc == DL_OK && base) {
		/* incremental: onto the case its base bundle became, from the same unit */
		sqlite3_stmt *q = store_prepare(u.st,
			"SELECT b.case_id, c.number FROM bundle_imports b JOIN cases c ON c.id = b.case_id"
			" WHERE b.bundle_id = ?1 AND b.fingerprint = ?2", err);
		if (!q) {
			rc = DL_EDB;
		} else {
			sqlite3_bind_text(q, 1, base, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 2, o->fingerprint, -1, SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW) {
				u.case_id = r->case_id = sqlite3_column_int64(q, 0);
				snprintf(r->case_number, sizeof r->case_number, "%s", (const char *)sqlite3_column_text(q, 1));
			} else {
				rc = dl_err_set(err, DL_ENOTFOUND, "file",
				                _("this incremental bundle builds on bundle %s, which was not imported here "
				                  "from that unit: import it first"), base);
			}
			sqlite3_finalize(q);
		}
		r->incremental = 1;
	}
	long long map_mark = 0;
	if (rc == DL_OK && base) {
		sqlite3_stmt *q = store_prepare(u.st, "SELECT coalesce(max(id), 0) FROM bundle_rows", err);
		if (q && sqlite3_step(q) == SQLITE_ROW)
			map_mark = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (rc == DL_OK)
		rc = unpack_users(&u, users, err);
	if (rc == DL_OK && base) {
		rc = unpack_changes(&u, changes, err);
		if (rc == DL_OK && r->nconflicts)
			rc = dl_err_set(err, DL_ECONFLICT, "file",
			                P_("%zu change conflicts with work done here: nothing applied",
			                   "%zu changes conflict with work done here: nothing applied", r->nconflicts),
			                r->nconflicts);
		if (rc == DL_OK)
			rc = unpack_received(&u, map_mark, err);
		if (rc == DL_OK)
			rc = unpack_provenance(&u, base, audit, r->records, err);
		goto event;
	}
	/* the manifest's tables: each one known, none twice */
	tabs = rc == DL_OK ? store_prepare(u.st, "SELECT key, value FROM json_each(?1)", err) : NULL;
	if (rc == DL_OK && !tabs)
		rc = DL_EDB;
	if (rc == DL_OK) {
		sqlite3_bind_text(tabs, 1, records, -1, SQLITE_STATIC);
		while (rc == DL_OK && (step = sqlite3_step(tabs)) == SQLITE_ROW) {
			const char *key = (const char *)sqlite3_column_text(tabs, 0);
			size_t i = 0;
			while (unpack_tables[i] && (!key || strcmp(unpack_tables[i], key) != 0))
				i++;
			if (!unpack_tables[i] || arrays[i]) {
				char what[160];
				snprintf(what, sizeof what, _("unknown or repeated table %s"), key ? key : "?");
				rc = bad_manifest(err, what);
				break;
			}
			arrays[i] = xdup((const char *)sqlite3_column_text(tabs, 1));
		}
		if (rc == DL_OK && step != SQLITE_DONE)
			rc = step_failed(&u, err, _("the records are not valid JSON"));
		if (rc == DL_OK && store_oom_check(mark, err) != DL_OK)
			rc = DL_ENOMEM;
	}
	sqlite3_finalize(tabs);
	if (rc == DL_OK && !arrays[0])
		rc = bad_manifest(err, _("no case"));
	for (size_t i = 0; rc == DL_OK && unpack_tables[i]; i++)
		if (arrays[i])
			rc = unpack_table(&u, unpack_tables[i], arrays[i], err);
	if (rc == DL_OK && !u.case_id)
		rc = bad_manifest(err, _("no case"));
	if (rc == DL_OK)
		rc = unpack_received(&u, 0, err);
	if (rc == DL_OK)
		rc = unpack_provenance(&u, NULL, audit, r->records + r->mapped, err);
event:
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc == DL_OK) {
		dl_buf d = {0};
		buf_adds(&d, "{\"bundle_id\":");
		json_add_string(&d, o->bundle_id);
		buf_adds(&d, ",\"unit\":");
		json_add_string(&d, o->unit_name);
		buf_adds(&d, ",\"fingerprint\":");
		json_add_string(&d, o->fingerprint);
		if (base) {
			buf_adds(&d, ",\"base_bundle_id\":");
			json_add_string(&d, base);
		}
		buf_adds(&d, ",\"origin_case_number\":");
		json_add_string(&d, number);
		buf_adds(&d, ",\"file_sha256\":");
		json_add_string(&d, o->file_sha256 ? o->file_sha256 : "");
		buf_addf(&d, ",\"records\":%lld,\"objects\":%lld,\"audit_entries\":%lld}", r->records, o->objects,
		         r->audit);
		audit_event(u.st, "bundle_import", "cases", u.case_id, buf_str(&d));
		buf_free(&d);
	}
	for (size_t i = 0; arrays && unpack_tables[i]; i++)
		free(arrays[i]);
	free(arrays);
	free(users);
	free(records);
	free(audit);
	free(number);
	free(objects);
	free(base);
	free(changes);
	free_unpack(&u);
	if (rc != DL_OK)
		pack_objects_free(&r->objects);   /* the conflicts stay, for the caller to show */
	return rc;
}

dl_status unpack_list(dl_session *s, const char *case_number, dl_received_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	dl_status rc = perm_supervise(s, err);
	if (rc != DL_OK)
		return rc;
	char number[41];
	if (case_number && (rc = val_case_number("case", case_number, number, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT b.id, b.bundle_id, b.base_bundle_id, c.number, b.origin_case_number, b.unit_name,"
		" b.fingerprint, b.sent_at, b.sent_by, u.username, b.imported_at, b.records, b.objects,"
		" (SELECT count(*) FROM received_audit r WHERE r.import_id = b.id)"
		" FROM bundle_imports b JOIN cases c ON c.id = b.case_id LEFT JOIN users u ON u.id = b.imported_by"
		" WHERE ?1 IS NULL OR c.number = ?1 ORDER BY b.id", err);
	if (!q)
		return DL_EDB;
	store_bind_text(q, 1, case_number ? number : NULL);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		dl_received *v = realloc(out->v, (out->n + 1) * sizeof *v);
		if (!v) {
			step = SQLITE_NOMEM;   /* ours: reported below */
			break;
		}
		out->v = v;
		dl_received *e = &v[out->n++];
		e->id = sqlite3_column_int64(q, 0);
		e->bundle_id = store_col_dup(q, 1);
		e->base_bundle_id = store_col_dup(q, 2);
		e->case_number = store_col_dup(q, 3);
		e->origin_case_number = store_col_dup(q, 4);
		e->unit_name = store_col_dup(q, 5);
		e->fingerprint = store_col_dup(q, 6);
		e->sent_at = store_col_dup(q, 7);
		e->sent_by = store_col_dup(q, 8);
		e->imported_by = store_col_dup(q, 9);
		e->imported_at = store_col_dup(q, 10);
		e->records = sqlite3_column_int64(q, 11);
		e->objects = sqlite3_column_int64(q, 12);
		e->audit = sqlite3_column_int64(q, 13);
	}
	rc = step == SQLITE_DONE ? DL_OK : step == SQLITE_NOMEM ? store_nomem(err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		unpack_list_free(out);
	return rc;
}

void unpack_list_free(dl_received_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		dl_received *e = &l->v[i];
		free(e->bundle_id);
		free(e->base_bundle_id);
		free(e->case_number);
		free(e->origin_case_number);
		free(e->unit_name);
		free(e->fingerprint);
		free(e->sent_at);
		free(e->sent_by);
		free(e->imported_by);
		free(e->imported_at);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
