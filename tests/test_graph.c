/* test_graph.c — the network export: three cases sharing one Libyan phone
 * number written three ways, seen by an investigator who may read two of them
 * (the third is a bare node: number and lead), by an administrator (--all),
 * by a clerk (refused); identifiers found in evidence items and recorded on
 * a case; GraphML and DOT text (escaping, both scripts, same bytes each time);
 * the file: not overwritten, mode 0600, audited. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "device.h"
#include "graph.h"
#include "identifier.h"
#include "person.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CASE_A "2026/TIP/0001"   /* lead inv */
#define CASE_B "2026/SOM/0002"   /* lead inv2, inv assigned */
#define CASE_C "2026/TIP/0003"   /* lead inv2: inv may not read it */
#define PHONE "+218912345678"
#define IMEI "490154203237518"
#define PHONE_ID "i:phone:_2B218912345678"   /* the node id: an XML NMTOKEN */

typedef struct world {
	long long ahmed, khaled, dev_a, dev_c;
} world;

static long long person_in(dl_session *s, const char *number, const char *name_ar,
                           const char *name_lat, const char *role, const char *phone,
                           const char *email)
{
	const char *phones[] = {phone}, *emails[] = {email};
	dl_person_input in = {0};
	in.name_ar = name_ar;
	in.name_lat = name_lat;
	in.role = role;
	in.phones = phones;
	in.nphones = phone != NULL;
	in.emails = emails;
	in.nemails = email != NULL;
	long long id = 0;
	dl_err err;
	if (person_add(s, number, &in, &id, &err) != DL_OK)
		fail_msg("person_add %s: %s: %s", name_ar, err.field, err.msg);
	return id;
}

static long long device_in(dl_session *s, const char *number, const char *make,
                           const char *model, const char *phone, const char *imei,
                           const char *owner)
{
	const char *imeis[] = {imei};
	dl_device_input in = {0};
	in.type = "phone";
	in.make = make;
	in.model = model;
	in.phone = phone;
	in.imeis = imeis;
	in.nimeis = imei != NULL;
	in.owner = owner;
	long long id = 0;
	dl_err err;
	if (device_add(s, number, &in, &id, &err) != DL_OK)
		fail_msg("device_add %s: %s: %s", number, err.field, err.msg);
	return id;
}

/*   case  lead  has
 *   A     inv   Ahmed (suspect, recruiter) "+218 91-234-5678", ahmed@example.ly;
 *               his Nokia with an IMEI
 *   B     inv2  Khaled (victim) "00218912345678"; inv assigned
 *   C     inv2  a Samsung A12 with "٠٩١٢٣٤٥٦٧٨" */
static world build(tu_store *t)
{
	world w = {0};
	dl_case_input in = {0};
	dl_err err;
	tu_case(t, &t->inv, CASE_A);
	in.number = CASE_B;
	in.title_ar = "قضية تهريب";
	in.title_en = "Boat <smuggling> & \"co\"";
	in.offences = "smuggling";
	in.lead = "inv2";
	in.assign = "inv";
	if (case_add(&t->sup, &in, NULL, &err) != DL_OK)
		fail_msg("case_add B: %s", err.msg);
	tu_case(t, &t->inv2, CASE_C);

	w.ahmed = person_in(&t->inv, CASE_A, "أحمد سالم", "Ahmed Salem", "suspect", "+218 91-234-5678",
	                    "ahmed@example.ly");
	char owner[24];
	snprintf(owner, sizeof owner, "%lld", w.ahmed);
	w.dev_a = device_in(&t->inv, CASE_A, "Nokia", NULL, NULL, IMEI, owner);
	w.khaled = person_in(&t->inv2, CASE_B, "خالد", NULL, "victim", "00218912345678", NULL);
	w.dev_c = device_in(&t->inv2, CASE_C, "Samsung", "A12", "٠٩١٢٣٤٥٦٧٨", NULL, NULL);
	return w;
}

/* Evidence items of C holding the phone number (one of them twice) and a
 * value recorded on A itself, as the extractor stores them. Written behind
 * the store's back: the tests using it do not verify the audit chain. */
