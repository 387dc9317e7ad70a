/* tarout.h — writing dalil's own tars (case bundles, store backups): a plain
 * pax archive of regular 0600 members, written to a file descriptor while the
 * whole file's SHA-256 is taken, and members streamed from files whose own
 * SHA-256 is taken on the way (so that bytes changed on disk are caught). */
#ifndef DALIL_TAROUT_H
#define DALIL_TAROUT_H

#include <stddef.h>
#include <time.h>

struct archive;

typedef struct tarout {
	struct archive *a;
	int fd;                     /* not owned: the caller opens, syncs and closes it */
	void *md;                   /* the file's SHA-256 (a gcry_md_hd_t) */
	long long bytes;            /* written to fd */
	int failed_errno;           /* a write to fd failed */
	time_t mtime;               /* of every member */
} tarout;

/* Start an archive on fd. 0, or -1 (tarout_error says why). */
int tarout_open(tarout *t, int fd, time_t mtime);

/* A member of n bytes from memory. 0 or -1. */
int tarout_member(tarout *t, const char *name, const void *data, size_t n);

/* A member of exactly size bytes read from fd through buf (bufsz bytes); its
 * SHA-256 into hex. 0; TAROUT_EREAD when fd could not give size bytes (errno
 * set, 0 when the file was shorter); TAROUT_EWRITE when the archive refused. */
enum { TAROUT_EREAD = -1, TAROUT_EWRITE = -2 };
int tarout_file(tarout *t, const char *name, int fd, long long size, unsigned char *buf, size_t bufsz,
                char hex[65]);

/* End the archive; the file's SHA-256 into sha256 (the caller then syncs and
 * closes fd). 0 or -1. */
int tarout_close(tarout *t, char sha256[65]);

/* Why the last call failed. */
const char *tarout_error(tarout *t);

/* Free what is left (after a failure, or after tarout_close). */
void tarout_free(tarout *t);

#endif
