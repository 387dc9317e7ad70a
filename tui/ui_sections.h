/* ui_sections.h — a screen made of several titled tables (the dashboard, users
 * and settings): Tab moves between them, the movement keys act in the current
 * one. On a narrow terminal the sections stack and the page scrolls to keep
 * the current one in view; from `wide` columns on they go in two columns.
 * Header-only (static inline) so that each screen file stays self-contained. */
#ifndef DALIL_UI_SECTIONS_H
#define DALIL_UI_SECTIONS_H

#include "edit.h"
#include "i18n.h"
#include "text.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Rows of a section that holds many, when the screen has no room for more:
 * enough to read, few enough that the next section's title stays near. */
#define UI_SECTION_MIN_ROWS 6

typedef struct ui_section {
	const char *title;          /* N_() text */
	const char *empty;          /* N_() text shown when there are no rows */
	ui_table t;                 /* the rows; t.rows is the rows shown */
	int column;                 /* 0 or 1, in two-column layout */
	int all;                    /* a short table shown whole (never capped) */
	int py, h, x, w;            /* where the last draw put it: page row, height, columns */
} ui_section;

typedef struct ui_sections {
	ui_section *v;
	int n, cur;
	int wide;                   /* terminal width for two columns; 0: always stacked */
	int scroll;                 /* the first page row shown */
	int finding;                /* / was typed: the keys go to the find line */
	edit find;                  /* what is looked for (edit_free it with the screen) */
} ui_sections;

/* Table rows in w columns from x (ui_table_row always spans the screen). */
static inline void ui_section_row(int y, int x, int w, const ui_col *cols, int n, const char *const *cells,
                                  const ui_role *roles, ui_role base, int header)
{
	int cx[32], cw[32];
	ui_cols_layout(cols, n, w, cx, cw);
	ui_fill(y, x, w, base);
	for (int i = 0; i < n; i++) {
		ui_role r = base;
		if (roles && roles[i] != R_NORMAL && base != R_SELECTED)
			r = roles[i];
		const char *text = header ? _(cols[i].title) : cells[i] ? cells[i] : "";
		ui_put(y, x + cx[i], cw[i], text, r, cols[i].align);
	}
}

/* Lays the sections out for rows rows from top and draws them. */
static inline void ui_sections_draw(ui_sections *ss, int top, int rows)
{
	int cols = ui_cols();
	int two = ss->wide > 0 && cols >= ss->wide;
	/* two columns with a gap of two cells between them */
	int colw[2] = {two ? (cols - 2) / 2 : cols, two ? cols - 2 - (cols - 2) / 2 : 0};
	int height[2] = {0, 0};
	for (int c = 0; c < (two ? 2 : 1); c++) {
		/* the capped sections share what the whole ones leave */
		int fixed = 0, k = 0;
		for (int i = 0; i < ss->n; i++) {
			ui_section *s = &ss->v[i];
			if ((two ? s->column : 0) != c)
				continue;
			if (s->all)
				fixed += 3 + (s->t.n ? (int)s->t.n : 1);
			else
				k++;
		}
		int cap = k ? (rows - fixed - 3 * k) / k : 0;
		if (cap < UI_SECTION_MIN_ROWS)
			cap = UI_SECTION_MIN_ROWS;
		int py = 0;
		for (int i = 0; i < ss->n; i++) {
			ui_section *s = &ss->v[i];
			if ((two ? s->column : 0) != c)
				continue;
			int n = s->t.n ? (int)s->t.n : 1;
			s->t.rows = s->all ? n : n < cap ? n : cap;
			s->h = 2 + s->t.rows;
			s->py = py;
			s->x = c ? colw[0] + 2 : 0;
			s->w = colw[c];
			ui_list_fit(&s->t.list, s->t.rows);
			py += s->h + 1;
		}
		height[c] = py - 1;
	}
	/* scroll the page to show the current section whole (its top when too tall) */
	int page = height[0] > height[1] ? height[0] : height[1];
	ui_section *cur = ss->n ? &ss->v[ss->cur] : NULL;
	if (cur) {
		if (cur->py + cur->h > ss->scroll + rows)
			ss->scroll = cur->py + cur->h - rows;
		if (cur->py < ss->scroll)
			ss->scroll = cur->py;
	}
	if (ss->scroll > page - rows)
		ss->scroll = page - rows;
	if (ss->scroll < 0)
		ss->scroll = 0;

	for (int r = 0; r < rows; r++)
		ui_fill(top + r, 0, cols, R_NORMAL);
	for (int i = 0; i < ss->n; i++) {
		ui_section *s = &ss->v[i];
		int focus = i == ss->cur;
		for (int r = 0; r < s->h; r++) {
			int y = top + s->py + r - ss->scroll;
			if (y < top || y >= top + rows)
				continue;
			if (r == 0) {
				char title[300];
				snprintf(title, sizeof title, " %s (%zu) ", _(s->title), s->t.n);
				int tw = text_cells(title, ui_bidi());
				if (tw > s->w)
					tw = s->w;
				ui_put(y, s->x, tw, title, focus ? R_TAB_ACTIVE : R_LABEL, UI_START);
				/* which rows are in view, when not all are */
				if ((long)s->t.n > s->t.rows && s->w - tw > 12) {
					char where[64];
					snprintf(where, sizeof where, _("%ld–%ld of %zu"), s->t.list.top + 1,
					         s->t.list.top + s->t.rows, s->t.n);
					ui_put(y, s->x + tw, s->w - tw, where, R_DIM, UI_END);
				}
			} else if (r == 1) {
				ui_section_row(y, s->x, s->w, s->t.cols, s->t.ncols, NULL, NULL, R_HEADER, 1);
			} else if (s->t.n == 0) {
				ui_put(y, s->x + 2, s->w - 2, _(s->empty), R_DIM, UI_START);
			} else {
				long k = s->t.list.top + r - 2;
				if (k >= (long)s->t.n)
					continue;
				ui_role base = focus && k == s->t.list.sel ? R_SELECTED : R_NORMAL;
				ui_section_row(y, s->x, s->w, s->t.cols, s->t.ncols,
				               (const char *const *)&s->t.cells[k * s->t.ncols], &s->t.roles[k * s->t.ncols],
				               base, 0);
			}
		}
	}
}

