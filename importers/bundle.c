/* bundle.c — signed case bundles: export and verification; see bundle.h. */
#include "bundle.h"
#include "audit.h"
#include "case.h"
#include "crypto.h"
#include "evidence.h"
#include "i18n.h"
#include "json.h"
#include "keys.h"
#include "settings.h"
#include "casepack.h"
#include "bundle_priv.h"
#include "tarout.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DALIL_VERSION
#define DALIL_VERSION "0.0"
#endif

#define CHUNK (1 << 20)
#define SIG_MAX 4096           /* manifest.sig is four short lines */
#define SIG_HEADER "dalil-bundle-signature 1"
#define STATEMENT_LEN 192      /* "dalil-bundle-manifest 1\nsha512: " 128 hex "\n" = 162 */

/* What the unit's key signs: a short statement holding the SHA-512 of the
 * manifest's exact bytes (libgcrypt cannot sign more than 64 KiB as it is;
 * see keys.h). The format line keeps a signature for something else from
 * ever passing as a bundle's. */
static void signed_statement(const char *manifest, size_t len, char out[STATEMENT_LEN])
{
	unsigned char d[64];
	char hex[129];
	gcry_md_hash_buffer(GCRY_MD_SHA512, d, manifest, len);
	crypto_hex(d, sizeof d, hex);
	snprintf(out, STATEMENT_LEN, "dalil-bundle-manifest 1\nsha512: %s\n", hex);
}


