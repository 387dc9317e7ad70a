/* walk.c — see walk.h. */
#include "walk.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_LEVELS 33
#define FILE_BUF (1 << 20)

struct walk_hash {
	gcry_md_hd_t h;
};

walk_hash *walk_hash_new(void)
{
	walk_hash *w = calloc(1, sizeof *w);
	if (!w || gcry_md_open(&w->h, GCRY_MD_MD5, 0) != 0) {
		free(w);
		return NULL;
	}
	gcry_md_enable(w->h, GCRY_MD_SHA1);
	gcry_md_enable(w->h, GCRY_MD_SHA256);
	return w;
}

void walk_hash_write(walk_hash *h, const void *buf, size_t n)
{
	gcry_md_write(h->h, buf, n);
}

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void walk_hash_final(walk_hash *h, char md5[33], char sha1[41], char sha256[65])
{
	hex(gcry_md_read(h->h, GCRY_MD_MD5), 16, md5);
	hex(gcry_md_read(h->h, GCRY_MD_SHA1), 20, sha1);
	hex(gcry_md_read(h->h, GCRY_MD_SHA256), 32, sha256);
	gcry_md_reset(h->h);
}

void walk_hash_free(walk_hash **h)
{
	if (!*h)
		return;
	gcry_md_close((*h)->h);
	free(*h);
	*h = NULL;
}

#define WRITEBACK_STEP (8 << 20)

struct walk_pipe {
	walk_hash *h;
	int out_fd;
	unsigned char *buf[WALK_PIPE_SLOTS];
	size_t len[WALK_PIPE_SLOTS];
	unsigned long long submitted, done;   /* buffers handed over / processed */
	int quit, write_failed, write_errno;
	off_t written, flushed;               /* bytes written; handed to writeback */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *pipe_worker(void *arg)
{
	walk_pipe *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->done == p->submitted && !p->quit)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->done == p->submitted && p->quit)
			break;
		unsigned slot = (unsigned)(p->done % WALK_PIPE_SLOTS);
		pthread_mutex_unlock(&p->mu);
		walk_hash_write(p->h, p->buf[slot], p->len[slot]);
		if (p->out_fd >= 0 && !p->write_failed) {
			const unsigned char *q = p->buf[slot];
			size_t left = p->len[slot];
			while (left > 0) {
				ssize_t k = write(p->out_fd, q, left);
				if (k < 0 && errno == EINTR)
					continue;
				if (k <= 0) {
					p->write_failed = 1;
					p->write_errno = k < 0 ? errno : ENOSPC;
					break;
				}
				q += k;
				left -= (size_t)k;
				p->written += k;
			}
			/* start writing back now: the disk works while the hashing goes
			 * on, instead of all at the final fsync */
			if (p->written - p->flushed >= WRITEBACK_STEP) {
				sync_file_range(p->out_fd, p->flushed, p->written - p->flushed, SYNC_FILE_RANGE_WRITE);
				p->flushed = p->written;
			}
		}
		pthread_mutex_lock(&p->mu);
		p->done++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

walk_pipe *walk_pipe_new(walk_hash *h, int out_fd)
{
	walk_pipe *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->h = h;
	p->out_fd = out_fd;
	for (int i = 0; i < WALK_PIPE_SLOTS; i++)
		if (!(p->buf[i] = malloc(WALK_PIPE_BUF)))
			goto fail;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->th, NULL, pipe_worker, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		goto fail;
	}
	return p;
fail:
	for (int i = 0; i < WALK_PIPE_SLOTS; i++)
		free(p->buf[i]);
	free(p);
	return NULL;
}

unsigned char *walk_pipe_buffer(walk_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	/* the slot to fill must have been processed: at most SLOTS-1 outstanding */
	while (p->submitted - p->done >= WALK_PIPE_SLOTS - 1)
		pthread_cond_wait(&p->cv, &p->mu);
	unsigned slot = (unsigned)(p->submitted % WALK_PIPE_SLOTS);
	pthread_mutex_unlock(&p->mu);
	return p->buf[slot];
}

