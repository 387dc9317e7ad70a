/* testutil.h — fresh stores for model tests. A template store with one user of
 * each role is built once per test program (the password KDF is slow on
 * purpose) and copied for every test. */
#ifndef DALIL_TESTUTIL_H
#define DALIL_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "session.h"
#include "store.h"

/* The users of every test store, all with password TU_PASSWORD:
 * admin (admin), sup (supervisor), inv and inv2 (investigator), clerk (clerk). */
#define TU_PASSWORD "correct horse 1"

typedef struct tu_store {
	char dir[256];
	dl_store *st;
	dl_session admin, sup, inv, inv2, clerk;
} tu_store;

/* cmocka setup/teardown: *state becomes a tu_store. */
int tu_setup(void **state);
int tu_teardown(void **state);

/* A case led by lead (NULL: by inv), with number and an Arabic title; asserts success. */
long long tu_case(tu_store *t, dl_session *lead, const char *number);

/* Run SQL directly on the store's file through a second SQLite connection, as
 * someone with the sqlite3 shell would. */
void tu_sql_behind(tu_store *t, const char *sql);

/* Remove a directory tree (test scratch). */
void tu_rmtree(const char *dir);

#endif
