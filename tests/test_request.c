/* test_request.c — provider requests: bad input first, then Arabic text,
 * overdue computation, edits checked as a whole, rights and the audit log. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "request.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

static long long rows(tu_store *t)
{
	return tu_count(t, "SELECT (SELECT count(*) FROM provider_requests)"
	                " + (SELECT count(*) FROM request_identifiers)");
}

/* The whole stored state of the requests, to prove a refused edit wrote nothing. */
static long long checksum(tu_store *t)
{
	return tu_count(t, "SELECT coalesce(sum(length(kind || provider || provider_type ||"
	                " coalesce(legal_basis,'') || coalesce(reference,'') || coalesce(sent_date,'') ||"
	                " coalesce(due_date,'') || status || coalesce(answer_date,'') ||"
	                " coalesce(notes,'') || updated_at) * id), 0) FROM provider_requests");
}

/* An identifier recorded in a case, inserted through the store so that the
 * audit log has it. */
static long long make_identifier(tu_store *t, long long case_id, const char *kind, const char *value)
{
	dl_err err;
	assert_int_equal(session_begin(&t->sup, &err), DL_OK);
	sqlite3_stmt *q = store_prepare(t->st,
		"INSERT INTO identifiers (kind, value, case_id, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
		&err);
	assert_non_null(q);
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, case_id);
	assert_int_equal(store_step_done(t->st, q, &err, ""), DL_OK);
	sqlite3_finalize(q);
	long long id = sqlite3_last_insert_rowid(t->st->db);
	assert_int_equal(store_commit(t->st, &err), DL_OK);
	return id;
}

static void expect_bad(tu_store *t, const dl_request_input *in, const char *field)
{
	long long before = rows(t);
	dl_err err;
	dl_status rc = request_add(&t->inv, "2026/TIP/0001", in, NULL, &err);
	if (rc != DL_EINVAL || strcmp(err.field, field) != 0)
		fail_msg("expected DL_EINVAL on %s, got %d on '%s': %s", field, rc, err.field, err.msg);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(rows(t), before);
}

static void expect_bad_edit(tu_store *t, long long id, const dl_request_input *in, const char *field)
{
	long long before = rows(t), sum = checksum(t);
	dl_err err;
	dl_status rc = request_edit(&t->inv, id, in, &err);
	if (rc != DL_EINVAL || strcmp(err.field, field) != 0)
		fail_msg("edit: expected DL_EINVAL on %s, got %d on '%s': %s", field, rc, err.field, err.msg);
	assert_int_equal(rows(t), before);
	assert_int_equal(checksum(t), sum);
}

