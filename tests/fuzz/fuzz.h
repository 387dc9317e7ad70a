/* fuzz.h — the shape every harness has. Each fuzz_NAME.c defines the libFuzzer
 * entry points and fuzz_cases, the inputs that once crashed it (or nearly
 * did): replay.c runs them in the ordinary CTest suite, so a fixed crash stays
 * fixed even where clang and libFuzzer are not installed. */
#ifndef DALIL_FUZZ_H
#define DALIL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

typedef struct fuzz_case {
	const char *what;       /* what it once did */
	const char *data;       /* the input, as a C string literal (may hold NULs) */
	size_t size;
} fuzz_case;

/* A case from a string literal, its NULs included and its terminator not. */
#define FUZZ_CASE(what, lit) {what, lit, sizeof(lit) - 1}

/* Terminated by a case whose what is NULL. */
extern const fuzz_case fuzz_cases[];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
