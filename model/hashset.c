/* hashset.c — see hashset.h. An import streams the file line by line through
 * one prepared INSERT into a staging table, then moves the hashes into the set
 * in sorted order, all in one transaction. The entries are not audited row by
 * row: the digest of the sorted entries stands in for them in the audited
 * hashsets row, and hashset_check() recomputes it. */
#include "hashset.h"
#include "crypto.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <errno.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const kind_names[] = {"alert", "known-good", NULL};

#define NAME_MAX_CHARS 100
/* Longer lines are no hash list: NSRL lines with long file names stay far below. */
#define LINE_MAX_BYTES 65536
/* Columns of a hashdeep or NSRL header we keep track of. */
#define MAX_COLS 32
/* What the message quotes of a bad line. */
#define ECHO_BYTES 48

/* ---- parsing ---------------------------------------------------------- */

typedef enum hs_format { FMT_PLAIN, FMT_HASHDEEP, FMT_NSRL } hs_format;

/* Expected content of a column: a hash of that many hex digits, a file size,
 * or anything. */
enum { COL_ANY = 0, COL_SIZE = -1 };

typedef struct hs_parser {
	hs_format format;
	long long header_line;     /* line of the hashdeep column line or NSRL header */
	int ncols;                 /* columns read from each line (hashdeep: before the name) */
	int col[MAX_COLS];         /* COL_ANY, COL_SIZE or the hex length wanted */
	long long hashes_seen;
} hs_parser;

typedef struct span {
	const char *p;
	size_t n;
} span;

/* Lower-case n hex digits of p into out (n+1 bytes); 0 when one is not hex. */
static int hex_lower(const char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch >= '0' && ch <= '9')
			out[i] = (char)ch;
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			out[i] = (char)(ch | 0x20);
		else
			return 0;
	}
	out[n] = '\0';
	return 1;
}

static int hash_len_ok(size_t n)
{
	return n == 32 || n == 40 || n == 64;
}

