/* test_search.c — global search: Arabic folding and transliteration through
 * the index (محمد finds مُحمّد, Mohamed and Muhammad), ranking (exact above
 * transliteration only, an identifier's value first), paging, need-to-know
 * with users of different access, identifiers typed in any format, items and
 * examiner notes, rows changed behind dalil's back (sqlite3 shell), an older
 * store migrated, bad input. */
#include "testutil.h"
#include "case.h"
#include "evidence.h"
#include "person.h"
#include "fold.h"
#include "search.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_A "2026/TIP/0001"   /* lead inv */
#define CASE_B "2026/SOM/0002"   /* lead inv2, inv not assigned */

static long long person_in(dl_session *s, const char *number, const char *name_ar,
                           const char *name_lat, const char *alias, const char *phone)
{
	const char *aliases[] = {alias}, *phones[] = {phone};
	dl_person_input in = {0};
	in.name_ar = name_ar;
	in.name_lat = name_lat;
	in.role = "suspect";
	in.aliases = aliases;
	in.naliases = alias != NULL;
	in.phones = phones;
	in.nphones = phone != NULL;
	long long id = 0;
	dl_err err;
	if (person_add(s, number, &in, &id, &err) != DL_OK)
		fail_msg("person_add %s: %s: %s", name_ar, err.field, err.msg);
	return id;
}

static void run(dl_session *s, const char *text, int page, dl_search_results *r)
{
	dl_err err;
	if (search_run(s, text, page, r, &err) != DL_OK)
		fail_msg("search %s: %s: %s", text, err.field, err.msg);
}

/* The index of the first result of kind and id, or -1. */
static int find(const dl_search_results *r, dl_search_kind kind, long long id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == kind && r->v[i].id == id)
			return (int)i;
	return -1;
}

static void test_arabic_finds_latin(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	long long harakat = person_in(&t->inv, CASE_A, "مُحمّد الصغير", NULL, NULL, NULL);
	long long mohamed = person_in(&t->inv, CASE_A, "سالم", "Mohamed Salem", NULL, NULL);
	long long muhammad = person_in(&t->inv, CASE_A, "كريم", "Karim", "Muhammad Karim", NULL);
	long long ahmed = person_in(&t->inv, CASE_A, "أحمد علي", "Ahmed Ali", NULL, NULL);
	long long mahmoud = person_in(&t->inv, CASE_A, "عمر", "Omar", NULL, NULL);

	dl_search_results r;
	run(&t->inv, "محمد", 1, &r);
	assert_int_equal(r.total, 3);
	assert_int_equal(r.n, 3);
	/* the Arabic spelling is an exact match and comes first */
	assert_int_equal(find(&r, DL_SEARCH_PERSON, harakat), 0);
	assert_true(r.v[0].exact);
	assert_string_equal(r.v[0].label, "مُحمّد الصغير");
	assert_string_equal(r.v[0].case_number, CASE_A);
	assert_int_equal(r.v[0].person_id, harakat);
	assert_true(find(&r, DL_SEARCH_PERSON, mohamed) > 0);
	assert_false(r.v[find(&r, DL_SEARCH_PERSON, mohamed)].exact);
	assert_true(find(&r, DL_SEARCH_PERSON, muhammad) > 0);
	assert_string_equal(r.v[find(&r, DL_SEARCH_PERSON, muhammad)].detail, "Muhammad Karim");
	assert_int_equal(find(&r, DL_SEARCH_PERSON, ahmed), -1);
	assert_int_equal(find(&r, DL_SEARCH_PERSON, mahmoud), -1);
	search_results_free(&r);

	/* and the reverse: a Latin spelling finds the Arabic one and the others */
	run(&t->inv, "Mohammed", 1, &r);
	assert_int_equal(r.total, 3);
	assert_true(find(&r, DL_SEARCH_PERSON, harakat) >= 0);
	search_results_free(&r);
	/* a Latin spelling typed as it is stored ranks above the others */
	run(&t->inv, "mohamed", 1, &r);
	assert_int_equal(find(&r, DL_SEARCH_PERSON, mohamed), 0);
	assert_true(r.v[0].exact);
	assert_false(r.v[1].exact);
	search_results_free(&r);
	/* two words: both must match */
	run(&t->inv, "Mohamed Karim", 1, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].id, muhammad);
	search_results_free(&r);
	/* a prefix of the last word */
	run(&t->inv, "Sal", 1, &r);
	assert_int_equal(find(&r, DL_SEARCH_PERSON, mohamed), 0);
	search_results_free(&r);
	/* the search writes no audit entries and leaves the chain intact */
	tu_audit_intact(t);
}

