/* store.h — the dalil store: one directory holding dalil.db (SQLite) and, from
 * the ingest work on, objects/. Opening applies schema migrations in order;
 * every change runs in a transaction that also appends its audit entries. */
#ifndef DALIL_STORE_H
#define DALIL_STORE_H

#include <stddef.h>

#include "status.h"

/* The schema version this program writes. A store with a higher version is
 * refused; a lower one is migrated on open. */
#define DL_SCHEMA_VERSION 6

typedef struct dl_store dl_store;

/* The default store directory: $DALIL_STORE, else $XDG_DATA_HOME/dalil, else
 * $HOME/.local/share/dalil. Returns 0, or -1 when none can be formed. */
int store_default_dir(char *out, size_t outsz);

/* Open the store in dir. With create, the directory (0700) and database (0600)
 * are made when missing; without it a missing store is DL_ENOTFOUND with a hint
 * to run "dalil init". A store from a newer dalil, or a file that is not a
 * dalil store, is DL_ESCHEMA. On success *out owns the handle. */
dl_status store_open(const char *dir, int create, dl_store **out, dl_err *err);

/* Close and free; sets *s to NULL. Rolls back an open transaction. */
void store_close(dl_store **s);

/* The directory of the store. */
const char *store_dir(const dl_store *s);

/* Schema version of the open store. */
int store_schema_version(dl_store *s);

/* Who is acting: written into every audit entry until changed. id 0 and name
 * "system" before anyone has logged in. */
void store_set_actor(dl_store *s, long long user_id, const char *username);
long long store_actor_id(const dl_store *s);
const char *store_actor_name(const dl_store *s);

/* Transactions. begin takes the write lock (BEGIN IMMEDIATE). commit appends the
 * audit entries for every row changed since begin, then commits; if anything
 * fails, everything is rolled back and nothing is written. */
dl_status store_begin(dl_store *s, dl_err *err);
dl_status store_commit(dl_store *s, dl_err *err);
void store_rollback(dl_store *s);

/* The end of a change: commit when rc is DL_OK, else roll back. Returns the
 * outcome (rc, or the commit's failure). */
dl_status store_end(dl_store *s, dl_status rc, dl_err *err);

/* The current time, UTC, as "YYYY-MM-DDTHH:MM:SSZ", and today's date. */
void store_now(char out[21]);
void store_today(char out[11]);

/* Move the finished file tmp to path, never replacing anything there (an
 * export's output): 0, or -1 with errno (EEXIST when path exists). */
int store_place_new(const char *tmp, const char *path);

/* Allocation failures on this thread, for code that builds many small
 * things before checking (records read row by row, a report drawn from
 * many strings). store_oom_note() counts one; a dl_buf that fails to grow
 * counts too (buf_failures). store_oom_check(mark, err) is DL_OK when none
 * happened since store_oom_mark() returned mark, else DL_ENOMEM in err. */
unsigned long store_oom_mark(void);
void store_oom_note(void);
dl_status store_oom_check(unsigned long mark, dl_err *err);

/* The copy of the database store_open took before upgrading an older store
 * (STORE/backups/pre-upgrade-vOLD-TIME.db), or NULL when it migrated nothing. */
const char *store_upgrade_backup(const dl_store *s);

#endif