static int all_digits(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static span trim_span(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return (span){p, n};
}

/* The start of a bad line for a message: at most ECHO_BYTES, cut on a
 * character boundary, control characters and invalid UTF-8 shown as '?'. */
static void echo_line(const char *s, size_t n, char out[ECHO_BYTES + 8])
{
	size_t k = n;
	int cut = 0;
	if (k > ECHO_BYTES) {
		k = ECHO_BYTES;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		cut = 1;
	}
	for (size_t i = 0; i < k; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	out[k] = '\0';
	if (!val_utf8(out))
		for (size_t i = 0; i < k; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
	if (cut)
		strcpy(out + k, "…");
}

/* Split a CSV line into fields, at most max of them (quotes removed; doubled
 * quotes inside are left as they are: only hash columns are read). Returns the
 * number of fields found (max when there are more), -1 when a quote is not
 * closed or text follows a closing quote. */
static int csv_split(const char *p, const char *end, span *f, int max)
{
	int n = 0;
	for (;;) {
		const char *s, *e;
		if (p < end && *p == '"') {
			s = ++p;
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(end - p));
				if (!q)
					return -1;
				if (q + 1 < end && q[1] == '"') {
					p = q + 2;
					continue;
				}
				e = q;
				p = q + 1;
				break;
			}
			if (p < end && *p != ',')
				return -1;
		} else {
			s = p;
			const char *q = memchr(p, ',', (size_t)(end - p));
			e = q ? q : end;
			p = e;
		}
		f[n++] = trim_span(s, (size_t)(e - s));
		if (p >= end || n == max)
			return n;
		p++;   /* the comma */
	}
}

static int name_is(span f, const char *name)
{
	return f.n == strlen(name) && strncasecmp(f.p, name, f.n) == 0;
}

/* The hex length an NSRL or hashdeep column name stands for, else 0. */
static int column_hash_len(span f)
{
	if (name_is(f, "md5"))
		return 32;
	if (name_is(f, "sha-1") || name_is(f, "sha1"))
		return 40;
	if (name_is(f, "sha-256") || name_is(f, "sha256"))
		return 64;
	return 0;
}

/* A hashdeep column line, "size,md5,sha256,filename" (after "%%%% "). */
static int parse_hashdeep_columns(hs_parser *ps, const char *p, const char *end)
{
	span f[MAX_COLS + 1];
	int n = csv_split(p, end, f, MAX_COLS + 1);
	if (n < 2 || n > MAX_COLS || !name_is(f[n - 1], "filename"))
		return 0;
	ps->format = FMT_HASHDEEP;
	ps->ncols = n - 1;
	for (int i = 0; i < n - 1; i++)
		ps->col[i] = name_is(f[i], "size") ? COL_SIZE : column_hash_len(f[i]);
	return 1;
}

/* An NSRL RDS header: comma-separated (usually quoted) names including
 * "SHA-1" or "MD5". */
static int parse_nsrl_header(hs_parser *ps, const char *p, const char *end)
{
	if (!memchr(p, ',', (size_t)(end - p)))
		return 0;
	span f[MAX_COLS];
	int n = csv_split(p, end, f, MAX_COLS);
	int last = -1;
	int col[MAX_COLS];
	for (int i = 0; i < n; i++) {
		if ((col[i] = column_hash_len(f[i])) != 0)
			last = i;
	}
	if (last < 0)
		return 0;
	ps->format = FMT_NSRL;
	ps->ncols = last + 1;
	memcpy(ps->col, col, sizeof col[0] * (size_t)ps->ncols);
	return 1;
}

typedef struct hs_import {
	dl_store *st;
	sqlite3_stmt *ins;         /* into the staging table, reused for every hash */
} hs_import;

static dl_status add_hash(hs_import *im, const char *hex, size_t n, dl_err *err)
{
	sqlite3_bind_text(im->ins, 1, hex, (int)n, SQLITE_STATIC);
	int rc = sqlite3_step(im->ins);
	sqlite3_reset(im->ins);
	if (rc != SQLITE_DONE)
		return store_sqlerr(im->st, err, "file");
	return DL_OK;
}

static dl_status bad_line(dl_err *err, long long line, const char *s, size_t n)
{
	char e[ECHO_BYTES + 8];
	echo_line(s, n, e);
	return dl_err_set(err, DL_EINVAL, "file",
	                  /* TRANSLATORS: %lld is a line number of the file, %s the start
	                   * of that line. */
	                  _("line %lld: expected an MD5, SHA-1 or SHA-256 hash, got \"%s\""), line, e);
}

/* The columns of one hashdeep or NSRL data line, checked and added. */
static dl_status parse_columns(hs_parser *ps, hs_import *im, long long line, const char *p,
                               const char *end, dl_err *err)
{
	span f[MAX_COLS];
	int n;
	if (ps->format == FMT_NSRL) {
		n = csv_split(p, end, f, ps->ncols);
	} else {
		/* hashdeep: the file name, last, may hold commas of its own */
		n = 0;
		const char *q = p;
		while (n < ps->ncols) {
			const char *c = memchr(q, ',', (size_t)(end - q));
			if (!c)
				break;
			f[n++] = trim_span(q, (size_t)(c - q));
			q = c + 1;
		}
	}
	if (n < ps->ncols) {
		char e[ECHO_BYTES + 8];
		echo_line(p, (size_t)(end - p), e);
		return dl_err_set(err, DL_EINVAL, "file",
		                  /* TRANSLATORS: %lld are line numbers of the file, %s the
		                   * start of the bad line. */
		                  _("line %lld: fewer columns than the header on line %lld names: \"%s\""),
		                  line, ps->header_line, e);
	}
	for (int i = 0; i < ps->ncols; i++) {
		char hex[65];
		int want = ps->col[i];
		if (want == COL_ANY)
			continue;
		if (want == COL_SIZE) {
			if (all_digits(f[i].p, f[i].n))
				continue;
		} else if (f[i].n == 0 && ps->format == FMT_NSRL) {
			continue;   /* NSRL leaves a hash it does not have empty */
		} else if (f[i].n == (size_t)want && hex_lower(f[i].p, f[i].n, hex)) {
			dl_status rc = add_hash(im, hex, f[i].n, err);
			if (rc != DL_OK)
				return rc;
			ps->hashes_seen++;
			continue;
		}
		char e[ECHO_BYTES + 8];
		echo_line(f[i].p, f[i].n, e);
		if (want == COL_SIZE)
			return dl_err_set(err, DL_EINVAL, "file",
			                  /* TRANSLATORS: %lld is a line number, %d a column
			                   * number (from 1), %s what the column holds. */
			                  _("line %lld, column %d: expected a size in bytes, got \"%s\""),
			                  line, i + 1, e);
		return dl_err_set(err, DL_EINVAL, "file",
		                  /* TRANSLATORS: %lld is a line number, the first %d a
		                   * column number (from 1), the second the number of
		                   * hexadecimal digits wanted, %s what the column holds. */
		                  P_("line %lld, column %d: expected %d hexadecimal digit, got \"%s\"",
		                     "line %lld, column %d: expected %d hexadecimal digits, got \"%s\"", want),
		                  line, i + 1, want, e);
	}
	return DL_OK;
}

/* One line (without its line break). */
static dl_status parse_line(hs_parser *ps, hs_import *im, long long line, const char *s, size_t n,
                            dl_err *err)
{
	span t = trim_span(s, n);
	const char *p = t.p, *end = t.p + t.n;
	if (t.n == 0 || *p == '#')
		return DL_OK;   /* blank, a comment, or hashdeep's "## " lines */
	if (t.n >= 4 && !memcmp(p, "%%%%", 4)) {
		/* hashdeep headers; the one naming the columns sets the format */
		span rest = trim_span(p + 4, t.n - 4);
		if (ps->format == FMT_PLAIN && ps->hashes_seen == 0 &&
		    parse_hashdeep_columns(ps, rest.p, rest.p + rest.n))
			ps->header_line = line;
		return DL_OK;
	}
	if (ps->format != FMT_PLAIN)
		return parse_columns(ps, im, line, p, end, err);
	if (ps->hashes_seen == 0 && parse_nsrl_header(ps, p, end)) {
		ps->header_line = line;
		return DL_OK;
	}
	/* a plain list, or md5deep/sha1sum style "HASH  PATH" */
	size_t k = 0;
	while (k < t.n && p[k] != ' ' && p[k] != '\t')
		k++;
	char hex[65];
	if (hash_len_ok(k) && hex_lower(p, k, hex)) {
		ps->hashes_seen++;
		return add_hash(im, hex, k, err);
	}
	if (k <= 64 && hex_lower(p, k, hex)) {
		return dl_err_set(err, DL_EINVAL, "file",
		                  /* TRANSLATORS: %lld is a line number, %zu the number of
		                   * hexadecimal digits found on it. */
		                  P_("line %lld: %zu hexadecimal digit is no MD5 (32), SHA-1 (40) or SHA-256 (64)",
		                     "line %lld: %zu hexadecimal digits are no MD5 (32), SHA-1 (40) or SHA-256 (64)",
		                     k),
		                  line, k);
	}
	return bad_line(err, line, p, t.n);
}

/* ---- digests ---------------------------------------------------------- */

/* SHA-256 over the set's entries in ascending order, each followed by "\n",
 * streamed from the (hashset_id, hash) index; *count gets the number of
 * entries. 0, or -1 on a database or libgcrypt error. */
static int entries_digest(dl_store *st, long long set_id, char out[65], long long *count)
{
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0) != 0)
		return -1;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT hash FROM hashset_entries WHERE hashset_id = ? ORDER BY hash", NULL);
	if (!q) {
		gcry_md_close(md);
		return -1;
	}
	sqlite3_bind_int64(q, 1, set_id);
	long long n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const void *h = sqlite3_column_text(q, 0);
		gcry_md_write(md, h, (size_t)sqlite3_column_bytes(q, 0));
		gcry_md_write(md, "\n", 1);
		n++;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE) {
		crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, out);
		*count = n;
	}
	gcry_md_close(md);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- import ----------------------------------------------------------- */

