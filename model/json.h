/* json.h — a growable byte buffer and a small streaming JSON writer.
 * Text is written as UTF-8, never escaped into \uXXXX except control characters,
 * so Arabic comes back byte for byte. Allocation failure is sticky, as in
 * SQLite's StrAccum: the buffer keeps what it had, marks itself failed and
 * ignores every later write, so a writer never has to check each call — it
 * checks buf_failed() once at the end and reports DL_ENOMEM. */
#ifndef DALIL_JSON_H
#define DALIL_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef struct dl_buf {
	char *data;   /* NUL-terminated; NULL until something is added */
	size_t len;
	size_t cap;
	int failed;   /* an allocation failed: the content is incomplete */
} dl_buf;

void buf_add(dl_buf *b, const void *p, size_t n);
void buf_adds(dl_buf *b, const char *s);
void buf_addc(dl_buf *b, char c);
void buf_addf(dl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empty it, keep the memory. A failure stays marked: a writer that flushes
 * and resets as it goes (uco, the report's JSON) must not lose a hole in its
 * output to the reset. Only buf_free clears it. */
void buf_reset(dl_buf *b);
void buf_free(dl_buf *b);               /* release; the struct can be reused */
int buf_failed(const dl_buf *b);        /* an allocation failed since it was made or freed */
/* Failed growths of any dl_buf on this thread, ever (store_oom_mark adds it). */
unsigned long buf_failures(void);
const char *buf_str(const dl_buf *b);   /* "" when empty */

/* Append s (NULL gives null) as a JSON string with quotes. */
void json_add_string(dl_buf *b, const char *s);

/* Streaming writer. Keys and values are added in order; commas and (when pretty)
 * indentation are handled here. */
typedef struct json_w {
	dl_buf out;
	int depth;
	int pretty;
	unsigned char count[64];   /* members written at each depth (saturating) */
	int after_key;
} json_w;

void json_begin_object(json_w *w);
void json_end_object(json_w *w);
void json_begin_array(json_w *w);
void json_end_array(json_w *w);
void json_key(json_w *w, const char *key);
void json_str(json_w *w, const char *s);      /* NULL writes null */
void json_int(json_w *w, long long v);
void json_bool(json_w *w, int v);
void json_null(json_w *w);
void json_raw(json_w *w, const char *json);   /* an already-encoded value */

/* key + value shorthands */
void json_kstr(json_w *w, const char *key, const char *s);
void json_kint(json_w *w, const char *key, long long v);
void json_kbool(json_w *w, const char *key, int v);
/* key + integer, or null when v <= 0 (for optional ids) */
void json_kid(json_w *w, const char *key, long long v);

#endif
