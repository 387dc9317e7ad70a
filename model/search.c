/* search.c — see search.h. The index (schema.c, version 4) holds one FTS5
 * document per searchable thing, rowid = id * 8 + kind; this file is the only
 * writer of it, and the only reader. */
#include "search.h"
#include "fold.h"
#include "i18n.h"
#include "identifier.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const search_kind_names[] = {"", "case", "person", "identifier", "item", "note", NULL};

/* ---- keeping the index current ------------------------------------------ */

/* The statements of one sync, prepared once for its whole run. */
typedef struct syncer {
	dl_store *st;
	sqlite3_stmt *ins, *del;
	dl_buf exact, skel;
	long long written;
} syncer;

/* Add text (may be NULL) to the document being built. */
static void doc_add(syncer *y, const char *text)
{
	if (!text || !*text)
		return;
	if (y->exact.len)
		buf_addc(&y->exact, ' ');
	size_t from = y->exact.len;
	fold_text(text, &y->exact);
	if (y->exact.len == from && from > 0)
		y->exact.data[--y->exact.len] = '\0';   /* nothing but punctuation */
}

/* Write the document built so far as rowid, then start a new one. A document
 * with no words is not written. */
static dl_status doc_put(syncer *y, long long rowid, dl_err *err)
{
	dl_status rc = DL_OK;
	/* a document that lost words for want of memory is not written short */
	if (buf_failed(&y->exact)) {
		buf_reset(&y->exact);
		return store_nomem(err);
	}
	if (y->exact.len) {
		buf_reset(&y->skel);
		fold_keys(buf_str(&y->exact), &y->skel);
		if (buf_failed(&y->skel)) {
			buf_reset(&y->exact);
			return store_nomem(err);
		}
		sqlite3_bind_int64(y->ins, 1, rowid);
		sqlite3_bind_text(y->ins, 2, buf_str(&y->exact), (int)y->exact.len, SQLITE_STATIC);
		sqlite3_bind_text(y->ins, 3, buf_str(&y->skel), (int)y->skel.len, SQLITE_STATIC);
		rc = store_step_done(y->st, y->ins, err, "");
		sqlite3_reset(y->ins);
		y->written++;
	}
	buf_reset(&y->exact);
	return rc;
}

static dl_status doc_delete(syncer *y, long long rowid, dl_err *err)
{
	sqlite3_bind_int64(y->del, 1, rowid);
	dl_status rc = store_step_done(y->st, y->del, err, "");
	sqlite3_reset(y->del);
	return rc;
}

/* Run q (one id bound as ?1) and add each text column of its rows. */
static dl_status add_rows(syncer *y, const char *sql, long long id, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(y->st, sql, err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(q); c++) {
			const char *t = (const char *)sqlite3_column_text(q, c);
			if (!t && sqlite3_column_type(q, c) != SQLITE_NULL)
				y->exact.failed = 1;   /* doc_put reports it */
			doc_add(y, t);
		}
	dl_status rc = step == SQLITE_DONE ? DL_OK : store_sqlerr(y->st, err, "");
	sqlite3_finalize(q);
	return rc;
}

/* Re-index one queued row: drop its documents, write them again if it still
 * exists. */
static dl_status reindex(syncer *y, int kind, long long id, dl_err *err)
{
	dl_status rc = doc_delete(y, id * 8 + kind, err);
	if (rc == DL_OK && kind == DL_SEARCH_ITEM)
		rc = doc_delete(y, id * 8 + DL_SEARCH_NOTE, err);
	if (rc != DL_OK)
		return rc;
	switch (kind) {
	case DL_SEARCH_CASE:
		rc = add_rows(y, "SELECT number, title_ar, title_en, summary_ar, summary_en"
		                 " FROM cases WHERE id = ?1", id, err);
		break;
	case DL_SEARCH_PERSON:
		rc = add_rows(y, "SELECT name_ar, name_lat FROM persons WHERE id = ?1", id, err);
		/* aliases only of a person that exists */
		if (rc == DL_OK && y->exact.len)
			rc = add_rows(y, "SELECT alias FROM person_aliases WHERE person_id = ?1"
			                 " ORDER BY id", id, err);
		break;
	case DL_SEARCH_IDENTIFIER:
		rc = add_rows(y, "SELECT value FROM identifiers WHERE id = ?1", id, err);
		break;
	case DL_SEARCH_ITEM:
		rc = add_rows(y, "SELECT path FROM evidence_items WHERE id = ?1", id, err);
		if (rc == DL_OK)
			rc = doc_put(y, id * 8 + DL_SEARCH_ITEM, err);
		if (rc == DL_OK)
			rc = add_rows(y, "SELECT note FROM evidence_items WHERE id = ?1", id, err);
		kind = DL_SEARCH_NOTE;
		break;
	}
	if (rc == DL_OK)
		rc = doc_put(y, id * 8 + kind, err);
	return rc;
}

