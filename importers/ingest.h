/* ingest.h — bring an evidence source into a case: read it once, keep it (or
 * reference it in place), record every member with its three hashes and type,
 * flag hash-set hits, and leave a custody event. */
#ifndef DALIL_INGEST_H
#define DALIL_INGEST_H

#include <stdint.h>

#include "session.h"
#include "status.h"

typedef struct ingest_progress {
	uint64_t bytes_done, bytes_total;   /* of the source on disk */
	uint64_t items;
	const char *current;                /* the member being read */
	double seconds;                     /* since the start */
} ingest_progress;

/* Return nonzero to cancel: the source is then left "interrupted" and the same
 * ingest can be run again to complete it. */
typedef int (*ingest_progress_fn)(const ingest_progress *p, void *ctx);

typedef struct ingest_opts {
	long long device_id;            /* 0: none */
	const char *expect_sha256;      /* NULL: none */
	int in_place;                   /* reference the source where it lies */
	ingest_progress_fn progress;    /* may be NULL; called about ten times a second */
	void *progress_ctx;
} ingest_opts;

typedef struct ingest_result {
	long long source_id;
	int resumed;                    /* an interrupted ingest of the same source was completed */
	int already;                    /* the same file was ingested completely before: nothing added */
	char status[16];                /* complete, incomplete, interrupted, failed */
	char reason[300];
	char md5[33], sha1[41], sha256[65];
	long long size;
	long long items, hits;
	long long identifiers;          /* found in text-bearing items (each once per item) */
	uint64_t bytes_expanded;
	double seconds;
} ingest_result;

/* Ingest path (an archive or compressed file, a plain file, or a folder) into
 * the case. Limits, code page and depth come from the settings (ingest_max_*,
 * codepage). Returns DL_OK when the source is complete; DL_EIO (exit 1) with
 * the reason when it is incomplete (damaged, limit reached) or interrupted,
 * the members read so far being kept; DL_ETAMPER when --expect-sha256 does not
 * match (then nothing but the failed source is recorded). */
dl_status ingest_run(dl_session *s, const char *case_number, const char *path,
                     const ingest_opts *o, ingest_result *r, dl_err *err);

/* "libarchive 3.6.2, libmagic 5.44, libgcrypt 1.10.1, SQLite 3.40.1" */
void ingest_libraries(char *out, size_t outsz);

#endif
