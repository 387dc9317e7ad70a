/* audit.h — the hash-chained audit log. Entries are written by the store itself
 * (every row change, in the same transaction); this module reads and verifies. */
#ifndef DALIL_AUDIT_H
#define DALIL_AUDIT_H

#include "session.h"
#include "status.h"

/* One audit entry as stored. Strings are owned by the entry. */
typedef struct dl_audit_entry {
	long long id;
	char *at;
	long long user_id;
	char *username;
	char *action;      /* insert, update, delete, login, login_failed, migrate, … */
	char *entity;      /* table name, or "store" */
	long long entity_id;
	char *row;         /* JSON of the row after the change, or NULL */
	char *data;        /* JSON: old values of an update, deleted row, event details */
	char *prev_hash;
	char *hash;
} dl_audit_entry;

typedef struct dl_audit_list {
	dl_audit_entry *v;
	size_t n;
} dl_audit_list;

/* The newest entries (limit, 0 = all), optionally only for one entity (and id
 * when > 0), newest first. Supervisors and admins only. */
dl_status audit_list(dl_session *s, const char *entity, long long entity_id,
                     long long limit, dl_audit_list *out, dl_err *err);
/* The newest entries (limit, 0 = all) about one case, newest first: its row
 * in cases, the rows of every table with a case_id column that named it (also
 * after they were deleted), and the identifier links of its requests.
 * Evidence items are not included: an ingest writes one entry per member, and
 * its source row and custody event already say what was ingested.
 * Supervisors and admins only. */
dl_status audit_list_case(dl_session *s, long long case_id, long long limit,
                          dl_audit_list *out, dl_err *err);
void audit_list_free(dl_audit_list *l);

/* One problem found by verification. */
typedef struct dl_audit_problem {
	char entity[40];
	long long entity_id;   /* audit entry id for chain problems */
	char what[320];        /* translated description */
} dl_audit_problem;

typedef struct dl_audit_report {
	long long entries;     /* audit entries checked */
	long long rows;        /* current rows compared */
	dl_audit_problem *v;
	size_t n;
} dl_audit_report;

/* Walk the chain (each entry's hash and its link to the previous one) and check
 * that every audited row is as the log last recorded it: rows changed, added or
 * deleted behind dalil's back are reported by table and id. Returns DL_OK when
 * the store is intact, DL_ETAMPER with report filled otherwise. Supervisors and
 * admins only. */
dl_status audit_verify(dl_session *s, dl_audit_report *report, dl_err *err);
void audit_report_free(dl_audit_report *r);

#endif
