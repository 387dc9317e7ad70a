/* test_custody.c — chain of custody: bad input first, then subjects from other
 * cases, the linear chain rules, rights of every role and the audit log. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "custody.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

static long long events(tu_store *t)
{
	return tu_count(t, "SELECT count(*) FROM custody_events");
}

/* Insert a row the way the device and ingest modules will: through the store,
 * in a transaction, so that the audit log records it. */
static long long insert_row(tu_store *t, const char *sql, long long ref)
{
	dl_err err;
	assert_int_equal(session_begin(&t->sup, &err), DL_OK);
	sqlite3_stmt *q = store_prepare(t->st, sql, &err);
	assert_non_null(q);
	sqlite3_bind_int64(q, 1, ref);
	assert_int_equal(store_step_done(t->st, q, &err, ""), DL_OK);
	sqlite3_finalize(q);
	long long id = sqlite3_last_insert_rowid(t->st->db);
	assert_int_equal(store_commit(t->st, &err), DL_OK);
	return id;
}

static long long make_device(tu_store *t, long long case_id)
{
	return insert_row(t, "INSERT INTO devices (case_id, type, make, created_at, updated_at)"
	                     " VALUES (?, 'phone', 'سامسونج', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
	                  case_id);
}

static long long make_source(tu_store *t, long long case_id)
{
	return insert_row(t, "INSERT INTO evidence_sources (case_id, kind, original_path, status, ingested_at)"
	                     " VALUES (?, 'archive', '/media/usb/extraction.zip', 'complete', '2026-01-05T00:00:00Z')",
	                  case_id);
}

static long long make_item(tu_store *t, long long source_id)
{
	return insert_row(t, "INSERT INTO evidence_items (source_id, ordinal, path_raw, path)"
	                     " VALUES (?1, (SELECT count(*) FROM evidence_items WHERE source_id = ?1),"
	                     " X'6368617473', 'chats')", source_id);
}

static void expect_bad(tu_store *t, const char *number, const dl_custody_input *in,
                       const char *field)
{
	long long before = events(t);
	dl_err err;
	dl_status rc = custody_add(&t->inv, number, in, NULL, &err);
	if (rc != DL_EINVAL || strcmp(err.field, field) != 0)
		fail_msg("expected DL_EINVAL on %s, got %d on '%s': %s", field, rc, err.field, err.msg);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(events(t), before);
}

