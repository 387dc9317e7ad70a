/* ui_ingest.c — bring evidence into a case: a small file browser to choose the
 * source (a file, an archive or a folder), a form for the device, the expected
 * SHA-256 and in-place, then ingest_run on this thread with a progress screen
 * (bar, bytes, items, rate, time left, the member being read; Esc or c
 * cancels), and the result: status, hashes, counts by type. */
#include "case.h"
#include "device.h"
#include "evidence.h"
#include "dashboard.h"
#include "edit.h"
#include "i18n.h"
#include "links.h"
#include "ingest.h"
#include "text.h"
#include "ui.h"
#include "ui_form.h"
#include "ui_screens.h"
#include "validate.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Where the browser was last, and whether it showed hidden files, for the
 * next ingest of this run. */
static char last_dir[PATH_MAX];
static char last_name[NAME_MAX + 1];
static int last_hidden;

/* ---- formatting ---- */

static void fmt_time(double s, char *out, size_t outsz)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		snprintf(out, outsz, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(out, outsz, "%02ld:%02ld", t / 60, t % 60);
}

/* ---- the file browser ---- */

typedef struct entry {
	char *name;                 /* bytes as on disk */
	int is_dir, parent;         /* parent: the ".." row */
	int unreadable;             /* stat failed (a broken link) */
	uint64_t size;
	time_t mtime;
} entry;

static const ui_col browse_cols[] = {
	{N_("Name"), 0, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Modified"), 16, UI_START},
};

typedef struct browser {
	char number[64];
	char dir[PATH_MAX];
	entry *v;
	size_t n;
	ui_table t;
	int hidden;
	int typing;                 /* the path line has the keys */
	edit path;
	ui_screen *self;
	unsigned gen;               /* ui_generation() at the last read (F2 changes the labels) */
} browser;

static void entries_free(browser *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].name);
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const entry *a = pa, *b = pb;
	if (a->parent != b->parent)
		return a->parent ? -1 : 1;
	if (a->is_dir != b->is_dir)
		return a->is_dir ? -1 : 1;
	int c = strcasecmp(a->name, b->name);
	return c ? c : strcmp(a->name, b->name);
}

