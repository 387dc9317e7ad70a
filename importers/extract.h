/* extract.h — identifiers found in the text of evidence items: phone numbers,
 * e-mails, URLs, social handles, IMEIs, crypto wallets and IBANs.
 *
 * The scanner is a streaming state machine: bytes go in in chunks of any size
 * (a token split across chunks is still found), memory stays flat (a fixed
 * window of decoded characters), no regex engine. Per item it detects the
 * encoding (BOMs, UTF-16 by its NUL pattern, UTF-8, else the legacy code page,
 * CP1256 unless told otherwise), decodes HTML entities and JSON escapes, and
 * reports each hit in the normal form identifier_normalize gives the same value
 * typed by hand, so that found and typed values link. False positives are kept
 * low by checksums (Luhn, mod-97, Base58Check, bech32) and strict token
 * boundaries: dates, times, hex digests, numbers inside longer digit runs,
 * version numbers and prices are not reported. Formats too generic alone (a
 * bare 8-digit Tunisian number, a landline) need a cue word before them on the
 * same line (هاتف، جوال، موبايل، واتساب، رقم, tel, phone, mobile, whatsapp). */
#ifndef DALIL_EXTRACT_H
#define DALIL_EXTRACT_H

#include <stddef.h>

#include "session.h"
#include "status.h"

/* The kinds found; their names are identifier kinds (extract_kind_names). */
typedef enum extract_kind {
	EX_PHONE, EX_EMAIL, EX_SOCIAL, EX_URL, EX_IMEI, EX_BTC, EX_ETH, EX_TRON, EX_IBAN,
	EX_KINDS
} extract_kind;

/* "phone", "email", "social", "url", "imei", "btc", "eth", "tron", "iban", NULL */
extern const char *const extract_kind_names[];

/* One hit: value is normalised (valid only during the call); offset is the
 * byte offset of the token's first character in the item's original bytes,
 * -1 when there is none (text from an SQLite database). */
typedef void (*extract_hit_fn)(void *ctx, extract_kind kind, const char *value, long long offset);

typedef struct extract extract;

/* A scanner. default_cc is the unit's calling code without "+" ("218", "20",
 * "212", "216"; may be NULL or ""), used for national numbers as val_phone
 * uses it. NULL when out of memory. */
extract *extract_new(const char *default_cc, extract_hit_fn fn, void *ctx);
/* The legacy code page of text that is neither UTF-8 nor UTF-16 (an iconv
 * name, the store setting "codepage"); CP1256 by default. -1 when iconv does
 * not know it (the previous one stays). */
int extract_set_codepage(extract *x, const char *codepage);
/* The next bytes of the current item. */
void extract_feed(extract *x, const void *buf, size_t n);
/* The item ends: the last hits are reported and the scanner is ready for the
 * next item. */
void extract_finish(extract *x);
/* Drop the current item without reporting what is still pending. */
void extract_reset(extract *x);
void extract_free(extract **x);
/* Bytes and characters scanned since extract_new (for measurements). */
unsigned long long extract_bytes(const extract *x);

/* 1 when an item whose first bytes are head (len ≤ 65536 looked at) bears
 * text worth scanning: plain text in UTF-8, UTF-16 or the legacy code page,
 * which covers HTML, JSON, CSV, XML, vCard and WhatsApp chat exports. name
 * (may be NULL) lets a known text extension through a few stray control
 * characters. */
int extract_is_text(const unsigned char *head, size_t len, const char *name);
/* 1 when head starts like an SQLite 3 database. */
int extract_is_sqlite(const unsigned char *head, size_t len);
/* Scan every text value of every table of the SQLite database at path (opened
 * read-only and immutable; the file is evidence, never trusted) as one item
 * whose hits have no offset. Returns 0, or -1 when it cannot be opened as a
 * database. */
int extract_sqlite(extract *x, const char *path);

/* ---- the hits of one item, each (kind, value) once with its first offset -- */

typedef struct extract_hit {
	extract_kind kind;
	char *value;
	long long offset;          /* -1: none */
} extract_hit;

typedef struct extract_set extract_set;
/* A set keeping at most max hits (further new ones are counted as dropped). */
extract_set *extract_set_new(size_t max);
/* 1 added, 0 already there, -1 full or out of memory (dropped). */
int extract_set_add(extract_set *s, extract_kind kind, const char *value, long long offset);
size_t extract_set_count(const extract_set *s);
const extract_hit *extract_set_get(const extract_set *s, size_t i);
unsigned long long extract_set_dropped(const extract_set *s);
void extract_set_clear(extract_set *s);
void extract_set_free(extract_set **s);
/* An extract_hit_fn adding to the extract_set given as ctx. */
void extract_set_hit(void *ctx, extract_kind kind, const char *value, long long offset);

/* At most this many hits are kept per item: a chat database may hold tens of
 * thousands of numbers, and what links cases is there many times over. */
#define EXTRACT_MAX_HITS 4096
/* SQLite members larger than this are not spooled and scanned. */
#define EXTRACT_SQLITE_MAX (512LL << 20)

/* ---- scanning the members of a walk (ingest, dalil extract) --------------- */

/* Members of archives nest: a member's data arrives while its children are
 * walked, so there is one scanner per depth. For each member: begin, its
 * data blocks, then end (or skip when it turned out to be an archive). An
 * SQLite database is spooled to a private unlinked-after file under
 * spool_dir and scanned when it ends. */
typedef struct extract_walk extract_walk;
extract_walk *extract_walk_new(const char *default_cc, const char *codepage, const char *spool_dir);
void extract_walk_begin(extract_walk *e, int depth, const char *name);
void extract_walk_data(extract_walk *e, int depth, const void *buf, size_t n);
/* The member is an archive opened by the walker: its bytes are not text. */
void extract_walk_skip(extract_walk *e, int depth);
/* The member's hits (caller owns the set; NULL when none); *scanned is 1 when
 * the member was text-bearing (or a database) and scanned. */
extract_set *extract_walk_end(extract_walk *e, int depth, int *scanned);
void extract_walk_free(extract_walk **e);

/* ---- dalil extract -------------------------------------------------------- */

typedef struct extract_result {
	long long sources;          /* read */
	long long items;            /* text-bearing items scanned */
	long long missing;          /* sources that could not be read */
	long long kinds[EX_KINDS];  /* identifiers per kind now recorded from the items scanned */
	long long added, removed, updated;
} extract_result;

/* A source that could not be read: its name and why. */
typedef void (*extract_problem_fn)(void *ctx, const char *what, const char *why);

/* Re-read every source of the case (kept copy or in place, following nested
 * archives), scan its text-bearing items and bring the case's item
 * identifiers up to date: new hits added, vanished ones removed, offsets
 * corrected, nothing written when nothing changed. Needs a session that may
 * change the case (DL_EPERM otherwise). DL_EIO (exit 1) when a source could
 * not be read, the others being processed. */
dl_status extract_case(dl_session *s, const char *case_number, extract_problem_fn problem,
                       void *ctx, extract_result *r, dl_err *err);

#endif
