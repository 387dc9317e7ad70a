/* test_oom.c — allocation-failure injection over the model layer, the way
 * SQLite's own malloc tests do it: run a workload once counting its
 * allocations (K), then for N = 1..K run it again with the Nth allocation
 * failing, once ("transient") and then with every later one failing too
 * ("persistent"), and check that
 *   - the call returns DL_OK or a clean error (DL_ENOMEM, or DL_EDB when SQLite
 *     itself ran out) carrying a message, and never crashes;
 *   - afterwards, with injection off, no transaction is left open, the store
 *     passes PRAGMA integrity_check and audit_verify, and the change is either
 *     wholly there (DL_OK) or wholly absent (an error): every table's row count
 *     moved exactly as in the clean run, or not at all;
 *   - a read that returns DL_OK returned the same thing as the clean run (an
 *     allocation failure must never turn into a shorter list);
 *   - nothing leaks: the ASan build (scripts/test --sanitize) runs
 *     LeakSanitizer at exit over every error path taken here.
 *
 * The mechanism. Allocations reach the heap two ways, and both are counted by
 * one counter:
 *   (a) SQLite's: sqlite3_config(SQLITE_CONFIG_MALLOC) installs methods that
 *       wrap the default ones (SQLITE_CONFIG_GETMALLOC) before anything
 *       initialises SQLite — main() does it first; testutil only opens
 *       stores later, from the tests.
 *   (b) dalil's own: this program is linked with -Wl,--wrap=malloc,... (see
 *       tests/CMakeLists.txt), so every call to malloc, calloc, realloc,
 *       strdup and strndup from the statically linked objects (libdalil_model,
 *       testutil, this file) goes to __wrap_X here, which fails or passes it
 *       on to __real_X. Shared libraries (SQLite, libgcrypt, libc, cmocka)
 *       are not relinked and are untouched. Under ASan, __real_malloc is the
 *       plain symbol malloc, which ASan's interceptor defines: its accounting
 *       and leak checking see every block.
 * Counting only runs while a workload is armed, so the checks and fixtures
 * around it allocate freely.
 *
 * Two sweeps per workload, each in both modes. The first counts every
 * allocation: every N up to OOM_DENSE, then a deterministic spread of about
 * OOM_SPREAD more points over the rest, always including K itself. SQLite
 * makes nearly all of them (case_add: 547 of 557), so the second counts only
 * dalil's own (N-th malloc/strdup/… from the model) — every one up to
 * OOM_OWN_DENSE, then a spread — so that each of its allocation sites fails.
 * The slow workloads (creating a store; logging in through the deliberately
 * slow scrypt) take fewer points, set in their table entries. A sampled
 * sweep can miss an error path that only a rare N reaches: what it proves is
 * for the points it prints. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "custody.h"
#include "dashboard.h"
#include "device.h"
#include "graph.h"
#include "identifier.h"
#include "json.h"
#include "links.h"
#include "note.h"
#include "person.h"
#include "search.h"
#include "store_priv.h"

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OOM_DENSE 60
#define OOM_SPREAD 30
/* the second sweep, over dalil's own allocations only */
#define OOM_OWN_DENSE 80
#define OOM_OWN_SPREAD 30

/* ---- the injector ---- */

static int oom_armed;          /* count (and maybe fail) allocations */
static long oom_count;         /* allocations seen while armed */
static long oom_seen[2];       /* of them, by door: 0 dalil's (--wrap), 1 SQLite's */
static int oom_door = -1;      /* N counts every allocation (-1) or only this door's */
static long oom_fail_at;       /* fail the Nth (1-based); 0: never */
static int oom_persist;        /* and every allocation after it, of either door */
static long oom_injected;      /* failures handed out while armed */

static int oom_fail_now(int door)
{
	if (!oom_armed)
		return 0;
	oom_count++;
	oom_seen[door]++;
	long n = oom_door < 0 ? oom_count : oom_seen[oom_door];
	int counted = oom_door < 0 || door == oom_door;
	if (oom_fail_at && ((counted && n == oom_fail_at) || (oom_persist && oom_injected > 0))) {
		oom_injected++;
		return 1;
	}
	return 0;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t n) { return oom_fail_now(0) ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t k, size_t n) { return oom_fail_now(0) ? NULL : __real_calloc(k, n); }
void *__wrap_realloc(void *p, size_t n) { return oom_fail_now(0) ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return oom_fail_now(0) ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return oom_fail_now(0) ? NULL : __real_strndup(s, n); }

