/* links.c — see links.h. */
#include "links.h"
#include "case.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const links_subject_kind_names[] = {"", "person", "device", "item", NULL};

/* One statement, every step on an index (EXPLAIN QUERY PLAN: SEARCH by
 * identifiers_case, case_persons' unique index, devices_case, identifiers_person,
 * identifiers_device, identifiers_value, case_persons_person, then primary keys;
 * the temporary B-trees are over the case's own hits only):
 *  mine   the identifier rows of the case: recorded in it (identifiers_case),
 *         of its persons (case_persons → identifiers_person) and of its
 *         devices (devices_case → identifiers_device); those found in evidence
 *         items folded into one row per value (the first item and how many),
 *         since a number in a chat export can be in thousands of items and
 *         each pair of items would otherwise be a hit of its own;
 *  vals   their distinct kind and value;
 *  there  every row with one of those values (identifiers_value) with each
 *         other case it belongs to by the same three rules, items folded the
 *         same way per case;
 *  hits   the pairs, with whether the session may read the other case,
 *         worked out once per pair (MATERIALIZED) and then used to blank
 *         everything of a restricted case but its number and lead, so that
 *         DISTINCT folds its subjects into one hit.
 * The subjects' names come last, by primary key. */
static const char links_sql[] =
	"WITH mine(kind, value, person_id, device_id, item_id, n) AS MATERIALIZED ("
	"  SELECT i.kind, i.value, i.person_id, i.device_id, NULL, 1"
	"    FROM identifiers i WHERE i.case_id = @case AND i.item_id IS NULL"
	"  UNION"
	"  SELECT i.kind, i.value, NULL, NULL, min(i.item_id), count(*)"
	"    FROM identifiers i WHERE i.case_id = @case AND i.item_id IS NOT NULL"
	"   GROUP BY i.kind, i.value"
	"  UNION"
	"  SELECT i.kind, i.value, i.person_id, NULL, NULL, 1"
	"    FROM case_persons cp JOIN identifiers i ON i.person_id = cp.person_id"
	"   WHERE cp.case_id = @case"
	"  UNION"
	"  SELECT i.kind, i.value, NULL, i.device_id, NULL, 1"
	"    FROM devices d JOIN identifiers i ON i.device_id = d.id WHERE d.case_id = @case),"
	" vals(kind, value) AS MATERIALIZED (SELECT DISTINCT kind, value FROM mine),"
	" there(kind, value, person_id, device_id, item_id, n, case_id) AS ("
	"  SELECT o.kind, o.value, o.person_id, o.device_id, NULL, 1, o.case_id"
	"    FROM vals v JOIN identifiers o ON o.kind = v.kind AND o.value = v.value"
	"   WHERE o.case_id <> @case AND o.item_id IS NULL"
	"  UNION"
	"  SELECT o.kind, o.value, NULL, NULL, min(o.item_id), count(*), o.case_id"
	"    FROM vals v JOIN identifiers o ON o.kind = v.kind AND o.value = v.value"
	"   WHERE o.case_id <> @case AND o.item_id IS NOT NULL"
	"   GROUP BY o.kind, o.value, o.case_id"
	"  UNION"
	"  SELECT o.kind, o.value, o.person_id, NULL, NULL, 1, cp.case_id"
	"    FROM vals v JOIN identifiers o ON o.kind = v.kind AND o.value = v.value"
	"    JOIN case_persons cp ON cp.person_id = o.person_id"
	"   WHERE cp.case_id <> @case"
	"  UNION"
	"  SELECT o.kind, o.value, NULL, o.device_id, NULL, 1, d.case_id"
	"    FROM vals v JOIN identifiers o ON o.kind = v.kind AND o.value = v.value"
	"    JOIN devices d ON d.id = o.device_id"
	"   WHERE d.case_id <> @case),"
	" hits AS MATERIALIZED ("
	"  SELECT m.kind, m.value, m.person_id AS hp, m.device_id AS hd, m.item_id AS hi, m.n AS hn,"
	"         t.person_id AS tp, t.device_id AS td, t.item_id AS ti, t.n AS tn,"
	"         c.number, c.title_ar, c.title_en, c.lead_id, " PERM_CASE_VISIBLE_SQL " AS vis"
	"    FROM mine m JOIN there t ON t.kind = m.kind AND t.value = m.value"
	"    JOIN cases c ON c.id = t.case_id)"
	" SELECT x.kind, x.value, x.hp, x.hd, x.hi, x.number, x.vis, x.title_ar, x.title_en,"
	"        x.tp, x.td, x.ti, u.username, u.name_ar, u.name_en,"
	"        p1.name_ar, p1.name_lat, d1.type,"
	"        coalesce(nullif(trim(ifnull(d1.make, '') || ' ' || ifnull(d1.model, '')), ''), d1.serial),"
	"        i1.path,"
	"        p2.name_ar, p2.name_lat, d2.type,"
	"        coalesce(nullif(trim(ifnull(d2.make, '') || ' ' || ifnull(d2.model, '')), ''), d2.serial),"
	"        i2.path, x.hn, x.tn"
	"   FROM (SELECT DISTINCT h.kind, h.value, h.hp, h.hd, h.hi, h.hn, h.number, h.vis,"
	"           CASE WHEN h.vis THEN h.title_ar END AS title_ar,"
	"           CASE WHEN h.vis THEN h.title_en END AS title_en,"
	"           CASE WHEN h.vis THEN h.tp END AS tp,"
	"           CASE WHEN h.vis THEN h.td END AS td,"
	"           CASE WHEN h.vis THEN h.ti END AS ti,"
	"           CASE WHEN h.vis THEN h.tn END AS tn,"
	"           h.lead_id"
	"         FROM hits h) x"
	"   LEFT JOIN users u ON u.id = x.lead_id"
	"   LEFT JOIN persons p1 ON p1.id = x.hp"
	"   LEFT JOIN devices d1 ON d1.id = x.hd"
	"   LEFT JOIN evidence_items i1 ON i1.id = x.hi"
	"   LEFT JOIN persons p2 ON p2.id = x.tp"
	"   LEFT JOIN devices d2 ON d2.id = x.td"
	"   LEFT JOIN evidence_items i2 ON i2.id = x.ti"
	"  ORDER BY x.hi IS NOT NULL, x.kind, x.value, x.number, x.hp, x.hd, x.hi, x.tp, x.td, x.ti"
	"  LIMIT @limit";

