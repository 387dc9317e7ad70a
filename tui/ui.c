/* ui.c — see ui.h. The only global state of the workstation lives here. */
#include "ui.h"
#include "i18n.h"
#include "identifier.h"
#include "settings.h"
#include "text.h"
#include "ui_screens.h"
#include "user.h"
#include "validate.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MIN_COLS 80
#define MIN_LINES 24

static struct {
	dl_store *store;
	dl_session session;
	int logged_in;
	int rtl, bidi, colour;
	int vte;                    /* VTE's own bidi switched off while we run */
	ui_screen *top;
	ui_screen *dead;            /* popped screens, freed after the key */
	char msg[512];
	ui_role msg_role;
	int quit;
	int key_is_text;            /* the key being handled came as a character */
	char unit[160];
} ui;

int ui_is_text(int ch)
{
	return ui.key_is_text && ch >= 32 && ch != 127;
}

dl_session *ui_session(void) { return ui.logged_in ? &ui.session : NULL; }
dl_store *ui_store(void) { return ui.store; }
int ui_rtl(void) { return ui.rtl; }
int ui_bidi(void) { return ui.bidi; }
int ui_cols(void) { return COLS; }
int ui_lines(void) { return LINES; }
void ui_quit(void) { ui.quit = 1; }

/* ---- theme ---- */

/* Each role: foreground, background, attributes with colour, attributes
 * without (monochrome terminals and NO_COLOR). */
static const struct {
	short fg, bg;
	attr_t attr, mono;
} theme[R_COUNT] = {
	[R_NORMAL]       = {-1, -1, A_NORMAL, A_NORMAL},
	[R_TITLE]        = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE},
	[R_MESSAGE]      = {-1, -1, A_NORMAL, A_NORMAL},
	[R_ERROR]        = {COLOR_RED, -1, A_BOLD, A_BOLD},
	[R_OK]           = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[R_FKEY_NUM]     = {-1, -1, A_BOLD, A_BOLD},
	[R_FKEY_LABEL]   = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	[R_HEADER]       = {COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE},
	[R_SELECTED]     = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	[R_DIM]          = {COLOR_BLUE, -1, A_BOLD, A_DIM},
	[R_OVERDUE]      = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	[R_SOON]         = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[R_FINE]         = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[R_TAB]          = {-1, -1, A_NORMAL, A_NORMAL},
	[R_TAB_ACTIVE]   = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
	[R_FIELD]        = {-1, -1, A_UNDERLINE, A_UNDERLINE},
	[R_FIELD_ACTIVE] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
	[R_LABEL]        = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
	[R_HIT]          = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD},
	[R_BORDER]       = {COLOR_BLUE, -1, A_NORMAL, A_NORMAL},
};

static attr_t role_attr(ui_role r)
{
	if (!ui.colour)
		return theme[r].mono;
	return theme[r].attr | COLOR_PAIR(r + 1);
}

static void theme_init(void)
{
	const char *no = getenv("NO_COLOR");
	ui.colour = has_colors() && !(no && *no);
	if (!ui.colour)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < R_COUNT; r++)
		init_pair((short)(r + 1), theme[r].fg, theme[r].bg);
}

long long ui_days_until(const char *date)
{
	char today[11];
	long long days;
	store_today(today);
	return val_days_between(today, date, &days) == 0 ? days : 0;
}

ui_role ui_deadline_role(long long days_left)
{
	return days_left < 0 ? R_OVERDUE : days_left < 14 ? R_SOON : R_FINE;
}

/* ---- drawing ---- */

/* len bytes of s at buf + o, cut to what fits; returns the new end */
static size_t append(char *buf, size_t n, size_t o, const char *s, size_t len)
{
	if (o + 1 >= n)
		return o;
	if (len > n - 1 - o)
		len = n - 1 - o;
	memcpy(buf + o, s, len);
	buf[o + len] = '\0';
	return o + len;
}

const char *ui_path(char *buf, size_t n, const char *path)
{
	if (n == 0)
		return buf;
	buf[0] = '\0';
	size_t o = append(buf, n, 0, UI_LRI, 3);
	for (const char *s = path ? path : ""; *s;) {
		size_t len = strcspn(s, "/");
		if (len) {
			/* each name left to right too: "محادثة المهرب.txt" keeps its
			 * extension on the right, as in the rest of the path */
			o = append(buf, n, o, UI_LRI, 3);
			o = append(buf, n, o, s, len);
			o = append(buf, n, o, UI_PDI, 3);
		}
		s += len;
		if (*s == '/')
			o = append(buf, n, o, s++, 1);
	}
	append(buf, n, o, UI_PDI, 3);
	return buf;
}

