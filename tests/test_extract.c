/* test_extract.c — the identifier scanner on fixtures with known answers:
 * true identifiers in both digit systems and the four national formats, in
 * every encoding and container the scanner reads, decoys that must not match,
 * and the same hits whatever the chunking. Prints one precision/recall line
 * over the whole fixture set. */
#include "testutil.h"

#include "extract.h"

#include <iconv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct got {
	char v[64][160];
	long long off[64];
	int n;
} got;

static void on_hit(void *ctx, extract_kind kind, const char *value, long long offset)
{
	got *g = ctx;
	assert_true(g->n < 64);
	snprintf(g->v[g->n], sizeof g->v[0], "%s %s", extract_kind_names[kind], value);
	g->off[g->n] = offset;
	g->n++;
}

static unsigned tp_all, fp_all, fn_all, want_all;

/* Compare the hits with want (NULL-terminated "kind value"), counting. */
static void check(const char *name, const got *g, const char *const *want)
{
	unsigned tp = 0, fp = 0, fn = 0;
	for (int i = 0; i < g->n; i++) {
		int found = 0, again = 0;
		for (int j = 0; j < i && !again; j++)
			again = !strcmp(g->v[i], g->v[j]);
		if (again)
			continue;      /* counted once: the sets are of distinct identifiers */
		for (size_t k = 0; want[k] && !found; k++)
			found = !strcmp(g->v[i], want[k]);
		if (found)
			tp++;
		else {
			fp++;
			fprintf(stderr, "%s: unexpected %s\n", name, g->v[i]);
		}
	}
	for (size_t k = 0; want[k]; k++) {
		int found = 0;
		want_all++;
		for (int i = 0; i < g->n && !found; i++)
			found = !strcmp(g->v[i], want[k]);
		if (!found) {
			fn++;
			fprintf(stderr, "%s: missed %s\n", name, want[k]);
		}
	}
	tp_all += tp;
	fp_all += fp;
	fn_all += fn;
	assert_int_equal(fp, 0);
	assert_int_equal(fn, 0);
}

/* Scan bytes as one buffer and one byte at a time: the same hits, offsets
 * included, then checked against want. */
static void scan_both(const char *name, const char *cc, const void *bytes, size_t len,
                      const char *const *want)
{
	got a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	extract *x = extract_new(cc, on_hit, &a);
	assert_non_null(x);
	extract_feed(x, bytes, len);
	extract_finish(x);
	extract_free(&x);
	x = extract_new(cc, on_hit, &b);
	for (size_t i = 0; i < len; i++)
		extract_feed(x, (const char *)bytes + i, 1);
	extract_finish(x);
	extract_free(&x);
	assert_int_equal(a.n, b.n);
	for (int i = 0; i < a.n; i++) {
		assert_string_equal(a.v[i], b.v[i]);
		assert_true(a.off[i] == b.off[i]);
	}
	check(name, &a, want);
}

static void scan_text(const char *name, const char *cc, const char *utf8, const char *const *want)
{
	scan_both(name, cc, utf8, strlen(utf8), want);
}

/* utf8 converted to charset (with a BOM when bom). */
static char *convert(const char *utf8, const char *charset, const char *bom, size_t bomlen, size_t *len)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t in = strlen(utf8), cap = in * 4 + 16, out = cap - bomlen;
	char *buf = malloc(cap), *ip = (char *)utf8, *op = buf + bomlen;
	memcpy(buf, bom, bomlen);
	assert_true(iconv(cd, &ip, &in, &op, &out) != (size_t)-1);
	iconv_close(cd);
	*len = (size_t)(op - buf);
	return buf;
}

/* ---- the fixtures ---- */

static const char chat[] =
	"Call me +218 91-234-5678 or 00218912345678 tomorrow.\n"
	"رقم الجوال ٠٩١٢٣٤٥٦٧٨ وعلى الواتساب ۰۹۲۳۴۵۶۷۸۹\n"
	"Egypt 01012345678, Morocco 0612345678 / 0522 12 34 56 is a landline\n"
	"هاتف: 22 123 456\n"
	"IMEI 490154203237518\n"
	"mail: Ahmed.Ali@Example.COM\n";
