/* text.h — one line of UTF-8 turned into what a terminal should draw, left to right.
 * Terminals rarely do bidi or Arabic shaping, so dalil does both itself with FriBidi. */
#ifndef DALIL_TEXT_H
#define DALIL_TEXT_H

#include <stddef.h>
#include <wchar.h>

/* One line of logical UTF-8 text turned into the characters to draw, left to right.
 * "Logical character" below means one code point of the input (an invalid byte
 * counts as one character), the unit text_layout() and edit_cursor_char() count in. */
typedef struct text_line {
	wchar_t *wc;      /* the characters to draw, in visual order (left to right), malloc'd;
	                     wc[n] is L'\0' so the array can be handed to curses as a string */
	int *cellx;       /* per drawn char: its start column (cells from the left) */
	size_t n;         /* number of drawn chars; a combining mark is an entry of its own,
	                     width 0, right after its base and with the base's cellx */
	int cells;        /* total width in display cells */
	int *log2vis;     /* per logical character 0..nlog: the column where that character is
	                     drawn, i.e. where a cursor standing before it belongs. Characters
	                     that draw nothing (bidi controls, ZWJ, the lam of a lam-alef
	                     ligature) take the column of the next character; characters cut
	                     off by the width limit take the column of the "…".
	                     log2vis[nlog] is the cursor at the logical end: just right of the
	                     last character when it runs left to right, just left of it when it
	                     runs right to left (so -1 when that character is in column 0), the
	                     "…" when the line was cut, 0 for an empty line. */
	size_t nlog;      /* number of logical characters in the input */
} text_line;

/* Lay out `utf8` (a single line) for at most `width` cells; width <= 0 means no limit.
 * rtl:  paragraph base direction (1 when the interface is Arabic, 0 for English).
 * bidi: 1 = shape Arabic (joining forms, lam-alef ligatures, mirrored brackets) and reorder
 *       to visual order; 0 = the terminal does bidi itself: logical order, no shaping.
 * What is drawn:
 *   - a tab is drawn as a space, other control characters (\n, \r, C1, DEL) and invalid
 *     UTF-8 bytes as U+FFFD, one per byte, so that odd data stays visible;
 *   - zero-width format characters (LRM/RLM/ALM, embeddings, isolates, ZWJ/ZWNJ, BOM, soft
 *     hyphen) are not drawn in either mode: with bidi=1 FriBidi has used them, with bidi=0
 *     a curses cell has nowhere to keep them;
 *   - a combining mark with no base before it is drawn on U+25CC (dotted circle);
 *   - a hyphen-minus between two digits is taken as part of the number ("2024-17" is a case
 *     number, not a subtraction), so after Arabic letters it still reads 2024-17; plain
 *     UBA would show 17-2024 there.
 * When the text needs more than `width` cells it is cut in logical order (the logical end is
 * dropped) at a character boundary, never between a base and its marks nor inside a
 * lam-alef, and "…" (U+2026) is put at the logical end — the left side in an RTL paragraph.
 * Returns 0 and fills *out (free it with text_line_free), or -1 on allocation failure
 * (then *out is zeroed). Bad UTF-8 is not an error. utf8 may be NULL (an empty line). */
int text_layout(const char *utf8, int width, int rtl, int bidi, text_line *out);

/* The paragraph direction a line should be laid out with (1 right to left):
 * its first strong letter outside isolates (U+2066..U+2069) decides; a line of
 * isolated values joined by neutral glue takes the interface's direction
 * (ui_rtl); a line with no letters at all (numbers, dates, hashes) is left to
 * right. */
int text_direction(const char *utf8, int ui_rtl);

/* For a right-to-left line: the same text with each left-to-right token that
 * mixes digits with letters or punctuation ("2026/TRP/0042", "+218 91 234 5678",
 * "2026-11-23", "a1b2c3…") wrapped in LRI … PDI, so that the bidi algorithm keeps
 * it whole and in order. malloc'd; NULL on allocation failure. */
char *text_isolate_ltr(const char *utf8);

/* Frees the arrays and zeroes the struct; safe on a zeroed struct and twice. */
void text_line_free(text_line *l);

/* Display cells `utf8` needs after shaping (a lam-alef ligature counts as 1);
 * -1 on allocation failure. */
int text_cells(const char *utf8, int bidi);

/* The visual line as a malloc'd UTF-8 string (for tests and plain-text exports);
 * NULL on allocation failure. Arguments as for text_layout(). */
char *text_visual_utf8(const char *utf8, int width, int rtl, int bidi);

/* Display cells of one character whatever setlocale() was called with: 0 for combining
 * marks and zero-width characters, 2 for East Asian wide, 1 for the Arabic presentation
 * forms and U+2026, -1 for controls and unprintable characters. */
int text_wcwidth(wchar_t c);

/* Decodes the UTF-8 character at s (n > 0 bytes available). Returns its length 1..4 and
 * sets *c, or returns -1 and sets *c to U+FFFD when s does not start with a valid, shortest
 * form sequence of a scalar value (no surrogates, nothing above U+10FFFF). */
int text_utf8_decode(const char *s, size_t n, wchar_t *c);

/* Writes c (a scalar value) as UTF-8 into out, which has room for 4 bytes, no NUL added;
 * returns the length 1..4. */
size_t text_utf8_encode(wchar_t c, char *out);

#endif
