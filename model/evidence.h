/* evidence.h — evidence sources (ingested files, archives, folders), their items,
 * and the content-addressed object store under STORE/objects/. The importers
 * write through these calls; screens and reports read through them. */
#ifndef DALIL_EVIDENCE_H
#define DALIL_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "session.h"
#include "status.h"

/* ---- sources ---- */

typedef struct dl_source {
	long long id, case_id, device_id;
	char *case_number;
	char *kind;                 /* archive, file, folder */
	char *original_path;
	int in_place;
	long long size;
	char *md5, *sha1, *sha256;
	char *expected_sha256;
	int expected_match;         /* -1 none given, 0 mismatch, 1 match */
	char *tool, *tool_version, *libraries;
	char *status, *status_reason;
	long long item_count, bytes_total;
	char *ingested_by, *ingested_at;
} dl_source;

typedef struct dl_source_list {
	dl_source *v;
	size_t n;
} dl_source_list;

/* What the importer knows before reading. */
typedef struct dl_source_input {
	const char *kind;
	const char *original_path;  /* absolute path as given */
	int in_place;
	long long size;
	long long device_id;        /* 0: none; must be a device of the case */
	const char *expected_sha256;/* normalised 64 hex, or NULL */
	const char *tool_version;   /* "dalil 0.1.0" */
	const char *libraries;      /* "libarchive 3.6.2, libmagic 544, …" */
} dl_source_input;

/* Start (or resume) a source in a case the session may change. A source of the
 * same case, path and size left "interrupted" by a killed ingest is resumed
 * (*resumed = 1): its items are kept and the importer skips them. Otherwise a
 * new source row is written with status "interrupted" until finished. */
/* A complete source of the same case, kind, path, size, device, keeping and
 * dalil version as in (not a folder), for an ingest to tell whether it is run again on what it
 * already finished: *source_id (0 when none), its SHA-256 and item count. The
 * device must be of the case (DL_EINVAL). Reads only. */
dl_status evidence_source_complete(dl_session *s, const char *case_number,
                                   const dl_source_input *in, long long *source_id,
                                   char sha256[65], long long *items, dl_err *err);

dl_status evidence_source_begin(dl_session *s, const char *case_number,
                                const dl_source_input *in, long long *source_id,
                                long long *case_id, int *resumed, dl_err *err);

/* The end of an ingest: hashes, match against the expected SHA-256, status
 * (complete | incomplete | failed) with reason, counts, and the "ingested"
 * custody event — one transaction. */
typedef struct dl_source_result {
	const char *md5, *sha1, *sha256;
	long long size;
	const char *status;
	const char *reason;
	long long item_count;       /* ignored: the items recorded are counted */
	long long bytes_total;
} dl_source_result;
dl_status evidence_source_finish(dl_session *s, long long source_id,
                                 const dl_source_result *r, dl_err *err);

dl_status evidence_source_get(dl_session *s, long long source_id, dl_source *out, dl_err *err);
/* Sources of a case (or of every readable case when case_number is NULL). */
dl_status evidence_source_list(dl_session *s, const char *case_number, dl_source_list *out,
                               dl_err *err);
void evidence_source_free(dl_source *src);
void evidence_source_list_free(dl_source_list *l);

/* ---- items ---- */

typedef struct dl_item {
	long long id, source_id, parent_id;
	long long ordinal;
	unsigned char *path_raw; size_t path_raw_len;
	char *path;
	int is_dir;
	long long size;             /* -1 unknown */
	char *mtime;
	char *mime, *description;
	char *md5, *sha1, *sha256;
	int encrypted;
	char *problem;
	char *tags;                 /* comma-separated */
	char *note;
	char *hits;                 /* hash set names, comma-separated */
	long long case_id;
	int has_children;           /* items recorded inside it (a folder's entries, a nested archive's members) */
} dl_item;

typedef struct dl_item_input {
	long long source_id, parent_id;
	long long ordinal;
	const void *path_raw; size_t path_raw_len;
	const char *path;
	int is_dir;
	long long size;
	const char *mtime;
	const char *mime, *description;
	const char *md5, *sha1, *sha256;
	int encrypted;
	const char *problem;
} dl_item_input;

/* Batches: the importer opens one with evidence_batch_begin, adds items, and
 * commits (audit entries included) every few thousand. */
dl_status evidence_batch_begin(dl_session *s, dl_err *err);
dl_status evidence_batch_commit(dl_session *s, dl_err *err);
void evidence_batch_rollback(dl_session *s);

/* Inside a batch: the id of the item at (source, parent, ordinal) if an
 * earlier interrupted run recorded it, else 0. */
long long evidence_item_find(dl_session *s, long long source_id, long long parent_id,
                             long long ordinal);
/* Inside a batch: add an item, flag its hash-set hits (*hits). */
dl_status evidence_item_add(dl_session *s, const dl_item_input *in, long long *id, int *hits,
                            dl_err *err);