static const char *const chat_want[] = {
	"phone +218912345678", "phone +218923456789", "phone +201012345678", "phone +212612345678",
	"phone +21622123456", "imei 490154203237518", "email Ahmed.Ali@example.com", NULL,
};

static void t_plain(void **state)
{
	(void)state;
	scan_text("utf8", "218", chat, chat_want);
}

static void t_utf16(void **state)
{
	(void)state;
	size_t n;
	char *le = convert(chat, "UTF-16LE", "\xFF\xFE", 2, &n);
	scan_both("utf16le-bom", "218", le, n, chat_want);
	free(le);
	le = convert(chat, "UTF-16LE", "", 0, &n);
	assert_true(extract_is_text((unsigned char *)le, n, "chat.txt"));
	scan_both("utf16le", "218", le, n, chat_want);
	free(le);
	char *be = convert(chat, "UTF-16BE", "", 0, &n);
	scan_both("utf16be", "218", be, n, chat_want);
	free(be);
}

static void t_cp1256(void **state)
{
	(void)state;
	/* CP1256 has neither Arabic-Indic nor Persian digits */
	static const char text[] =
		"الاسم: أحمد رقم الهاتف 0912345678\n"
		"جوال 22123456\n"
		"موبايل +20 10 1234 5678\n";
	static const char *const want[] = {"phone +218912345678", "phone +21622123456", "phone +201012345678", NULL};
	size_t n;
	char *b = convert(text, "CP1256", "", 0, &n);
	assert_true(extract_is_text((unsigned char *)b, n, NULL));
	scan_both("cp1256", "218", b, n, want);
	free(b);
}

static void t_national(void **state)
{
	(void)state;
	/* each unit reads its own national formats as val_phone does */
	static const char ly[] = "هاتف 021-4441234 and mobile 0925556677\n";
	static const char *const ly_want[] = {"phone +218214441234", "phone +218925556677", NULL};
	scan_text("ly", "218", ly, ly_want);
	static const char eg[] = "tel: 02 2345 6789, mobile 0115 555 6666\n";
	static const char *const eg_want[] = {"phone +20223456789", "phone +201155556666", NULL};
	scan_text("eg", "20", eg, eg_want);
	static const char ma[] = "Tél fixe: tel 0522-123456, portable 07 12 34 56 78\n";
	static const char *const ma_want[] = {"phone +212522123456", "phone +212712345678", NULL};
	scan_text("ma", "212", ma, ma_want);
	static const char tn[] = "phone: 71 234 567\nWhatsApp +216 98 765 432\n";
	static const char *const tn_want[] = {"phone +21671234567", "phone +21698765432", NULL};
	scan_text("tn", "216", tn, tn_want);
}

static void t_html_json(void **state)
{
	(void)state;
	static const char html[] =
		"<html><body><p>&#1575;&#1578;&#1589;&#1604; &#x2B;218&nbsp;91&nbsp;234&nbsp;5678</p>"
		"<a href=\"https://www.facebook.com/profile.php?id=100012345678\">fb</a>"
		"<p>contact&#64;smuggle-routes.ly &amp; t.me/&#x62;oat_trips</p></body></html>";
	static const char *const html_want[] = {
		"phone +218912345678", "url https://www.facebook.com/profile.php?id=100012345678",
		"social facebook:100012345678", "email contact@smuggle-routes.ly", "social telegram:boat_trips", NULL,
	};
	assert_true(extract_is_text((const unsigned char *)html, strlen(html), "page.html"));
	scan_text("html", "218", html, html_want);
	static const char json[] =
		"{\"messages\":[{\"from\":\"\\u0627\\u062d\\u0645\\u062f\",\"text\":\"\\u0631\\u0642\\u0645\\u064a "
		"\\u0660\\u0669\\u0661\\u0662\\u0663\\u0664\\u0665\\u0666\\u0667\\u0668\"},"
		"{\"text\":\"pay to TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL\",\"link\":\"https:\\/\\/wa.me\\/212612345678\"}]}";
	static const char *const json_want[] = {
		"phone +218912345678", "tron TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "url https://wa.me/212612345678",
		"social whatsapp:+212612345678", "phone +212612345678", NULL,
	};
	scan_text("json", "218", json, json_want);
}

