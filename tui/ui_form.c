/* ui_form.c — see ui_form.h. */
#include "ui_form.h"
#include "edit.h"
#include "i18n.h"
#include "text.h"
#include "ui.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

typedef struct field {
	ui_field_def d;
	edit e;                     /* text kinds */
	char **values, **labels;    /* choice kinds: owned copies */
	size_t nchoices;
	int choice;                 /* choice: index, -1 none */
	unsigned char *on;          /* multi: per choice */
	size_t at;                  /* multi: the choice under the cursor */
	char *error;                /* the model's message for this field */
} field;

struct ui_form {
	char *title;
	field *f;
	size_t n, cur;
	ui_list scroll;
	ui_form_submit submit;
	void *ctx;
	void (*ctx_free)(void *);
	char *value;                /* ui_form_get's buffer */
	char *error;                /* an error naming no field */
	int everyone;               /* clerks may open it too */
};

static field *find(ui_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->f[i].d.name, name))
			return &f->f[i];
	return NULL;
}

static int is_text(const field *x)
{
	return x->d.kind == F_TEXT || x->d.kind == F_PASSWORD || x->d.kind == F_DATE ||
	       x->d.kind == F_MULTILINE;
}

static void set_choices(field *x, const char *const *values, const char *const *labels, size_t n)
{
	for (size_t i = 0; i < x->nchoices; i++) {
		free(x->values[i]);
		free(x->labels[i]);
	}
	free(x->values);
	free(x->labels);
	free(x->on);
	x->values = calloc(n + 1, sizeof *x->values);
	x->labels = calloc(n + 1, sizeof *x->labels);
	x->on = calloc(n + 1, 1);
	x->nchoices = 0;
	if (!x->values || !x->labels || !x->on)
		return;
	for (size_t i = 0; i < n; i++) {
		x->values[i] = strdup(values[i]);
		const char *l = labels ? labels[i] : x->d.choice_label ? x->d.choice_label(values[i]) : values[i];
		x->labels[i] = strdup(l ? l : values[i]);
		if (!x->values[i] || !x->labels[i])
			return;
		x->nchoices++;
	}
	x->choice = x->d.kind == F_CHOICE && n > 0 ? 0 : -1;
	x->at = 0;
}

ui_form *ui_form_new(const char *title, const ui_field_def *defs, size_t n,
                     ui_form_submit submit, void *ctx, void (*ctx_free)(void *))
{
	ui_form *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->title = strdup(title);
	f->f = calloc(n, sizeof *f->f);
	f->n = n;
	f->submit = submit;
	f->ctx = ctx;
	f->ctx_free = ctx_free;
	if (!f->title || !f->f) {
		free(f->title);
		free(f->f);
		free(f);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		field *x = &f->f[i];
		x->d = defs[i];
		x->choice = -1;
		if (defs[i].kind == F_MULTILINE)
			edit_init_multiline(&x->e, "");
		else
			edit_init(&x->e, "");
		if (defs[i].choices) {
			size_t k = 0;
			while (defs[i].choices[k])
				k++;
			set_choices(x, defs[i].choices, NULL, k);
		}
	}
	return f;
}

void ui_form_set_choices(ui_form *f, const char *name, const char *const *values,
                         const char *const *labels, size_t n)
{
	field *x = find(f, name);
	if (x)
		set_choices(x, values, labels, n);
}

void ui_form_set(ui_form *f, const char *name, const char *value)
{
	field *x = find(f, name);
	if (!x || !value)
		return;
	if (is_text(x)) {
		edit_free(&x->e);
		if (x->d.kind == F_MULTILINE)
			edit_init_multiline(&x->e, value);
		else
			edit_init(&x->e, value);
		return;
	}
	if (x->d.kind == F_CHOICE) {
		for (size_t i = 0; i < x->nchoices; i++)
			if (!strcmp(x->values[i], value))
				x->choice = (int)i, x->at = i;
		return;
	}
	/* multi: comma-separated */
	for (size_t i = 0; i < x->nchoices; i++) {
		size_t l = strlen(x->values[i]);
		const char *p = value;
		x->on[i] = 0;
		while ((p = strstr(p, x->values[i]))) {
			if ((p == value || p[-1] == ',') && (p[l] == ',' || p[l] == '\0')) {
				x->on[i] = 1;
				break;
			}
			p += l;
		}
	}
}

/* Free the last ui_form_get copy, wiped first: it may be a password. */
static void wipe_value(ui_form *f)
{
	if (f->value)
		explicit_bzero(f->value, strlen(f->value));
	free(f->value);
	f->value = NULL;
}

