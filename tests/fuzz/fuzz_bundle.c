/* fuzz_bundle.c — the bundle reader (importers/bundle.h): bundle_verify on the
 * input written to a private file, against a throwaway store whose unit has a
 * key. Verification writes nothing, so the store stays as it was made. */
#include "bundle.h"
#include "fuzz.h"
#include "fuzzutil.h"

#include <string.h>

const fuzz_case fuzz_cases[] = {
	/* No crash found so far (docs/fuzzing.md); these hand-written edge cases
	 * run in CTest. */
	FUZZ_CASE("empty file", ""),
	FUZZ_CASE("not a tar", "manifest.json"),
	{NULL, NULL, 0},
};

static dl_session admin;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_store(&admin, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bundle_info info;
	memset(&info, 0, sizeof info);
	dl_err err;
	bundle_verify(&admin, fuzz_file(data, size), &info, &err);
	bundle_info_free(&info);
	return 0;
}
