/* case.h — cases: number, titles, offences, status workflow, legal deadline,
 * lead and assigned investigators. Every call checks the session's rights. */
#ifndef DALIL_CASE_H
#define DALIL_CASE_H

#include <stddef.h>

#include "session.h"
#include "status.h"

typedef enum dl_case_status {
	DL_CASE_OPEN, DL_CASE_INVESTIGATING, DL_CASE_REFERRED, DL_CASE_IN_COURT,
	DL_CASE_CLOSED, DL_CASE_SUSPENDED,
} dl_case_status;

/* NULL-terminated, index = enum value / offence bit. */
extern const char *const case_status_names[];
extern const char *const case_offence_names[]; /* trafficking, smuggling, cybercrime,
                                                  terrorism-financing, other */

/* Translated names for display. */
const char *case_status_label(dl_case_status st);
const char *case_offence_label(int offence);

/* Values given for add or edit; NULL means "not given" (edit leaves it as is,
 * an empty string clears an optional field). */
typedef struct dl_case_input {
	const char *number;        /* add only */
	const char *title_ar;
	const char *title_en;
	const char *offences;      /* comma-separated case_offence_names */
	const char *opened;        /* YYYY-MM-DD, default today (add only) */
	const char *deadline;      /* YYYY-MM-DD, default opened + deadline_days */
	const char *reason;        /* why the deadline changed (edit: required with deadline) */
	const char *lead;          /* username; default: the creating investigator */
	const char *jurisdiction;
	const char *summary_ar;
	const char *summary_en;
	const char *assign;        /* comma-separated usernames to add to the case */
	const char *unassign;      /* comma-separated usernames to remove (edit only) */
} dl_case_input;

typedef struct dl_case_change {
	char *at;
	char *username;
	char *from;                /* old status / old deadline */
	char *to;
	char *reason;
} dl_case_change;

typedef struct dl_case {
	long long id;
	char *number, *title_ar, *title_en;
	unsigned offences;         /* bit i = case_offence_names[i] */
	dl_case_status status;
	char *opened, *deadline;
	long long days_left;       /* deadline minus today, negative when overdue */
	long long lead_id;
	char *lead;                /* username */
	char *jurisdiction, *summary_ar, *summary_en;
	char *created_at, *updated_at;
	/* filled by case_get only: */
	char **assigned; size_t nassigned;
	dl_case_change *status_history; size_t nstatus_history;
	dl_case_change *deadline_history; size_t ndeadline_history;
} dl_case;

typedef struct dl_case_list {
	dl_case *v;
	size_t n;
} dl_case_list;

typedef struct dl_case_filter {
	const char *status;        /* one status name, or NULL */
	const char *offence;       /* one offence name, or NULL */
	int mine;                  /* only cases the user leads or is assigned to */
	const char *sort;          /* number | deadline | opened | status; default deadline */
	long long limit, offset;   /* limit 0 = all */
} dl_case_filter;

dl_status case_add(dl_session *s, const dl_case_input *in, long long *id, dl_err *err);
dl_status case_edit(dl_session *s, const char *number, const dl_case_input *in, dl_err *err);

/* Move a case along its workflow. Closing and reopening need a supervisor; going
 * back, suspending, closing and reopening need a reason. */
dl_status case_set_status(dl_session *s, const char *number, const char *status,
                          const char *reason, dl_err *err);

/* The case with this number, if the session may read it. */
dl_status case_get(dl_session *s, const char *number, dl_case *out, dl_err *err);

/* The id of a case by number, checking read (write = 0) or write (1) rights. */
dl_status case_resolve(dl_session *s, const char *number, int write, long long *id,
                       dl_err *err);

/* The cases the session may read, filtered and sorted. */
dl_status case_list(dl_session *s, const dl_case_filter *f, dl_case_list *out, dl_err *err);

/* Offence names of a mask, comma-separated, into out. */
void case_offences_str(unsigned mask, char *out, size_t outsz);

void case_free(dl_case *c);
void case_list_free(dl_case_list *l);

#endif
