/* test_settings.c — the unit's settings: defaults, validation, rights. */
#include "testutil.h"
#include "settings.h"

#include <string.h>

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
	assert_int_equal(settings_set(&t->admin, "codepage", "cp864", &err), DL_OK);
	assert_int_equal(settings_get(t->st, "codepage", v, sizeof v, &err), DL_OK);
	assert_string_equal(v, "CP864");
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

static void test_settings_admin_only(void **state)
{
	tu_store *t = *state;
	dl_err err;
	assert_int_equal(settings_set(&t->sup, "deadline_days", "60", &err), DL_EPERM);
	assert_int_equal(settings_set(&t->inv, "bidi", "on", &err), DL_EPERM);
	assert_int_equal(settings_set(&t->clerk, "bidi", "on", &err), DL_EPERM);
	assert_int_equal(settings_get_int(t->st, "deadline_days"), 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_settings, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_settings_admin_only, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
