/* bundle_priv.h — what bundle.c and bundle_import.c share. */
#ifndef DALIL_BUNDLE_PRIV_H
#define DALIL_BUNDLE_PRIV_H

#include <archive.h>
#include <stddef.h>

/* The current member's bytes, exactly size of them, into a fresh
 * NUL-terminated buffer (the caller frees it); NULL when it holds fewer or
 * more, or cannot be read. */
char *bundle_read_small(struct archive *a, long long size, size_t *len);

#endif
