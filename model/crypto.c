/* crypto.c — libgcrypt wrappers; see crypto.h. */
#include "crypto.h"

#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int crypto_init(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		return 0;
	if (!gcry_check_version("1.8.0"))
		return -1;
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	return 0;
}

void crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	gcry_md_hash_buffer(GCRY_MD_SHA256, out, data, len);
}

void crypto_hex(const unsigned char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void crypto_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[32];
	crypto_sha256(data, len, d);
	crypto_hex(d, 32, out);
}

void crypto_random(void *buf, size_t len)
{
	gcry_randomize(buf, len, GCRY_STRONG_RANDOM);
}

int crypto_equal(const void *a, const void *b, size_t len)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;
	for (size_t i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

void crypto_wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
}

static int derive(const char *password, const unsigned char *salt, size_t saltlen,
                  int log2n, int p, unsigned char *key, size_t keylen)
{
	/* libgcrypt's scrypt: subalgo is N, iterations is p; r is fixed at 8. */
	gpg_error_t e = gcry_kdf_derive(password, strlen(password), GCRY_KDF_SCRYPT,
	                                1UL << log2n, salt, saltlen, (unsigned long)p,
	                                keylen, key);
	return e ? -1 : 0;
}

int crypto_password_hash(const char *password, char *out, size_t outsz)
{
	unsigned char salt[16], key[32];
	char salthex[33], keyhex[65];
	crypto_random(salt, sizeof salt);
	if (derive(password, salt, sizeof salt, CRYPTO_SCRYPT_LOG2N, CRYPTO_SCRYPT_P,
	           key, sizeof key) != 0)
		return -1;
	crypto_hex(salt, sizeof salt, salthex);
	crypto_hex(key, sizeof key, keyhex);
	crypto_wipe(key, sizeof key);
	int n = snprintf(out, outsz, "scrypt$%d$%d$%d$%s$%s", CRYPTO_SCRYPT_LOG2N,
	                 CRYPTO_SCRYPT_R, CRYPTO_SCRYPT_P, salthex, keyhex);
	return (n > 0 && (size_t)n < outsz) ? 0 : -1;
}

static int unhex(const char *s, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			v <<= 4;
			if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
			else return -1;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

int crypto_password_check(const char *password, const char *stored)
{
	int log2n, r, p, off = 0;
	if (sscanf(stored, "scrypt$%d$%d$%d$%n", &log2n, &r, &p, &off) != 3 || off == 0)
		return 0;
	if (log2n < 10 || log2n > 22 || r != 8 || p < 1 || p > 16)
		return 0;
	const char *rest = stored + off;
	const char *dollar = strchr(rest, '$');
	if (!dollar || dollar - rest != 32 || strlen(dollar + 1) != 64)
		return 0;
	unsigned char salt[16], want[32], got[32];
	if (unhex(rest, 16, salt) || unhex(dollar + 1, 32, want))
		return 0;
	if (derive(password, salt, sizeof salt, log2n, p, got, sizeof got) != 0)
		return 0;
	int ok = crypto_equal(got, want, sizeof got);
	crypto_wipe(got, sizeof got);
	return ok;
}

int crypto_scrypt(const char *password, const unsigned char *salt, size_t saltlen,
                  int log2n, int p, unsigned char *key, size_t keylen)
{
	return derive(password, salt, saltlen, log2n, p, key, keylen);
}

int crypto_unhex(const char *s, size_t n, unsigned char *out)
{
	return unhex(s, n, out);
}
