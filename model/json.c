/* json.c — see json.h. */
#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local unsigned long failures;

unsigned long buf_failures(void)
{
	return failures;
}

/* Room for extra more bytes and the NUL: 0, or -1 with b->failed set (the
 * old content is kept). */
static int buf_grow(dl_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	if (extra > SIZE_MAX / 4 - b->len) {
		b->failed = 1;
		failures++;
		return -1;
	}
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		failures++;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void buf_add(dl_buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) != 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(dl_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(dl_buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_addf(dl_buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0 && buf_grow(b, (size_t)n) == 0) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
}

void buf_reset(dl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_free(dl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

int buf_failed(const dl_buf *b)
{
	return b->failed;
}

const char *buf_str(const dl_buf *b)
{
	return b->data ? b->data : "";
}

void json_add_string(dl_buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char tmp[8];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p < 0x20) {
				snprintf(tmp, sizeof tmp, "\\u%04x", *p);
				esc = tmp;
			}
		}
		if (esc) {
			buf_add(b, run, (size_t)((const char *)p - run));
			buf_adds(b, esc);
			run = (const char *)p + 1;
		}
	}
	buf_adds(b, run);
	buf_addc(b, '"');
}

static void indent(json_w *w)
{
	if (!w->pretty)
		return;
	buf_addc(&w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_adds(&w->out, "  ");
}

/* Before a value: a comma when it is not the first member, unless it follows a key. */
static void value_start(json_w *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth] > 0)
			buf_addc(&w->out, ',');
		indent(w);
	}
	if (w->count[w->depth] < 255)
		w->count[w->depth]++;
}

static void open_(json_w *w, char c)
{
	value_start(w);
	buf_addc(&w->out, c);
	if (w->depth < 63)
		w->depth++;
	w->count[w->depth] = 0;
}

static void close_(json_w *w, char c)
{
	int had = w->count[w->depth] > 0;
	if (w->depth > 0)
		w->depth--;
	if (had)
		indent(w);
	buf_addc(&w->out, c);
}

void json_begin_object(json_w *w) { open_(w, '{'); }
void json_end_object(json_w *w) { close_(w, '}'); }
void json_begin_array(json_w *w) { open_(w, '['); }
void json_end_array(json_w *w) { close_(w, ']'); }

void json_key(json_w *w, const char *key)
{
	value_start(w);
	json_add_string(&w->out, key);
	buf_adds(&w->out, w->pretty ? ": " : ":");
	w->after_key = 1;
}

void json_str(json_w *w, const char *s)
{
	value_start(w);
	json_add_string(&w->out, s);
}

void json_int(json_w *w, long long v)
{
	value_start(w);
	buf_addf(&w->out, "%lld", v);
}

void json_bool(json_w *w, int v)
{
	value_start(w);
	buf_adds(&w->out, v ? "true" : "false");
}

void json_null(json_w *w)
{
	value_start(w);
	buf_adds(&w->out, "null");
}

void json_raw(json_w *w, const char *json)
{
	value_start(w);
	buf_adds(&w->out, json ? json : "null");
}

void json_kstr(json_w *w, const char *key, const char *s) { json_key(w, key); json_str(w, s); }
void json_kint(json_w *w, const char *key, long long v) { json_key(w, key); json_int(w, v); }
void json_kbool(json_w *w, const char *key, int v) { json_key(w, key); json_bool(w, v); }

void json_kid(json_w *w, const char *key, long long v)
{
	json_key(w, key);
	if (v > 0)
		json_int(w, v);
	else
		json_null(w);
}
