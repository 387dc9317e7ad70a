/* ui_evidence.c — the evidence browser: the items of one source (or of all
 * the sources of a case) as a tree, or as a flat list while a filter is on;
 * the selected item's details, a text or hex preview, tags, the examiner's
 * note and export.
 *
 * A source may hold millions of items, so nothing here loads them all: the
 * screen keeps a window of a few pages of rows around the view and fetches
 * more from the store as the view moves, by keyset (a level of the tree by
 * position among siblings, a filtered list by id). End fetches the last page
 * by descending order, never by walking. The tree is the set of expanded
 * nodes; the rows before or after any row follow from it and the store. */
#include "custody.h"
#include "edit.h"
#include "evidence.h"
#include "export.h"
#include "i18n.h"
#include "text.h"
#include "ui.h"
#include "ui_detail.h"
#include "ui_form.h"
#include "ui_screens.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PREVIEW_MAX 65536                       /* bytes of an item the preview reads */
#define PREVIEW_ASK (256LL * 1024 * 1024)       /* bigger items: ask before extracting */

/* ---- rows ---- */

/* A row: an item, or (browsing all sources) a source. */
typedef struct node {
	dl_item it;                 /* owned; for a source row only it.source_id is set */
	int src;                    /* source row: index in b->sources; -1 for items */
	int depth;
} node;

typedef struct nodes {
	node *v;
	size_t n, cap;
} nodes;

static void nodes_push(nodes *l, node *x)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		node *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			abort();
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *x;          /* ownership moves in */
	memset(x, 0, sizeof *x);
}

static void node_free(node *x)
{
	evidence_item_free(&x->it);
}

