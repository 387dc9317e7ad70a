/* links.h — cross-case hits: the identifiers of a case (phone numbers, IMEIs,
 * wallets… of its persons, devices and evidence items) that also appear in
 * another case. Need-to-know: of a case the session may not read, a hit says
 * only that it exists, the case's number and whom to ask (its lead
 * investigator) — never its title or whose identifier it is there. */
#ifndef DALIL_LINKS_H
#define DALIL_LINKS_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"

/* Whose identifier it is, on one side of a hit. */
typedef enum dl_link_subject_kind {
	DL_LINK_NONE,              /* recorded for the case itself, or not shown (restricted) */
	DL_LINK_PERSON,
	DL_LINK_DEVICE,
	DL_LINK_ITEM,              /* found in an evidence item */
} dl_link_subject_kind;

/* "", "person", "device", "item" — index = dl_link_subject_kind. */
extern const char *const links_subject_kind_names[];

typedef struct dl_link_subject {
	dl_link_subject_kind kind;
	long long id;              /* the person's, device's or item's id; 0 for none */
	char *name;                /* person: Arabic name; device: make and model, else its
	                              serial (may be NULL); item: its path */
	char *name_lat;            /* person: Latin name, else NULL */
	char *device_type;         /* device: a device_type_names value, else NULL */
	long long items;           /* item: how many items of that case have the value
	                              (id and name are the first one's), else 0 */
} dl_link_subject;

/* One hit: an identifier of this case (here) that another case has too.
 * Strings are owned by the record. */
typedef struct dl_link {
	char *kind;                /* identifier_kind_names */
	char *value;               /* normalised: the same in both cases */
	dl_link_subject here;      /* whose it is in this case */
	char *other_case;          /* the other case's number */
	int restricted;            /* the session may not read the other case */
	/* only when not restricted (else NULL / DL_LINK_NONE): */
	char *other_title_ar, *other_title_en;
	dl_link_subject there;     /* whose it is in the other case */
	/* always, so that a restricted hit says whom to ask (NULL: no lead) */
	char *other_lead;          /* username */
	char *other_lead_name_ar, *other_lead_name_en;
} dl_link;

typedef struct dl_link_list {
	dl_link *v;
	size_t n;
	int more;                  /* there were more hits than the limit asked for */
} dl_link_list;

/* Every hit of a case the session may read: those of its persons and devices
 * first, then those of its items, each by kind, value, other case number,
 * then subject here and there. One identifier in several other cases
 * gives one hit per other case (and, where the other case is readable, per
 * subject there); a restricted other case gives one hit per subject here,
 * however many of its subjects share the value. An identifier belongs to the
 * case it was recorded in (or found in), and to every case of its person or
 * its device. The items of one case that have a value
 * are one subject (the first of them, and how many). With limit > 0 at most
 * limit hits are kept (out->more says there were more): two cases holding
 * the same phone dump share every number in it. */
dl_status links_case(dl_session *s, const char *case_number, size_t limit, dl_link_list *out,
                     dl_err *err);

void links_list_free(dl_link_list *l);

/* The hits as a JSON array of objects with the keys kind, value, subject,
 * subject_kind, subject_id, subject_lat, subject_items, other_case, restricted, other_title
 * (Arabic), other_title_en, other_subject, other_subject_kind,
 * other_subject_id, other_subject_lat, other_subject_items, other_lead, other_lead_name_ar,
 * other_lead_name_en. "subject" is the person's Arabic name, "TYPE make
 * model" of a device, or the item's path; the other_* of a restricted hit are
 * null but for other_case and other_lead*. */
void links_json(json_w *w, const dl_link_list *l);

#endif
