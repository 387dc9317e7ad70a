/* extract.c — the identifier scanner; see extract.h.
 *
 * Three layers, each a state machine carried across chunks:
 *   bytes → code points (encoding detected on the first DETECT bytes),
 *   code points → code points with HTML entities and JSON escapes decoded,
 *   code points → a window of characters (Arabic-Indic and Persian digits made
 *   ASCII, invisible marks dropped) with the byte offset of each,
 * and the matchers run over the window, anchored on the few characters that
 * can start a token: ASCII letters and digits at a word start, "+", "(", "@",
 * and Arabic letters that begin a cue word. The window keeps LOOKBACK
 * characters behind the scan position (e-mail local parts, cues) and scanning
 * stops LOOKAHEAD characters before its end until the item ends, longer than
 * any token is allowed to be. */
#include "extract.h"
#include "identifier.h"
#include "validate.h"

#include <iconv.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const extract_kind_names[] = {
	"phone", "email", "social", "url", "imei", "btc", "eth", "tron", "iban", NULL,
};

#define DETECT 1024          /* bytes looked at to choose the encoding */
#define WIN 16384            /* characters in the window */
#define LOOKAHEAD 2304       /* > the longest token (URL_MAX) */
#define LOOKBACK 256         /* ≥ an e-mail local part and a cue window */
#define URL_MAX 2000
#define RUN_MAX 64           /* characters of a digit run with separators */
#define WORD_MAX 128
#define CUE_WINDOW 40        /* characters from a cue word's end to a token */

enum { ENC_UNKNOWN, ENC_UTF8, ENC_U16LE, ENC_U16BE, ENC_LEGACY };
enum { ESC_NONE, ESC_AMP, ESC_BSL };
enum { PL_NONE = -1, PL_FACEBOOK, PL_TELEGRAM, PL_WHATSAPP, PL_TIKTOK, PL_INSTAGRAM, PL_SIGNAL };
static const char *const platform_names[] = {
	"facebook", "telegram", "whatsapp", "tiktok", "instagram", "signal",
};

struct extract {
	extract_hit_fn fn;
	void *ctx;
	char cc[4];
	uint16_t legacy[128];        /* code points of bytes 0x80–0xFF */
	unsigned long long total;
	/* encoding */
	int enc;
	unsigned char det[DETECT];
	size_t detn;
	long long off;               /* offset of the next byte */
	int no_offset;
	/* a multi-byte sequence in progress */
	unsigned char seq[4];
	int seqn, seqneed;
	long long seqoff;
	uint32_t seqcp;
	/* an entity or escape in progress */
	int esc;
	uint32_t escc[12];
	long long esco[12];
	int escn;
	/* the window */
	uint16_t c[WIN + 1];
	long long o[WIN + 1];
	size_t n, pos;
	long long base;              /* index of c[0] since the item began */
	long long cue_phone, cue_plat_at, last_nl;   /* ends of the last cues, last newline */
	int cue_plat;
};

/* ---- character classes ---------------------------------------------------- */

enum { C_DIGIT = 1, C_UPPER = 2, C_LOWER = 4, C_LOCAL = 8, C_URL = 16, C_HEX = 32, C_HANDLE = 64 };
static unsigned char cls[128];

static void cls_init(void)
{
	static int done;
	if (done)
		return;
	for (int ch = 0; ch < 128; ch++) {
		unsigned char v = 0;
		if (ch >= '0' && ch <= '9')
			v |= C_DIGIT | C_LOCAL | C_HEX | C_HANDLE;
		if (ch >= 'A' && ch <= 'Z')
			v |= C_UPPER | C_LOCAL | C_HANDLE;
		if (ch >= 'a' && ch <= 'z')
			v |= C_LOWER | C_LOCAL | C_HANDLE;
		if ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))
			v |= C_HEX;
		if (ch && strchr("._%+-", ch))
			v |= C_LOCAL;
		if (ch && strchr("._", ch))
			v |= C_HANDLE;
		if (ch > 32 && ch < 127 && !strchr("<>\"'`{}|\\^", ch))
			v |= C_URL;
		cls[ch] = v;
	}
	done = 1;
}