enum {
	C_KIND, C_VALUE, C_HP, C_HD, C_HI, C_NUMBER, C_VIS, C_TITLE_AR, C_TITLE_EN,
	C_TP, C_TD, C_TI, C_LEAD, C_LEAD_AR, C_LEAD_EN,
	C_HERE_NAMES,              /* person name_ar, name_lat, device type, device name, item path */
	C_THERE_NAMES = C_HERE_NAMES + 5,
	C_HN = C_THERE_NAMES + 5, C_TN,   /* how many items, for item subjects */
};

/* A subject from its three id columns (at ids) and five name columns. A row
 * has one subject; the first id set decides. */
static void subject_from_row(sqlite3_stmt *q, int ids, int names, int count, dl_link_subject *s)
{
	memset(s, 0, sizeof *s);
	if (sqlite3_column_type(q, ids) != SQLITE_NULL) {
		s->kind = DL_LINK_PERSON;
		s->id = sqlite3_column_int64(q, ids);
		s->name = store_col_dup(q, names);
		s->name_lat = store_col_dup(q, names + 1);
	} else if (sqlite3_column_type(q, ids + 1) != SQLITE_NULL) {
		s->kind = DL_LINK_DEVICE;
		s->id = sqlite3_column_int64(q, ids + 1);
		s->device_type = store_col_dup(q, names + 2);
		s->name = store_col_dup(q, names + 3);
	} else if (sqlite3_column_type(q, ids + 2) != SQLITE_NULL) {
		s->kind = DL_LINK_ITEM;
		s->id = sqlite3_column_int64(q, ids + 2);
		s->name = store_col_dup(q, names + 4);
		s->items = sqlite3_column_int64(q, count);
	}
}

static void subject_free(dl_link_subject *s)
{
	free(s->name);
	free(s->name_lat);
	free(s->device_type);
}

