/* test_crypto.c — digests against published vectors, the password hash, wiping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "crypto.h"

#include <string.h>

static void test_sha256_vectors(void **state)
{
	(void)state;
	char h[65];
	crypto_sha256_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	crypto_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_equal_and_wipe(void **state)
{
	(void)state;
	assert_true(crypto_equal("abcd", "abcd", 4));
	assert_false(crypto_equal("abcd", "abce", 4));
	char buf[8] = "secret!";
	crypto_wipe(buf, sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0);
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
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_equal_and_wipe),
		cmocka_unit_test(test_password_hash_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
