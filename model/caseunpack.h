/* caseunpack.h — a case received from another unit, written into this store:
 * the rows of a verified bundle manifest (see casepack.h for what it holds)
 * inserted under new local ids, with their provenance. importers/bundle_import.c
 * verifies the bundle, copies its objects and calls this inside the one
 * transaction of the import. */
#ifndef DALIL_CASEUNPACK_H
#define DALIL_CASEUNPACK_H

#include <stddef.h>

#include "casepack.h"
#include "session.h"
#include "status.h"

/* Where the bundle comes from (as verification found it). */
typedef struct dl_unpack_origin {
	const char *bundle_id;      /* SHA-256 of manifest.json */
	const char *unit_name;      /* the name this unit trusts the signing key under */
	const char *unit_name_ar, *unit_name_en;   /* as the manifest says, may be NULL */
	const char *fingerprint;
	const char *sent_at, *sent_by;
	const char *file_sha256;
	long long objects;          /* objects whose bytes come with it */
} dl_unpack_origin;

typedef struct dl_unpack_result {
	long long case_id;
	char case_number[256];      /* the local number (suffixed when the sender's was taken) */
	int renumbered;
	long long records;          /* rows inserted from the manifest */
	long long mapped;           /* rows mapped onto existing local rows (hash sets) */
	long long users_created;    /* placeholder accounts for the sender's users */
	long long received;         /* custody events "received" recorded */
	long long audit;            /* the sender's audit entries kept */
	long long import_id;
	dl_pack_objects objects;    /* the manifest's objects (kind "source" or "member") */
	int incremental;            /* the bundle carried changes onto an imported case */
	char **conflicts;           /* translated, one per change not applicable here */
	size_t nconflicts;
} dl_unpack_result;

/* Free what a result holds (objects, conflicts). */
void unpack_result_free(dl_unpack_result *r);

/* The local case a bundle id was imported into: 1 with its number, 0 when it
 * never was, -1 on a store error. */
int unpack_find(dl_session *s, const char *bundle_id, char *number, size_t numbersz);

/* Bring the manifest's case in: every row under a new id (references mapped,
 * the sender's users to disabled placeholder accounts "user.unit" (lowercase)), the case
 * number suffixed "@UNIT" when it exists here, a "received" custody event for
 * each device and source, the provenance row and the sender's audit entries
 * in received_audit, and an audit event "bundle_import". Inside the caller's
 * open transaction; the manifest has been verified (signature and hashes), but
 * its contents are still checked as input (unknown tables or columns, dangling
 * references: DL_EINVAL, field "manifest").
 * An incremental bundle ("base_bundle_id", "changes": casepack.h) is applied
 * to the case its base became here (DL_ENOTFOUND when the base was not
 * imported from the same unit): inserts come in as above, an update or a
 * delete only when every column it names is still as the sender had it;
 * otherwise a conflict naming table, local row and columns is collected and,
 * when there is any, DL_ECONFLICT: the caller rolls everything back. */
dl_status unpack_case(dl_session *s, const char *manifest, size_t len, const dl_unpack_origin *o,
                      dl_unpack_result *r, dl_err *err);

/* One bundle received (a row of bundle_imports). Strings owned by the list. */
typedef struct dl_received {
	long long id;
	char *bundle_id, *base_bundle_id;   /* base NULL for a full bundle */
	char *case_number, *origin_case_number;
	char *unit_name, *fingerprint;
	char *sent_at, *sent_by, *imported_by, *imported_at;
	long long records, objects, audit;
} dl_received;

typedef struct dl_received_list {
	dl_received *v;
	size_t n;
} dl_received_list;

/* The bundles received, oldest first; only those of one case when
 * case_number is given. Supervisors and administrators. */
dl_status unpack_list(dl_session *s, const char *case_number, dl_received_list *out, dl_err *err);
void unpack_list_free(dl_received_list *l);

#endif
