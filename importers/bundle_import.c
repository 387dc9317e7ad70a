/* bundle_import.c — a verified bundle's case brought into this store; see
 * bundle.h. The tar is read twice: once by bundle_verify (nothing written),
 * then again to import, the manifest's SHA-256 compared with the verified
 * one so that a file changed in between is refused. */
#include "bundle.h"
#include "bundle_priv.h"
#include "caseunpack.h"
#include "crypto.h"
#include "evidence.h"
#include "i18n.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static int object_cmp(const void *a, const void *b)
{
	return strcmp(((const dl_pack_object *)a)->sha256, ((const dl_pack_object *)b)->sha256);
}

/* Paths of the objects this import placed, to remove if it fails. */
typedef struct placed {
	char **v;
	size_t n;
} placed;

static void placed_add(placed *p, const char *path)
{
	char **v = realloc(p->v, (p->n + 1) * sizeof *v);
	if (!v)
		abort();
	p->v = v;
	p->v[p->n] = strdup(path);
	if (!p->v[p->n])
		abort();
	p->n++;
}

static void placed_free(placed *p, int remove)
{
	for (size_t i = 0; i < p->n; i++) {
		if (remove)
			unlink(p->v[i]);
		free(p->v[i]);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* Copy the current member into the store as object o, hashing it on the way. */
static dl_status copy_object(dl_session *s, struct archive *a, const dl_pack_object *o, unsigned char *buf,
                             placed *pl, bundle_import_result *r, dl_err *err)
{
	char path[4096], tmp[4096];
	evidence_object_path(s->store, o->sha256, path, sizeof path);
	struct stat sb;
	int existed = stat(path, &sb) == 0;
	int fd = evidence_object_tmp(s->store, tmp, sizeof tmp, err);
	if (fd < 0)
		return DL_EIO;
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0)) {
		close(fd);
		unlink(tmp);
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not hash"));
	}
	long long got = 0;
	la_ssize_t k;
	dl_status rc = DL_OK;
	while ((k = archive_read_data(a, buf, CHUNK)) > 0) {
		gcry_md_write(md, buf, (size_t)k);
		got += k;
		for (la_ssize_t off = 0; off < k;) {
			ssize_t w = write(fd, buf + off, (size_t)(k - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				rc = dl_err_set(err, DL_EIO, "store", _("cannot write %s: %s"), tmp, strerror(errno));
				break;
			}
			off += w;
		}
		if (rc != DL_OK)
			break;
	}
	char hex[65];
	crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, hex);
	gcry_md_close(md);
	if (rc == DL_OK && k < 0)
		rc = dl_err_set(err, DL_EIO, "file", _("object %s: cannot be read: %s"), o->sha256,
		                archive_error_string(a));
	if (rc == DL_OK && (got != o->size || strcmp(hex, o->sha256) != 0))
		rc = dl_err_set(err, DL_ETAMPER, "file", _("object %s: SHA-256 differs"), o->sha256);
	if (rc != DL_OK) {
		close(fd);
		unlink(tmp);
		return rc;
	}
	if ((rc = evidence_object_commit(s, fd, tmp, o->sha256, o->size, o->kind, err)) != DL_OK)
		return rc;
	if (!existed)
		placed_add(pl, path);
	r->objects++;
	r->object_bytes += got;
	return DL_OK;
}

