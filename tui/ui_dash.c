/* ui_dash.c — the supervisor dashboard: cases by status, deadlines past or
 * near, overdue provider requests, open tasks, each investigator's load, and
 * the cross-case hits that ingests and extractions found lately.
 * Enter opens the case of a row; on a status or an investigator it lists
 * their cases first. Supervisors and administrators only. */
#include "case.h"
#include "dashboard.h"
#include "i18n.h"
#include "ui.h"
#include "ui_screens.h"
#include "ui_sections.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { S_STATUS, S_DEADLINES, S_REQUESTS, S_TASKS, S_LOAD, S_HITS, NSECTIONS };

/* The status section's last row, and the drill-down over every case. */
#define ALL_CASES (DL_CASE_SUSPENDED + 1)

static const ui_col status_cols[] = {
	{N_("Status"), 0, UI_START},
	{N_("Cases"), 7, UI_END},
};
static const ui_col deadline_cols[] = {
	{N_("Number"), 14, UI_START},
	{N_("Title"), 0, UI_START},
	{N_("Lead"), 10, UI_START},
	{N_("Deadline"), 10, UI_START},
	{N_("Days left"), 9, UI_END},
};
static const ui_col request_cols[] = {
	{N_("Case"), 14, UI_START},
	{N_("Provider"), 0, UI_START},
	{N_("Due"), 10, UI_START},
	{N_("Days overdue"), 12, UI_END},
};
static const ui_col task_cols[] = {
	{N_("Case"), 14, UI_START},
	{N_("Task"), 0, UI_START},
	{N_("Assignee"), 10, UI_START},
	{N_("Due"), 10, UI_START},
};
static const ui_col load_cols[] = {
	{N_("Investigator"), 0, UI_START},
	{N_("Open cases"), 10, UI_END},
	{N_("Past deadline"), 13, UI_END},
	{N_("Open tasks"), 10, UI_END},
	{N_("Overdue tasks"), 13, UI_END},
};
static const ui_col hit_cols[] = {
	{N_("Case"), 14, UI_START},
	{N_("Value"), 0, UI_START},
	{N_("Items"), 5, UI_END},
	{N_("Also in"), 14, UI_START},
	{N_("Found on"), 10, UI_START},
};
#define NC(a) (int)(sizeof a / sizeof *a)

typedef struct dash {
	dl_dashboard d;
	ui_section sec[NSECTIONS];
	ui_sections ss;
	unsigned gen;
} dash;

/* A count of days; in an Arabic line a left-to-right isolate keeps the minus
 * sign of a past deadline before its digits ("-5", not "5-"). */
static void days_text(long long days, char out[32])
{
	if (ui_rtl() && days < 0)
		snprintf(out, 32, "\u2066%lld\u2069", days);
	else
		snprintf(out, 32, "%lld", days);
}

