/* keys.c — see keys.h. */
#include "keys.h"
#include "crypto.h"
#include "i18n.h"
#include "settings.h"
#include "store_priv.h"

#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Tag of the stored secret's format, so that a later change of cipher or KDF
 * can tell old secrets from new. */
#define SECRET_TAG "scrypt-aes256gcm"
#define SALT_LEN 16
#define NONCE_LEN 12
#define GCM_TAG_LEN 16
#define SEED_LEN 32

void keys_fingerprint(const unsigned char pub[KEYS_PUBLIC_LEN], char out[65])
{
	crypto_sha256_hex(pub, KEYS_PUBLIC_LEN, out);
}

void keys_fingerprint_grouped(const char fingerprint[65], char out[KEYS_FPR_GROUPED])
{
	size_t o = 0;
	for (size_t i = 0; i < 64 && fingerprint[i]; i++) {
		if (i && i % 4 == 0)
			out[o++] = ' ';
		char c = fingerprint[i];
		out[o++] = (c >= 'a' && c <= 'f') ? (char)(c - 'a' + 'A') : c;
	}
	out[o] = '\0';
}

/* The 32 bytes of an Ed25519 point from a libgcrypt S-expression token: some
 * versions give it with a 0x40 "native" prefix. */
static int point_bytes(gcry_sexp_t tok, unsigned char out[32])
{
	size_t n = 0;
	const char *d = tok ? gcry_sexp_nth_data(tok, 1, &n) : NULL;
	if (!d)
		return -1;
	if (n == 33 && (unsigned char)d[0] == 0x40) {
		d++;
		n--;
	}
	if (n != 32)
		return -1;
	memcpy(out, d, 32);
	return 0;
}

/* An octet-string value (r, s, d) left-padded to want bytes. */
static int fixed_bytes(gcry_sexp_t tok, unsigned char *out, size_t want)
{
	size_t n = 0;
	const char *d = tok ? gcry_sexp_nth_data(tok, 1, &n) : NULL;
	if (!d || n > want)
		return -1;
	memset(out, 0, want - n);
	memcpy(out + (want - n), d, n);
	return 0;
}

/* 1 when the 32 bytes are an Ed25519 public key libgcrypt can use.
 * libgcrypt 1.10.1 aborts the process ("mulm_25519: different sizes") when it
 * decodes some encodings — y = 0, 1, 2, 3, p-1 among them, small-order points
 * included — so the probe runs in a child process: a verification of a dummy
 * signature that says "bad signature" means the key decoded; anything else,
 * an error or the child's death, means it is not a key. Only keys that passed
 * here (or that this program generated) are ever stored, and verification of
 * bundles uses stored keys only, so hostile bytes never reach that decoder. */
static int valid_point(const unsigned char pub[KEYS_PUBLIC_LEN])
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		gcry_sexp_t pk = NULL, sv = NULL, data = NULL;
		unsigned char sig[KEYS_SIG_LEN] = {0};
		int ok = !gcry_sexp_build(&pk, NULL, "(public-key (ecc (curve Ed25519) (flags eddsa) (q %b)))",
		                          KEYS_PUBLIC_LEN, pub) &&
		         !gcry_sexp_build(&sv, NULL, "(sig-val (eddsa (r %b) (s %b)))", 32, sig, 32, sig + 32) &&
		         !gcry_sexp_build(&data, NULL, "(data (flags eddsa) (hash-algo sha512) (value %b))", 1, "x") &&
		         gcry_err_code(gcry_pk_verify(sv, data, pk)) == GPG_ERR_BAD_SIGNATURE;
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Run fn in a child process and copy the outlen bytes it writes to out back
 * here. libgcrypt leaves copies of a private key in blocks it frees without
 * wiping them — its S-expressions and key buffers, even with secure memory on
 * (docs/security.md) — so everything that holds the seed runs in a process
 * whose memory is gone when it exits. fn returns 0 (out filled) or a small
 * failure code; in_child returns that code, or -1 when the child could not
 * run, died or sent less. */
