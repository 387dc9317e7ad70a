/* report_rec.h — the register of generated reports: every PDF dalil writes is
 * recorded with its SHA-256, kind, language, case, author and time, so that a
 * file handed to a court can later be recognised (or found changed). */
#ifndef DALIL_REPORT_REC_H
#define DALIL_REPORT_REC_H

#include "session.h"
#include "status.h"

/* NULL-terminated: "court", "inventory", "custody", "progress", "request" and
 * "ar", "en" (the values the reports table accepts). */
extern const char *const report_kind_names[];
extern const char *const report_lang_names[];

typedef struct dl_report_rec {
	long long id;
	long long case_id;          /* 0 for reports on every case (progress) */
	char *case_number;          /* NULL when case_id is 0 */
	char *kind, *lang;
	char *file_name;            /* the base name it was written under */
	char *sha256;
	char *author;               /* username */
	char *created_at;           /* "YYYY-MM-DDTHH:MM:SSZ", also inside the PDF */
} dl_report_rec;

/* What is registered. */
typedef struct dl_report_input {
	const char *case_number;    /* NULL for a report on every case */
	const char *kind;
	const char *lang;
	const char *file_name;
	const char *sha256;         /* 64 lowercase hex */
	const char *created_at;     /* the time written into the PDF */
} dl_report_input;

/* Record a generated report (one transaction; the audit hook logs it). Anyone
 * who may read the case may register a report on it (clerks generate reports);
 * a report on every case needs a supervisor. */
dl_status report_register(dl_session *s, const dl_report_input *in, long long *id, dl_err *err);

/* The first registered report with this SHA-256. DL_ENOTFOUND when none. Any
 * logged-in user may ask: the answer only says what the file is. */
dl_status report_find_sha256(dl_session *s, const char *sha256, dl_report_rec *out, dl_err *err);

void report_rec_free(dl_report_rec *r);

typedef struct dl_report_list {
	dl_report_rec *v;
	size_t n;
} dl_report_list;

/* The reports registered on a case the session may read, newest first. */
dl_status report_list(dl_session *s, const char *case_number, dl_report_list *out, dl_err *err);
void report_list_free(dl_report_list *l);

#endif
