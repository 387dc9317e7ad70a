/* test_case.c — cases: bad input first, then rights, workflow and deadlines. */
#include "testutil.h"
#include "case.h"
#include "settings.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

static long long cases(tu_store *t)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(t->st->db, "SELECT (SELECT count(*) FROM cases) +"
	                 " (SELECT count(*) FROM case_status_history) + (SELECT count(*) FROM case_assignments)",
	                 -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void expect_bad(tu_store *t, const dl_case_input *in, const char *field)
{
	long long before = cases(t);
	dl_err err;
	dl_status rc = case_add(&t->inv, in, NULL, &err);
	if (rc != DL_EINVAL || strcmp(err.field, field) != 0)
		fail_msg("expected DL_EINVAL on %s, got %d on '%s': %s", field, rc, err.field, err.msg);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(cases(t), before);
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	dl_case_input ok = {.number = "2026/TIP/0042", .title_ar = "قضية", .offences = "trafficking"};
	dl_case_input in = ok;
	in.number = NULL;                    expect_bad(t, &in, "number");
	in = ok; in.number = "2026 TIP";     expect_bad(t, &in, "number");
	in = ok; in.number = "../etc";       expect_bad(t, &in, "number");
	in = ok; in.title_ar = "  ";         expect_bad(t, &in, "title-ar");
	in = ok; in.title_ar = "\xff\xfe";   expect_bad(t, &in, "title-ar");
	in = ok; in.offences = NULL;         expect_bad(t, &in, "offence");
	in = ok; in.offences = "trafficking,piracy"; expect_bad(t, &in, "offence");
	in = ok; in.opened = "2026-02-30";   expect_bad(t, &in, "opened");
	in = ok; in.opened = "23/11/2026";   expect_bad(t, &in, "opened");
	in = ok; in.opened = "2026-03-01"; in.deadline = "2026-02-01"; expect_bad(t, &in, "deadline");
	in = ok; in.assign = "ghost";        expect_bad(t, &in, "assign");
	in = ok; in.assign = "clerk";        expect_bad(t, &in, "assign");
	in = ok; in.lead = "ghost";          expect_bad(t, &in, "lead");
}

static void test_add_defaults_and_arabic(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_case_input in = {.number = "2026/tip/٠٠٤٢", .title_ar = "شبكة تهريب عبر الساحل — «الجنوب»",
	                    .title_en = "Coastal ring", .offences = "smuggling,trafficking",
	                    .opened = "2026-01-10"};
	long long id = 0;
	assert_int_equal(case_add(&t->inv, &in, &id, &err), DL_OK);
	assert_true(id > 0);
	dl_case c;
	assert_int_equal(case_get(&t->inv, "2026/TIP/0042", &c, &err), DL_OK);
	assert_string_equal(c.number, "2026/TIP/0042");
	assert_string_equal(c.title_ar, "شبكة تهريب عبر الساحل — «الجنوب»");
	assert_string_equal(c.opened, "2026-01-10");
	assert_string_equal(c.deadline, "2026-04-10");   /* + 90 days */
	assert_string_equal(c.lead, "inv");
	assert_int_equal(c.status, DL_CASE_OPEN);
	assert_int_equal(c.offences, 3u);
	assert_int_equal(c.nstatus_history, 1);
	case_free(&c);
	/* same number again, however written */
	in.number = "2026/TIP/0042";
	assert_int_equal(case_add(&t->sup, &in, NULL, &err), DL_EEXIST);
	assert_string_equal(err.field, "number");
	/* the unit's deadline setting applies */
	assert_int_equal(settings_set(&t->admin, "deadline_days", "30", &err), DL_OK);
	dl_case_input in2 = {.number = "2026/SOM/1", .title_ar = "ب", .offences = "other", .opened = "2026-01-10"};
	assert_int_equal(case_add(&t->inv, &in2, NULL, &err), DL_OK);
	assert_int_equal(case_get(&t->inv, "2026/SOM/1", &c, &err), DL_OK);
	assert_string_equal(c.deadline, "2026-02-09");
	case_free(&c);
}

static void test_rights(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_case_input in = {.number = "2026/CYB/0001", .title_ar = "احتيال", .offences = "cybercrime"};
	assert_int_equal(case_add(&t->clerk, &in, NULL, &err), DL_EPERM);
	/* an investigator leads what they open, and cannot open it for someone else */
	in.lead = "inv2";
	assert_int_equal(case_add(&t->inv, &in, NULL, &err), DL_EPERM);
	in.lead = NULL;
	assert_int_equal(case_add(&t->inv, &in, NULL, &err), DL_OK);
	dl_case c;
	assert_int_equal(case_get(&t->inv2, "2026/CYB/0001", &c, &err), DL_EPERM);
	dl_case_input ed = {.title_en = "Fraud"};
	assert_int_equal(case_edit(&t->inv2, "2026/CYB/0001", &ed, &err), DL_EPERM);
	assert_int_equal(case_edit(&t->clerk, "2026/CYB/0001", &ed, &err), DL_EPERM);
	/* the lead assigns a colleague, who may then work on it */
	dl_case_input as = {.assign = "inv2"};
	assert_int_equal(case_edit(&t->inv2, "2026/CYB/0001", &as, &err), DL_EPERM);
	assert_int_equal(case_edit(&t->inv, "2026/CYB/0001", &as, &err), DL_OK);
	assert_int_equal(case_edit(&t->inv2, "2026/CYB/0001", &ed, &err), DL_OK);
	/* only a supervisor changes the lead */
	dl_case_input lead = {.lead = "inv2"};
	assert_int_equal(case_edit(&t->inv, "2026/CYB/0001", &lead, &err), DL_EPERM);
	assert_int_equal(case_edit(&t->sup, "2026/CYB/0001", &lead, &err), DL_OK);
	assert_int_equal(case_get(&t->sup, "2026/CYB/0001", &c, &err), DL_OK);
	assert_string_equal(c.lead, "inv2");
	assert_string_equal(c.title_en, "Fraud");
	assert_int_equal(c.nassigned, 1);
	case_free(&c);
	assert_int_equal(case_get(&t->sup, "2026/CYB/9999", &c, &err), DL_ENOTFOUND);
}

static void test_workflow(void **state)
{
	tu_store *t = *state;
	dl_err err;
	tu_case(t, NULL, "2026/TIP/0200");
	const char *n = "2026/TIP/0200";
	assert_int_equal(case_set_status(&t->inv, n, "open", NULL, &err), DL_EINVAL);
	assert_int_equal(case_set_status(&t->inv, n, "finished", NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "status");
	assert_int_equal(case_set_status(&t->inv, n, "investigating", NULL, &err), DL_OK);
	assert_int_equal(case_set_status(&t->inv, n, "investigating", NULL, &err), DL_EINVAL);
	assert_int_equal(case_set_status(&t->inv, n, "in_court", NULL, &err), DL_OK);
	/* going back needs a reason */
	assert_int_equal(case_set_status(&t->inv, n, "investigating", NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "reason");
	assert_int_equal(case_set_status(&t->inv, n, "investigating", "النيابة طلبت استكمال التحقيق", &err), DL_OK);
	/* closing: supervisors only, with a reason */
	assert_int_equal(case_set_status(&t->inv, n, "closed", "done", &err), DL_EPERM);
	assert_int_equal(case_set_status(&t->inv2, n, "suspended", "x", &err), DL_EPERM);
	assert_int_equal(case_set_status(&t->sup, n, "closed", NULL, &err), DL_EINVAL);
	assert_int_equal(case_set_status(&t->sup, n, "closed", "judgment delivered", &err), DL_OK);
	/* a closed case is reopened only by a supervisor */
	assert_int_equal(case_set_status(&t->inv, n, "investigating", "new evidence", &err), DL_EPERM);
	assert_int_equal(case_set_status(&t->sup, n, "investigating", "new evidence", &err), DL_OK);
	dl_case c;
	assert_int_equal(case_get(&t->inv, n, &c, &err), DL_OK);
	assert_int_equal(c.nstatus_history, 6);
	assert_string_equal(c.status_history[4].to, "closed");
	assert_string_equal(c.status_history[4].username, "sup");
	assert_string_equal(c.status_history[3].reason, "النيابة طلبت استكمال التحقيق");
	case_free(&c);
}

static void test_deadline_change_needs_reason(void **state)
{
	tu_store *t = *state;
	dl_err err;
	tu_case(t, NULL, "2026/TIP/0300");
	dl_case_input in = {.deadline = "2099-01-01"};
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0300", &in, &err), DL_EINVAL);
	assert_string_equal(err.field, "reason");
	in.deadline = "1999-01-01";
	in.reason = "x";
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0300", &in, &err), DL_EINVAL);
	assert_string_equal(err.field, "deadline");
	in.deadline = "2099-01-01";
	in.reason = "تمديد بقرار النيابة";
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0300", &in, &err), DL_OK);
	dl_case c;
	assert_int_equal(case_get(&t->inv, "2026/TIP/0300", &c, &err), DL_OK);
	assert_string_equal(c.deadline, "2099-01-01");
	assert_int_equal(c.ndeadline_history, 1);
	assert_string_equal(c.deadline_history[0].to, "2099-01-01");
	assert_string_equal(c.deadline_history[0].reason, "تمديد بقرار النيابة");
	assert_true(c.days_left > 20000);
	case_free(&c);
	dl_case_input num = {.number = "2026/TIP/0301"};
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0300", &num, &err), DL_EINVAL);
	assert_string_equal(err.field, "number");
}

static void test_list_filters_and_visibility(void **state)
{
	tu_store *t = *state;
	dl_err err;
	tu_case(t, &t->inv, "2026/TIP/0001");
	tu_case(t, &t->inv2, "2026/TIP/0002");
	dl_case_input in = {.number = "2026/SOM/0003", .title_ar = "ج", .offences = "smuggling,cybercrime",
	                    .opened = "2020-01-01"};
	assert_int_equal(case_add(&t->inv, &in, NULL, &err), DL_OK);
	assert_int_equal(case_set_status(&t->inv, "2026/SOM/0003", "referred", NULL, &err), DL_OK);

	dl_case_list l;
	assert_int_equal(case_list(&t->inv, NULL, &l, &err), DL_OK);
	assert_int_equal(l.n, 2);
	/* sorted by deadline: the 2020 case first, and overdue */
	assert_string_equal(l.v[0].number, "2026/SOM/0003");
	assert_true(l.v[0].days_left < 0);
	case_list_free(&l);
	assert_int_equal(case_list(&t->sup, NULL, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	case_list_free(&l);
	assert_int_equal(case_list(&t->clerk, NULL, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	case_list_free(&l);
	dl_case_filter f = {.offence = "cybercrime"};
	assert_int_equal(case_list(&t->sup, &f, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	case_list_free(&l);
	dl_case_filter f2 = {.status = "open", .sort = "number"};
	assert_int_equal(case_list(&t->sup, &f2, &l, &err), DL_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].number, "2026/TIP/0001");
	case_list_free(&l);
	dl_case_filter f3 = {.mine = 1};
	assert_int_equal(case_list(&t->sup, &f3, &l, &err), DL_OK);
	assert_int_equal(l.n, 0);
	case_list_free(&l);
	dl_case_filter bad = {.status = "pending"};
	assert_int_equal(case_list(&t->sup, &bad, &l, &err), DL_EINVAL);
	assert_string_equal(err.field, "status");
	dl_case_filter bad2 = {.sort = "title"};
	assert_int_equal(case_list(&t->sup, &bad2, &l, &err), DL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_add_defaults_and_arabic, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rights, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_workflow, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_deadline_change_needs_reason, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_list_filters_and_visibility, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