static int in_child(int (*fn)(const void *ctx, unsigned char *out), const void *ctx,
                    unsigned char *out, size_t outlen)
{
	int pfd[2];
	if (pipe(pfd) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		/* the child holds the seed: should libgcrypt abort in it, no core
		 * file may carry the key to disk */
		struct rlimit nocore = {0, 0};
		setrlimit(RLIMIT_CORE, &nocore);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		int r = fn(ctx, out);
		for (size_t done = 0; r == 0 && done < outlen;) {
			ssize_t n = write(pfd[1], out + done, outlen - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				r = 125;
			else
				done += (size_t)n;
		}
		_exit(r);
	}
	close(pfd[1]);
	size_t got = 0;
	while (got < outlen) {
		ssize_t n = read(pfd[0], out + got, outlen - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(pfd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status))
		return -1;
	int code = WEXITSTATUS(status);
	return code == 0 && got != outlen ? -1 : code;
}

/* AES-256-GCM under scrypt(passphrase, salt) with the public key as associated
 * data. enc = 1 encrypts in -> out and fills tag; enc = 0 decrypts and checks
 * tag. Returns 0, 1 when the tag does not match (wrong passphrase or an edited
 * secret), -1 on a libgcrypt failure. */
static int seal(const char *passphrase, const unsigned char salt[SALT_LEN],
                const unsigned char nonce[NONCE_LEN], const unsigned char pub[KEYS_PUBLIC_LEN],
                const unsigned char *in, unsigned char *out, size_t n,
                unsigned char tag[GCM_TAG_LEN], int enc)
{
	unsigned char key[32];
	if (crypto_scrypt(passphrase, salt, SALT_LEN, CRYPTO_SCRYPT_LOG2N, CRYPTO_SCRYPT_P,
	                  key, sizeof key) != 0)
		return -1;
	gcry_cipher_hd_t h = NULL;
	int rc = -1;
	if (gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0))
		goto out;
	if (gcry_cipher_setkey(h, key, sizeof key) || gcry_cipher_setiv(h, nonce, NONCE_LEN) ||
	    gcry_cipher_authenticate(h, pub, KEYS_PUBLIC_LEN))
		goto out;
	if (enc) {
		if (gcry_cipher_encrypt(h, out, n, in, n) || gcry_cipher_gettag(h, tag, GCM_TAG_LEN))
			goto out;
		rc = 0;
	} else {
		if (gcry_cipher_decrypt(h, out, n, in, n))
			goto out;
		gcry_error_t e = gcry_cipher_checktag(h, tag, GCM_TAG_LEN);
		if (gcry_err_code(e) == GPG_ERR_CHECKSUM) {
			rc = 1;
		} else {
			rc = e ? -1 : 0;
		}
	}
out:
	if (h)
		gcry_cipher_close(h);
	crypto_wipe(key, sizeof key);
	/* a decryption that failed half-way leaves no part of the seed behind */
	if (rc != 0 && !enc)
		crypto_wipe(out, n);
	return rc;
}

static void own_name(dl_store *st, const char *name, char *out, size_t outsz)
{
	if (name && *name) {
		snprintf(out, outsz, "%s", name);
		return;
	}
	settings_get(st, "unit_name_en", out, outsz, NULL);
	if (!*out)
		settings_get(st, "unit_name_ar", out, outsz, NULL);
	if (!*out)
		snprintf(out, outsz, "%s", "dalil");
}

static void key_from_row(sqlite3_stmt *q, dl_unit_key *k)
{
	memset(k, 0, sizeof *k);
	k->id = sqlite3_column_int64(q, 0);
	k->own = sqlite3_column_int(q, 1);
	snprintf(k->name, sizeof k->name, "%s", (const char *)sqlite3_column_text(q, 2));
	const char *hex = (const char *)sqlite3_column_text(q, 3);
	if (!hex || crypto_unhex(hex, KEYS_PUBLIC_LEN, k->pub) != 0)
		memset(k->pub, 0, sizeof k->pub);
	snprintf(k->fingerprint, sizeof k->fingerprint, "%s", (const char *)sqlite3_column_text(q, 4));
	const char *by = (const char *)sqlite3_column_text(q, 5);
	snprintf(k->added_by, sizeof k->added_by, "%s", by ? by : "");
	snprintf(k->created_at, sizeof k->created_at, "%s", (const char *)sqlite3_column_text(q, 6));
}

#define KEY_COLS "k.id, k.own, k.name, k.public_key, k.fingerprint, u.username, k.created_at" \
	" FROM unit_keys k LEFT JOIN users u ON u.id = k.added_by"

/* One key by a fixed condition on k (from the code) with one text parameter. */
static dl_status key_where(dl_store *st, const char *cond, const char *param, dl_unit_key *out,
                           dl_err *err)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT " KEY_COLS " WHERE %s", cond);
	sqlite3_stmt *q = store_prepare(st, sql, err);
	if (!q)
		return DL_EDB;
	if (param)
		sqlite3_bind_text(q, 1, param, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(q);
	dl_status rc = DL_ENOTFOUND;
	if (step == SQLITE_ROW) {
		key_from_row(q, out);
		rc = DL_OK;
	} else if (step != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "");
	}
	sqlite3_finalize(q);
	return rc;
}

