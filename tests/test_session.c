/* test_session.c — login, lockout, disabled accounts, roles and permissions. */
#include "testutil.h"
#include "case.h"
#include "store_priv.h"
#include "user.h"

#include <stdio.h>
#include <string.h>

static void test_bad_logins(void **state)
{
	tu_store *t = *state;
	dl_session s;
	dl_err err, err2;
	assert_int_equal(session_login(t->st, "Bad Name!", TU_PASSWORD, &s, &err), DL_EINVAL);
	assert_string_equal(err.field, "user");
	assert_int_equal(session_login(t->st, "ghost", TU_PASSWORD, &s, &err), DL_EAUTH);
	assert_int_equal(session_login(t->st, "inv", "wrong password", &s, &err2), DL_EAUTH);
	/* unknown user and wrong password read the same */
	assert_string_equal(err.msg, err2.msg);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'"), 2);
}

static void test_login_ok_records_and_sets_actor(void **state)
{
	tu_store *t = *state;
	dl_session s;
	dl_err err;
	assert_int_equal(session_login(t->st, "INV", TU_PASSWORD, &s, &err), DL_OK);
	assert_int_equal(s.role, DL_ROLE_INVESTIGATOR);
	assert_string_equal(s.username, "inv");
	assert_string_equal(store_actor_name(t->st), "inv");
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'login' AND username = 'inv'"), 1);
}

static void test_lockout_after_five_failures(void **state)
{
	tu_store *t = *state;
	dl_session s;
	dl_err err;
	for (int i = 0; i < DL_LOCKOUT_ATTEMPTS - 1; i++)
		assert_int_equal(session_login(t->st, "inv2", "nope nope", &s, &err), DL_EAUTH);
	assert_int_equal(session_login(t->st, "inv2", "nope nope", &s, &err), DL_ELOCKED);
	/* while locked even the right password is refused */
	assert_int_equal(session_login(t->st, "inv2", TU_PASSWORD, &s, &err), DL_ELOCKED);
	assert_non_null(strstr(err.msg, "UTC"));
	/* other accounts are not affected */
	assert_int_equal(session_login(t->st, "inv", TU_PASSWORD, &s, &err), DL_OK);
	/* an administrator's new password unlocks */
	assert_int_equal(user_passwd(&t->admin, "inv2", "fresh password 9", &err), DL_OK);
	assert_int_equal(session_login(t->st, "inv2", "fresh password 9", &s, &err), DL_OK);
}

static void test_lock_expires(void **state)
{
	tu_store *t = *state;
	dl_session s;
	dl_err err;
	for (int i = 0; i < DL_LOCKOUT_ATTEMPTS; i++)
		session_login(t->st, "clerk", "nope nope", &s, &err);
	assert_int_equal(session_login(t->st, "clerk", TU_PASSWORD, &s, &err), DL_ELOCKED);
	/* the lock time passes (moved into the past through the model's own store) */
	assert_int_equal(session_begin(&t->admin, &err), DL_OK);
	sqlite3_exec(t->st->db, "UPDATE users SET locked_until = '2000-01-01T00:00:00Z' WHERE username = 'clerk'",
	             NULL, NULL, NULL);
	assert_int_equal(store_commit(t->st, &err), DL_OK);
	assert_int_equal(session_login(t->st, "clerk", TU_PASSWORD, &s, &err), DL_OK);
}





/* The permission table of session.h, role by role, on one case led by inv. */
static void test_permission_table(void **state)
{
	tu_store *t = *state;
	long long id = tu_case(t, NULL, "2026/TIP/0100");
	dl_err err;
	assert_int_equal(perm_case_read(&t->admin, id, &err), DL_OK);
	assert_int_equal(perm_case_write(&t->admin, id, &err), DL_OK);
	assert_int_equal(perm_case_read(&t->sup, id, &err), DL_OK);
	assert_int_equal(perm_case_write(&t->sup, id, &err), DL_OK);
	assert_int_equal(perm_case_read(&t->inv, id, &err), DL_OK);
	assert_int_equal(perm_case_write(&t->inv, id, &err), DL_OK);
	assert_int_equal(perm_case_read(&t->inv2, id, &err), DL_EPERM);
	assert_int_equal(perm_case_write(&t->inv2, id, &err), DL_EPERM);
	/* clerks see a case once it is referred, never change it */
	assert_int_equal(perm_case_read(&t->clerk, id, &err), DL_EPERM);
	assert_int_equal(case_set_status(&t->inv, "2026/TIP/0100", "referred", NULL, &err), DL_OK);
	assert_int_equal(perm_case_read(&t->clerk, id, &err), DL_OK);
	assert_int_equal(perm_case_write(&t->clerk, id, &err), DL_EPERM);
	assert_int_equal(perm_case_create(&t->clerk, &err), DL_EPERM);
	assert_int_equal(perm_case_create(&t->inv2, &err), DL_OK);
	assert_int_equal(perm_case_close(&t->inv, &err), DL_EPERM);
	assert_int_equal(perm_case_close(&t->sup, &err), DL_OK);
	assert_int_equal(perm_supervise(&t->inv, &err), DL_EPERM);
	assert_int_equal(perm_supervise(&t->sup, &err), DL_OK);
	assert_int_equal(perm_admin(&t->sup, &err), DL_EPERM);
	assert_int_equal(perm_case_read(&t->sup, 999, &err), DL_ENOTFOUND);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_logins, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_login_ok_records_and_sets_actor, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_lockout_after_five_failures, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_lock_expires, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_permission_table, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
