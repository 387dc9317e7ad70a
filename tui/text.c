/* text.c — see text.h. FriBidi does the Unicode work (levels, joining, shaping, reordering);
 * this file decides what is drawn, how wide it is, where the line is cut and where a cursor goes. */
#include "text.h"

#include <fribidi.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CH_REPLACEMENT    0xFFFDu
#define CH_ELLIPSIS       0x2026u
#define CH_DOTTED_CIRCLE  0x25CCu

/* Mirroring and NSM reordering (the defaults) plus presentation forms and lam-alef. */
#define SHAPE_FLAGS (FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC)

/* ---- widths ---- */

/* wcwidth() answers according to LC_CTYPE, which stays "C" (every non-ASCII character
 * unprintable) until the program calls setlocale(). A private UTF-8 LC_CTYPE, switched to
 * for the calling thread only, makes widths the same whatever the program did. */
static pthread_once_t ctype_once = PTHREAD_ONCE_INIT;
static locale_t utf8_ctype;   /* (locale_t)0 when the system has none: use the current one */

static void ctype_init(void)
{
	static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
	for (size_t i = 0; i < sizeof names / sizeof *names && !utf8_ctype; i++)
		utf8_ctype = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
}

/* Returns what ctype_leave() needs to restore; (locale_t)0 when nothing was switched. */
static locale_t ctype_enter(void)
{
	pthread_once(&ctype_once, ctype_init);
	return utf8_ctype ? uselocale(utf8_ctype) : (locale_t)0;
}

static void ctype_leave(locale_t old)
{
	if (old)
		uselocale(old);
}

static int is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029;
}

/* Must run between ctype_enter() and ctype_leave(). */
static int width_of(uint32_t c)
{
	/* Presentation forms are what shaping produces; some C libraries call parts of these
	 * blocks unprintable or zero width, which would wreck every Arabic line. */
	if (c == CH_ELLIPSIS || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC))
		return 1;
	if (is_control(c) || c > 0x10FFFF)
		return -1;
	return wcwidth((wchar_t)c);
}

int text_wcwidth(wchar_t c)
{
	if (c < 0)
		return -1;
	locale_t old = ctype_enter();
	int w = width_of((uint32_t)c);
	ctype_leave(old);
	return w;
}

/* Characters that steer bidi or joining but draw nothing. They are dropped from the output:
 * a curses cell cannot hold a lone zero-width character that is not a combining mark. */
static int is_invisible(uint32_t c)
{
	if (c == 0x200E || c == 0x200F || c == 0x061C)   /* LRM, RLM, ALM: typed as L, R, AL */
		return 1;
	FriBidiCharType t = fribidi_get_bidi_type(c);
	return FRIBIDI_IS_EXPLICIT_OR_BN(t) || FRIBIDI_IS_ISOLATE(t);
}

/* ---- UTF-8 ---- */