static int screen_x(int x, int w)
{
	return ui.rtl ? COLS - x - w : x;
}

void ui_fill(int y, int x, int w, ui_role role)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	int sx = screen_x(x, w);
	if (sx < 0) {
		w += sx;
		sx = 0;
	}
	if (sx + w > COLS)
		w = COLS - sx;
	attrset(role_attr(role));
	mvhline(y, sx, ' ', w);
	attrset(A_NORMAL);
}

int ui_put(int y, int x, int w, const char *text, ui_role role, int align)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return 0;
	ui_fill(y, x, w, role);
	text_line l;
	if (!text || !*text)
		return 0;
	int dir = text_direction(text, ui.rtl);
	/* numbers and codes kept whole in either direction: after an Arabic
	 * word in a left-to-right line, "+218 91 234 5678" would otherwise come
	 * out group by group from the right (it changes nothing in a line
	 * without Arabic) */
	char *iso = ui.bidi ? text_isolate_ltr(text) : NULL;
	int rc = text_layout(iso ? iso : text, w, dir, ui.bidi, &l);
	free(iso);
	if (rc != 0)
		return 0;
	int sx = screen_x(x, w);
	int off = 0;
	/* start = left in English, right in Arabic */
	int right = (align == UI_START) == (ui.rtl != 0);
	if (align == UI_CENTER)
		off = (w - l.cells) / 2;
	else if (right)
		off = w - l.cells;
	if (off < 0)
		off = 0;
	attrset(role_attr(role));
	for (size_t i = 0; i < l.n; i++) {
		int cx = sx + off + l.cellx[i];
		if (cx < 0 || cx >= COLS)
			continue;
		/* a base and its marks go out as one cell */
		wchar_t wc[8];
		size_t k = 0;
		wc[k++] = l.wc[i];
		while (i + 1 < l.n && l.cellx[i + 1] == l.cellx[i] && k < 7)
			wc[k++] = l.wc[++i];
		wc[k] = 0;
		cchar_t cc;
		if (setcchar(&cc, wc, role_attr(role), 0, NULL) == OK)
			mvadd_wch(y, cx, &cc);
	}
	attrset(A_NORMAL);
	int used = l.cells;
	text_line_free(&l);
	return used;
}

int ui_put_edit(int y, int x, int w, const char *text, size_t cursor, int mask, ui_role role)
{
	ui_fill(y, x, w, role);
	char *shown = NULL;
	if (mask) {
		size_t n = 0;
		for (const unsigned char *p = (const unsigned char *)text; *p; p++)
			n += (*p & 0xC0) != 0x80;
		shown = malloc(n * 3 + 1);
		if (!shown)
			return -1;
		for (size_t i = 0; i < n; i++)
			memcpy(shown + i * 3, "•", 3);
		shown[n * 3] = '\0';
		text = shown;
	}
	text_line l;
	if (text_layout(text, 0, ui.rtl, ui.bidi, &l) != 0) {
		free(shown);
		return -1;
	}
	free(shown);
	int cx = cursor <= l.nlog ? l.log2vis[cursor] : l.cells;
	/* scroll so that the cursor's column is inside the field */
	int first = 0;
	if (l.cells >= w) {
		first = cx - w / 2;
		if (first > l.cells - w + 1)
			first = l.cells - w + 1;
		if (first < 0)
			first = 0;
		/* the end of a right-to-left line: the cursor is left of its last
		 * character, column -1 when that one is in column 0 */
		if (cx < first)
			first = cx;
	}
	/* in Arabic the field grows from its right edge */
	int sx = screen_x(x, w);
	int off = (ui.rtl && l.cells < w) ? w - 1 - l.cells : 0;
	attrset(role_attr(role));
	for (size_t i = 0; i < l.n; i++) {
		int col = l.cellx[i] - first;
		if (col < 0 || col >= w)
			continue;
		wchar_t wc[8];
		size_t k = 0;
		wc[k++] = l.wc[i];
		while (i + 1 < l.n && l.cellx[i + 1] == l.cellx[i] && k < 7)
			wc[k++] = l.wc[++i];
		wc[k] = 0;
		cchar_t cc;
		if (setcchar(&cc, wc, role_attr(role), 0, NULL) == OK)
			mvadd_wch(y, sx + off + col, &cc);
	}
	attrset(A_NORMAL);
	text_line_free(&l);
	int ccol = cx - first + off;
	if (ccol >= w)
		ccol = w - 1;
	return sx + ccol;
}

