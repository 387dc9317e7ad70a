/* test_casepack.c — what a case bundle carries: every record of the case and
 * nothing of another case, the users without their password hashes, every
 * table that names a case covered. */
#include "testutil.h"

#include "casepack.h"
#include "crypto.h"
#include "device.h"
#include "json.h"
#include "note.h"
#include "person.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pack of case_id as one JSON object text (caller frees). */
static char *pack(tu_store *t, long long case_id)
{
	json_w w = {0};
	json_begin_object(&w);
	long long n = 0;
	dl_err err;
	tu_expect(pack_records(&t->sup, case_id, 0, &w, &n, &err), DL_OK, &err, NULL);
	json_end_object(&w);
	assert_true(n > 0);
	return w.out.data;
}

/* A JSON path's value in doc, through SQLite's JSON functions. */
static long long jint(const char *doc, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void test_scope(void **state)
{
	tu_store *t = *state;
	dl_err err;
	long long a = tu_case(t, &t->inv, "2026/TIP/0001");
	long long b = tu_case(t, &t->inv2, "2026/TIP/0002");

	const char *aliases[] = {"أبو سالم"};
	dl_person_input p1 = {.name_ar = "سالم", .role = "suspect", .aliases = aliases, .naliases = 1};
	long long pid1, pid2, did, nid;
	tu_expect(person_add(&t->inv, "2026/TIP/0001", &p1, &pid1, &err), DL_OK, &err, NULL);
	const char *secret_alias[] = {"الاسم السري"};
	dl_person_input p2 = {.name_ar = "مخبر", .role = "informant", .aliases = secret_alias, .naliases = 1};
	tu_expect(person_add(&t->inv2, "2026/TIP/0002", &p2, &pid2, &err), DL_OK, &err, NULL);
	/* the suspect also appears in the other case */
	tu_expect(person_link(&t->sup, pid1, "2026/TIP/0002", "witness", NULL, &err), DL_OK, &err, NULL);
	dl_device_input d = {.type = "phone", .make = "Samsung"};
	tu_expect(device_add(&t->inv, "2026/TIP/0001", &d, &did, &err), DL_OK, &err, NULL);
	tu_expect(note_add(&t->inv, "2026/TIP/0001", "ملاحظة القضية الأولى", &nid, &err), DL_OK, &err, NULL);
	tu_expect(note_add(&t->inv2, "2026/TIP/0002", "ملاحظة سرية للقضية الثانية", &nid, &err), DL_OK, &err, NULL);

	char *doc = pack(t, a);
	assert_int_equal(jint(doc, "SELECT json_valid(?1)"), 1);
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.cases')"), 1);
	assert_int_equal(jint(doc, "SELECT json_extract(?1, '$.records.cases[0].id')"), a);
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.persons')"), 1);
	assert_int_equal(jint(doc, "SELECT json_extract(?1, '$.records.persons[0].id')"), pid1);
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.person_aliases')"), 1);
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.devices')"), 1);
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.notes')"), 1);
	/* the suspect's role in the other case stays there */
	assert_int_equal(jint(doc, "SELECT count(*) FROM json_each(?1, '$.records.case_persons')"
	                           " WHERE json_extract(value, '$.case_id') <> "
	                           "(SELECT json_extract(?1, '$.records.cases[0].id'))"), 0);
	assert_null(strstr(doc, "سرية"));
	assert_null(strstr(doc, "مخبر"));
	assert_null(strstr(doc, "الاسم السري"));
	assert_non_null(strstr(doc, "أبو سالم"));   /* Arabic as UTF-8, not \u escapes */
	/* users named, never their password hash */
	assert_true(jint(doc, "SELECT json_array_length(?1, '$.users')") >= 1);
	assert_null(strstr(doc, "password"));
	assert_null(strstr(doc, "scrypt$"));
	free(doc);

	doc = pack(t, b);
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.persons')"), 2);
	assert_null(strstr(doc, "ملاحظة القضية الأولى"));
	assert_int_equal(jint(doc, "SELECT json_array_length(?1, '$.records.devices')"), 0);
	free(doc);
}

/* Every audited table that says which case a row is in is packed: a table
 * added by a later migration must be added to record_sets (or this fails). */
static void test_every_case_table(void **state)
{
	tu_store *t = *state;
	long long a = tu_case(t, &t->inv, "2026/TIP/0003");
	char *doc = pack(t, a);
	char path[300];
	snprintf(path, sizeof path, "%s/dalil.db", t->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT m.name FROM sqlite_schema m WHERE m.type = 'table'"
		" AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'case_id')"
		/* this store's receipts of bundles (caseunpack.h): the sender's
		 * ids are no part of the case for the next unit */
		" AND m.name NOT IN ('bundle_imports', 'bundle_rows')"
		" AND m.name NOT IN (SELECT key FROM json_each(?1, '$.records'))", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	int missing = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		print_error("table %s names a case but is not packed\n", sqlite3_column_text(q, 0));
		missing++;
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	free(doc);
	assert_int_equal(missing, 0);
}

/* Past the limit the pack stops with a message naming where, its text no
 * longer than the limit plus one row. */
static void test_limit(void **state)
{
	tu_store *t = *state;
	long long a = tu_case(t, &t->inv, "2026/TIP/0005");
	dl_err err;
	long long nid;
	for (int i = 0; i < 20; i++)
		tu_expect(note_add(&t->inv, "2026/TIP/0005", "ملاحظة طويلة بعض الشيء للاختبار", &nid, &err),
		          DL_OK, &err, NULL);
	json_w w = {0};
	json_begin_object(&w);
	long long n = 0;
	tu_expect(pack_records(&t->sup, a, 2000, &w, &n, &err), DL_EINVAL, &err, "case");
	assert_non_null(strstr(err.msg, "notes"));
	assert_true(w.out.len < 2000 + 400);
	buf_free(&w.out);
}

static void test_objects_of_empty_case(void **state)
{
	tu_store *t = *state;
	long long a = tu_case(t, &t->inv, "2026/TIP/0004");
	dl_pack_objects o;
	dl_err err;
	tu_expect(pack_objects(&t->sup, a, 0, &o, &err), DL_OK, &err, NULL);
	assert_int_equal(o.n, 0);
	pack_objects_free(&o);
}

int main(void)
{
	crypto_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scope, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_every_case_table, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_limit, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_objects_of_empty_case, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
