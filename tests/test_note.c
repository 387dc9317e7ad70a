/* test_note.c — notes and tasks: bad input first, then Arabic text, order,
 * assignment, completion, rights of every role and the audit log. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "note.h"
#include "store_priv.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long rows(tu_store *t)
{
	return tu_count(t, "SELECT (SELECT count(*) FROM notes) + (SELECT count(*) FROM tasks)");
}

static void expect_note_bad(tu_store *t, const char *body, const char *field)
{
	long long before = rows(t);
	dl_err err;
	dl_status rc = note_add(&t->inv, "2026/TIP/0001", body, NULL, &err);
	if (rc != DL_EINVAL || strcmp(err.field, field) != 0)
		fail_msg("expected DL_EINVAL on %s, got %d on '%s': %s", field, rc, err.field, err.msg);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(rows(t), before);
}

static void expect_task_bad(tu_store *t, const char *title, const char *assignee, const char *due,
                            const char *field)
{
	long long before = rows(t);
	dl_err err;
	dl_status rc = task_add(&t->inv, "2026/TIP/0001", title, assignee, due, NULL, &err);
	if (rc != DL_EINVAL || strcmp(err.field, field) != 0)
		fail_msg("expected DL_EINVAL on %s, got %d on '%s': %s", field, rc, err.field, err.msg);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(rows(t), before);
}

static long long task_ok(dl_session *s, const char *number, const char *title, const char *assignee,
                         const char *due)
{
	dl_err err;
	long long id = 0;
	dl_status rc = task_add(s, number, title, assignee, due, &id, &err);
	if (rc != DL_OK)
		fail_msg("task_add %s: %d %s: %s", title, rc, err.field, err.msg);
	return id;
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	char *huge = malloc(DL_NOTE_MAX + 2);
	assert_non_null(huge);
	memset(huge, 'a', DL_NOTE_MAX + 1);
	huge[DL_NOTE_MAX + 1] = '\0';
	expect_note_bad(t, NULL, "text");
	expect_note_bad(t, "", "text");
	expect_note_bad(t, " \n\t ", "text");
	expect_note_bad(t, huge, "text");
	expect_note_bad(t, "ملاحظة\x1b[31m", "text");
	expect_note_bad(t, "\xd8", "text");   /* a cut Arabic letter */
	free(huge);

	/* inv2 is on no case yet */
	expect_task_bad(t, NULL, NULL, NULL, "title");
	expect_task_bad(t, "   ", NULL, NULL, "title");
	expect_task_bad(t, "سطر\nسطر", NULL, NULL, "title");
	expect_task_bad(t, "مهمة", "ghost", NULL, "assignee");
	expect_task_bad(t, "مهمة", "Bad Name!", NULL, "assignee");
	expect_task_bad(t, "مهمة", "clerk", NULL, "assignee");
	expect_task_bad(t, "مهمة", "inv2", NULL, "assignee");        /* not on the case */
	expect_task_bad(t, "مهمة", NULL, "2026-02-29", "due");
	expect_task_bad(t, "مهمة", NULL, "next week", "due");
	/* assigned to the case but disabled */
	dl_err err;
	dl_case_input as = {.assign = "inv2"};
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0001", &as, &err), DL_OK);
	assert_int_equal(user_set_disabled(&t->admin, "inv2", 1, &err), DL_OK);
	expect_task_bad(t, "مهمة", "inv2", NULL, "assignee");
	assert_int_equal(rows(t), 0);
	/* the case */
	assert_int_equal(note_add(&t->inv, "bad case", "x", NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "case");
	assert_int_equal(task_add(&t->inv, "2026/TIP/0404", "x", NULL, NULL, NULL, &err), DL_ENOTFOUND);
	dl_task tk;
	assert_int_equal(task_done(&t->inv, 1, &err), DL_ENOTFOUND);
	assert_int_equal(task_get(&t->inv, 1, &tk, &err), DL_ENOTFOUND);
}