/* Index the rows of table above its watermark, in id order, and move the
 * watermark to the last. Evidence items give a name and a note document. */
static dl_status above_mark(syncer *y, const char *mark, const char *sql, int items,
                            dl_err *err)
{
	sqlite3_stmt *q = store_prepare(y->st, sql, err);
	if (!q)
		return DL_EDB;
	dl_status rc = DL_OK;
	long long last = -1;
	int step;
	while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		last = sqlite3_column_int64(q, 0);
		doc_add(y, (const char *)sqlite3_column_text(q, 1));
		rc = doc_put(y, last * 8 + (items ? DL_SEARCH_ITEM : DL_SEARCH_IDENTIFIER), err);
		if (rc == DL_OK && items) {
			doc_add(y, (const char *)sqlite3_column_text(q, 2));
			rc = doc_put(y, last * 8 + DL_SEARCH_NOTE, err);
		}
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(y->st, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK || last < 0)
		return rc;
	sqlite3_stmt *u = store_prepare(y->st, "UPDATE search_state SET mark = ?1 WHERE name = ?2", err);
	if (!u)
		return DL_EDB;
	sqlite3_bind_int64(u, 1, last);
	sqlite3_bind_text(u, 2, mark, -1, SQLITE_STATIC);
	rc = store_step_done(y->st, u, err, "");
	sqlite3_finalize(u);
	return rc;
}

/* 1 when something waits to be indexed: a queued row, or an item or
 * identifier above its watermark (max(id) of a rowid table is one seek). */
static int sync_needed(dl_store *st)
{
	sqlite3_stmt *q = NULL;
	int need = 1;   /* when in doubt, sync: it finds out for itself */
	if (sqlite3_prepare_v2(st->db,
		"SELECT EXISTS (SELECT 1 FROM search_queue)"
		" OR ifnull((SELECT max(id) FROM evidence_items), 0)"
		"    > (SELECT mark FROM search_state WHERE name = 'items')"
		" OR ifnull((SELECT max(id) FROM identifiers), 0)"
		"    > (SELECT mark FROM search_state WHERE name = 'identifiers')"
		" OR ifnull((SELECT mark FROM search_state WHERE name = 'fold'), 0) <> ?1",
		-1, &q, NULL) == SQLITE_OK && sqlite3_bind_int(q, 1, FOLD_VERSION) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		need = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return need;
}

/* An index built with other folding rules (FOLD_VERSION, or none recorded)
 * is dropped and everything queued again, inside the sync's transaction. */
static dl_status refold(dl_store *st, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT ifnull((SELECT mark FROM search_state WHERE name = 'fold'), 0)", err);
	if (!q)
		return DL_EDB;
	int current = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == FOLD_VERSION;
	sqlite3_finalize(q);
	if (current)
		return DL_OK;
	char sql[600];
	snprintf(sql, sizeof sql,
	         "DELETE FROM search_fts; DELETE FROM search_queue;"
	         " UPDATE search_state SET mark = 0 WHERE name IN ('items', 'identifiers');"
	         " INSERT INTO search_queue SELECT 1, id FROM cases;"
	         " INSERT INTO search_queue SELECT 2, id FROM persons;"
	         " INSERT OR REPLACE INTO search_state VALUES ('fold', %d);", FOLD_VERSION);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "");
	return DL_OK;
}

