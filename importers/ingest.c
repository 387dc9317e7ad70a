/* ingest.c — see ingest.h. */
#include "ingest.h"
#include "case.h"
#include "evidence.h"
#include "extract.h"
#include "identifier.h"
#include "i18n.h"
#include "settings.h"
#include "validate.h"
#include "walk.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <libgen.h>
#include <limits.h>
#include <magic.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef DALIL_VERSION
#define DALIL_VERSION "0.0"
#endif

#define BATCH_ITEMS 2000
#define SOURCE_BUF (1 << 20)   /* the --expect-sha256 pre-check */

void ingest_libraries(char *out, size_t outsz)
{
	snprintf(out, outsz, "%s, libmagic %d.%02d, libgcrypt %s, SQLite %s",
	         archive_version_string(), magic_version() / 100, magic_version() % 100,
	         gcry_check_version(NULL), sqlite3_libversion());
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A member waiting for its row: everything copied out of the walker's buffers. */
typedef struct pending {
	int used;
	dl_item_input in;
	long long key;              /* row made already (nested archive), or 0 */
	void *path_raw;
	char *path, *mtime, *problem;
	char md5[33], sha1[41], sha256[65];
	char mime[128], desc[512];
	extract_set *hits;          /* identifiers found in its text (owned), NULL: none */
} pending;

static void magic_pair(magic_t mg, const void *head, size_t len, char *mime, size_t mimesz,
                       char *desc, size_t descsz)
{
	magic_setflags(mg, MAGIC_MIME_TYPE);
	const char *t = magic_buffer(mg, head, len);
	snprintf(mime, mimesz, "%s", t ? t : "application/octet-stream");
	/* plain text matched no magic rule already: its description ("UTF-8 text",
	 * "ASCII text, with CRLF line terminators") comes from the encoding tests, so
	 * the rule tables, most of libmagic's time, are not run a second time */
	magic_setflags(mg, strcmp(mime, "text/plain") == 0 ? MAGIC_NO_CHECK_SOFT : MAGIC_NONE);
	t = magic_buffer(mg, head, len);
	snprintf(desc, descsz, "%s", t ? t : "");
}

static magic_t magic_new(void)
{
	magic_t mg = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (!mg)
		return NULL;
	/* regex tests dominate on text; bounding them keeps `file`'s answers
	 * (bench/ingest.sh measures the agreement) */
	size_t regex_max = 1024;
	magic_setparam(mg, MAGIC_PARAM_REGEX_MAX, &regex_max);
	if (magic_load(mg, NULL) != 0) {
		magic_close(mg);
		return NULL;
	}
	return mg;
}

/* On small files libmagic is most of the work. Members waiting for their type
 * queue in a ring, oldest first; a second thread with its own libmagic cookie
 * types the oldest, and this thread, between members, types the newest when
 * more than one waits. Rows are written oldest first as their types arrive. */
#define RING 16
enum { SLOT_QUEUED = 1, SLOT_TYPING, SLOT_TYPED };

typedef struct slot {
	int state;
	pending p;
	unsigned char *head;
	size_t len;
} slot;

typedef struct typer {
	magic_t magic;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	slot ring[RING];
	unsigned front, count;
	int quit;
} typer;

typedef struct ingest {
	dl_session *s;
	const ingest_opts *o;
	ingest_result *r;
	dl_err *err;
	dl_status failed;           /* a store error inside a callback */
	walk *w;
	extract_walk *ew;           /* identifiers in text-bearing members; NULL: not scanned */
	long long case_id;
	magic_t magic;
	typer *typer;               /* NULL: everything is typed on this thread */
	long long source_id;
	int resumed, folder;
	int single;                 /* a plain file: its one member is the source */
	int in_batch;
	long long batch_items;
	double batch_started, started, last_progress;
	uint64_t bytes_done, bytes_total;
	const char *current;
	int cancelled;
	long long encrypted;        /* members listed but not readable */
	/* a folder's file being kept: */
	int keep_fd;
	char keep_tmp[4096];
	walk_hash *manifest;        /* folder: digest of "sha256  path\n" lines */
	char single_md5[33], single_sha1[41], single_sha256[65];
} ingest;

static void progress(ingest *g, int force)
{
	if (!g->o->progress)
		return;
	double t = now_s();
	if (!force && t - g->last_progress < 0.1)
		return;
	g->last_progress = t;
	ingest_progress p = {g->bytes_done, g->bytes_total, (uint64_t)g->r->items, g->current, t - g->started};
	if (g->o->progress(&p, g->o->progress_ctx))
		g->cancelled = 1;
}

static int batch_open(ingest *g)
{
	if (g->in_batch)
		return 0;
	dl_status rc = evidence_batch_begin(g->s, g->err);
	if (rc != DL_OK) {
		g->failed = rc;
		return -1;
	}
	g->in_batch = 1;
	g->batch_items = 0;
	g->batch_started = now_s();
	return 0;
}

static int batch_commit(ingest *g)
{
	if (!g->in_batch)
		return 0;
	g->in_batch = 0;
	dl_status rc = evidence_batch_commit(g->s, g->err);
	if (rc != DL_OK) {
		g->failed = rc;
		return -1;
	}
	return 0;
}

/* The type of what needs no libmagic (folders, links, empty, encrypted, content
 * typed before). Returns 1 when libmagic must look at the head. */
static int identify_cheap(ingest *g, walk_member *m, char *mime, size_t mimesz, char *desc,
                          size_t descsz)
{
	mime[0] = desc[0] = '\0';
	if (m->is_dir) {
		snprintf(mime, mimesz, "inode/directory");
		return 0;
	}
	if (m->is_link) {
		snprintf(mime, mimesz, "inode/symlink");
		snprintf(desc, descsz, "symbolic link to %s", m->link_target ? m->link_target : "?");
		return 0;
	}
	if (m->is_special) {
		snprintf(mime, mimesz, "inode/x-special");
		return 0;
	}
	if (m->encrypted) {
		snprintf(desc, descsz, "encrypted");
		return 0;
	}
	if (!m->hashed && m->head_len == 0)
		return 0;
	if (m->hashed && m->bytes == 0) {
		snprintf(mime, mimesz, "application/x-empty");
		snprintf(desc, descsz, "empty");
		return 0;
	}
	if (m->hashed && evidence_type_known(g->s, m->sha256, mime, mimesz, desc, descsz))
		return 0;
	return m->head_len > 0;
}

static int cb_begin(void *ctx, walk_member *m)
{
	ingest *g = ctx;
	g->current = m->path;
	if (g->cancelled || g->failed)
		return WALK_STOP;
	if (g->ew)
		extract_walk_begin(g->ew, m->depth, m->path);
	if (g->folder && m->depth == 1 && !m->is_dir && !m->is_link && !m->is_special &&
	    !m->problem[0] && !g->o->in_place && g->keep_fd < 0) {
		g->keep_fd = evidence_object_tmp(g->s->store, g->keep_tmp, sizeof g->keep_tmp, g->err);
		if (g->keep_fd < 0) {
			g->failed = DL_EIO;
			return WALK_STOP;
		}
	}
	return WALK_READ;
}

static void cb_data(void *ctx, walk_member *m, const void *buf, size_t n)
{
	ingest *g = ctx;
	/* every member's bytes pass here once: scanned for identifiers as they go */
	if (g->ew)
		extract_walk_data(g->ew, m->depth, buf, n);
	if (!g->folder || m->depth != 1)
		return;
	g->bytes_done += n;
	walk_source_read(g->w, g->bytes_done);
	if (g->keep_fd >= 0) {
		const char *p = buf;
		while (n > 0) {
			ssize_t k = write(g->keep_fd, p, n);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				dl_err_set(g->err, DL_EIO, "store", _("cannot write %s: %s"), g->keep_tmp, strerror(errno));
				g->failed = DL_EIO;
				break;
			}
			p += k;
			n -= (size_t)k;
		}
	}
	progress(g, 0);
}