static dl_status check_name(const char *name, dl_err *err)
{
	dl_status rc = val_text("name", name, 4 * NAME_MAX_CHARS, 1, 0, err);
	if (rc != DL_OK)
		return rc;
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	if (chars > NAME_MAX_CHARS)
		return dl_err_set(err, DL_EINVAL, "name",
		                  P_("expected at most %d character, got %zu",
		                     "expected at most %d characters, got %zu", NAME_MAX_CHARS),
		                  NAME_MAX_CHARS, chars);
	return DL_OK;
}

/* The file's base name as text for the store: invalid UTF-8 and control
 * characters become '?'. Caller frees. */
static char *base_name(const char *file)
{
	const char *b = strrchr(file, '/');
	char *s = strdup(b ? b + 1 : file);
	if (!s)
		return NULL;
	int utf8 = val_utf8(s);
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (!utf8 && *p >= 0x80))
			*p = '?';
	return s;
}

/* Read file, every hash found going through im->ins; the file's SHA-256 into
 * file_sha256. */
static dl_status read_file(FILE *f, const char *file, hs_import *im, char file_sha256[65],
                           dl_err *err)
{
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0) != 0)
		return dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
	hs_parser ps;
	memset(&ps, 0, sizeof ps);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long lineno = 0;
	dl_status rc = DL_OK;
	errno = 0;
	while (rc == DL_OK && (n = getline(&line, &cap, f)) > 0) {
		gcry_md_write(md, line, (size_t)n);
		lineno++;
		size_t len = (size_t)n;
		if (len && line[len - 1] == '\n')
			len--;
		if (len && line[len - 1] == '\r')
			len--;
		const char *s = line;
		if (lineno == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;   /* UTF-8 byte order mark */
			len -= 3;
		}
		if (len > LINE_MAX_BYTES || memchr(s, '\0', len))
			rc = dl_err_set(err, DL_EINVAL, "file",
			                /* TRANSLATORS: %lld is a line number of the file. */
			                _("line %lld: not a line of text (a NUL byte, or longer than 64 KiB)"),
			                lineno);
		else
			rc = parse_line(&ps, im, lineno, s, len, err);
	}
	if (rc == DL_OK && ferror(f))
		rc = dl_err_set(err, DL_EINVAL, "file", _("cannot read %s: %s"), file,
		                strerror(errno ? errno : EIO));
	free(line);
	if (rc == DL_OK)
		crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, file_sha256);
	gcry_md_close(md);
	return rc;
}

