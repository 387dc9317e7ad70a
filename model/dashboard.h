/* dashboard.h — what a supervisor watches across cases: how many cases are in
 * each status, which legal deadlines have passed or are close, which provider
 * requests are overdue, the open tasks, and each investigator's load; and the
 * counts by type of what an ingest brought in. Plain structs, no drawing.
 * "Open" means any status but closed: a suspended case still has its legal
 * deadline and still belongs to its investigators. */
#ifndef DALIL_DASHBOARD_H
#define DALIL_DASHBOARD_H

#include <stddef.h>

#include "case.h"
#include "request.h"
#include "session.h"
#include "status.h"

/* Days left under which a deadline is shown as near (as the case list colours it). */
#define DL_DASH_SOON_DAYS 14

/* A case as the dashboard lists it. */
typedef struct dl_dash_case {
	char *number, *title_ar, *title_en;
	dl_case_status status;
	char *lead;                 /* username, NULL when nobody leads */
	char *deadline;             /* YYYY-MM-DD */
	long long days_left;        /* negative when past */
} dl_dash_case;

typedef struct dl_dash_task {
	long long id;
	char *case_number;
	char *title;
	char *assignee;             /* username, NULL when nobody */
	char *due_date;             /* YYYY-MM-DD, NULL when none */
	long long days_left;        /* due minus today; 0 without a due date */
	int overdue;
} dl_dash_task;

/* One investigator's load. */
typedef struct dl_dash_load {
	long long user_id;
	char *username;
	dl_role role;
	long long open_cases;       /* led or assigned, not closed */
	long long overdue_cases;    /* of those, past their deadline */
	long long open_tasks;       /* assigned to them, not done */
	long long overdue_tasks;    /* of those, past their due date */
} dl_dash_load;

/* How far back the dashboard looks for cross-case hits found in evidence. */
#define DL_DASH_HIT_DAYS 14

/* An identifier found in the evidence of one case lately (an ingest or an
 * extract) that another case has too. One per case, value and other case. */
typedef struct dl_dash_hit {
	char *case_number;          /* where it was found */
	char *kind, *value;         /* identifier_kind_names, normalised value */
	long long items;            /* items of that case it was found in lately */
	char *found_at;             /* the latest finding, "YYYY-MM-DDTHH:MM:SSZ" */
	char *other_case;           /* a case that has it too */
} dl_dash_hit;

typedef struct dl_dashboard {
	long long status_counts[DL_CASE_SUSPENDED + 1];  /* index = dl_case_status */
	long long total_cases;
	dl_dash_case *deadlines; size_t ndeadlines;      /* most urgent first */
	dl_request_list overdue_requests;                /* most overdue first */
	dl_dash_task *tasks; size_t ntasks;              /* overdue first, then by due date */
	dl_dash_load *load; size_t nload;                /* most open cases first */
	dl_dash_hit *hits; size_t nhits;                 /* newest first, at most DL_DASH_HITS_MAX */
	int hits_more;                                   /* there were more than those */
} dl_dashboard;

#define DL_DASH_HITS_MAX 200

/* Everything above in one read. Supervisors and admins only (perm_supervise);
 * the counts cover the cases the session may read. Free with dashboard_free. */
dl_status dashboard_load(dl_session *s, dl_dashboard *out, dl_err *err);
void dashboard_free(dl_dashboard *d);

/* The open cases a user leads or is assigned to, most urgent deadline first
 * (the dashboard's drill-down from a load row). Supervisors and admins only. */
dl_status dashboard_user_cases(dl_session *s, long long user_id, dl_dash_case **out, size_t *n,
                               dl_err *err);
void dashboard_cases_free(dl_dash_case *v, size_t n);

/* ---- what one evidence source holds, by type ---- */

typedef struct dl_type_count {
	char *type;                 /* the MIME major type ("image", "text", …); "" when unknown */
	long long n;
} dl_type_count;

typedef struct dl_type_counts {
	dl_type_count *v; size_t n; /* most numerous first */
	long long files;            /* items that are not directories */
	long long dirs;
	long long problems;         /* items that could not be read whole */
	long long encrypted;
	long long hits;             /* items in an alert or known-good hash set */
} dl_type_counts;

/* Counts of the items of a source whose case the session may read. */
dl_status evidence_type_counts(dl_session *s, long long source_id, dl_type_counts *out,
                               dl_err *err);
void evidence_type_counts_free(dl_type_counts *c);

#endif
