/* validate.c — checking and normalising values where they enter dalil; see
 * validate.h. Everything here works on bytes the caller owns and on fixed
 * buffers on the stack: no allocation, no locale, no global state. */
#include "validate.h"

#include "crypto.h"
#include "i18n.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Quoted input is cut to this many bytes so a pasted page cannot drown the
 * message; the buffer also holds "…" and the NUL. */
#define ECHO_MAX 40
#define ECHO_SZ (ECHO_MAX + 4)

/* ---- UTF-8 and characters ------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at p (its code point in *cp), or 0.
 * Each byte is looked at only after the one before it proved to be a lead or
 * continuation byte, so the terminating NUL is never passed. */
static size_t utf8_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2) /* stray continuation byte, or an overlong 2-byte lead */
		return 0;
	if (c < 0xE0) {
		if ((p[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (c < 0xF0) {
		if ((p[1] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0) /* overlong */
			return 0;
		if (c == 0xED && p[1] >= 0xA0) /* UTF-16 surrogates */
			return 0;
		if ((p[2] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		      (p[2] & 0x3F);
		return 3;
	}
	if (c < 0xF5) {
		if ((p[1] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90) /* overlong */
			return 0;
		if (c == 0xF4 && p[1] >= 0x90) /* beyond U+10FFFF */
			return 0;
		if ((p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		      ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		return 4;
	}
	return 0;
}

static int is_control_cp(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/* White space and the invisible marks (bidi controls, zero-width characters,
 * BOM) that copying from right-to-left text drags along: none of them is
 * something a reader could see as content. */
static int is_blank_cp(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
	       cp == 0x061C || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x3000 || cp == 0xFEFF;
}

/* Code points that must not appear inside an address or handle. */
static int is_space_or_control_cp(uint32_t cp)
{
	return is_control_cp(cp) || is_blank_cp(cp);
}

/* Value of the ASCII, Arabic-Indic (U+0660–9) or Persian (U+06F0–9) digit at p
 * with its length in *len, or -1. */
static int digit_at(const unsigned char *p, size_t *len)
{
	if (p[0] >= '0' && p[0] <= '9') {
		*len = 1;
		return p[0] - '0';
	}
	if (p[0] == 0xD9 && p[1] >= 0xA0 && p[1] <= 0xA9) {
		*len = 2;
		return p[1] - 0xA0;
	}
	if (p[0] == 0xDB && p[1] >= 0xB0 && p[1] <= 0xB9) {
		*len = 2;
		return p[1] - 0xB0;
	}
	return -1;
}

/* Length of a character at p that may pad a value on either side (white
 * space, NBSP, bidi and zero-width marks), or 0. Only lead bytes are matched,
 * so stepping byte by byte over other characters is safe. */
static size_t blank_at(const unsigned char *p)
{
	if (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))
		return 1;
	if ((p[0] == 0xC2 && p[1] == 0xA0) || (p[0] == 0xD8 && p[1] == 0x9C))
		return 2;
	if (p[0] == 0xE2 && p[1] == 0x80 &&
	    ((p[2] >= 0x8B && p[2] <= 0x8F) || (p[2] >= 0xAA && p[2] <= 0xAF)))
		return 3;
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
		return 3;
	if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return 3;
	return 0;
}

/* Length of a separator that digit-only fields (IMEI, phone, …) ignore at p:
 * the padding above, ASCII and Unicode dashes, dots, slashes and, when parens,
 * parentheses. */
static size_t sep_at(const unsigned char *p, int parens)
{
	size_t k = blank_at(p);
	if (k)
		return k;
	if (p[0] == '-' || p[0] == '.' || p[0] == '/')
		return 1;
	if (parens && (p[0] == '(' || p[0] == ')'))
		return 1;
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95)
		return 3; /* U+2010–U+2015 hyphens and dashes, as word processors type */
	if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92)
		return 3; /* U+2212 minus */
	return 0;
}

/* The bytes from s to end without their padding: start returned, length in
 * *len. end must sit on a character boundary inside a NUL-terminated string. */
static const char *trim_span(const char *s, const char *end, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s, *e = (const unsigned char *)end;
	size_t k;
	while (p < e && (k = blank_at(p)) != 0)
		p += k;
	const unsigned char *q = p, *last = p;
	while (q < e) {
		k = blank_at(q);
		if (k) {
			q += k;
		} else {
			q++;
			last = q;
		}
	}
	*len = (size_t)(last - p);
	return (const char *)p;
}

/* in (NULL taken as "") without its padding. */
static const char *trim(const char *in, size_t *len)
{
	const char *s = in ? in : "";
	return trim_span(s, s + strlen(s), len);
}

/* Trimmed copy of in with every digit made ASCII, NUL-terminated in buf;
 * its length, or -1 when it does not fit. */
static long prep(const char *in, char *buf, size_t bufsz)
{
	size_t len, o = 0;
	const unsigned char *p = (const unsigned char *)trim(in, &len);
	const unsigned char *end = p + len;
	while (p < end) {
		size_t k;
		int d = digit_at(p, &k);
		if (o + 1 >= bufsz)
			return -1;
		if (d >= 0) {
			buf[o++] = (char)('0' + d);
			p += k;
		} else {
			buf[o++] = (char)*p++;
		}
	}
	buf[o] = '\0';
	return (long)o;
}

/* A short, printable copy of in for messages: cut at a character boundary
 * after ECHO_MAX bytes, invalid bytes and control characters shown as "?"
 * so that a message never carries broken UTF-8 or terminal escapes. */
static const char *echo(const char *in, char buf[ECHO_SZ])
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0;
	while (*p) {
		uint32_t cp = 0;
		size_t n = utf8_seq(p, &cp);
		const unsigned char *src = p;
		size_t len = n;
		if (n == 0 || is_control_cp(cp)) {
			src = (const unsigned char *)"?";
			len = 1;
			if (n == 0)
				n = 1;
		}
		if (o + len > ECHO_MAX) {
			memcpy(buf + o, "\xE2\x80\xA6", 3); /* … */
			o += 3;
			break;
		}
		memcpy(buf + o, src, len);
		o += len;
		p += n;
	}
	buf[o] = '\0';
	return buf;
}

static int is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

static int hex_val(int c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* ASCII-only case-insensitive comparison of n bytes: the C library's follows
 * the locale, and a Turkish locale would fold "I" differently. */
static int ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static dl_status too_long(dl_err *err, const char *field, size_t max, size_t got)
{
	/* TRANSLATORS: byte counts: the most that fits, then the length given. */
	return dl_err_set(err, DL_EINVAL, field, _("expected at most %zu bytes, got %zu"),
	                  max, got);
}

/* Copy n bytes of s to out as a string when they fit outsz. */
static dl_status put(const char *field, const char *s, size_t n, char *out,
                     size_t outsz, dl_err *err)
{
	if (n >= outsz)
		return too_long(err, field, outsz ? outsz - 1 : 0, n);
	memcpy(out, s, n);
	out[n] = '\0';
	return DL_OK;
}

static void clear_out(char *out, size_t outsz)
{
	if (out && outsz)
		out[0] = '\0';
}

/* ---- digits and text ----------------------------------------------------- */

size_t val_digits_ascii(const char *in, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return (size_t)-1;
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0;
	while (*p) {
		size_t k = 1;
		int d = digit_at(p, &k);
		if (o + 1 >= outsz) {
			out[0] = '\0';
			return (size_t)-1;
		}
		out[o++] = d >= 0 ? (char)('0' + d) : (char)*p;
		p += k;
	}
	out[o] = '\0';
	return o;
}

int val_utf8(const char *s)
{
	if (!s)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		size_t n = utf8_seq(p, &cp);
		if (n == 0)
			return 0;
		p += n;
	}
	return 1;
}

dl_status val_text(const char *field, const char *in, size_t maxlen, int required,
                   int multiline, dl_err *err)
{
	const char *s = in ? in : "";
	size_t len = strlen(s);
	if (len > maxlen)
		return too_long(err, field, maxlen, len);
	const unsigned char *p = (const unsigned char *)s;
	int blank = 1;
	while (*p) {
		uint32_t cp;
		size_t n = utf8_seq(p, &cp);
		if (n == 0)
			return dl_err_set(err, DL_EINVAL, field,
			                  /* TRANSLATORS: %zu is the byte position of
			                   * the bad sequence. */
			                  _("expected UTF-8 text, got an invalid sequence at byte %zu"),
			                  (size_t)(p - (const unsigned char *)s) + 1);
		if (cp == '\n' && !multiline)
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a single line of text, got a line break"));
		if (is_control_cp(cp) && cp != '\t' && cp != '\n')
			return dl_err_set(err, DL_EINVAL, field,
			                  /* TRANSLATORS: U+%04X is the code point of
			                   * the rejected character, the %zu after it
			                   * the byte position where it starts. */
			                  _("expected text without control characters, got U+%04X at byte %zu"),
			                  (unsigned)cp, (size_t)(p - (const unsigned char *)s) + 1);
		if (!is_blank_cp(cp))
			blank = 0;
		p += n;
	}
	if (required && blank)
		return dl_err_set(err, DL_EINVAL, field, _("expected some text, got nothing"));
	return DL_OK;
}

/* ---- dates and times ----------------------------------------------------- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return (m == 2 && is_leap(y)) ? 29 : dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): plain arithmetic, so neither TZ nor the C library's idea
 * of time_t takes part. */
long long val_days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int val_days_between(const char *from, const char *to, long long *days)
{
	int y1, m1, d1, y2, m2, d2;
	if (!from || !to || sscanf(from, "%4d-%2d-%2d", &y1, &m1, &d1) != 3 ||
	    sscanf(to, "%4d-%2d-%2d", &y2, &m2, &d2) != 3)
		return -1;
	*days = val_days_from_civil(y2, m2, d2) - val_days_from_civil(y1, m1, d1);
	return 0;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Value of n ASCII digits at s, or -1. */
static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Write v as n zero-padded digits; our own so that no format-truncation
 * analysis has to prove the year has four digits. */
static char *put_num(char *o, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + n;
}

static void format_date(char *o, int y, int m, int d)
{
	o = put_num(o, y, 4);
	*o++ = '-';
	o = put_num(o, m, 2);
	*o++ = '-';
	o = put_num(o, d, 2);
	*o = '\0';
}

/* Read "YYYY-MM-DD" at s (10 bytes available); 0, or -1 when it is not of
 * that shape. */
static int scan_date(const char *s, int *y, int *m, int *d)
{
	*y = num(s, 4);
	*m = num(s + 5, 2);
	*d = num(s + 8, 2);
	return (*y < 0 || s[4] != '-' || *m < 0 || s[7] != '-' || *d < 0) ? -1 : 0;
}

/* DL_OK when y-m-d is a real day in dalil's years, else the error set. */
static dl_status check_date(const char *field, int y, int m, int d, const char *in,
                            dl_err *err)
{
	char e[ECHO_SZ];
	if (y < 1900 || y > 2199)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a year from 1900 to 2199, got \"%s\""), echo(in, e));
	if (m < 1 || m > 12)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a month from 01 to 12, got \"%s\""), echo(in, e));
	int dim = days_in_month(y, m);
	if (d < 1 || d > dim)
		return dl_err_set(err, DL_EINVAL, field,
		                  /* TRANSLATORS: %d is the number of days in the month
		                   * given, the %s after it the date typed. */
		                  _("expected a day from 01 to %d for that month, got \"%s\""),
		                  dim, echo(in, e));
	return DL_OK;
}

dl_status val_date(const char *field, const char *in, char out[11], dl_err *err)
{
	char buf[16], e[ECHO_SZ];
	int y, m, d;
	out[0] = '\0';
	if (prep(in, buf, sizeof buf) != 10 || scan_date(buf, &y, &m, &d) != 0)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a date as YYYY-MM-DD, got \"%s\""), echo(in, e));
	dl_status rc = check_date(field, y, m, d, in, err);
	if (rc != DL_OK)
		return rc;
	format_date(out, y, m, d);
	return DL_OK;
}

dl_status val_datetime(const char *field, const char *in, char out[21], dl_err *err)
{
	char buf[40], e[ECHO_SZ];
	int y, mo, d, h = 0, mi = 0, s = 0, off = 0;
	out[0] = '\0';
	long n = prep(in, buf, sizeof buf);
	if (n < 10 || scan_date(buf, &y, &mo, &d) != 0)
		goto bad_format;
	dl_status rc = check_date(field, y, mo, d, in, err);
	if (rc != DL_OK)
		return rc;
	long i = 10;
	/* An offset is only read after a time: ISO 8601 gives a bare date none,
	 * and "2024-05-01-02:00" reads too much like a typo. */
	if (i < n) {
		if (buf[i] != 'T' && buf[i] != 't' && buf[i] != ' ')
			goto bad_format;
		if (n < i + 6 || buf[i + 3] != ':')
			goto bad_format;
		h = num(buf + i + 1, 2);
		mi = num(buf + i + 4, 2);
		if (h < 0 || mi < 0)
			goto bad_format;
		i += 6;
		if (i < n && buf[i] == ':') {
			if (n < i + 3 || (s = num(buf + i + 1, 2)) < 0)
				goto bad_format;
			i += 3;
		}
		if (i < n && (buf[i] == 'Z' || buf[i] == 'z')) {
			i++;
		} else if (i < n && (buf[i] == '+' || buf[i] == '-')) {
			int oh, om;
			if (n < i + 6 || buf[i + 3] != ':' || (oh = num(buf + i + 1, 2)) < 0 ||
			    (om = num(buf + i + 4, 2)) < 0)
				goto bad_format;
			if (om > 59 || oh * 60 + om > 14 * 60)
				return dl_err_set(err, DL_EINVAL, field,
				                  _("expected a UTC offset from -14:00 to +14:00, got \"%s\""),
				                  echo(in, e));
			off = (oh * 60 + om) * (buf[i] == '-' ? -1 : 1);
			i += 6;
		}
		if (i != n)
			goto bad_format;
		if (h > 23 || mi > 59 || s > 59)
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a time from 00:00:00 to 23:59:59, got \"%s\""),
			                  echo(in, e));
	}
	long long t = val_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s -
	              (long long)off * 60;
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	long long rem = t - days * 86400;
	civil_from_days(days, &y, &mo, &d);
	if (y < 1900 || y > 2199)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a time from 1900 to 2199 in UTC, got \"%s\""),
		                  echo(in, e));
	format_date(out, y, mo, d);
	char *o = out + 10;
	*o++ = 'T';
	o = put_num(o, (int)(rem / 3600), 2);
	*o++ = ':';
	o = put_num(o, (int)(rem / 60 % 60), 2);
	*o++ = ':';
	o = put_num(o, (int)(rem % 60), 2);
	*o++ = 'Z';
	*o = '\0';
	return DL_OK;

