/* evidence.c — see evidence.h. */
#include "evidence.h"
#include "case.h"
#include "hashset.h"
#include "i18n.h"
#include "json.h"
#include "store_priv.h"
#include "validate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const evidence_tag_names[] = {"relevant", "irrelevant", "privileged", "review", NULL};

/* ---- sources ---- */

/* The case a source goes into (one the session may change), and its device,
 * when one is named, must be of that case. */
static dl_status source_case(dl_session *s, const char *case_number, const dl_source_input *in,
                             long long *case_id, dl_err *err)
{
	dl_status rc = case_resolve(s, case_number, 1, case_id, err);
	if (rc != DL_OK || in->device_id <= 0)
		return rc;
	long long dcase;
	if ((rc = store_case_of(s->store, "devices", in->device_id, &dcase, err)) != DL_OK)
		return rc;
	if (dcase != *case_id)
		return dl_err_set(err, DL_EINVAL, "device", _("no device %lld in case %s"), in->device_id,
		                  case_number);
	return DL_OK;
}

dl_status evidence_source_complete(dl_session *s, const char *case_number,
                                   const dl_source_input *in, long long *source_id,
                                   char sha256[65], long long *items, dl_err *err)
{
	*source_id = 0;
	sha256[0] = '\0';
	*items = 0;
	long long case_id;
	dl_status rc = source_case(s, case_number, in, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if (!strcmp(in->kind, "folder"))
		return DL_OK;
	/* the same device, keeping and dalil: another device, --in-place or a newer
	 * dalil (which may read the file differently) makes a new source */
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT id, sha256, item_count FROM evidence_sources WHERE case_id = ?1 AND original_path = ?2"
		" AND kind = ?3 AND size = ?4 AND status = 'complete' AND sha256 IS NOT NULL"
		" AND device_id IS ?5 AND in_place = ?6 AND tool_version IS ?7 ORDER BY id DESC LIMIT 1", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_text(q, 2, in->original_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, in->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, in->size);
	store_bind_id(q, 5, in->device_id);
	sqlite3_bind_int(q, 6, in->in_place ? 1 : 0);
	store_bind_text(q, 7, in->tool_version);
	int step = sqlite3_step(q);
	const char *h = step == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 1) : NULL;
	if (step == SQLITE_ROW && !h) {   /* not NULL in the query: out of memory */
		rc = store_nomem(err);
	} else if (step == SQLITE_ROW) {
		*source_id = sqlite3_column_int64(q, 0);
		snprintf(sha256, 65, "%s", h);
		*items = sqlite3_column_int64(q, 2);
	} else if (step != SQLITE_DONE) {
		rc = store_sqlerr(s->store, err, "");
	}
	sqlite3_finalize(q);
	return rc;
}

dl_status evidence_source_begin(dl_session *s, const char *case_number,
                                const dl_source_input *in, long long *source_id,
                                long long *case_id, int *resumed, dl_err *err)
{
	dl_status rc = source_case(s, case_number, in, case_id, err);
	if (rc != DL_OK)
		return rc;
	*resumed = 0;
	*source_id = 0;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT id FROM evidence_sources WHERE case_id = ?1 AND original_path = ?2 AND kind = ?4"
		/* a folder's size is what was read when it stopped */
		" AND (kind = 'folder' OR size = ?3)"
		" AND status = 'interrupted' ORDER BY id DESC LIMIT 1", err);
	if (!q) {
		store_rollback(s->store);
		return DL_EDB;
	}
	sqlite3_bind_int64(q, 1, *case_id);
	sqlite3_bind_text(q, 2, in->original_path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, in->size);
	sqlite3_bind_text(q, 4, in->kind, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		*source_id = sqlite3_column_int64(q, 0);
		*resumed = 1;
	}
	sqlite3_finalize(q);
	if (!*resumed) {
		char now[21];
		store_now(now);
		q = store_prepare(s->store,
			"INSERT INTO evidence_sources (case_id, device_id, kind, original_path, in_place, size,"
			" expected_sha256, tool, tool_version, libraries, status, ingested_by, ingested_at)"
			" VALUES (?,?,?,?,?,?,?,'dalil',?,?,'interrupted',?,?)", err);
		if (!q) {
			store_rollback(s->store);
			return DL_EDB;
		}
		sqlite3_bind_int64(q, 1, *case_id);
		store_bind_id(q, 2, in->device_id);
		sqlite3_bind_text(q, 3, in->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, in->original_path, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 5, in->in_place ? 1 : 0);
		sqlite3_bind_int64(q, 6, in->size);
		store_bind_text(q, 7, in->expected_sha256);
		store_bind_text(q, 8, in->tool_version);
		store_bind_text(q, 9, in->libraries);
		sqlite3_bind_int64(q, 10, s->user_id);
		sqlite3_bind_text(q, 11, now, -1, SQLITE_STATIC);
		rc = store_step_done(s->store, q, err, "source");
		sqlite3_finalize(q);
		*source_id = sqlite3_last_insert_rowid(s->store->db);
		if (rc != DL_OK) {
			store_rollback(s->store);
			return rc;
		}
	}
	return store_commit(s->store, err);
}