/* The tables from the dashboard just loaded; row ids index its arrays from 1. */
static void fill(dash *ds)
{
	dl_dashboard *d = &ds->d;
	for (int i = 0; i < NSECTIONS; i++)
		ui_table_clear(&ds->sec[i].t);
	char n[32], days[32];

	for (int st = 0; st <= DL_CASE_SUSPENDED; st++) {
		snprintf(n, sizeof n, "%lld", d->status_counts[st]);
		const char *cells[] = {case_status_label((dl_case_status)st), n};
		ui_role roles[] = {R_NORMAL, d->status_counts[st] ? R_NORMAL : R_DIM};
		ui_table_add(&ds->sec[S_STATUS].t, st + 1, cells, roles);
	}
	snprintf(n, sizeof n, "%lld", d->total_cases);
	const char *total[] = {_("All cases"), n};
	ui_role total_roles[] = {R_HEADER, R_HEADER};
	ui_table_add(&ds->sec[S_STATUS].t, ALL_CASES + 1, total, total_roles);

	for (size_t i = 0; i < d->ndeadlines; i++) {
		const dl_dash_case *c = &d->deadlines[i];
		days_text(c->days_left, days);
		const char *cells[] = {c->number, ui_in_lang(c->title_ar, c->title_en), c->lead ? c->lead : "—",
		                       c->deadline, days};
		ui_role roles[] = {R_NORMAL, R_NORMAL, c->lead ? R_NORMAL : R_DIM, R_NORMAL,
		                   ui_deadline_role(c->days_left)};
		ui_table_add(&ds->sec[S_DEADLINES].t, (long long)i + 1, cells, roles);
	}

	for (size_t i = 0; i < d->overdue_requests.n; i++) {
		const dl_request *r = &d->overdue_requests.v[i];
		days_text(r->days_overdue, days);
		const char *cells[] = {r->case_number, r->provider, r->due_date ? r->due_date : "", days};
		ui_role roles[] = {R_NORMAL, R_NORMAL, R_NORMAL, R_OVERDUE};
		ui_table_add(&ds->sec[S_REQUESTS].t, (long long)i + 1, cells, roles);
	}

	for (size_t i = 0; i < d->ntasks; i++) {
		const dl_dash_task *t = &d->tasks[i];
		const char *cells[] = {t->case_number, t->title, t->assignee ? t->assignee : "—",
		                       t->due_date ? t->due_date : ""};
		ui_role roles[] = {R_NORMAL, R_NORMAL, t->assignee ? R_NORMAL : R_DIM,
		                   t->overdue ? R_OVERDUE : t->due_date ? ui_deadline_role(t->days_left) : R_NORMAL};
		ui_table_add(&ds->sec[S_TASKS].t, (long long)i + 1, cells, roles);
	}

	for (size_t i = 0; i < d->nload; i++) {
		const dl_dash_load *l = &d->load[i];
		char who[80], oc[24], odc[24], ot[24], odt[24];
		if (l->role == DL_ROLE_INVESTIGATOR)
			snprintf(who, sizeof who, "%s", l->username);
		else
			snprintf(who, sizeof who, "%s (%s)", l->username, dl_role_label(l->role));
		snprintf(oc, sizeof oc, "%lld", l->open_cases);
		snprintf(odc, sizeof odc, "%lld", l->overdue_cases);
		snprintf(ot, sizeof ot, "%lld", l->open_tasks);
		snprintf(odt, sizeof odt, "%lld", l->overdue_tasks);
		const char *cells[] = {who, oc, odc, ot, odt};
		ui_role roles[] = {R_NORMAL, l->open_cases ? R_NORMAL : R_DIM, l->overdue_cases ? R_OVERDUE : R_DIM,
		                   l->open_tasks ? R_NORMAL : R_DIM, l->overdue_tasks ? R_OVERDUE : R_DIM};
		ui_table_add(&ds->sec[S_LOAD].t, (long long)i + 1, cells, roles);
	}

	for (size_t i = 0; i < d->nhits; i++) {
		const dl_dash_hit *h = &d->hits[i];
		char value[600], items[24], found[11];
		/* the normal forms speak for their kind (+218…, bc1…, telegram:…); the
		 * value stays left to right inside an Arabic row */
		snprintf(value, sizeof value, UI_LRI "%s" UI_PDI, h->value);
		snprintf(items, sizeof items, "%lld", h->items);
		snprintf(found, sizeof found, "%.10s", h->found_at ? h->found_at : "");
		const char *cells[] = {h->case_number, value, items, h->other_case, found};
		ui_role roles[] = {R_NORMAL, R_NORMAL, R_NORMAL, R_HIT, R_DIM};
		ui_table_add(&ds->sec[S_HITS].t, (long long)i + 1, cells, roles);
	}
}

static void reload(dash *ds)
{
	dl_err err = {0};
	dashboard_free(&ds->d);
	ds->gen = ui_generation();
	if (dashboard_load(ui_session(), &ds->d, &err) != DL_OK)
		ui_error(&err);
	fill(ds);
}

static void dash_draw(ui_screen *sc, int top, int rows)
{
	dash *ds = sc->data;
	if (ds->gen != ui_generation())
		reload(ds);
	int cols = ui_cols();
	char line[400];
	long long past = 0;
	for (size_t i = 0; i < ds->d.ndeadlines; i++)
		past += ds->d.deadlines[i].days_left < 0;
	char today[11];
	store_today(today);
	/* the dashboard's first line: today's date, then counts, each with its plural */
	char c1[80], c2[80], c3[80], c4[80];
	snprintf(c1, sizeof c1, P_("%lld case", "%lld cases", ds->d.total_cases), ds->d.total_cases);
	snprintf(c2, sizeof c2, P_("%lld past its deadline", "%lld past their deadline", past), past);
	snprintf(c3, sizeof c3, P_("%zu request overdue", "%zu requests overdue", ds->d.overdue_requests.n),
	         ds->d.overdue_requests.n);
	snprintf(c4, sizeof c4, P_("%zu open task", "%zu open tasks", ds->d.ntasks), ds->d.ntasks);
	snprintf(line, sizeof line, UI_LRI "%s" UI_PDI " · %s · %s · %s · %s", today, c1, c2, c3, c4);
	ui_put(top, 0, cols, line, R_DIM, UI_START);
	ui_sections_draw(&ds->ss, top + 1, rows - 2);
	if (!ui_sections_draw_find(&ds->ss, top + rows - 1))
		ui_put(top + rows - 1, 0, cols, _("Tab next section · ↑↓ move · Enter open · / find · r reload · F1 help"),
		       R_DIM, UI_START);
}

