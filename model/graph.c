/* graph.c — see graph.h. The graph is gathered by a few statements over the
 * set of exported cases (a JSON array bound once, so --all costs the same
 * statements as one case), into nodes and edges found again by their ids in
 * two hash maps; sorting at the end makes the bytes independent of the order
 * SQLite happened to return rows in. */
#include "graph.h"
#include "case.h"
#include "crypto.h"
#include "i18n.h"
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const graph_node_kind_names[] = {"case", "person", "device", "identifier", NULL};
const char *const graph_edge_kind_names[] = {"in_case", "seized_in", "owner", "has", "found_in",
                                             "recorded_in", "restricted", NULL};
const char *const graph_format_names[] = {"graphml", "dot", NULL};

/* ---- string → index map (open addressing, keys owned) ------------------- */

typedef struct smap {
	char **keys;
	size_t *vals;
	size_t cap, n;
} smap;

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t smap_slot(const smap *m, const char *key)
{
	size_t i = fnv(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int smap_get(const smap *m, const char *key, size_t *val)
{
	if (!m->cap)
		return 0;
	size_t i = smap_slot(m, key);
	if (!m->keys[i])
		return 0;
	*val = m->vals[i];
	return 1;
}

/* 0, or -1 without memory (the map is as it was). */
static int smap_put(smap *m, const char *key, size_t val)
{
	if (2 * (m->n + 1) > m->cap) {   /* at most half full: short probes */
		smap big = {0};
		big.cap = m->cap ? 2 * m->cap : 64;
		big.keys = calloc(big.cap, sizeof *big.keys);
		big.vals = calloc(big.cap, sizeof *big.vals);
		if (!big.keys || !big.vals) {
			free(big.keys);
			free(big.vals);
			return -1;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t j = smap_slot(&big, m->keys[i]);
				big.keys[j] = m->keys[i];
				big.vals[j] = m->vals[i];
			}
		big.n = m->n;
		free(m->keys);
		free(m->vals);
		*m = big;
	}
	size_t i = smap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = strdup(key);
		if (!m->keys[i])
			return -1;
		m->n++;
	}
	m->vals[i] = val;
	return 0;
}

static void smap_free(smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- the builder --------------------------------------------------------- */

typedef struct owner_tie {
	size_t device;             /* node index */
	long long person_id;
} owner_tie;

typedef struct gb {
	dl_session *s;
	dl_graph *g;
	size_t ncap, ecap;
	smap nodes, edges;
	/* an owner may not be in the graph (a device of another case holding a
	 * shared identifier): these edges are drawn at the end, when it is */
	owner_tie *owners;
	size_t nowners, capowners;
	sqlite3_stmt *q_case, *q_person, *q_roles, *q_device, *q_imeis;
	dl_err *err;
} gb;

/* Room in *pv (n elements of size in use) for one more: 0, or -1 without
 * memory (*pv kept). A graph built short would hide links: the builder stops
 * with DL_ENOMEM instead. */
static int grow(void *pv, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? 2 * *cap : 32;
	void *nv = realloc(*(void **)pv, ncap * size);
	if (!nv)
		return -1;
	*(void **)pv = nv;
	*cap = ncap;
	return 0;
}

/* The node with id, or a new one of kind (*added says which), at *at. */
static dl_status node_get(gb *b, dl_graph_node_kind kind, const char *id, size_t *at, int *added)
{
	*added = 0;
	if (smap_get(&b->nodes, id, at))
		return DL_OK;
	if (grow(&b->g->nodes, &b->ncap, b->g->nnodes, sizeof *b->g->nodes) != 0)
		return store_nomem(b->err);
	dl_graph_node *n = &b->g->nodes[b->g->nnodes];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->id = strdup(id);
	if (!n->id || smap_put(&b->nodes, id, b->g->nnodes) != 0) {
		free(n->id);
		n->id = NULL;
		return store_nomem(b->err);
	}
	*at = b->g->nnodes++;
	*added = 1;
	return DL_OK;
}

/* The edge source—target of kind, new or found (*added says which), at *out. */
static dl_status edge_get(gb *b, dl_graph_edge_kind kind, size_t source, size_t target,
                          dl_graph_edge **out, int *added)
{
	char key[64];
	snprintf(key, sizeof key, "%zu %zu %d", source, target, (int)kind);
	size_t at;
	*added = 0;
	if (smap_get(&b->edges, key, &at)) {
		*out = &b->g->edges[at];
		return DL_OK;
	}
	if (grow(&b->g->edges, &b->ecap, b->g->nedges, sizeof *b->g->edges) != 0 ||
	    smap_put(&b->edges, key, b->g->nedges) != 0)
		return store_nomem(b->err);
	at = b->g->nedges++;
	dl_graph_edge *e = &b->g->edges[at];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->source = source;
	e->target = target;
	*out = e;
	*added = 1;
	return DL_OK;
}

static dl_status edge_add(gb *b, dl_graph_edge_kind kind, size_t source, size_t target)
{
	int added;
	dl_graph_edge *e;
	return edge_get(b, kind, source, target, &e, &added);
}

/* A cached statement of the builder, prepared on first use. */
static sqlite3_stmt *stmt(gb *b, sqlite3_stmt **q, const char *sql)
{
	if (!*q)
		*q = store_prepare(b->s->store, sql, b->err);
	else
		sqlite3_reset(*q);
	return *q;
}

static dl_status sqlfail(gb *b)
{
	return store_sqlerr(b->s->store, b->err, "");
}

/* The node of case case_id: in full when readable, else its number and lead. */
static dl_status case_node(gb *b, long long case_id, int readable, size_t *at)
{
	char id[32];
	snprintf(id, sizeof id, "c%lld", case_id);
	int added;
	dl_status rc = node_get(b, DL_GRAPH_CASE, id, at, &added);
	if (rc != DL_OK || !added)
		return rc;
	sqlite3_stmt *q = stmt(b, &b->q_case,
		"SELECT c.number, c.title_ar, c.title_en, c.status, u.username,"
		"       coalesce(nullif(u.name_en, ''), nullif(u.name_ar, ''))"
		"  FROM cases c LEFT JOIN users u ON u.id = c.lead_id WHERE c.id = ?");
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	if (sqlite3_step(q) != SQLITE_ROW)
		return sqlfail(b);
	dl_graph_node *n = &b->g->nodes[*at];
	n->db_id = case_id;
	n->restricted = !readable;
	n->number = store_col_dup(q, 0);
	if (readable) {
		n->title_ar = store_col_dup(q, 1);
		n->title_en = store_col_dup(q, 2);
		n->status = store_col_dup(q, 3);
		b->g->ncases++;
	}
	n->lead = store_col_dup(q, 4);
	n->lead_name = store_col_dup(q, 5);
	return DL_OK;
}

/* The node of person person_id, and its edge to case_id with every role the
 * person has in that case. */
static dl_status person_in_case(gb *b, long long person_id, size_t case_at, size_t *at)
{
	char id[32];
	snprintf(id, sizeof id, "p%lld", person_id);
	int added;
	dl_status rc = node_get(b, DL_GRAPH_PERSON, id, at, &added);
	if (rc != DL_OK)
		return rc;
	if (added) {
		sqlite3_stmt *q = stmt(b, &b->q_person, "SELECT name_ar, name_lat FROM persons WHERE id = ?");
		if (!q)
			return DL_EDB;
		sqlite3_bind_int64(q, 1, person_id);
		if (sqlite3_step(q) != SQLITE_ROW)
			return sqlfail(b);
		dl_graph_node *n = &b->g->nodes[*at];
		n->db_id = person_id;
		n->name_ar = store_col_dup(q, 0);
		n->name_lat = store_col_dup(q, 1);
	}
	dl_graph_edge *e;
	if ((rc = edge_get(b, DL_GRAPH_IN_CASE, *at, case_at, &e, &added)) != DL_OK || !added)
		return rc;
	/* the roles in their schema order (suspect, victim, …), each once */
	sqlite3_stmt *q = stmt(b, &b->q_roles,
		"SELECT group_concat(role, ','), group_concat(DISTINCT network_role) FROM ("
		" SELECT role, network_role FROM case_persons WHERE case_id = ?1 AND person_id = ?2"
		" ORDER BY CASE role WHEN 'suspect' THEN 0 WHEN 'victim' THEN 1 WHEN 'witness' THEN 2"
		"   ELSE 3 END, network_role)");
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, b->g->nodes[case_at].db_id);
	sqlite3_bind_int64(q, 2, person_id);
	if (sqlite3_step(q) != SQLITE_ROW)
		return sqlfail(b);
	e->role = store_col_dup(q, 0);
	e->network_role = store_col_dup(q, 1);
	return DL_OK;
}

/* The node of device device_id (of a readable case), its edge to its case and
 * (at the end) to its owner. */
static dl_status device_node(gb *b, long long device_id, size_t *at)
{
	char id[32];
	snprintf(id, sizeof id, "d%lld", device_id);
	int added;
	dl_status rc = node_get(b, DL_GRAPH_DEVICE, id, at, &added);
	if (rc != DL_OK || !added)
		return rc;
	sqlite3_stmt *q = stmt(b, &b->q_device,
		"SELECT case_id, type, make, model, serial, owner_id FROM devices WHERE id = ?");
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, device_id);
	if (sqlite3_step(q) != SQLITE_ROW)
		return sqlfail(b);
	long long case_id = sqlite3_column_int64(q, 0);
	long long owner = sqlite3_column_int64(q, 5);
	dl_graph_node *n = &b->g->nodes[*at];
	n->db_id = device_id;
	n->device_type = store_col_dup(q, 1);
	n->make = store_col_dup(q, 2);
	n->model = store_col_dup(q, 3);
	n->serial = store_col_dup(q, 4);
	sqlite3_stmt *qi = stmt(b, &b->q_imeis,
		"SELECT group_concat(value, ',') FROM (SELECT value FROM identifiers"
		" WHERE device_id = ? AND kind = 'imei' ORDER BY id)");
	if (!qi)
		return DL_EDB;
	sqlite3_bind_int64(qi, 1, device_id);
	if (sqlite3_step(qi) != SQLITE_ROW)
		return sqlfail(b);
	b->g->nodes[*at].imeis = store_col_dup(qi, 0);
	size_t case_at;
	if ((rc = case_node(b, case_id, 1, &case_at)) != DL_OK ||
	    (rc = edge_add(b, DL_GRAPH_SEIZED_IN, *at, case_at)) != DL_OK)
		return rc;
	if (owner > 0) {
		if (grow(&b->owners, &b->capowners, b->nowners, sizeof *b->owners) != 0)
			return store_nomem(b->err);
		b->owners[b->nowners++] = (owner_tie){*at, owner};
	}
	return DL_OK;
}

