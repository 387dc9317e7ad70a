/* test_keys.c — the unit's signing key: generation, encryption at rest, signing
 * and verification, the exchange text, trust. */
#include "testutil.h"

#include "crypto.h"
#include "json.h"
#include "keys.h"

#include <string.h>

#define PASS "ممر سري طويل 2026"

static void test_init_sign_verify(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_unit_key k;
	tu_expect(keys_init(&t->admin, "وحدة مكافحة الاتجار", PASS, &k, &err), DL_OK, &err, NULL);
	assert_true(k.own);
	assert_string_equal(k.name, "وحدة مكافحة الاتجار");
	assert_string_equal(k.added_by, "admin");
	char fpr[65];
	keys_fingerprint(k.pub, fpr);
	assert_string_equal(fpr, k.fingerprint);

	/* the seed is not stored in the clear: no 64-hex run other than the public key */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM unit_keys WHERE own = 1"
	                              " AND secret LIKE 'scrypt-aes256gcm$15$8$1$%'"), 1);
	/* audited like any row */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'unit_keys'"
	                              " AND action = 'insert'"), 1);

	const char msg[] = "{\"case\":\"2026/TIP/0001\"}";
	unsigned char sig[KEYS_SIG_LEN];
	tu_expect(keys_sign(t->st, PASS, msg, strlen(msg), sig, &err), DL_OK, &err, NULL);
	assert_true(keys_verify(k.pub, msg, strlen(msg), sig));
	/* one changed byte of the message, of the signature, or another key: refused */
	char other[sizeof msg];
	memcpy(other, msg, sizeof msg);
	other[5] ^= 1;
	assert_false(keys_verify(k.pub, other, strlen(other), sig));
	for (size_t i = 0; i < KEYS_SIG_LEN; i += 21) {
		sig[i] ^= 0x80;
		assert_false(keys_verify(k.pub, msg, strlen(msg), sig));
		sig[i] ^= 0x80;
	}
	unsigned char pub2[KEYS_PUBLIC_LEN];
	memcpy(pub2, k.pub, sizeof pub2);
	pub2[3] ^= 4;
	assert_false(keys_verify(pub2, msg, strlen(msg), sig));
	assert_true(keys_verify(k.pub, msg, strlen(msg), sig));

	/* longer than libgcrypt carries: refused cleanly, the process alive */
	static char big[KEYS_MSG_MAX + 1];
	memset(big, 'x', sizeof big);
	tu_expect(keys_sign(t->st, PASS, big, sizeof big, sig, &err), DL_EINVAL, &err, "message");
	assert_false(keys_verify(k.pub, big, sizeof big, sig));
	tu_audit_intact(t);
}

static void test_wrong_passphrase(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_unit_key k;
	tu_expect(keys_init(&t->admin, NULL, PASS, &k, &err), DL_OK, &err, NULL);
	unsigned char sig[KEYS_SIG_LEN];
	memset(sig, 0xAA, sizeof sig);
	tu_expect(keys_sign(t->st, PASS "x", "m", 1, sig, &err), DL_EAUTH, &err, "passphrase");
	assert_non_null(strstr(err.msg, "wrong passphrase"));
	tu_expect(keys_sign(t->st, "", "m", 1, sig, &err), DL_EAUTH, &err, "passphrase");
	/* an edited secret is refused the same way: the GCM tag covers it */
	tu_sql_behind(t, "UPDATE unit_keys SET secret = substr(secret, 1, length(secret) - 1) ||"
	                 " CASE substr(secret, -1) WHEN '0' THEN '1' ELSE '0' END WHERE own = 1");
	tu_expect(keys_sign(t->st, PASS, "m", 1, sig, &err), DL_EAUTH, &err, "passphrase");
	tu_sql_behind(t, "UPDATE unit_keys SET secret = 'garbage' WHERE own = 1");
	tu_expect(keys_sign(t->st, PASS, "m", 1, sig, &err), DL_ETAMPER, &err, "key");
}

static void test_init_rules(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_unit_key k;
	tu_expect(keys_sign(t->st, PASS, "m", 1, (unsigned char[64]){0}, &err), DL_ENOTFOUND, &err, "key");
	tu_expect(keys_own(t->st, &k, &err), DL_ENOTFOUND, &err, "key");
	tu_expect(keys_init(&t->sup, NULL, PASS, &k, &err), DL_EPERM, &err, NULL);
	tu_expect(keys_init(&t->inv, NULL, PASS, &k, &err), DL_EPERM, &err, NULL);
	tu_expect(keys_init(&t->admin, NULL, "short", &k, &err), DL_EINVAL, &err, "passphrase");
	tu_expect(keys_init(&t->admin, NULL, PASS, &k, &err), DL_OK, &err, NULL);
	assert_string_equal(k.name, "dalil");   /* no unit name set */
	dl_unit_key k2;
	tu_expect(keys_init(&t->admin, NULL, PASS, &k2, &err), DL_EEXIST, &err, "key");
	assert_int_equal(tu_count(t, "SELECT count(*) FROM unit_keys"), 1);
}

