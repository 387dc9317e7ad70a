/* test_session.c — login, lockout, disabled accounts, roles and permissions. */
#include "testutil.h"
#include "case.h"
#include "crypto.h"
#include "settings.h"
#include "store_priv.h"
#include "user.h"

#include <stdio.h>
#include <string.h>

static long long count(tu_store *t, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(t->st->db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

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
	assert_int_equal(count(t, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'"), 2);
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
	assert_int_equal(count(t, "SELECT count(*) FROM audit_log WHERE action = 'login' AND username = 'inv'"), 1);
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
	long long users = count(t, "SELECT count(*) FROM users");
	assert_int_equal(user_add(&t->admin, "newbie", "chief", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "role");
	assert_non_null(strstr(err.msg, "investigator"));
	assert_int_equal(user_add(&t->admin, "newbie", "clerk", "short", NULL, NULL, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "password");
	assert_int_equal(user_add(&t->admin, "9lives", "clerk", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "username");
	assert_int_equal(user_add(&t->admin, "inv", "clerk", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EEXIST);
	assert_int_equal(count(t, "SELECT count(*) FROM users"), users);
	assert_int_equal(user_add(&t->admin, "huda", "supervisor", TU_PASSWORD, "هدى", "Huda", NULL, &err), DL_OK);
	dl_user u;
	assert_int_equal(user_get(&t->inv, "huda", &u, &err), DL_OK);
	assert_string_equal(u.name_ar, "هدى");
	assert_int_equal(u.role, DL_ROLE_SUPERVISOR);
	user_free(&u);
}

static void test_init_admin_only_once(void **state)
{
	tu_store *t = *state;
	dl_err err;
	assert_int_equal(user_init_admin(t->st, "boss", TU_PASSWORD, NULL, NULL, NULL, &err), DL_EEXIST);
}

static void test_settings(void **state)
{
	tu_store *t = *state;
	dl_err err;
	char v[64];
	assert_int_equal(settings_get(t->st, "deadline_days", v, sizeof v, &err), DL_OK);
	assert_string_equal(v, "90");
	assert_int_equal(settings_set(&t->admin, "deadline_days", "0", &err), DL_EINVAL);
	assert_string_equal(err.field, "deadline_days");
	assert_int_equal(settings_set(&t->admin, "codepage", "koi8", &err), DL_EINVAL);
	assert_non_null(strstr(err.msg, "CP1256"));
	assert_int_equal(settings_set(&t->admin, "colour", "red", &err), DL_EINVAL);
	assert_string_equal(err.field, "key");
	assert_int_equal(settings_set(&t->admin, "codepage", "cp720", &err), DL_OK);
	assert_int_equal(settings_get(t->st, "codepage", v, sizeof v, &err), DL_OK);
	assert_string_equal(v, "CP720");
	assert_int_equal(settings_set(&t->admin, "unit_name_ar", "وحدة مكافحة الاتجار بالبشر", &err), DL_OK);
	assert_int_equal(settings_get(t->st, "unit_name_ar", v, sizeof v, &err), DL_OK);
	assert_string_equal(v, "وحدة مكافحة الاتجار بالبشر");
	assert_int_equal(settings_set(&t->admin, "phone_country", "eg", &err), DL_OK);
	char cc[4];
	settings_phone_cc(t->st, cc);
	assert_string_equal(cc, "20");
	assert_int_equal(settings_set(&t->admin, "deadline_days", "60", &err), DL_OK);
	assert_int_equal(settings_get_int(t->st, "deadline_days"), 60);
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

static void test_password_hash_format(void **state)
{
	(void)state;
	char h[192];
	assert_int_equal(crypto_password_hash("كلمة السر الطويلة", h, sizeof h), 0);
	assert_int_equal(strncmp(h, "scrypt$15$8$1$", 14), 0);
	assert_true(crypto_password_check("كلمة السر الطويلة", h));
	assert_false(crypto_password_check("كلمة السر الطويلة ", h));
	char h2[192];
	crypto_password_hash("كلمة السر الطويلة", h2, sizeof h2);
	assert_string_not_equal(h, h2);   /* salted */
	assert_false(crypto_password_check("x", "scrypt$15$8$1$zz$00"));
	assert_false(crypto_password_check("x", "plain"));
}

int main(void)
{
	crypto_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_logins, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_login_ok_records_and_sets_actor, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_lockout_after_five_failures, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_lock_expires, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_disabled_account, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_user_management_is_admin_only, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_init_admin_only_once, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_settings, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_permission_table, tu_setup, tu_teardown),
		cmocka_unit_test(test_password_hash_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