/* Inside a batch: complete an item added before its content was read (a nested
 * archive's row exists before its children): size, type, hashes, problem. */
dl_status evidence_item_complete(dl_session *s, long long id, const dl_item_input *in, int *hits,
                                 dl_err *err);

dl_status evidence_item_get(dl_session *s, long long id, dl_item *out, dl_err *err);

/* The item and its ancestors, outermost first (*n ≤ max). */
dl_status evidence_item_chain(dl_session *s, long long id, dl_item *chain, size_t max, size_t *n,
                              dl_err *err);

/* For a folder source: call fn for each file recorded directly in the folder
 * (under directories only, not inside an archive), one at a time. */
dl_status evidence_folder_files(dl_session *s, long long source_id,
                                int (*fn)(void *ctx, const dl_item *it), void *ctx, dl_err *err);

/* Every cached member object: fn(ctx, sha256, size). */
dl_status evidence_objects_each(dl_session *s, const char *kind,
                                int (*fn)(void *ctx, const char *sha256, long long size), void *ctx,
                                dl_err *err);

/* dl_item_filter.parent_id: the members a source holds directly (no parent). */
#define DL_ITEM_TOP (-1LL)
/* dl_item_filter.tag: items without any tag. */
#define DL_TAG_NONE "untagged"

typedef struct dl_item_filter {
	const char *case_number;    /* required */
	long long source_id;        /* 0: all sources of the case */
	long long parent_id;        /* 0: any level; DL_ITEM_TOP: the source's own members;
	                               > 0: the items directly inside that item */
	const char *type;           /* MIME prefix, e.g. "image/" */
	const char *tag;            /* one tag, or DL_TAG_NONE */
	const char *name;           /* text the decoded path contains (ASCII letters in any case) */
	int hits_only;
	/* Order: by id (the order of recording), or with by_position by the position
	 * among siblings (needs parent_id != 0, and source_id when parent_id is
	 * DL_ITEM_TOP); descending gives the last first, so the end of a list of a
	 * million items is one page away. */
	int by_position;
	int descending;
	/* Paging (keyset): the key of the last item of the previous page, 0 to start
	 * at the first (or, descending, the last) item. By id: its id. By position:
	 * its ordinal + 1. */
	long long after_id;
	long long after_position;
	long long limit;            /* page size; 0 = 1000 */
} dl_item_filter;

/* One page of items. Call again with the paging key of the last one. */
typedef struct dl_item_list {
	dl_item *v;
	size_t n;
} dl_item_list;
dl_status evidence_item_list(dl_session *s, const dl_item_filter *f, dl_item_list *out,
                             dl_err *err);
/* How many items pass the filter (order, paging and limit ignored). Indexed for
 * a level of one source, a type in one source, tagged items and hash-set hits;
 * a name filter reads every item of the case once. */
dl_status evidence_item_count(dl_session *s, const dl_item_filter *f, long long *n, dl_err *err);
void evidence_item_free(dl_item *it);
void evidence_item_list_free(dl_item_list *l);

extern const char *const evidence_tag_names[];   /* relevant, irrelevant, privileged, review */

/* Add (or with remove, take away) a tag. */
dl_status evidence_item_tag(dl_session *s, long long id, const char *tag, int remove, dl_err *err);
dl_status evidence_item_note(dl_session *s, long long id, const char *note, dl_err *err);

/* ---- objects ---- */

/* STORE/objects/ab/cdef… for a SHA-256 (64 hex) into out (a path that does
 * not exist when sha256 is not one). */
void evidence_object_path(dl_store *st, const char *sha256, char *out, size_t outsz);

/* A new private temporary file under STORE/objects/tmp/; its path in out.
 * Returns an fd, -1 with err. */
int evidence_object_tmp(dl_store *st, char *out, size_t outsz, dl_err *err);

/* fsync tmp, rename it to the object's path (unless that exists), fsync the
 * directory, record the object row (kind "source" or "member") — inside the
 * open transaction when there is one, else in its own. */
dl_status evidence_object_commit(dl_session *s, int fd, const char *tmp, const char *sha256,
                                 long long size, const char *kind, dl_err *err);

/* MIME type and description already found for content with this SHA-256
 * (content is never identified twice). 1 when known. */
int evidence_type_known(dl_session *s, const char *sha256, char *mime, size_t mimesz,
                        char *desc, size_t descsz);

/* STORE/objects/tmp (made if missing) into out: private scratch space. */
int evidence_tmp_dir(dl_store *st, char *out, size_t outsz);

/* Remove leftovers of killed runs from objects/tmp/. */
void evidence_object_sweep(dl_store *st);

/* The JSON object of a source and of an item: the stable keys of "dalil
 * ingest/items --json" and of the reports' companions (tags and hits as arrays). */
void evidence_source_json(json_w *w, const dl_source *src);
void evidence_item_json(json_w *w, const dl_item *it);

#endif
