/* test_audit.c — the hash chain and the detection of edits made behind dalil. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "note.h"
#include "request.h"
#include "store_priv.h"
#include "user.h"

#include <stdio.h>
#include <string.h>

/* The report must name entity#id with a description containing what. */
static void expect_problem(const dl_audit_report *r, const char *entity, long long id,
                           const char *what)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].entity, entity) && r->v[i].entity_id == id &&
		    (!what || strstr(r->v[i].what, what)))
			return;
	fail_msg("no problem reported for %s #%lld (%s)", entity, id, what ? what : "");
}

static void test_only_supervisors_verify(void **state)
{
	tu_store *t = *state;
	dl_audit_report r;
	dl_err err;
	assert_int_equal(audit_verify(&t->inv, &r, &err), DL_EPERM);
	assert_int_equal(audit_verify(&t->clerk, &r, &err), DL_EPERM);
	dl_audit_list l;
	assert_int_equal(audit_list(&t->inv, NULL, 0, 10, &l, &err), DL_EPERM);
	assert_int_equal(audit_verify(&t->admin, &r, &err), DL_OK);
	audit_report_free(&r);
}

static void test_clean_store_verifies(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	dl_case_input in = {.title_en = "Renamed", .assign = "inv2"};
	dl_err err;
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0001", &in, &err), DL_OK);
	dl_audit_report r;
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_OK);
	assert_int_equal(r.n, 0);
	assert_true(r.entries > 5);
	assert_true(r.rows >= 7);
	audit_report_free(&r);
}

static void test_every_change_is_audited_with_actor(void **state)
{
	tu_store *t = *state;
	long long id = tu_case(t, NULL, "2026/TIP/0002");
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE entity = 'cases'"
	         " AND entity_id = %lld AND action = 'insert' AND username = 'inv' AND user_id = 3"
	         " AND row LIKE '%%2026/TIP/0002%%'", id);
	assert_int_equal(tu_count(t, sql), 1);
	dl_err err;
	dl_case_input in = {.title_en = "x"};
	assert_int_equal(case_edit(&t->sup, "2026/TIP/0002", &in, &err), DL_OK);
	/* an update keeps the old value of what changed */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE entity = 'cases'"
	         " AND entity_id = %lld AND action = 'update' AND username = 'sup'"
	         " AND json_extract(data, '$.title_en') IS NULL AND json_extract(row, '$.title_en') = 'x'", id);
	assert_int_equal(tu_count(t, sql), 1);
}

static void test_failed_change_leaves_no_entry(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0003");
	long long before = tu_count(t, "SELECT count(*) FROM audit_log");
	dl_case_input in = {.number = "2026/TIP/0003", .title_ar = "مكرر", .offences = "other"};
	dl_err err;
	assert_int_equal(case_add(&t->inv, &in, NULL, &err), DL_EEXIST);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log"), before);
}

static void test_passwords_never_in_log(void **state)
{
	tu_store *t = *state;
	dl_err err;
	assert_int_equal(user_passwd(&t->admin, "inv", "another secret 2", &err), DL_OK);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE row LIKE '%scrypt$%'"
	                          " OR data LIKE '%scrypt$%'"), 0);
	assert_true(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'users' AND action = 'update'"
	                     " AND json_extract(row, '$.password_hash') LIKE 'sha256:%'") >= 1);
}

static void test_row_edited_behind(void **state)
{
	tu_store *t = *state;
	long long id = tu_case(t, NULL, "2026/TIP/0004");
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE cases SET deadline = '2030-01-01' WHERE id = %lld", id);
	tu_sql_behind(t, sql);
	dl_audit_report r;
	dl_err err;
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_ETAMPER);
	assert_int_equal(r.n, 1);
	expect_problem(&r, "cases", id, "deadline");
	audit_report_free(&r);
}

static void test_row_added_and_deleted_behind(void **state)
{
	tu_store *t = *state;
	long long id = tu_case(t, NULL, "2026/TIP/0005");
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO case_assignments (id, case_id, user_id) VALUES (77, %lld, 4);"
	         " DELETE FROM case_status_history WHERE case_id = %lld", id, id);
	tu_sql_behind(t, sql);
	dl_audit_report r;
	dl_err err;
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_ETAMPER);
	expect_problem(&r, "case_assignments", 77, NULL);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0].entity, "case_assignments");
	assert_string_equal(r.v[1].entity, "case_status_history");
	audit_report_free(&r);
}

static void test_log_edited_or_cut_behind(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0006");
	/* a mark added to the name, then taken off: the undo holds whatever entry 3
	 * is (the number of migrations decides who wrote it) */
	tu_sql_behind(t, "UPDATE audit_log SET username = username || '~' WHERE id = 3");
	dl_audit_report r;
	dl_err err;
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_ETAMPER);
	expect_problem(&r, "audit_log", 3, NULL);
	audit_report_free(&r);

	tu_sql_behind(t, "UPDATE audit_log SET username = rtrim(username, '~') WHERE id = 3");  /* undo */
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_OK);
	audit_report_free(&r);

	/* removing an entry in the middle breaks the links */
	tu_sql_behind(t, "DELETE FROM audit_log WHERE id = 4");
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_ETAMPER);
	expect_problem(&r, "audit_log", 5, NULL);
	audit_report_free(&r);
}

