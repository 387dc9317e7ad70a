/* custody.c — see custody.h. */
#include "custody.h"
#include "case.h"
#include "i18n.h"
#include "json.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const custody_subject_names[] = {"device", "source", "item", NULL};
const char *const custody_event_names[] = {
	"seized", "sealed", "transferred", "received", "extracted", "ingested",
	"examined", "reported", "returned", "destroyed", NULL,
};

static int name_index(const char *const names[], const char *v)
{
	for (int i = 0; v && names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return 0;
}

dl_status custody_subject_parse(const char *field, const char *text, dl_custody_subject *kind,
                                long long *id, dl_err *err)
{
	const char *colon = text ? strchr(text, ':') : NULL;
	if (!colon || colon == text)
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected KIND:ID with KIND device, source or item, e.g. device:12"));
	char name[16];
	size_t len = (size_t)(colon - text);
	if (len >= sizeof name)
		len = sizeof name - 1;   /* too long for any kind: val_enum refuses it */
	memcpy(name, text, len);
	name[len] = '\0';
	int k;
	dl_status rc = val_enum(field, name, custody_subject_names, &k, err);
	if (rc != DL_OK)
		return rc;
	if ((rc = val_id(field, colon + 1, id, err)) != DL_OK)
		return rc;
	*kind = (dl_custody_subject)k;
	return DL_OK;
}

/* The subject must exist and belong to the case: custody of a device of another
 * case recorded here would end up in the wrong court report. */
static dl_status subject_check(dl_store *st, long long case_id, dl_custody_subject kind,
                               long long subject_id, dl_err *err)
{
	static const char *const sql[] = {
		"SELECT case_id FROM devices WHERE id = ?",
		"SELECT case_id FROM evidence_sources WHERE id = ?",
		("SELECT s.case_id FROM evidence_items i JOIN evidence_sources s ON s.id = i.source_id"
		 " WHERE i.id = ?"),   /* one literal split over two lines (clang asks for the parentheses) */
	};
	sqlite3_stmt *q = store_prepare(st, sql[kind], err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, subject_id);
	long long owner = 0;
	int found;
	dl_status rc = store_step_one(st, q, &found, err);
	if (found)
		owner = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	if (!found)
		/* TRANSLATORS: %s is device, source or item, %lld its id. */
		return dl_err_set(err, DL_EINVAL, "subject", _("no %s with id %lld"),
		                  custody_subject_names[kind], subject_id);
	if (owner != case_id)
		return dl_err_set(err, DL_EINVAL, "subject", _("%s %lld belongs to another case"),
		                  custody_subject_names[kind], subject_id);
	return DL_OK;
}

/* Two parties are the same when they differ only in surrounding white space:
 * "النقيب سالم " typed with a trailing space is still the same officer. */
static int same_party(const char *a, const char *b)
{
	while (*a == ' ' || *a == '\t') a++;
	while (*b == ' ' || *b == '\t') b++;
	size_t la = strlen(a), lb = strlen(b);
	while (la && (a[la - 1] == ' ' || a[la - 1] == '\t')) la--;
	while (lb && (b[lb - 1] == ' ' || b[lb - 1] == '\t')) lb--;
	return la == lb && !memcmp(a, b, la);
}

static int given(const char *v)
{
	return v && *v;
}

static dl_status check_input(const dl_custody_input *in, dl_custody_subject *kind, int *event,
                             char at[21], dl_err *err)
{
	dl_status rc;
	int k;
	if (!given(in->subject_kind))
		return dl_err_set(err, DL_EINVAL, "subject",
		                  _("a subject is required: device:ID, source:ID or item:ID"));
	if ((rc = val_enum("subject", in->subject_kind, custody_subject_names, &k, err)) != DL_OK)
		return rc;
	*kind = (dl_custody_subject)k;
	if (in->subject_id <= 0)
		return dl_err_set(err, DL_EINVAL, "subject", _("expected a positive id, got %lld"),
		                  in->subject_id);
	if (!given(in->event))
		return dl_err_set(err, DL_EINVAL, "event",
		                  _("an event is required: seized, sealed, transferred, received, extracted, "
		                    "ingested, examined, reported, returned or destroyed"));
	if ((rc = val_enum("event", in->event, custody_event_names, event, err)) != DL_OK)
		return rc;
	int transfer = *event == DL_CUSTODY_TRANSFERRED;
	if (transfer && !given(in->from))
		return dl_err_set(err, DL_EINVAL, "from", _("a transfer needs the party handing over"));
	if (transfer && !given(in->to))
		return dl_err_set(err, DL_EINVAL, "to", _("a transfer needs the party taking over"));
	if ((rc = val_text("from", in->from, 200, transfer, 0, err)) != DL_OK ||
	    (rc = val_text("to", in->to, 200, transfer, 0, err)) != DL_OK ||
	    (rc = val_text("place", in->place, 300, 0, 0, err)) != DL_OK ||
	    (rc = val_text("seal", in->seal, 100, 0, 0, err)) != DL_OK)
		return rc;
	if (transfer && !given(in->reason))
		return dl_err_set(err, DL_EINVAL, "reason", _("a transfer needs a reason"));
	if ((rc = val_text("reason", in->reason, 2000, transfer, 1, err)) != DL_OK)
		return rc;
	if (transfer && same_party(in->from, in->to))
		return dl_err_set(err, DL_EINVAL, "to", _("a transfer needs two different parties"));
	char now[21];
	store_now(now);
	if (given(in->at)) {
		if ((rc = val_datetime("at", in->at, at, err)) != DL_OK)
			return rc;
		if (strcmp(at, now) > 0)
			return dl_err_set(err, DL_EINVAL, "at", _("%s is in the future; custody records what happened"),
			                  at);
	} else {
		memcpy(at, now, 21);
	}
	return DL_OK;
}

/* The chain rules, checked inside the write transaction so that no other
 * dalil can append to the same chain between the check and the insert.
 * *from_default gets the holder when a "returned" names no from. */
static dl_status check_chain(dl_store *st, dl_custody_subject kind, long long subject_id,
                             int event, const char *at, const char *from,
                             char **from_default, dl_err *err)
{
	*from_default = NULL;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT event, at FROM custody_events WHERE subject_kind = ? AND subject_id = ?"
		" ORDER BY at DESC, id DESC LIMIT 1", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, custody_subject_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, subject_id);
	char last_event[16] = "", last_at[24] = "";
	int row;
	dl_status rc = store_step_one(st, q, &row, err);
	if (row) {
		const char *e = (const char *)sqlite3_column_text(q, 0);
		const char *a = (const char *)sqlite3_column_text(q, 1);
		if (!e || !a)
			rc = store_nomem(err);
		else {
			snprintf(last_event, sizeof last_event, "%s", e);
			snprintf(last_at, sizeof last_at, "%s", a);
		}
	}
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	if (!strcmp(last_event, "destroyed"))
		return dl_err_set(err, DL_EINVAL, "event", _("%s %lld was destroyed on %s; nothing can follow"),
		                  custody_subject_names[kind], subject_id, last_at);
	if (last_at[0] && strcmp(at, last_at) < 0)
		return dl_err_set(err, DL_EINVAL, "at",
		                  _("%s is before the latest custody event of this %s (%s); record events in order"),
		                  at, custody_subject_names[kind], last_at);
	if (event != DL_CUSTODY_TRANSFERRED && event != DL_CUSTODY_RETURNED)
		return DL_OK;
	q = store_prepare(st,
		"SELECT to_party FROM custody_events WHERE subject_kind = ? AND subject_id = ?"
		" AND to_party IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, custody_subject_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, subject_id);
	rc = store_step_one(st, q, &row, err);
	char *holder = row ? store_col_dup(q, 0) : NULL;
	sqlite3_finalize(q);
	if (rc == DL_OK && row && !holder)
		rc = store_nomem(err);
	if (rc != DL_OK)
		return rc;
	if (holder && !given(from))
		*from_default = holder;   /* only "returned" gets here: transfers require from */
	else if (holder && !same_party(from, holder))
		rc = dl_err_set(err, DL_EINVAL, "from", _("%s %lld is held by \"%s\", not \"%s\""),
		                custody_subject_names[kind], subject_id, holder, from);
	if (*from_default != holder)
		free(holder);
	return rc;
}

dl_status custody_add(dl_session *s, const char *case_number, const dl_custody_input *in,
                      long long *id, dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	dl_custody_subject kind = DL_CUSTODY_DEVICE;
	int event = 0;
	char at[21];
	if ((rc = check_input(in, &kind, &event, at, err)) != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	char *from_default = NULL;
	rc = subject_check(st, case_id, kind, in->subject_id, err);
	if (rc == DL_OK)
		rc = check_chain(st, kind, in->subject_id, event, at, in->from, &from_default, err);
	sqlite3_stmt *q = NULL;
	if (rc == DL_OK) {
		q = store_prepare(st,
			"INSERT INTO custody_events (case_id, subject_kind, subject_id, event, from_party,"
			" to_party, at, place, seal_number, reason, recorded_by, recorded_at)"
			" VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", err);
		if (!q)
			rc = DL_EDB;
	}
	if (q) {
		char now[21];
		store_now(now);
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_text(q, 2, custody_subject_names[kind], -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, in->subject_id);
		sqlite3_bind_text(q, 4, custody_event_names[event], -1, SQLITE_STATIC);
		store_bind_text(q, 5, from_default ? from_default : in->from);
		store_bind_text(q, 6, in->to);
		sqlite3_bind_text(q, 7, at, -1, SQLITE_STATIC);
		store_bind_text(q, 8, in->place);
		store_bind_text(q, 9, in->seal);
		store_bind_text(q, 10, in->reason);
		store_bind_id(q, 11, s->user_id);
		sqlite3_bind_text(q, 12, now, -1, SQLITE_TRANSIENT);
		rc = store_step_done(st, q, err, "event");
		sqlite3_finalize(q);
	}
	free(from_default);
	long long new_id = sqlite3_last_insert_rowid(st->db);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = new_id;
	return rc;
}

#define CUSTODY_COLS \
	"e.id, e.case_id, c.number, e.subject_kind, e.subject_id, e.event, e.from_party," \
	" e.to_party, e.at, e.place, e.seal_number, e.reason, u.username, e.recorded_at" \
	" FROM custody_events e JOIN cases c ON c.id = e.case_id" \
	" LEFT JOIN users u ON u.id = e.recorded_by"

static void event_from_row(sqlite3_stmt *q, dl_custody_event *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(q, 0);
	e->case_id = sqlite3_column_int64(q, 1);
	e->case_number = store_col_dup(q, 2);
	e->subject_kind = (dl_custody_subject)name_index(custody_subject_names,
	                                                 (const char *)sqlite3_column_text(q, 3));
	e->subject_id = sqlite3_column_int64(q, 4);
	e->event = (dl_custody_event_kind)name_index(custody_event_names,
	                                             (const char *)sqlite3_column_text(q, 5));
	e->from = store_col_dup(q, 6);
	e->to = store_col_dup(q, 7);
	e->at = store_col_dup(q, 8);
	e->place = store_col_dup(q, 9);
	e->seal_number = store_col_dup(q, 10);
	e->reason = store_col_dup(q, 11);
	e->recorded_by = store_col_dup(q, 12);
	e->recorded_at = store_col_dup(q, 13);
}

dl_status custody_get(dl_session *s, long long id, dl_custody_event *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " CUSTODY_COLS " WHERE e.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	unsigned long mark = store_oom_mark();
	int found;
	dl_status rc = store_step_one(s->store, q, &found, err);
	if (found)
		event_from_row(q, out);
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK) {
		custody_event_free(out);
		return rc;
	}
	if (!found)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no custody event with id %lld"), id);
	rc = perm_case_read(s, out->case_id, err);
	if (rc != DL_OK)
		custody_event_free(out);
	return rc;
}

dl_status custody_list(dl_session *s, const char *case_number, const char *subject_kind,
                       long long subject_id, dl_custody_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	int k = -1;
	if (subject_kind) {
		if ((rc = val_enum("subject", subject_kind, custody_subject_names, &k, err)) != DL_OK)
			return rc;
		if (subject_id <= 0)
			return dl_err_set(err, DL_EINVAL, "subject", _("expected a positive id, got %lld"), subject_id);
		if ((rc = subject_check(s->store, case_id, (dl_custody_subject)k, subject_id, err)) != DL_OK)
			return rc;
	}
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " CUSTODY_COLS " WHERE e.case_id = @case"
		" AND (@kind IS NULL OR (e.subject_kind = @kind AND e.subject_id = @sid))"
		" ORDER BY e.at, e.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@case"), case_id);
	if (k >= 0) {
		sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@kind"), custody_subject_names[k],
		                  -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@sid"), subject_id);
	}
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_custody_event *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		event_from_row(q, &out->v[out->n++]);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	sqlite3_finalize(q);
	if (rc != DL_OK)
		custody_list_free(out);
	return rc;
}

void custody_event_free(dl_custody_event *e)
{
	free(e->case_number);
	free(e->from); free(e->to); free(e->at);
	free(e->place); free(e->seal_number); free(e->reason);
	free(e->recorded_by); free(e->recorded_at);
	memset(e, 0, sizeof *e);
}

void custody_list_free(dl_custody_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		custody_event_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void custody_event_json(json_w *w, const dl_custody_event *e)
{
	json_begin_object(w);
	json_kint(w, "id", e->id);
	json_kstr(w, "case", e->case_number);
	json_kstr(w, "subject_kind", custody_subject_names[e->subject_kind]);
	json_kint(w, "subject_id", e->subject_id);
	json_kstr(w, "event", custody_event_names[e->event]);
	json_kstr(w, "from", e->from);
	json_kstr(w, "to", e->to);
	json_kstr(w, "at", e->at);
	json_kstr(w, "place", e->place);
	json_kstr(w, "seal_number", e->seal_number);
	json_kstr(w, "reason", e->reason);
	json_kstr(w, "recorded_by", e->recorded_by);
	json_kstr(w, "recorded_at", e->recorded_at);
	json_end_object(w);
}
