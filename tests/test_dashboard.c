/* test_dashboard.c — the supervisor dashboard on real cases whose deadlines,
 * requests and tasks are dated from today: counts, what is listed, in which
 * order, and who may see it; and the counts by type of an ingested source. */
#include "testutil.h"
#include "case.h"
#include "dashboard.h"
#include "evidence.h"
#include "hashset.h"
#include "note.h"
#include "request.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Today (UTC, as the store counts) plus days, as YYYY-MM-DD. */
static const char *day(int days, char out[11])
{
	char today[11];
	store_today(today);
	struct tm tm = {0};
	tm.tm_year = atoi(today) - 1900;
	tm.tm_mon = atoi(today + 5) - 1;
	tm.tm_mday = atoi(today + 8) + days;
	tm.tm_hour = 12;
	time_t tt = timegm(&tm);
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	return out;
}

/* A case opened 100 days ago by the supervisor, led by lead, due in `due` days. */
static void add_case(tu_store *t, const char *number, const char *lead, int due, const char *assign)
{
	char opened[11], deadline[11];
	dl_case_input in = {0};
	in.number = number;
	in.title_ar = "قضية";
	in.title_en = number;
	in.offences = "trafficking";
	in.opened = day(-100, opened);
	in.deadline = day(due, deadline);
	in.lead = lead;
	in.assign = assign;
	dl_err err;
	dl_status rc = case_add(&t->sup, &in, NULL, &err);
	if (rc != DL_OK)
		fail_msg("case_add %s: %s: %s", number, err.field, err.msg);
}

static void set_status(tu_store *t, const char *number, const char *status)
{
	dl_err err;
	dl_status rc = case_set_status(&t->sup, number, status, "test", &err);
	if (rc != DL_OK)
		fail_msg("case_set_status %s %s: %s", number, status, err.msg);
}

static void add_request(tu_store *t, const char *number, const char *provider, const char *status,
                        int sent, int due, int answered)
{
	char s[11], d[11], a[11];
	dl_request_input in = {0};
	in.kind = "preservation";
	in.provider = provider;
	in.status = status;
	in.sent_date = day(sent, s);
	in.due_date = day(due, d);
	in.answer_date = answered ? day(answered, a) : NULL;
	dl_err err;
	dl_status rc = request_add(&t->sup, number, &in, NULL, &err);
	if (rc != DL_OK)
		fail_msg("request_add %s: %s: %s", provider, err.field, err.msg);
}

static long long add_task(tu_store *t, const char *number, const char *title, const char *who, int due,
                          int has_due)
{
	char d[11];
	long long id = 0;
	dl_err err;
	dl_status rc = task_add(&t->sup, number, title, who, has_due ? day(due, d) : NULL, &id, &err);
	if (rc != DL_OK)
		fail_msg("task_add %s: %s: %s", title, err.field, err.msg);
	return id;
}

/*   number          lead  deadline  status         note
 *   2026/TIP/0001   inv   -5        open           past
 *   2026/TIP/0002   inv   +3        investigating  near; inv2 assigned
 *   2026/TIP/0003   inv2  +13       open           near (13 < 14)
 *   2026/TIP/0004   inv2  +14       open           not near
 *   2026/TIP/0005   inv   -20       closed         past but closed: not listed
 *   2026/TIP/0006   inv2  -1        suspended      past, still counts */
static void build(tu_store *t)
{
	add_case(t, "2026/TIP/0001", "inv", -5, NULL);
	add_case(t, "2026/TIP/0002", "inv", 3, "inv2");
	add_case(t, "2026/TIP/0003", "inv2", 13, NULL);
	add_case(t, "2026/TIP/0004", "inv2", 14, NULL);
	add_case(t, "2026/TIP/0005", "inv", -20, NULL);
	add_case(t, "2026/TIP/0006", "inv2", -1, NULL);
	set_status(t, "2026/TIP/0002", "investigating");
	set_status(t, "2026/TIP/0005", "closed");
	set_status(t, "2026/TIP/0006", "suspended");

	add_request(t, "2026/TIP/0001", "Meta", "sent", -30, -10, 0);            /* 10 days over */
	add_request(t, "2026/TIP/0002", "Libyana", "acknowledged", -9, -2, 0);  /* 2 days over */
	add_request(t, "2026/TIP/0003", "Almadar", "sent", -3, 5, 0);           /* not yet due */
	add_request(t, "2026/TIP/0004", "Telegram", "answered", -20, -10, -4);  /* answered */
	add_request(t, "2026/TIP/0004", "Binance", "draft", -20, -10, 0);       /* never sent */

	add_task(t, "2026/TIP/0002", "طلب سجلات المكالمات", "inv2", 2, 1);
	add_task(t, "2026/TIP/0003", "interview the witness", "inv2", 0, 0);
	add_task(t, "2026/TIP/0001", "seize the phone", "inv", -1, 1);
	long long done = add_task(t, "2026/TIP/0001", "already done", "inv", -3, 1);
	dl_err err;
	assert_int_equal(task_done(&t->inv, done, &err), DL_OK);
}