void walk_pipe_submit(walk_pipe *p, size_t n)
{
	pthread_mutex_lock(&p->mu);
	p->len[p->submitted % WALK_PIPE_SLOTS] = n;
	p->submitted++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int walk_pipe_finish(walk_pipe **pp)
{
	walk_pipe *p = *pp;
	if (!p)
		return 0;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	int failed = p->write_failed;
	int e = p->write_errno;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	for (int i = 0; i < WALK_PIPE_SLOTS; i++)
		free(p->buf[i]);
	free(p);
	*pp = NULL;
	if (failed)
		errno = e;
	return failed ? -1 : 0;
}

struct walk {
	walk_ops ops;
	void *ctx;
	walk_limits lim;
	iconv_t cd;
	uint64_t source_read, expanded, entries;
	int stopped, limited;
	char problem[256];
	walk_hash *hash[MAX_LEVELS + 1];
	unsigned char *head[MAX_LEVELS + 1];
	unsigned char *buf[MAX_LEVELS + 1];
	char spool[4096];
};

void walk_set_spool(walk *w, const char *dir)
{
	snprintf(w->spool, sizeof w->spool, "%s", dir ? dir : "");
}

int walk_needs_seek(const unsigned char *h, size_t n)
{
	return n >= 6 && memcmp(h, "7z\xbc\xaf\x27\x1c", 6) == 0;
}

walk *walk_new(const walk_ops *ops, void *ctx, const walk_limits *lim, const char *codepage)
{
	walk *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->ops = *ops;
	w->ctx = ctx;
	w->lim = *lim;
	if (w->lim.max_depth > MAX_LEVELS - 1)
		w->lim.max_depth = MAX_LEVELS - 1;
	w->cd = (iconv_t)-1;
	if (codepage && strcasecmp(codepage, "UTF-8") != 0) {
		w->cd = iconv_open("UTF-8", codepage);
		if (w->cd == (iconv_t)-1) {
			free(w);
			return NULL;
		}
	}
	return w;
}

void walk_free(walk **wp)
{
	walk *w = *wp;
	if (!w)
		return;
	for (int i = 0; i <= MAX_LEVELS; i++) {
		walk_hash_free(&w->hash[i]);
		free(w->head[i]);
		free(w->buf[i]);
	}
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	free(w);
	*wp = NULL;
}

void walk_source_read(walk *w, uint64_t bytes) { w->source_read = bytes; }
const char *walk_problem(const walk *w) { return w->problem; }
int walk_limited(const walk *w) { return w->limited; }
uint64_t walk_entries(const walk *w) { return w->entries; }
uint64_t walk_expanded(const walk *w) { return w->expanded; }

static void note_problem(walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_problem(walk *w, const char *fmt, ...)
{
	if (w->problem[0])
		return;   /* the first problem is the reason */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->problem, sizeof w->problem, fmt, ap);
	va_end(ap);
}

/* Stop everything: a limit that guards against archive bombs was reached. */
static void hit_limit(walk *w, const char *what, const char *setting, unsigned long long v)
{
	w->stopped = 1;
	w->limited = 1;
	snprintf(w->problem, sizeof w->problem, "stopped: %s %llu (%s)", what, v, setting);
}

static int level_buffers(walk *w, int depth)
{
	if (!w->hash[depth])
		w->hash[depth] = walk_hash_new();
	if (!w->head[depth])
		w->head[depth] = malloc(WALK_HEAD);
	if (!w->buf[depth])
		w->buf[depth] = malloc(FILE_BUF);
	return w->hash[depth] && w->head[depth] && w->buf[depth] ? 0 : -1;
}

char *walk_decode_name(walk *w, const char *raw, size_t len)
{
	/* valid UTF-8 stays as it is */
	size_t i = 0;
	int valid = 1;
	const unsigned char *p = (const unsigned char *)raw;
	while (i < len) {
		unsigned c = p[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!n || i + n > len || (n == 2 && c < 0xC2)) { valid = 0; break; }
		for (size_t k = 1; k < n; k++)
			if ((p[i + k] & 0xC0) != 0x80) { valid = 0; break; }
		if (!valid)
			break;
		i += n;
	}
	if (valid && memchr(raw, 0, len) == NULL) {
		char *s = malloc(len + 1);
		if (s) {
			memcpy(s, raw, len);
			s[len] = '\0';
		}
		return s;
	}
	size_t cap = len * 4 + 4;
	char *out = malloc(cap), *o = out;
	if (!out)
		return NULL;
	size_t left = cap - 1;
	const char *in = raw;
	size_t inleft = len;
	if (w && w->cd != (iconv_t)-1)
		iconv(w->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		if (w && w->cd != (iconv_t)-1) {
			char *ip = (char *)in;
			if (iconv(w->cd, &ip, &inleft, &o, &left) != (size_t)-1)
				break;
			in = ip;
			if (errno == E2BIG)
				break;
		}
		/* an undecodable byte: U+FFFD */
		if (left < 3)
			break;
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3;
		left -= 3;
		in++;
		inleft--;
	}
	*o = '\0';
	return out;
}

int walk_is_archive(const unsigned char *h, size_t n, const char *name)
{
	if (name) {
		static const char *const docs[] = {
			".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk", ".aab",
			".xpi", ".whl", ".kmz", ".3mf", NULL,
		};
		size_t ln = strlen(name);
		for (int i = 0; docs[i]; i++) {
			size_t ld = strlen(docs[i]);
			if (ln >= ld && strcasecmp(name + ln - ld, docs[i]) == 0)
				return 0;
		}
	}
#define AT(off, s) (n >= (off) + sizeof(s) - 1 && memcmp(h + (off), s, sizeof(s) - 1) == 0)
	return AT(0, "PK\x03\x04") || AT(0, "PK\x05\x06") ||         /* zip (and an empty one) */
	       (AT(0, "\x1f\x8b\x08") && n > 3 && (h[3] & 0xe0) == 0) ||   /* gzip, deflate, no reserved flags */
	       (AT(0, "BZh") && n > 9 && h[3] >= '1' && h[3] <= '9' && memcmp(h + 4, "1AY&SY", 6) == 0) ||
	       AT(0, "\xfd" "7zXZ\x00") ||
	       AT(0, "7z\xbc\xaf\x27\x1c") || AT(0, "Rar!\x1a\x07") ||
	       AT(257, "ustar") || AT(0, "070707") || AT(0, "070701") || AT(0, "070702") ||
	       AT(0, "\xc7\x71") ||                                       /* binary cpio */
	       AT(32769, "CD001") || AT(0, "MSCF") || AT(0, "!<arch>\n") || AT(0, "xar!") ||
	       AT(0, "\x28\xb5\x2f\xfd") || AT(0, "\x04\x22\x4d\x18") ||
	       AT(0, "LZIP");
#undef AT
}

struct archive *walk_archive_reader(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_read_support_format_raw(a);
	archive_read_support_format_empty(a);
	return a;
}

/* ---- member data as a stream of chunks ---- */

typedef struct chunks {
	/* next chunk: >0 bytes at *p, 0 end, -1 error (message in err) */
	ssize_t (*next)(struct chunks *c, const void **p);
	struct archive *a;        /* archive member */
	int64_t pos, declared;
	const void *blk;
	size_t blen;
	int64_t boff;
	int fd;                   /* file */
	uint64_t *source_read;    /* file: a folder's or a plain source's own bytes, counted
	                             here for the ratio limit (the caller may not count them) */
	unsigned char *buf;
	char err[200];
} chunks;

static const unsigned char zeros[65536];

static ssize_t archive_next(chunks *c, const void **p)
{
	for (;;) {
		if (c->blen) {
			if (c->boff > c->pos) {      /* a hole in a sparse member reads as zeros */
				int64_t gap = c->boff - c->pos;
				size_t n = gap > (int64_t)sizeof zeros ? sizeof zeros : (size_t)gap;
				*p = zeros;
				c->pos += (int64_t)n;
				return (ssize_t)n;
			}
			*p = c->blk;
			size_t n = c->blen;
			c->blen = 0;
			c->pos += (int64_t)n;
			return (ssize_t)n;
		}
		la_int64_t off;
		size_t size;
		int r = archive_read_data_block(c->a, &c->blk, &size, &off);
		if (r == ARCHIVE_EOF) {
			if (c->declared > c->pos) {  /* a hole at the end */
				int64_t gap = c->declared - c->pos;
				size_t n = gap > (int64_t)sizeof zeros ? sizeof zeros : (size_t)gap;
				*p = zeros;
				c->pos += (int64_t)n;
				return (ssize_t)n;
			}
			return 0;
		}
		if (r < ARCHIVE_WARN) {
			snprintf(c->err, sizeof c->err, "%s", archive_error_string(c->a) ?
			         archive_error_string(c->a) : "read error");
			return -1;
		}
		c->blen = size;
		c->boff = off;
		if (size == 0 && off <= c->pos)
			continue;
	}
}

static ssize_t file_next(chunks *c, const void **p)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf, FILE_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(c->err, sizeof c->err, "%s", strerror(errno));
			return -1;
		}
		if (c->source_read)
			*c->source_read += (uint64_t)n;
		*p = c->buf;
		return n;
	}
}

