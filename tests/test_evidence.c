/* test_evidence.c — reading evidence items the way the browser does: one level
 * of one source a page at a time in position order (forwards, and backwards
 * from the end), counts, the name, type, tag and hit filters, and who may read.
 * The items are written through the importer's own calls. */
#include "testutil.h"
#include "evidence.h"
#include "hashset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CASE_A "2026/TIP/0001"
#define CASE_B "2026/SOM/0002"
#define NTOP 250
#define MD5_HIT "0cc175b9c0f1b6a831c399e269772661"   /* md5("a") */

typedef struct fixture {
	long long src1, src2, src_b;
	long long nested;           /* top-level item 5 of src1: an archive holding 3 members */
	long long folder;           /* top-level item 6 of src1: a folder holding 2 */
	long long inner[3];
	long long odd;              /* the item named with LIKE's wildcards */
} fixture;

static long long source(tu_store *t, const char *number, const char *path)
{
	dl_source_input in = {0};
	in.kind = "archive";
	in.original_path = path;
	in.size = 1000;
	in.tool_version = "dalil test";
	long long sid = 0, cid = 0;
	int resumed = -1;
	dl_err err;
	tu_expect(evidence_source_begin(&t->inv, number, &in, &sid, &cid, &resumed, &err), DL_OK, &err, NULL);
	assert_int_equal(resumed, 0);
	return sid;
}

static long long item(tu_store *t, long long sid, long long parent, long long ordinal, const char *path,
                      const char *mime, int is_dir, const char *md5)
{
	dl_item_input in = {0};
	in.source_id = sid;
	in.parent_id = parent;
	in.ordinal = ordinal;
	in.path_raw = path;
	in.path_raw_len = strlen(path);
	in.path = path;
	in.is_dir = is_dir;
	in.size = is_dir ? -1 : 10;
	in.mime = mime;
	in.md5 = md5;
	long long id = 0;
	int hits = -1;
	dl_err err;
	tu_expect(evidence_item_add(&t->inv, &in, &id, &hits, &err), DL_OK, &err, NULL);
	return id;
}

static void finish(tu_store *t, long long sid)
{
	dl_source_result r = {0};
	r.status = "complete";
	r.size = 1000;
	dl_err err;
	tu_expect(evidence_source_finish(&t->inv, sid, &r, &err), DL_OK, &err, NULL);
}

/* Case A: source 1 with NTOP top-level members (even ones text, odd ones
 * images), member 5 an archive of 3, member 6 a folder of 2, member 7 named
 * "100%_done.txt" and whose MD5 is in an alert set; source 2 with 3 members.
 * Case B (led by inv2): one source of one member. */
