/* test_device.c — devices: bad input first, then seizure records with Arabic
 * owners, Luhn-checked IMEIs as identifiers, edits and the rights of every role. */
#include "testutil.h"
#include "audit.h"
#include "case.h"
#include "custody.h"
#include "evidence.h"
#include "request.h"
#include "device.h"
#include "identifier.h"
#include "person.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

#define CASE_A "2026/TIP/0001"
#define CASE_B "2026/SOM/0002"
#define IMEI_OK "490154203237518"
#define IMEI_LUHN "490154203237519"
#define IMEI_2 "356938035643809"
#define ICCID_OK "8921800000123456783"

#define LIST(...) ((const char *const[]){__VA_ARGS__})
#define NUM(...) (sizeof LIST(__VA_ARGS__) / sizeof(const char *))
/* In an initializer: .imeis = IMEIS(...) also fills nimeis, the member after it. */
#define IMEIS(...) LIST(__VA_ARGS__), NUM(__VA_ARGS__)

/* Rows a device touches, and audit entries (every committed change, updates
 * too, leaves one): a failed call must leave both as they were. */
static long long rows(tu_store *t)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(t->st->db,
		"SELECT (SELECT count(*) FROM devices) + (SELECT count(*) FROM identifiers)"
		" + (SELECT count(*) FROM audit_log)", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void expect_bad_add(tu_store *t, const char *number, const dl_device_input *in,
                           dl_status want, const char *field)
{
	long long before = rows(t), id = -7;
	dl_err err;
	tu_expect(device_add(&t->inv, number, in, &id, &err), want, &err, field);
	assert_int_equal(id, -7);
	assert_int_equal(rows(t), before);
}

static void expect_bad_edit(tu_store *t, long long id, const dl_device_input *in,
                            dl_status want, const char *field)
{
	long long before = rows(t);
	dl_err err;
	tu_expect(device_edit(&t->inv, id, in, &err), want, &err, field);
	assert_int_equal(rows(t), before);
}

/* A person in a case, by the given session; its id. */
static long long person(dl_session *s, const char *number, const char *name)
{
	dl_person_input in = {.name_ar = name, .role = "suspect"};
	long long id = 0;
	dl_err err;
	tu_expect(person_add(s, number, &in, &id, &err), DL_OK, &err, NULL);
	return id;
}

static void test_bad_input(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	long long owner = person(&t->inv, CASE_A, "أحمد");
	long long elsewhere = person(&t->inv2, CASE_B, "عمر");
	char other[32], missing[32];
	snprintf(other, sizeof other, "%lld", elsewhere);
	snprintf(missing, sizeof missing, "%lld", elsewhere + 50);
	const dl_device_input ok = {.type = "phone"};
	dl_device_input in;
	in = ok; in.type = NULL;                 expect_bad_add(t, CASE_A, &in, DL_EINVAL, "type");
	in = ok; in.type = "smartphone";         expect_bad_add(t, CASE_A, &in, DL_EINVAL, "type");
	in = ok; in.imeis = LIST(IMEI_LUHN); in.nimeis = 1;
	expect_bad_add(t, CASE_A, &in, DL_EINVAL, "imei");
	in = ok; in.imeis = LIST(IMEI_OK, "12345"); in.nimeis = 2;
	expect_bad_add(t, CASE_A, &in, DL_EINVAL, "imei");
	in = ok; in.phone = "12";                expect_bad_add(t, CASE_A, &in, DL_EINVAL, "phone");
	in = ok; in.iccid = "8921800000123456784"; expect_bad_add(t, CASE_A, &in, DL_EINVAL, "iccid");
	in = ok; in.owner = "abc";               expect_bad_add(t, CASE_A, &in, DL_EINVAL, "owner");
	in = ok; in.owner = other;               expect_bad_add(t, CASE_A, &in, DL_EINVAL, "owner");
	in = ok; in.owner = missing;             expect_bad_add(t, CASE_A, &in, DL_EINVAL, "owner");
	in = ok; in.seized_at = "2026-13-01";    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "seized-at");
	in = ok; in.seized_at = "2199-01-01T10:00"; expect_bad_add(t, CASE_A, &in, DL_EINVAL, "seized-at");
	in = ok; in.extraction_status = "done";  expect_bad_add(t, CASE_A, &in, DL_EINVAL, "extraction");
	in = ok; in.make = "Sam\x01sung";        expect_bad_add(t, CASE_A, &in, DL_EINVAL, "make");
	in = ok; in.model = "\xc3";              expect_bad_add(t, CASE_A, &in, DL_EINVAL, "model");
	in = ok; in.serial = "a\nb";             expect_bad_add(t, CASE_A, &in, DL_EINVAL, "serial");
	in = ok; in.seized_place = "\x1b[2J";    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "seized-place");
	in = ok; in.seizing_officer = "x\ry";    expect_bad_add(t, CASE_A, &in, DL_EINVAL, "officer");
	in = ok; in.seal_number = "S\x7f";       expect_bad_add(t, CASE_A, &in, DL_EINVAL, "seal");
	in = ok; in.condition = "\x02";          expect_bad_add(t, CASE_A, &in, DL_EINVAL, "condition");
	in = ok; in.storage_location = "\xff";   expect_bad_add(t, CASE_A, &in, DL_EINVAL, "storage");
	in = ok; in.notes = "\x03";              expect_bad_add(t, CASE_A, &in, DL_EINVAL, "notes");
	in = ok;
	expect_bad_add(t, NULL, &in, DL_EINVAL, "case");
	expect_bad_add(t, "2026/TIP/9999", &in, DL_ENOTFOUND, "case");

	/* edit refuses the same, and "" where a value is required */
	long long id = 0;
	dl_err err;
	char own[32];
	snprintf(own, sizeof own, "%lld", owner);
	in = ok; in.owner = own;
	tu_expect(device_add(&t->inv, CASE_A, &in, &id, &err), DL_OK, &err, NULL);
	dl_device_input ed = {0};
	ed.type = "";                   expect_bad_edit(t, id, &ed, DL_EINVAL, "type");
	ed = (dl_device_input){0}; ed.extraction_status = ""; expect_bad_edit(t, id, &ed, DL_EINVAL, "extraction");
	ed = (dl_device_input){0}; ed.owner = other;  expect_bad_edit(t, id, &ed, DL_EINVAL, "owner");
	/* a good make with a bad IMEI: neither is written */
	ed = (dl_device_input){0}; ed.make = "Nokia"; ed.imeis = LIST(IMEI_LUHN); ed.nimeis = 1;
	expect_bad_edit(t, id, &ed, DL_EINVAL, "imei");
	ed = (dl_device_input){0}; ed.make = "Nokia";
	expect_bad_edit(t, id + 10, &ed, DL_ENOTFOUND, "id");
	expect_bad_edit(t, -1, &ed, DL_EINVAL, "id");
	dl_device d;
	tu_expect(device_get(&t->inv, id + 10, &d, &err), DL_ENOTFOUND, &err, "id");
	dl_device_list l;
	tu_expect(device_list(&t->inv, "2026/TIP/9999", &l, &err), DL_ENOTFOUND, &err, "case");
}