dl_status evidence_source_finish(dl_session *s, long long source_id,
                                 const dl_source_result *r, dl_err *err)
{
	dl_status rc = session_begin(s, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"UPDATE evidence_sources SET md5 = ?1, sha1 = ?2, sha256 = ?3, size = ?4, status = ?5,"
		" status_reason = ?6, bytes_total = ?8,"
		" item_count = (SELECT count(*) FROM evidence_items WHERE source_id = ?9),"
		" expected_match = CASE WHEN expected_sha256 IS NULL THEN NULL ELSE expected_sha256 = ?3 END"
		" WHERE id = ?9 RETURNING case_id", err);
	long long case_id = 0;
	if (q) {
		store_bind_text(q, 1, r->md5);
		store_bind_text(q, 2, r->sha1);
		store_bind_text(q, 3, r->sha256);
		sqlite3_bind_int64(q, 4, r->size);
		sqlite3_bind_text(q, 5, r->status, -1, SQLITE_STATIC);
		store_bind_text(q, 6, r->reason);
		sqlite3_bind_int64(q, 7, r->item_count);
		sqlite3_bind_int64(q, 8, r->bytes_total);
		sqlite3_bind_int64(q, 9, source_id);
		if (sqlite3_step(q) == SQLITE_ROW)
			case_id = sqlite3_column_int64(q, 0);
		else
			rc = store_sqlerr(s->store, err, "source");
		sqlite3_finalize(q);
	} else {
		rc = DL_EDB;
	}
	if (rc == DL_OK) {
		char now[21];
		store_now(now);
		q = store_prepare(s->store,
			"INSERT INTO custody_events (case_id, subject_kind, subject_id, event, to_party, at,"
			" reason, recorded_by, recorded_at) VALUES (?, 'source', ?, 'ingested', ?, ?, ?, ?, ?)", err);
		if (q) {
			char reason[160];
			snprintf(reason, sizeof reason, "dalil ingest: %s", r->status);
			sqlite3_bind_int64(q, 1, case_id);
			sqlite3_bind_int64(q, 2, source_id);
			sqlite3_bind_text(q, 3, s->username, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 5, reason, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(q, 6, s->user_id);
			sqlite3_bind_text(q, 7, now, -1, SQLITE_STATIC);
			rc = store_step_done(s->store, q, err, "custody");
			sqlite3_finalize(q);
		} else {
			rc = DL_EDB;
		}
	}
	return store_end(s->store, rc, err);
}

#define SOURCE_COLS \
	"e.id, e.case_id, e.device_id, c.number, e.kind, e.original_path, e.in_place, e.size," \
	" e.md5, e.sha1, e.sha256, e.expected_sha256, e.expected_match, e.tool, e.tool_version," \
	" e.libraries, e.status, e.status_reason, e.item_count, e.bytes_total," \
	" (SELECT username FROM users u WHERE u.id = e.ingested_by), e.ingested_at" \
	" FROM evidence_sources e JOIN cases c ON c.id = e.case_id"

static void source_from_row(sqlite3_stmt *q, dl_source *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(q, 0);
	o->case_id = sqlite3_column_int64(q, 1);
	o->device_id = sqlite3_column_int64(q, 2);
	o->case_number = store_col_dup(q, 3);
	o->kind = store_col_dup(q, 4);
	o->original_path = store_col_dup(q, 5);
	o->in_place = sqlite3_column_int(q, 6);
	o->size = sqlite3_column_int64(q, 7);
	o->md5 = store_col_dup(q, 8);
	o->sha1 = store_col_dup(q, 9);
	o->sha256 = store_col_dup(q, 10);
	o->expected_sha256 = store_col_dup(q, 11);
	o->expected_match = sqlite3_column_type(q, 12) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 12);
	o->tool = store_col_dup(q, 13);
	o->tool_version = store_col_dup(q, 14);
	o->libraries = store_col_dup(q, 15);
	o->status = store_col_dup(q, 16);
	o->status_reason = store_col_dup(q, 17);
	o->item_count = sqlite3_column_int64(q, 18);
	o->bytes_total = sqlite3_column_int64(q, 19);
	o->ingested_by = store_col_dup(q, 20);
	o->ingested_at = store_col_dup(q, 21);
}

dl_status evidence_source_get(dl_session *s, long long source_id, dl_source *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " SOURCE_COLS " WHERE e.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, source_id);
	int found = sqlite3_step(q) == SQLITE_ROW;
	if (found)
		source_from_row(q, out);
	sqlite3_finalize(q);
	if (!found)
		return dl_err_set(err, DL_ENOTFOUND, "source", _("no evidence source %lld"), source_id);
	dl_status rc = perm_case_read(s, out->case_id, err);
	if (rc != DL_OK)
		evidence_source_free(out);
	return rc;
}