/* The node id of an identifier: "i:KIND:VALUE" with every byte that an XML
 * NMTOKEN (what GraphML's schema wants for ids) may not hold, and "_" itself,
 * written as _XX: "i:phone:_2B218912345678". One value, one id, readable. */
static void ident_id(dl_buf *id, const char *kind, const char *value)
{
	buf_addf(id, "i:%s:", kind);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '-' || *p == ':')
			buf_addc(id, (char)*p);
		else
			buf_addf(id, "_%02X", *p);
	}
}

static dl_status ident_node(gb *b, const char *kind, const char *value, size_t *at)
{
	dl_buf id = {0};
	ident_id(&id, kind, value);
	int added = 0;
	dl_status rc = buf_failed(&id) ? store_nomem(b->err)
	             : node_get(b, DL_GRAPH_IDENTIFIER, buf_str(&id), at, &added);
	buf_free(&id);
	if (rc == DL_OK && added) {
		/* a node without them is freed whole by graph_free */
		b->g->nodes[*at].ident_kind = strdup(kind);
		b->g->nodes[*at].value = strdup(value);
		if (!b->g->nodes[*at].ident_kind || !b->g->nodes[*at].value)
			rc = store_nomem(b->err);
	}
	return rc;
}

/* One row (kind, value, -, person, device, item?, case, items) of a readable
 * case: the identifier's node and the edge that says whose it is there. The
 * rows of evidence items come counted per value and case (count(DISTINCT
 * item): one item holding a value at two offsets is one item). */