void ui_cursor_at(int y, int sx)
{
	if (sx >= 0 && sx < COLS && y >= 0 && y < LINES) {
		move(y, sx);
		curs_set(1);
	}
}

void ui_cursor(int y, int x)
{
	int sx = screen_x(x, 1);
	if (sx >= 0 && sx < COLS && y >= 0 && y < LINES) {
		move(y, sx);
		curs_set(1);
	}
}

void ui_cursor_hide(void)
{
	curs_set(0);
}

void ui_cols_layout(const ui_col *cols, int n, int total, int *x, int *w)
{
	int fixed = 0, flex = 0;
	for (int i = 0; i < n; i++) {
		if (cols[i].width > 0)
			fixed += cols[i].width + 1;
		else
			flex++;
	}
	int left = total - fixed - (flex > 0 ? flex - 1 : 0);
	int pos = 0;
	for (int i = 0; i < n; i++) {
		x[i] = pos;
		w[i] = cols[i].width > 0 ? cols[i].width : (flex ? left / flex : 0);
		if (w[i] < 1)
			w[i] = 1;
		if (pos + w[i] > total)
			w[i] = total - pos;
		pos += w[i] + 1;
	}
}

void ui_table_header(int y, const ui_col *cols, int n)
{
	int x[32], w[32];
	ui_cols_layout(cols, n, COLS, x, w);
	ui_fill(y, 0, COLS, R_HEADER);
	for (int i = 0; i < n; i++)
		ui_put(y, x[i], w[i], _(cols[i].title), R_HEADER, cols[i].align);
}

void ui_table_row(int y, const ui_col *cols, int n, const char *const *cells,
                  const ui_role *roles, ui_role base)
{
	int x[32], w[32];
	ui_cols_layout(cols, n, COLS, x, w);
	ui_fill(y, 0, COLS, base);
	for (int i = 0; i < n; i++) {
		ui_role r = base;
		if (roles && roles[i] != R_NORMAL && base != R_SELECTED)
			r = roles[i];
		ui_put(y, x[i], w[i], cells[i] ? cells[i] : "", r, cols[i].align);
	}
}

/* ---- lists ---- */

void ui_list_fit(ui_list *l, int rows)
{
	if (l->n <= 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (rows < 1)
		rows = 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top < 0)
		l->top = 0;
}

int ui_list_act(ui_list *l, ui_act a, int rows)
{
	switch (a) {
	case A_UP: l->sel--; break;
	case A_DOWN: l->sel++; break;
	case A_PGUP: l->sel -= rows; l->top -= rows; break;
	case A_PGDN: l->sel += rows; l->top += rows; break;
	case A_HOME: l->sel = 0; break;
	case A_END: l->sel = l->n - 1; break;
	default: return 0;
	}
	if (l->top > l->n - rows)
		l->top = l->n - rows;
	ui_list_fit(l, rows);
	return 1;
}

/* ---- tables ---- */

void ui_table_init(ui_table *t, const ui_col *cols, int ncols)
{
	memset(t, 0, sizeof *t);
	t->cols = cols;
	t->ncols = ncols;
}

void ui_table_clear(ui_table *t)
{
	for (size_t i = 0; i < t->n * (size_t)t->ncols; i++)
		free(t->cells[i]);
	t->n = 0;
	t->list.n = 0;
}

void ui_table_reset(ui_table *t, const ui_col *cols, int ncols)
{
	if (ncols != t->ncols) {
		/* the rows' arrays are sized for one column count: start afresh */
		ui_table_free(t);
		ui_table_init(t, cols, ncols);
		return;
	}
	ui_table_clear(t);
	t->cols = cols;
}

int ui_table_add(ui_table *t, long long id, const char *const *cells, const ui_role *roles)
{
	size_t nc = (size_t)t->ncols;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * nc * sizeof *c);
		if (!c)
			return -1;
		t->cells = c;
		ui_role *r = realloc(t->roles, cap * nc * sizeof *r);
		if (!r)
			return -1;
		t->roles = r;
		long long *ids = realloc(t->ids, cap * sizeof *ids);
		if (!ids)
			return -1;
		t->ids = ids;
		t->cap = cap;
	}
	for (size_t i = 0; i < nc; i++) {
		t->cells[t->n * nc + i] = strdup(cells[i] ? cells[i] : "");
		t->roles[t->n * nc + i] = roles ? roles[i] : R_NORMAL;
	}
	t->ids[t->n++] = id;
	t->list.n = (long)t->n;
	return 0;
}