static inline int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static inline int is_alnum(uint32_t c) { return c < 128 && (cls[c] & (C_DIGIT | C_UPPER | C_LOWER)); }
static inline int is_word(uint32_t c) { return is_alnum(c) || c == '_'; }
static inline int has(uint32_t c, int k) { return c < 128 && (cls[c] & k); }
static inline uint32_t low(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* ---- the scanner's life --------------------------------------------------- */

/* CP1256, used until a code page is set and when iconv is missing. */
static const uint16_t cp1256[128] = {
	0x20AC, 0x067E, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0679, 0x2039, 0x0152, 0x0686, 0x0698, 0x0688,
	0x06AF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x06A9, 0x2122, 0x0691, 0x203A, 0x0153, 0x200C, 0x200D, 0x06BA,
	0x00A0, 0x060C, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x06BE, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x061B, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x061F,
	0x06C1, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627, 0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F,
	0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x00D7, 0x0637, 0x0638, 0x0639, 0x063A, 0x0640, 0x0641, 0x0642, 0x0643,
	0x00E0, 0x0644, 0x00E2, 0x0645, 0x0646, 0x0647, 0x0648, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0649, 0x064A, 0x00EE, 0x00EF,
	0x064B, 0x064C, 0x064D, 0x064E, 0x00F4, 0x064F, 0x0650, 0x00F7, 0x0651, 0x00F9, 0x0652, 0x00FB, 0x00FC, 0x200E, 0x200F, 0x06D2,
};

static void item_reset(extract *x)
{
	x->enc = ENC_UNKNOWN;
	x->detn = 0;
	x->off = 0;
	x->seqn = x->seqneed = 0;
	x->esc = ESC_NONE;
	x->escn = 0;
	x->n = x->pos = 0;
	x->base = 0;
	x->cue_phone = x->cue_plat_at = -1000000;
	x->last_nl = -1;
	x->cue_plat = PL_NONE;
}

extract *extract_new(const char *default_cc, extract_hit_fn fn, void *ctx)
{
	cls_init();
	extract *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->fn = fn;
	x->ctx = ctx;
	snprintf(x->cc, sizeof x->cc, "%s", default_cc && *default_cc == '+' ? default_cc + 1
	                                    : default_cc ? default_cc : "");
	memcpy(x->legacy, cp1256, sizeof x->legacy);
	item_reset(x);
	return x;
}

int extract_set_codepage(extract *x, const char *codepage)
{
	if (!codepage || !*codepage)
		return -1;
	iconv_t cd = iconv_open("UTF-32LE", codepage);
	if (cd == (iconv_t)-1)
		return -1;
	uint16_t t[128];
	for (int b = 0; b < 128; b++) {
		char in[1] = {(char)(0x80 + b)};
		unsigned char out[4] = {0};
		char *ip = in, *op = (char *)out;
		size_t il = 1, ol = 4;
		iconv(cd, NULL, NULL, NULL, NULL);
		uint32_t cp = 0xFFFD;
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0)
			cp = (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
		t[b] = cp > 0xFFFF ? 0xFFFD : (uint16_t)cp;
	}
	iconv_close(cd);
	memcpy(x->legacy, t, sizeof t);
	return 0;
}

void extract_reset(extract *x)
{
	item_reset(x);
}

void extract_free(extract **x)
{
	free(*x);
	*x = NULL;
}

unsigned long long extract_bytes(const extract *x)
{
	return x->total;
}

/* ---- reporting ------------------------------------------------------------ */

static void hit(extract *x, extract_kind k, const char *v, size_t at)
{
	x->fn(x->ctx, k, v, x->no_offset ? -1 : x->o[at]);
}

/* The characters [a, b) of the window as ASCII into out (non-ASCII as
 * spaces); 0, or -1 when too long. */
static int ascii(const extract *x, size_t a, size_t b, char *out, size_t outsz)
{
	if (b - a >= outsz)
		return -1;
	for (size_t i = a; i < b; i++)
		out[i - a] = x->c[i] < 128 ? (char)x->c[i] : ' ';
	out[b - a] = '\0';
	return 0;
}

/* 1 when the last cue of phone numbers ends close before index at, on the same line. */
static int phone_cued(const extract *x, size_t at)
{
	long long a = x->base + (long long)at;
	return a - x->cue_phone <= CUE_WINDOW && x->last_nl < x->cue_phone;
}

static int platform_cued(const extract *x, size_t at)
{
	long long a = x->base + (long long)at;
	return x->cue_plat != PL_NONE && a - x->cue_plat_at <= CUE_WINDOW && x->last_nl < x->cue_plat_at;
}

/* ---- phone numbers and IMEIs ---------------------------------------------- */

typedef struct group {
	size_t s, e;          /* digits [s, e) */
	size_t from, to;      /* with a "(" before and ")" after */
	uint32_t sep;         /* separator before it, 0 for the first */
} group;

#define MAXG 16

static int luhn(const char *d, size_t n)
{
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(d[n - 1 - i] - '0');
		if (i & 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

/* Three groups that read as a date: 2024-03-12, 12.03.2024, 1-3-2024. */
static int date_at(const group *g, size_t k)
{
	if (g[k + 1].sep != g[k + 2].sep || (g[k + 1].sep != '-' && g[k + 1].sep != '.'))
		return 0;
	size_t a = g[k].e - g[k].s, b = g[k + 1].e - g[k + 1].s, c = g[k + 2].e - g[k + 2].s;
	return (a == 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && c == 4);
}

/* A span of groups [s, e] as a phone number or an IMEI. Returns 1 when it
 * was one (and reported). */
static int classify(extract *x, const group *g, size_t s, size_t e, int plus, size_t start)
{
	char d[24];
	size_t n = 0;
	for (size_t k = s; k <= e; k++)
		for (size_t i = g[k].s; i < g[k].e; i++) {
			if (n >= 20)
				return 0;
			d[n++] = (char)x->c[i];
		}
	d[n] = '\0';
	if (n < 8 || n > 17)
		return 0;
	for (size_t k = s; k + 2 <= e; k++)
		if (date_at(g, k))
			return 0;
	/* four short groups joined by dots: an IPv4 address or a version */
	if (e - s == 3 && g[s + 1].sep == '.' && g[s + 2].sep == '.' && g[s + 3].sep == '.')
		return 0;
	/* two groups of one digit: section numbers, lists of small numbers; a
	 * written number has at most one (+33 6 12 34 56 78, 35 209900 176148 1) */
	size_t singles = 0;
	for (size_t k = s; k <= e; k++)
		singles += g[k].e - g[k].s == 1;
	if (singles > 1)
		return 0;
	char out[DL_IDENT_MAX];
	if (!plus && n == 15 && !(d[0] == '0' && d[1] == '0') && luhn(d, n)) {
		if (val_imei("imei", d, out, NULL) == DL_OK) {
			hit(x, EX_IMEI, out, start);
			return 1;
		}
		return 0;
	}
	int strong = 0, cued = phone_cued(x, start);
	const char *cc = x->cc;
	if (plus) {
		strong = 1;
	} else if (d[0] == '0' && d[1] == '0') {
		strong = !memcmp(d + 2, "218", 3) || !memcmp(d + 2, "20", 2) || !memcmp(d + 2, "212", 3) ||
		         !memcmp(d + 2, "216", 3);
	} else if (d[0] == '0') {
		/* mobiles: their shape says the country whatever the unit's */
		if (n == 10 && d[1] == '9' && d[2] >= '1' && d[2] <= '6') {
			strong = 1;
			cc = "218";
		} else if (n == 10 && (d[1] == '6' || d[1] == '7')) {
			strong = 1;
			cc = "212";
		} else if (n == 11 && d[1] == '1' && strchr("0125", d[2])) {
			strong = 1;
		}
	} else if (n == 8) {
		cc = "216";
	} else {
		/* the country code without "+", as WhatsApp shows numbers: only
		 * mobiles alone, written in one piece */
		strong = s == e && ((n == 12 && !memcmp(d, "2189", 4) && d[4] >= '1' && d[4] <= '6') ||
		         (n == 12 && !memcmp(d, "201", 3) && strchr("0125", d[3])) ||
		         (n == 12 && !memcmp(d, "212", 3) && (d[3] == '6' || d[3] == '7')) ||
		         (n == 11 && !memcmp(d, "216", 3) && d[3] >= '2'));
	}
	if (!strong && !cued)
		return 0;
	char txt[RUN_MAX + 2];
	size_t a = g[s].from, b = g[e].to;
	if (plus)
		a = start;
	if (ascii(x, a, b, txt, sizeof txt) != 0)
		return 0;
	if (val_phone("phone", txt, cc, out, NULL) != DL_OK)
		return 0;
	hit(x, EX_PHONE, out, start);
	return 1;
}

/* A run of digit groups from i ("+", "(" or a digit at a word start). */
static size_t digit_run(extract *x, size_t i)
{
	size_t p = i, n = x->n;
	int plus = 0;
	if (x->c[p] == '+') {
		plus = 1;
		p++;
	}
	group g[MAXG];
	size_t ng = 0;
	uint32_t sep = 0;
	int overflow = 0;
	for (;;) {
		group *gr = &g[ng];
		gr->from = p;
		gr->sep = sep;
		int paren = 0;
		if (p < n && x->c[p] == '(' && p + 1 < n && is_digit(x->c[p + 1])) {
			paren = 1;
			p++;
		}
		gr->s = p;
		while (p < n && is_digit(x->c[p]) && p - i < RUN_MAX)
			p++;
		gr->e = p;
		if (paren && p < n && x->c[p] == ')')
			p++;
		gr->to = p;
		if (gr->e == gr->s)
			break;
		ng++;
		if (p - i >= RUN_MAX || ng == MAXG) {
			overflow = 1;
			break;
		}
		/* one separator, then a digit (or "(digit") */
		if (p + 1 < n && (x->c[p] == ' ' || x->c[p] == '-' || x->c[p] == '.' || x->c[p] == '(') &&
		    (is_digit(x->c[p + 1]) || (x->c[p + 1] == '(' && p + 2 < n && is_digit(x->c[p + 2])))) {
			sep = x->c[p];
			if (sep != '(')
				p++;
			else
				sep = ' ';
			continue;
		}
		break;
	}
	if (overflow || ng == 0) {
		/* bounded from i, so that where it stops does not depend on the window */
		while (p < n && p - i < 1024 && (is_digit(x->c[p]) || x->c[p] == ' ' || x->c[p] == '-' || x->c[p] == '.'))
			p++;
		return p > i ? p : i + 1;
	}
	size_t end = g[ng - 1].to;
	/* What touches the run: a number continuing (1,234 / 12:30 / 3/4), a
	 * word, an address. Such an end group never starts or ends a number. */
	int taint_first = 0, taint_last = 0;
	size_t first_len = g[0].e - g[0].s, last_len = g[ng - 1].e - g[ng - 1].s;
	if (i > 0) {
		uint32_t b = x->c[i - 1];
		int digit_before = i > 1 && is_digit(x->c[i - 2]);
		if (b == '/' || b == '=' || b == '#' || b == '&' || b == '$' || b == 0x20AC)
			taint_first = 1;
		else if (digit_before && (b == '.' || b == '-' || (b == ':' && first_len <= 2) ||
		                          (b == ',' && first_len == 3)))
			taint_first = 1;
	}
	if (end < n) {
		uint32_t a = x->c[end];
		int digit_after = end + 1 < n && is_digit(x->c[end + 1]);
		if (is_word(a) || a == '@' || a == '%' || a == '/')
			taint_last = 1;
		else if (digit_after && (a == ':' || a == '.' || (a == ',' && last_len <= 3)))
			taint_last = 1;
	}
	size_t next = 0;
	for (size_t s = 0; s < ng; s++) {
		if (s < next)
			continue;
		if (s == 0 ? taint_first : g[s].sep != ' ')
			continue;
		for (size_t e = ng; e-- > s;) {
			if (e == ng - 1 ? taint_last : g[e + 1].sep != ' ')
				continue;
			if (classify(x, g, s, e, plus && s == 0, s == 0 ? i : g[s].from)) {
				next = e + 1;
				break;
			}
		}
	}
	return end;
}

/* ---- URLs and social handles ---------------------------------------------- */

static int seg_is(const char *seg, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !strncmp(seg, list[i], n))
			return 1;
	return 0;
}

/* The handle a profile link names, from the path after the host ("name",
 * "@name", "profile.php?id=123", "#p/+218…"), reported as platform:handle. */
static void social_path(extract *x, int pl, const char *path, size_t start)
{
	static const char *const fb_skip[] = {
		"sharer", "sharer.php", "share", "share.php", "groups", "pages", "events", "watch", "login",
		"login.php", "photo.php", "story.php", "permalink.php", "hashtag", "home.php", "dialog",
		"plugins", "tr", "people", "public", "help", "policies", "privacy", "marketplace", "gaming",
		"reel", "reels", "stories", "l.php", "photo", "photos", "video", "videos", "messages",
		"notifications", "friends", "search", "settings", "business", "ads", "media", "profile.php", NULL,
	};
	static const char *const tg_skip[] = {"joinchat", "s", "share", "addstickers", "c", "iv", "proxy",
	                                      "socks", "addlist", "login", NULL};
	static const char *const ig_skip[] = {"p", "reel", "reels", "explore", "stories", "accounts", "tv",
	                                      "direct", "about", "legal", "developer", NULL};
	char h[80], out[DL_IDENT_MAX];
	size_t n = 0;
	const char *p = path;
	if (pl == PL_SIGNAL) {
		if (strncmp(p, "#p/+", 4) != 0)
			return;
		p += 3;
		h[n++] = *p++;
		while (is_digit((unsigned char)*p) && n < 20)
			h[n++] = *p++;
	} else if (pl == PL_WHATSAPP) {
		if (*p == '+')
			p++;
		h[n++] = '+';
		while (is_digit((unsigned char)*p) && n < 20)
			h[n++] = *p++;
		if (*p && *p != '/' && *p != '?' && *p != '#')
			return;
	} else {
		if (pl == PL_TIKTOK) {
			if (*p != '@')
				return;
			p++;
		}
		const char *seg = p;
		while (*p && *p != '/' && *p != '?' && *p != '#')
			p++;
		size_t sn = (size_t)(p - seg);
		if (pl == PL_FACEBOOK && sn == 11 && !strncmp(seg, "profile.php", 11) && *p == '?') {
			const char *id = strstr(p, "id=");
			if (!id || (id[-1] != '?' && id[-1] != '&'))
				return;
			for (id += 3; is_digit((unsigned char)*id) && n < 30; id++)
				h[n++] = *id;
		} else {
			if ((pl == PL_FACEBOOK && seg_is(seg, sn, fb_skip)) ||
			    (pl == PL_TELEGRAM && seg_is(seg, sn, tg_skip)) ||
			    (pl == PL_INSTAGRAM && seg_is(seg, sn, ig_skip)))
				return;
			if (sn == 0 || sn >= sizeof h - 1)
				return;
			for (size_t i = 0; i < sn; i++) {
				unsigned char ch = (unsigned char)seg[i];
				if (!has(ch, C_HANDLE) || (pl == PL_TELEGRAM && ch == '.'))
					return;
				h[n++] = (char)ch;
			}
			if (pl == PL_TELEGRAM && sn < 4)
				return;
		}
	}
	h[n] = '\0';
	if (n == 0 || (h[0] == '+' && n < 9))
		return;
	if (val_social("social", platform_names[pl], h, x->cc, out, sizeof out, NULL) == DL_OK)
		hit(x, EX_SOCIAL, out, start);
	if (pl == PL_WHATSAPP && val_phone("phone", h, x->cc, out, NULL) == DL_OK)
		hit(x, EX_PHONE, out, start);
}

/* The platform of a host (www., m., web. and mobile. ignored) and where its
 * profile paths start ("@" for TikTok, "#p/" for Signal), or PL_NONE. */
static int platform_host(const char *h, size_t n)
{
	static const struct { const char *host; int pl; } hosts[] = {
		{"facebook.com", PL_FACEBOOK}, {"fb.com", PL_FACEBOOK}, {"fb.me", PL_FACEBOOK},
		{"t.me", PL_TELEGRAM}, {"telegram.me", PL_TELEGRAM}, {"telegram.dog", PL_TELEGRAM},
		{"wa.me", PL_WHATSAPP}, {"tiktok.com", PL_TIKTOK}, {"instagram.com", PL_INSTAGRAM},
		{"signal.me", PL_SIGNAL},
	};
	static const char *const sub[] = {"www.", "m.", "web.", "mobile.", NULL};
	for (size_t i = 0; sub[i]; i++) {
		size_t k = strlen(sub[i]);
		if (n > k && !strncmp(h, sub[i], k)) {
			h += k;
			n -= k;
			break;
		}
	}
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
		if (strlen(hosts[i].host) == n && !strncmp(h, hosts[i].host, n))
			return hosts[i].pl;
	return PL_NONE;
}

/* The URL characters from i; the end with trailing punctuation left out, or
 * 0 when longer than URL_MAX. */
static size_t url_end(const extract *x, size_t i)
{
	size_t p = i, n = x->n;
	int open = 0;
	while (p < n && has(x->c[p], C_URL)) {
		if (x->c[p] == '(')
			open++;
		else if (x->c[p] == ')' && --open < 0)
			break;
		if (p - i > URL_MAX)
			return 0;
		p++;
	}
	while (p > i && strchr(".,;:!?*]}'", (int)x->c[p - 1]))
		p--;
	return p;
}

/* host (lower-cased) and the rest of an URL text without its scheme. */
static void split_host(const char *u, char *host, size_t hostsz, const char **rest)
{
	size_t k = 0;
	const char *p = u;
	while (*p && *p != '/' && *p != '?' && *p != '#' && *p != ':' && k + 1 < hostsz)
		host[k++] = (char)low((unsigned char)*p++);
	host[k] = '\0';
	while (*p && *p != '/' && *p != '?' && *p != '#')
		p++;          /* a port */
	*rest = p;
}

/* "http://…" or "https://…" starting at i (the scheme's word ends at j). */
static size_t url_at(extract *x, size_t i, size_t j)
{
	size_t e = url_end(x, i);
	if (e <= j + 3)
		return j + 3;
	char u[URL_MAX + 8], out[DL_IDENT_MAX];
	if (ascii(x, i, e, u, sizeof u) != 0)
		return e;
	if (val_url("url", u, out, sizeof out, NULL) != DL_OK)
		return e;
	hit(x, EX_URL, out, i);
	char host[128];
	const char *rest;
	split_host(u + (j - i) + 3, host, sizeof host, &rest);
	int pl = platform_host(host, strlen(host));
	if (pl != PL_NONE && *rest == '/')
		social_path(x, pl, rest + 1, i);
	return e;
}

/* "t.me/name", "facebook.com/name"… without a scheme, at the word start i. */
static size_t bare_social(extract *x, size_t i)
{
	size_t e = url_end(x, i);
	if (e == 0)
		return 0;
	char u[URL_MAX + 8];
	if (e - i < 6 || ascii(x, i, e, u, sizeof u) != 0)
		return 0;
	char host[128];
	const char *rest;
	split_host(u, host, sizeof host, &rest);
	int pl = platform_host(host, strlen(host));
	if (pl == PL_NONE || *rest != '/')
		return 0;
	social_path(x, pl, rest + 1, i);
	return e;
}

/* ---- e-mails and @handles --------------------------------------------------- */

static size_t at_sign(extract *x, size_t i)
{
	size_t n = x->n;
	size_t k = i;
	while (k > 0 && has(x->c[k - 1], C_LOCAL) && i - k <= 64)
		k--;
	if (i - k > 64)
		return i + 1;
	while (k < i && (x->c[k] == '.' || x->c[k] == '+' || x->c[k] == '-'))
		k++;
	if (k < i) {
		/* domain: labels of letters, digits and hyphens joined by dots */
		size_t p = i + 1, dots = 0, last = p;
		while (p < n && p - i < 255 && (is_alnum(x->c[p]) || x->c[p] == '-' ||
		                                (x->c[p] == '.' && p + 1 < n && is_alnum(x->c[p + 1]) &&
		                                 is_alnum(x->c[p - 1])))) {
			if (x->c[p] == '.') {
				dots++;
				last = p + 1;
			}
			p++;
		}
		while (p > i + 1 && x->c[p - 1] == '-')
			p--;
		int tld = dots > 0 && p - last >= 2;
		for (size_t t = last; tld && t < p; t++)
			tld = has(x->c[t], C_UPPER | C_LOWER);
		if (!tld)
			return i + 1;
		char e[340], out[DL_IDENT_MAX];
		if (ascii(x, k, p, e, sizeof e) == 0 && val_email("email", e, out, sizeof out, NULL) == DL_OK)
			hit(x, EX_EMAIL, out, k);
		return p;
	}
	if (!platform_cued(x, i))
		return i + 1;
	size_t p = i + 1;
	while (p < n && has(x->c[p], C_HANDLE) && p - i <= 64)
		p++;
	while (p > i + 1 && x->c[p - 1] == '.')
		p--;
	if (p == i + 1 || p - i > 64 || (p < n && (x->c[p] == '@' || is_word(x->c[p]))))
		return p;
	char h[80], out[DL_IDENT_MAX];
	if (ascii(x, i, p, h, sizeof h) == 0 &&
	    val_social("social", platform_names[x->cue_plat], h, x->cc, out, sizeof out, NULL) == DL_OK)
		hit(x, EX_SOCIAL, out, i);
	return p;
}

/* ---- cue words -------------------------------------------------------------- */

typedef struct cue {
	uint16_t w[12];
	int pl;               /* PL_NONE: a cue of phone numbers */
} cue;

/* Arabic cue words, found anywhere in a word (with ال, و, ب before them). */
static const cue arabic_cues[] = {
	{{0x0647, 0x0627, 0x062A, 0x0641}, PL_NONE},                        /* هاتف */
	{{0x062C, 0x0648, 0x0627, 0x0644}, PL_NONE},                        /* جوال */
	{{0x0645, 0x0648, 0x0628, 0x0627, 0x064A, 0x0644}, PL_NONE},        /* موبايل */
	{{0x0648, 0x0627, 0x062A, 0x0633}, PL_WHATSAPP},                    /* واتس(اب) */
	{{0x0631, 0x0642, 0x0645}, PL_NONE},                                /* رقم */
	{{0x062A, 0x0644, 0x0641, 0x0648, 0x0646}, PL_NONE},                /* تلفون */
	{{0x062A, 0x0644, 0x064A, 0x0641, 0x0648, 0x0646}, PL_NONE},        /* تليفون */
	{{0x062A, 0x0644, 0x063A, 0x0631, 0x0627, 0x0645}, PL_TELEGRAM},    /* تلغرام */
	{{0x062A, 0x0644, 0x062C, 0x0631, 0x0627, 0x0645}, PL_TELEGRAM},    /* تلجرام */
	{{0x062A, 0x064A, 0x0644, 0x064A, 0x062C, 0x0631, 0x0627, 0x0645}, PL_TELEGRAM}, /* تيليجرام */
	{{0x062A, 0x064A, 0x0644, 0x064A, 0x063A, 0x0631, 0x0627, 0x0645}, PL_TELEGRAM}, /* تيليغرام */
	{{0x0627, 0x0646, 0x0633, 0x062A, 0x063A, 0x0631, 0x0627, 0x0645}, PL_INSTAGRAM}, /* انستغرام */
	{{0x0627, 0x0646, 0x0633, 0x062A, 0x062C, 0x0631, 0x0627, 0x0645}, PL_INSTAGRAM}, /* انستجرام */
	{{0x0625, 0x0646, 0x0633, 0x062A, 0x063A, 0x0631, 0x0627, 0x0645}, PL_INSTAGRAM}, /* إنستغرام */
	{{0x0641, 0x064A, 0x0633, 0x0628, 0x0648, 0x0643}, PL_FACEBOOK},    /* فيسبوك */
	{{0x0641, 0x064A, 0x0633, 0x0020, 0x0628, 0x0648, 0x0643}, PL_FACEBOOK}, /* فيس بوك */
	{{0x062A, 0x064A, 0x0643, 0x0020, 0x062A, 0x0648, 0x0643}, PL_TIKTOK},   /* تيك توك */
	{{0x062A, 0x064A, 0x0643, 0x062A, 0x0648, 0x0643}, PL_TIKTOK},      /* تيكتوك */
	{{0x0633, 0x064A, 0x062C, 0x0646, 0x0627, 0x0644}, PL_SIGNAL},      /* سيجنال */
	{{0x0633, 0x064A, 0x063A, 0x0646, 0x0627, 0x0644}, PL_SIGNAL},      /* سيغنال */
};

static const struct { const char *w; int pl; int phone; } latin_cues[] = {
	{"tel", PL_NONE, 1}, {"tele", PL_NONE, 1}, {"telephone", PL_NONE, 1}, {"phone", PL_NONE, 1},
	{"mobile", PL_NONE, 1}, {"mob", PL_NONE, 1}, {"cell", PL_NONE, 1}, {"gsm", PL_NONE, 1},
	{"whatsapp", PL_WHATSAPP, 1}, {"telegram", PL_TELEGRAM, 0}, {"instagram", PL_INSTAGRAM, 0},
	{"insta", PL_INSTAGRAM, 0}, {"facebook", PL_FACEBOOK, 0}, {"fb", PL_FACEBOOK, 0},
	{"tiktok", PL_TIKTOK, 0}, {"signal", PL_SIGNAL, 1},
};

static void set_cue(extract *x, int pl, int phone, size_t end)
{
	long long a = x->base + (long long)end;
	if (phone)
		x->cue_phone = a;
	if (pl != PL_NONE && pl != PL_WHATSAPP) {
		x->cue_plat = pl;
		x->cue_plat_at = a;
	}
}

/* Arabic letters at i: a cue word starting there? Returns the index after it, or i + 1. */
static size_t arabic_cue(extract *x, size_t i)
{
	uint16_t c0 = x->c[i];
	for (size_t k = 0; k < sizeof arabic_cues / sizeof arabic_cues[0]; k++) {
		const uint16_t *w = arabic_cues[k].w;
		if (w[0] != c0)
			continue;
		size_t m = 1;
		while (m < 12 && w[m] && i + m < x->n && x->c[i + m] == w[m])
			m++;
		if (m < 12 && w[m])
			continue;
		int pl = arabic_cues[k].pl;
		set_cue(x, pl, pl == PL_NONE || pl == PL_WHATSAPP || pl == PL_SIGNAL, i + m);
		return i + m;
	}
	return i + 1;
}

static int arabic_cue_start(uint32_t c)
{
	/* ه ج م و ر ت ا إ ف س */
	return c == 0x0647 || c == 0x062C || c == 0x0645 || c == 0x0648 || c == 0x0631 ||
	       c == 0x062A || c == 0x0627 || c == 0x0625 || c == 0x0641 || c == 0x0633;
}

/* ---- words: wallets, IBANs, URLs, Latin cues ---------------------------- */

static size_t iban_at(extract *x, size_t i, size_t j)
{
	/* one word, or groups of four separated by single spaces */
	size_t e = j;
	size_t gl = j - i;
	size_t ends[10];
	int ng = 0;
	ends[ng++] = e;
	while (gl == 4 && e + 1 < x->n && x->c[e] == ' ' && has(x->c[e + 1], C_UPPER | C_DIGIT) && ng < 9) {
		size_t p = e + 1;
		while (p < x->n && has(x->c[p], C_UPPER | C_DIGIT) && p - e <= 5)
			p++;
		if (p - e - 1 > 4 || (p < x->n && is_word(x->c[p])))
			break;
		gl = p - e - 1;
		e = p;
		ends[ng++] = e;
	}
	for (int t = ng; t-- > 0 && t >= ng - 2;) {
		char v[80], out[40];
		size_t m = 0;
		for (size_t p = i; p < ends[t] && m < 40; p++)
			if (x->c[p] != ' ')
				v[m++] = (char)x->c[p];
		if (m < 15 || m > 34)
			continue;
		v[m] = '\0';
		if (val_iban("iban", v, out, NULL) == DL_OK) {
			hit(x, EX_IBAN, out, i);
			return ends[t];
		}
	}
	return j;
}

static size_t word_at(extract *x, size_t i)
{
	size_t n = x->n, j = i;
	int letters = 0, hex = 1;
	while (j < n && is_alnum(x->c[j]) && j - i < WORD_MAX) {
		letters |= !is_digit(x->c[j]);
		hex &= has(x->c[j], C_HEX) != 0;
		j++;
	}
	if (j - i >= WORD_MAX) {
		while (j < n && j - i < 1024 && is_alnum(x->c[j]))
			j++;
		return j;
	}
	if (!letters)
		return digit_run(x, i);
	size_t len = j - i;
	uint32_t c0 = x->c[i];
	char w[WORD_MAX + 1], out[DL_IDENT_MAX];
	ascii(x, i, j, w, sizeof w);
	int sep_after = j < n && x->c[j] == '_';
	if (sep_after)
		return j;
	if ((len == 4 || len == 5) && j + 2 < n && x->c[j] == ':' && x->c[j + 1] == '/' &&
	    x->c[j + 2] == '/' && !strncasecmp(w, len == 4 ? "http" : "https", len))
		return url_at(x, i, j);
	if (j < n && x->c[j] == '.') {
		size_t e = bare_social(x, i);
		if (e)
			return e;
	}
	if (len == 42 && c0 == '0' && low(x->c[i + 1]) == 'x') {
		int ok = 1;
		for (size_t k = i + 2; k < j && ok; k++)
			ok = has(x->c[k], C_HEX) != 0;
		if (ok && val_eth("eth", w, out, sizeof out, NULL) == DL_OK)
			hit(x, EX_ETH, out, i);
		return j;
	}
	if (hex && (len == 32 || len == 40 || len == 64 || len == 128))
		return j;                     /* a digest, whatever else it looks like */
	if ((c0 == '1' || c0 == '3') && len >= 26 && len <= 35) {
		if (val_btc("btc", w, out, sizeof out, NULL) == DL_OK)
			hit(x, EX_BTC, out, i);
		return j;
	}
	if (len >= 14 && len <= 90 && low(c0) == 'b' && low(w[1]) == 'c' && w[2] == '1') {
		if (val_btc("btc", w, out, sizeof out, NULL) == DL_OK)
			hit(x, EX_BTC, out, i);
		return j;
	}
	if (c0 == 'T' && len == 34) {
		if (val_tron("tron", w, out, sizeof out, NULL) == DL_OK)
			hit(x, EX_TRON, out, i);
		return j;
	}
	if (len >= 4 && has(c0, C_UPPER) && has(x->c[i + 1], C_UPPER) && is_digit(x->c[i + 2]) &&
	    is_digit(x->c[i + 3])) {
		int upper = 1;
		for (size_t k = i; k < j && upper; k++)
			upper = has(x->c[k], C_UPPER | C_DIGIT) != 0;
		if (upper && (len == 4 || (len >= 15 && len <= 34)))
			return iban_at(x, i, j);
		return j;
	}
	if (len <= 9) {
		for (size_t k = 0; k < len; k++)
			w[k] = (char)low((unsigned char)w[k]);
		for (size_t k = 0; k < sizeof latin_cues / sizeof latin_cues[0]; k++)
			if (!strcmp(w, latin_cues[k].w)) {
				set_cue(x, latin_cues[k].pl, latin_cues[k].phone, j);
				break;
			}
	}
	return j;
}

/* ---- the scan loop ---------------------------------------------------------- */

static void scan(extract *x, int final)
{
	size_t limit = final ? x->n : x->n > LOOKAHEAD ? x->n - LOOKAHEAD : 0;
	size_t i = x->pos;
	const uint16_t *c = x->c;
	while (i < limit) {
		uint32_t ch = c[i];
		if (ch < 128) {
			if (is_alnum(ch)) {
				if (i > 0 && is_word(c[i - 1])) {
					while (i < x->n && is_alnum(c[i]))
						i++;
				} else {
					i = word_at(x, i);
				}
				continue;
			}
			switch (ch) {
			case '\n':
				x->last_nl = x->base + (long long)i;
				i++;
				break;
			case '+':
			case '(':
				if (i + 1 < x->n && is_digit(c[i + 1]) && !(i > 0 && is_word(c[i - 1])))
					i = digit_run(x, i);
				else
					i++;
				break;
			case '@':
				i = at_sign(x, i);
				break;
			default:
				i++;
			}
			continue;
		}
		if (ch >= 0x0625 && ch <= 0x0648 && arabic_cue_start(ch))
			i = arabic_cue(x, i);
		else
			i++;
	}
	x->pos = i;
	if (final) {
		x->n = x->pos = 0;
		return;
	}
	/* slide: keep LOOKBACK characters behind the scan position */
	size_t keep_from = x->pos > LOOKBACK ? x->pos - LOOKBACK : 0;
	if (keep_from > 0) {
		memmove(x->c, x->c + keep_from, (x->n - keep_from) * sizeof x->c[0]);
		memmove(x->o, x->o + keep_from, (x->n - keep_from) * sizeof x->o[0]);
		x->n -= keep_from;
		x->pos -= keep_from;
		x->base += (long long)keep_from;
	}
}

/* A decoded character into the window. */
static inline void put(extract *x, uint32_t cp, long long off)
{
	if (cp >= 0x0660) {
		if (cp <= 0x0669)
			cp = '0' + (cp - 0x0660);
		else if (cp >= 0x06F0 && cp <= 0x06F9)
			cp = '0' + (cp - 0x06F0);
		/* marks that RTL text drags along: dropped, they never separate */
		else if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
		         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
			return;
		else if (cp == 0x202F || cp == 0x2007 || cp == 0x2009)
			cp = ' ';
		else if (cp > 0xFFFF)
			cp = 0xFFFD;
	} else if (cp == 0xA0) {
		cp = ' ';
	} else if (cp == 0x061C) {
		return;
	} else if (cp == 0) {
		cp = ' ';
	}
	x->c[x->n] = (uint16_t)cp;
	x->o[x->n] = off;
	if (++x->n == WIN)
		scan(x, 0);
}

/* ---- entities and escapes --------------------------------------------------- */

static int hexv(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	c = low(c);
	return c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* The pending "&…" or "\…": -1 not (any longer) one, 0 incomplete, else the
 * code point + 1. */
static long esc_check(const extract *x)
{
	const uint32_t *e = x->escc;
	int n = x->escn;
	uint32_t last = e[n - 1];
	if (x->esc == ESC_BSL) {
		if (n == 2) {
			switch (last) {
			case 'u': return 0;
			case '/': return '/' + 1;
			case '"': return '"' + 1;
			case '\\': return '\\' + 1;
			case 'n': case 'r': return '\n' + 1;
			case 't': return '\t' + 1;
			default: return -1;
			}
		}
		if (hexv(last) < 0)
			return -1;
		if (n < 6)
			return 0;
		long v = 0;
		for (int i = 2; i < 6; i++)
			v = v * 16 + hexv(e[i]);
		return v + 1;
	}
	if (n == 2)
		return last == '#' || has(last, C_UPPER | C_LOWER) ? 0 : -1;
	if (e[1] == '#') {
		int hx = n >= 3 && low(e[2]) == 'x';
		if (n == 3 && hx)
			return 0;
		if (last == ';') {
			if (n == (hx ? 4 : 3))
				return -1;
			long v = 0;
			for (int i = hx ? 3 : 2; i < n - 1; i++)
				v = hx ? v * 16 + hexv(e[i]) : v * 10 + (long)(e[i] - '0');
			return v > 0 && v <= 0x10FFFF ? v + 1 : -1;
		}
		if (hx ? hexv(last) < 0 : !is_digit(last))
			return -1;
		return n < 11 ? 0 : -1;
	}
	if (last != ';')
		return has(last, C_UPPER | C_LOWER) && n < 10 ? 0 : -1;
	static const struct { const char *name; uint32_t cp; } names[] = {
		{"amp", '&'}, {"nbsp", ' '}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
		{"plus", '+'}, {"commat", '@'}, {"sol", '/'}, {"colon", ':'}, {"period", '.'},
		{"lpar", '('}, {"rpar", ')'}, {"hyphen", '-'}, {"dash", '-'}, {"num", '#'},
	};
	char nm[12];
	int k = 0;
	for (int i = 1; i < n - 1; i++)
		nm[k++] = (char)e[i];
	nm[k] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(nm, names[i].name))
			return (long)names[i].cp + 1;
	return -1;
}

static void emit(extract *x, uint32_t cp, long long off);

/* Not an entity after all: the first character as it is, the others again
 * (one of them may start an entity). */
static void esc_flush(extract *x)
{
	uint32_t rest[12];
	long long ro[12];
	int n = x->escn - 1;
	memcpy(rest, x->escc + 1, (size_t)n * sizeof rest[0]);
	memcpy(ro, x->esco + 1, (size_t)n * sizeof ro[0]);
	x->esc = ESC_NONE;
	x->escn = 0;
	put(x, x->escc[0], x->esco[0]);
	for (int i = 0; i < n; i++)
		emit(x, rest[i], ro[i]);
}

static void emit(extract *x, uint32_t cp, long long off)
{
	if (x->esc == ESC_NONE) {
		if (cp != '&' && cp != '\\') {
			put(x, cp, off);
			return;
		}
		x->esc = cp == '&' ? ESC_AMP : ESC_BSL;
		x->escc[0] = cp;
		x->esco[0] = off;
		x->escn = 1;
		return;
	}
	x->esco[x->escn] = off;
	x->escc[x->escn++] = cp;
	long r = esc_check(x);
	if (r == 0 && x->escn < (int)(sizeof x->escc / sizeof x->escc[0]))
		return;
	if (r > 0) {
		x->esc = ESC_NONE;
		x->escn = 0;
		put(x, (uint32_t)(r - 1), x->esco[0]);
		return;
	}
	esc_flush(x);
}

/* ---- bytes to characters ------------------------------------------------- */

/* The sequence in progress could not be UTF-8: its bytes are the legacy code page's. */
static void seq_legacy(extract *x)
{
	for (int i = 0; i < x->seqn; i++)
		emit(x, x->seq[i] < 0x80 ? x->seq[i] : x->legacy[x->seq[i] - 0x80], x->seqoff + i);
	x->seqn = x->seqneed = 0;
}

static void decode_utf8(extract *x, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned b = p[i];
		long long off = x->off + (long long)i;
		if (x->seqneed) {
			if ((b & 0xC0) == 0x80) {
				x->seq[x->seqn++] = (unsigned char)b;
				x->seqcp = (x->seqcp << 6) | (b & 0x3F);
				if (x->seqn == x->seqneed) {
					uint32_t cp = x->seqcp;
					int ok = !(x->seqneed == 3 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) &&
					         !(x->seqneed == 4 && (cp < 0x10000 || cp > 0x10FFFF));
					if (ok) {
						x->seqn = x->seqneed = 0;
						emit(x, cp, x->seqoff);
					} else {
						seq_legacy(x);
					}
				}
				continue;
			}
			seq_legacy(x);
		}
		if (b < 0x80) {
			emit(x, b, off);
		} else if (b >= 0xC2 && b < 0xF5) {
			x->seq[0] = (unsigned char)b;
			x->seqn = 1;
			x->seqneed = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
			x->seqcp = b & (b < 0xE0 ? 0x1F : b < 0xF0 ? 0x0F : 0x07);
			x->seqoff = off;
		} else {
			emit(x, x->legacy[b - 0x80], off);
		}
	}
}

static void decode_u16(extract *x, const unsigned char *p, size_t n, int be)
{
	for (size_t i = 0; i < n; i++) {
		if (x->seqn == 0) {
			x->seq[0] = p[i];
			x->seqoff = x->off + (long long)i;
			x->seqn = 1;
			continue;
		}
		uint32_t u = be ? (uint32_t)x->seq[0] << 8 | p[i] : (uint32_t)p[i] << 8 | x->seq[0];
		x->seqn = 0;
		emit(x, u >= 0xD800 && u < 0xE000 ? 0xFFFD : u, x->seqoff);
	}
}

static void decode(extract *x, const unsigned char *p, size_t n)
{
	switch (x->enc) {
	case ENC_UTF8:
		decode_utf8(x, p, n);
		break;
	case ENC_U16LE:
	case ENC_U16BE:
		decode_u16(x, p, n, x->enc == ENC_U16BE);
		break;
	default:
		for (size_t i = 0; i < n; i++)
			emit(x, p[i] < 0x80 ? p[i] : x->legacy[p[i] - 0x80], x->off + (long long)i);
	}
	x->off += (long long)n;
}

/* UTF-16 without a BOM: text that is mostly ASCII or Arabic has, at one byte
 * parity, almost only 0x00 and 0x06 (no UTF-8 or ASCII text has those). */
static int u16_guess(const unsigned char *h, size_t n)
{
	size_t pairs = n / 2, hi[2] = {0, 0}, nul[2] = {0, 0};
	if (pairs < 4)
		return ENC_UNKNOWN;
	for (size_t i = 0; i + 1 < n; i += 2)
		for (int k = 0; k < 2; k++) {
			unsigned char b = h[i + (size_t)k];
			hi[k] += b == 0 || b == 6;
			nul[k] += b == 0;
		}
	if (hi[1] * 10 >= pairs * 6 && nul[0] * 20 < pairs)
		return ENC_U16LE;
	if (hi[0] * 10 >= pairs * 6 && nul[1] * 20 < pairs)
		return ENC_U16BE;
	return ENC_UNKNOWN;
}

/* Valid UTF-8 but for a sequence cut at the end. */
static int utf8_ok(const unsigned char *h, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned b = h[i];
		size_t k = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0;
		if (!k)
			return 0;
		for (size_t j = 1; j < k; j++) {
			if (i + j >= n)
				return 1;
			if ((h[i + j] & 0xC0) != 0x80)
				return 0;
		}
		i += k;
	}
	return 1;
}