/* Hits of the new set on the items already stored. Walks whichever is
 * smaller, the set's entries or the items, probing the other's indexes. */
static dl_status record_hits(dl_store *st, long long set_id, long long entries, long long *hits,
                             dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT IFNULL(max(id), 0) FROM evidence_items", err);
	if (!q)
		return DL_EDB;
	long long items = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	*hits = 0;
	if (items == 0)
		return DL_OK;
	q = store_prepare(st, entries < items
		? "INSERT INTO item_hits (item_id, hashset_id)"
		  " SELECT i.id, ?1 FROM hashset_entries e CROSS JOIN evidence_items i ON i.md5 = e.hash"
		  "  WHERE e.hashset_id = ?1 AND length(e.hash) = 32"
		  " UNION SELECT i.id, ?1 FROM hashset_entries e CROSS JOIN evidence_items i ON i.sha1 = e.hash"
		  "  WHERE e.hashset_id = ?1 AND length(e.hash) = 40"
		  " UNION SELECT i.id, ?1 FROM hashset_entries e CROSS JOIN evidence_items i ON i.sha256 = e.hash"
		  "  WHERE e.hashset_id = ?1 AND length(e.hash) = 64"
		: "INSERT INTO item_hits (item_id, hashset_id)"
		  " SELECT i.id, ?1 FROM evidence_items i WHERE EXISTS (SELECT 1 FROM hashset_entries e"
		  "  WHERE e.hashset_id = ?1 AND e.hash IN (i.md5, i.sha1, i.sha256))", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, set_id);
	dl_status rc = store_step_done(st, q, err, "");
	sqlite3_finalize(q);
	if (rc == DL_OK)
		*hits = sqlite3_changes(st->db);
	return rc;
}