void ui_table_draw(ui_table *t, int top, int rows, const char *empty_msg)
{
	ui_table_header(top, t->cols, t->ncols);
	t->rows = rows - 1;
	ui_list_fit(&t->list, t->rows);
	for (int r = 0; r < t->rows; r++) {
		long i = t->list.top + r;
		if (i >= (long)t->n) {
			ui_fill(top + 1 + r, 0, COLS, R_NORMAL);
			continue;
		}
		ui_table_row(top + 1 + r, t->cols, t->ncols, (const char *const *)&t->cells[i * t->ncols],
		             &t->roles[i * t->ncols], i == t->list.sel ? R_SELECTED : R_NORMAL);
	}
	if (t->n == 0 && empty_msg)
		ui_put(top + 2, 2, COLS - 4, empty_msg, R_DIM, UI_START);
}

int ui_table_act(ui_table *t, ui_act a)
{
	return ui_list_act(&t->list, a, t->rows > 0 ? t->rows : 1);
}

long long ui_table_sel(const ui_table *t)
{
	return t->n && t->list.sel < (long)t->n ? t->ids[t->list.sel] : 0;
}

void ui_table_free(ui_table *t)
{
	ui_table_clear(t);
	free(t->cells);
	free(t->roles);
	free(t->ids);
	memset(t, 0, sizeof *t);
}

/* ---- formatting ---- */

void ui_group(long long v, char *out, size_t outsz)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < outsz)
		out[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < outsz; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void ui_size(long long b, char *out, size_t outsz)
{
	static const char *const units[] = {N_("B"), N_("KiB"), N_("MiB"), N_("GiB"), N_("TiB")};
	if (b < 0) {
		snprintf(out, outsz, "-");
		return;
	}
	double v = (double)b;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, outsz, "%lld %s", b, _(units[0]));
	else
		snprintf(out, outsz, v < 10 ? "%.1f %s" : "%.0f %s", v, _(units[u]));
}

const char *ui_base_name(const char *path)
{
	if (!path)
		return "";
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *p = path + n;
	while (p > path && p[-1] != '/')
		p--;
	return p;
}

static unsigned generation = 1;
unsigned ui_generation(void) { return generation; }
void ui_touch(void) { generation++; }

/* ---- messages ---- */

void ui_message(ui_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui.msg, sizeof ui.msg, fmt, ap);
	va_end(ap);
	ui.msg_role = role;
}

void ui_error(const dl_err *err)
{
	if (err->field[0])
		ui_message(R_ERROR, "%s: %s", err->field, err->msg);
	else
		ui_message(R_ERROR, "%s", err->msg);
}

/* ---- keys ---- */

static const ui_binding global_keys[] = {
	{KEY_F(1), A_HELP, N_("help for this screen")},
	{KEY_F(2), A_LANG, N_("switch between Arabic and English")},
	{KEY_F(3), A_SEARCH, N_("search in this list")},
	{'/', A_SEARCH, NULL},
	{KEY_F(10), A_QUIT, N_("leave dalil")},
	{27, A_BACK, N_("back, or cancel")},
	{'q', A_BACK, NULL},
	{KEY_UP, A_UP, N_("move up")},
	{'k', A_UP, NULL},
	{KEY_DOWN, A_DOWN, N_("move down")},
	{'j', A_DOWN, NULL},
	{KEY_LEFT, A_ARROW_LEFT, NULL},
	{KEY_RIGHT, A_ARROW_RIGHT, NULL},
	{'h', A_ARROW_LEFT, NULL},
	{'l', A_ARROW_RIGHT, NULL},
	{KEY_PPAGE, A_PGUP, N_("page up")},
	{KEY_NPAGE, A_PGDN, N_("page down")},
	{KEY_HOME, A_HOME, N_("first row")},
	{'g', A_HOME, NULL},
	{KEY_END, A_END, N_("last row")},
	{'G', A_END, NULL},
	{'\n', A_ENTER, N_("open")},
	{KEY_ENTER, A_ENTER, NULL},
	/* listed by the screens where they do something (forms, tabs, sections) */
	{'\t', A_NEXT, NULL},
	{KEY_BTAB, A_PREV, NULL},
	{0, A_NONE, NULL},
};