dl_status search_sync(dl_store *st, long long *indexed, dl_err *err)
{
	if (indexed)
		*indexed = 0;
	if (!sync_needed(st))
		return DL_OK;
	dl_status rc = store_begin(st, err);
	if (rc != DL_OK)
		return rc;
	rc = refold(st, err);
	if (rc != DL_OK)
		return store_end(st, rc, err);
	syncer y = {.st = st};
	y.ins = store_prepare(st, "INSERT INTO search_fts (rowid, exact, skel) VALUES (?1, ?2, ?3)", err);
	y.del = y.ins ? store_prepare(st, "DELETE FROM search_fts WHERE rowid = ?1", err) : NULL;
	rc = y.del ? DL_OK : DL_EDB;
	/* new rows first: a queued row among them is then re-indexed, never doubled */
	if (rc == DL_OK)
		rc = above_mark(&y, "items",
		                "SELECT id, path, note FROM evidence_items WHERE id >"
		                " (SELECT mark FROM search_state WHERE name = 'items') ORDER BY id",
		                1, err);
	if (rc == DL_OK)
		rc = above_mark(&y, "identifiers",
		                "SELECT id, value FROM identifiers WHERE id >"
		                " (SELECT mark FROM search_state WHERE name = 'identifiers') ORDER BY id",
		                0, err);
	if (rc == DL_OK) {
		sqlite3_stmt *q = store_prepare(st, "SELECT kind, id FROM search_queue", err);
		if (!q)
			rc = DL_EDB;
		int step = SQLITE_DONE;
		while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW)
			rc = reindex(&y, sqlite3_column_int(q, 0), sqlite3_column_int64(q, 1), err);
		if (rc == DL_OK && step != SQLITE_DONE)
			rc = store_sqlerr(st, err, "");
		sqlite3_finalize(q);
	}
	if (rc == DL_OK) {
		if (sqlite3_exec(st->db, "DELETE FROM search_queue", NULL, NULL, NULL) != SQLITE_OK)
			rc = store_sqlerr(st, err, "");
	}
	sqlite3_finalize(y.ins);
	sqlite3_finalize(y.del);
	buf_free(&y.exact);
	buf_free(&y.skel);
	rc = store_end(st, rc, err);
	if (rc == DL_OK && indexed)
		*indexed = y.written;
	return rc;
}

/* ---- the query ---------------------------------------------------------- */

/* Append word as an FTS5 string ("" doubled inside). */
static void fts_word(dl_buf *q, const char *col, const char *w, size_t n, int prefix)
{
	if (q->len)
		buf_adds(q, " AND ");
	buf_addf(q, "%s : \"", col);
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '"')
			buf_addc(q, '"');
		buf_addc(q, w[i]);
	}
	buf_addc(q, '"');
	if (prefix)
		buf_adds(q, " *");
}

/* The FTS5 query matching every word of words (space-separated) in col; the
 * last word also as a prefix when prefix_last and it has 3 bytes or more. */
static void fts_query(const char *words, const char *col, int prefix_last, dl_buf *q)
{
	const char *p = words;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (e > p) {
			const char *rest = e;
			while (*rest == ' ')
				rest++;
			fts_word(q, col, p, (size_t)(e - p), prefix_last && !*rest && e - p >= 3);
		}
		p = e;
	}
}

/* The [[kind, value], …] JSON of every identifier kind text normalises as. A
 * text that is not of a kind is no candidate; a normalisation that failed
 * otherwise (memory, the database) is the error. */
static dl_status ident_candidates(dl_store *st, const char *text, dl_buf *out, dl_err *err)
{
	char *norm = malloc(DL_IDENT_MAX);
	if (!norm)
		return store_nomem(err);
	int n = 0;
	buf_addc(out, '[');
	for (int k = 0; identifier_kind_names[k]; k++) {
		dl_err e;
		dl_status rc = identifier_normalize(st, identifier_kind_names[k], text, norm, DL_IDENT_MAX, &e);
		if (rc == DL_EINVAL)
			continue;
		if (rc != DL_OK) {
			free(norm);
			if (err)
				*err = e;
			return rc;
		}
		if (n++)
			buf_addc(out, ',');
		buf_addc(out, '[');
		json_add_string(out, identifier_kind_names[k]);
		buf_addc(out, ',');
		json_add_string(out, norm);
		buf_addc(out, ']');
	}
	buf_addc(out, ']');
	free(norm);
	return buf_failed(out) ? store_nomem(err) : DL_OK;
}

