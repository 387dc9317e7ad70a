/* extract_case.c — the scanner applied to evidence as the walker streams it
 * (extract_walk, shared by ingest and dalil extract), and dalil extract
 * itself: sources re-read, item identifiers brought up to date. */
#include "extract.h"
#include "case.h"
#include "evidence.h"
#include "i18n.h"
#include "identifier.h"
#include "settings.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- per-depth scanning of walked members ---------------------------------- */

#define DECIDE 4096          /* bytes looked at before choosing how to scan a member */

enum { M_UNDECIDED, M_TEXT, M_SQLITE, M_SKIP };

typedef struct level {
	int mode;
	unsigned char head[DECIDE];
	size_t headn;
	char *name;
	extract *x;
	extract_set *set;        /* this member's hits, NULL until the first */
	int fd;                  /* M_SQLITE: the spool file */
	char path[4200];
	long long spooled;
} level;

struct extract_walk {
	char cc[4];
	char codepage[32];
	char spool[4096];
	level **lv;
	int nlv;
};

static void level_hit(void *ctx, extract_kind kind, const char *value, long long offset)
{
	level *l = ctx;
	if (!l->set)
		l->set = extract_set_new(EXTRACT_MAX_HITS);
	if (l->set)
		extract_set_add(l->set, kind, value, offset);
}

extract_walk *extract_walk_new(const char *default_cc, const char *codepage, const char *spool_dir)
{
	extract_walk *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	snprintf(e->cc, sizeof e->cc, "%s", default_cc ? default_cc : "");
	snprintf(e->codepage, sizeof e->codepage, "%s", codepage ? codepage : "");
	snprintf(e->spool, sizeof e->spool, "%s", spool_dir ? spool_dir : "");
	return e;
}

static void level_drop(level *l)
{
	if (l->mode == M_TEXT)
		extract_reset(l->x);
	if (l->fd >= 0) {
		close(l->fd);
		unlink(l->path);
		l->fd = -1;
	}
	extract_set_free(&l->set);
	free(l->name);
	l->name = NULL;
	l->mode = M_SKIP;
}

static level *level_at(extract_walk *e, int depth)
{
	if (depth < 1 || depth > 1000)
		return NULL;
	if (depth > e->nlv) {
		level **v = realloc(e->lv, (size_t)depth * sizeof *v);
		if (!v)
			return NULL;
		for (int i = e->nlv; i < depth; i++)
			v[i] = NULL;
		e->lv = v;
		e->nlv = depth;
	}
	if (!e->lv[depth - 1]) {
		level *l = calloc(1, sizeof *l);
		if (!l)
			return NULL;
		l->fd = -1;
		l->mode = M_SKIP;
		if (!(l->x = extract_new(e->cc, level_hit, l))) {
			free(l);
			return NULL;
		}
		if (e->codepage[0])
			extract_set_codepage(l->x, e->codepage);
		e->lv[depth - 1] = l;
	}
	return e->lv[depth - 1];
}

void extract_walk_begin(extract_walk *e, int depth, const char *name)
{
	level *l = level_at(e, depth);
	if (!l)
		return;
	level_drop(l);
	l->mode = M_UNDECIDED;
	l->headn = 0;
	l->spooled = 0;
	l->name = name ? strdup(name) : NULL;
}

