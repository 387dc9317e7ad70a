/* ui_search.c — the global search (SPEC §5): a query line over every case the
 * store holds, results paged from the model (search_run), Enter opens what a
 * result points at. A result in a case the user may not read says only how
 * many matches it holds and whom to ask. */
#include "edit.h"
#include "i18n.h"
#include "search.h"
#include "text.h"
#include "ui.h"
#include "ui_screens.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct search_screen {
	edit query;
	int typing;                 /* keys go to the query line */
	char *searched;             /* the query of the results shown, NULL before the first */
	dl_search_results res;
	ui_list list;               /* over the current page */
	int rows;
	unsigned gen;               /* ui_generation() of the results */
} search_screen;

static const ui_col columns[] = {
	{N_("Kind"), 11, UI_START},
	{N_("Case"), 14, UI_START},
	{N_("Found"), 0, UI_START},
	{N_("Match"), 9, UI_START},
};
#define NCOLS (sizeof columns / sizeof *columns)

/* Run the query of the line (or the one shown, for another page) and show
 * page; the selection goes to the first or (from_end) last row. */
static void run(search_screen *ss, const char *text, int page, int from_end)
{
	dl_search_results r;
	dl_err err = {0};
	if (search_run(ui_session(), text, page, &r, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	if (text != ss->searched) {
		char *t = strdup(text);
		if (!t) {
			search_results_free(&r);
			return;
		}
		free(ss->searched);
		ss->searched = t;
	}
	search_results_free(&ss->res);
	ss->res = r;
	ss->gen = ui_generation();
	ss->list.n = (long)r.n;
	ss->list.top = 0;
	ss->list.sel = from_end && r.n ? (long)r.n - 1 : 0;
	ui_list_fit(&ss->list, ss->rows > 0 ? ss->rows : 1);
}

static const char *kind_label(dl_search_kind k)
{
	switch (k) {
	case DL_SEARCH_CASE: return _("case");
	case DL_SEARCH_PERSON: return _("person");
	case DL_SEARCH_IDENTIFIER: return _("identifier");
	case DL_SEARCH_ITEM: return _("item");
	case DL_SEARCH_NOTE: return _("note");
	}
	return "";
}

/* Whom to ask about a restricted case: "LOGIN (name)", or a supervisor. */
static void lead_text(const dl_search_hit *h, char *out, size_t n)
{
	if (!h->lead) {
		snprintf(out, n, "%s", _("a supervisor"));
		return;
	}
	const char *name = ui_in_lang(h->lead_name_ar, h->lead_name_en);
	if (*name)
		snprintf(out, n, "%s (" UI_ISO "%s" UI_PDI ")", h->lead, name);
	else
		snprintf(out, n, "%s", h->lead);
}

/* The "Found" cell: the labels, each isolated (Arabic names and Latin paths
 * side by side), paths left to right. */
static void found_text(const dl_search_hit *h, char *out, size_t n)
{
	char lead[200], path[600];
	if (h->restricted) {
		lead_text(h, lead, sizeof lead);
		snprintf(out, n, P_("%lld match in a case you may not read: ask %s",
		                    "%lld matches in a case you may not read: ask %s", h->count),
		         h->count, lead);
		return;
	}
	const char *label = h->label ? h->label : "";
	const char *label2 = h->label2 && *h->label2 ? h->label2 : NULL;
	const char *detail = h->detail && *h->detail ? h->detail : NULL;
	switch (h->kind) {
	case DL_SEARCH_ITEM:
		snprintf(out, n, "%s", ui_path(path, sizeof path, label));
		return;
	case DL_SEARCH_NOTE:
		/* the note's first line, then its item */
		snprintf(out, n, UI_ISO "%.*s" UI_PDI " · %s", (int)strcspn(label, "\n"), label,
		         ui_path(path, sizeof path, label2 ? label2 : ""));
		return;
	case DL_SEARCH_IDENTIFIER:
		/* the value reads left to right, then its kind and whose it is */
		snprintf(out, n, UI_LRI "%s" UI_PDI " · %s%s" UI_ISO "%s" UI_PDI, label,
		         label2 ? label2 : "", detail ? " · " : "",
		         detail ? (h->item_id ? ui_path(path, sizeof path, detail) : detail) : "");
		return;
	default:
		break;
	}
	snprintf(out, n, UI_ISO "%s" UI_PDI "%s" UI_ISO "%s" UI_PDI "%s" UI_ISO "%s" UI_PDI, label,
	         label2 ? " · " : "", label2 ? label2 : "", detail ? " · " : "", detail ? detail : "");
}

static void search_draw(ui_screen *sc, int top, int rows)
{
	search_screen *ss = sc->data;
	int cols = ui_cols();
	if (ss->searched && ss->gen != ui_generation())
		run(ss, ss->searched, ss->res.page, 0);   /* something was saved: show it */
	const char *label = _("Search:");
	int lw = text_cells(label, ui_bidi()) + 1;
	ui_put(top, 0, lw, label, R_LABEL, UI_START);
	int sx = ui_put_edit(top, lw, cols - lw, ss->query.buf ? ss->query.buf : "",
	                     edit_cursor_char(&ss->query), 0, ss->typing ? R_FIELD_ACTIVE : R_FIELD);
	char line[300];
	if (!ss->searched) {
		snprintf(line, sizeof line, "%s",
		         _("A name in Arabic or Latin letters, a case number, a phone number, an e-mail, a file name…"));
	} else {
		char total[32];
		ui_group(ss->res.total, total, sizeof total);
		snprintf(line, sizeof line, P_("page %d of %d · %s result", "page %d of %d · %s results",
		                               ss->res.total),
		         ss->res.page, ss->res.pages, total);
	}
	ui_put(top + 1, 0, cols, line, R_DIM, UI_START);
	ui_table_header(top + 2, columns, NCOLS);
	ss->rows = rows - 4;
	ui_list_fit(&ss->list, ss->rows);
	char found[1400];
	for (int r = 0; r < ss->rows; r++) {
		long i = ss->list.top + r;
		if (i >= ss->list.n) {
			ui_fill(top + 3 + r, 0, cols, R_NORMAL);
			continue;
		}
		const dl_search_hit *h = &ss->res.v[i];
		found_text(h, found, sizeof found);
		const char *cells[NCOLS] = {h->restricted ? "—" : kind_label(h->kind),
		                            h->case_number ? h->case_number : "—", found,
		                            h->restricted ? "" : h->exact ? _("exact") : _("similar")};
		ui_role roles[NCOLS] = {R_NORMAL, R_NORMAL, h->restricted ? R_DIM : R_NORMAL,
		                        h->exact ? R_NORMAL : R_DIM};
		ui_table_row(top + 3 + r, columns, NCOLS, cells, roles,
		             i == ss->list.sel ? R_SELECTED : R_NORMAL);
	}
	if (ss->searched && ss->list.n == 0)
		ui_put(top + 4, 2, cols - 4,
		       ss->res.total ? _("No more results: PgUp goes back.") : _("Nothing found."),
		       R_DIM, UI_START);
	ui_put(top + rows - 1, 0, cols,
	       ss->typing ? _("Enter search · Esc back")
	                  : _("Enter open · / new search · PgDn/PgUp next/previous page · Esc back · F1 help"),
	       R_DIM, UI_START);
	if (ss->typing)
		ui_cursor_at(top, sx);
}

/* Open what the selected result points at. */
static void open_hit(const dl_search_hit *h)
{
	char lead[200];
	if (h->restricted) {
		lead_text(h, lead, sizeof lead);
		ui_message(R_ERROR, _("You may not read case %s: ask %s"), h->case_number, lead);
		return;
	}
	if (!h->case_number) {
		ui_message(R_ERROR, "%s", _("This person is in no case."));
		return;
	}
	switch (h->kind) {
	case DL_SEARCH_PERSON:
		ui_case_open_tab(h->case_number, UI_TAB_PERSONS);
		return;
	case DL_SEARCH_IDENTIFIER:
		if (h->item_id && h->source_id && h->detail)
			ui_evidence_open_at(h->case_number, h->source_id, ui_base_name(h->detail));
		else if (h->person_id)
			ui_case_open_tab(h->case_number, UI_TAB_PERSONS);
		else if (h->device_id)
			ui_case_open_tab(h->case_number, UI_TAB_DEVICES);
		else
			ui_case_open(h->case_number);
		return;
	case DL_SEARCH_ITEM:
		ui_evidence_open_at(h->case_number, h->source_id, ui_base_name(h->label ? h->label : ""));
		return;
	case DL_SEARCH_NOTE:
		ui_evidence_open_at(h->case_number, h->source_id, ui_base_name(h->label2 ? h->label2 : ""));
		return;
	case DL_SEARCH_CASE:
		break;
	}
	ui_case_open(h->case_number);
}

static int search_act(ui_screen *sc, ui_act a, int ch)
{
	search_screen *ss = sc->data;
	if (ss->typing) {
		if (a == A_NONE && ui_is_text(ch)) {
			char u[8];
			size_t k = text_utf8_encode((wchar_t)ch, u);
			u[k] = '\0';
			edit_insert(&ss->query, u);
			return 1;
		}
		if (a == A_NONE && (ch == KEY_BACKSPACE || ch == 21 || ch == 23)) {
			/* Backspace, Ctrl-U and Ctrl-W as in the forms */
			if (ch == KEY_BACKSPACE)
				edit_backspace(&ss->query);
			else if (ch == 21)
				edit_kill_line(&ss->query);
			else
				edit_kill_word(&ss->query);
			return 1;
		}
		if (a == A_ARROW_LEFT || a == A_ARROW_RIGHT) {
			if ((a == A_ARROW_RIGHT) != (ui_rtl() != 0))
				edit_right(&ss->query);
			else
				edit_left(&ss->query);
			return 1;
		}
		if (a == A_ENTER) {
			run(ss, ss->query.buf ? ss->query.buf : "", 1, 0);
			if (ss->searched && !strcmp(ss->searched, ss->query.buf ? ss->query.buf : ""))
				ss->typing = 0;
			return 1;
		}
		if (a == A_BACK && ss->searched) {
			ss->typing = 0;   /* back to the results */
			return 1;
		}
		if (a == A_BACK)
			return 0;     /* nothing searched yet: leave */
		if (a == A_NONE)
			return 1;
		if (!ss->searched)
			return a == A_HELP || a == A_LANG || a == A_QUIT ? 0 : 1;
		ss->typing = 0;   /* a movement leaves the line and moves */
	}
	if (a == A_NONE)
		return 0;
	int last = ss->res.page >= ss->res.pages;
	switch (a) {
	case A_SEARCH:
		ss->typing = 1;
		return 1;
	case A_ENTER:
		if (ss->list.n > 0)
			open_hit(&ss->res.v[ss->list.sel]);
		return 1;
	case A_PGDN:
	case A_DOWN:
		/* past the page's last row: the next page */
		if (ss->searched && !last && ss->list.sel >= ss->list.n - 1) {
			run(ss, ss->searched, ss->res.page + 1, 0);
			return 1;
		}
		break;
	case A_PGUP:
	case A_UP:
		if (ss->searched && ss->res.page > 1 && ss->list.sel <= 0) {
			run(ss, ss->searched, ss->res.page - 1, 1);
			return 1;
		}
		break;
	default:
		break;
	}
	return ui_list_act(&ss->list, a, ss->rows);
}

static void search_free(ui_screen *sc)
{
	search_screen *ss = sc->data;
	edit_free(&ss->query);
	free(ss->searched);
	search_results_free(&ss->res);
	free(ss);
}

static const ui_binding search_keys[] = {
	{'\n', A_ENTER, N_("search; on a result: open its case (persons tab, evidence browser at the item)")},
	{KEY_NPAGE, A_PGDN, N_("next page of results")},
	{KEY_PPAGE, A_PGUP, N_("previous page of results")},
	{'/', A_SEARCH, N_("edit the search")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops search_ops = {
	N_("Search"), search_keys, search_draw, search_act, search_free, 1, NULL,
};

void ui_search_open(void)
{
	search_screen *ss = calloc(1, sizeof *ss);
	if (!ss)
		return;
	edit_init(&ss->query, "");
	ss->query.max = DL_SEARCH_MAX;
	ss->typing = 1;
	ss->res.page = ss->res.pages = 1;
	ui_push(&search_ops, ss);
}