static void build(tu_store *t, fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	char path[512];
	snprintf(path, sizeof path, "%s/alert.txt", t->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(MD5_HIT "\n", fp);
	fclose(fp);
	long long entries = 0, hits = 0;
	dl_err err;
	tu_expect(hashset_import(&t->inv, "watch", path, "alert", &entries, &hits, &err), DL_OK, &err, NULL);
	unlink(path);

	fx->src1 = source(t, CASE_A, "/evidence/phone.tar");
	tu_expect(evidence_batch_begin(&t->inv, &err), DL_OK, &err, NULL);
	for (int i = 0; i < NTOP; i++) {
		char name[64];
		if (i == 5)
			snprintf(name, sizeof name, "chats.zip");
		else if (i == 6)
			snprintf(name, sizeof name, "DCIM");
		else if (i == 7)
			snprintf(name, sizeof name, "100%%_done.txt");
		else
			snprintf(name, sizeof name, "f%03d.%s", i, i % 2 ? "jpg" : "txt");
		long long id = item(t, fx->src1, 0, i, name, i == 5 ? "application/zip" : i == 6 ? NULL
		                    : i % 2 ? "image/jpeg" : "text/plain", i == 6, i == 7 ? MD5_HIT : NULL);
		if (i == 5)
			fx->nested = id;
		if (i == 6)
			fx->folder = id;
		if (i == 7)
			fx->odd = id;
	}
	/* the members of the nested archive arrive after all top-level rows, as from
	 * a second pass: position order must not follow ids */
	fx->inner[2] = item(t, fx->src1, fx->nested, 2, "inner/c.txt", "text/plain", 0, NULL);
	fx->inner[0] = item(t, fx->src1, fx->nested, 0, "inner/a.txt", "text/plain", 0, NULL);
	fx->inner[1] = item(t, fx->src1, fx->nested, 1, "inner/b.png", "image/png", 0, NULL);
	item(t, fx->src1, fx->folder, 0, "DCIM/IMG_0001.JPG", "image/jpeg", 0, NULL);
	item(t, fx->src1, fx->folder, 1, "DCIM/IMG_0002.JPG", "image/jpeg", 0, NULL);
	tu_expect(evidence_batch_commit(&t->inv, &err), DL_OK, &err, NULL);
	finish(t, fx->src1);

	fx->src2 = source(t, CASE_A, "/evidence/usb");
	tu_expect(evidence_batch_begin(&t->inv, &err), DL_OK, &err, NULL);
	item(t, fx->src2, 0, 0, "رسائل.txt", "text/plain", 0, NULL);
	item(t, fx->src2, 0, 1, "photo.jpg", "image/jpeg", 0, NULL);
	item(t, fx->src2, 0, 2, "DONE_100.txt", "text/plain", 0, NULL);
	tu_expect(evidence_batch_commit(&t->inv, &err), DL_OK, &err, NULL);
	finish(t, fx->src2);

	fx->src_b = 0;
	dl_source_input in = {0};
	in.kind = "file";
	in.original_path = "/evidence/other.txt";
	in.size = 10;
	long long cid;
	int resumed;
	tu_expect(evidence_source_begin(&t->inv2, CASE_B, &in, &fx->src_b, &cid, &resumed, &err), DL_OK, &err,
	          NULL);
	tu_expect(evidence_batch_begin(&t->inv2, &err), DL_OK, &err, NULL);
	dl_item_input ii = {0};
	ii.source_id = fx->src_b;
	ii.path_raw = ii.path = "other.txt";
	ii.path_raw_len = 9;
	ii.size = 10;
	long long id;
	int h;
	tu_expect(evidence_item_add(&t->inv2, &ii, &id, &h, &err), DL_OK, &err, NULL);
	tu_expect(evidence_batch_commit(&t->inv2, &err), DL_OK, &err, NULL);
}

static dl_item_list list(tu_store *t, const dl_item_filter *f)
{
	dl_item_list l;
	dl_err err;
	tu_expect(evidence_item_list(&t->inv, f, &l, &err), DL_OK, &err, NULL);
	return l;
}

static long long count(tu_store *t, const dl_item_filter *f)
{
	long long n = -1;
	dl_err err;
	tu_expect(evidence_item_count(&t->inv, f, &n, &err), DL_OK, &err, NULL);
	return n;
}

/* A level walked a page at a time gives every member once, in position order;
 * walked backwards from the end it gives them again, last first. */
static void test_level_paged_both_ways(void **state)
{
	tu_store *t = *state;
	fixture fx;
	build(t, &fx);
	dl_item_filter f = {0};
	f.case_number = CASE_A;
	f.source_id = fx.src1;
	f.parent_id = DL_ITEM_TOP;
	f.by_position = 1;
	f.limit = 100;
	long long want = 0;
	size_t pages = 0;
	for (;;) {
		dl_item_list l = list(t, &f);
		pages++;
		for (size_t i = 0; i < l.n; i++) {
			assert_int_equal(l.v[i].ordinal, want);
			assert_int_equal(l.v[i].source_id, fx.src1);
			assert_int_equal(l.v[i].parent_id, 0);
			want++;
		}
		size_t n = l.n;
		if (n)
			f.after_position = l.v[n - 1].ordinal + 1;
		evidence_item_list_free(&l);
		if (n < 100)
			break;
	}
	assert_int_equal(want, NTOP);
	assert_int_equal(pages, 3);

	/* End: the last page at once, then pages up */
	f.descending = 1;
	f.after_position = 0;
	want = NTOP - 1;
	for (;;) {
		dl_item_list l = list(t, &f);
		for (size_t i = 0; i < l.n; i++)
			assert_int_equal(l.v[i].ordinal, want--);
		size_t n = l.n;
		if (n)
			f.after_position = l.v[n - 1].ordinal + 1;
		evidence_item_list_free(&l);
		if (n < 100)
			break;
	}
	assert_int_equal(want, -1);

	/* a page from the middle, either way */
	f.limit = 3;
	f.after_position = 101;     /* past ordinal 100 */
	f.descending = 0;
	dl_item_list l = list(t, &f);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].ordinal, 101);
	assert_int_equal(l.v[2].ordinal, 103);
	evidence_item_list_free(&l);
	f.descending = 1;
	l = list(t, &f);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].ordinal, 99);
	assert_int_equal(l.v[2].ordinal, 97);
	evidence_item_list_free(&l);
	assert_int_equal(count(t, &f), NTOP);
}

/* The children of an item come by parent, in position order whatever their
 * ids; folders and archives say that they hold something. */
