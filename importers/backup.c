/* backup.c — whole-store backup and restore; see backup.h.
 *
 * The archive is a plain pax tar, members in this order:
 *   manifest.json               what follows, with SHA-256 and size of each
 *   dalil.db                    the database as of one read transaction
 *   objects/ab/cdef…            every object file, named as in the store
 * The manifest is written by dalil in one canonical layout (one object per
 * line) and restore accepts that layout only: a backup is dalil's own file,
 * and anything else in it is a sign of damage or tampering. */
#include "backup.h"
#include "crypto.h"
#include "i18n.h"
#include "json.h"
#include "store_priv.h"
#include "tarout.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef DALIL_VERSION
#define DALIL_VERSION "0.0"
#endif

#define CHUNK (64 * 1024)
/* A manifest line is under 100 bytes: this allows some ten million objects
 * while refusing a hostile "manifest" that would fill memory. */
#define MANIFEST_MAX (1024LL * 1024 * 1024)

typedef struct bk_object {
	char sha256[65];
	long long size;
	int seen;                 /* restore: the member was read */
} bk_object;

typedef struct bk_list {
	bk_object *v;
	size_t n, cap;
} bk_list;

static void list_add(bk_list *l, const char *sha, long long size)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		bk_object *v = realloc(l->v, l->cap * sizeof *v);
		if (!v)
			abort();
		l->v = v;
	}
	bk_object *o = &l->v[l->n++];
	memcpy(o->sha256, sha, 64);
	o->sha256[64] = '\0';
	o->size = size;
	o->seen = 0;
}

static int obj_cmp(const void *a, const void *b)
{
	return strcmp(((const bk_object *)a)->sha256, ((const bk_object *)b)->sha256);
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

/* SHA-256 and size of a whole file. */
static int hash_file(const char *path, char hex[65], long long *size, unsigned char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0)) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	long long n = 0;
	ssize_t k;
	while ((k = read(fd, buf, CHUNK)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		gcry_md_write(md, buf, (size_t)k);
		n += k;
	}
	int e = errno;
	if (k == 0)
		crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, hex);
	gcry_md_close(md);
	close(fd);
	*size = n;
	errno = e;
	return k == 0 ? 0 : -1;
}

/* fsync the directory holding path, so that a rename into it survives a
 * power cut. Best effort: some file systems (FAT) cannot. */
static void sync_parent(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* ----------------------------------------------------------------- backup */

/* The database as one snapshot, into path (a new private file). One step of
 * all pages runs in a single read transaction: under WAL another dalil may go
 * on committing, and the copy is the store as of the moment the step began.
 * Copying in slices instead would restart on every foreign commit and might
 * never finish while an ingest runs. */
static dl_status copy_database(dl_store *st, const char *path, dl_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
	close(fd);
	sqlite3 *dst = NULL;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		dl_err_set(err, DL_EDB, "output", _("cannot open %s: %s"), path,
		           dst ? sqlite3_errmsg(dst) : _("out of memory"));
		sqlite3_close(dst);
		return DL_EDB;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->db, "main");
	if (!b) {
		dl_err_set(err, DL_EDB, "output", _("database error: %s"), sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return DL_EDB;
	}
	int rc, tries = 0;
	/* a writer's checkpoint can hold the lock a moment: wait, as a store does */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > 400)
			break;
		sqlite3_sleep(25);
	}
	sqlite3_backup_finish(b);
	dl_status out = DL_OK;
	if (rc != SQLITE_DONE) {
		out = rc == SQLITE_BUSY || rc == SQLITE_LOCKED
			? dl_err_set(err, DL_EDB, "store", _("the store is busy in another dalil; try again"))
			: dl_err_set(err, DL_EDB, "store", _("database error: %s"), sqlite3_errstr(rc));
	} else if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		/* one self-contained file, no -wal beside it */
		out = dl_err_set(err, DL_EDB, "output", _("database error: %s"), sqlite3_errmsg(dst));
	}
	if (sqlite3_close(dst) != SQLITE_OK && out == DL_OK)
		out = dl_err_set(err, DL_EDB, "output", _("cannot write %s: %s"), path, "sqlite3_close");
	return out;
}

