/* export.c — see export.h. Both use the walker with the item chain as a map, so
 * members are found by the same positions ingest gave them. */
#include "export.h"
#include "evidence.h"
#include "i18n.h"
#include "settings.h"
#include "walk.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CHAIN 40
#define COPY_BUF (1 << 20)

static void limits(dl_store *st, walk_limits *lim, char *cp, size_t cpsz)
{
	lim->max_depth = (int)settings_get_int(st, "ingest_max_depth");
	lim->max_entries = (uint64_t)settings_get_int(st, "ingest_max_entries");
	lim->max_bytes = (uint64_t)settings_get_int(st, "ingest_max_mib") << 20;
	lim->max_ratio = (double)settings_get_int(st, "ingest_max_ratio");
	settings_get(st, "codepage", cp, cpsz, NULL);
}

static int hash_file(const char *path, char md5[33], char sha1[41], char sha256[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	walk_hash *h = walk_hash_new();
	unsigned char *buf = malloc(COPY_BUF);
	ssize_t n = -1;
	while (h && buf && (n = read(fd, buf, COPY_BUF)) > 0)
		walk_hash_write(h, buf, (size_t)n);
	close(fd);
	free(buf);
	if (!h || n < 0) {
		walk_hash_free(&h);
		return -1;
	}
	walk_hash_final(h, md5, sha1, sha256);
	walk_hash_free(&h);
	return 0;
}

/* ---- export ---- */

typedef struct exporter {
	dl_item *chain;
	size_t n, first;     /* chain[first..n-1] is what the walk must follow */
	int top_ordinal_zero;/* walking one kept file: its top member is ordinal 0 */
	int fd;
	int found, write_failed;
	walk_member result;
} exporter;

static long long chain_ordinal(exporter *x, size_t i)
{
	return i == x->first && x->top_ordinal_zero ? 0 : x->chain[i].ordinal;
}

/* parent_key = 1 + index of the chain element containing the member */
static int ex_begin(void *ctx, walk_member *m)
{
	exporter *x = ctx;
	size_t i = x->first + (size_t)m->parent_key;
	if (x->found || i >= x->n || m->ordinal != chain_ordinal(x, i))
		return x->found ? WALK_STOP : WALK_SKIP;
	return WALK_READ;
}

static int ex_nest(void *ctx, walk_member *m)
{
	exporter *x = ctx;
	size_t i = x->first + (size_t)m->parent_key;
	if (i + 1 >= x->n)      /* the target itself: its bytes, not its members */
		return WALK_SKIP;
	m->key = m->parent_key + 1;
	return WALK_READ;
}

static void ex_data(void *ctx, walk_member *m, const void *buf, size_t n)
{
	exporter *x = ctx;
	if (x->first + (size_t)m->parent_key != x->n - 1 || x->write_failed)
		return;
	const char *p = buf;
	while (n > 0) {
		ssize_t k = write(x->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			x->write_failed = 1;
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

static int ex_end(void *ctx, walk_member *m)
{
	exporter *x = ctx;
	if (x->first + (size_t)m->parent_key == x->n - 1 && m->ordinal == chain_ordinal(x, x->n - 1)) {
		x->found = 1;
		x->result = *m;
		return WALK_STOP;
	}
	return WALK_READ;
}

static dl_status copy_out(const char *from, const char *to, const dl_item *it, dl_err *err)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return dl_err_set(err, DL_EIO, "item", _("cannot read %s: %s"), from, strerror(errno));
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return dl_err_set(err, DL_EINVAL, "output", _("cannot create %s: %s"), to, strerror(errno));
	}
	walk_hash *h = walk_hash_new();
	unsigned char *buf = malloc(COPY_BUF);
	ssize_t n = 0;
	int bad = !h || !buf;
	while (!bad && (n = read(in, buf, COPY_BUF)) > 0) {
		walk_hash_write(h, buf, (size_t)n);
		for (ssize_t off = 0; off < n;) {
			ssize_t k = write(out, buf + off, (size_t)(n - off));
			if (k <= 0) { bad = 1; break; }
			off += k;
		}
	}
	char md5[33] = "", sha1[41] = "", sha256[65] = "";
	if (h && !bad && n == 0)
		walk_hash_final(h, md5, sha1, sha256);
	walk_hash_free(&h);
	free(buf);
	close(in);
	dl_status rc = DL_OK;
	if (bad || n < 0 || fsync(out) != 0)
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), to, strerror(errno));
	else if (strcmp(md5, it->md5) || strcmp(sha1, it->sha1) || strcmp(sha256, it->sha256))
		rc = dl_err_set(err, DL_ETAMPER, "item",
		                _("item %lld does not match its recorded hashes (SHA-256 now %s, recorded %s)"),
		                it->id, sha256, it->sha256);
	close(out);
	if (rc != DL_OK)
		unlink(to);
	return rc;
}