dl_status keys_own(dl_store *st, dl_unit_key *out, dl_err *err)
{
	dl_status rc = key_where(st, "k.own = 1", NULL, out, err);
	if (rc == DL_ENOTFOUND)
		dl_err_set(err, DL_ENOTFOUND, "key",
		           _("this unit has no signing key yet; an administrator creates it with \"dalil keys init\""));
	return rc;
}

dl_status keys_find(dl_store *st, const unsigned char pub[KEYS_PUBLIC_LEN], dl_unit_key *out,
                    dl_err *err)
{
	char fpr[65];
	keys_fingerprint(pub, fpr);
	dl_status rc = key_where(st, "k.fingerprint = ?1", fpr, out, err);
	if (rc == DL_ENOTFOUND)
		dl_err_set(err, DL_ENOTFOUND, "key", _("no trusted unit has the key %s"), fpr);
	return rc;
}

/* What keys_init hands its child: the passphrase and the salt and nonce of
 * the seal. */
typedef struct new_key {
	const char *passphrase;
	unsigned char salt[SALT_LEN], nonce[NONCE_LEN];
} new_key;

/* In the child: a new Ed25519 key; out gets its public key, the sealed seed
 * and the seal's tag. 1: no key, 2: a key in an unexpected form, 3: the seal
 * failed. */
static int make_key(const void *ctx, unsigned char *out)
{
	const new_key *nk = ctx;
	gcry_sexp_t parms = NULL, pair = NULL;
	unsigned char seed[SEED_LEN];
	if (gcry_sexp_build(&parms, NULL, "(genkey (ecc (curve Ed25519) (flags eddsa)))") ||
	    gcry_pk_genkey(&pair, parms)) {
		gcry_sexp_release(parms);
		return 1;
	}
	gcry_sexp_release(parms);
	gcry_sexp_t q = gcry_sexp_find_token(pair, "q", 0);
	gcry_sexp_t d = gcry_sexp_find_token(pair, "d", 0);
	int bad = point_bytes(q, out) != 0 || fixed_bytes(d, seed, SEED_LEN) != 0;
	gcry_sexp_release(q);
	gcry_sexp_release(d);
	gcry_sexp_release(pair);
	int r = bad ? 2
	            : seal(nk->passphrase, nk->salt, nk->nonce, out, seed, out + KEYS_PUBLIC_LEN, SEED_LEN,
	                   out + KEYS_PUBLIC_LEN + SEED_LEN, 1) != 0 ? 3 : 0;
	crypto_wipe(seed, sizeof seed);
	return r;
}