dl_status bundle_import(dl_session *s, const char *path, bundle_import_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	dl_status rc = perm_supervise(s, err);
	if (rc != DL_OK)
		return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may import a case: it "
		                                       "creates the case, accounts for the sending unit's users "
		                                       "and brings that unit's audit log"));
	if ((rc = bundle_verify(s, path, &r->info, err)) != DL_OK)
		return rc;
	bundle_info *in = &r->info;
	int found = unpack_find(s, in->manifest_sha256, r->case_number, sizeof r->case_number);
	if (found < 0)
		return dl_err_set(err, DL_EDB, "", _("the store cannot be read"));
	if (found) {
		r->already = 1;
		return DL_OK;
	}

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dl_err_set(err, DL_EIO, "file", _("cannot open %s: %s"), path, strerror(errno));
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		abort();
	char *manifest = NULL;
	size_t mlen = 0;
	placed pl = {0};
	dl_unpack_result u = {0};
	int in_txn = 0;
	struct archive_entry *e;
	if (archive_read_open_fd(a, fd, CHUNK) != ARCHIVE_OK || archive_read_next_header(a, &e) != ARCHIVE_OK ||
	    strcmp(archive_entry_pathname(e), "manifest.json") != 0 ||
	    !(manifest = bundle_read_small(a, archive_entry_size(e), &mlen))) {
		rc = dl_err_set(err, DL_ETAMPER, "file", _("%s changed after it was verified; refused"), path);
		goto done;
	}
	char sha[65];
	crypto_sha256_hex(manifest, mlen, sha);
	if (strcmp(sha, in->manifest_sha256) != 0) {
		rc = dl_err_set(err, DL_ETAMPER, "file", _("%s changed after it was verified; refused"), path);
		goto done;
	}
	if ((rc = session_begin(s, err)) != DL_OK)
		goto done;
	in_txn = 1;
	/* temporary objects of an import or ingest that was killed midway */
	evidence_object_sweep(s->store);
	dl_unpack_origin o = {
		.bundle_id = in->manifest_sha256,
		.unit_name = in->signer,
		.unit_name_ar = in->unit_name_ar,
		.unit_name_en = in->unit_name_en,
		.fingerprint = in->fingerprint,
		.sent_at = in->created_at,
		.sent_by = in->created_by,
		.file_sha256 = in->sha256,
		.objects = in->expected,
	};
	if ((rc = unpack_case(s, manifest, mlen, &o, &u, err)) != DL_OK)
		goto done;
	if (u.objects.n)   /* an incremental bundle may list none */
		qsort(u.objects.v, u.objects.n, sizeof *u.objects.v, object_cmp);
	/* the members after manifest.sig: the objects, verified a moment ago */
	int h;
	while ((h = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (!strcmp(name, "manifest.sig"))
			continue;
		dl_pack_object key = {0};
		dl_pack_object *ob = NULL;
		if (!strncmp(name, "objects/", 8) && strlen(name + 8) == 64 && u.objects.n) {
			memcpy(key.sha256, name + 8, 65);
			ob = bsearch(&key, u.objects.v, u.objects.n, sizeof key, object_cmp);
		}
		if (!ob || !ob->in_bundle) {
			rc = dl_err_set(err, DL_ETAMPER, "file", _("%s changed after it was verified; refused"), path);
			goto done;
		}
		if ((rc = copy_object(s, a, ob, buf, &pl, r, err)) != DL_OK)
			goto done;
	}
	if (h != ARCHIVE_EOF || r->objects != in->expected) {
		rc = dl_err_set(err, DL_ETAMPER, "file", _("%s changed after it was verified; refused"), path);
		goto done;
	}
	rc = store_end(s->store, DL_OK, err);
	in_txn = 0;
	if (rc == DL_OK) {
		snprintf(r->case_number, sizeof r->case_number, "%s", u.case_number);
		r->renumbered = u.renumbered;
		r->records = u.records;
		r->mapped = u.mapped;
		r->users_created = u.users_created;
		r->received = u.received;
		r->audit = u.audit;
		r->incremental = u.incremental;
	}
done:
	if (in_txn)
		store_end(s->store, rc, NULL);
	/* nothing of a failed import stays: its objects go with its rows */
	placed_free(&pl, rc != DL_OK);
	r->conflicts = u.conflicts;   /* handed over */
	r->nconflicts = u.nconflicts;
	u.conflicts = NULL;
	u.nconflicts = 0;
	unpack_result_free(&u);
	archive_read_free(a);
	close(fd);
	free(buf);
	free(manifest);
	return rc;
}

void bundle_import_free(bundle_import_result *r)
{
	bundle_info_free(&r->info);
	for (size_t i = 0; i < r->nconflicts; i++)
		free(r->conflicts[i]);
	free(r->conflicts);
}