static int spool_write(level *l, const void *buf, size_t n)
{
	const char *p = buf;
	l->spooled += (long long)n;
	if (l->spooled > EXTRACT_SQLITE_MAX)
		return -1;
	while (n > 0) {
		ssize_t k = write(l->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void level_data(level *l, const void *buf, size_t n)
{
	if (l->mode == M_TEXT)
		extract_feed(l->x, buf, n);
	else if (l->mode == M_SQLITE && spool_write(l, buf, n) != 0)
		level_drop(l);
}

/* Choose how the member is scanned from its first bytes. */
static void decide(extract_walk *e, level *l)
{
	if (l->headn && extract_is_sqlite(l->head, l->headn) && e->spool[0]) {
		snprintf(l->path, sizeof l->path, "%s/sqlite-XXXXXX", e->spool);
		l->fd = mkostemp(l->path, O_CLOEXEC);
		l->mode = l->fd >= 0 ? M_SQLITE : M_SKIP;
	} else if (l->headn && extract_is_text(l->head, l->headn, l->name)) {
		l->mode = M_TEXT;
	} else {
		l->mode = M_SKIP;
	}
	level_data(l, l->head, l->headn);
}

void extract_walk_data(extract_walk *e, int depth, const void *buf, size_t n)
{
	level *l = depth >= 1 && depth <= e->nlv ? e->lv[depth - 1] : NULL;
	if (!l || l->mode == M_SKIP)
		return;
	if (l->mode == M_UNDECIDED) {
		size_t k = DECIDE - l->headn < n ? DECIDE - l->headn : n;
		memcpy(l->head + l->headn, buf, k);
		l->headn += k;
		if (l->headn < DECIDE)
			return;
		decide(e, l);
		buf = (const unsigned char *)buf + k;
		n -= k;
	}
	if (n)
		level_data(l, buf, n);
}

void extract_walk_skip(extract_walk *e, int depth)
{
	level *l = depth >= 1 && depth <= e->nlv ? e->lv[depth - 1] : NULL;
	if (l)
		level_drop(l);
}

extract_set *extract_walk_end(extract_walk *e, int depth, int *scanned)
{
	*scanned = 0;
	level *l = depth >= 1 && depth <= e->nlv ? e->lv[depth - 1] : NULL;
	if (!l)
		return NULL;
	if (l->mode == M_UNDECIDED)
		decide(e, l);
	if (l->mode == M_TEXT) {
		extract_finish(l->x);
		*scanned = 1;
	} else if (l->mode == M_SQLITE) {
		close(l->fd);
		l->fd = -1;
		*scanned = extract_sqlite(l->x, l->path) == 0;
		unlink(l->path);
	}
	l->mode = M_SKIP;
	extract_set *set = l->set;
	l->set = NULL;
	free(l->name);
	l->name = NULL;
	return set;
}

void extract_walk_free(extract_walk **ep)
{
	extract_walk *e = *ep;
	if (!e)
		return;
	for (int i = 0; i < e->nlv; i++) {
		level *l = e->lv[i];
		if (!l)
			continue;
		level_drop(l);
		extract_free(&l->x);
		free(l);
	}
	free(e->lv);
	free(e);
	*ep = NULL;
}

/* ---- dalil extract ------------------------------------------------------------- */

#define SYNC_BATCH 2000

typedef struct syncer {
	dl_session *s;
	long long case_id;
	extract_result *r;
	dl_err *err;
	dl_status failed;
	extract_walk *ew;
	dl_item_ident_list have;  /* the case's item identifiers before, by item */
	unsigned char *seen;      /* per row of have: 1 matched or deliberately visited */
	int in_tx;
	long long tx_changes;
	/* the source being read */
	long long source_id, top_id;
	const char *src_name;
	extract_problem_fn problem;
	void *ctx;
} syncer;

static int tx_open(syncer *y)
{
	if (y->in_tx)
		return 0;
	dl_status rc = session_begin(y->s, y->err);
	if (rc != DL_OK) {
		y->failed = rc;
		return -1;
	}
	y->in_tx = 1;
	y->tx_changes = 0;
	return 0;
}

static int tx_commit(syncer *y)
{
	if (!y->in_tx)
		return 0;
	y->in_tx = 0;
	dl_status rc = store_commit(y->s->store, y->err);
	if (rc != DL_OK) {
		y->failed = rc;
		return -1;
	}
	return 0;
}

static int change_done(syncer *y, dl_status rc)
{
	if (rc != DL_OK) {
		y->failed = rc;
		return -1;
	}
	if (++y->tx_changes >= SYNC_BATCH)
		return tx_commit(y);
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const extract_hit *x = *(extract_hit *const *)a, *y = *(extract_hit *const *)b;
	int c = strcmp(extract_kind_names[x->kind], extract_kind_names[y->kind]);
	return c ? c : strcmp(x->value, y->value);
}

/* The first row of have for item id (have is sorted by item). */
static size_t have_first(const syncer *y, long long id)
{
	size_t lo = 0, hi = y->have.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (y->have.v[mid].item_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Bring item id's identifiers to exactly set (NULL: none): a merge of two
 * lists sorted by kind and value. */
static void sync_item(syncer *y, long long id, const extract_set *set)
{
	size_t n = extract_set_count(set);
	const extract_hit **h = n ? malloc(n * sizeof *h) : NULL;
	if (n && !h) {
		y->failed = dl_err_set(y->err, DL_ENOMEM, "", _("out of memory"));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		h[i] = extract_set_get(set, i);
		y->r->kinds[h[i]->kind]++;
	}
	if (n > 1)
		qsort(h, n, sizeof *h, hit_cmp);
	size_t a = have_first(y, id), i = 0;
	dl_store *st = y->s->store;
	while (!y->failed && (i < n || (a < y->have.n && y->have.v[a].item_id == id))) {
		const dl_item_ident *row = a < y->have.n && y->have.v[a].item_id == id ? &y->have.v[a] : NULL;
		int c;
		if (!row)
			c = -1;
		else if (i == n)
			c = 1;
		else {
			c = strcmp(extract_kind_names[h[i]->kind], row->kind);
			if (!c)
				c = strcmp(h[i]->value, row->value);
		}
		if (c < 0) {
			if (tx_open(y) == 0 &&
			    change_done(y, identifier_insert_item(st, extract_kind_names[h[i]->kind], h[i]->value,
			                                          y->case_id, id, h[i]->offset, y->err)) == 0)
				y->r->added++;
			i++;
		} else if (c > 0) {
			if (tx_open(y) == 0 && change_done(y, identifier_item_delete(st, row->id, y->err)) == 0)
				y->r->removed++;
			y->seen[a++] = 1;
		} else {
			if (row->offset != (h[i]->offset < 0 ? -1 : h[i]->offset)) {
				if (tx_open(y) == 0 &&
				    change_done(y, identifier_item_set_offset(st, row->id, h[i]->offset, y->err)) == 0)
					y->r->updated++;
			}
			y->seen[a++] = 1;
			/* later rows of the same value are duplicates */
			while (a < y->have.n && y->have.v[a].item_id == id && !strcmp(y->have.v[a].kind, row->kind) &&
			       !strcmp(y->have.v[a].value, row->value)) {
				if (tx_open(y) == 0 &&
				    change_done(y, identifier_item_delete(st, y->have.v[a].id, y->err)) == 0)
					y->r->removed++;
				y->seen[a++] = 1;
			}
			i++;
		}
	}
	free(h);
}

static long long recorded_id(syncer *y, walk_member *m)
{
	if (y->top_id && m->parent_key == 0)
		return y->top_id;
	return evidence_item_find(y->s, y->source_id, m->parent_key, m->ordinal);
}

static int sy_begin(void *ctx, walk_member *m)
{
	syncer *y = ctx;
	if (y->failed)
		return WALK_STOP;
	extract_walk_begin(y->ew, m->depth, m->path);
	return WALK_READ;
}

static int sy_nest(void *ctx, walk_member *m)
{
	syncer *y = ctx;
	extract_walk_skip(y->ew, m->depth);
	m->key = recorded_id(y, m);
	return m->key ? WALK_READ : WALK_SKIP;
}

static void sy_data(void *ctx, walk_member *m, const void *buf, size_t n)
{
	syncer *y = ctx;
	extract_walk_data(y->ew, m->depth, buf, n);
}

static int sy_end(void *ctx, walk_member *m)
{
	syncer *y = ctx;
	int scanned;
	extract_set *set = extract_walk_end(y->ew, m->depth, &scanned);
	long long id = m->key ? m->key : recorded_id(y, m);
	if (id && !y->failed) {
		sync_item(y, id, set);
		if (scanned)
			y->r->items++;
	}
	extract_set_free(&set);
	return y->failed ? WALK_STOP : WALK_READ;
}

static void limits(dl_store *st, walk_limits *lim, char *cp, size_t cpsz)
{
	lim->max_depth = (int)settings_get_int(st, "ingest_max_depth");
	lim->max_entries = (uint64_t)settings_get_int(st, "ingest_max_entries");
	lim->max_bytes = (uint64_t)settings_get_int(st, "ingest_max_mib") << 20;
	lim->max_ratio = (double)settings_get_int(st, "ingest_max_ratio");
	settings_get(st, "codepage", cp, cpsz, NULL);
}

static void yproblem(syncer *y, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void yproblem(syncer *y, const char *what, const char *fmt, ...)
{
	char why[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (y->problem)
		y->problem(y->ctx, what, why);
}

static walk *walker(syncer *y)
{
	walk_limits lim;
	char cp[32];
	limits(y->s->store, &lim, cp, sizeof cp);
	walk_ops ops = {sy_begin, sy_nest, sy_data, sy_end};
	walk *w = walk_new(&ops, y, &lim, cp);
	char spool[4096];
	if (w && evidence_tmp_dir(y->s->store, spool, sizeof spool) == 0)
		walk_set_spool(w, spool);
	return w;
}

/* A walk that stopped short (a limit, a damaged member) leaves items
 * unscanned: say so, and count it as a source not read whole. */
static void walk_report(syncer *y, walk *w, const char *file)
{
	const char *why = walk_problem(w);
	if (!why[0] || y->failed)
		return;
	char name[4400];
	if (file)
		snprintf(name, sizeof name, "%s: %s", y->src_name, file);
	else
		snprintf(name, sizeof name, "%s", y->src_name);
	yproblem(y, name, _("not read to the end: %s"), why);
	y->r->missing++;
}

/* One kept file of a folder source: its item is the walk's top member. */
static int folder_file(void *ctx, const dl_item *it)
{
	syncer *y = ctx;
	if (y->failed)
		return 1;
	char path[4096], what[4400];
	evidence_object_path(y->s->store, it->sha256 ? it->sha256 : "", path, sizeof path);
	int fd = it->sha256 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		if (it->sha256) {
			snprintf(what, sizeof what, "%s: %s", y->src_name, it->path);
			yproblem(y, what, _("missing or unreadable: %s: %s"), path, strerror(errno));
			y->r->missing++;
		}
		return 0;
	}
	walk *w = walker(y);
	y->top_id = it->id;
	if (w) {
		walk_file(w, fd, it->path);
		walk_report(y, w, it->path);
	}
	y->top_id = 0;
	walk_free(&w);
	close(fd);
	return 0;
}

static void extract_source(syncer *y, const dl_source *src)
{
	char what[4200], path[4096];
	snprintf(what, sizeof what, _("source %lld (%s)"), src->id, src->original_path);
	y->src_name = what;
	y->source_id = src->id;
	int folder = !strcmp(src->kind, "folder");
	if (folder && !src->in_place) {
		dl_err e;
		evidence_folder_files(y->s, src->id, folder_file, y, &e);
		y->r->sources++;
		return;
	}
	if (src->in_place || folder)
		snprintf(path, sizeof path, "%s", src->original_path);
	else
		evidence_object_path(y->s->store, src->sha256 ? src->sha256 : "", path, sizeof path);
	struct stat sb;
	int fd = -1;
	if (stat(path, &sb) != 0 || (!folder && (!src->sha256 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0))) {
		yproblem(y, what, _("missing or unreadable: %s: %s"), path, strerror(errno ? errno : ENOENT));
		y->r->missing++;
		return;
	}
	walk *w = walker(y);
	if (w) {
		if (folder)
			walk_folder(w, path);
		else
			walk_source_fd(w, fd, !strcmp(src->kind, "archive"), src->original_path, NULL);
		walk_report(y, w, NULL);
	}
	walk_free(&w);
	if (fd >= 0)
		close(fd);
	y->r->sources++;
}

dl_status extract_case(dl_session *s, const char *case_number, extract_problem_fn problem,
                       void *ctx, extract_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	dl_source_list l;
	if ((rc = evidence_source_list(s, case_number, &l, err)) != DL_OK)
		return rc;
	syncer y;
	memset(&y, 0, sizeof y);
	y.s = s;
	y.case_id = case_id;
	y.r = r;
	y.err = err;
	y.problem = problem;
	y.ctx = ctx;
	if ((rc = identifier_item_load(s->store, case_id, &y.have, err)) != DL_OK) {
		evidence_source_list_free(&l);
		return rc;
	}
	char cc[4], cp[32] = "", spool[4096] = "";
	settings_phone_cc(s->store, cc);
	settings_get(s->store, "codepage", cp, sizeof cp, NULL);
	evidence_tmp_dir(s->store, spool, sizeof spool);
	y.seen = calloc(y.have.n + 1, 1);
	y.ew = extract_walk_new(cc, cp, spool);
	if (!y.seen || !y.ew) {
		rc = dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < l.n && !y.failed; i++) {
		if (!strcmp(l.v[i].status, "failed"))
			continue;      /* a rejected source was never kept */
		extract_source(&y, &l.v[i]);
	}
	if (!y.failed)
		tx_commit(&y);
	else if (y.in_tx)
		store_rollback(s->store);
	rc = y.failed;
	if (rc == DL_OK && r->missing)
		rc = dl_err_set(err, DL_EIO, "", P_("%lld source could not be read", "%lld sources could not be read",
		                                     r->missing), r->missing);
done:
	extract_walk_free(&y.ew);
	free(y.seen);
	identifier_item_list_free(&y.have);
	evidence_source_list_free(&l);
	return rc;
}