static void test_dashboard_counts_and_order(void **state)
{
	tu_store *t = *state;
	build(t);
	dl_dashboard d;
	dl_err err;
	assert_int_equal(dashboard_load(&t->sup, &d, &err), DL_OK);

	assert_int_equal(d.total_cases, 6);
	assert_int_equal(d.status_counts[DL_CASE_OPEN], 3);
	assert_int_equal(d.status_counts[DL_CASE_INVESTIGATING], 1);
	assert_int_equal(d.status_counts[DL_CASE_REFERRED], 0);
	assert_int_equal(d.status_counts[DL_CASE_IN_COURT], 0);
	assert_int_equal(d.status_counts[DL_CASE_CLOSED], 1);
	assert_int_equal(d.status_counts[DL_CASE_SUSPENDED], 1);

	/* past or near, most urgent first; closed and far ones left out */
	static const struct { const char *number; long long days; const char *lead; } dl[] = {
		{"2026/TIP/0001", -5, "inv"}, {"2026/TIP/0006", -1, "inv2"},
		{"2026/TIP/0002", 3, "inv"}, {"2026/TIP/0003", 13, "inv2"},
	};
	assert_int_equal(d.ndeadlines, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(d.deadlines[i].number, dl[i].number);
		assert_int_equal(d.deadlines[i].days_left, dl[i].days);
		assert_string_equal(d.deadlines[i].lead, dl[i].lead);
		assert_string_equal(d.deadlines[i].title_ar, "قضية");
	}
	assert_int_equal(d.deadlines[1].status, DL_CASE_SUSPENDED);

	/* overdue requests: sent or acknowledged past their due date, most overdue first */
	assert_int_equal(d.overdue_requests.n, 2);
	assert_string_equal(d.overdue_requests.v[0].provider, "Meta");
	assert_int_equal(d.overdue_requests.v[0].days_overdue, 10);
	assert_string_equal(d.overdue_requests.v[0].case_number, "2026/TIP/0001");
	assert_string_equal(d.overdue_requests.v[1].provider, "Libyana");
	assert_int_equal(d.overdue_requests.v[1].days_overdue, 2);

	/* open tasks: overdue first, then by due date, undated last; done ones left out */
	assert_int_equal(d.ntasks, 3);
	assert_string_equal(d.tasks[0].title, "seize the phone");
	assert_true(d.tasks[0].overdue);
	assert_int_equal(d.tasks[0].days_left, -1);
	assert_string_equal(d.tasks[0].assignee, "inv");
	assert_string_equal(d.tasks[1].title, "طلب سجلات المكالمات");
	assert_false(d.tasks[1].overdue);
	assert_int_equal(d.tasks[1].days_left, 2);
	assert_string_equal(d.tasks[1].case_number, "2026/TIP/0002");
	assert_string_equal(d.tasks[2].title, "interview the witness");
	assert_null(d.tasks[2].due_date);

	/* load: inv2 leads 0003, 0004, 0006 and is assigned to 0002; inv leads
	 * 0001 and 0002 (0005 is closed) */
	assert_int_equal(d.nload, 2);
	assert_string_equal(d.load[0].username, "inv2");
	assert_int_equal(d.load[0].open_cases, 4);
	assert_int_equal(d.load[0].overdue_cases, 1);
	assert_int_equal(d.load[0].open_tasks, 2);
	assert_int_equal(d.load[0].overdue_tasks, 0);
	assert_string_equal(d.load[1].username, "inv");
	assert_int_equal(d.load[1].open_cases, 2);
	assert_int_equal(d.load[1].overdue_cases, 1);
	assert_int_equal(d.load[1].open_tasks, 1);
	assert_int_equal(d.load[1].overdue_tasks, 1);
	assert_int_equal(d.load[1].role, DL_ROLE_INVESTIGATOR);
	dashboard_free(&d);
	assert_null(d.deadlines);

	/* the admin sees the same */
	assert_int_equal(dashboard_load(&t->admin, &d, &err), DL_OK);
	assert_int_equal(d.total_cases, 6);
	assert_int_equal(d.ndeadlines, 4);
	dashboard_free(&d);
}