static const char *key_label(int key, char *buf, size_t bufsz)
{
	if (key >= KEY_F(1) && key <= KEY_F(12)) {
		snprintf(buf, bufsz, "F%d", key - KEY_F0);
		return buf;
	}
	switch (key) {
	case 27: return "Esc";
	case '\n': case KEY_ENTER: return "Enter";
	case '\t': return "Tab";
	case KEY_BTAB: return "Shift-Tab";
	case KEY_UP: return "↑";
	case KEY_DOWN: return "↓";
	case KEY_LEFT: return "←";
	case KEY_RIGHT: return "→";
	case KEY_PPAGE: return "PgUp";
	case KEY_NPAGE: return "PgDn";
	case KEY_HOME: return "Home";
	case KEY_END: return "End";
	case KEY_DC: return "Del";
	case ' ': return "Space";
	}
	if (key > 0 && key < 32) {
		snprintf(buf, bufsz, "Ctrl-%c", key + 64);
		return buf;
	}
	snprintf(buf, bufsz, "%c", key);
	return buf;
}

static ui_act key_act(const ui_binding *t, int key)
{
	/* characters beyond ASCII share numbers with curses' KEY_ codes */
	if (ui.key_is_text && key >= KEY_MIN)
		return A_NONE;
	for (; t && t->key; t++)
		if (t->key == key)
			return t->act;
	return A_NONE;
}

/* ---- help: built from the key tables ---- */

typedef struct help {
	const ui_screen_ops *of;
	long top;
	int rows;                   /* lines shown at the last draw */
	char **lines;
	size_t n;
} help;

/* 1 when one of the screen's tables (NULL-terminated) binds key */
static int rebound(const ui_binding *const *screen, int key)
{
	for (; screen && *screen; screen++)
		if (key_act(*screen, key) != A_NONE)
			return 1;
	return 0;
}

/* 1 when label is one of the comma-separated names already */
static int has_name(const char *names, const char *label)
{
	size_t l = strlen(label);
	for (const char *p = names; (p = strstr(p, label)); p++)
		if ((p == names || (p - names >= 2 && !strncmp(p - 2, ", ", 2))) && (p[l] == '\0' || p[l] == ','))
			return 1;
	return 0;
}

/* The lines of table t; screen (NULL for the screen's own tables) lists the
 * tables whose keys take precedence over t's: a key they rebind is left out
 * (listed once, with the screen's meaning). */
static void help_add(help *h, const ui_binding *t, const ui_binding *const *screen)
{
	for (; t && t->key; t++) {
		if (!t->help || rebound(screen, t->key))
			continue;
		char kb[32], names[96] = "";
		/* other keys for the same action (vi keys, aliases) */
		snprintf(names, sizeof names, "%s", key_label(t->key, kb, sizeof kb));
		for (const ui_binding *u = t + 1; u->key; u++)
			if (u->act == t->act && !u->help) {
				const char *label = key_label(u->key, kb, sizeof kb);
				if (rebound(screen, u->key) || has_name(names, label))
					continue;
				size_t l = strlen(names);
				snprintf(names + l, sizeof names - l, ", %s", label);
			} else if (u->help) {
				break;
			}
		char *line = NULL;
		if (asprintf(&line, "%-16s\t%s", names, _(t->help)) < 0)
			continue;
		char **v = realloc(h->lines, (h->n + 1) * sizeof *v);
		if (!v) {
			free(line);
			continue;
		}
		h->lines = v;
		h->lines[h->n++] = line;
	}
}

static void help_fit(help *h)
{
	long last = (long)h->n - h->rows;
	if (h->top > last)
		h->top = last;
	if (h->top < 0)
		h->top = 0;
}

static void help_draw(ui_screen *sc, int top, int rows)
{
	help *h = sc->data;
	ui_put(top, 1, COLS - 2, _(h->of->title), R_HEADER, UI_START);
	h->rows = rows - 2 > 1 ? rows - 2 : 1;
	help_fit(h);
	for (int r = 0; r < rows - 2; r++) {
		long i = h->top + r;
		ui_fill(top + 2 + r, 0, COLS, R_NORMAL);
		if (i >= (long)h->n)
			continue;
		char *tab = strchr(h->lines[i], '\t');
		*tab = '\0';
		ui_put(top + 2 + r, 2, 17, h->lines[i], R_LABEL, UI_START);
		ui_put(top + 2 + r, 20, COLS - 22, tab + 1, R_NORMAL, UI_START);
		*tab = '\t';
	}
}