dl_status evidence_source_list(dl_session *s, const char *case_number, dl_source_list *out,
                               dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long cid = 0;
	dl_status rc;
	if (case_number && (rc = case_resolve(s, case_number, 0, &cid, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " SOURCE_COLS " WHERE (@case = 0 OR e.case_id = @case) AND " PERM_CASE_VISIBLE_SQL
		" ORDER BY e.id", err);
	if (!q)
		return DL_EDB;
	perm_bind(s, q);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@case"), cid);
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			dl_source *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		source_from_row(q, &out->v[out->n++]);
	}
	dl_status lrc = step == SQLITE_NOMEM ? store_nomem(err)
	              : step == SQLITE_DONE ? store_oom_check(mark, err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (lrc != DL_OK)
		evidence_source_list_free(out);
	return lrc;
}

void evidence_source_free(dl_source *o)
{
	free(o->case_number); free(o->kind); free(o->original_path);
	free(o->md5); free(o->sha1); free(o->sha256); free(o->expected_sha256);
	free(o->tool); free(o->tool_version); free(o->libraries);
	free(o->status); free(o->status_reason); free(o->ingested_by); free(o->ingested_at);
	memset(o, 0, sizeof *o);
}

void evidence_source_list_free(dl_source_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		evidence_source_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- items ---- */

dl_status evidence_batch_begin(dl_session *s, dl_err *err)
{
	return session_begin(s, err);
}

dl_status evidence_batch_commit(dl_session *s, dl_err *err)
{
	return store_commit(s->store, err);
}

void evidence_batch_rollback(dl_session *s)
{
	store_rollback(s->store);
}

long long evidence_item_find(dl_session *s, long long source_id, long long parent_id,
                             long long ordinal)
{
	sqlite3_stmt *q = store_cached(s->store,
		"SELECT id FROM evidence_items WHERE source_id = ? AND IFNULL(parent_id, 0) = ? AND ordinal = ?",
		NULL);
	if (!q)
		return 0;
	sqlite3_bind_int64(q, 1, source_id);
	sqlite3_bind_int64(q, 2, parent_id);
	sqlite3_bind_int64(q, 3, ordinal);
	long long id = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return id;
}

dl_status evidence_item_add(dl_session *s, const dl_item_input *in, long long *id, int *hits,
                            dl_err *err)
{
	sqlite3_stmt *q = store_cached(s->store,
		"INSERT INTO evidence_items (source_id, parent_id, ordinal, path_raw, path, is_dir, size,"
		" mtime, mime, description, md5, sha1, sha256, encrypted, problem)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, in->source_id);
	store_bind_id(q, 2, in->parent_id);
	sqlite3_bind_int64(q, 3, in->ordinal);
	sqlite3_bind_blob(q, 4, in->path_raw ? in->path_raw : "", (int)in->path_raw_len, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, in->path, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, in->is_dir);
	if (in->size >= 0)
		sqlite3_bind_int64(q, 7, in->size);
	else
		sqlite3_bind_null(q, 7);
	store_bind_text(q, 8, in->mtime);
	store_bind_text(q, 9, in->mime);
	store_bind_text(q, 10, in->description);
	store_bind_text(q, 11, in->md5);
	store_bind_text(q, 12, in->sha1);
	store_bind_text(q, 13, in->sha256);
	sqlite3_bind_int(q, 14, in->encrypted);
	store_bind_text(q, 15, in->problem);
	dl_status rc = store_step_done(s->store, q, err, "item");
	sqlite3_reset(q);
	if (rc != DL_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(s->store->db);
	*hits = 0;
	if (in->sha256 || in->md5)
		rc = hashset_flag_item(s->store, *id, in->md5, in->sha1, in->sha256, hits, err);
	return rc;
}

dl_status evidence_item_complete(dl_session *s, long long id, const dl_item_input *in, int *hits,
                                 dl_err *err)
{
	sqlite3_stmt *q = store_cached(s->store,
		"UPDATE evidence_items SET size = ?, mime = ?, description = ?, md5 = ?, sha1 = ?,"
		" sha256 = ?, problem = ? WHERE id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, in->size);
	store_bind_text(q, 2, in->mime);
	store_bind_text(q, 3, in->description);
	store_bind_text(q, 4, in->md5);
	store_bind_text(q, 5, in->sha1);
	store_bind_text(q, 6, in->sha256);
	store_bind_text(q, 7, in->problem);
	sqlite3_bind_int64(q, 8, id);
	dl_status rc = store_step_done(s->store, q, err, "item");
	sqlite3_reset(q);
	*hits = 0;
	if (rc == DL_OK && (in->sha256 || in->md5))
		rc = hashset_flag_item(s->store, id, in->md5, in->sha1, in->sha256, hits, err);
	return rc;
}

#define ITEM_COLS_FROM \
	"i.id, i.source_id, i.parent_id, i.ordinal, i.path_raw, i.path, i.is_dir, i.size, i.mtime," \
	" i.mime, i.description, i.md5, i.sha1, i.sha256, i.encrypted, i.problem, i.tags, i.note," \
	" (SELECT group_concat(h.name, ',') FROM item_hits x JOIN hashsets h ON h.id = x.hashset_id" \
	"   WHERE x.item_id = i.id), e.case_id," \
	" EXISTS (SELECT 1 FROM evidence_items c WHERE c.parent_id = i.id)" \
	" FROM evidence_items i"
#define ITEM_COLS ITEM_COLS_FROM " JOIN evidence_sources e ON e.id = i.source_id"

static void item_from_row(sqlite3_stmt *q, dl_item *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(q, 0);
	o->source_id = sqlite3_column_int64(q, 1);
	o->parent_id = sqlite3_column_int64(q, 2);
	o->ordinal = sqlite3_column_int64(q, 3);
	int n = sqlite3_column_bytes(q, 4);
	o->path_raw = malloc((size_t)n + 1);
	if (!o->path_raw) {
		store_oom_note();   /* the reader's store_oom_check reports it */
	} else {
		if (n)
			memcpy(o->path_raw, sqlite3_column_blob(q, 4), (size_t)n);
		o->path_raw[n] = 0;
	}
	o->path_raw_len = (size_t)n;
	o->path = store_col_dup(q, 5);
	o->is_dir = sqlite3_column_int(q, 6);
	o->size = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 7);
	o->mtime = store_col_dup(q, 8);
	o->mime = store_col_dup(q, 9);
	o->description = store_col_dup(q, 10);
	o->md5 = store_col_dup(q, 11);
	o->sha1 = store_col_dup(q, 12);
	o->sha256 = store_col_dup(q, 13);
	o->encrypted = sqlite3_column_int(q, 14);
	o->problem = store_col_dup(q, 15);
	o->tags = store_col_dup(q, 16);
	o->note = store_col_dup(q, 17);
	o->hits = store_col_dup(q, 18);
	o->case_id = sqlite3_column_int64(q, 19);
	o->has_children = sqlite3_column_int(q, 20);
}

dl_status evidence_item_get(dl_session *s, long long id, dl_item *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " ITEM_COLS " WHERE i.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	unsigned long mark = store_oom_mark();
	int found;
	dl_status rc = store_step_one(s->store, q, &found, err);
	if (found)
		item_from_row(q, out);
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK) {
		evidence_item_free(out);
		return rc;
	}
	if (!found)
		return dl_err_set(err, DL_ENOTFOUND, "item", _("no evidence item %lld"), id);
	rc = perm_case_read(s, out->case_id, err);
	if (rc != DL_OK)
		evidence_item_free(out);
	return rc;
}

dl_status evidence_item_chain(dl_session *s, long long id, dl_item *chain, size_t max, size_t *n,
                              dl_err *err)
{
	*n = 0;
	dl_item tmp[64];
	size_t k = 0;
	while (id > 0 && k < 64) {
		dl_status rc = evidence_item_get(s, id, &tmp[k], err);
		if (rc != DL_OK) {
			while (k)
				evidence_item_free(&tmp[--k]);
			return rc;
		}
		id = tmp[k].parent_id;
		k++;
	}
	if (k > max) {
		while (k)
			evidence_item_free(&tmp[--k]);
		return dl_err_set(err, DL_EINVAL, "item", _("the item is nested too deep"));
	}
	for (size_t i = 0; i < k; i++)
		chain[i] = tmp[k - 1 - i];
	*n = k;
	return DL_OK;
}

dl_status evidence_folder_files(dl_session *s, long long source_id,
                                int (*fn)(void *ctx, const dl_item *it), void *ctx, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"WITH RECURSIVE under(id) AS ("
		"  SELECT id FROM evidence_items WHERE source_id = ?1 AND parent_id IS NULL"
		"  UNION ALL SELECT c.id FROM evidence_items c JOIN under u ON c.parent_id = u.id"
		"    JOIN evidence_items p ON p.id = u.id WHERE p.is_dir = 1)"
		" SELECT " ITEM_COLS " WHERE i.id IN (SELECT id FROM under) AND i.is_dir = 0"
		" AND i.sha256 IS NOT NULL ORDER BY i.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, source_id);
	dl_status rc = DL_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		dl_item it;
		unsigned long mark = store_oom_mark();
		item_from_row(q, &it);
		/* an item read short is not handed on */
		if ((rc = store_oom_check(mark, err)) != DL_OK) {
			evidence_item_free(&it);
			break;
		}
		int stop = fn(ctx, &it);
		evidence_item_free(&it);
		if (stop) {
			step = SQLITE_DONE;
			break;
		}
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	return rc;
}

dl_status evidence_objects_each(dl_session *s, const char *kind,
                                int (*fn)(void *ctx, const char *sha256, long long size), void *ctx,
                                dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT sha256, size FROM objects WHERE kind = ? ORDER BY id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1)))
			break;
	sqlite3_finalize(q);
	return DL_OK;
}

/* The WHERE clause (and, unless counting, the order and limit) of a filter,
 * made of fixed fragments only — every value is bound — and holding only the
 * terms a filter sets, so that SQLite picks the index that serves them. */
typedef struct item_query {
	char sql[2048];
	long long case_id;
	int tag;                    /* index in evidence_tag_names, -1 none, -2 untagged, -3 any */
	char *name_like;            /* '%text%' with LIKE's wildcards escaped */
} item_query;

static void q_add(item_query *iq, const char *frag)
{
	size_t l = strlen(iq->sql);
	snprintf(iq->sql + l, sizeof iq->sql - l, "%s", frag);
}

/* Few items of this type (in the source, or the case): then its index is the
 * way in, and sorting them by id costs little. Counted on the index, at most
 * RARE_TYPE + 1 entries read. */
#define RARE_TYPE 20000
static int type_is_rare(dl_session *s, long long case_id, long long source_id, const char *type)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT count(*) FROM (SELECT 1 FROM evidence_items i WHERE"
		" i.source_id IN (SELECT x.id FROM evidence_sources x WHERE x.case_id = ?1 AND (?2 = 0 OR x.id = ?2))"
		" AND i.mime >= ?3 AND i.mime < ?3 || x'ff' LIMIT ?4)", NULL);
	if (!q)
		return 0;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, source_id > 0 ? source_id : 0);
	sqlite3_bind_text(q, 3, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 4, RARE_TYPE + 1);
	long long n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : RARE_TYPE + 1;
	sqlite3_finalize(q);
	return n <= RARE_TYPE;
}

