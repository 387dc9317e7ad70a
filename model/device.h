/* device.h — seized phones, SIMs, computers, tablets and storage media: what
 * they are, whose they are, how they were seized and where they are kept. */
#ifndef DALIL_DEVICE_H
#define DALIL_DEVICE_H

#include <stddef.h>

#include "identifier.h"
#include "json.h"
#include "session.h"
#include "status.h"

/* NULL-terminated lists of the allowed values, as stored. */
extern const char *const device_type_names[];       /* phone, sim, computer, tablet, storage, other */
extern const char *const device_extraction_names[]; /* not_started, in_progress, extracted, partial,
                                                       failed, not_possible */

/* Values given for add or edit; NULL means "not given" (edit leaves the field as
 * it is, and an empty string clears an optional one). Errors name the command
 * line option: "type", "imei", "owner", "seized-at", "officer", "seal",
 * "storage", "extraction", … */
typedef struct dl_device_input {
	const char *type;              /* device_type_names, required on add */
	const char *make, *model, *serial;
	const char *const *imeis; size_t nimeis;   /* Luhn-checked; added, never removed */
	const char *phone;             /* the SIM's number, any format val_phone reads (added) */
	const char *iccid;             /* (added) */
	const char *owner;             /* person id; the person must be in the device's case */
	const char *seized_at;         /* any form val_datetime reads, stored as UTC */
	const char *seized_place;
	const char *seizing_officer;
	const char *seal_number;
	const char *condition;
	const char *storage_location;
	const char *extraction_status; /* device_extraction_names; default not_started */
	const char *notes;
} dl_device_input;

typedef struct dl_device {
	long long id;
	long long case_id;
	char *case_number;
	char *type, *make, *model, *serial;
	long long owner_id;            /* 0 when unknown */
	char *owner_name_ar, *owner_name_lat;
	char *seized_at, *seized_place, *seizing_officer, *seal_number;
	char *condition, *storage_location, *extraction_status, *notes;
	char *created_at, *updated_at;
	/* from the identifiers, oldest first */
	char **imeis; size_t nimeis;
	char *phone;                   /* the first phone number, NULL when none */
	char *iccid;                   /* the first ICCID, NULL when none */
	dl_identifier_list identifiers; /* every identifier of the device (device_get only) */
} dl_device;

typedef struct dl_device_list {
	dl_device *v;
	size_t n;
} dl_device_list;

/* Record a device in a case the session may change; its IMEIs, phone number
 * and ICCID become identifiers of the device, in the same transaction. */
dl_status device_add(dl_session *s, const char *case_number, const dl_device_input *in,
                     long long *id, dl_err *err);

/* Change a device of a case the session may change. in->owner "" removes the
 * owner; IMEIs, phone and ICCID are added to those already recorded. */
dl_status device_edit(dl_session *s, long long device_id, const dl_device_input *in,
                      dl_err *err);

/* Delete a device recorded by mistake, with its identifiers, from a case the
 * session may change. Refused (DL_EINVAL, field "device") while custody events
 * or evidence sources refer to it (the chain of custody is an append-only
 * legal record) or while a provider request names one of its identifiers. */
dl_status device_delete(dl_session *s, long long device_id, dl_err *err);

/* The device with its owner's names and identifiers, if the session may read
 * its case. */
dl_status device_get(dl_session *s, long long device_id, dl_device *out, dl_err *err);

/* The devices of a case the session may read, by id. */
dl_status device_list(dl_session *s, const char *case_number, dl_device_list *out,
                      dl_err *err);

void device_free(dl_device *d);
void device_list_free(dl_device_list *l);

/* The JSON object of a device (full: with its identifiers): the keys of
 * "dalil device list/show --json" and of the reports' companions. */
void device_json(json_w *w, const dl_device *d, int full);

#endif