/* The case a person's result belongs to: one the session may read first. */
#define PERSON_CASE(person) \
	"(SELECT cp.case_id FROM case_persons cp JOIN cases c ON c.id = cp.case_id" \
	" WHERE cp.person_id = " person " ORDER BY " PERM_CASE_VISIBLE_SQL " DESC, cp.case_id LIMIT 1)"

/* m      every matching document with its tier (-1 an identifier's value,
 *        0 the folded words, 1 transliteration only) and bm25 rank;
 * best   one row per document, its best tier and rank;
 * placed the case each belongs to (rowid & 7 is the kind, >> 3 the id);
 * vis    whether the session may read it;
 * grp    readable ones as they are, the others folded into one per case;
 * then one page of them, with the lead of each case and the total. */
static const char search_sql_head[] =
	"WITH m(doc, tier, rank) AS (";
static const char search_sql_exact[] =
	"  SELECT rowid, 0, bm25(search_fts) FROM search_fts WHERE search_fts MATCH @exact";
static const char search_sql_skel[] =
	"  SELECT rowid, 1, bm25(search_fts) FROM search_fts WHERE search_fts MATCH @skel";
static const char search_sql_ident[] =
	"  SELECT i.id * 8 + 3, -1, 0 FROM json_each(@idents) j"
	"    JOIN identifiers i ON i.kind = j.value ->> 0 AND i.value = j.value ->> 1";
static const char search_sql_tail[] =
	"),"
	" best(doc, tier, rank) AS (SELECT doc, min(tier), min(rank) FROM m GROUP BY doc),"
	" placed(doc, tier, rank, case_id) AS (SELECT doc, tier, rank, CASE doc & 7"
	"   WHEN 1 THEN doc >> 3"
	"   WHEN 2 THEN " PERSON_CASE("best.doc >> 3")
	"   WHEN 3 THEN (SELECT coalesce(i.case_id,"
	"                  (SELECT d.case_id FROM devices d WHERE d.id = i.device_id),"
	"                  " PERSON_CASE("i.person_id") ")"
	"                FROM identifiers i WHERE i.id = best.doc >> 3)"
	"   ELSE (SELECT s.case_id FROM evidence_items e JOIN evidence_sources s ON s.id = e.source_id"
	"          WHERE e.id = best.doc >> 3) END FROM best),"
	" vis(doc, tier, rank, case_id, lead_id, vis) AS (SELECT p.doc, p.tier, p.rank, p.case_id,"
	"   c.lead_id, ifnull(" PERM_CASE_VISIBLE_SQL ", 0) FROM placed p LEFT JOIN cases c ON c.id = p.case_id),"
	" grp(g, doc, tier, rank, case_id, lead_id, vis, n) AS (SELECT"
	"   CASE WHEN vis THEN doc ELSE -case_id END, min(doc), min(tier), min(rank), case_id, lead_id,"
	"   vis, count(*) FROM vis WHERE vis OR case_id IS NOT NULL GROUP BY 1)"
	" SELECT g.doc, g.tier, g.case_id, c.number, g.vis, g.n, u.username, u.name_ar, u.name_en,"
	"        count(*) OVER ()"
	"   FROM grp g LEFT JOIN cases c ON c.id = g.case_id LEFT JOIN users u ON u.id = g.lead_id"
	"  ORDER BY g.tier, g.rank, g.doc LIMIT @limit OFFSET @offset";

enum { R_DOC, R_TIER, R_CASE, R_NUMBER, R_VIS, R_N, R_LEAD, R_LEAD_AR, R_LEAD_EN, R_TOTAL };

