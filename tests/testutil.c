/* testutil.c — see testutil.h. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "crypto.h"
#include "store_priv.h"
#include "user.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char template_dir[256];

static void make_session(dl_store *st, const char *name, dl_session *out)
{
	dl_err err;
	assert_int_equal(session_login(st, name, TU_PASSWORD, out, &err), DL_OK);
}

static void remove_template(void)
{
	tu_rmtree(template_dir);
}

static void build_template(void)
{
	if (template_dir[0])
		return;
	crypto_init();
	snprintf(template_dir, sizeof template_dir, "/tmp/dalil-test-template-XXXXXX");
	assert_non_null(mkdtemp(template_dir));
	dl_store *st = NULL;
	dl_err err;
	assert_int_equal(store_open(template_dir, 1, &st, &err), DL_OK);
	assert_int_equal(user_init_admin(st, "admin", TU_PASSWORD, "المدير", "Admin", NULL, &err), DL_OK);
	dl_session admin;
	make_session(st, "admin", &admin);
	static const char *const users[][2] = {
		{"sup", "supervisor"}, {"inv", "investigator"}, {"inv2", "investigator"}, {"clerk", "clerk"},
	};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(user_add(&admin, users[i][0], users[i][1], TU_PASSWORD, NULL, NULL, NULL, &err),
		                 DL_OK);
	store_close(&st);   /* checkpoints the WAL into dalil.db */
	atexit(remove_template);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	assert_non_null(in);
	FILE *out = fopen(to, "wb");
	assert_non_null(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

/* Sessions without the KDF: the template's users are known. */
static void quick_session(dl_store *st, long long id, const char *name, dl_role role, dl_session *s)
{
	memset(s, 0, sizeof *s);
	s->store = st;
	s->user_id = id;
	snprintf(s->username, sizeof s->username, "%s", name);
	s->role = role;
}

int tu_setup(void **state)
{
	build_template();
	tu_store *t = calloc(1, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/dalil-test-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	char from[300], to[300];
	snprintf(from, sizeof from, "%s/dalil.db", template_dir);
	snprintf(to, sizeof to, "%s/dalil.db", t->dir);
	copy_file(from, to);
	dl_err err;
	assert_int_equal(store_open(t->dir, 0, &t->st, &err), DL_OK);
	quick_session(t->st, 1, "admin", DL_ROLE_ADMIN, &t->admin);
	quick_session(t->st, 2, "sup", DL_ROLE_SUPERVISOR, &t->sup);
	quick_session(t->st, 3, "inv", DL_ROLE_INVESTIGATOR, &t->inv);
	quick_session(t->st, 4, "inv2", DL_ROLE_INVESTIGATOR, &t->inv2);
	quick_session(t->st, 5, "clerk", DL_ROLE_CLERK, &t->clerk);
	*state = t;
	return 0;
}

void tu_rmtree(const char *dir)
{
	static const char *const names[] = {"dalil.db", "dalil.db-wal", "dalil.db-shm", NULL};
	char p[400];
	for (int i = 0; names[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

int tu_teardown(void **state)
{
	tu_store *t = *state;
	store_close(&t->st);
	tu_rmtree(t->dir);
	free(t);
	return 0;
}

long long tu_case(tu_store *t, dl_session *lead, const char *number)
{
	dl_case_input in = {0};
	in.number = number;
	in.title_ar = "قضية اختبار";
	in.offences = "trafficking";
	long long id = 0;
	dl_err err;
	dl_status rc = case_add(lead ? lead : &t->inv, &in, &id, &err);
	if (rc != DL_OK)
		fail_msg("case_add %s: %s: %s", number, err.field, err.msg);
	return id;
}

void tu_sql_behind(tu_store *t, const char *sql)
{
	char path[300];
	snprintf(path, sizeof path, "%s/dalil.db", t->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("sql behind: %s", msg);
	sqlite3_close(db);
}

long long tu_count(tu_store *t, const char *sql)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(t->st->db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("tu_count: cannot prepare %s", sql);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

void tu_expect(dl_status got, dl_status want, const dl_err *err, const char *field)
{
	if (got != want || (field && strcmp(err->field, field) != 0))
		fail_msg("expected status %d on '%s', got %d on '%s': %s", want, field ? field : "",
		         got, err->field, err->msg);
	if (want != DL_OK)
		assert_true(err->msg[0] != '\0');
}

void tu_audit_intact(tu_store *t)
{
	dl_audit_report r;
	memset(&r, 0, sizeof r);
	dl_err err;
	dl_status rc = audit_verify(&t->sup, &r, &err);
	if (rc != DL_OK)
		fail_msg("audit: %s (%zu problems, first: %s)", err.msg, r.n, r.n ? r.v[0].what : "");
	assert_true(r.rows > 0);
	audit_report_free(&r);
}