dl_status keys_init(dl_session *s, const char *name, const char *passphrase,
                    dl_unit_key *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	if (!passphrase || strlen(passphrase) < KEYS_PASSPHRASE_MIN)
		return dl_err_set(err, DL_EINVAL, "passphrase",
		                  _("the passphrase must have at least %d characters"), KEYS_PASSPHRASE_MIN);
	dl_unit_key have;
	rc = keys_own(s->store, &have, NULL);
	if (rc == DL_OK)
		return dl_err_set(err, DL_EEXIST, "key",
		                  _("this unit already has a signing key (fingerprint %s): a new one would make "
		                    "every bundle signed so far unverifiable by the units that trust it"),
		                  have.fingerprint);
	if (rc != DL_ENOTFOUND)
		return dl_err_set(err, rc, "", _("cannot read the unit's keys"));

	/* made and sealed in a child process (in_child), so that the seed is
	 * never in this one; libgcrypt mixes a forked child's pid into its pool,
	 * so each child's key is its own. Salt and nonce are drawn here, where
	 * the stored secret is written. */
	new_key nk = {passphrase, {0}, {0}};
	crypto_random(nk.salt, sizeof nk.salt);
	crypto_random(nk.nonce, sizeof nk.nonce);
	unsigned char made[KEYS_PUBLIC_LEN + SEED_LEN + GCM_TAG_LEN];
	int r = in_child(make_key, &nk, made, sizeof made);
	if (r == 1)
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not generate an Ed25519 key"));
	if (r == 2)
		return dl_err_set(err, DL_EIO, "", _("libgcrypt gave an Ed25519 key in an unexpected form"));
	if (r != 0)
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not encrypt the private key"));
	unsigned char pub[KEYS_PUBLIC_LEN], ct[SEED_LEN], tag[GCM_TAG_LEN];
	unsigned char *salt = nk.salt, *nonce = nk.nonce;
	memcpy(pub, made, sizeof pub);
	memcpy(ct, made + KEYS_PUBLIC_LEN, sizeof ct);
	memcpy(tag, made + KEYS_PUBLIC_LEN + SEED_LEN, sizeof tag);

	char pubhex[65], salthex[33], noncehex[25], cthex[65], taghex[33], fpr[65];
	crypto_hex(pub, sizeof pub, pubhex);
	crypto_hex(salt, SALT_LEN, salthex);
	crypto_hex(nonce, NONCE_LEN, noncehex);
	crypto_hex(ct, sizeof ct, cthex);
	crypto_hex(tag, sizeof tag, taghex);
	keys_fingerprint(pub, fpr);
	char secret[256];
	snprintf(secret, sizeof secret, SECRET_TAG "$%d$%d$%d$%s$%s$%s$%s", CRYPTO_SCRYPT_LOG2N,
	         CRYPTO_SCRYPT_R, CRYPTO_SCRYPT_P, salthex, noncehex, cthex, taghex);
	char unit[129], now[21];
	own_name(s->store, name, unit, sizeof unit);
	store_now(now);

	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *ins = store_prepare(s->store,
		"INSERT INTO unit_keys (own, name, public_key, fingerprint, secret, added_by, created_at)"
		" VALUES (1, ?, ?, ?, ?, ?, ?)", err);
	rc = DL_EDB;
	if (ins) {
		sqlite3_bind_text(ins, 1, unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, pubhex, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, fpr, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, secret, -1, SQLITE_STATIC);
		store_bind_id(ins, 5, s->user_id);
		sqlite3_bind_text(ins, 6, now, -1, SQLITE_STATIC);
		rc = store_step_done(s->store, ins, err, "key");
		sqlite3_finalize(ins);
	}
	rc = store_end(s->store, rc, err);
	if (rc == DL_OK)
		rc = keys_own(s->store, out, err);
	return rc;
}

/* The unit's key as stored: its public key and the sealed seed. */
typedef struct sealed_key {
	unsigned char pub[KEYS_PUBLIC_LEN], salt[SALT_LEN], nonce[NONCE_LEN], ct[SEED_LEN],
		tag[GCM_TAG_LEN];
} sealed_key;