static int help_act(ui_screen *sc, ui_act a, int ch)
{
	(void)ch;
	help *h = sc->data;
	long page = h->rows > 1 ? h->rows - 1 : 1;
	switch (a) {
	case A_ENTER:
	case A_HELP:
		ui_pop(sc);
		return 1;
	case A_UP: h->top--; break;
	case A_DOWN: h->top++; break;
	case A_PGUP: h->top -= page; break;
	case A_PGDN: h->top += page; break;
	case A_HOME: h->top = 0; break;
	case A_END: h->top = (long)h->n; break;
	default: return 0;
	}
	help_fit(h);
	return 1;
}

static void help_free(ui_screen *sc)
{
	help *h = sc->data;
	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	free(h);
}

static const ui_screen_ops help_ops = {
	N_("Help"), NULL, help_draw, help_act, help_free, 0, NULL,
};

static void help_open(ui_screen *sc)
{
	const ui_screen_ops *of = sc->ops;
	help *h = calloc(1, sizeof *h);
	if (!h)
		return;
	h->of = of;
	const ui_binding *more = of->more_keys ? of->more_keys(sc) : NULL;
	const ui_binding *const screen[] = {of->keys, more, NULL};
	help_add(h, more, NULL);
	help_add(h, of->keys, NULL);
	help_add(h, global_keys, screen);
	ui_push(&help_ops, h);
}

/* ---- screens ---- */

ui_screen *ui_push(const ui_screen_ops *ops, void *data)
{
	ui_screen *sc = calloc(1, sizeof *sc);
	if (!sc) {
		ops->free(&(ui_screen){ops, data, NULL, 0});
		return NULL;
	}
	sc->ops = ops;
	sc->data = data;
	sc->below = ui.top;
	ui.top = sc;
	return sc;
}

void ui_pop(ui_screen *sc)
{
	ui_screen **p = &ui.top;
	while (*p && *p != sc)
		p = &(*p)->below;
	if (!*p)
		return;
	*p = sc->below;
	sc->below = ui.dead;
	ui.dead = sc;
}

static void reap(void)
{
	while (ui.dead) {
		ui_screen *sc = ui.dead;
		ui.dead = sc->below;
		if (sc->ops->free)
			sc->ops->free(sc);
		free(sc);
	}
}

void ui_logged_in(const dl_session *s)
{
	ui.session = *s;
	ui.logged_in = 1;
	while (ui.top)
		ui_pop(ui.top);
	ui_cases_open();
	if (ui.session.role == DL_ROLE_SUPERVISOR || ui.session.role == DL_ROLE_ADMIN)
		ui_message(R_MESSAGE, "%s", _("Welcome. d opens the supervisor dashboard; F1 lists every key."));
	else
		ui_message(R_MESSAGE, "%s", _("Welcome. F1 lists every key of each screen."));
}

/* ---- language ---- */

extern int _nl_msg_cat_cntr;    /* glibc: bumping it makes gettext reread LANGUAGE */

static void set_language(int arabic)
{
	setenv("LANGUAGE", arabic ? "ar" : "en", 1);
	++_nl_msg_cat_cntr;
	ui.rtl = arabic;
}

static void load_settings(void)
{
	char v[32] = "";
	dl_err err = {0};
	ui.bidi = 1;
	if (settings_get(ui.store, "bidi", v, sizeof v, &err) == DL_OK) {
		if (!strcmp(v, "off"))
			ui.bidi = 0;
		else if (!strcmp(v, "auto") &&
		         (getenv("KONSOLE_VERSION") || getenv("MLTERM")))
			ui.bidi = 0;
	}
	char ar[160] = "", en[160] = "";
	settings_get(ui.store, "unit_name_ar", ar, sizeof ar, &err);
	settings_get(ui.store, "unit_name_en", en, sizeof en, &err);
	snprintf(ui.unit, sizeof ui.unit, "%s", ui.rtl && ar[0] ? ar : en[0] ? en : ar);
}

/* ---- the frame ---- */