static void pending_fill(pending *p, walk_member *m, long long source_id);
static void pending_clear(pending *p);

/* A nested archive (or a folder's directory) gets its row before its members. */
static int cb_nest(void *ctx, walk_member *m)
{
	ingest *g = ctx;
	if (g->ew)
		extract_walk_skip(g->ew, m->depth);   /* an archive's bytes are not text */
	if (batch_open(g) != 0)
		return WALK_STOP;
	long long id = g->resumed ? evidence_item_find(g->s, g->source_id, m->parent_key, m->ordinal) : 0;
	if (!id) {
		pending row;              /* its bytes are not read yet: no type, no hashes */
		pending_fill(&row, m, g->source_id);
		int hits;
		dl_status rc = evidence_item_add(g->s, &row.in, &id, &hits, g->err);
		pending_clear(&row);
		if (rc != DL_OK) {
			g->failed = rc;
			return WALK_STOP;
		}
		g->r->items++;
		g->batch_items++;
	}
	m->key = id;
	return WALK_READ;
}

static char *dup_or_null(const char *v)
{
	return v && *v ? strdup(v) : NULL;
}

/* Copy what the row needs out of the walker's member. */
static void pending_fill(pending *p, walk_member *m, long long source_id)
{
	memset(p, 0, sizeof *p);
	p->used = 1;
	p->key = m->key;
	p->path_raw = malloc(m->path_raw_len ? m->path_raw_len : 1);
	if (p->path_raw && m->path_raw_len)
		memcpy(p->path_raw, m->path_raw, m->path_raw_len);
	p->path = strdup(m->path);
	p->mtime = dup_or_null(m->mtime);
	p->problem = dup_or_null(m->problem);
	memcpy(p->md5, m->md5, 33);
	memcpy(p->sha1, m->sha1, 41);
	memcpy(p->sha256, m->sha256, 65);
	dl_item_input *in = &p->in;
	in->source_id = source_id;
	in->parent_id = m->parent_key;
	in->ordinal = m->ordinal;
	in->path_raw = p->path_raw;
	in->path_raw_len = m->path_raw_len;
	in->path = p->path ? p->path : "";
	in->is_dir = m->is_dir;
	in->size = m->hashed ? m->bytes : m->size;
	in->mtime = p->mtime;
	in->md5 = m->hashed ? p->md5 : NULL;
	in->sha1 = m->hashed ? p->sha1 : NULL;
	in->sha256 = m->hashed ? p->sha256 : NULL;
	in->encrypted = m->encrypted;
	in->problem = p->problem;
}

