/* test_hijri.c — report_hijri: Gregorian days to Umm al-Qura Hijri dates
 * through ICU, checked against dates published by the Umm al-Qura calendar. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Published Umm al-Qura dates: 1 Ramadan 1447 AH = 2026-02-18, 1 Shawwal
 * 1447 AH = 2026-03-20, 1 Muharram 1448 AH = 2026-06-16. */
static void test_known_answers(void **state)
{
	(void)state;
	char out[128];
	assert_int_equal(report_hijri("2026-02-18", "en", out, sizeof out), DL_OK);
	assert_string_equal(out, "1 Ramadan 1447 AH");
	assert_int_equal(report_hijri("2026-03-20", "en", out, sizeof out), DL_OK);
	assert_string_equal(out, "1 Shawwal 1447 AH");
	assert_int_equal(report_hijri("2026-06-16", "en", out, sizeof out), DL_OK);
	assert_string_equal(out, "1 Muharram 1448 AH");
	assert_int_equal(report_hijri("2026-02-18", "ar", out, sizeof out), DL_OK);
	assert_string_equal(out, "1 رمضان 1447 هـ");
	assert_int_equal(report_hijri("2026-03-20", "ar", out, sizeof out), DL_OK);
	assert_string_equal(out, "1 شوال 1447 هـ");
	assert_int_equal(report_hijri("2026-06-16", "ar", out, sizeof out), DL_OK);
	assert_string_equal(out, "1 محرم 1448 هـ");
	/* the days before: the last days of the months before */
	assert_int_equal(report_hijri("2026-03-19", "en", out, sizeof out), DL_OK);
	assert_string_equal(out, "30 Ramadan 1447 AH");
	assert_int_equal(report_hijri("2026-06-15", "en", out, sizeof out), DL_OK);
	assert_string_equal(out, "29 Dhu al-Hijjah 1447 AH");
}

/* A time stamp gives its UTC day, whatever the local time zone. */
static void test_time_stamps_and_zones(void **state)
{
	(void)state;
	char out[128];
	assert_int_equal(report_hijri("2026-03-01T10:00:00Z", "en", out, sizeof out), DL_OK);
	assert_string_equal(out, "12 Ramadan 1447 AH");
	const char *zones[] = {"Pacific/Kiritimati", "Pacific/Pago_Pago", "Africa/Tripoli"};
	for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
		setenv("TZ", zones[i], 1);
		tzset();
		assert_int_equal(report_hijri("2026-02-18", "en", out, sizeof out), DL_OK);
		assert_string_equal(out, "1 Ramadan 1447 AH");
	}
	unsetenv("TZ");
	tzset();
}

static void test_bad_input(void **state)
{
	(void)state;
	char out[128] = "x";
	const char *bad[] = {"", "2026-02-30", "2026-13-01", "2026-00-10", "2026/02/18", "26-02-18",
	                     "2026-02-181", "2025-02-29", "abcd-ef-gh"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(report_hijri(bad[i], "en", out, sizeof out), DL_EINVAL);
		assert_string_equal(out, "");
	}
	assert_int_equal(report_hijri(NULL, "en", out, sizeof out), DL_EINVAL);
	assert_int_equal(report_hijri("2024-02-29", "en", out, sizeof out), DL_OK);
	/* too small for the answer: nothing half written */
	char small[8];
	assert_int_equal(report_hijri("2026-02-18", "en", small, sizeof small), DL_EINVAL);
	assert_string_equal(small, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_time_stamps_and_zones),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