bad_format:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected a time as YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, optionally followed by Z or +HH:MM, got \"%s\""),
	                  echo(in, e));
}

/* ---- numbers with check digits ------------------------------------------- */

/* The digits of in, ASCII, separators dropped, into buf (max digits at most);
 * their count, or -1 on any other character or on more than max digits. */
static long collect_digits(const char *in, char *buf, size_t max)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t n = 0;
	while (*p) {
		size_t k = sep_at(p, 0);
		if (k) {
			p += k;
			continue;
		}
		int d = digit_at(p, &k);
		if (d < 0 || n >= max)
			return -1;
		buf[n++] = (char)('0' + d);
		p += k;
	}
	buf[n] = '\0';
	return (long)n;
}

static int luhn_ok(const char *d, size_t n)
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

dl_status val_imei(const char *field, const char *in, char out[16], dl_err *err)
{
	char d[16], e[ECHO_SZ];
	out[0] = '\0';
	if (collect_digits(in, d, 15) != 15 || !luhn_ok(d, 15))
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected 15 digits ending in a valid Luhn check digit, got \"%s\""),
		                  echo(in, e));
	memcpy(out, d, 16);
	return DL_OK;
}

dl_status val_imsi(const char *field, const char *in, char out[16], dl_err *err)
{
	char d[16], e[ECHO_SZ];
	out[0] = '\0';
	if (collect_digits(in, d, 15) != 15)
		return dl_err_set(err, DL_EINVAL, field, _("expected 15 digits, got \"%s\""),
		                  echo(in, e));
	memcpy(out, d, 16);
	return DL_OK;
}