const char *ui_form_get(ui_form *f, const char *name)
{
	field *x = find(f, name);
	wipe_value(f);
	if (!x)
		return NULL;
	if (is_text(x))
		f->value = strdup(x->e.buf ? x->e.buf : "");
	else if (x->d.kind == F_CHOICE)
		f->value = strdup(x->choice >= 0 ? x->values[x->choice] : "");
	else {
		size_t len = 1;
		for (size_t i = 0; i < x->nchoices; i++)
			len += strlen(x->values[i]) + 1;
		f->value = calloc(len, 1);
		for (size_t i = 0; f->value && i < x->nchoices; i++)
			if (x->on[i]) {
				if (f->value[0])
					strcat(f->value, ",");
				strcat(f->value, x->values[i]);
			}
	}
	return f->value ? f->value : "";
}

size_t ui_form_split_list(char *s, const char **items, size_t max)
{
	size_t n = 0;
	while (s && *s && n < max) {
		char *end = s;
		size_t skip = 0;
		for (; *end; end++) {
			if (*end == ',') {
				skip = 1;
				break;
			}
			if (!strncmp(end, "\xd8\x8c", 2)) {   /* U+060C ARABIC COMMA */
				skip = 2;
				break;
			}
		}
		char *next = *end ? end + skip : end;
		*end = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		size_t l = strlen(s);
		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			s[--l] = '\0';
		if (*s)
			items[n++] = s;
		s = next;
	}
	return n;
}

void ui_form_for_everyone(ui_form *f)
{
	if (f)
		f->everyone = 1;
}

void ui_form_focus(ui_form *f, const char *name)
{
	field *x = find(f, name);
	if (x)
		f->cur = (size_t)(x - f->f);
}

const char *ui_form_opt(ui_form *f, const char *name)
{
	const char *v = ui_form_get(f, name);
	return v && *v ? v : NULL;
}

static void form_free(ui_screen *sc)
{
	ui_form *f = sc->data;
	for (size_t i = 0; i < f->n; i++) {
		field *x = &f->f[i];
		edit_free(&x->e);
		for (size_t k = 0; k < x->nchoices; k++) {
			free(x->values[k]);
			free(x->labels[k]);
		}
		free(x->values);
		free(x->labels);
		free(x->on);
		free(x->error);
	}
	if (f->ctx_free)
		f->ctx_free(f->ctx);
	free(f->f);
	free(f->title);
	wipe_value(f);
	free(f->error);
	free(f);
}

#define MULTI_ROWS 3

/* rows a field takes: label line is shared; an error adds one */
static int field_rows(const field *x)
{
	return (x->d.kind == F_MULTILINE ? MULTI_ROWS : 1) + (x->error ? 1 : 0);
}

#define LABEL_W 24

/* A multi-line field: the lines around the cursor's, one per row; only the
 * first nrows rows when the form's area ends inside the field. */