static void nodes_free(nodes *l)
{
	for (size_t i = 0; i < l->n; i++)
		node_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ---- the preview ---- */

typedef struct prow {
	size_t line, off, len;      /* a screen row: bytes [off, off+len) of a text line */
} prow;

typedef struct preview {
	int open, hex;
	long long item_id;
	char *why;                  /* shown instead of the content */
	unsigned char *data;        /* the bytes read (at most PREVIEW_MAX) */
	size_t len;
	long long size;             /* the item's size */
	const char *enc;            /* "UTF-8", "UTF-16LE", "UTF-16BE", "CP1256"; NULL: not text */
	char **lines;               /* decoded text, one entry per line */
	size_t nlines;
	prow *rows;                 /* the text wrapped to width `wrapped` */
	size_t nrows;
	int wrapped;
	long top;
	int h;                      /* rows shown at the last draw */
} preview;

/* ---- the browser ---- */

enum { L_ROOT, L_SOURCE, L_ITEM };
typedef struct level {
	int kind;
	long long id;
} level;

static const char *const type_prefixes[] = {
	NULL, "image/", "video/", "audio/", "text/", "application/pdf", "application/zip",
	"application/vnd.", "message/",
};
#define NTYPES (int)(sizeof type_prefixes / sizeof *type_prefixes)
/* index 0 none, 1..4 evidence_tag_names, 5 untagged */
#define NTAGS 6

typedef struct browser {
	char number[64];
	long long source_id;        /* 0: all sources of the case */
	dl_source_list sources;
	unsigned char *src_closed;  /* all sources: per source, collapsed */
	long long *expanded;        /* items shown open */
	size_t nexp, capexp;

	int type, tag, hits;        /* filters */
	edit name;
	int typing;
	long long matches;          /* items passing the filters */

	nodes win;                  /* the window of rows */
	long sel, top;              /* in the window */
	int at_start, at_end;       /* the window holds the first / last row */
	int rows;                   /* list rows at the last draw */
	unsigned gen;

	/* the archives holding an item, by the id of its parent: the flat list
	 * shows them before its path */
	struct { long long id; char *path; } held[32];
	int nheld;

	/* the selected item's surroundings, for the detail pane */
	long long detail_id;
	char inside[1200];
	long long custody_src;
	dl_custody_list custody;

	preview pv;
} browser;

static int flat(const browser *b)
{
	return b->type || b->tag || b->hits || (b->name.buf && b->name.buf[0]);
}

static int page_of(const browser *b)
{
	return b->rows > 20 ? b->rows : 20;
}

static const dl_source *source_of(const browser *b, long long id)
{
	for (size_t i = 0; i < b->sources.n; i++)
		if (b->sources.v[i].id == id)
			return &b->sources.v[i];
	return NULL;
}

static int is_open(const browser *b, const node *x)
{
	if (x->src >= 0)
		return !b->src_closed[x->src];
	for (size_t i = 0; i < b->nexp; i++)
		if (b->expanded[i] == x->it.id)
			return 1;
	return 0;
}

static int has_children(const browser *b, const node *x)
{
	/* a source row always opens: an interrupted ingest has items but no count yet */
	(void)b;
	return x->src >= 0 ? 1 : x->it.has_children;
}

static void set_open(browser *b, const node *x, int open)
{
	if (x->src >= 0) {
		b->src_closed[x->src] = !open;
		return;
	}
	for (size_t i = 0; i < b->nexp; i++)
		if (b->expanded[i] == x->it.id) {
			if (!open)
				b->expanded[i] = b->expanded[--b->nexp];
			return;
		}
	if (!open)
		return;
	if (b->nexp == b->capexp) {
		size_t cap = b->capexp ? b->capexp * 2 : 16;
		long long *v = realloc(b->expanded, cap * sizeof *v);
		if (!v)
			return;
		b->expanded = v;
		b->capexp = cap;
	}
	b->expanded[b->nexp++] = x->it.id;
}

/* Position among siblings, from 1. */
static long long pos_of(const node *x)
{
	return x->src >= 0 ? x->src + 1 : x->it.ordinal + 1;
}

/* The level a row's children are in. */
static level children_of(const node *x)
{
	if (x->src >= 0)
		return (level){L_SOURCE, x->it.source_id};
	return (level){L_ITEM, x->it.id};
}

/* The level a row is in. */
static level level_of(const browser *b, const node *x)
{
	if (x->src >= 0)
		return (level){L_ROOT, 0};
	if (x->it.parent_id > 0)
		return (level){L_ITEM, x->it.parent_id};
	return b->source_id ? (level){L_ROOT, 0} : (level){L_SOURCE, x->it.source_id};
}

static void filter_base(const browser *b, dl_item_filter *f)
{
	memset(f, 0, sizeof *f);
	f->case_number = b->number;
	f->source_id = b->source_id;
}

static void filter_flat(const browser *b, dl_item_filter *f)
{
	filter_base(b, f);
	f->type = type_prefixes[b->type];
	f->tag = b->tag == 0 ? NULL : b->tag == 5 ? DL_TAG_NONE : evidence_tag_names[b->tag - 1];
	f->hits_only = b->hits;
	f->name = b->name.buf && b->name.buf[0] ? b->name.buf : NULL;
}

/* Up to limit rows of level L past position after (0: from its first, or
 * descending its last), appended to out at depth. */
static size_t level_page(browser *b, level L, long long after, int desc, size_t limit, int depth, nodes *out)
{
	if (L.kind == L_ROOT && !b->source_id) {
		size_t k = 0;
		long long ns = (long long)b->sources.n;
		if (!desc) {
			for (long long i = after; i < ns && k < limit; i++, k++) {
				node x = {{0}, (int)i, depth};
				x.it.source_id = b->sources.v[i].id;
				nodes_push(out, &x);
			}
		} else {
			for (long long i = (after > 0 ? after - 1 : ns) - 1; i >= 0 && k < limit; i--, k++) {
				node x = {{0}, (int)i, depth};
				x.it.source_id = b->sources.v[i].id;
				nodes_push(out, &x);
			}
		}
		return k;
	}
	dl_item_filter f;
	filter_base(b, &f);
	if (L.kind == L_ITEM) {
		f.parent_id = L.id;
	} else {
		f.parent_id = DL_ITEM_TOP;
		if (L.kind == L_SOURCE)
			f.source_id = L.id;
	}
	f.by_position = 1;
	f.descending = desc;
	f.after_position = after;
	f.limit = (long long)limit;
	dl_item_list l;
	dl_err err = {0};
	if (evidence_item_list(ui_session(), &f, &l, &err) != DL_OK) {
		ui_error(&err);
		return 0;
	}
	for (size_t i = 0; i < l.n; i++) {
		node x = {l.v[i], -1, depth};
		nodes_push(out, &x);
	}
	size_t k = l.n;
	free(l.v);                  /* the items moved into out */
	return k;
}

/* Rows of level L after position `after` in tree order (each open row followed
 * by its own rows), until out holds need. */
static void emit_fwd(browser *b, level L, int depth, long long after, nodes *out, size_t need)
{
	while (out->n < need) {
		size_t want = need - out->n;
		nodes page = {0};
		size_t k = level_page(b, L, after, 0, want, depth, &page);
		for (size_t i = 0; i < k; i++) {
			if (out->n >= need) {
				node_free(&page.v[i]);
				continue;
			}
			node x = page.v[i];
			after = pos_of(&x);
			int open = is_open(b, &x) && has_children(b, &x);
			level sub = children_of(&x);
			nodes_push(out, &x);
			if (open)
				emit_fwd(b, sub, depth + 1, 0, out, need);
		}
		free(page.v);
		if (k < want)
			return;
	}
}

/* The same backwards: rows of level L before position `before` (0: from its
 * end), nearest first, each open row after its own rows. */
static void emit_back(browser *b, level L, int depth, long long before, nodes *out, size_t need)
{
	while (out->n < need) {
		size_t want = need - out->n;
		nodes page = {0};
		size_t k = level_page(b, L, before, 1, want, depth, &page);
		for (size_t i = 0; i < k; i++) {
			node x = page.v[i];
			if (out->n < need && is_open(b, &x) && has_children(b, &x))
				emit_back(b, children_of(&x), depth + 1, 0, out, need);
			before = pos_of(&x);
			if (out->n >= need)
				node_free(&x);
			else
				nodes_push(out, &x);
		}
		free(page.v);
		if (k < want)
			return;
	}
}

/* The row a row hangs from; 0 at the top of the tree. */
static int parent_row(browser *b, const node *x, node *out)
{
	memset(out, 0, sizeof *out);
	if (x->src >= 0)
		return 0;
	if (x->it.parent_id > 0) {
		dl_err err = {0};
		if (evidence_item_get(ui_session(), x->it.parent_id, &out->it, &err) != DL_OK)
			return 0;
		out->src = -1;
		out->depth = x->depth - 1;
		return 1;
	}
	if (b->source_id)
		return 0;
	for (size_t i = 0; i < b->sources.n; i++)
		if (b->sources.v[i].id == x->it.source_id) {
			out->src = (int)i;
			out->it.source_id = x->it.source_id;
			out->depth = 0;
			return 1;
		}
	return 0;
}

/* A copy of a row's place (not its strings): enough to walk from it. */
static node place_of(const node *x)
{
	node p;
	memset(&p, 0, sizeof p);
	p.src = x->src;
	p.depth = x->depth;
	p.it.id = x->it.id;
	p.it.source_id = x->it.source_id;
	p.it.parent_id = x->it.parent_id;
	p.it.ordinal = x->it.ordinal;
	p.it.has_children = x->it.has_children;
	return p;
}

/* need rows after row r (NULL: from the first) into out, in order. */
static void rows_after(browser *b, const node *r, size_t need, nodes *out)
{
	if (flat(b)) {
		dl_item_filter f;
		filter_flat(b, &f);
		f.after_id = r ? r->it.id : 0;
		f.limit = (long long)need;
		dl_item_list l;
		dl_err err = {0};
		if (evidence_item_list(ui_session(), &f, &l, &err) != DL_OK) {
			ui_error(&err);
			return;
		}
		for (size_t i = 0; i < l.n; i++) {
			node x = {l.v[i], -1, 0};
			nodes_push(out, &x);
		}
		free(l.v);
		return;
	}
	level root = {L_ROOT, 0};
	if (!r) {
		emit_fwd(b, root, 0, 0, out, need);
		return;
	}
	if (is_open(b, r) && has_children(b, r))
		emit_fwd(b, children_of(r), r->depth + 1, 0, out, need);
	node cur = place_of(r);
	while (out->n < need) {
		emit_fwd(b, level_of(b, &cur), cur.depth, pos_of(&cur), out, need);
		node up;
		if (out->n >= need || !parent_row(b, &cur, &up))
			break;
		node_free(&cur);
		cur = up;
	}
	node_free(&cur);
}

/* need rows before row r (NULL: from the last) into out, nearest first. */
static void rows_before(browser *b, const node *r, size_t need, nodes *out)
{
	if (flat(b)) {
		dl_item_filter f;
		filter_flat(b, &f);
		f.after_id = r ? r->it.id : 0;
		f.descending = 1;
		f.limit = (long long)need;
		dl_item_list l;
		dl_err err = {0};
		if (evidence_item_list(ui_session(), &f, &l, &err) != DL_OK) {
			ui_error(&err);
			return;
		}
		for (size_t i = 0; i < l.n; i++) {
			node x = {l.v[i], -1, 0};
			nodes_push(out, &x);
		}
		free(l.v);
		return;
	}
	if (!r) {
		emit_back(b, (level){L_ROOT, 0}, 0, 0, out, need);
		return;
	}
	node cur = place_of(r);
	while (out->n < need) {
		emit_back(b, level_of(b, &cur), cur.depth, pos_of(&cur), out, need);
		node up;
		if (out->n >= need || !parent_row(b, &cur, &up))
			break;
		node keep = place_of(&up);
		nodes_push(out, &up);
		node_free(&cur);
		cur = keep;
	}
	node_free(&cur);
}

/* ---- the window ---- */

static void win_clear(browser *b)
{
	nodes_free(&b->win);
	b->sel = b->top = 0;
	b->at_start = b->at_end = 1;
}

static void win_load_start(browser *b)
{
	win_clear(b);
	size_t want = (size_t)page_of(b) * 3;
	rows_after(b, NULL, want, &b->win);
	b->at_end = b->win.n < want;
}

static void win_load_end(browser *b)
{
	win_clear(b);
	size_t want = (size_t)page_of(b) * 3;
	nodes back = {0};
	rows_before(b, NULL, want, &back);
	for (size_t i = back.n; i-- > 0;)
		nodes_push(&b->win, &back.v[i]);
	b->at_start = back.n < want;
	free(back.v);
	b->sel = (long)b->win.n - 1;
	b->top = b->sel - b->rows + 1;
	if (b->top < 0)
		b->top = 0;
}

static void win_extend_after(browser *b)
{
	if (b->at_end || b->win.n == 0)
		return;
	size_t want = (size_t)page_of(b) * 2;
	size_t before = b->win.n;
	node last = place_of(&b->win.v[b->win.n - 1]);
	rows_after(b, &last, want, &b->win);
	node_free(&last);
	b->at_end = b->win.n - before < want;
}

static void win_extend_before(browser *b)
{
	if (b->at_start || b->win.n == 0)
		return;
	size_t want = (size_t)page_of(b) * 2;
	nodes back = {0};
	node first = place_of(&b->win.v[0]);
	rows_before(b, &first, want, &back);
	node_free(&first);
	b->at_start = back.n < want;
	if (!back.n)
		return;
	nodes merged = {0};
	for (size_t i = back.n; i-- > 0;)
		nodes_push(&merged, &back.v[i]);
	for (size_t i = 0; i < b->win.n; i++)
		nodes_push(&merged, &b->win.v[i]);
	free(back.v);
	free(b->win.v);
	b->win = merged;
	b->sel += (long)back.n;
	b->top += (long)back.n;
}

/* Keep a few pages around the view, drop the rest. */
static void win_trim(browser *b)
{
	long page = page_of(b);
	long lo = b->top - 3 * page;
	if (lo > 0) {
		for (long i = 0; i < lo; i++)
			node_free(&b->win.v[i]);
		memmove(b->win.v, b->win.v + lo, (b->win.n - (size_t)lo) * sizeof *b->win.v);
		b->win.n -= (size_t)lo;
		b->sel -= lo;
		b->top -= lo;
		b->at_start = 0;
	}
	long hi = b->top + 5 * page;
	if (hi < (long)b->win.n && b->sel < hi) {
		for (size_t i = (size_t)hi; i < b->win.n; i++)
			node_free(&b->win.v[i]);
		b->win.n = (size_t)hi;
		b->at_end = 0;
	}
}

/* Fit the view on the selection, with rows fetched around it. */
static void win_fit(browser *b)
{
	int rows = b->rows > 0 ? b->rows : 1;
	if (b->top + rows + page_of(b) > (long)b->win.n)
		win_extend_after(b);
	if (b->top < page_of(b))
		win_extend_before(b);
	long n = (long)b->win.n;
	if (b->sel >= n)
		b->sel = n - 1;
	if (b->sel < 0)
		b->sel = 0;
	if (b->sel < b->top)
		b->top = b->sel;
	if (b->sel >= b->top + rows)
		b->top = b->sel - rows + 1;
	if (b->at_end && b->top > n - rows)
		b->top = n - rows;
	if (b->top < 0)
		b->top = 0;
	win_trim(b);
}

/* Rows after the selection are out of date (a node opened or closed). */
static void win_refill_after_sel(browser *b)
{
	for (size_t i = (size_t)b->sel + 1; i < b->win.n; i++)
		node_free(&b->win.v[i]);
	if (b->win.n > (size_t)b->sel + 1)
		b->win.n = (size_t)b->sel + 1;
	b->at_end = 0;
	win_extend_after(b);
}

/* A window around row x (moved in), shown offset rows below the top. */
static void win_anchor(browser *b, node *x, long offset)
{
	win_clear(b);
	size_t page = (size_t)page_of(b);
	nodes back = {0};
	rows_before(b, x, page * 2, &back);
	for (size_t i = back.n; i-- > 0;)
		nodes_push(&b->win, &back.v[i]);
	b->at_start = back.n < page * 2;
	free(back.v);
	b->sel = (long)b->win.n;
	node anchor = place_of(x);
	nodes_push(&b->win, x);
	size_t before = b->win.n;
	rows_after(b, &anchor, page * 3, &b->win);
	node_free(&anchor);
	b->at_end = b->win.n - before < page * 3;
	b->top = b->sel - offset;
	if (b->top < 0)
		b->top = 0;
}

static node *selected(browser *b)
{
	return b->win.n && b->sel >= 0 && b->sel < (long)b->win.n ? &b->win.v[b->sel] : NULL;
}

static void count_matches(browser *b)
{
	b->matches = -1;
	if (!flat(b))
		return;
	dl_item_filter f;
	filter_flat(b, &f);
	dl_err err = {0};
	if (evidence_item_count(ui_session(), &f, &b->matches, &err) != DL_OK) {
		ui_error(&err);
		b->matches = -1;
	}
}

/* The filters changed: a flat list from its start, or back to the tree at
 * the item that was selected (its folders opened). */
static void refilter(browser *b)
{
	node *x = selected(b);
	long long id = x && x->src < 0 ? x->it.id : 0;
	/* a name filter reads every item's path: counted once it is kept (Enter),
	 * not at each key typed */
	if (b->typing)
		b->matches = -1;
	else
		count_matches(b);
	if (flat(b) || !id) {
		win_load_start(b);
		return;
	}
	dl_item chain[64];
	size_t n = 0;
	dl_err err = {0};
	if (evidence_item_chain(ui_session(), id, chain, 64, &n, &err) != DL_OK || n == 0) {
		win_load_start(b);
		return;
	}
	for (size_t i = 0; i + 1 < n; i++) {
		node up = {chain[i], -1, 0};
		set_open(b, &up, 1);
	}
	node at = {chain[n - 1], -1, (int)n - 1 + (b->source_id ? 0 : 1)};
	for (size_t i = 0; i + 1 < n; i++)
		evidence_item_free(&chain[i]);
	if (!b->source_id) {
		for (size_t i = 0; i < b->sources.n; i++)
			if (b->sources.v[i].id == at.it.source_id)
				b->src_closed[i] = 0;
	}
	win_anchor(b, &at, b->rows / 2);
}

/* Saved changes (a tag, a note): the selected row again, the sources, the count. */
static void reload(browser *b)
{
	b->gen = ui_generation();
	b->detail_id = 0;
	node *x = selected(b);
	if (x && x->src < 0) {
		dl_item it;
		dl_err err = {0};
		if (evidence_item_get(ui_session(), x->it.id, &it, &err) == DL_OK) {
			evidence_item_free(&x->it);
			x->it = it;
		}
	}
	if (flat(b))
		count_matches(b);
}

/* ---- drawing helpers ---- */

/* s isolated, to sit in a composed line without turning it around (ui.h) */
static const char *iso(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, UI_ISO "%s" UI_PDI, s ? s : "");
	return buf;
}