static void test_list_newest_first(void **state)
{
	tu_store *t = *state;
	long long id = tu_case(t, NULL, "2026/TIP/0007");
	dl_audit_list l;
	dl_err err;
	assert_int_equal(audit_list(&t->sup, "cases", id, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].action, "insert");
	assert_int_equal(strlen(l.v[0].hash), 64);
	audit_list_free(&l);
	assert_int_equal(audit_list(&t->sup, NULL, 0, 3, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	assert_true(l.v[0].id > l.v[1].id);
	assert_string_equal(l.v[1].hash, l.v[0].prev_hash);
	audit_list_free(&l);
}

/* The entries of one case: its own row, the rows that name it (deleted ones
 * too), its requests' identifier links; nothing of another case. */
static void test_list_case(void **state)
{
	tu_store *t = *state;
	long long a = tu_case(t, NULL, "2026/TIP/0010");
	long long b = tu_case(t, NULL, "2026/TIP/0011");
	dl_err err;
	dl_case_input in = {.title_en = "Zuwara boats", .assign = "inv2"};
	assert_int_equal(case_edit(&t->inv, "2026/TIP/0010", &in, &err), DL_OK);
	long long note, other_note;
	assert_int_equal(note_add(&t->inv, "2026/TIP/0010", "to be deleted", &note, &err), DL_OK);
	assert_int_equal(note_add(&t->inv, "2026/TIP/0011", "case b", &other_note, &err), DL_OK);
	assert_int_equal(note_delete(&t->inv, note, &err), DL_OK);
	/* an identifier of the case, named by a request that is then deleted */
	assert_int_equal(session_begin(&t->inv, &err), DL_OK);
	char sql[300];
	snprintf(sql, sizeof sql, "INSERT INTO identifiers (kind, value, case_id, created_at)"
	         " VALUES ('phone', '+218911111111', %lld, '2026-01-01T00:00:00Z')", a);
	assert_int_equal(sqlite3_exec(t->st->db, sql, NULL, NULL, NULL), SQLITE_OK);
	long long ident = sqlite3_last_insert_rowid(t->st->db);
	assert_int_equal(store_commit(t->st, &err), DL_OK);
	char ids[32];
	snprintf(ids, sizeof ids, "%lld", ident);
	dl_request_input rq = {.kind = "preservation", .provider = "Meta", .identifiers = ids};
	long long req;
	assert_int_equal(request_add(&t->inv, "2026/TIP/0010", &rq, &req, &err), DL_OK);
	assert_int_equal(request_delete(&t->inv, req, &err), DL_OK);

	dl_audit_list l;
	assert_int_equal(audit_list_case(&t->sup, a, 0, &l, &err), DL_OK);
	/* case insert + update, status history, assignment, note insert + delete,
	 * identifier, request insert + delete, link insert + delete; the edit's
	 * updated_at is a second update when the clock ticked since the insert */
	size_t case_updates = 0;
	for (size_t i = 0; i < l.n; i++)
		case_updates += !strcmp(l.v[i].entity, "cases") && !strcmp(l.v[i].action, "update");
	assert_true(case_updates == 1 || case_updates == 2);
	assert_int_equal(l.n - case_updates, 10);
	int saw_case = 0, saw_deleted_note = 0, saw_link_delete = 0;
	for (size_t i = 0; i < l.n; i++) {
		const dl_audit_entry *e = &l.v[i];
		if (i)
			assert_true(e->id < l.v[i - 1].id);   /* newest first */
		assert_false(!strcmp(e->entity, "cases") && e->entity_id == b);
		assert_false(!strcmp(e->entity, "notes") && e->entity_id == other_note);
		saw_case |= !strcmp(e->entity, "cases") && e->entity_id == a;
		saw_deleted_note |= !strcmp(e->entity, "notes") && !strcmp(e->action, "delete") &&
		                    e->entity_id == note && strstr(e->data, "to be deleted");
		saw_link_delete |= !strcmp(e->entity, "request_identifiers") && !strcmp(e->action, "delete");
	}
	assert_true(saw_case && saw_deleted_note && saw_link_delete);
	assert_string_equal(l.v[0].entity, "provider_requests");   /* the last change */
	assert_string_equal(l.v[0].action, "delete");
	audit_list_free(&l);
	/* the limit keeps the newest */
	assert_int_equal(audit_list_case(&t->admin, a, 3, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].entity, "provider_requests");
	audit_list_free(&l);
	assert_int_equal(audit_list_case(&t->sup, b, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);   /* case, status history, note */
	audit_list_free(&l);
	/* only supervisors and admins, even for the case's own lead */
	tu_expect(audit_list_case(&t->inv, a, 0, &l, &err), DL_EPERM, &err, NULL);
	assert_int_equal(l.n, 0);
	tu_expect(audit_list_case(&t->clerk, a, 0, &l, &err), DL_EPERM, &err, NULL);
	tu_expect(audit_list_case(&t->sup, 999, 0, &l, &err), DL_ENOTFOUND, &err, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_only_supervisors_verify, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_clean_store_verifies, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_every_change_is_audited_with_actor, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_failed_change_leaves_no_entry, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_passwords_never_in_log, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_row_edited_behind, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_row_added_and_deleted_behind, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_log_edited_or_cut_behind, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_list_newest_first, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_list_case, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