static void test_add_get_list(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	long long owner = person(&t->inv, CASE_A, "أحمد الزوي");
	char own[32];
	snprintf(own, sizeof own, "%lld", owner);
	dl_device_input in = {
		.type = "phone", .make = "Samsung", .model = "Galaxy A52", .serial = "R58N123ABC",
		/* the same IMEI twice (typed differently) is recorded once */
		.imeis = IMEIS(IMEI_OK, IMEI_2, "49-015420-323751-8"),
		.phone = "091 234 5678", .iccid = ICCID_OK, .owner = own,
		.seized_at = "2026-01-05 14:30+02:00", .seized_place = "ميناء زوارة",
		.seizing_officer = "الملازم سالم", .seal_number = "LY-2026-0042",
		.condition = "شاشة مكسورة", .storage_location = "خزنة 3",
		.notes = "ضبط أثناء التفتيش\nمغلق بكلمة مرور",
	};
	long long id = 0;
	dl_err err;
	tu_expect(device_add(&t->inv, CASE_A, &in, &id, &err), DL_OK, &err, NULL);
	assert_true(id > 0);

	dl_device d;
	tu_expect(device_get(&t->inv, id, &d, &err), DL_OK, &err, NULL);
	assert_int_equal(d.id, id);
	assert_string_equal(d.case_number, CASE_A);
	assert_string_equal(d.type, "phone");
	assert_string_equal(d.make, "Samsung");
	assert_string_equal(d.model, "Galaxy A52");
	assert_string_equal(d.serial, "R58N123ABC");
	assert_int_equal(d.nimeis, 2);
	assert_string_equal(d.imeis[0], IMEI_OK);
	assert_string_equal(d.imeis[1], IMEI_2);
	assert_string_equal(d.phone, "+218912345678");
	assert_string_equal(d.iccid, ICCID_OK);
	assert_int_equal(d.owner_id, owner);
	assert_string_equal(d.owner_name_ar, "أحمد الزوي");
	assert_string_equal(d.seized_at, "2026-01-05T12:30:00Z");
	assert_string_equal(d.seized_place, "ميناء زوارة");
	assert_string_equal(d.seizing_officer, "الملازم سالم");
	assert_string_equal(d.seal_number, "LY-2026-0042");
	assert_string_equal(d.condition, "شاشة مكسورة");
	assert_string_equal(d.storage_location, "خزنة 3");
	assert_string_equal(d.extraction_status, "not_started");
	assert_string_equal(d.notes, "ضبط أثناء التفتيش\nمغلق بكلمة مرور");
	assert_int_equal(d.identifiers.n, 4);
	for (size_t i = 0; i < d.identifiers.n; i++) {
		assert_int_equal(d.identifiers.v[i].device_id, id);
		assert_int_equal(d.identifiers.v[i].person_id, 0);
		assert_int_equal(d.identifiers.v[i].case_id, 1);
	}
	device_free(&d);
	assert_null(d.type);

	/* a SIM without owner, and the list */
	dl_device_input sim = {.type = "SIM", .iccid = "89201000001234567895", .extraction_status = "not_possible"};
	long long sid = 0;
	tu_expect(device_add(&t->inv, CASE_A, &sim, &sid, &err), DL_OK, &err, NULL);
	dl_device_list l;
	tu_expect(device_list(&t->inv, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, id);
	assert_int_equal(l.v[0].nimeis, 2);
	assert_string_equal(l.v[0].owner_name_ar, "أحمد الزوي");
	assert_int_equal(l.v[0].identifiers.n, 0);   /* the list carries the summary only */
	assert_string_equal(l.v[1].type, "sim");
	assert_string_equal(l.v[1].extraction_status, "not_possible");
	assert_int_equal(l.v[1].owner_id, 0);
	assert_null(l.v[1].owner_name_ar);
	assert_null(l.v[1].phone);
	assert_string_equal(l.v[1].iccid, "89201000001234567895");
	device_list_free(&l);
	assert_int_equal(l.n, 0);

	/* identifiers of the case include the device's, named after it */
	dl_identifier_list il;
	tu_expect(identifier_list(&t->inv, CASE_A, &il, &err), DL_OK, &err, NULL);
	assert_int_equal(il.n, 5);
	int seen = 0;
	for (size_t i = 0; i < il.n; i++)
		if (!strcmp(il.v[i].kind, "imei") && !strcmp(il.v[i].value, IMEI_OK)) {
			assert_string_equal(il.v[i].subject, "phone Samsung Galaxy A52");
			seen = 1;
		}
	assert_true(seen);
	identifier_list_free(&il);
	tu_audit_intact(t);
}

static void test_edit(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	long long p1 = person(&t->inv, CASE_A, "أحمد");
	long long p2 = person(&t->inv, CASE_A, "منصور");
	char own1[32], own2[32];
	snprintf(own1, sizeof own1, "%lld", p1);
	snprintf(own2, sizeof own2, "%lld", p2);
	dl_device_input in = {.type = "phone", .make = "Nokia", .imeis = IMEIS(IMEI_OK), .owner = own1};
	long long id = 0;
	dl_err err;
	tu_expect(device_add(&t->inv, CASE_A, &in, &id, &err), DL_OK, &err, NULL);

	dl_device_input ed = {.type = "tablet", .make = "", .model = "T500",
	                      .imeis = IMEIS(IMEI_OK, IMEI_2), .owner = own2,
	                      .extraction_status = "extracted", .seal_number = "S-9",
	                      .phone = "+216 20 123 456"};
	tu_expect(device_edit(&t->inv, id, &ed, &err), DL_OK, &err, NULL);
	dl_device d;
	tu_expect(device_get(&t->inv, id, &d, &err), DL_OK, &err, NULL);
	assert_string_equal(d.type, "tablet");
	assert_null(d.make);
	assert_string_equal(d.model, "T500");
	assert_int_equal(d.nimeis, 2);
	assert_string_equal(d.phone, "+21620123456");
	assert_int_equal(d.owner_id, p2);
	assert_string_equal(d.owner_name_ar, "منصور");
	assert_string_equal(d.extraction_status, "extracted");
	assert_string_equal(d.seal_number, "S-9");
	device_free(&d);

	/* "" removes the owner; nothing given changes nothing */
	dl_device_input clear = {.owner = ""};
	tu_expect(device_edit(&t->inv, id, &clear, &err), DL_OK, &err, NULL);
	dl_device_input none = {0};
	tu_expect(device_edit(&t->inv, id, &none, &err), DL_OK, &err, NULL);
	tu_expect(device_get(&t->inv, id, &d, &err), DL_OK, &err, NULL);
	assert_int_equal(d.owner_id, 0);
	assert_null(d.owner_name_ar);
	assert_string_equal(d.model, "T500");
	device_free(&d);

	/* an identifier added by hand to the device */
	long long iid = 0;
	tu_expect(identifier_add(&t->inv, CASE_A, "imsi", "606010123456789", 0, id, &iid, &err),
	              DL_OK, &err, NULL);
	assert_true(iid > 0);
	tu_audit_intact(t);
}

static void test_rights(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	const dl_device_input in = {.type = "computer", .serial = "PF1234"};
	long long id = 0, bid = 0;
	dl_err err;
	tu_expect(device_add(&t->inv, CASE_A, &in, &id, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->sup, CASE_A, &in, NULL, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->admin, CASE_A, &in, NULL, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->inv2, CASE_B, &in, &bid, &err), DL_OK, &err, NULL);
	long long before = rows(t);
	tu_expect(device_add(&t->inv2, CASE_A, &in, NULL, &err), DL_EPERM, &err, NULL);
	tu_expect(device_add(&t->clerk, CASE_A, &in, NULL, &err), DL_EPERM, &err, NULL);
	dl_device_input ed = {.extraction_status = "failed"};
	tu_expect(device_edit(&t->inv2, id, &ed, &err), DL_EPERM, &err, NULL);
	tu_expect(device_edit(&t->clerk, id, &ed, &err), DL_EPERM, &err, NULL);
	tu_expect(identifier_add(&t->inv2, CASE_A, "imei", IMEI_OK, 0, id, NULL, &err), DL_EPERM, &err, NULL);
	/* a device of another case is not this case's */
	tu_expect(identifier_add(&t->inv, CASE_A, "imei", IMEI_OK, 0, bid, NULL, &err), DL_EINVAL, &err,
	              "device");
	assert_int_equal(rows(t), before);

	dl_device d;
	dl_device_list l;
	tu_expect(device_get(&t->inv2, id, &d, &err), DL_EPERM, &err, NULL);
	tu_expect(device_get(&t->clerk, id, &d, &err), DL_EPERM, &err, NULL);
	tu_expect(device_list(&t->inv2, CASE_A, &l, &err), DL_EPERM, &err, NULL);
	tu_expect(device_list(&t->clerk, CASE_A, &l, &err), DL_EPERM, &err, NULL);
	tu_expect(device_get(&t->sup, id, &d, &err), DL_OK, &err, NULL);
	device_free(&d);
	tu_expect(device_edit(&t->sup, id, &ed, &err), DL_OK, &err, NULL);
	tu_expect(device_edit(&t->inv, id, &ed, &err), DL_OK, &err, NULL);

	/* once referred the clerk reads the case, and still changes nothing */
	assert_int_equal(case_set_status(&t->inv, CASE_A, "investigating", NULL, &err), DL_OK);
	assert_int_equal(case_set_status(&t->inv, CASE_A, "referred", NULL, &err), DL_OK);
	tu_expect(device_list(&t->clerk, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 3);
	device_list_free(&l);
	tu_expect(device_get(&t->clerk, id, &d, &err), DL_OK, &err, NULL);
	assert_string_equal(d.extraction_status, "failed");
	device_free(&d);
	before = rows(t);
	tu_expect(device_edit(&t->clerk, id, &ed, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	tu_audit_intact(t);
}

/* Deleting a device recorded by mistake: its identifiers go with it, and
 * nothing that the chain of custody, an ingest or a request refers to goes. */
static void test_delete(void **state)
{
	tu_store *t = *state;
	tu_case(t, NULL, CASE_A);
	tu_case(t, &t->inv2, CASE_B);
	const dl_device_input in = {.type = "phone", .make = "Nokia", .imeis = IMEIS(IMEI_OK, IMEI_2),
	                            .phone = "0912345678"};
	long long id = 0, keep = 0, held = 0, imaged = 0, asked = 0, theirs = 0;
	dl_err err;
	tu_expect(device_add(&t->inv, CASE_A, &in, &id, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->inv, CASE_A, &in, &keep, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->inv, CASE_A, &(dl_device_input){.type = "sim"}, &held, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->inv, CASE_A, &(dl_device_input){.type = "computer"}, &imaged, &err), DL_OK,
	          &err, NULL);
	tu_expect(device_add(&t->inv, CASE_A, &(dl_device_input){.type = "tablet", .imeis = IMEIS(IMEI_OK)},
	                     &asked, &err), DL_OK, &err, NULL);
	tu_expect(device_add(&t->inv2, CASE_B, &in, &theirs, &err), DL_OK, &err, NULL);
	/* custody on one, an ingest from another, a request about the third's IMEI */
	dl_custody_input seized = {.subject_kind = "device", .subject_id = held, .event = "seized",
	                           .to = "الملازم سالم"};
	tu_expect(custody_add(&t->inv, CASE_A, &seized, NULL, &err), DL_OK, &err, NULL);
	dl_source_input src = {.kind = "file", .original_path = "/media/usb/disk.img", .size = 10,
	                       .device_id = imaged, .tool_version = "dalil test"};
	long long sid = 0, cid = 0;
	int resumed = 0;
	tu_expect(evidence_source_begin(&t->inv, CASE_A, &src, &sid, &cid, &resumed, &err), DL_OK, &err, NULL);
	char sql[200], ident[32];
	snprintf(sql, sizeof sql, "SELECT id FROM identifiers WHERE device_id = %lld", asked);
	snprintf(ident, sizeof ident, "%lld", tu_count(t, sql));
	dl_request_input req = {.kind = "disclosure", .provider = "Libyana", .provider_type = "telecom",
	                        .identifiers = ident};
	tu_expect(request_add(&t->inv, CASE_A, &req, NULL, &err), DL_OK, &err, NULL);

	long long before = rows(t);
	tu_expect(device_delete(&t->clerk, id, &err), DL_EPERM, &err, NULL);
	tu_expect(device_delete(&t->inv2, id, &err), DL_EPERM, &err, NULL);
	tu_expect(device_delete(&t->inv, theirs, &err), DL_EPERM, &err, NULL);
	tu_expect(device_delete(&t->inv, theirs + 100, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(device_delete(&t->inv, -1, &err), DL_EINVAL, &err, "id");
	tu_expect(device_delete(&t->inv, held, &err), DL_EINVAL, &err, "device");
	assert_non_null(strstr(err.msg, "custody"));
	tu_expect(device_delete(&t->sup, imaged, &err), DL_EINVAL, &err, "device");
	assert_non_null(strstr(err.msg, "evidence"));
	tu_expect(device_delete(&t->admin, asked, &err), DL_EINVAL, &err, "device");
	assert_non_null(strstr(err.msg, "request"));
	assert_int_equal(rows(t), before);

	long long entries = tu_count(t, "SELECT count(*) FROM audit_log");
	tu_expect(device_delete(&t->inv, id, &err), DL_OK, &err, NULL);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM devices WHERE id = %lld", id);
	assert_int_equal(tu_count(t, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM identifiers WHERE device_id = %lld", id);
	assert_int_equal(tu_count(t, sql), 0);
	/* the other device keeps the same IMEIs and phone */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM identifiers WHERE device_id = %lld", keep);
	assert_int_equal(tu_count(t, sql), 3);
	/* one entry per row: three identifiers and the device, holding their values */
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log"), entries + 4);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'delete'"
	         " AND entity = 'devices' AND entity_id = %lld AND data LIKE '%%Nokia%%'", id);
	assert_int_equal(tu_count(t, sql), 1);
	assert_int_equal(tu_count(t, "SELECT count(*) FROM audit_log WHERE action = 'delete'"
	                             " AND entity = 'identifiers'"), 3);
	dl_device d;
	tu_expect(device_get(&t->inv, id, &d, &err), DL_ENOTFOUND, &err, "id");
	tu_expect(device_delete(&t->inv, id, &err), DL_ENOTFOUND, &err, "id");
	dl_device_list l;
	tu_expect(device_list(&t->inv, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 4);
	device_list_free(&l);
	tu_expect(device_delete(&t->sup, keep, &err), DL_OK, &err, NULL);

	/* once referred, the clerk reads the case and still deletes nothing */
	assert_int_equal(case_set_status(&t->inv, CASE_A, "investigating", NULL, &err), DL_OK);
	assert_int_equal(case_set_status(&t->inv, CASE_A, "referred", NULL, &err), DL_OK);
	tu_expect(device_list(&t->clerk, CASE_A, &l, &err), DL_OK, &err, NULL);
	assert_int_equal(l.n, 3);
	device_list_free(&l);
	before = rows(t);
	tu_expect(device_delete(&t->clerk, asked, &err), DL_EPERM, &err, NULL);
	assert_int_equal(rows(t), before);
	tu_audit_intact(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_input, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_add_get_list, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_edit, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rights, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_delete, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
