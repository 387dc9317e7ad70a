/* test_links.c — cross-case hits: one Libyan phone number written three ways
 * in three cases, seen by an investigator who may read only one of the other
 * cases, by the other case's lead, by an administrator and by a clerk; values
 * that must not link (another kind with the same digits, a value in one case
 * only); a person in two cases; an identifier found in an evidence item. */
#include "testutil.h"
#include "case.h"
#include "device.h"
#include "identifier.h"
#include "links.h"
#include "person.h"

#include <stdio.h>
#include <string.h>

#define CASE_A "2026/TIP/0001"   /* lead inv */
#define CASE_B "2026/SOM/0002"   /* lead inv2, inv assigned */
#define CASE_C "2026/TIP/0003"   /* lead inv2 */
#define CASE_E "2026/TIP/0004"   /* lead inv, nothing in it */
#define PHONE "+218912345678"
#define IMEI "490154203237518"    /* Luhn-valid; the same 15 digits as IMSI below */

static long long person_in(dl_session *s, const char *number, const char *name_ar,
                           const char *name_lat, const char *phone, const char *email)
{
	const char *phones[] = {phone}, *emails[] = {email};
	dl_person_input in = {0};
	in.name_ar = name_ar;
	in.name_lat = name_lat;
	in.role = "suspect";
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

static long long device_in(dl_session *s, const char *number, const char *make, const char *model,
                           const char *phone, const char *imei)
{
	const char *imeis[] = {imei};
	dl_device_input in = {0};
	in.type = "phone";
	in.make = make;
	in.model = model;
	in.phone = phone;
	in.imeis = imeis;
	in.nimeis = imei != NULL;
	long long id = 0;
	dl_err err;
	if (device_add(s, number, &in, &id, &err) != DL_OK)
		fail_msg("device_add %s: %s: %s", number, err.field, err.msg);
	return id;
}

typedef struct world {
	long long ahmed, khaled, dev_c, dev_a;
} world;

/*   case  lead  has
 *   A     inv   Ahmed  "+218 91-234-5678" + ahmed@example.ly; a device with IMEI
 *   B     inv2  Khaled "00218912345678"  (inv assigned)
 *   C     inv2  a Samsung A12 with "٠٩١٢٣٤٥٦٧٨"; the IMEI's digits as an IMSI
 *   E     inv   nothing */
static world build(tu_store *t)
{
	world w = {0};
	dl_case_input in = {0};
	dl_err err;
	tu_case(t, &t->inv, CASE_A);
	in.number = CASE_B;
	in.title_ar = "قضية تهريب";
	in.title_en = "Boat smuggling";
	in.offences = "smuggling";
	in.lead = "inv2";
	in.assign = "inv";
	if (case_add(&t->sup, &in, NULL, &err) != DL_OK)
		fail_msg("case_add B: %s", err.msg);
	tu_case(t, &t->inv2, CASE_C);
	tu_case(t, &t->inv, CASE_E);

	w.ahmed = person_in(&t->inv, CASE_A, "أحمد سالم", "Ahmed Salem", "+218 91-234-5678",
	                    "ahmed@example.ly");
	w.dev_a = device_in(&t->inv, CASE_A, "Nokia", NULL, NULL, IMEI);
	w.khaled = person_in(&t->inv2, CASE_B, "خالد", NULL, "00218912345678", NULL);
	w.dev_c = device_in(&t->inv2, CASE_C, "Samsung", "A12", "٠٩١٢٣٤٥٦٧٨", NULL);
	tu_expect(identifier_add(&t->inv2, CASE_C, "imsi", IMEI, 0, w.dev_c, NULL, &err), DL_OK, &err,
	          NULL);
	return w;
}

static dl_link_list links_of(dl_session *s, const char *number)
{
	dl_link_list l;
	dl_err err;
	dl_status rc = links_case(s, number, 0, &l, &err);
	if (rc != DL_OK)
		fail_msg("links_case %s as %s: %s", number, s->username, err.msg);
	return l;
}

static void expect_here_ahmed(const dl_link *k, const world *w)
{
	assert_string_equal(k->kind, "phone");
	assert_string_equal(k->value, PHONE);
	assert_int_equal(k->here.kind, DL_LINK_PERSON);
	assert_int_equal(k->here.id, w->ahmed);
	assert_string_equal(k->here.name, "أحمد سالم");
	assert_string_equal(k->here.name_lat, "Ahmed Salem");
}

/* The three spellings are one normal form: that is what links them. */
static void test_normal_forms(void **state)
{
	tu_store *t = *state;
	const char *ways[] = {"+218 91-234-5678", "00218912345678", "٠٩١٢٣٤٥٦٧٨"};
	for (size_t i = 0; i < 3; i++) {
		char out[DL_IDENT_MAX];
		dl_err err;
		tu_expect(identifier_normalize(t->st, "phone", ways[i], out, sizeof out, &err), DL_OK, &err,
		          NULL);
		assert_string_equal(out, PHONE);
	}
}

/* inv reads A and B, not C: C's hit is its number and lead only. */
static void test_investigator(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	dl_link_list l = links_of(&t->inv, CASE_A);
	assert_int_equal(l.n, 2);
	/* by other case number: 2026/SOM/0002 before 2026/TIP/0003 */
	const dl_link *b = &l.v[0], *c = &l.v[1];
	expect_here_ahmed(b, &w);
	assert_string_equal(b->other_case, CASE_B);
	assert_false(b->restricted);
	assert_string_equal(b->other_title_ar, "قضية تهريب");
	assert_string_equal(b->other_title_en, "Boat smuggling");
	assert_int_equal(b->there.kind, DL_LINK_PERSON);
	assert_int_equal(b->there.id, w.khaled);
	assert_string_equal(b->there.name, "خالد");
	assert_null(b->there.name_lat);
	assert_string_equal(b->other_lead, "inv2");

	expect_here_ahmed(c, &w);
	assert_string_equal(c->other_case, CASE_C);
	assert_true(c->restricted);
	assert_null(c->other_title_ar);
	assert_null(c->other_title_en);
	assert_int_equal(c->there.kind, DL_LINK_NONE);
	assert_int_equal(c->there.id, 0);
	assert_null(c->there.name);
	assert_null(c->there.device_type);
	assert_string_equal(c->other_lead, "inv2");

	/* the JSON says the same, with nulls where the case is restricted */
	json_w jw = {0};
	links_json(&jw, &l);
	const char *js = buf_str(&jw.out);
	assert_non_null(strstr(js, "\"other_case\":\"2026/TIP/0003\",\"restricted\":true,"
	                           "\"other_title\":null,\"other_title_en\":null,\"other_subject\":null,"
	                           "\"other_subject_kind\":null,\"other_subject_id\":null,"
	                           "\"other_subject_lat\":null,\"other_subject_items\":0,\"other_lead\":\"inv2\""));
	assert_non_null(strstr(js, "\"subject\":\"أحمد سالم\",\"subject_kind\":\"person\""));
	assert_null(strstr(js, "Samsung"));
	buf_free(&jw.out);
	links_list_free(&l);

	/* not a case inv may read: refused, not an empty list */
	dl_err err;
	tu_expect(links_case(&t->inv, CASE_C, 0, &l, &err), DL_EPERM, &err, "case");
	assert_int_equal(l.n, 0);
	tu_expect(links_case(&t->inv, "2026/TIP/0099", 0, &l, &err), DL_ENOTFOUND, &err, "case");
	tu_expect(links_case(&t->inv, "not a number", 0, &l, &err), DL_EINVAL, &err, "case");
}

/* The administrator sees every other case in full; nothing else links. */
static void test_admin(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	dl_link_list l = links_of(&t->admin, CASE_A);
	assert_int_equal(l.n, 2);
	assert_false(l.v[0].restricted);
	assert_false(l.v[1].restricted);
	assert_string_equal(l.v[1].other_case, CASE_C);
	assert_string_equal(l.v[1].other_title_ar, "قضية اختبار");
	assert_int_equal(l.v[1].there.kind, DL_LINK_DEVICE);
	assert_int_equal(l.v[1].there.id, w.dev_c);
	assert_string_equal(l.v[1].there.device_type, "phone");
	assert_string_equal(l.v[1].there.name, "Samsung A12");
	for (size_t i = 0; i < l.n; i++) {
		/* the e-mail is in A only; the IMEI's digits are an IMSI in C */
		assert_string_equal(l.v[i].kind, "phone");
		expect_here_ahmed(&l.v[i], &w);
	}
	links_list_free(&l);

	/* a case without identifiers has no hits */
	l = links_of(&t->admin, CASE_E);
	assert_int_equal(l.n, 0);
	links_list_free(&l);
}

/* From C, its lead inv2 may read B but not A; the hit from C's device. */
static void test_other_lead(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	dl_link_list l = links_of(&t->inv2, CASE_C);
	assert_int_equal(l.n, 2);
	/* 2026/SOM/0002 sorts before 2026/TIP/0001 */
	assert_string_equal(l.v[0].other_case, CASE_B);
	assert_false(l.v[0].restricted);
	assert_int_equal(l.v[0].there.id, w.khaled);
	assert_string_equal(l.v[1].other_case, CASE_A);
	assert_true(l.v[1].restricted);
	assert_string_equal(l.v[1].other_lead, "inv");
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i].here.kind, DL_LINK_DEVICE);
		assert_int_equal(l.v[i].here.id, w.dev_c);
		assert_string_equal(l.v[i].here.device_type, "phone");
		assert_string_equal(l.v[i].here.name, "Samsung A12");
	}
	links_list_free(&l);
}