static dl_status ident_row(gb *b, sqlite3_stmt *q, long long case_id)
{
	const char *kind = (const char *)sqlite3_column_text(q, 0);
	const char *value = (const char *)sqlite3_column_text(q, 1);
	if (!kind || !value)   /* NOT NULL columns: SQLite ran out of memory */
		return store_nomem(b->err);
	size_t at;
	dl_status rc = ident_node(b, kind, value, &at);
	if (rc != DL_OK)
		return rc;
	long long person = sqlite3_column_int64(q, 3), device = sqlite3_column_int64(q, 4);
	int item = sqlite3_column_int(q, 5);   /* 1: found in items (column 7 says how many) */
	size_t case_at, subject;
	if ((rc = case_node(b, case_id, 1, &case_at)) != DL_OK)
		return rc;
	if (person > 0) {
		if ((rc = person_in_case(b, person, case_at, &subject)) != DL_OK)
			return rc;
		rc = edge_add(b, DL_GRAPH_HAS, subject, at);
	} else if (device > 0) {
		if ((rc = device_node(b, device, &subject)) != DL_OK)
			return rc;
		rc = edge_add(b, DL_GRAPH_HAS, subject, at);
	} else if (item) {
		int added;
		dl_graph_edge *e;
		if ((rc = edge_get(b, DL_GRAPH_FOUND_IN, at, case_at, &e, &added)) == DL_OK)
			e->items += sqlite3_column_int64(q, 7);
	} else {
		rc = edge_add(b, DL_GRAPH_RECORDED_IN, at, case_at);
	}
	return rc;
}

/* The exported cases (@focus, a JSON array of ids) as a table f(id). */
#define FOCUS "f(id) AS (SELECT value FROM json_each(@focus))"

/* Every identifier row of the exported cases, by the rules of identifier_list:
 * those of their persons (in whichever case recorded) and devices, and those
 * recorded on the case itself (found in its items, or without a subject). A
 * person's row counts for each exported case they are in. The columns are
 * those ident_row reads; the evidence items are counted in SQL, so that a
 * value extracted a million times is one row here. */
static const char focus_rows_sql[] =
	"WITH " FOCUS
	" SELECT i.kind, i.value, NULL, i.person_id, NULL, NULL, cp.case_id, 0"
	"   FROM case_persons cp JOIN identifiers i ON i.person_id = cp.person_id"
	"  WHERE cp.case_id IN (SELECT id FROM f)"
	" UNION"
	" SELECT i.kind, i.value, NULL, NULL, i.device_id, NULL, d.case_id, 0"
	"   FROM devices d JOIN identifiers i ON i.device_id = d.id"
	"  WHERE d.case_id IN (SELECT id FROM f)"
	" UNION"
	" SELECT i.kind, i.value, NULL, NULL, NULL, i.item_id IS NOT NULL, i.case_id,"
	"        count(DISTINCT i.item_id)"
	"   FROM identifiers i"
	"  WHERE i.case_id IN (SELECT id FROM f) AND i.person_id IS NULL AND i.device_id IS NULL"
	"  GROUP BY i.kind, i.value, i.case_id, i.item_id IS NOT NULL";

/* The rows of the other cases holding one of those values, by the same rules
 * (a person's row in every case of the person, a device's in its case), with
 * whether the session may read that case. For a case it may not, the subject
 * columns and the count are blanked so that DISTINCT leaves one row per value
 * and case: nothing says whose it is there, or how often. */
