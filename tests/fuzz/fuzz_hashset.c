/* fuzz_hashset.c — the hash-set readers (model/hashset.h: plain lists,
 * md5deep/hashdeep output, NSRL CSV) through hashset_import, the input
 * written to a private file since the reader takes a path. An accepted list
 * becomes a set; the store is replaced by a fresh copy now and then so that it
 * does not grow without end. */
#include "fuzz.h"
#include "fuzzutil.h"
#include "hashset.h"

#include <stdio.h>
#include <stdlib.h>

const fuzz_case fuzz_cases[] = {
	/* No crash found so far (docs/fuzzing.md); these hand-written edge cases
	 * run in CTest. */
	FUZZ_CASE("hashdeep header without columns", "%%%% HASHDEEP-1.0\n"),
	FUZZ_CASE("NSRL header, short row", "\"SHA-1\",\"MD5\"\n\"0000002D9D62AEBE1E0E9DB6C4C4C7C16A163D2C\"\n"),
	FUZZ_CASE("unterminated quote", "\"SHA-1\",\"MD5\n"),
	FUZZ_CASE("NUL in a line", "d41d8cd98f00b204e9800998ecf8427e\x00x\n"),
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long accepted;
	char name[32];
	snprintf(name, sizeof name, "set%lu", accepted);
	long long entries = 0, hits = 0;
	dl_err err;
	dl_status rc = hashset_import(&admin, name, fuzz_file(data, size),
	                              (size & 1) ? "alert" : "known-good", &entries, &hits, &err);
	if (rc == DL_OK && ++accepted % 200 == 0)
		fuzz_store_reset(&admin);
	return 0;
}