int text_utf8_decode(const char *s, size_t n, wchar_t *c)
{
	const unsigned char *p = (const unsigned char *)s;
	*c = (wchar_t)CH_REPLACEMENT;
	if (n == 0)
		return -1;
	unsigned b = p[0];
	if (b < 0x80) {
		*c = (wchar_t)b;
		return 1;
	}
	int len;
	uint32_t v, min;
	/* C0, C1 and F5..FF never start a valid sequence; the minimum catches the rest of
	 * the overlong forms. */
	if (b >= 0xC2 && b <= 0xDF) {
		len = 2, v = b & 0x1F, min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3, v = b & 0x0F, min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4, v = b & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (n < (size_t)len)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		v = v << 6 | (p[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*c = (wchar_t)v;
	return len;
}

size_t text_utf8_encode(wchar_t wc, char *o)
{
	uint32_t c = (uint32_t)wc;
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3F));
	o[2] = (char)(0x80 | (c >> 6 & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The input as logical characters, one per code point or invalid byte, with what a
 * terminal must not receive already replaced (1:1, so indices stay logical indices). */
static int decode_line(const char *utf8, uint32_t **out, size_t *nout)
{
	size_t len = utf8 ? strlen(utf8) : 0;
	/* FriBidiStrIndex is an int and a run may double in size (dotted circles). */
	if (len > INT_MAX / 4)
		return -1;
	uint32_t *u = malloc((len + 1) * sizeof *u);
	if (!u)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		wchar_t c;
		int k = text_utf8_decode(utf8 + i, len - i, &c);
		i += k > 0 ? (size_t)k : 1;
		if (c == L'\t')
			c = L' ';
		else if (is_control((uint32_t)c))
			c = (wchar_t)CH_REPLACEMENT;   /* a line break in a one-line field is worth seeing */
		u[n++] = (uint32_t)c;
	}
	*out = u;
	*nout = n;
	return 0;
}

/* ---- one layout attempt ---- */

/* Arrays indexed by entry. ch and level are in visual order once run_reorder() has run;
 * the others stay in logical order and map[visual] gives the logical entry. */
typedef struct run {
	int n;
	int bidi;
	FriBidiParType base;
	FriBidiChar *ch;
	int *src;                  /* the logical character this entry stands for */
	int *w;                    /* cells; -1 for an entry that draws nothing */
	FriBidiCharType *type;
	FriBidiBracketType *bracket;
	FriBidiLevel *level;
	FriBidiArabicProp *ar;
	FriBidiStrIndex *map;
	int cells;
} run;

static void run_free(run *r)
{
	free(r->ch);
	free(r->src);
	free(r->w);
	free(r->type);
	free(r->bracket);
	free(r->level);
	free(r->ar);
	free(r->map);
	memset(r, 0, sizeof *r);
}

/* UBA rule W2 turns digits after Arabic letters into Arabic numbers, and a hyphen-minus
 * (ES) between two of those stays neutral, so "القضية 2024-17" would read 17-2024. In dalil
 * such a hyphen is always inside an identifier or a date, so it is given the common
 * separator type, which W4 joins into the number whatever the context. */
static void keep_numbers_together(const FriBidiChar *ch, FriBidiCharType *type, int n)
{
	for (int i = 1; i + 1 < n; i++)
		if (ch[i] == '-' && type[i - 1] == FRIBIDI_TYPE_EN && type[i + 1] == FRIBIDI_TYPE_EN)
			type[i] = FRIBIDI_TYPE_CS;
}

/* Builds the shaped logical run for the first k characters of lc, plus "…" when asked.
 * Must run between ctype_enter() and ctype_leave(). */
static int run_build(run *r, const uint32_t *lc, size_t k, int ellipsis, int rtl, int bidi)
{
	memset(r, 0, sizeof *r);
	size_t cap = 2 * k + 2;   /* a dotted circle per character at worst, and the "…" */
	r->ch = malloc(cap * sizeof *r->ch);
	r->src = malloc(cap * sizeof *r->src);
	r->w = malloc(cap * sizeof *r->w);
	r->type = malloc(cap * sizeof *r->type);
	r->bracket = malloc(cap * sizeof *r->bracket);
	r->level = malloc(cap * sizeof *r->level);
	r->ar = malloc(cap * sizeof *r->ar);
	r->map = malloc(cap * sizeof *r->map);
	if (!r->ch || !r->src || !r->w || !r->type || !r->bracket || !r->level || !r->ar || !r->map) {
		run_free(r);
		return -1;
	}
	r->bidi = bidi;
	r->base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;

	int n = 0, after_drawn = 0;
	for (size_t i = 0; i < k; i++) {
		uint32_t c = lc[i];
		int invisible = is_invisible(c);
		/* A mark needs a base to sit on, or curses and bidi would hang it on a neighbour. */
		if (!invisible && width_of(c) == 0 && !after_drawn) {
			r->ch[n] = CH_DOTTED_CIRCLE;
			r->w[n] = 0;
			r->src[n++] = (int)i;
		}
		r->ch[n] = c;
		r->w[n] = invisible ? -1 : 0;
		r->src[n++] = (int)i;
		after_drawn = !invisible;
	}
	if (ellipsis) {
		r->ch[n] = CH_ELLIPSIS;
		r->w[n] = 0;
		r->src[n++] = (int)k;
	}
	r->n = n;

	if (bidi && n > 0) {
		fribidi_get_bidi_types(r->ch, n, r->type);
		keep_numbers_together(r->ch, r->type, n);
		fribidi_get_bracket_types(r->ch, n, r->type, r->bracket);
		if (!fribidi_get_par_embedding_levels_ex(r->type, r->bracket, n, &r->base, r->level)) {
			run_free(r);
			return -1;
		}
		fribidi_get_joining_types(r->ch, n, r->ar);
		fribidi_join_arabic(r->type, n, r->level, r->ar);
		fribidi_shape(SHAPE_FLAGS, r->level, n, r->ar, r->ch);
	} else {
		memset(r->ar, 0, (size_t)n * sizeof *r->ar);
	}

	r->cells = 0;
	for (int i = 0; i < n; i++) {
		if (r->w[i] < 0)
			continue;
		/* Shaping leaves the lam of a lam-alef as FILL (U+FEFF) and the ligature on the alef. */
		if (r->ch[i] == FRIBIDI_CHAR_FILL) {
			r->w[i] = -1;
			continue;
		}
		int w = width_of(r->ch[i]);
		if (w < 0) {
			r->ch[i] = CH_REPLACEMENT;
			w = 1;
		}
		r->w[i] = w;
		r->cells += w;
	}
	return 0;
}

/* Can the line be cut just before entry i? Not between a base and its marks, and not
 * between the two halves of a lam-alef (the ligature is on the second). */
static int can_cut_before(const run *r, int i)
{
	if (i == 0)
		return 1;
	if (r->w[i] == 0)
		return 0;
	return !(r->ch[i - 1] == FRIBIDI_CHAR_FILL && (r->ar[i - 1] & FRIBIDI_MASK_LIGATURED));
}

/* Lays out the longest logical prefix that fits `width` cells with "…" after it. The cut is
 * chosen on the full run's widths and checked on the rebuilt run, since the new last letter
 * takes a final or isolated form (a lone lam where a lam-alef was). */
static int run_cut(run *r, const uint32_t *lc, int width, int rtl, int bidi)
{
	run full = *r;
	int *prefix = malloc(((size_t)full.n + 1) * sizeof *prefix);
	if (!prefix) {
		run_free(&full);
		memset(r, 0, sizeof *r);
		return -1;
	}
	prefix[0] = 0;
	for (int i = 0; i < full.n; i++)
		prefix[i + 1] = prefix[i] + (full.w[i] > 0 ? full.w[i] : 0);

	int rc = -1;
	for (int i = full.n - 1; i >= 0; i--) {
		if (!can_cut_before(&full, i) || prefix[i] > width - 1)
			continue;
		if (run_build(r, lc, (size_t)full.src[i], 1, rtl, bidi) < 0)
			break;
		if (r->cells <= width || i == 0) {
			rc = 0;
			break;
		}
		run_free(r);
	}
	if (rc < 0)
		memset(r, 0, sizeof *r);
	free(prefix);
	run_free(&full);
	return rc;
}

static int run_reorder(run *r)
{
	for (int i = 0; i < r->n; i++)
		r->map[i] = i;
	/* Reorders ch, and also level (into visual order, which FriBidi 1.0 does not document). */
	if (r->bidi && r->n > 0 &&
	    !fribidi_reorder_line(SHAPE_FLAGS, r->type, r->n, 0, r->base, r->level, r->ch, r->map))
		return -1;
	return 0;
}

/* Fills *out from the reordered run; cut: the run ends with the "…". */
static int emit(const run *r, size_t nlog, int cut, text_line *out)
{
	size_t drawn = 0;
	for (int i = 0; i < r->n; i++)
		drawn += r->w[i] >= 0;
	out->wc = malloc((drawn + 1) * sizeof *out->wc);
	out->cellx = malloc((drawn + 1) * sizeof *out->cellx);
	out->log2vis = malloc((nlog + 1) * sizeof *out->log2vis);
	if (!out->wc || !out->cellx || !out->log2vis)
		return -1;
	for (size_t s = 0; s <= nlog; s++)
		out->log2vis[s] = INT_MIN;

	int col = 0, ellipsis_x = 0, last_src = -1, end_x = 0;
	size_t m = 0;
	for (int k = 0; k < r->n; k++) {
		int e = r->map[k];
		int w = r->w[e];
		if (w < 0)
			continue;
		/* With FRIBIDI_FLAG_REORDER_NSM a mark follows its base in visual order too. */
		int x = (w == 0 && m > 0) ? out->cellx[m - 1] : col;
		out->wc[m] = (wchar_t)r->ch[k];
		out->cellx[m++] = x;
		col += w;
		size_t s = (size_t)r->src[e];
		if (cut && e == r->n - 1)
			ellipsis_x = x;
		if (out->log2vis[s] == INT_MIN)
			out->log2vis[s] = x;
		if (w > 0 && r->src[e] >= last_src) {
			last_src = r->src[e];
			/* Odd level: the character runs right to left, so its logical end is its left. */
			end_x = (r->bidi && (r->level[k] & 1)) ? x - 1 : x + w;
		}
	}
	out->wc[m] = L'\0';
	out->n = m;
	out->cells = col;
	out->nlog = nlog;
	if (cut)
		out->log2vis[nlog] = ellipsis_x;
	else
		out->log2vis[nlog] = last_src >= 0 ? end_x : 0;
	/* What draws nothing, and what was cut off, takes the place of what follows it. */
	for (size_t s = nlog; s-- > 0;)
		if (out->log2vis[s] == INT_MIN)
			out->log2vis[s] = out->log2vis[s + 1];
	return 0;
}

int text_layout(const char *utf8, int width, int rtl, int bidi, text_line *out)
{
	memset(out, 0, sizeof *out);
	uint32_t *lc;
	size_t nlog;
	if (decode_line(utf8, &lc, &nlog) < 0)
		return -1;

	locale_t old = ctype_enter();
	run r;
	int cut = 0;
	int rc = run_build(&r, lc, nlog, 0, rtl, bidi);
	if (rc == 0 && width > 0 && r.cells > width) {
		cut = 1;
		rc = run_cut(&r, lc, width, rtl, bidi);
	}
	ctype_leave(old);

	if (rc == 0)
		rc = run_reorder(&r);
	if (rc == 0)
		rc = emit(&r, nlog, cut, out);
	if (rc < 0)
		text_line_free(out);
	run_free(&r);
	free(lc);
	return rc;
}

void text_line_free(text_line *l)
{
	free(l->wc);
	free(l->cellx);
	free(l->log2vis);
	memset(l, 0, sizeof *l);
}

int text_cells(const char *utf8, int bidi)
{
	text_line l;
	if (text_layout(utf8, 0, 1, bidi, &l) < 0)
		return -1;
	int cells = l.cells;
	text_line_free(&l);
	return cells;
}

char *text_visual_utf8(const char *utf8, int width, int rtl, int bidi)
{
	text_line l;
	if (text_layout(utf8, width, rtl, bidi, &l) < 0)
		return NULL;
	char *s = malloc(l.n * 4 + 1);
	if (s) {
		size_t o = 0;
		for (size_t i = 0; i < l.n; i++)
			o += text_utf8_encode(l.wc[i], s + o);
		s[o] = '\0';
	}
	text_line_free(&l);
	return s;
}

int text_direction(const char *utf8, int ui_rtl)
{
	if (!utf8)
		return 0;
	size_t n = strlen(utf8);
	int depth = 0, isolated = 0, first = -1, any_rtl = 0;
	for (size_t i = 0; i < n;) {
		wchar_t c;
		int k = text_utf8_decode(utf8 + i, n - i, &c);
		i += k > 0 ? (size_t)k : 1;
		FriBidiCharType t = fribidi_get_bidi_type((FriBidiChar)c);
		if (t == FRIBIDI_TYPE_LRI || t == FRIBIDI_TYPE_RLI || t == FRIBIDI_TYPE_FSI) {
			depth++;
			isolated = 1;
		} else if (t == FRIBIDI_TYPE_PDI) {
			if (depth > 0)
				depth--;
		} else if (depth == 0 && FRIBIDI_IS_LETTER(t)) {
			if (first < 0)
				first = FRIBIDI_IS_RTL(t) ? 1 : 0;
			if (FRIBIDI_IS_RTL(t))
				any_rtl = 1;
		}
	}
	/* an Arabic interface line with Arabic words in it is Arabic, even when
	 * it starts with a key name ("Enter فتح · n جديدة") */
	if (ui_rtl && any_rtl)
		return 1;
	if (first >= 0)
		return first;
	/* only isolated values around neutral glue: the interface's direction;
	 * numbers, dates and hashes alone read left to right in both languages */
	return isolated ? (ui_rtl != 0) : 0;
}

/* characters of a left-to-right token: case numbers, paths, hashes, e-mail,
 * dates, phone numbers */
static int ltr_token_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c && strchr("+/._:@#-%()", c));
}

/* 1 when the character ending just before byte i of s is a letter (of any
 * script) */
static int letter_before(const char *s, size_t i)
{
	size_t k = i - 1;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	wchar_t c;
	if (text_utf8_decode(s + k, i - k, &c) < 0)
		return 0;
	return FRIBIDI_IS_LETTER(fribidi_get_bidi_type((FriBidiChar)c));
}

char *text_isolate_ltr(const char *utf8)
{
	if (!utf8)
		return NULL;
	size_t n = strlen(utf8);
	/* at worst every other byte opens and closes an isolate (3 + 3 bytes) */
	char *out = malloc(n * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)utf8[i];
		if (!ltr_token_char(c) || c == '(' || c == ')') {
			out[o++] = utf8[i++];
			continue;
		}
		/* punctuation glued to the letter before it joins that word, not the
		 * token after it: "ملف-1.txt" keeps its hyphen between ملف and 1.txt */
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) && i > 0 &&
		    letter_before(utf8, i)) {
			out[o++] = utf8[i++];
			continue;
		}
		/* a token: runs of token characters, joined by single spaces between digits */
		size_t j = i, digits = 0, letters = 0;
		for (;;) {
			while (j < n && ltr_token_char((unsigned char)utf8[j]) && utf8[j] != '(' && utf8[j] != ')')
				j++;
			if (j + 1 < n && utf8[j] == ' ' && j > i && utf8[j - 1] >= '0' && utf8[j - 1] <= '9' &&
			    utf8[j + 1] >= '0' && utf8[j + 1] <= '9') {
				j++;
				continue;
			}
			break;
		}
		/* the sentence's punctuation after it stays in the sentence: in
		 * "القضية 2026/TRP/0001: …" the colon follows the number in reading
		 * order, on its left, not inside the isolate on its right */
		while (j > i + 1 && strchr(".,:;", utf8[j - 1]))
			j--;
		for (size_t k = i; k < j; k++) {
			unsigned char d = (unsigned char)utf8[k];
			digits += d >= '0' && d <= '9';
			letters += (d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z');
		}
		/* "n" (a key) or "2026/TRP/0042": worth keeping in one piece when it
		 * mixes digits with anything, or is a word with punctuation */
		int wrap = digits > 0 && (letters > 0 || j - i > digits);
		if (wrap) {
			memcpy(out + o, "\xE2\x81\xA6", 3);   /* LRI */
			o += 3;
		}
		memcpy(out + o, utf8 + i, j - i);
		o += j - i;
		if (wrap) {
			memcpy(out + o, "\xE2\x81\xA9", 3);   /* PDI */
			o += 3;
		}
		i = j;
	}
	out[o] = '\0';
	return out;
}
