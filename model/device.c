/* device.c — see device.h. */
#include "device.h"
#include "case.h"
#include "i18n.h"
#include "json.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const device_type_names[] = {
	"phone", "sim", "computer", "tablet", "storage", "other", NULL,
};
const char *const device_extraction_names[] = {
	"not_started", "in_progress", "extracted", "partial", "failed", "not_possible", NULL,
};

/* What of a dl_device_input needed normalising, checked before the transaction
 * opens. Texts not listed here are stored as given. */
typedef struct checked {
	const char *type, *extraction;   /* canonical names, NULL when not given */
	char seized_at[21];
	long long owner;                 /* 0 when not given or removed */
	dl_ident_batch ids;
} checked;

static dl_status check_input(dl_store *st, const dl_device_input *in, int adding,
                             long long case_id, const char *case_number, checked *c,
                             dl_err *err)
{
	memset(c, 0, sizeof *c);
	dl_status rc;
	int i;
	if (adding && (!in->type || !*in->type))
		return dl_err_set(err, DL_EINVAL, "type",
		                  _("a device type is required: phone, sim, computer, tablet, storage or other"));
	if (in->type) {
		if ((rc = val_enum("type", in->type, device_type_names, &i, err)) != DL_OK)
			return rc;
		c->type = device_type_names[i];
	}
	if (in->extraction_status) {
		if ((rc = val_enum("extraction", in->extraction_status, device_extraction_names, &i, err)) != DL_OK)
			return rc;
		c->extraction = device_extraction_names[i];
	}
	if ((rc = val_text("make", in->make, 200, 0, 0, err)) != DL_OK ||
	    (rc = val_text("model", in->model, 200, 0, 0, err)) != DL_OK ||
	    (rc = val_text("serial", in->serial, 200, 0, 0, err)) != DL_OK ||
	    (rc = val_text("seized-place", in->seized_place, 300, 0, 0, err)) != DL_OK ||
	    (rc = val_text("officer", in->seizing_officer, 200, 0, 0, err)) != DL_OK ||
	    (rc = val_text("seal", in->seal_number, 100, 0, 0, err)) != DL_OK ||
	    (rc = val_text("condition", in->condition, 2000, 0, 1, err)) != DL_OK ||
	    (rc = val_text("storage", in->storage_location, 300, 0, 0, err)) != DL_OK ||
	    (rc = val_text("notes", in->notes, 20000, 0, 1, err)) != DL_OK)
		return rc;
	if (in->seized_at && *in->seized_at) {
		if ((rc = val_datetime("seized-at", in->seized_at, c->seized_at, err)) != DL_OK)
			return rc;
		char now[21];
		store_now(now);
		if (strcmp(c->seized_at, now) > 0)
			return dl_err_set(err, DL_EINVAL, "seized-at",
			                  _("expected a seizure time not after now, got %s"), c->seized_at);
	}
	if (in->owner && *in->owner) {
		if ((rc = val_id("owner", in->owner, &c->owner, err)) != DL_OK)
			return rc;
		sqlite3_stmt *q = store_prepare(st,
			"SELECT 1 FROM case_persons WHERE case_id = ? AND person_id = ?", err);
		if (!q)
			return DL_EDB;
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_int64(q, 2, c->owner);
		int linked;
		rc = store_step_one(st, q, &linked, err);
		sqlite3_finalize(q);
		if (rc != DL_OK)
			return rc;
		if (!linked)
			return dl_err_set(err, DL_EINVAL, "owner",
			                  _("person %lld is not in case %s; add them to it first with \"dalil person link\""),
			                  c->owner, case_number);
	}
	for (size_t k = 0; k < in->nimeis; k++)
		if ((rc = identifier_batch_add(st, &c->ids, "imei", in->imeis[k], err)) != DL_OK)
			return rc;
	if (in->phone && *in->phone &&
	    (rc = identifier_batch_add(st, &c->ids, "phone", in->phone, err)) != DL_OK)
		return rc;
	if (in->iccid && *in->iccid &&
	    (rc = identifier_batch_add(st, &c->ids, "iccid", in->iccid, err)) != DL_OK)
		return rc;
	return DL_OK;
}

