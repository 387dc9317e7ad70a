/* ui_detail.h — the detail view a tab of the case view shows inside the tab (Enter
 * on a row): labelled values wrapped in display cells, scrolled with the movement keys. */
#ifndef DALIL_UI_DETAIL_H
#define DALIL_UI_DETAIL_H

#include <stddef.h>

#include "ui.h"

typedef struct ui_detail_line ui_detail_line;

/* Zeroed to start; a tab keeps one and fills it again whenever its record or
 * the language changes. Freed with ui_detail_free. */
typedef struct ui_detail {
	char *title;                /* already translated */
	ui_detail_line *v;
	size_t n, cap;
	long top;                   /* first row shown */
	long total;                 /* rows at the last draw */
	int rows;                   /* rows shown at the last draw */
	int label_w;                /* cells of the label column; 0: 20, 26 from 100 columns */
} ui_detail;

void ui_detail_free(ui_detail *d);

/* A new content titled title (translated): drops the values, keeps the scroll
 * position only when keep is set (a reload of the same record). */
void ui_detail_begin(ui_detail *d, const char *title, int keep);

/* One labelled value (may hold newlines); NULL or empty values are skipped
 * unless always. A NULL label gives the value the whole width (a note's text);
 * with role R_HEADER the label is drawn as a section heading. */
void ui_detail_add(ui_detail *d, const char *label, const char *value, ui_role role, int always);

/* The title, the values from the scroll position (with "first–last / total"
 * in the title's row when they do not all fit), and the line of keys
 * (translated) at the bottom, in rows rows from row top. */
void ui_detail_draw(ui_detail *d, int top, int rows, const char *keys);

/* Scrolling (up, down, page up and down, home, end); 1 when a is one of
 * these. */
int ui_detail_act(ui_detail *d, ui_act a);

/* The first line of s in at most cells display cells, whole characters (a
 * base keeps its marks), "…" at the end when cut (by width, by the size of
 * out, or at a newline); for names quoted in a question or a message. */
void ui_detail_clip(const char *s, int cells, char *out, size_t outsz);

/* Rows of text wrapped to w cells: at spaces when a row has one, else after
 * a comma (JSON has no spaces), else inside the word; a newline always ends a
 * row. Calls row(i, start, len, ctx) for each (row may be NULL, to count) and
 * returns the number of rows. */
long ui_detail_wrap(const char *text, int w, void (*row)(long i, const char *s, size_t len, void *ctx),
                    void *ctx);

#endif