/* The manifest of the case into w. */
static dl_status build_manifest(dl_session *s, long long case_id, const char *number,
                                int metadata_only, const char *since, long long since_audit,
                                const dl_unit_key *key, dl_pack_objects *objs,
                                const char *now, json_w *w, bundle_export_result *r, dl_err *err)
{
	dl_store *st = s->store;
	char name_ar[256], name_en[256], pubhex[65];
	settings_get(st, "unit_name_ar", name_ar, sizeof name_ar, NULL);
	settings_get(st, "unit_name_en", name_en, sizeof name_en, NULL);
	crypto_hex(key->pub, KEYS_PUBLIC_LEN, pubhex);

	json_begin_object(w);
	json_kstr(w, "format", BUNDLE_FORMAT);
	json_kint(w, "version", BUNDLE_VERSION);
	json_kstr(w, "dalil_version", DALIL_VERSION);
	json_kint(w, "schema", store_schema_version(st));
	json_kstr(w, "created_at", now);
	json_kstr(w, "created_by", s->username);
	json_key(w, "unit");
	json_begin_object(w);
	json_kstr(w, "name_ar", name_ar);
	json_kstr(w, "name_en", name_en);
	json_kstr(w, "key_name", key->name);
	json_kstr(w, "public_key", pubhex);
	json_kstr(w, "fingerprint", key->fingerprint);
	json_end_object(w);
	json_kstr(w, "case_number", number);
	json_kbool(w, "metadata_only", metadata_only);

	dl_status rc;
	if (!since) {
		rc = pack_records(s, case_id, (size_t)BUNDLE_MANIFEST_MAX, w, &r->records, err);
	} else {
		/* incremental: the changes since the base bundle's export, and only
		 * the objects the new rows name; "records" stays, empty, so that a
		 * verifier reads it as any bundle */
		json_kstr(w, "base_bundle_id", since);
		char **shas = NULL;
		size_t nshas = 0;
		rc = pack_users(s, case_id, w, err);
		if (rc == DL_OK)
			rc = pack_changes(s, case_id, since_audit, (size_t)BUNDLE_MANIFEST_MAX, w, &r->records, &shas,
			                  &nshas, err);
		json_key(w, "records");
		json_begin_object(w);
		json_end_object(w);
		size_t k = 0;
		for (size_t i = 0; i < objs->n; i++) {
			int keep = 0;
			for (size_t j = 0; j < nshas && !keep; j++)
				keep = !strcmp(shas[j], objs->v[i].sha256);
			if (keep)
				objs->v[k++] = objs->v[i];
		}
		objs->n = k;
		for (size_t j = 0; j < nshas; j++)
			free(shas[j]);
		free(shas);
	}
	if (rc != DL_OK)
		return rc;

	/* the case's audit entries, oldest first: the receiving unit sees the
	 * history, each entry with the hashes that chained it at the sender */
	dl_audit_list al;
	if ((rc = audit_list_case(s, case_id, 0, &al, err)) != DL_OK)
		return rc;
	json_key(w, "audit");
	json_begin_array(w);
	for (size_t i = al.n; i-- > 0;) {
		const dl_audit_entry *e = &al.v[i];
		if (e->id <= since_audit)
			continue;   /* the base bundle carried it */
		json_begin_object(w);
		json_kint(w, "id", e->id);
		json_kstr(w, "at", e->at);
		json_kid(w, "user_id", e->user_id);
		json_kstr(w, "username", e->username);
		json_kstr(w, "action", e->action);
		json_kstr(w, "entity", e->entity);
		json_kid(w, "entity_id", e->entity_id);
		json_key(w, "row");
		if (e->row) json_raw(w, e->row); else json_null(w);
		json_key(w, "data");
		if (e->data) json_raw(w, e->data); else json_null(w);
		json_kstr(w, "prev_hash", e->prev_hash);
		json_kstr(w, "hash", e->hash);
		json_end_object(w);
	}
	json_end_array(w);
	for (size_t i = 0; i < al.n; i++)
		r->audit += al.v[i].id > since_audit;
	audit_list_free(&al);

	json_key(w, "objects");
	json_begin_array(w);
	for (size_t i = 0; i < objs->n; i++) {
		const dl_pack_object *o = &objs->v[i];
		json_begin_object(w);
		json_kstr(w, "sha256", o->sha256);
		json_kint(w, "size", o->size);
		json_kstr(w, "kind", o->kind);
		json_kbool(w, "in_bundle", o->in_bundle);
		if (o->reason)
			json_kstr(w, "reason", o->reason);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
	r->listed = (long long)objs->n;
	return DL_OK;
}

/* ----------------------------------------------------------------- writing */

/* Copy one kept object into the archive, checking on the way that its bytes
 * are still those its name and row promise. */
static dl_status add_object(dl_store *st, tarout *t, const dl_pack_object *o, unsigned char *buf,
                            dl_err *err)
{
	char path[4096], name[80], hex[65];
	evidence_object_path(st, o->sha256, path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return dl_err_set(err, DL_ETAMPER, "store", _("object %s is missing from the store; run \"dalil verify\""),
		                  o->sha256);
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size != o->size) {
		close(fd);
		return dl_err_set(err, DL_ETAMPER, "store",
		                  _("object %s in the store does not have its recorded size; run \"dalil verify\""),
		                  o->sha256);
	}
	snprintf(name, sizeof name, "objects/%s", o->sha256);
	int k = tarout_file(t, name, fd, o->size, buf, CHUNK, hex);
	close(fd);
	if (k == TAROUT_EREAD)
		return dl_err_set(err, DL_EIO, "store", _("cannot read object %s: %s"), o->sha256,
		                  errno ? strerror(errno) : _("shorter than recorded"));
	if (k == TAROUT_EWRITE)
		return dl_err_set(err, DL_EIO, "output", _("cannot write the bundle: %s"), tarout_error(t));
	if (strcmp(hex, o->sha256) != 0)
		return dl_err_set(err, DL_ETAMPER, "store",
		                  _("object %s in the store no longer has that SHA-256; run \"dalil verify\""),
		                  o->sha256);
	return DL_OK;
}

/* manifest.sig: the signer's key and the signature, as text a person can read. */
static void sig_text(const dl_unit_key *key, const unsigned char sig[KEYS_SIG_LEN], dl_buf *out)
{
	char pubhex[65], grouped[KEYS_FPR_GROUPED], sighex[2 * KEYS_SIG_LEN + 1];
	crypto_hex(key->pub, KEYS_PUBLIC_LEN, pubhex);
	keys_fingerprint_grouped(key->fingerprint, grouped);
	crypto_hex(sig, KEYS_SIG_LEN, sighex);
	buf_addf(out, SIG_HEADER "\ned25519: %s\nfingerprint: %s\nsignature: %s\n", pubhex, grouped, sighex);
}


static dl_status audit_export(dl_session *s, long long case_id, const char *path,
                              int metadata_only, const char *since, const bundle_export_result *r,
                              dl_err *err)
{
	dl_buf where = {0};
	char cwd[4096];
	if (path[0] != '/' && getcwd(cwd, sizeof cwd))
		buf_addf(&where, "%s/", cwd);
	buf_adds(&where, path);
	dl_buf d = {0};
	buf_adds(&d, "{\"file\":");
	json_add_string(&d, buf_str(&where));
	buf_free(&where);
	buf_addf(&d, ",\"sha256\":\"%s\",\"manifest_sha256\":\"%s\",\"fingerprint\":\"%s\","
	         "\"metadata_only\":%s,\"records\":%lld,\"objects\":%lld,\"bytes\":%lld",
	         r->sha256, r->manifest_sha256, r->fingerprint, metadata_only ? "true" : "false",
	         r->records, r->objects, r->bytes);
	if (since)
		buf_addf(&d, ",\"base_bundle_id\":\"%s\"", since);
	buf_addc(&d, '}');
	dl_status rc = pack_audit_export(s, case_id, buf_str(&d), err);
	buf_free(&d);
	return rc;
}

dl_status bundle_export(dl_session *s, const char *case_number, const char *path,
                        int metadata_only, const char *since, const char *passphrase,
                        bundle_export_result *r, dl_err *err)
{
	memset(r, 0, sizeof *r);
	if (!path || !*path)
		return dl_err_set(err, DL_EINVAL, "output", _("-o FILE is required"));
	dl_status rc = perm_supervise(s, err);
	if (rc != DL_OK)
		return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may send a case out "
		                                       "of the unit: the bundle is signed for the unit and "
		                                       "carries the case's audit log"));
	long long case_id = 0;
	if ((rc = case_resolve(s, case_number, 0, &case_id, err)) != DL_OK)
		return rc;
	long long since_audit = 0;
	if (since) {
		since_audit = pack_export_entry(s, case_id, since);
		if (since_audit < 0)
			return dl_err_set(err, DL_EDB, "", _("the store cannot be read"));
		if (since_audit == 0)
			return dl_err_set(err, DL_EINVAL, "since",
			                  _("no bundle %s of case %s was exported from this store (the bundle id is the "
			                    "manifest's SHA-256, as \"audit list\" shows it in the bundle_export entry)"),
			                  since, case_number);
	}
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return dl_err_set(err, DL_EINVAL, "output", _("%s exists: dalil does not overwrite it"), path);
	dl_unit_key key;
	if ((rc = keys_own(s->store, &key, err)) != DL_OK)
		return rc;

	dl_pack_objects objs = {0};
	json_w w = {0};
	dl_buf sigtext = {0}, tmp = {0};
	unsigned char *buf = NULL;
	tarout t = {0};
	int fd = -1;
	char now[21];
	store_now(now);
	time_t mtime = time(NULL);

	if ((rc = pack_objects(s, case_id, metadata_only, &objs, err)) != DL_OK)
		goto done;
	if ((rc = build_manifest(s, case_id, case_number, metadata_only, since, since_audit, &key, &objs, now, &w, r,
	                         err)) != DL_OK)
		goto done;
	/* a manifest with a hole must never be signed */
	if (buf_failed(&w.out)) {
		rc = dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
		goto done;
	}
	crypto_sha256_hex(buf_str(&w.out), w.out.len, r->manifest_sha256);
	snprintf(r->fingerprint, sizeof r->fingerprint, "%s", key.fingerprint);
	if (w.out.len > (size_t)BUNDLE_MANIFEST_MAX) {
		rc = dl_err_set(err, DL_EINVAL, "case",
		                _("the case's manifest would be %lld MiB, more than a bundle may hold (%lld MiB)"),
		                (long long)(w.out.len >> 20), BUNDLE_MANIFEST_MAX >> 20);
		goto done;
	}
	unsigned char sig[KEYS_SIG_LEN];
	char statement[STATEMENT_LEN];
	signed_statement(buf_str(&w.out), w.out.len, statement);
	if ((rc = keys_sign(s->store, passphrase, statement, strlen(statement), sig, err)) != DL_OK)
		goto done;
	sig_text(&key, sig, &sigtext);

	buf_addf(&tmp, "%s.tmp-XXXXXX", path);
	if (buf_failed(&sigtext) || buf_failed(&tmp)) {
		rc = dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
		buf_free(&tmp);   /* nothing to unlink */
		goto done;
	}
	fd = mkstemp(tmp.data);   /* 0600: evidence */
	if (fd < 0) {
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		tmp.data[0] = '\0';
		goto done;
	}
	buf = malloc(CHUNK);
	if (!buf)
		abort();
	if (tarout_open(&t, fd, mtime) != 0 ||
	    tarout_member(&t, "manifest.json", buf_str(&w.out), w.out.len) != 0 ||
	    tarout_member(&t, "manifest.sig", buf_str(&sigtext), sigtext.len) != 0) {
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write the bundle: %s"), tarout_error(&t));
		goto done;
	}
	for (size_t i = 0; i < objs.n && rc == DL_OK; i++) {
		if (!objs.v[i].in_bundle)
			continue;
		rc = add_object(s->store, &t, &objs.v[i], buf, err);
		if (rc == DL_OK) {
			r->objects++;
			r->object_bytes += objs.v[i].size;
		}
	}
	if (rc != DL_OK)
		goto done;
	if (tarout_close(&t, r->sha256) != 0) {
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, tarout_error(&t));
		goto done;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	fd = -1;
	r->bytes = t.bytes;
	/* recorded before it is in place: no bundle leaves without its entry */
	if ((rc = audit_export(s, case_id, path, metadata_only, since, r, err)) != DL_OK)
		goto done;
	if (store_place_new(tmp.data, path) != 0) {
		rc = errno == EEXIST
			? dl_err_set(err, DL_EINVAL, "output", _("%s exists: dalil does not overwrite it"), path)
			: dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	tmp.data[0] = '\0';
done:
	tarout_free(&t);
	if (fd >= 0)
		close(fd);
	if (tmp.data && tmp.data[0])
		unlink(tmp.data);
	buf_free(&tmp);
	buf_free(&sigtext);
	buf_free(&w.out);
	pack_objects_free(&objs);
	free(buf);
	return rc;
}