static void draw_lines(field *x, int y, int nrows, int fx, int fw, int active, int *cur_y, int *cur_sx)
{
	const char *t = x->e.buf ? x->e.buf : "";
	size_t cur = x->e.cur;
	/* the cursor's line number */
	int cl = 0;
	for (size_t i = 0; i < cur && t[i]; i++)
		cl += t[i] == '\n';
	int first = cl >= MULTI_ROWS ? cl - MULTI_ROWS + 1 : 0;
	const char *p = t;
	for (int ln = 0; ln < first && p; ln++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	ui_role r = active ? R_FIELD_ACTIVE : R_FIELD;
	for (int row = 0; row < MULTI_ROWS && row < nrows; row++) {
		if (!p) {
			ui_fill(y + row, fx, fw, r);
			continue;
		}
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		if (line) {
			if (active && first + row == cl) {
				size_t col = 0;
				for (const char *q = p; q < t + cur; q++)
					col += ((unsigned char)*q & 0xC0) != 0x80;
				*cur_y = y + row;
				*cur_sx = ui_put_edit(y + row, fx, fw, line, col, 0, r);
			} else {
				ui_fill(y + row, fx, fw, r);
				ui_put(y + row, fx, fw, line, r, UI_START);
			}
			free(line);
		}
		p = nl ? nl + 1 : NULL;
	}
}

static void form_draw(ui_screen *sc, int top, int rows)
{
	ui_form *f = sc->data;
	int cols = ui_cols();
	ui_put(top, 1, cols - 2, f->title, R_HEADER, UI_START);
	/* TRANSLATORS: the keys of a form, in the line under its title */
	ui_put(top + 1, 1, cols - 2,
	       f->f[f->cur].d.kind == F_MULTILINE
	           ? _("Enter: new line · Tab: next field · Ctrl-S: save · Esc: cancel")
	           : _("Enter: next field · Ctrl-S: save · Esc: cancel · Space: choose"),
	       R_DIM, UI_START);
	/* scroll so the current field is visible */
	int y0 = top + 3, avail = rows - 4;
	int before = 0;
	for (size_t i = 0; i < f->cur; i++)
		before += field_rows(&f->f[i]) + 1;
	int skip = 0;
	if (before + field_rows(&f->f[f->cur]) > avail)
		skip = before + field_rows(&f->f[f->cur]) - avail;
	int y = y0 - skip;
	int fx = LABEL_W + 3, fw = cols - fx - 2;
	int cur_y = -1, cur_sx = -1;
	for (size_t i = 0; i < f->n; i++) {
		field *x = &f->f[i];
		int h = field_rows(x);
		int active = i == f->cur;
		if (y >= y0 && y < y0 + avail) {
			ui_put(y, 1, LABEL_W, _(x->d.label), active ? R_HEADER : R_LABEL, UI_START);
			ui_role r = active ? R_FIELD_ACTIVE : R_FIELD;
			if (x->d.kind == F_MULTILINE) {
				draw_lines(x, y, y0 + avail - y, fx, fw, active, &cur_y, &cur_sx);
			} else if (is_text(x)) {
				const char *t = x->e.buf ? x->e.buf : "";
				if (!*t && x->d.hint && !active) {
					ui_put(y, fx, fw, _(x->d.hint), R_DIM, UI_START);
				} else {
					int sx = ui_put_edit(y, fx, fw, t, edit_cursor_char(&x->e), x->d.kind == F_PASSWORD, r);
					if (active) {
						cur_y = y;
						cur_sx = sx;
					}
				}
			} else {
				/* choices side by side: [x] label  ( ) label; when they do not
				 * fit, the line starts late enough to show the one under the cursor */
				char item[300];
				int wsum = 0;
				size_t first = 0;
				/* (a picker may have nothing to offer: no choices at all) */
				for (size_t k = x->at + 1; x->nchoices && k-- > 0;) {
					int mark = x->d.kind == F_CHOICE ? (int)k == x->choice : x->on[k];
					snprintf(item, sizeof item, "%s " UI_ISO "%s" UI_PDI, x->d.kind == F_CHOICE ? (mark ? "(•)" : "( )")
					                                                         : (mark ? "[x]" : "[ ]"),
					         x->labels[k]);
					wsum += text_cells(item, ui_bidi()) + 2;
					if (wsum > fw - 4 && k < x->at)
						break;
					first = k;
				}
				int cx = fx;
				ui_fill(y, fx, fw, R_NORMAL);
				if (first > 0) {
					ui_put(y, cx, 2, "…", R_DIM, UI_START);
					cx += 2;
				}
				for (size_t k = first; k < x->nchoices; k++) {
					int mark = x->d.kind == F_CHOICE ? (int)k == x->choice : x->on[k];
					snprintf(item, sizeof item, "%s " UI_ISO "%s" UI_PDI, x->d.kind == F_CHOICE ? (mark ? "(•)" : "( )")
					                                                         : (mark ? "[x]" : "[ ]"),
					         x->labels[k]);
					int w = text_cells(item, ui_bidi());
					if (cx + w > fx + fw - 2) {
						ui_put(y, cx, fx + fw - cx, "…", R_DIM, UI_START);
						break;
					}
					ui_role ir = active && k == x->at ? R_FIELD_ACTIVE : mark ? R_OK : R_NORMAL;
					ui_put(y, cx, w, item, ir, UI_START);
					cx += w + 2;
				}
			}
			if (x->error && y + h - 1 < y0 + avail)
				ui_put(y + h - 1, fx, fw, x->error, R_ERROR, UI_START);
		}
		y += h + 1;
	}
	if (f->error)
		ui_put(top + rows - 1, 1, cols - 2, f->error, R_ERROR, UI_START);
	if (cur_y >= 0)
		ui_cursor_at(cur_y, cur_sx);
}

static void clear_errors(ui_form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->f[i].error);
		f->f[i].error = NULL;
	}
	free(f->error);
	f->error = NULL;
}

static void save(ui_screen *sc)
{
	ui_form *f = sc->data;
	dl_err err = {0};
	clear_errors(f);
	dl_status rc = f->submit(f, f->ctx, &err);
	if (rc == DL_OK) {
		ui_touch();
		ui_pop(sc);
		return;
	}
	field *x = err.field[0] ? find(f, err.field) : NULL;
	if (x) {
		x->error = strdup(err.msg);
		f->cur = (size_t)(x - f->f);
	} else {
		char m[600];
		snprintf(m, sizeof m, "%s%s%s", err.field, err.field[0] ? ": " : "", err.msg);
		f->error = strdup(m);
	}
	/* a busy store or a full disk is no field's fault: what was typed stays,
	 * and the same Ctrl-S tries again */
	ui_message(R_ERROR, "%s", x ? _("Not saved: correct the field marked in red, or Esc to cancel")
	                            : _("Not saved: see the message above; Ctrl-S tries again, Esc cancels"));
}

