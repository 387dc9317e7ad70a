/* test_user.c — accounts: adding, passwords, disabling, the first administrator. */
#include "testutil.h"
#include "settings.h"
#include "store_priv.h"
#include "user.h"

#include <stdio.h>
#include <string.h>

static void test_user_management_is_admin_only(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_session *others[] = {&t->sup, &t->inv, &t->clerk};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(user_add(others[i], "newbie", "clerk", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EPERM);
		assert_int_equal(user_passwd(others[i], "admin", "takeover 12345", &err), DL_EPERM);
		assert_int_equal(settings_set(others[i], "deadline_days", "60", &err), DL_EPERM);
	}
	/* everyone may change their own password */
	assert_int_equal(user_passwd(&t->clerk, "clerk", "my own secret", &err), DL_OK);
	/* bad input, nothing written */
	long long users = tu_count(t, "SELECT count(*) FROM users");
	assert_int_equal(user_add(&t->admin, "newbie", "chief", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "role");
	assert_non_null(strstr(err.msg, "investigator"));
	assert_int_equal(user_add(&t->admin, "newbie", "clerk", "short", NULL, NULL, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "password");
	assert_int_equal(user_add(&t->admin, "9lives", "clerk", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "username");
	assert_int_equal(user_add(&t->admin, "inv", "clerk", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EEXIST);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM users"), users);
	assert_int_equal(user_add(&t->admin, "huda", "supervisor", TU_PASSWORD, "هدى", "Huda", NULL, &err), DL_OK);
	dl_user u;
	assert_int_equal(user_get(&t->inv, "huda", &u, &err), DL_OK);
	assert_string_equal(u.name_ar, "هدى");
	assert_int_equal(u.role, DL_ROLE_SUPERVISOR);
	user_free(&u);
}

static void test_disabled_account(void **state)
{
	tu_store *t = *state;
	dl_session s;
	dl_err err;
	assert_int_equal(user_set_disabled(&t->sup, "inv", 1, &err), DL_EPERM);
	assert_int_equal(user_set_disabled(&t->admin, "admin", 1, &err), DL_EINVAL);
	assert_int_equal(user_set_disabled(&t->admin, "inv", 1, &err), DL_OK);
	assert_int_equal(session_login(t->st, "inv", TU_PASSWORD, &s, &err), DL_EAUTH);
	assert_non_null(strstr(err.msg, "disabled"));
	assert_int_equal(user_set_disabled(&t->admin, "inv", 0, &err), DL_OK);
	assert_int_equal(session_login(t->st, "inv", TU_PASSWORD, &s, &err), DL_OK);
}

static void test_set_role(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_session *others[] = {&t->sup, &t->inv, &t->clerk};
	for (int i = 0; i < 3; i++)
		tu_expect(user_set_role(others[i], "inv2", "admin", &err), DL_EPERM, &err, NULL);
	long long audit = tu_count(t, "SELECT count(*) FROM audit_log");
	tu_expect(user_set_role(&t->admin, "inv2", "chief", &err), DL_EINVAL, &err, "role");
	assert_non_null(strstr(err.msg, "supervisor"));
	tu_expect(user_set_role(&t->admin, "admin", "clerk", &err), DL_EINVAL, &err, "role");
	tu_expect(user_set_role(&t->admin, "nobody", "clerk", &err), DL_ENOTFOUND, &err, "username");
	tu_expect(user_set_role(&t->admin, "9lives", "clerk", &err), DL_EINVAL, &err, "username");
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log"), audit);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM users WHERE role = 'investigator'"), 2);

	assert_int_equal(user_set_role(&t->admin, "inv2", "supervisor", &err), DL_OK);
	dl_user u;
	assert_int_equal(user_get(&t->admin, "inv2", &u, &err), DL_OK);
	assert_int_equal(u.role, DL_ROLE_SUPERVISOR);
	user_free(&u);
	/* the new role counts from the next login */
	dl_session s;
	assert_int_equal(session_login(t->st, "inv2", TU_PASSWORD, &s, &err), DL_OK);
	assert_int_equal(s.role, DL_ROLE_SUPERVISOR);
	/* one audited update of the users row, by the admin */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'users'"
	                          " AND username = 'admin' AND row LIKE '%\"role\":\"supervisor\"%'"), 1);
	tu_audit_intact(t);
}

static void test_init_admin_only_once(void **state)
{
	tu_store *t = *state;
	dl_err err;
	assert_int_equal(user_init_admin(t->st, "boss", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EEXIST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_management_is_admin_only, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_disabled_account, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_set_role, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_init_admin_only_once, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