dl_status links_case(dl_session *s, const char *case_number, size_t limit, dl_link_list *out,
                     dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, links_sql, err);
	if (!q)
		return DL_EDB;
	perm_bind(s, q);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@case"), case_id);
	/* one more than asked for says whether there are more */
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@limit"), limit ? (long long)limit + 1 : -1);
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (limit && out->n == limit) {
			out->more = 1;
			step = SQLITE_DONE;
			break;
		}
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_link *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's: reported below */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_link *l = &out->v[out->n++];
		memset(l, 0, sizeof *l);
		l->kind = store_col_dup(q, C_KIND);
		l->value = store_col_dup(q, C_VALUE);
		subject_from_row(q, C_HP, C_HERE_NAMES, C_HN, &l->here);
		l->other_case = store_col_dup(q, C_NUMBER);
		l->restricted = !sqlite3_column_int(q, C_VIS);
		l->other_title_ar = store_col_dup(q, C_TITLE_AR);
		l->other_title_en = store_col_dup(q, C_TITLE_EN);
		subject_from_row(q, C_TP, C_THERE_NAMES, C_TN, &l->there);
		l->other_lead = store_col_dup(q, C_LEAD);
		l->other_lead_name_ar = store_col_dup(q, C_LEAD_AR);
		l->other_lead_name_en = store_col_dup(q, C_LEAD_EN);
	}
	if (step == SQLITE_NOMEM)
		rc = store_nomem(err);
	else if (step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	else
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		links_list_free(out);
	sqlite3_finalize(q);
	return rc;
}

void links_list_free(dl_link_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		dl_link *k = &l->v[i];
		free(k->kind);
		free(k->value);
		subject_free(&k->here);
		free(k->other_case);
		free(k->other_title_ar);
		free(k->other_title_en);
		subject_free(&k->there);
		free(k->other_lead);
		free(k->other_lead_name_ar);
		free(k->other_lead_name_en);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* prefix "subject", "subject_kind", "subject_id", "subject_lat"; all null for
 * no subject. */
static void subject_json(json_w *w, const char *prefix, const dl_link_subject *s)
{
	char key[40];
	dl_buf name = {0};
	if (s->kind == DL_LINK_DEVICE) {
		/* like identifier_list's subject: "phone Samsung A12" */
		buf_adds(&name, s->device_type ? s->device_type : "");
		if (s->name) {
			buf_addc(&name, ' ');
			buf_adds(&name, s->name);
		}
	} else if (s->name) {
		buf_adds(&name, s->name);
	}
	json_kstr(w, prefix, s->kind == DL_LINK_NONE ? NULL : buf_str(&name));
	buf_free(&name);
	snprintf(key, sizeof key, "%s_kind", prefix);
	json_kstr(w, key, s->kind == DL_LINK_NONE ? NULL : links_subject_kind_names[s->kind]);
	snprintf(key, sizeof key, "%s_id", prefix);
	json_kid(w, key, s->id);
	snprintf(key, sizeof key, "%s_lat", prefix);
	json_kstr(w, key, s->name_lat);
	snprintf(key, sizeof key, "%s_items", prefix);
	json_kint(w, key, s->kind == DL_LINK_ITEM ? s->items : 0);
}

void links_json(json_w *w, const dl_link_list *l)
{
	json_begin_array(w);
	for (size_t i = 0; i < l->n; i++) {
		const dl_link *k = &l->v[i];
		json_begin_object(w);
		json_kstr(w, "kind", k->kind);
		json_kstr(w, "value", k->value);
		subject_json(w, "subject", &k->here);
		json_kstr(w, "other_case", k->other_case);
		json_kbool(w, "restricted", k->restricted);
		json_kstr(w, "other_title", k->other_title_ar);
		json_kstr(w, "other_title_en", k->other_title_en);
		subject_json(w, "other_subject", &k->there);
		json_kstr(w, "other_lead", k->other_lead);
		json_kstr(w, "other_lead_name_ar", k->other_lead_name_ar);
		json_kstr(w, "other_lead_name_en", k->other_lead_name_en);
		json_end_object(w);
	}
	json_end_array(w);
}