dl_status val_iccid(const char *field, const char *in, char out[21], dl_err *err)
{
	char d[21], e[ECHO_SZ];
	out[0] = '\0';
	long n = collect_digits(in, d, 20);
	if ((n != 19 && n != 20) || d[0] != '8' || d[1] != '9' || !luhn_ok(d, (size_t)n))
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected 19 or 20 digits starting with 89 and ending in a valid Luhn check digit, got \"%s\""),
		                  echo(in, e));
	memcpy(out, d, (size_t)n + 1);
	return DL_OK;
}

/* ---- phone numbers ------------------------------------------------------- */

/* The four countries whose national formats dalil knows. */
enum { CC_LY, CC_EG, CC_MA, CC_TN, CC_COUNT };
static const char *const cc_code[CC_COUNT] = {"218", "20", "212", "216"};

/* The known country whose code starts the n digits at d (its length in
 * *cclen), or -1. No code of the four is a prefix of another. */
static int cc_match(const char *d, size_t n, size_t *cclen)
{
	for (int c = 0; c < CC_COUNT; c++) {
		size_t k = strlen(cc_code[c]);
		if (n >= k && memcmp(d, cc_code[c], k) == 0) {
			*cclen = k;
			return c;
		}
	}
	return -1;
}

static int cc_from_default(const char *cc)
{
	if (!cc)
		return -1;
	if (*cc == '+')
		cc++;
	for (int c = 0; c < CC_COUNT; c++)
		if (strcmp(cc, cc_code[c]) == 0)
			return c;
	return -1;
}