static const char other_rows_sql[] =
	"WITH " FOCUS ","
	" mine(kind, value) AS MATERIALIZED ("
	"  SELECT i.kind, i.value FROM case_persons cp JOIN identifiers i ON i.person_id = cp.person_id"
	"   WHERE cp.case_id IN (SELECT id FROM f)"
	"  UNION SELECT i.kind, i.value FROM devices d JOIN identifiers i ON i.device_id = d.id"
	"   WHERE d.case_id IN (SELECT id FROM f)"
	"  UNION SELECT i.kind, i.value FROM identifiers i WHERE i.case_id IN (SELECT id FROM f)"
	"   AND i.person_id IS NULL AND i.device_id IS NULL),"
	" there(kind, value, person_id, device_id, item_id, case_id, n) AS ("
	"  SELECT o.kind, o.value, o.person_id, NULL, NULL, cp.case_id, 0"
	"    FROM mine m JOIN identifiers o ON o.kind = m.kind AND o.value = m.value"
	"    JOIN case_persons cp ON cp.person_id = o.person_id"
	"   WHERE cp.case_id NOT IN (SELECT id FROM f)"
	"  UNION"
	"  SELECT o.kind, o.value, NULL, o.device_id, NULL, d.case_id, 0"
	"    FROM mine m JOIN identifiers o ON o.kind = m.kind AND o.value = m.value"
	"    JOIN devices d ON d.id = o.device_id"
	"   WHERE d.case_id NOT IN (SELECT id FROM f)"
	"  UNION"
	"  SELECT o.kind, o.value, NULL, NULL, o.item_id IS NOT NULL, o.case_id,"
	"         count(DISTINCT o.item_id)"
	"    FROM mine m JOIN identifiers o ON o.kind = m.kind AND o.value = m.value"
	"   WHERE o.person_id IS NULL AND o.device_id IS NULL"
	"     AND o.case_id NOT IN (SELECT id FROM f)"
	"   GROUP BY o.kind, o.value, o.case_id, o.item_id IS NOT NULL)"
	" SELECT DISTINCT x.kind, x.value, x.vis,"
	"        CASE WHEN x.vis THEN x.person_id END, CASE WHEN x.vis THEN x.device_id END,"
	"        CASE WHEN x.vis THEN x.item_id END, x.case_id, CASE WHEN x.vis THEN x.n END"
	"   FROM (SELECT t.*, " PERM_CASE_VISIBLE_SQL " AS vis"
	"           FROM there t JOIN cases c ON c.id = t.case_id) x";

/* The rows of a statement shaped like focus_rows_sql / other_rows_sql (column
 * 2 says whether the case is readable; focus rows always are). */
static dl_status take_rows(gb *b, sqlite3_stmt *q, int other)
{
	int step;
	dl_status rc = DL_OK;
	while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		long long case_id = sqlite3_column_int64(q, 6);
		if (other && !sqlite3_column_int(q, 2)) {
			const char *kind = (const char *)sqlite3_column_text(q, 0);
			const char *value = (const char *)sqlite3_column_text(q, 1);
			size_t at, case_at;
			if (!kind || !value)
				rc = store_nomem(b->err);
			if (rc == DL_OK && (rc = ident_node(b, kind, value, &at)) == DL_OK &&
			    (rc = case_node(b, case_id, 0, &case_at)) == DL_OK)
				rc = edge_add(b, DL_GRAPH_RESTRICTED, at, case_at);
		} else {
			rc = ident_row(b, q, case_id);
		}
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = sqlfail(b);
	return rc;
}

static sqlite3_stmt *focus_stmt(gb *b, const char *sql, const char *focus)
{
	sqlite3_stmt *q = store_prepare(b->s->store, sql, b->err);
	if (!q)
		return NULL;
	perm_bind(b->s, q);
	sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@focus"), focus, -1, SQLITE_STATIC);
	return q;
}

/* Everything of the exported cases: their nodes, persons, devices and
 * identifiers, then the other cases sharing an identifier. */
static dl_status gather(gb *b, const char *focus)
{
	static const char *const parts[] = {
		/* cases first, so that an exported case without anything is a node too */
		"WITH " FOCUS " SELECT id FROM f",
		"WITH " FOCUS " SELECT person_id, case_id FROM case_persons"
		" WHERE case_id IN (SELECT id FROM f) GROUP BY person_id, case_id",
		"WITH " FOCUS " SELECT id FROM devices WHERE case_id IN (SELECT id FROM f)",
	};
	dl_status rc = DL_OK;
	for (size_t p = 0; rc == DL_OK && p < sizeof parts / sizeof parts[0]; p++) {
		sqlite3_stmt *q = focus_stmt(b, parts[p], focus);
		if (!q)
			return DL_EDB;
		int step;
		while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
			size_t at, case_at;
			long long id = sqlite3_column_int64(q, 0);
			if (p == 0) {
				rc = case_node(b, id, 1, &at);
			} else if (p == 1) {
				rc = case_node(b, sqlite3_column_int64(q, 1), 1, &case_at);
				if (rc == DL_OK)
					rc = person_in_case(b, id, case_at, &at);
			} else {
				rc = device_node(b, id, &at);
			}
		}
		if (rc == DL_OK && step != SQLITE_DONE)
			rc = sqlfail(b);
		sqlite3_finalize(q);
	}
	for (int other = 0; rc == DL_OK && other < 2; other++) {
		sqlite3_stmt *q = focus_stmt(b, other ? other_rows_sql : focus_rows_sql, focus);
		if (!q)
			return DL_EDB;
		rc = take_rows(b, q, other);
		sqlite3_finalize(q);
	}
	return rc;
}

/* ---- ordering ------------------------------------------------------------ */

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int node_cmp(const dl_graph_node *x, const dl_graph_node *y)
{
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = 0;
	switch (x->kind) {
	case DL_GRAPH_CASE:
		c = strcmp0(x->number, y->number);
		break;
	case DL_GRAPH_PERSON:
	case DL_GRAPH_DEVICE:
		break;
	case DL_GRAPH_IDENTIFIER:
		if (!(c = strcmp0(x->ident_kind, y->ident_kind)))
			c = strcmp0(x->value, y->value);
		break;
	}
	if (c)
		return c;
	return x->db_id < y->db_id ? -1 : x->db_id > y->db_id;
}

static const dl_graph_node *sort_nodes;   /* qsort has no context argument in C11 */

static int node_idx_cmp(const void *a, const void *b)
{
	return node_cmp(&sort_nodes[*(const size_t *)a], &sort_nodes[*(const size_t *)b]);
}

