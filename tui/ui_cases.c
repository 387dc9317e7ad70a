/* ui_cases.c — the case list: filters, incremental search, sorting, the
 * deadline column coloured by days left, and the new-case form. */
#include "case.h"
#include "edit.h"
#include "i18n.h"
#include "ui.h"
#include "ui_form.h"
#include "ui_screens.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sorts[] = {"deadline", "number", "opened", "status", NULL};
static const char *const sort_labels[] = {N_("deadline"), N_("number"), N_("opened"), N_("status")};

typedef struct cases {
	dl_case_list all;
	size_t *shown;              /* indexes into all.v that pass the search */
	ui_list list;
	int mine;
	int status;                 /* -1 any, else dl_case_status */
	int offence;                /* -1 any, else offence bit */
	int sort;
	int searching;
	edit search;
	int rows;
	unsigned gen;               /* ui_generation() when loaded */
} cases;

static const char *case_title(const dl_case *c)
{
	const char *ar = c->title_ar && *c->title_ar ? c->title_ar : NULL;
	const char *en = c->title_en && *c->title_en ? c->title_en : NULL;
	if (ui_rtl())
		return ar ? ar : en ? en : "";
	return en ? en : ar ? ar : "";
}

static int matches(const dl_case *c, const char *q)
{
	if (!q || !*q)
		return 1;
	const char *fields[] = {c->number, c->title_ar, c->title_en, c->lead};
	for (size_t i = 0; i < 4; i++)
		if (fields[i] && strcasestr(fields[i], q))
			return 1;
	return 0;
}

static void refilter(cases *cs)
{
	free(cs->shown);
	cs->shown = calloc(cs->all.n + 1, sizeof *cs->shown);
	long n = 0;
	for (size_t i = 0; cs->shown && i < cs->all.n; i++)
		if (matches(&cs->all.v[i], cs->search.buf))
			cs->shown[n++] = i;
	cs->list.n = n;
	ui_list_fit(&cs->list, cs->rows > 0 ? cs->rows : 1);
}

static void reload(cases *cs)
{
	char number[64] = "";
	if (cs->shown && cs->list.n > 0)
		snprintf(number, sizeof number, "%s", cs->all.v[cs->shown[cs->list.sel]].number);
	case_list_free(&cs->all);
	dl_case_filter f = {0};
	f.mine = cs->mine;
	f.status = cs->status >= 0 ? case_status_names[cs->status] : NULL;
	f.offence = cs->offence >= 0 ? case_offence_names[cs->offence] : NULL;
	f.sort = sorts[cs->sort];
	dl_err err = {0};
	cs->gen = ui_generation();
	if (case_list(ui_session(), &f, &cs->all, &err) != DL_OK)
		ui_error(&err);
	refilter(cs);
	/* keep the selection on the same case */
	for (long i = 0; number[0] && i < cs->list.n; i++)
		if (!strcmp(cs->all.v[cs->shown[i]].number, number))
			cs->list.sel = i;
}

static const ui_col columns[] = {
	{N_("Number"), 14, UI_START},
	{N_("Title"), 0, UI_START},
	{N_("Status"), 13, UI_START},
	{N_("Lead"), 10, UI_START},
	{N_("Opened"), 10, UI_START},
	{N_("Days left"), 9, UI_END},
};
#define NCOLS (sizeof columns / sizeof *columns)