/* ---- the cases behind a status or an investigator ---- */

static const ui_col list_cols[] = {
	{N_("Number"), 14, UI_START},
	{N_("Title"), 0, UI_START},
	{N_("Status"), 13, UI_START},
	{N_("Lead"), 10, UI_START},
	{N_("Days left"), 9, UI_END},
};

typedef struct drill {
	char heading[200];
	int status;                 /* a dl_case_status, ALL_CASES, or -1: the user's cases */
	long long user_id;
	ui_table t;
	char **numbers;
	size_t n;
	unsigned gen;
} drill;

static void drill_clear(drill *dr)
{
	for (size_t i = 0; i < dr->n; i++)
		free(dr->numbers[i]);
	free(dr->numbers);
	dr->numbers = NULL;
	dr->n = 0;
	ui_table_clear(&dr->t);
}

static void drill_add(drill *dr, const char *number, const char *title, dl_case_status st, const char *lead,
                      long long days_left)
{
	char **v = realloc(dr->numbers, (dr->n + 1) * sizeof *v);
	char *num = strdup(number);
	if (!v || !num) {
		free(num);
		if (v)
			dr->numbers = v;
		return;
	}
	dr->numbers = v;
	dr->numbers[dr->n++] = num;
	char days[32];
	days_text(days_left, days);
	const char *cells[] = {number, title, case_status_label(st), lead ? lead : "—", days};
	ui_role roles[] = {R_NORMAL, R_NORMAL, R_NORMAL, lead ? R_NORMAL : R_DIM,
	                   st == DL_CASE_CLOSED ? R_DIM : ui_deadline_role(days_left)};
	ui_table_add(&dr->t, (long long)dr->n, cells, roles);
}

static void drill_load(drill *dr)
{
	dl_err err = {0};
	drill_clear(dr);
	dr->gen = ui_generation();
	if (dr->status >= 0) {
		dl_case_list l;
		dl_case_filter f = {0};
		f.status = dr->status < ALL_CASES ? case_status_names[dr->status] : NULL;
		f.sort = "deadline";
		if (case_list(ui_session(), &f, &l, &err) != DL_OK) {
			ui_error(&err);
			return;
		}
		for (size_t i = 0; i < l.n; i++)
			drill_add(dr, l.v[i].number, ui_in_lang(l.v[i].title_ar, l.v[i].title_en), l.v[i].status,
			          l.v[i].lead, l.v[i].days_left);
		case_list_free(&l);
	} else {
		dl_dash_case *v;
		size_t n;
		if (dashboard_user_cases(ui_session(), dr->user_id, &v, &n, &err) != DL_OK) {
			ui_error(&err);
			return;
		}
		for (size_t i = 0; i < n; i++)
			drill_add(dr, v[i].number, ui_in_lang(v[i].title_ar, v[i].title_en), v[i].status, v[i].lead,
			          v[i].days_left);
		dashboard_cases_free(v, n);
	}
}

static void drill_draw(ui_screen *sc, int top, int rows)
{
	drill *dr = sc->data;
	if (dr->gen != ui_generation())
		drill_load(dr);
	ui_put(top, 0, ui_cols(), dr->heading, R_HEADER, UI_START);
	ui_table_draw(&dr->t, top + 1, rows - 2, _("No cases."));
	ui_put(top + rows - 1, 0, ui_cols(), _("Enter open the case · Esc back to the dashboard"), R_DIM, UI_START);
}

static int drill_act(ui_screen *sc, ui_act a, int ch)
{
	(void)ch;
	drill *dr = sc->data;
	if (ui_table_act(&dr->t, a))
		return 1;
	if (a == A_ENTER) {
		long long id = ui_table_sel(&dr->t);
		if (id > 0 && (size_t)id <= dr->n)
			ui_case_open(dr->numbers[id - 1]);
		return 1;
	}
	if (a == A_REFRESH) {
		drill_load(dr);
		return 1;
	}
	return 0;
}

static void drill_free(ui_screen *sc)
{
	drill *dr = sc->data;
	drill_clear(dr);
	ui_table_free(&dr->t);
	free(dr);
}