/* ---------------------------------------------------------------- verifying */

static void problem(bundle_info *info, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Past this many, a bundle is hopeless: the rest are counted, not kept, so
 * that a tar of a million unlisted members cannot grow the list unbounded. */
#define PROBLEMS_MAX 1000

static void problem(bundle_info *info, const char *fmt, ...)
{
	if (info->nproblems >= PROBLEMS_MAX) {
		info->more_problems++;
		return;
	}
	char *p = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		abort();
	va_end(ap);
	char **v = realloc(info->problems, (info->nproblems + 1) * sizeof *v);
	if (!v)
		abort();
	info->problems = v;
	v[info->nproblems++] = p;
}

/* The last kept line says how many more there were. */
static void problem_last(bundle_info *info)
{
	char *p = NULL;
	if (asprintf(&p, P_("… and %lld more problem", "… and %lld more problems", info->more_problems),
	             info->more_problems) < 0)
		abort();
	free(info->problems[info->nproblems - 1]);
	info->problems[info->nproblems - 1] = p;
}

/* One object the manifest promises. */
typedef struct expect {
	char sha256[65];
	long long size;
	int seen;
} expect;

static int expect_cmp(const void *a, const void *b)
{
	return strcmp(((const expect *)a)->sha256, ((const expect *)b)->sha256);
}

typedef struct reader {
	int fd;
	gcry_md_hd_t md;       /* SHA-256 of the whole file as read */
	unsigned char *buf;
} reader;

static la_ssize_t r_read(struct archive *a, void *ctx, const void **out)
{
	(void)a;
	reader *r = ctx;
	for (;;) {
		ssize_t k = read(r->fd, r->buf, CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			archive_set_error(a, errno, "%s", strerror(errno));
			return -1;
		}
		gcry_md_write(r->md, r->buf, (size_t)k);
		*out = r->buf;
		return k;
	}
}

static int is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/* A line "key: value" of manifest.sig, NUL-terminated into out. */
static int sig_field(const char *text, const char *key, char *out, size_t outsz)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (!strncmp(l, key, kl) && l[kl] == ':' && l[kl + 1] == ' ') {
			const char *v = l + kl + 2;
			size_t n = strcspn(v, "\n");
			if (n >= outsz)
				return -1;
			memcpy(out, v, n);
			out[n] = '\0';
			return 0;
		}
	}
	return -1;
}

