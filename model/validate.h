/* validate.h — checking and normalising values where they enter dalil.
 *
 * Every function takes the field name the user knows ("imei", "opened", "phone")
 * and fills *err with DL_EINVAL, that field and a translated message saying what
 * was expected, when the value is wrong. Inputs are UTF-8; Arabic-Indic (U+0660–
 * U+0669) and Persian (U+06F0–U+06F9) digits are accepted wherever digits are. */
#ifndef DALIL_VALIDATE_H
#define DALIL_VALIDATE_H

#include <stddef.h>

#include "status.h"

/* Copy in to out (outsz bytes) with Arabic-Indic and Persian digits turned to
 * ASCII. Returns the length written, or (size_t)-1 when out is too small. */
size_t val_digits_ascii(const char *in, char *out, size_t outsz);

/* 1 when s is valid UTF-8 (no overlongs, no surrogates), else 0. */
int val_utf8(const char *s);

/* Free text: valid UTF-8, no control characters other than tab and (when
 * multiline) newline, at most maxlen bytes; required rejects empty/blank.
 * Leading and trailing white space is not accepted as content: "  " is blank. */
dl_status val_text(const char *field, const char *in, size_t maxlen, int required,
                   int multiline, dl_err *err);

/* A calendar date YYYY-MM-DD (years 1900–2199, real days incl. leap years),
 * written to out as "YYYY-MM-DD". */
dl_status val_date(const char *field, const char *in, char out[11], dl_err *err);

/* Days since 1970-01-01 of a proleptic Gregorian date: arithmetic only, no
 * time zone or time_t involved. */
long long val_days_from_civil(long long y, int m, int d);
/* Days from date `from` to date `to` (both starting YYYY-MM-DD; negative when
 * to is earlier). Returns 0, or -1 when either is not a date. */
int val_days_between(const char *from, const char *to, long long *days);

/* A time: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS", a space in
 * place of T accepted, optionally followed by "Z" or "+HH:MM"/"-HH:MM". Without
 * an offset the time is taken as UTC. Written to out normalised to UTC as
 * "YYYY-MM-DDTHH:MM:SSZ". */
dl_status val_datetime(const char *field, const char *in, char out[21], dl_err *err);

/* IMEI: 15 digits (spaces, dashes, slashes and dots ignored) whose last digit is
 * the Luhn check digit. out gets the 15 digits. */
dl_status val_imei(const char *field, const char *in, char out[16], dl_err *err);

/* Phone number normalised to E.164 ("+" and 8–15 digits) in out.
 * Accepts spaces, dashes, dots, parentheses, a leading "+" or "00", and the
 * national formats of Libya (+218, trunk 0, 9 significant digits), Egypt (+20,
 * trunk 0, mobiles 01x + 8 digits, landlines 9 significant digits), Morocco
 * (+212, trunk 0, 9 significant digits) and Tunisia (+216, 8 digits, no trunk
 * prefix). A number written with a country code but no "+" (as WhatsApp does,
 * "218912345678") is recognised for those four countries. A national number
 * that could belong to several is resolved with default_cc, the unit's calling
 * code without "+" ("218", "20", "212" or "216"). A redundant trunk 0 after the
 * country code ("+218 091…") is dropped. Significant-number lengths are checked
 * for the four countries; others need 8–15 digits in all. */
dl_status val_phone(const char *field, const char *in, const char *default_cc,
                    char out[17], dl_err *err);

/* E-mail address: one "@", a non-empty local part without spaces, a domain with
 * a dot; out (outsz) gets it with the domain lower-cased. */
dl_status val_email(const char *field, const char *in, char *out, size_t outsz,
                    dl_err *err);

/* IMSI: exactly 15 digits. ICCID: 19 or 20 digits
 * starting "89", Luhn-checked over all digits. */
dl_status val_imsi(const char *field, const char *in, char out[16], dl_err *err);
dl_status val_iccid(const char *field, const char *in, char out[21], dl_err *err);

/* IBAN: country letters, two check digits, up to 30 alphanumerics; spaces
 * ignored, letters upper-cased, mod-97 check must give 1. out >= 35 bytes. */
dl_status val_iban(const char *field, const char *in, char out[35], dl_err *err);

/* Crypto wallets. BTC: Base58Check P2PKH/P2SH ("1…", "3…", version byte 0/5,
 * double-SHA-256 checksum) or bech32/bech32m ("bc1…", checksum verified), out
 * as given (bech32 lower-cased). ETH: "0x" + 40 hex digits, out lower-cased.
 * TRON: Base58Check with version byte 0x41 ("T…", 34 characters). out >= 91. */
dl_status val_btc(const char *field, const char *in, char *out, size_t outsz, dl_err *err);
dl_status val_eth(const char *field, const char *in, char *out, size_t outsz, dl_err *err);
dl_status val_tron(const char *field, const char *in, char *out, size_t outsz, dl_err *err);

/* URL: "http://" or "https://" (scheme case-insensitive, lower-cased in out),
 * a host, no spaces or control characters. */
dl_status val_url(const char *field, const char *in, char *out, size_t outsz, dl_err *err);

/* Social handle: platform is one of facebook, telegram, whatsapp, tiktok,
 * instagram, signal, x, snapchat, other; the handle loses a leading "@" and is
 * lower-cased (whatsapp and signal handles are phone numbers and go through
 * val_phone). out gets "platform:handle". */
dl_status val_social(const char *field, const char *platform, const char *handle,
                     const char *default_cc, char *out, size_t outsz, dl_err *err);

/* Hex digest of exactly hexlen digits (32 MD5, 40 SHA-1, 64 SHA-256), out
 * lower-cased (hexlen+1 bytes). */
dl_status val_hex(const char *field, const char *in, size_t hexlen, char *out, dl_err *err);

/* Case number: 3–40 characters of A–Z a–z 0–9 and / - _ . , starting with a
 * letter or digit; letters are upper-cased and digits made ASCII in out. */
dl_status val_case_number(const char *field, const char *in, char out[41], dl_err *err);

/* Username: 2–32 characters of a–z 0–9 . _ - starting with a letter; out is
 * lower-cased. */
dl_status val_username(const char *field, const char *in, char out[33], dl_err *err);

/* Enumerations: names[] is a NULL-terminated list; *out gets the index of in.
 * The message lists every allowed name. */
dl_status val_enum(const char *field, const char *in, const char *const names[],
                   int *out, dl_err *err);

/* Comma-separated set of names from names[] (at most 31); *mask gets bit i for
 * names[i]. Empty items and repeats are rejected; required rejects an empty set. */
dl_status val_enum_set(const char *field, const char *in, const char *const names[],
                       int required, unsigned *mask, dl_err *err);

/* Positive integer id (decimal, Arabic digits accepted) in *out. */
dl_status val_id(const char *field, const char *in, long long *out, dl_err *err);

/* Whole number in [min, max]. */
dl_status val_int(const char *field, const char *in, long long min, long long max,
                  long long *out, dl_err *err);

#endif