static void test_dashboard_rights(void **state)
{
	tu_store *t = *state;
	build(t);
	dl_dashboard d;
	dl_err err;
	dl_session *no[] = {&t->inv, &t->inv2, &t->clerk};
	for (size_t i = 0; i < 3; i++) {
		tu_expect(dashboard_load(no[i], &d, &err), DL_EPERM, &err, NULL);
		assert_int_equal(d.total_cases, 0);
		assert_null(d.deadlines);
		assert_int_equal(d.nload, 0);
		dl_dash_case *v = (dl_dash_case *)&d;
		size_t n = 7;
		tu_expect(dashboard_user_cases(no[i], 3, &v, &n, &err), DL_EPERM, &err, NULL);
		assert_null(v);
		assert_int_equal(n, 0);
	}
}

static void test_dashboard_user_cases(void **state)
{
	tu_store *t = *state;
	build(t);
	dl_dash_case *v;
	size_t n;
	dl_err err;
	/* inv2 (id 4): led or assigned, not closed, by deadline */
	assert_int_equal(dashboard_user_cases(&t->sup, 4, &v, &n, &err), DL_OK);
	static const char *const want[] = {"2026/TIP/0006", "2026/TIP/0002", "2026/TIP/0003", "2026/TIP/0004"};
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i].number, want[i]);
	assert_int_equal(v[3].days_left, 14);
	dashboard_cases_free(v, n);
	/* the admin leads nothing */
	assert_int_equal(dashboard_user_cases(&t->admin, 1, &v, &n, &err), DL_OK);
	assert_int_equal(n, 0);
	dashboard_cases_free(v, n);
}

static void test_dashboard_empty_and_idle(void **state)
{
	tu_store *t = *state;
	dl_dashboard d;
	dl_err err;
	assert_int_equal(dashboard_load(&t->sup, &d, &err), DL_OK);
	assert_int_equal(d.total_cases, 0);
	assert_int_equal(d.ndeadlines + d.overdue_requests.n + d.ntasks, 0);
	/* idle investigators are listed (by name), nobody else */
	assert_int_equal(d.nload, 2);
	assert_string_equal(d.load[0].username, "inv");
	assert_string_equal(d.load[1].username, "inv2");
	assert_int_equal(d.load[0].open_cases + d.load[1].open_cases, 0);
	dashboard_free(&d);
	/* a disabled investigator is not */
	assert_int_equal(user_set_disabled(&t->admin, "inv2", 1, &err), DL_OK);
	assert_int_equal(dashboard_load(&t->sup, &d, &err), DL_OK);
	assert_int_equal(d.nload, 1);
	dashboard_free(&d);
	/* a supervisor who leads an open case is */
	add_case(t, "2026/TIP/0009", "sup", 30, NULL);
	assert_int_equal(dashboard_load(&t->admin, &d, &err), DL_OK);
	assert_int_equal(d.nload, 2);
	assert_string_equal(d.load[0].username, "sup");
	assert_int_equal(d.load[0].role, DL_ROLE_SUPERVISOR);
	assert_int_equal(d.load[0].open_cases, 1);
	dashboard_free(&d);
}

/* ---- cross-case hits found in evidence lately ---- */

static void test_dashboard_hits(void **state)
{
	tu_store *t = *state;
	add_case(t, "2026/TIP/0001", "inv", 30, NULL);
	add_case(t, "2026/TIP/0002", "inv2", 30, NULL);
	add_case(t, "2026/TIP/0003", "inv2", 30, NULL);
	char old[11], sql[3000];
	/* case 1 has the number and the wallet on record; case 3 finds the number
	 * in two items today and the wallet in one 20 days ago; case 2 finds a
	 * number nobody else has */
	snprintf(sql, sizeof sql,
		"INSERT INTO identifiers (kind, value, case_id, created_at) VALUES"
		" ('phone', '+218912345678', 1, '2026-01-01T00:00:00Z'),"
		" ('btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 1, '2026-01-01T00:00:00Z');"
		"INSERT INTO evidence_sources (id, case_id, kind, original_path, status, ingested_at) VALUES"
		" (1, 3, 'file', '/m/c.tar', 'complete', '2026-01-01T00:00:00Z'),"
		" (2, 2, 'file', '/m/b.tar', 'complete', '2026-01-01T00:00:00Z');"
		"INSERT INTO evidence_items (id, source_id, ordinal, path_raw, path) VALUES"
		" (1, 1, 0, 'a', 'a'), (2, 1, 1, 'b', 'b'), (3, 1, 2, 'c', 'c'), (4, 2, 0, 'd', 'd');"
		"INSERT INTO identifiers (kind, value, case_id, item_id, created_at) VALUES"
		" ('btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 3, 3, '%sT10:00:00Z'),"
		" ('phone', '+218912345678', 3, 1, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')),"
		" ('phone', '+218912345678', 3, 2, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')),"
		" ('phone', '+20101234567', 2, 4, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'));",
		day(-(DL_DASH_HIT_DAYS + 6), old));
	tu_sql_behind(t, sql);
	dl_dashboard d;
	dl_err err;
	assert_int_equal(dashboard_load(&t->sup, &d, &err), DL_OK);
	assert_int_equal(d.nhits, 1);
	assert_string_equal(d.hits[0].case_number, "2026/TIP/0003");
	assert_string_equal(d.hits[0].kind, "phone");
	assert_string_equal(d.hits[0].value, "+218912345678");
	assert_int_equal(d.hits[0].items, 2);
	assert_string_equal(d.hits[0].other_case, "2026/TIP/0001");
	assert_false(d.hits_more);
	dashboard_free(&d);
}