dl_status export_item(dl_session *s, long long id, const char *out_path, dl_err *err)
{
	dl_item chain[MAX_CHAIN];
	size_t n = 0;
	dl_status rc = evidence_item_chain(s, id, chain, MAX_CHAIN, &n, err);
	if (rc != DL_OK)
		return rc;
	dl_item *it = &chain[n - 1];
	char objpath[4096];
	dl_source src;
	memset(&src, 0, sizeof src);
	struct stat sb;
	if (!it->sha256 || it->is_dir) {
		rc = dl_err_set(err, DL_EINVAL, "item", _("item %lld has no content to export (%s)"), id,
		                it->is_dir ? "directory" : it->encrypted ? "encrypted" :
		                it->problem ? it->problem : "not read");
		goto done;
	}
	if (access(out_path, F_OK) == 0) {
		rc = dl_err_set(err, DL_EINVAL, "output", _("%s exists already; choose a new file"), out_path);
		goto done;
	}
	evidence_object_path(s->store, it->sha256, objpath, sizeof objpath);
	if (stat(objpath, &sb) == 0) {        /* cached or kept: copy and check */
		rc = copy_out(objpath, out_path, it, err);
		goto done;
	}
	if ((rc = evidence_source_get(s, it->source_id, &src, err)) != DL_OK)
		goto done;
	/* Where the walk starts: the source file, or for a kept folder the kept file
	 * that holds the item. */
	exporter x = {chain, n, 0, 0, -1, 0, 0, {0}};
	int archive = !strcmp(src.kind, "archive");
	int folder = !strcmp(src.kind, "folder");
	char start[4096];
	if (folder && !src.in_place) {
		size_t f = 0;
		while (f < n && chain[f].is_dir)
			f++;
		if (f >= n) {
			rc = dl_err_set(err, DL_EINVAL, "item", _("item %lld has no content to export"), id);
			goto done;
		}
		evidence_object_path(s->store, chain[f].sha256 ? chain[f].sha256 : "", start, sizeof start);
		x.first = f;
		x.top_ordinal_zero = 1;
		folder = 0;
	} else if (src.in_place || folder) {
		snprintf(start, sizeof start, "%s", src.original_path);
	} else {
		evidence_object_path(s->store, src.sha256 ? src.sha256 : "", start, sizeof start);
	}
	walk_limits lim;
	char cp[32];
	limits(s->store, &lim, cp, sizeof cp);
	walk_ops ops = {ex_begin, ex_nest, ex_data, ex_end};
	walk *w = walk_new(&ops, &x, &lim, cp);
	char spool[4096];
	if (w && evidence_tmp_dir(s->store, spool, sizeof spool) == 0)
		walk_set_spool(w, spool);
	char tmp[4096];
	x.fd = evidence_object_tmp(s->store, tmp, sizeof tmp, err);
	if (!w || x.fd < 0) {
		walk_free(&w);
		if (x.fd >= 0) {
			close(x.fd);
			unlink(tmp);
		}
		rc = x.fd < 0 ? DL_EIO : dl_err_set(err, DL_EIO, "", _("out of memory"));
		goto done;
	}
	if (folder) {
		walk_folder(w, start);
	} else {
		int fd = open(start, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = dl_err_set(err, DL_EIO, "source", _("the source of item %lld is missing: %s: %s"), id, start,
			                strerror(errno));
		} else {
			walk_source_fd(w, fd, archive && x.first == 0 ? 1 : 0, "", NULL);
			close(fd);
		}
	}
	walk_free(&w);
	if (rc == DL_OK && (!x.found || !x.result.hashed || x.write_failed))
		rc = dl_err_set(err, DL_EIO, "item", _("item %lld could not be read back from its source"), id);
	if (rc == DL_OK && (strcmp(x.result.md5, it->md5) || strcmp(x.result.sha1, it->sha1) ||
	                    strcmp(x.result.sha256, it->sha256)))
		rc = dl_err_set(err, DL_ETAMPER, "item",
		                _("item %lld read from its source does not match its recorded hashes (SHA-256 now %s, recorded %s)"),
		                id, x.result.sha256, it->sha256);
	if (rc != DL_OK) {
		close(x.fd);
		unlink(tmp);
		goto done;
	}
	rc = evidence_object_commit(s, x.fd, tmp, it->sha256, x.result.bytes, "member", err);
	if (rc == DL_OK)
		rc = copy_out(objpath, out_path, it, err);
done:
	for (size_t i = 0; i < n; i++)
		evidence_item_free(&chain[i]);
	evidence_source_free(&src);
	return rc;
}

