/* hashset.h — named lists of known file hashes: "alert" (known bad material)
 * and "known-good" (operating-system files to set aside). Items whose MD5,
 * SHA-1 or SHA-256 is in a set are "hits", flagged as items arrive and, when a
 * set is imported, against every item already in the store. */
#ifndef DALIL_HASHSET_H
#define DALIL_HASHSET_H

#include <stddef.h>

#include "session.h"
#include "status.h"
#include "store.h"

typedef struct dl_hashset {
	long long id;
	char *name;
	char *kind;            /* "alert" or "known-good" */
	long long entry_count;
	char *entries_sha256;  /* digest of the sorted entries, see hashset_import */
	char *file_name, *file_sha256;
	char *imported_by, *imported_at;
	long long item_hits;   /* items of cases the session may read that hit this set */
} dl_hashset;

typedef struct dl_hashset_list {
	dl_hashset *v;
	size_t n;
} dl_hashset_list;

/* Import file as a new set called name. The file may be a plain list (one
 * MD5, SHA-1 or SHA-256 per line, '#' comments, blank lines), md5deep/hashdeep
 * output ("%%%% HASHDEEP" header with its column line, or "HASH  PATH" lines) or
 * an NSRL RDS CSV (quoted header naming "SHA-1","MD5" columns). Hashes are
 * lower-cased and de-duplicated; a line that is none of these is DL_EINVAL
 * naming "file" with its line number, and nothing is written. Everything —
 * the set, its entries and the hits on items already stored — is one
 * transaction. Investigators, supervisors and admins; not clerks. */
dl_status hashset_import(dl_session *s, const char *name, const char *file, const char *kind,
                         long long *entries, long long *hits, dl_err *err);

/* Every set, with its hit count. */
dl_status hashset_list(dl_session *s, dl_hashset_list *out, dl_err *err);
void hashset_list_free(dl_hashset_list *l);

/* Inside an open transaction (the ingest's batch): record a hit for item_id
 * for every set containing md5, sha1 or sha256 (any may be NULL); *hits gets
 * the number of sets hit. */
dl_status hashset_flag_item(dl_store *st, long long item_id, const char *md5, const char *sha1,
                            const char *sha256, int *hits, dl_err *err);

/* The names of the sets an item hits, comma-separated, into out ("" if none). */
void hashset_item_hits(dl_store *st, long long item_id, char *out, size_t outsz);

/* Recompute each set's entries digest and compare it with the stored one: the
 * entries are not audited row by row, so this is how audit verification sees a
 * hand edit of them. Calls problem(ctx, set_id, message) for each mismatch;
 * returns the number of mismatches, -1 on a database error. */
int hashset_check(dl_store *st, void (*problem)(void *ctx, long long set_id, const char *what),
                  void *ctx);

#endif
