/* fold.c — see fold.h. */
#include "fold.h"

#include <stdint.h>
#include <string.h>

/* Decode one UTF-8 sequence at s (n bytes left); returns its length and sets
 * *cp, or returns 1 with *cp = -1 for a byte that starts no valid sequence. */
static size_t utf8_next(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	int32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	if (len > n) {
		*cp = -1;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return len;
}

static void put_utf8(dl_buf *b, int32_t cp)
{
	char t[4];
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, t, 4);
	}
}

/* Base letters of U+00C0–U+00FF; '*' marks the ones spelt with two letters
 * (Æ Þ ß æ þ), ' ' the signs × and ÷. */
static const char latin1_base[] =
	"aaaaaa*ceeeeiiiidnooooo ouuuuy**aaaaaa*ceeeeiiiidnooooo ouuuuy*y";
/* Base letters of Latin Extended-A, U+0100–U+017F (Ĳ and Œ approximated by
 * their first letter: they do not occur in names from the region). */
static const char latin_ext_base[] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj"
	"kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss" "tttttt"
	"uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";
_Static_assert(sizeof latin1_base - 1 == 64, "one base per Latin-1 letter");
_Static_assert(sizeof latin_ext_base - 1 == 128, "one base per Latin Extended-A letter");

/* What a code point folds to: -1 removed, ' ' a separator, else the code
 * point (and for the two-letter Latin ones, *two gets the spelling). */
static int32_t fold_cp(int32_t cp, const char **two)
{
	*two = NULL;
	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))
			return cp;
		if (cp >= 'A' && cp <= 'Z')
			return cp + 32;
		return ' ';
	}
	if (cp >= 0xC0 && cp <= 0xFF) {
		char c = latin1_base[cp - 0xC0];
		if (c == '*') {
			*two = cp == 0xC6 || cp == 0xE6 ? "ae" : cp == 0xDF ? "ss" : "th";
			return 'a';
		}
		return (unsigned char)c;
	}
	if (cp >= 0x100 && cp <= 0x17F)
		return (unsigned char)latin_ext_base[cp - 0x100];
	if (cp >= 0x300 && cp <= 0x36F)      /* combining accents */
		return -1;
	if (cp < 0xC0)                       /* Latin-1 signs: NBSP « » ¿ … */
		return ' ';
	switch (cp) {
	case 0x0623: case 0x0625: case 0x0622: case 0x0671:
		return 0x0627;                   /* hamza forms of alef → alef */
	case 0x0629:
		return 0x0647;                   /* ta marbuta → ha */
	case 0x0649: case 0x06CC:
		return 0x064A;                   /* alef maqsura, Persian yeh → ya */
	case 0x06A9:
		return 0x0643;                   /* Persian keheh → kaf */
	case 0x0640: case 0x0670:
		return -1;                       /* tatweel, superscript alef */
	case 0x060C: case 0x061B: case 0x061F: case 0x06D4:
		return ' ';                      /* Arabic comma, semicolon, question mark, full stop */
	case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F: case 0xFEFF:
	case 0x2060: case 0x061C:
		return -1;                       /* zero-width and direction marks */
	}
	if (cp >= 0x064B && cp <= 0x065F)    /* harakat */
		return -1;
	if (cp >= 0x06D6 && cp <= 0x06ED)    /* Quranic annotation marks */
		return -1;
	if (cp >= 0x0660 && cp <= 0x0669)
		return '0' + (cp - 0x0660);
	if (cp >= 0x06F0 && cp <= 0x06F9)
		return '0' + (cp - 0x06F0);
	if (cp >= 0x066A && cp <= 0x066D)    /* ٪ ٫ ٬ ٭ */
		return ' ';
	if (cp >= 0x2000 && cp <= 0x206F)    /* general punctuation and spaces */
		return ' ';
	if (cp == 0x3000 || (cp >= 0x3001 && cp <= 0x3003))
		return ' ';
	return cp;
}