/* s left to right in both languages (a line of paths) */
static const char *ltr(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, UI_LRI "%s" UI_PDI, s ? s : "");
	return buf;
}

static const char *tag_label(const char *t)
{
	static const char *const labels[] = {N_("relevant"), N_("irrelevant"), N_("privileged"), N_("to review")};
	for (int i = 0; evidence_tag_names[i]; i++)
		if (!strcmp(evidence_tag_names[i], t))
			return _(labels[i]);
	if (!strcmp(t, DL_TAG_NONE))
		return _("untagged");
	return t;
}

/* "relevant,review" -> the labels, joined */
static void tags_text(const char *tags, char *out, size_t outsz)
{
	out[0] = '\0';
	char copy[128];
	snprintf(copy, sizeof copy, "%s", tags ? tags : "");
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t l = strlen(out);
		snprintf(out + l, outsz - l, "%s%s", l ? ", " : "", tag_label(t));
	}
}

/* Marks for the list: a hash-set hit, then one sign per tag. */
static void marks(const dl_item *it, char *out, size_t outsz)
{
	static const char *const signs[] = {"✓", "✗", "§", "?"};
	snprintf(out, outsz, "%s", it->hits ? "!" : "");
	char have[140];
	snprintf(have, sizeof have, ",%s,", it->tags ? it->tags : "");
	for (int i = 0; evidence_tag_names[i]; i++) {
		char probe[40];
		snprintf(probe, sizeof probe, ",%s,", evidence_tag_names[i]);
		if (strstr(have, probe)) {
			size_t l = strlen(out);
			snprintf(out + l, outsz - l, "%s", signs[i]);
		}
	}
}

/* A table row in w cells from x (the list shares the screen with a pane);
 * the first cell indented by indent cells (the depth in the tree: laid out,
 * not typed as spaces, so that it stays on the start side in either
 * direction). */
static void row_at(int y, int x, int w, const ui_col *cols, int n, const char *const *cells,
                   const ui_role *roles, ui_role base, int header, int indent)
{
	int cx[8], cw[8];
	ui_cols_layout(cols, n, w, cx, cw);
	ui_fill(y, x, w, base);
	for (int i = 0; i < n; i++) {
		ui_role r = base;
		if (roles && roles[i] != R_NORMAL && base != R_SELECTED)
			r = roles[i];
		int in = i == 0 && indent < cw[0] / 2 ? indent : i == 0 ? cw[0] / 2 : 0;
		ui_put(y, x + cx[i] + in, cw[i] - in, header ? _(cols[i].title) : cells[i] ? cells[i] : "", r,
		       cols[i].align);
	}
}

/* The archives an item is in, outermost first ("phone.tar › chats.zip"),
 * from the item id of its parent; folders are left out, since the paths of
 * their entries name them already. */
static void containers(long long parent_id, char *out, size_t outsz)
{
	out[0] = '\0';
	dl_item chain[64];
	size_t n = 0;
	dl_err err = {0};
	if (evidence_item_chain(ui_session(), parent_id, chain, 64, &n, &err) != DL_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!chain[i].is_dir) {
			size_t l = strlen(out);
			char pb[1200];
			snprintf(out + l, outsz - l, "%s%s", l ? " › " : "", ui_path(pb, sizeof pb, chain[i].path));
		}
		evidence_item_free(&chain[i]);
	}
}

static const char *held_in(browser *b, long long parent_id)
{
	for (int i = 0; i < b->nheld; i++)
		if (b->held[i].id == parent_id)
			return b->held[i].path;
	char path[1200];
	containers(parent_id, path, sizeof path);
	int slot = b->nheld < 32 ? b->nheld++ : (int)(parent_id % 32);
	free(b->held[slot].path);
	b->held[slot].id = parent_id;
	b->held[slot].path = strdup(path);
	return b->held[slot].path ? b->held[slot].path : "";
}

