/* request.h — preservation and disclosure requests to platforms, ISPs,
 * telecoms, banks and exchanges, with the identifiers they concern. Waiting
 * for answers is where cases stall, so every request knows whether it is
 * overdue and by how many days. Every call checks the session's rights. */
#ifndef DALIL_REQUEST_H
#define DALIL_REQUEST_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"

typedef enum dl_request_kind {
	DL_REQUEST_PRESERVATION, DL_REQUEST_DISCLOSURE,
} dl_request_kind;

typedef enum dl_provider_type {
	DL_PROVIDER_PLATFORM, DL_PROVIDER_ISP, DL_PROVIDER_TELECOM, DL_PROVIDER_BANK,
	DL_PROVIDER_EXCHANGE, DL_PROVIDER_OTHER,
} dl_provider_type;

typedef enum dl_request_status {
	DL_REQUEST_DRAFT, DL_REQUEST_SENT, DL_REQUEST_ACKNOWLEDGED, DL_REQUEST_ANSWERED,
	DL_REQUEST_PARTIAL, DL_REQUEST_REFUSED, DL_REQUEST_WITHDRAWN,
} dl_request_status;

/* NULL-terminated, index = enum value. */
extern const char *const request_kind_names[];          /* preservation, disclosure */
extern const char *const request_provider_type_names[]; /* platform, isp, telecom, bank, exchange, other */
extern const char *const request_status_names[];        /* draft … withdrawn */

/* Values for add or edit. NULL means "not given": edit keeps the current
 * value; "" clears an optional one. Errors name the command-line option:
 * kind, provider, provider-type, legal-basis, reference, sent, due, status,
 * answered, notes, identifiers.
 * Rules, checked on the result of an edit as on an add:
 * - kind and provider are required; provider_type defaults to platform and
 *   status to draft;
 * - due and answer dates may not precede the sent date;
 * - "sent" and "acknowledged" need a sent date; "answered", "partial" and
 *   "refused" need an answer date, which the other statuses may not have;
 * - identifiers are ids of identifiers recorded in the same case. */
typedef struct dl_request_input {
	const char *kind;
	const char *provider;
	const char *provider_type;
	const char *legal_basis;
	const char *reference;
	const char *sent_date;     /* YYYY-MM-DD */
	const char *due_date;      /* YYYY-MM-DD */
	const char *status;
	const char *answer_date;   /* YYYY-MM-DD */
	const char *notes;         /* multiline */
	const char *identifiers;   /* comma-separated ids; edit replaces the set */
} dl_request_input;

/* One identifier a request concerns. */
typedef struct dl_request_ident {
	long long id;
	char *kind;
	char *value;
} dl_request_ident;

typedef struct dl_request {
	long long id;
	long long case_id;
	char *case_number;
	dl_request_kind kind;
	char *provider;
	dl_provider_type provider_type;
	char *legal_basis, *reference;
	char *sent_date, *due_date;    /* NULL when not set */
	dl_request_status status;
	char *answer_date, *notes;
	int overdue;                   /* sent or acknowledged and due before today */
	long long days_overdue;        /* today minus due date when overdue, else 0 */
	char *created_by, *created_at, *updated_at;
	dl_request_ident *identifiers;
	size_t nidentifiers;
} dl_request;

typedef struct dl_request_list {
	dl_request *v;
	size_t n;
} dl_request_list;

/* Record a request in the case (write rights). *id gets its id when not NULL. */
dl_status request_add(dl_session *s, const char *case_number, const dl_request_input *in,
                      long long *id, dl_err *err);

/* Change a request (write rights on its case). Changing nothing is DL_EINVAL. */
dl_status request_edit(dl_session *s, long long id, const dl_request_input *in, dl_err *err);

/* Delete a request recorded by mistake, with the identifiers it named (write
 * rights on its case). The deleted row stays in the audit log. */
dl_status request_delete(dl_session *s, long long id, dl_err *err);

/* One request (read rights on its case). Free with request_free. */
dl_status request_get(dl_session *s, long long id, dl_request *out, dl_err *err);

/* The requests of one case (case_number not NULL) or of every case the session
 * may read, optionally only the overdue ones: the most overdue first, then by
 * due date. Free with request_list_free. */
dl_status request_list(dl_session *s, const char *case_number, int overdue_only,
                       dl_request_list *out, dl_err *err);

void request_free(dl_request *r);
void request_list_free(dl_request_list *l);

/* One request as a JSON object (ids and values of its identifiers too): the
 * shape the CLI and the reports' companions share. */
void request_json(json_w *w, const dl_request *r);

#endif