/* Every file of STORE/objects/ab/cdef… (objects/tmp and anything not named
 * like an object are not objects). Walked after the snapshot: every object
 * the snapshot names was in place before its row was committed; newer ones
 * are carried along harmlessly. */
static dl_status list_objects(dl_store *st, bk_list *l, dl_err *err)
{
	char top[4096];
	snprintf(top, sizeof top, "%s/objects", store_dir(st));
	DIR *d = opendir(top);
	if (!d)
		return errno == ENOENT ? DL_OK
		                       : dl_err_set(err, DL_EIO, "store", _("cannot read %s: %s"), top, strerror(errno));
	struct dirent *de;
	dl_status rc = DL_OK;
	while (rc == DL_OK && (de = readdir(d))) {
		if (strlen(de->d_name) != 2 || !is_hex(de->d_name, 2))
			continue;
		char sub[4200];
		snprintf(sub, sizeof sub, "%s/%.2s", top, de->d_name);
		DIR *s = opendir(sub);
		if (!s) {
			rc = dl_err_set(err, DL_EIO, "store", _("cannot read %s: %s"), sub, strerror(errno));
			break;
		}
		struct dirent *fe;
		while ((fe = readdir(s))) {
			if (strlen(fe->d_name) != 62 || !is_hex(fe->d_name, 62))
				continue;
			struct stat sb;
			if (fstatat(dirfd(s), fe->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
				continue;
			char sha[65];
			memcpy(sha, de->d_name, 2);
			memcpy(sha + 2, fe->d_name, 62);
			sha[64] = '\0';
			list_add(l, sha, (long long)sb.st_size);
		}
		closedir(s);
	}
	closedir(d);
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, obj_cmp);
	return rc;
}

static void manifest_text(const backup_result *r, const char *now, const bk_list *l, dl_buf *out)
{
	buf_adds(out, "{\n\"format\": \"" BACKUP_FORMAT "\",\n");
	buf_addf(out, "\"format_version\": %d,\n", BACKUP_VERSION);
	buf_adds(out, "\"dalil_version\": \"" DALIL_VERSION "\",\n");
	buf_addf(out, "\"schema_version\": %d,\n", r->schema_version);
	buf_addf(out, "\"created_at\": \"%s\",\n", now);
	buf_addf(out, "\"database\": {\"sha256\": \"%s\", \"size\": %lld},\n", r->db_sha256, r->db_bytes);
	buf_adds(out, "\"objects\": [\n");
	for (size_t i = 0; i < l->n; i++)
		buf_addf(out, "{\"sha256\": \"%s\", \"size\": %lld}%s\n", l->v[i].sha256, l->v[i].size,
		         i + 1 < l->n ? "," : "");
	buf_adds(out, "]\n}\n");
}

/* Stream a file of exactly size bytes into the archive as name; when sha is
 * given its bytes must still have that SHA-256 (an object changed on disk is
 * not copied as if sound). */
static dl_status add_file(tarout *t, const char *name, const char *path, long long size, const char *sha,
                          unsigned char *buf, dl_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return dl_err_set(err, DL_EIO, "store", _("cannot read %s: %s"), path, strerror(errno));
	char hex[65];
	int k = tarout_file(t, name, fd, size, buf, CHUNK, hex);
	close(fd);
	if (k == TAROUT_EREAD)
		return dl_err_set(err, DL_EIO, "store", _("cannot read %s: %s"), path,
		                  errno ? strerror(errno) : _("shorter than listed"));
	if (k == TAROUT_EWRITE)
		return dl_err_set(err, DL_EIO, "output", _("cannot write the backup: %s"), tarout_error(t));
	if (sha && strcmp(hex, sha) != 0)
		return dl_err_set(err, DL_ETAMPER, "store",
		                  _("object %s in the store no longer has that SHA-256; run \"dalil verify\""), sha);
	return DL_OK;
}

static dl_status audit_backup(dl_session *s, const char *path, const backup_result *r, dl_err *err)
{
	json_w w = {0};
	json_begin_object(&w);
	json_kstr(&w, "file", path);
	json_kstr(&w, "sha256", r->sha256);
	json_kint(&w, "bytes", r->bytes);
	json_kstr(&w, "database_sha256", r->db_sha256);
	json_kint(&w, "objects", r->objects);
	json_end_object(&w);
	dl_status rc = session_begin(s, err);
	if (rc == DL_OK) {
		audit_event(s->store, "backup", "store", 0, buf_str(&w.out));
		rc = store_commit(s->store, err);
	}
	buf_free(&w.out);
	return rc;
}

dl_status backup_write(dl_session *s, const char *path, backup_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	/* the file carries every case, its evidence and the password hashes */
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	if (!path || !*path)
		return dl_err_set(err, DL_EINVAL, "file", _("give the backup file"));
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return dl_err_set(err, DL_EINVAL, "file", _("%s exists: dalil does not overwrite it"), path);

	char tmpdir[4096], dbpath[4200], tarpath[4200];
	if (snprintf(tmpdir, sizeof tmpdir, "%s.tmp-XXXXXX", path) >= (int)sizeof tmpdir)
		return dl_err_set(err, DL_EINVAL, "file", _("the path is too long"));
	if (!mkdtemp(tmpdir))   /* 0700: the copy is as private as the store */
		return dl_err_set(err, DL_EIO, "file", _("cannot write %s: %s"), path, strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/dalil.db", tmpdir);
	snprintf(tarpath, sizeof tarpath, "%s/backup.tar", tmpdir);

	bk_list objs = {0};
	dl_buf man = {0};
	tarout t = {0};
	int fd = -1;
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		abort();
	char now[21];
	store_now(now);
	time_t mtime = time(NULL);

	if ((rc = copy_database(s->store, dbpath, err)) != DL_OK)
		goto done;
	if (hash_file(dbpath, r->db_sha256, &r->db_bytes, buf) != 0) {
		rc = dl_err_set(err, DL_EIO, "file", _("cannot read %s: %s"), dbpath, strerror(errno));
		goto done;
	}
	r->schema_version = store_schema_version(s->store);
	if ((rc = list_objects(s->store, &objs, err)) != DL_OK)
		goto done;
	manifest_text(r, now, &objs, &man);

	fd = open(tarpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = dl_err_set(err, DL_EIO, "file", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	if (tarout_open(&t, fd, mtime) != 0 || tarout_member(&t, "manifest.json", buf_str(&man), man.len) != 0) {
		rc = dl_err_set(err, DL_EIO, "file", _("cannot write the backup: %s"), tarout_error(&t));
		goto done;
	}
	if ((rc = add_file(&t, "dalil.db", dbpath, r->db_bytes, NULL, buf, err)) != DL_OK)
		goto done;
	for (size_t i = 0; i < objs.n && rc == DL_OK; i++) {
		char src[4200], name[80];
		snprintf(src, sizeof src, "%s/objects/%.2s/%s", store_dir(s->store), objs.v[i].sha256,
		         objs.v[i].sha256 + 2);
		snprintf(name, sizeof name, "objects/%.2s/%s", objs.v[i].sha256, objs.v[i].sha256 + 2);
		rc = add_file(&t, name, src, objs.v[i].size, objs.v[i].sha256, buf, err);
		r->objects++;
		r->object_bytes += objs.v[i].size;
	}
	if (rc != DL_OK)
		goto done;
	if (tarout_close(&t, r->sha256) != 0) {
		rc = dl_err_set(err, DL_EIO, "file", _("cannot write %s: %s"), path, tarout_error(&t));
		goto done;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		rc = dl_err_set(err, DL_EIO, "file", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	fd = -1;
	r->bytes = t.bytes;
	/* recorded before it is in place: no backup leaves without its entry */
	if ((rc = audit_backup(s, path, r, err)) != DL_OK)
		goto done;
	if (store_place_new(tarpath, path) != 0)
		rc = errno == EEXIST
			? dl_err_set(err, DL_EINVAL, "file", _("%s exists: dalil does not overwrite it"), path)
			: dl_err_set(err, DL_EIO, "file", _("cannot write %s: %s"), path, strerror(errno));
	else
		sync_parent(path);
done:
	tarout_free(&t);
	if (fd >= 0)
		close(fd);
	unlink(tarpath);
	unlink(dbpath);
	char side[4300];
	snprintf(side, sizeof side, "%s-journal", dbpath);
	unlink(side);
	rmdir(tmpdir);
	free(objs.v);
	buf_free(&man);
	free(buf);
	return rc;
}

/* ---------------------------------------------------------------- restore */

/* Parse the manifest in the one layout manifest_text writes. */
static int parse_manifest(char *text, backup_result *r, bk_list *l)
{
	char *save = NULL;
	int line = 0, in_objects = 0, ended = 0, have_db = 0;
	for (char *p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save), line++) {
		char hex[65];
		long long size;
		int n = 0;
		if (ended)
			return -1;
		switch (line) {
		case 0:
			if (strcmp(p, "{") != 0)
				return -1;
			continue;
		case 1:
			if (strcmp(p, "\"format\": \"" BACKUP_FORMAT "\",") != 0)
				return -1;
			continue;
		case 2: {
			int v;
			if (sscanf(p, "\"format_version\": %d,%n", &v, &n) != 1 || p[n] || v != BACKUP_VERSION)
				return -1;
			continue;
		}
		case 3:
			if (strncmp(p, "\"dalil_version\": \"", 18) != 0)
				return -1;
			continue;
		case 4:
			if (sscanf(p, "\"schema_version\": %d,%n", &r->schema_version, &n) != 1 || p[n])
				return -1;
			continue;
		case 5:
			if (strncmp(p, "\"created_at\": \"", 15) != 0)
				return -1;
			continue;
		case 6:
			if (sscanf(p, "\"database\": {\"sha256\": \"%64[0-9a-f]\", \"size\": %lld},%n", hex, &size, &n) != 2 ||
			    p[n] || strlen(hex) != 64 || size < 0)
				return -1;
			memcpy(r->db_sha256, hex, 65);
			r->db_bytes = size;
			have_db = 1;
			continue;
		case 7:
			if (strcmp(p, "\"objects\": [") != 0)
				return -1;
			in_objects = 1;
			continue;
		}
		if (in_objects && strcmp(p, "]") == 0) {
			in_objects = 0;
			continue;
		}
		if (!in_objects && strcmp(p, "}") == 0) {
			ended = 1;
			continue;
		}
		if (!in_objects)
			return -1;
		if (sscanf(p, "{\"sha256\": \"%64[0-9a-f]\", \"size\": %lld}%n", hex, &size, &n) != 2 ||
		    strlen(hex) != 64 || size < 0 || (p[n] && strcmp(p + n, ",") != 0))
			return -1;
		list_add(l, hex, size);
	}
	if (!ended || !have_db)
		return -1;
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, obj_cmp);
	for (size_t i = 1; i < l->n; i++)
		if (!strcmp(l->v[i].sha256, l->v[i - 1].sha256))
			return -1;
	return 0;
}

/* Remove what restore wrote under tmp: dalil.db (and SQLite's side files),
 * objects/xx/… and the directories. Only names restore itself makes. */
static void remove_tree(const char *tmp)
{
	char p[4300];
	static const char *const db[] = {"dalil.db", "dalil.db-wal", "dalil.db-shm", "dalil.db-journal"};
	for (size_t i = 0; i < sizeof db / sizeof db[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", tmp, db[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/objects", tmp);
	DIR *d = opendir(p);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char sub[4600];
			snprintf(sub, sizeof sub, "%s/%s", p, de->d_name);
			DIR *s = opendir(sub);
			if (s) {
				struct dirent *fe;
				while ((fe = readdir(s)))
					if (fe->d_name[0] != '.')
						unlinkat(dirfd(s), fe->d_name, 0);
				closedir(s);
			}
			rmdir(sub);
		}
		closedir(d);
		rmdir(p);
	}
	rmdir(tmp);
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* fsync the directories restore made (the files were synced as written):
 * the names must be on disk before the whole is moved into place. */
static void sync_tree(const char *tmp)
{
	char p[4300];
	snprintf(p, sizeof p, "%s/objects", tmp);
	DIR *d = opendir(p);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char sub[4600];
			snprintf(sub, sizeof sub, "%s/%s", p, de->d_name);
			sync_dir(sub);
		}
		closedir(d);
		sync_dir(p);
	}
	sync_dir(tmp);
}

/* 1 when dir does not exist, 0 when it is an empty directory, -1 otherwise. */
static int dir_state(const char *dir)
{
	struct stat sb;
	if (lstat(dir, &sb) != 0)
		return errno == ENOENT ? 1 : -1;
	if (!S_ISDIR(sb.st_mode))
		return -1;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty ? 0 : -1;
}

typedef struct reader {
	int fd;
	unsigned char *buf;
} reader;

static la_ssize_t r_read(struct archive *a, void *ctx, const void **out)
{
	(void)a;
	reader *r = ctx;
	ssize_t k;
	do
		k = read(r->fd, r->buf, CHUNK);
	while (k < 0 && errno == EINTR);
	*out = r->buf;
	return k;
}

/* Write the member's data to path (a new file, 0600), hashing on the way; it
 * must be size bytes with SHA-256 sha. */
static dl_status extract(struct archive *a, const char *name, const char *path, long long size,
                         const char *sha, unsigned char *buf, dl_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), path, strerror(errno));
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0)) {
		close(fd);
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not hash"));
	}
	long long got = 0;
	dl_status rc = DL_OK;
	la_ssize_t k;
	while ((k = archive_read_data(a, buf, CHUNK)) > 0) {
		got += k;
		if (got > size)
			break;
		gcry_md_write(md, buf, (size_t)k);
		const unsigned char *p = buf;
		size_t left = (size_t)k;
		while (left) {
			ssize_t w = write(fd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				rc = dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), path, strerror(errno));
				break;
			}
			p += w;
			left -= (size_t)w;
		}
		if (rc != DL_OK)
			break;
	}
	if (rc == DL_OK && k < 0)
		rc = dl_err_set(err, DL_ETAMPER, "file", _("damaged backup: %s"), archive_error_string(a));
	else if (rc == DL_OK && got != size)
		rc = dl_err_set(err, DL_ETAMPER, "file",
		                _("member %s: size differs from the manifest; refused"), name);
	if (rc == DL_OK) {
		char hex[65];
		crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, hex);
		if (strcmp(hex, sha) != 0)
			rc = dl_err_set(err, DL_ETAMPER, "file",
			                _("member %s: SHA-256 differs from the manifest; refused"), name);
	}
	gcry_md_close(md);
	if (rc == DL_OK && fsync(fd) != 0)
		rc = dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), path, strerror(errno));
	if (close(fd) != 0 && rc == DL_OK)
		rc = dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), path, strerror(errno));
	return rc;
}