/* dir/name into out; -1 when it does not fit (a cut path names another file). */
static int join(char *out, size_t outsz, const char *dir, const char *name)
{
	int n = snprintf(out, outsz, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	if (n < 0 || (size_t)n >= outsz) {
		ui_message(R_ERROR, "%s", _("The path is too long"));
		return -1;
	}
	return 0;
}

/* Reads dir into the table; select names the row to put the selection on
 * (NULL: the first). Returns 0, or -1 (message set, nothing changed) when the
 * folder cannot be read. */
static int browse_load(browser *b, const char *dir, const char *select)
{
	DIR *d = opendir(dir);
	if (!d) {
		char shown[PATH_MAX * 2];
		ui_message(R_ERROR, _("Cannot open %s: %s"), ui_path(shown, sizeof shown, dir), strerror(errno));
		return -1;
	}
	entries_free(b);
	b->gen = ui_generation();
	if (dir != b->dir)
		snprintf(b->dir, sizeof b->dir, "%s", dir);
	snprintf(last_dir, sizeof last_dir, "%s", b->dir);
	last_hidden = b->hidden;
	size_t cap = 0;
	struct dirent *de;
	int root = !strcmp(b->dir, "/");
	for (int pass = 0;; pass++) {
		const char *name;
		if (pass == 0) {
			if (root)
				continue;
			name = "..";
		} else {
			if (!(de = readdir(d)))
				break;
			name = de->d_name;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (name[0] == '.' && !b->hidden)
				continue;
		}
		if (b->n == cap) {
			cap = cap ? cap * 2 : 64;
			entry *v = realloc(b->v, cap * sizeof *v);
			if (!v)
				break;
			b->v = v;
		}
		entry *e = &b->v[b->n];
		memset(e, 0, sizeof *e);
		e->name = strdup(name);
		if (!e->name)
			break;
		e->parent = pass == 0;
		char full[PATH_MAX + 256];
		struct stat sb;
		if (join(full, sizeof full, b->dir, name) != 0)
			e->unreadable = 1;
		else if (stat(full, &sb) == 0 || (e->unreadable = 1, lstat(full, &sb) == 0)) {
			e->is_dir = S_ISDIR(sb.st_mode);
			e->size = (uint64_t)sb.st_size;
			e->mtime = sb.st_mtime;
		}
		b->n++;
	}
	closedir(d);
	qsort(b->v, b->n, sizeof *b->v, entry_cmp);

	ui_table_clear(&b->t);
	b->t.list.sel = 0;
	b->t.list.top = 0;
	for (size_t i = 0; i < b->n; i++) {
		entry *e = &b->v[i];
		char name[600], size[32] = "", when[32] = "";
		/* the bytes as they are: ui_put shows an invalid one as U+FFFD */
		snprintf(name, sizeof name, "%s%s", e->name, e->is_dir ? "/" : "");
		if (!e->is_dir)
			ui_size((long long)e->size, size, sizeof size);
		if (!e->parent && e->mtime) {
			struct tm tm;
			localtime_r(&e->mtime, &tm);
			strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		}
		const char *cells[] = {e->parent ? _("../ (parent folder)") : name, size, when};
		ui_role roles[] = {e->unreadable ? R_ERROR : e->is_dir ? R_LABEL : R_NORMAL, R_NORMAL, R_DIM};
		ui_table_add(&b->t, (long long)i + 1, cells, roles);
		if (select && !strcmp(e->name, select))
			b->t.list.sel = (long)i;
	}
	return 0;
}

static entry *browse_sel(browser *b)
{
	long long id = ui_table_sel(&b->t);
	return id > 0 && (size_t)id <= b->n ? &b->v[id - 1] : NULL;
}

static void browse_up(browser *b)
{
	if (!strcmp(b->dir, "/"))
		return;
	char parent[PATH_MAX], came_from[NAME_MAX + 1];
	snprintf(parent, sizeof parent, "%s", b->dir);
	char *slash = strrchr(parent, '/');
	snprintf(came_from, sizeof came_from, "%s", slash + 1);
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	browse_load(b, parent, came_from);
}

static void browse_into(browser *b, const entry *e)
{
	if (e->parent) {
		browse_up(b);
		return;
	}
	char full[PATH_MAX];
	if (join(full, sizeof full, b->dir, e->name) != 0)
		return;
	char real[PATH_MAX];
	if (!realpath(full, real)) {
		char shown[PATH_MAX * 2];
		ui_message(R_ERROR, _("Cannot open %s: %s"), ui_path(shown, sizeof shown, full), strerror(errno));
		return;
	}
	browse_load(b, real, NULL);
}

/* A typed path: a folder is opened, a file is shown selected in its folder. */
static void browse_go(browser *b, const char *typed)
{
	char want[PATH_MAX * 2];
	const char *home = getenv("HOME");
	if (typed[0] == '~' && (typed[1] == '/' || !typed[1]) && home)
		snprintf(want, sizeof want, "%s%s", home, typed + 1);
	else if (typed[0] == '/')
		snprintf(want, sizeof want, "%s", typed);
	else if (join(want, sizeof want, b->dir, typed) != 0)
		return;
	char real[PATH_MAX];
	struct stat sb;
	if (!realpath(want, real) || stat(real, &sb) != 0) {
		char shown[PATH_MAX * 2];
		ui_message(R_ERROR, _("Cannot open %s: %s"), ui_path(shown, sizeof shown, typed), strerror(errno));
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		browse_load(b, real, NULL);
		return;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", real);
	char *slash = strrchr(dir, '/');
	char name[NAME_MAX + 1];
	snprintf(name, sizeof name, "%s", slash + 1);
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	/* a hidden file typed by name is shown */
	if (name[0] == '.')
		b->hidden = 1;
	browse_load(b, dir, name);
}

static void browse_draw(ui_screen *sc, int top, int rows)
{
	browser *b = sc->data;
	if (b->gen != ui_generation()) {
		/* the language changed (or a save): read the folder again, on the same row */
		entry *e = browse_sel(b);
		char keep[NAME_MAX + 1] = "";
		if (e && !e->parent)
			snprintf(keep, sizeof keep, "%s", e->name);
		long top_row = b->t.list.top;
		if (browse_load(b, b->dir, keep) == 0)
			b->t.list.top = top_row;
		else
			b->gen = ui_generation();
	}
	int cols = ui_cols();
	char head[PATH_MAX + 200];
	snprintf(head, sizeof head, _("Ingest into case %s: choose a file, an archive or a folder"), b->number);
	ui_put(top, 0, cols, head, R_DIM, UI_START);
	char dir[PATH_MAX * 2];
	ui_put(top + 1, 0, cols - 24, ui_path(dir, sizeof dir, b->dir), R_HEADER, UI_START);
	ui_put(top + 1, cols - 24, 24, b->hidden ? _("hidden files shown") : _("hidden files not shown"), R_DIM,
	       UI_END);
	ui_table_draw(&b->t, top + 2, rows - 3, _("This folder is empty."));
	int y = top + rows - 1;
	if (b->typing) {
		const char *label = _("Path:");
		int lw = text_cells(label, ui_bidi()) + 1;
		ui_put(y, 0, lw, label, R_LABEL, UI_START);
		int sx = ui_put_edit(y, lw, cols - lw, b->path.buf ? b->path.buf : "", edit_cursor_char(&b->path), 0,
		                     R_FIELD_ACTIVE);
		ui_cursor_at(y, sx);
	} else {
		/* the arrow that goes up points to the start side */
		char keys[300];
		snprintf(keys, sizeof keys, _("Enter open · %s up · Space or s ingest this · / type a path · . hidden files"),
		         ui_rtl() ? "→" : "←");
		ui_put(y, 0, cols, keys, R_DIM, UI_START);
	}
}

static void form_open(browser *b, const entry *e);

static int browse_act(ui_screen *sc, ui_act a, int ch)
{
	browser *b = sc->data;
	if (b->typing) {
		if (a == A_NONE && ui_is_text(ch)) {
			char u[8];
			wchar_t w[2] = {(wchar_t)ch, 0};
			size_t k = wcstombs(u, w, sizeof u);
			if (k != (size_t)-1) {
				u[k] = '\0';
				edit_insert(&b->path, u);
			}
			return 1;
		}
		switch (ch) {
		case KEY_BACKSPACE: edit_backspace(&b->path); return 1;
		case KEY_DC: edit_delete(&b->path); return 1;
		case 21: edit_kill_line(&b->path); return 1;
		case 23: edit_kill_word(&b->path); return 1;
		default: break;
		}
		switch (a) {
		case A_ENTER:
			b->typing = 0;
			if (b->path.buf && *b->path.buf)
				browse_go(b, b->path.buf);
			return 1;
		case A_BACK:
			b->typing = 0;
			return 1;
		case A_ARROW_LEFT:
		case A_ARROW_RIGHT:
			/* the cursor moves with the arrow on screen */
			if ((a == A_ARROW_RIGHT) != (ui_rtl() != 0))
				edit_right(&b->path);
			else
				edit_left(&b->path);
			return 1;
		case A_HOME: edit_home(&b->path); return 1;
		case A_END: edit_end(&b->path); return 1;
		case A_HELP:
		case A_LANG:
		case A_QUIT:
			return 0;       /* F1, F2 and F10 work while typing too */
		default:
			return 1;       /* nothing else while typing a path */
		}
	}
	if (a == A_NONE) {
		if (!ui_is_text(ch) && ch == KEY_BACKSPACE) {
			browse_up(b);
			return 1;
		}
		return 0;
	}
	if (ui_table_act(&b->t, a))
		return 1;
	entry *e = browse_sel(b);
	switch (a) {
	case A_ARROW_LEFT:
	case A_ARROW_RIGHT:
		/* the start-side arrow goes up: ← in English, → in Arabic */
		if ((a == A_ARROW_LEFT) != (ui_rtl() != 0))
			browse_up(b);
		else if (e && e->is_dir)
			browse_into(b, e);
		return 1;
	case A_ENTER:
		if (e && e->is_dir)
			browse_into(b, e);
		else if (e)
			form_open(b, e);
		return 1;
	case A_TOGGLE:
		if (e && !e->parent)
			form_open(b, e);
		else
			ui_message(R_MESSAGE, "%s", _("Choose a file or a folder to ingest"));
		return 1;
	case A_SEARCH: {
		/* start from the folder shown, when its name is text */
		char start[PATH_MAX + 2];
		snprintf(start, sizeof start, "%s%s", b->dir, strcmp(b->dir, "/") ? "/" : "");
		edit_free(&b->path);
		edit_init(&b->path, val_utf8(start) ? start : "");
		b->typing = 1;
		return 1;
	}
	case A_FILTER: {
		b->hidden = !b->hidden;
		char keep[NAME_MAX + 1] = "";
		if (e && !e->parent)
			snprintf(keep, sizeof keep, "%s", e->name);
		browse_load(b, b->dir, keep);
		return 1;
	}
	case A_REFRESH: {
		char keep[NAME_MAX + 1] = "";
		if (e && !e->parent)
			snprintf(keep, sizeof keep, "%s", e->name);
		browse_load(b, b->dir, keep);
		return 1;
	}
	default:
		return 0;
	}
}

static void browse_free(ui_screen *sc)
{
	browser *b = sc->data;
	entries_free(b);
	ui_table_free(&b->t);
	edit_free(&b->path);
	free(b);
}

static const ui_binding browse_keys[] = {
	{'\n', A_ENTER, N_("open the folder; on a file, ingest it")},
	{KEY_LEFT, A_ARROW_LEFT, N_("up to the parent folder (→ in Arabic); Backspace too")},
	{KEY_RIGHT, A_ARROW_RIGHT, N_("into the folder (← in Arabic)")},
	{' ', A_TOGGLE, N_("ingest the highlighted file or folder (a folder with all it holds)")},
	{'s', A_TOGGLE, NULL},
	{'/', A_SEARCH, N_("type a path (~ is your home folder)")},
	{'.', A_FILTER, N_("show or hide hidden files")},
	{'r', A_REFRESH, N_("read the folder again")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops browse_ops = {
	N_("Ingest"), browse_keys, browse_draw, browse_act, browse_free, 1, NULL,
};

/* ---- the run and its result ---- */

enum { RUN_GOING, RUN_DONE };

/* Cross-case hits looked at for the result screen's count. */
#define ITEM_LINKS_MAX 5000

typedef struct run {
	char number[64];
	char path[PATH_MAX];
	int folder;
	ingest_opts o;
	char expect[65];
	ui_screen *browser;         /* below: closed with this screen */
	int state;
	int cancel;
	/* the last progress report */
	uint64_t done, total, items;
	double seconds;
	char current[1024];
	uint64_t folder_bytes, folder_files;    /* counted before a folder's ingest */
	/* the outcome */
	dl_status rc;
	dl_err err;
	ingest_result r;
	dl_source src;
	int have_src;
	dl_type_counts types;
	int have_types;
	long long item_links;       /* the case's cross-case hits through its items, -1 unknown */
	int item_links_more;        /* more than counted (the count is bounded) */
} run;

/* A labelled value; the label column leaves a SHA-256 room at 80 columns. */
static void line(int y, const char *label, const char *value, ui_role role)
{
	int cols = ui_cols();
	ui_put(y, 1, 13, label, R_LABEL, UI_START);
	ui_put(y, 15, cols - 16, value ? value : "", role, UI_START);
}

static void draw_progress(run *g, int top, int rows)
{
	int cols = ui_cols();
	char buf[PATH_MAX * 2 + 200], a[32], b[32], path[PATH_MAX * 2];
	snprintf(buf, sizeof buf, _("Ingesting %s into case %s"), ui_path(path, sizeof path, g->path), g->number);
	ui_put(top, 1, cols - 2, buf, R_HEADER, UI_START);
	uint64_t total = g->total ? g->total : g->folder_bytes;
	double frac = total ? (double)g->done / (double)total : 0;
	if (frac > 1)
		frac = 1;
	/* the bar grows from the start side: from the right in Arabic */
	int bw = cols - 12 < 300 ? cols - 12 : 300;
	int full = (int)(frac * bw + 0.5);
	/* blocks rather than colour alone: readable on a monochrome terminal */
	char bar[3 * 300 + 1];
	for (int i = 0; i < bw; i++)
		memcpy(bar + 3 * i, i < full ? "█" : "░", 3);
	bar[3 * bw] = '\0';
	ui_put(top + 2, 1 + full, bw - full, bar + 3 * full, R_DIM, UI_START);
	bar[3 * full] = '\0';
	ui_put(top + 2, 1, full, bar, R_OK, UI_START);
	snprintf(buf, sizeof buf, "%3d%%", (int)(frac * 100));
	ui_put(top + 2, bw + 2, 6, buf, R_HEADER, UI_END);

	ui_size((long long)g->done, a, sizeof a);
	ui_size((long long)total, b, sizeof b);
	if (total)
		snprintf(buf, sizeof buf, _("%s of %s"), a, b);
	else
		snprintf(buf, sizeof buf, "%s", a);
	line(top + 4, _("Read"), buf, R_NORMAL);
	if (g->folder)
		snprintf(buf, sizeof buf, _("%llu recorded · %llu files in the folder"), (unsigned long long)g->items,
		         (unsigned long long)g->folder_files);
	else
		snprintf(buf, sizeof buf, _("%llu recorded"), (unsigned long long)g->items);
	line(top + 5, _("Items"), buf, R_NORMAL);
	double rate = g->seconds > 0 ? (double)g->done / g->seconds : 0;
	snprintf(buf, sizeof buf, _("%.1f MB/s"), rate / 1e6);
	line(top + 6, _("Rate"), buf, R_NORMAL);
	fmt_time(g->seconds, a, sizeof a);
	if (rate > 0 && total > g->done) {
		fmt_time((double)(total - g->done) / rate, b, sizeof b);
		snprintf(buf, sizeof buf, _("%s left · %s so far"), b, a);
	} else {
		snprintf(buf, sizeof buf, _("%s so far"), a);
	}
	line(top + 7, _("Time"), buf, R_NORMAL);
	line(top + 8, _("Reading"), ui_path(path, sizeof path, g->current), R_NORMAL);
	ui_put(top + rows - 1, 1, cols - 2,
	       g->cancel ? _("Cancelling: the members read so far are kept…")
	                 : _("Esc or c cancels; ingesting the same source again resumes where it stopped"),
	       g->cancel ? R_SOON : R_DIM, UI_START);
}

static const char *status_label(const char *st)
{
	if (!strcmp(st, "complete")) return _("complete");
	if (!strcmp(st, "incomplete")) return _("incomplete");
	if (!strcmp(st, "interrupted")) return _("interrupted");
	if (!strcmp(st, "failed")) return _("failed");
	return st;
}

static void draw_result(run *g, int top, int rows)
{
	int cols = ui_cols();
	char buf[1400], a[32], b[32];
	const ingest_result *r = &g->r;
	for (int i = 0; i < rows; i++)
		ui_fill(top + i, 0, cols, R_NORMAL);
	snprintf(buf, sizeof buf, _("Ingest of %s into case %s"), ui_base_name(g->path), g->number);
	ui_put(top, 1, cols - 2, buf, R_HEADER, UI_START);
	int y = top + 2;
	if (!r->source_id) {
		/* refused before anything was recorded */
		line(y++, _("Status"), _("failed: nothing was recorded"), R_ERROR);
		line(y++, _("Reason"), g->err.msg, R_ERROR);
		ui_put(top + rows - 1, 1, cols - 2, _("Esc back to the case"), R_DIM, UI_START);
		return;
	}
	if (g->rc == DL_ETAMPER) {
		/* the file is not the one expected: only the failed source was recorded */
		line(y++, _("Status"), _("failed: the SHA-256 does not match; nothing was ingested"), R_ERROR);
		snprintf(buf, sizeof buf, _("#%lld · recorded as failed, nothing read or kept"), r->source_id);
		line(y++, _("Source"), buf, R_NORMAL);
		line(y++, _("Expected"), g->expect, R_ERROR);
		line(y++, "SHA-256", r->sha256, R_ERROR);
		ui_put(top + rows - 1, 1, cols - 2, _("Esc back to the case"), R_DIM, UI_START);
		return;
	}
	const char *st = r->status[0] ? r->status : "failed";
	int ok = !strcmp(st, "complete");
	if (r->reason[0])
		snprintf(buf, sizeof buf, "%s: %s", status_label(st), r->reason);
	else
		snprintf(buf, sizeof buf, "%s", status_label(st));
	line(y++, _("Status"), buf, ok ? R_OK : R_ERROR);
	if (!strcmp(st, "interrupted"))
		line(y++, "", _("What was read is kept; ingest the same source again to resume."), R_SOON);
	else if (r->resumed)
		line(y++, "", _("An interrupted ingest of this source was resumed and completed."), R_MESSAGE);
	else if (r->already)
		line(y++, "", _("Already ingested completely as this source: nothing added."), R_MESSAGE);

	const dl_source *s = &g->src;
	snprintf(buf, sizeof buf, "#%lld · %s · %s", r->source_id, g->have_src && s->kind ? s->kind : "",
	         g->have_src && s->in_place ? _("referenced in place; verify checks it")
	                                    : _("a copy is kept in the store"));
	if (g->have_src && s->device_id) {
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof buf - l, _(" · device #%lld"), s->device_id);
	}
	line(y++, _("Source"), buf, R_NORMAL);
	long long items = g->have_src ? s->item_count : r->items;
	if (r->resumed)
		snprintf(buf, sizeof buf, _("%lld in the source (%lld in this run) · %lld hash-set hits"), items,
		         r->items, r->hits);
	else
		snprintf(buf, sizeof buf, _("%lld · %lld hash-set hits"), items, r->hits);
	line(y++, _("Items"), buf, r->hits ? R_HIT : R_NORMAL);
	if (r->already) {
		/* nothing was read this time: the source's own hashes, no run figures */
		line(y++, "SHA-256", r->sha256, R_NORMAL);
		line(y++, "MD5", g->have_src && s->md5 ? s->md5 : "", R_NORMAL);
		line(y++, "SHA-1", g->have_src && s->sha1 ? s->sha1 : "", R_NORMAL);
		ui_put(top + rows - 1, 1, cols - 2, _("Enter browse the items of this source · Esc back to the case"),
		       R_DIM, UI_START);
		return;
	}
	snprintf(buf, sizeof buf, P_("%lld found in the items' text", "%lld found in the items' text",
	                             r->identifiers), r->identifiers);
	if (r->identifiers && g->item_links > 0) {
		size_t l = strlen(buf);
		if (g->item_links_more)
			snprintf(buf + l, sizeof buf - l, _(" · more than %lld hits in other cases (links tab)"),
			         g->item_links);
		else
			snprintf(buf + l, sizeof buf - l,
			         P_(" · %lld hit in other cases (links tab)", " · %lld hits in other cases (links tab)",
			            g->item_links), g->item_links);
	}
	line(y++, _("Identifiers"), buf, g->item_links > 0 ? R_HIT : r->identifiers ? R_NORMAL : R_DIM);
	ui_size(r->size, a, sizeof a);
	ui_size((long long)r->bytes_expanded, b, sizeof b);
	double rate = r->seconds > 0 ? (double)r->size / r->seconds : 0;
	char t[32];
	fmt_time(r->seconds, t, sizeof t);
	snprintf(buf, sizeof buf, _("%s · %s expanded · %s · %.1f MB/s"), a, b, t, rate / 1e6);
	line(y++, _("Bytes"), buf, R_NORMAL);
	line(y++, "SHA-256", r->sha256, R_NORMAL);
	line(y++, "MD5", r->md5, R_NORMAL);
	line(y++, "SHA-1", r->sha1, R_NORMAL);
	if (g->expect[0]) {
		/* checked before anything was read: a mismatch never gets here */
		line(y++, _("Expected"), _("the SHA-256 given matches"), R_OK);
	} else {
		line(y++, _("Expected"), _("no SHA-256 was given to check"), R_DIM);
	}
	if (g->have_types) {
		const dl_type_counts *c = &g->types;
		buf[0] = '\0';
		for (size_t i = 0; i < c->n; i++) {
			size_t l = strlen(buf);
			snprintf(buf + l, sizeof buf - l, "%s%s %lld", l ? " · " : "",
			         c->v[i].type[0] ? c->v[i].type : _("unknown"), c->v[i].n);
		}
		if (c->dirs) {
			size_t l = strlen(buf);
			snprintf(buf + l, sizeof buf - l, "%s%s %lld", l ? " · " : "", _("folders"), c->dirs);
		}
		line(y++, _("By type"), buf, R_NORMAL);
		snprintf(buf, sizeof buf, _("%lld could not be read whole · %lld encrypted"), c->problems, c->encrypted);
		line(y++, _("Problems"), buf, c->problems || c->encrypted ? R_SOON : R_DIM);
	}
	ui_put(top + rows - 1, 1, cols - 2, _("Enter browse the items of this source · Esc back to the case"), R_DIM,
	       UI_START);
}

static void run_draw(ui_screen *sc, int top, int rows)
{
	run *g = sc->data;
	if (g->state == RUN_GOING)
		draw_progress(g, top, rows);
	else
		draw_result(g, top, rows);
}

/* Keys typed while the ingest runs: Esc or c cancels. Read without waiting,
 * then the terminal is left blocking again as the main loop expects. */
static void poll_keys(run *g)
{
	nodelay(stdscr, TRUE);
	wint_t ch;
	int rc;
	while ((rc = get_wch(&ch)) != ERR)
		if (rc == OK && (ch == 27 || ch == 'c' || ch == 'C'))
			g->cancel = 1;
	nodelay(stdscr, FALSE);
}

static int on_progress(const ingest_progress *p, void *ctx)
{
	run *g = ctx;
	g->done = p->bytes_done;
	g->total = p->bytes_total;
	g->items = p->items;
	g->seconds = p->seconds;
	snprintf(g->current, sizeof g->current, "%s", p->current ? p->current : "");
	poll_keys(g);
	ui_redraw();
	return g->cancel;
}

/* A folder's size before its ingest, for the bar (ingest_run knows a file's). */
static uint64_t count_bytes, count_files;
static int count_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F && S_ISREG(sb->st_mode)) {
		count_bytes += (uint64_t)sb->st_size;
		count_files++;
	}
	return 0;
}

static void run_go(run *g)
{
	if (g->folder) {
		ui_message(R_MESSAGE, "%s", _("Counting the files of the folder…"));
		ui_redraw();
		count_bytes = count_files = 0;
		nftw(g->path, count_one, 32, FTW_PHYS);
		g->folder_bytes = count_bytes;
		g->folder_files = count_files;
	}
	ui_message(R_MESSAGE, "%s", _("Ingesting: Esc or c cancels"));
	g->o.progress = on_progress;
	g->o.progress_ctx = g;
	g->o.expect_sha256 = g->expect[0] ? g->expect : NULL;
	g->rc = ingest_run(ui_session(), g->number, g->path, &g->o, &g->r, &g->err);
	g->state = RUN_DONE;
	ui_touch();
	dl_err e2;
	if (g->r.source_id) {
		g->have_src = evidence_source_get(ui_session(), g->r.source_id, &g->src, &e2) == DL_OK;
		g->have_types = evidence_type_counts(ui_session(), g->r.source_id, &g->types, &e2) == DL_OK;
		/* what the identifiers found mean: hits in other cases, worked out now */
		dl_link_list l;
		g->item_links = -1;
		/* bounded: two cases holding the same dump share every number in it */
		if (g->r.identifiers && links_case(ui_session(), g->number, ITEM_LINKS_MAX, &l, &e2) == DL_OK) {
			g->item_links = 0;
			g->item_links_more = l.more;
			for (size_t i = 0; i < l.n; i++)
				g->item_links += l.v[i].here.kind == DL_LINK_ITEM;
			links_list_free(&l);
		}
	}
	if (g->rc == DL_OK)
		ui_message(R_OK, "%s", _("Ingest complete"));
	else if (g->rc == DL_ETAMPER)
		ui_message(R_ERROR, "%s", _("SHA-256 mismatch: nothing was ingested"));
	else if (g->r.source_id && g->rc == DL_EIO && g->r.status[0])
		/* the summary says why; the line says what to do */
		ui_message(R_SOON, _("Source %lld is %s"), g->r.source_id, status_label(g->r.status));
	else
		ui_error(&g->err);
}

static void close_all(ui_screen *sc)
{
	run *g = sc->data;
	ui_pop(g->browser);
	ui_pop(sc);
}

static int run_act(ui_screen *sc, ui_act a, int ch)
{
	(void)ch;
	run *g = sc->data;
	if (g->state != RUN_DONE)
		return 1;
	switch (a) {
	case A_ENTER:
		if (!g->r.source_id || g->rc == DL_ETAMPER) {
			ui_message(R_ERROR, "%s", _("No items were recorded: there is nothing to browse"));
			return 1;
		}
		close_all(sc);
		ui_evidence_open(g->number, g->r.source_id);
		return 1;
	case A_BACK:
		close_all(sc);
		return 1;
	default:
		return 0;
	}
}

static void run_free(ui_screen *sc)
{
	run *g = sc->data;
	if (g->have_src)
		evidence_source_free(&g->src);
	if (g->have_types)
		evidence_type_counts_free(&g->types);
	free(g);
}

static const ui_binding run_keys[] = {
	{'\n', A_ENTER, N_("browse the items of the new source")},
	{27, A_BACK, N_("back to the case")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops run_ops = {
	N_("Ingest"), run_keys, run_draw, run_act, run_free, 0, NULL,
};

/* ---- the form ---- */

typedef struct choice {
	char number[64];
	char path[PATH_MAX];
	int folder;
	ui_screen *browser;
} choice;

static const char *no_yes_label(const char *v)
{
	/* short enough to stand side by side at 80 columns */
	return !strcmp(v, "yes") ? _("yes: referenced; verify checks") : _("no: copy");
}

static dl_status form_submit(ui_form *f, void *ctx, dl_err *err)
{
	choice *c = ctx;
	run *g = calloc(1, sizeof *g);
	if (!g)
		return dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	snprintf(g->number, sizeof g->number, "%s", c->number);
	snprintf(g->path, sizeof g->path, "%s", c->path);
	g->folder = c->folder;
	g->browser = c->browser;
	dl_status rc = DL_OK;
	const char *dev = ui_form_get(f, "device");
	if (dev && *dev && strcmp(dev, "none") != 0)
		rc = val_id("device", dev, &g->o.device_id, err);
	const char *sha = rc == DL_OK ? ui_form_opt(f, "expect-sha256") : NULL;
	if (sha && (rc = val_hex("expect-sha256", sha, 64, g->expect, err)) == DL_OK && g->folder)
		rc = dl_err_set(err, DL_EINVAL, "expect-sha256", "%s", _("an expected hash applies to a file, not a folder"));
	if (rc == DL_OK)
		g->o.in_place = !strcmp(ui_form_get(f, "in-place"), "yes");
	long long case_id;
	if (rc == DL_OK)
		rc = case_resolve(ui_session(), g->number, 1, &case_id, err);
	if (rc == DL_OK && access(g->path, R_OK) != 0)
		rc = dl_err_set(err, DL_EINVAL, "", _("cannot read %s: %s"), g->path, strerror(errno));
	if (rc != DL_OK) {
		free(g);
		return rc;
	}
	/* the run's screen goes on top of the form, which closes when this returns */
	ui_screen *sc = ui_push(&run_ops, g);
	if (!sc)
		return dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	run_go(g);
	return DL_OK;
}

static void form_open(browser *b, const entry *e)
{
	choice *c = calloc(1, sizeof *c);
	if (!c)
		return;
	snprintf(c->number, sizeof c->number, "%s", b->number);
	if (join(c->path, sizeof c->path, b->dir, e->name) != 0) {
		free(c);
		return;
	}
	c->folder = e->is_dir;
	c->browser = b->self;
	snprintf(last_name, sizeof last_name, "%s", e->name);

	static const char *const no_yes[] = {"no", "yes", NULL};
	static const ui_field_def defs[] = {
		{F_CHOICE, "device", N_("Device"), NULL, NULL, NULL},
		{F_TEXT, "expect-sha256", N_("Expected SHA-256"), N_("optional: 64 hex digits"), NULL, NULL},
		{F_CHOICE, "in-place", N_("In place"), N_("in place references the file where it lies; dalil verify checks it"), no_yes, no_yes_label},
	};
	char title[PATH_MAX * 2 + 200], path[PATH_MAX * 2];
	snprintf(title, sizeof title, c->folder ? _("Ingest the folder %s (and all it holds) into case %s")
	                                        : _("Ingest %s into case %s"),
	         ui_path(path, sizeof path, c->path), c->number);
	ui_form *f = ui_form_new(title, defs, sizeof defs / sizeof *defs, form_submit, c, free);
	if (!f) {
		free(c);
		return;
	}
	/* the devices of the case, and none */
	dl_device_list dl = {0};
	dl_err err = {0};
	if (device_list(ui_session(), c->number, &dl, &err) != DL_OK)
		ui_error(&err);
	const char **values = calloc(dl.n + 1, sizeof *values), **labels = calloc(dl.n + 1, sizeof *labels);
	char **owned = calloc(2 * dl.n + 1, sizeof *owned);
	if (values && labels && owned) {
		values[0] = "none";
		labels[0] = _("none");
		size_t k = 1;
		for (size_t i = 0; i < dl.n; i++) {
			const dl_device *d = &dl.v[i];
			char id[24], label[300];
			snprintf(id, sizeof id, "%lld", d->id);
			snprintf(label, sizeof label, "#%lld %s%s%s%s%s", d->id, d->type, d->make ? " " : "",
			         d->make ? d->make : "", d->model ? " " : "", d->model ? d->model : "");
			owned[2 * i] = strdup(id);
			owned[2 * i + 1] = strdup(label);
			if (owned[2 * i] && owned[2 * i + 1]) {
				values[k] = owned[2 * i];
				labels[k++] = owned[2 * i + 1];
			}
		}
		ui_form_set_choices(f, "device", values, labels, k);
	}
	for (size_t i = 0; owned && i < 2 * dl.n; i++)
		free(owned[i]);
	free(owned);
	free(values);
	free(labels);
	device_list_free(&dl);
	ui_form_open(f);
}

/* ---- opening ---- */

void ui_ingest_open(const char *case_number)
{
	dl_err err = {0};
	long long case_id;
	if (case_resolve(ui_session(), case_number, 1, &case_id, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	browser *b = calloc(1, sizeof *b);
	if (!b)
		return;
	snprintf(b->number, sizeof b->number, "%s", case_number);
	ui_table_init(&b->t, browse_cols, (int)(sizeof browse_cols / sizeof *browse_cols));
	edit_init(&b->path, "");
	b->hidden = last_hidden;
	const char *home = getenv("HOME");
	char start[PATH_MAX];
	snprintf(start, sizeof start, "%s", last_dir[0] ? last_dir : home && *home ? home : "/");
	char real[PATH_MAX];
	if (!realpath(start, real) || browse_load(b, real, last_name) != 0) {
		/* the last folder is gone: home, else the root */
		if (browse_load(b, home && *home ? home : "/", NULL) != 0 && browse_load(b, "/", NULL) != 0) {
			browse_free(&(ui_screen){&browse_ops, b, NULL, 0});
			return;
		}
	}
	b->self = ui_push(&browse_ops, b);
}
