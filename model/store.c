/* store.c — opening, migrating and transacting on the dalil store; see store.h. */
#include "store_priv.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

/* "dali" — marks the SQLite file as a dalil store. */
#define DL_APPLICATION_ID 0x64616c69

int store_default_dir(char *out, size_t outsz)
{
	const char *e = getenv("DALIL_STORE");
	int n;
	if (e && *e)
		n = snprintf(out, outsz, "%s", e);
	else if ((e = getenv("XDG_DATA_HOME")) && *e == '/')
		n = snprintf(out, outsz, "%s/dalil", e);
	else if ((e = getenv("HOME")) && *e)
		n = snprintf(out, outsz, "%s/.local/share/dalil", e);
	else
		return -1;
	return (n > 0 && (size_t)n < outsz) ? 0 : -1;
}

void store_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store_today(char out[11])
{
	char now[21];
	store_now(now);
	memcpy(out, now, 10);
	out[10] = '\0';
}

/* mkdir -p with 0700 for the directories we create. */
static int make_dirs(const char *dir)
{
	char *p = strdup(dir);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	for (char *q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*q = '/';
	}
	int r = (mkdir(p, 0700) != 0 && errno != EEXIST) ? -1 : 0;
	free(p);
	return r;
}

/* Whether dir holds nothing (a directory that cannot be read counts as not empty). */
static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int empty = 1;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/* Whether the file system holding the store has no room left for a page. */
static int disk_full(dl_store *s)
{
	struct statvfs v;
	return s->dir && statvfs(s->dir, &v) == 0 && (unsigned long long)v.f_bavail * v.f_frsize < 65536;
}

static _Thread_local unsigned long oom_events;

unsigned long store_oom_mark(void)
{
	return oom_events + buf_failures();
}

void store_oom_note(void)
{
	oom_events++;
}

dl_status store_nomem(dl_err *err)
{
	return dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
}

dl_status store_oom_check(unsigned long mark, dl_err *err)
{
	return store_oom_mark() == mark ? DL_OK : store_nomem(err);
}