static int mkdir_private(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static dl_status read_members(struct archive *a, const char *tmp, backup_result *r, bk_list *objs,
                              unsigned char *buf, dl_err *err)
{
	struct archive_entry *e;
	int have_manifest = 0, have_db = 0;
	for (;;) {
		int h = archive_read_next_header(a, &e);
		if (h == ARCHIVE_EOF)
			break;
		if (h != ARCHIVE_OK)
			return dl_err_set(err, DL_ETAMPER, "file", _("damaged backup: %s"), archive_error_string(a));
		const char *name = archive_entry_pathname(e);
		if (!name)
			name = "";
		long long size = archive_entry_size(e);
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
		    archive_entry_symlink(e) || !archive_entry_size_is_set(e) || size < 0)
			return dl_err_set(err, DL_ETAMPER, "file", _("member %s: not a regular file; refused"), name);
		if (!have_manifest) {
			if (strcmp(name, "manifest.json") != 0)
				return dl_err_set(err, DL_ETAMPER, "file",
				                  _("member %s: a backup starts with manifest.json; refused"), name);
			if (size > MANIFEST_MAX)
				return dl_err_set(err, DL_ETAMPER, "file", "%s", _("manifest.json: too large; refused"));
			char *text = malloc((size_t)size + 1);
			if (!text)
				return dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
			long long got = 0;
			la_ssize_t k;
			while (got < size && (k = archive_read_data(a, text + got, (size_t)(size - got))) > 0)
				got += k;
			text[got] = '\0';
			int ok = got == size && strlen(text) == (size_t)size && parse_manifest(text, r, objs) == 0;
			free(text);
			if (!ok)
				return dl_err_set(err, DL_ETAMPER, "file", "%s",
				                  _("manifest.json: not a dalil backup manifest; refused"));
			have_manifest = 1;
			continue;
		}
		char path[4400];
		if (strcmp(name, "dalil.db") == 0) {
			if (have_db)
				return dl_err_set(err, DL_ETAMPER, "file", _("member %s: appears twice; refused"), name);
			have_db = 1;
			if (size != r->db_bytes)
				return dl_err_set(err, DL_ETAMPER, "file",
				                  _("member %s: size differs from the manifest; refused"), name);
			snprintf(path, sizeof path, "%s/dalil.db", tmp);
			dl_status rc = extract(a, name, path, size, r->db_sha256, buf, err);
			if (rc != DL_OK)
				return rc;
			continue;
		}
		/* objects/ab/<62 hex>: nothing else, so no "..", no absolute path */
		char sha[65];
		if (strlen(name) != 8 + 2 + 1 + 62 || strncmp(name, "objects/", 8) != 0 || name[10] != '/')
			return dl_err_set(err, DL_ETAMPER, "file", _("member %s: unexpected name; refused"), name);
		memcpy(sha, name + 8, 2);
		memcpy(sha + 2, name + 11, 62);
		sha[64] = '\0';
		bk_object key = {{0}, 0, 0};
		memcpy(key.sha256, sha, 65);
		bk_object *o = is_hex(sha, 64) ? bsearch(&key, objs->v, objs->n, sizeof *objs->v, obj_cmp) : NULL;
		if (!o)
			return dl_err_set(err, DL_ETAMPER, "file", _("member %s: not in the manifest; refused"), name);
		if (o->seen)
			return dl_err_set(err, DL_ETAMPER, "file", _("member %s: appears twice; refused"), name);
		o->seen = 1;
		if (size != o->size)
			return dl_err_set(err, DL_ETAMPER, "file",
			                  _("member %s: size differs from the manifest; refused"), name);
		char dir[4300];
		snprintf(dir, sizeof dir, "%s/objects", tmp);
		if (mkdir_private(dir) != 0)
			return dl_err_set(err, DL_EIO, "store", _("cannot create %s: %s"), dir, strerror(errno));
		snprintf(dir, sizeof dir, "%s/objects/%.2s", tmp, sha);
		if (mkdir_private(dir) != 0)
			return dl_err_set(err, DL_EIO, "store", _("cannot create %s: %s"), dir, strerror(errno));
		snprintf(path, sizeof path, "%s/%s", dir, sha + 2);
		dl_status rc = extract(a, name, path, size, sha, buf, err);
		if (rc != DL_OK)
			return rc;
		r->objects++;
		r->object_bytes += size;
	}
	if (!have_manifest)
		return dl_err_set(err, DL_ETAMPER, "file", "%s", _("not a dalil backup: no manifest.json"));
	if (!have_db)
		return dl_err_set(err, DL_ETAMPER, "file", "%s", _("the backup is incomplete: dalil.db is missing"));
	for (size_t i = 0; i < objs->n; i++)
		if (!objs->v[i].seen)
			return dl_err_set(err, DL_ETAMPER, "file",
			                  _("the backup is incomplete: object %s is missing"), objs->v[i].sha256);
	return DL_OK;
}