static void test_cases_and_folding(void **state)
{
	tu_store *t = *state;
	dl_case_input in = {0};
	in.number = CASE_A;
	in.title_ar = "شبكة تهريب إلى إيطاليا";
	in.title_en = "Smuggling ring, Zuwara";
	in.summary_ar = "قارب انطلق من زوارة";
	in.offences = "smuggling";
	long long id = 0;
	dl_err err;
	tu_expect(case_add(&t->inv, &in, &id, &err), DL_OK, &err, NULL);
	dl_search_results r;
	run(&t->inv, "ايطاليا", 1, &r);          /* إ typed as ا */
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].kind, DL_SEARCH_CASE);
	assert_int_equal(r.v[0].id, id);
	assert_string_equal(r.v[0].label, "شبكة تهريب إلى إيطاليا");
	assert_string_equal(r.v[0].label2, "Smuggling ring, Zuwara");
	search_results_free(&r);
	run(&t->inv, "الي", 1, &r);               /* ى typed as ي */
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	run(&t->inv, "زوارة", 1, &r);             /* in the summary; ة */
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	run(&t->inv, "ZUWARA", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	run(&t->inv, "٢٠٢٦/TIP/٠٠٠١", 1, &r);     /* the number in Arabic-Indic digits */
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	/* an edited title is found under its new words, not the old */
	dl_case_input ed = {0};
	ed.title_en = "Boat departures from Sabratha";
	tu_expect(case_edit(&t->inv, CASE_A, &ed, &err), DL_OK, &err, NULL);
	run(&t->inv, "sabratha", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	run(&t->inv, "smuggling ring", 1, &r);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.pages, 1);
	search_results_free(&r);
}

static void test_identifier_any_format(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	long long p = person_in(&t->inv, CASE_A, "خالد", "Khaled", NULL, "+218 91-234-5678");
	/* a person whose name holds the same digits ranks below the identifier */
	person_in(&t->inv, CASE_A, "رقم 218912345678", NULL, NULL, NULL);
	static const char *const forms[] = {"٠٩١٢٣٤٥٦٧٨", "00218912345678", "+218 91 234 5678",
	                                    "0912345678"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		dl_search_results r;
		run(&t->inv, forms[i], 1, &r);
		if (r.n == 0 || r.v[0].kind != DL_SEARCH_IDENTIFIER)
			fail_msg("%s: no identifier first", forms[i]);
		assert_string_equal(r.v[0].label, "+218912345678");
		assert_string_equal(r.v[0].label2, "phone");
		assert_int_equal(r.v[0].person_id, p);
		assert_string_equal(r.v[0].detail, "خالد (Khaled)");
		assert_true(r.v[0].exact);
		search_results_free(&r);
	}
}