/* Check manifest.sig against the manifest bytes with a key this store knows:
 * the key bytes in the file only name the signer; verification uses the
 * stored copy, so hostile key bytes never reach libgcrypt. */
static void check_signature(dl_session *s, const char *manifest, size_t mlen, const char *sig,
                            bundle_info *info)
{
	char pubhex[80], sighex[2 * KEYS_SIG_LEN + 8];
	unsigned char pub[KEYS_PUBLIC_LEN], sigb[KEYS_SIG_LEN];
	if (strncmp(sig, SIG_HEADER "\n", sizeof SIG_HEADER) != 0 ||
	    sig_field(sig, "ed25519", pubhex, sizeof pubhex) != 0 || !is_hex64(pubhex) ||
	    sig_field(sig, "signature", sighex, sizeof sighex) != 0 || strlen(sighex) != 2 * KEYS_SIG_LEN ||
	    crypto_unhex(pubhex, KEYS_PUBLIC_LEN, pub) != 0 ||
	    crypto_unhex(sighex, KEYS_SIG_LEN, sigb) != 0) {
		problem(info, "%s", _("manifest.sig: not a dalil bundle signature"));
		return;
	}
	keys_fingerprint(pub, info->fingerprint);
	dl_unit_key k;
	if (keys_find(s->store, pub, &k, NULL) != DL_OK) {
		char grouped[KEYS_FPR_GROUPED];
		keys_fingerprint_grouped(info->fingerprint, grouped);
		problem(info, _("signed by an untrusted key %s"), grouped);
		return;
	}
	char statement[STATEMENT_LEN];
	signed_statement(manifest, mlen, statement);
	if (!keys_verify(k.pub, statement, strlen(statement), sigb)) {
		problem(info, "%s", _("manifest: signature does not verify"));
		return;
	}
	/* named only once the signature holds: a name beside a bad signature
	 * would read as an attribution */
	info->signer = strdup(k.name);
	info->signer_own = k.own;
	info->signature_ok = 1;
}

/* ------------------------------------------------------- manifest reading */

/* The manifest is read by a small single-pass JSON scanner rather than a tree
 * parser: a tree of a 9 MB manifest took SQLite's JSON functions ~13× the text
 * (one parse per call site), while verification needs only the header, the
 * object list and counts. Strict JSON, depth-limited, bounds-checked: a
 * hostile manifest gets "not valid JSON" and nothing else happens. */
typedef struct jscan {
	const char *p, *end;
	int depth;
} jscan;

#define JSON_DEPTH_MAX 64

static void j_ws(jscan *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int j_peek(jscan *j)
{
	j_ws(j);
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

static int j_eat(jscan *j, char c)
{
	if (j_peek(j) != (unsigned char)c)
		return -1;
	j->p++;
	return 0;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9') *v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') *v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') *v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	return 0;
}

static void utf8_put(dl_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) { u[0] = (char)cp; n = 1; }
	else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
	else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
	}
	buf_add(b, u, n);
}