dl_status backup_restore(const char *file, const char *dir, backup_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	if (!file || !*file)
		return dl_err_set(err, DL_EINVAL, "file", _("give the backup file"));
	if (!dir || !*dir)
		return dl_err_set(err, DL_EINVAL, "store", _("give the new store directory with --store DIR"));
	char target[4096];
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (dl >= sizeof target - 32)
		return dl_err_set(err, DL_EINVAL, "store", _("the store path is too long"));
	memcpy(target, dir, dl);
	target[dl] = '\0';
	int state = dir_state(target);
	if (state < 0)
		return dl_err_set(err, DL_EINVAL, "store",
		                  _("%s exists and is not an empty directory: restore into a new store directory"),
		                  target);

	reader rd = {.fd = open(file, O_RDONLY | O_CLOEXEC)};
	if (rd.fd < 0)
		return dl_err_set(err, DL_EINVAL, "file", _("cannot open %s: %s"), file, strerror(errno));
	struct stat sb;
	if (fstat(rd.fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(rd.fd);
		return dl_err_set(err, DL_EINVAL, "file", _("%s is not a file"), file);
	}
	/* beside dir: the same file system, so the final move is one rename */
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.restore-XXXXXX", target);
	if (!mkdtemp(tmp)) {
		close(rd.fd);
		return dl_err_set(err, DL_EIO, "store", _("cannot create %s: %s"), tmp, strerror(errno));
	}
	rd.buf = malloc(CHUNK);
	unsigned char *buf = malloc(CHUNK);
	if (!rd.buf || !buf)
		abort();
	bk_list objs = {0};
	struct archive *a = archive_read_new();
	/* a backup is a plain tar: no other format or filter is even tried */
	archive_read_support_format_tar(a);
	dl_status rc;
	if (archive_read_open(a, &rd, NULL, r_read, NULL) != ARCHIVE_OK)
		rc = dl_err_set(err, DL_ETAMPER, "file", _("not a dalil backup: %s"), archive_error_string(a));
	else
		rc = read_members(a, tmp, r, &objs, buf, err);
	archive_read_free(a);
	close(rd.fd);
	free(rd.buf);
	free(buf);
	free(objs.v);

	if (rc == DL_OK) {
		/* it must open as a store (schema, application id, migrations) */
		dl_store *st = NULL;
		rc = store_open(tmp, 0, &st, err);
		if (rc == DL_OK) {
			sqlite3_stmt *q = store_prepare(st, "PRAGMA integrity_check", err);
			const unsigned char *t = q && sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
			if (!t || strcmp((const char *)t, "ok") != 0)
				rc = dl_err_set(err, DL_ETAMPER, "file", "%s",
				                _("the database in the backup fails SQLite's integrity check"));
			sqlite3_finalize(q);
			store_close(&st);
		}
	}
	if (rc == DL_OK && chmod(tmp, 0700) != 0)
		rc = dl_err_set(err, DL_EIO, "store", _("cannot create %s: %s"), target, strerror(errno));
	if (rc == DL_OK)
		sync_tree(tmp);
	/* rename replaces an empty directory and refuses a non-empty one */
	if (rc == DL_OK && rename(tmp, target) != 0)
		rc = dl_err_set(err, errno == ENOTEMPTY || errno == EEXIST ? DL_EINVAL : DL_EIO, "store",
		                _("cannot move the restored store to %s: %s"), target, strerror(errno));
	if (rc != DL_OK)
		remove_tree(tmp);
	else
		sync_parent(target);
	return rc;
}