/* Two subjects of a restricted case with the value give one hit (how many
 * there are is content too); readable, they give one each. */
static void test_restricted_folds(void **state)
{
	tu_store *t = *state;
	build(t);
	device_in(&t->inv2, CASE_C, "Huawei", "Y9", "0912345678", NULL);
	dl_link_list l = links_of(&t->inv, CASE_A);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].other_case, CASE_C);
	links_list_free(&l);
	l = links_of(&t->sup, CASE_A);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[1].there.name, "Samsung A12");
	assert_string_equal(l.v[2].there.name, "Huawei Y9");
	links_list_free(&l);
}

/* A clerk reads referred cases only: from referred B, C is visible once it is
 * in court and A (open) stays restricted. */
static void test_clerk(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	dl_err err;
	tu_expect(case_set_status(&t->sup, CASE_B, "referred", NULL, &err), DL_OK, &err, NULL);
	tu_expect(case_set_status(&t->sup, CASE_C, "in_court", NULL, &err), DL_OK, &err, NULL);
	dl_link_list l;
	tu_expect(links_case(&t->clerk, CASE_A, 0, &l, &err), DL_EPERM, &err, "case");
	l = links_of(&t->clerk, CASE_B);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].other_case, CASE_A);
	assert_true(l.v[0].restricted);
	assert_string_equal(l.v[0].other_lead, "inv");
	assert_null(l.v[0].other_title_ar);
	assert_int_equal(l.v[0].here.id, w.khaled);
	assert_string_equal(l.v[1].other_case, CASE_C);
	assert_false(l.v[1].restricted);
	assert_int_equal(l.v[1].there.kind, DL_LINK_DEVICE);
	links_list_free(&l);
}