void fold_text(const char *s, dl_buf *out)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	int space = 1;   /* at the start, or after a separator: no space yet */
	int pending = 0; /* a separator seen since the last letter */
	while (n > 0) {
		int32_t cp;
		size_t len = utf8_next(p, n, &cp);
		p += len;
		n -= len;
		if (cp < 0)
			continue;
		const char *two;
		int32_t f = fold_cp(cp, &two);
		if (f < 0)
			continue;
		if (f == ' ') {
			pending = 1;
			continue;
		}
		if (pending && !space)
			buf_addc(out, ' ');
		pending = 0;
		space = 0;
		if (two)
			buf_adds(out, two);
		else
			put_utf8(out, f);
	}
	if (!out->data)
		buf_adds(out, "");
}

/* ---- transliteration keys ---------------------------------------------- */

#define KEY_MAX 64

/* A key being built: letters appended with doubles collapsed. */
typedef struct key {
	char v[KEY_MAX + 1];
	size_t n;
} key;

static void key_put(key *k, char c)
{
	/* doubled letters are one sound (Mohammed); doubled digits are digits */
	if (k->n > 0 && k->v[k->n - 1] == c && !(c >= '0' && c <= '9'))
		return;
	if (k->n < KEY_MAX)
		k->v[k->n++] = c;
}

/* Append key k (minus a final h) as a word of out. */
static void key_emit(key *k, dl_buf *out)
{
	if (k->n > 1 && k->v[k->n - 1] == 'h')
		k->n--;
	if (k->n == 0)
		return;
	if (out->len > 0 && out->data[out->len - 1] != ' ')
		buf_addc(out, ' ');
	buf_add(out, k->v, k->n);
	k->n = 0;
}

static int latin_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Key of an ASCII word w[0..n) (lower case letters and digits). */
static void latin_key(const char *w, size_t n, key *k)
{
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		char next = i + 1 < n ? w[i + 1] : 0;
		char after = i + 2 < n ? w[i + 2] : 0;
		if (c >= '0' && c <= '9') {
			key_put(k, c);
			continue;
		}
		switch (c) {
		case 'o':
			/* "ou" is the French u; before a vowel it is a w (Oualid, Marouane) */
			if (next == 'u') {
				i++;
				if (latin_vowel(after))
					key_put(k, 'w');
			}
			break;
		case 'a': case 'e': case 'i': case 'u':
			break;
		case 'y': case 'w':
			/* a consonant only at the start or before a vowel (Yahya,
			 * Marwan); else part of a vowel (Fawzi, Heykal) */
			if (i == 0 || latin_vowel(next))
				key_put(k, c);
			break;
		case 's':
			if (next == 'h') {
				key_put(k, 'x');
				i++;
			} else {
				key_put(k, 's');
			}
			break;
		case 'c':
			if (next == 'h') {
				key_put(k, 'x');   /* French ch: Chérif = شريف */
				i++;
			} else if (next == 'k') {
				key_put(k, 'k');
				i++;
			} else if (next == 'e' || next == 'i' || next == 'y') {
				key_put(k, 's');   /* Youcef */
			} else {
				key_put(k, 'k');
			}
			break;
		case 'k': case 't': case 'd': case 'g': case 'p':
			if (next == 'h') {   /* kh th dh gh ph */
				key_put(k, c == 'p' ? 'f' : c == 'd' ? 'd' : c);
				i++;
			} else if (c == 'd' && next == 'j') {
				key_put(k, 'j');   /* Djamel */
				i++;
			} else {
				/* g alone is ج as Egyptians write it (Gamal) */
				key_put(k, c == 'g' ? 'j' : c == 'p' ? 'b' : c);
			}
			break;
		case 'q':
			key_put(k, 'k');
			break;
		case 'v':
			key_put(k, 'f');
			break;
		case 'x':
			key_put(k, 'k');
			key_put(k, 's');
			break;
		default:
			key_put(k, c);
		}
	}
}

/* Key letters of the Arabic consonants U+0621–U+064A (0: a vowel or no
 * sound of its own). و and ي are decided by context in arabic_key. */
