/* test_json.c — the JSON writer: escaping, nesting, UTF-8 kept as is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "json.h"

#include <string.h>

static void test_escaping(void **state)
{
	(void)state;
	dl_buf b = {0};
	json_add_string(&b, "a\"b\\c\n\t\x01 شبكة");
	assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\n\\t\\u0001 شبكة\"");
	buf_reset(&b);
	json_add_string(&b, NULL);
	assert_string_equal(buf_str(&b), "null");
	buf_free(&b);
	assert_null(b.data);
}

static void test_nesting(void **state)
{
	(void)state;
	json_w w = {0};
	json_begin_array(&w);
	json_begin_object(&w);
	json_kint(&w, "id", 7);
	json_kstr(&w, "name_ar", "محمد");
	json_kid(&w, "owner", 0);
	json_key(&w, "tags");
	json_begin_array(&w);
	json_str(&w, "relevant");
	json_bool(&w, 1);
	json_end_array(&w);
	json_key(&w, "empty");
	json_begin_object(&w);
	json_end_object(&w);
	json_end_object(&w);
	json_begin_object(&w);
	json_end_object(&w);
	json_end_array(&w);
	assert_string_equal(buf_str(&w.out),
		"[{\"id\":7,\"name_ar\":\"محمد\",\"owner\":null,\"tags\":[\"relevant\",true],\"empty\":{}},{}]");
	buf_free(&w.out);
}

static void test_buf_format(void **state)
{
	(void)state;
	dl_buf b = {0};
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_non_null(strstr(b.data, ",999,"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_buf_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