static int walk_level(walk *w, struct archive *a, long long parent_key, int depth);

/* A nested archive reads its bytes from the member being walked: first the
 * head already read, then the rest of the chunk the head came from, then
 * further chunks (hashed as they pass). */
typedef struct nested_src {
	walk *w;
	walk_member *m;
	chunks *c;
	int depth;
	size_t head_served;
	const void *rest;
	size_t rest_len;
	int failed;
} nested_src;

static int account(walk *w, walk_member *m, int depth, const void *p, size_t n)
{
	walk_hash_write(w->hash[depth], p, n);
	m->bytes += (long long)n;
	if (w->ops.data)
		w->ops.data(w->ctx, m, p, n);
	w->expanded += n;
	if (w->expanded > w->lim.max_bytes) {
		hit_limit(w, "more bytes expanded than", "ingest_max_mib", (unsigned long long)w->lim.max_bytes);
		return -1;
	}
	uint64_t base = w->source_read > 1 ? w->source_read : 1;
	if (w->expanded > (16u << 20) && (double)w->expanded / (double)base > w->lim.max_ratio) {
		hit_limit(w, "likely archive bomb, expansion ratio above", "ingest_max_ratio",
		          (unsigned long long)w->lim.max_ratio);
		return -1;
	}
	return 0;
}

