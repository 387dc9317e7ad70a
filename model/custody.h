/* custody.h — the chain of custody of devices, evidence sources and evidence
 * items: who held what, from when, under which seal, and why it moved.
 *
 * The chain of a subject is linear and append-only:
 * - events are recorded in time order: an event dated before the subject's
 *   latest event is refused (field "at"), as is a time in the future;
 * - "transferred" needs from, to and a reason;
 * - "transferred" and "returned" start from the current holder (the "to" of
 *   the latest event that named one) when there is one; "returned" without a
 *   from takes the current holder;
 * - nothing happens to a subject after "destroyed".
 * Every call checks the session's rights on the case first. */
#ifndef DALIL_CUSTODY_H
#define DALIL_CUSTODY_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"

typedef enum dl_custody_subject {
	DL_CUSTODY_DEVICE, DL_CUSTODY_SOURCE, DL_CUSTODY_ITEM,
} dl_custody_subject;

typedef enum dl_custody_event_kind {
	DL_CUSTODY_SEIZED, DL_CUSTODY_SEALED, DL_CUSTODY_TRANSFERRED, DL_CUSTODY_RECEIVED,
	DL_CUSTODY_EXTRACTED, DL_CUSTODY_INGESTED, DL_CUSTODY_EXAMINED, DL_CUSTODY_REPORTED,
	DL_CUSTODY_RETURNED, DL_CUSTODY_DESTROYED,
} dl_custody_event_kind;

/* NULL-terminated, index = enum value: "device", "source", "item" and
 * "seized" … "destroyed". */
extern const char *const custody_subject_names[];
extern const char *const custody_event_names[];

/* What is recorded. Optional texts may be NULL or "". */
typedef struct dl_custody_input {
	const char *subject_kind;  /* device | source | item (field "subject") */
	long long subject_id;      /* id of the device, source or item in this case */
	const char *event;         /* custody_event_names */
	const char *from;          /* who handed it over */
	const char *to;            /* who took it */
	const char *at;            /* val_datetime; default now */
	const char *place;
	const char *seal;          /* seal number at the time of the event */
	const char *reason;        /* required for "transferred" */
} dl_custody_input;

typedef struct dl_custody_event {
	long long id;
	long long case_id;
	char *case_number;
	dl_custody_subject subject_kind;
	long long subject_id;
	dl_custody_event_kind event;
	char *from, *to;           /* NULL when not given */
	char *at;                  /* "YYYY-MM-DDTHH:MM:SSZ" */
	char *place, *seal_number, *reason;
	char *recorded_by;         /* username */
	char *recorded_at;
} dl_custody_event;

typedef struct dl_custody_list {
	dl_custody_event *v;
	size_t n;
} dl_custody_list;

/* Parse "KIND:ID" ("device:12", Arabic-Indic digits accepted) as given on the
 * command line; field names the option in errors. */
dl_status custody_subject_parse(const char *field, const char *text, dl_custody_subject *kind,
                                long long *id, dl_err *err);

/* Record one event on a subject of the case (write rights on the case).
 * *id (when not NULL) gets the new event's id. */
dl_status custody_add(dl_session *s, const char *case_number, const dl_custody_input *in,
                      long long *id, dl_err *err);

/* One event by id (read rights on its case). Free with custody_event_free. */
dl_status custody_get(dl_session *s, long long id, dl_custody_event *out, dl_err *err);

/* The events of a case in chronological order (time, then order of recording);
 * with subject_kind not NULL only those of that subject, which must belong to
 * the case. Free with custody_list_free. */
dl_status custody_list(dl_session *s, const char *case_number, const char *subject_kind,
                       long long subject_id, dl_custody_list *out, dl_err *err);

void custody_event_free(dl_custody_event *e);
void custody_list_free(dl_custody_list *l);

/* The JSON object of an event: the keys of "dalil custody list --json" and of
 * the reports' companions. */
void custody_event_json(json_w *w, const dl_custody_event *e);

#endif
