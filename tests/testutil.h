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

/* The single integer a SQL query on the store gives. */
long long tu_count(tu_store *t, const char *sql);

/* Fail unless got == want and, when field is given, err names it; a failure
 * must carry a message. */
void tu_expect(dl_status got, dl_status want, const dl_err *err, const char *field);

/* Fail unless audit_verify finds the chain and every row intact. */
void tu_audit_intact(tu_store *t);

/* Remove a directory tree (test scratch). */
void tu_rmtree(const char *dir);

#endif