static la_ssize_t nested_read(struct archive *a, void *ctx, const void **buf)
{
	(void)a;
	nested_src *s = ctx;
	walk_member *m = s->m;
	if (s->head_served < m->head_len) {
		*buf = m->head + s->head_served;
		size_t n = m->head_len - s->head_served;
		s->head_served = m->head_len;
		return (la_ssize_t)n;
	}
	if (s->rest_len) {
		*buf = s->rest;
		size_t n = s->rest_len;
		s->rest_len = 0;
		return (la_ssize_t)n;
	}
	if (s->w->stopped)
		return -1;
	ssize_t n = s->c->next(s->c, buf);
	if (n < 0) {
		s->failed = 1;
		archive_set_error(a, EIO, "%s", s->c->err);
		return -1;
	}
	if (n > 0 && account(s->w, m, s->depth, *buf, (size_t)n) != 0)
		return -1;
	return n;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *q = p;
	while (n > 0) {
		ssize_t k = write(fd, q, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		q += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A member that can only be read with seeking (7z) is written to an unlinked
 * spool file as it is hashed, then opened from there. Returns 1 when reading
 * the member failed. */
static int spool_and_walk(walk *w, walk_member *m, chunks *c, int depth, const void *rest,
                          size_t rest_len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/spool-XXXXXX", w->spool);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		snprintf(m->problem, sizeof m->problem, "archive not opened: cannot spool: %s", strerror(errno));
		note_problem(w, "%s: %s", m->path, m->problem);
		return 0;
	}
	unlink(path);      /* nothing is left behind, whatever happens */
	int bad = write_all(fd, m->head, m->head_len) || (rest_len && write_all(fd, rest, rest_len));
	int failed = 0;
	while (!bad && !w->stopped) {
		const void *p;
		ssize_t n = c->next(c, &p);
		if (n < 0) { failed = 1; break; }
		if (n == 0) break;
		if (account(w, m, depth, p, (size_t)n) != 0) { failed = 1; break; }
		bad = write_all(fd, p, (size_t)n);
	}
	if (bad) {
		snprintf(m->problem, sizeof m->problem, "archive not opened: cannot spool: %s", strerror(errno));
		note_problem(w, "%s: %s", m->path, m->problem);
		/* the member's hash still needs the rest of its bytes */
		while (!w->stopped) {
			const void *p;
			ssize_t n = c->next(c, &p);
			if (n < 0) { failed = 1; break; }
			if (n == 0 || account(w, m, depth, p, (size_t)n) != 0) break;
		}
	} else if (!failed && !w->stopped && lseek(fd, 0, SEEK_SET) == 0) {
		struct archive *child = walk_archive_reader();
		if (child && archive_read_open_fd(child, fd, 65536) == ARCHIVE_OK) {
			m->nested = 1;
			if (walk_level(w, child, m->key, depth + 1) != 0 && !w->stopped) {
				const char *e = archive_error_string(child);
				snprintf(m->problem, sizeof m->problem, "archive inside could not be read whole: %s",
				         e ? e : "error");
				note_problem(w, "%s: %s", m->path, m->problem);
			}
		}
		if (child)
			archive_read_free(child);
	}
	close(fd);
	return failed;
}

/* Read a member's data (chunks c): hash it, keep its head, open it when it is
 * an archive, and hand it to the callbacks. */
static void member_data(walk *w, walk_member *m, chunks *c, int depth)
{
	if (level_buffers(w, depth) != 0) {
		snprintf(m->problem, sizeof m->problem, "out of memory");
		w->stopped = 1;
		return;
	}
	unsigned char *head = w->head[depth];
	size_t hl = 0;
	const void *rest = NULL;
	size_t rest_len = 0;
	int failed = 0, want;
	while (hl < WALK_HEAD) {
		const void *p;
		ssize_t n = c->next(c, &p);
		if (n < 0) { failed = 1; break; }
		if (n == 0) break;
		if (account(w, m, depth, p, (size_t)n) != 0) { failed = 1; break; }
		size_t take = (size_t)n < WALK_HEAD - hl ? (size_t)n : WALK_HEAD - hl;
		memcpy(head + hl, p, take);
		hl += take;
		if (take < (size_t)n) {
			rest = (const unsigned char *)p + take;
			rest_len = (size_t)n - take;
		}
	}
	m->head = head;
	m->head_len = hl;
	if (!failed && hl > 0 && walk_is_archive(head, hl, m->path)) {
		if (depth >= w->lim.max_depth) {
			note_problem(w, "archives nested deeper than %d levels were not opened (ingest_max_depth)",
			             w->lim.max_depth);
			snprintf(m->problem, sizeof m->problem, "nested archive not opened: depth limit");
		} else if (walk_needs_seek(head, hl) && !w->spool[0]) {
			snprintf(m->problem, sizeof m->problem, "archive not opened: it needs seeking");
			note_problem(w, "%s: %s", m->path, m->problem);
		} else if (walk_needs_seek(head, hl) &&
		           (want = w->ops.nest ? w->ops.nest(w->ctx, m) : WALK_READ) == WALK_READ) {
			failed = spool_and_walk(w, m, c, depth, rest, rest_len);
			rest_len = 0;
		} else if (walk_needs_seek(head, hl)) {
			if (want == WALK_STOP)
				w->stopped = 1;
		} else if ((want = w->ops.nest ? w->ops.nest(w->ctx, m) : WALK_READ) == WALK_READ) {
			nested_src ns = {w, m, c, depth, 0, rest, rest_len, 0};
			struct archive *child = walk_archive_reader();
			if (child && archive_read_open(child, &ns, NULL, nested_read, NULL) == ARCHIVE_OK) {
				m->nested = 1;
				uint64_t before = w->entries;
				int r = walk_level(w, child, m->key, depth + 1);
				int raw = archive_format(child) == ARCHIVE_FORMAT_RAW;
				if (r != 0 && !w->stopped && !ns.failed && (w->entries == before || raw)) {
					/* not an archive after all: its first bytes only looked like one,
					 * and its bytes are read and hashed as they are */
					m->nested = 0;
				} else if (r != 0 && !w->stopped) {
					const char *e = archive_error_string(child);
					snprintf(m->problem, sizeof m->problem, "archive inside could not be read whole: %s",
					         e ? e : "error");
					note_problem(w, "%s: %s", m->path, m->problem);
				}
			}
			if (child)
				archive_read_free(child);
			failed = ns.failed;
			/* what the child took of the rest is gone; what it left was hashed already */
			rest_len = 0;
		} else if (want == WALK_STOP) {
			w->stopped = 1;
		}
	}
	(void)rest;
	while (!failed && !w->stopped) {
		const void *p;
		ssize_t n = c->next(c, &p);
		if (n < 0) { failed = 1; break; }
		if (n == 0) break;
		if (account(w, m, depth, p, (size_t)n) != 0) { failed = 1; break; }
	}
	walk_hash_final(w->hash[depth], m->md5, m->sha1, m->sha256);
	if (failed || w->stopped) {
		if (!m->problem[0])
			snprintf(m->problem, sizeof m->problem, "%s", c->err[0] ? c->err :
			         w->stopped ? "not read whole: ingest stopped" : "read error");
		m->md5[0] = m->sha1[0] = m->sha256[0] = '\0';
		if (!w->stopped)
			note_problem(w, "%s: %s", m->path, m->problem);
	} else {
		m->hashed = 1;
	}
}

static void entry_time(time_t t, char out[21])
{
	struct tm tm;
	if (gmtime_r(&t, &tm) && tm.tm_year >= -1900 && tm.tm_year < 8100)
		strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		out[0] = '\0';
}

static int walk_level(walk *w, struct archive *a, long long parent_key, int depth)
{
	int retries = 0;
	for (long long ordinal = 0;; ordinal++) {
		if (w->stopped)
			return -1;
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r == ARCHIVE_RETRY && retries++ < 3) {
			ordinal--;
			continue;
		}
		if (r < ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			if (depth == 1)
				note_problem(w, "archive damaged after %lld entries: %s", ordinal, msg ? msg : "read error");
			return -1;
		}
		retries = 0;
		if (++w->entries > w->lim.max_entries) {
			hit_limit(w, "more entries than", "ingest_max_entries", (unsigned long long)w->lim.max_entries);
			return -1;
		}
		walk_member m;
		memset(&m, 0, sizeof m);
		m.depth = depth;
		m.parent_key = parent_key;
		m.ordinal = ordinal;
		const char *raw = archive_entry_pathname(e);
		if (!raw)
			raw = "";
		m.path_raw = raw;
		m.path_raw_len = strlen(raw);
		char *decoded = walk_decode_name(w, raw, m.path_raw_len);
		m.path = decoded ? decoded : "";
		mode_t type = archive_entry_filetype(e);
		m.is_dir = type == AE_IFDIR;
		m.is_link = type == AE_IFLNK || archive_entry_hardlink(e) != NULL;
		m.is_special = !m.is_dir && !m.is_link && type != AE_IFREG && type != 0;
		m.link_target = archive_entry_symlink(e) ? archive_entry_symlink(e) : archive_entry_hardlink(e);
		m.encrypted = archive_entry_is_encrypted(e);
		m.size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		if (archive_entry_mtime_is_set(e))
			entry_time(archive_entry_mtime(e), m.mtime);
		int want = w->ops.begin ? w->ops.begin(w->ctx, &m) : WALK_READ;
		if (want == WALK_STOP) {
			w->stopped = 1;
			free(decoded);
			return -1;
		}
		if (want == WALK_READ && !m.is_dir && !m.is_link && !m.is_special && !m.encrypted) {
			chunks c;
			memset(&c, 0, sizeof c);
			c.next = archive_next;
			c.a = a;
			c.declared = m.size;
			member_data(w, &m, &c, depth);
		} else {
			archive_read_data_skip(a);
		}
		if (w->ops.end && w->ops.end(w->ctx, &m) == WALK_STOP)
			w->stopped = 1;
		free(decoded);
	}
}

int walk_archive(walk *w, struct archive *a)
{
	return walk_level(w, a, 0, 1) == 0 && !w->stopped ? 0 : -1;
}

/* ---- folders ---- */

static int folder_level(walk *w, const char *dir, const char *rel, long long parent_key, int depth)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		note_problem(w, "%s: %s", rel[0] ? rel : ".", strerror(errno));
		return -1;
	}
	long long ordinal = 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (w->stopped || !strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		char path[8192], relpath[8192];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		snprintf(relpath, sizeof relpath, "%s%s%s", rel, rel[0] ? "/" : "", name);
		if (++w->entries > w->lim.max_entries) {
			hit_limit(w, "more entries than", "ingest_max_entries", (unsigned long long)w->lim.max_entries);
			free(names[i]);
			continue;
		}
		struct stat sb;
		walk_member m;
		memset(&m, 0, sizeof m);
		m.depth = depth;
		m.parent_key = parent_key;
		m.ordinal = ordinal++;
		m.path_raw = relpath;
		m.path_raw_len = strlen(relpath);
		char *decoded = walk_decode_name(w, relpath, m.path_raw_len);
		m.path = decoded ? decoded : "";
		char target[4096] = "";
		if (lstat(path, &sb) != 0) {
			snprintf(m.problem, sizeof m.problem, "%s", strerror(errno));
			note_problem(w, "%s: %s", relpath, m.problem);
		} else {
			m.is_dir = S_ISDIR(sb.st_mode);
			m.is_link = S_ISLNK(sb.st_mode);
			m.is_special = !m.is_dir && !m.is_link && !S_ISREG(sb.st_mode);
			m.size = m.is_dir ? -1 : sb.st_size;
			entry_time(sb.st_mtime, m.mtime);
			if (m.is_link) {
				ssize_t tl = readlink(path, target, sizeof target - 1);
				if (tl > 0)
					target[tl] = '\0';
				m.link_target = target;
			}
		}
		int want = w->ops.begin ? w->ops.begin(w->ctx, &m) : WALK_READ;
		if (want == WALK_STOP)
			w->stopped = 1;
		else if (m.is_dir && !m.problem[0]) {
			if (want == WALK_READ && (!w->ops.nest || w->ops.nest(w->ctx, &m) == WALK_READ))
				folder_level(w, path, relpath, m.key, depth);
		} else if (want == WALK_READ && !m.is_link && !m.is_special && !m.problem[0]) {
			int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				snprintf(m.problem, sizeof m.problem, "%s", strerror(errno));
				note_problem(w, "%s: %s", relpath, m.problem);
			} else {
				chunks c;
				memset(&c, 0, sizeof c);
				c.next = file_next;
				c.fd = fd;
				c.source_read = &w->source_read;
				if (level_buffers(w, depth) == 0) {
					c.buf = w->buf[depth];
					/* a folder's files are the source's own bytes */
					member_data(w, &m, &c, depth);
				}
				close(fd);
			}
		}
		if (!w->stopped && w->ops.end && w->ops.end(w->ctx, &m) == WALK_STOP)
			w->stopped = 1;
		free(decoded);
		free(names[i]);
	}
	free(names);
	return w->stopped ? -1 : 0;
}

