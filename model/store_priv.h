/* store_priv.h — what model/ modules share about the store and nobody else sees:
 * the SQLite handle, statement helpers and the audit hook's state. */
#ifndef DALIL_STORE_PRIV_H
#define DALIL_STORE_PRIV_H

/* The audit log is fed by the pre-update hook (Debian builds SQLite with it). */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "json.h"
#include "store.h"

/* One row change or event waiting to be written to the audit log at commit. */
typedef struct audit_pending {
	char action[16];       /* insert, update, delete, or an event name */
	char entity[40];
	long long entity_id;
	char *row;             /* full row after the change (JSON), NULL for delete/event */
	char *data;            /* old values / details (JSON), may be NULL */
} audit_pending;

/* Column names of an audited table, loaded once after migrations. */
typedef struct store_table {
	char *name;
	int ncols;
	char **cols;
} store_table;

struct dl_store {
	sqlite3 *db;
	char *dir;
	int in_txn;
	long long actor_id;
	char actor_name[40];
	audit_pending *pending;
	size_t npending, cappending;
	int pending_failed;    /* the hook could not record a change (DL_ENOMEM, or DL_EDB
	                          for a stale column list): commit must fail */
	store_table *tables;
	int ntables;
	struct { const char *sql; sqlite3_stmt *st; } cache[24];   /* see store_cached */
	char *upgrade_backup;  /* the copy taken before migrating an older store, NULL if none */
	sqlite3_stmt *rollback; /* ROLLBACK, prepared at open: undoing must not need memory */
};

/* Report the connection's last SQLite error as DL_EDB (or DL_EEXIST for a
 * constraint failure on a unique index, naming field). */
dl_status store_sqlerr(dl_store *s, dl_err *err, const char *field);

/* Prepare sql; on failure fill err and return NULL. */
sqlite3_stmt *store_prepare(dl_store *s, const char *sql, dl_err *err);

/* The case_id of row id of table (a table name from the code, never from
 * input) into *case_id, 0 when there is no such row. A failed query is its
 * error, never "no such row". */
dl_status store_case_of(dl_store *s, const char *table, long long id, long long *case_id,
                        dl_err *err);

/* Append name to b as a quoted SQL identifier, any '"' in it doubled. For
 * table and column names read from the schema (sqlite_schema, pragma
 * table_info): the store may have been tampered with — finding that is what
 * "audit verify" is for — so such a name is text to quote, never SQL. */
void store_add_ident(dl_buf *b, const char *name);

/* A statement prepared once and kept for the life of the store, for the paths
 * run once per evidence item. It comes back reset with bindings cleared; the
 * caller resets it after use and never finalizes it. sql must be a string
 * literal (its address is the key). */
sqlite3_stmt *store_cached(dl_store *s, const char *sql, dl_err *err);

/* Bind helpers: NULL/empty strings and ids <= 0 bind NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
void store_bind_id(sqlite3_stmt *st, int i, long long v);

/* End a read transaction (BEGIN … reads): with the statement prepared at
 * open, so that it cannot fail for want of memory and stay open. */
void store_read_end(dl_store *s);

/* Step a lookup of at most one row: *row is 1 with a row, 0 without. A
 * failed step (out of memory, busy, …) is its error, never "no row". */
dl_status store_step_one(dl_store *s, sqlite3_stmt *st, int *row, dl_err *err);

/* Run a statement to completion (no rows expected). DL_OK or the error. */
dl_status store_step_done(dl_store *s, sqlite3_stmt *st, dl_err *err, const char *field);

/* Set one text column of one row when the user gave it: given NULL leaves it,
 * an empty given clears it, otherwise value (the checked, normalised form) is
 * stored. table and col are the program's own names, never user text. */
dl_status store_set_column(dl_store *s, const char *table, long long id, const char *col,
                           const char *given, const char *value, dl_err *err);

/* strdup of a column, NULL stays NULL. Out of memory also gives NULL, and is
 * noted for store_oom_check: a reader filling records from rows takes
 * store_oom_mark() before and calls store_oom_check() once after. */
char *store_col_dup(sqlite3_stmt *st, int i);

/* DL_ENOMEM in err with the one message for it. */
dl_status store_nomem(dl_err *err);

/* The audited table named name, or NULL. */
const store_table *store_table_find(const dl_store *s, const char *name);

/* Serialise one row's values as the canonical JSON the audit log keeps.
 * get(ctx, i) returns column i's value. */
void store_row_json(const store_table *t, sqlite3_value *(*get)(void *ctx, int i),
                    void *ctx, dl_buf *out);   /* out->failed tells of lost memory */

/* Load the schema's tables into s->tables (after migrations). */
dl_status store_load_tables(dl_store *s, dl_err *err);

/* Install the pre-update hook that records row changes for the audit log. */
void audit_install_hook(dl_store *s);

/* Queue an event entry (login, login_failed, migrate, …) for the next commit.
 * details is JSON or NULL. */
void audit_event(dl_store *s, const char *action, const char *entity,
                 long long entity_id, const char *details);

/* Write the queued entries to audit_log (inside the open transaction). */
dl_status audit_flush(dl_store *s, dl_err *err);

/* Drop the queued entries. */
void audit_discard(dl_store *s);

/* Migrations: apply every step above the store's version (store.c calls it). */
dl_status schema_migrate(dl_store *s, int target, dl_err *err);

#endif