static const ui_binding drill_keys[] = {
	{'\n', A_ENTER, N_("open the case")},
	{'r', A_REFRESH, N_("reload")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops drill_ops = {
	N_("Dashboard"), drill_keys, drill_draw, drill_act, drill_free, 0, NULL,
};

static void drill_open(int status, const dl_dash_load *who)
{
	drill *dr = calloc(1, sizeof *dr);
	if (!dr)
		return;
	ui_table_init(&dr->t, list_cols, NC(list_cols));
	dr->status = status;
	if (status == ALL_CASES) {
		snprintf(dr->heading, sizeof dr->heading, "%s", _("All cases"));
	} else if (status >= 0) {
		snprintf(dr->heading, sizeof dr->heading, _("Cases with status: %s"),
		         case_status_label((dl_case_status)status));
	} else {
		dr->user_id = who->user_id;
		snprintf(dr->heading, sizeof dr->heading, _("Open cases of %s (led or assigned)"), who->username);
	}
	drill_load(dr);
	ui_push(&drill_ops, dr);
}

/* ---- keys ---- */

static int dash_act(ui_screen *sc, ui_act a, int ch)
{
	dash *ds = sc->data;
	if (ui_sections_find_key(&ds->ss, a, ch, !ui_is_text(ch) && ch == KEY_BACKSPACE))
		return 1;
	if (a == A_NONE)
		return 0;
	if (ui_sections_act(&ds->ss, a))
		return 1;
	switch (a) {
	case A_ENTER: {
		long long id = ui_sections_sel(&ds->ss);
		if (id <= 0)
			return 1;
		size_t i = (size_t)id - 1;
		dl_dashboard *d = &ds->d;
		switch (ds->ss.cur) {
		case S_STATUS:
			drill_open((int)i, NULL);
			break;
		case S_DEADLINES:
			ui_case_open(d->deadlines[i].number);
			break;
		case S_REQUESTS:
			ui_case_open(d->overdue_requests.v[i].case_number);
			break;
		case S_TASKS:
			ui_case_open(d->tasks[i].case_number);
			break;
		case S_LOAD:
			drill_open(-1, &d->load[i]);
			break;
		case S_HITS:
			ui_case_open(d->hits[i].case_number);
			break;
		}
		return 1;
	}
	case A_REFRESH:
		reload(ds);
		ui_message(R_OK, "%s", _("Dashboard reloaded"));
		return 1;
	default:
		return 0;
	}
}

static void dash_free(ui_screen *sc)
{
	dash *ds = sc->data;
	dashboard_free(&ds->d);
	for (int i = 0; i < NSECTIONS; i++)
		ui_table_free(&ds->sec[i].t);
	edit_free(&ds->ss.find);
	free(ds);
}

static const ui_binding dash_keys[] = {
	{'\t', A_NEXT, N_("next section")},
	{KEY_BTAB, A_PREV, N_("previous section")},
	{'\n', A_ENTER, N_("open the case; on a status or an investigator, their cases")},
	{'r', A_REFRESH, N_("reload the dashboard")},
	{'/', A_SEARCH, N_("find a row: type, ↓ for the next, Enter to stop")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops dash_ops = {
	N_("Dashboard"), dash_keys, dash_draw, dash_act, dash_free, 1, NULL,
};

void ui_dash_open(void)
{
	dl_err err = {0};
	if (perm_supervise(ui_session(), &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	dash *ds = calloc(1, sizeof *ds);
	if (!ds)
		return;
	static const struct {
		const char *title, *empty;
		const ui_col *cols;
		int ncols, column, all;
	} def[NSECTIONS] = {
		[S_STATUS] = {N_("Cases by status"), N_("No cases."), status_cols, NC(status_cols), 0, 1},
		[S_DEADLINES] = {N_("Deadlines past or within 14 days"), N_("No open case is near its deadline."),
		                 deadline_cols, NC(deadline_cols), 0, 0},
		[S_REQUESTS] = {N_("Provider requests overdue"), N_("No request is waiting past its due date."),
		                request_cols, NC(request_cols), 1, 0},
		[S_TASKS] = {N_("Open tasks"), N_("No open tasks."), task_cols, NC(task_cols), 1, 0},
		[S_LOAD] = {N_("Case load per investigator"), N_("No investigators."), load_cols, NC(load_cols), 0, 0},
		[S_HITS] = {N_("Cross-case hits found in evidence, last 14 days"),
		            N_("No identifier found in evidence lately appears in another case."), hit_cols,
		            NC(hit_cols), 1, 0},
	};
	for (int i = 0; i < NSECTIONS; i++) {
		ds->sec[i].title = def[i].title;
		ds->sec[i].empty = def[i].empty;
		ds->sec[i].column = def[i].column;
		ds->sec[i].all = def[i].all;
		ui_table_init(&ds->sec[i].t, def[i].cols, def[i].ncols);
	}
	ds->ss.v = ds->sec;
	ds->ss.n = NSECTIONS;
	ds->ss.wide = 120;
	ds->ss.cur = S_DEADLINES;
	reload(ds);
	ui_push(&dash_ops, ds);
}