static void add_items(tu_store *t)
{
	tu_sql_behind(t,
		"INSERT INTO evidence_sources (id, case_id, kind, original_path, status, ingested_at)"
		" VALUES (1, 3, 'file', '/media/chat.zip', 'complete', '2026-01-01T00:00:00Z');"
		"INSERT INTO evidence_items (id, source_id, ordinal, path_raw, path) VALUES"
		" (7, 1, 0, 'a.txt', 'a.txt'), (8, 1, 1, 'b.txt', 'b.txt');"
		"INSERT INTO identifiers (kind, value, case_id, item_id, item_offset, created_at) VALUES"
		" ('phone', '+218912345678', 3, 7, 10, '2026-01-01T00:00:00Z'),"
		" ('phone', '+218912345678', 3, 7, 99, '2026-01-01T00:00:00Z'),"
		" ('phone', '+218912345678', 3, 8, 5, '2026-01-01T00:00:00Z'),"
		" ('phone', '+218912345678', 1, NULL, NULL, '2026-01-01T00:00:00Z');");
}

static dl_graph graph_of(dl_session *s, const char *number)
{
	dl_graph g;
	dl_err err;
	if (graph_build(s, number, &g, &err) != DL_OK)
		fail_msg("graph_build %s as %s: %s", number ? number : "--all", s->username, err.msg);
	return g;
}

static const dl_graph_node *node(const dl_graph *g, const char *id)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (!strcmp(g->nodes[i].id, id))
			return &g->nodes[i];
	return NULL;
}

static size_t node_at(const dl_graph *g, const char *id)
{
	const dl_graph_node *n = node(g, id);
	if (!n)
		fail_msg("no node %s", id);
	return (size_t)(n - g->nodes);
}

static const dl_graph_edge *edge(const dl_graph *g, const char *from, const char *to,
                                 dl_graph_edge_kind kind)
{
	size_t a = node_at(g, from), b = node_at(g, to);
	for (size_t i = 0; i < g->nedges; i++)
		if (g->edges[i].source == a && g->edges[i].target == b && g->edges[i].kind == kind)
			return &g->edges[i];
	return NULL;
}

/* Edges touching a node. */
static size_t degree(const dl_graph *g, const char *id)
{
	size_t at = node_at(g, id), n = 0;
	for (size_t i = 0; i < g->nedges; i++)
		n += g->edges[i].source == at || g->edges[i].target == at;
	return n;
}

static size_t count_kind(const dl_graph *g, dl_graph_node_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		n += g->nodes[i].kind == kind;
	return n;
}

static char *id_of(char *buf, size_t sz, const char *prefix, long long id)
{
	snprintf(buf, sz, "%s%lld", prefix, id);
	return buf;
}

/* inv exports A: B (readable) with Khaled who holds the number; C (not
 * readable) only as its number and lead, with one edge from the number. */