/* A string; its decoded text into out (reset first) unless out is NULL.
 * \u0000 is refused: the values kept are C strings. */
static int j_str(jscan *j, dl_buf *out)
{
	if (j_eat(j, '"') != 0)
		return -1;
	if (out)
		buf_reset(out);
	while (j->p < j->end) {
		const char *run = j->p;
		while (j->p < j->end && *j->p != '"' && *j->p != '\\' && (unsigned char)*j->p >= 0x20)
			j->p++;
		if (out && j->p > run)
			buf_add(out, run, (size_t)(j->p - run));
		if (j->p >= j->end || (unsigned char)*j->p < 0x20)
			return -1;
		if (*j->p == '"') {
			j->p++;
			if (out)
				buf_add(out, "", 0);   /* a NUL-terminated "" even when empty */
			return 0;
		}
		if (j->end - j->p < 2)
			return -1;
		char e = j->p[1];
		j->p += 2;
		char c;
		switch (e) {
		case '"': c = '"'; break;
		case '\\': c = '\\'; break;
		case '/': c = '/'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (j->end - j->p < 4 || hex4(j->p, &cp) != 0 || cp == 0)
				return -1;
			j->p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' || hex4(j->p + 2, &lo) != 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				j->p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return -1;
			}
			if (out)
				utf8_put(out, cp);
			continue;
		}
		default:
			return -1;
		}
		if (out)
			buf_addc(out, c);
	}
	return -1;
}

/* A number; *v its value when it is an integer that fits (is_int set). */
static int j_num(jscan *j, long long *v, int *is_int)
{
	j_ws(j);
	const char *p = j->p;
	int neg = 0, integer = 1, overflow = 0;
	unsigned long long acc = 0;
	if (p < j->end && *p == '-') { neg = 1; p++; }
	if (p >= j->end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0') {
		p++;
	} else {
		while (p < j->end && *p >= '0' && *p <= '9') {
			if (acc > (unsigned long long)LLONG_MAX / 10)
				overflow = 1;
			acc = acc * 10 + (unsigned)(*p - '0');
			p++;
		}
	}
	if (p < j->end && *p == '.') {
		integer = 0;
		p++;
		if (p >= j->end || *p < '0' || *p > '9')
			return -1;
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		integer = 0;
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || *p < '0' || *p > '9')
			return -1;
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	j->p = p;
	*is_int = integer && !overflow && acc <= (unsigned long long)LLONG_MAX;
	*v = *is_int ? (neg ? -(long long)acc : (long long)acc) : 0;
	return 0;
}

