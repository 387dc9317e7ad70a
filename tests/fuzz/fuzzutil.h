/* fuzzutil.h — what the libFuzzer harnesses share: a throwaway store with a
 * logged-in administrator (made once per fuzzing process: the password KDF is
 * slow on purpose), and fuzz input written to a private temporary file for
 * readers that take a path. */
#ifndef DALIL_FUZZUTIL_H
#define DALIL_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

/* A fresh store in a private temporary folder, removed at exit; *s is the
 * administrator's session on it. With with_key the unit gets a signing key.
 * Aborts on failure: a harness without its store would fuzz nothing. */
void fuzz_store(dl_session *s, int with_key);

/* Replace the store by a fresh copy of the one fuzz_store made (for readers
 * that write: the store would otherwise grow with every accepted input). */
void fuzz_store_reset(dl_session *s);

/* Write data to the harness's scratch file and return its path (the same one
 * each call, overwritten). */
const char *fuzz_file(const uint8_t *data, size_t size);

#endif