/* The labels of a readable result, by kind. */
static dl_status fill_labels(dl_store *st, dl_search_hit *h, dl_err *err)
{
	static const char *const sql[] = {
		[DL_SEARCH_CASE] = "SELECT title_ar, title_en, NULL FROM cases WHERE id = ?1",
		[DL_SEARCH_PERSON] =
			"SELECT name_ar, name_lat, (SELECT group_concat(alias, ', ') FROM"
			" (SELECT alias FROM person_aliases WHERE person_id = ?1 ORDER BY id))"
			" FROM persons WHERE id = ?1",
		[DL_SEARCH_IDENTIFIER] =
			"SELECT i.value, i.kind, CASE"
			"   WHEN p.id IS NOT NULL THEN p.name_ar || ifnull(' (' || p.name_lat || ')', '')"
			"   WHEN d.id IS NOT NULL THEN trim(d.type || ' ' || ifnull(d.make, '') || ' ' ||"
			"                                   ifnull(d.model, ''))"
			"   ELSE e.path END,"
			" i.person_id, i.device_id, i.item_id, e.source_id"
			" FROM identifiers i LEFT JOIN persons p ON p.id = i.person_id"
			" LEFT JOIN devices d ON d.id = i.device_id"
			" LEFT JOIN evidence_items e ON e.id = i.item_id WHERE i.id = ?1",
		[DL_SEARCH_ITEM] = "SELECT path, NULL, NULL, NULL, NULL, id, source_id"
		                   " FROM evidence_items WHERE id = ?1",
		[DL_SEARCH_NOTE] = "SELECT note, path, NULL, NULL, NULL, id, source_id"
		                   " FROM evidence_items WHERE id = ?1",
	};
	sqlite3_stmt *q = store_prepare(st, sql[h->kind], err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, h->id);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		h->label = store_col_dup(q, 0);
		h->label2 = store_col_dup(q, 1);
		h->detail = store_col_dup(q, 2);
		if (h->kind == DL_SEARCH_PERSON)
			h->person_id = h->id;
		if (sqlite3_column_count(q) > 3) {
			if (h->kind == DL_SEARCH_IDENTIFIER) {
				h->person_id = sqlite3_column_int64(q, 3);
				h->device_id = sqlite3_column_int64(q, 4);
			}
			h->item_id = sqlite3_column_int64(q, 5);
			h->source_id = sqlite3_column_int64(q, 6);
		}
	}
	dl_status rc = step == SQLITE_ROW || step == SQLITE_DONE ? DL_OK : store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	return rc;
}

static void hit_free(dl_search_hit *h)
{
	free(h->case_number);
	free(h->label);
	free(h->label2);
	free(h->detail);
	free(h->lead);
	free(h->lead_name_ar);
	free(h->lead_name_en);
}