static void t_csv_vcard_whatsapp(void **state)
{
	(void)state;
	static const char csv[] =
		"id,name,phone,email,wallet\n"
		"1,Ahmed,0912345678,a.b@mail.ly,1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n"
		"2,Salem,00201012345678,,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n"
		"3,Omar,+212 6 12 34 56 78,,0x52908400098527886E0F7030069857D2E4169EE7\n";
	static const char *const csv_want[] = {
		"phone +218912345678", "email a.b@mail.ly", "btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
		"phone +201012345678", "btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "phone +212612345678",
		"eth 0x52908400098527886e0f7030069857d2e4169ee7", NULL,
	};
	scan_text("csv", "218", csv, csv_want);
	static const char vcf[] =
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Khaled\r\nTEL;TYPE=CELL:+218 92 555 1234\r\n"
		"TEL;TYPE=HOME:71 234 567\r\nEMAIL:khaled@example.org\r\n"
		"URL:https://instagram.com/khaled.ly\r\nNOTE:IBAN GB82 WEST 1234 5698 7654 32\r\nEND:VCARD\r\n";
	static const char *const vcf_want[] = {
		"phone +218925551234", "phone +21671234567", "email khaled@example.org",
		"url https://instagram.com/khaled.ly", "social instagram:khaled.ly", "iban GB82WEST12345698765432", NULL,
	};
	scan_text("vcard", "216", vcf, vcf_want);
	static const char wa[] =
		"12/03/2024, 14:22 - \xE2\x80\x8E+218 91 234 5678: \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7\n"
		"12/03/2024, 14:23 - Ali: الرقم الجديد 0945556677 والقديم ما يشتغلش\n"
		"12/03/2024, 14:25 - Ali: تلغرام @new_boss_2024 و انستغرام: @sea.trip\n"
		"[13/03/2024, 09:01:44] Ali: IBAN LY38021001000000123456789\n";
	static const char *const wa_want[] = {
		"phone +218912345678", "phone +218945556677", "social telegram:new_boss_2024",
		"social instagram:sea.trip", "iban LY38021001000000123456789", NULL,
	};
	scan_text("whatsapp", "218", wa, wa_want);
}

static void t_decoys(void **state)
{
	(void)state;
	static const char d[] =
		"dates 2024-03-12 12/03/2024 12.03.2024 1-3-2024 2024-03-12 14:22:05\n"
		"whatsapp 12/03/2024, 14:22 - Ali: ok\n"
		"md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709\n"
		"sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
		"long runs 12490154203237518 0021891234567899 2189123456789 490154203237518000\n"
		"bad luhn 490154203237519 bad iban GB82 WEST 1234 5698 7654 33 bad btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3\n"
		"bad bech32 bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr bad tron TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM\n"
		"versions 1.2.3 10.0.19041.1 v2.10.4 IP 192.168.100.200 212.45.67.89\n"
		"prices 1,500,000 LYD 15.000 د.ل 250000000 $1234567890 99.95%\n"
		"generic 22123456 ref 20240312 case 2024/TRP/0001 order #0912345678 id=0612345678\n"
		"file IMG_20240312_0912345678.jpg abc0912345678 0912345678xyz\n"
		/* seen in real text (C++ headers, Unicode tables): section numbers, a
		 * collation key, a list of small numbers */
		"section +14 20.8.2.2.4 key [.2012.0020.0002] lanes 0 16 1 17 2 18 3 19 8 24 9 25\n";
	static const char *const none[] = {NULL};
	scan_text("decoys", "216", d, none);
	scan_text("decoys-ly", "218", d, none);
}

static void t_sqlite(void **state)
{
	(void)state;
	char dir[] = "/tmp/dalil-extract-XXXXXX", path[300];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/msgstore.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, number TEXT, photo BLOB);"
		"INSERT INTO contacts VALUES (1, 'أحمد', '+218912345678', x'00ff');"
		"INSERT INTO contacts VALUES (2, 'Salem', '00201012345678', NULL);"
		"CREATE TABLE \"odd \"\"name\" (body TEXT, ts INTEGER);"
		"INSERT INTO \"odd \"\"name\" VALUES ('واتساب ۰۹۲۳۴۵۶۷۸۹ mail x@y.ly', 1710252000);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	FILE *f = fopen(path, "rb");
	unsigned char head[100];
	assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	assert_true(extract_is_sqlite(head, sizeof head));
	assert_false(extract_is_text(head, sizeof head, "msgstore.db"));
	got g;
	memset(&g, 0, sizeof g);
	extract *x = extract_new("218", on_hit, &g);
	assert_int_equal(extract_sqlite(x, path), 0);
	extract_free(&x);
	for (int i = 0; i < g.n; i++)
		assert_true(g.off[i] == -1);
	static const char *const want[] = {"phone +218912345678", "phone +201012345678", "phone +218923456789",
	                                   "email x@y.ly", NULL};
	check("sqlite", &g, want);
	unlink(path);
	rmdir(dir);
}

