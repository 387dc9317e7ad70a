/* replay.c — a harness without libFuzzer: runs its regression cases, then each
 * file named on the command line (a corpus or a crash file), through
 * LLVMFuzzerTestOneInput. A crash, a sanitizer report or an abort fails the
 * CTest test that runs it. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	int cases = 0;
	for (const fuzz_case *c = fuzz_cases; c->what; c++, cases++) {
		/* A private copy: the harness may not read past size undetected. */
		unsigned char *copy = malloc(c->size ? c->size : 1);
		if (!copy)
			return 1;
		for (size_t i = 0; i < c->size; i++)
			copy[i] = (unsigned char)c->data[i];
		LLVMFuzzerTestOneInput(copy, c->size);
		free(copy);
	}
	int bad = 0;
	for (int i = 1; i < argc; i++)
		bad |= replay_file(argv[i]);
	printf("%d regression case(s), %d file(s) replayed\n", cases, argc - 1);
	return bad;
}
