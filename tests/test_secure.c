/* test_secure.c — secrets are wiped after use. crypto_wipe itself; then, after
 * each model function that takes a password or a key passphrase has returned
 * (login right and wrong, user add, passwd, key init, signing right and
 * wrong), a scan of this whole process's memory (/proc/self/mem: heap,
 * stacks, libraries' data, freed blocks included) must not find the secret,
 * nor its first or last 20 bytes; and no block the model frees may hold it.
 * After key init and signing, the unit key's seed (decrypted here from the
 * stored secret) must not be found either.
 *
 * The secrets are random and kept only masked (each byte XOR MASK): the clear
 * text exists just in the buffer handed to the function under test, which the
 * test wipes itself, so any copy found was made — and left — by the code under
 * test. A control scan proves the scanner finds a copy that is there.
 *
 * Under AddressSanitizer freed blocks wait in a quarantine, so the scan sees
 * them longer; the free() check (below) does not depend on either. */
#include "testutil.h"

#include "crypto.h"
#include "keys.h"
#include "user.h"

#include <gcrypt.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MASK 0xA5
#define SECRET_LEN 40
#define PART 20            /* bytes of the secret searched for, from its start or end */
#define CHUNK (1u << 20)

typedef struct secret {
	unsigned char masked[SECRET_LEN];
	size_t len;                 /* SECRET_LEN, or a key's 32 bytes */
} secret;

/* A fresh random secret of letters and digits, kept masked. */
static void secret_new(secret *s)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[SECRET_LEN];
	crypto_random(r, sizeof r);
	for (size_t i = 0; i < SECRET_LEN; i++)
		s->masked[i] = (unsigned char)alphabet[r[i] % (sizeof alphabet - 1)] ^ MASK;
	s->len = SECRET_LEN;
	crypto_wipe(r, sizeof r);
}

/* The clear text in a malloc'ed buffer: give it to reveal_free after use. */
static char *reveal(const secret *s)
{
	char *p = malloc(SECRET_LEN + 1);
	assert_non_null(p);
	for (size_t i = 0; i < SECRET_LEN; i++)
		p[i] = (char)(s->masked[i] ^ MASK);
	p[SECRET_LEN] = '\0';
	return p;
}

static void reveal_free(char *p)
{
	crypto_wipe(p, SECRET_LEN + 1);
	free(p);
}

/* Occurrences, in the len bytes read at buf, of the secret's bytes
 * [from, from + PART) that start before end. */
static size_t count_part(const unsigned char *buf, size_t len, size_t end, const secret *s, size_t from)
{
	size_t hits = 0;
	for (size_t i = 0; i + PART <= len && i < end; i++) {
		if ((buf[i] ^ MASK) != s->masked[from])
			continue;
		size_t k = 1;
		while (k < PART && (buf[i + k] ^ MASK) == s->masked[from + k])
			k++;
		hits += k == PART;
	}
	return hits;
}

/* Occurrences of the secret's first or last PART bytes in this process's
 * readable memory: a freed block keeps all but its first 16 or 32 bytes
 * (the allocator's links), so a whole copy freed unwiped still shows its
 * tail. Mappings of 128 MiB or more are skipped: the sanitizers' shadow and
 * reserved address space, mostly never touched, that would take minutes to
 * read (this test's own heap stays far below that). */
static size_t scan(const secret *s)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	assert_non_null(maps);
	assert_true(mem >= 0);
	unsigned char *buf = malloc(CHUNK + PART);
	assert_non_null(buf);
	size_t hits = 0;
	char line[512];
	while (fgets(line, sizeof line, maps)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r')
			continue;
		if (hi - lo >= (128ul << 20) || strstr(line, "[vvar]") || strstr(line, "[vsyscall]"))
			continue;
		for (unsigned long at = lo; at < hi; at += CHUNK) {
			/* PART - 1 bytes more than the chunk: an occurrence across its
			 * end is counted here, the next chunk starts past its start */
			size_t want = hi - at < CHUNK + PART - 1 ? hi - at : CHUNK + PART - 1;
			ssize_t got = pread(mem, buf, want, (off_t)at);
			if (got < (ssize_t)PART)
				continue;
			hits += count_part(buf, (size_t)got, CHUNK, s, 0);
			hits += count_part(buf, (size_t)got, CHUNK, s, s->len - PART);
		}
	}
	/* the copies of memory read into buf go too, or the next scan finds them */
	crypto_wipe(buf, CHUNK + PART);
	free(buf);
	close(mem);
	fclose(maps);
	return hits;
}