/* any_tag (counting the untagged): items with some tag instead of f->tag. */
static dl_status item_query_make(dl_session *s, const dl_item_filter *f, int count, int any_tag,
                                 item_query *iq, dl_err *err)
{
	memset(iq, 0, sizeof *iq);
	iq->tag = -1;
	dl_status rc = case_resolve(s, f->case_number, 0, &iq->case_id, err);
	if (rc != DL_OK)
		return rc;
	if (f->tag && !strcmp(f->tag, DL_TAG_NONE))
		iq->tag = -2;
	else if (f->tag && (rc = val_enum("tag", f->tag, evidence_tag_names, &iq->tag, err)) != DL_OK)
		return rc;
	if (any_tag)
		iq->tag = -3;
	if (f->parent_id < 0 && f->parent_id != DL_ITEM_TOP)
		return dl_err_set(err, DL_EINVAL, "parent", _("no evidence item %lld"), f->parent_id);
	int by_pos = f->by_position && !count;
	if (by_pos && (f->parent_id == 0 || (f->parent_id == DL_ITEM_TOP && f->source_id <= 0)))
		return dl_err_set(err, DL_EINVAL, "parent",
		                  _("items are in positions within one folder or archive: give the source or the parent item"));
	if (f->name && *f->name) {
		size_t n = strlen(f->name);
		iq->name_like = malloc(2 * n + 3);
		if (!iq->name_like)
			return dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
		char *o = iq->name_like;
		*o++ = '%';
		for (const char *p = f->name; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o++ = '%';
		*o = '\0';
	}
	/* Which index leads, chosen here rather than left to SQLite (the store
	 * keeps no statistics, and a wrong guess over a million items costs
	 * seconds): the items are walked first (CROSS JOIN) by the one access
	 * path that serves the filter best, and a unary + keeps the other terms
	 * from being used as a way in.
	 *  - a level in position order: items_position;
	 *  - hash-set hits: the few ids in item_hits;
	 *  - one tag: the partial index items_tagged (tagged items are few);
	 *  - a count of one level: items_position;
	 *  - a type matching few items: items_mime, the page sorted by id;
	 *  - otherwise a page walks the primary key (id order: it stops after
	 *    `limit` rows), and a count lets SQLite choose. */
	enum { D_AUTO, D_POSITION, D_HITS, D_TAG, D_MIME, D_ID } drive;
	int has_type = f->type && *f->type;
	if (by_pos)
		drive = D_POSITION;
	else if (f->hits_only)
		drive = D_HITS;
	else if (iq->tag >= 0 || iq->tag == -3)
		drive = D_TAG;
	else if (count && f->parent_id != 0)
		drive = D_POSITION;
	else if (has_type && (count || type_is_rare(s, iq->case_id, f->source_id, f->type)))
		drive = D_MIME;
	else
		drive = count ? D_AUTO : D_ID;
	int by_src = drive == D_POSITION || drive == D_MIME || drive == D_AUTO;
	if (count) {
		/* no join: the case's sources are a constant list, and every index
		 * on the items is led by the source */
		q_add(iq, "SELECT count(*) FROM evidence_items i WHERE");
		if (f->source_id > 0)
			q_add(iq, by_src ? " i.source_id = @source" : " +i.source_id = @source");
		else
			q_add(iq, by_src ? " i.source_id IN (SELECT x.id FROM evidence_sources x WHERE x.case_id = @case)"
			                 : " +i.source_id IN (SELECT x.id FROM evidence_sources x WHERE x.case_id = @case)");
		if (f->source_id > 0)
			q_add(iq, " AND @source IN (SELECT x.id FROM evidence_sources x WHERE x.case_id = @case)");
	} else {
		q_add(iq, "SELECT " ITEM_COLS_FROM " CROSS JOIN evidence_sources e ON e.id = i.source_id"
		          " WHERE e.case_id = @case");
		if (f->source_id > 0)
			q_add(iq, by_src ? " AND i.source_id = @source" : " AND +i.source_id = @source");
		else if (drive == D_MIME)   /* the type index is led by the source: each of the case's */
			q_add(iq, " AND i.source_id IN (SELECT x.id FROM evidence_sources x WHERE x.case_id = @case)");
	}
	if (f->parent_id == DL_ITEM_TOP) {
		q_add(iq, by_src ? " AND IFNULL(i.parent_id, 0) = 0" : " AND +IFNULL(i.parent_id, 0) = 0");
	} else if (f->parent_id > 0) {
		/* the same expression as the unique index items_position, led by the source */
		q_add(iq, by_src ? " AND i.source_id = (SELECT p.source_id FROM evidence_items p WHERE p.id = @parent)"
		                   " AND IFNULL(i.parent_id, 0) = @parent"
		                 : " AND +IFNULL(i.parent_id, 0) = @parent");
	}
	if (has_type)
		q_add(iq, drive == D_MIME || drive == D_AUTO ? " AND i.mime >= @type AND i.mime < @type || x'ff'"
		                                             : " AND +i.mime >= @type AND +i.mime < @type || x'ff'");
	if (iq->tag >= 0)   /* tags <> '' as written lets the partial index items_tagged serve */
		q_add(iq, drive == D_TAG ? " AND i.tags <> '' AND (',' || i.tags || ',') LIKE '%,' || @tag || ',%'"
		                         : " AND (',' || i.tags || ',') LIKE '%,' || @tag || ',%'");
	else if (iq->tag == -2)
		q_add(iq, " AND i.tags = ''");
	else if (iq->tag == -3)
		q_add(iq, " AND i.tags <> ''");
	if (iq->name_like)
		q_add(iq, " AND i.path LIKE @name ESCAPE '\\'");
	if (f->hits_only)
		q_add(iq, drive == D_HITS ? " AND i.id IN (SELECT item_id FROM item_hits)"
		                          : " AND EXISTS (SELECT 1 FROM item_hits h WHERE h.item_id = i.id)");
	if (count)
		return DL_OK;
	if (by_pos) {
		if (f->after_position > 0)
			q_add(iq, f->descending ? " AND i.ordinal < @after - 1" : " AND i.ordinal >= @after");
		q_add(iq, f->descending ? " ORDER BY i.ordinal DESC" : " ORDER BY i.ordinal");
	} else {
		if (f->after_id > 0)
			q_add(iq, f->descending ? " AND i.id < @after" : " AND i.id > @after");
		q_add(iq, f->descending ? " ORDER BY i.id DESC" : " ORDER BY i.id");
	}
	q_add(iq, " LIMIT @limit");
	return DL_OK;
}

static void bind_named_int(sqlite3_stmt *q, const char *name, long long v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i > 0)
		sqlite3_bind_int64(q, i, v);
}