/* 1 when the n digits at sig (trunk 0 already gone) can be a number of
 * country c. */
static int sig_ok(int c, const char *sig, size_t n)
{
	if (n == 0)
		return 0;
	switch (c) {
	case CC_LY:
		return n == 9 && sig[0] != '0';
	case CC_EG:
		/* 1x: mobiles 10/11/12/15 + 8 digits, or the 013 and 015 landline
		 * areas + 7 digits. Other landlines: area code and number make 8
		 * (Alexandria 3 + 7) or 9 significant digits. */
		if (sig[0] == '1')
			return (n == 10 && (sig[1] == '0' || sig[1] == '1' || sig[1] == '2' ||
			                    sig[1] == '5')) ||
			       (n == 9 && (sig[1] == '3' || sig[1] == '5'));
		return (n == 8 || n == 9) && sig[0] != '0';
	case CC_MA:
		return n == 9 && sig[0] >= '5' && sig[0] <= '7';
	case CC_TN:
		return n == 8 && sig[0] >= '2';
	}
	return 0;
}

static dl_status phone_country_error(const char *field, int c, const char *in,
                                     dl_err *err)
{
	char e[ECHO_SZ];
	switch (c) {
	case CC_LY:
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a Libyan number of 0 and 9 digits, or +218 and 9 digits, got \"%s\""),
		                  echo(in, e));
	case CC_EG:
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected an Egyptian mobile of 010, 011, 012 or 015 and 8 digits, or a landline of 0 and 8 or 9 digits (+20 in place of the 0), got \"%s\""),
		                  echo(in, e));
	case CC_MA:
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a Moroccan number of 05, 06 or 07 and 8 digits (+212 in place of the 0), got \"%s\""),
		                  echo(in, e));
	default:
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a Tunisian number of 8 digits starting with 2 to 9, or +216 and those 8 digits, got \"%s\""),
		                  echo(in, e));
	}
}

/* "+", cc and the significant digits into out[17]. Callers pass at most 15
 * digits in all. */
static dl_status phone_out(const char *cc, const char *sig, size_t n, char out[17])
{
	size_t k = strlen(cc);
	out[0] = '+';
	memcpy(out + 1, cc, k);
	memcpy(out + 1 + k, sig, n);
	out[1 + k + n] = '\0';
	return DL_OK;
}

/* A number with a known country code: the trunk 0 some people keep after it
 * ("+218 091…") is dropped, then the rest must fit the country. */
static int known_intl(int c, const char *rest, size_t n, const char **sig, size_t *sn)
{
	if (c != CC_TN && n > 0 && rest[0] == '0') {
		rest++;
		n--;
	}
	*sig = rest;
	*sn = n;
	return sig_ok(c, rest, n);
}

dl_status val_phone(const char *field, const char *in, const char *default_cc,
                    char out[17], dl_err *err)
{
	/* More than E.164's 15 digits plus "00" is wrong whatever it is; the
	 * buffer stops there. */
	enum { MAXD = 18 };
	char d[MAXD + 1], e[ECHO_SZ];
	size_t n = 0;
	int plus = 0;
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	out[0] = '\0';
	while (*p) {
		size_t k;
		int v;
		/* "+44 (0)20 …" marks a trunk 0 to leave out when dialling from
		 * abroad, which is how the number is stored. */
		if (p[0] == '(' && (plus ? n > 0 : (n > 2 && d[0] == '0' && d[1] == '0')) &&
		    (v = digit_at(p + 1, &k)) == 0 && p[1 + k] == ')') {
			p += 2 + k;
			continue;
		}
		if ((k = sep_at(p, 1)) != 0) {
			p += k;
			continue;
		}
		if (*p == '+' && !plus && n == 0) {
			plus = 1;
			p++;
			continue;
		}
		v = digit_at(p, &k);
		if (v < 0)
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a phone number of digits, spaces, dashes, dots, slashes or parentheses with an optional leading +, got \"%s\""),
			                  echo(in, e));
		if (n >= MAXD)
			goto bad_intl;
		d[n++] = (char)('0' + v);
		p += k;
	}
	d[n] = '\0';
	if (n == 0)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a phone number, got \"%s\""), echo(in, e));

	const char *sig;
	size_t sn, cclen;
	int c;
	if (plus || (n >= 2 && d[0] == '0' && d[1] == '0')) {
		const char *intl = plus ? d : d + 2;
		size_t nn = plus ? n : n - 2;
		c = cc_match(intl, nn, &cclen);
		if (c >= 0) {
			if (!known_intl(c, intl + cclen, nn - cclen, &sig, &sn))
				return phone_country_error(field, c, in, err);
			return phone_out(cc_code[c], sig, sn, out);
		}
		if (nn < 8 || nn > 15 || intl[0] == '0')
			goto bad_intl;
		return phone_out("", intl, nn, out);
	}

	int dc = cc_from_default(default_cc);
	if (d[0] == '0') {
		/* Egyptian mobiles are what investigators in all four countries meet
		 * most often from abroad, and no other country here has 11 digits
		 * nationally, so the prefix decides. */
		if (n == 11 && d[1] == '1' &&
		    (d[2] == '0' || d[2] == '1' || d[2] == '2' || d[2] == '5'))
			return phone_out(cc_code[CC_EG], d + 1, n - 1, out);
		if (dc < 0)
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected an international number starting with + or 00, as no default country is set, got \"%s\""),
			                  echo(in, e));
		if (dc == CC_TN)
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a Tunisian number of 8 digits without a leading 0, or an international number starting with + or 00, got \"%s\""),
			                  echo(in, e));
		if (!sig_ok(dc, d + 1, n - 1))
			return phone_country_error(field, dc, in, err);
		return phone_out(cc_code[dc], d + 1, n - 1, out);
	}
	if (n == 8) {
		if (dc == CC_TN) {
			if (!sig_ok(CC_TN, d, n))
				return phone_country_error(field, CC_TN, in, err);
			return phone_out(cc_code[CC_TN], d, n, out);
		}
		return dl_err_set(err, DL_EINVAL, field,
		                  /* TRANSLATORS: the first %s is the 8 digits typed,
		                   * shown as a Tunisian number would be written; the
		                   * second the input. */
		                  _("expected a number starting with 0, + or 00; if it is Tunisian write +216%s, got \"%s\""),
		                  d, echo(in, e));
	}
	/* WhatsApp and many phones show numbers as the country code and the
	 * significant digits without "+". */
	c = cc_match(d, n, &cclen);
	if (c >= 0 && known_intl(c, d + cclen, n - cclen, &sig, &sn))
		return phone_out(cc_code[c], sig, sn, out);
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected a national number starting with 0 or an international number starting with + or 00, got \"%s\""),
	                  echo(in, e));

