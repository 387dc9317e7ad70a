/* bundle.h — a case packed for another unit: one signed tar.
 *
 * Layout, in this order (verification reads it as a stream, once):
 *   manifest.json   the case: format, sending unit and its key fingerprint, time,
 *                   every record of the case as the rows the store holds (the
 *                   same canonical JSON the audit log keeps for a row), the
 *                   users those rows name (no password hashes), the case's audit
 *                   entries, and every object with SHA-256, size and whether its
 *                   bytes are in the bundle
 *   manifest.sig    "dalil-bundle-signature 1", the signer's Ed25519 public key,
 *                   its fingerprint and the Ed25519 signature of the statement
 *                   "dalil-bundle-manifest 1\nsha512: HEX\n", HEX the SHA-512
 *                   of the exact bytes of manifest.json (libgcrypt signs at
 *                   most 64 KiB as it is)
 *   objects/SHA256  each kept object (source copies, cached members, the files
 *                   of a folder), unless the bundle is metadata-only; sources
 *                   whose bytes are not in the store are listed with in_bundle
 *                   false and a reason ("in_place", "folder", "not_in_store")
 *
 * Records are grouped by table ("records": {"cases": [...], "persons": [...]})
 * so that an import can insert them table by table, mapping ids. */
#ifndef DALIL_BUNDLE_H
#define DALIL_BUNDLE_H

#include <stddef.h>

#include "session.h"
#include "status.h"

#define BUNDLE_FORMAT "dalil-bundle"
#define BUNDLE_VERSION 1
/* A manifest larger than this is refused unread: it is held in memory to be
 * checked (about 1 KiB per evidence item: some 250,000 items). */
#define BUNDLE_MANIFEST_MAX (256LL << 20)

typedef struct bundle_export_result {
	long long records;        /* rows in the manifest */
	long long audit;          /* audit entries in the manifest */
	long long objects;        /* objects whose bytes are in the bundle */
	long long object_bytes;
	long long listed;         /* objects listed, with or without their bytes */
	long long bytes;          /* size of the bundle file */
	char sha256[65];          /* of the bundle file */
	char manifest_sha256[65];
	char fingerprint[65];     /* of the signing key */
} bundle_export_result;

/* Write the case as a bundle at path (which must not exist; 0600, written to a
 * temporary file and renamed). The unit's key signs it, unlocked with
 * passphrase. Supervisors and admins only: the signature speaks for the unit,
 * and the bundle carries the case's audit log, which only they may read.
 * An export entry is audited before the file is in place. A kept object whose
 * bytes no longer match its name stops the export (DL_ETAMPER): nothing is
 * left. since (NULL: a full bundle) makes an incremental bundle: the id of an
 * earlier bundle of the case exported from this store (its manifest's
 * SHA-256); the manifest then carries "base_bundle_id", an empty "records",
 * "changes" (casepack.h: every row change audited since that export) and
 * only the objects the new rows name; r->records counts the changes. */
dl_status bundle_export(dl_session *s, const char *case_number, const char *path,
                        int metadata_only, const char *since, const char *passphrase,
                        bundle_export_result *r, dl_err *err);

/* What verification found. Strings are owned by the struct. */
typedef struct bundle_info {
	int format_version;
	char *case_number;
	char *created_at;
	char *created_by;          /* username at the sending unit */
	char *unit_name_ar, *unit_name_en;   /* as the manifest says */
	char *dalil_version;
	char fingerprint[65];      /* of the key that signed, "" when unreadable */
	char *signer;              /* the name this store trusts the key under, set only when
	                              the signature verifies */
	int signer_own;            /* signed with this unit's own key */
	int signature_ok;          /* the signature verifies with a key this store knows */
	int metadata_only;
	long long records, audit;
	long long listed;          /* objects in the manifest */
	long long expected;        /* of them, with bytes in the bundle */
	long long present;         /* object members read whose hash and size matched */
	long long object_bytes;
	long long in_place;        /* sources listed without their bytes (in place) */
	char sha256[65];           /* of the bundle file */
	char manifest_sha256[65];
	char **problems;           /* translated, one per mismatch (the last one says how
	                              many more when there were too many to keep) */
	size_t nproblems;
	long long more_problems;
} bundle_info;

/* Check the bundle at path: its structure (members in order, regular files
 * only, expected names, no duplicate, manifest within BUNDLE_MANIFEST_MAX),
 * the signature against this store's trusted keys and the unit's own, and
 * each object's SHA-256 and size against the manifest, hashing objects as they
 * stream (memory stays flat). Nothing is written. DL_OK when all is good;
 * DL_ETAMPER with info->problems naming each mismatch otherwise; DL_EIO when
 * the file cannot be opened. Any logged-in user. */
dl_status bundle_verify(dl_session *s, const char *path, bundle_info *info, dl_err *err);
void bundle_info_free(bundle_info *info);

/* What an import did. */
typedef struct bundle_import_result {
	bundle_info info;          /* what verification found (problems when refused) */
	int already;               /* the bundle had been imported: nothing changed */
	char case_number[256];     /* the local case it is (or was) imported into */
	int renumbered;            /* the sender's number was taken here: "NUMBER_UNIT" */
	long long records, mapped, users_created, received, audit;
	long long objects, object_bytes;   /* objects copied in (or already in the store) */
	int incremental;           /* changes applied onto a case imported before */
	char **conflicts;          /* DL_ECONFLICT: the changes not applicable here (translated) */
	size_t nconflicts;
} bundle_import_result;

/* Bring a bundle's case into this store. It is verified first exactly as
 * bundle_verify does, and anything that fails is refused (DL_ETAMPER, the
 * problems in r->info) with nothing written. Then, in one transaction, its
 * rows come in under new ids (model/caseunpack.h) and its objects are copied
 * into STORE/objects, each re-hashed while it is copied (temporary file, then
 * renamed): an object whose bytes no longer match, or any other failure,
 * rolls everything back and removes the objects this import placed. A bundle
 * imported before (same manifest SHA-256) changes nothing: DL_OK with
 * r->already. Supervisors and administrators: an import creates a case and
 * accounts standing for the sender's users, and brings the sender's audit
 * log. An incremental bundle needs its base imported first; changes that
 * conflict with work done here (a column edited since) are listed in
 * r->conflicts and nothing is applied (DL_ECONFLICT). r is freed with
 * bundle_import_free. */
dl_status bundle_import(dl_session *s, const char *path, bundle_import_result *r, dl_err *err);
void bundle_import_free(bundle_import_result *r);

#endif