/* One person in two cases: each of their identifiers is in both. */
static void test_person_in_two_cases(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	dl_err err;
	tu_expect(person_link(&t->inv, w.ahmed, CASE_E, "witness", NULL, &err), DL_OK, &err, NULL);
	dl_link_list l = links_of(&t->inv, CASE_E);
	/* phone: A (the same person), B, C (restricted); e-mail: A */
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].kind, "email");
	assert_string_equal(l.v[0].value, "ahmed@example.ly");
	assert_string_equal(l.v[0].other_case, CASE_A);
	assert_int_equal(l.v[0].here.id, w.ahmed);
	assert_int_equal(l.v[0].there.id, w.ahmed);
	assert_string_equal(l.v[1].other_case, CASE_B);
	assert_string_equal(l.v[2].other_case, CASE_A);
	assert_string_equal(l.v[3].other_case, CASE_C);
	assert_true(l.v[3].restricted);
	links_list_free(&l);
}

/* An identifier found in an evidence item of C (as the extractor records
 * them: the item and the case) links like the others. */
static void test_item(void **state)
{
	tu_store *t = *state;
	world w = build(t);
	tu_sql_behind(t,
		"INSERT INTO evidence_sources (id, case_id, kind, original_path, status, ingested_at)"
		" VALUES (1, 3, 'file', '/media/chat.txt', 'complete', '2026-01-01T00:00:00Z');"
		"INSERT INTO evidence_items (id, source_id, ordinal, path_raw, path)"
		" VALUES (7, 1, 0, 'chats/wa.txt', 'chats/wa.txt');"
		"INSERT INTO identifiers (kind, value, case_id, item_id, created_at)"
		" VALUES ('email', 'ahmed@example.ly', 3, 7, '2026-01-01T00:00:00Z');");
	dl_link_list l = links_of(&t->admin, CASE_A);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].kind, "email");
	assert_int_equal(l.v[0].here.id, w.ahmed);
	assert_string_equal(l.v[0].other_case, CASE_C);
	assert_int_equal(l.v[0].there.kind, DL_LINK_ITEM);
	assert_int_equal(l.v[0].there.id, 7);
	assert_string_equal(l.v[0].there.name, "chats/wa.txt");
	links_list_free(&l);
	l = links_of(&t->inv2, CASE_C);
	assert_int_equal(l.n, 3);
	assert_false(l.more);
	/* the item's hit comes after those of persons and devices */
	assert_int_not_equal(l.v[0].here.kind, DL_LINK_ITEM);
	assert_string_equal(l.v[2].kind, "email");
	assert_int_equal(l.v[2].here.kind, DL_LINK_ITEM);
	assert_string_equal(l.v[2].here.name, "chats/wa.txt");
	assert_true(l.v[2].restricted);
	links_list_free(&l);
	/* a limit keeps the first and says there were more */
	dl_err lerr;
	assert_int_equal(links_case(&t->inv2, CASE_C, 2, &l, &lerr), DL_OK);
	assert_int_equal(l.n, 2);
	assert_true(l.more);
	assert_int_not_equal(l.v[1].here.kind, DL_LINK_ITEM);
	links_list_free(&l);
	assert_int_equal(links_case(&t->inv2, CASE_C, 3, &l, &lerr), DL_OK);
	assert_int_equal(l.n, 3);
	assert_false(l.more);
	links_list_free(&l);
	/* found in evidence, not recorded: not among the case's recorded identifiers */
	dl_identifier_list il;
	dl_err err;
	assert_int_equal(identifier_list(&t->inv2, CASE_C, &il, &err), DL_OK);
	for (size_t i = 0; i < il.n; i++)
		assert_int_equal(il.v[i].item_id, 0);
	assert_true(il.n > 0);
	identifier_list_free(&il);
}