dl_status store_sqlerr(dl_store *s, dl_err *err, const char *field)
{
	int ext = sqlite3_extended_errcode(s->db);
	if (ext == SQLITE_NOMEM)
		return store_nomem(err);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return dl_err_set(err, DL_EEXIST, field, _("this value is already recorded"));
	if (ext == SQLITE_BUSY || ext == SQLITE_LOCKED || (ext & 0xff) == SQLITE_BUSY)
		return dl_err_set(err, DL_EDB, field,
		                  _("the store is busy in another dalil; try again"));
	/* a full disk shows as SQLITE_FULL when a page cannot be written, and as an
	 * I/O error when the -shm or -wal file cannot grow: both say so */
	if (ext == SQLITE_FULL || ((ext & 0xff) == SQLITE_IOERR && disk_full(s)))
		return dl_err_set(err, DL_EIO, field,
		                  _("the disk holding the store (%s) is full: free some space, then "
		                    "try again"),
		                  s->dir);
	return dl_err_set(err, DL_EDB, field, _("database error: %s"), sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_prepare(dl_store *s, const char *sql, dl_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_sqlerr(s, err, "");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

dl_status store_case_of(dl_store *s, const char *table, long long id, long long *case_id,
                        dl_err *err)
{
	*case_id = 0;
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT case_id FROM %s WHERE id = ?", table);
	sqlite3_stmt *q = store_prepare(s, sql, err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	int row;
	dl_status rc = store_step_one(s, q, &row, err);
	if (row)
		*case_id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc;
}

sqlite3_stmt *store_cached(dl_store *s, const char *sql, dl_err *err)
{
	size_t n = sizeof s->cache / sizeof s->cache[0], i;
	for (i = 0; i < n && s->cache[i].sql; i++)
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_sqlerr(s, err, "");
		sqlite3_finalize(st);
		return NULL;
	}
	if (i < n) {
		s->cache[i].sql = sql;
		s->cache[i].st = st;
	}
	/* a full cache is a programming error: the statement still works, once */
	return st;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void store_bind_id(sqlite3_stmt *st, int i, long long v)
{
	if (v > 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

dl_status store_step_done(dl_store *s, sqlite3_stmt *st, dl_err *err, const char *field)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return DL_OK;
	return store_sqlerr(s, err, field);
}

dl_status store_step_one(dl_store *s, sqlite3_stmt *st, int *row, dl_err *err)
{
	int rc = sqlite3_step(st);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return DL_OK;
	return store_sqlerr(s, err, "");
}

dl_status store_set_column(dl_store *s, const char *table, long long id, const char *col,
                           const char *given, const char *value, dl_err *err)
{
	if (!given)
		return DL_OK;
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE \"%s\" SET \"%s\" = ? WHERE id = ?", table, col);
	sqlite3_stmt *q = store_prepare(s, sql, err);
	if (!q)
		return DL_EDB;
	store_bind_text(q, 1, *given ? value : NULL);
	sqlite3_bind_int64(q, 2, id);
	dl_status rc = store_step_done(s, q, err, col);
	sqlite3_finalize(q);
	return rc;
}

void store_add_ident(dl_buf *b, const char *name)
{
	buf_addc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

char *store_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (t) {
		char *r = strdup((const char *)t);
		if (!r)
			store_oom_note();
		return r;
	}
	/* NULL from a column that is not NULL: SQLite could not convert it (it
	 * says so in the connection's error; an empty BLOB is no failure) */
	if (sqlite3_column_type(st, i) != SQLITE_NULL &&
	    sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM)
		store_oom_note();
	return NULL;
}

static int pragma_int(dl_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int store_schema_version(dl_store *s)
{
	return pragma_int(s, "PRAGMA user_version");
}

static void free_tables(dl_store *s)
{
	for (int i = 0; i < s->ntables; i++) {
		for (int c = 0; c < s->tables[i].ncols; c++)
			free(s->tables[i].cols[c]);
		free(s->tables[i].cols);
		free(s->tables[i].name);
	}
	free(s->tables);
	s->tables = NULL;
	s->ntables = 0;
}

/* Tables whose rows are not audited row by row: the log itself, SQLite's own,
 * hash set entries (millions per NSRL import; their digest is kept in the
 * audited hashsets row instead) and the search index (search_*: derived from
 * audited rows, rebuilt from them at will). */
static int table_is_audited(const char *name)
{
	return strcmp(name, "audit_log") != 0 && strcmp(name, "hashset_entries") != 0 &&
	       strncmp(name, "sqlite_", 7) != 0 && strncmp(name, "search_", 7) != 0;
}

dl_status store_load_tables(dl_store *s, dl_err *err)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", err);
	if (!st)
		return DL_EDB;
	/* Built aside and swapped in whole: a half-loaded list would leave tables
	 * unaudited, so on any failure the old list stays. */
	dl_store tmp = {0};
	dl_status rc = DL_OK;
	int step;
	while (rc == DL_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!name) {
			rc = store_nomem(err);
			break;
		}
		if (!table_is_audited(name))
			continue;
		store_table *t = realloc(tmp.tables, sizeof *t * (size_t)(tmp.ntables + 1));
		if (!t) {
			rc = store_nomem(err);
			break;
		}
		tmp.tables = t;
		t = &tmp.tables[tmp.ntables++];
		t->ncols = 0;
		t->cols = NULL;
		t->name = strdup(name);
		if (!t->name) {
			rc = store_nomem(err);
			break;
		}
		sqlite3_stmt *ci = store_prepare(s,
			"SELECT name FROM pragma_table_info(?) ORDER BY cid", err);
		if (!ci) {
			rc = DL_EDB;
			break;
		}
		sqlite3_bind_text(ci, 1, name, -1, SQLITE_TRANSIENT);
		int cstep;
		while ((cstep = sqlite3_step(ci)) == SQLITE_ROW) {
			char **cols = realloc(t->cols, sizeof *cols * (size_t)(t->ncols + 1));
			const unsigned char *col = sqlite3_column_text(ci, 0);
			if (cols)
				t->cols = cols;
			if (!cols || !col || !(t->cols[t->ncols] = strdup((const char *)col))) {
				rc = store_nomem(err);
				break;
			}
			t->ncols++;
		}
		if (rc == DL_OK && cstep != SQLITE_DONE)
			rc = store_sqlerr(s, err, "");
		/* a table always has columns: none read means the read failed */
		if (rc == DL_OK && t->ncols == 0)
			rc = dl_err_set(err, DL_EDB, "", _("database error: the table %s has no columns"),
			                t->name);
		sqlite3_finalize(ci);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s, err, "");
	sqlite3_finalize(st);
	if (rc != DL_OK) {
		free_tables(&tmp);
		return rc;
	}
	free_tables(s);
	s->tables = tmp.tables;
	s->ntables = tmp.ntables;
	return DL_OK;
}

const store_table *store_table_find(const dl_store *s, const char *name)
{
	for (int i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].name, name) == 0)
			return &s->tables[i];
	return NULL;
}

static dl_status exec(dl_store *s, const char *sql, dl_err *err)
{
	/* the connection's error is the statement's: a busy store or a full disk
	 * is said as such by store_sqlerr */
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(s, err, "");
	return DL_OK;
}

static dl_status pre_upgrade_backup(dl_store *s, int version, dl_err *err);

dl_status store_open(const char *dir, int create, dl_store **out, dl_err *err)
{
	*out = NULL;
	char path[4096];
	if (snprintf(path, sizeof path, "%s/dalil.db", dir) >= (int)sizeof path)
		return dl_err_set(err, DL_EINVAL, "store", _("the store path is too long"));

	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (!exists && !create)
		return dl_err_set(err, DL_ENOTFOUND, "store",
		                  _("no dalil store at %s; create one with: dalil init --admin NAME"),
		                  dir);
	if (!exists) {
		/* an empty directory that was already there (made by hand, or by an
		 * installer with the usual 0755) becomes the store: private too. One
		 * holding other files (a mistyped --store ~) keeps its mode: the
		 * database is 0600 in any case */
		if (make_dirs(dir) != 0 || (dir_is_empty(dir) && chmod(dir, 0700) != 0))
			return errno == ENOMEM ? store_nomem(err)
			                       : dl_err_set(err, DL_EIO, "store", _("cannot create %s: %s"), dir,
			                                    strerror(errno));
		/* Create the file ourselves so it is private before SQLite writes to it. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return dl_err_set(err, DL_EIO, "store", _("cannot create %s: %s"), path,
			                  strerror(errno));
		close(fd);
	}

	if (!sqlite3_compileoption_used("ENABLE_PREUPDATE_HOOK"))
		return dl_err_set(err, DL_EDB, "store",
		                  _("this SQLite library lacks the pre-update hook the audit log needs"));
	dl_store *s = calloc(1, sizeof *s);
	if (!s)
		return dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
	s->dir = strdup(dir);
	if (!s->dir) {
		store_close(&s);
		return store_nomem(err);
	}
	snprintf(s->actor_name, sizeof s->actor_name, "system");
	/* one connection per thread: SQLite's own mutexes are not needed */
	int orc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (orc != SQLITE_OK) {
		dl_status code = (orc & 0xff) == SQLITE_NOMEM ? DL_ENOMEM : DL_EDB;
		dl_err_set(err, code, "store", _("cannot open %s: %s"), path,
		           s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
		store_close(&s);
		return code;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);

	int appid = pragma_int(s, "PRAGMA application_id");
	int version = appid < 0 ? -1 : store_schema_version(s);
	if (appid < 0 || version < 0) {
		/* Only a file SQLite cannot read as a database is "not a store": out
		 * of memory, a busy store, a full disk (the -shm and -wal files cannot
		 * be made) or an I/O error is said as what it is (store_sqlerr), never
		 * as a foreign file. */
		int code = sqlite3_errcode(s->db);
		dl_status rc = code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_OK
		                   ? dl_err_set(err, DL_ESCHEMA, "store", _("%s is not a dalil store"), path)
		                   : store_sqlerr(s, err, "store");
		store_close(&s);
		return rc;
	}
	if (appid != DL_APPLICATION_ID && !(appid == 0 && version == 0)) {
		dl_err_set(err, DL_ESCHEMA, "store", _("%s is not a dalil store"), path);
		store_close(&s);
		return DL_ESCHEMA;
	}
	if (version > DL_SCHEMA_VERSION) {
		dl_err_set(err, DL_ESCHEMA, "store",
		           _("the store was made by a newer dalil (schema %d; this program knows up to %d): "
		             "install the newer dalil"),
		           version, DL_SCHEMA_VERSION);
		store_close(&s);
		return DL_ESCHEMA;
	}
	dl_status st = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	                       " PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192;", err);
	if (st == DL_OK && appid == 0) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d;", DL_APPLICATION_ID);
		st = exec(s, sql, err);
	}
	if (st == DL_OK)
		st = store_load_tables(s, err);
	/* a store of an older dalil: its database is copied aside first */
	if (st == DL_OK && version > 0 && version < DL_SCHEMA_VERSION)
		st = pre_upgrade_backup(s, version, err);
	if (st == DL_OK) {
		audit_install_hook(s);
		st = schema_migrate(s, DL_SCHEMA_VERSION, err);
	}
	/* Prepared last: the PRAGMAs and migrations above expire every statement
	 * prepared before them, and an expired one would need memory to run. */
	if (st == DL_OK && sqlite3_prepare_v3(s->db, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT, &s->rollback,
	                                      NULL) != SQLITE_OK)
		st = store_sqlerr(s, err, "store");
	if (st != DL_OK) {
		store_close(&s);
		return st;
	}
	*out = s;
	return DL_OK;
}

/* Before an older store is migrated: a copy of its database, checked, in
 * STORE/backups/pre-upgrade-vOLD-TIME.db (0600). Migrations change only the
 * database, never the objects, so the copy and the objects are the store as
 * the older dalil left it: `cp` it back over dalil.db (with the -wal and -shm
 * files removed) to return. No copy, no migration. */
static dl_status pre_upgrade_backup(dl_store *s, int version, dl_err *err)
{
	char dir[4096], path[4200], tmp[4300], stamp[32];
	snprintf(dir, sizeof dir, "%s/backups", s->dir);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(path, sizeof path, "%s/pre-upgrade-v%d-%s.db", dir, version, stamp);
	snprintf(tmp, sizeof tmp, "%s.part", path);
	const char *why = NULL;
	char sys[300] = "";
	int fd = -1;
	sqlite3 *b = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(sys, sizeof sys, "%s", strerror(errno));
	} else if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		snprintf(sys, sizeof sys, "%s", strerror(errno));
	} else {
		close(fd);
		fd = -1;
		if (sqlite3_open_v2(tmp, &b, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
			why = b ? sqlite3_errmsg(b) : "out of memory";
		} else {
			sqlite3_backup *k = sqlite3_backup_init(b, "main", s->db, "main");
			int rc = k ? sqlite3_backup_step(k, -1) : SQLITE_ERROR;
			if (k)
				sqlite3_backup_finish(k);
			if (rc != SQLITE_DONE)
				why = sqlite3_errmsg(b);
		}
		/* the copy must read back whole, at the old version */
		sqlite3_stmt *q = NULL;
		if (!why && (sqlite3_prepare_v2(b, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK ||
		             sqlite3_step(q) != SQLITE_ROW ||
		             strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0))
			why = "the copy does not pass integrity_check";
		sqlite3_finalize(q);
		q = NULL;
		if (!why && (sqlite3_prepare_v2(b, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK ||
		             sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != version))
			why = "the copy has another schema version";
		sqlite3_finalize(q);
		/* one file, not WAL: the copy stands alone */
		if (!why && sqlite3_exec(b, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
			why = sqlite3_errmsg(b);
		sqlite3_close(b);
		if (!why && ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0))
			snprintf(sys, sizeof sys, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		/* a second upgrade attempt in the same second keeps the first copy */
		for (int n = 2; !why && !sys[0] && store_place_new(tmp, path) != 0; n++) {
			if (errno != EEXIST || n > 99) {
				snprintf(sys, sizeof sys, "%s", strerror(errno));
				break;
			}
			snprintf(path, sizeof path, "%s/pre-upgrade-v%d-%s-%d.db", dir, version, stamp, n);
		}
	}
	if (why || sys[0]) {
		unlink(tmp);
		return dl_err_set(err, DL_EIO, "store",
		                  _("the store (schema %d) was not upgraded to schema %d: its database could not "
		                    "be copied to %s first: %s"),
		                  version, DL_SCHEMA_VERSION, path, why ? why : sys);
	}
	s->upgrade_backup = strdup(path);
	if (!s->upgrade_backup)
		return store_nomem(err);
	return DL_OK;
}

const char *store_upgrade_backup(const dl_store *s)
{
	return s->upgrade_backup;
}

void store_close(dl_store **sp)
{
	dl_store *s = *sp;
	if (!s)
		return;
	if (s->in_txn)
		store_rollback(s);
	audit_discard(s);
	free(s->pending);
	free_tables(s);
	for (size_t i = 0; i < sizeof s->cache / sizeof s->cache[0] && s->cache[i].sql; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_finalize(s->rollback);
	sqlite3_close(s->db);
	free(s->dir);
	free(s->upgrade_backup);
	free(s);
	*sp = NULL;
}

const char *store_dir(const dl_store *s)
{
	return s->dir;
}

void store_set_actor(dl_store *s, long long user_id, const char *username)
{
	s->actor_id = user_id;
	snprintf(s->actor_name, sizeof s->actor_name, "%s", username ? username : "system");
}

long long store_actor_id(const dl_store *s)
{
	return s->actor_id;
}

const char *store_actor_name(const dl_store *s)
{
	return s->actor_name;
}

static int rollback_now(dl_store *s);

dl_status store_begin(dl_store *s, dl_err *err)
{
	if (s->in_txn)
		return dl_err_set(err, DL_EDB, "", _("internal error: nested transaction"));
	audit_discard(s);
	s->pending_failed = 0;
	/* a rollback that could not run (out of memory) left one open: end it
	 * now, so that the write lock is not held and BEGIN does not fail */
	if (rollback_now(s))
		return store_nomem(err);
	dl_status st = exec(s, "BEGIN IMMEDIATE", err);   /* busy: store_sqlerr says so */
	if (st == DL_OK)
		s->in_txn = 1;
	return st;
}

dl_status store_commit(dl_store *s, dl_err *err)
{
	if (!s->in_txn)
		return dl_err_set(err, DL_EDB, "", _("internal error: no transaction"));
	dl_status st = audit_flush(s, err);
	if (st == DL_OK)
		st = exec(s, "COMMIT", err);
	if (st != DL_OK) {
		store_rollback(s);
		return st;
	}
	s->in_txn = 0;
	return DL_OK;
}

/* End whatever transaction the connection has open: with the statement
 * prepared at open (preparing one now could fail for want of memory), then,
 * should that fail (a statement expired by a schema change must be prepared
 * again), a fresh one. SQLite may have rolled back already after its own
 * out-of-memory error. Nonzero when a transaction is still open. */
static int rollback_now(dl_store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return 0;
	if (s->rollback) {
		sqlite3_step(s->rollback);
		sqlite3_reset(s->rollback);
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return !sqlite3_get_autocommit(s->db);
}

void store_rollback(dl_store *s)
{
	if (s->in_txn)
		rollback_now(s);
	s->in_txn = 0;
	audit_discard(s);
}

void store_read_end(dl_store *s)
{
	if (!s->in_txn)
		rollback_now(s);
}

dl_status store_end(dl_store *s, dl_status rc, dl_err *err)
{
	if (rc == DL_OK)
		return store_commit(s, err);
	store_rollback(s);
	return rc;
}

/* renameat2 refuses atomically; where the file system cannot (EINVAL), a hard
 * link does the same; where it cannot either (FAT: EPERM), a check then a
 * rename is the best left. */
int store_place_new(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno != EPERM && errno != EOPNOTSUPP)
		return -1;
	struct stat st;
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(tmp, path);
}
