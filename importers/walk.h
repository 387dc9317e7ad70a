/* walk.h — streaming through evidence: archives (any format and filter
 * libarchive reads, nested to a limit), single files and folders. Every member's
 * bytes pass once through MD5+SHA-1+SHA-256; the walker knows nothing of the
 * store: ingest, export and deep verification give it their callbacks
 * (the shape of ncdu's scanner feeding its consumer). Names from archives are
 * only ever data here, never paths on disk. */
#ifndef DALIL_WALK_H
#define DALIL_WALK_H

#include <stddef.h>
#include <stdint.h>

struct archive;

/* The three digests of one stream, in one libgcrypt handle. */
typedef struct walk_hash walk_hash;
walk_hash *walk_hash_new(void);
void walk_hash_write(walk_hash *h, const void *buf, size_t n);
/* Lower-case hex into the three buffers; the handle is reset for reuse. */
void walk_hash_final(walk_hash *h, char md5[33], char sha1[41], char sha256[65]);
void walk_hash_free(walk_hash **h);

/* A worker thread that hashes (and optionally writes to out_fd) a stream of
 * buffers while the caller goes on: the source's own digest and kept copy run
 * on the second core while the first decodes and hashes members. Buffers come
 * from a ring; one handed over stays valid for the next WALK_PIPE_SLOTS-1
 * buffers, longer than libarchive holds a block. */
#define WALK_PIPE_SLOTS 8
#define WALK_PIPE_BUF (1 << 20)
typedef struct walk_pipe walk_pipe;
walk_pipe *walk_pipe_new(walk_hash *h, int out_fd);
/* The next buffer to fill (WALK_PIPE_BUF bytes); waits while the worker still has it. */
unsigned char *walk_pipe_buffer(walk_pipe *p);
/* Hand the buffer just filled (n bytes) to the worker. */
void walk_pipe_submit(walk_pipe *p, size_t n);
/* Wait for the worker, stop it, free. Returns 0, or -1 when writing out_fd failed
 * (errno kept). */
int walk_pipe_finish(walk_pipe **p);

#define WALK_HEAD 65536   /* bytes kept from the start of each member for typing */

typedef struct walk_member {
	int depth;                  /* 1 for the members of the source itself */
	long long parent_key;       /* the key the callbacks gave the containing member, 0 at top */
	long long ordinal;          /* position among its parent's members, from 0 */
	const char *path_raw;       /* name bytes as recorded */
	size_t path_raw_len;
	const char *path;           /* decoded to UTF-8 for display */
	int is_dir, is_link, is_special, encrypted;
	const char *link_target;
	long long size;             /* declared size, -1 unknown */
	char mtime[21];             /* "" unknown */
	/* after the data: */
	long long bytes;            /* bytes actually read */
	int hashed;                 /* 1 when the whole member was read and hashed */
	char md5[33], sha1[41], sha256[65];
	const unsigned char *head;  /* first bytes (≤ WALK_HEAD) */
	size_t head_len;
	int nested;                 /* opened as an archive; its members followed */
	char problem[256];          /* why it could not be read whole, "" if it was */
	long long key;              /* set by the callbacks: this member's key for its children */
} walk_member;

enum { WALK_READ = 0, WALK_SKIP = 1, WALK_STOP = 2 };

typedef struct walk_ops {
	/* Header known, data not yet read: WALK_READ, WALK_SKIP (no data) or WALK_STOP. */
	int (*begin)(void *ctx, walk_member *m);
	/* The member is an archive (or a folder's directory) about to be opened: set
	 * m->key for its members and return WALK_READ; WALK_SKIP reads it as plain
	 * bytes; WALK_STOP stops the walk. */
	int (*nest)(void *ctx, walk_member *m);
	/* Each block of the member's data as it is hashed (may be NULL). */
	void (*data)(void *ctx, walk_member *m, const void *buf, size_t n);
	/* Data read and hashed (or skipped): WALK_READ to go on, WALK_STOP to stop. */
	int (*end)(void *ctx, walk_member *m);
} walk_ops;

typedef struct walk_limits {
	int max_depth;              /* nested levels opened (top members are level 1) */
	uint64_t max_entries;
	uint64_t max_bytes;         /* expanded bytes in all */
	double max_ratio;           /* expanded bytes per source byte read */
} walk_limits;

typedef struct walk walk;

/* A walker with callbacks, limits and the legacy code page for names that are
 * not UTF-8 (an iconv name: "CP1256"). NULL when the code page is unknown. */
walk *walk_new(const walk_ops *ops, void *ctx, const walk_limits *lim, const char *codepage);
void walk_free(walk **w);

/* A private folder where members that can only be read with seeking (7z) are
 * spooled, unlinked at once, while they are walked. Without one they are
 * hashed but not opened. */
void walk_set_spool(walk *w, const char *dir);

/* 1 when head starts like an archive that must be read with seeking (7z). */
int walk_needs_seek(const unsigned char *head, size_t len);

/* Tell the walker how many source bytes have been read (for the ratio limit). */
void walk_source_read(walk *w, uint64_t bytes);

/* Open the members of an archive libarchive reads (the caller opened it) and
 * walk them. Returns 0, or -1 when walking stopped (limit, callback, fault). */
int walk_archive(walk *w, struct archive *a);

/* A new libarchive reader with every format and filter (and "raw" for a lone
 * compressed file). */
struct archive *walk_archive_reader(void);

/* Walk one plain file (already open) as the single member of a source:
 * name is its display name, size and mtime from fstat. */
int walk_file(walk *w, int fd, const char *name);

/* Walk what is in fd as the kind of source it was: an archive (archive = 1,
 * 7z read with seeks) or one file named name. With h, the source's own bytes
 * are hashed into it as they are read (all of them, after the archive's end
 * too). Returns 0, or -1 when reading failed or the walk stopped. */
int walk_source_fd(walk *w, int fd, int archive, const char *name, walk_hash *h);

/* Walk a folder recursively (entries sorted by name, symbolic links recorded
 * and not followed). Regular files' bytes are read from disk; archives among
 * them are opened. */
int walk_folder(walk *w, const char *dir);

/* 1 when head (the first bytes of something) starts like an archive or a
 * compressed file dalil opens. name (may be NULL) rules out zip-based
 * documents (.docx, .xlsx, .apk, …) which are not expanded. */
int walk_is_archive(const unsigned char *head, size_t len, const char *name);

/* Why walking stopped or what it could not read ("" when all went well), and
 * whether a limit (bomb) was the cause. */
const char *walk_problem(const walk *w);
int walk_limited(const walk *w);
uint64_t walk_entries(const walk *w);
uint64_t walk_expanded(const walk *w);

/* Decode name bytes for display: UTF-8 as is, else through the code page;
 * bytes that decode to nothing become U+FFFD. Returns a malloc'ed string. */
char *walk_decode_name(walk *w, const char *raw, size_t len);

#endif