bad_intl:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected + and a country code with 8 to 15 digits in all, got \"%s\""),
	                  echo(in, e));
}

/* ---- e-mail, URL, social handles ----------------------------------------- */

dl_status val_email(const char *field, const char *in, char *out, size_t outsz,
                    dl_err *err)
{
	char e[ECHO_SZ];
	size_t n;
	const char *s = trim(in, &n);
	clear_out(out, outsz);
	if (!val_utf8(in ? in : ""))
		goto bad;
	const char *at = memchr(s, '@', n);
	if (!at || memchr(at + 1, '@', n - (size_t)(at - s) - 1))
		goto bad;
	size_t ln = (size_t)(at - s), dn = n - ln - 1;
	/* RFC 5321 limits: 64 bytes of local part, 254 in all. */
	if (ln == 0 || ln > 64 || dn == 0 || n > 254)
		goto bad;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t cp;
		size_t k = utf8_seq(p, &cp);
		if (k == 0 || is_space_or_control_cp(cp))
			goto bad;
		p += k;
	}
	/* Host names have letters, digits, hyphens and dots between non-empty
	 * labels; anything else in ASCII ("gmail,com") is a typo. Bytes above
	 * ASCII are let through for internationalised domains. */
	const char *dom = at + 1;
	if (dom[0] == '.' || dom[dn - 1] == '.' || !memchr(dom, '.', dn))
		goto bad;
	for (size_t i = 0; i < dn; i++) {
		unsigned char c = (unsigned char)dom[i];
		if (c < 0x80 && !is_alpha(c) && !is_digit(c) && c != '-' && c != '.')
			goto bad;
		if (c == '.' && dom[i + 1] == '.')
			goto bad;
	}
	if (n >= outsz)
		return too_long(err, field, outsz ? outsz - 1 : 0, n);
	memcpy(out, s, ln + 1);
	for (size_t i = 0; i < dn; i++)
		out[ln + 1 + i] = (char)lower((unsigned char)dom[i]);
	out[n] = '\0';
	return DL_OK;

bad:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected an e-mail address like name@example.com, got \"%s\""),
	                  echo(in, e));
}

dl_status val_url(const char *field, const char *in, char *out, size_t outsz, dl_err *err)
{
	char e[ECHO_SZ];
	size_t n;
	const char *s = trim(in, &n);
	clear_out(out, outsz);
	size_t sl;
	if (n >= 7 && ascii_caseeq(s, "http://", 7))
		sl = 7;
	else if (n >= 8 && ascii_caseeq(s, "https://", 8))
		sl = 8;
	else
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a web address starting with http:// or https://, got \"%s\""),
		                  echo(in, e));
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t cp;
		size_t k = utf8_seq(p, &cp);
		if (k == 0 || is_space_or_control_cp(cp))
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a web address without spaces or control characters, got \"%s\""),
			                  echo(in, e));
		p += k;
	}
	/* authority = [userinfo@]host[:port], ended by the path, query or fragment */
	const char *a = s + sl, *aend = a;
	while (aend < s + n && *aend != '/' && *aend != '?' && *aend != '#')
		aend++;
	const char *host = a;
	for (const char *q = a; q < aend; q++)
		if (*q == '@')
			host = q + 1;
	const char *hend, *port = NULL;
	if (host < aend && *host == '[') {
		hend = memchr(host, ']', (size_t)(aend - host));
		if (!hend || hend == host + 1)
			goto no_host;
		hend++;
		if (hend < aend) {
			if (*hend != ':')
				goto no_host;
			port = hend + 1;
		}
	} else {
		hend = host;
		while (hend < aend && *hend != ':')
			hend++;
		if (hend < aend)
			port = hend + 1;
	}
	if (hend == host)
		goto no_host;
	if (port) {
		long v = 0;
		if (port == aend || aend - port > 5)
			goto bad_port;
		for (const char *q = port; q < aend; q++) {
			if (!is_digit((unsigned char)*q))
				goto bad_port;
			v = v * 10 + (*q - '0');
		}
		if (v < 1 || v > 65535)
			goto bad_port;
	}
	dl_status rc = put(field, s, n, out, outsz, err);
	if (rc != DL_OK)
		return rc;
	for (size_t i = 0; i < sl; i++)
		out[i] = (char)lower((unsigned char)out[i]);
	return DL_OK;

no_host:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected a web address with a host name after //, got \"%s\""),
	                  echo(in, e));
bad_port:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected a port from 1 to 65535 after the host name, got \"%s\""),
	                  echo(in, e));
}

/* ---- enumerations -------------------------------------------------------- */

/* names[] joined with ", " for messages, cut with "…" when very long. */
static const char *join_names(const char *const names[], char *buf, size_t bufsz)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; names && names[i]; i++) {
		size_t k = strlen(names[i]), sep = i ? 2 : 0;
		if (o + sep + k + 4 > bufsz) {
			memcpy(buf + o, "\xE2\x80\xA6", 4); /* … and NUL */
			return buf;
		}
		memcpy(buf + o, ", ", sep);
		memcpy(buf + o + sep, names[i], k);
		o += sep + k;
		buf[o] = '\0';
	}
	return buf;
}

/* Index of the n bytes at s in names[] (ASCII case ignored), or -1. */
static int find_name(const char *const names[], const char *s, size_t n)
{
	for (int i = 0; names && names[i]; i++)
		if (strlen(names[i]) == n && ascii_caseeq(names[i], s, n))
			return i;
	return -1;
}

