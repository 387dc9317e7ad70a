/* crypto.h — the few libgcrypt services the model needs: digests, random bytes,
 * the password KDF and constant-time comparison. crypto_init() runs once first. */
#ifndef DALIL_CRYPTO_H
#define DALIL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* Initialise libgcrypt (version check, no secure memory pool). Idempotent.
 * Returns 0, or -1 when the installed libgcrypt is too old. */
int crypto_init(void);

/* SHA-256 of data as 64 lowercase hex characters plus NUL in out. */
void crypto_sha256_hex(const void *data, size_t len, char out[65]);

/* Raw SHA-256 (32 bytes) of data. */
void crypto_sha256(const void *data, size_t len, unsigned char out[32]);

/* Fill buf with len bytes from libgcrypt's strong random generator. */
void crypto_random(void *buf, size_t len);

/* Hex-encode len bytes of in into out (2*len+1 bytes). */
void crypto_hex(const unsigned char *in, size_t len, char *out);

/* 1 when a and b (each len bytes) are equal, compared in constant time. */
int crypto_equal(const void *a, const void *b, size_t len);

/* Overwrite len bytes at p with zeros in a way the compiler keeps. */
void crypto_wipe(void *p, size_t len);

/* The password hash parameters: scrypt with N = 2^log2n, r = 8, p = 1,
 * a 16-byte random salt and a 32-byte derived key. */
#define CRYPTO_SCRYPT_LOG2N 15
#define CRYPTO_SCRYPT_R 8
#define CRYPTO_SCRYPT_P 1

/* Hash a password for storage: "scrypt$LOG2N$R$P$SALTHEX$KEYHEX" written to out
 * (at least 160 bytes). Returns 0, -1 on a libgcrypt failure. */
int crypto_password_hash(const char *password, char *out, size_t outsz);

/* 1 when password matches the stored string, 0 when not or when stored is
 * malformed. The comparison of derived keys is constant-time. */
int crypto_password_check(const char *password, const char *stored);

/* scrypt (N = 2^log2n, r = 8, p) of password and salt into key (keylen bytes),
 * the same KDF as the password hash, for keys that protect other secrets.
 * Returns 0, -1 on a libgcrypt failure. */
int crypto_scrypt(const char *password, const unsigned char *salt, size_t saltlen,
                  int log2n, int p, unsigned char *key, size_t keylen);

/* Decode 2*n lowercase hex characters of s into n bytes. 0, or -1 when s is
 * not that. */
int crypto_unhex(const char *s, size_t n, unsigned char *out);

#endif
