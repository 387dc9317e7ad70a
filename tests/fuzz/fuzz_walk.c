/* fuzz_walk.c — the archive side of ingest (importers/walk.h): the input is
 * opened from memory by the same libarchive reader ingest uses, with small
 * limits (so a bomb stops early, as it must), and walked with callbacks that
 * pass members' bytes to the identifier scanner as ingest does and record
 * nothing. */
#include "extract.h"
#include "fuzz.h"
#include "fuzzutil.h"
#include "walk.h"

#include <archive.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const fuzz_case fuzz_cases[] = {
	/* No crash found so far (docs/fuzzing.md); these hand-written edge cases
	 * run in CTest. */
	FUZZ_CASE("gzip header only", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"),
	FUZZ_CASE("zip end record alone", "PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
	FUZZ_CASE("7z signature, no header", "7z\xbc\xaf\x27\x1c\x00\x04"),
	{NULL, NULL, 0},
};

static char spool[256];

static void remove_spool(void)
{
	rmdir(spool);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(spool, sizeof spool, "%s/dalil-fuzz-walk-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(spool))
		abort();
	atexit(remove_spool);
	return 0;
}

typedef struct ctx {
	extract_walk *ew;
	long long next_key;
} ctx;

static int on_begin(void *c, walk_member *m)
{
	ctx *g = c;
	extract_walk_begin(g->ew, m->depth, m->path);
	return WALK_READ;
}

static int on_nest(void *c, walk_member *m)
{
	ctx *g = c;
	m->key = ++g->next_key;
	extract_walk_skip(g->ew, m->depth);
	return WALK_READ;
}

static void on_data(void *c, walk_member *m, const void *buf, size_t n)
{
	ctx *g = c;
	extract_walk_data(g->ew, m->depth, buf, n);
}

static int on_end(void *c, walk_member *m)
{
	ctx *g = c;
	int scanned = 0;
	extract_set *hits = extract_walk_end(g->ew, m->depth, &scanned);
	extract_set_free(&hits);
	return WALK_READ;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const walk_ops ops = {on_begin, on_nest, on_data, on_end};
	const walk_limits lim = {.max_depth = 3, .max_entries = 200, .max_bytes = 4 << 20,
	                         .max_ratio = 200.0};
	ctx g = {0};
	g.ew = extract_walk_new("218", "CP1256", spool);
	walk *w = walk_new(&ops, &g, &lim, "CP1256");
	if (!w || !g.ew)
		abort();
	walk_set_spool(w, spool);
	struct archive *a = walk_archive_reader();
	if (a && archive_read_open_memory(a, data, size) == ARCHIVE_OK) {
		walk_source_read(w, size);
		walk_archive(w, a);
	}
	if (a)
		archive_read_free(a);
	(void)walk_problem(w);
	walk_free(&w);
	extract_walk_free(&g.ew);
	return 0;
}