static void add_ok(dl_session *s, const char *number, const dl_custody_input *in, long long *id)
{
	dl_err err;
	dl_status rc = custody_add(s, number, in, id, &err);
	if (rc != DL_OK)
		fail_msg("custody_add %s: %d %s: %s", in->event, rc, err.field, err.msg);
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, "2026/TIP/0001");
	long long dev = make_device(t, 1);
	char long_seal[120];
	memset(long_seal, 'S', sizeof long_seal - 1);
	long_seal[sizeof long_seal - 1] = '\0';
	const char *c = "2026/TIP/0001";
	dl_custody_input ok = {.subject_kind = "device", .subject_id = dev, .event = "seized",
	                       .to = "الملازم خالد", .at = "2026-01-02T09:30"};
	dl_custody_input in = ok;
	in.subject_kind = NULL;                       expect_bad(t, c, &in, "subject");
	in = ok; in.subject_kind = "phone";           expect_bad(t, c, &in, "subject");
	in = ok; in.subject_id = 0;                   expect_bad(t, c, &in, "subject");
	in = ok; in.subject_id = dev + 100;           expect_bad(t, c, &in, "subject");
	in = ok; in.subject_kind = "source";          expect_bad(t, c, &in, "subject");
	in = ok; in.subject_kind = "item";            expect_bad(t, c, &in, "subject");
	in = ok; in.event = NULL;                     expect_bad(t, c, &in, "event");
	in = ok; in.event = "lost";                   expect_bad(t, c, &in, "event");
	in = ok; in.from = "a\x01b";                  expect_bad(t, c, &in, "from");
	in = ok; in.to = "line\nbreak";               expect_bad(t, c, &in, "to");
	in = ok; in.place = "\xc3\x28";               expect_bad(t, c, &in, "place");
	in = ok; in.seal = long_seal;                 expect_bad(t, c, &in, "seal");
	in = ok; in.reason = "\x7f";                  expect_bad(t, c, &in, "reason");
	in = ok; in.at = "2026-02-30";                expect_bad(t, c, &in, "at");
	in = ok; in.at = "02/01/2026";                expect_bad(t, c, &in, "at");
	in = ok; in.at = "2199-01-01T00:00";          expect_bad(t, c, &in, "at");
	/* a transfer names both parties and says why */
	dl_custody_input tr = {.subject_kind = "device", .subject_id = dev, .event = "transferred",
	                       .from = "الملازم خالد", .to = "المختبر الجنائي", .reason = "فحص فني"};
	in = tr; in.from = NULL;                      expect_bad(t, c, &in, "from");
	in = tr; in.to = "";                          expect_bad(t, c, &in, "to");
	in = tr; in.reason = NULL;                    expect_bad(t, c, &in, "reason");
	in = tr; in.reason = "   ";                   expect_bad(t, c, &in, "reason");
	in = tr; in.to = " الملازم خالد";             expect_bad(t, c, &in, "to");
	/* the case itself */
	dl_err err;
	assert_int_equal(custody_add(&t->inv, "not a number", &ok, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "case");
	assert_int_equal(custody_add(&t->inv, "2026/TIP/9999", &ok, NULL, &err), DL_ENOTFOUND);
	assert_int_equal(events(t), 0);
	/* the command line's KIND:ID form */
	dl_custody_subject k;
	long long id;
	assert_int_equal(custody_subject_parse("subject", "device:٤٢", &k, &id, &err), DL_OK);
	assert_int_equal(k, DL_CUSTODY_DEVICE);
	assert_int_equal(id, 42);
	assert_int_equal(custody_subject_parse("subject", "item:7", &k, &id, &err), DL_OK);
	assert_int_equal(k, DL_CUSTODY_ITEM);
	static const char *const bad[] = {"device", "device:", ":3", "phone:3", "device:-1", "device:x",
	                                  "averyveryverylongkind:1", NULL};
	for (int i = 0; bad[i]; i++) {
		err.field[0] = '\0';
		if (custody_subject_parse("subject", bad[i], &k, &id, &err) != DL_EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_string_equal(err.field, "subject");
	}
	/* the list's subject filter is checked the same way */
	dl_custody_list l;
	assert_int_equal(custody_list(&t->inv, c, "phone", 1, &l, &err), DL_EINVAL);
	assert_string_equal(err.field, "subject");
	assert_int_equal(custody_list(&t->inv, c, "device", dev + 1, &l, &err), DL_EINVAL);
	assert_string_equal(err.field, "subject");
}

static void test_subject_of_another_case(void **state)
{
	tu_store *t = *state;
	long long a = tu_case(t, NULL, "2026/TIP/0001");
	long long b = tu_case(t, NULL, "2026/TIP/0002");
	long long dev_b = make_device(t, b);
	long long src_b = make_source(t, b);
	long long item_b = make_item(t, src_b);
	long long src_a = make_source(t, a);
	long long item_a = make_item(t, src_a);
	const char *ca = "2026/TIP/0001";
	dl_custody_input in = {.subject_kind = "device", .subject_id = dev_b, .event = "seized"};
	expect_bad(t, ca, &in, "subject");
	in.subject_kind = "source"; in.subject_id = src_b;   expect_bad(t, ca, &in, "subject");
	in.subject_kind = "item"; in.subject_id = item_b;    expect_bad(t, ca, &in, "subject");
	/* the same subjects are fine in their own case */
	in.subject_kind = "source"; in.subject_id = src_b;   add_ok(&t->inv, "2026/TIP/0002", &in, NULL);
	in.subject_kind = "item"; in.subject_id = item_a; in.event = "examined";
	add_ok(&t->inv, ca, &in, NULL);
	dl_err err;
	dl_custody_list l;
	assert_int_equal(custody_list(&t->inv, ca, "source", src_b, &l, &err), DL_EINVAL);
	assert_string_equal(err.field, "subject");
	assert_int_equal(custody_list(&t->inv, ca, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].subject_kind, DL_CUSTODY_ITEM);
	assert_int_equal(l.v[0].subject_id, item_a);
	custody_list_free(&l);
}

static void test_chain_in_arabic(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	long long dev = make_device(t, cid);
	long long other = make_device(t, cid);
	long long src = make_source(t, cid);
	const char *c = "2026/TIP/0001";
	const char *officer = "الملازم أول خالد المبروك";
	const char *lab = "مختبر الأدلة الرقمية — طرابلس";
	dl_custody_input steps[] = {
		{.subject_kind = "device", .subject_id = dev, .event = "seized", .to = officer,
		 .at = "2026-01-02T09:30+02:00", .place = "ميناء مصراتة، الرصيف ٣", .seal = "م/٢٠٢٦/١٧"},
		{.subject_kind = "device", .subject_id = dev, .event = "sealed", .at = "2026-01-02T07:30Z",
		 .seal = "م/٢٠٢٦/١٧"},
		{.subject_kind = "device", .subject_id = dev, .event = "transferred", .from = officer,
		 .to = lab, .at = "2026-01-03 10:00", .reason = "استخراج البيانات بأمر النيابة رقم ١٢"},
		{.subject_kind = "device", .subject_id = dev, .event = "received", .to = lab,
		 .at = "2026-01-03T10:05"},
		{.subject_kind = "device", .subject_id = dev, .event = "extracted", .at = "2026-01-04"},
		{.subject_kind = "source", .subject_id = src, .event = "ingested", .at = "2026-01-05T08:00"},
		/* a second device, recorded later but seized earlier: the case's list is by time */
		{.subject_kind = "device", .subject_id = other, .event = "seized", .to = officer,
		 .at = "2026-01-01T12:00"},
	};
	long long ids[7];
	for (int i = 0; i < 7; i++)
		add_ok(&t->inv, c, &steps[i], &ids[i]);
	dl_err err;
	dl_custody_event e;
	assert_int_equal(custody_get(&t->inv, ids[0], &e, &err), DL_OK);
	assert_string_equal(e.at, "2026-01-02T07:30:00Z");
	assert_string_equal(e.to, officer);
	assert_null(e.from);
	assert_string_equal(e.place, "ميناء مصراتة، الرصيف ٣");
	assert_string_equal(e.seal_number, "م/٢٠٢٦/١٧");
	assert_string_equal(e.recorded_by, "inv");
	assert_string_equal(e.case_number, c);
	custody_event_free(&e);

	dl_custody_list l;
	assert_int_equal(custody_list(&t->sup, c, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 7);
	long long order[] = {ids[6], ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]};
	for (int i = 0; i < 7; i++)
		assert_int_equal(l.v[i].id, order[i]);
	assert_int_equal(l.v[3].event, DL_CUSTODY_TRANSFERRED);
	assert_string_equal(l.v[3].from, officer);
	assert_string_equal(l.v[3].to, lab);
	assert_string_equal(l.v[3].reason, "استخراج البيانات بأمر النيابة رقم ١٢");
	assert_string_equal(l.v[3].at, "2026-01-03T10:00:00Z");
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i].recorded_by, "inv");
	custody_list_free(&l);

	assert_int_equal(custody_list(&t->inv, c, "device", dev, &l, &err), DL_OK);
	assert_int_equal(l.n, 5);
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.v[i].subject_id, dev);
	assert_int_equal(l.v[4].event, DL_CUSTODY_EXTRACTED);
	custody_list_free(&l);

	/* an event without a time is now, which follows everything above */
	dl_custody_input now = {.subject_kind = "device", .subject_id = dev, .event = "examined"};
	long long nid;
	add_ok(&t->inv, c, &now, &nid);
	assert_int_equal(custody_get(&t->inv, nid, &e, &err), DL_OK);
	char today[11];
	store_today(today);
	assert_memory_equal(e.at, today, 10);
	custody_event_free(&e);

	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE entity = 'custody_events'"
	                          " AND action = 'insert'"), 8);
}