static void cases_draw(ui_screen *sc, int top, int rows)
{
	cases *cs = sc->data;
	if (cs->gen != ui_generation())
		reload(cs);
	int cols = ui_cols();
	char line[400];
	snprintf(line, sizeof line, _("%s · status: %s · offence: %s · sorted by %s · %ld of %zu"),
	         cs->mine ? _("my cases") : _("all cases I may see"),
	         cs->status >= 0 ? case_status_label(cs->status) : _("any"),
	         cs->offence >= 0 ? case_offence_label(cs->offence) : _("any"), _(sort_labels[cs->sort]),
	         cs->list.n, cs->all.n);
	ui_put(top, 0, cols, line, R_DIM, UI_START);
	ui_table_header(top + 1, columns, NCOLS);
	cs->rows = rows - 3;
	ui_list_fit(&cs->list, cs->rows);
	for (int r = 0; r < cs->rows; r++) {
		long i = cs->list.top + r;
		if (i >= cs->list.n) {
			ui_fill(top + 2 + r, 0, cols, R_NORMAL);
			continue;
		}
		const dl_case *c = &cs->all.v[cs->shown[i]];
		char days[24];
		if (c->deadline)
			snprintf(days, sizeof days, "%lld", c->days_left);
		else
			days[0] = '\0';
		const char *cells[NCOLS] = {c->number, case_title(c), case_status_label(c->status),
		                            c->lead ? c->lead : "", c->opened, days};
		ui_role roles[NCOLS] = {R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL,
		                        c->deadline && c->status != DL_CASE_CLOSED ? ui_deadline_role(c->days_left)
		                                                                  : R_DIM};
		ui_table_row(top + 2 + r, columns, NCOLS, cells, roles, i == cs->list.sel ? R_SELECTED : R_NORMAL);
	}
	if (cs->list.n == 0)
		ui_put(top + 3, 2, cols - 4,
		       cs->all.n ? _("No case matches the search.")
		                 : _("No cases to show. n opens a new case; m shows all cases you may see."),
		       R_DIM, UI_START);
	if (cs->searching || (cs->search.buf && cs->search.buf[0])) {
		ui_put(top + rows - 1, 0, 10, _("Search:"), R_LABEL, UI_START);
		int sx = ui_put_edit(top + rows - 1, 10, cols - 10, cs->search.buf ? cs->search.buf : "",
		                     edit_cursor_char(&cs->search), 0, cs->searching ? R_FIELD_ACTIVE : R_FIELD);
		if (cs->searching)
			ui_cursor_at(top + rows - 1, sx);
	} else {
		ui_put(top + rows - 1, 0, cols,
		       _("Enter open · n new · / search · F4 search all · m mine/all · f status · o offence · s sort · F1 help"),
		       R_DIM, UI_START);
	}
}

static int cases_act(ui_screen *sc, ui_act a, int ch)
{
	cases *cs = sc->data;
	if (cs->searching) {
		if (a == A_NONE && ui_is_text(ch)) {
			char u[8];
			wchar_t w[2] = {(wchar_t)ch, 0};
			size_t k = wcstombs(u, w, sizeof u);
			if (k != (size_t)-1) {
				u[k] = '\0';
				edit_insert(&cs->search, u);
				cs->list.sel = 0;
				refilter(cs);
			}
			return 1;
		}
		if (a == A_NONE && (ch == KEY_BACKSPACE || ch == 21 || ch == 23)) {
			/* Backspace, Ctrl-U and Ctrl-W as in the forms */
			if (ch == KEY_BACKSPACE)
				edit_backspace(&cs->search);
			else if (ch == 21)
				edit_kill_line(&cs->search);
			else
				edit_kill_word(&cs->search);
			refilter(cs);
			return 1;
		}
		if (a == A_ENTER || a == A_DOWN || a == A_UP) {
			cs->searching = 0;
			if (a == A_ENTER)
				return 1;
		} else if (a == A_BACK) {
			cs->searching = 0;
			edit_kill_line(&cs->search);
			refilter(cs);
			return 1;
		}
	}
	if (a == A_NONE)
		return 0;
	if (ui_list_act(&cs->list, a, cs->rows))
		return 1;
	switch (a) {
	case A_SEARCH:
		cs->searching = 1;
		return 1;
	case A_BACK:
		if (cs->search.buf && cs->search.buf[0]) {
			edit_kill_line(&cs->search);
			refilter(cs);
			return 1;
		}
		return 0;
	case A_ENTER:
		if (cs->list.n > 0)
			ui_case_open(cs->all.v[cs->shown[cs->list.sel]].number);
		return 1;
	case A_NEW:
		ui_case_new_open();
		return 1;
	case A_MINE:
		cs->mine = !cs->mine;
		reload(cs);
		return 1;
	case A_FILTER:
		cs->status = cs->status + 1 > DL_CASE_SUSPENDED ? -1 : cs->status + 1;
		reload(cs);
		return 1;
	case A_TYPE:
		cs->offence = case_offence_names[cs->offence + 1] ? cs->offence + 1 : -1;
		reload(cs);
		return 1;
	case A_SORT:
		cs->sort = sorts[cs->sort + 1] ? cs->sort + 1 : 0;
		reload(cs);
		return 1;
	case A_REFRESH:
		reload(cs);
		return 1;
	case A_DASHBOARD:
		ui_dash_open();
		return 1;
	case A_ADMIN:
		ui_admin_open();
		return 1;
	case A_FIND:
		ui_search_open();
		return 1;
	default:
		return 0;
	}
}