/* The encoding and the BOM's length. */
static int detect(const unsigned char *h, size_t n, size_t *bom)
{
	*bom = 0;
	if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
		*bom = 3;
		return ENC_UTF8;
	}
	if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
		*bom = 2;
		return ENC_U16LE;
	}
	if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
		*bom = 2;
		return ENC_U16BE;
	}
	int e = u16_guess(h, n);
	if (e != ENC_UNKNOWN)
		return e;
	return utf8_ok(h, n) ? ENC_UTF8 : ENC_LEGACY;
}

static void start(extract *x)
{
	size_t bom;
	x->enc = detect(x->det, x->detn, &bom);
	x->off = (long long)bom;
	decode(x, x->det + bom, x->detn - bom);
}

void extract_feed(extract *x, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	x->total += n;
	if (x->enc == ENC_UNKNOWN) {
		size_t k = DETECT - x->detn < n ? DETECT - x->detn : n;
		memcpy(x->det + x->detn, p, k);
		x->detn += k;
		p += k;
		n -= k;
		if (x->detn < DETECT)
			return;
		start(x);
	}
	if (n)
		decode(x, p, n);
}

void extract_finish(extract *x)
{
	if (x->enc == ENC_UNKNOWN && x->detn)
		start(x);
	if (x->enc == ENC_UTF8 && x->seqn)
		seq_legacy(x);
	while (x->esc != ESC_NONE)          /* an unfinished entity is plain text */
		esc_flush(x);
	scan(x, 1);
	item_reset(x);
}

