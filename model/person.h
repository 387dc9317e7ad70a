/* person.h — suspects, victims, witnesses and informants: names, aliases,
 * identity documents, identifiers and their roles in one or more cases. */
#ifndef DALIL_PERSON_H
#define DALIL_PERSON_H

#include <stddef.h>

#include "identifier.h"
#include "session.h"
#include "status.h"

/* NULL-terminated lists of the allowed values, as stored. */
extern const char *const person_sex_names[];        /* male, female, unknown */
extern const char *const person_status_names[];     /* unknown, at_large, arrested, detained, released */
extern const char *const person_role_names[];       /* suspect, victim, witness, informant */
extern const char *const person_network_role_names[]; /* recruiter, transporter, financier, organiser,
                                                         facilitator, guide, forger, money_courier, other */
extern const char *const person_document_kinds[];   /* passport, national_id, residence_permit,
                                                       driving_licence, other */

/* Values given for add or edit; NULL means "not given" (edit leaves the field as
 * it is, and an empty string clears an optional one). Errors name the command
 * line option: "name-ar", "born", "network-role", "document", … */
typedef struct dl_person_input {
	const char *name_ar;        /* required on add; any UTF-8, Arabic script expected */
	const char *name_lat;
	const char *sex;            /* person_sex_names */
	const char *birth_date;     /* YYYY-MM-DD, not in the future */
	const char *nationality;    /* ISO 3166 alpha-2, upper-cased */
	const char *status;         /* person_status_names; default unknown */
	const char *role;           /* person_role_names, required (add only) */
	const char *network_role;   /* person_network_role_names; on edit it is set in every
	                               case of the person the session may change */
	const char *notes;
	/* Added to what the person has (edit never removes). */
	const char *const *aliases;   size_t naliases;
	const char *const *phones;    size_t nphones;    /* any format val_phone reads */
	const char *const *emails;    size_t nemails;
	const char *const *documents; size_t ndocuments; /* "kind:number[:country]" */
} dl_person_input;

typedef struct dl_person_document {
	long long id;
	char *kind, *number, *country, *expires;
} dl_person_document;

/* A role of the person in one case. */
typedef struct dl_person_case {
	long long case_id;
	char *number;
	char *role, *network_role;
} dl_person_case;

typedef struct dl_person {
	long long id;
	char *name_ar, *name_lat, *sex, *birth_date, *nationality, *status, *notes;
	char *created_at, *updated_at;
	/* person_list only: the role in the listed case, and how many documents
	 * and identifiers the person has (in every case) */
	char *role, *network_role;
	long long document_count, identifier_count;
	/* person_get only */
	char **aliases; size_t naliases;
	dl_person_document *documents; size_t ndocuments;
	dl_identifier_list identifiers;
	dl_person_case *cases; size_t ncases;   /* only cases the session may read */
} dl_person;

typedef struct dl_person_list {
	dl_person *v;
	size_t n;
} dl_person_list;

/* Record a new person in a case the session may change, with aliases,
 * documents and identifiers (recorded in that case), in one transaction. */
dl_status person_add(dl_session *s, const char *case_number, const dl_person_input *in,
                     long long *id, dl_err *err);

/* Put an existing person into another case: needs the right to change that case
 * and to read one case the person is already in. The same role twice in one
 * case is DL_EEXIST; a second role (victim and witness) is fine. */
dl_status person_link(dl_session *s, long long person_id, const char *case_number,
                      const char *role, const char *network_role, dl_err *err);

/* Take a person out of one case: every role they have in it goes (the
 * person, their details and their roles in other cases stay). Needs the right
 * to change the case. DL_ENOTFOUND (field "id") when the person has no role in
 * it; DL_EINVAL (field "person") while a device of the case names them as its
 * owner, since a device's owner must be in its case. */
dl_status person_unlink(dl_session *s, long long person_id, const char *case_number,
                        dl_err *err);

/* Change fields and add aliases, documents and identifiers. Needs the right to
 * change at least one case the person is in; new identifiers are recorded in the
 * first such case. in->role is refused: roles are per case (person_link). */
dl_status person_edit(dl_session *s, long long person_id, const dl_person_input *in,
                      dl_err *err);

/* The person with aliases, documents, identifiers and roles in the cases the
 * session may read; DL_EPERM when that is none. */
dl_status person_get(dl_session *s, long long person_id, dl_person *out, dl_err *err);

/* The persons of one case, one entry per role they have in it, by id. */
dl_status person_list(dl_session *s, const char *case_number, dl_person_list *out,
                      dl_err *err);

void person_free(dl_person *p);
void person_list_free(dl_person_list *l);

#endif