dl_status val_enum(const char *field, const char *in, const char *const names[],
                   int *out, dl_err *err)
{
	char list[320], e[ECHO_SZ];
	size_t n;
	const char *s = trim(in, &n);
	int i = find_name(names, s, n);
	if (i < 0)
		/* TRANSLATORS: the first %s is the list of allowed names, the second
		 * the input. */
		return dl_err_set(err, DL_EINVAL, field, _("expected one of %s, got \"%s\""),
		                  join_names(names, list, sizeof list), echo(in, e));
	*out = i;
	return DL_OK;
}

dl_status val_enum_set(const char *field, const char *in, const char *const names[],
                       int required, unsigned *mask, dl_err *err)
{
	char list[320], e[ECHO_SZ];
	size_t count = 0;
	while (names && names[count])
		count++;
	if (count > 31)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected at most 31 choices in the list of allowed names, got %zu"),
		                  count);
	size_t n;
	const char *s = trim(in, &n), *end = s + n;
	unsigned m = 0;
	if (n == 0) {
		if (required)
			return dl_err_set(err, DL_EINVAL, field,
			                  /* TRANSLATORS: %s is the list of allowed
			                   * names. */
			                  _("expected at least one of %s, got nothing"),
			                  join_names(names, list, sizeof list));
		*mask = 0;
		return DL_OK;
	}
	for (const char *item = s; item <= end;) {
		const char *comma = memchr(item, ',', (size_t)(end - item));
		const char *iend = comma ? comma : end;
		size_t k;
		const char *t = trim_span(item, iend, &k);
		if (k == 0)
			return dl_err_set(err, DL_EINVAL, field,
			                  /* TRANSLATORS: the first %s is the list of
			                   * allowed names, the second the input. */
			                  _("expected names from %s separated by single commas, got an empty item in \"%s\""),
			                  join_names(names, list, sizeof list), echo(in, e));
		int i = find_name(names, t, k);
		if (i < 0) {
			char one[ECHO_SZ * 2];
			size_t c = k < sizeof one - 1 ? k : sizeof one - 1;
			memcpy(one, t, c);
			one[c] = '\0';
			return dl_err_set(err, DL_EINVAL, field,
			                  /* TRANSLATORS: the first %s is the list of
			                   * allowed names, the second the unknown item. */
			                  _("expected names from %s, got \"%s\""),
			                  join_names(names, list, sizeof list), echo(one, e));
		}
		if (m & (1u << i))
			return dl_err_set(err, DL_EINVAL, field,
			                  /* TRANSLATORS: the first %s is the list of
			                   * allowed names, the second the name given
			                   * twice. */
			                  _("expected each of %s at most once, got \"%s\" twice"),
			                  join_names(names, list, sizeof list), names[i]);
		m |= 1u << i;
		if (!comma)
			break;
		item = comma + 1;
	}
	*mask = m;
	return DL_OK;
}

static const char *const social_names[] = {
	"facebook", "telegram", "whatsapp", "tiktok", "instagram",
	"signal", "x", "snapchat", "other", NULL,
};

dl_status val_social(const char *field, const char *platform, const char *handle,
                     const char *default_cc, char *out, size_t outsz, dl_err *err)
{
	char e[ECHO_SZ];
	int pi = 0;
	clear_out(out, outsz);
	dl_status rc = val_enum(field, platform, social_names, &pi, err);
	if (rc != DL_OK)
		return rc;
	const char *name = social_names[pi];
	size_t pl = strlen(name);
	if (strcmp(name, "whatsapp") == 0 || strcmp(name, "signal") == 0) {
		char ph[17];
		rc = val_phone(field, handle, default_cc, ph, err);
		if (rc != DL_OK)
			return rc;
		size_t k = strlen(ph);
		if (pl + 1 + k >= outsz)
			return too_long(err, field, outsz ? outsz - 1 : 0, pl + 1 + k);
		memcpy(out, name, pl);
		out[pl] = ':';
		memcpy(out + pl + 1, ph, k + 1);
		return DL_OK;
	}
	size_t n;
	const char *s = trim(handle, &n);
	if (n > 0 && s[0] == '@') {
		s++;
		n--;
	}
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t cp;
		size_t k = utf8_seq(p, &cp);
		if (k == 0 || is_space_or_control_cp(cp))
			goto bad;
		p += k;
	}
	if (n == 0)
		goto bad;
	if (pl + 1 + n >= outsz)
		return too_long(err, field, outsz ? outsz - 1 : 0, pl + 1 + n);
	memcpy(out, name, pl);
	out[pl] = ':';
	for (size_t i = 0; i < n; i++)
		out[pl + 1 + i] = (char)lower((unsigned char)s[i]);
	out[pl + 1 + n] = '\0';
	return DL_OK;

bad:
	return dl_err_set(err, DL_EINVAL, field,
	                  /* TRANSLATORS: the first %s is the platform (facebook,
	                   * telegram, …), the second the handle typed. */
	                  _("expected a %s handle without spaces, got \"%s\""), name,
	                  echo(handle, e));
}

/* ---- bank and crypto-currency accounts ----------------------------------- */

dl_status val_iban(const char *field, const char *in, char out[35], dl_err *err)
{
	char b[35], e[ECHO_SZ];
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	out[0] = '\0';
	while (*p) {
		size_t k = blank_at(p);
		if (k) {
			p += k;
			continue;
		}
		int d = digit_at(p, &k);
		int c = d >= 0 ? '0' + d : upper(*p);
		if (d < 0)
			k = 1;
		if (!is_digit(c) && !(c >= 'A' && c <= 'Z'))
			goto bad;
		if (n >= 34)
			goto bad;
		b[n++] = (char)c;
		p += k;
	}
	b[n] = '\0';
	/* The shortest IBAN in use (Norway) has 15 characters, the longest 34. */
	if (n < 15 || !is_alpha(b[0]) || !is_alpha(b[1]) || !is_digit(b[2]) ||
	    !is_digit(b[3]))
		goto bad;
	/* Check digits are 02–98: 00, 01 and 99 would pass mod 97 in place of 97,
	 * 98 and 02 but are never issued. */
	int cd = num(b + 2, 2);
	unsigned r = 0;
	for (size_t i = 0; i < n; i++) {
		char c = b[(i + 4) % n];
		if (is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	if (r != 1 || cd < 2 || cd > 98)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected an IBAN whose check digits match, got \"%s\""),
		                  echo(in, e));
	memcpy(out, b, n + 1);
	return DL_OK;

bad:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected an IBAN of two letters, two check digits and 11 to 30 letters or digits, got \"%s\""),
	                  echo(in, e));
}

