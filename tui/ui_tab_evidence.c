/* ui_tab_evidence.c — a case's evidence sources: what was ingested, how much,
 * whether it is whole, kept or referenced in place, and its SHA-256. From here
 * the evidence browser opens (one source, or all of them), an ingest starts,
 * and the case's sources are verified again, the problems listed in the tab. */
#include "evidence.h"
#include "export.h"
#include "i18n.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct problem {
	char *what, *why;
} problem;

typedef struct evtab {
	char number[64];
	dl_source_list sources;
	ui_list list;
	int rows;
	unsigned gen;
	/* the last verification: shown instead of the list until Esc */
	int showing_problems;
	problem *problems;
	size_t nproblems;
	ui_list plist;
	int prows;
	char summary[400];
	ui_role summary_role;
} evtab;

/* ---- formatting ---- */

static const char *status_label(const char *st)
{
	static const char *const names[] = {"complete", "incomplete", "interrupted", "failed"};
	static const char *const labels[] = {N_("complete"), N_("incomplete"), N_("interrupted"), N_("failed")};
	for (int i = 0; i < 4; i++)
		if (st && !strcmp(st, names[i]))
			return _(labels[i]);
	return st ? st : "";
}

static ui_role status_role(const char *st)
{
	if (!st)
		return R_NORMAL;
	if (!strcmp(st, "complete"))
		return R_FINE;
	if (!strcmp(st, "incomplete"))
		return R_SOON;
	return R_OVERDUE;           /* interrupted, failed */
}

static const char *kind_label(const char *kind)
{
	if (kind && !strcmp(kind, "archive"))
		return _("archive");
	if (kind && !strcmp(kind, "folder"))
		return _("folder");
	if (kind && !strcmp(kind, "file"))
		return _("file");
	return kind ? kind : "";
}

/* "2026-11-23T22:44:12Z" -> "2026-11-23 22:44" (or the date alone) */
static void short_time(const char *at, int date_only, char *out, size_t outsz)
{
	if (!at || strlen(at) < 16) {
		snprintf(out, outsz, "%s", at ? at : "");
		return;
	}
	if (date_only)
		snprintf(out, outsz, "%.10s", at);
	else
		snprintf(out, outsz, "%.10s %.5s", at, at + 11);
}

/* ---- loading ---- */

static void problems_clear(evtab *t)
{
	for (size_t i = 0; i < t->nproblems; i++) {
		free(t->problems[i].what);
		free(t->problems[i].why);
	}
	free(t->problems);
	t->problems = NULL;
	t->nproblems = 0;
	t->plist = (ui_list){0, 0, 0};
}

static void load(evtab *t)
{
	long long keep = t->list.n > 0 && t->list.sel < (long)t->sources.n ? t->sources.v[t->list.sel].id : 0;
	evidence_source_list_free(&t->sources);
	t->gen = ui_generation();
	dl_err err = {0};
	if (evidence_source_list(ui_session(), t->number, &t->sources, &err) != DL_OK)
		ui_error(&err);
	t->list.n = (long)t->sources.n;
	for (size_t i = 0; keep && i < t->sources.n; i++)
		if (t->sources.v[i].id == keep)
			t->list.sel = (long)i;
	ui_list_fit(&t->list, t->rows > 0 ? t->rows : 1);
}

static void *ev_open(const char *number)
{
	evtab *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	snprintf(t->number, sizeof t->number, "%s", number);
	load(t);
	return t;
}

/* ---- drawing ---- */

/* Wide terminals get every column; narrow ones leave who and how kept to the
 * lines under the table. */