static void pending_clear(pending *p)
{
	free(p->path_raw);
	free(p->path);
	free(p->mtime);
	free(p->problem);
	extract_set_free(&p->hits);
	memset(p, 0, sizeof *p);
}

/* The identifiers found in item id's text, in the open batch: with the item
 * row, so that a resumed ingest finds both or neither. An item recorded by an
 * earlier run may have them already. */
static dl_status hits_write(ingest *g, long long id, int existed, const extract_set *set)
{
	dl_status rc = DL_OK;
	for (size_t i = 0; i < extract_set_count(set) && rc == DL_OK; i++) {
		const extract_hit *h = extract_set_get(set, i);
		const char *kind = extract_kind_names[h->kind];
		if (existed && identifier_item_has(g->s->store, g->case_id, id, kind, h->value))
			continue;
		rc = identifier_insert_item(g->s->store, kind, h->value, g->case_id, id, h->offset, g->err);
	}
	return rc;
}

/* Write the row of a typed member (in the open batch). */
static int pending_write(ingest *g, pending *p)
{
	p->in.mime = p->mime[0] ? p->mime : NULL;
	p->in.description = p->desc[0] ? p->desc : NULL;
	long long id = p->key;
	if (!id && g->resumed)
		id = evidence_item_find(g->s, g->source_id, p->in.parent_id, p->in.ordinal);
	int hits = 0, existed = id != 0;
	dl_status rc;
	if (id) {
		rc = evidence_item_complete(g->s, id, &p->in, &hits, g->err);
	} else {
		rc = evidence_item_add(g->s, &p->in, &id, &hits, g->err);
		g->r->items++;
		g->batch_items++;
	}
	if (rc == DL_OK && p->hits) {
		rc = hits_write(g, id, existed, p->hits);
		g->r->identifiers += (long long)extract_set_count(p->hits);
		/* each is a row and an audit entry held until commit: they count
		 * towards the batch's size, which keeps memory flat; an eighth each,
		 * since a bigger batch writes each index page to the WAL fewer times
		 * (10,000 files with 728,819 values: 26 s counting them whole, 20.5 s
		 * an eighth each; peak 55 → 60 MiB) */
		g->batch_items += (long long)extract_set_count(p->hits) / 8;
	}
	if (p->in.encrypted)
		g->encrypted++;
	g->r->hits += hits;
	pending_clear(p);
	if (rc != DL_OK) {
		g->failed = rc;
		return -1;
	}
	return 0;
}