static int form_act(ui_screen *sc, ui_act a, int ch)
{
	ui_form *f = sc->data;
	field *x = &f->f[f->cur];
	if (ch == 19) {             /* Ctrl-S */
		save(sc);
		return 1;
	}
	if (a == A_NONE && is_text(x)) {
		/* typed text first: characters such as ć (U+0107) share their
		 * numbers with KEY_BACKSPACE and the other KEY_ codes */
		if (ui_is_text(ch)) {
			char u[8];
			wchar_t w[2] = {(wchar_t)ch, 0};
			size_t k = wcstombs(u, w, sizeof u);
			if (k == (size_t)-1)
				return 1;
			u[k] = '\0';
			edit_insert(&x->e, u);
		} else if (ch == KEY_BACKSPACE) {
			edit_backspace(&x->e);
		} else if (ch == KEY_DC) {
			edit_delete(&x->e);
		} else if (ch == 21) {
			edit_kill_line(&x->e);
		} else if (ch == 23) {
			edit_kill_word(&x->e);
		} else {
			return 0;
		}
		free(x->error);
		x->error = NULL;
		return 1;
	}
	if (a == A_NONE && !is_text(x) && ch == ' ') {
		a = A_TOGGLE;
	} else if (a == A_NONE && ch == ' ') {
		return 0;
	}
	if (a == A_NONE && ui_is_text(ch))
		return 1;               /* typing on a choice does nothing (not a global key) */
	if (x->d.kind == F_MULTILINE) {
		if (a == A_ENTER) {
			edit_insert(&x->e, "\n");
			return 1;
		}
		if ((a == A_UP && edit_up(&x->e)) || (a == A_DOWN && edit_down(&x->e)))
			return 1;
	}
	switch (a) {
	case A_ENTER:
		if (f->cur + 1 == f->n)
			save(sc);
		else
			f->cur++;
		return 1;
	case A_NEXT:
	case A_DOWN:
		f->cur = (f->cur + 1) % f->n;
		return 1;
	case A_PREV:
	case A_UP:
		f->cur = (f->cur + f->n - 1) % f->n;
		return 1;
	case A_ARROW_LEFT:
	case A_ARROW_RIGHT: {
		/* towards the start or the end of the line, whatever the language */
		int forward = (a == A_ARROW_RIGHT) != (ui_rtl() != 0);
		if (is_text(x)) {
			/* the cursor moves with the arrow on screen: in an Arabic paragraph
			 * the logical order runs right to left */
			if (forward)
				edit_right(&x->e);
			else
				edit_left(&x->e);
		} else if (x->nchoices) {
			if (forward)
				x->at = (x->at + 1) % x->nchoices;
			else
				x->at = (x->at + x->nchoices - 1) % x->nchoices;
			if (x->d.kind == F_CHOICE)
				x->choice = (int)x->at;
		}
		return 1;
	}
	case A_HOME:
		if (is_text(x))
			edit_home(&x->e);
		return 1;
	case A_END:
		if (is_text(x))
			edit_end(&x->e);
		return 1;
	case A_TOGGLE:
		if (x->nchoices && x->d.kind == F_MULTI)
			x->on[x->at] = !x->on[x->at];
		else if (x->nchoices) {
			x->at = (x->at + 1) % x->nchoices;
			x->choice = (int)x->at;
		}
		return 1;
	case A_BACK:
		ui_pop(sc);
		ui_message(R_MESSAGE, "%s", _("Cancelled: nothing was written"));
		return 1;
	case A_SEARCH:
	case A_PGUP:
	case A_PGDN:
		return 1;
	default:
		return 0;
	}
}

static const ui_binding form_keys[] = {
	{27, A_BACK, N_("cancel: nothing is written")},
	{19, A_SAVE, N_("save (Ctrl-S)")},
	{'\n', A_ENTER, N_("next field; on the last field, save")},
	{' ', A_TOGGLE, N_("choose the option under the cursor")},
	{'\t', A_NEXT, N_("next tab or field")},
	{KEY_BTAB, A_PREV, N_("previous tab or field")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops form_ops = {
	N_("Form"), form_keys, form_draw, form_act, form_free, 1, NULL,
};

int ui_form_open(ui_form *f)
{
	if (!f)
		return -1;
	dl_session *s = ui_session();
	if (s && s->role == DL_ROLE_CLERK && !f->everyone) {
		ui_screen tmp = {&form_ops, f, NULL, 0};
		form_free(&tmp);
		ui_message(R_ERROR, "%s", _("Read-only: clerks see cases and print reports, they change nothing"));
		return -1;
	}
	return ui_push(&form_ops, f) ? 0 : -1;
}