/* ---- what is text ------------------------------------------------------------ */

static int ext_is(const char *name, const char *const *exts)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot)
		return 0;
	for (size_t i = 0; exts[i]; i++)
		if (!strcasecmp(dot + 1, exts[i]))
			return 1;
	return 0;
}

int extract_is_sqlite(const unsigned char *head, size_t len)
{
	return len >= 100 && !memcmp(head, "SQLite format 3", 16);
}

int extract_is_text(const unsigned char *head, size_t len, const char *name)
{
	static const char *const text_exts[] = {"txt", "html", "htm", "xhtml", "json", "csv", "tsv",
	                                        "xml", "vcf", "vcard", "eml", "log", "md", "ini", "js", NULL};
	static const char *const magics[] = {"%PDF", "\x89PNG", "GIF8", "\xFF\xD8\xFF", "PK\x03\x04", "\x1F\x8B",
	                                     "BZh", "7z\xBC\xAF", "Rar!", "\xFD" "7zXZ", "OggS", "RIFF", "ID3",
	                                     "MZ", "\x7F" "ELF", "{\\rtf", NULL};
	if (len == 0 || extract_is_sqlite(head, len))
		return 0;
	for (size_t i = 0; magics[i]; i++)
		if (len >= strlen(magics[i]) && !memcmp(head, magics[i], strlen(magics[i])))
			return 0;
	size_t n = len < 65536 ? len : 65536, bom;
	int enc = detect(head, n < DETECT ? n : DETECT, &bom);
	size_t ctl = 0, units = 0;
	if (enc == ENC_U16LE || enc == ENC_U16BE) {
		for (size_t i = bom; i + 1 < n; i += 2) {
			unsigned u = enc == ENC_U16LE ? (unsigned)head[i] | (unsigned)head[i + 1] << 8
			                              : (unsigned)head[i] << 8 | head[i + 1];
			units++;
			ctl += u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f';
		}
	} else {
		for (size_t i = bom; i < n; i++) {
			units++;
			if (head[i] == 0)
				return 0;
			ctl += head[i] < 0x20 && head[i] != '\t' && head[i] != '\n' && head[i] != '\r' &&
			       head[i] != '\f' && head[i] != 0x1B;
		}
		/* UTF-8 decided on the first bytes must hold on the rest of the head */
		if (enc == ENC_UTF8 && !utf8_ok(head + bom, n - bom))
			enc = ENC_LEGACY;
	}
	if (units == 0)
		return 0;
	size_t allow = ext_is(name, text_exts) ? units / 20 : units / 200;
	return ctl <= allow;
}