static int edge_cmp(const void *a, const void *b)
{
	const dl_graph_edge *x = a, *y = b;
	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Draw the owner edges whose person is in the graph, then put nodes and
 * edges in their order. */
static dl_status finish(gb *b)
{
	dl_graph *g = b->g;
	dl_status rc = DL_OK;
	for (size_t i = 0; i < b->nowners && rc == DL_OK; i++) {
		char id[32];
		size_t at;
		snprintf(id, sizeof id, "p%lld", b->owners[i].person_id);
		if (smap_get(&b->nodes, id, &at))
			rc = edge_add(b, DL_GRAPH_OWNER, b->owners[i].device, at);
	}
	if (rc != DL_OK)
		return rc;
	size_t *order = malloc((g->nnodes ? g->nnodes : 1) * sizeof *order);
	size_t *rank = malloc((g->nnodes ? g->nnodes : 1) * sizeof *rank);
	dl_graph_node *sorted = malloc((g->nnodes ? g->nnodes : 1) * sizeof *sorted);
	if (!order || !rank || !sorted) {
		free(order);
		free(rank);
		free(sorted);
		return store_nomem(b->err);
	}
	for (size_t i = 0; i < g->nnodes; i++)
		order[i] = i;
	sort_nodes = g->nodes;
	qsort(order, g->nnodes, sizeof *order, node_idx_cmp);
	sort_nodes = NULL;
	for (size_t i = 0; i < g->nnodes; i++) {
		rank[order[i]] = i;
		sorted[i] = g->nodes[order[i]];
	}
	free(g->nodes);
	g->nodes = sorted;
	for (size_t i = 0; i < g->nedges; i++) {
		g->edges[i].source = rank[g->edges[i].source];
		g->edges[i].target = rank[g->edges[i].target];
	}
	if (g->nedges)
		qsort(g->edges, g->nedges, sizeof *g->edges, edge_cmp);
	free(order);
	free(rank);
	return DL_OK;
}

static void builder_free(gb *b)
{
	sqlite3_finalize(b->q_case);
	sqlite3_finalize(b->q_person);
	sqlite3_finalize(b->q_roles);
	sqlite3_finalize(b->q_device);
	sqlite3_finalize(b->q_imeis);
	smap_free(&b->nodes);
	smap_free(&b->edges);
	free(b->owners);
}

/* The JSON array of the ids of the cases to export. */
static dl_status focus_ids(dl_session *s, const char *case_number, dl_buf *out, dl_err *err)
{
	buf_addc(out, '[');
	if (case_number) {
		long long id;
		dl_status rc = case_resolve(s, case_number, 0, &id, err);
		if (rc != DL_OK)
			return rc;
		buf_addf(out, "%lld]", id);
		return DL_OK;
	}
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT c.id FROM cases c WHERE " PERM_CASE_VISIBLE_SQL " ORDER BY c.id", err);
	if (!q)
		return DL_EDB;
	perm_bind(s, q);
	int step, first = 1;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		buf_addf(out, "%s%lld", first ? "" : ",", sqlite3_column_int64(q, 0));
		first = 0;
	}
	sqlite3_finalize(q);
	if (step != SQLITE_DONE)
		return store_sqlerr(s->store, err, "");
	buf_addc(out, ']');
	return buf_failed(out) ? store_nomem(err) : DL_OK;
}

dl_status graph_build(dl_session *s, const char *case_number, dl_graph *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	if (s->role == DL_ROLE_CLERK)
		return dl_err_set(err, DL_EPERM, "",
		                  _("clerks may make the court report of a case, not export its network"));
	dl_buf focus = {0};
	dl_status rc = focus_ids(s, case_number, &focus, err);
	if (rc != DL_OK) {
		buf_free(&focus);
		return rc;
	}
	gb b = {.s = s, .g = out, .err = err};
	/* one read transaction: the graph is one moment of the store */
	if (sqlite3_exec(s->store->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		buf_free(&focus);
		return store_sqlerr(s->store, err, "");
	}
	unsigned long mark = store_oom_mark();
	rc = gather(&b, buf_str(&focus));
	store_read_end(s->store);
	if (rc == DL_OK)
		rc = finish(&b);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	builder_free(&b);
	buf_free(&focus);
	if (rc != DL_OK)
		graph_free(out);
	return rc;
}

void graph_free(dl_graph *g)
{
	for (size_t i = 0; i < g->nnodes; i++) {
		dl_graph_node *n = &g->nodes[i];
		free(n->id);
		free(n->number); free(n->title_ar); free(n->title_en); free(n->status);
		free(n->lead); free(n->lead_name);
		free(n->name_ar); free(n->name_lat);
		free(n->device_type); free(n->make); free(n->model); free(n->serial); free(n->imeis);
		free(n->ident_kind); free(n->value);
	}
	for (size_t i = 0; i < g->nedges; i++) {
		free(g->edges[i].role);
		free(g->edges[i].network_role);
	}
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof *g);
}

/* ---- labels -------------------------------------------------------------- */

/* a, " / ", b with either missing: the Arabic and the Latin script side by side */
static void both(dl_buf *o, const char *a, const char *b)
{
	int ha = a && *a, hb = b && *b;
	if (ha)
		buf_adds(o, a);
	if (ha && hb)
		buf_adds(o, " / ");
	if (hb)
		buf_adds(o, b);
}

/* "type make model" of a device, the parts it has */
static void device_name(dl_buf *o, const dl_graph_node *n)
{
	buf_adds(o, n->device_type ? n->device_type : "");
	if (n->make && *n->make)
		buf_addf(o, " %s", n->make);
	if (n->model && *n->model)
		buf_addf(o, " %s", n->model);
}