static void test_paging(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	char name[32];
	for (int i = 0; i < 45; i++) {
		snprintf(name, sizeof name, "Karim %02d", i);
		person_in(&t->inv, CASE_A, "كريم", name, NULL, NULL);
	}
	long long seen[45] = {0};
	int nseen = 0;
	for (int page = 1; page <= 3; page++) {
		dl_search_results r;
		run(&t->inv, "karim", page, &r);
		assert_int_equal(r.total, 45);
		assert_int_equal(r.pages, 3);
		assert_int_equal(r.page, page);
		assert_int_equal(r.n, page < 3 ? 20 : 5);
		for (size_t i = 0; i < r.n; i++) {
			for (int j = 0; j < nseen; j++)
				if (seen[j] == r.v[i].id)
					fail_msg("person %lld on two pages", r.v[i].id);
			seen[nseen++] = r.v[i].id;
		}
		search_results_free(&r);
	}
	assert_int_equal(nseen, 45);
	dl_search_results r;
	run(&t->inv, "karim", 4, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.total, 45);
	search_results_free(&r);
}

static void test_need_to_know(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	long long mine = person_in(&t->inv, CASE_A, "محمد", "Mohamed", NULL, NULL);
	person_in(&t->inv2, CASE_B, "محمد الليبي", "Mohamed Ellibi", NULL, NULL);
	person_in(&t->inv2, CASE_B, "محمد", "Mohammed", "Abu Yusuf", NULL);

	/* inv reads A only: B's two persons fold into one result without content */
	dl_search_results r;
	run(&t->inv, "Mohamed", 1, &r);
	assert_int_equal(r.total, 2);
	assert_int_equal(find(&r, DL_SEARCH_PERSON, mine), 0);
	const dl_search_hit *h = &r.v[1];
	assert_true(h->restricted);
	assert_string_equal(h->case_number, CASE_B);
	assert_int_equal(h->count, 2);
	assert_string_equal(h->lead, "inv2");
	assert_null(h->label);
	assert_null(h->label2);
	assert_null(h->detail);
	assert_int_equal(h->id, 0);
	assert_int_equal(h->person_id, 0);
	json_w w = {0};
	search_results_json(&w, &r);
	assert_null(strstr(buf_str(&w.out), "Ellibi"));
	assert_null(strstr(buf_str(&w.out), "Yusuf"));
	assert_non_null(strstr(buf_str(&w.out), "\"restricted\":true"));
	buf_free(&w.out);
	search_results_free(&r);

	/* a supervisor reads both */
	run(&t->sup, "Mohamed", 1, &r);
	assert_int_equal(r.total, 3);
	for (size_t i = 0; i < r.n; i++) {
		assert_false(r.v[i].restricted);
		assert_non_null(r.v[i].label);
	}
	search_results_free(&r);

	/* a clerk reads neither open case */
	run(&t->clerk, "Mohamed", 1, &r);
	assert_int_equal(r.total, 2);
	assert_true(r.v[0].restricted && r.v[1].restricted);
	search_results_free(&r);

	/* assigned to B, inv sees its persons */
	tu_sql_behind(t, "INSERT INTO case_assignments (case_id, user_id) SELECT c.id, u.id"
	                 " FROM cases c, users u WHERE c.number = '" CASE_B "' AND u.username = 'inv'");
	run(&t->inv, "yusuf", 1, &r);
	assert_int_equal(r.total, 1);
	assert_false(r.v[0].restricted);
	assert_string_equal(r.v[0].detail, "Abu Yusuf");
	search_results_free(&r);
}

