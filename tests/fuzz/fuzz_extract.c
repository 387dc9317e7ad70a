/* fuzz_extract.c — the identifier scanner (importers/extract.h). The item is
 * scanned twice: in one feed, then in chunks of sizes drawn from the input's
 * first bytes (1 byte upwards). The scanner promises that chunking changes
 * nothing, so both runs must report the same hits, in the same order, at the
 * same offsets; a difference aborts. */
#include "extract.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const fuzz_case fuzz_cases[] = {
	/* No crash found so far (docs/fuzzing.md); these hand-written edge cases keep
	 * the chunk-invariance check running in CTest. */
	FUZZ_CASE("UTF-16 of odd length", "\x00\x07\xff\xfe\x30\x00\x39\x00\x31"),
	FUZZ_CASE("entity split anywhere", "\x00\x01tel &#x2B;218&#32;91&#32;234&#32;5678 &amp"),
	FUZZ_CASE("JSON escape at the end", "\x01\x02{\"a\":\"01012345678\\u06"),
	FUZZ_CASE("NULs and a phone", "\x00\x03\x00\x00+218912345678\x00"),
	{NULL, NULL, 0},
};

typedef struct hits {
	char *text;        /* "kind value offset\n" per hit */
	size_t len, cap;
} hits;

static void record(void *ctx, extract_kind kind, const char *value, long long offset)
{
	hits *h = ctx;
	char line[1024];
	int n = snprintf(line, sizeof line, "%s %s %lld\n", extract_kind_names[kind], value, offset);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	if (h->len + len + 1 > h->cap) {
		size_t cap = (h->cap ? h->cap * 2 : 4096) + len;
		char *t = realloc(h->text, cap);
		if (!t)
			abort();
		h->text = t;
		h->cap = cap;
	}
	memcpy(h->text + h->len, line, len);
	h->len += len;
	h->text[h->len] = '\0';
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ccs[] = {"218", "20", "212", "216"};
	if (size < 2)
		return 0;
	/* Byte 0: calling code and code page; byte 1: seed of the chunk sizes. */
	const char *cc = ccs[data[0] & 3];
	const char *cp = (data[0] & 4) ? "CP1252" : NULL;
	unsigned seed = data[1];
	const uint8_t *text = data + 2;
	size_t n = size - 2;

	hits whole = {0}, chunked = {0};
	extract *x = extract_new(cc, record, &whole);
	if (!x)
		return 0;
	if (cp)
		extract_set_codepage(x, cp);
	extract_feed(x, text, n);
	extract_finish(x);
	extract_free(&x);

	x = extract_new(cc, record, &chunked);
	if (!x)
		abort();
	if (cp)
		extract_set_codepage(x, cp);
	size_t at = 0;
	while (at < n) {
		/* Small chunks mostly (splitting tokens, UTF-8 and UTF-16 units),
		 * sometimes larger ones. */
		seed = seed * 1103515245u + 12345u;
		size_t want = (seed >> 16) % 8 == 0 ? 1 + (seed >> 8) % 512 : 1 + (seed >> 16) % 7;
		if (want > n - at)
			want = n - at;
		extract_feed(x, text + at, want);
		at += want;
	}
	extract_finish(x);
	extract_free(&x);

	const char *a = whole.text ? whole.text : "", *b = chunked.text ? chunked.text : "";
	if (strcmp(a, b) != 0) {
		fprintf(stderr, "chunking changed the hits\n--- one feed:\n%s--- in chunks:\n%s", a, b);
		abort();
	}
	free(whole.text);
	free(chunked.text);
	extract_is_text(text, n, (data[0] & 8) ? "chat.txt" : NULL);
	extract_is_sqlite(text, n);
	return 0;
}