static void bind_named_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i > 0 && v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

static sqlite3_stmt *item_query_prepare(dl_session *s, const dl_item_filter *f, item_query *iq,
                                        dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store, iq->sql, err);
	if (!q)
		return NULL;
	bind_named_int(q, "@case", iq->case_id);
	bind_named_int(q, "@source", f->source_id);
	bind_named_int(q, "@parent", f->parent_id);
	bind_named_text(q, "@type", f->type);
	bind_named_text(q, "@tag", iq->tag >= 0 ? evidence_tag_names[iq->tag] : NULL);
	bind_named_text(q, "@name", iq->name_like);
	bind_named_int(q, "@after", f->by_position ? f->after_position : f->after_id);
	bind_named_int(q, "@limit", f->limit > 0 ? f->limit : 1000);
	return q;
}

dl_status evidence_item_list(dl_session *s, const dl_item_filter *f, dl_item_list *out,
                             dl_err *err)
{
	memset(out, 0, sizeof *out);
	item_query iq;
	dl_status rc = item_query_make(s, f, 0, 0, &iq, err);
	sqlite3_stmt *q = rc == DL_OK ? item_query_prepare(s, f, &iq, err) : NULL;
	free(iq.name_like);
	if (!q)
		return rc != DL_OK ? rc : DL_EDB;
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			dl_item *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		item_from_row(q, &out->v[out->n++]);
	}
	dl_status lrc = step == SQLITE_NOMEM ? store_nomem(err)
	              : step == SQLITE_DONE ? store_oom_check(mark, err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (lrc != DL_OK)
		evidence_item_list_free(out);
	return lrc;
}