static const ui_col wide_cols[] = {
	{N_("File"), 0, UI_START},
	{N_("Kind"), 8, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Items"), 10, UI_END},
	{N_("Status"), 11, UI_START},
	{N_("Stored"), 9, UI_START},
	{N_("Ingested"), 16, UI_START},
	{N_("By"), 10, UI_START},
	{N_("SHA-256"), 17, UI_START},
};
static const ui_col narrow_cols[] = {
	{N_("File"), 0, UI_START},
	{N_("Kind"), 7, UI_START},
	{N_("Size"), 9, UI_END},
	{N_("Items"), 9, UI_END},
	{N_("Status"), 11, UI_START},
	{N_("Ingested"), 10, UI_START},
	{N_("SHA-256"), 11, UI_START},
};
#define NWIDE (int)(sizeof wide_cols / sizeof *wide_cols)
#define NNARROW (int)(sizeof narrow_cols / sizeof *narrow_cols)

/* The first cells of a hash and "…": the table only tells sources apart; the
 * full value is under the table. */
static void short_hash(const char *h, int cells, char *out, size_t outsz)
{
	if (!h || !*h) {
		snprintf(out, outsz, "-");
		return;
	}
	if ((int)strlen(h) <= cells)
		snprintf(out, outsz, "%s", h);
	else
		snprintf(out, outsz, "%.*s…", cells - 1, h);
}

static const char *stored_label(const dl_source *s)
{
	return s->in_place ? _("in place") : _("kept");
}

static void draw_sources(evtab *t, int top, int rows)
{
	int cols = ui_cols();
	int wide = cols >= 120;
	const ui_col *cl = wide ? wide_cols : narrow_cols;
	int ncl = wide ? NWIDE : NNARROW;
	int detail = 5;                         /* lines about the selected source, and the keys */
	ui_table_header(top, cl, ncl);
	t->rows = rows - 1 - detail;
	if (t->rows < 1)
		t->rows = 1;
	t->list.n = (long)t->sources.n;
	ui_list_fit(&t->list, t->rows);
	for (int r = 0; r < t->rows; r++) {
		long i = t->list.top + r;
		if (i >= (long)t->sources.n) {
			ui_fill(top + 1 + r, 0, cols, R_NORMAL);
			continue;
		}
		const dl_source *s = &t->sources.v[i];
		char size[32], items[32], at[32], hash[80];
		ui_size(s->size, size, sizeof size);
		ui_group(s->item_count, items, sizeof items);
		short_time(s->ingested_at, !wide, at, sizeof at);
		short_hash(s->sha256, cl[ncl - 1].width, hash, sizeof hash);
		ui_role base = i == t->list.sel ? R_SELECTED : R_NORMAL;
		if (wide) {
			const char *cells[NWIDE] = {ui_base_name(s->original_path), kind_label(s->kind), size, items,
			                            status_label(s->status), stored_label(s), at,
			                            s->ingested_by ? s->ingested_by : "", hash};
			ui_role roles[NWIDE] = {R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL, status_role(s->status),
			                        R_NORMAL, R_NORMAL, R_NORMAL, R_DIM};
			ui_table_row(top + 1 + r, cl, ncl, cells, roles, base);
		} else {
			const char *cells[NNARROW] = {ui_base_name(s->original_path), kind_label(s->kind), size, items,
			                              status_label(s->status), at, hash};
			ui_role roles[NNARROW] = {R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL, status_role(s->status),
			                          R_NORMAL, R_DIM};
			ui_table_row(top + 1 + r, cl, ncl, cells, roles, base);
		}
	}
	if (t->sources.n == 0)
		ui_put(top + 2, 2, cols - 4, _("No evidence yet. i ingests an archive, a file or a folder."), R_DIM,
		       UI_START);

	/* the selected source in full */
	int y = top + 1 + t->rows;
	for (int r = 0; r < detail; r++)
		ui_fill(y + r, 0, cols, R_NORMAL);
	if (t->sources.n > 0) {
		const dl_source *s = &t->sources.v[t->list.sel];
		char line[1200], items[32], bytes[32];
		int lw = 10;
		ui_put(y, 1, lw, _("Path"), R_LABEL, UI_START);
		char path[1200];
		ui_put(y, lw + 2, cols - lw - 3, ui_path(path, sizeof path, s->original_path), R_NORMAL, UI_START);
		ui_put(y + 1, 1, lw, "SHA-256", R_LABEL, UI_START);
		ui_put(y + 1, lw + 2, cols - lw - 3, s->sha256 ? s->sha256 : "-", R_NORMAL, UI_START);
		ui_group(s->item_count, items, sizeof items);
		ui_size(s->bytes_total, bytes, sizeof bytes);
		char by[100];
		snprintf(by, sizeof by, UI_ISO "%s" UI_PDI, s->ingested_by ? s->ingested_by : "");
		snprintf(line, sizeof line, _("%s · %s by %s · %s items, %s expanded"), stored_label(s),
		         s->ingested_at ? s->ingested_at : "", by, items, bytes);
		if (s->expected_match >= 0) {
			size_t l = strlen(line);
			snprintf(line + l, sizeof line - l, " · %s",
			         s->expected_match ? _("expected SHA-256 matches") : _("expected SHA-256 DIFFERS"));
		}
		ui_put(y + 2, 1, lw, _("Source"), R_LABEL, UI_START);
		ui_put(y + 2, lw + 2, cols - lw - 3, line, s->expected_match == 0 ? R_ERROR : R_NORMAL, UI_START);
		if (s->status_reason && *s->status_reason) {
			ui_put(y + 3, 1, lw, _("Status"), R_LABEL, UI_START);
			ui_put(y + 3, lw + 2, cols - lw - 3, s->status_reason, status_role(s->status), UI_START);
		}
	}
	ui_put(y + detail - 1, 1, cols - 2,
	       _("Enter browse the source · a browse all sources · i ingest · v verify · F1 help"), R_DIM, UI_START);
}

static const ui_col problem_cols[] = {
	{N_("What"), 0, UI_START},
	{N_("Problem"), 0, UI_START},
};

typedef struct wrap_ctx {
	int y, x, w, last;
	ui_role role;
} wrap_ctx;

static void wrap_row(long i, const char *s, size_t len, void *ctx)
{
	(void)i;
	wrap_ctx *c = ctx;
	if (c->y > c->last)
		return;
	char *t = strndup(s, len);
	if (t)
		ui_put(c->y++, c->x, c->w, t, c->role, UI_START);
	free(t);
}

static void draw_problems(evtab *t, int top, int rows)
{
	int cols = ui_cols();
	int full = 6;                           /* the selected problem, whole */
	ui_put(top, 0, cols, t->summary, t->summary_role, UI_START);
	ui_table_header(top + 1, problem_cols, 2);
	t->prows = rows - 3 - full;
	if (t->prows < 1)
		t->prows = 1;
	t->plist.n = (long)t->nproblems;
	ui_list_fit(&t->plist, t->prows);
	for (int r = 0; r < t->prows; r++) {
		long i = t->plist.top + r;
		if (i >= (long)t->nproblems) {
			ui_fill(top + 2 + r, 0, cols, R_NORMAL);
			continue;
		}
		const char *cells[2] = {t->problems[i].what, t->problems[i].why};
		ui_role roles[2] = {R_NORMAL, R_ERROR};
		ui_table_row(top + 2 + r, problem_cols, 2, cells, roles, i == t->plist.sel ? R_SELECTED : R_NORMAL);
	}
	int y = top + 2 + t->prows;
	for (int r = 0; r < full; r++)
		ui_fill(y + r, 0, cols, R_NORMAL);
	if (t->nproblems == 0) {
		ui_put(top + 3, 2, cols - 4, _("No problems: every source and cached object matches its record."),
		       R_OK, UI_START);
	} else {
		const problem *p = &t->problems[t->plist.sel];
		wrap_ctx c = {y, 2, cols - 4, y + full - 1, R_NORMAL};
		ui_detail_wrap(p->what, c.w, wrap_row, &c);
		c.role = R_ERROR;
		ui_detail_wrap(p->why, c.w, wrap_row, &c);
	}
	ui_put(top + rows - 1, 1, cols - 2, _("Esc back to the sources · v verify again"), R_DIM, UI_START);
}

static void ev_draw(void *tab, int top, int rows)
{
	evtab *t = tab;
	if (t->gen != ui_generation())
		load(t);
	if (t->showing_problems)
		draw_problems(t, top, rows);
	else
		draw_sources(t, top, rows);
}

/* ---- verify ---- */

static void on_problem(void *ctx, const char *what, const char *why)
{
	evtab *t = ctx;
	problem *v = realloc(t->problems, (t->nproblems + 1) * sizeof *v);
	if (!v)
		return;
	t->problems = v;
	v[t->nproblems].what = strdup(what ? what : "");
	v[t->nproblems].why = strdup(why ? why : "");
	if (v[t->nproblems].what && v[t->nproblems].why)
		t->nproblems++;
	else {
		free(v[t->nproblems].what);
		free(v[t->nproblems].why);
	}
}

static void on_progress(void *ctx, long long done, long long total, const char *name)
{
	(void)ctx;
	char nm[600];
	snprintf(nm, sizeof nm, UI_ISO "%s" UI_PDI, ui_base_name(name));
	/* verify_run holds the loop: the message line is drawn from here */
	if (done < total)
		ui_message(R_SOON, _("Verifying source %lld of %lld: %s"), done + 1, total, nm);
	else
		ui_message(R_SOON, "%s", _("Verifying the cached objects…"));
	ui_redraw();
}

static void verify(evtab *t)
{
	problems_clear(t);
	verify_result r;
	dl_err err = {0};
	ui_message(R_SOON, "%s", _("Verifying…"));
	ui_redraw();
	dl_status rc = verify_run(ui_session(), t->number, 0, on_problem, on_progress, t, &r, &err);
	if (rc != DL_OK && rc != DL_ETAMPER) {
		ui_error(&err);
		return;
	}
	t->showing_problems = 1;
	if (rc == DL_OK) {
		snprintf(t->summary, sizeof t->summary,
		         _("Verified: %lld sources, %lld cached objects; everything matches its record."), r.sources,
		         r.objects);
		t->summary_role = R_OK;
		ui_message(R_OK, "%s", t->summary);
	} else {
		snprintf(t->summary, sizeof t->summary,
		         P_("Verified %lld sources: %lld problem found.", "Verified %lld sources: %lld problems found.",
		            r.problems),
		         r.sources, r.problems);
		t->summary_role = R_ERROR;
		ui_message(R_ERROR, "%s", t->summary);
	}
}

/* ---- keys ---- */

static int ev_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	evtab *t = tab;
	if (t->showing_problems) {
		if (a == A_BACK) {
			t->showing_problems = 0;
			return 1;
		}
		if (a == A_STATUS) {
			verify(t);
			return 1;
		}
		if (ui_list_act(&t->plist, a, t->prows > 0 ? t->prows : 1))
			return 1;
		return 0;
	}
	if (ui_list_act(&t->list, a, t->rows > 0 ? t->rows : 1))
		return 1;
	switch (a) {
	case A_ENTER:
		if (t->sources.n > 0)
			ui_evidence_open(t->number, t->sources.v[t->list.sel].id);
		return 1;
	case A_TOGGLE:
		if (t->sources.n > 0)
			ui_evidence_open(t->number, 0);
		else
			ui_message(R_MESSAGE, "%s", _("No evidence yet. i ingests an archive, a file or a folder."));
		return 1;
	case A_INGEST:
		ui_ingest_open(t->number);
		return 1;
	case A_STATUS:
		if (t->sources.n == 0) {
			ui_message(R_MESSAGE, "%s", _("Nothing to verify: the case has no evidence yet."));
			return 1;
		}
		verify(t);
		return 1;
	case A_REFRESH:
		load(t);
		return 1;
	default:
		return 0;
	}
}

static void ev_free(void *tab)
{
	evtab *t = tab;
	evidence_source_list_free(&t->sources);
	problems_clear(t);
	free(t);
}

static const ui_binding ev_keys[] = {
	{'\n', A_ENTER, N_("browse the items of the source")},
	{'a', A_TOGGLE, N_("browse the items of all sources of the case")},
	{'i', A_INGEST, N_("ingest an archive, a file or a folder")},
	{'v', A_STATUS, N_("verify: re-hash every source and cached object of the case")},
	{'r', A_REFRESH, N_("reload the list")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_evidence = {
	N_("Evidence"), ev_keys, ev_open, ev_draw, ev_act, ev_free,
};
