/* fuzz_unpack.c — what a signed bundle can carry into the import. Mutated
 * bundles rarely get past bundle_verify's signature (fuzz_bundle covers that
 * side); this harness starts after it, where a bundle from a trusted unit (or
 * from a stolen key) is trusted to be signed but not to be well formed: the
 * manifest goes straight to unpack_case, inside the import's one transaction,
 * which is then rolled back so the store stays as it was made.
 *
 * The input is one manifest, or two separated by "\n\0\n": the second is then
 * unpacked after the first in the same transaction, so an incremental bundle
 * (seeds.sh: a full manifest, the separator, an "export --since" manifest of
 * the same case) finds its base imported. */
#include "caseunpack.h"
#include "crypto.h"
#include "fuzz.h"
#include "fuzzutil.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

const fuzz_case fuzz_cases[] = {
	/* No crash found so far (docs/fuzzing.md); these hand-written edge cases
	 * run in CTest. */
	FUZZ_CASE("empty manifest", ""),
	FUZZ_CASE("not JSON", "manifest"),
	FUZZ_CASE("an empty object", "{}"),
	FUZZ_CASE("a case with no rows", "{\"format\":\"dalil-bundle\",\"version\":1,\"case\":{}}"),
	FUZZ_CASE("rows of a table that is not there",
	          "{\"format\":\"dalil-bundle\",\"version\":1,\"tables\":{\"sqlite_master\":[{\"id\":1}]}}"),
	FUZZ_CASE("two manifests, the second empty", "{}\n\0\n"),
	{NULL, NULL, 0},
};

static dl_session admin;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_store(&admin, 0);
	return 0;
}

static void unpack_one(const char *m, size_t len, dl_err *err)
{
	char sha[65];
	crypto_sha256_hex(m, len, sha);
	dl_unpack_origin o = {
		.bundle_id = sha,
		.unit_name = "Fuzz unit",
		.fingerprint = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		.sent_at = "2026-11-24T00:00:00Z",
		.sent_by = "chief",
		.file_sha256 = sha,
	};
	dl_unpack_result r;
	memset(&r, 0, sizeof r);
	unpack_case(&admin, m, len, &o, &r, err);
	unpack_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* unpack_case reads a NUL-terminated text, as the import hands it over */
	char *m = malloc(size + 1);
	if (!m)
		return 0;
	memcpy(m, data, size);
	m[size] = '\0';
	size_t first = size;
	for (size_t i = 0; i + 2 < size; i++)
		if (m[i] == '\n' && m[i + 1] == '\0' && m[i + 2] == '\n') {
			first = i;
			break;
		}
	dl_err err;
	if (session_begin(&admin, &err) == DL_OK) {
		m[first] = '\0';
		unpack_one(m, first, &err);
		if (first < size)
			unpack_one(m + first + 3, size - first - 3, &err);
		store_end(admin.store, DL_EINVAL, NULL);   /* everything back */
	}
	free(m);
	return 0;
}