static dl_status count_one(dl_session *s, const dl_item_filter *f, int any_tag, long long *n, dl_err *err)
{
	*n = 0;
	item_query iq;
	dl_status rc = item_query_make(s, f, 1, any_tag, &iq, err);
	sqlite3_stmt *q = rc == DL_OK ? item_query_prepare(s, f, &iq, err) : NULL;
	free(iq.name_like);
	if (!q)
		return rc != DL_OK ? rc : DL_EDB;
	if (sqlite3_step(q) == SQLITE_ROW)
		*n = sqlite3_column_int64(q, 0);
	else
		rc = store_sqlerr(s->store, err, "item");
	sqlite3_finalize(q);
	return rc;
}

dl_status evidence_item_count(dl_session *s, const dl_item_filter *f, long long *n, dl_err *err)
{
	if (!f->tag || strcmp(f->tag, DL_TAG_NONE) != 0)
		return count_one(s, f, 0, n, err);
	/* Untagged: nearly every item. No index holds them, so count all and take
	 * away the tagged ones, which the partial index finds. */
	dl_item_filter all = *f;
	all.tag = NULL;
	long long tagged = 0;
	dl_status rc = count_one(s, &all, 0, n, err);
	if (rc == DL_OK)
		rc = count_one(s, &all, 1, &tagged, err);
	*n = rc == DL_OK ? *n - tagged : 0;
	return rc;
}