int walk_folder(walk *w, const char *dir)
{
	return folder_level(w, dir, "", 0, 1);
}

int walk_file(walk *w, int fd, const char *name)
{
	struct stat sb;
	walk_member m;
	memset(&m, 0, sizeof m);
	m.depth = 1;
	m.path_raw = name;
	m.path_raw_len = strlen(name);
	char *decoded = walk_decode_name(w, name, m.path_raw_len);
	m.path = decoded ? decoded : "";
	if (fstat(fd, &sb) == 0) {
		m.size = sb.st_size;
		entry_time(sb.st_mtime, m.mtime);
	}
	w->entries = 1;
	int want = w->ops.begin ? w->ops.begin(w->ctx, &m) : WALK_READ;
	if (want == WALK_READ && level_buffers(w, 1) == 0) {
		chunks c;
		memset(&c, 0, sizeof c);
		c.next = file_next;
		c.fd = fd;
		c.source_read = &w->source_read;
		c.buf = w->buf[1];
		member_data(w, &m, &c, 1);
	}
	if (want != WALK_STOP && w->ops.end && w->ops.end(w->ctx, &m) == WALK_STOP)
		w->stopped = 1;
	free(decoded);
	return w->stopped ? -1 : 0;
}

/* ---- a source on disk read back (export, verification, extraction) ---- */

