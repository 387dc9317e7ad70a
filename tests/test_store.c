/* test_store.c — opening, creating, refusing and migrating stores. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void scratch(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/dalil-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static void test_missing_store_not_created(void **state)
{
	(void)state;
	char dir[64], sub[128];
	scratch(dir, sizeof dir);
	snprintf(sub, sizeof sub, "%s/none", dir);
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(sub, 0, &st, &err), DL_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(err.msg, "dalil init"));
	struct stat sb;
	assert_int_not_equal(stat(sub, &sb), 0);   /* nothing half-made */
	rmdir(dir);
}

static void test_not_a_dalil_store(void **state)
{
	(void)state;
	char dir[64], path[128];
	scratch(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/dalil.db", dir);
	FILE *f = fopen(path, "w");
	fputs("this is a spreadsheet, not a database\n", f);
	fclose(f);
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(dir, 0, &st, &err), DL_ESCHEMA);
	unlink(path);

	/* another program's SQLite database */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA user_version = 3;", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(dir, 0, &st, &err), DL_ESCHEMA);
	assert_string_equal(err.field, "store");
	tu_rmtree(dir);
}

static void test_create_private_and_current(void **state)
{
	(void)state;
	char dir[64], sub[128], path[160];
	scratch(dir, sizeof dir);
	snprintf(sub, sizeof sub, "%s/unit/store", dir);
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(sub, 1, &st, &err), DL_OK);
	assert_int_equal(store_schema_version(st), DL_SCHEMA_VERSION);
	struct stat sb;
	assert_int_equal(stat(sub, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof path, "%s/dalil.db", sub);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* WAL, foreign keys and full sync are on */
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA foreign_keys", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA synchronous", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 2);
	sqlite3_finalize(q);
	store_close(&st);
	assert_null(st);
	tu_rmtree(sub);
	snprintf(path, sizeof path, "%s/unit", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_newer_store_refused(void **state)
{
	tu_store *t = *state;
	tu_sql_behind(t, "PRAGMA user_version = 99");
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(t->dir, 0, &st, &err), DL_ESCHEMA);
	assert_non_null(strstr(err.msg, "newer"));
	assert_null(st);
}

static long long count(dl_store *st, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* A store at schema 1 (the version before evidence tables) holding a case is
 * upgraded in place: the case survives, the new tables appear, the audit log
 * records the migration and still verifies. */
static void test_old_store_migrated(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2025/SOM/0007");
	store_close(&t->st);
	tu_sql_behind(t, "DROP TABLE reports; DROP TABLE item_hits; DROP TABLE hashset_entries;"
	                 " DROP TABLE hashsets; DROP TABLE evidence_items; DROP TABLE evidence_sources; DROP TABLE objects;"
	                 /* version 4's search index and its triggers on version 1 tables */
	                 " DROP TABLE search_fts; DROP TABLE search_queue; DROP TABLE search_state;"
	                 " DROP INDEX identifiers_item;"
	                 " DROP TRIGGER search_cases_ins; DROP TRIGGER search_cases_upd;"
	                 " DROP TRIGGER search_cases_del; DROP TRIGGER search_persons_ins;"
	                 " DROP TRIGGER search_persons_upd; DROP TRIGGER search_persons_del;"
	                 " DROP TRIGGER search_aliases_ins; DROP TRIGGER search_aliases_upd;"
	                 " DROP TRIGGER search_aliases_del; DROP TRIGGER search_identifiers_ins;"
	                 " DROP TRIGGER search_identifiers_upd; DROP TRIGGER search_identifiers_del;"
	                 " DROP TABLE unit_keys;"   /* the unit keys migration */
	                 " DROP TABLE received_audit; DROP TABLE bundle_rows; DROP TABLE bundle_imports;"   /* imports */
	                 " PRAGMA user_version = 1;");
	dl_err err;
	assert_int_equal(store_open(t->dir, 0, &t->st, &err), DL_OK);
	t->sup.store = t->inv.store = t->admin.store = t->inv2.store = t->clerk.store = t->st;
	assert_int_equal(store_schema_version(t->st), DL_SCHEMA_VERSION);
	assert_int_equal(count(t->st, "SELECT count(*) FROM sqlite_schema WHERE name = 'evidence_items'"), 1);
	assert_int_equal(count(t->st, "SELECT count(*) FROM cases WHERE number = '2025/SOM/0007'"), 1);
	assert_int_equal(count(t->st, "SELECT count(*) FROM audit_log WHERE action = 'migrate'"
	                              " AND json_extract(data, '$.from') = 1 AND json_extract(data, '$.to') = 2"), 2);
	dl_audit_report r;
	assert_int_equal(audit_verify(&t->sup, &r, &err), DL_OK);
	audit_report_free(&r);
	/* the database as it was, copied aside before the upgrade and named in the log */
	const char *copy = store_upgrade_backup(t->st);
	assert_non_null(copy);
	assert_non_null(strstr(copy, "/backups/pre-upgrade-v1-"));
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'migrate'"
	                          " AND json_extract(data, '$.backup') = '%s'", copy);
	assert_int_equal(count(t->st, sql), 1);
	struct stat sb;
	assert_int_equal(stat(copy, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
	                                        " (SELECT count(*) FROM cases WHERE number = '2025/SOM/0007'),"
	                                        " (SELECT count(*) FROM sqlite_schema WHERE name = 'evidence_items')",
	                                    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	assert_int_equal(sqlite3_column_int(q, 1), 1);
	assert_int_equal(sqlite3_column_int(q, 2), 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/* No copy, no upgrade: when the backups folder cannot be made, the older
 * store is left as it is. */
static void test_upgrade_needs_its_backup(void **state)
{
	tu_store *t = *state;
	store_close(&t->st);
	tu_sql_behind(t, "DROP TABLE unit_keys; DROP TABLE bundle_imports; DROP TABLE bundle_rows;"
	                 " DROP TABLE received_audit; PRAGMA user_version = 4;");
	char path[300];
	snprintf(path, sizeof path, "%s/backups", t->dir);
	FILE *f = fopen(path, "w");      /* a file where the folder goes */
	assert_non_null(f);
	fclose(f);
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(t->dir, 0, &st, &err), DL_EIO);
	assert_string_equal(err.field, "store");
	assert_non_null(strstr(err.msg, "was not upgraded"));
	assert_null(st);
	unlink(path);
	assert_int_equal(store_open(t->dir, 0, &t->st, &err), DL_OK);   /* and it still can be */
	assert_int_equal(store_schema_version(t->st), DL_SCHEMA_VERSION);
	t->sup.store = t->inv.store = t->admin.store = t->inv2.store = t->clerk.store = t->st;
}

/* A migration that fails leaves the store at its old version, untouched. */
static void test_failed_migration_rolls_back(void **state)
{
	tu_store *t = *state;
	store_close(&t->st);
	/* version 1 again, but a table of version 2 is already there: step 2 fails */
	tu_sql_behind(t, "DROP TABLE reports; PRAGMA user_version = 1;");
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(t->dir, 0, &st, &err), DL_EDB);
	assert_non_null(strstr(err.msg, "version 2"));
	assert_null(st);
	char path[300];
	snprintf(path, sizeof path, "%s/dalil.db", t->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(store_open(t->dir, 0, &t->st, &err), DL_EDB);  /* still refuses, still whole */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_store_not_created),
		cmocka_unit_test(test_not_a_dalil_store),
		cmocka_unit_test(test_create_private_and_current),
		cmocka_unit_test_setup_teardown(test_newer_store_refused, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_old_store_migrated, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_needs_its_backup, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_rolls_back, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
