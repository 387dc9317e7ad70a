/* ui_case.c — one case: its heading, the tab bar, and the current tab. */
#include "ui_case.h"
#include "case.h"
#include "i18n.h"
#include "text.h"
#include "ui_screens.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ui_tab_ops *const tabs[] = {
	&ui_tab_overview, &ui_tab_persons, &ui_tab_devices, &ui_tab_evidence,
	&ui_tab_requests, &ui_tab_custody, &ui_tab_notes, &ui_tab_links, &ui_tab_reports, &ui_tab_audit,
};
#define NTABS (int)(sizeof tabs / sizeof *tabs)
_Static_assert(UI_TAB_PERSONS == 1 && UI_TAB_DEVICES == 2 && UI_TAB_EVIDENCE == 3,
               "ui_screens.h's tab indexes follow the tab bar");

typedef struct casev {
	char number[64];
	dl_case c;
	unsigned gen;
	int tab;
	void *state[NTABS];         /* opened on first visit */
} casev;

static void load(casev *cv)
{
	dl_err err = {0};
	case_free(&cv->c);
	cv->gen = ui_generation();
	if (case_get(ui_session(), cv->number, &cv->c, &err) != DL_OK)
		ui_error(&err);
}

static void *tab_state(casev *cv)
{
	if (!cv->state[cv->tab])
		cv->state[cv->tab] = tabs[cv->tab]->open(cv->number);
	return cv->state[cv->tab];
}

static void case_draw(ui_screen *sc, int top, int rows)
{
	casev *cv = sc->data;
	if (cv->gen != ui_generation())
		load(cv);
	int cols = ui_cols();
	const dl_case *c = &cv->c;
	/* heading: number · title · status · deadline */
	const char *title = ui_in_lang(c->title_ar, c->title_en);
	char head[600];
	snprintf(head, sizeof head, UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI, cv->number, title ? title : "",
	         c->id ? case_status_label(c->status) : "");
	ui_put(top, 0, cols - 22, head, R_HEADER, UI_START);
	char days[64] = "";
	if (c->deadline) {
		if (c->days_left < 0)
			snprintf(days, sizeof days, P_("%lld day overdue", "%lld days overdue", -c->days_left),
			         -c->days_left);
		else
			snprintf(days, sizeof days, P_("%lld day left", "%lld days left", c->days_left), c->days_left);
	}
	ui_put(top, cols - 21, 21, days,
	       c->status == DL_CASE_CLOSED ? R_DIM : ui_deadline_role(c->days_left), UI_END);

	/* the tab bar, from the start side; digits 1-9 and 0 jump to a tab. When the labels do
	 * not fit, the other tabs share what the current one leaves. */
	ui_fill(top + 1, 0, cols, R_NORMAL);
	char label[NTABS][120];
	int need = 0;
	for (int i = 0; i < NTABS; i++) {
		snprintf(label[i], sizeof label[i], " %d %s ", (i + 1) % 10, _(tabs[i]->title));
		need += text_cells(label[i], ui_bidi()) + 1;
	}
	int cur_w = text_cells(label[cv->tab], ui_bidi());
	int other_w = need > cols ? (cols - cur_w - NTABS) / (NTABS - 1) : cols;
	int x = 0;
	for (int i = 0; i < NTABS && x < cols; i++) {
		int w = text_cells(label[i], ui_bidi());
		if (i != cv->tab && w > other_w)
			w = other_w;
		if (w > cols - x)
			w = cols - x;
		ui_put(top + 1, x, w, label[i], i == cv->tab ? R_TAB_ACTIVE : R_TAB, UI_START);
		x += w + 1;
	}
	void *st = tab_state(cv);
	if (st)
		tabs[cv->tab]->draw(st, top + 2, rows - 2);
}

static ui_act tab_key(const ui_binding *t, int ch)
{
	for (; t && t->key; t++)
		if (t->key == ch)
			return t->act;
	return A_NONE;
}

static int case_act(ui_screen *sc, ui_act a, int ch)
{
	casev *cv = sc->data;
	void *st = tab_state(cv);
	if (a == A_NONE) {
		/* the tab's keys first */
		ui_act ta = tab_key(tabs[cv->tab]->keys, ch);
		if (st && (ta != A_NONE || ch == KEY_BACKSPACE || ch >= 32))
			if (tabs[cv->tab]->act(st, ta, ch))
				return 1;
		/* 1-9 and 0 for the tenth, as on the keyboard's top row */
		int k = ch == '0' ? 9 : ch - '1';
		if (ch >= '0' && ch <= '9' && k < NTABS) {
			cv->tab = k;
			return 1;
		}
		return 0;
	}
	switch (a) {
	case A_NEXT:
		cv->tab = (cv->tab + 1) % NTABS;
		return 1;
	case A_PREV:
		cv->tab = (cv->tab + NTABS - 1) % NTABS;
		return 1;
	case A_ARROW_LEFT:
	case A_ARROW_RIGHT:
		/* tabs run from the start side: right moves on in English, back in Arabic */
		if ((a == A_ARROW_RIGHT) != (ui_rtl() != 0))
			cv->tab = (cv->tab + 1) % NTABS;
		else
			cv->tab = (cv->tab + NTABS - 1) % NTABS;
		return 1;
	default:
		break;
	}
	return st ? tabs[cv->tab]->act(st, a, ch) : 0;
}

static void case_free_screen(ui_screen *sc)
{
	casev *cv = sc->data;
	for (int i = 0; i < NTABS; i++)
		if (cv->state[i])
			tabs[i]->free(cv->state[i]);
	case_free(&cv->c);
	free(cv);
}

static const ui_binding *case_more_keys(ui_screen *sc)
{
	casev *cv = sc->data;
	return tabs[cv->tab]->keys;
}

static const ui_binding case_keys[] = {
	{'\t', A_NEXT, N_("next tab")},
	{KEY_BTAB, A_PREV, N_("previous tab")},
	/* handled in case_act; listed here for F1 */
	{'1', A_NONE, N_("1 to 9, and 0: go straight to that tab")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops case_ops = {
	N_("Case"), case_keys, case_draw, case_act, case_free_screen, 1, case_more_keys,
};

void ui_case_open_tab(const char *number, int tab)
{
	casev *cv = calloc(1, sizeof *cv);
	if (!cv)
		return;
	snprintf(cv->number, sizeof cv->number, "%s", number);
	load(cv);
	if (!cv->c.id) {
		free(cv);
		return;
	}
	cv->tab = tab >= 0 && tab < NTABS ? tab : 0;
	ui_push(&case_ops, cv);
}

void ui_case_open(const char *number)
{
	ui_case_open_tab(number, UI_TAB_OVERVIEW);
}

int ui_case_confirm_delete(const char *what)
{
	char q[400];
	snprintf(q, sizeof q, _("Delete %s? It stays in the audit log."), what);
	return ui_confirm(q);
}