void evidence_item_free(dl_item *o)
{
	free(o->path_raw); free(o->path); free(o->mtime); free(o->mime); free(o->description);
	free(o->md5); free(o->sha1); free(o->sha256); free(o->problem); free(o->tags); free(o->note);
	free(o->hits);
	memset(o, 0, sizeof *o);
}

void evidence_item_list_free(dl_item_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		evidence_item_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static dl_status item_case_for_write(dl_session *s, long long id, dl_item *it, dl_err *err)
{
	dl_status rc = evidence_item_get(s, id, it, err);
	if (rc != DL_OK)
		return rc;
	rc = perm_case_write(s, it->case_id, err);
	if (rc != DL_OK)
		evidence_item_free(it);
	return rc;
}

dl_status evidence_item_tag(dl_session *s, long long id, const char *tag, int remove, dl_err *err)
{
	int t;
	dl_status rc = val_enum("tag", tag, evidence_tag_names, &t, err);
	if (rc != DL_OK)
		return rc;
	dl_item it;
	if ((rc = item_case_for_write(s, id, &it, err)) != DL_OK)
		return rc;
	/* rebuild the set in the fixed order of evidence_tag_names */
	char tags[96] = "";
	for (int i = 0; evidence_tag_names[i]; i++) {
		char probe[40];
		snprintf(probe, sizeof probe, ",%s,", evidence_tag_names[i]);
		char have[128];
		snprintf(have, sizeof have, ",%s,", it.tags ? it.tags : "");
		int on = strstr(have, probe) != NULL;
		if (i == t)
			on = !remove;
		if (on)
			snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", tags[0] ? "," : "",
			         evidence_tag_names[i]);
	}
	evidence_item_free(&it);
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	/* tags is NOT NULL: the empty set is "" */
	sqlite3_stmt *q = store_prepare(s->store, "UPDATE evidence_items SET tags = ? WHERE id = ?", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_text(q, 1, tags, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, id);
		rc = store_step_done(s->store, q, err, "tag");
		sqlite3_finalize(q);
	}
	return store_end(s->store, rc, err);
}

dl_status evidence_item_note(dl_session *s, long long id, const char *note, dl_err *err)
{
	dl_status rc = val_text("note", note, 20000, 0, 1, err);
	if (rc != DL_OK)
		return rc;
	dl_item it;
	if ((rc = item_case_for_write(s, id, &it, err)) != DL_OK)
		return rc;
	evidence_item_free(&it);
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	rc = store_set_column(s->store, "evidence_items", id, "note", note ? note : "", note, err);
	return store_end(s->store, rc, err);
}

/* ---- objects ---- */

void evidence_object_path(dl_store *st, const char *sha256, char *out, size_t outsz)
{
	if (!sha256 || strlen(sha256) != 64) {   /* nothing kept under no name */
		snprintf(out, outsz, "%s/objects/none", store_dir(st));
		return;
	}
	snprintf(out, outsz, "%s/objects/%.2s/%s", store_dir(st), sha256, sha256 + 2);
}

static int ensure_dir(const char *path)
{
	return (mkdir(path, 0700) == 0 || errno == EEXIST) ? 0 : -1;
}

int evidence_object_tmp(dl_store *st, char *out, size_t outsz, dl_err *err)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/objects", store_dir(st));
	if (ensure_dir(dir) != 0)
		goto fail;
	snprintf(dir, sizeof dir, "%s/objects/tmp", store_dir(st));
	if (ensure_dir(dir) != 0)
		goto fail;
	snprintf(out, outsz, "%s/XXXXXX", dir);
	int fd = mkostemp(out, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	/* held while the file is being written: the sweep leaves locked files alone */
	flock(fd, LOCK_EX);
	return fd;
fail:
	dl_err_set(err, DL_EIO, "store", _("cannot write in %s: %s"), dir, strerror(errno));
	return -1;
}

dl_status evidence_object_commit(dl_session *s, int fd, const char *tmp, const char *sha256,
                                 long long size, const char *kind, dl_err *err)
{
	char path[4096], dir[4096];
	evidence_object_path(s->store, sha256, path, sizeof path);
	snprintf(dir, sizeof dir, "%s/objects/%.2s", store_dir(s->store), sha256);
	if (fsync(fd) != 0 || ensure_dir(dir) != 0) {
		dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return DL_EIO;
	}
	close(fd);
	struct stat sb;
	if (stat(path, &sb) == 0) {
		unlink(tmp);               /* stored already: kept once */
	} else if (rename(tmp, path) != 0) {
		dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), path, strerror(errno));
		unlink(tmp);
		return DL_EIO;
	} else {
		chmod(path, 0400);
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	int own = !s->store->in_txn;
	dl_status rc = own ? session_begin(s, err) : DL_OK;
	if (rc != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(s->store,
		"INSERT OR IGNORE INTO objects (sha256, size, kind, created_at) VALUES (?,?,?,?)", err);
	if (!q) {
		if (own)
			store_rollback(s->store);
		return DL_EDB;
	}
	sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, size);
	sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	rc = store_step_done(s->store, q, err, "object");
	sqlite3_finalize(q);
	if (!own)
		return rc;
	return store_end(s->store, rc, err);
}