/* The one-line label of a node: what Gephi and Graphviz show. */
static void node_label(dl_buf *o, const dl_graph_node *n)
{
	switch (n->kind) {
	case DL_GRAPH_CASE:
		buf_adds(o, n->number ? n->number : "");
		if (n->restricted) {
			/* TRANSLATORS: a case the user may not read, in a network export:
			 * "2026/TIP/0003 · restricted, ask inv2 (Ahmed Salem)" */
			buf_addf(o, " · %s", _("restricted, ask"));
			buf_addf(o, " %s", n->lead ? n->lead : _("a supervisor"));
			if (n->lead && n->lead_name)
				buf_addf(o, " (%s)", n->lead_name);
		} else if ((n->title_ar && *n->title_ar) || (n->title_en && *n->title_en)) {
			buf_adds(o, " · ");
			both(o, n->title_ar, n->title_en);
		}
		break;
	case DL_GRAPH_PERSON:
		both(o, n->name_ar, n->name_lat);
		break;
	case DL_GRAPH_DEVICE:
		device_name(o, n);
		if (n->serial && *n->serial)
			buf_addf(o, " · %s", n->serial);
		else if (n->imeis)
			buf_addf(o, " · %s", n->imeis);
		break;
	case DL_GRAPH_IDENTIFIER:
		buf_addf(o, "%s: %s", n->ident_kind, n->value);
		break;
	}
}

/* The Arabic-script and Latin-script labels (NULL when the node has none). */
static const char *label_ar(const dl_graph_node *n)
{
	return n->kind == DL_GRAPH_CASE ? n->title_ar : n->kind == DL_GRAPH_PERSON ? n->name_ar : NULL;
}

static const char *label_lat(const dl_graph_node *n)
{
	return n->kind == DL_GRAPH_CASE ? n->title_en : n->kind == DL_GRAPH_PERSON ? n->name_lat : NULL;
}

static void edge_label(dl_buf *o, const dl_graph_edge *e)
{
	switch (e->kind) {
	case DL_GRAPH_IN_CASE:
		buf_adds(o, e->role ? e->role : "");
		if (e->network_role)
			buf_addf(o, " (%s)", e->network_role);
		break;
	case DL_GRAPH_FOUND_IN:
		/* TRANSLATORS: an identifier found in N evidence items of a case */
		buf_addf(o, P_("found in %lld item", "found in %lld items", e->items), e->items);
		break;
	case DL_GRAPH_SEIZED_IN:
		buf_adds(o, _("seized in"));
		break;
	case DL_GRAPH_OWNER:
		buf_adds(o, _("owner"));
		break;
	case DL_GRAPH_HAS:
		buf_adds(o, _("has"));
		break;
	case DL_GRAPH_RECORDED_IN:
		buf_adds(o, _("recorded in"));
		break;
	case DL_GRAPH_RESTRICTED:
		/* TRANSLATORS: an identifier is in a case the user may not read */
		buf_adds(o, _("also in (restricted)"));
		break;
	}
}

/* ---- text that XML and DOT can carry ------------------------------------- */

/* The next code point of s (advancing it), or U+FFFD for a byte that does not
 * start a valid, shortest UTF-8 sequence (that byte is skipped). */
static uint32_t next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 1) {
		*s = p + 1;
		return c;
	}
	if (len == 0) {
		*s = p + 1;
		return 0xFFFD;
	}
	c &= 0x3F >> (len - 1);
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + 1;
			return 0xFFFD;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	*s = p + len;
	if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0xFFFD;
	return c;
}

static void put_cp(dl_buf *o, uint32_t c)
{
	char u[4];
	if (c < 0x80) {
		buf_addc(o, (char)c);
		return;
	}
	if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		buf_add(o, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		buf_add(o, u, 3);
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		buf_add(o, u, 4);
	}
}

/* A character XML 1.0 allows (and so the only ones a DOT label keeps too). */
static int xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* s as XML text or attribute value. */
static void xml_text(dl_buf *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		uint32_t c = next_cp(&p);
		switch (c) {
		case '&': buf_adds(o, "&amp;"); break;
		case '<': buf_adds(o, "&lt;"); break;
		case '>': buf_adds(o, "&gt;"); break;
		case '"': buf_adds(o, "&quot;"); break;
		case '\'': buf_adds(o, "&apos;"); break;
		/* a raw newline in an attribute would be read back as a space */
		case '\n': buf_adds(o, "&#10;"); break;
		case '\r': buf_adds(o, "&#13;"); break;
		case '\t': buf_adds(o, "&#9;"); break;
		default: put_cp(o, xml_char(c) ? c : 0xFFFD); break;
		}
	}
}

/* s as a DOT double-quoted string: the quote escaped, a backslash doubled so
 * that Graphviz's label escapes (\N, \G, \l …) cannot fire, a line break as
 * \n. */
static void dot_str(dl_buf *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	buf_addc(o, '"');
	while (*p) {
		uint32_t c = next_cp(&p);
		if (c == '"' || c == '\\') {
			buf_addc(o, '\\');
			buf_addc(o, (char)c);
		} else if (c == '\n') {
			buf_adds(o, "\\n");
		} else if (c < 0x20 || !xml_char(c)) {
			put_cp(o, c == '\t' || c == '\r' ? ' ' : 0xFFFD);
		} else {
			put_cp(o, c);
		}
	}
	buf_addc(o, '"');
}

/* ---- GraphML ------------------------------------------------------------- */

/* The declared attributes: id, for, attr.name, attr.type. Gephi takes
 * "label" as the node's label; Graphviz's graphml2gv takes every key. */