/* The unit's own key as stored, checked for its form. */
static dl_status load_sealed(dl_store *st, sealed_key *k, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT public_key, secret FROM unit_keys WHERE own = 1", err);
	if (!q)
		return DL_EDB;
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		dl_unit_key own;
		return keys_own(st, &own, err);
	}
	const char *pubhex = (const char *)sqlite3_column_text(q, 0);
	const char *secret = (const char *)sqlite3_column_text(q, 1);
	int log2n = 0, r = 0, p = 0, off = 0;
	int ok = pubhex && secret && crypto_unhex(pubhex, KEYS_PUBLIC_LEN, k->pub) == 0 &&
	         sscanf(secret, SECRET_TAG "$%d$%d$%d$%n", &log2n, &r, &p, &off) == 3 && off > 0 &&
	         log2n == CRYPTO_SCRYPT_LOG2N && r == CRYPTO_SCRYPT_R && p == CRYPTO_SCRYPT_P &&
	         strlen(secret + off) == 32 + 1 + 24 + 1 + 64 + 1 + 32;
	if (ok) {
		const char *x = secret + off;
		ok = crypto_unhex(x, SALT_LEN, k->salt) == 0 && x[32] == '$' &&
		     crypto_unhex(x + 33, NONCE_LEN, k->nonce) == 0 && x[57] == '$' &&
		     crypto_unhex(x + 58, SEED_LEN, k->ct) == 0 && x[122] == '$' &&
		     crypto_unhex(x + 123, GCM_TAG_LEN, k->tag) == 0;
	}
	sqlite3_finalize(q);
	if (!ok)
		return dl_err_set(err, DL_ETAMPER, "key", _("the unit's stored signing key is damaged"));
	return DL_OK;
}

static gcry_sexp_t data_sexp(const void *msg, size_t len)
{
	gcry_sexp_t data = NULL;
	if (gcry_sexp_build(&data, NULL, "(data (flags eddsa) (hash-algo sha512) (value %b))",
	                    (int)len, msg))
		return NULL;
	return data;
}

/* What keys_sign hands its child. */
typedef struct sign_job {
	const char *passphrase;
	const sealed_key *key;
	const void *msg;
	size_t len;
} sign_job;

/* In the child: the seed unsealed, msg signed, out gets r and s. 1: wrong
 * passphrase, 2: the seed could not be decrypted, 3: libgcrypt could not
 * sign. */
static int sign_with_seed(const void *ctx, unsigned char *out)
{
	const sign_job *j = ctx;
	unsigned char seed[SEED_LEN], tag[GCM_TAG_LEN];
	memcpy(tag, j->key->tag, sizeof tag);
	int opened = seal(j->passphrase, j->key->salt, j->key->nonce, j->key->pub, j->key->ct, seed, SEED_LEN,
	                  tag, 0);
	if (opened != 0)
		return opened == 1 ? 1 : 2;
	gcry_sexp_t sk = NULL, data = data_sexp(j->msg, j->len), sv = NULL;
	int bad = !data ||
		gcry_sexp_build(&sk, NULL, "(private-key (ecc (curve Ed25519) (flags eddsa) (q %b) (d %b)))",
		                KEYS_PUBLIC_LEN, j->key->pub, SEED_LEN, seed) ||
		gcry_pk_sign(&sv, data, sk);
	crypto_wipe(seed, sizeof seed);
	if (!bad) {
		gcry_sexp_t r = gcry_sexp_find_token(sv, "r", 0), s = gcry_sexp_find_token(sv, "s", 0);
		bad = fixed_bytes(r, out, 32) != 0 || fixed_bytes(s, out + 32, 32) != 0;
		gcry_sexp_release(r);
		gcry_sexp_release(s);
	}
	gcry_sexp_release(sk);
	gcry_sexp_release(data);
	gcry_sexp_release(sv);
	return bad ? 3 : 0;
}

