/* ui.h — the workstation's root: the terminal, the theme, the key table, the
 * frame (title bar, message line, function-key bar) and the stack of screens.
 * Only tui/ui*.c include curses; every screen draws through these helpers so
 * that Arabic is shaped and the layout is mirrored in one place. */
#ifndef DALIL_UI_H
#define DALIL_UI_H

#include <stddef.h>

#include "session.h"
#include "status.h"
#include "store.h"

/* Semantic colour roles: screens name a role, the theme picks the colours. */
typedef enum ui_role {
	R_NORMAL, R_TITLE, R_MESSAGE, R_ERROR, R_OK, R_FKEY_NUM, R_FKEY_LABEL,
	R_HEADER, R_SELECTED, R_DIM, R_OVERDUE, R_SOON, R_FINE, R_TAB, R_TAB_ACTIVE,
	R_FIELD, R_FIELD_ACTIVE, R_LABEL, R_HIT, R_BORDER,
	R_COUNT
} ui_role;

/* Named actions: keys map to these in tables, handlers act on these. */
typedef enum ui_act {
	A_NONE,
	/* global */
	A_HELP, A_LANG, A_SEARCH, A_QUIT, A_BACK,
	/* movement */
	A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END, A_ARROW_LEFT, A_ARROW_RIGHT, A_ENTER,
	A_NEXT, A_PREV,            /* Tab, Shift-Tab */
	/* list work */
	A_NEW, A_EDIT, A_DELETE, A_FILTER, A_SORT, A_MINE, A_STATUS, A_REFRESH,
	A_DONE, A_INGEST, A_DASHBOARD, A_ADMIN, A_TAG_RELEVANT, A_TAG_IRRELEVANT,
	A_TAG_PRIVILEGED, A_TAG_REVIEW, A_NOTE, A_PREVIEW, A_HEX, A_EXPORT, A_TYPE,
	A_HITS, A_SAVE, A_TOGGLE, A_CANCEL, A_PERSON,
	A_FIND,                    /* the global search screen */
} ui_act;

/* One key of a screen: key (a character or a curses KEY_ code), the action,
 * and what it does for the F1 help (N_() text, NULL: not listed). */
typedef struct ui_binding {
	int key;
	ui_act act;
	const char *help;
} ui_binding;

typedef struct ui_screen ui_screen;

/* A screen: everything it needs comes through this struct. */
typedef struct ui_screen_ops {
	const char *title;                        /* N_() text for the title bar and help */
	const ui_binding *keys;                   /* ends with {0, 0, NULL}; before the global keys */
	void (*draw)(ui_screen *sc, int top, int rows);   /* the rows between the frame's bars */
	/* An action; ch is the key or character typed (for text entry). Returns 1
	 * when handled. */
	int (*act)(ui_screen *sc, ui_act a, int ch);
	void (*free)(ui_screen *sc);              /* frees sc->data */
	int takes_text;                           /* every key goes to act(), unmapped ones as A_NONE */
	/* More keys for the F1 help (a screen's current tab), or NULL. */
	const ui_binding *(*more_keys)(ui_screen *sc);
} ui_screen_ops;

struct ui_screen {
	const ui_screen_ops *ops;
	void *data;
	ui_screen *below;
	int closing;                              /* set by ui_pop: freed after the current key */
};

/* 1 when the key being handled was typed text (a character, not a function
 * or arrow key): screens that take text insert it. */
int ui_is_text(int ch);

/* Who is working, once logged in. NULL before. */
dl_session *ui_session(void);
dl_store *ui_store(void);
/* 1 when the interface is Arabic (layout mirrored). */
int ui_rtl(void);
/* 1 when dalil shapes and reorders Arabic itself (setting bidi). */
int ui_bidi(void);
int ui_cols(void);
int ui_lines(void);

/* Screens. ui_push takes ownership of data (freed by ops->free). */
ui_screen *ui_push(const ui_screen_ops *ops, void *data);
void ui_pop(ui_screen *sc);
/* After a successful login: replaces the login screen with the case list. */
void ui_logged_in(const dl_session *s);
/* Leave the workstation after this key. */
void ui_quit(void);