static void draw_frame(void)
{
	/* title bar: what, who, where; who before the unit's name, which may be
	 * long enough to push what follows it off the bar */
	char title[600];
	const char *screen = ui.top ? _(ui.top->ops->title) : "";
	if (ui.logged_in)
		snprintf(title, sizeof title,
		         UI_ISO "dalil" UI_PDI " · " UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI " (" UI_ISO "%s" UI_PDI
		         ")%s" UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI,
		         screen, ui.session.username, dl_role_label(ui.session.role), ui.unit[0] ? " · " : "",
		         ui.unit, store_dir(ui.store));
	else
		snprintf(title, sizeof title, UI_ISO "dalil" UI_PDI " · " UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI,
		         screen, store_dir(ui.store));
	ui_put(0, 0, COLS, title, R_TITLE, UI_START);

	ui_put(LINES - 2, 0, COLS, ui.msg, ui.msg_role, UI_START);

	/* function keys: number then label, from the start side */
	struct { const char *num, *label; } fk[] = {
		{"1", N_("Help")}, {"2", ui.rtl ? "English" : "العربية"}, {"3", N_("Search")},
		{"10", N_("Quit")},
	};
	ui_fill(LINES - 1, 0, COLS, R_FKEY_LABEL);
	int x = 0;
	for (size_t i = 0; i < sizeof fk / sizeof *fk; i++) {
		const char *label = i == 1 ? fk[i].label : _(fk[i].label);
		int nw = (int)strlen(fk[i].num);
		int lw = text_cells(label, ui.bidi) + 1;
		if (x + nw + lw > COLS)
			break;
		ui_put(LINES - 1, x, nw, fk[i].num, R_FKEY_NUM, UI_START);
		ui_put(LINES - 1, x + nw, lw, label, R_FKEY_LABEL, UI_START);
		x += nw + lw + 1;
	}
}

static int too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_LINES;
}

static void draw_all(void)
{
	erase();
	curs_set(0);
	if (too_small()) {
		char m[200];
		snprintf(m, sizeof m, _("terminal too small: %d×%d, dalil needs at least %d×%d"), COLS, LINES,
		         MIN_COLS, MIN_LINES);
		ui_put(LINES / 2, 0, COLS, m, R_ERROR, UI_CENTER);
		refresh();
		return;
	}
	/* the top screen draws last: it may place the cursor */
	draw_frame();
	if (ui.top)
		ui.top->ops->draw(ui.top, 1, LINES - 3);
	refresh();
}

void ui_redraw(void)
{
	draw_all();
}

/* ---- confirm ---- */

int ui_confirm(const char *question)
{
	/* TRANSLATORS: the keys that answer yes to a question, lower case first */
	const char *yes = _("yY");
	const char *yn = _("(y/n)");
	ui_message(R_SOON, "%s %s", question, yn);
	draw_all();
	if (!too_small() && text_cells(ui.msg, ui.bidi) > COLS) {
		/* a long question is cut, the keys that answer it stay in view */
		int ynw = text_cells(yn, ui.bidi) + 1;
		ui_put(LINES - 2, 0, COLS - ynw, question, R_SOON, UI_START);
		ui_put(LINES - 2, COLS - ynw, ynw, yn, R_SOON, UI_END);
		refresh();
	}
	curs_set(0);
	wint_t ch;
	int rc = get_wch(&ch);
	ui.msg[0] = '\0';
	if (rc == OK && ch != 0 && (wcschr(L"yY", (wchar_t)ch) || (ch < 128 && strchr(yes, (int)ch))))
		return 1;
	/* Arabic "ن" (na'am) answers yes too */
	return rc == OK && ch == 0x0646;
}

/* ---- main loop ---- */

static volatile sig_atomic_t got_term;

static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static void dispatch(int rc, wint_t ch)
{
	ui_screen *sc = ui.top;
	if (!sc)
		return;
	int key = (int)ch;
	int printable = rc == OK && ch >= 32 && ch != 127;
	ui.key_is_text = printable;
	/* Alt-x arrives as Esc then x: Esc alone is back */
	if (printable && sc->ops->takes_text && sc->ops->act(sc, A_NONE, key))
		return;
	ui_act a = key_act(sc->ops->keys, key);
	if (a == A_NONE)
		a = key_act(global_keys, key);
	if (rc == OK && (ch == 127 || ch == 8))
		a = A_NONE, key = KEY_BACKSPACE;
	if (!printable)
		ui.key_is_text = 0;
	if (a != A_NONE || sc->ops->takes_text)
		if (sc->ops->act(sc, a, key))
			return;
	switch (a) {
	case A_HELP:
		help_open(sc);
		break;
	case A_LANG:
		set_language(!ui.rtl);
		load_settings();
		ui_touch();             /* lists show titles in the interface's language */
		ui_message(R_MESSAGE, "%s", _("Interface language: English"));
		break;
	case A_QUIT:
		ui.quit = 1;
		break;
	case A_SEARCH:
		ui_message(R_MESSAGE, "%s", _("No search on this screen: / searches the case list and the evidence browser"));
		break;
	case A_BACK:
		if (sc->below)
			ui_pop(sc);
		else if (ui_confirm(_("Leave dalil?")))
			ui.quit = 1;
		break;
	case A_NONE:
		break;
	default:
		break;
	}
}