static int j_word(jscan *j, const char *w)
{
	size_t n = strlen(w);
	j_ws(j);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

/* true/false into *v. */
static int j_bool(jscan *j, int *v)
{
	if (j_word(j, "true") == 0) { *v = 1; return 0; }
	if (j_word(j, "false") == 0) { *v = 0; return 0; }
	return -1;
}

static int j_skip(jscan *j);

/* Walk an array or an object: each(ctx, j, key) is called at each element
 * (key NULL in an array) and must consume its value. */
static int j_each(jscan *j, int object, int (*each)(void *ctx, jscan *j, const char *key), void *ctx)
{
	if (j_eat(j, object ? '{' : '[') != 0 || ++j->depth > JSON_DEPTH_MAX)
		return -1;
	dl_buf key = {0};
	int rc = -1;
	if (j_peek(j) == (object ? '}' : ']')) {
		j->p++;
		rc = 0;
		goto out;
	}
	for (;;) {
		if (object && (j_str(j, &key) != 0 || j_eat(j, ':') != 0))
			goto out;
		if (each(ctx, j, object ? buf_str(&key) : NULL) != 0)
			goto out;
		int c = j_peek(j);
		if (c == ',' || c == (object ? '}' : ']'))
			j->p++;
		if (c == ',')
			continue;
		if (c == (object ? '}' : ']'))
			break;
		goto out;
	}
	rc = 0;
out:
	buf_free(&key);
	j->depth--;
	return rc;
}

static int skip_each(void *ctx, jscan *j, const char *key)
{
	(void)ctx;
	(void)key;
	return j_skip(j);
}

static int j_skip(jscan *j)
{
	long long v;
	int is_int, b;
	switch (j_peek(j)) {
	case '"': return j_str(j, NULL);
	case '{': return j_each(j, 1, skip_each, NULL);
	case '[': return j_each(j, 0, skip_each, NULL);
	case 't': case 'f': return j_bool(j, &b);
	case 'n': return j_word(j, "null");
	default: return j_num(j, &v, &is_int);
	}
}

/* What the scan collects. */
typedef struct mscan {
	bundle_info *info;
	expect *v;
	size_t n, cap;
	dl_buf tmp;
	char *format, *fingerprint;
	int have_version, seen;    /* seen: bits of the keys met, to refuse repeats */
	/* the object being read */
	char sha[65];
	long long size;
	int have_sha, have_size, in_bundle;
} mscan;

static int dup_str(jscan *j, dl_buf *tmp, char **out)
{
	if (j_str(j, tmp) != 0)
		return -1;
	free(*out);
	*out = strdup(buf_str(tmp));
	if (!*out)
		abort();
	return 0;
}

static int unit_each(void *ctx, jscan *j, const char *key)
{
	mscan *m = ctx;
	if (!strcmp(key, "name_ar"))
		return j_peek(j) == 'n' ? j_word(j, "null") : dup_str(j, &m->tmp, &m->info->unit_name_ar);
	if (!strcmp(key, "name_en"))
		return j_peek(j) == 'n' ? j_word(j, "null") : dup_str(j, &m->tmp, &m->info->unit_name_en);
	if (!strcmp(key, "fingerprint"))
		return dup_str(j, &m->tmp, &m->fingerprint);
	return j_skip(j);
}

static int count_each(void *ctx, jscan *j, const char *key)
{
	(void)key;
	(*(long long *)ctx)++;
	return j_skip(j);
}

static int records_each(void *ctx, jscan *j, const char *key)
{
	(void)key;
	mscan *m = ctx;
	return j_each(j, 0, count_each, &m->info->records);
}

static int object_field(void *ctx, jscan *j, const char *key)
{
	mscan *m = ctx;
	if (!strcmp(key, "sha256")) {
		if (j_str(j, &m->tmp) != 0)
			return -1;
		m->have_sha = m->tmp.len == 64 && is_hex64(buf_str(&m->tmp));
		if (m->have_sha)
			memcpy(m->sha, buf_str(&m->tmp), 65);
		return 0;
	}
	if (!strcmp(key, "size")) {
		int is_int;
		if (j_num(j, &m->size, &is_int) != 0)
			return -1;
		m->have_size = is_int && m->size >= 0;
		return 0;
	}
	if (!strcmp(key, "in_bundle"))
		return j_bool(j, &m->in_bundle);
	if (!strcmp(key, "reason")) {
		if (j_str(j, &m->tmp) != 0)
			return -1;
		if (!strcmp(buf_str(&m->tmp), "in_place"))
			m->info->in_place++;
		return 0;
	}
	return j_skip(j);
}

static int object_each(void *ctx, jscan *j, const char *key)
{
	(void)key;
	mscan *m = ctx;
	m->have_sha = m->have_size = m->in_bundle = 0;
	if (j_peek(j) != '{' || j_each(j, 1, object_field, m) != 0)
		return -1;
	m->info->listed++;
	if (!m->have_sha || !m->have_size) {
		problem(m->info, "%s", _("manifest: an object without a SHA-256 or a size"));
		return 0;
	}
	if (!m->in_bundle)
		return 0;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		expect *nv = realloc(m->v, m->cap * sizeof *nv);
		if (!nv)
			abort();
		m->v = nv;
	}
	memcpy(m->v[m->n].sha256, m->sha, 65);
	m->v[m->n].size = m->size;
	m->v[m->n].seen = 0;
	m->n++;
	return 0;
}

static int top_each(void *ctx, jscan *j, const char *key)
{
	mscan *m = ctx;
	static const char *const known[] = {"format", "version", "case_number", "created_at", "created_by",
	                                    "dalil_version", "metadata_only", "unit", "records", "audit",
	                                    "objects", NULL};
	for (int i = 0; known[i]; i++)
		if (!strcmp(key, known[i])) {
			if (m->seen & (1 << i))
				return -1;   /* a second "objects" could hide the first */
			m->seen |= 1 << i;
		}
	bundle_info *in = m->info;
	if (!strcmp(key, "format")) return dup_str(j, &m->tmp, &m->format);
	if (!strcmp(key, "version")) {
		long long v;
		int is_int;
		if (j_num(j, &v, &is_int) != 0 || !is_int || v < 0 || v > 1000000)
			return -1;
		in->format_version = (int)v;
		m->have_version = 1;
		return 0;
	}
	if (!strcmp(key, "case_number")) return dup_str(j, &m->tmp, &in->case_number);
	if (!strcmp(key, "created_at")) return dup_str(j, &m->tmp, &in->created_at);
	if (!strcmp(key, "created_by")) return dup_str(j, &m->tmp, &in->created_by);
	if (!strcmp(key, "dalil_version")) return dup_str(j, &m->tmp, &in->dalil_version);
	if (!strcmp(key, "metadata_only")) return j_bool(j, &in->metadata_only);
	if (!strcmp(key, "unit")) return j_each(j, 1, unit_each, m);
	if (!strcmp(key, "records")) return j_each(j, 1, records_each, m);
	if (!strcmp(key, "audit")) return j_each(j, 0, count_each, &in->audit);
	if (!strcmp(key, "objects")) return j_each(j, 0, object_each, m);
	return j_skip(j);
}

/* Read the manifest's header, counts and the objects it promises. *out
 * receives those with bytes in the bundle, sorted (owned by the caller, NULL
 * when none). Returns 0, or -1 with a problem when the manifest is not one. */