static const char b58_alphabet[] =
	"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Decode the n Base58 characters at s into exactly 25 bytes (version, 20-byte
 * hash, 4-byte checksum) and verify the double-SHA-256 checksum; 0 or -1. */
static int b58check25(const char *s, size_t n, unsigned char out[25])
{
	unsigned char buf[25] = {0};
	size_t ones = 0;
	while (ones < n && s[ones] == '1')
		ones++;
	for (size_t i = 0; i < n; i++) {
		const char *q = s[i] ? strchr(b58_alphabet, s[i]) : NULL;
		if (!q)
			return -1;
		unsigned carry = (unsigned)(q - b58_alphabet);
		for (size_t j = sizeof buf; j-- > 0;) {
			carry += 58u * buf[j];
			buf[j] = (unsigned char)carry;
			carry >>= 8;
		}
		if (carry)
			return -1;
	}
	/* Each leading "1" stands for one leading zero byte and nothing else
	 * may: otherwise the string encodes a shorter payload. */
	size_t zeros = 0;
	while (zeros < sizeof buf && buf[zeros] == 0)
		zeros++;
	if (zeros != ones)
		return -1;
	unsigned char h[32];
	crypto_sha256(buf, 21, h);
	crypto_sha256(h, 32, h);
	if (memcmp(h, buf + 21, 4) != 0)
		return -1;
	memcpy(out, buf, 25);
	return 0;
}

static uint32_t bech32_step(uint32_t chk)
{
	static const uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
	                                0x2a1462b3};
	uint32_t top = chk >> 25;
	chk = (chk & 0x1ffffff) << 5;
	for (int i = 0; i < 5; i++)
		if ((top >> i) & 1)
			chk ^= gen[i];
	return chk;
}

/* 1 when the n bytes at s are a valid mainnet segwit address (BIP 173 for
 * version 0, BIP 350 for versions 1–16), with s lower-cased into low. */
static int segwit_ok(const char *s, size_t n, char low[91])
{
	static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	enum { BECH32 = 1, BECH32M = 0x2bc830a3 };
	int has_lower = 0, has_upper = 0;
	if (n < 14 || n > 90)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 33 || c > 126)
			return 0;
		has_lower |= c >= 'a' && c <= 'z';
		has_upper |= c >= 'A' && c <= 'Z';
		low[i] = (char)lower(c);
	}
	low[n] = '\0';
	if ((has_lower && has_upper) || memcmp(low, "bc1", 3) != 0)
		return 0;
	uint32_t chk = 1;
	for (int i = 0; i < 2; i++)
		chk = bech32_step(chk) ^ ((unsigned char)low[i] >> 5);
	chk = bech32_step(chk);
	for (int i = 0; i < 2; i++)
		chk = bech32_step(chk) ^ ((unsigned char)low[i] & 31);
	unsigned char v[87];
	size_t dn = n - 3;
	for (size_t i = 0; i < dn; i++) {
		const char *q = strchr(charset, low[3 + i]);
		if (!q || !low[3 + i])
			return 0;
		v[i] = (unsigned char)(q - charset);
		chk = bech32_step(chk) ^ v[i];
	}
	if (chk != BECH32 && chk != BECH32M)
		return 0;
	unsigned ver = v[0];
	if (ver > 16 || (ver == 0) != (chk == BECH32))
		return 0;
	/* Regroup the program's 5-bit values into bytes; the padding left over
	 * must be under 5 bits and zero. */
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t plen = 0;
	for (size_t i = 1; i < dn - 6; i++) {
		acc = ((acc << 5) | v[i]) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			plen++;
		}
	}
	if (bits >= 5 || ((acc << (8 - bits)) & 0xff))
		return 0;
	if (plen < 2 || plen > 40 || (ver == 0 && plen != 20 && plen != 32))
		return 0;
	return 1;
}

dl_status val_btc(const char *field, const char *in, char *out, size_t outsz, dl_err *err)
{
	char e[ECHO_SZ], low[91];
	size_t n;
	const char *s = trim(in, &n);
	unsigned char raw[25];
	clear_out(out, outsz);
	if (n > 0 && (s[0] == '1' || s[0] == '3')) {
		if (n < 26 || n > 35 || b58check25(s, n, raw) != 0 ||
		    raw[0] != (s[0] == '1' ? 0 : 5))
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a Bitcoin address with a valid checksum, got \"%s\""),
			                  echo(in, e));
		return put(field, s, n, out, outsz, err);
	}
	if (n >= 3 && ascii_caseeq(s, "bc1", 3)) {
		if (!segwit_ok(s, n, low))
			return dl_err_set(err, DL_EINVAL, field,
			                  _("expected a Bitcoin bc1 address with a valid checksum, got \"%s\""),
			                  echo(in, e));
		return put(field, low, n, out, outsz, err);
	}
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected a Bitcoin address starting with 1, 3 or bc1, got \"%s\""),
	                  echo(in, e));
}

dl_status val_eth(const char *field, const char *in, char *out, size_t outsz, dl_err *err)
{
	char buf[48], e[ECHO_SZ];
	clear_out(out, outsz);
	long n = prep(in, buf, sizeof buf);
	int ok = n == 42 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
	for (long i = 2; ok && i < n; i++)
		ok = hex_val((unsigned char)buf[i]) >= 0;
	if (!ok)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected an Ethereum address of 0x and 40 hexadecimal digits, got \"%s\""),
		                  echo(in, e));
	for (long i = 0; i < n; i++)
		buf[i] = (char)lower((unsigned char)buf[i]);
	return put(field, buf, (size_t)n, out, outsz, err);
}