static sqlite3_mem_methods sqlite_default;

static void *sq_malloc(int n) { return oom_fail_now(1) ? NULL : sqlite_default.xMalloc(n); }
static void *sq_realloc(void *p, int n) { return oom_fail_now(1) ? NULL : sqlite_default.xRealloc(p, n); }

static void oom_install_sqlite(void)
{
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_default) != SQLITE_OK)
		abort();
	sqlite3_mem_methods m = sqlite_default;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	/* fails (SQLITE_MISUSE) if SQLite were already initialised */
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		abort();
}

/* Where a crash happened, said by the signal handler. */
static char oom_where[160];

static void on_crash(int sig)
{
	const char *m = "\noom: crashed at ";
	ssize_t r = write(2, m, strlen(m));
	r = write(2, oom_where, strlen(oom_where));
	r = write(2, "\n", 1);
	(void)r;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- workloads ---- */

typedef struct ctx {
	tu_store *t;
	long iter;                 /* makes every run's input unique */
	long long case_id;
	long long person_id, device_id;
	char newdir[64];           /* the store w_store_create makes */
} ctx;

#define CASE_FIX "2026/TIP/0001"
#define IMEI_A "490154203237518"
#define IMEI_B "356938035643809"

typedef struct workload {
	const char *name;
	/* run once with injection armed; out (may be NULL) gets a fingerprint of
	 * what a read returned */
	dl_status (*run)(ctx *c, dl_buf *out, dl_err *err);
	/* optional: after a failed run, check the store as the workload needs */
	void (*after)(ctx *c, dl_status rc);
	/* its audit entries vary from run to run (an update of updated_at in the
	 * same second changes nothing and is not logged): on DL_OK some, not
	 * exactly as many as in the clean run */
	int loose_audit;
	/* a read: audit_verify (itself a workload, and the slowest check) runs
	 * once after the last failure point rather than after each; the row
	 * counts, audit log included, are still checked after each */
	int read;
	/* failure points: every N up to dense, then about spread more, in both
	 * sweeps (0: the defaults, OOM_DENSE/OOM_SPREAD and OOM_OWN_…) */
	long dense, spread;
} workload;

static dl_status w_case_add(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char number[32];
	snprintf(number, sizeof number, "2026/SOM/%04ld", 100 + c->iter);
	dl_case_input in = {.number = number, .title_ar = "تهريب مهاجرين عبر الحدود",
	                    .title_en = "Smuggling across the border", .offences = "smuggling,trafficking",
	                    .summary_ar = "ملخص", .jurisdiction = "Tripoli", .assign = "inv2"};
	long long id = 0;
	return case_add(&c->t->inv, &in, &id, err);
}

static dl_status w_case_edit(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char title[48];
	snprintf(title, sizeof title, "Edited title %ld", c->iter);
	dl_case_input in = {.title_en = title, .summary_en = "A summary that changes too"};
	return case_edit(&c->t->inv, CASE_FIX, &in, err);
}

/* An edit is an update, not an insert: its title is the new one exactly when
 * the call said DL_OK. */
static void after_case_edit(ctx *c, dl_status rc)
{
	char title[48];
	snprintf(title, sizeof title, "Edited title %ld", c->iter);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(c->t->st->db,
		"SELECT count(*) FROM cases WHERE number = ? AND title_en = ?", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, CASE_FIX, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, title, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int there = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (there != (rc == DL_OK))
		fail_msg("case_edit returned %d but the edit is %s", rc, there ? "there" : "absent");
}

static dl_status w_person_add(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char name[64], phone[32], doc[48];
	snprintf(name, sizeof name, "محمد علي %ld", c->iter);
	snprintf(phone, sizeof phone, "+21891%07ld", 1000000 + c->iter);
	snprintf(doc, sizeof doc, "passport:P%07ld:LY", c->iter);
	const char *aliases[] = {"أبو علي"};
	const char *phones[] = {phone};
	const char *docs[] = {doc};
	dl_person_input in = {.name_ar = name, .name_lat = "Mohamed Ali", .role = "suspect",
	                      .nationality = "ly", .aliases = aliases, .naliases = 1,
	                      .phones = phones, .nphones = 1, .documents = docs, .ndocuments = 1};
	long long id = 0;
	return person_add(&c->t->inv, CASE_FIX, &in, &id, err);
}

static dl_status w_device_add(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char serial[32];
	snprintf(serial, sizeof serial, "SN-%ld", c->iter);
	const char *imeis[] = {IMEI_A, IMEI_B};
	dl_device_input in = {.type = "phone", .make = "Samsung", .model = "A52", .serial = serial,
	                      .imeis = imeis, .nimeis = 2, .phone = "+218 91 234 5678",
	                      .seal_number = "S-1", .seizing_officer = "الملازم سالم"};
	long long id = 0;
	return device_add(&c->t->inv, CASE_FIX, &in, &id, err);
}

static dl_status w_identifier_add(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char mail[64];
	snprintf(mail, sizeof mail, "user%ld@example.ly", c->iter);
	long long id = 0;
	return identifier_add(&c->t->inv, CASE_FIX, "email", mail, c->person_id, 0, &id, err);
}

static dl_status w_note_add(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char body[96];
	snprintf(body, sizeof body, "ملاحظة رقم %ld: the witness was interviewed", c->iter);
	long long id = 0;
	return note_add(&c->t->inv, CASE_FIX, body, &id, err);
}

static dl_status w_custody_add(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	char place[48], to[48], holder[48] = "";
	snprintf(place, sizeof place, "Evidence room %ld", c->iter);
	snprintf(to, sizeof to, "Lab %ld", c->iter);
	/* from whoever holds it now (what the last successful run left), looked
	 * up with injection paused */
	int armed = oom_armed;
	oom_armed = 0;
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(c->t->st->db, "SELECT to_party FROM custody_events"
		" WHERE to_party IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1", -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		snprintf(holder, sizeof holder, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	oom_armed = armed;
	dl_custody_input in = {.subject_kind = "device", .subject_id = c->device_id,
	                       .event = "transferred", .from = holder, .to = to,
	                       .place = place, .reason = "extraction"};
	long long id = 0;
	return custody_add(&c->t->inv, CASE_FIX, &in, &id, err);
}

/* What every command does next: log in. The password check is scrypt at
 * full cost (~0.1 s, in libgcrypt, whose allocations are not counted), so
 * this workload tries fewer points than the others. */
static dl_status w_login(ctx *c, dl_buf *out, dl_err *err)
{
	dl_session s;
	dl_status rc = session_login(c->t->st, "inv", TU_PASSWORD, &s, err);
	oom_armed = 0;
	if (rc == DL_OK)
		buf_addf(out, "%lld %s %d", s.user_id, s.username, (int)s.role);
	return rc;
}

/* dalil init: create a store (directory, database, every migration). */
static dl_status w_store_create(ctx *c, dl_buf *out, dl_err *err)
{
	(void)out;
	int armed = oom_armed;
	oom_armed = 0;
	/* on tmpfs when there is one: every migration commits with fsync */
	snprintf(c->newdir, sizeof c->newdir, "%s/dalil-oom-XXXXXX",
	         access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(c->newdir));
	rmdir(c->newdir);   /* store_open makes it, as dalil init does */
	oom_armed = armed;
	dl_store *s2 = NULL;
	dl_status rc = store_open(c->newdir, 1, &s2, err);
	oom_armed = 0;
	store_close(&s2);
	return rc;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb; (void)type; (void)f;
	return remove(path);
}

/* Whatever the failure left, opening the store again completes it: the
 * schema is current, integrity_check passes and the audit chain is intact. */
static void after_store_create(ctx *c, dl_status rc)
{
	(void)rc;
	dl_store *s2 = NULL;
	dl_err err;
	if (store_open(c->newdir, 1, &s2, &err) != DL_OK)
		fail_msg("%s: reopening the new store: %s", oom_where, err.msg);
	assert_int_equal(store_schema_version(s2), DL_SCHEMA_VERSION);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(s2->db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	if (strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0)
		fail_msg("%s: new store: integrity_check: %s", oom_where, sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	dl_session admin = {.store = s2, .user_id = 0, .role = DL_ROLE_ADMIN};
	dl_audit_report r;
	if (audit_verify(&admin, &r, &err) != DL_OK)
		fail_msg("%s: new store: audit_verify: %s", oom_where, err.msg);
	audit_report_free(&r);
	store_close(&s2);
	/* a failure between two migrations leaves an older schema: the reopening
	 * above then took its pre-upgrade copy into backups/ */
	nftw(c->newdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* What every command does first: open the store (an existing one). */
static dl_status w_store_open(ctx *c, dl_buf *out, dl_err *err)
{
	dl_store *s2 = NULL;
	dl_status rc = store_open(c->t->dir, 0, &s2, err);
	oom_armed = 0;
	if (rc == DL_OK) {
		buf_addf(out, "%d %d", store_schema_version(s2), s2->ntables);
		store_close(&s2);
	}
	return rc;
}

static void fp_str(dl_buf *b, const char *s)
{
	buf_adds(b, s ? s : "(null)");
	buf_addc(b, '|');
}

static dl_status w_case_get(ctx *c, dl_buf *out, dl_err *err)
{
	dl_case k;
	dl_status rc = case_get(&c->t->inv, CASE_FIX, &k, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	fp_str(out, k.number);
	fp_str(out, k.title_ar);
	fp_str(out, k.title_en);
	buf_addf(out, "%zu %zu %zu", k.nassigned, k.nstatus_history, k.ndeadline_history);
	case_free(&k);
	return DL_OK;
}

static dl_status w_case_list(ctx *c, dl_buf *out, dl_err *err)
{
	dl_case_filter f = {0};
	dl_case_list l;
	dl_status rc = case_list(&c->t->sup, &f, &l, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		fp_str(out, l.v[i].number);
		fp_str(out, l.v[i].title_ar);
	}
	case_list_free(&l);
	return DL_OK;
}

static dl_status w_person_get(ctx *c, dl_buf *out, dl_err *err)
{
	dl_person p;
	dl_status rc = person_get(&c->t->inv, c->person_id, &p, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	fp_str(out, p.name_ar);
	fp_str(out, p.name_lat);
	buf_addf(out, "%zu %zu %zu %zu", p.naliases, p.ndocuments, p.identifiers.n, p.ncases);
	for (size_t i = 0; i < p.naliases; i++)
		fp_str(out, p.aliases[i]);
	person_free(&p);
	return DL_OK;
}

static dl_status w_device_list(ctx *c, dl_buf *out, dl_err *err)
{
	dl_device_list l;
	dl_status rc = device_list(&c->t->inv, CASE_FIX, &l, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	json_w w = {0};
	json_begin_array(&w);
	for (size_t i = 0; i < l.n; i++)
		device_json(&w, &l.v[i], 1);
	json_end_array(&w);
	fp_str(out, buf_str(&w.out));
	buf_free(&w.out);
	device_list_free(&l);
	return DL_OK;
}

static dl_status w_custody_list(ctx *c, dl_buf *out, dl_err *err)
{
	dl_custody_list l;
	dl_status rc = custody_list(&c->t->inv, CASE_FIX, NULL, 0, &l, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	json_w w = {0};
	json_begin_array(&w);
	for (size_t i = 0; i < l.n; i++)
		custody_event_json(&w, &l.v[i]);
	json_end_array(&w);
	fp_str(out, buf_str(&w.out));
	buf_free(&w.out);
	custody_list_free(&l);
	return DL_OK;
}

static dl_status w_search(ctx *c, dl_buf *out, dl_err *err)
{
	dl_search_results r;
	dl_status rc = search_run(&c->t->inv, "محمد", 1, &r, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	json_w w = {0};
	search_results_json(&w, &r);
	fp_str(out, buf_str(&w.out));
	buf_free(&w.out);
	search_results_free(&r);
	return DL_OK;
}

static dl_status w_links(ctx *c, dl_buf *out, dl_err *err)
{
	dl_link_list l;
	dl_status rc = links_case(&c->t->inv, CASE_FIX, 0, &l, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	json_w w = {0};
	links_json(&w, &l);
	fp_str(out, buf_str(&w.out));
	buf_free(&w.out);
	links_list_free(&l);
	return DL_OK;
}

static dl_status w_graph(ctx *c, dl_buf *out, dl_err *err)
{
	dl_graph g;
	dl_status rc = graph_build(&c->t->inv, CASE_FIX, &g, err);
	oom_armed = 0;
	if (rc != DL_OK)
		return rc;
	buf_addf(out, "%zu %zu %zu", g.nnodes, g.nedges, g.ncases);
	for (size_t i = 0; i < g.nnodes; i++)
		fp_str(out, g.nodes[i].id);
	graph_free(&g);
	return DL_OK;
}

static dl_status w_dashboard(ctx *c, dl_buf *out, dl_err *err)
{
	dl_dashboard d;
	dl_status rc = dashboard_load(&c->t->sup, &d, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc != DL_OK)
		return rc;
	buf_addf(out, "%lld %zu %zu %zu %zu %zu", d.total_cases, d.ndeadlines, d.overdue_requests.n,
	         d.ntasks, d.nload, d.nhits);
	for (size_t i = 0; i < d.nload; i++)
		fp_str(out, d.load[i].username);
	for (size_t i = 0; i < d.nhits; i++)
		fp_str(out, d.hits[i].value);
	dashboard_free(&d);
	return DL_OK;
}

static dl_status w_audit_verify(ctx *c, dl_buf *out, dl_err *err)
{
	dl_audit_report r;
	memset(&r, 0, sizeof r);
	dl_status rc = audit_verify(&c->t->sup, &r, err);
	oom_armed = 0;   /* the fingerprint is the test's, not the workload's */
	if (rc == DL_OK)
		buf_addf(out, "%zu", r.n);
	audit_report_free(&r);
	return rc;
}

/* ---- checks ---- */

/* Row counts of every audited table and of the audit log, in one string. */
static void table_counts(tu_store *t, long long *v, int *n)
{
	*n = 0;
	for (int i = 0; i < t->st->ntables; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", t->st->tables[i].name);
		v[(*n)++] = tu_count(t, sql);
	}
	v[(*n)++] = tu_count(t, "SELECT count(*) FROM audit_log");
}

static void integrity(tu_store *t)
{
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(t->st->db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	const char *r = (const char *)sqlite3_column_text(q, 0);
	if (strcmp(r, "ok") != 0)
		fail_msg("%s: integrity_check: %s", oom_where, r);
	sqlite3_finalize(q);
}

static void audit_intact(tu_store *t)
{
	dl_audit_report r;
	dl_err err;
	dl_status rc = audit_verify(&t->sup, &r, &err);
	if (rc != DL_OK)
		fail_msg("%s: audit_verify: %s (%zu problems, first: %s %lld: %s)", oom_where, err.msg, r.n,
		         r.n ? r.v[0].entity : "", r.n ? r.v[0].entity_id : 0, r.n ? r.v[0].what : "");
	audit_report_free(&r);
}

static void check_status(dl_status rc, const dl_err *err)
{
	if (rc == DL_OK)
		return;
	if (rc != DL_ENOMEM && rc != DL_EDB)
		fail_msg("%s: status %d (%s: %s), not DL_ENOMEM/DL_EDB", oom_where, rc, err->field, err->msg);
	if (!err->msg[0])
		fail_msg("%s: status %d without a message", oom_where, rc);
}

typedef struct oom_total {
	int workloads;
	long points;
	long errors;
} oom_total;

static oom_total total;

/* The failure points to try for a workload of k allocations: every one up
 * to dense, then about spread more, evenly, ending with k. */
static long next_point(long dense, long spread, long n, long k)
{
	if (n < dense || k <= dense + spread)
		return n + 1;
	long step = (k - dense) / spread + 1;
	if (n + step > k && n < k)
		return k;
	return n + step;
}

#define MAXT 128

static void run_workload(tu_store *t, ctx *c, const workload *w)
{
	dl_err err;
	long long before[MAXT], after[MAXT], clean_delta[MAXT];
	int nb, na;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* the clean run: K, the row deltas and the fingerprint */
	dl_buf clean = {0};
	table_counts(t, before, &nb);
	snprintf(oom_where, sizeof oom_where, "%s clean run", w->name);
	oom_count = 0;
	oom_seen[0] = oom_seen[1] = 0;
	oom_fail_at = 0;
	oom_armed = 1;
	dl_status rc = w->run(c, &clean, &err);
	oom_armed = 0;
	long k = oom_count;
	if (rc != DL_OK)
		fail_msg("%s: clean run: %s: %s", w->name, err.field, err.msg);
	/* both doors really are watched: every workload reads rows into strings
	 * of its own (store_col_dup, dl_buf) and runs SQL. Without the --wrap
	 * link options the first count would be 0 and this fails. */
	long k_dalil = oom_seen[0], k_sqlite = oom_seen[1];
	if (k_dalil == 0 || k_sqlite == 0)
		fail_msg("%s: allocations seen: %ld of dalil's, %ld of SQLite's; both must be counted",
		         w->name, k_dalil, k_sqlite);
	table_counts(t, after, &na);
	assert_int_equal(na, nb);
	for (int i = 0; i < nb; i++)
		clean_delta[i] = after[i] - before[i];
	if (w->after)
		w->after(c, rc);
	c->iter++;

	long points = 0, errors = 0;
	memcpy(before, after, sizeof before);   /* each run starts where the last left */
	/* Two sweeps: N over every allocation (SQLite's are most of them), then
	 * N over dalil's own only, so that each of its few allocation sites
	 * fails at least once however many SQLite makes around it. */
	for (int door = -1; door <= 0; door++)
	for (int persist = 0; persist <= 1; persist++) {
		long kd = door < 0 ? k : k_dalil;
		/* a workload's own figures (the slow ones) hold for both sweeps */
		long dense = w->dense ? w->dense : door < 0 ? OOM_DENSE : OOM_OWN_DENSE;
		long spread = w->spread ? w->spread : door < 0 ? OOM_SPREAD : OOM_OWN_SPREAD;
		for (long n = 1; n <= kd; n = next_point(dense, spread, n, kd)) {
			snprintf(oom_where, sizeof oom_where, "%s N=%ld/%ld%s %s", w->name, n, kd,
			         door < 0 ? "" : " (dalil's own)", persist ? "persistent" : "once");
			dl_buf got = {0};
			memset(&err, 0, sizeof err);
			oom_count = 0;
			oom_seen[0] = oom_seen[1] = 0;
			oom_door = door;
			oom_fail_at = n;
			oom_persist = persist;
			oom_injected = 0;
			oom_armed = 1;
			rc = w->run(c, &got, &err);
			oom_armed = 0;
			oom_fail_at = 0;
			oom_door = -1;
			points++;
			check_status(rc, &err);
			if (rc != DL_OK)
				errors++;
			/* nothing left half done */
			if (t->st->in_txn || !sqlite3_get_autocommit(t->st->db))
				fail_msg("%s: a transaction was left open", oom_where);
			table_counts(t, after, &na);
			for (int i = 0; i < nb; i++) {
				long long d = after[i] - before[i];
				long long want = rc == DL_OK ? clean_delta[i] : 0;
				if (w->loose_audit && rc == DL_OK && i == nb - 1 && d > 0)
					continue;
				if (d != want)
					fail_msg("%s: status %d but %s moved by %lld rows, not %lld", oom_where, rc,
					         i < t->st->ntables ? t->st->tables[i].name : "audit_log", d, want);
			}
			memcpy(before, after, sizeof before);
			if (w->after)
				w->after(c, rc);
			if (rc == DL_OK && strcmp(buf_str(&got), buf_str(&clean)) != 0)
				fail_msg("%s: DL_OK but a different result:\n got %s\nwant %s", oom_where,
				         buf_str(&got), buf_str(&clean));
			buf_free(&got);
			integrity(t);
			if (!w->read)
				audit_intact(t);
			c->iter++;
		}
	}
	audit_intact(t);
	buf_free(&clean);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("oom: %-14s K=%-6ld (%ld dalil, %ld SQLite) %ld failure points, %ld clean errors, %.1f s\n",
	       w->name, k, k_dalil, k_sqlite, points, errors,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	total.workloads++;
	total.points += points;
	total.errors += errors;
}

/* The fixture every workload works in: a case with a person and a device. */
static void fixture(tu_store *t, ctx *c)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	/* thousands of commits: durability is not what is tested here */
	assert_int_equal(sqlite3_exec(t->st->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL), SQLITE_OK);
	c->case_id = tu_case(t, NULL, CASE_FIX);
	dl_err err;
	const char *phones[] = {"+218912345678"};
	dl_person_input p = {.name_ar = "محمد علي", .name_lat = "Mohamed Ali", .role = "suspect",
	                     .phones = phones, .nphones = 1};
	tu_expect(person_add(&t->inv, CASE_FIX, &p, &c->person_id, &err), DL_OK, &err, NULL);
	const char *imeis[] = {IMEI_A};
	dl_device_input d = {.type = "phone", .make = "Nokia", .imeis = imeis, .nimeis = 1};
	tu_expect(device_add(&t->inv, CASE_FIX, &d, &c->device_id, &err), DL_OK, &err, NULL);
	long long other = tu_case(t, &t->inv2, "2026/TIP/0002");
	(void)other;
	/* the same phone in another case: a link */
	long long pid2 = 0;
	dl_person_input p2 = {.name_ar = "أحمد", .role = "witness", .phones = phones, .nphones = 1};
	tu_expect(person_add(&t->inv2, "2026/TIP/0002", &p2, &pid2, &err), DL_OK, &err, NULL);
	tu_expect(note_add(&t->inv, CASE_FIX, "أول ملاحظة", NULL, &err), DL_OK, &err, NULL);
	dl_custody_input seized = {.subject_kind = "device", .subject_id = c->device_id,
	                           .event = "seized", .to = "الملازم سالم", .at = "2026-01-02T10:00:00Z"};
	tu_expect(custody_add(&t->inv, CASE_FIX, &seized, NULL, &err), DL_OK, &err, NULL);
}

static void test_writes(void **state)
{
	tu_store *t = *state;
	ctx c;
	fixture(t, &c);
	static const workload w[] = {
		{"case_add", w_case_add, NULL, 0, 0, 0, 0},
		{"case_edit", w_case_edit, after_case_edit, 1, 0, 0, 0},
		{"person_add", w_person_add, NULL, 0, 0, 0, 0},
		{"device_add", w_device_add, NULL, 0, 0, 0, 0},
		{"identifier_add", w_identifier_add, NULL, 0, 0, 0, 0},
		{"note_add", w_note_add, NULL, 0, 0, 0, 0},
		{"custody_add", w_custody_add, NULL, 0, 0, 0, 0},
		{"login", w_login, NULL, 0, 0, 12, 8},
	};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		run_workload(t, &c, &w[i]);
}

static void test_reads(void **state)
{
	tu_store *t = *state;
	ctx c;
	fixture(t, &c);
	static const workload w[] = {
		{"store_open", w_store_open, NULL, 0, 1, 0, 0},
		/* every run creates a store, with its fsyncs: fewer points */
		{"store_create", w_store_create, after_store_create, 0, 1, 30, 15},
		{"case_get", w_case_get, NULL, 0, 1, 0, 0},
		{"case_list", w_case_list, NULL, 0, 1, 0, 0},
		{"person_get", w_person_get, NULL, 0, 1, 0, 0},
		{"device_list", w_device_list, NULL, 0, 1, 0, 0},
		{"custody_list", w_custody_list, NULL, 0, 1, 0, 0},
		{"search", w_search, NULL, 0, 1, 0, 0},
		{"links", w_links, NULL, 0, 1, 0, 0},
		{"graph", w_graph, NULL, 0, 1, 0, 0},
		{"dashboard", w_dashboard, NULL, 0, 1, 0, 0},
		{"audit_verify", w_audit_verify, NULL, 0, 1, 0, 0},
	};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		run_workload(t, &c, &w[i]);
}

/* dl_buf's failure is sticky (model/json.h): the content written before is
 * kept, later writes are ignored, a reset keeps the mark, buf_free clears
 * it, and store_oom_check sees it. */
static void test_buf_sticky(void **state)
{
	(void)state;
	dl_buf b = {0};
	buf_adds(&b, "kept");
	unsigned long mark = store_oom_mark();
	char big[200];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	oom_count = 0;
	oom_fail_at = 1;   /* the growth past 64 bytes */
	oom_persist = 0;
	oom_armed = 1;
	buf_adds(&b, big);
	oom_armed = 0;
	oom_fail_at = 0;
	assert_int_equal(oom_count, 1);
	assert_true(buf_failed(&b));
	assert_string_equal(buf_str(&b), "kept");
	buf_adds(&b, "more");   /* memory is back, the hole stays: ignored */
	assert_string_equal(buf_str(&b), "kept");
	dl_err err;
	assert_int_equal(store_oom_check(mark, &err), DL_ENOMEM);
	assert_true(err.msg[0] != '\0');
	buf_reset(&b);
	assert_true(buf_failed(&b));
	buf_free(&b);
	assert_false(buf_failed(&b));
	buf_adds(&b, "again");
	assert_string_equal(buf_str(&b), "again");
	buf_free(&b);
}

int main(void)
{
	/* before anything can initialise SQLite */
	oom_install_sqlite();
	signal(SIGSEGV, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGBUS, on_crash);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_sticky),
		cmocka_unit_test_setup_teardown(test_writes, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_reads, tu_setup, tu_teardown),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	printf("oom: %d workloads, %ld failure points, %ld clean errors, no crash\n", total.workloads,
	       total.points, total.errors);
	return r;
}