static const ui_col tree_cols[] = {
	{N_("Name"), 0, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Type"), 18, UI_START},
	{N_("Marks"), 5, UI_START},
};
static const ui_col flat_cols[] = {
	{N_("Path"), 0, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Type"), 18, UI_START},
	{N_("Marks"), 5, UI_START},
};
#define NLCOLS 4
/* the list beside a wide preview: the type is in the details */
static const ui_col tree_cols_narrow[] = {
	{N_("Name"), 0, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Marks"), 5, UI_START},
};
static const ui_col flat_cols_narrow[] = {
	{N_("Path"), 0, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Marks"), 5, UI_START},
};

static const ui_col *list_cols(const browser *b, int lw, int *n)
{
	*n = lw < 60 ? 3 : NLCOLS;
	if (lw < 60)
		return flat(b) ? flat_cols_narrow : tree_cols_narrow;
	return flat(b) ? flat_cols : tree_cols;
}

static void draw_row(browser *b, const node *x, int y, int lx, int lw, int sel)
{
	char name[3100], size[32], mark[32];
	int indent = 0;
	const char *type = "";
	ui_role name_role = R_NORMAL, mark_role = R_NORMAL;
	if (x->src >= 0) {
		const dl_source *s = &b->sources.v[x->src];
		char items[32];
		ui_group(s->item_count, items, sizeof items);
		/* the source: its file name and how many items it holds */
		snprintf(name, sizeof name, "%s " UI_ISO "%s" UI_PDI " (%s)", is_open(b, x) ? "▾" : (ui_rtl() ? "◂" : "▸"),
		         ui_base_name(s->original_path), items);
		ui_size(s->size, size, sizeof size);
		type = _("source");
		mark[0] = '\0';
		name_role = R_HEADER;
	} else {
		const dl_item *it = &x->it;
		const char *sign = "  ";
		if (!flat(b) && has_children(b, x))
			sign = is_open(b, x) ? "▾ " : (ui_rtl() ? "◂ " : "▸ ");
		/* in the tree a folder's entries show their own name; members of an
		 * archive keep their path inside it */
		const char *shown = it->path;
		if (!flat(b) && x->depth > 0 && it->parent_id > 0) {
			const char *slash = strrchr(it->path, '/');
			node *p = NULL;
			for (long i = (long)(x - b->win.v) - 1; i >= 0; i--)
				if (b->win.v[i].depth < x->depth) {
					p = &b->win.v[i];
					break;
				}
			if (p && p->src < 0 && p->it.is_dir && slash && slash[1])
				shown = slash + 1;
		}
		char pb[1400], path[1500], full[3000];
		size_t sl = strlen(shown);
		int slash_end = sl && shown[sl - 1] == '/';
		/* the path isolated: an Arabic name must not turn the row (and its indent) around */
		snprintf(path, sizeof path, "%s%s", ui_path(pb, sizeof pb, shown), it->is_dir && !slash_end ? "/" : "");
		const char *in = flat(b) && it->parent_id > 0 ? held_in(b, it->parent_id) : "";
		snprintf(full, sizeof full, "%s%s%s", in, *in ? " › " : "", path);
		indent = flat(b) ? 0 : 2 * x->depth;
		snprintf(name, sizeof name, "%s" UI_LRI "%s" UI_PDI, sign, full);
		if (it->is_dir)
			snprintf(size, sizeof size, "%s", "");
		else
			ui_size(it->size, size, sizeof size);
		type = it->mime ? it->mime : it->is_dir ? _("folder") : "";
		marks(it, mark, sizeof mark);
		if (it->encrypted || it->problem)
			name_role = R_ERROR;
		if (it->hits)
			mark_role = R_HIT;
	}
	int n;
	const ui_col *cols = list_cols(b, lw, &n);
	const char *cells[NLCOLS] = {name, size, type, mark};
	ui_role roles[NLCOLS] = {name_role, R_NORMAL, R_DIM, mark_role};
	if (n == 3) {
		cells[2] = mark;
		roles[2] = mark_role;
	}
	row_at(y, lx, lw, cols, n, cells, roles, sel ? R_SELECTED : R_NORMAL, 0,
	       indent);
}

/* ---- the detail pane ---- */

typedef struct pane {
	int top, x, w, h;           /* rows top..top+h, cells x..x+w */
	int y;                      /* next row */
	int label_w;
} pane;

typedef struct pane_row_ctx {
	pane *p;
	const char *label;
	ui_role role;
} pane_row_ctx;

static void pane_row(long i, const char *s, size_t len, void *ctx)
{
	pane_row_ctx *c = ctx;
	pane *p = c->p;
	if (p->y >= p->top + p->h)
		return;
	char *t = strndup(s, len);
	if (!t)
		return;
	if (p->label_w) {
		ui_put(p->y, p->x, p->label_w, i == 0 ? c->label : "", R_LABEL, UI_START);
		ui_put(p->y, p->x + p->label_w + 1, p->w - p->label_w - 1, t, c->role, UI_START);
	} else {
		ui_put(p->y, p->x + 2, p->w - 2, t, c->role, UI_START);
	}
	free(t);
	p->y++;
}

/* label: value, wrapped in the pane (a narrow pane puts the label above). */
static void pane_line(pane *p, const char *label, const char *value, ui_role role)
{
	if (!value || !*value || p->y >= p->top + p->h)
		return;
	int w = p->label_w ? p->w - p->label_w - 1 : p->w - 2;
	/* a long word (a hash) that fits the pane whole goes under its label
	 * rather than be broken */
	int alone = !p->label_w;
	if (p->label_w && !strchr(value, ' ')) {
		int cells = text_cells(value, ui_bidi());
		alone = cells > w && cells <= p->w - 2;
	}
	if (alone) {
		ui_put(p->y++, p->x, p->w, label, R_LABEL, UI_START);
		if (p->y >= p->top + p->h)
			return;
		int keep = p->label_w;
		p->label_w = 0;
		pane_row_ctx c = {p, label, role};
		ui_detail_wrap(value, p->w - 2, pane_row, &c);
		p->label_w = keep;
		return;
	}
	pane_row_ctx c = {p, label, role};
	ui_detail_wrap(value, w, pane_row, &c);
}

static void load_detail(browser *b, const dl_item *it)
{
	if (b->detail_id == it->id)
		return;
	b->detail_id = it->id;
	b->inside[0] = '\0';
	if (it->parent_id > 0)
		containers(it->parent_id, b->inside, sizeof b->inside);
	if (b->custody_src != it->source_id) {
		custody_list_free(&b->custody);
		b->custody_src = it->source_id;
		dl_err err = {0};
		if (custody_list(ui_session(), b->number, "source", it->source_id, &b->custody, &err) != DL_OK)
			memset(&b->custody, 0, sizeof b->custody);
	}
}

static const char *event_label(dl_custody_event_kind k)
{
	static const char *const labels[] = {
		N_("seized"), N_("sealed"), N_("transferred"), N_("received"), N_("extracted"),
		N_("ingested"), N_("examined"), N_("reported on"), N_("returned"), N_("destroyed"),
	};
	return (unsigned)k < sizeof labels / sizeof *labels ? _(labels[k]) : "";
}

static void draw_source_detail(browser *b, const dl_source *s, pane *p)
{
	char buf[600], items[32], size[32];
	char lb[4200];
	pane_line(p, _("Source"), ui_path(lb, sizeof lb, s->original_path), R_NORMAL);
	ui_group(s->item_count, items, sizeof items);
	ui_size(s->size, size, sizeof size);
	snprintf(buf, sizeof buf, _("%s items · %s · %s"), items, size, s->in_place ? _("in place") : _("kept"));
	pane_line(p, _("Holds"), buf, R_NORMAL);
	pane_line(p, _("Status"), s->status_reason && *s->status_reason ? s->status_reason : s->status,
	          strcmp(s->status, "complete") ? R_SOON : R_FINE);
	pane_line(p, "SHA-256", s->sha256, R_NORMAL);
	pane_line(p, "MD5", s->md5, R_NORMAL);
	pane_line(p, "SHA-1", s->sha1, R_NORMAL);
	snprintf(buf, sizeof buf, "%s · " UI_ISO "%s" UI_PDI, s->ingested_at ? s->ingested_at : "",
	         s->ingested_by ? s->ingested_by : "");
	pane_line(p, _("Ingested"), buf, R_NORMAL);
	(void)b;
}

static void draw_detail(browser *b, pane *p)
{
	for (int r = 0; r < p->h; r++)
		ui_fill(p->top + r, p->x, p->w, R_NORMAL);
	node *x = selected(b);
	p->y = p->top;
	ui_put(p->y++, p->x, p->w, _("Details"), R_HEADER, UI_START);
	if (!x)
		return;
	if (x->src >= 0) {
		draw_source_detail(b, &b->sources.v[x->src], p);
		return;
	}
	const dl_item *it = &x->it;
	load_detail(b, it);
	char buf[1400], a[32], c[32];
	char lb[4200];
	pane_line(p, _("Path"), ui_path(lb, sizeof lb, it->path), R_NORMAL);
	if (*b->inside) {
		char lb2[4200];
		pane_line(p, _("Inside"), ltr(lb2, sizeof lb2, b->inside), R_NORMAL);
	} else {
		pane_line(p, _("Inside"), b->inside, R_NORMAL);
	}
	if (it->is_dir) {
		snprintf(buf, sizeof buf, "%s", _("folder"));
	} else if (it->size >= 0) {
		ui_size(it->size, a, sizeof a);
		ui_group(it->size, c, sizeof c);
		snprintf(buf, sizeof buf, P_("%s (%s byte)", "%s (%s bytes)", it->size), a, c);
	} else {
		snprintf(buf, sizeof buf, "%s", _("unknown"));
	}
	pane_line(p, _("Size"), buf, R_NORMAL);
	pane_line(p, _("Modified"), it->mtime, R_NORMAL);
	pane_line(p, _("Type"), it->mime, R_NORMAL);
	pane_line(p, _("Description"), it->description, R_DIM);
	if (it->encrypted || it->problem) {
		snprintf(buf, sizeof buf, "%s%s%s", it->encrypted ? _("encrypted") : "",
		         it->encrypted && it->problem ? " · " : "", it->problem ? it->problem : "");
		pane_line(p, _("Problem"), buf, R_ERROR);
	}
	pane_line(p, _("Hash-set hits"), it->hits, R_HIT);
	tags_text(it->tags, buf, sizeof buf);
	pane_line(p, _("Tags"), buf, R_OK);
	/* the note before the hashes: the pane under the list at 80×24 has no
	 * room for all, and the note is what the examiner comes back for */
	pane_line(p, _("Examiner's note"), it->note, R_NORMAL);
	pane_line(p, "SHA-256", it->sha256, R_NORMAL);
	pane_line(p, "MD5", it->md5, R_NORMAL);
	pane_line(p, "SHA-1", it->sha1, R_NORMAL);
	const dl_source *s = source_of(b, it->source_id);
	if (s) {
		char sb[4200];
		pane_line(p, _("Source"), ui_path(sb, sizeof sb, s->original_path), R_DIM);
	}
	for (size_t i = 0; i < b->custody.n; i++) {
		const dl_custody_event *e = &b->custody.v[i];
		snprintf(buf, sizeof buf, "%.16s %s%s" UI_ISO "%s" UI_PDI "%s" UI_ISO "%s" UI_PDI, e->at ? e->at : "",
		         event_label(e->event), e->from ? " · " : "", e->from ? e->from : "", e->to ? " → " : "",
		         e->to ? e->to : "");
		pane_line(p, i == 0 ? _("Custody") : "", buf, R_NORMAL);
	}
}

/* ---- the preview ---- */

static void preview_clear(preview *pv)
{
	free(pv->why);
	free(pv->data);
	for (size_t i = 0; i < pv->nlines; i++)
		free(pv->lines[i]);
	free(pv->lines);
	free(pv->rows);
	memset(pv, 0, sizeof *pv);
}

static void preview_why(preview *pv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void preview_why(preview *pv, const char *fmt, ...)
{
	char m[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	free(pv->why);
	pv->why = strdup(m);
}

/* bytes to UTF-8 through iconv; undecodable bytes become U+FFFD */
static char *convert(const unsigned char *in, size_t n, const char *from)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 3 + 16;
	char *out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap - 1;
	size_t unit = !strncmp(from, "UTF-16", 6) ? 2 : 1;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno == E2BIG || ol < 4)
			break;
		if (errno == EINVAL)    /* cut in the middle of a character: the end of what was read */
			break;
		/* EILSEQ: one replacement character for one unit */
		memcpy(op, "\xef\xbf\xbd", 3);
		op += 3;
		ol -= 3;
		size_t skip = il < unit ? il : unit;
		ip += skip;
		il -= skip;
	}
	*op = '\0';
	iconv_close(cd);
	return out;
}

/* Valid UTF-8, allowing a character cut off at the end of what was read. */
static int valid_utf8(const unsigned char *p, size_t n, int cut)
{
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		wchar_t c;
		int len = text_utf8_decode((const char *)p + i, n - i, &c);
		if (len < 0) {
			/* a lead byte whose sequence runs past the end */
			size_t need = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : p[i] >= 0xC2 ? 2 : 0;
			if (cut && need && i + need > n)
				return 1;
			return 0;
		}
		i += (size_t)len;
	}
	return 1;
}

/* Text is mostly printable: few control characters besides tab, newlines, form feed, Esc. */
static int looks_text(const char *s)
{
	size_t n = 0, ctl = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f' && *p != 0x1b)
			ctl++;
	return n == 0 || ctl * 100 <= n;
}

static void preview_lines(preview *pv, const char *text)
{
	const char *p = text;
	for (;;) {
		const char *end = strchr(p, '\n');
		if (!*p && pv->nlines)      /* the newline ending the last line starts none */
			break;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		/* tabs to spaces (stops of 4) */
		size_t tabs = 0;
		for (size_t i = 0; i < len; i++)
			tabs += p[i] == '\t';
		char *line = malloc(len + 3 * tabs + 1);
		char **v = realloc(pv->lines, (pv->nlines + 1) * sizeof *v);
		if (!line || !v) {
			free(line);
			if (v)
				pv->lines = v;
			return;
		}
		pv->lines = v;
		size_t o = 0;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '\t') {
				do
					line[o++] = ' ';
				while (o % 4);
			} else {
				line[o++] = p[i];
			}
		}
		line[o] = '\0';
		pv->lines[pv->nlines++] = line;
		if (!end)
			break;
		p = end + 1;
	}
}