#define FEED_BUF (1 << 20)

typedef struct src_feed {
	int fd;
	walk *w;
	walk_hash *h;        /* NULL: the source's own digest is not wanted */
	unsigned char *buf;
	uint64_t done;
	int failed;
} src_feed;

static la_ssize_t feed_read(struct archive *a, void *ctx, const void **out)
{
	(void)a;
	src_feed *f = ctx;
	ssize_t n;
	do
		n = read(f->fd, f->buf, FEED_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		f->failed = 1;
		return -1;
	}
	if (n > 0 && f->h)
		walk_hash_write(f->h, f->buf, (size_t)n);
	f->done += (uint64_t)n;
	walk_source_read(f->w, f->done);
	*out = f->buf;
	return n;
}

int walk_source_fd(walk *w, int fd, int archive, const char *name, walk_hash *h)
{
	if (!archive)
		return walk_file(w, fd, name);
	src_feed f = {fd, w, h, malloc(FEED_BUF), 0, 0};
	if (!f.buf)
		return -1;
	unsigned char h7[8];
	int seek = pread(fd, h7, sizeof h7, 0) == (ssize_t)sizeof h7 && walk_needs_seek(h7, sizeof h7);
	if (seek) {        /* 7z: digest first, then read with seeks */
		const void *p;
		while (!f.failed && feed_read(NULL, &f, &p) > 0)
			;
		lseek(fd, 0, SEEK_SET);
		h = NULL;
		f.h = NULL;
	}
	struct archive *a = walk_archive_reader();
	int rc = -1;
	if (a && (seek ? archive_read_open_fd(a, fd, 65536)
	               : archive_read_open(a, &f, NULL, feed_read, NULL)) == ARCHIVE_OK)
		rc = walk_archive(w, a);
	if (a)
		archive_read_free(a);
	if (h) {       /* the rest of the source, for its digest */
		const void *p;
		while (!f.failed && feed_read(NULL, &f, &p) > 0)
			;
	}
	free(f.buf);
	return f.failed ? -1 : rc;
}