dl_status val_tron(const char *field, const char *in, char *out, size_t outsz, dl_err *err)
{
	char e[ECHO_SZ];
	size_t n;
	const char *s = trim(in, &n);
	unsigned char raw[25];
	clear_out(out, outsz);
	if (n != 34 || s[0] != 'T')
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a TRON address of 34 characters starting with T, got \"%s\""),
		                  echo(in, e));
	if (b58check25(s, n, raw) != 0 || raw[0] != 0x41)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a TRON address with a valid checksum, got \"%s\""),
		                  echo(in, e));
	return put(field, s, n, out, outsz, err);
}

/* ---- identifiers --------------------------------------------------------- */

dl_status val_hex(const char *field, const char *in, size_t hexlen, char *out, dl_err *err)
{
	char e[ECHO_SZ];
	size_t n, o = 0;
	const unsigned char *p = (const unsigned char *)trim(in, &n), *end = p + n;
	out[0] = '\0';
	while (p < end && hexlen > 0) {
		size_t k = 1;
		int d = digit_at(p, &k);
		int v = d >= 0 ? d : hex_val(*p);
		if (v < 0 || o >= hexlen)
			goto bad;
		out[o++] = "0123456789abcdef"[v];
		p += k;
	}
	if (o != hexlen || hexlen == 0)
		goto bad;
	out[o] = '\0';
	return DL_OK;

bad:
	out[0] = '\0';
	return dl_err_set(err, DL_EINVAL, field,
	                  /* TRANSLATORS: %zu is the number of hexadecimal digits
	                   * required. */
	                  _("expected %zu hexadecimal digits, got \"%s\""), hexlen,
	                  echo(in, e));
}

dl_status val_case_number(const char *field, const char *in, char out[41], dl_err *err)
{
	char buf[41], e[ECHO_SZ];
	size_t n, o = 0;
	const unsigned char *p = (const unsigned char *)trim(in, &n), *end = p + n;
	out[0] = '\0';
	while (p < end) {
		size_t k = 1;
		int d = digit_at(p, &k);
		int c = d >= 0 ? '0' + d : *p;
		int alnum = is_alpha(c) || is_digit(c);
		if (!alnum && !(o > 0 && (c == '/' || c == '-' || c == '_' || c == '.')))
			goto bad;
		if (o >= 40)
			goto bad;
		buf[o++] = (char)upper(c);
		p += k;
	}
	if (o < 3)
		goto bad;
	buf[o] = '\0';
	memcpy(out, buf, o + 1);
	return DL_OK;

bad:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected 3 to 40 letters, digits or / - _ . starting with a letter or digit, got \"%s\""),
	                  echo(in, e));
}

dl_status val_username(const char *field, const char *in, char out[33], dl_err *err)
{
	char buf[33], e[ECHO_SZ];
	size_t n, o = 0;
	const unsigned char *p = (const unsigned char *)trim(in, &n), *end = p + n;
	out[0] = '\0';
	while (p < end) {
		size_t k = 1;
		int d = digit_at(p, &k);
		int c = d >= 0 ? '0' + d : lower(*p);
		int ok = o == 0 ? (c >= 'a' && c <= 'z')
		                : ((c >= 'a' && c <= 'z') || is_digit(c) || c == '.' ||
		                   c == '_' || c == '-');
		if (!ok || o >= 32)
			goto bad;
		buf[o++] = (char)c;
		p += k;
	}
	if (o < 2)
		goto bad;
	buf[o] = '\0';
	memcpy(out, buf, o + 1);
	return DL_OK;

bad:
	return dl_err_set(err, DL_EINVAL, field,
	                  _("expected 2 to 32 characters of a-z, 0-9, \".\", \"_\" or \"-\" starting with a letter, got \"%s\""),
	                  echo(in, e));
}

/* Parse an optionally signed decimal (digits made ASCII already) into a sign
 * and magnitude; 0, or -1 when malformed or beyond unsigned long long. */
static int parse_ull(const char *s, int allow_sign, int *neg, unsigned long long *mag)
{
	*neg = 0;
	if (allow_sign && (*s == '+' || *s == '-'))
		*neg = *s++ == '-';
	if (!*s)
		return -1;
	unsigned long long v = 0;
	for (; *s; s++) {
		if (!is_digit((unsigned char)*s))
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*mag = v;
	return 0;
}

dl_status val_id(const char *field, const char *in, long long *out, dl_err *err)
{
	char buf[64], e[ECHO_SZ];
	int neg;
	unsigned long long v = 0;
	if (prep(in, buf, sizeof buf) < 0 || parse_ull(buf, 0, &neg, &v) != 0 || v == 0 ||
	    v > (unsigned long long)LLONG_MAX)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a positive whole number, got \"%s\""), echo(in, e));
	*out = (long long)v;
	return DL_OK;
}

dl_status val_int(const char *field, const char *in, long long min, long long max,
                  long long *out, dl_err *err)
{
	char buf[64], e[ECHO_SZ];
	int neg;
	unsigned long long mag = 0;
	long long v;
	if (prep(in, buf, sizeof buf) < 0 || parse_ull(buf, 1, &neg, &mag) != 0)
		goto bad;
	if (neg) {
		if (mag > (unsigned long long)LLONG_MAX + 1)
			goto bad;
		v = mag == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)mag;
	} else {
		if (mag > (unsigned long long)LLONG_MAX)
			goto bad;
		v = (long long)mag;
	}
	if (v < min || v > max)
		goto bad;
	*out = v;
	return DL_OK;

bad:
	return dl_err_set(err, DL_EINVAL, field,
	                  /* TRANSLATORS: the smallest and largest allowed values, then
	                   * the input. */
	                  _("expected a whole number from %lld to %lld, got \"%s\""), min, max,
	                  echo(in, e));
}
