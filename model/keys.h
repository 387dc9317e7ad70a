/* keys.h — the unit's Ed25519 signing key and the public keys of the units it
 * trusts, for signed case bundles.
 *
 * The private key is kept in the store (table unit_keys) encrypted with
 * AES-256-GCM under a key derived from a passphrase by the same scrypt KDF as
 * the passwords; the public key is the GCM's associated data, so a secret moved
 * onto another public key does not decrypt. Only the 32-byte Ed25519 seed is
 * stored; it is wiped from memory after each signature.
 *
 * A public key travels as a small text file (what "dalil keys export" prints):
 *
 *   dalil-unit-key 1
 *   unit: NAME
 *   ed25519: 64 lowercase hex
 *   fingerprint: 16 groups of 4 upper-case hex (SHA-256 of the 32 key bytes)
 *
 * and the fingerprint is read aloud over the phone before it is trusted. */
#ifndef DALIL_KEYS_H
#define DALIL_KEYS_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"
#include "store.h"

#define KEYS_PUBLIC_LEN 32
#define KEYS_SIG_LEN 64
/* "ABCD EF01 …": 16 groups of 4, 15 spaces, NUL */
#define KEYS_FPR_GROUPED 80
/* Passphrases shorter than this are refused at keys_init. */
#define KEYS_PASSPHRASE_MIN 8

/* One key the store knows: the unit's own, or a trusted unit's. */
typedef struct dl_unit_key {
	long long id;
	int own;                                /* 1 for this unit's key */
	char name[129];                         /* unit name */
	unsigned char pub[KEYS_PUBLIC_LEN];
	char fingerprint[65];                   /* SHA-256 of pub, lowercase hex */
	char added_by[33];                      /* username, "" when unknown */
	char created_at[21];
} dl_unit_key;

typedef struct dl_unit_key_list {
	dl_unit_key *v;
	size_t n;
} dl_unit_key_list;

/* SHA-256 of the public key: 64 lowercase hex, and the grouped form for
 * reading aloud. */
void keys_fingerprint(const unsigned char pub[KEYS_PUBLIC_LEN], char out[65]);
void keys_fingerprint_grouped(const char fingerprint[65], char out[KEYS_FPR_GROUPED]);

/* Create the unit's key pair, the private key encrypted under passphrase.
 * name is the unit name recorded with it (the settings' unit name when NULL or
 * empty). Admins only; audited. DL_EEXIST when the unit already has a key
 * (a new key would orphan every bundle signed with the old one: refused),
 * DL_EINVAL (field "passphrase") for a passphrase shorter than
 * KEYS_PASSPHRASE_MIN characters. */
dl_status keys_init(dl_session *s, const char *name, const char *passphrase,
                    dl_unit_key *out, dl_err *err);

/* The unit's own key (public part). DL_ENOTFOUND with a hint to run
 * "dalil keys init" when there is none. Needs no session. */
dl_status keys_own(dl_store *st, dl_unit_key *out, dl_err *err);

/* The longest message signed or verified as it is. libgcrypt carries the
 * message in an S-expression, whose data lengths are 16-bit (a longer one
 * aborts the process in 1.10): anything larger is signed through its digest
 * (see bundle.c). */
#define KEYS_MSG_MAX 4096

/* Sign msg (at most KEYS_MSG_MAX bytes, else DL_EINVAL) with the unit's
 * private key, unlocked with passphrase. A wrong passphrase is DL_EAUTH
 * (field "passphrase"); nothing is signed. */
dl_status keys_sign(dl_store *st, const char *passphrase, const void *msg, size_t len,
                    unsigned char sig[KEYS_SIG_LEN], dl_err *err);

/* 1 when sig is pub's Ed25519 signature of msg, 0 otherwise (also for a
 * message longer than KEYS_MSG_MAX). pub must be a key this program stored or
 * generated: see keys.c on encodings libgcrypt aborts on. */
int keys_verify(const unsigned char pub[KEYS_PUBLIC_LEN], const void *msg, size_t len,
                const unsigned char sig[KEYS_SIG_LEN]);

/* The exchange text of a public key (format above) appended to out. */
void keys_export_text(const unsigned char pub[KEYS_PUBLIC_LEN], const char *unit, dl_buf *out);

/* Parse an exchange text: the "ed25519:" line must hold 64 hex digits of a
 * valid curve point, and a "fingerprint:" line, when present, must match it
 * (a typo or an edit shows). unit (may be NULL) receives the "unit:" line or
 * "". DL_EINVAL (field "file") naming what is wrong. */
dl_status keys_parse_text(const char *text, size_t len, unsigned char pub[KEYS_PUBLIC_LEN],
                          char *unit, size_t unitsz, dl_err *err);

/* Record another unit's public key under name. Admins only; audited.
 * DL_EEXIST when the key (or the name) is already known, DL_EINVAL when it is
 * this unit's own key. */
dl_status keys_trust(dl_session *s, const char *name, const unsigned char pub[KEYS_PUBLIC_LEN],
                     dl_unit_key *out, dl_err *err);

/* Every key the store knows, the unit's own first, then trusted by name.
 * Any logged-in user: public keys are not secret. */
dl_status keys_list(dl_session *s, dl_unit_key_list *out, dl_err *err);
void keys_list_free(dl_unit_key_list *l);

/* The key (own or trusted) with this public key. DL_ENOTFOUND when the store
 * does not know it. Needs no session. */
dl_status keys_find(dl_store *st, const unsigned char pub[KEYS_PUBLIC_LEN], dl_unit_key *out,
                    dl_err *err);

#endif