static void *typer_main(void *arg)
{
	typer *t = arg;
	pthread_mutex_lock(&t->mu);
	while (!t->quit) {
		slot *job = NULL;
		for (unsigned i = 0; i < t->count && !job; i++) {
			slot *sl = &t->ring[(t->front + i) % RING];
			if (sl->state == SLOT_QUEUED)
				job = sl;
		}
		if (!job) {
			pthread_cond_wait(&t->cv, &t->mu);
			continue;
		}
		job->state = SLOT_TYPING;
		pthread_mutex_unlock(&t->mu);
		magic_pair(t->magic, job->head, job->len, job->p.mime, sizeof job->p.mime, job->p.desc,
		           sizeof job->p.desc);
		pthread_mutex_lock(&t->mu);
		job->state = SLOT_TYPED;
		pthread_cond_broadcast(&t->cv);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static void typer_free(typer **tp)
{
	typer *t = *tp;
	if (!t)
		return;
	if (t->magic) {
		pthread_mutex_lock(&t->mu);
		t->quit = 1;
		pthread_cond_broadcast(&t->cv);
		pthread_mutex_unlock(&t->mu);
		pthread_join(t->th, NULL);
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->cv);
		magic_close(t->magic);
	}
	for (unsigned i = 0; i < RING; i++) {
		if (t->ring[i].state)
			pending_clear(&t->ring[i].p);
		free(t->ring[i].head);
	}
	free(t);
	*tp = NULL;
}

/* NULL when the thread or its cookie cannot be had: typing stays on one thread. */
static typer *typer_new(void)
{
	typer *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	for (unsigned i = 0; i < RING; i++)
		if (!(t->ring[i].head = malloc(WALK_HEAD)))
			goto fail;
	if (!(t->magic = magic_new()))
		goto fail;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->th, NULL, typer_main, t) == 0)
		return t;
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	magic_close(t->magic);
	t->magic = NULL;
fail:
	typer_free(&t);
	return NULL;
}

/* This thread types the newest waiting member (with the lock held on entry
 * and on return). Returns 0 when none waits. */
static int ring_type_one(ingest *g, unsigned min_waiting)
{
	typer *t = g->typer;
	slot *job = NULL;
	unsigned waiting = 0;
	for (unsigned i = t->count; i-- > 0;) {
		slot *sl = &t->ring[(t->front + i) % RING];
		if (sl->state == SLOT_QUEUED && waiting++ == 0)
			job = sl;
	}
	if (!job || waiting < min_waiting)
		return 0;
	job->state = SLOT_TYPING;
	pthread_mutex_unlock(&t->mu);
	magic_pair(g->magic, job->head, job->len, job->p.mime, sizeof job->p.mime, job->p.desc,
	           sizeof job->p.desc);
	pthread_mutex_lock(&t->mu);
	job->state = SLOT_TYPED;
	return 1;
}

/* Rows for the typed members at the front of the ring; with all, every member
 * in it (typing the waiting ones here too). Needs an open batch. */
static int ring_drain(ingest *g, int all)
{
	typer *t = g->typer;
	int rc = 0;
	pthread_mutex_lock(&t->mu);
	while (t->count > 0 && rc == 0) {
		slot *sl = &t->ring[t->front];
		if (sl->state != SLOT_TYPED) {
			if (!all)
				break;
			if (!ring_type_one(g, 1))
				pthread_cond_wait(&t->cv, &t->mu);
			continue;
		}
		pthread_mutex_unlock(&t->mu);
		rc = pending_write(g, &sl->p);  /* clears it */
		pthread_mutex_lock(&t->mu);
		sl->state = 0;
		t->front = (t->front + 1) % RING;
		t->count--;
	}
	pthread_mutex_unlock(&t->mu);
	return rc;
}

