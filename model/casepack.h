/* casepack.h — what a case bundle carries, read from the store: every record
 * of a case as the rows the store holds (the canonical JSON the audit log
 * keeps for a row), the users they name, and the objects that hold its
 * evidence bytes. importers/bundle.c packs and signs them. */
#ifndef DALIL_CASEPACK_H
#define DALIL_CASEPACK_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"

/* One object the bundle lists. */
typedef struct dl_pack_object {
	char sha256[65];
	long long size;
	const char *kind;      /* "source" | "member" (static) */
	int in_bundle;
	const char *reason;    /* why the bytes are not in the bundle (static), or NULL */
} dl_pack_object;

typedef struct dl_pack_objects {
	dl_pack_object *v;
	size_t n, cap;
} dl_pack_objects;

void pack_objects_free(dl_pack_objects *l);

/* The objects of a case: its kept sources, the objects of its items (members
 * cached from an archive, the files of a folder), in_bundle unless
 * metadata_only; and its sources whose bytes are not in the store, with
 * reason "in_place", "folder" (a folder's digest: its files are listed as
 * their own objects) or "not_in_store" (the store lost it). Each object once,
 * however many rows name it. The caller has checked the session's right to
 * the case. */
dl_status pack_objects(dl_session *s, long long case_id, int metadata_only, dl_pack_objects *out,
                       dl_err *err);

/* Write the keys "users" (the users the records name: id, username, names,
 * role — never a password hash) and "records" (an object: table name -> array
 * of rows, in an order an import can insert them in, referenced rows first)
 * into the open object of w. *records receives the number of rows. When w's
 * text passes max_bytes (0: no limit) it stops with DL_EINVAL (field "case"),
 * so that memory stays bounded. The caller has checked the session's right to
 * the case. */
dl_status pack_records(dl_session *s, long long case_id, size_t max_bytes, json_w *w,
                       long long *records, dl_err *err);

/* Only the key "users" of pack_records. */
dl_status pack_users(dl_session *s, long long case_id, json_w *w, dl_err *err);

/* The id of the audit entry recording the export of the case's bundle
 * bundle_id (its manifest's SHA-256); 0 when there is none, -1 on error. */
long long pack_export_entry(dl_session *s, long long case_id, const char *bundle_id);

/* Write the key "changes": every row change of the case audited after entry
 * after_audit_id, oldest first, each {"audit_id", "action" (insert, update,
 * delete), "table", "id", "row" (the row after, null for a delete), "old"
 * (an update's changed columns as they were; a delete's whole row)}.
 * *shas receives the SHA-256 (64 hex, each malloc'd, the array too) of the
 * sources and items inserted, whose objects travel with the changes. */
dl_status pack_changes(dl_session *s, long long case_id, long long after_audit_id, size_t max_bytes,
                       json_w *w, long long *changes, char ***shas, size_t *nshas, dl_err *err);

/* Record that a bundle of the case left: an audit event "bundle_export" on
 * the case with details (JSON), in its own transaction. */
dl_status pack_audit_export(dl_session *s, long long case_id, const char *details, dl_err *err);

#endif