static void test_items_and_notes(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	dl_source_input in = {0};
	in.kind = "archive";
	in.original_path = "/media/phone.tar";
	in.size = 1000;
	in.tool_version = "dalil test";
	long long sid = 0, cid = 0;
	int resumed = 0;
	dl_err err;
	tu_expect(evidence_source_begin(&t->inv, CASE_A, &in, &sid, &cid, &resumed, &err), DL_OK, &err, NULL);
	tu_expect(evidence_batch_begin(&t->inv, &err), DL_OK, &err, NULL);
	static const char *const paths[] = {"WhatsApp/Chat with يوسف.txt", "DCIM/IMG_2034.jpg",
	                                    "Documents/passport_scan.pdf"};
	long long ids[3];
	for (int i = 0; i < 3; i++) {
		dl_item_input it = {0};
		it.source_id = sid;
		it.ordinal = i;
		it.path = paths[i];
		it.path_raw = paths[i];
		it.path_raw_len = strlen(paths[i]);
		it.size = 10;
		int hits = 0;
		tu_expect(evidence_item_add(&t->inv, &it, &ids[i], &hits, &err), DL_OK, &err, NULL);
	}
	tu_expect(evidence_batch_commit(&t->inv, &err), DL_OK, &err, NULL);

	dl_search_results r;
	run(&t->inv, "Youssef", 1, &r);          /* Arabic name in a file name, by transliteration */
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].kind, DL_SEARCH_ITEM);
	assert_int_equal(r.v[0].item_id, ids[0]);
	assert_int_equal(r.v[0].source_id, sid);
	assert_string_equal(r.v[0].case_number, CASE_A);
	search_results_free(&r);
	run(&t->inv, "img 2034", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);

	/* a note written after the item was indexed */
	tu_expect(evidence_item_note(&t->inv, ids[2], "جواز سفر مزوّر، الاسم: عبد الرحمن", &err),
	          DL_OK, &err, NULL);
	run(&t->inv, "Abdelrahman", 1, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].kind, DL_SEARCH_NOTE);
	assert_int_equal(r.v[0].item_id, ids[2]);
	assert_string_equal(r.v[0].label2, "Documents/passport_scan.pdf");
	search_results_free(&r);
	run(&t->inv, "مزور", 1, &r);            /* shadda folded away */
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	/* the note changed: the old words go */
	tu_expect(evidence_item_note(&t->inv, ids[2], "checked", &err), DL_OK, &err, NULL);
	run(&t->inv, "مزور", 1, &r);
	assert_int_equal(r.total, 0);
	search_results_free(&r);

	/* inv2 may not read case A: the three hits fold into one */
	run(&t->inv2, "jpg OR pdf OR txt", 1, &r);
	assert_int_equal(r.total, 0);            /* words are words, not FTS5 syntax */
	search_results_free(&r);
	run(&t->inv2, "Youssef", 1, &r);
	assert_int_equal(r.total, 1);
	assert_true(r.v[0].restricted);
	assert_string_equal(r.v[0].lead, "inv");
	search_results_free(&r);
	tu_audit_intact(t);
}

/* A name changed with the sqlite3 shell (plain SQL, no dalil) is found under
 * its new spelling at the next search, and not under the old. */
static void test_hand_edit(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	long long p = person_in(&t->inv, CASE_A, "زكريا", "Zakaria", NULL, NULL);
	dl_search_results r;
	run(&t->inv, "Zakaria", 1, &r);           /* indexed once */
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE persons SET name_lat = 'Boudiaf Mostefa' WHERE id = %lld;"
	                          " INSERT INTO person_aliases (person_id, alias) VALUES (%lld, 'El Hadj')",
	         p, p);
	tu_sql_behind(t, sql);
	run(&t->inv, "Mustapha", 1, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].id, p);
	assert_string_equal(r.v[0].label2, "Boudiaf Mostefa");
	search_results_free(&r);
	run(&t->inv, "hadj", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	run(&t->inv, "Zakaria", 1, &r);
	assert_int_equal(r.total, 0);
	search_results_free(&r);
	tu_sql_behind(t, "DELETE FROM person_aliases; DELETE FROM case_persons; DELETE FROM persons");
	run(&t->inv, "زكريا", 1, &r);
	assert_int_equal(r.total, 0);
	search_results_free(&r);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM search_fts"), 1);   /* the case */
}

/* An index built with other folding rules (here: one with a stale entry and
 * an older FOLD_VERSION recorded) is rebuilt at the next search. */
