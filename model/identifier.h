/* identifier.h — phone numbers, e-mails, handles, URLs, IMEI/IMSI/ICCID, wallets
 * and bank accounts, kept normalised so that the same value links cases. */
#ifndef DALIL_IDENTIFIER_H
#define DALIL_IDENTIFIER_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"
#include "store.h"

/* phone, email, social, url, imei, imsi, iccid, btc, eth, tron, iban, NULL —
 * the kinds the schema allows. */
extern const char *const identifier_kind_names[];

/* Room for any normalised value (the longest are URLs). */
#define DL_IDENT_MAX 2048

/* One identifier as stored. Strings are owned by the record. */
typedef struct dl_identifier {
	long long id;
	char *kind;
	char *value;
	long long case_id;        /* the case it was recorded in, 0 when none */
	long long person_id;      /* its subject: one of these three, 0 for the others */
	long long device_id;
	long long item_id;
	char *subject;            /* person's Arabic name or "type make model" of a device
	                             (identifier_list only), else NULL */
	char *created_at;
} dl_identifier;

typedef struct dl_identifier_list {
	dl_identifier *v;
	size_t n;
} dl_identifier_list;

/* Check value as an identifier of kind and write its normal form to out:
 * phone E.164 (national numbers read with the unit's phone_country), email with
 * the domain lower-cased, social "platform:handle" (typed the same way), url
 * with the scheme lower-cased, imei/imsi/iccid digits only, btc/eth/tron/iban
 * checksummed. The error names the kind as its field ("phone", "imei"); an
 * unknown kind is field "kind". */
dl_status identifier_normalize(dl_store *st, const char *kind, const char *value,
                               char *out, size_t outsz, dl_err *err);

/* Record an identifier for a person or a device of a case the session may
 * change. Exactly one of person_id and device_id is > 0, and that subject must
 * be in the case (field "person" / "device"). value is checked as kind (field
 * "value"). A value the subject already has is not recorded twice: *id gets the
 * existing one. */
dl_status identifier_add(dl_session *s, const char *case_number, const char *kind,
                         const char *value, long long person_id, long long device_id,
                         long long *id, dl_err *err);

/* Every identifier recorded in a case the session may read: those recorded on
 * it and those of its persons and devices, by kind and value. Those found in
 * its evidence items (by the thousand in a phone's chats) are not among them:
 * they show through links_case, search and the graph. */
dl_status identifier_list(dl_session *s, const char *case_number, dl_identifier_list *out,
                          dl_err *err);

void identifier_list_free(dl_identifier_list *l);

/* The list as a JSON array of {"id", "kind", "value"}: the shape every show
 * command and export uses for a subject's identifiers. */
void identifier_list_json(json_w *w, const dl_identifier_list *l);

/* ---- for model/ modules only: no permission checks ----------------------- */

/* Insert one normalised identifier inside the caller's open transaction,
 * unless the subject (person_id or device_id, whichever is > 0) already has
 * the same kind and value. kind must be one of identifier_kind_names. */
dl_status identifier_insert(dl_store *st, const char *kind, const char *normalized,
                            long long case_id, long long person_id, long long device_id,
                            dl_err *err);

/* An identifier found in evidence item item_id at byte offset (< 0: none),
 * inserted as it is inside the caller's open transaction: the caller knows
 * the item does not have it yet (a new item, or a diff against
 * identifier_item_load). kind must be one of identifier_kind_names. */
dl_status identifier_insert_item(dl_store *st, const char *kind, const char *normalized,
                                 long long case_id, long long item_id, long long offset,
                                 dl_err *err);

/* 1 when item item_id already has kind and value (a resumed ingest). */
int identifier_item_has(dl_store *st, long long case_id, long long item_id, const char *kind,
                        const char *normalized);

/* The identifiers found in the evidence items of a case, by item id, kind
 * and value (strcmp order). */
typedef struct dl_item_ident {
	long long id, item_id, offset;     /* offset -1: none */
	char *kind, *value;
} dl_item_ident;
typedef struct dl_item_ident_list {
	dl_item_ident *v;
	size_t n;
} dl_item_ident_list;
dl_status identifier_item_load(dl_store *st, long long case_id, dl_item_ident_list *out,
                               dl_err *err);
void identifier_item_list_free(dl_item_ident_list *l);
/* Inside the caller's transaction: remove one item identifier, or set its offset. */
dl_status identifier_item_delete(dl_store *st, long long id, dl_err *err);
dl_status identifier_item_set_offset(dl_store *st, long long id, long long offset, dl_err *err);

/* The identifiers of a person (person_id > 0) or a device, by kind and id. */
dl_status identifier_load(dl_store *st, long long person_id, long long device_id,
                          dl_identifier_list *out, dl_err *err);

/* Values checked before a transaction opens and inserted inside it, so that a
 * bad one is reported before anything is written. */
typedef struct dl_ident_batch {
	struct { const char *kind; char *value; } *v;   /* kind points into identifier_kind_names */
	size_t n, cap;
} dl_ident_batch;

/* Normalise value as kind (see identifier_normalize) and queue it. */
dl_status identifier_batch_add(dl_store *st, dl_ident_batch *b, const char *kind,
                               const char *value, dl_err *err);
/* identifier_insert every queued value for one subject. */
dl_status identifier_batch_insert(dl_store *st, const dl_ident_batch *b, long long case_id,
                                  long long person_id, long long device_id, dl_err *err);
void identifier_batch_free(dl_ident_batch *b);

#endif
