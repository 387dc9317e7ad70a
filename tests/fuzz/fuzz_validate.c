/* fuzz_validate.c — the value parsers (model/validate.h) on arbitrary bytes.
 * Beyond not crashing, each accepted value must be accepted again unchanged
 * when fed back in: the normal form is a fixed point, or found and typed
 * values would not link. */
#include "fuzz.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const fuzz_case fuzz_cases[] = {
	/* No crash found so far (docs/fuzzing.md); these hand-written edge cases keep
	 * the fixed-point check running in CTest. */
	FUZZ_CASE("bare plus", "\x00+"),
	FUZZ_CASE("trunk zero after the code", "\x00+218 091 234 5678"),
	FUZZ_CASE("Arabic-Indic digits, Egypt", "\x01\xd9\xa0\xd9\xa1\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8"),
	FUZZ_CASE("leap day at the range end", "\x00" "2196-02-29T23:59:59-14:00"),
	FUZZ_CASE("offset past midnight", "\x00" "1900-01-01T00:00+14:00"),
	FUZZ_CASE("truncated UTF-8", "\x02\xd9"),
	FUZZ_CASE("IBAN of letters only", "\x03ZZ00ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"),
	{NULL, NULL, 0},
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void fixed_point(const char *parser, const char *first, const char *again)
{
	if (strcmp(first, again) != 0) {
		fprintf(stderr, "%s: normal form \"%s\" re-parsed as \"%s\"\n", parser, first, again);
		abort();
	}
}

/* Parse, and when accepted parse the result again: it must be accepted as itself. */
#define ROUND(parser, outsz, call_in, call_again)                                       \
	do {                                                                             \
		char out[outsz], out2[outsz];                                            \
		memset(out, 0, sizeof out);                                              \
		memset(out2, 0, sizeof out2);                                            \
		if (call_in == DL_OK) {                                                  \
			if (call_again != DL_OK) {                                       \
				fprintf(stderr, "%s: normal form \"%s\" refused: %s\n",  \
				        parser, out, err.msg);                           \
				abort();                                                 \
			}                                                                \
			fixed_point(parser, out, out2);                                  \
		}                                                                        \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ccs[] = {"218", "20", "212", "216", "", NULL};
	if (size == 0)
		return 0;
	/* The first byte picks the unit's calling code; the rest is the value,
	 * NUL-terminated as every caller's strings are. */
	const char *cc = ccs[data[0] % 6];
	char *in = malloc(size);
	if (!in)
		return 0;
	memcpy(in, data + 1, size - 1);
	in[size - 1] = '\0';
	dl_err err;

	ROUND("val_phone", 17, val_phone("phone", in, cc, out, &err),
	      val_phone("phone", out, cc, out2, &err));
	ROUND("val_imei", 16, val_imei("imei", in, out, &err), val_imei("imei", out, out2, &err));
	ROUND("val_date", 11, val_date("date", in, out, &err), val_date("date", out, out2, &err));
	ROUND("val_datetime", 21, val_datetime("at", in, out, &err),
	      val_datetime("at", out, out2, &err));
	ROUND("val_iban", 35, val_iban("iban", in, out, &err), val_iban("iban", out, out2, &err));
	ROUND("val_btc", 91, val_btc("btc", in, out, sizeof out, &err),
	      val_btc("btc", out, out2, sizeof out2, &err));
	ROUND("val_eth", 91, val_eth("eth", in, out, sizeof out, &err),
	      val_eth("eth", out, out2, sizeof out2, &err));
	ROUND("val_tron", 91, val_tron("tron", in, out, sizeof out, &err),
	      val_tron("tron", out, out2, sizeof out2, &err));
	ROUND("val_imsi", 16, val_imsi("imsi", in, out, &err), val_imsi("imsi", out, out2, &err));
	ROUND("val_iccid", 21, val_iccid("iccid", in, out, &err),
	      val_iccid("iccid", out, out2, &err));
	ROUND("val_email", 256, val_email("email", in, out, sizeof out, &err),
	      val_email("email", out, out2, sizeof out2, &err));
	ROUND("val_url", 512, val_url("url", in, out, sizeof out, &err),
	      val_url("url", out, out2, sizeof out2, &err));
	ROUND("val_case_number", 41, val_case_number("number", in, out, &err),
	      val_case_number("number", out, out2, &err));
	ROUND("val_username", 33, val_username("username", in, out, &err),
	      val_username("username", out, out2, &err));

	/* Parsers without a normal form to feed back. */
	char small[8];
	val_digits_ascii(in, small, sizeof small);
	val_utf8(in);
	val_text("text", in, 64, 1, data[0] & 1, &err);
	long long n;
	val_id("id", in, &n, &err);
	val_int("n", in, -5, 5, &n, &err);
	long long days;
	val_days_between(in, "2024-02-29", &days);
	val_days_between("1900-01-01", in, &days);
	char hex[65];
	val_hex("sha256", in, 64, hex, &err);
	char social[300];
	val_social("social", (data[0] & 2) ? "whatsapp" : "telegram", in, cc, social, sizeof social,
	           &err);
	free(in);
	return 0;
}