/* ---- verify ---- */

typedef struct verifier {
	dl_session *s;
	long long source_id;
	long long top_id;            /* walking one kept folder file: its item id */
	int deep;
	verify_problem_fn problem;
	void *ctx;
	verify_result *r;
	const char *src_name;
} verifier;

static void vproblem(verifier *v, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void vproblem(verifier *v, const char *what, const char *fmt, ...)
{
	char why[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	v->r->problems++;
	if (v->problem)
		v->problem(v->ctx, what, why);
}

static long long recorded_id(verifier *v, walk_member *m)
{
	if (v->top_id && m->parent_key == 0)
		return v->top_id;
	return evidence_item_find(v->s, v->source_id, m->parent_key, m->ordinal);
}

static int vf_nest(void *ctx, walk_member *m)
{
	verifier *v = ctx;
	m->key = recorded_id(v, m);
	return m->key ? WALK_READ : WALK_SKIP;
}

static int vf_end(void *ctx, walk_member *m)
{
	verifier *v = ctx;
	long long id = m->key ? m->key : recorded_id(v, m);
	char what[700];
	snprintf(what, sizeof what, "%s: %s", v->src_name, m->path);
	if (!id) {
		vproblem(v, what, _("present in the source but not recorded"));
		return WALK_READ;
	}
	v->r->items++;
	if (!m->hashed)
		return WALK_READ;
	dl_item it;
	dl_err e;
	if (evidence_item_get(v->s, id, &it, &e) != DL_OK)
		return WALK_READ;
	if (!it.sha256)
		; /* recorded without content (encrypted, unread): nothing to compare */
	else if (strcmp(it.sha256, m->sha256) || strcmp(it.md5, m->md5) || strcmp(it.sha1, m->sha1))
		vproblem(v, what, _("item %lld differs: SHA-256 now %s, recorded %s"), id, m->sha256, it.sha256);
	evidence_item_free(&it);
	return WALK_READ;
}

static void check_hashes(verifier *v, const char *what, const char *path, const char *md5,
                         const char *sha1, const char *sha256)
{
	char m5[33], s1[41], s256[65];
	if (hash_file(path, m5, s1, s256) != 0) {
		vproblem(v, what, _("missing or unreadable: %s: %s"), path, strerror(errno));
		return;
	}
	if ((md5 && strcmp(m5, md5)) || (sha1 && strcmp(s1, sha1)) || (sha256 && strcmp(s256, sha256)))
		vproblem(v, what, _("changed: SHA-256 now %s, recorded %s"), s256, sha256 ? sha256 : "-");
}

static int folder_file(void *ctx, const dl_item *it)
{
	verifier *v = ctx;
	char path[4096], what[700];
	evidence_object_path(v->s->store, it->sha256, path, sizeof path);
	snprintf(what, sizeof what, "%s: %s", v->src_name, it->path);
	v->r->items++;
	if (!v->deep) {
		check_hashes(v, what, path, it->md5, it->sha1, it->sha256);
		return 0;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		vproblem(v, what, _("missing or unreadable: %s: %s"), path, strerror(errno));
		return 0;
	}
	walk_limits lim;
	char cp[32];
	limits(v->s->store, &lim, cp, sizeof cp);
	walk_ops ops = {NULL, vf_nest, NULL, vf_end};
	walk *w = walk_new(&ops, v, &lim, cp);
	char spool[4096];
	if (w && evidence_tmp_dir(v->s->store, spool, sizeof spool) == 0)
		walk_set_spool(w, spool);
	v->top_id = it->id;
	v->r->items--;      /* counted again by the walk */
	if (w)
		walk_file(w, fd, it->path);
	v->top_id = 0;
	walk_free(&w);
	close(fd);
	return 0;
}

static int object_check(void *ctx, const char *sha256, long long size)
{
	(void)size;
	verifier *v = ctx;
	char path[4096], what[200];
	evidence_object_path(v->s->store, sha256, path, sizeof path);
	/* TRANSLATORS: a stored object named by the start of its SHA-256 */
	snprintf(what, sizeof what, _("object %.16s…"), sha256);
	v->r->objects++;
	check_hashes(v, what, path, NULL, NULL, sha256);
	return 0;
}

static void verify_source(verifier *v, const dl_source *src)
{
	char what[4200], path[4096];
	/* TRANSLATORS: an evidence source: its number and the path it was ingested from */
	snprintf(what, sizeof what, _("source %lld (%s)"), src->id, src->original_path);
	v->src_name = what;
	v->source_id = src->id;
	int folder = !strcmp(src->kind, "folder");
	if (folder && !src->in_place) {
		dl_err e;
		evidence_folder_files(v->s, src->id, folder_file, v, &e);
		return;
	}
	if (src->in_place || folder)
		snprintf(path, sizeof path, "%s", src->original_path);
	else
		evidence_object_path(v->s->store, src->sha256 ? src->sha256 : "", path, sizeof path);
	if (!v->deep || (!folder && !src->sha256)) {
		if (folder) {
			/* an in-place folder: its files are compared by walking it */
		} else {
			check_hashes(v, what, path, src->md5, src->sha1, src->sha256);
			return;
		}
	}
	walk_limits lim;
	char cp[32];
	limits(v->s->store, &lim, cp, sizeof cp);
	if (!v->deep)
		lim.max_depth = 1;
	walk_ops ops = {NULL, vf_nest, NULL, vf_end};
	walk *w = walk_new(&ops, v, &lim, cp);
	if (!w)
		return;
	char spool[4096];
	if (evidence_tmp_dir(v->s->store, spool, sizeof spool) == 0)
		walk_set_spool(w, spool);
	if (folder) {
		struct stat sb;
		if (stat(path, &sb) != 0)
			vproblem(v, what, _("missing or unreadable: %s: %s"), path, strerror(errno));
		else
			walk_folder(w, path);
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			vproblem(v, what, _("missing or unreadable: %s: %s"), path, strerror(errno));
		} else {
			walk_hash *h = walk_hash_new();
			walk_source_fd(w, fd, !strcmp(src->kind, "archive"), src->original_path, h);
			close(fd);
			char m5[33], s1[41], s256[65];
			walk_hash_final(h, m5, s1, s256);
			walk_hash_free(&h);
			if (!strcmp(src->kind, "archive") && src->sha256 && strcmp(s256, src->sha256))
				vproblem(v, what, _("changed: SHA-256 now %s, recorded %s"), s256, src->sha256);
		}
	}
	/* a walk cut short re-derived only part of a source that was read whole
	 * (an incomplete source stops where its ingest stopped, as recorded) */
	if (walk_problem(w)[0] && src->status && !strcmp(src->status, "complete"))
		vproblem(v, what, _("not read to the end: %s"), walk_problem(w));
	walk_free(&w);
}

dl_status verify_run(dl_session *s, const char *case_number, int deep, verify_problem_fn problem,
                     verify_progress_fn progress, void *ctx, verify_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	dl_source_list l;
	dl_status rc = evidence_source_list(s, case_number, &l, err);
	if (rc != DL_OK)
		return rc;
	verifier v = {s, 0, 0, deep, problem, ctx, r, ""};
	for (size_t i = 0; i < l.n; i++) {
		if (progress)
			progress(ctx, (long long)i, (long long)l.n, l.v[i].original_path);
		if (!strcmp(l.v[i].status, "failed"))
			continue;      /* a rejected source was never kept */
		r->sources++;
		verify_source(&v, &l.v[i]);
	}
	if (progress)
		progress(ctx, (long long)l.n, (long long)l.n, "");
	evidence_source_list_free(&l);
	evidence_objects_each(s, "member", object_check, &v, err);
	if (r->problems)
		return dl_err_set(err, DL_ETAMPER, "", _("verification failed; problems found: %lld"), r->problems);
	return DL_OK;
}
