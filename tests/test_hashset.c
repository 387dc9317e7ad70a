/* test_hashset.c — hash sets: bad input first (nothing may be written), then
 * each file format with known digests, the entries digest, hits on stored and
 * arriving items, hand edits found by hashset_check, who sees which hits, and
 * who may import. */
#include "testutil.h"
#include "audit.h"
#include "crypto.h"
#include "hashset.h"
#include "store_priv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CASE_A "2026/TIP/0001"
#define CASE_B "2026/SOM/0002"

#define MD5_ABC "900150983cd24fb0d6963f7d28e17f72"
#define SHA1_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"
#define SHA1_EMPTY "da39a3ee5e6b4b0d3255bfef95601890afd80709"

/* The files a test writes live in its store directory: remove them before
 * the store itself goes. */
static int hs_teardown(void **state)
{
	tu_store *t = *state;
	DIR *d = opendir(t->dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (!strncmp(e->d_name, "dalil.db", 8) || e->d_name[0] == '.')
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	return tu_teardown(state);
}

/* Write content to t->dir/name; the path goes to path. */
static void write_file(tu_store *t, const char *name, const char *content, char path[512])
{
	snprintf(path, 512, "%s/%s", t->dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
}

/* Everything an import may write. */
static long long rows(tu_store *t)
{
	return tu_count(t, "SELECT (SELECT count(*) FROM hashsets) + (SELECT count(*) FROM hashset_entries)"
	                   " + (SELECT count(*) FROM item_hits) + (SELECT count(*) FROM audit_log)");
}

static void expect_bad(tu_store *t, dl_session *s, const char *name, const char *file,
                       const char *kind, dl_status want, const char *field, const char *in_msg)
{
	long long before = rows(t), entries = -7, hits = -7;
	dl_err err;
	tu_expect(hashset_import(s, name, file, kind, &entries, &hits, &err), want, &err, field);
	if (in_msg && !strstr(err.msg, in_msg))
		fail_msg("message \"%s\" does not mention \"%s\"", err.msg, in_msg);
	assert_int_equal(entries, 0);
	assert_int_equal(hits, 0);
	assert_int_equal(rows(t), before);
}

static void import_ok(dl_session *s, const char *name, const char *file, const char *kind,
                      long long want_entries, long long want_hits)
{
	long long entries = -1, hits = -1;
	dl_err err;
	tu_expect(hashset_import(s, name, file, kind, &entries, &hits, &err), DL_OK, &err, NULL);
	assert_int_equal(entries, want_entries);
	assert_int_equal(hits, want_hits);
}

/* The set called name as hashset_list shows it to s; fails when missing. */
static dl_hashset *find_set(dl_session *s, const char *name, dl_hashset_list *l)
{
	dl_err err;
	tu_expect(hashset_list(s, l, &err), DL_OK, &err, NULL);
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	fail_msg("no hash set \"%s\" listed", name);
	return NULL;
}

/* 1 when the set holds hash. */
static int holds(tu_store *t, const char *set, const char *hash)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM hashset_entries e JOIN hashsets h"
	         " ON h.id = e.hashset_id WHERE h.name = '%s' AND e.hash = '%s'", set, hash);
	return (int)tu_count(t, sql);
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	char ok[512], path[512];
	write_file(t, "ok.txt", MD5_ABC "\n", ok);

	expect_bad(t, &t->inv, "known bad", ok, "bad", DL_EINVAL, "kind", "alert");
	expect_bad(t, &t->inv, "known bad", ok, NULL, DL_EINVAL, "kind", NULL);
	expect_bad(t, &t->inv, "", ok, "alert", DL_EINVAL, "name", NULL);
	expect_bad(t, &t->inv, "   ", ok, "alert", DL_EINVAL, "name", NULL);
	expect_bad(t, &t->inv, NULL, ok, "alert", DL_EINVAL, "name", NULL);
	expect_bad(t, &t->inv, "two\nlines", ok, "alert", DL_EINVAL, "name", NULL);
	expect_bad(t, &t->inv, "bad \xff utf-8", ok, "alert", DL_EINVAL, "name", NULL);
	/* 101 Arabic letters (202 bytes) are too many; 100 are fine below */
	char name[512] = "";
	for (int i = 0; i < 101; i++)
		strcat(name, "ب");
	expect_bad(t, &t->inv, name, ok, "alert", DL_EINVAL, "name", "100");

	/* files that cannot be read or hold no hash */
	char missing[512];
	snprintf(missing, sizeof missing, "%s/no-such-file.txt", t->dir);
	expect_bad(t, &t->inv, "known bad", missing, "alert", DL_EINVAL, "file", "No such file");
	expect_bad(t, &t->inv, "known bad", t->dir, "alert", DL_EINVAL, "file", "directory");
	expect_bad(t, &t->inv, "known bad", NULL, "alert", DL_EINVAL, "file", NULL);
	expect_bad(t, &t->inv, "known bad", "", "alert", DL_EINVAL, "file", NULL);
	write_file(t, "empty.txt", "", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", NULL);
	write_file(t, "comments.txt", "# only a comment\n\n   \n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", NULL);
	write_file(t, "hdr.txt", "%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n## nothing\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", NULL);

	/* a bad line anywhere: nothing of the good lines before it stays */
	write_file(t, "garbage.txt", MD5_ABC "\n" SHA1_ABC "\nthis is not a hash\n" SHA256_ABC "\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 3");
	write_file(t, "short.txt", SHA1_ABC "\n" "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\n",
	           path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 2");
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "63");
	write_file(t, "nonhex.txt", "900150983cd24fb0d6963f7d28e17g72\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 1");
	write_file(t, "csvish.txt", MD5_ABC ",abc.txt\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 1");
	/* a NUL byte is no text */
	snprintf(path, sizeof path, "%s/nul.txt", t->dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	static const char nul[] = MD5_ABC "\n" MD5_EMPTY "  /evidence/a\0b\n";
	fwrite(nul, 1, sizeof nul - 1, f);
	fclose(f);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 2");
	/* hashdeep and NSRL lines that do not fit their header */
	write_file(t, "hd-bad.txt",
	           "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n"
	           "3," MD5_ABC "," SHA256_ABC ",/e/abc\n"
	           "3," MD5_ABC ",/e/abc\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 4");
	write_file(t, "hd-md5.txt",
	           "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n"
	           "3," SHA1_ABC "," SHA256_ABC ",/e/abc\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "column 2");
	write_file(t, "hd-size.txt",
	           "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n"
	           "three," MD5_ABC "," SHA256_ABC ",/e/abc\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "column 1");
	write_file(t, "nsrl-bad.txt",
	           "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\"\n"
	           "\"" SHA1_ABC "\",\"" SHA256_ABC "\",\"352441C2\",\"abc\"\n", path);
	expect_bad(t, &t->inv, "known bad", path, "alert", DL_EINVAL, "file", "line 2");

	/* a taken name */
	import_ok(&t->inv, "known bad", ok, "alert", 1, 0);
	expect_bad(t, &t->inv, "known bad", ok, "known-good", DL_EEXIST, "name", "known bad");
	/* and the clerk: reads, never imports */
	expect_bad(t, &t->clerk, "clerk's set", ok, "alert", DL_EPERM, NULL, NULL);
	tu_audit_intact(t);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A bad line after many good ones leaves nothing; the same file without it
 * imports whole, with the digest of its sorted entries. */
static void test_large_file_one_transaction(void **state)
{
	tu_store *t = *state;
	enum { N = 20000 };
	char path[512];
	snprintf(path, sizeof path, "%s/many.txt", t->dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	static char hashes[N][41];
	for (int i = 0; i < N; i++) {
		char in[16], hex[65];
		snprintf(in, sizeof in, "%d", i);
		crypto_sha256_hex(in, strlen(in), hex);
		memcpy(hashes[i], hex, 40);   /* 40 hex digits: a SHA-1 to the importer */
		hashes[i][40] = '\0';
		fprintf(f, "%s\n", hashes[i]);
	}
	fprintf(f, "%s\n", "0123");
	fclose(f);
	expect_bad(t, &t->inv, "many", path, "known-good", DL_EINVAL, "file", "line 20001");

	assert_int_equal(truncate(path, (off_t)N * 41), 0);
	import_ok(&t->inv, "many", path, "known-good", N, 0);
	qsort(hashes, N, sizeof hashes[0], cmp_str);
	dl_buf all = {0};
	for (int i = 0; i < N; i++) {
		buf_adds(&all, hashes[i]);
		buf_addc(&all, '\n');
	}
	char want[65];
	crypto_sha256_hex(all.data, all.len, want);
	buf_free(&all);
	dl_hashset_list l;
	dl_hashset *h = find_set(&t->inv, "many", &l);
	assert_string_equal(h->entries_sha256, want);
	assert_int_equal(h->entry_count, N);
	hashset_list_free(&l);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM hashset_entries"), N);
	/* the entries are not in the log one by one: the set's row is */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'hashset_entries'"), 0);
	assert_true(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'hashsets'") >= 1);
	assert_int_equal(hashset_check(t->st, NULL, NULL), 0);
	tu_audit_intact(t);
}

static void test_plain_list(void **state)
{
	tu_store *t = *state;
	char path[512];
	/* BOM, CRLF, comments, blank lines, upper case, repeats, a trailing line
	 * without its line break */
	const char *content =
		"\xEF\xBB\xBF# alert hashes from the unit\r\n"
		"\r\n"
		"  " "900150983CD24FB0D6963F7D28E17F72" "  \r\n"
		SHA256_ABC "\n"
		"\t# indented comment\n"
		MD5_ABC "\n"
		SHA1_ABC;
	write_file(t, "alert list.txt", content, path);
	char name[512] = "";
	for (int i = 0; i < 100; i++)
		strcat(name, "ب");
	import_ok(&t->inv, name, path, " alert ", 3, 0);
	assert_true(holds(t, name, MD5_ABC));
	assert_true(holds(t, name, SHA1_ABC));
	assert_true(holds(t, name, SHA256_ABC));

	dl_hashset_list l;
	dl_hashset *h = find_set(&t->inv, name, &l);
	assert_string_equal(h->kind, "alert");
	assert_int_equal(h->entry_count, 3);
	char want[65];
	const char *sorted = MD5_ABC "\n" SHA1_ABC "\n" SHA256_ABC "\n";
	crypto_sha256_hex(sorted, strlen(sorted), want);
	assert_string_equal(h->entries_sha256, want);
	crypto_sha256_hex(content, strlen(content), want);
	assert_string_equal(h->file_sha256, want);
	assert_string_equal(h->file_name, "alert list.txt");
	assert_string_equal(h->imported_by, "inv");
	assert_non_null(h->imported_at);
	assert_int_equal(strlen(h->imported_at), 20);
	assert_int_equal(h->item_hits, 0);
	hashset_list_free(&l);
	tu_audit_intact(t);
}

static void test_md5deep(void **state)
{
	tu_store *t = *state;
	char path[512];
	write_file(t, "md5deep.txt",
	           MD5_ABC "  /evidence/abc.txt\n"
	           MD5_EMPTY "  /evidence/folder with spaces/empty file\n"
	           SHA1_ABC " */evidence/sha1sum binary mode\n"
	           MD5_ABC "  /evidence/copy of abc.txt\n", path);
	import_ok(&t->sup, "md5deep", path, "known-good", 3, 0);
	assert_true(holds(t, "md5deep", MD5_EMPTY));
	assert_true(holds(t, "md5deep", SHA1_ABC));
	assert_int_equal(tu_count(t, "SELECT count(*) FROM hashset_entries"), 3);
	tu_audit_intact(t);
}

static void test_hashdeep(void **state)
{
	tu_store *t = *state;
	char path[512];
	write_file(t, "hashdeep.txt",
	           "%%%% HASHDEEP-1.0\n"
	           "%%%% size,md5,sha256,filename\n"
	           "## Invoked from: /home/officer\n"
	           "## $ hashdeep -r evidence\n"
	           "##\n"
	           "3," MD5_ABC "," SHA256_ABC ",/home/officer/evidence/a,b.txt\n"
	           "0," MD5_EMPTY ",e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,/home/officer/evidence/e\n",
	           path);
	import_ok(&t->inv, "hashdeep", path, "alert", 4, 0);
	assert_true(holds(t, "hashdeep", MD5_ABC));
	assert_true(holds(t, "hashdeep", SHA256_ABC));
	assert_true(holds(t, "hashdeep", MD5_EMPTY));
	assert_true(holds(t, "hashdeep", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	/* the size column is no hash */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM hashset_entries WHERE length(hash) NOT IN (32, 64)"), 0);
	tu_audit_intact(t);
}

static void test_nsrl(void **state)
{
	tu_store *t = *state;
	char path[512];
	write_file(t, "NSRLFile.txt",
	           "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\r\n"
	           "\"A9993E364706816ABA3E25717850C26C9CD0D89D\",\"900150983CD24FB0D6963F7D28E17F72\",\"352441C2\",\"abc.txt\",3,1234,\"358\",\"\"\r\n"
	           "\"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709\",\"\",\"00000000\",\"empty, \"\"quoted\"\" file\",0,1,\"358\",\"\"\r\n",
	           path);
	import_ok(&t->inv, "NSRL", path, "known-good", 3, 0);
	assert_true(holds(t, "NSRL", SHA1_ABC));
	assert_true(holds(t, "NSRL", MD5_ABC));
	assert_true(holds(t, "NSRL", SHA1_EMPTY));
	/* CRC32, sizes and product codes are no entries */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM hashset_entries"), 3);
	tu_audit_intact(t);
}

/* A source in the case and items with the given hashes (NULL: none), written
 * as dalil writes: in an audited transaction. Their ids go to ids. */
static void add_items(tu_store *t, dl_session *s, long long case_id, const char *const (*hashes)[3],
                      int n, long long *ids)
{
	dl_err err;
	tu_expect(session_begin(s, &err), DL_OK, &err, NULL);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(t->st->db,
		"INSERT INTO evidence_sources (case_id, kind, original_path, status, ingested_at)"
		" VALUES (?, 'archive', '/media/usb/extraction.zip', 'complete', '2026-01-10T09:00:00Z')",
		-1, &q, NULL), SQLITE_OK);
	sqlite3_bind_int64(q, 1, case_id);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	long long source = sqlite3_last_insert_rowid(t->st->db);
	assert_int_equal(sqlite3_prepare_v2(t->st->db,
		"INSERT INTO evidence_items (source_id, ordinal, path_raw, path, md5, sha1, sha256)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &q, NULL), SQLITE_OK);
	for (int i = 0; i < n; i++) {
		char p[32];
		snprintf(p, sizeof p, "file%d.bin", i);
		sqlite3_bind_int64(q, 1, source);
		sqlite3_bind_int(q, 2, i);
		sqlite3_bind_blob(q, 3, p, (int)strlen(p), SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 4, p, -1, SQLITE_TRANSIENT);
		for (int k = 0; k < 3; k++)
			store_bind_text(q, 5 + k, hashes[i][k]);
		assert_int_equal(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
		ids[i] = sqlite3_last_insert_rowid(t->st->db);
	}
	sqlite3_finalize(q);
	tu_expect(store_commit(t->st, &err), DL_OK, &err, NULL);
}

static long long hits_of(tu_store *t, long long item_id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM item_hits WHERE item_id = %lld", item_id);
	return tu_count(t, sql);
}

static void test_hits_on_import(void **state)
{
	tu_store *t = *state;
	long long case_a = tu_case(t, NULL, CASE_A);
	static const char *const hashes[][3] = {
		{MD5_ABC, NULL, NULL},                     /* hits by MD5 */
		{NULL, NULL, SHA256_ABC},                  /* by SHA-256 */
		{MD5_EMPTY, SHA1_EMPTY, NULL},             /* by nothing */
		{MD5_ABC, SHA1_ABC, SHA256_ABC},           /* by all three: one hit */
		{NULL, NULL, NULL},                        /* a folder: no hashes */
		{NULL, SHA1_ABC, NULL},                    /* by SHA-1 */
	};
	long long ids[6];
	add_items(t, &t->inv, case_a, hashes, 6, ids);

	/* 3 entries, 6 items: the importer walks the entries */
	char path[512], name[64];
	write_file(t, "alert.txt", MD5_ABC "\n" SHA1_ABC "\n" SHA256_ABC "\n", path);
	import_ok(&t->inv, "alert", path, "alert", 3, 4);
	assert_int_equal(hits_of(t, ids[0]), 1);
	assert_int_equal(hits_of(t, ids[1]), 1);
	assert_int_equal(hits_of(t, ids[2]), 0);
	assert_int_equal(hits_of(t, ids[3]), 1);
	assert_int_equal(hits_of(t, ids[4]), 0);
	assert_int_equal(hits_of(t, ids[5]), 1);

	/* 7 entries, 6 items: the importer walks the items */
	write_file(t, "good.txt",
	           SHA1_EMPTY "\n" SHA1_ABC "\n"
	           "0000000000000000000000000000000000000001\n0000000000000000000000000000000000000002\n"
	           "0000000000000000000000000000000000000003\n0000000000000000000000000000000000000004\n"
	           "0000000000000000000000000000000000000005\n",
	           path);
	import_ok(&t->sup, "os files", path, "known-good", 7, 3);
	assert_int_equal(hits_of(t, ids[2]), 1);
	assert_int_equal(hits_of(t, ids[3]), 2);
	assert_int_equal(hits_of(t, ids[5]), 2);

	char out[128];
	hashset_item_hits(t->st, ids[3], out, sizeof out);
	assert_string_equal(out, "alert,os files");
	hashset_item_hits(t->st, ids[4], out, sizeof out);
	assert_string_equal(out, "");
	hashset_item_hits(t->st, ids[3], out, 9);   /* cut, not overrun */
	assert_string_equal(out, "alert,os");
	/* a set that hits nothing */
	snprintf(name, sizeof name, "nothing");
	write_file(t, "none.txt", "ffffffffffffffffffffffffffffffff\n", path);
	import_ok(&t->inv, name, path, "alert", 1, 0);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM item_hits"), 7);
	/* every hit is in the log */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'item_hits'"
	                             " AND action = 'insert'"), 7);
	tu_audit_intact(t);
}

static void test_flag_item(void **state)
{
	tu_store *t = *state;
	long long case_a = tu_case(t, NULL, CASE_A);
	char path[512];
	write_file(t, "a.txt", MD5_ABC "\n" SHA256_ABC "\n", path);
	import_ok(&t->inv, "set a", path, "alert", 2, 0);
	write_file(t, "b.txt", SHA1_ABC "\n", path);
	import_ok(&t->inv, "مجموعة", path, "known-good", 1, 0);
	write_file(t, "c.txt", MD5_EMPTY "\n", path);
	import_ok(&t->inv, "set c", path, "alert", 1, 0);

	static const char *const none[][3] = {{NULL, NULL, NULL}, {NULL, NULL, NULL}};
	long long ids[2];
	add_items(t, &t->inv, case_a, none, 2, ids);

	dl_err err;
	int hits = -1;
	/* outside a transaction a hit would escape the audit log */
	tu_expect(hashset_flag_item(t->st, ids[0], MD5_ABC, SHA1_ABC, SHA256_ABC, &hits, &err),
	          DL_EDB, &err, NULL);
	assert_int_equal(hits, 0);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM item_hits"), 0);

	tu_expect(session_begin(&t->inv, &err), DL_OK, &err, NULL);
	tu_expect(hashset_flag_item(t->st, ids[0], MD5_ABC, SHA1_ABC, SHA256_ABC, &hits, &err),
	          DL_OK, &err, NULL);
	assert_int_equal(hits, 2);   /* set a by two hashes, set b by one */
	/* again: the pair is kept once, the sets are still hit */
	tu_expect(hashset_flag_item(t->st, ids[0], MD5_ABC, NULL, NULL, &hits, &err), DL_OK, &err, NULL);
	assert_int_equal(hits, 1);
	tu_expect(hashset_flag_item(t->st, ids[1], "", NULL, "", &hits, &err), DL_OK, &err, NULL);
	assert_int_equal(hits, 0);
	tu_expect(hashset_flag_item(t->st, ids[1], "", NULL, SHA256_ABC, &hits, &err), DL_OK, &err, NULL);
	assert_int_equal(hits, 1);
	tu_expect(store_commit(t->st, &err), DL_OK, &err, NULL);
	assert_int_equal(hits_of(t, ids[0]), 2);
	assert_int_equal(hits_of(t, ids[1]), 1);
	char out[128];
	hashset_item_hits(t->st, ids[0], out, sizeof out);
	assert_string_equal(out, "set a,مجموعة");
	hashset_item_hits(t->st, ids[0], out, 10);   /* never half a letter */
	assert_string_equal(out, "set a,م");
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'item_hits'"), 3);
	tu_audit_intact(t);
}

typedef struct seen {
	int n;
	long long set_id;
	char what[320];
} seen;

static void note_problem(void *ctx, long long set_id, const char *what)
{
	seen *s = ctx;
	s->n++;
	s->set_id = set_id;
	snprintf(s->what, sizeof s->what, "%s", what);
}

static void test_check_finds_hand_edits(void **state)
{
	tu_store *t = *state;
	char path[512];
	write_file(t, "a.txt", MD5_ABC "\n" SHA1_ABC "\n", path);
	import_ok(&t->inv, "set a", path, "alert", 2, 0);
	write_file(t, "b.txt", SHA256_ABC "\n", path);
	import_ok(&t->inv, "set b", path, "known-good", 1, 0);
	long long a = tu_count(t, "SELECT id FROM hashsets WHERE name = 'set a'");
	seen s = {0};
	assert_int_equal(hashset_check(t->st, note_problem, &s), 0);
	assert_int_equal(s.n, 0);

	/* a hash slipped into the set with the sqlite3 shell */
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO hashset_entries (hashset_id, hash) VALUES (%lld, '%s')",
	         a, MD5_EMPTY);
	tu_sql_behind(t, sql);
	assert_int_equal(hashset_check(t->st, note_problem, &s), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.set_id, a);
	assert_non_null(strstr(s.what, "set a"));
	assert_int_equal(hashset_check(t->st, NULL, NULL), 1);
	/* and audit verification, which sees no row of the entries, reports it */
	dl_audit_report r;
	dl_err err;
	tu_expect(audit_verify(&t->sup, &r, &err), DL_ETAMPER, &err, NULL);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].entity, "hashset_entries");
	assert_int_equal(r.v[0].entity_id, a);
	audit_report_free(&r);

	/* taken out again, the set is as imported */
	tu_sql_behind(t, "DELETE FROM hashset_entries WHERE hash = '" MD5_EMPTY "'");
	assert_int_equal(hashset_check(t->st, NULL, NULL), 0);
	tu_audit_intact(t);

	/* a hash taken out, or changed */
	tu_sql_behind(t, "DELETE FROM hashset_entries WHERE hash = '" SHA1_ABC "'");
	assert_int_equal(hashset_check(t->st, NULL, NULL), 1);
	tu_sql_behind(t, "UPDATE hashset_entries SET hash = '" SHA256_ABC "' WHERE hash = '" MD5_ABC "'");
	assert_int_equal(hashset_check(t->st, NULL, NULL), 1);
	tu_sql_behind(t, "UPDATE hashset_entries SET hash = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae'"
	                 " WHERE hash = '" SHA256_ABC "' AND hashset_id = (SELECT id FROM hashsets WHERE name = 'set b')");
	assert_int_equal(hashset_check(t->st, NULL, NULL), 2);

	/* entries of a set that does not exist */
	memset(&s, 0, sizeof s);
	tu_sql_behind(t, "INSERT INTO hashset_entries (hashset_id, hash) VALUES (999, '" MD5_ABC "')");
	assert_int_equal(hashset_check(t->st, note_problem, &s), 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.set_id, 999);
}

static void test_list_visibility(void **state)
{
	tu_store *t = *state;
	long long case_a = tu_case(t, NULL, CASE_A);        /* inv's */
	long long case_b = tu_case(t, &t->inv2, CASE_B);    /* inv2's */
	static const char *const in_a[][3] = {{MD5_ABC, NULL, NULL}, {NULL, SHA1_ABC, NULL}};
	static const char *const in_b[][3] = {{NULL, NULL, SHA256_ABC}};
	long long ids[2];
	add_items(t, &t->inv, case_a, in_a, 2, ids);
	add_items(t, &t->inv2, case_b, in_b, 1, ids);
	char path[512];
	write_file(t, "abc.txt", MD5_ABC "\n" SHA1_ABC "\n" SHA256_ABC "\n", path);
	import_ok(&t->inv2, "abc", path, "alert", 3, 3);   /* every item, whoever may read it */
	write_file(t, "z.txt", MD5_EMPTY "\n", path);
	import_ok(&t->inv, "zzz", path, "known-good", 1, 0);

	struct { dl_session *s; long long abc_hits; } who[] = {
		{&t->inv, 2}, {&t->inv2, 1}, {&t->sup, 3}, {&t->admin, 3}, {&t->clerk, 0},
	};
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		dl_hashset_list l;
		dl_hashset *h = find_set(who[i].s, "abc", &l);
		assert_int_equal(l.n, 2);
		assert_string_equal(l.v[0].name, "abc");   /* by name */
		assert_string_equal(l.v[1].name, "zzz");
		if (h->item_hits != who[i].abc_hits)
			fail_msg("%s sees %lld hits, expected %lld", who[i].s->username, h->item_hits,
			         who[i].abc_hits);
		assert_int_equal(l.v[1].item_hits, 0);
		assert_string_equal(h->imported_by, "inv2");
		assert_int_equal(h->entry_count, 3);
		hashset_list_free(&l);
		assert_null(l.v);
	}
	/* inv2 assigned to inv's case now sees its hits too */
	dl_err err;
	tu_expect(session_begin(&t->inv, &err), DL_OK, &err, NULL);
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO case_assignments (case_id, user_id) VALUES (%lld, 4)", case_a);
	assert_int_equal(sqlite3_exec(t->st->db, sql, NULL, NULL, NULL), SQLITE_OK);
	tu_expect(store_commit(t->st, &err), DL_OK, &err, NULL);
	dl_hashset_list l;
	assert_int_equal(find_set(&t->inv2, "abc", &l)->item_hits, 3);
	hashset_list_free(&l);
	tu_audit_intact(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_large_file_one_transaction, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_plain_list, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_md5deep, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_hashdeep, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_nsrl, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_hits_on_import, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_flag_item, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_check_finds_hand_edits, tu_setup, hs_teardown),
		cmocka_unit_test_setup_teardown(test_list_visibility, tu_setup, hs_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