static void test_children_by_parent(void **state)
{
	tu_store *t = *state;
	fixture fx;
	build(t, &fx);
	dl_item_filter f = {0};
	f.case_number = CASE_A;
	f.parent_id = fx.nested;
	f.by_position = 1;
	dl_item_list l = list(t, &f);
	assert_int_equal(l.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(l.v[i].id, fx.inner[i]);
		assert_int_equal(l.v[i].parent_id, fx.nested);
		assert_int_equal(l.v[i].has_children, 0);
	}
	assert_string_equal(l.v[1].path, "inner/b.png");
	evidence_item_list_free(&l);
	f.descending = 1;
	f.after_position = 3;       /* before the last */
	l = list(t, &f);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, fx.inner[1]);
	assert_int_equal(l.v[1].id, fx.inner[0]);
	evidence_item_list_free(&l);
	assert_int_equal(count(t, &f), 3);
	f.parent_id = fx.folder;
	assert_int_equal(count(t, &f), 2);

	/* has_children on the members of the level, and on one item */
	f.parent_id = DL_ITEM_TOP;
	f.source_id = fx.src1;
	f.descending = 0;
	f.after_position = 5;
	f.limit = 3;
	l = list(t, &f);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].id, fx.nested);
	assert_int_equal(l.v[0].has_children, 1);
	assert_int_equal(l.v[1].id, fx.folder);
	assert_int_equal(l.v[1].has_children, 1);
	assert_int_equal(l.v[1].is_dir, 1);
	assert_int_equal(l.v[2].has_children, 0);
	evidence_item_list_free(&l);
	dl_item it;
	dl_err err;
	tu_expect(evidence_item_get(&t->inv, fx.nested, &it, &err), DL_OK, &err, NULL);
	assert_int_equal(it.has_children, 1);
	evidence_item_free(&it);

	/* the top level of source 2 is its own */
	f.source_id = fx.src2;
	f.after_position = 0;
	f.limit = 0;
	assert_int_equal(count(t, &f), 3);
	l = list(t, &f);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].path, "رسائل.txt");
	evidence_item_list_free(&l);
}

/* Counts over the case, a source and a type; the name filter matches any
 * part of the path, ASCII letters in either case, and %, _ literally. */
static void test_counts_and_name(void **state)
{
	tu_store *t = *state;
	fixture fx;
	build(t, &fx);
	long long total = NTOP + 3 + 2 + 3;
	dl_item_filter f = {0};
	f.case_number = CASE_A;
	assert_int_equal(count(t, &f), total);
	f.source_id = fx.src1;
	assert_int_equal(count(t, &f), NTOP + 5);
	f.parent_id = DL_ITEM_TOP;
	assert_int_equal(count(t, &f), NTOP);
	f.parent_id = 0;
	f.type = "image/";
	/* the odd members but 5 (the archive), the archive's png and the folder's two */
	assert_int_equal(count(t, &f), NTOP / 2 - 1 + 1 + 2);
	f.type = NULL;
	f.source_id = 0;

	f.name = "F01";             /* f010 … f019 */
	assert_int_equal(count(t, &f), 10);
	dl_item_list l = list(t, &f);
	assert_int_equal(l.n, 10);
	assert_string_equal(l.v[0].path, "f010.txt");
	assert_string_equal(l.v[9].path, "f019.jpg");
	evidence_item_list_free(&l);
	f.name = "%";
	l = list(t, &f);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, fx.odd);
	evidence_item_list_free(&l);
	f.name = "_";
	assert_int_equal(count(t, &f), 4);   /* 100%_done.txt, DONE_100.txt, DCIM/IMG_000[12].JPG */
	f.name = "0_";
	assert_int_equal(count(t, &f), 0);
	f.name = "رسائل";
	assert_int_equal(count(t, &f), 1);
	f.name = "inner/";
	f.type = "text/";
	assert_int_equal(count(t, &f), 2);
	f.name = "";                /* empty: no filter */
	f.type = NULL;
	assert_int_equal(count(t, &f), total);
	/* by name within one level */
	f.name = "f00";
	f.source_id = fx.src1;
	f.parent_id = DL_ITEM_TOP;
	f.by_position = 1;
	l = list(t, &f);
	assert_int_equal(l.n, 7);   /* f000 … f009 less 5, 6, 7 */
	assert_int_equal(l.v[6].ordinal, 9);
	evidence_item_list_free(&l);
}