dl_status keys_sign(dl_store *st, const char *passphrase, const void *msg, size_t len,
                    unsigned char sig[KEYS_SIG_LEN], dl_err *err)
{
	if (len > KEYS_MSG_MAX)
		return dl_err_set(err, DL_EINVAL, "message",
		                  _("a signed message is at most %d bytes; sign its digest"), KEYS_MSG_MAX);
	sealed_key k;
	dl_status rc = load_sealed(st, &k, err);
	if (rc != DL_OK)
		return rc;
	/* the seed exists only in the child (in_child) */
	sign_job job = {passphrase ? passphrase : "", &k, msg, len};
	int r = in_child(sign_with_seed, &job, sig, KEYS_SIG_LEN);
	if (r == 1)
		return dl_err_set(err, DL_EAUTH, "passphrase",
		                  _("wrong passphrase for the unit's signing key (DALIL_KEY_PASSPHRASE)"));
	if (r == 2)
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not decrypt the private key"));
	if (r != 0)
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not sign"));
	/* a signature that does not verify must never leave: a fault (or a
	 * corrupted seed behind a valid tag) shows here, not at the receiver */
	if (!keys_verify(k.pub, msg, len, sig))
		return dl_err_set(err, DL_EIO, "", _("the new signature does not verify; nothing was signed"));
	return DL_OK;
}

int keys_verify(const unsigned char pub[KEYS_PUBLIC_LEN], const void *msg, size_t len,
                const unsigned char sig[KEYS_SIG_LEN])
{
	if (len > KEYS_MSG_MAX)
		return 0;
	gcry_sexp_t pk = NULL, sv = NULL, data = data_sexp(msg, len);
	int ok = data &&
		!gcry_sexp_build(&pk, NULL, "(public-key (ecc (curve Ed25519) (flags eddsa) (q %b)))",
		                 KEYS_PUBLIC_LEN, pub) &&
		!gcry_sexp_build(&sv, NULL, "(sig-val (eddsa (r %b) (s %b)))", 32, sig, 32, sig + 32) &&
		gcry_pk_verify(sv, data, pk) == 0;
	gcry_sexp_release(pk);
	gcry_sexp_release(sv);
	gcry_sexp_release(data);
	return ok;
}

void keys_export_text(const unsigned char pub[KEYS_PUBLIC_LEN], const char *unit, dl_buf *out)
{
	char hex[65], fpr[65], grouped[KEYS_FPR_GROUPED];
	crypto_hex(pub, KEYS_PUBLIC_LEN, hex);
	keys_fingerprint(pub, fpr);
	keys_fingerprint_grouped(fpr, grouped);
	buf_adds(out, "dalil-unit-key 1\nunit: ");
	/* one line whatever the name holds: a line break in it could otherwise
	 * put a line of its own choosing above the key */
	for (const char *c = unit ? unit : ""; *c; c++)
		buf_addc(out, (unsigned char)*c < 0x20 ? ' ' : *c);
	buf_addc(out, '\n');
	buf_addf(out, "ed25519: %s\n", hex);
	buf_addf(out, "fingerprint: %s\n", grouped);
}

/* The rest of the line after "key:" (blanks skipped), its length in *n. */
static const char *field_of(const char *text, size_t len, const char *key, size_t *n)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (e - i > kl && !memcmp(text + i, key, kl)) {
			size_t b = i + kl;
			while (b < e && (text[b] == ' ' || text[b] == '\t'))
				b++;
			size_t end = e;
			while (end > b && (text[end - 1] == '\r' || text[end - 1] == ' '))
				end--;
			*n = end - b;
			return text + b;
		}
		i = e + 1;
	}
	return NULL;
}

