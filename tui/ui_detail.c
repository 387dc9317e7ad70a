/* ui_detail.c — see ui_detail.h. */
#include "ui_detail.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ui_detail_line {
	char *label;                /* shown on the first row of the value; "" for none */
	char *value;                /* may hold newlines */
	ui_role role;
	int full;                   /* no label column: the value takes the whole width */
};

static void ui_detail_clear(ui_detail *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].label);
		free(d->v[i].value);
	}
	d->n = 0;
	free(d->title);
	d->title = NULL;
}

void ui_detail_free(ui_detail *d)
{
	ui_detail_clear(d);
	free(d->v);
	memset(d, 0, sizeof *d);
}

void ui_detail_begin(ui_detail *d, const char *title, int keep)
{
	ui_detail_clear(d);
	d->title = strdup(title ? title : "");
	if (!keep)
		d->top = 0;
}

void ui_detail_add(ui_detail *d, const char *label, const char *value, ui_role role, int always)
{
	if (!always && (!value || !*value))
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		ui_detail_line *v = realloc(d->v, cap * sizeof *v);
		if (!v)
			return;
		d->v = v;
		d->cap = cap;
	}
	ui_detail_line *l = &d->v[d->n];
	l->label = strdup(label ? label : "");
	l->value = strdup(value ? value : "");
	l->role = role;
	l->full = label == NULL;
	if (!l->label || !l->value) {
		free(l->label);
		free(l->value);
		return;
	}
	d->n++;
}

/* Display cells of bytes [p, end): each character's own width (shaping can
 * only make Arabic narrower, so a row measured this way always fits). */
static int ui_detail_cells(const char *p, const char *end)
{
	int cells = 0;
	while (p < end) {
		wchar_t c;
		int len = text_utf8_decode(p, (size_t)(end - p), &c);
		int w = text_wcwidth(c);
		cells += w < 0 ? 1 : w;   /* controls are drawn as one U+FFFD */
		p += len > 0 ? len : 1;
	}
	return cells;
}

void ui_detail_clip(const char *s, int cells, char *out, size_t outsz)
{
	if (!outsz)
		return;
	out[0] = '\0';
	if (!s)
		return;
	const char *end = s + strcspn(s, "\n");
	int full = ui_detail_cells(s, end) <= cells;
	int used = 0;
	const char *p = s, *stop = s;
	while (p < end) {
		wchar_t c;
		int len = text_utf8_decode(p, (size_t)(end - p), &c);
		if (len < 1)
			len = 1;
		int w = text_wcwidth(c);
		if (w < 0)
			w = 1;
		if ((!full && w > 0 && used + w > cells - 1) || (size_t)(p + len - s) + 4 > outsz)
			break;
		used += w;
		p += len;
		stop = p;
	}
	snprintf(out, outsz, "%.*s%s", (int)(stop - s), s, stop == end && !*end ? "" : "…");
}

long ui_detail_wrap(const char *text, int w, void (*row)(long i, const char *s, size_t len, void *ctx),
                    void *ctx)
{
	long n = 0;
	if (w < 1)
		w = 1;
	const char *para = text;
	for (;;) {
		const char *end = strchr(para, '\n');
		if (!end)
			end = para + strlen(para);
		const char *line = para, *p = para, *space = NULL, *comma = NULL;
		int cells = 0;
		while (p < end) {
			wchar_t c;
			int len = text_utf8_decode(p, (size_t)(end - p), &c);
			if (len < 1)
				len = 1;
			int cw = text_wcwidth(c);
			if (cw < 0)
				cw = 1;
			if (cells + cw > w && p > line) {
				if (c == ' ')
					space = p;      /* the row is full up to this space: break here */
				const char *next = space && space > line ? space + 1 : comma && comma > line ? comma : p;
				const char *stop = space && space > line ? space : next;
				if (row)
					row(n, line, (size_t)(stop - line), ctx);
				n++;
				line = next;
				if (p < line)
					p = line;       /* the space broken at belongs to neither row */
				space = comma = NULL;
				cells = ui_detail_cells(line, p);
				continue;
			}
			if (c == ' ')
				space = p;
			else if (c == ',')
				comma = p + len;
			cells += cw;
			p += len;
		}
		if (row)
			row(n, line, (size_t)(end - line), ctx);
		n++;
		if (!*end)
			break;
		para = end + 1;
	}
	return n;
}

