/* fuzzutil.c — see fuzzutil.h. */
#include "fuzzutil.h"
#include "crypto.h"
#include "keys.h"
#include "store.h"
#include "user.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static char template_db[300];
static char scratch[300];
static dl_store *store;

#define PASSWORD "correct horse 1"

static void die(const char *what, const dl_err *err)
{
	fprintf(stderr, "fuzz setup: %s: %s %s\n", what, err ? err->field : "", err ? err->msg : "");
	abort();
}

static void remove_files(void)
{
	static const char *const names[] = {"dalil.db", "dalil.db-wal", "dalil.db-shm", "template.db",
	                                    "input", NULL};
	char p[400];
	store_close(&store);
	for (int i = 0; names[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	/* Objects and spool folders a reader may have made are left to rmdir's
	 * failure: the harnesses here write no objects. */
	rmdir(dir);
}

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (in < 0 || out < 0)
		die("copy", NULL);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("copy", NULL);
	close(in);
	close(out);
}

void fuzz_store(dl_session *s, int with_key)
{
	dl_err err;
	crypto_init();
	snprintf(dir, sizeof dir, "%s/dalil-fuzz-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);
	atexit(remove_files);
	snprintf(scratch, sizeof scratch, "%s/input", dir);
	if (store_open(dir, 1, &store, &err) != DL_OK)
		die("store_open", &err);
	if (user_init_admin(store, "admin", PASSWORD, "المدير", "Admin", NULL, &err) != DL_OK)
		die("user_init_admin", &err);
	if (session_login(store, "admin", PASSWORD, s, &err) != DL_OK)
		die("session_login", &err);
	if (with_key) {
		dl_unit_key k;
		memset(&k, 0, sizeof k);
		if (keys_init(s, "fuzz unit", PASSWORD, &k, &err) != DL_OK)
			die("keys_init", &err);
	}
	/* Keep a copy of the fresh database for fuzz_store_reset. */
	store_close(&store);
	char db[300];
	snprintf(db, sizeof db, "%s/dalil.db", dir);
	snprintf(template_db, sizeof template_db, "%s/template.db", dir);
	copy_file(db, template_db);
	if (store_open(dir, 0, &store, &err) != DL_OK)
		die("store_open", &err);
	s->store = store;
}

void fuzz_store_reset(dl_session *s)
{
	dl_err err;
	store_close(&store);
	char p[400];
	snprintf(p, sizeof p, "%s/dalil.db-wal", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/dalil.db-shm", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/dalil.db", dir);
	copy_file(template_db, p);
	if (store_open(dir, 0, &store, &err) != DL_OK)
		die("store_open", &err);
	s->store = store;
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
	int fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		die("scratch file", NULL);
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			die("scratch file", NULL);
		done += (size_t)n;
	}
	close(fd);
	return scratch;
}