/* Row k of section i shows the text looked for (letters of any case). */
static inline int ui_section_matches(const ui_section *s, size_t k, const char *q)
{
	for (int c = 0; c < s->t.ncols; c++) {
		const char *cell = s->t.cells[k * (size_t)s->t.ncols + (size_t)c];
		if (cell && strcasestr(cell, q))
			return 1;
	}
	return 0;
}

/* Moves to the first row showing the text, from the current row (its next when
 * again) on through the following sections, round to the start. 1 when found. */
static inline int ui_sections_find(ui_sections *ss, int again)
{
	const char *q = ss->find.buf;
	if (!q || !*q || !ss->n)
		return 1;
	long start = ss->v[ss->cur].t.list.sel + (again ? 1 : 0);
	for (int step = 0; step <= ss->n; step++) {
		int i = (ss->cur + step) % ss->n;
		ui_section *s = &ss->v[i];
		for (long k = step == 0 ? start : 0; k < (long)s->t.n; k++) {
			if (step == ss->n && k >= start)
				break;
			if (ui_section_matches(s, (size_t)k, q)) {
				ss->cur = i;
				s->t.list.sel = k;
				return 1;
			}
		}
	}
	return 0;
}

/* The find line in w cells at (y, 0), when finding; 1 when drawn. */
static inline int ui_sections_draw_find(ui_sections *ss, int y)
{
	if (!ss->finding)
		return 0;
	const char *label = _("Find:");
	int lw = text_cells(label, ui_bidi()) + 1;
	ui_put(y, 0, lw, label, R_LABEL, UI_START);
	int sx = ui_put_edit(y, lw, ui_cols() - lw, ss->find.buf ? ss->find.buf : "", edit_cursor_char(&ss->find),
	                     0, R_FIELD_ACTIVE);
	ui_cursor_at(y, sx);
	return 1;
}

/* The keys of the find line (the screen takes text): characters, Backspace
 * (curses' KEY_BACKSPACE: the caller says, this header has no curses), ↓ or F3
 * for the next match, Enter or Esc to stop. 1 when used. */
static inline int ui_sections_find_key(ui_sections *ss, ui_act a, int ch, int backspace)
{
	if (!ss->finding) {
		if (a == A_SEARCH) {
			ss->finding = 1;
			edit_free(&ss->find);
			edit_init(&ss->find, "");
			return 1;
		}
		return 0;
	}
	if (backspace) {
		edit_backspace(&ss->find);
	} else if (a == A_NONE && (ch == 21 || ch == 23)) {
		if (ch == 21)                   /* Ctrl-U, Ctrl-W: as in the forms */
			edit_kill_line(&ss->find);
		else
			edit_kill_word(&ss->find);
	} else if (a == A_NONE && ui_is_text(ch)) {
		char u[8];
		wchar_t w[2] = {(wchar_t)ch, 0};
		size_t k = wcstombs(u, w, sizeof u);
		if (k == (size_t)-1)
			return 1;
		u[k] = '\0';
		edit_insert(&ss->find, u);
	} else if (a == A_DOWN || a == A_SEARCH) {
		if (!ui_sections_find(ss, 1))
			ui_message(R_ERROR, "%s", _("Not found"));
		return 1;
	} else if (a == A_ENTER || a == A_BACK || a == A_NEXT || a == A_PREV) {
		ss->finding = 0;
		return a == A_ENTER || a == A_BACK;
	} else if (a == A_HELP || a == A_LANG || a == A_QUIT) {
		return 0;               /* F1, F2 and F10 work while finding too */
	} else {
		return 1;
	}
	if (!ui_sections_find(ss, 0))
		ui_message(R_ERROR, "%s", _("Not found"));
	return 1;
}

/* Tab and Shift-Tab between sections, movement inside the current one. */
static inline int ui_sections_act(ui_sections *ss, ui_act a)
{
	if (!ss->n)
		return 0;
	switch (a) {
	case A_NEXT:
		ss->cur = (ss->cur + 1) % ss->n;
		return 1;
	case A_PREV:
		ss->cur = (ss->cur + ss->n - 1) % ss->n;
		return 1;
	default:
		return ui_table_act(&ss->v[ss->cur].t, a);
	}
}

/* The id of the current section's selected row, 0 when none. */
static inline long long ui_sections_sel(const ui_sections *ss)
{
	return ss->n ? ui_table_sel(&ss->v[ss->cur].t) : 0;
}

#endif