static const struct { const char *id, *for_, *name, *type; } graphml_keys[] = {
	{"kind", "node", "kind", "string"},
	{"label", "node", "label", "string"},
	{"label_ar", "node", "label_ar", "string"},
	{"label_en", "node", "label_en", "string"},
	{"number", "node", "number", "string"},
	{"status", "node", "status", "string"},
	{"restricted", "node", "restricted", "boolean"},
	{"lead", "node", "lead", "string"},
	{"device_type", "node", "device_type", "string"},
	{"make", "node", "make", "string"},
	{"model", "node", "model", "string"},
	{"serial", "node", "serial", "string"},
	{"imei", "node", "imei", "string"},
	{"identifier_kind", "node", "identifier_kind", "string"},
	{"value", "node", "value", "string"},
	{"edge_kind", "edge", "kind", "string"},
	{"edge_label", "edge", "label", "string"},
	{"role", "edge", "role", "string"},
	{"network_role", "edge", "network_role", "string"},
	{"items", "edge", "items", "long"},
};

static void gm_data(dl_buf *o, const char *key, const char *value)
{
	if (!value)
		return;
	buf_addf(o, "      <data key=\"%s\">", key);
	xml_text(o, value);
	buf_adds(o, "</data>\n");
}

void graph_graphml(const dl_graph *g, dl_buf *o)
{
	buf_adds(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	            "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
	            "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	            "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns"
	            " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
	for (size_t i = 0; i < sizeof graphml_keys / sizeof graphml_keys[0]; i++)
		buf_addf(o, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
		         graphml_keys[i].id, graphml_keys[i].for_, graphml_keys[i].name,
		         graphml_keys[i].type);
	buf_adds(o, "  <graph id=\"dalil\" edgedefault=\"undirected\">\n");
	dl_buf l = {0};
	for (size_t i = 0; i < g->nnodes; i++) {
		const dl_graph_node *n = &g->nodes[i];
		buf_adds(o, "    <node id=\"");
		xml_text(o, n->id);
		buf_adds(o, "\">\n");
		gm_data(o, "kind", graph_node_kind_names[n->kind]);
		buf_reset(&l);
		node_label(&l, n);
		gm_data(o, "label", buf_str(&l));
		gm_data(o, "label_ar", label_ar(n));
		gm_data(o, "label_en", label_lat(n));
		if (n->kind == DL_GRAPH_CASE) {
			gm_data(o, "number", n->number);
			gm_data(o, "status", n->status);
			gm_data(o, "restricted", n->restricted ? "true" : "false");
			gm_data(o, "lead", n->lead);
		} else if (n->kind == DL_GRAPH_DEVICE) {
			gm_data(o, "device_type", n->device_type);
			gm_data(o, "make", n->make);
			gm_data(o, "model", n->model);
			gm_data(o, "serial", n->serial);
			gm_data(o, "imei", n->imeis);
		} else if (n->kind == DL_GRAPH_IDENTIFIER) {
			gm_data(o, "identifier_kind", n->ident_kind);
			gm_data(o, "value", n->value);
		}
		buf_adds(o, "    </node>\n");
	}
	for (size_t i = 0; i < g->nedges; i++) {
		const dl_graph_edge *e = &g->edges[i];
		buf_addf(o, "    <edge id=\"e%zu\" source=\"", i + 1);
		xml_text(o, g->nodes[e->source].id);
		buf_adds(o, "\" target=\"");
		xml_text(o, g->nodes[e->target].id);
		buf_adds(o, "\">\n");
		gm_data(o, "edge_kind", graph_edge_kind_names[e->kind]);
		buf_reset(&l);
		edge_label(&l, e);
		gm_data(o, "edge_label", buf_str(&l));
		gm_data(o, "role", e->role);
		gm_data(o, "network_role", e->network_role);
		if (e->kind == DL_GRAPH_FOUND_IN)
			buf_addf(o, "      <data key=\"items\">%lld</data>\n", e->items);
		buf_adds(o, "    </edge>\n");
	}
	buf_free(&l);
	buf_adds(o, "  </graph>\n</graphml>\n");
}

/* ---- DOT ----------------------------------------------------------------- */

/* shape and fill of each node kind: cases stand out, identifiers are small */
static const char *const dot_style[] = {
	"shape=box, style=\"filled,bold\", fillcolor=\"#f4d7a1\"",
	"shape=ellipse, style=filled, fillcolor=\"#cfe2f3\"",
	"shape=hexagon, style=filled, fillcolor=\"#d9ead3\"",
	"shape=note, style=filled, fillcolor=\"#eeeeee\", fontsize=10",
};

static void dot_attr(dl_buf *o, const char *name, const char *value)
{
	if (!value)
		return;
	buf_addf(o, ", %s=", name);
	dot_str(o, value);
}

void graph_dot(const dl_graph *g, dl_buf *o)
{
	/* fonts with Arabic glyphs first; Graphviz (through Pango) shapes and
	 * orders the Arabic itself */
	buf_adds(o, "graph \"dalil\" {\n"
	            "  graph [charset=\"UTF-8\", overlap=false, splines=true];\n"
	            "  node [fontname=\"Amiri,DejaVu Sans\"];\n"
	            "  edge [fontname=\"Amiri,DejaVu Sans\", fontsize=9];\n");
	dl_buf l = {0};
	for (size_t i = 0; i < g->nnodes; i++) {
		const dl_graph_node *n = &g->nodes[i];
		buf_adds(o, "  ");
		dot_str(o, n->id);
		buf_reset(&l);
		node_label(&l, n);
		buf_adds(o, " [label=");
		dot_str(o, buf_str(&l));
		/* a restricted case: outlined only, as its content is not here */
		buf_addf(o, ", %s, kind=\"%s\"",
		         n->restricted ? "shape=box, style=dashed" : dot_style[n->kind],
		         graph_node_kind_names[n->kind]);
		dot_attr(o, "label_ar", label_ar(n));
		dot_attr(o, "label_en", label_lat(n));
		if (n->kind == DL_GRAPH_CASE) {
			dot_attr(o, "number", n->number);
			dot_attr(o, "status", n->status);
			buf_addf(o, ", restricted=\"%s\"", n->restricted ? "true" : "false");
			dot_attr(o, "lead", n->lead);
		} else if (n->kind == DL_GRAPH_DEVICE) {
			dot_attr(o, "device_type", n->device_type);
			dot_attr(o, "serial", n->serial);
			dot_attr(o, "imei", n->imeis);
		} else if (n->kind == DL_GRAPH_IDENTIFIER) {
			dot_attr(o, "identifier_kind", n->ident_kind);
			dot_attr(o, "value", n->value);
		}
		buf_adds(o, "];\n");
	}
	for (size_t i = 0; i < g->nedges; i++) {
		const dl_graph_edge *e = &g->edges[i];
		buf_adds(o, "  ");
		dot_str(o, g->nodes[e->source].id);
		buf_adds(o, " -- ");
		dot_str(o, g->nodes[e->target].id);
		buf_reset(&l);
		edge_label(&l, e);
		buf_adds(o, " [label=");
		dot_str(o, buf_str(&l));
		buf_addf(o, ", kind=\"%s\"", graph_edge_kind_names[e->kind]);
		if (e->kind == DL_GRAPH_FOUND_IN)
			buf_addf(o, ", items=%lld", e->items);
		if (e->kind == DL_GRAPH_RESTRICTED)
			buf_adds(o, ", style=dashed");
		buf_adds(o, "];\n");
	}
	buf_free(&l);
	buf_adds(o, "}\n");
}

/* ---- the file ------------------------------------------------------------ */

static dl_status write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return DL_EIO;
		}
		p += w;
		n -= (size_t)w;
	}
	return DL_OK;
}


