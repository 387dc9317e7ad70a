/* bundle_priv.h — what bundle.c and bundle_import.c share. */
#ifndef DALIL_BUNDLE_PRIV_H
#define DALIL_BUNDLE_PRIV_H

#include <archive.h>
#include <stddef.h>

#include "json.h"
#include "keys.h"
#include "status.h"
#include "store.h"

/* The current member's bytes, exactly size of them, into a fresh
 * NUL-terminated buffer (the caller frees it); NULL when it holds fewer or
 * more, or cannot be read. */
char *bundle_read_small(struct archive *a, long long size, size_t *len);

/* manifest.sig for a manifest: the statement holding its SHA-512, signed with
 * the unit's key (key as keys_own gave it, its passphrase), as text into
 * *sigtext. Used by the export, and by the fuzzing harness that re-signs
 * mutated manifests so that they reach the import. */
dl_status bundle_sign(dl_store *st, const dl_unit_key *key, const char *passphrase, const char *manifest,
                      size_t len, dl_buf *sigtext, dl_err *err);

#endif