static char arabic_letter(int32_t cp)
{
	switch (cp) {
	case 0x0628: case 0x067E: return 'b';             /* ب پ */
	case 0x062A: case 0x062B: case 0x0637: return 't';/* ت ث ط */
	case 0x062C: return 'j';                          /* ج */
	case 0x062D: case 0x0647: return 'h';             /* ح ه */
	case 0x062E: case 0x0642: case 0x0643: return 'k';/* خ ق ك */
	case 0x062F: case 0x0630: case 0x0636: return 'd';/* د ذ ض */
	case 0x0631: return 'r';
	case 0x0632: case 0x0638: return 'z';             /* ز ظ */
	case 0x0633: case 0x0635: return 's';             /* س ص */
	case 0x0634: case 0x0686: return 'x';             /* ش چ */
	case 0x063A: case 0x06AF: return 'g';             /* غ گ */
	case 0x0641: case 0x06A4: return 'f';             /* ف ڤ */
	case 0x0644: return 'l';
	case 0x0645: return 'm';
	case 0x0646: return 'n';
	}
	return 0;   /* ا ع ء ئ ؤ and anything else */
}

/* Key of an Arabic word given as code points. */
static void arabic_key(const int32_t *w, size_t n, key *k)
{
	for (size_t i = 0; i < n; i++) {
		int32_t c = w[i];
		int32_t next = i + 1 < n ? w[i + 1] : 0;
		if (c >= '0' && c <= '9') {
			key_put(k, (char)c);
		} else if (c == 0x0648 || c == 0x064A) {
			/* و ي: consonants at the start or before a long vowel (وليد،
			 * مروان، حياة، يحيى), else the long vowels ū and ī */
			if (i == 0 || next == 0x0627 || next == 0x064A)
				key_put(k, c == 0x0648 ? 'w' : 'y');
		} else if (c >= 'a' && c <= 'z') {
			key_put(k, (char)c);   /* a Latin letter inside an Arabic word: as is */
		} else {
			char l = arabic_letter(c);
			if (l)
				key_put(k, l);
		}
	}
}

#define ALEF 0x0627
#define LAM 0x0644
#define AIN 0x0639
#define BEH 0x0628
#define DAL 0x062F

/* The keys of one folded word w[0..len). */
static void word_keys(const char *w, size_t len, dl_buf *out)
{
	key k = {.n = 0};
	int32_t cps[KEY_MAX * 2];
	size_t n = 0;
	int arabic = 0, latin_only = 1;
	for (size_t i = 0; i < len && n < sizeof cps / sizeof cps[0];) {
		int32_t cp;
		i += utf8_next((const unsigned char *)w + i, len - i, &cp);
		if (cp < 0)
			continue;
		if (cp >= 0x0600 && cp <= 0x06FF)
			arabic = 1;
		else if (cp >= 0x80)
			latin_only = 0;
		cps[n++] = cp;
	}
	if (arabic) {
		size_t from = 0;
		/* عبدال… glued: "bd" and the name after the article */
		if (n > 5 && cps[0] == AIN && cps[1] == BEH && cps[2] == DAL && cps[3] == ALEF &&
		    cps[4] == LAM) {
			key_put(&k, 'b');
			key_put(&k, 'd');
			key_emit(&k, out);
			from = 5;
		} else if (n > 3 && cps[0] == ALEF && cps[1] == LAM) {
			from = 2;   /* the article ال */
		}
		arabic_key(cps + from, n - from, &k);
		key_emit(&k, out);
		return;
	}
	if (!latin_only)
		return;   /* another script: searched as folded text only */
	if ((len == 2 && (memcmp(w, "al", 2) == 0 || memcmp(w, "el", 2) == 0)))
		return;   /* the article as its own word (el-Masri, Abd al-Rahman) */
	if (len > 3 && memcmp(w, "abd", 3) == 0) {
		/* Abdelkader, Abdulrahman, Abderrahmane, Abdallah: "bd", then the
		 * rest without its vowels and the article's l */
		key_put(&k, 'b');
		key_put(&k, 'd');
		key_emit(&k, out);
		size_t i = 3;
		while (i < len && latin_vowel(w[i]))
			i++;
		if (i < len && w[i] == 'l')
			i++;
		latin_key(w + i, len - i, &k);
		key_emit(&k, out);
		return;
	}
	latin_key(w, len, &k);
	key_emit(&k, out);
}

void fold_keys(const char *folded, dl_buf *out)
{
	if (!folded)
		return;
	const char *p = folded;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (e > p)
			word_keys(p, (size_t)(e - p), out);
		p = e;
	}
	if (!out->data)
		buf_adds(out, "");
}