/* Queue a member for typing; this thread helps when the typer falls behind. */
static int ring_push(ingest *g, pending *cur, const void *head, size_t len)
{
	typer *t = g->typer;
	if (ring_drain(g, 0) != 0)
		return -1;
	pthread_mutex_lock(&t->mu);
	while (t->count == RING) {
		if (!ring_type_one(g, 1))
			pthread_cond_wait(&t->cv, &t->mu);
		if (t->ring[t->front].state == SLOT_TYPED) {
			pthread_mutex_unlock(&t->mu);
			if (ring_drain(g, 0) != 0)
				return -1;
			pthread_mutex_lock(&t->mu);
		}
	}
	slot *sl = &t->ring[(t->front + t->count) % RING];
	sl->p = *cur;
	/* the digests live in the struct: point at the copy's own */
	sl->p.in.md5 = cur->in.md5 ? sl->p.md5 : NULL;
	sl->p.in.sha1 = cur->in.sha1 ? sl->p.sha1 : NULL;
	sl->p.in.sha256 = cur->in.sha256 ? sl->p.sha256 : NULL;
	memcpy(sl->head, head, len);
	sl->len = len;
	sl->state = SLOT_QUEUED;
	t->count++;
	pthread_cond_broadcast(&t->cv);
	ring_type_one(g, 2);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

/* After a walk: every member still in the ring gets its row. */
static void walk_done(ingest *g)
{
	if (g->typer && g->typer->count && !g->failed && batch_open(g) == 0)
		ring_drain(g, 1);
}

static int cb_end(void *ctx, walk_member *m)
{
	ingest *g = ctx;
	if (g->failed)
		return WALK_STOP;
	if (batch_open(g) != 0)
		return WALK_STOP;
	if (g->keep_fd >= 0 && m->depth == 1) {
		dl_status rc = DL_OK;
		if (m->hashed)
			rc = evidence_object_commit(g->s, g->keep_fd, g->keep_tmp, m->sha256, m->bytes, "source",
			                            g->err);
		else {
			close(g->keep_fd);
			unlink(g->keep_tmp);
		}
		g->keep_fd = -1;
		if (rc != DL_OK) {
			g->failed = rc;
			return WALK_STOP;
		}
	}
	if (g->folder && !g->single && m->depth == 1 && m->hashed && g->manifest) {
		char line[8400];
		int n = snprintf(line, sizeof line, "%s  %s\n", m->sha256, m->path);
		walk_hash_write(g->manifest, line, (size_t)n);
	}
	if (g->single && m->depth == 1 && m->hashed) {
		memcpy(g->single_md5, m->md5, 33);
		memcpy(g->single_sha1, m->sha1, 41);
		memcpy(g->single_sha256, m->sha256, 65);
	}

	pending cur;
	pending_fill(&cur, m, g->source_id);
	if (g->ew) {
		int scanned;
		cur.hits = extract_walk_end(g->ew, m->depth, &scanned);
	}
	int need = identify_cheap(g, m, cur.mime, sizeof cur.mime, cur.desc, sizeof cur.desc);
	if (need && g->typer) {
		if (ring_push(g, &cur, m->head, m->head_len) != 0)
			return WALK_STOP;
	} else {
		if (need)
			magic_pair(g->magic, m->head, m->head_len, cur.mime, sizeof cur.mime, cur.desc,
			           sizeof cur.desc);
		if (pending_write(g, &cur) != 0) {
			pending_clear(&cur);
			return WALK_STOP;
		}
	}
	if (g->batch_items >= BATCH_ITEMS || now_s() - g->batch_started > 1.0)
		if (batch_commit(g) != 0)
			return WALK_STOP;
	progress(g, 0);
	return g->cancelled ? WALK_STOP : WALK_READ;
}

/* The source file as libarchive reads it: every chunk is handed to a worker
 * thread that hashes it and writes the kept copy, while this thread decodes
 * and hashes the members. */
typedef struct source_reader {
	ingest *g;
	int fd;
	walk_pipe *pipe;
	int failed;
	char err[200];
} source_reader;

static ssize_t source_pull(source_reader *sr, const void **out)
{
	unsigned char *buf = walk_pipe_buffer(sr->pipe);
	ssize_t n;
	do
		n = read(sr->fd, buf, WALK_PIPE_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		sr->failed = 1;
		snprintf(sr->err, sizeof sr->err, "%s", strerror(errno));
		return -1;
	}
	if (n == 0)
		return 0;
	walk_pipe_submit(sr->pipe, (size_t)n);
	sr->g->bytes_done += (uint64_t)n;
	walk_source_read(sr->g->w, sr->g->bytes_done);
	progress(sr->g, 0);
	*out = buf;
	return n;
}

static la_ssize_t source_read(struct archive *a, void *ctx, const void **buf)
{
	(void)a;
	return source_pull(ctx, buf);
}

static dl_status read_settings(dl_store *st, walk_limits *lim, char *codepage, size_t cpsz)
{
	lim->max_depth = (int)settings_get_int(st, "ingest_max_depth");
	lim->max_entries = (uint64_t)settings_get_int(st, "ingest_max_entries");
	lim->max_bytes = (uint64_t)settings_get_int(st, "ingest_max_mib") << 20;
	lim->max_ratio = (double)settings_get_int(st, "ingest_max_ratio");
	return settings_get(st, "codepage", codepage, cpsz, NULL);
}

/* Hash a file with SHA-256 only: the check of --expect-sha256 comes before
 * anything is recorded. */
static int sha256_file(const char *path, char out[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	gcry_md_hd_t h;
	if (gcry_md_open(&h, GCRY_MD_SHA256, 0) != 0) {
		close(fd);
		return -1;
	}
	unsigned char *buf = malloc(SOURCE_BUF);
	ssize_t n = -1;
	while (buf && (n = read(fd, buf, SOURCE_BUF)) > 0)
		gcry_md_write(h, buf, (size_t)n);
	free(buf);
	close(fd);
	if (n < 0) {
		gcry_md_close(h);
		return -1;
	}
	const unsigned char *d = gcry_md_read(h, GCRY_MD_SHA256);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	gcry_md_close(h);
	return 0;
}

dl_status ingest_run(dl_session *s, const char *case_number, const char *path,
                     const ingest_opts *o, ingest_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	double t0 = now_s();
	char abs[PATH_MAX];
	struct stat sb;
	if (!realpath(path, abs) || stat(abs, &sb) != 0)
		return dl_err_set(err, DL_EINVAL, "path", _("cannot read %s: %s"), path, strerror(errno));
	int folder = S_ISDIR(sb.st_mode);
	if (!folder && !S_ISREG(sb.st_mode))
		return dl_err_set(err, DL_EINVAL, "path", _("%s is neither a file nor a folder"), path);
	if (access(abs, R_OK) != 0)
		return dl_err_set(err, DL_EINVAL, "path", _("cannot read %s: %s"), path, strerror(errno));
	char expect[65] = "";
	dl_status rc;
	if (o->expect_sha256) {
		if ((rc = val_hex("expect-sha256", o->expect_sha256, 64, expect, err)) != DL_OK)
			return rc;
		if (folder)
			return dl_err_set(err, DL_EINVAL, "expect-sha256", _("an expected hash applies to a file, not a folder"));
	}
	long long case_id;
	if ((rc = case_resolve(s, case_number, 1, &case_id, err)) != DL_OK)
		return rc;
	char cc[4];
	settings_phone_cc(s->store, cc);

	/* What kind of source: a folder, an archive, or a plain file. */
	const char *kind = "folder";
	if (!folder) {
		unsigned char head[WALK_HEAD];
		ssize_t n = 0;
		int fd = open(abs, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = pread(fd, head, sizeof head, 0);
			close(fd);
		}
		/* an empty tar is nothing but zero blocks */
		int empty_tar = n >= 1024 && sb.st_size == n && n % 512 == 0;
		for (ssize_t i = 0; empty_tar && i < n; i++)
			empty_tar = head[i] == 0;
		char namebuf[PATH_MAX];
		snprintf(namebuf, sizeof namebuf, "%s", abs);
		kind = n > 0 && (empty_tar || walk_is_archive(head, (size_t)n, basename(namebuf))) ? "archive" : "file";
	}
	char libs[256];
	ingest_libraries(libs, sizeof libs);
	dl_source_input in = {
		.kind = kind, .original_path = abs, .in_place = o->in_place || folder ? o->in_place : 0,
		.size = folder ? 0 : (long long)sb.st_size, .device_id = o->device_id,
		.expected_sha256 = expect[0] ? expect : NULL, .tool_version = "dalil " DALIL_VERSION,
		.libraries = libs,
	};

	if (expect[0]) {
		char got[65];
		if (sha256_file(abs, got) != 0)
			return dl_err_set(err, DL_EINVAL, "path", _("cannot read %s: %s"), path, strerror(errno));
		if (strcmp(got, expect) != 0) {
			long long sid;
			int resumed;
			if ((rc = evidence_source_begin(s, case_number, &in, &sid, &case_id, &resumed, err)) != DL_OK)
				return rc;
			char reason[200];
			snprintf(reason, sizeof reason, "SHA-256 mismatch: expected %s, got %s", expect, got);
			dl_source_result res = {.sha256 = got, .size = (long long)sb.st_size, .status = "failed",
			                        .reason = reason};
			if ((rc = evidence_source_finish(s, sid, &res, err)) != DL_OK)
				return rc;
			r->source_id = sid;
			snprintf(r->status, sizeof r->status, "failed");
			snprintf(r->reason, sizeof r->reason, "%s", reason);
			memcpy(r->sha256, got, 65);
			return dl_err_set(err, DL_ETAMPER, "expect-sha256",
			                  _("SHA-256 MISMATCH: expected %s but %s has %s; nothing was ingested"),
			                  expect, path, got);
		}
	}

	/* Run again on a file it finished (the last ingest was killed after its
	 * final commit, or the officer is unsure it ran): the same bytes are not
	 * recorded twice. Only a file of the same path and size is read to tell. */
	long long done_id, done_items;   /* done_items: the model's; the result counts this run's */
	char done_sha[65];
	if ((rc = evidence_source_complete(s, case_number, &in, &done_id, done_sha, &done_items, err)) != DL_OK)
		return rc;
	if (done_id) {
		char got[65];
		if (expect[0])
			memcpy(got, expect, sizeof got);   /* it matched above */
		else if (sha256_file(abs, got) != 0)
			return dl_err_set(err, DL_EINVAL, "path", _("cannot read %s: %s"), path, strerror(errno));
		if (!strcmp(got, done_sha)) {
			r->source_id = done_id;
			r->already = 1;
			snprintf(r->status, sizeof r->status, "complete");
			memcpy(r->sha256, got, sizeof r->sha256);
			r->size = (long long)sb.st_size;
			return DL_OK;
		}
	}

	ingest g;
	memset(&g, 0, sizeof g);
	g.s = s;
	g.o = o;
	g.r = r;
	g.err = err;
	g.folder = folder;
	g.keep_fd = -1;
	g.case_id = case_id;
	g.started = t0;
	g.bytes_total = folder ? 0 : (uint64_t)sb.st_size;
	if ((rc = evidence_source_begin(s, case_number, &in, &g.source_id, &case_id, &g.resumed, err)) != DL_OK)
		return rc;
	r->source_id = g.source_id;
	r->resumed = g.resumed;
	evidence_object_sweep(s->store);

	walk_limits lim;
	char codepage[32];
	read_settings(s->store, &lim, codepage, sizeof codepage);
	walk_ops ops = {cb_begin, cb_nest, cb_data, cb_end};
	g.w = walk_new(&ops, &g, &lim, codepage);
	char spool[4096] = "";
	if (g.w && evidence_tmp_dir(s->store, spool, sizeof spool) == 0)
		walk_set_spool(g.w, spool);
	else
		spool[0] = '\0';
	g.magic = magic_new();
	g.typer = typer_new();     /* without it, typing stays on this thread */
	/* SQLite members are spooled where 7z members are (none without a folder) */
	g.ew = extract_walk_new(cc, codepage, spool);
	if (!g.w || !g.magic || !g.ew) {
		walk_free(&g.w);
		extract_walk_free(&g.ew);
		if (g.magic)
			magic_close(g.magic);
		return dl_err_set(err, DL_EIO, "", _("cannot start reading: code page %s or the libmagic database is missing"),
		                  codepage);
	}

	char src_md5[33] = "", src_sha1[41] = "", src_sha256[65] = "";
	long long src_size = folder ? 0 : (long long)sb.st_size;
	char reason[300] = "";
	if (folder) {
		g.manifest = walk_hash_new();
		walk_folder(g.w, abs);
		walk_done(&g);
		char m5[33], s1[41];
		walk_hash_final(g.manifest, m5, s1, src_sha256);
		memcpy(src_md5, m5, 33);
		memcpy(src_sha1, s1, 41);
		walk_hash_free(&g.manifest);
		src_size = (long long)g.bytes_done;
	} else {
		int fd = open(abs, O_RDONLY | O_CLOEXEC);
		char tmp[4096] = "";
		if (fd < 0) {
			snprintf(reason, sizeof reason, "cannot read the source: %s", strerror(errno));
		} else if (!strcmp(kind, "file")) {
			/* one member, the file itself: its hashes are the source's, and its
			 * bytes are kept through the folder path's writer */
			g.folder = 1;
			g.single = 1;
			walk_file(g.w, fd, basename(abs));
			walk_done(&g);
			g.folder = 0;
			memcpy(src_md5, g.single_md5, 33);
			memcpy(src_sha1, g.single_sha1, 41);
			memcpy(src_sha256, g.single_sha256, 65);
		} else {
			int keep_fd = -1;
			if (!o->in_place && (keep_fd = evidence_object_tmp(s->store, tmp, sizeof tmp, err)) < 0)
				g.failed = DL_EIO;
			walk_hash *h = walk_hash_new();
			source_reader sr = {&g, fd, h ? walk_pipe_new(h, keep_fd) : NULL, 0, ""};
			if (!sr.pipe && !g.failed) {
				dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
				g.failed = DL_ENOMEM;
			}
			/* 7z needs seeking: the source is hashed and kept in a first sequential
			 * pass, then read with seeks (from the page cache, mostly) */
			unsigned char h7[8];
			int seek = pread(fd, h7, sizeof h7, 0) == (ssize_t)sizeof h7 && walk_needs_seek(h7, sizeof h7);
			if (seek && sr.pipe && !g.failed) {
				const void *p;
				while (!sr.failed && source_pull(&sr, &p) > 0)
					;
				lseek(fd, 0, SEEK_SET);
			}
			struct archive *a = g.failed || sr.failed ? NULL : walk_archive_reader();
			int opened = a && (seek ? archive_read_open_fd(a, fd, 65536)
			                        : archive_read_open(a, &sr, NULL, source_read, NULL)) == ARCHIVE_OK;
			if (opened) {
				walk_archive(g.w, a);
				walk_done(&g);
			} else if (a) {
				snprintf(reason, sizeof reason, "not readable as an archive: %s",
				         archive_error_string(a) ? archive_error_string(a) : "unknown format");
			}
			if (a)
				archive_read_free(a);
			/* the rest of the source (after the archive's end, or after a fault) */
			const void *p;
			while (!seek && sr.pipe && !g.failed && !sr.failed && source_pull(&sr, &p) > 0)
				;
			/* The kept copy could not be written (a full disk, most often): the
			 * store's side failed, not the source, so the source is left
			 * "interrupted" for the same command to resume once there is room. */
			if (walk_pipe_finish(&sr.pipe) != 0 && !sr.failed && !g.failed) {
				int e = errno;
				g.failed = dl_err_set(err, DL_EIO, "path",
				                      _("cannot keep a copy of the source in the store: %s"),
				                      strerror(e));
			}
			if (h) {
				walk_hash_final(h, src_md5, src_sha1, src_sha256);
				walk_hash_free(&h);
			}
			if (sr.failed)
				snprintf(reason, sizeof reason, "%s", sr.err);
			if (!g.failed && !sr.failed && keep_fd >= 0) {
				if (batch_commit(&g) == 0 &&
				    evidence_object_commit(s, keep_fd, tmp, src_sha256, src_size, "source", err) != DL_OK)
					g.failed = DL_EIO;
				keep_fd = -1;
			}
			if (keep_fd >= 0) {
				close(keep_fd);
				unlink(tmp);
			}
		}
		if (fd >= 0)
			close(fd);
	}
	if (g.keep_fd >= 0) {
		close(g.keep_fd);
		unlink(g.keep_tmp);
	}
	walk_done(&g);
	typer_free(&g.typer);
	extract_walk_free(&g.ew);
	magic_close(g.magic);
	if (!g.failed)
		batch_commit(&g);
	else if (g.in_batch)
		evidence_batch_rollback(s);

	const char *status = "complete";
	if (g.failed) {
		status = "interrupted";
		snprintf(reason, sizeof reason, "%.250s", err->msg);
	} else if (g.cancelled) {
		status = "interrupted";
		snprintf(reason, sizeof reason, "cancelled");
	} else if (reason[0] || walk_problem(g.w)[0]) {
		status = "incomplete";
		if (!reason[0])
			snprintf(reason, sizeof reason, "%s", walk_problem(g.w));
	}
	if (!strcmp(status, "complete") && g.encrypted)
		snprintf(reason, sizeof reason, "%lld encrypted member(s) listed, not read", g.encrypted);
	r->bytes_expanded = walk_expanded(g.w);
	walk_free(&g.w);
	/* a failure above keeps its message; the source still gets its end */
	dl_err ferr;
	dl_source_result res = {
		.md5 = src_md5[0] ? src_md5 : NULL, .sha1 = src_sha1[0] ? src_sha1 : NULL,
		.sha256 = src_sha256[0] ? src_sha256 : NULL, .size = src_size, .status = status,
		.reason = reason[0] ? reason : NULL, .item_count = 0, .bytes_total = (long long)r->bytes_expanded,
	};
	if (evidence_source_finish(s, g.source_id, &res, &ferr) != DL_OK && !g.failed) {
		*err = ferr;
		g.failed = ferr.code;
	}
	snprintf(r->status, sizeof r->status, "%s", status);
	snprintf(r->reason, sizeof r->reason, "%s", reason);
	memcpy(r->md5, src_md5, 33);
	memcpy(r->sha1, src_sha1, 41);
	memcpy(r->sha256, src_sha256, 65);
	r->size = src_size;
	r->seconds = now_s() - t0;
	if (g.failed)
		return g.failed;
	if (strcmp(status, "complete") != 0)
		return dl_err_set(err, DL_EIO, "path", _("source %lld is %s: %s"), g.source_id, status, reason);
	return DL_OK;
}