static dl_status import_txn(dl_session *s, const char *name, const char *kind, FILE *f,
                            const char *file, long long *entries, long long *hits, dl_err *err)
{
	dl_store *st = s->store;
	sqlite3_stmt *q = store_prepare(st, "SELECT 1 FROM hashsets WHERE name = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int taken;
	dl_status trc = store_step_one(st, q, &taken, err);
	sqlite3_finalize(q);
	if (trc != DL_OK)
		return trc;
	if (taken)
		return dl_err_set(err, DL_EEXIST, "name", _("a hash set named \"%s\" already exists"), name);

	char now[21];
	store_now(now);
	char *fname = base_name(file);
	if (!fname)
		return store_nomem(err);
	q = store_prepare(st,
		"INSERT INTO hashsets (name, kind, entry_count, file_name, imported_by, imported_at)"
		" VALUES (?, ?, 0, ?, ?, ?)", err);
	if (!q) {
		free(fname);
		return DL_EDB;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	store_bind_text(q, 3, fname);
	store_bind_id(q, 4, s->user_id);
	sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
	dl_status rc = store_step_done(st, q, err, "name");
	sqlite3_finalize(q);
	free(fname);
	if (rc == DL_EEXIST)
		return dl_err_set(err, DL_EEXIST, "name", _("a hash set named \"%s\" already exists"), name);
	if (rc != DL_OK)
		return rc;
	long long set_id = sqlite3_last_insert_rowid(st->db);

	/* The hashes go to a staging table in file order first, then into the
	 * set's two indexes in sorted order: inserting a million random hashes
	 * straight into the indexes takes several times longer, the more so on a
	 * machine with little memory for SQLite's page cache. The staging table
	 * is temporary, outside the audit, and gone with the transaction. */
	if (sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.hashset_stage;"
	                         " CREATE TEMP TABLE hashset_stage (hash TEXT NOT NULL)",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "");
	hs_import im = {st, NULL};
	im.ins = store_prepare(st, "INSERT INTO temp.hashset_stage (hash) VALUES (?)", err);
	if (!im.ins)
		return DL_EDB;
	char file_sha256[65];
	rc = read_file(f, file, &im, file_sha256, err);
	sqlite3_finalize(im.ins);
	if (rc != DL_OK)
		return rc;
	q = store_prepare(st,
		"INSERT OR IGNORE INTO hashset_entries (hashset_id, hash)"
		" SELECT ?, hash FROM temp.hashset_stage ORDER BY hash", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, set_id);
	rc = store_step_done(st, q, err, "file");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	long long added = sqlite3_changes(st->db);
	if (sqlite3_exec(st->db, "DROP TABLE temp.hashset_stage", NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "");
	if (added == 0)
		return dl_err_set(err, DL_EINVAL, "file", _("%s holds no MD5, SHA-1 or SHA-256 hash"), file);

	char digest[65];
	long long count = 0;
	if (entries_digest(st, set_id, digest, &count) != 0)
		return store_sqlerr(st, err, "");
	if (count != added)
		return dl_err_set(err, DL_EDB, "", _("internal error: %lld hashes added, %lld stored"),
		                  added, count);
	if ((rc = record_hits(st, set_id, count, hits, err)) != DL_OK)
		return rc;
	q = store_prepare(st,
		"UPDATE hashsets SET entry_count = ?, entries_sha256 = ?, file_sha256 = ? WHERE id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, count);
	sqlite3_bind_text(q, 2, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, file_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, set_id);
	rc = store_step_done(st, q, err, "");
	sqlite3_finalize(q);
	*entries = count;
	return rc;
}

dl_status hashset_import(dl_session *s, const char *name, const char *file, const char *kind,
                         long long *entries, long long *hits, dl_err *err)
{
	long long n_entries = 0, n_hits = 0;
	if (entries)
		*entries = 0;
	if (hits)
		*hits = 0;
	dl_status rc = perm_case_create(s, err);
	if (rc != DL_OK)
		return rc;
	int k;
	if ((rc = check_name(name, err)) != DL_OK ||
	    (rc = val_enum("kind", kind, kind_names, &k, err)) != DL_OK)
		return rc;
	if (!file || !*file)
		return dl_err_set(err, DL_EINVAL, "file", _("a file of hashes is required"));
	FILE *f = fopen(file, "re");
	if (!f)
		return dl_err_set(err, DL_EINVAL, "file", _("cannot read %s: %s"), file, strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return dl_err_set(err, DL_EINVAL, "file", _("cannot read %s: %s"), file, strerror(EISDIR));
	}
	if ((rc = session_begin(s, err)) != DL_OK) {
		fclose(f);
		return rc;
	}
	rc = import_txn(s, name, kind_names[k], f, file, &n_entries, &n_hits, err);
	fclose(f);
	if (rc != DL_OK) {
		store_rollback(s->store);
		return rc;
	}
	if ((rc = store_commit(s->store, err)) != DL_OK)
		return rc;
	if (entries)
		*entries = n_entries;
	if (hits)
		*hits = n_hits;
	return DL_OK;
}

/* ---- reading ---------------------------------------------------------- */

dl_status hashset_list(dl_session *s, dl_hashset_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT h.id, h.name, h.kind, h.entry_count, h.entries_sha256, h.file_name, h.file_sha256,"
		" u.username, h.imported_at, IFNULL(v.n, 0)"
		" FROM hashsets h LEFT JOIN users u ON u.id = h.imported_by"
		" LEFT JOIN (SELECT x.hashset_id AS sid, count(*) AS n FROM item_hits x"
		"   JOIN evidence_items i ON i.id = x.item_id"
		"   JOIN evidence_sources es ON es.id = i.source_id"
		"   JOIN cases c ON c.id = es.case_id"
		"   WHERE " PERM_CASE_VISIBLE_SQL " GROUP BY x.hashset_id) v ON v.sid = h.id"
		" ORDER BY h.name", err);
	if (!q)
		return DL_EDB;
	perm_bind(s, q);
	size_t cap = 0;
	int rc;
	unsigned long mark = store_oom_mark();
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			dl_hashset *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = SQLITE_NOMEM;   /* ours, not SQLite's */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_hashset *h = &out->v[out->n++];
		h->id = sqlite3_column_int64(q, 0);
		h->name = store_col_dup(q, 1);
		h->kind = store_col_dup(q, 2);
		h->entry_count = sqlite3_column_int64(q, 3);
		h->entries_sha256 = store_col_dup(q, 4);
		h->file_name = store_col_dup(q, 5);
		h->file_sha256 = store_col_dup(q, 6);
		h->imported_by = store_col_dup(q, 7);
		h->imported_at = store_col_dup(q, 8);
		h->item_hits = sqlite3_column_int64(q, 9);
	}
	dl_status st = rc == SQLITE_NOMEM ? store_nomem(err)
	             : rc == SQLITE_DONE ? store_oom_check(mark, err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (st != DL_OK)
		hashset_list_free(out);
	return st;
}

void hashset_list_free(dl_hashset_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		dl_hashset *h = &l->v[i];
		free(h->name); free(h->kind); free(h->entries_sha256);
		free(h->file_name); free(h->file_sha256);
		free(h->imported_by); free(h->imported_at);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- hits ------------------------------------------------------------- */

dl_status hashset_flag_item(dl_store *st, long long item_id, const char *md5, const char *sha1,
                            const char *sha256, int *hits, dl_err *err)
{
	*hits = 0;
	if (!st->in_txn)
		return dl_err_set(err, DL_EDB, "", _("internal error: no transaction"));
	if (!(md5 && *md5) && !(sha1 && *sha1) && !(sha256 && *sha256))
		return DL_OK;
	/* Called for every item of an ingest: the common case, no hit, costs one
	 * indexed look-up. */
	sqlite3_stmt *q = store_cached(st,
		"SELECT count(DISTINCT hashset_id) FROM hashset_entries WHERE hash IN (?1, ?2, ?3)", err);
	if (!q)
		return DL_EDB;
	store_bind_text(q, 1, md5);
	store_bind_text(q, 2, sha1);
	store_bind_text(q, 3, sha256);
	int rc = sqlite3_step(q);
	int n = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_sqlerr(st, err, "");
	if (n == 0)
		return DL_OK;
	q = store_cached(st,
		"INSERT OR IGNORE INTO item_hits (item_id, hashset_id)"
		" SELECT DISTINCT ?4, hashset_id FROM hashset_entries WHERE hash IN (?1, ?2, ?3)", err);
	if (!q)
		return DL_EDB;
	store_bind_text(q, 1, md5);
	store_bind_text(q, 2, sha1);
	store_bind_text(q, 3, sha256);
	sqlite3_bind_int64(q, 4, item_id);
	dl_status st_rc = store_step_done(st, q, err, "");
	sqlite3_reset(q);
	if (st_rc == DL_OK)
		*hits = n;
	return st_rc;
}

void hashset_item_hits(dl_store *st, long long item_id, char *out, size_t outsz)
{
	if (!outsz)
		return;
	out[0] = '\0';
	sqlite3_stmt *q = store_prepare(st,
		"SELECT h.name FROM item_hits x JOIN hashsets h ON h.id = x.hashset_id"
		" WHERE x.item_id = ? ORDER BY h.name", NULL);
	if (!q)
		return;
	sqlite3_bind_int64(q, 1, item_id);
	dl_buf b = {0};
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (b.len)
			buf_addc(&b, ',');
		buf_adds(&b, (const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
	/* cut on a character boundary, never in the middle of one */
	size_t k = b.len < outsz - 1 ? b.len : outsz - 1;
	if (k < b.len)
		while (k > 0 && ((unsigned char)b.data[k] & 0xC0) == 0x80)
			k--;
	if (k)
		memcpy(out, b.data, k);
	out[k] = '\0';
	buf_free(&b);
}

/* ---- verification ----------------------------------------------------- */

int hashset_check(dl_store *st, void (*problem)(void *ctx, long long set_id, const char *what),
                  void *ctx)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, name, entry_count, entries_sha256 FROM hashsets ORDER BY id", NULL);
	if (!q)
		return -1;
	int bad = 0, rc;
	char what[320];
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 1);
		long long want_n = sqlite3_column_int64(q, 2);
		const char *want = (const char *)sqlite3_column_text(q, 3);
		char got[65];
		long long n = 0;
		if (entries_digest(st, id, got, &n) != 0) {
			sqlite3_finalize(q);
			return -1;
		}
		if (want && n == want_n && !strcmp(got, want))
			continue;
		bad++;
		if (problem) {
			snprintf(what, sizeof what,
			         /* TRANSLATORS: %s is the hash set's name. */
			         _("the hashes of set \"%s\" were changed outside dalil: their digest differs"),
			         name ? name : "");
			problem(ctx, id, what);
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -1;
	/* Entries of a set that does not exist were added by hand. */
	q = store_prepare(st,
		"SELECT DISTINCT hashset_id FROM hashset_entries"
		" WHERE hashset_id NOT IN (SELECT id FROM hashsets)", NULL);
	if (!q)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		bad++;
		if (problem) {
			snprintf(what, sizeof what, "%s",
			         _("hashes of a hash set that does not exist were added outside dalil"));
			problem(ctx, sqlite3_column_int64(q, 0), what);
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? bad : -1;
}