static void test_investigator(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	dl_graph g = graph_of(&t->inv, CASE_A);
	char ah[32], kh[32], da[32], dc[32];
	id_of(ah, sizeof ah, "p", w.ahmed);
	id_of(kh, sizeof kh, "p", w.khaled);
	id_of(da, sizeof da, "d", w.dev_a);
	id_of(dc, sizeof dc, "d", w.dev_c);

	/* cases A, B, C; Ahmed, Khaled; the Nokia; phone, e-mail, IMEI */
	assert_int_equal(g.nnodes, 9);
	assert_int_equal(count_kind(&g, DL_GRAPH_CASE), 3);
	assert_int_equal(count_kind(&g, DL_GRAPH_PERSON), 2);
	assert_int_equal(count_kind(&g, DL_GRAPH_DEVICE), 1);
	assert_int_equal(count_kind(&g, DL_GRAPH_IDENTIFIER), 3);
	assert_int_equal(g.ncases, 2);

	const dl_graph_node *a = node(&g, "c1"), *b = node(&g, "c2"), *c = node(&g, "c3");
	assert_non_null(a);
	assert_string_equal(a->number, CASE_A);
	assert_string_equal(a->title_ar, "قضية اختبار");
	assert_string_equal(a->status, "open");
	assert_false(a->restricted);
	assert_string_equal(b->title_en, "Boat <smuggling> & \"co\"");
	assert_false(b->restricted);
	/* the bare node: number and whom to ask, nothing else */
	assert_true(c->restricted);
	assert_string_equal(c->number, CASE_C);
	assert_string_equal(c->lead, "inv2");
	assert_null(c->title_ar);
	assert_null(c->title_en);
	assert_null(c->status);
	assert_null(node(&g, dc));
	assert_int_equal(degree(&g, "c3"), 1);
	assert_non_null(edge(&g, PHONE_ID, "c3", DL_GRAPH_RESTRICTED));

	const dl_graph_node *p = node(&g, ah);
	assert_string_equal(p->name_ar, "أحمد سالم");
	assert_string_equal(p->name_lat, "Ahmed Salem");
	const dl_graph_edge *e = edge(&g, ah, "c1", DL_GRAPH_IN_CASE);
	assert_non_null(e);
	assert_string_equal(e->role, "suspect");
	assert_null(e->network_role);
	e = edge(&g, kh, "c2", DL_GRAPH_IN_CASE);
	assert_string_equal(e->role, "victim");
	assert_non_null(edge(&g, ah, PHONE_ID, DL_GRAPH_HAS));
	assert_non_null(edge(&g, kh, PHONE_ID, DL_GRAPH_HAS));
	assert_non_null(edge(&g, ah, "i:email:ahmed_40example.ly", DL_GRAPH_HAS));
	assert_non_null(edge(&g, da, "c1", DL_GRAPH_SEIZED_IN));
	assert_non_null(edge(&g, da, ah, DL_GRAPH_OWNER));
	assert_non_null(edge(&g, da, "i:imei:" IMEI, DL_GRAPH_HAS));
	assert_string_equal(node(&g, da)->imeis, IMEI);
	assert_string_equal(node(&g, da)->make, "Nokia");
	/* Khaled's tie to B is there, B's other content is not: B has nothing else */
	assert_int_equal(degree(&g, "c2"), 1);
	/* 4 of Ahmed (case, phone, e-mail, owner), 2 of Khaled, 2 more of the
	 * Nokia (case, IMEI), the restricted one */
	assert_int_equal(g.nedges, 9);

	/* the texts carry nothing of C but its number and lead */
	dl_buf x = {0}, d = {0};
	graph_graphml(&g, &x);
	graph_dot(&g, &d);
	assert_null(strstr(buf_str(&x), "Samsung"));
	assert_null(strstr(buf_str(&d), "Samsung"));
	assert_non_null(strstr(buf_str(&x), "<data key=\"restricted\">true</data>"));
	buf_free(&x);
	buf_free(&d);
	graph_free(&g);

	/* from C, inv2 sees A as the bare node */
	g = graph_of(&t->inv2, CASE_C);
	assert_true(node(&g, "c1")->restricted);
	assert_null(node(&g, ah));
	assert_false(node(&g, "c2")->restricted);
	assert_non_null(edge(&g, kh, "c2", DL_GRAPH_IN_CASE));
	assert_non_null(edge(&g, dc, PHONE_ID, DL_GRAPH_HAS));
	assert_int_equal(degree(&g, "c1"), 1);
	graph_free(&g);
}

/* Rights: a case inv may not read, one that does not exist, a clerk. */
static void test_refused(void **state)
{
	tu_store *t = *state;
	build(t);
	dl_graph g;
	dl_err err;
	tu_expect(graph_build(&t->inv, CASE_C, &g, &err), DL_EPERM, &err, "case");
	assert_int_equal(g.nnodes, 0);
	tu_expect(graph_build(&t->inv, "2026/TIP/0099", &g, &err), DL_ENOTFOUND, &err, "case");
	dl_status rc = graph_build(&t->clerk, NULL, &g, &err);
	assert_int_equal(rc, DL_EPERM);
	assert_true(err.msg[0] != '\0');
}

/* --all as administrator: every case in full, ONE node for the number that
 * three cases hold, evidence items counted once each, a value recorded on a
 * case itself. --all as inv: A and B in full, C bare. */