/* ---- evidence by type ---- */

static void add_item(tu_store *t, long long source_id, long long ordinal, const char *path, const char *mime,
                     int is_dir, const char *problem, int encrypted, const char *sha256)
{
	dl_item_input in = {0};
	in.source_id = source_id;
	in.ordinal = ordinal;
	in.path_raw = path;
	in.path_raw_len = strlen(path);
	in.path = path;
	in.is_dir = is_dir;
	in.size = is_dir ? 0 : 10;
	in.mime = mime;
	in.problem = problem;
	in.encrypted = encrypted;
	in.sha256 = sha256;
	dl_err err;
	int hits = 0;
	long long id;
	dl_status rc = evidence_item_add(&t->inv, &in, &id, &hits, &err);
	if (rc != DL_OK)
		fail_msg("evidence_item_add %s: %s", path, err.msg);
}

static void test_type_counts(void **state)
{
	tu_store *t = *state;
	build(t);
	dl_err err;
	static const char bad[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char list[] = "/tmp/dalil-test-hashset-XXXXXX";
	int fd = mkstemp(list);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bad, 64), 64);
	assert_int_equal(write(fd, "\n", 1), 1);
	close(fd);
	assert_int_equal(hashset_import(&t->sup, "alert-test", list, "alert", NULL, NULL, &err), DL_OK);
	unlink(list);

	dl_source_input in = {0};
	in.kind = "archive";
	in.original_path = "/evidence/phone.zip";
	in.size = 1000;
	in.tool_version = "dalil test";
	in.libraries = "none";
	long long sid, cid;
	int resumed;
	assert_int_equal(evidence_source_begin(&t->inv, "2026/TIP/0001", &in, &sid, &cid, &resumed, &err), DL_OK);
	assert_int_equal(evidence_batch_begin(&t->inv, &err), DL_OK);
	add_item(t, sid, 0, "DCIM", NULL, 1, NULL, 0, NULL);
	add_item(t, sid, 1, "DCIM/1.jpg", "image/jpeg", 0, NULL, 0, bad);
	add_item(t, sid, 2, "DCIM/2.png", "image/png", 0, NULL, 0, NULL);
	add_item(t, sid, 3, "DCIM/3.jpg", "image/jpeg", 0, "truncated", 0, NULL);
	add_item(t, sid, 4, "ملاحظات.txt", "text/plain", 0, NULL, 0, NULL);
	add_item(t, sid, 5, "secret.bin", NULL, 0, NULL, 1, NULL);
	assert_int_equal(evidence_batch_commit(&t->inv, &err), DL_OK);

	dl_type_counts c;
	assert_int_equal(evidence_type_counts(&t->inv, sid, &c, &err), DL_OK);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].type, "image");
	assert_int_equal(c.v[0].n, 3);
	/* equal counts in name order; the unknown type is "" */
	assert_string_equal(c.v[1].type, "");
	assert_int_equal(c.v[1].n, 1);
	assert_string_equal(c.v[2].type, "text");
	assert_int_equal(c.v[2].n, 1);
	assert_int_equal(c.files, 5);
	assert_int_equal(c.dirs, 1);
	assert_int_equal(c.problems, 1);
	assert_int_equal(c.encrypted, 1);
	assert_int_equal(c.hits, 1);
	evidence_type_counts_free(&c);
	assert_null(c.v);

	/* read rights on the source's case */
	tu_expect(evidence_type_counts(&t->inv2, sid, &c, &err), DL_EPERM, &err, "case");
	assert_int_equal(c.n, 0);
	tu_expect(evidence_type_counts(&t->inv, sid + 100, &c, &err), DL_ENOTFOUND, &err, "source");
	assert_int_equal(evidence_type_counts(&t->sup, sid, &c, &err), DL_OK);
	assert_int_equal(c.files, 5);
	evidence_type_counts_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dashboard_counts_and_order, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dashboard_rights, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dashboard_user_cases, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dashboard_empty_and_idle, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_type_counts, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dashboard_hits, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