/* Decide what the bytes are: UTF-8, UTF-16 (a BOM or many NULs), CP1256
 * (bytes in its Arabic letters), or not text. */
static void preview_decode(preview *pv)
{
	const unsigned char *d = pv->data;
	size_t n = pv->len;
	int cut = pv->size > (long long)n;
	char *text = NULL;
	if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF && valid_utf8(d + 3, n - 3, cut)) {
		pv->enc = "UTF-8";
		text = strndup((const char *)d + 3, n - 3);
	} else if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
		pv->enc = d[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		text = convert(d + 2, (n - 2) & ~(size_t)1, pv->enc);
	} else {
		size_t z_even = 0, z_odd = 0, high = 0, arabic = 0, nul = 0;
		for (size_t i = 0; i < n; i++) {
			if (!d[i]) {
				nul++;
				if (i % 2)
					z_odd++;
				else
					z_even++;
			}
			if (d[i] >= 0x80) {
				high++;
				/* CP1256 Arabic letters: C1-DA, DC-DF, E1, E3-E6, EC-ED */
				if ((d[i] >= 0xC1 && d[i] <= 0xDA) || (d[i] >= 0xDC && d[i] <= 0xDF) || d[i] == 0xE1 ||
				    (d[i] >= 0xE3 && d[i] <= 0xE6) || d[i] == 0xEC || d[i] == 0xED)
					arabic++;
			}
		}
		size_t half = n / 2;
		if (half >= 2 && z_odd * 10 >= half * 3 && z_even * 20 < half) {
			pv->enc = "UTF-16LE";
			text = convert(d, n & ~(size_t)1, pv->enc);
		} else if (half >= 2 && z_even * 10 >= half * 3 && z_odd * 20 < half) {
			pv->enc = "UTF-16BE";
			text = convert(d, n & ~(size_t)1, pv->enc);
		} else if (!nul && valid_utf8(d, n, cut)) {
			pv->enc = "UTF-8";
			text = strndup((const char *)d, n);
		} else if (!nul && high && arabic * 2 >= high) {
			pv->enc = "CP1256";
			text = convert(d, n, "CP1256");
		}
	}
	if (text && looks_text(text)) {
		preview_lines(pv, text);
	} else {
		pv->enc = NULL;
		pv->hex = 1;
	}
	free(text);
}

/* Extract the item (export checks its hashes) into the store's scratch
 * space, read its start, and remove the copy at once. */