/* ---- SQLite databases -------------------------------------------------------- */

int extract_sqlite(extract *x, const char *path)
{
	/* file: URI so that immutable=1 applies; the path is percent-encoded */
	size_t pl = strlen(path);
	char *uri = malloc(pl * 3 + 32);
	if (!uri)
		return -1;
	char *o = uri + sprintf(uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	strcpy(o, "?immutable=1");
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	/* the database is evidence: nothing in its schema is run */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_stmt *t = NULL;
	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &t, NULL) != SQLITE_OK) {
		sqlite3_finalize(t);
		sqlite3_close(db);
		return -1;
	}
	extract_reset(x);
	x->enc = ENC_UTF8;       /* SQLite hands text out as UTF-8 */
	x->no_offset = 1;
	while (sqlite3_step(t) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(t, 0);
		if (!name)
			continue;
		/* the name quoted as an identifier, its quotes doubled */
		size_t nl = strlen((const char *)name);
		char *sql = malloc(nl * 2 + 32);
		if (!sql)
			break;
		char *q = sql + sprintf(sql, "SELECT * FROM \"");
		for (const unsigned char *p = name; *p; p++) {
			if (*p == '"')
				*q++ = '"';
			*q++ = (char)*p;
		}
		strcpy(q, "\"");
		sqlite3_stmt *r = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &r, NULL) == SQLITE_OK) {
			int nc = sqlite3_column_count(r);
			while (sqlite3_step(r) == SQLITE_ROW)
				for (int k = 0; k < nc; k++) {
					if (sqlite3_column_type(r, k) != SQLITE_TEXT)
						continue;
					const unsigned char *v = sqlite3_column_text(r, k);
					int vn = sqlite3_column_bytes(r, k);
					if (!v)
						continue;
					/* each value on its own line: a cue never reaches into the next */
					decode(x, v, (size_t)vn);
					decode(x, (const unsigned char *)"\n", 1);
					x->total += (unsigned long long)vn + 1;
				}
		}
		sqlite3_finalize(r);
		free(sql);
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	extract_finish(x);
	x->no_offset = 0;
	return 0;
}