/* A value in many items of two cases is one hit: the first item of each
 * side and how many items have it, not one hit per pair of items. */
static void test_items_fold(void **state)
{
	tu_store *t = *state;
	build(t);
	tu_sql_behind(t,
		"INSERT INTO evidence_sources (id, case_id, kind, original_path, status, ingested_at)"
		" VALUES (1, 3, 'file', '/media/c.tar', 'complete', '2026-01-01T00:00:00Z'),"
		"        (2, 1, 'file', '/media/a.tar', 'complete', '2026-01-01T00:00:00Z');"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
		" INSERT INTO evidence_items (id, source_id, ordinal, path_raw, path)"
		" SELECT 100 + i, 1 + (i > 30), i, 'chat' || i, 'chat' || i FROM n;"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
		" INSERT INTO identifiers (kind, value, case_id, item_id, created_at)"
		" SELECT 'btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 3 - 2 * (i > 30), 100 + i,"
		"        '2026-01-01T00:00:00Z' FROM n;");
	dl_link_list l = links_of(&t->admin, CASE_A);
	size_t btc = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].kind, "btc"))
			continue;
		btc++;
		assert_int_equal(l.v[i].here.kind, DL_LINK_ITEM);
		assert_int_equal(l.v[i].here.id, 131);
		assert_int_equal(l.v[i].here.items, 10);
		assert_string_equal(l.v[i].other_case, CASE_C);
		assert_int_equal(l.v[i].there.kind, DL_LINK_ITEM);
		assert_int_equal(l.v[i].there.id, 101);
		assert_int_equal(l.v[i].there.items, 30);
	}
	assert_int_equal(btc, 1);
	links_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_normal_forms, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_investigator, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_admin, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_other_lead, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_restricted_folds, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_clerk, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_person_in_two_cases, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_item, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_items_fold, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