typedef struct ui_detail_draw_ctx {
	long first, skip;           /* absolute row of this value's first row, rows scrolled off */
	int top, rows, x, w;
	const ui_detail_line *line;
} ui_detail_draw_ctx;

static void ui_detail_row(long i, const char *s, size_t len, void *ctx)
{
	ui_detail_draw_ctx *c = ctx;
	long y = c->first + i - c->skip;
	if (y < 0 || y >= c->rows)
		return;
	/* a wrapped row keeps the direction of its paragraph (the value up to
	 * its line breaks), as the rows of one paragraph do: a row of an Arabic
	 * paragraph that starts with a Latin word still reads right to left */
	const char *ps = s;
	while (ps > c->line->value && ps[-1] != '\n')
		ps--;
	char *para = strndup(ps, strcspn(ps, "\n"));
	int rtl = para ? text_direction(para, ui_rtl()) : ui_rtl();
	free(para);
	char *t = malloc(len + 7);
	if (!t)
		return;
	snprintf(t, len + 7, "%s%.*s" UI_PDI, rtl ? UI_RLI : UI_LRI, (int)len, s);
	if (i == 0 && c->line->label[0])
		ui_put(c->top + (int)y, 1, c->x - 2, c->line->label, c->line->role == R_HEADER ? R_HEADER : R_LABEL,
		       UI_START);
	ui_put(c->top + (int)y, c->x, c->w, t, c->line->role, UI_START);
	free(t);
}

void ui_detail_draw(ui_detail *d, int top, int rows, const char *keys)
{
	int cols = ui_cols();
	for (int r = 0; r < rows; r++)
		ui_fill(top + r, 0, cols, R_NORMAL);
	ui_put(top, 0, cols, d->title, R_HEADER, UI_START);
	int body = rows - 2;          /* title and key line */
	if (body < 1)
		return;
	int label_w = d->label_w > 0 ? d->label_w : cols >= 100 ? 26 : 20;
	/* count first: after a resize the scroll position may be past the end */
	long at = 0;
	for (size_t i = 0; i < d->n; i++)
		at += ui_detail_wrap(d->v[i].value, cols - (d->v[i].full ? 1 : label_w + 2) - 1, NULL, NULL);
	d->total = at;
	d->rows = body;
	if (d->top > at - body)
		d->top = at - body;
	if (d->top < 0)
		d->top = 0;
	ui_detail_draw_ctx c = {0, d->top, top + 1, body, 0, 0, NULL};
	at = 0;
	for (size_t i = 0; i < d->n; i++) {
		c.first = at;
		c.line = &d->v[i];
		c.x = c.line->full ? 1 : label_w + 2;
		c.w = cols - c.x - 1;
		at += ui_detail_wrap(d->v[i].value, c.w, ui_detail_row, &c);
	}
	if (at > body) {
		char more[80];
		snprintf(more, sizeof more, "%ld–%ld / %ld", d->top + 1,
		         d->top + body < at ? d->top + body : at, at);
		ui_put(top, cols - 18, 18, more, R_HEADER, UI_END);
	}
	ui_put(top + rows - 1, 1, cols - 2, keys, R_DIM, UI_START);
}

int ui_detail_act(ui_detail *d, ui_act a)
{
	long page = d->rows > 1 ? d->rows - 1 : 1;
	long last = d->total - d->rows;
	switch (a) {
	case A_UP: d->top--; break;
	case A_DOWN: d->top++; break;
	case A_PGUP: d->top -= page; break;
	case A_PGDN: d->top += page; break;
	case A_HOME: d->top = 0; break;
	case A_END: d->top = last; break;
	default: return 0;
	}
	if (d->top > last)
		d->top = last;
	if (d->top < 0)
		d->top = 0;
	return 1;
}