/* ---- hit sets ------------------------------------------------------------------- */

struct extract_set {
	extract_hit *v;
	size_t n, cap, max;
	uint32_t *tab;            /* open addressing: index + 1, 0 empty */
	size_t tabsz;
	unsigned long long dropped;
};

extract_set *extract_set_new(size_t max)
{
	extract_set *s = calloc(1, sizeof *s);
	if (s)
		s->max = max;
	return s;
}

static uint32_t hash_hit(extract_kind k, const char *v)
{
	uint32_t h = 2166136261u ^ (uint32_t)k;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

int extract_set_add(extract_set *s, extract_kind kind, const char *value, long long offset)
{
	if (s->tabsz == 0 || (s->n + 1) * 2 > s->tabsz) {
		if (s->n >= s->max && s->tabsz) {
			/* full: only a lookup */
		} else {
			size_t nt = s->tabsz ? s->tabsz * 2 : 64;
			uint32_t *t = calloc(nt, sizeof *t);
			if (!t) {
				s->dropped++;
				return -1;
			}
			for (size_t i = 0; i < s->n; i++) {
				size_t h = hash_hit(s->v[i].kind, s->v[i].value) & (nt - 1);
				while (t[h])
					h = (h + 1) & (nt - 1);
				t[h] = (uint32_t)i + 1;
			}
			free(s->tab);
			s->tab = t;
			s->tabsz = nt;
		}
	}
	size_t h = hash_hit(kind, value) & (s->tabsz - 1);
	while (s->tab[h]) {
		extract_hit *e = &s->v[s->tab[h] - 1];
		if (e->kind == kind && !strcmp(e->value, value))
			return 0;
		h = (h + 1) & (s->tabsz - 1);
	}
	if (s->n >= s->max) {
		s->dropped++;
		return -1;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		extract_hit *v = realloc(s->v, nc * sizeof *v);
		if (!v) {
			s->dropped++;
			return -1;
		}
		s->v = v;
		s->cap = nc;
	}
	char *copy = strdup(value);
	if (!copy) {
		s->dropped++;
		return -1;
	}
	s->v[s->n] = (extract_hit){kind, copy, offset};
	s->tab[h] = (uint32_t)++s->n;
	return 1;
}

void extract_set_hit(void *ctx, extract_kind kind, const char *value, long long offset)
{
	extract_set_add(ctx, kind, value, offset);
}

size_t extract_set_count(const extract_set *s)
{
	return s ? s->n : 0;
}

const extract_hit *extract_set_get(const extract_set *s, size_t i)
{
	return &s->v[i];
}

unsigned long long extract_set_dropped(const extract_set *s)
{
	return s ? s->dropped : 0;
}

void extract_set_clear(extract_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].value);
	s->n = 0;
	s->dropped = 0;
	if (s->tab)
		memset(s->tab, 0, s->tabsz * sizeof *s->tab);
}

void extract_set_free(extract_set **sp)
{
	extract_set *s = *sp;
	if (!s)
		return;
	extract_set_clear(s);
	free(s->v);
	free(s->tab);
	free(s);
	*sp = NULL;
}
