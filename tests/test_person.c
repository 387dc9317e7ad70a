/* test_person.c — persons and identifiers: bad input first, then Arabic names,
 * normalised identifiers, rights of every role, one person in two cases. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "device.h"
#include "identifier.h"
#include "person.h"
#include "settings.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

#define CASE_A "2026/TIP/0001"
#define CASE_B "2026/SOM/0002"

/* Rows of every table a person touches, and audit entries (every committed
 * change, updates too, leaves one): a failed call must leave them as they were. */
static long long rows(tu_store *t)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(t->st->db,
		"SELECT (SELECT count(*) FROM persons) + (SELECT count(*) FROM person_aliases) +"
		" (SELECT count(*) FROM person_documents) + (SELECT count(*) FROM case_persons) +"
		" (SELECT count(*) FROM identifiers) + (SELECT count(*) FROM audit_log)", -1, &q, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void expect_bad_add(tu_store *t, const char *number, const dl_person_input *in,
                           dl_status want, const char *field)
{
	long long before = rows(t);
	dl_err err;
	long long id = -7;
	tu_expect(person_add(&t->inv, number, in, &id, &err), want, &err, field);
	assert_int_equal(id, -7);
	assert_int_equal(rows(t), before);
}

static void expect_bad_edit(tu_store *t, long long pid, const dl_person_input *in,
                            dl_status want, const char *field)
{
	long long before = rows(t);
	dl_err err;
	tu_expect(person_edit(&t->inv, pid, in, &err), want, &err, field);
	assert_int_equal(rows(t), before);
}

/* A list for the pointer + count pairs of dl_person_input: ARR in an
 * initializer (it fills the count member that follows), SET in a statement. */
#define LIST(...) ((const char *const[]){__VA_ARGS__})
#define NUM(...) (sizeof LIST(__VA_ARGS__) / sizeof(const char *))
#define ARR(...) LIST(__VA_ARGS__), NUM(__VA_ARGS__)
#define SET(s, f, ...) ((s).f = LIST(__VA_ARGS__), (s).n##f = NUM(__VA_ARGS__))

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	const dl_person_input ok = {.name_ar = "محمد علي", .role = "suspect"};
	dl_person_input in;
	in = ok; in.name_ar = NULL;               expect_bad_add(t, CASE_A, &in, DL_EINVAL, "name-ar");
	in = ok; in.name_ar = " \t";              expect_bad_add(t, CASE_A, &in, DL_EINVAL, "name-ar");
	in = ok; in.name_ar = "محمد\x01";          expect_bad_add(t, CASE_A, &in, DL_EINVAL, "name-ar");
	in = ok; in.name_ar = "a\nb";             expect_bad_add(t, CASE_A, &in, DL_EINVAL, "name-ar");
	in = ok; in.name_lat = "Mo\xffhamed";     expect_bad_add(t, CASE_A, &in, DL_EINVAL, "name-lat");
	in = ok; in.sex = "m";                    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "sex");
	in = ok; in.birth_date = "1990-02-30";    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "born");
	in = ok; in.birth_date = "31/12/1990";    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "born");
	in = ok; in.birth_date = "2199-01-01";    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "born");
	in = ok; in.nationality = "LBY";          expect_bad_add(t, CASE_A, &in, DL_EINVAL, "nationality");
	in = ok; in.nationality = "L1";           expect_bad_add(t, CASE_A, &in, DL_EINVAL, "nationality");
	in = ok; in.nationality = "لي";           expect_bad_add(t, CASE_A, &in, DL_EINVAL, "nationality");
	in = ok; in.status = "free";              expect_bad_add(t, CASE_A, &in, DL_EINVAL, "status");
	in = ok; in.status = "";                  expect_bad_add(t, CASE_A, &in, DL_EINVAL, "status");
	in = ok; in.role = NULL;                  expect_bad_add(t, CASE_A, &in, DL_EINVAL, "role");
	in = ok; in.role = "boss";                expect_bad_add(t, CASE_A, &in, DL_EINVAL, "role");
	in = ok; in.network_role = "driver";      expect_bad_add(t, CASE_A, &in, DL_EINVAL, "network-role");
	in = ok; in.notes = "bell\x07";           expect_bad_add(t, CASE_A, &in, DL_EINVAL, "notes");
	in = ok; SET(in, aliases, "أبو علي", " ");         expect_bad_add(t, CASE_A, &in, DL_EINVAL, "alias");
	in = ok; SET(in, phones, "12");                    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "phone");
	in = ok; SET(in, phones, "091-234-5678", "abc");   expect_bad_add(t, CASE_A, &in, DL_EINVAL, "phone");
	in = ok; SET(in, emails, "ali.example.com");       expect_bad_add(t, CASE_A, &in, DL_EINVAL, "email");
	in = ok; SET(in, documents, "visa:123");           expect_bad_add(t, CASE_A, &in, DL_EINVAL, "document");
	in = ok; SET(in, documents, "passport");           expect_bad_add(t, CASE_A, &in, DL_EINVAL, "document");
	in = ok; SET(in, documents, "passport: ");         expect_bad_add(t, CASE_A, &in, DL_EINVAL, "document");
	in = ok; SET(in, documents, "passport:P1:LBY");    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "document");
	in = ok; SET(in, documents, "passport:P1:LY:x");   expect_bad_add(t, CASE_A, &in, DL_EINVAL, "document");
	in = ok;
	expect_bad_add(t, NULL, &in, DL_EINVAL, "case");
	expect_bad_add(t, "2026 TIP", &in, DL_EINVAL, "case");
	expect_bad_add(t, "2026/TIP/9999", &in, DL_ENOTFOUND, "case");

	/* the same fields on edit, plus what only edit refuses */
	long long pid = 0;
	dl_err err;
	assert_int_equal(person_add(&t->inv, CASE_A, &ok, &pid, &err), DL_OK);
	dl_person_input ed = {0};
	ed.name_ar = "";             expect_bad_edit(t, pid, &ed, DL_EINVAL, "name-ar");
	ed = (dl_person_input){0}; ed.role = "victim";          expect_bad_edit(t, pid, &ed, DL_EINVAL, "role");
	ed = (dl_person_input){0}; ed.birth_date = "1990-13-01"; expect_bad_edit(t, pid, &ed, DL_EINVAL, "born");
	ed = (dl_person_input){0}; ed.sex = "x";                expect_bad_edit(t, pid, &ed, DL_EINVAL, "sex");
	ed = (dl_person_input){0}; ed.status = "gone";          expect_bad_edit(t, pid, &ed, DL_EINVAL, "status");
	/* a good alias and a bad phone: neither is written */
	ed = (dl_person_input){0}; SET(ed, aliases, "الأعور"); SET(ed, phones, "+218 91");
	expect_bad_edit(t, pid, &ed, DL_EINVAL, "phone");
	ed = (dl_person_input){0}; ed.name_lat = "X";
	expect_bad_edit(t, pid + 100, &ed, DL_ENOTFOUND, "id");
	expect_bad_edit(t, 0, &ed, DL_EINVAL, "id");

	/* link: bad role, missing role, unknown person */
	long long before = rows(t);
	tu_expect(person_link(&t->inv, pid, CASE_A, "boss", NULL, &err), DL_EINVAL, &err, "role");
	tu_expect(person_link(&t->inv, pid, CASE_A, NULL, NULL, &err), DL_EINVAL, &err, "role");
	tu_expect(person_link(&t->inv, pid, CASE_A, "victim", "driver", &err), DL_EINVAL, &err,
	              "network-role");
	tu_expect(person_link(&t->inv, pid + 100, CASE_A, "victim", NULL, &err), DL_ENOTFOUND, &err, "id");
	/* the role it already has */
	tu_expect(person_link(&t->inv, pid, CASE_A, "suspect", NULL, &err), DL_EEXIST, &err, "role");
	assert_int_equal(rows(t), before);

	dl_person p;
	tu_expect(person_get(&t->inv, pid + 100, &p, &err), DL_ENOTFOUND, &err, "id");
	dl_person_list l;
	tu_expect(person_list(&t->inv, "2026/TIP/9999", &l, &err), DL_ENOTFOUND, &err, "case");
}