static void preview_load(browser *b, const dl_item *it)
{
	preview *pv = &b->pv;
	preview_clear(pv);
	pv->open = 1;
	pv->item_id = it->id;
	pv->size = it->size;
	if (it->is_dir) {
		preview_why(pv, "%s", _("A folder has no content of its own: → opens it."));
		return;
	}
	if (it->encrypted) {
		preview_why(pv, "%s", _("The item is encrypted: its content was not read."));
		return;
	}
	if (!it->sha256) {
		preview_why(pv, _("The content was not read: %s"), it->problem ? it->problem : _("no hashes recorded"));
		return;
	}
	if (it->size == 0) {
		preview_why(pv, "%s", _("The item is empty (0 bytes)."));
		return;
	}
	if (it->size > PREVIEW_ASK) {
		char sz[32], q[300];
		ui_size(it->size, sz, sizeof sz);
		snprintf(q, sizeof q, _("The item is %s: it is extracted whole and checked before the preview. Go on?"),
		         sz);
		if (!ui_confirm(q)) {
			pv->open = 0;
			return;
		}
	}
	char dir[4096], path[4200];
	if (evidence_tmp_dir(ui_store(), dir, sizeof dir) != 0) {
		preview_why(pv, _("No scratch space in the store: %s"), strerror(errno));
		return;
	}
	snprintf(path, sizeof path, "%s/preview-%ld-%lld", dir, (long)getpid(), it->id);
	unlink(path);               /* a leftover of a killed run */
	dl_err err = {0};
	if (export_item(ui_session(), it->id, path, &err) != DL_OK) {
		preview_why(pv, "%s", err.msg);
		return;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (fd < 0) {
		preview_why(pv, _("cannot read %s: %s"), path, strerror(errno));
		return;
	}
	pv->data = malloc(PREVIEW_MAX);
	ssize_t k = 0;
	while (pv->data && pv->len < PREVIEW_MAX &&
	       (k = read(fd, pv->data + pv->len, PREVIEW_MAX - pv->len)) > 0)
		pv->len += (size_t)k;
	close(fd);
	if (!pv->data || k < 0) {
		preview_why(pv, "%s", _("The item could not be read back."));
		return;
	}
	preview_decode(pv);
}

typedef struct wrap_ctx {
	preview *pv;
	size_t line;
	const char *base;
} wrap_ctx;

static void wrap_row(long i, const char *s, size_t len, void *ctx)
{
	(void)i;
	wrap_ctx *c = ctx;
	prow *v = realloc(c->pv->rows, (c->pv->nrows + 1) * sizeof *v);
	if (!v)
		return;
	c->pv->rows = v;
	v[c->pv->nrows++] = (prow){c->line, (size_t)(s - c->base), len};
}

static long preview_total(preview *pv, int w)
{
	if (pv->why)
		return 1;
	if (pv->hex)
		return (long)((pv->len + 15) / 16);
	if (pv->wrapped != w) {
		free(pv->rows);
		pv->rows = NULL;
		pv->nrows = 0;
		for (size_t i = 0; i < pv->nlines; i++) {
			wrap_ctx c = {pv, i, pv->lines[i]};
			ui_detail_wrap(pv->lines[i], w, wrap_row, &c);
		}
		pv->wrapped = w;
	}
	return (long)pv->nrows;
}

/* 1 when the first letter with a direction is Arabic (or Hebrew, Syriac,
 * Thaana, N'Ko), 0 when it is another script's, -1 when there is none. */
static int first_strong_rtl(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		wchar_t c;
		int len = text_utf8_decode(s + i, n - i, &c);
		i += len > 0 ? (size_t)len : 1;
		if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
			return 1;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0x00C0 && c <= 0x058F) ||
		    (c >= 0x0900 && c <= 0x1FFF))
			return 0;
	}
	return -1;
}

static void draw_preview(browser *b, pane *p)
{
	preview *pv = &b->pv;
	for (int r = 0; r < p->h; r++)
		ui_fill(p->top + r, p->x, p->w, R_NORMAL);
	int body = p->h - 1;
	int w = p->w - 1;
	long total = preview_total(pv, w);
	pv->h = body;
	if (pv->top > total - body)
		pv->top = total - body;
	if (pv->top < 0)
		pv->top = 0;
	char title[400], got[32], all[32];
	ui_size((long long)pv->len, got, sizeof got);
	ui_size(pv->size, all, sizeof all);
	const char *what = pv->why ? "" : pv->hex ? _("hex") : pv->enc;
	if (pv->why)
		snprintf(title, sizeof title, "%s", _("Preview"));
	else if (pv->size > (long long)pv->len)
		snprintf(title, sizeof title, _("Preview · %s · first %s of %s · %ld–%ld of %ld"), what, got, all,
		         total ? pv->top + 1 : 0, pv->top + body < total ? pv->top + body : total, total);
	else
		snprintf(title, sizeof title, _("Preview · %s · %s · %ld–%ld of %ld"), what, all, total ? pv->top + 1 : 0,
		         pv->top + body < total ? pv->top + body : total, total);
	ui_put(p->top, p->x, p->w, title, R_HEADER, UI_START);
	if (pv->why) {
		pane q = *p;
		q.y = p->top + 2;
		q.label_w = 0;
		pane_row_ctx c = {&q, "", R_SOON};
		ui_detail_wrap(pv->why, p->w - 2, pane_row, &c);
		return;
	}
	for (int r = 0; r < body; r++) {
		long i = pv->top + r;
		if (i >= total)
			break;
		char line[1024];
		int align = UI_START;
		if (pv->hex) {
			/* offset, 16 bytes, their ASCII: data, so left to right in an isolate */
			size_t off = (size_t)i * 16;
			int o = snprintf(line, sizeof line, "\xe2\x81\xa6%08zx ", off);
			for (size_t k = 0; k < 16; k++) {
				if (off + k < pv->len)
					o += snprintf(line + o, sizeof line - (size_t)o, "%s%02x", k == 8 ? "  " : " ",
					              pv->data[off + k]);
				else
					o += snprintf(line + o, sizeof line - (size_t)o, "%s  ", k == 8 ? "  " : " ");
			}
			o += snprintf(line + o, sizeof line - (size_t)o, "  ");
			for (size_t k = 0; k < 16 && off + k < pv->len; k++) {
				unsigned char ch = pv->data[off + k];
				line[o++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
			}
			snprintf(line + o, sizeof line - (size_t)o, "\xe2\x81\xa9");
		} else {
			/* each line in its own direction (first strong letter): an isolate */
			const prow *pr = &pv->rows[i];
			const char *ln = pv->lines[pr->line];
			snprintf(line, sizeof line, "\xe2\x81\xa8%.*s\xe2\x81\xa9", (int)(pr->len < 1000 ? pr->len : 1000),
			         ln + pr->off);
			/* a line against the interface's direction starts on the other side */
			int rtl = first_strong_rtl(ln, strlen(ln));
			align = rtl >= 0 && rtl != (ui_rtl() != 0) ? UI_END : UI_START;
		}
		ui_put(p->top + 1 + r, p->x, w, line, R_NORMAL, align);
	}
}

static int preview_act(browser *b, ui_act a)
{
	preview *pv = &b->pv;
	long page = pv->h > 1 ? pv->h - 1 : 1;
	switch (a) {
	case A_UP: pv->top--; break;
	case A_DOWN: pv->top++; break;
	case A_PGUP: pv->top -= page; break;
	case A_PGDN: pv->top += page; break;
	case A_HOME: pv->top = 0; break;
	case A_END: pv->top = 1L << 40; break;   /* the draw clamps it */
	case A_HEX:
		if (pv->why)
			return 1;
		if (!pv->enc) {
			ui_message(R_MESSAGE, "%s", _("The content is not text: only the hex view shows it."));
			return 1;
		}
		pv->hex = !pv->hex;
		pv->top = 0;
		break;
	case A_BACK:
	case A_PREVIEW:
		preview_clear(pv);
		break;
	default:
		return 0;
	}
	if (pv->top < 0)
		pv->top = 0;
	return 1;
}

/* ---- forms ---- */

static dl_status note_submit(ui_form *f, void *ctx, dl_err *err)
{
	long long id = *(long long *)ctx;
	dl_status rc = evidence_item_note(ui_session(), id, ui_form_get(f, "note"), err);
	if (rc == DL_OK)
		ui_message(R_OK, _("Note of item %lld saved"), id);
	return rc;
}

static void note_open(const dl_item *it)
{
	static const ui_field_def defs[] = {
		{F_MULTILINE, "note", N_("Examiner's note"), N_("what the item shows, why it matters"), NULL, NULL},
	};
	long long *id = malloc(sizeof *id);
	if (!id)
		return;
	*id = it->id;
	char title[600];
	char nm[600];
	snprintf(title, sizeof title, _("Note on item %lld · %s"), it->id, iso(nm, sizeof nm, ui_base_name(it->path)));
	ui_form *f = ui_form_new(title, defs, 1, note_submit, id, free);
	if (!f) {
		free(id);
		return;
	}
	ui_form_set(f, "note", it->note ? it->note : "");
	ui_form_open(f);
}

static dl_status export_submit(ui_form *f, void *ctx, dl_err *err)
{
	long long id = *(long long *)ctx;
	char path[4096];
	snprintf(path, sizeof path, "%s", ui_form_get(f, "output"));
	if (!path[0])
		return dl_err_set(err, DL_EINVAL, "output", "%s", _("give the path of a new file"));
	dl_status rc = export_item(ui_session(), id, path, err);
	char p2[4200];
	if (rc == DL_OK)
		ui_message(R_OK, _("Item %lld written to %s: its MD5, SHA-1 and SHA-256 match the record"), id,
		           ui_path(p2, sizeof p2, path));
	return rc;
}

static void export_open(const dl_item *it)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "output", N_("Write to"), N_("the path of a new file"), NULL, NULL},
	};
	if (it->is_dir || !it->sha256) {
		ui_message(R_ERROR, "%s", it->is_dir ? _("A folder has no content to export: export its files.")
		                                     : _("The content of this item was not read: nothing to export."));
		return;
	}
	long long *id = malloc(sizeof *id);
	if (!id)
		return;
	*id = it->id;
	char title[600];
	char nm[600];
	snprintf(title, sizeof title, _("Export item %lld · %s"), it->id, iso(nm, sizeof nm, ui_base_name(it->path)));
	ui_form *f = ui_form_new(title, defs, 1, export_submit, id, free);
	if (!f) {
		free(id);
		return;
	}
	char cwd[2048], suggest[4200];
	if (getcwd(cwd, sizeof cwd)) {
		snprintf(suggest, sizeof suggest, "%s/%s", cwd, ui_base_name(it->path));
		ui_form_set(f, "output", suggest);
	}
	ui_form_open(f);
}

