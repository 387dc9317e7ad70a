/* export.h — getting evidence back out, proven: one item extracted from its
 * source on demand and checked against its recorded hashes, and the
 * re-verification of sources, cached objects and (deep) every item. */
#ifndef DALIL_EXPORT_H
#define DALIL_EXPORT_H

#include <stdint.h>

#include "session.h"
#include "status.h"

/* Extract item id to out_path (which must not exist; created 0600). The member
 * is read from the cached object when there is one, else from its source
 * (following nested archives); either way its MD5, SHA-1 and SHA-256 must equal
 * the recorded ones, else DL_ETAMPER and no file is left. A fresh extraction is
 * cached in the object store. */
dl_status export_item(dl_session *s, long long id, const char *out_path, dl_err *err);

typedef struct verify_result {
	long long sources, items, objects;
	long long problems;
} verify_result;

/* One problem: what (a source, an item or an object, named) and why. */
typedef void (*verify_problem_fn)(void *ctx, const char *what, const char *why);
/* Progress: sources done of total, and the current one's path. */
typedef void (*verify_progress_fn)(void *ctx, long long done, long long total, const char *name);

/* Re-hash every source of the case (NULL: every case the session may read),
 * kept or in place, and every cached member object; with deep, re-read each
 * source and re-derive every item's hashes. DL_OK when all match; DL_ETAMPER
 * (exit 1) when anything is missing or differs. */
dl_status verify_run(dl_session *s, const char *case_number, int deep, verify_problem_fn problem,
                     verify_progress_fn progress, void *ctx, verify_result *r, dl_err *err);

#endif