dl_status device_add(dl_session *s, const char *case_number, const dl_device_input *in,
                     long long *id, dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	checked c;
	if ((rc = check_input(s->store, in, 1, case_id, case_number, &c, err)) != DL_OK) {
		identifier_batch_free(&c.ids);
		return rc;
	}
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK) {
		identifier_batch_free(&c.ids);
		return rc;
	}
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO devices (case_id, type, make, model, serial, owner_id, seized_at, seized_place,"
		" seizing_officer, seal_number, condition, storage_location, extraction_status, notes,"
		" created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	rc = q ? DL_OK : DL_EDB;
	long long did = 0;
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_text(q, 2, c.type, -1, SQLITE_STATIC);
		store_bind_text(q, 3, in->make);
		store_bind_text(q, 4, in->model);
		store_bind_text(q, 5, in->serial);
		store_bind_id(q, 6, c.owner);
		store_bind_text(q, 7, c.seized_at);
		store_bind_text(q, 8, in->seized_place);
		store_bind_text(q, 9, in->seizing_officer);
		store_bind_text(q, 10, in->seal_number);
		store_bind_text(q, 11, in->condition);
		store_bind_text(q, 12, in->storage_location);
		sqlite3_bind_text(q, 13, c.extraction ? c.extraction : "not_started", -1, SQLITE_STATIC);
		store_bind_text(q, 14, in->notes);
		store_bind_id(q, 15, s->user_id);
		sqlite3_bind_text(q, 16, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 17, now, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, "type");
		sqlite3_finalize(q);
		did = sqlite3_last_insert_rowid(st->db);
	}
	if (rc == DL_OK)
		rc = identifier_batch_insert(st, &c.ids, case_id, 0, did, err);
	identifier_batch_free(&c.ids);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = did;
	return rc;
}

/* The case of a device, and its number (for messages), checking the session's
 * right to read (write = 0) or change it. */
static dl_status device_case(dl_session *s, long long device_id, int write, long long *case_id,
                             char number[41], dl_err *err)
{
	if (device_id <= 0)
		return dl_err_set(err, DL_EINVAL, "id", _("expected a positive whole number"));
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT d.case_id, c.number FROM devices d JOIN cases c ON c.id = d.case_id WHERE d.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, device_id);
	*case_id = 0;
	int row;
	dl_status rc = store_step_one(s->store, q, &row, err);
	if (row) {
		const char *num = (const char *)sqlite3_column_text(q, 1);
		*case_id = sqlite3_column_int64(q, 0);
		snprintf(number, 41, "%s", num ? num : "");
		if (!num)
			rc = store_nomem(err);
	}
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	if (*case_id == 0)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no device with id %lld"), device_id);
	return write ? perm_case_write(s, *case_id, err) : perm_case_read(s, *case_id, err);
}

/* Set one column of devices when given ("" clears it). col is one of ours,
 * never the user's. */
dl_status device_edit(dl_session *s, long long device_id, const dl_device_input *in,
                      dl_err *err)
{
	long long case_id = 0;
	char number[41];
	dl_status rc = device_case(s, device_id, 1, &case_id, number, err);
	if (rc != DL_OK)
		return rc;
	checked c;
	if ((rc = check_input(s->store, in, 0, case_id, number, &c, err)) != DL_OK) {
		identifier_batch_free(&c.ids);
		return rc;
	}
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK) {
		identifier_batch_free(&c.ids);
		return rc;
	}
	int changes_before = sqlite3_total_changes(st->db);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "type", in->type, c.type, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "make", in->make, in->make, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "model", in->model, in->model, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "serial", in->serial, in->serial, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "seized_at", in->seized_at, c.seized_at, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "seized_place", in->seized_place, in->seized_place, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "seizing_officer", in->seizing_officer, in->seizing_officer, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "seal_number", in->seal_number, in->seal_number, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "condition", in->condition, in->condition, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "storage_location", in->storage_location, in->storage_location, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "extraction_status", in->extraction_status, c.extraction, err);
	if (rc == DL_OK) rc = store_set_column(st, "devices", device_id, "notes", in->notes, in->notes, err);
	if (rc == DL_OK && in->owner) {
		sqlite3_stmt *q = store_prepare(st, "UPDATE devices SET owner_id = ? WHERE id = ?", err);
		rc = q ? DL_OK : DL_EDB;
		if (q) {
			store_bind_id(q, 1, c.owner);
			sqlite3_bind_int64(q, 2, device_id);
			rc = store_step_done(st, q, err, "owner");
			sqlite3_finalize(q);
		}
	}
	if (rc == DL_OK)
		rc = identifier_batch_insert(st, &c.ids, case_id, 0, device_id, err);
	if (rc == DL_OK && sqlite3_total_changes(st->db) != changes_before) {
		char now[21];
		store_now(now);
		rc = store_set_column(st, "devices", device_id, "updated_at", now, now, err);
	}
	identifier_batch_free(&c.ids);
	return store_end(st, rc, err);
}