static void test_chain_rules(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	long long dev = make_device(t, cid);
	const char *c = "2026/TIP/0001";
	dl_custody_input seize = {.subject_kind = "device", .subject_id = dev, .event = "seized",
	                          .to = "النقيب سالم", .at = "2026-02-01T10:00"};
	add_ok(&t->inv, c, &seize, NULL);

	/* out of order: before the latest event */
	dl_custody_input in = {.subject_kind = "device", .subject_id = dev, .event = "sealed",
	                       .at = "2026-02-01T09:59"};
	expect_bad(t, c, &in, "at");
	/* the same minute is not before */
	in.at = "2026-02-01T10:00";
	add_ok(&t->inv, c, &in, NULL);

	/* a transfer without a reason */
	dl_custody_input tr = {.subject_kind = "device", .subject_id = dev, .event = "transferred",
	                       .from = "النقيب سالم", .to = "المختبر", .at = "2026-02-02T08:00"};
	expect_bad(t, c, &tr, "reason");

	/* a transfer from someone who does not hold it names the holder */
	tr.reason = "فحص";
	tr.from = "الرقيب علي";
	long long before = events(t);
	dl_err err;
	assert_int_equal(custody_add(&t->inv, c, &tr, NULL, &err), DL_EINVAL);
	assert_string_equal(err.field, "from");
	assert_non_null(strstr(err.msg, "النقيب سالم"));
	assert_int_equal(events(t), before);
	/* the holder, typed with stray spaces, is the holder */
	tr.from = " النقيب سالم ";
	add_ok(&t->inv, c, &tr, NULL);

	/* "returned" must start from the new holder too */
	dl_custody_input ret = {.subject_kind = "device", .subject_id = dev, .event = "returned",
	                        .from = "النقيب سالم", .to = "صاحب الهاتف", .at = "2026-03-01"};
	expect_bad(t, c, &ret, "from");
	/* without a from it takes the holder's name */
	ret.from = NULL;
	long long rid;
	add_ok(&t->inv, c, &ret, &rid);
	dl_custody_event e;
	assert_int_equal(custody_get(&t->inv, rid, &e, &err), DL_OK);
	assert_string_equal(e.from, "المختبر");
	custody_event_free(&e);

	/* events without a "to" do not change the holder */
	dl_custody_input ex = {.subject_kind = "device", .subject_id = dev, .event = "examined",
	                       .at = "2026-03-02"};
	add_ok(&t->inv, c, &ex, NULL);
	tr.from = "المختبر"; tr.to = "النيابة"; tr.at = "2026-03-03";
	expect_bad(t, c, &tr, "from");
	tr.from = "صاحب الهاتف";
	add_ok(&t->inv, c, &tr, NULL);

	/* nothing after "destroyed", whenever */
	dl_custody_input d = {.subject_kind = "device", .subject_id = dev, .event = "destroyed",
	                      .at = "2026-04-01", .reason = "حكم المحكمة"};
	add_ok(&t->inv, c, &d, NULL);
	const char *const after[] = {"examined", "returned", "destroyed", "sealed", NULL};
	for (int i = 0; after[i]; i++) {
		dl_custody_input x = {.subject_kind = "device", .subject_id = dev, .event = after[i],
		                      .at = "2026-05-01"};
		expect_bad(t, c, &x, "event");
	}
	/* a transfer with no earlier holder may start from anyone */
	long long dev2 = make_device(t, cid);
	dl_custody_input first = {.subject_kind = "device", .subject_id = dev2, .event = "transferred",
	                          .from = "شرطة الحدود", .to = "النقيب سالم", .reason = "تسليم",
	                          .at = "2026-02-01"};
	add_ok(&t->inv, c, &first, NULL);
	/* the other device's chain is untouched by the first one's */
	dl_custody_list l;
	assert_int_equal(custody_list(&t->inv, c, "device", dev2, &l, &err), DL_OK);
	assert_int_equal(l.n, 1);
	custody_list_free(&l);

	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

static void test_rights(void **state)
{
	tu_store *t = *state;
	long long cid = tu_case(t, NULL, "2026/TIP/0001");
	long long dev = make_device(t, cid);
	const char *c = "2026/TIP/0001";
	dl_custody_input in = {.subject_kind = "device", .subject_id = dev, .event = "seized",
	                       .at = "2026-01-01"};
	dl_err err;
	dl_custody_list l;
	add_ok(&t->inv, c, &in, NULL);               /* own case */
	long long before = events(t);
	in.at = "2026-01-02";
	assert_int_equal(custody_add(&t->inv2, c, &in, NULL, &err), DL_EPERM);
	assert_int_equal(custody_add(&t->clerk, c, &in, NULL, &err), DL_EPERM);
	assert_int_equal(events(t), before);
	assert_int_equal(custody_list(&t->inv2, c, NULL, 0, &l, &err), DL_EPERM);
	assert_int_equal(custody_list(&t->clerk, c, NULL, 0, &l, &err), DL_EPERM);
	dl_custody_event e;
	assert_int_equal(custody_get(&t->inv2, 1, &e, &err), DL_EPERM);
	/* rights come before the input: a stranger learns nothing about the subject */
	dl_custody_input junk = {.subject_kind = "phone", .subject_id = 999, .event = "lost"};
	assert_int_equal(custody_add(&t->inv2, c, &junk, NULL, &err), DL_EPERM);
	in.event = "sealed";
	add_ok(&t->sup, c, &in, NULL);
	in.event = "examined";
	add_ok(&t->admin, c, &in, NULL);
	/* a clerk reads the custody of a case sent to court, and still cannot add to it */
	assert_int_equal(case_set_status(&t->inv, c, "referred", NULL, &err), DL_OK);
	assert_int_equal(custody_list(&t->clerk, c, NULL, 0, &l, &err), DL_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[1].recorded_by, "sup");
	custody_list_free(&l);
	in.event = "reported";
	assert_int_equal(custody_add(&t->clerk, c, &in, NULL, &err), DL_EPERM);
	/* once assigned, inv2 may record */
	dl_case_input as = {.assign = "inv2"};
	assert_int_equal(case_edit(&t->inv, c, &as, &err), DL_OK);
	add_ok(&t->inv2, c, &in, NULL);
	assert_int_equal(events(t), before + 3);
	dl_audit_report rep;
	assert_int_equal(audit_verify(&t->sup, &rep, &err), DL_OK);
	audit_report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_subject_of_another_case, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_chain_in_arabic, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_chain_rules, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rights, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