/* The linker sends every free() and realloc() of the model (and of this
 * file) here (-Wl,--wrap, see CMakeLists.txt): a block given back with the
 * watched secret still in it is counted. This is what makes a freed copy
 * certain to be seen, where the scan only sees it until the allocator hands
 * the block out again. */
void __real_free(void *p);
void *__real_realloc(void *p, size_t n);
void __wrap_free(void *p);
void *__wrap_realloc(void *p, size_t n);

static const secret *watched;
static size_t freed_with_secret;

static void check_block(void *p)
{
	if (!p || !watched)
		return;
	size_t n = malloc_usable_size(p);
	if (count_part(p, n, n, watched, 0) + count_part(p, n, n, watched, watched->len - PART))
		freed_with_secret++;
}

void __wrap_free(void *p)
{
	check_block(p);
	__real_free(p);
}

/* a block that moves is freed by realloc itself, its content left behind */
void *__wrap_realloc(void *p, size_t n)
{
	check_block(p);
	return __real_realloc(p, n);
}

/* Watch s: until unwatch(), a block freed with it inside is counted. */
static void watch(const secret *s)
{
	watched = s;
	freed_with_secret = 0;
}

/* No copy freed unwiped while watched, and none left in memory now. */
static void assert_gone(const secret *s)
{
	const secret *w = watched;
	watched = NULL;
	assert_ptr_equal(w, s);
	assert_int_equal(freed_with_secret, 0);
	assert_int_equal(scan(s), 0);
}

static void test_wipe(void **state)
{
	(void)state;
	unsigned char b[64];
	for (size_t n = 0; n <= 48; n++) {
		memset(b, 0x5A, sizeof b);
		crypto_wipe(b + 8, n);
		for (size_t i = 0; i < sizeof b; i++)
			assert_int_equal(b[i], i >= 8 && i < 8 + n ? 0 : 0x5A);
	}
	crypto_wipe(NULL, 0);   /* nothing to wipe is no fault */
}

/* The scanner sees a heap copy, and no longer once it is wiped: without this
 * the checks below could pass by seeing nothing at all. */
/* The scanner and the free() check see a copy that is there, and see none
 * once it is wiped: without this the checks below could pass by seeing
 * nothing at all. */
static void test_checks_find_a_copy(void **state)
{
	(void)state;
	secret s;
	secret_new(&s);
	assert_int_equal(scan(&s), 0);
	char *p = reveal(&s);
	assert_true(scan(&s) >= 1);
	watch(&s);
	char *q = malloc(SECRET_LEN + 8);
	assert_non_null(q);
	memcpy(q + 4, p, SECRET_LEN);   /* a copy, freed without a wipe */
	__asm__ volatile("" : : "r"(q) : "memory");   /* kept: GCC drops an unused malloc/free */
	free(q);
	assert_int_equal(freed_with_secret, 1);
	watched = NULL;
	reveal_free(p);
	/* (what is left of q's block is this test's own: s is not used again) */
}

static void test_passwords(void **state)
{
	tu_store *t = *state;
	dl_err err;
	secret pw, pw2, wrong;
	secret_new(&pw);
	secret_new(&pw2);
	secret_new(&wrong);

	long long id;
	watch(&pw);
	char *p = reveal(&pw);
	tu_expect(user_add(&t->admin, "secu", "investigator", p, NULL, NULL, &id, &err), DL_OK, &err, NULL);
	reveal_free(p);
	assert_gone(&pw);

	dl_session s;
	watch(&pw);
	p = reveal(&pw);
	tu_expect(session_login(t->st, "secu", p, &s, &err), DL_OK, &err, NULL);
	reveal_free(p);
	assert_gone(&pw);

	watch(&wrong);
	p = reveal(&wrong);
	tu_expect(session_login(t->st, "secu", p, &s, &err), DL_EAUTH, &err, NULL);
	reveal_free(p);
	assert_gone(&wrong);

	watch(&pw2);
	p = reveal(&pw2);
	tu_expect(user_passwd(&t->admin, "secu", p, &err), DL_OK, &err, NULL);
	reveal_free(p);
	assert_gone(&pw2);
	watch(&pw2);
	p = reveal(&pw2);
	tu_expect(session_login(t->st, "secu", p, &s, &err), DL_OK, &err, NULL);
	reveal_free(p);
	assert_gone(&pw2);
	assert_int_equal(scan(&pw), 0);
}