static long long add_ok(dl_session *s, const char *number, const dl_request_input *in)
{
	dl_err err;
	long long id = 0;
	dl_status rc = request_add(s, number, in, &id, &err);
	if (rc != DL_OK)
		fail_msg("request_add: %d %s: %s", rc, err.field, err.msg);
	return id;
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	long long other = tu_case(t, NULL, "2026/TIP/0002");
	long long mine = make_identifier(t, cid, "phone", "+218912345678");
	long long theirs = make_identifier(t, other, "email", "x@example.ly");
	char ids[64], dup[64], foreign[64];
	snprintf(ids, sizeof ids, "%lld", mine);
	snprintf(dup, sizeof dup, "%lld,%lld", mine, mine);
	snprintf(foreign, sizeof foreign, "%lld,%lld", mine, theirs);
	char long_ref[210];
	memset(long_ref, 'R', sizeof long_ref - 1);
	long_ref[sizeof long_ref - 1] = '\0';
	dl_request_input ok = {.kind = "disclosure", .provider = "Meta Platforms", .identifiers = ids};
	dl_request_input in = ok;
	in.kind = NULL;                        expect_bad(t, &in, "kind");
	in = ok; in.kind = "letter";           expect_bad(t, &in, "kind");
	in = ok; in.provider = NULL;           expect_bad(t, &in, "provider");
	in = ok; in.provider = " \t ";         expect_bad(t, &in, "provider");
	in = ok; in.provider = "a\nb";         expect_bad(t, &in, "provider");
	in = ok; in.provider_type = "post";    expect_bad(t, &in, "provider-type");
	in = ok; in.legal_basis = "\x01";      expect_bad(t, &in, "legal-basis");
	in = ok; in.reference = long_ref;      expect_bad(t, &in, "reference");
	in = ok; in.sent_date = "2026-02-30";  expect_bad(t, &in, "sent");
	in = ok; in.due_date = "soon";         expect_bad(t, &in, "due");
	in = ok; in.sent_date = "2026-03-01"; in.due_date = "2026-02-28"; expect_bad(t, &in, "due");
	in = ok; in.status = "lost";           expect_bad(t, &in, "status");
	in = ok; in.status = "sent";           expect_bad(t, &in, "sent");
	in = ok; in.status = "acknowledged";   expect_bad(t, &in, "sent");
	in = ok; in.status = "sent"; in.sent_date = "2199-01-01"; expect_bad(t, &in, "sent");
	in = ok; in.status = "answered"; in.sent_date = "2026-01-01"; expect_bad(t, &in, "answered");
	in = ok; in.status = "refused"; in.sent_date = "2026-01-01"; expect_bad(t, &in, "answered");
	in = ok; in.status = "sent"; in.sent_date = "2026-01-01"; in.answer_date = "2026-01-05";
	expect_bad(t, &in, "answered");
	in = ok; in.status = "partial"; in.sent_date = "2026-01-10"; in.answer_date = "2026-01-05";
	expect_bad(t, &in, "answered");
	in = ok; in.status = "answered"; in.sent_date = "2026-01-10"; in.answer_date = "2199-01-05";
	expect_bad(t, &in, "answered");
	in = ok; in.answer_date = "2026-13-01"; expect_bad(t, &in, "answered");
	in = ok; in.notes = "\xe2\x82";        expect_bad(t, &in, "notes");
	in = ok; in.identifiers = "abc";       expect_bad(t, &in, "identifiers");
	in = ok; in.identifiers = ",";         expect_bad(t, &in, "identifiers");
	in = ok; in.identifiers = dup;         expect_bad(t, &in, "identifiers");
	in = ok; in.identifiers = foreign;     expect_bad(t, &in, "identifiers");
	in = ok; in.identifiers = "999";       expect_bad(t, &in, "identifiers");
	dl_err err;
	assert_int_equal(request_add(&t->inv, "nope nope", &ok, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "case");
	assert_int_equal(request_add(&t->inv, "2026/TIP/0404", &ok, NULL, &err), DL_ENOTFOUND);
	assert_int_equal(rows(t), 0);
	/* and the good one goes in */
	add_ok(&t->inv, "2026/TIP/0001", &ok);
	assert_int_equal(rows(t), 2);
}

static void test_add_in_arabic(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	long long i1 = make_identifier(t, cid, "phone", "+218912345678");
	long long i2 = make_identifier(t, cid, "iban", "LY38021001000000123456789");
	char ids[64];
	snprintf(ids, sizeof ids, "%lld,%lld", i2, i1);   /* any order */
	const char *notes = "طلب عاجل.\nالحساب مرتبط بشبكة التهريب عبر «زوارة».";
	dl_request_input in = {.kind = "preservation", .provider = "مصرف الجمهورية",
	                       .provider_type = "bank", .legal_basis = "المادة ١١ من قانون مكافحة الجرائم الإلكترونية",
	                       .reference = "ن/٢٠٢٦/٤٤", .sent_date = "2026-01-10", .due_date = "2026-01-24",
	                       .status = "acknowledged", .notes = notes, .identifiers = ids};
	long long id = add_ok(&t->inv, "2026/TIP/0001", &in);
	dl_err err;
	dl_request r;
	assert_int_equal(request_get(&t->inv, id, &r, &err), DL_OK);
	assert_string_equal(r.case_number, "2026/TIP/0001");
	assert_int_equal(r.kind, DL_REQUEST_PRESERVATION);
	assert_string_equal(r.provider, "مصرف الجمهورية");
	assert_int_equal(r.provider_type, DL_PROVIDER_BANK);
	assert_string_equal(r.legal_basis, "المادة ١١ من قانون مكافحة الجرائم الإلكترونية");
	assert_string_equal(r.reference, "ن/٢٠٢٦/٤٤");
	assert_string_equal(r.sent_date, "2026-01-10");
	assert_string_equal(r.due_date, "2026-01-24");
	assert_int_equal(r.status, DL_REQUEST_ACKNOWLEDGED);
	assert_null(r.answer_date);
	assert_string_equal(r.notes, notes);
	assert_string_equal(r.created_by, "inv");
	assert_int_equal(r.nidentifiers, 2);
	assert_int_equal(r.identifiers[0].id, i1);
	assert_string_equal(r.identifiers[0].kind, "phone");
	assert_string_equal(r.identifiers[0].value, "+218912345678");
	assert_int_equal(r.identifiers[1].id, i2);
	request_free(&r);

	/* defaults: a platform, a draft, no identifiers */
	dl_request_input d = {.kind = "disclosure", .provider = "Telegram"};
	id = add_ok(&t->inv, "2026/TIP/0001", &d);
	assert_int_equal(request_get(&t->inv, id, &r, &err), DL_OK);
	assert_int_equal(r.provider_type, DL_PROVIDER_PLATFORM);
	assert_int_equal(r.status, DL_REQUEST_DRAFT);
	assert_int_equal(r.nidentifiers, 0);
	assert_int_equal(r.overdue, 0);
	assert_null(r.sent_date);
	request_free(&r);
	assert_int_equal(request_get(&t->inv, 999, &r, &err), DL_ENOTFOUND);

	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

static long long days_since(tu_store *t, const char *date)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT CAST(julianday(date('now')) - julianday('%s') AS INTEGER)", date);
	return tu_count(t, sql);
}

static void test_overdue(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	tu_case(t, &t->sup, "2026/SOM/0002");   /* not inv's */
	const char *c = "2026/TIP/0001";
	dl_request_input late = {.kind = "disclosure", .provider = "Meta", .sent_date = "2020-01-01",
	                         .due_date = "2020-02-01", .status = "sent"};
	long long a = add_ok(&t->inv, c, &late);
	dl_request_input later = {.kind = "preservation", .provider = "Libyana", .provider_type = "telecom",
	                          .sent_date = "2020-01-01", .due_date = "2021-06-01",
	                          .status = "acknowledged"};
	long long b = add_ok(&t->inv, c, &later);
	dl_request_input answered = {.kind = "disclosure", .provider = "Binance", .provider_type = "exchange",
	                             .sent_date = "2020-01-01", .due_date = "2020-02-01",
	                             .status = "answered", .answer_date = "2020-03-01"};
	long long ans = add_ok(&t->inv, c, &answered);
	dl_request_input draft = {.kind = "disclosure", .provider = "TikTok", .due_date = "2020-02-01"};
	add_ok(&t->inv, c, &draft);
	dl_request_input waiting = {.kind = "disclosure", .provider = "Google", .sent_date = "2020-01-01",
	                            .due_date = "2199-01-01", .status = "sent"};
	add_ok(&t->inv, c, &waiting);
	dl_request_input no_due = {.kind = "disclosure", .provider = "X", .sent_date = "2020-01-01",
	                           .status = "sent"};
	add_ok(&t->inv, c, &no_due);
	long long elsewhere = add_ok(&t->sup, "2026/SOM/0002", &late);

	dl_err err;
	dl_request r;
	assert_int_equal(request_get(&t->inv, a, &r, &err), DL_OK);
	assert_true(r.overdue);
	assert_int_equal(r.days_overdue, days_since(t, "2020-02-01"));
	assert_true(r.days_overdue > 2000);
	request_free(&r);
	assert_int_equal(request_get(&t->inv, ans, &r, &err), DL_OK);
	assert_false(r.overdue);
	assert_int_equal(r.days_overdue, 0);
	request_free(&r);

	/* the overdue ones of the case, most overdue first */
	dl_request_list l;
	assert_int_equal(request_list(&t->inv, c, 1, &l, &err), DL_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, a);
	assert_int_equal(l.v[1].id, b);
	assert_int_equal(l.v[1].days_overdue, days_since(t, "2021-06-01"));
	request_list_free(&l);
	/* every request of the case, overdue first */
	assert_int_equal(request_list(&t->inv, c, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 6);
	assert_true(l.v[0].overdue && l.v[1].overdue);
	for (size_t i = 2; i < l.n; i++)
		assert_false(l.v[i].overdue);
	request_list_free(&l);
	/* across cases: inv sees their case only, the supervisor sees both */
	assert_int_equal(request_list(&t->inv, NULL, 1, &l, &err), DL_OK);
	assert_int_equal(l.n, 2);
	request_list_free(&l);
	assert_int_equal(request_list(&t->sup, NULL, 1, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	int seen = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == elsewhere) {
			seen = 1;
			assert_string_equal(l.v[i].case_number, "2026/SOM/0002");
		}
	assert_true(seen);
	request_list_free(&l);
	assert_int_equal(request_list(&t->inv2, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 0);
	request_list_free(&l);

	/* an answer ends the delay */
	dl_request_input done = {.status = "partial", .answer_date = "2020-04-01"};
	assert_int_equal(request_edit(&t->inv, a, &done, &err), DL_OK);
	assert_int_equal(request_list(&t->inv, c, 1, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, b);
	request_list_free(&l);
}

static void test_edit(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	long long other = tu_case(t, NULL, "2026/TIP/0002");
	long long i1 = make_identifier(t, cid, "phone", "+218912345678");
	long long i2 = make_identifier(t, cid, "email", "smuggler@example.com");
	long long i3 = make_identifier(t, cid, "btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
	long long x = make_identifier(t, other, "phone", "+201001234567");
	char s12[40], s23[40], sx[40];
	snprintf(s12, sizeof s12, "%lld,%lld", i1, i2);
	snprintf(s23, sizeof s23, "%lld,%lld", i2, i3);
	snprintf(sx, sizeof sx, "%lld", x);
	dl_request_input in = {.kind = "disclosure", .provider = "Meta", .sent_date = "2026-01-10",
	                       .due_date = "2026-02-10", .status = "sent", .identifiers = s12};
	long long id = add_ok(&t->inv, "2026/TIP/0001", &in);

	dl_request_input e = {0};
	dl_err err;
	assert_int_equal(request_edit(&t->inv, id, &e, &err), DL_EINVAL);   /* nothing given */
	e.status = "answered";                      expect_bad_edit(t, id, &e, "answered");
	e = (dl_request_input){.answer_date = "2026-02-01"};
	expect_bad_edit(t, id, &e, "answered");   /* status still sent */
	e = (dl_request_input){.sent_date = ""};  expect_bad_edit(t, id, &e, "sent");
	e = (dl_request_input){.due_date = "2026-01-01"}; expect_bad_edit(t, id, &e, "due");
	e = (dl_request_input){.sent_date = "2026-03-01"}; expect_bad_edit(t, id, &e, "due");
	e = (dl_request_input){.kind = ""};       expect_bad_edit(t, id, &e, "kind");
	e = (dl_request_input){.provider = ""};   expect_bad_edit(t, id, &e, "provider");
	e = (dl_request_input){.provider_type = ""}; expect_bad_edit(t, id, &e, "provider-type");
	e = (dl_request_input){.status = ""};     expect_bad_edit(t, id, &e, "status");
	e = (dl_request_input){.identifiers = sx}; expect_bad_edit(t, id, &e, "identifiers");
	e = (dl_request_input){.reference = "ok", .identifiers = "0"};
	expect_bad_edit(t, id, &e, "identifiers");
	assert_int_equal(request_edit(&t->inv, 999, &e, &err), DL_ENOTFOUND);

	/* an edit that changes nothing writes nothing */
	long long audit = tu_count(t, "SELECT count(*) FROM audit_log");
	e = (dl_request_input){.provider = "Meta", .status = "sent", .identifiers = s12};
	assert_int_equal(request_edit(&t->inv, id, &e, &err), DL_OK);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log"), audit);

	/* answered, with new identifiers and the due date cleared */
	e = (dl_request_input){.status = "answered", .answer_date = "2026-02-01", .due_date = "",
	                       .identifiers = s23, .provider = "ميتا", .notes = "وصل الرد\nجزئيًا"};
	assert_int_equal(request_edit(&t->inv, id, &e, &err), DL_OK);
	dl_request r;
	assert_int_equal(request_get(&t->inv, id, &r, &err), DL_OK);
	assert_int_equal(r.status, DL_REQUEST_ANSWERED);
	assert_string_equal(r.answer_date, "2026-02-01");
	assert_null(r.due_date);
	assert_string_equal(r.sent_date, "2026-01-10");   /* untouched */
	assert_string_equal(r.provider, "ميتا");
	assert_string_equal(r.notes, "وصل الرد\nجزئيًا");
	assert_int_equal(r.nidentifiers, 2);
	assert_int_equal(r.identifiers[0].id, i2);
	assert_int_equal(r.identifiers[1].id, i3);
	request_free(&r);
	/* only the identifier that left and the one that came were touched */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'request_identifiers'"
	                          " AND action = 'delete'"), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'request_identifiers'"
	                          " AND action = 'insert'"), 3);
	/* back to waiting needs the answer date removed too */
	e = (dl_request_input){.status = "sent"};
	expect_bad_edit(t, id, &e, "answered");
	e = (dl_request_input){.status = "withdrawn", .answer_date = "", .identifiers = ""};
	assert_int_equal(request_edit(&t->inv, id, &e, &err), DL_OK);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM request_identifiers"), 0);

	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

static void test_rights(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	const char *c = "2026/TIP/0001";
	dl_request_input in = {.kind = "preservation", .provider = "Orange Tunisie", .provider_type = "telecom"};
	long long id = add_ok(&t->inv, c, &in);    /* own case */
	long long before = rows(t);
	dl_err err;
	assert_int_equal(request_add(&t->inv2, c, &in, NULL, &err), DL_EPERM);
	assert_int_equal(request_add(&t->clerk, c, &in, NULL, &err), DL_EPERM);
	/* rights before input */
	dl_request_input junk = {.kind = "letter"};
	assert_int_equal(request_add(&t->inv2, c, &junk, NULL, &err), DL_EPERM);
	dl_request_input e = {.reference = "R-1"};
	assert_int_equal(request_edit(&t->inv2, id, &e, &err), DL_EPERM);
	assert_int_equal(request_edit(&t->clerk, id, &e, &err), DL_EPERM);
	assert_int_equal(rows(t), before);
	dl_request r;
	assert_int_equal(request_get(&t->inv2, id, &r, &err), DL_EPERM);
	dl_request_list l;
	assert_int_equal(request_list(&t->inv2, c, 0, &l, &err), DL_EPERM);
	assert_int_equal(request_list(&t->clerk, c, 0, &l, &err), DL_EPERM);
	add_ok(&t->sup, c, &in);
	assert_int_equal(request_edit(&t->sup, id, &e, &err), DL_OK);
	add_ok(&t->admin, c, &in);
	/* a clerk reads the requests of a case in court, and changes none */
	assert_int_equal(case_set_status(&t->inv, c, "referred", NULL, &err), DL_OK);
	assert_int_equal(request_list(&t->clerk, c, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	request_list_free(&l);
	assert_int_equal(request_list(&t->clerk, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	request_list_free(&l);
	assert_int_equal(request_edit(&t->clerk, id, &e, &err), DL_EPERM);
	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

/* A request recorded by mistake can be deleted by whoever may change the case,
 * with its identifier links; the log keeps what was deleted. */
static void test_delete(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	const char *c = "2026/TIP/0001";
	long long i1 = make_identifier(t, cid, "phone", "+218912345678");
	char ids[32];
	snprintf(ids, sizeof ids, "%lld", i1);
	dl_request_input in = {.kind = "disclosure", .provider = "Libyana", .provider_type = "telecom",
	                       .identifiers = ids};
	long long id = add_ok(&t->inv, c, &in);
	long long keep = add_ok(&t->inv, c, &in);
	long long before = rows(t);
	dl_err err;
	/* refused: a clerk, an investigator not on the case; nothing changes */
	tu_expect(request_delete(&t->clerk, id, &err), DL_EPERM, &err, NULL);
	tu_expect(request_delete(&t->inv2, id, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	/* done, with its identifier link; the other request stays whole */
	assert_int_equal(request_delete(&t->inv, id, &err), DL_OK);
	assert_int_equal(rows(t), before - 2);
	dl_request r;
	assert_int_equal(request_get(&t->inv, id, &r, &err), DL_ENOTFOUND);
	assert_int_equal(request_get(&t->inv, keep, &r, &err), DL_OK);
	assert_int_equal(r.nidentifiers, 1);
	request_free(&r);
	/* gone, or never there */
	tu_expect(request_delete(&t->inv, id, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(request_delete(&t->inv, 999, &err), DL_ENOTFOUND, &err, "id");
	/* the log holds the deleted row and link */
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'delete' AND username = 'inv'"
	         " AND ((entity = 'provider_requests' AND entity_id = %lld"
	         "       AND json_extract(data, '$.provider') = 'Libyana')"
	         " OR entity = 'request_identifiers')", id);
	assert_int_equal(tu_count(t, sql), 2);
	/* the supervisor deletes in any case */
	assert_int_equal(request_delete(&t->sup, keep, &err), DL_OK);
	assert_int_equal(rows(t), 0);
	tu_audit_intact(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_add_in_arabic, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_overdue, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_edit, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rights, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_delete, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