static void test_refold(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	long long p = person_in(&t->inv, CASE_A, "يوسف", "Youssef", NULL, NULL);
	dl_search_results r;
	run(&t->inv, "Yusuf", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE search_fts SET skel = 'zzqq' WHERE rowid = %lld;"
	                          " UPDATE search_state SET mark = %d WHERE name = 'fold'",
	         p * 8 + DL_SEARCH_PERSON, FOLD_VERSION - 1);
	tu_sql_behind(t, sql);
	run(&t->inv, "zzqq", 1, &r);               /* the stale keys are gone */
	assert_int_equal(r.total, 0);
	search_results_free(&r);
	run(&t->inv, "Yusuf", 1, &r);              /* the rebuilt ones are there */
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].id, p);
	search_results_free(&r);
	assert_int_equal(tu_count(t, "SELECT mark FROM search_state WHERE name = 'fold'"), FOLD_VERSION);
}

/* A store from before the index (schema 3) is migrated and its rows found. */
static void test_old_store(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	person_in(&t->inv, CASE_A, "يوسف", NULL, NULL, "+218912345678");
	store_close(&t->st);
	tu_sql_behind(t,
		"DROP TRIGGER search_cases_ins; DROP TRIGGER search_cases_upd; DROP TRIGGER search_cases_del;"
		"DROP TRIGGER search_persons_ins; DROP TRIGGER search_persons_upd; DROP TRIGGER search_persons_del;"
		"DROP TRIGGER search_aliases_ins; DROP TRIGGER search_aliases_upd; DROP TRIGGER search_aliases_del;"
		"DROP TRIGGER search_identifiers_ins; DROP TRIGGER search_identifiers_upd;"
		"DROP TRIGGER search_identifiers_del; DROP TRIGGER search_items_ins;"
		"DROP TRIGGER search_items_upd; DROP TRIGGER search_items_del;"
		"DROP TABLE search_fts; DROP TABLE search_queue; DROP TABLE search_state;"
		"DROP INDEX identifiers_item; DROP TABLE unit_keys;"
		" DROP TABLE received_audit; DROP TABLE bundle_rows; DROP TABLE bundle_imports; PRAGMA user_version = 3;");
	dl_err err;
	assert_int_equal(store_open(t->dir, 0, &t->st, &err), DL_OK);
	t->sup.store = t->inv.store = t->admin.store = t->inv2.store = t->clerk.store = t->st;
	assert_int_equal(store_schema_version(t->st), DL_SCHEMA_VERSION);
	dl_search_results r;
	run(&t->inv, "Yusuf", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	run(&t->inv, "0912345678", 1, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.v[0].kind, DL_SEARCH_IDENTIFIER);
	search_results_free(&r);
	run(&t->inv, "قضية", 1, &r);
	assert_int_equal(r.total, 1);
	search_results_free(&r);
	long long n = -1;
	assert_int_equal(search_sync(t->st, &n, &err), DL_OK);
	assert_int_equal(n, 0);                 /* nothing left to index */
	tu_audit_intact(t);
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	dl_search_results r;
	dl_err err;
	tu_expect(search_run(&t->inv, "", 1, &r, &err), DL_EINVAL, &err, "text");
	tu_expect(search_run(&t->inv, " ـ،؟ - ", 1, &r, &err), DL_EINVAL, &err, "text");
	tu_expect(search_run(&t->inv, NULL, 1, &r, &err), DL_EINVAL, &err, "text");
	char big[DL_SEARCH_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tu_expect(search_run(&t->inv, big, 1, &r, &err), DL_EINVAL, &err, "text");
	tu_expect(search_run(&t->inv, "x", 0, &r, &err), DL_EINVAL, &err, "page");
	/* FTS5 syntax in the text is searched for as words, never an error */
	static const char *const odd[] = {"\"", "a\"b", "NEAR(", "* OR", "col:x", "^x"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		dl_status rc = search_run(&t->inv, odd[i], 1, &r, &err);
		if (rc == DL_OK)
			search_results_free(&r);
		else if (rc != DL_EINVAL)
			fail_msg("%s: %s", odd[i], err.msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arabic_finds_latin, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_cases_and_folding, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_identifier_any_format, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_paging, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_need_to_know, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_items_and_notes, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hand_edit, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_old_store, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_refold, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