/* ---- the screen ---- */

static void status_line(browser *b, int y, int w)
{
	char line[900], n[32], what[300], num[100];
	what[0] = '\0';
	if (b->source_id) {
		const dl_source *s = source_of(b, b->source_id);
		ui_group(s ? s->item_count : 0, n, sizeof n);
		char nm[300];
		snprintf(what, sizeof what, _("%s · %s items"), iso(nm, sizeof nm, s ? ui_base_name(s->original_path) : ""), n);
	} else {
		long long total = 0;
		for (size_t i = 0; i < b->sources.n; i++)
			total += b->sources.v[i].item_count;
		ui_group(total, n, sizeof n);
		snprintf(what, sizeof what,
		         P_("all sources of %s · %zu source · %s items", "all sources of %s · %zu sources · %s items",
		            b->sources.n),
		         iso(num, sizeof num, b->number), b->sources.n, n);
	}
	if (flat(b)) {
		char m[32], filters[400] = "";
		if (b->type) {
			size_t l = strlen(filters);
			snprintf(filters + l, sizeof filters - l, "%s%s %s", l ? " · " : "", _("type"), type_prefixes[b->type]);
		}
		if (b->tag) {
			size_t l = strlen(filters);
			snprintf(filters + l, sizeof filters - l, "%s%s %s", l ? " · " : "", _("tag"),
			         b->tag == 5 ? _("untagged") : tag_label(evidence_tag_names[b->tag - 1]));
		}
		if (b->hits) {
			size_t l = strlen(filters);
			snprintf(filters + l, sizeof filters - l, "%s%s", l ? " · " : "", _("hash-set hits"));
		}
		if (b->name.buf && b->name.buf[0]) {
			size_t l = strlen(filters);
			char nm[300];
			snprintf(filters + l, sizeof filters - l, "%s%s “%s”", l ? " · " : "", _("name"),
			         iso(nm, sizeof nm, b->name.buf));
		}
		ui_group(b->matches, m, sizeof m);
		if (b->matches >= 0)
			snprintf(line, sizeof line, P_("%s · %s · %s match", "%s · %s · %s matches", b->matches), what,
			         filters, m);
		else
			snprintf(line, sizeof line, "%s · %s", what, filters);
	} else {
		node *x = selected(b);
		char pos[32] = "";
		if (x && x->src < 0)
			ui_group(x->it.ordinal + 1, pos, sizeof pos);
		if (pos[0])
			snprintf(line, sizeof line, _("%s · position %s"), what, pos);
		else
			snprintf(line, sizeof line, "%s", what);
	}
	ui_put(y, 0, w, line, flat(b) ? R_SOON : R_DIM, UI_START);
}

static void ev_draw(ui_screen *sc, int top, int rows)
{
	browser *b = sc->data;
	if (b->gen != ui_generation())
		reload(b);
	int cols = ui_cols();
	int wide = cols >= 120;
	/* the list on the start side, the pane beside it (wide) or under it */
	int lw = cols, pane_w = cols, pane_top = 0, pane_h = 0;
	int list_rows;
	int bottom = top + rows - 1;            /* the filter line / keys */
	if (wide) {
		/* the pane holds a SHA-256 on one line; the preview a hex row */
		pane_w = cols / 2 < 66 ? 66 : cols / 2 > 90 ? 90 : cols / 2;
		if (b->pv.open && b->pv.hex && pane_w < 80)
			pane_w = cols - 40 < 80 ? cols - 40 : 80;
		lw = cols - pane_w - 1;
		list_rows = rows - 3;
		pane_top = top;
		pane_h = rows - 1;
	} else {
		list_rows = (rows - 3) / 2 - (b->pv.open ? 2 : 0);
		if (list_rows < 3)
			list_rows = 3;
		pane_top = top + 2 + list_rows;
		pane_h = rows - 3 - list_rows;
	}
	b->rows = list_rows;
	win_fit(b);
	status_line(b, top, lw);
	int nlc;
	const ui_col *lc = list_cols(b, lw, &nlc);
	row_at(top + 1, 0, lw, lc, nlc, NULL, NULL, R_HEADER, 1, 0);
	for (int r = 0; r < list_rows; r++) {
		long i = b->top + r;
		if (i >= (long)b->win.n) {
			ui_fill(top + 2 + r, 0, lw, R_NORMAL);
			continue;
		}
		draw_row(b, &b->win.v[i], top + 2 + r, 0, lw, i == b->sel);
	}
	if (b->win.n == 0)
		ui_put(top + 3, 2, lw - 4,
		       flat(b) ? _("No item matches the filters. c clears them.") : _("This source holds no items."),
		       R_DIM, UI_START);
	pane p = {pane_top, wide ? lw + 1 : 0, pane_w, pane_h, pane_top, 0};
	p.label_w = pane_w >= 60 ? 15 : pane_w >= 40 ? 12 : 0;
	if (wide)
		for (int r = 0; r < pane_h; r++)
			ui_put(top + r, lw, 1, "│", R_BORDER, UI_START);
	if (b->pv.open)
		draw_preview(b, &p);
	else
		draw_detail(b, &p);
	/* the name filter being typed, or the keys */
	ui_fill(bottom, 0, cols, R_NORMAL);
	if (b->typing || (b->name.buf && b->name.buf[0])) {
		const char *label = _("Name contains:");
		int lwid = text_cells(label, ui_bidi()) + 1;
		ui_put(bottom, 0, lwid, label, R_LABEL, UI_START);
		int sx = ui_put_edit(bottom, lwid, cols - lwid, b->name.buf ? b->name.buf : "", edit_cursor_char(&b->name),
		                     0, b->typing ? R_FIELD_ACTIVE : R_FIELD);
		if (b->typing)
			ui_cursor_at(bottom, sx);
	} else if (b->pv.open) {
		ui_put(bottom, 0, cols, _("↑↓ PgUp PgDn scroll · x text/hex · Esc close the preview"), R_DIM, UI_START);
	} else {
		/* the tree opens towards the end side: the arrows swap in Arabic */
		char keys[300];
		snprintf(keys, sizeof keys, _("%s open %s close · p preview · t g h / filters · 1-4 tags · N note · E export"),
		         ui_rtl() ? "←" : "→", ui_rtl() ? "→" : "←");
		ui_put(bottom, 0, cols, keys, R_DIM, UI_START);
	}
}