int evidence_type_known(dl_session *s, const char *sha256, char *mime, size_t mimesz,
                        char *desc, size_t descsz)
{
	sqlite3_stmt *q = store_cached(s->store,
		"SELECT mime, description FROM evidence_items WHERE sha256 = ? AND mime IS NOT NULL LIMIT 1",
		NULL);
	if (!q)
		return 0;
	sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
	int found = sqlite3_step(q) == SQLITE_ROW;
	if (found) {
		snprintf(mime, mimesz, "%s", (const char *)sqlite3_column_text(q, 0));
		const unsigned char *d = sqlite3_column_text(q, 1);
		snprintf(desc, descsz, "%s", d ? (const char *)d : "");
	}
	sqlite3_reset(q);
	return found;
}

int evidence_tmp_dir(dl_store *st, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/objects", store_dir(st));
	if (ensure_dir(out) != 0)
		return -1;
	snprintf(out, outsz, "%s/objects/tmp", store_dir(st));
	return ensure_dir(out);
}

void evidence_object_sweep(dl_store *st)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/objects/tmp", store_dir(st));
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4400];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)   /* no running ingest owns it */
			unlink(p);
		close(fd);
	}
	closedir(d);
}

void evidence_source_json(json_w *w, const dl_source *src)
{
	json_begin_object(w);
	json_kint(w, "id", src->id);
	json_kstr(w, "case", src->case_number);
	json_kid(w, "device_id", src->device_id);
	json_kstr(w, "kind", src->kind);
	json_kstr(w, "original_path", src->original_path);
	json_kbool(w, "in_place", src->in_place);
	json_kint(w, "size", src->size);
	json_kstr(w, "md5", src->md5);
	json_kstr(w, "sha1", src->sha1);
	json_kstr(w, "sha256", src->sha256);
	json_kstr(w, "expected_sha256", src->expected_sha256);
	json_key(w, "expected_match");
	if (src->expected_match < 0)
		json_null(w);
	else
		json_bool(w, src->expected_match);
	json_kstr(w, "tool", src->tool);
	json_kstr(w, "tool_version", src->tool_version);
	json_kstr(w, "libraries", src->libraries);
	json_kstr(w, "status", src->status);
	json_kstr(w, "status_reason", src->status_reason);
	json_kint(w, "item_count", src->item_count);
	json_kint(w, "bytes_total", src->bytes_total);
	json_kstr(w, "ingested_by", src->ingested_by);
	json_kstr(w, "ingested_at", src->ingested_at);
	json_end_object(w);
}

void evidence_item_json(json_w *w, const dl_item *it)
{
	json_begin_object(w);
	json_kint(w, "id", it->id);
	json_kint(w, "source_id", it->source_id);
	json_kid(w, "parent_id", it->parent_id);
	json_kstr(w, "path", it->path);
	/* the recorded bytes of the name, as hex, when they are not the shown UTF-8 */
	if (it->path_raw_len != strlen(it->path) || memcmp(it->path_raw, it->path, it->path_raw_len) != 0) {
		char hexs[1024];
		size_t n = it->path_raw_len < 500 ? it->path_raw_len : 500;
		for (size_t i = 0; i < n; i++)
			snprintf(hexs + 2 * i, 3, "%02x", it->path_raw[i]);
		hexs[2 * n] = '\0';
		json_kstr(w, "path_raw_hex", hexs);
	}
	json_kbool(w, "is_dir", it->is_dir);
	json_key(w, "size");
	if (it->size >= 0)
		json_int(w, it->size);
	else
		json_null(w);
	json_kstr(w, "mtime", it->mtime);
	json_kstr(w, "mime", it->mime);
	json_kstr(w, "description", it->description);
	json_kstr(w, "md5", it->md5);
	json_kstr(w, "sha1", it->sha1);
	json_kstr(w, "sha256", it->sha256);
	json_kbool(w, "encrypted", it->encrypted);
	json_kstr(w, "problem", it->problem);
	json_key(w, "tags");
	json_begin_array(w);
	char tags[128];
	snprintf(tags, sizeof tags, "%s", it->tags ? it->tags : "");
	for (char *save = NULL, *t = strtok_r(tags, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_str(w, t);
	json_end_array(w);
	json_key(w, "hits");
	json_begin_array(w);
	char hits[1024];
	snprintf(hits, sizeof hits, "%s", it->hits ? it->hits : "");
	for (char *save = NULL, *t = strtok_r(hits, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_str(w, t);
	json_end_array(w);
	json_kstr(w, "note", it->note);
	json_end_object(w);
}