/* The single count a query on id gives, or -1 when SQLite fails (err set). */
static long long count_of(dl_store *st, const char *sql, long long id, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int row;
	long long n = store_step_one(st, q, &row, err) == DL_OK && row ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return n;
}

dl_status device_delete(dl_session *s, long long device_id, dl_err *err)
{
	long long case_id;
	char number[41];
	dl_status rc = device_case(s, device_id, 1, &case_id, number, err);
	if (rc != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	/* What refers to the device is counted inside the transaction, so that an
	 * ingest or a custody event cannot slip in between. */
	long long custody = count_of(st,
		"SELECT count(*) FROM custody_events WHERE subject_kind = 'device' AND subject_id = ?", device_id, err);
	long long sources = custody < 0 ? -1 : count_of(st,
		"SELECT count(*) FROM evidence_sources WHERE device_id = ?", device_id, err);
	long long requests = sources < 0 ? -1 : count_of(st,
		"SELECT count(DISTINCT ri.request_id) FROM request_identifiers ri"
		" JOIN identifiers i ON i.id = ri.identifier_id WHERE i.device_id = ?", device_id, err);
	if (custody < 0 || sources < 0 || requests < 0)
		rc = DL_EDB;
	else if (custody > 0)
		rc = dl_err_set(err, DL_EINVAL, "device",
		                P_("cannot delete device %lld: custody is an append-only legal record (%lld event)",
		                   "cannot delete device %lld: custody is an append-only legal record (%lld events)",
		                   custody), device_id, custody);
	else if (sources > 0)
		rc = dl_err_set(err, DL_EINVAL, "device",
		                P_("cannot delete device %lld: evidence was ingested from it (%lld source)",
		                   "cannot delete device %lld: evidence was ingested from it (%lld sources)",
		                   sources), device_id, sources);
	else if (requests > 0)
		rc = dl_err_set(err, DL_EINVAL, "device",
		                P_("cannot delete device %lld: %lld provider request names its identifiers",
		                   "cannot delete device %lld: %lld provider requests name its identifiers",
		                   requests), device_id, requests);
	/* the identifiers go first and by name, not by the schema's cascade, so the
	 * order of the audit entries reads as what happened */
	static const char *const deletes[] = {
		"DELETE FROM identifiers WHERE device_id = ?",
		"DELETE FROM devices WHERE id = ?",
	};
	for (size_t i = 0; rc == DL_OK && i < sizeof deletes / sizeof *deletes; i++) {
		sqlite3_stmt *q = store_prepare(st, deletes[i], err);
		rc = q ? DL_OK : DL_EDB;
		if (q) {
			sqlite3_bind_int64(q, 1, device_id);
			rc = store_step_done(st, q, err, "device");
			sqlite3_finalize(q);
		}
	}
	return store_end(st, rc, err);
}

#define DEVICE_SELECT \
	"SELECT d.id, d.case_id, c.number, d.type, d.make, d.model, d.serial, d.owner_id," \
	" p.name_ar, p.name_lat, d.seized_at, d.seized_place, d.seizing_officer, d.seal_number," \
	" d.condition, d.storage_location, d.extraction_status, d.notes, d.created_at, d.updated_at" \
	" FROM devices d JOIN cases c ON c.id = d.case_id LEFT JOIN persons p ON p.id = d.owner_id"

static void device_from_row(sqlite3_stmt *q, dl_device *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(q, 0);
	d->case_id = sqlite3_column_int64(q, 1);
	d->case_number = store_col_dup(q, 2);
	d->type = store_col_dup(q, 3);
	d->make = store_col_dup(q, 4);
	d->model = store_col_dup(q, 5);
	d->serial = store_col_dup(q, 6);
	d->owner_id = sqlite3_column_int64(q, 7);
	d->owner_name_ar = store_col_dup(q, 8);
	d->owner_name_lat = store_col_dup(q, 9);
	d->seized_at = store_col_dup(q, 10);
	d->seized_place = store_col_dup(q, 11);
	d->seizing_officer = store_col_dup(q, 12);
	d->seal_number = store_col_dup(q, 13);
	d->condition = store_col_dup(q, 14);
	d->storage_location = store_col_dup(q, 15);
	d->extraction_status = store_col_dup(q, 16);
	d->notes = store_col_dup(q, 17);
	d->created_at = store_col_dup(q, 18);
	d->updated_at = store_col_dup(q, 19);
}

/* IMEIs, first phone and first ICCID from the device's identifiers; keep leaves
 * the whole list in d->identifiers. */
static dl_status load_identifiers(dl_store *st, dl_device *d, int keep, dl_err *err)
{
	dl_identifier_list l;
	dl_status rc = identifier_load(st, 0, d->id, &l, err);
	if (rc != DL_OK)
		return rc;
	int lost = 0;   /* a copy that could not be made: the device would read short */
	for (size_t i = 0; i < l.n && !lost; i++) {
		const char *k = l.v[i].kind, *v = l.v[i].value;
		if (!strcmp(k, "imei")) {
			char **imeis = realloc(d->imeis, (d->nimeis + 1) * sizeof *imeis);
			if (imeis)
				d->imeis = imeis;
			if (!imeis || !(d->imeis[d->nimeis] = strdup(v)))
				lost = 1;
			else
				d->nimeis++;
		} else if (!strcmp(k, "phone") && !d->phone) {
			lost = !(d->phone = strdup(v));
		} else if (!strcmp(k, "iccid") && !d->iccid) {
			lost = !(d->iccid = strdup(v));
		}
	}
	if (keep && !lost)
		d->identifiers = l;
	else
		identifier_list_free(&l);
	return lost ? store_nomem(err) : DL_OK;
}

dl_status device_get(dl_session *s, long long device_id, dl_device *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	char number[41];
	dl_status rc = device_case(s, device_id, 0, &case_id, number, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, DEVICE_SELECT " WHERE d.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, device_id);
	unsigned long mark = store_oom_mark();
	int row;
	rc = store_step_one(s->store, q, &row, err);
	if (rc == DL_OK && row)
		device_from_row(q, out);
	else if (rc == DL_OK)
		rc = dl_err_set(err, DL_ENOTFOUND, "id", _("no device with id %lld"), device_id);
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc == DL_OK)
		rc = load_identifiers(s->store, out, 1, err);
	if (rc != DL_OK)
		device_free(out);
	return rc;
}

dl_status device_list(dl_session *s, const char *case_number, dl_device_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, DEVICE_SELECT " WHERE d.case_id = ? ORDER BY d.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	size_t cap = 0;
	unsigned long mark = store_oom_mark();
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_device *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		device_from_row(q, &out->v[out->n++]);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	sqlite3_finalize(q);
	for (size_t i = 0; i < out->n && rc == DL_OK; i++)
		rc = load_identifiers(s->store, &out->v[i], 0, err);
	if (rc != DL_OK)
		device_list_free(out);
	return rc;
}

void device_free(dl_device *d)
{
	free(d->case_number); free(d->type); free(d->make); free(d->model); free(d->serial);
	free(d->owner_name_ar); free(d->owner_name_lat);
	free(d->seized_at); free(d->seized_place); free(d->seizing_officer); free(d->seal_number);
	free(d->condition); free(d->storage_location); free(d->extraction_status); free(d->notes);
	free(d->created_at); free(d->updated_at);
	for (size_t i = 0; i < d->nimeis; i++)
		free(d->imeis[i]);
	free(d->imeis);
	free(d->phone);
	free(d->iccid);
	identifier_list_free(&d->identifiers);
	memset(d, 0, sizeof *d);
}

void device_list_free(dl_device_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		device_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void device_json(json_w *w, const dl_device *d, int full)
{
	json_begin_object(w);
	json_kint(w, "id", d->id);
	json_kstr(w, "case", d->case_number);
	json_kstr(w, "type", d->type);
	json_kstr(w, "make", d->make);
	json_kstr(w, "model", d->model);
	json_kstr(w, "serial", d->serial);
	json_key(w, "imeis");
	json_begin_array(w);
	for (size_t i = 0; i < d->nimeis; i++)
		json_str(w, d->imeis[i]);
	json_end_array(w);
	json_kstr(w, "phone", d->phone);
	json_kstr(w, "iccid", d->iccid);
	json_kid(w, "owner_id", d->owner_id);
	json_kstr(w, "owner_name_ar", d->owner_name_ar);
	json_kstr(w, "owner_name_lat", d->owner_name_lat);
	json_kstr(w, "seized_at", d->seized_at);
	json_kstr(w, "seized_place", d->seized_place);
	json_kstr(w, "seizing_officer", d->seizing_officer);
	json_kstr(w, "seal_number", d->seal_number);
	json_kstr(w, "condition", d->condition);
	json_kstr(w, "storage_location", d->storage_location);
	json_kstr(w, "extraction_status", d->extraction_status);
	json_kstr(w, "notes", d->notes);
	if (full) {
		json_key(w, "identifiers");
		identifier_list_json(w, &d->identifiers);
	}
	json_kstr(w, "created_at", d->created_at);
	json_kstr(w, "updated_at", d->updated_at);
	json_end_object(w);
}
