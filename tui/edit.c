/* edit.c — see edit.h. The buffer only ever holds what edit_insert() accepted, so every
 * walk over it can trust the UTF-8 and step by lead bytes. */
#include "edit.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

#define EDIT_DEFAULT_MAX 4096

static size_t limit(const edit *e)
{
	return e->max ? e->max : EDIT_DEFAULT_MAX;
}

/* Room for len bytes and the NUL. */
static void reserve(edit *e, size_t len)
{
	if (len + 1 <= e->cap)
		return;
	size_t cap = e->cap ? e->cap : 64;
	while (cap < len + 1)
		cap *= 2;
	/* not realloc: the old block is wiped before it is freed, as a field
	 * may hold a password (every field is treated alike) */
	char *p = malloc(cap);
	if (!p)
		abort();
	if (e->buf) {
		memcpy(p, e->buf, e->cap);
		explicit_bzero(e->buf, e->cap);
		free(e->buf);
	}
	e->buf = p;
	e->cap = cap;
}

static int is_control(wchar_t c)
{
	return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029;
}

static int is_space(wchar_t c)
{
	return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x202F || c == 0x205F || c == 0x3000;
}

static wchar_t char_at(const edit *e, size_t p)
{
	wchar_t c;
	text_utf8_decode(e->buf + p, e->len - p, &c);
	return c;
}

static size_t next_cp(const edit *e, size_t p)
{
	if (p >= e->len)
		return e->len;
	p++;
	while (p < e->len && ((unsigned char)e->buf[p] & 0xC0) == 0x80)
		p++;
	return p;
}

static size_t prev_cp(const edit *e, size_t p)
{
	if (p == 0)
		return 0;
	p--;
	while (p > 0 && ((unsigned char)e->buf[p] & 0xC0) == 0x80)
		p--;
	return p;
}

/* A combining mark (or other zero-width character) belongs to the character before it. */
static int is_mark_at(const edit *e, size_t p)
{
	return p < e->len && text_wcwidth(char_at(e, p)) == 0;
}

/* Removes bytes [a, b) and leaves the cursor at a. */
static void cut(edit *e, size_t a, size_t b)
{
	if (a >= b)
		return;
	memmove(e->buf + a, e->buf + b, e->len - b + 1);   /* with the NUL */
	e->len -= b - a;
	e->cur = a;
}

static void init(edit *e, const char *text, int multiline)
{
	memset(e, 0, sizeof *e);
	e->multiline = multiline;
	reserve(e, 0);
	size_t n = text ? strlen(text) : 0;
	for (size_t i = 0; i < n;) {
		wchar_t c;
		int k = text_utf8_decode(text + i, n - i, &c);   /* invalid: U+FFFD */
		i += k > 0 ? (size_t)k : 1;
		if (c == L'\r' && i < n && text[i] == '\n')
			continue;   /* CRLF is one line break, one space */
		if (multiline && (c == L'\n' || c == L'\r' || c == 0x2028 || c == 0x2029))
			c = L'\n';
		else if (c == L'\t' || c == L'\n' || c == L'\r' || c == 0x2028 || c == 0x2029)
			c = L' ';
		else if (is_control(c))
			continue;
		char u[4];
		size_t m = text_utf8_encode(c, u);
		if (e->len + m > EDIT_DEFAULT_MAX)
			break;
		reserve(e, e->len + m);
		memcpy(e->buf + e->len, u, m);
		e->len += m;
	}
	e->buf[e->len] = '\0';
	e->cur = e->len;
}

void edit_init(edit *e, const char *text)
{
	init(e, text, 0);
}

void edit_init_multiline(edit *e, const char *text)
{
	init(e, text, 1);
}

/* start of the line holding byte offset at */
static size_t line_start(const edit *e, size_t at)
{
	while (at > 0 && e->buf[at - 1] != '\n')
		at--;
	return at;
}

/* byte offset of character column col on the line starting at start */
static size_t column_at(const edit *e, size_t start, size_t col)
{
	size_t at = start;
	while (col > 0 && at < e->len && e->buf[at] != '\n') {
		wchar_t c;
		int k = text_utf8_decode(e->buf + at, e->len - at, &c);
		at += k > 0 ? (size_t)k : 1;
		col--;
	}
	return at;
}

static size_t chars_between(const edit *e, size_t a, size_t b)
{
	size_t n = 0;
	for (size_t i = a; i < b; i++)
		n += ((unsigned char)e->buf[i] & 0xC0) != 0x80;
	return n;
}

int edit_up(edit *e)
{
	if (!e->buf)
		return 0;
	size_t start = line_start(e, e->cur);
	if (start == 0)
		return 0;
	size_t col = chars_between(e, start, e->cur);
	e->cur = column_at(e, line_start(e, start - 1), col);
	return 1;
}

int edit_down(edit *e)
{
	if (!e->buf)
		return 0;
	size_t start = line_start(e, e->cur);
	size_t end = e->cur;
	while (end < e->len && e->buf[end] != '\n')
		end++;
	if (end >= e->len)
		return 0;
	e->cur = column_at(e, end + 1, chars_between(e, start, e->cur));
	return 1;
}

void edit_free(edit *e)
{
	if (e->buf)
		explicit_bzero(e->buf, e->cap);   /* all of it: deleted text lies past the NUL */
	free(e->buf);
	memset(e, 0, sizeof *e);
}

int edit_insert(edit *e, const char *utf8)
{
	if (!utf8)
		return -1;
	size_t n = strlen(utf8);
	for (size_t i = 0; i < n;) {
		wchar_t c;
		int k = text_utf8_decode(utf8 + i, n - i, &c);
		if (k < 0 || (is_control(c) && !(e->multiline && c == L'\n')))
			return -1;
		i += (size_t)k;
	}
	size_t lim = limit(e);
	if (e->len > lim || n > lim - e->len)
		return -1;
	if (n == 0)
		return 0;
	reserve(e, e->len + n);
	if (e->len == 0)
		e->buf[0] = '\0';   /* a zeroed struct had no buffer to move */
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, utf8, n);
	e->len += n;
	e->cur += n;
	return 0;
}

void edit_left(edit *e)
{
	size_t p = prev_cp(e, e->cur);
	while (p > 0 && is_mark_at(e, p))
		p = prev_cp(e, p);
	e->cur = p;
}

void edit_right(edit *e)
{
	size_t p = next_cp(e, e->cur);
	while (is_mark_at(e, p))
		p = next_cp(e, p);
	e->cur = p;
}

void edit_home(edit *e)
{
	e->cur = 0;
}

void edit_end(edit *e)
{
	e->cur = e->len;
}

void edit_backspace(edit *e)
{
	cut(e, prev_cp(e, e->cur), e->cur);
}

void edit_delete(edit *e)
{
	size_t start = e->cur;
	edit_right(e);
	cut(e, start, e->cur);
	e->cur = start;
}

void edit_kill_line(edit *e)
{
	cut(e, 0, e->len);
	e->cur = 0;
}

void edit_kill_word(edit *e)
{
	size_t p = e->cur;
	while (p > 0 && is_space(char_at(e, prev_cp(e, p))))
		p = prev_cp(e, p);
	while (p > 0 && !is_space(char_at(e, prev_cp(e, p))))
		p = prev_cp(e, p);
	cut(e, p, e->cur);
}

size_t edit_cursor_char(const edit *e)
{
	size_t n = 0;
	for (size_t i = 0; i < e->cur; i++)
		n += ((unsigned char)e->buf[i] & 0xC0) != 0x80;
	return n;
}