/* The message line: a message until the next key (printf-style, already translated). */
void ui_message(ui_role role, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The error of a failed model call, in the message line. */
void ui_error(const dl_err *err);

/* Wrap values put into a composed line ("%s · %s") so that each keeps its own
 * direction and the line takes the interface's: UI_ISO "%s" UI_PDI. */
#define UI_ISO "\xE2\x81\xA8"   /* U+2068 FIRST STRONG ISOLATE */
#define UI_PDI "\xE2\x81\xA9"   /* U+2069 POP DIRECTIONAL ISOLATE */
/* Paths and other values that always read left to right: UI_LRI "%s" UI_PDI. */
#define UI_LRI "\xE2\x81\xA6"   /* U+2066 LEFT-TO-RIGHT ISOLATE */
/* A row of a right-to-left paragraph, wrapped: UI_RLI "%s" UI_PDI. */
#define UI_RLI "\xE2\x81\xA7"   /* U+2067 RIGHT-TO-LEFT ISOLATE */
/* A path for a composed line, into buf (n bytes, cut when full): left to
 * right in both languages, each of its names isolated left to right (one
 * isolate around the whole would join two Arabic names and the "/" between
 * them into one right-to-left run). Returns buf. */
const char *ui_path(char *buf, size_t n, const char *path);

/* Drawing. Columns x are counted from the start side: from the left in
 * English, from the right in Arabic, so screens lay out once for both. */
enum { UI_START, UI_END, UI_CENTER };
/* Text in w cells at (y, x): shaped, reordered, cut with "…", padded with the
 * role's background; its own direction decides how it reads (text_direction),
 * the interface's where it is aligned. Returns the cells the text used. */
int ui_put(int y, int x, int w, const char *text, ui_role role, int align);
void ui_fill(int y, int x, int w, ui_role role);
/* Place the terminal cursor at logical column x (start side) of row y, or hide it. */
void ui_cursor(int y, int x);
void ui_cursor_hide(void);
/* An edit field's text in w cells at (y, x), scrolled to show the cursor
 * (a character index); mask shows bullets. Returns the screen column of the
 * cursor for ui_cursor_at. */
int ui_put_edit(int y, int x, int w, const char *text, size_t cursor, int mask, ui_role role);
void ui_cursor_at(int y, int screen_col);

/* A table of columns from the start side. width 0 = share what is left. */
typedef struct ui_col {
	const char *title;          /* N_() text */
	int width;
	int align;
} ui_col;
/* Column positions for the screen width: x[i], w[i]. */
void ui_cols_layout(const ui_col *cols, int n, int total, int *x, int *w);
void ui_table_header(int y, const ui_col *cols, int n);
void ui_table_row(int y, const ui_col *cols, int n, const char *const *cells,
                  const ui_role *roles, ui_role base);

/* A scrolling selection over n rows shown `rows` at a time. */
typedef struct ui_list {
	long sel, top, n;
} ui_list;
/* Moves for A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END; returns 1 when handled. */
int ui_list_act(ui_list *l, ui_act a, int rows);
void ui_list_fit(ui_list *l, int rows);

/* A table of rows held in memory (lists of a case: tens to thousands of rows;
 * evidence items are paged from the store instead). */
typedef struct ui_table {
	const ui_col *cols;
	int ncols;
	char **cells;               /* n * ncols strings, owned */
	ui_role *roles;             /* n * ncols */
	long long *ids;
	size_t n, cap;
	ui_list list;
	int rows;                   /* rows shown at the last draw */
} ui_table;
void ui_table_init(ui_table *t, const ui_col *cols, int ncols);
/* Empties the rows, keeps the selection's position. */
void ui_table_clear(ui_table *t);
/* Empties the rows and takes these columns (a wide or a narrow set): the
 * selection's position stays when their number does not change. */
void ui_table_reset(ui_table *t, const ui_col *cols, int ncols);
/* Adds a row (cells copied; roles may be NULL). Returns 0, or -1 without memory. */
int ui_table_add(ui_table *t, long long id, const char *const *cells, const ui_role *roles);
/* Header and rows from top; empty_msg when there are no rows. */
void ui_table_draw(ui_table *t, int top, int rows, const char *empty_msg);
/* Movement keys; returns 1 when handled. */
int ui_table_act(ui_table *t, ui_act a);
/* The id of the selected row, 0 when none. */
long long ui_table_sel(const ui_table *t);
void ui_table_free(ui_table *t);

/* Formatting shared by the screens: 1234567 → "1,234,567"; a size in binary
 * units ("86 B", "2.9 KiB", "14 MiB", translated); the last name of a path
 * (trailing slashes ignored; a pointer into path). */
void ui_group(long long v, char *out, size_t outsz);
void ui_size(long long bytes, char *out, size_t outsz);
const char *ui_base_name(const char *path);

/* Saved changes bump a counter; screens reload when it moved since they loaded. */
unsigned ui_generation(void);
void ui_touch(void);

/* Draw the whole screen now (progress during a long call on this thread). */
void ui_redraw(void);

/* Ask yes/no in the message line; returns 1 for yes. */
int ui_confirm(const char *question);

/* Run the workstation on store_dir; returns the process exit code. With user
 * and password (scripts, tests) it logs in at once; a failure shows the login
 * form with the reason. The password is wiped as soon as the login was tried
 * (the caller still frees it). */
int ui_main(const char *store_dir, const char *user, char *password);

/* Days from today (UTC, as the model counts) to date YYYY-MM-DD; 0 when not a date. */
long long ui_days_until(const char *date);

/* Days-left colour for a deadline. */
ui_role ui_deadline_role(long long days_left);

/* The translated label of v among names (NULL-terminated, in the order of
 * labels, N_() texts); NULL gives "", an unknown value shows as stored. */
const char *ui_label_in(const char *const names[], const char *const labels[], size_t nlabels,
                        const char *v);

/* A record's text in the interface's language (ar when Arabic, other —
 * English or Latin — else) when it has it, else the other one, else "". */
const char *ui_in_lang(const char *ar, const char *other);

/* "phone", "e-mail", "bitcoin wallet"…: an identifier kind (identifier_kind_names) translated. */
const char *ui_identifier_kind_label(const char *kind);

#endif