/* Record the export: one entry per case whose content is in the file. */
static dl_status audit_export(dl_session *s, const dl_graph *g, const char *case_number,
                              const char *format, const char *path, const char *sha, dl_err *err)
{
	/* the file as it can be found again: absolute */
	dl_buf where = {0};
	char cwd[4096];
	if (path[0] != '/' && getcwd(cwd, sizeof cwd))
		buf_addf(&where, "%s/", cwd);
	buf_adds(&where, path);
	dl_buf d = {0};
	buf_adds(&d, "{\"file\":");
	json_add_string(&d, buf_str(&where));
	buf_free(&where);
	buf_adds(&d, ",\"format\":");
	json_add_string(&d, format);
	buf_adds(&d, ",\"scope\":");
	json_add_string(&d, case_number ? case_number : "all");
	buf_addf(&d, ",\"sha256\":\"%s\",\"nodes\":%zu,\"edges\":%zu}", sha, g->nnodes, g->nedges);
	dl_status rc = session_begin(s, err);
	if (rc == DL_OK) {
		for (size_t i = 0; i < g->nnodes; i++)
			if (g->nodes[i].kind == DL_GRAPH_CASE && !g->nodes[i].restricted)
				audit_event(s->store, "graph_export", "cases", g->nodes[i].db_id, buf_str(&d));
		rc = store_commit(s->store, err);
	}
	buf_free(&d);
	return rc;
}

dl_status graph_export(dl_session *s, const char *case_number, const char *format,
                       const char *path, graph_result *res, dl_err *err)
{
	memset(res, 0, sizeof *res);
	int f = -1;
	for (int i = 0; graph_format_names[i]; i++)
		if (format && !strcmp(format, graph_format_names[i]))
			f = i;
	if (f < 0)
		return dl_err_set(err, DL_EINVAL, "format", _("expected graphml or dot"));
	if (!path || !*path)
		return dl_err_set(err, DL_EINVAL, "output", _("-o FILE is required"));
	struct stat st;
	if (lstat(path, &st) == 0)
		return dl_err_set(err, DL_EINVAL, "output", _("%s exists: dalil does not overwrite it"), path);
	dl_graph g;
	dl_status rc = graph_build(s, case_number, &g, err);
	if (rc != DL_OK)
		return rc;
	dl_buf out = {0};
	if (f == 0)
		graph_graphml(&g, &out);
	else
		graph_dot(&g, &out);

	dl_buf tmp = {0};
	buf_addf(&tmp, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp.data);   /* 0600, which is what a list of names should be */
	if (fd < 0) {
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		tmp.data[0] = '\0';
		goto done;
	}
	int bad = write_all(fd, buf_str(&out), out.len) != DL_OK || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad) {
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	crypto_sha256_hex(buf_str(&out), out.len, res->sha256);
	/* recorded before it is in place: no export leaves without its entry */
	if ((rc = audit_export(s, &g, case_number, graph_format_names[f], path, res->sha256, err)) != DL_OK)
		goto done;
	if (store_place_new(tmp.data, path) != 0) {
		rc = errno == EEXIST
			? dl_err_set(err, DL_EINVAL, "output", _("%s exists: dalil does not overwrite it"), path)
			: dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	tmp.data[0] = '\0';
	res->nodes = g.nnodes;
	res->edges = g.nedges;
	res->cases = g.ncases;
	res->bytes = out.len;
done:
	if (tmp.data && tmp.data[0])
		unlink(tmp.data);
	buf_free(&tmp);
	buf_free(&out);
	graph_free(&g);
	return rc;
}