static void test_notes(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	tu_case(t, NULL, "2026/TIP/0002");
	const char *c = "2026/TIP/0001";
	const char *first = "أفاد الشاهد بأن المركب غادر من صبراتة ليلًا.\nالعدد التقريبي: ٤٥ شخصًا.";
	char *longest = malloc(DL_NOTE_MAX + 1);
	assert_non_null(longest);
	/* exactly DL_NOTE_MAX bytes of two-byte Arabic letters */
	for (size_t i = 0; i < DL_NOTE_MAX; i += 2)
		memcpy(longest + i, "ب", 2);
	longest[DL_NOTE_MAX] = '\0';
	dl_err err;
	long long id1, id2, id3;
	assert_int_equal(note_add(&t->inv, c, first, &id1, &err), DL_OK);
	assert_int_equal(note_add(&t->sup, c, longest, &id2, &err), DL_OK);
	assert_int_equal(note_add(&t->inv, c, "Follow-up call with the Tunisian liaison", &id3, &err), DL_OK);
	assert_int_equal(note_add(&t->inv, "2026/TIP/0002", "other case", NULL, &err), DL_OK);
	dl_note_list l;
	assert_int_equal(note_list(&t->inv, c, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	/* newest first, even within the same second */
	assert_int_equal(l.v[0].id, id3);
	assert_int_equal(l.v[1].id, id2);
	assert_int_equal(l.v[2].id, id1);
	assert_string_equal(l.v[2].body, first);
	assert_string_equal(l.v[2].author, "inv");
	assert_string_equal(l.v[1].author, "sup");
	assert_int_equal(strlen(l.v[1].body), DL_NOTE_MAX);
	assert_string_equal(l.v[1].body, longest);
	assert_string_equal(l.v[0].case_number, c);
	assert_int_equal(strlen(l.v[0].at), 20);
	note_list_free(&l);
	free(longest);
	dl_note n;
	assert_int_equal(note_get(&t->inv, id1, &n, &err), DL_OK);
	assert_string_equal(n.body, first);
	note_free(&n);
	assert_int_equal(note_get(&t->inv, 999, &n, &err), DL_ENOTFOUND);
	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

static void test_tasks(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	tu_case(t, NULL, "2026/TIP/0002");
	const char *c = "2026/TIP/0001";
	dl_err err;
	dl_case_input as = {.assign = "inv2"};
	assert_int_equal(case_edit(&t->inv, c, &as, &err), DL_OK);

	long long mine = task_ok(&t->inv, c, "استدعاء الشاهد الثاني", NULL, "2020-01-15");
	long long theirs = task_ok(&t->inv, c, "طلب كشف حساب من المصرف", "inv2", "2199-03-01");
	long long sups = task_ok(&t->inv, c, "Review the seizure report", "SUP", NULL);
	long long later = task_ok(&t->inv, c, "تحليل الهاتف", "inv2", "2198-01-01");
	task_ok(&t->inv, "2026/TIP/0002", "other case", NULL, NULL);

	dl_task tk;
	assert_int_equal(task_get(&t->inv, mine, &tk, &err), DL_OK);
	assert_string_equal(tk.title, "استدعاء الشاهد الثاني");
	assert_string_equal(tk.assignee, "inv");          /* default: whoever adds it */
	assert_string_equal(tk.due_date, "2020-01-15");
	assert_string_equal(tk.created_by, "inv");
	assert_false(tk.done);
	assert_true(tk.overdue);
	assert_null(tk.done_at);
	task_free(&tk);
	assert_int_equal(task_get(&t->inv, sups, &tk, &err), DL_OK);
	assert_string_equal(tk.assignee, "sup");
	assert_null(tk.due_date);
	assert_false(tk.overdue);
	task_free(&tk);

	/* my tasks across cases: inv2 has two, soonest first */
	dl_task_list l;
	assert_int_equal(task_list(&t->inv2, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, later);
	assert_int_equal(l.v[1].id, theirs);
	task_list_free(&l);
	assert_int_equal(task_list(&t->inv, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 2);                            /* one per case */
	task_list_free(&l);
	/* a case's tasks, whoever has them: dated ones first, by date */
	assert_int_equal(task_list(&t->inv2, c, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].id, mine);
	assert_int_equal(l.v[3].id, sups);
	task_list_free(&l);

	/* done, by inv2, on a task of inv's */
	assert_int_equal(task_done(&t->inv2, mine, &err), DL_OK);
	assert_int_equal(task_get(&t->inv, mine, &tk, &err), DL_OK);
	assert_true(tk.done);
	assert_false(tk.overdue);
	assert_non_null(tk.done_at);
	assert_string_equal(tk.done_by, "inv2");
	task_free(&tk);
	long long audit = tu_count(t, "SELECT count(*) FROM audit_log");
	assert_int_equal(task_done(&t->inv, mine, &err), DL_EINVAL);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log"), audit);
	/* done tasks leave the list unless asked for */
	assert_int_equal(task_list(&t->inv, c, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	task_list_free(&l);
	assert_int_equal(task_list(&t->inv, c, 1, &l, &err), DL_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[3].id, mine);                   /* done ones last */
	task_list_free(&l);
	assert_int_equal(task_list(&t->inv, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	task_list_free(&l);

	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

static void test_rights(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	const char *c = "2026/TIP/0001";
	dl_err err;
	long long nid;
	assert_int_equal(note_add(&t->inv, c, "own case", &nid, &err), DL_OK);
	long long tid = task_ok(&t->inv, c, "own task", NULL, NULL);
	long long before = rows(t);
	/* rights before input: a stranger's empty note is still "not permitted" */
	assert_int_equal(note_add(&t->inv2, c, "", NULL, &err), DL_EPERM);
	assert_int_equal(note_add(&t->inv2, c, "x", NULL, &err), DL_EPERM);
	assert_int_equal(note_add(&t->clerk, c, "x", NULL, &err), DL_EPERM);
	assert_int_equal(task_add(&t->inv2, c, "x", NULL, NULL, NULL, &err), DL_EPERM);
	assert_int_equal(task_add(&t->clerk, c, "x", NULL, NULL, NULL, &err), DL_EPERM);
	assert_int_equal(task_done(&t->inv2, tid, &err), DL_EPERM);
	assert_int_equal(task_done(&t->clerk, tid, &err), DL_EPERM);
	assert_int_equal(rows(t), before);
	assert_int_equal(tu_count(t, "SELECT done FROM tasks"), 0);
	dl_note_list nl;
	dl_task_list tl;
	dl_note n;
	dl_task tk;
	assert_int_equal(note_list(&t->inv2, c, &nl, &err), DL_EPERM);
	assert_int_equal(note_list(&t->clerk, c, &nl, &err), DL_EPERM);
	assert_int_equal(note_get(&t->inv2, nid, &n, &err), DL_EPERM);
	assert_int_equal(task_list(&t->inv2, c, 1, &tl, &err), DL_EPERM);
	assert_int_equal(task_get(&t->inv2, tid, &tk, &err), DL_EPERM);
	/* the supervisor and the administrator work on every case */
	assert_int_equal(note_add(&t->sup, c, "إشراف", NULL, &err), DL_OK);
	assert_int_equal(note_add(&t->admin, c, "admin", NULL, &err), DL_OK);
	task_ok(&t->sup, c, "sup task", "inv", NULL);
	assert_int_equal(task_done(&t->sup, tid, &err), DL_OK);
	/* the clerk reads a referred case but changes nothing in it */
	assert_int_equal(case_set_status(&t->inv, c, "referred", NULL, &err), DL_OK);
	assert_int_equal(note_list(&t->clerk, c, &nl, &err), DL_OK);
	assert_int_equal(nl.n, 3);
	note_list_free(&nl);
	assert_int_equal(task_list(&t->clerk, c, 1, &tl, &err), DL_OK);
	assert_int_equal(tl.n, 2);
	task_list_free(&tl);
	assert_int_equal(note_add(&t->clerk, c, "x", NULL, &err), DL_EPERM);
	before = rows(t);
	long long open_task = tu_count(t, "SELECT id FROM tasks WHERE done = 0");
	assert_int_equal(task_done(&t->clerk, open_task, &err), DL_EPERM);
	assert_int_equal(rows(t), before);
	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

/* Notes and tasks written by mistake: deleted by whoever may change the case,
 * kept in the audit log. */
static void test_delete(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	const char *c = "2026/TIP/0001";
	dl_err err;
	long long n1, n2;
	assert_int_equal(note_add(&t->inv, c, "ملاحظة خاطئة", &n1, &err), DL_OK);
	assert_int_equal(note_add(&t->inv, c, "kept", &n2, &err), DL_OK);
	long long t1 = task_ok(&t->inv, c, "wrong task", NULL, NULL);
	long long t2 = task_ok(&t->inv, c, "done task", NULL, "2026-01-01");
	assert_int_equal(task_done(&t->inv, t2, &err), DL_OK);
	long long before = rows(t);
	/* refused: a clerk, an investigator not on the case; nothing changes */
	tu_expect(note_delete(&t->clerk, n1, &err), DL_EPERM, &err, NULL);
	tu_expect(note_delete(&t->inv2, n1, &err), DL_EPERM, &err, NULL);
	tu_expect(task_delete(&t->clerk, t1, &err), DL_EPERM, &err, NULL);
	tu_expect(task_delete(&t->inv2, t1, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	/* done: a note, an open task, a done task */
	assert_int_equal(note_delete(&t->inv, n1, &err), DL_OK);
	assert_int_equal(task_delete(&t->inv, t1, &err), DL_OK);
	assert_int_equal(task_delete(&t->sup, t2, &err), DL_OK);
	assert_int_equal(rows(t), before - 3);
	dl_note n;
	assert_int_equal(note_get(&t->inv, n1, &n, &err), DL_ENOTFOUND);
	assert_int_equal(note_get(&t->inv, n2, &n, &err), DL_OK);
	note_free(&n);
	dl_task tk;
	assert_int_equal(task_get(&t->inv, t1, &tk, &err), DL_ENOTFOUND);
	/* gone, or never there; a note id is not a task id */
	tu_expect(note_delete(&t->inv, n1, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(task_delete(&t->inv, t1, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(note_delete(&t->inv, 999, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(task_delete(&t->inv, 999, &err), DL_ENOTFOUND, &err, "id");
	/* the deleted text stays in the log */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'delete'"
	                          " AND entity = 'notes' AND json_extract(data, '$.body') = 'ملاحظة خاطئة'"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'delete'"
	                          " AND entity = 'tasks'"), 2);
	tu_audit_intact(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_notes, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tasks, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rights, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_delete, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