static void cases_free(ui_screen *sc)
{
	cases *cs = sc->data;
	case_list_free(&cs->all);
	free(cs->shown);
	edit_free(&cs->search);
	free(cs);
}

static const ui_binding cases_keys[] = {
	{'\n', A_ENTER, N_("open the case")},
	{'n', A_NEW, N_("new case")},
	{'m', A_MINE, N_("my cases, or all cases I may see")},
	{'f', A_FILTER, N_("next status filter")},
	{'o', A_TYPE, N_("next offence filter")},
	{'s', A_SORT, N_("next sort order")},
	{'r', A_REFRESH, N_("reload the list")},
	{'d', A_DASHBOARD, N_("supervisor dashboard")},
	{'a', A_ADMIN, N_("users and settings (administrators)")},
	{KEY_F(4), A_FIND, N_("search every case: names, numbers, identifiers, items, notes")},
	{'S', A_FIND, NULL},
	{0, A_NONE, NULL},
};

static const ui_screen_ops cases_ops = {
	N_("Cases"), cases_keys, cases_draw, cases_act, cases_free, 1, NULL,
};

void ui_cases_open(void)
{
	cases *cs = calloc(1, sizeof *cs);
	if (!cs)
		return;
	cs->status = cs->offence = -1;
	dl_session *s = ui_session();
	cs->mine = s && s->role == DL_ROLE_INVESTIGATOR;
	edit_init(&cs->search, "");
	reload(cs);
	ui_push(&cases_ops, cs);
}

/* ---- the new-case form ---- */

static const char *offence_label(const char *name)
{
	for (int i = 0; case_offence_names[i]; i++)
		if (!strcmp(case_offence_names[i], name))
			return case_offence_label(i);
	return name;
}

static dl_status new_case_submit(ui_form *f, void *ctx, dl_err *err)
{
	(void)ctx;
	char number[64];
	snprintf(number, sizeof number, "%s", ui_form_get(f, "number"));
	char *title_ar = strdup(ui_form_get(f, "title_ar"));
	char *title_en = strdup(ui_form_get(f, "title_en"));
	char *offences = strdup(ui_form_get(f, "offences"));
	char *deadline = strdup(ui_form_get(f, "deadline"));
	char *jur = strdup(ui_form_get(f, "jurisdiction"));
	char *sum = strdup(ui_form_get(f, "summary"));
	dl_status rc = DL_ENOMEM;
	if (title_ar && title_en && offences && deadline && jur && sum) {
		dl_case_input in = {0};
		in.number = number;
		in.title_ar = *title_ar ? title_ar : NULL;
		in.title_en = *title_en ? title_en : NULL;
		in.offences = *offences ? offences : NULL;
		in.deadline = *deadline ? deadline : NULL;
		in.jurisdiction = *jur ? jur : NULL;
		if (*sum) {
			/* a summary with Arabic letters is the Arabic one */
			if (strstr(sum, "\xd8") || strstr(sum, "\xd9") || strstr(sum, "\xda") || strstr(sum, "\xdb"))
				in.summary_ar = sum;
			else
				in.summary_en = sum;
		}
		long long id;
		rc = case_add(ui_session(), &in, &id, err);
	} else {
		dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	}
	free(title_ar);
	free(title_en);
	free(offences);
	free(deadline);
	free(jur);
	free(sum);
	if (rc == DL_OK) {
		ui_message(R_OK, _("Case %s opened"), number);
		ui_case_open(number);
	}
	return rc;
}

void ui_case_new_open(void)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "number", N_("Case number"), N_("e.g. 2026/TRP/0001"), NULL, NULL},
		{F_TEXT, "title_ar", N_("Title in Arabic"), NULL, NULL, NULL},
		{F_TEXT, "title_en", N_("Title in English"), NULL, NULL, NULL},
		{F_MULTI, "offences", N_("Offences"), NULL, case_offence_names, offence_label},
		{F_DATE, "deadline", N_("Legal deadline"), N_("YYYY-MM-DD; empty: the unit's default"), NULL, NULL},
		{F_TEXT, "jurisdiction", N_("Jurisdiction"), NULL, NULL, NULL},
		{F_MULTILINE, "summary", N_("Summary"), NULL, NULL, NULL},
	};
	ui_form *f = ui_form_new(_("New case"), defs, sizeof defs / sizeof *defs, new_case_submit, NULL, NULL);
	if (f)
		ui_form_open(f);
}