static int parse_manifest(const char *text, size_t len, bundle_info *info, expect **out, size_t *nexp)
{
	*out = NULL;
	*nexp = 0;
	mscan m = {.info = info};
	jscan j = {.p = text, .end = text + len};
	int ok = 0;
	if (j_peek(&j) != '{' || j_each(&j, 1, top_each, &m) != 0 || j_peek(&j) != -1) {
		problem(info, "%s", _("manifest: not valid JSON"));
	} else if (!m.format || strcmp(m.format, BUNDLE_FORMAT) != 0 || !m.have_version) {
		problem(info, "%s", _("manifest: not a dalil bundle manifest"));
	} else if (info->format_version != BUNDLE_VERSION) {
		problem(info, _("manifest: format version %d, this dalil reads version %d"),
		        info->format_version, BUNDLE_VERSION);
	} else if (!info->case_number || !(m.seen & (1 << 8)) || !(m.seen & (1 << 10))) {
		problem(info, "%s", _("manifest: records, objects or case number missing"));
	} else {
		ok = 1;
		if (info->fingerprint[0] && (!m.fingerprint || strcmp(m.fingerprint, info->fingerprint) != 0))
			problem(info, "%s", _("manifest: names another key than the one that signed it"));
	}
	if (ok && m.n) {
		qsort(m.v, m.n, sizeof *m.v, expect_cmp);
		for (size_t i = 1; i < m.n; i++)
			if (!strcmp(m.v[i].sha256, m.v[i - 1].sha256))
				problem(info, _("manifest: object %s listed twice"), m.v[i].sha256);
	}
	if (ok) {
		*out = m.v;
		*nexp = m.n;
		info->expected = (long long)m.n;
	} else {
		free(m.v);
	}
	free(m.format);
	free(m.fingerprint);
	buf_free(&m.tmp);
	return ok ? 0 : -1;
}

/* Read an entry's bytes (exactly size) into a fresh NUL-terminated buffer
 * (bundle_priv.h). */
char *bundle_read_small(struct archive *a, long long size, size_t *len)
{
	char *m = malloc((size_t)size + 1);
	if (!m)
		return NULL;
	size_t got = 0;
	for (;;) {
		la_ssize_t k = archive_read_data(a, m + got, (size_t)size - got);
		if (k < 0) {
			free(m);
			return NULL;
		}
		if (k == 0)
			break;
		got += (size_t)k;
		if (got == (size_t)size) {
			char extra;
			if (archive_read_data(a, &extra, 1) != 0) {   /* more than the header said */
				free(m);
				return NULL;
			}
			break;
		}
	}
	if (got != (size_t)size) {
		free(m);
		return NULL;
	}
	m[got] = '\0';
	*len = got;
	return m;
}

/* Hash one object member as it streams; its problems into info. */
static void check_object(struct archive *a, const char *sha, long long header_size, expect *exp,
                         size_t nexp, unsigned char *buf, bundle_info *info)
{
	expect key;
	snprintf(key.sha256, sizeof key.sha256, "%s", sha);
	expect *e = nexp ? bsearch(&key, exp, nexp, sizeof *exp, expect_cmp) : NULL;
	if (!e) {
		problem(info, _("object %s: not listed in the manifest"), sha);
		return;
	}
	if (e->seen) {
		problem(info, _("object %s: in the bundle twice"), sha);
		return;
	}
	e->seen = 1;
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0)) {
		problem(info, _("object %s: cannot be hashed"), sha);
		return;
	}
	long long got = 0;
	la_ssize_t k;
	while ((k = archive_read_data(a, buf, CHUNK)) > 0) {
		gcry_md_write(md, buf, (size_t)k);
		got += k;
	}
	char hex[65];
	crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, hex);
	gcry_md_close(md);
	if (k < 0) {
		problem(info, _("object %s: cannot be read: %s"), sha, archive_error_string(a));
		return;
	}
	if (got != e->size || header_size != e->size) {
		problem(info, _("object %s: size differs (%lld bytes, the manifest says %lld)"), sha, got, e->size);
		return;
	}
	if (strcmp(hex, sha) != 0) {
		problem(info, _("object %s: SHA-256 differs"), sha);
		return;
	}
	info->present++;
	info->object_bytes += got;
}