dl_status keys_parse_text(const char *text, size_t len, unsigned char pub[KEYS_PUBLIC_LEN],
                          char *unit, size_t unitsz, dl_err *err)
{
	if (unit && unitsz)
		unit[0] = '\0';
	if (len < 16 || memcmp(text, "dalil-unit-key 1", 16) != 0)
		return dl_err_set(err, DL_EINVAL, "file",
		                  _("not a dalil unit key: the first line must be \"dalil-unit-key 1\" "
		                    "(as \"dalil keys export\" prints it)"));
	size_t n = 0;
	const char *hex = field_of(text, len, "ed25519:", &n);
	char lower[65];
	if (!hex || n != 64)
		return dl_err_set(err, DL_EINVAL, "file", _("the \"ed25519:\" line must hold 64 hexadecimal digits"));
	for (size_t i = 0; i < 64; i++) {
		char c = hex[i];
		lower[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	lower[64] = '\0';
	if (crypto_unhex(lower, KEYS_PUBLIC_LEN, pub) != 0)
		return dl_err_set(err, DL_EINVAL, "file", _("the \"ed25519:\" line must hold 64 hexadecimal digits"));
	if (!valid_point(pub))
		return dl_err_set(err, DL_EINVAL, "file", _("the \"ed25519:\" value is not an Ed25519 public key"));
	const char *fl = field_of(text, len, "fingerprint:", &n);
	if (fl) {
		char given[65], want[65];
		size_t g = 0;
		for (size_t i = 0; i < n && g < 64; i++) {
			char c = fl[i];
			if (c == ' ')
				continue;
			given[g++] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
		}
		given[g] = '\0';
		keys_fingerprint(pub, want);
		if (strcmp(given, want) != 0)
			return dl_err_set(err, DL_EINVAL, "file",
			                  _("the fingerprint in the file does not match its key: the file was "
			                    "changed or mistyped"));
	}
	const char *u = field_of(text, len, "unit:", &n);
	if (u && unit && unitsz)
		snprintf(unit, unitsz, "%.*s", (int)(n < unitsz ? n : unitsz - 1), u);
	return DL_OK;
}

dl_status keys_trust(dl_session *s, const char *name, const unsigned char pub[KEYS_PUBLIC_LEN],
                     dl_unit_key *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	if (!name || !*name)
		return dl_err_set(err, DL_EINVAL, "name", _("give the unit's name (--name)"));
	if (strlen(name) >= sizeof out->name)
		return dl_err_set(err, DL_EINVAL, "name", _("at most %d bytes"), (int)sizeof out->name - 1);
	if (!valid_point(pub))
		return dl_err_set(err, DL_EINVAL, "file", _("not an Ed25519 public key"));
	dl_unit_key have;
	if (keys_find(s->store, pub, &have, NULL) == DL_OK)
		return have.own
			? dl_err_set(err, DL_EINVAL, "file", _("this is this unit's own key"))
			: dl_err_set(err, DL_EEXIST, "file", _("this key is already trusted as \"%s\""), have.name);
	if (key_where(s->store, "k.own = 0 AND k.name = ?1", name, &have, NULL) == DL_OK)
		return dl_err_set(err, DL_EEXIST, "name",
		                  _("a trusted unit is already named \"%s\" (fingerprint %s)"), name,
		                  have.fingerprint);
	char hex[65], fpr[65], now[21];
	crypto_hex(pub, KEYS_PUBLIC_LEN, hex);
	keys_fingerprint(pub, fpr);
	store_now(now);
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *ins = store_prepare(s->store,
		"INSERT INTO unit_keys (own, name, public_key, fingerprint, added_by, created_at)"
		" VALUES (0, ?, ?, ?, ?, ?)", err);
	rc = DL_EDB;
	if (ins) {
		sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, fpr, -1, SQLITE_STATIC);
		store_bind_id(ins, 4, s->user_id);
		sqlite3_bind_text(ins, 5, now, -1, SQLITE_STATIC);
		rc = store_step_done(s->store, ins, err, "file");
		sqlite3_finalize(ins);
	}
	rc = store_end(s->store, rc, err);
	if (rc == DL_OK)
		rc = keys_find(s->store, pub, out, err);
	return rc;
}

dl_status keys_list(dl_session *s, dl_unit_key_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " KEY_COLS " ORDER BY k.own DESC, k.name, k.id", err);
	if (!q)
		return DL_EDB;
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			dl_unit_key *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		key_from_row(q, &out->v[out->n++]);
	}
	dl_status rc = step == SQLITE_NOMEM ? store_nomem(err)
	             : step == SQLITE_DONE ? DL_OK : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		keys_list_free(out);
	return rc;
}

void keys_list_free(dl_unit_key_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