static void test_all(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	add_items(t);
	dl_graph g = graph_of(&t->admin, NULL);
	char dc[32];
	id_of(dc, sizeof dc, "d", w.dev_c);
	assert_int_equal(g.ncases, 3);
	assert_int_equal(count_kind(&g, DL_GRAPH_CASE), 3);
	assert_int_equal(count_kind(&g, DL_GRAPH_DEVICE), 2);
	size_t phones = 0;
	for (size_t i = 0; i < g.nnodes; i++)
		phones += g.nodes[i].kind == DL_GRAPH_IDENTIFIER && !strcmp(g.nodes[i].value, PHONE);
	assert_int_equal(phones, 1);
	/* Ahmed, Khaled, the Samsung, C's items, A itself */
	assert_int_equal(degree(&g, PHONE_ID), 5);
	assert_non_null(edge(&g, dc, PHONE_ID, DL_GRAPH_HAS));
	const dl_graph_edge *e = edge(&g, PHONE_ID, "c3", DL_GRAPH_FOUND_IN);
	assert_non_null(e);
	assert_int_equal(e->items, 2);
	assert_non_null(edge(&g, PHONE_ID, "c1", DL_GRAPH_RECORDED_IN));
	for (size_t i = 0; i < g.nnodes; i++)
		assert_false(g.nodes[i].restricted);
	dl_buf x = {0};
	graph_graphml(&g, &x);
	assert_non_null(strstr(buf_str(&x), "<data key=\"items\">2</data>"));
	buf_free(&x);
	graph_free(&g);

	g = graph_of(&t->inv, NULL);
	assert_int_equal(g.ncases, 2);
	assert_true(node(&g, "c3")->restricted);
	assert_null(node(&g, dc));
	/* the items of C are content of C: one restricted edge, no count */
	assert_int_equal(degree(&g, "c3"), 1);
	assert_null(edge(&g, PHONE_ID, "c3", DL_GRAPH_FOUND_IN));
	assert_non_null(edge(&g, PHONE_ID, "c1", DL_GRAPH_RECORDED_IN));
	graph_free(&g);
}

/* Order and bytes: cases by number, then persons, devices, identifiers by
 * kind and value; the same data gives the same bytes, built again. */
static void test_deterministic(void **state)
{
	tu_store *t = *state;
	build(t);
	add_items(t);
	dl_graph g = graph_of(&t->sup, NULL);
	for (size_t i = 1; i < g.nnodes; i++) {
		const dl_graph_node *p = &g.nodes[i - 1], *n = &g.nodes[i];
		assert_true(p->kind <= n->kind);
		if (p->kind == n->kind && n->kind == DL_GRAPH_CASE)
			assert_true(strcmp(p->number, n->number) < 0);
		if (p->kind == n->kind && n->kind == DL_GRAPH_IDENTIFIER) {
			int c = strcmp(p->ident_kind, n->ident_kind);
			assert_true(c < 0 || (c == 0 && strcmp(p->value, n->value) < 0));
		}
	}
	/* B (SOM) sorts before A and C (TIP) */
	assert_string_equal(g.nodes[0].number, CASE_B);
	for (size_t i = 1; i < g.nedges; i++) {
		const dl_graph_edge *p = &g.edges[i - 1], *n = &g.edges[i];
		assert_true(p->source < n->source || (p->source == n->source && p->target <= n->target));
	}
	dl_buf x1 = {0}, d1 = {0};
	graph_graphml(&g, &x1);
	graph_dot(&g, &d1);
	graph_free(&g);
	for (int round = 0; round < 2; round++) {
		g = graph_of(&t->sup, NULL);
		dl_buf x2 = {0}, d2 = {0};
		graph_graphml(&g, &x2);
		graph_dot(&g, &d2);
		assert_string_equal(buf_str(&x1), buf_str(&x2));
		assert_string_equal(buf_str(&d1), buf_str(&d2));
		buf_free(&x2);
		buf_free(&d2);
		graph_free(&g);
	}
	buf_free(&x1);
	buf_free(&d1);
}

/* Labels in both scripts, escaped for XML and for DOT; a control character
 * and a backslash in a name cannot break either. */
static void test_text(void **state)
{
	tu_store *t = *state;
	build(t);
	long long y = person_in(&t->inv, CASE_A, "يوسف\\\"x\"", "Youssef", "witness", NULL, NULL);
	/* the model refuses control characters; data from elsewhere (an older
	 * store, an import) may still hold one, or a byte that is not UTF-8 */
	char sql[200];
	snprintf(sql, sizeof sql,
	         "UPDATE persons SET name_lat = 'Youssef' || char(1) || ' <b>' || CAST(X'FF' AS TEXT)"
	         " WHERE id = %lld", y);
	tu_sql_behind(t, sql);
	dl_graph g = graph_of(&t->inv, CASE_A);
	dl_buf x = {0}, d = {0};
	graph_graphml(&g, &x);
	graph_dot(&g, &d);
	const char *xs = buf_str(&x), *ds = buf_str(&d);
	assert_non_null(strstr(xs, "<data key=\"label\">أحمد سالم / Ahmed Salem</data>"));
	assert_non_null(strstr(xs, "<data key=\"label_ar\">أحمد سالم</data>"));
	assert_non_null(strstr(xs, "<data key=\"label_en\">Ahmed Salem</data>"));
	assert_non_null(strstr(xs, "<data key=\"label_en\">Boat &lt;smuggling&gt; &amp; &quot;co&quot;</data>"));
	assert_non_null(strstr(xs, "<key id=\"label_ar\" for=\"node\" attr.name=\"label_ar\" attr.type=\"string\"/>"));
	assert_non_null(strstr(xs, "<data key=\"label_ar\">يوسف\\&quot;x&quot;</data>"));
	assert_non_null(strstr(xs, "<data key=\"label_en\">Youssef\xEF\xBF\xBD &lt;b&gt;\xEF\xBF\xBD</data>"));
	assert_non_null(strstr(ds, "label_en=\"Youssef\xEF\xBF\xBD <b>\xEF\xBF\xBD\""));
	assert_null(strchr(xs, '\x01'));
	assert_non_null(strstr(ds, "label=\"أحمد سالم / Ahmed Salem\""));
	assert_non_null(strstr(ds, "label_en=\"Boat <smuggling> & \\\"co\\\"\""));
	assert_non_null(strstr(ds, "label_ar=\"يوسف\\\\\\\"x\\\"\""));
	assert_null(strchr(ds, '\x01'));
	assert_non_null(strstr(ds, "\"i:phone:_2B218912345678\" -- \"c3\""));
	assert_int_equal(strncmp(ds, "graph \"dalil\" {\n", 16), 0);
	buf_free(&x);
	buf_free(&d);
	graph_free(&g);
}