static void tag_toggle(browser *b, int t)
{
	node *x = selected(b);
	if (!x || x->src >= 0) {
		ui_message(R_MESSAGE, "%s", _("Select an item to tag."));
		return;
	}
	const char *name = evidence_tag_names[t];
	char have[140], probe[40];
	snprintf(have, sizeof have, ",%s,", x->it.tags ? x->it.tags : "");
	snprintf(probe, sizeof probe, ",%s,", name);
	int remove = strstr(have, probe) != NULL;
	dl_err err = {0};
	if (evidence_item_tag(ui_session(), x->it.id, name, remove, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	ui_touch();
	char nm[600];
	ui_message(R_OK, remove ? _("%s: tag “%s” removed") : _("%s: tagged “%s”"),
	           iso(nm, sizeof nm, ui_base_name(x->it.path)), tag_label(name));
}

static void open_node(browser *b)
{
	node *x = selected(b);
	if (!x)
		return;
	if (flat(b) || !has_children(b, x)) {
		if (x->src < 0)
			preview_load(b, &x->it);
		return;
	}
	if (!is_open(b, x)) {
		set_open(b, x, 1);
		win_refill_after_sel(b);
	}
	/* on the first child */
	if (b->sel + 1 < (long)b->win.n && b->win.v[b->sel + 1].depth > x->depth)
		b->sel++;
}

static void close_node(browser *b)
{
	node *x = selected(b);
	if (!x || flat(b))
		return;
	if (has_children(b, x) && is_open(b, x)) {
		set_open(b, x, 0);
		win_refill_after_sel(b);
		return;
	}
	if (x->depth == 0)
		return;
	/* to the parent: the nearest row above with less depth */
	for (long i = b->sel - 1; i >= 0; i--)
		if (b->win.v[i].depth < x->depth) {
			b->sel = i;
			return;
		}
	node up;
	node at = place_of(x);
	int ok = parent_row(b, &at, &up);
	node_free(&at);
	if (ok)
		win_anchor(b, &up, b->rows / 3);
}

static int ev_act(ui_screen *sc, ui_act a, int ch)
{
	browser *b = sc->data;
	if (b->typing) {
		if (a == A_NONE && ui_is_text(ch)) {
			char u[8];
			size_t k = text_utf8_encode((wchar_t)ch, u);
			u[k] = '\0';
			edit_insert(&b->name, u);
			refilter(b);
			return 1;
		}
		if (a == A_NONE && (ch == KEY_BACKSPACE || ch == 21 || ch == 23)) {
			/* Backspace, Ctrl-U and Ctrl-W as in the forms */
			if (ch == KEY_BACKSPACE)
				edit_backspace(&b->name);
			else if (ch == 21)
				edit_kill_line(&b->name);
			else
				edit_kill_word(&b->name);
			refilter(b);
			return 1;
		}
		if (a == A_NONE)
			return 1;
		if (a == A_ENTER) {
			b->typing = 0;
			count_matches(b);
			return 1;
		}
		if (a == A_BACK) {
			b->typing = 0;
			edit_kill_line(&b->name);
			refilter(b);
			return 1;
		}
		if (a == A_ARROW_LEFT || a == A_ARROW_RIGHT) {
			if ((a == A_ARROW_RIGHT) != (ui_rtl() != 0))
				edit_right(&b->name);
			else
				edit_left(&b->name);
			return 1;
		}
		b->typing = 0;              /* a movement leaves the line and moves */
		count_matches(b);
	}
	if (a == A_NONE && !ui_is_text(ch) && ch == KEY_BACKSPACE && !b->pv.open) {
		close_node(b);
		return 1;
	}
	if (a == A_NONE)
		return 0;
	if (b->pv.open && preview_act(b, a))
		return 1;
	node *x = selected(b);
	int rows = b->rows > 0 ? b->rows : 1;
	switch (a) {
	case A_UP:
		if (b->sel == 0)
			win_extend_before(b);
		if (b->sel > 0)
			b->sel--;
		break;
	case A_DOWN:
		if (b->sel + 1 >= (long)b->win.n)
			win_extend_after(b);
		if (b->sel + 1 < (long)b->win.n)
			b->sel++;
		break;
	case A_PGDN:
		if (b->sel + rows >= (long)b->win.n)
			win_extend_after(b);
		b->sel += rows;
		b->top += rows;
		if (b->sel >= (long)b->win.n)
			b->sel = (long)b->win.n - 1;
		break;
	case A_PGUP:
		if (b->sel - rows < 0)
			win_extend_before(b);
		b->sel -= rows;
		b->top -= rows;
		if (b->sel < 0)
			b->sel = 0;
		break;
	case A_HOME:
		win_load_start(b);
		break;
	case A_END:
		win_load_end(b);
		break;
	case A_ENTER:
		open_node(b);
		break;
	case A_ARROW_LEFT:
	case A_ARROW_RIGHT:
		/* the tree opens towards the end side: → in English, ← in Arabic */
		if ((a == A_ARROW_RIGHT) != (ui_rtl() != 0)) {
			if (x && !flat(b) && has_children(b, x))
				open_node(b);
		} else {
			close_node(b);
		}
		break;
	case A_TYPE:
		b->type = (b->type + 1) % NTYPES;
		refilter(b);
		break;
	case A_FILTER:
		b->tag = (b->tag + 1) % NTAGS;
		refilter(b);
		break;
	case A_HITS:
		b->hits = !b->hits;
		refilter(b);
		break;
	case A_SEARCH:
		b->typing = 1;
		break;
	case A_CANCEL:
		if (!flat(b))
			return 1;
		b->type = b->tag = b->hits = 0;
		edit_kill_line(&b->name);
		refilter(b);
		break;
	case A_BACK:
		if (b->name.buf && b->name.buf[0]) {
			edit_kill_line(&b->name);
			refilter(b);
			break;
		}
		return 0;
	case A_TAG_RELEVANT:
	case A_TAG_IRRELEVANT:
	case A_TAG_PRIVILEGED:
	case A_TAG_REVIEW:
		tag_toggle(b, a == A_TAG_RELEVANT ? 0 : a == A_TAG_IRRELEVANT ? 1 : a == A_TAG_PRIVILEGED ? 2 : 3);
		break;
	case A_NOTE:
		if (x && x->src < 0)
			note_open(&x->it);
		break;
	case A_PREVIEW:
		if (x && x->src < 0)
			preview_load(b, &x->it);
		else
			ui_message(R_MESSAGE, "%s", _("Select an item to preview."));
		break;
	case A_HEX:
		if (x && x->src < 0) {
			preview_load(b, &x->it);
			if (b->pv.open && !b->pv.why)
				b->pv.hex = 1;
		}
		break;
	case A_EXPORT:
		if (x && x->src < 0)
			export_open(&x->it);
		break;
	case A_REFRESH: {
		evidence_source_list_free(&b->sources);
		dl_err err = {0};
		if (evidence_source_list(ui_session(), b->number, &b->sources, &err) != DL_OK)
			ui_error(&err);
		unsigned char *c = calloc(b->sources.n + 1, 1);
		if (c) {
			free(b->src_closed);
			b->src_closed = c;
		}
		b->detail_id = 0;
		b->custody_src = 0;
		count_matches(b);
		win_load_start(b);
		break;
	}
	default:
		return 0;
	}
	win_fit(b);
	return 1;
}

static void ev_free(ui_screen *sc)
{
	browser *b = sc->data;
	nodes_free(&b->win);
	evidence_source_list_free(&b->sources);
	free(b->src_closed);
	free(b->expanded);
	edit_free(&b->name);
	custody_list_free(&b->custody);
	preview_clear(&b->pv);
	for (int i = 0; i < b->nheld; i++)
		free(b->held[i].path);
	free(b);
}

static const ui_binding ev_keys[] = {
	{'\n', A_ENTER, N_("open a folder or archive; on a file, preview it")},
	{KEY_RIGHT, A_ARROW_RIGHT, N_("open a folder or archive (← in Arabic)")},
	{'l', A_ARROW_RIGHT, NULL},
	{KEY_LEFT, A_ARROW_LEFT, N_("close it, or go up to what holds it (→ in Arabic; also Backspace)")},
	{'p', A_PREVIEW, N_("preview the item: text, or hex")},
	{'x', A_HEX, N_("switch the preview between text and hex")},
	{'t', A_TYPE, N_("next type filter (image/, video/, audio/, text/, PDF …)")},
	{'g', A_FILTER, N_("next tag filter (relevant, irrelevant, privileged, to review, untagged)")},
	{'h', A_HITS, N_("only items in a hash set, or all")},
	{'/', A_SEARCH, N_("filter by text in the name (Enter keeps it, Esc clears it)")},
	{'c', A_CANCEL, N_("clear every filter (back to the tree)")},
	{'1', A_TAG_RELEVANT, N_("tag relevant (again: remove the tag)")},
	{'2', A_TAG_IRRELEVANT, N_("tag irrelevant (again: remove)")},
	{'3', A_TAG_PRIVILEGED, N_("tag privileged (again: remove)")},
	{'4', A_TAG_REVIEW, N_("tag to review (again: remove)")},
	{'N', A_NOTE, N_("write the examiner's note on the item")},
	{'E', A_EXPORT, N_("export the item to a file, its hashes checked")},
	{'r', A_REFRESH, N_("reload from the store")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops ev_ops = {
	N_("Evidence"), ev_keys, ev_draw, ev_act, ev_free, 1, NULL,
};

void ui_evidence_open(const char *case_number, long long source_id)
{
	ui_evidence_open_at(case_number, source_id, NULL);
}

void ui_evidence_open_at(const char *case_number, long long source_id, const char *name)
{
	browser *b = calloc(1, sizeof *b);
	if (!b)
		return;
	snprintf(b->number, sizeof b->number, "%s", case_number);
	b->source_id = source_id;
	b->rows = ui_lines() > 24 ? ui_lines() - 6 : 10;
	edit_init(&b->name, name ? name : "");
	b->name.max = 200;
	dl_err err = {0};
	if (evidence_source_list(ui_session(), case_number, &b->sources, &err) != DL_OK) {
		ui_error(&err);
		ev_free(&(ui_screen){&ev_ops, b, NULL, 0});
		return;
	}
	if (source_id && !source_of(b, source_id)) {
		ui_message(R_ERROR, _("no evidence source %lld in case %s"), source_id, case_number);
		ev_free(&(ui_screen){&ev_ops, b, NULL, 0});
		return;
	}
	b->src_closed = calloc(b->sources.n + 1, 1);
	if (!b->src_closed) {
		ev_free(&(ui_screen){&ev_ops, b, NULL, 0});
		return;
	}
	b->gen = ui_generation();
	b->matches = -1;
	win_load_start(b);
	ui_push(&ev_ops, b);
}
