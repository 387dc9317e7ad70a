/* extract_files.c — the identifier scanner over files, each scanned as one
 * evidence item is during ingest (text-bearing ones only, SQLite databases
 * through their text columns): bench/extract.sh times it against grep.
 *
 *   extract_files [-v] [--cc 218] FILE...
 *
 * Prints "files N text T bytes B hits H seconds S MB/s R" on one line; with -v
 * every hit first as "kind<TAB>value<TAB>offset<TAB>file". */
#include "extract.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct run {
	int verbose;
	const char *file;
	unsigned long long hits;
} run;

static void on_hit(void *ctx, extract_kind kind, const char *value, long long offset)
{
	run *r = ctx;
	r->hits++;
	if (r->verbose)
		printf("%s\t%s\t%lld\t%s\n", extract_kind_names[kind], value, offset, r->file);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	run r = {0, NULL, 0};
	const char *cc = "218";
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			r.verbose = 1;
		else if (!strcmp(argv[i], "--cc") && i + 1 < argc)
			cc = argv[++i];
		else {
			fprintf(stderr, "usage: %s [-v] [--cc CODE] FILE...\n", argv[0]);
			return 2;
		}
	}
	extract *x = extract_new(cc, on_hit, &r);
	unsigned char *buf = malloc(1 << 20);
	if (!x || !buf)
		return 1;
	unsigned long long files = 0, text = 0, bytes = 0;
	double t0 = now_s();
	for (; i < argc; i++) {
		r.file = argv[i];
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(argv[i]);
			continue;
		}
		files++;
		ssize_t n = read(fd, buf, 1 << 20);
		if (n > 0 && extract_is_sqlite(buf, (size_t)n)) {
			text++;
			bytes += (unsigned long long)n;
			extract_sqlite(x, argv[i]);
		} else if (n > 0 && extract_is_text(buf, (size_t)n, argv[i])) {
			text++;
			do {
				bytes += (unsigned long long)n;
				extract_feed(x, buf, (size_t)n);
			} while ((n = read(fd, buf, 1 << 20)) > 0);
			extract_finish(x);
		}
		close(fd);
	}
	double dt = now_s() - t0;
	printf("files %llu text %llu bytes %llu hits %llu seconds %.3f MB/s %.1f\n", files, text, bytes,
	       r.hits, dt, dt > 0 ? (double)bytes / 1e6 / dt : 0.0);
	extract_free(&x);
	free(buf);
	return 0;
}