/* Case-wide lists in id order: forwards, and from the end backwards. */
static void test_id_order(void **state)
{
	tu_store *t = *state;
	fixture fx;
	build(t, &fx);
	dl_item_filter f = {0};
	f.case_number = CASE_A;
	f.limit = 7;
	long long last = 0, seen = 0;
	for (;;) {
		dl_item_list l = list(t, &f);
		for (size_t i = 0; i < l.n; i++) {
			assert_true(l.v[i].id > last);
			last = l.v[i].id;
			seen++;
		}
		size_t n = l.n;
		if (n)
			f.after_id = l.v[n - 1].id;
		evidence_item_list_free(&l);
		if (n < 7)
			break;
	}
	assert_int_equal(seen, NTOP + 8);
	f.descending = 1;
	f.after_id = 0;
	f.limit = 2;
	dl_item_list l = list(t, &f);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, last);
	long long second = l.v[1].id;
	assert_true(second < last);
	f.after_id = l.v[1].id;
	evidence_item_list_free(&l);
	l = list(t, &f);
	assert_true(l.v[0].id < second);
	evidence_item_list_free(&l);
	/* one source, type filtered, last first */
	f.source_id = fx.src2;
	f.type = "text/";
	f.after_id = 0;
	f.limit = 0;
	l = list(t, &f);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].path, "DONE_100.txt");
	assert_string_equal(l.v[1].path, "رسائل.txt");
	evidence_item_list_free(&l);
}

/* Tags (and the untagged), hash-set hits. */
static void test_tags_and_hits(void **state)
{
	tu_store *t = *state;
	fixture fx;
	build(t, &fx);
	dl_err err;
	tu_expect(evidence_item_tag(&t->inv, fx.inner[1], "relevant", 0, &err), DL_OK, &err, NULL);
	tu_expect(evidence_item_tag(&t->inv, fx.inner[1], "review", 0, &err), DL_OK, &err, NULL);
	tu_expect(evidence_item_tag(&t->inv, fx.odd, "review", 0, &err), DL_OK, &err, NULL);
	dl_item_filter f = {0};
	f.case_number = CASE_A;
	f.tag = "review";
	assert_int_equal(count(t, &f), 2);
	dl_item_list l = list(t, &f);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, fx.odd);
	assert_int_equal(l.v[1].id, fx.inner[1]);
	assert_string_equal(l.v[1].tags, "relevant,review");
	evidence_item_list_free(&l);
	f.tag = "relevant";
	assert_int_equal(count(t, &f), 1);
	f.tag = DL_TAG_NONE;
	assert_int_equal(count(t, &f), NTOP + 8 - 2);
	/* untagging takes it out again */
	tu_expect(evidence_item_tag(&t->inv, fx.inner[1], "relevant", 1, &err), DL_OK, &err, NULL);
	f.tag = "relevant";
	assert_int_equal(count(t, &f), 0);
	f.tag = "secret";
	long long n;
	tu_expect(evidence_item_count(&t->inv, &f, &n, &err), DL_EINVAL, &err, "tag");
	f.tag = NULL;

	f.hits_only = 1;
	assert_int_equal(count(t, &f), 1);
	l = list(t, &f);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, fx.odd);
	assert_string_equal(l.v[0].hits, "watch");
	evidence_item_list_free(&l);
	f.source_id = fx.src2;
	assert_int_equal(count(t, &f), 0);
	tu_audit_intact(t);
}

/* Position order needs one level; a case the user may not read gives nothing. */
static void test_refusals(void **state)
{
	tu_store *t = *state;
	fixture fx;
	build(t, &fx);
	dl_item_filter f = {0};
	f.case_number = CASE_A;
	f.by_position = 1;
	dl_item_list l;
	dl_err err;
	tu_expect(evidence_item_list(&t->inv, &f, &l, &err), DL_EINVAL, &err, "parent");
	assert_int_equal(l.n, 0);
	f.parent_id = DL_ITEM_TOP;  /* top of which source? */
	tu_expect(evidence_item_list(&t->inv, &f, &l, &err), DL_EINVAL, &err, "parent");
	f.parent_id = -7;
	tu_expect(evidence_item_list(&t->inv, &f, &l, &err), DL_EINVAL, &err, "parent");
	/* a parent of the other case: nothing of it shows in this one */
	f.parent_id = fx.nested;
	f.case_number = CASE_B;
	dl_session *s = &t->inv2;
	tu_expect(evidence_item_list(s, &f, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 0);
	evidence_item_list_free(&l);
	/* inv2 is not on case A */
	f.case_number = CASE_A;
	tu_expect(evidence_item_list(s, &f, &l, &err), DL_EPERM, &err, NULL);
	long long n = -1;
	f.by_position = 0;
	f.parent_id = 0;
	tu_expect(evidence_item_count(s, &f, &n, &err), DL_EPERM, &err, NULL);
	assert_int_equal(n, 0);
	/* a supervisor reads every case */
	tu_expect(evidence_item_count(&t->sup, &f, &n, &err), DL_OK, &err, NULL);
	assert_int_equal(n, NTOP + 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_level_paged_both_ways, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_children_by_parent, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_name, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_id_order, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tags_and_hits, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