static void test_export_parse_trust(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_unit_key own;
	tu_expect(keys_init(&t->admin, "Tripoli TIP unit", PASS, &own, &err), DL_OK, &err, NULL);

	/* another unit's key, made here with libgcrypt through a second store */
	tu_store *u = NULL;
	void *us = NULL;
	assert_int_equal(tu_setup(&us), 0);
	u = us;
	dl_unit_key theirs;
	tu_expect(keys_init(&u->admin, "وحدة بنغازي", PASS, &theirs, &err), DL_OK, &err, NULL);
	dl_buf text = {0};
	keys_export_text(theirs.pub, theirs.name, &text);
	assert_non_null(strstr(buf_str(&text), "dalil-unit-key 1\nunit: وحدة بنغازي\ned25519: "));
	char grouped[KEYS_FPR_GROUPED];
	keys_fingerprint_grouped(theirs.fingerprint, grouped);
	assert_int_equal(strlen(grouped), 79);
	assert_int_equal(grouped[4], ' ');

	/* a name cannot add lines of its own */
	dl_buf forged = {0};
	keys_export_text(theirs.pub, "x\ned25519: 0000\nfingerprint: 0", &forged);
	assert_null(strstr(buf_str(&forged), "\ned25519: 0000"));
	buf_free(&forged);

	unsigned char pub[KEYS_PUBLIC_LEN];
	char unit[129];
	tu_expect(keys_parse_text(text.data, text.len, pub, unit, sizeof unit, &err), DL_OK, &err, NULL);
	assert_memory_equal(pub, theirs.pub, KEYS_PUBLIC_LEN);
	assert_string_equal(unit, "وحدة بنغازي");

	/* malformed: wrong header, short key, non-hex, fingerprint mismatch */
	tu_expect(keys_parse_text("hello", 5, pub, NULL, 0, &err), DL_EINVAL, &err, "file");
	const char *line = strstr(text.data, "ed25519: ") + 9;
	dl_buf bad = {0};
	buf_add(&bad, text.data, (size_t)(line - text.data));
	buf_adds(&bad, "abcd\n");
	tu_expect(keys_parse_text(bad.data, bad.len, pub, NULL, 0, &err), DL_EINVAL, &err, "file");
	buf_reset(&bad);
	buf_add(&bad, text.data, text.len);
	bad.data[line - text.data + 10] = 'z';
	tu_expect(keys_parse_text(bad.data, bad.len, pub, NULL, 0, &err), DL_EINVAL, &err, "file");
	buf_reset(&bad);
	buf_add(&bad, text.data, text.len);
	char *f = strstr(bad.data, "fingerprint: ") + 13;
	f[0] = f[0] == 'A' ? 'B' : 'A';
	tu_expect(keys_parse_text(bad.data, bad.len, pub, NULL, 0, &err), DL_EINVAL, &err, "file");
	assert_non_null(strstr(err.msg, "fingerprint"));
	buf_free(&bad);

	/* trust: admin only, once, never the own key */
	dl_unit_key k;
	tu_expect(keys_trust(&t->sup, "Benghazi", theirs.pub, &k, &err), DL_EPERM, &err, NULL);
	tu_expect(keys_trust(&t->admin, "", theirs.pub, &k, &err), DL_EINVAL, &err, "name");
	tu_expect(keys_trust(&t->admin, "self", own.pub, &k, &err), DL_EINVAL, &err, "file");
	tu_expect(keys_trust(&t->admin, "Benghazi", theirs.pub, &k, &err), DL_OK, &err, NULL);
	assert_false(k.own);
	assert_string_equal(k.fingerprint, theirs.fingerprint);
	tu_expect(keys_trust(&t->admin, "Benghazi 2", theirs.pub, &k, &err), DL_EEXIST, &err, "file");

	dl_unit_key found;
	tu_expect(keys_find(t->st, theirs.pub, &found, &err), DL_OK, &err, NULL);
	assert_string_equal(found.name, "Benghazi");
	dl_unit_key_list l;
	tu_expect(keys_list(&t->clerk, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0].own);
	assert_string_equal(l.v[1].name, "Benghazi");
	keys_list_free(&l);

	/* a signature by the other unit verifies with the trusted copy */
	unsigned char sig[KEYS_SIG_LEN];
	tu_expect(keys_sign(u->st, PASS, "bundle", 6, sig, &err), DL_OK, &err, NULL);
	assert_true(keys_verify(found.pub, "bundle", 6, sig));
	assert_false(keys_verify(own.pub, "bundle", 6, sig));
	buf_free(&text);
	tu_teardown(&us);
	tu_audit_intact(t);
}

static void test_not_a_point(void **state)
{
	tu_store *t = *state;
	dl_err err;
	dl_unit_key k;
	/* encodings libgcrypt 1.10 aborts on (y = 1, the neutral point; y = 0;
	 * y = p - 1), and one that is no point at all: each refused, the test
	 * process alive */
	static const char *const bad[] = {
		"0100000000000000000000000000000000000000000000000000000000000000",
		"0000000000000000000000000000000000000000000000000000000000000000",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"0000000000000000000000000000000000000000000000000000000000000080",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned char pub[KEYS_PUBLIC_LEN];
		assert_int_equal(crypto_unhex(bad[i], KEYS_PUBLIC_LEN, pub), 0);
		tu_expect(keys_trust(&t->admin, "bogus", pub, &k, &err), DL_EINVAL, &err, "file");
		dl_buf text = {0};
		keys_export_text(pub, "bogus", &text);
		tu_expect(keys_parse_text(text.data, text.len, pub, NULL, 0, &err), DL_EINVAL, &err, "file");
		buf_free(&text);
	}
	assert_int_equal(tu_count(t, "SELECT count(*) FROM unit_keys"), 0);
}

int main(void)
{
	crypto_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_sign_verify, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_passphrase, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_init_rules, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_export_parse_trust, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_point, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