static void t_is_text(void **state)
{
	(void)state;
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	assert_false(extract_is_text(png, sizeof png - 1, "a.png"));
	static const unsigned char bin[] = {1, 2, 3, 0, 5, 6, 7, 8, 9, 10, 11, 12};
	assert_false(extract_is_text(bin, sizeof bin, "x"));
	assert_true(extract_is_text((const unsigned char *)chat, strlen(chat), NULL));
}

static void t_offsets_and_set(void **state)
{
	(void)state;
	static const char t[] = "xx +218 91 234 5678 then +218912345678 then a@b.ly";
	got g;
	memset(&g, 0, sizeof g);
	extract *x = extract_new("218", on_hit, &g);
	extract_feed(x, t, strlen(t));
	extract_finish(x);
	assert_int_equal(g.n, 3);
	assert_true(g.off[0] == 3);
	assert_true(g.off[1] == 25);
	assert_true(g.off[2] == 44);
	/* the next item starts afresh: offsets from 0 again */
	g.n = 0;
	extract_feed(x, "a@b.ly", 6);
	extract_finish(x);
	assert_int_equal(g.n, 1);
	assert_true(g.off[0] == 0);
	extract_free(&x);

	extract_set *s = extract_set_new(2);
	assert_int_equal(extract_set_add(s, EX_PHONE, "+218912345678", 3), 1);
	assert_int_equal(extract_set_add(s, EX_PHONE, "+218912345678", 25), 0);
	assert_int_equal(extract_set_add(s, EX_EMAIL, "+218912345678", 25), 1);
	assert_int_equal(extract_set_add(s, EX_URL, "https://x.ly", 5), -1);
	assert_int_equal(extract_set_count(s), 2);
	assert_true(extract_set_get(s, 0)->offset == 3);
	assert_int_equal(extract_set_dropped(s), 1);
	extract_set_free(&s);
}

/* A token across the window's slide: hits far into a long item. */
static void t_long_item(void **state)
{
	(void)state;
	size_t n = 200000;
	char *b = malloc(n + 64);
	for (size_t i = 0; i < n; i++)
		b[i] = "lorem ipsum dolor sit amet\n"[i % 27];
	memcpy(b + 16380, " +218912345678 ", 15);
	memcpy(b + n - 40, " ahmed@mail.ly ", 15);
	static const char *const want[] = {"phone +218912345678", "email ahmed@mail.ly", NULL};
	scan_both("long", "218", b, n, want);
	free(b);
}

static void t_summary(void **state)
{
	(void)state;
	unsigned tp = tp_all, fp = fp_all, fn = fn_all;
	printf("extract fixtures: TP=%u FP=%u FN=%u precision=%.3f recall=%.3f\n", tp, fp, fn,
	       tp + fp ? (double)tp / (tp + fp) : 1.0, tp + fn ? (double)tp / (tp + fn) : 1.0);
	/* every expected identifier of every fixture, once per encoding */
	assert_true(want_all > 70);
	assert_int_equal(tp, want_all);
	assert_int_equal(fp, 0);
	assert_int_equal(fn, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_plain),
		cmocka_unit_test(t_utf16),
		cmocka_unit_test(t_cp1256),
		cmocka_unit_test(t_national),
		cmocka_unit_test(t_html_json),
		cmocka_unit_test(t_csv_vcard_whatsapp),
		cmocka_unit_test(t_decoys),
		cmocka_unit_test(t_sqlite),
		cmocka_unit_test(t_is_text),
		cmocka_unit_test(t_offsets_and_set),
		cmocka_unit_test(t_long_item),
		cmocka_unit_test(t_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