void search_results_free(dl_search_results *r)
{
	for (size_t i = 0; i < r->n; i++)
		hit_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

dl_status search_run(dl_session *s, const char *text, int page, dl_search_results *out,
                     dl_err *err)
{
	memset(out, 0, sizeof *out);
	out->page = page;
	out->pages = 1;
	if (!text)
		text = "";
	if (strlen(text) > DL_SEARCH_MAX)
		return dl_err_set(err, DL_EINVAL, "text", _("the search text is too long (at most %d bytes)"),
		                  DL_SEARCH_MAX);
	if (page < 1)
		return dl_err_set(err, DL_EINVAL, "page", _("the page must be 1 or more"));
	dl_buf folded = {0}, keys = {0}, exact = {0}, skel = {0}, idents = {0};
	fold_text(text, &folded);
	if (buf_failed(&folded)) {
		buf_free(&folded);
		return store_nomem(err);
	}
	if (folded.len == 0) {
		buf_free(&folded);
		return dl_err_set(err, DL_EINVAL, "text", _("type a name, number or word to search for"));
	}
	dl_status rc = search_sync(s->store, NULL, err);
	if (rc != DL_OK) {
		buf_free(&folded);
		return rc;
	}
	fold_keys(buf_str(&folded), &keys);
	fts_query(buf_str(&folded), "exact", 1, &exact);
	fts_query(buf_str(&keys), "skel", 0, &skel);
	rc = ident_candidates(s->store, text, &idents, err);
	if (rc == DL_OK && (buf_failed(&keys) || buf_failed(&exact) || buf_failed(&skel)))
		rc = store_nomem(err);
	if (rc != DL_OK)
		goto done;

	dl_buf sql = {0};
	buf_adds(&sql, search_sql_head);
	buf_adds(&sql, search_sql_ident);
	if (exact.len) {
		buf_adds(&sql, " UNION ALL ");
		buf_adds(&sql, search_sql_exact);
	}
	if (skel.len) {
		buf_adds(&sql, " UNION ALL ");
		buf_adds(&sql, search_sql_skel);
	}
	buf_adds(&sql, search_sql_tail);
	sqlite3_stmt *q = buf_failed(&sql) ? NULL : store_prepare(s->store, buf_str(&sql), err);
	if (!q) {
		rc = buf_failed(&sql) ? store_nomem(err) : DL_EDB;
		buf_free(&sql);
		goto done;
	}
	buf_free(&sql);
	perm_bind(s, q);
	sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@idents"), buf_str(&idents), -1, SQLITE_STATIC);
	if (exact.len)
		sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@exact"), buf_str(&exact), -1,
		                  SQLITE_STATIC);
	if (skel.len)
		sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@skel"), buf_str(&skel), -1,
		                  SQLITE_STATIC);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, "@limit"), DL_SEARCH_PAGE);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@offset"),
	                   (long long)(page - 1) * DL_SEARCH_PAGE);
	out->v = calloc(DL_SEARCH_PAGE, sizeof *out->v);
	if (!out->v) {
		sqlite3_finalize(q);
		rc = store_nomem(err);
		goto done;
	}
	unsigned long mark = store_oom_mark();
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		dl_search_hit *h = &out->v[out->n++];
		long long doc = sqlite3_column_int64(q, R_DOC);
		h->kind = (dl_search_kind)(doc & 7);
		h->exact = sqlite3_column_int(q, R_TIER) < 1;
		h->case_id = sqlite3_column_int64(q, R_CASE);
		h->case_number = store_col_dup(q, R_NUMBER);
		h->restricted = !sqlite3_column_int(q, R_VIS);
		h->count = h->restricted ? sqlite3_column_int64(q, R_N) : 1;
		h->lead = store_col_dup(q, R_LEAD);
		h->lead_name_ar = store_col_dup(q, R_LEAD_AR);
		h->lead_name_en = store_col_dup(q, R_LEAD_EN);
		out->total = sqlite3_column_int64(q, R_TOTAL);
		if (!h->restricted) {
			h->id = doc >> 3;
			rc = fill_labels(s->store, h, err);
			if (rc != DL_OK)
				break;
		}
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc == DL_OK && out->n == 0 && page > 1) {
		/* past the last page: the total still tells how many there are */
		dl_search_results first;
		rc = search_run(s, text, 1, &first, err);
		if (rc == DL_OK)
			out->total = first.total;
		search_results_free(&first);
		out->page = page;
	}
	if (rc == DL_OK && out->total > DL_SEARCH_PAGE)
		out->pages = (int)((out->total + DL_SEARCH_PAGE - 1) / DL_SEARCH_PAGE);
done:
	if (rc != DL_OK)
		search_results_free(out);
	buf_free(&folded);
	buf_free(&keys);
	buf_free(&exact);
	buf_free(&skel);
	buf_free(&idents);
	return rc;
}

void search_results_json(json_w *w, const dl_search_results *r)
{
	json_begin_array(w);
	for (size_t i = 0; i < r->n; i++) {
		const dl_search_hit *h = &r->v[i];
		json_begin_object(w);
		json_kstr(w, "kind", h->restricted ? NULL : search_kind_names[h->kind]);
		json_kid(w, "id", h->id);
		json_kbool(w, "exact", h->exact);
		json_kstr(w, "case", h->case_number);
		json_kbool(w, "restricted", h->restricted);
		json_kint(w, "count", h->count);
		json_kstr(w, "label", h->label);
		json_kstr(w, "label2", h->label2);
		json_kstr(w, "detail", h->detail);
		json_kid(w, "person_id", h->person_id);
		json_kid(w, "device_id", h->device_id);
		json_kid(w, "item_id", h->item_id);
		json_kid(w, "source_id", h->source_id);
		json_kstr(w, "lead", h->lead);
		json_kstr(w, "lead_name_ar", h->lead_name_ar);
		json_kstr(w, "lead_name_en", h->lead_name_en);
		json_end_object(w);
	}
	json_end_array(w);
}