/* The unit key's Ed25519 seed, masked: decrypted here from the stored secret
 * ("scrypt-aes256gcm$15$8$1$SALT$NONCE$CIPHERTEXT$TAG", AES-256-GCM under
 * scrypt(passphrase), the public key as associated data) the way keys.c
 * does, so that the test can look for the seed too. */
static void seed_of(tu_store *t, const secret *pass, const unsigned char pub[KEYS_PUBLIC_LEN], secret *seed)
{
	char path[300];
	snprintf(path, sizeof path, "%s/dalil.db", t->dir);
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT secret FROM unit_keys WHERE own = 1", -1, &q, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	const char *x = (const char *)sqlite3_column_text(q, 0);
	const char head[] = "scrypt-aes256gcm$15$8$1$";
	assert_int_equal(strncmp(x, head, sizeof head - 1), 0);
	x += sizeof head - 1;
	unsigned char salt[16], nonce[12], ct[32], tag[16], key[32], clear[32];
	assert_int_equal(crypto_unhex(x, 16, salt), 0);
	assert_int_equal(crypto_unhex(x + 33, 12, nonce), 0);
	assert_int_equal(crypto_unhex(x + 58, 32, ct), 0);
	assert_int_equal(crypto_unhex(x + 123, 16, tag), 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	char *p = reveal(pass);
	assert_int_equal(crypto_scrypt(p, salt, sizeof salt, 15, 1, key, sizeof key), 0);
	reveal_free(p);
	gcry_cipher_hd_t h;
	assert_int_equal(gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0), 0);
	assert_int_equal(gcry_cipher_setkey(h, key, sizeof key), 0);
	assert_int_equal(gcry_cipher_setiv(h, nonce, sizeof nonce), 0);
	assert_int_equal(gcry_cipher_authenticate(h, pub, KEYS_PUBLIC_LEN), 0);
	assert_int_equal(gcry_cipher_decrypt(h, clear, sizeof clear, ct, sizeof ct), 0);
	assert_int_equal(gcry_cipher_checktag(h, tag, sizeof tag), 0);
	gcry_cipher_close(h);
	for (size_t i = 0; i < sizeof clear; i++)
		seed->masked[i] = clear[i] ^ MASK;
	seed->len = sizeof clear;
	crypto_wipe(clear, sizeof clear);
	crypto_wipe(key, sizeof key);
}

static void test_key_passphrase(void **state)
{
	tu_store *t = *state;
	dl_err err;
	secret pass, wrong;
	secret_new(&pass);
	secret_new(&wrong);

	dl_unit_key k;
	watch(&pass);
	char *p = reveal(&pass);
	tu_expect(keys_init(&t->admin, "unit", p, &k, &err), DL_OK, &err, NULL);
	reveal_free(p);
	assert_gone(&pass);
	secret seed;
	seed_of(t, &pass, k.pub, &seed);
	assert_int_equal(scan(&seed), 0);

	const char msg[] = "manifest digest";
	unsigned char sig[KEYS_SIG_LEN];
	watch(&pass);
	p = reveal(&pass);
	/* the seed is never in this process: libgcrypt leaves copies of it in
	 * blocks it frees unwiped, so keys.c makes and uses it in a child */
	watch(&seed);
	tu_expect(keys_sign(t->st, p, msg, sizeof msg, sig, &err), DL_OK, &err, NULL);
	assert_int_equal(freed_with_secret, 0);
	watch(&pass);
	reveal_free(p);
	assert_gone(&pass);
	assert_int_equal(scan(&seed), 0);
	assert_true(keys_verify(k.pub, msg, sizeof msg, sig));

	watch(&wrong);
	p = reveal(&wrong);
	tu_expect(keys_sign(t->st, p, msg, sizeof msg, sig, &err), DL_EAUTH, &err, "passphrase");
	reveal_free(p);
	assert_gone(&wrong);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_checks_find_a_copy),
		cmocka_unit_test_setup_teardown(test_passwords, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_key_passphrase, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