static long long audit_count(tu_store *t, const char *where)
{
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'graph_export' %s", where);
	return tu_count(t, sql);
}

/* The file: in place with mode 0600, its SHA-256 in one audit entry per case
 * whose content it holds; an existing file is never replaced; a bad format
 * is refused before anything is written. */
static void test_export(void **state)
{
	tu_store *t = *state;
	build(t);
	char path[320], path2[320];
	snprintf(path, sizeof path, "%s/net.graphml", t->dir);
	snprintf(path2, sizeof path2, "%s/net.dot", t->dir);
	graph_result r;
	dl_err err;
	tu_expect(graph_export(&t->inv, CASE_A, "graphml", path, &r, &err), DL_OK, &err, NULL);
	assert_int_equal(r.nodes, 9);
	assert_int_equal(r.edges, 9);
	assert_int_equal(r.cases, 2);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal((size_t)st.st_size, r.bytes);
	assert_int_equal(strlen(r.sha256), 64);
	/* A and B: the content of both is in the file; not C */
	assert_int_equal(audit_count(t, ""), 2);
	assert_int_equal(audit_count(t, "AND entity = 'cases' AND entity_id = 1"), 1);
	assert_int_equal(audit_count(t, "AND entity = 'cases' AND entity_id = 2"), 1);
	char like[200];
	snprintf(like, sizeof like, "AND data LIKE '%%\"sha256\":\"%s\"%%' AND username = 'inv'", r.sha256);
	assert_int_equal(audit_count(t, like), 2);
	tu_audit_intact(t);

	/* never overwritten, whatever the format */
	tu_expect(graph_export(&t->inv, CASE_A, "dot", path, &r, &err), DL_EINVAL, &err, "output");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size > 0, 1);
	tu_expect(graph_export(&t->inv, CASE_A, "gexf", path2, &r, &err), DL_EINVAL, &err, "format");
	tu_expect(graph_export(&t->inv, CASE_A, NULL, path2, &r, &err), DL_EINVAL, &err, "format");
	tu_expect(graph_export(&t->clerk, NULL, "dot", path2, &r, &err), DL_EPERM, &err, NULL);
	assert_int_equal(access(path2, F_OK), -1);
	char bad[400];
	snprintf(bad, sizeof bad, "%s/no/such/dir/x.dot", t->dir);
	tu_expect(graph_export(&t->inv, CASE_A, "dot", bad, &r, &err), DL_EIO, &err, "output");
	assert_int_equal(audit_count(t, ""), 2);

	tu_expect(graph_export(&t->admin, NULL, "dot", path2, &r, &err), DL_OK, &err, NULL);
	assert_int_equal(r.cases, 3);
	assert_int_equal(audit_count(t, "AND data LIKE '%\"scope\":\"all\"%'"), 3);
	/* nothing but the two files: no temporary one left beside them */
	DIR *dir = opendir(t->dir);
	assert_non_null(dir);
	struct dirent *de;
	while ((de = readdir(dir)))
		assert_null(strstr(de->d_name, ".tmp-"));
	closedir(dir);
	tu_audit_intact(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_investigator, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_refused, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_all, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_text, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_export, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