static void test_add_and_get_arabic(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	dl_person_input in = {
		.name_ar = "عبد الرحمن الطرابلسي", .name_lat = "Abdulrahman al-Trabulsi",
		.sex = "male", .birth_date = "١٩٨٥-٠٣-٢١", .nationality = "ly", .status = "at_large",
		.role = "suspect", .network_role = "organiser", .notes = "قائد الشبكة\nيعمل من صبراتة",
		.aliases = ARR("الحاج", "Hajj", "الحاج"),
		/* one number written three ways is one identifier */
		.phones = ARR("091-234-5678", "+218 91 234 5678", "٠٩٢٥٥٥١٢٣٤"),
		.emails = ARR("Trabulsi@Example.COM"),
		.documents = ARR("passport: p١٢٣٤٥٦٧ :ly", "national_id:119850321"),
	};
	long long pid = 0;
	dl_err err;
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	assert_true(pid > 0);

	dl_person p;
	tu_expect(person_get(&t->inv, pid, &p, &err), DL_OK, &err, NULL);
	assert_int_equal(p.id, pid);
	assert_string_equal(p.name_ar, "عبد الرحمن الطرابلسي");
	assert_string_equal(p.name_lat, "Abdulrahman al-Trabulsi");
	assert_string_equal(p.sex, "male");
	assert_string_equal(p.birth_date, "1985-03-21");
	assert_string_equal(p.nationality, "LY");
	assert_string_equal(p.status, "at_large");
	assert_string_equal(p.notes, "قائد الشبكة\nيعمل من صبراتة");
	assert_int_equal(p.naliases, 2);
	assert_string_equal(p.aliases[0], "الحاج");
	assert_string_equal(p.aliases[1], "Hajj");
	assert_int_equal(p.ndocuments, 2);
	assert_string_equal(p.documents[0].kind, "passport");
	assert_string_equal(p.documents[0].number, "P1234567");
	assert_string_equal(p.documents[0].country, "LY");
	assert_string_equal(p.documents[1].kind, "national_id");
	assert_null(p.documents[1].country);
	assert_int_equal(p.identifiers.n, 3);
	assert_string_equal(p.identifiers.v[0].kind, "phone");
	assert_string_equal(p.identifiers.v[0].value, "+218912345678");
	assert_string_equal(p.identifiers.v[1].value, "+218925551234");
	assert_string_equal(p.identifiers.v[2].kind, "email");
	assert_string_equal(p.identifiers.v[2].value, "Trabulsi@example.com");
	assert_int_equal(p.ncases, 1);
	assert_string_equal(p.cases[0].number, CASE_A);
	assert_string_equal(p.cases[0].role, "suspect");
	assert_string_equal(p.cases[0].network_role, "organiser");
	assert_non_null(p.created_at);
	person_free(&p);
	assert_null(p.name_ar);   /* freed and cleared */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers WHERE case_id = 1"), 3);

	/* a second person, minimal */
	dl_person_input v = {.name_ar = "فاطمة", .role = "victim"};
	long long vid = 0;
	tu_expect(person_add(&t->inv, CASE_A, &v, &vid, &err), DL_OK, &err, NULL);
	dl_person_list l;
	tu_expect(person_list(&t->inv, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, pid);
	assert_string_equal(l.v[0].role, "suspect");
	assert_string_equal(l.v[0].network_role, "organiser");
	assert_int_equal(l.v[1].id, vid);
	assert_string_equal(l.v[1].name_ar, "فاطمة");
	assert_string_equal(l.v[1].role, "victim");
	assert_null(l.v[1].network_role);
	assert_string_equal(l.v[1].status, "unknown");
	person_list_free(&l);
	assert_int_equal(l.n, 0);
	tu_audit_intact(t);
}

static void test_edit(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	dl_person_input in = {.name_ar = "سالم", .name_lat = "Salem", .sex = "male", .role = "suspect",
	                      .aliases = ARR("أبو سالم"), .phones = ARR("0912345678")};
	long long pid = 0;
	dl_err err;
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	long long ids = tu_count(t, "SELECT count(*) FROM identifiers");

	dl_person_input ed = {.name_lat = "", .sex = "", .status = "arrested", .nationality = "eg",
	                      .network_role = "transporter", .notes = "قبض عليه في زوارة",
	                      .aliases = ARR("أبو سالم", "السائق"),
	                      .phones = ARR("+218-91-234-5678", "00201012345678"),
	                      .documents = ARR("residence_permit:RP-77:LY")};
	tu_expect(person_edit(&t->inv, pid, &ed, &err), DL_OK, &err, NULL);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers"), ids + 1);   /* only the Egyptian one */

	dl_person p;
	tu_expect(person_get(&t->inv, pid, &p, &err), DL_OK, &err, NULL);
	assert_string_equal(p.name_ar, "سالم");     /* not given: unchanged */
	assert_null(p.name_lat);                     /* "" cleared it */
	assert_null(p.sex);
	assert_string_equal(p.status, "arrested");
	assert_string_equal(p.nationality, "EG");
	assert_string_equal(p.notes, "قبض عليه في زوارة");
	assert_int_equal(p.naliases, 2);
	assert_string_equal(p.aliases[1], "السائق");
	assert_int_equal(p.ndocuments, 1);
	assert_string_equal(p.documents[0].number, "RP-77");
	assert_int_equal(p.identifiers.n, 2);
	assert_string_equal(p.identifiers.v[1].value, "+201012345678");
	assert_string_equal(p.cases[0].network_role, "transporter");
	person_free(&p);

	/* the same document typed again is not recorded twice */
	dl_person_input doc = {.documents = ARR("residence_permit: rp-77 :ly")};
	tu_expect(person_edit(&t->inv, pid, &doc, &err), DL_OK, &err, NULL);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM person_documents"), 1);
	/* clearing the network role */
	dl_person_input nr = {.network_role = ""};
	tu_expect(person_edit(&t->inv, pid, &nr, &err), DL_OK, &err, NULL);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM case_persons WHERE network_role IS NULL"), 1);
	tu_audit_intact(t);
}

static void test_rights(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	const dl_person_input in = {.name_ar = "خالد", .role = "witness", .phones = ARR("0912345678")};
	long long pid = 0, other = 0;
	dl_err err;
	/* investigator on own case, supervisor and admin anywhere */
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	tu_expect(person_add(&t->sup, CASE_A, &in, &other, &err), DL_OK, &err, NULL);
	tu_expect(person_add(&t->admin, CASE_A, &in, NULL, &err), DL_OK, &err, NULL);
	/* another investigator and the clerk: nothing written */
	long long before = rows(t);
	tu_expect(person_add(&t->inv2, CASE_A, &in, NULL, &err), DL_EPERM, &err, NULL);
	tu_expect(person_add(&t->clerk, CASE_A, &in, NULL, &err), DL_EPERM, &err, NULL);
	dl_person_input ed = {.status = "detained", .aliases = ARR("x")};
	tu_expect(person_edit(&t->inv2, pid, &ed, &err), DL_EPERM, &err, NULL);
	tu_expect(person_edit(&t->clerk, pid, &ed, &err), DL_EPERM, &err, NULL);
	tu_expect(identifier_add(&t->inv2, CASE_A, "email", "a@b.ly", pid, 0, NULL, &err), DL_EPERM,
	              &err, NULL);
	tu_expect(identifier_add(&t->clerk, CASE_A, "email", "a@b.ly", pid, 0, NULL, &err), DL_EPERM,
	              &err, NULL);
	assert_int_equal(rows(t), before);
	/* reading */
	dl_person p;
	dl_person_list l;
	dl_identifier_list il;
	tu_expect(person_get(&t->inv2, pid, &p, &err), DL_EPERM, &err, NULL);
	tu_expect(person_get(&t->clerk, pid, &p, &err), DL_EPERM, &err, NULL);
	tu_expect(person_list(&t->inv2, CASE_A, &l, &err), DL_EPERM, &err, NULL);
	tu_expect(identifier_list(&t->inv2, CASE_A, &il, &err), DL_EPERM, &err, NULL);
	tu_expect(person_get(&t->sup, pid, &p, &err), DL_OK, &err, NULL);
	person_free(&p);
	tu_expect(person_edit(&t->sup, pid, &ed, &err), DL_OK, &err, NULL);
	/* a referred case: the clerk reads it but still changes nothing */
	assert_int_equal(case_set_status(&t->inv, CASE_A, "investigating", NULL, &err), DL_OK);
	assert_int_equal(case_set_status(&t->inv, CASE_A, "referred", NULL, &err), DL_OK);
	tu_expect(person_get(&t->clerk, pid, &p, &err), DL_OK, &err, NULL);
	assert_string_equal(p.status, "detained");
	person_free(&p);
	tu_expect(person_list(&t->clerk, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 3);
	person_list_free(&l);
	before = rows(t);
	tu_expect(person_edit(&t->clerk, pid, &ed, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	tu_audit_intact(t);
}

static void test_two_cases(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	const dl_person_input in = {.name_ar = "يوسف", .role = "suspect", .network_role = "recruiter"};
	long long pid = 0;
	dl_err err;
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	long long before = rows(t);
	/* inv2 may change B but cannot read A; inv reads A but may not change B */
	tu_expect(person_link(&t->inv2, pid, CASE_B, "victim", NULL, &err), DL_EPERM, &err, NULL);
	tu_expect(person_link(&t->inv, pid, CASE_B, "victim", NULL, &err), DL_EPERM, &err, NULL);
	tu_expect(person_link(&t->clerk, pid, CASE_B, "victim", NULL, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	tu_expect(person_link(&t->sup, pid, CASE_B, "victim", "guide", &err), DL_OK, &err, NULL);
	tu_expect(person_link(&t->sup, pid, CASE_B, "victim", NULL, &err), DL_EEXIST, &err, "role");
	tu_expect(person_link(&t->inv2, pid, CASE_B, "witness", NULL, &err), DL_OK, &err, NULL);

	/* each investigator sees the roles of their own case only */
	dl_person p;
	tu_expect(person_get(&t->inv2, pid, &p, &err), DL_OK, &err, NULL);
	assert_int_equal(p.ncases, 2);
	assert_string_equal(p.cases[0].number, CASE_B);
	assert_string_equal(p.cases[0].role, "victim");
	assert_string_equal(p.cases[0].network_role, "guide");
	assert_string_equal(p.cases[1].role, "witness");
	person_free(&p);
	tu_expect(person_get(&t->inv, pid, &p, &err), DL_OK, &err, NULL);
	assert_int_equal(p.ncases, 1);
	assert_string_equal(p.cases[0].number, CASE_A);
	person_free(&p);
	tu_expect(person_get(&t->sup, pid, &p, &err), DL_OK, &err, NULL);
	assert_int_equal(p.ncases, 3);
	person_free(&p);
	dl_person_list l;
	tu_expect(person_list(&t->inv2, CASE_B, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, pid);
	assert_int_equal(l.v[1].id, pid);
	person_list_free(&l);

	/* inv2 edits through case B: new identifiers are recorded there, and the
	 * network role changes in B only */
	dl_person_input ed = {.network_role = "money_courier", .phones = ARR("0912345678")};
	tu_expect(person_edit(&t->inv2, pid, &ed, &err), DL_OK, &err, NULL);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers WHERE person_id IS NOT NULL AND case_id = 2"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM case_persons WHERE case_id = 1 AND network_role = 'recruiter'"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM case_persons WHERE case_id = 2 AND network_role = 'money_courier'"), 2);
	/* a supervisor changes every case: the network role everywhere, new
	 * identifiers recorded in the first case */
	dl_person_input sup = {.network_role = "financier", .emails = ARR("yusuf@mail.ly")};
	tu_expect(person_edit(&t->sup, pid, &sup, &err), DL_OK, &err, NULL);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM case_persons WHERE network_role = 'financier'"), 3);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers WHERE kind = 'email' AND case_id = 1"), 1);
	/* the person's phone is known in both cases' identifier lists */
	dl_identifier_list il;
	tu_expect(identifier_list(&t->inv, CASE_A, &il, &err), DL_OK, &err, NULL);
	assert_int_equal(il.n, 2);
	assert_string_equal(il.v[1].value, "+218912345678");
	assert_string_equal(il.v[1].subject, "يوسف");
	identifier_list_free(&il);
	tu_audit_intact(t);
}

/* Taking a person out of a case: only their roles in it go, after the rights
 * and the devices they own there are checked. */
static void test_unlink(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	const dl_person_input in = {.name_ar = "سالم", .role = "suspect", .phones = ARR("0912345678")};
	const dl_person_input stay = {.name_ar = "مريم", .role = "victim"};
	long long pid = 0, other = 0;
	dl_err err;
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	tu_expect(person_add(&t->inv, CASE_A, &stay, &other, &err), DL_OK, &err, NULL);
	/* two roles in A, one in B */
	tu_expect(person_link(&t->inv, pid, CASE_A, "witness", NULL, &err), DL_OK, &err, NULL);
	tu_expect(person_link(&t->sup, pid, CASE_B, "victim", NULL, &err), DL_OK, &err, NULL);
	char own[32];
	snprintf(own, sizeof own, "%lld", pid);
	dl_device_input dev = {.type = "phone", .owner = own};
	long long did = 0;
	tu_expect(device_add(&t->inv, CASE_A, &dev, &did, &err), DL_OK, &err, NULL);

	/* refused: nothing written */
	long long before = rows(t);
	tu_expect(person_unlink(&t->clerk, pid, CASE_A, &err), DL_EPERM, &err, NULL);
	tu_expect(person_unlink(&t->inv2, pid, CASE_A, &err), DL_EPERM, &err, NULL);
	tu_expect(person_unlink(&t->inv, pid, CASE_B, &err), DL_EPERM, &err, NULL);
	tu_expect(person_unlink(&t->inv, other, "2026/TIP/9999", &err), DL_ENOTFOUND, &err, "case");
	tu_expect(person_unlink(&t->inv, other, NULL, &err), DL_EINVAL, &err, "case");
	tu_expect(person_unlink(&t->inv2, other, CASE_B, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(person_unlink(&t->inv, other + 100, CASE_A, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(person_unlink(&t->inv, -1, CASE_A, &err), DL_EINVAL, &err, "id");
	/* the owner of a device of the case stays until the device changes hands */
	tu_expect(person_unlink(&t->inv, pid, CASE_A, &err), DL_EINVAL, &err, "person");
	assert_int_equal(rows(t), before);
	dl_device_input none = {.owner = ""};
	tu_expect(device_edit(&t->inv, did, &none, &err), DL_OK, &err, NULL);

	long long deletes = tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'delete'");
	tu_expect(person_unlink(&t->inv, pid, CASE_A, &err), DL_OK, &err, NULL);
	/* both roles in A went, each with its audit entry; the rest stays */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM case_persons WHERE case_id = 1"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM case_persons WHERE case_id = 2"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM persons"), 2);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers WHERE person_id IS NOT NULL"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'delete'"), deletes + 2);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'delete'"
	                             " AND entity = 'case_persons'"), 2);
	dl_person_list l;
	tu_expect(person_list(&t->inv, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, other);
	assert_int_equal(l.v[0].document_count, 0);
	assert_int_equal(l.v[0].identifier_count, 0);
	person_list_free(&l);
	tu_expect(person_list(&t->inv2, CASE_B, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].identifier_count, 1);   /* the phone, recorded in A */
	person_list_free(&l);
	dl_person p;
	tu_expect(person_get(&t->inv2, pid, &p, &err), DL_OK, &err, NULL);
	assert_int_equal(p.ncases, 1);
	assert_string_equal(p.cases[0].number, CASE_B);
	person_free(&p);
	/* inv no longer reaches the person: A was their only case of inv's */
	tu_expect(person_get(&t->inv, pid, &p, &err), DL_EPERM, &err, NULL);
	/* twice is not found */
	before = rows(t);
	tu_expect(person_unlink(&t->inv, pid, CASE_A, &err), DL_ENOTFOUND, &err, "id");
	assert_int_equal(rows(t), before);
	/* a referred case: the clerk reads it and still changes nothing */
	assert_int_equal(case_set_status(&t->inv, CASE_A, "investigating", NULL, &err), DL_OK);
	assert_int_equal(case_set_status(&t->inv, CASE_A, "referred", NULL, &err), DL_OK);
	before = rows(t);
	tu_expect(person_list(&t->clerk, CASE_A, &l, &err), DL_OK, &err, NULL);
	person_list_free(&l);
	tu_expect(person_unlink(&t->clerk, other, CASE_A, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	tu_audit_intact(t);
}

static void expect_norm(tu_store *t, const char *kind, const char *in, const char *want)
{
	char out[DL_IDENT_MAX];
	dl_err err;
	dl_status rc = identifier_normalize(t->st, kind, in, out, sizeof out, &err);
	if (rc != DL_OK)
		fail_msg("%s \"%s\": %s: %s", kind, in, err.field, err.msg);
	assert_string_equal(out, want);
}

static void expect_norm_bad(tu_store *t, const char *kind, const char *in, const char *field)
{
	char out[DL_IDENT_MAX];
	dl_err err;
	tu_expect(identifier_normalize(t->st, kind, in, out, sizeof out, &err), DL_EINVAL, &err, field);
}

static void test_identifier_normalize(void **state)
{
	tu_store *t = *state;
	expect_norm(t, "phone", "091-234-5678", "+218912345678");
	expect_norm(t, "phone", "٠٩١٢٣٤٥٦٧٨", "+218912345678");
	expect_norm(t, "email", "Ali@Mail.LY", "Ali@mail.ly");
	expect_norm(t, "social", "Telegram:@Abu_Ali", "telegram:abu_ali");
	expect_norm(t, "social", "whatsapp:0912345678", "whatsapp:+218912345678");
	expect_norm(t, "url", "HTTPS://example.com/Path", "https://example.com/Path");
	expect_norm(t, "imei", "490154203237518", "490154203237518");
	expect_norm(t, "imei", "49-015420-323751-8", "490154203237518");
	expect_norm(t, "imsi", "606 010 123456789", "606010123456789");
	expect_norm(t, "iccid", "8921 8000 0012 3456 783", "8921800000123456783");
	expect_norm(t, "btc", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
	expect_norm(t, "eth", "0x52908400098527886E0F7030069857D2E4169EE7",
	            "0x52908400098527886e0f7030069857d2e4169ee7");
	expect_norm(t, "tron", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL");
	expect_norm(t, "iban", "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432");
	expect_norm(t, " PHONE ", "0912345678", "+218912345678");

	expect_norm_bad(t, "imei", "490154203237519", "imei");
	expect_norm_bad(t, "phone", "12", "phone");
	expect_norm_bad(t, "social", "abu_ali", "social");
	expect_norm_bad(t, "social", "myspace:abu", "social");
	expect_norm_bad(t, "url", "ftp://x.ly", "url");
	expect_norm_bad(t, "iccid", "8921800000123456784", "iccid");
	expect_norm_bad(t, "iban", "GB83WEST12345698765432", "iban");
	expect_norm_bad(t, "fax", "123", "kind");
	expect_norm_bad(t, NULL, "123", "kind");
	/* a too small buffer is an error, not a cut value */
	char small[8];
	dl_err err;
	assert_int_equal(identifier_normalize(t->st, "phone", "0912345678", small, sizeof small, &err), DL_EINVAL);

	/* national numbers follow the unit's country */
	dl_err e2;
	assert_int_equal(settings_set(&t->admin, "phone_country", "EG", &e2), DL_OK);
	expect_norm(t, "phone", "010 1234 5678", "+201012345678");
}

static void test_identifier_add_list(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	const dl_person_input in = {.name_ar = "مراد", .role = "suspect", .emails = ARR("murad@mail.ly")};
	long long pid = 0, stranger = 0, id = 0, again = 0;
	dl_err err;
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	dl_person_input sin = {.name_ar = "غريب", .role = "victim"};
	tu_expect(person_add(&t->inv2, CASE_B, &sin, &stranger, &err), DL_OK, &err, NULL);

	long long before = rows(t);
	tu_expect(identifier_add(&t->inv, CASE_A, "btc", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", pid, 0,
	                             &id, &err), DL_EINVAL, &err, "value");
	tu_expect(identifier_add(&t->inv, CASE_A, "telex", "1", pid, 0, &id, &err), DL_EINVAL, &err, "kind");
	tu_expect(identifier_add(&t->inv, CASE_A, "email", "x@y.ly", 0, 0, &id, &err), DL_EINVAL, &err,
	              "person");
	tu_expect(identifier_add(&t->inv, CASE_A, "email", "x@y.ly", pid, 1, &id, &err), DL_EINVAL, &err,
	              "person");
	tu_expect(identifier_add(&t->inv, CASE_A, "email", "x@y.ly", stranger, 0, &id, &err), DL_EINVAL,
	              &err, "person");
	tu_expect(identifier_add(&t->inv, CASE_A, "email", "x@y.ly", 0, 99, &id, &err), DL_EINVAL, &err,
	              "device");
	assert_int_equal(rows(t), before);

	tu_expect(identifier_add(&t->inv, CASE_A, "social", "facebook:@Murad.Libya", pid, 0, &id, &err),
	              DL_OK, &err, NULL);
	assert_true(id > 0);
	tu_expect(identifier_add(&t->inv, CASE_A, "social", "FACEBOOK:murad.libya", pid, 0, &again, &err),
	              DL_OK, &err, NULL);
	assert_int_equal(again, id);   /* same value, same subject: not twice */
	tu_expect(identifier_add(&t->inv, CASE_A, "iban", "LY83002048000020100120361", pid, 0, &again,
	                             &err), DL_OK, &err, NULL);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers"), 3);   /* the e-mail and these two */

	dl_identifier_list l;
	tu_expect(identifier_list(&t->inv, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 3);
	/* by kind, then value */
	assert_string_equal(l.v[0].kind, "email");
	assert_string_equal(l.v[1].kind, "iban");
	assert_string_equal(l.v[1].value, "LY83002048000020100120361");
	assert_string_equal(l.v[2].kind, "social");
	assert_string_equal(l.v[2].value, "facebook:murad.libya");
	assert_int_equal(l.v[2].person_id, pid);
	assert_int_equal(l.v[2].case_id, 1);
	identifier_list_free(&l);
	/* the JSON every show command uses */
	dl_identifier_list own;
	assert_int_equal(identifier_load(t->st, pid, 0, &own, &err), DL_OK);
	json_w w = {0};
	identifier_list_json(&w, &own);
	assert_non_null(strstr(buf_str(&w.out), "\"value\":\"facebook:murad.libya\""));
	buf_free(&w.out);
	identifier_list_free(&own);
	tu_audit_intact(t);
}

/* The model-only insert: a subject's repeat is skipped; without a subject the
 * same value is one per case. */
static void test_identifier_insert(void **state)
{
	tu_store *t = *state;
	long long a = tu_case(t, NULL, CASE_A), b = tu_case(t, NULL, CASE_B);
	const dl_person_input in = {.name_ar = "نوري", .role = "suspect"};
	long long pid = 0;
	dl_err err;
	tu_expect(person_add(&t->inv, CASE_A, &in, &pid, &err), DL_OK, &err, NULL);
	assert_int_equal(session_begin(&t->inv, &err), DL_OK);
	assert_int_equal(identifier_insert(t->st, "url", "https://t.me/x", a, 0, 0, &err), DL_OK);
	assert_int_equal(identifier_insert(t->st, "url", "https://t.me/x", a, 0, 0, &err), DL_OK);
	assert_int_equal(identifier_insert(t->st, "url", "https://t.me/x", b, 0, 0, &err), DL_OK);
	assert_int_equal(identifier_insert(t->st, "url", "https://t.me/x", a, pid, 0, &err), DL_OK);
	assert_int_equal(identifier_insert(t->st, "url", "https://t.me/x", b, pid, 0, &err), DL_OK);
	assert_int_equal(identifier_insert(t->st, "fax", "1", a, pid, 0, &err), DL_EINVAL);
	assert_string_equal(err.field, "kind");
	assert_int_equal(store_commit(t->st, &err), DL_OK);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM identifiers WHERE kind = 'url'"), 3);
	tu_audit_intact(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_add_and_get_arabic, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_edit, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rights, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_two_cases, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_unlink, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_identifier_normalize, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_identifier_add_list, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_identifier_insert, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