int ui_main(const char *store_dir, const char *user, char *password)
{
	dl_err err = {0};
	if (store_open(store_dir, 1, &ui.store, &err) != DL_OK) {
		fprintf(stderr, "dalil: %s%s%s\n", err.field, err.field[0] ? ": " : "", err.msg);
		return dl_status_exit(err.code);
	}
	const char *lang = getenv("LANGUAGE");
	ui.rtl = lang && !strncmp(lang, "ar", 2);
	load_settings();
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "%s\n", _("dalil: the workstation needs a terminal; see dalil --help for the commands"));
		store_close(&ui.store);
		return 2;
	}
	setlocale(LC_ALL, "");
	signal(SIGTERM, on_term);
	signal(SIGHUP, on_term);
	set_escdelay(25);
	initscr();
	raw();
	noecho();
	keypad(stdscr, TRUE);
	nonl();
	theme_init();
	const char *vte = getenv("VTE_VERSION");
	char bidi_set[16] = "";
	settings_get(ui.store, "bidi", bidi_set, sizeof bidi_set, &err);
	if (vte && ui.bidi && strcmp(bidi_set, "on") != 0) {
		/* VTE does its own bidi: tell it the application does it */
		fputs("\033[8l", stdout);
		fflush(stdout);
		ui.vte = 1;
	}

	dl_session s;
	if (user_count(ui.store) == 0) {
		ui_first_admin_open();
	} else if (user && password && session_login(ui.store, user, password, &s, &err) == DL_OK) {
		ui_logged_in(&s);
	} else {
		ui_login_open(user);
		if (user && password)
			ui_error(&err);
	}
	if (password)
		explicit_bzero(password, strlen(password));

	while (!ui.quit && ui.top && !got_term) {
		draw_all();
		wint_t ch = 0;
		int rc = get_wch(&ch);
		if (rc == ERR)
			continue;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;            /* the next draw lays out for the new size */
		if (too_small()) {
			/* the screens are not shown: keys typed blind would open forms
			 * and answer questions no one sees; F10 still leaves */
			if (rc == KEY_CODE_YES && ch == KEY_F(10))
				ui.quit = 1;
			continue;
		}
		if (rc == OK && ch == '\r')
			ch = '\n';
		ui.msg[0] = '\0';
		unsigned gen = ui_generation();
		dispatch(rc, ch);
		reap();
		if (gen != ui_generation())
			load_settings();    /* unit names and bidi may have changed */
	}
	while (ui.top)
		ui_pop(ui.top);
	reap();
	endwin();
	if (ui.vte) {
		fputs("\033[8h", stdout);
		fflush(stdout);
	}
	store_close(&ui.store);
	return 0;
}

const char *ui_label_in(const char *const names[], const char *const labels[], size_t nlabels,
                        const char *v)
{
	if (!v)
		return "";
	for (size_t i = 0; names[i] && i < nlabels; i++)
		if (!strcmp(names[i], v))
			return _(labels[i]);
	return v;
}

const char *ui_in_lang(const char *ar, const char *other)
{
	const char *first = ui_rtl() ? ar : other, *second = ui_rtl() ? other : ar;
	return first && *first ? first : second && *second ? second : "";
}

const char *ui_identifier_kind_label(const char *kind)
{
	/* in the order of identifier_kind_names */
	static const char *const labels[] = {
		N_("phone"), N_("e-mail"), N_("social media"), N_("web address"), N_("IMEI"), N_("IMSI"),
		N_("ICCID"), N_("bitcoin wallet"), N_("ethereum wallet"), N_("tron wallet"), N_("IBAN"),
	};
	return ui_label_in(identifier_kind_names, labels, sizeof labels / sizeof *labels, kind);
}
