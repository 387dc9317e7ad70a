/* edit.h — the buffer behind a one-line input field: UTF-8 text and a cursor, no curses.
 * Draw it with text_layout(e.buf, ...) and put the cursor at log2vis[edit_cursor_char(&e)]. */
#ifndef DALIL_EDIT_H
#define DALIL_EDIT_H

#include <stddef.h>

/* buf is always valid UTF-8 without control characters and NUL-terminated (after edit_init,
 * or on a zeroed struct buf may be NULL until the first insert: treat it as ""). A
 * "character" for moving and deleting is a base plus the combining marks after it (anything
 * text_wcwidth() calls zero width), so the cursor never lands between a letter and its
 * harakat. Allocation failure aborts, as with the model's buffers: the strings are small. */
typedef struct edit {
	char *buf;
	size_t len, cap;
	size_t cur;   /* byte offset, always on a character boundary */
	size_t max;   /* max bytes (not counting the NUL), 0 = 4096 */
	int multiline;   /* "\n" is a character like any other (notes, summaries) */
} edit;

/* Starts the buffer with `text` (NULL = empty), cursor at the end, max 0 (4096). The text is
 * made fit for the field: tab and line breaks become spaces, other control characters are
 * dropped, invalid bytes become U+FFFD, and what exceeds 4096 bytes is cut at a character
 * boundary. Set e->max afterwards to lower the limit for new input. */
void edit_init(edit *e, const char *text);
/* The same for a multi-line field: line breaks are kept (CRLF and CR become
 * "\n"), and edit_insert accepts "\n". */
void edit_init_multiline(edit *e, const char *text);
/* Multi-line: the cursor to the line above or below, at the same character
 * column or the line's end. Returns 0 when there is no such line. */
int edit_up(edit *e);
int edit_down(edit *e);
/* Frees the buffer and zeroes the struct; safe on a zeroed struct and twice. */
void edit_free(edit *e);

/* Inserts one or more characters at the cursor and puts the cursor after them. Returns 0,
 * or -1 with nothing changed when utf8 is NULL, is invalid UTF-8, contains a control
 * character (C0, DEL, C1, U+2028/U+2029 — the field is one line), or would make the text
 * longer than max bytes: a paste that does not fit is refused whole rather than silently
 * cut, since a cut case number or hash looks valid. */
int edit_insert(edit *e, const char *utf8);

void edit_left(edit *e);    /* one character back (base and marks are one step) */
void edit_right(edit *e);   /* one character on */
void edit_home(edit *e);
void edit_end(edit *e);

/* Backspace removes one code point before the cursor: after a letter with a fatha it removes
 * just the fatha, as most editors do, so a mistyped haraka can be fixed without retyping the
 * letter. Delete removes the whole character after the cursor, marks included, since marks
 * left behind would land on the previous letter. */
void edit_backspace(edit *e);
void edit_delete(edit *e);

void edit_kill_line(edit *e);   /* Ctrl-U: clear all */
/* Ctrl-W: delete the word before the cursor: spaces before the cursor, then everything up
 * to the previous space (as in a shell: words are space-separated). Spaces are U+0020 and
 * the other Unicode space separators (NBSP, U+2000..U+200A, U+3000, ...). */
void edit_kill_word(edit *e);

/* The cursor as an index in code points, the logical-character index of text_line.log2vis. */
size_t edit_cursor_char(const edit *e);

#endif