dl_status bundle_verify(dl_session *s, const char *path, bundle_info *info, dl_err *err)
{
	memset(info, 0, sizeof *info);
	if (!path || !*path)
		return dl_err_set(err, DL_EINVAL, "file", _("give the bundle file"));
	reader rd = {.fd = open(path, O_RDONLY | O_CLOEXEC)};
	if (rd.fd < 0)
		return dl_err_set(err, DL_EIO, "file", _("cannot open %s: %s"), path, strerror(errno));
	struct stat sb;
	if (fstat(rd.fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(rd.fd);
		return dl_err_set(err, DL_EINVAL, "file", _("%s is not a file"), path);
	}
	if (gcry_md_open(&rd.md, GCRY_MD_SHA256, 0)) {
		close(rd.fd);
		return dl_err_set(err, DL_EIO, "", _("libgcrypt could not hash"));
	}
	rd.buf = malloc(CHUNK);
	unsigned char *obuf = malloc(CHUNK);
	if (!rd.buf || !obuf)
		abort();

	struct archive *a = archive_read_new();
	/* a bundle is a plain tar: no other format or filter is even tried */
	archive_read_support_format_tar(a);
	char *manifest = NULL, *sig = NULL;
	size_t mlen = 0, slen = 0, nexp = 0;
	expect *exp = NULL;
	int parsed = 0, stop = 0;
	if (archive_read_open(a, &rd, NULL, r_read, NULL) != ARCHIVE_OK) {
		problem(info, _("not a bundle: %s"), archive_error_string(a));
		stop = 1;
	}
	long long index = 0;
	struct archive_entry *e;
	while (!stop) {
		int h = archive_read_next_header(a, &e);
		if (h == ARCHIVE_EOF)
			break;
		if (h != ARCHIVE_OK) {
			problem(info, _("damaged bundle: %s"), archive_error_string(a));
			break;
		}
		const char *name = archive_entry_pathname(e);
		if (!name)
			name = "";
		long long size = archive_entry_size(e);
		/* members are only ever read into memory or hashed, never written,
		 * but anything a tar can smuggle is refused by name all the same */
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
		    archive_entry_symlink(e)) {
			problem(info, _("member %s: not a regular file; refused"), name);
			stop = 1;
			break;
		}
		if (index == 0) {
			if (strcmp(name, "manifest.json") != 0) {
				problem(info, _("member %s: a bundle starts with manifest.json; refused"), name);
				stop = 1;
			} else if (!archive_entry_size_is_set(e) || size < 0 || size > BUNDLE_MANIFEST_MAX) {
				problem(info, _("manifest.json: %lld bytes, more than a bundle may hold (%lld MiB); refused"),
				        size, BUNDLE_MANIFEST_MAX >> 20);
				stop = 1;
			} else if (!(manifest = bundle_read_small(a, size, &mlen))) {
				problem(info, "%s", _("manifest.json: cannot be read whole"));
				stop = 1;
			}
		} else if (index == 1) {
			if (strcmp(name, "manifest.sig") != 0) {
				problem(info, _("member %s: manifest.sig must follow manifest.json; refused"), name);
				stop = 1;
			} else if (size < 0 || size > SIG_MAX || !(sig = bundle_read_small(a, size, &slen)) ||
			           strlen(sig) != slen) {
				problem(info, "%s", _("manifest.sig: not a dalil bundle signature"));
				stop = 1;
			} else {
				crypto_sha256_hex(manifest, mlen, info->manifest_sha256);
				check_signature(s, manifest, mlen, sig, info);
				parsed = parse_manifest(manifest, mlen, info, &exp, &nexp) == 0;
				if (!parsed)
					stop = 1;
			}
		} else if (strncmp(name, "objects/", 8) == 0 && is_hex64(name + 8)) {
			check_object(a, name + 8, size, exp, nexp, obuf, info);
		} else {
			problem(info, _("member %s: unexpected name; refused"), name);
			stop = 1;
		}
		index++;
	}
	if (!stop && index < 2)
		problem(info, "%s", index == 0 ? _("not a bundle: no manifest.json")
		                               : _("not a bundle: no manifest.sig"));
	if (parsed && !stop)
		for (size_t i = 0; i < nexp; i++)
			if (!exp[i].seen)
				problem(info, _("object %s: missing from the bundle"), exp[i].sha256);
	/* the whole file's SHA-256, to match the sender's export entry: drain
	 * what libarchive did not need (tar padding) */
	if (!stop) {
		ssize_t k;
		while ((k = read(rd.fd, rd.buf, CHUNK)) > 0)
			gcry_md_write(rd.md, rd.buf, (size_t)k);
		crypto_hex(gcry_md_read(rd.md, GCRY_MD_SHA256), 32, info->sha256);
	}
	archive_read_free(a);
	gcry_md_close(rd.md);
	close(rd.fd);
	free(rd.buf);
	free(obuf);
	free(manifest);
	free(sig);
	free(exp);
	if (info->more_problems)
		problem_last(info);
	if (info->nproblems)
		return dl_err_set(err, DL_ETAMPER, "file",
		                  P_("the bundle is refused: %zu problem", "the bundle is refused: %zu problems",
		                     info->nproblems), info->nproblems);
	return DL_OK;
}

void bundle_info_free(bundle_info *info)
{
	free(info->case_number);
	free(info->created_at);
	free(info->created_by);
	free(info->unit_name_ar);
	free(info->unit_name_en);
	free(info->dalil_version);
	free(info->signer);
	for (size_t i = 0; i < info->nproblems; i++)
		free(info->problems[i]);
	free(info->problems);
	memset(info, 0, sizeof *info);
}
