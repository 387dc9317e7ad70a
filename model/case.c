/* case.c — see case.h. */
#include "case.h"
#include "i18n.h"
#include "settings.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const case_status_names[] = {
	"open", "investigating", "referred", "in_court", "closed", "suspended", NULL,
};
const char *const case_offence_names[] = {
	"trafficking", "smuggling", "cybercrime", "terrorism-financing", "other", NULL,
};

const char *case_status_label(dl_case_status st)
{
	switch (st) {
	case DL_CASE_OPEN: return _("open");
	case DL_CASE_INVESTIGATING: return _("investigating");
	case DL_CASE_REFERRED: return _("referred to prosecution");
	case DL_CASE_IN_COURT: return _("in court");
	case DL_CASE_CLOSED: return _("closed");
	case DL_CASE_SUSPENDED: return _("suspended");
	}
	return "?";
}

const char *case_offence_label(int offence)
{
	static const char *const labels[] = {
		N_("trafficking in persons"), N_("migrant smuggling"), N_("cybercrime"),
		N_("terrorism financing"), N_("other offence"),
	};
	if (offence < 0 || offence >= (int)(sizeof labels / sizeof labels[0]))
		return "?";
	return _(labels[offence]);
}

void case_offences_str(unsigned mask, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; case_offence_names[i]; i++) {
		if (!(mask & (1u << i)))
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? "," : "", case_offence_names[i]);
		if (n < 0 || (size_t)n >= outsz - len)
			break;
		len += (size_t)n;
	}
}

static unsigned offences_mask(const char *text)
{
	unsigned m = 0;
	if (text)
		val_enum_set("offence", text, case_offence_names, 0, &m, NULL);
	return m;
}

dl_status case_resolve(dl_session *s, const char *number, int write, long long *id,
                       dl_err *err)
{
	char num[41];
	dl_status rc = val_case_number("case", number, num, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, "SELECT id FROM cases WHERE number = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, num, -1, SQLITE_STATIC);
	*id = 0;
	int found;
	rc = store_step_one(s->store, q, &found, err);
	if (found)
		*id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	if (*id == 0)
		return dl_err_set(err, DL_ENOTFOUND, "case", _("no case with number %s"), num);
	return write ? perm_case_write(s, *id, err) : perm_case_read(s, *id, err);
}

/* The id of an active user who may lead or work on cases. */
static dl_status case_worker(dl_session *s, const char *field, const char *username,
                             long long *uid, dl_err *err)
{
	char login[33];
	dl_status rc = val_username(field, username, login, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT id, role, disabled FROM users WHERE username = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, login, -1, SQLITE_STATIC);
	rc = DL_OK;
	if (sqlite3_step(q) != SQLITE_ROW)
		rc = dl_err_set(err, DL_EINVAL, field, _("no user \"%s\""), login);
	else if (!strcmp((const char *)sqlite3_column_text(q, 1), "clerk"))
		rc = dl_err_set(err, DL_EINVAL, field, _("\"%s\" is a clerk and cannot work on cases"), login);
	else if (sqlite3_column_int(q, 2))
		rc = dl_err_set(err, DL_EINVAL, field, _("the account \"%s\" is disabled"), login);
	else
		*uid = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc;
}

static dl_status add_date_days(dl_store *st, const char *date, long long days, char out[11])
{
	sqlite3_stmt *q = store_prepare(st, "SELECT date(?1, printf('%+d days', ?2))", NULL);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, days);
	dl_status rc = DL_EDB;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
		snprintf(out, 11, "%s", (const char *)sqlite3_column_text(q, 0));
		rc = DL_OK;
	}
	sqlite3_finalize(q);
	return rc;
}

/* Apply a comma-separated list of usernames to case_assignments. */
static dl_status apply_assignments(dl_session *s, long long case_id, const char *list,
                                   int add, dl_err *err)
{
	if (!list || !*list)
		return DL_OK;
	const char *field = add ? "assign" : "unassign";
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		return store_nomem(err);
	dl_status rc = DL_OK;
	for (char *name = strtok_r(copy, ",", &save); name && rc == DL_OK;
	     name = strtok_r(NULL, ",", &save)) {
		long long uid = 0;
		if (add) {
			rc = case_worker(s, field, name, &uid, err);
		} else {
			char login[33];
			rc = val_username(field, name, login, err);
			if (rc == DL_OK) {
				sqlite3_stmt *q = store_prepare(s->store, "SELECT id FROM users WHERE username = ?", err);
				if (!q) { rc = DL_EDB; break; }
				sqlite3_bind_text(q, 1, login, -1, SQLITE_STATIC);
				int row;
				rc = store_step_one(s->store, q, &row, err);
				if (row)
					uid = sqlite3_column_int64(q, 0);
				else if (rc == DL_OK)
					rc = dl_err_set(err, DL_EINVAL, field, _("no user \"%s\""), login);
				sqlite3_finalize(q);
			}
		}
		if (rc != DL_OK)
			break;
		sqlite3_stmt *q = store_prepare(s->store, add
			? "INSERT OR IGNORE INTO case_assignments (case_id, user_id) VALUES (?, ?)"
			: "DELETE FROM case_assignments WHERE case_id = ? AND user_id = ?", err);
		if (!q) { rc = DL_EDB; break; }
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_int64(q, 2, uid);
		rc = store_step_done(s->store, q, err, field);
		sqlite3_finalize(q);
	}
	free(copy);
	return rc;
}

static dl_status record_status(dl_store *st, long long case_id, const char *from,
                               const char *to, const char *reason, dl_err *err)
{
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO case_status_history (case_id, from_status, to_status, reason, user_id, at)"
		" VALUES (?,?,?,?,?,?)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	store_bind_text(q, 2, from);
	sqlite3_bind_text(q, 3, to, -1, SQLITE_STATIC);
	store_bind_text(q, 4, reason);
	store_bind_id(q, 5, store_actor_id(st));
	sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
	dl_status rc = store_step_done(st, q, err, "status");
	sqlite3_finalize(q);
	return rc;
}

static dl_status check_texts(const dl_case_input *in, int adding, dl_err *err)
{
	dl_status rc;
	if ((rc = val_text("title-ar", in->title_ar, 300, adding, 0, err)) != DL_OK ||
	    (rc = val_text("title-en", in->title_en, 300, 0, 0, err)) != DL_OK ||
	    (rc = val_text("jurisdiction", in->jurisdiction, 200, 0, 0, err)) != DL_OK ||
	    (rc = val_text("summary-ar", in->summary_ar, 20000, 0, 1, err)) != DL_OK ||
	    (rc = val_text("summary-en", in->summary_en, 20000, 0, 1, err)) != DL_OK)
		return rc;
	if (!adding && in->title_ar && !*in->title_ar)
		return dl_err_set(err, DL_EINVAL, "title-ar", _("the Arabic title cannot be removed"));
	return DL_OK;
}

dl_status case_add(dl_session *s, const dl_case_input *in, long long *id, dl_err *err)
{
	dl_status rc = perm_case_create(s, err);
	if (rc != DL_OK)
		return rc;
	char num[41], opened[11], deadline[11];
	unsigned offences = 0;
	if (!in->number || !*in->number)
		return dl_err_set(err, DL_EINVAL, "number", _("a case number is required, e.g. 2026/TIP/0042"));
	if ((rc = val_case_number("number", in->number, num, err)) != DL_OK ||
	    (rc = check_texts(in, 1, err)) != DL_OK)
		return rc;
	if (!in->offences || !*in->offences)
		return dl_err_set(err, DL_EINVAL, "offence",
		                  _("at least one offence is required: trafficking, smuggling, cybercrime, terrorism-financing, other"));
	if ((rc = val_enum_set("offence", in->offences, case_offence_names, 1, &offences, err)) != DL_OK)
		return rc;
	if (in->opened && *in->opened) {
		if ((rc = val_date("opened", in->opened, opened, err)) != DL_OK)
			return rc;
	} else {
		store_today(opened);
	}
	if (in->deadline && *in->deadline) {
		if ((rc = val_date("deadline", in->deadline, deadline, err)) != DL_OK)
			return rc;
	} else {
		long long days;
		if ((rc = settings_get_num(s->store, "deadline_days", &days, err)) != DL_OK)
			return rc;
		if (add_date_days(s->store, opened, days, deadline) != DL_OK)
			return dl_err_set(err, DL_EDB, "deadline", _("the deadline could not be computed"));
	}
	if (strcmp(deadline, opened) < 0)
		return dl_err_set(err, DL_EINVAL, "deadline", _("the deadline %s is before the opening date %s"),
		                  deadline, opened);
	long long lead = s->user_id;
	if (in->lead && *in->lead) {
		if ((rc = case_worker(s, "lead", in->lead, &lead, err)) != DL_OK)
			return rc;
		if (s->role == DL_ROLE_INVESTIGATOR && lead != s->user_id)
			return dl_err_set(err, DL_EPERM, "lead",
			                  _("investigators open cases they lead; a supervisor can assign another lead"));
	} else if (s->role != DL_ROLE_INVESTIGATOR) {
		lead = 0;   /* a supervisor opening a case assigns the lead later */
	}
	char offtext[128];
	case_offences_str(offences, offtext, sizeof offtext);

	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO cases (number, title_ar, title_en, offences, status, opened, deadline,"
		" lead_id, jurisdiction, summary_ar, summary_en, created_by, created_at, updated_at)"
		" VALUES (?,?,?,?,'open',?,?,?,?,?,?,?,?,?)", err);
	if (!q) {
		store_rollback(st);
		return DL_EDB;
	}
	sqlite3_bind_text(q, 1, num, -1, SQLITE_STATIC);
	store_bind_text(q, 2, in->title_ar);
	store_bind_text(q, 3, in->title_en);
	sqlite3_bind_text(q, 4, offtext, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, opened, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, deadline, -1, SQLITE_STATIC);
	store_bind_id(q, 7, lead);
	store_bind_text(q, 8, in->jurisdiction);
	store_bind_text(q, 9, in->summary_ar);
	store_bind_text(q, 10, in->summary_en);
	sqlite3_bind_int64(q, 11, s->user_id);
	sqlite3_bind_text(q, 12, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 13, now, -1, SQLITE_STATIC);
	rc = store_step_done(st, q, err, "number");
	sqlite3_finalize(q);
	if (rc == DL_EEXIST)
		dl_err_set(err, DL_EEXIST, "number", _("case number %s already exists"), num);
	long long cid = sqlite3_last_insert_rowid(st->db);
	if (rc == DL_OK)
		rc = record_status(st, cid, NULL, "open", NULL, err);
	if (rc == DL_OK)
		rc = apply_assignments(s, cid, in->assign, 1, err);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = cid;
	return rc;
}

dl_status case_edit(dl_session *s, const char *number, const dl_case_input *in, dl_err *err)
{
	long long id;
	dl_status rc = case_resolve(s, number, 1, &id, err);
	if (rc != DL_OK)
		return rc;
	if (in->number || in->opened)
		return dl_err_set(err, DL_EINVAL, in->number ? "number" : "opened",
		                  _("the case number and opening date cannot be changed"));
	if ((rc = check_texts(in, 0, err)) != DL_OK)
		return rc;
	unsigned offences = 0;
	char offtext[128] = "";
	if (in->offences) {
		if ((rc = val_enum_set("offence", in->offences, case_offence_names, 1, &offences, err)) != DL_OK)
			return rc;
		case_offences_str(offences, offtext, sizeof offtext);
	}
	char deadline[11] = "";
	dl_case cur;
	if ((rc = case_get(s, number, &cur, err)) != DL_OK)
		return rc;
	if (in->deadline) {
		rc = val_date("deadline", in->deadline, deadline, err);
		if (rc == DL_OK && strcmp(deadline, cur.opened) < 0)
			rc = dl_err_set(err, DL_EINVAL, "deadline", _("the deadline %s is before the opening date %s"),
			                deadline, cur.opened);
		if (rc == DL_OK && !strcmp(deadline, cur.deadline))
			deadline[0] = '\0';   /* unchanged: nothing to record */
		if (rc == DL_OK && deadline[0] && (!in->reason || !*in->reason))
			rc = dl_err_set(err, DL_EINVAL, "reason", _("a changed deadline needs a reason"));
		if (rc == DL_OK)
			rc = val_text("reason", in->reason, 2000, 0, 1, err);
	}
	long long lead = 0;
	if (rc == DL_OK && in->lead) {
		if (s->role != DL_ROLE_ADMIN && s->role != DL_ROLE_SUPERVISOR)
			rc = dl_err_set(err, DL_EPERM, "lead", _("only a supervisor may change the lead investigator"));
		else if (*in->lead)
			rc = case_worker(s, "lead", in->lead, &lead, err);
	}
	if (rc == DL_OK && (in->assign || in->unassign) && s->role == DL_ROLE_INVESTIGATOR &&
	    cur.lead_id != s->user_id)
		rc = dl_err_set(err, DL_EPERM, "assign",
		                _("only the lead investigator or a supervisor may assign investigators"));
	char old_deadline[11];
	snprintf(old_deadline, sizeof old_deadline, "%s", cur.deadline);
	case_free(&cur);
	if (rc != DL_OK)
		return rc;

	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	int changes_before = sqlite3_total_changes(st->db);
	char now[21];
	store_now(now);
	if (rc == DL_OK) rc = store_set_column(st, "cases", id, "title_ar", in->title_ar, in->title_ar, err);
	if (rc == DL_OK) rc = store_set_column(st, "cases", id, "title_en", in->title_en, in->title_en, err);
	if (rc == DL_OK) rc = store_set_column(st, "cases", id, "jurisdiction", in->jurisdiction, in->jurisdiction, err);
	if (rc == DL_OK) rc = store_set_column(st, "cases", id, "summary_ar", in->summary_ar, in->summary_ar, err);
	if (rc == DL_OK) rc = store_set_column(st, "cases", id, "summary_en", in->summary_en, in->summary_en, err);
	if (rc == DL_OK && in->offences) rc = store_set_column(st, "cases", id, "offences", offtext, offtext, err);
	if (rc == DL_OK && deadline[0]) {
		rc = store_set_column(st, "cases", id, "deadline", deadline, deadline, err);
		sqlite3_stmt *q = rc == DL_OK ? store_prepare(st,
			"INSERT INTO case_deadline_history (case_id, old_deadline, new_deadline, reason,"
			" user_id, at) VALUES (?,?,?,?,?,?)", err) : NULL;
		if (q) {
			sqlite3_bind_int64(q, 1, id);
			sqlite3_bind_text(q, 2, old_deadline, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, deadline, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 4, in->reason, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q, 5, s->user_id);
			sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
			rc = store_step_done(st, q, err, "deadline");
			sqlite3_finalize(q);
		} else if (rc == DL_OK) {
			rc = DL_EDB;
		}
	}
	if (rc == DL_OK && in->lead) {
		sqlite3_stmt *q = store_prepare(st, "UPDATE cases SET lead_id = ? WHERE id = ?", err);
		if (q) {
			store_bind_id(q, 1, lead);
			sqlite3_bind_int64(q, 2, id);
			rc = store_step_done(st, q, err, "lead");
			sqlite3_finalize(q);
		} else {
			rc = DL_EDB;
		}
	}
	if (rc == DL_OK) rc = apply_assignments(s, id, in->assign, 1, err);
	if (rc == DL_OK) rc = apply_assignments(s, id, in->unassign, 0, err);
	if (rc == DL_OK && sqlite3_total_changes(st->db) != changes_before)
		rc = store_set_column(st, "cases", id, "updated_at", now, now, err);
	return store_end(st, rc, err);
}

dl_status case_set_status(dl_session *s, const char *number, const char *status,
                          const char *reason, dl_err *err)
{
	long long id;
	dl_status rc = case_resolve(s, number, 1, &id, err);
	if (rc != DL_OK)
		return rc;
	int to;
	if ((rc = val_enum("status", status, case_status_names, &to, err)) != DL_OK)
		return rc;
	if (to == DL_CASE_OPEN)
		return dl_err_set(err, DL_EINVAL, "status",
		                  _("a case cannot go back to open; expected investigating, referred, in_court, closed or suspended"));
	if ((rc = val_text("reason", reason, 2000, 0, 1, err)) != DL_OK)
		return rc;
	dl_case cur;
	if ((rc = case_get(s, number, &cur, err)) != DL_OK)
		return rc;
	int from = (int)cur.status;
	case_free(&cur);
	if (from == to)
		return dl_err_set(err, DL_EINVAL, "status", _("the case is already %s"), case_status_names[to]);
	if (to == DL_CASE_CLOSED || from == DL_CASE_CLOSED) {
		if ((rc = perm_case_close(s, err)) != DL_OK)
			return rc;
	}
	int needs_reason = to == DL_CASE_CLOSED || to == DL_CASE_SUSPENDED || from == DL_CASE_CLOSED ||
	                   (from != DL_CASE_SUSPENDED && to < from);
	if (needs_reason && (!reason || !*reason))
		return dl_err_set(err, DL_EINVAL, "reason", _("moving a case from %s to %s needs a reason"),
		                  case_status_names[from], case_status_names[to]);

	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st, "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_text(q, 1, case_status_names[to], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, id);
		rc = store_step_done(st, q, err, "status");
		sqlite3_finalize(q);
	}
	if (rc == DL_OK)
		rc = record_status(st, id, case_status_names[from], case_status_names[to], reason, err);
	return store_end(st, rc, err);
}

#define CASE_COLS \
	"c.id, c.number, c.title_ar, c.title_en, c.offences, c.status, c.opened, c.deadline," \
	" CAST(julianday(c.deadline) - julianday(date('now')) AS INTEGER), c.lead_id," \
	" (SELECT username FROM users u WHERE u.id = c.lead_id), c.jurisdiction," \
	" c.summary_ar, c.summary_en, c.created_at, c.updated_at"

static void case_from_row(sqlite3_stmt *q, dl_case *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(q, 0);
	c->number = store_col_dup(q, 1);
	c->title_ar = store_col_dup(q, 2);
	c->title_en = store_col_dup(q, 3);
	c->offences = offences_mask((const char *)sqlite3_column_text(q, 4));
	const char *status = (const char *)sqlite3_column_text(q, 5);
	for (int i = 0; case_status_names[i]; i++)
		if (status && !strcmp(status, case_status_names[i]))
			c->status = (dl_case_status)i;
	c->opened = store_col_dup(q, 6);
	c->deadline = store_col_dup(q, 7);
	c->days_left = sqlite3_column_int64(q, 8);
	c->lead_id = sqlite3_column_int64(q, 9);
	c->lead = store_col_dup(q, 10);
	c->jurisdiction = store_col_dup(q, 11);
	c->summary_ar = store_col_dup(q, 12);
	c->summary_en = store_col_dup(q, 13);
	c->created_at = store_col_dup(q, 14);
	c->updated_at = store_col_dup(q, 15);
}

static dl_status load_history(dl_store *st, const char *sql, long long id,
                              dl_case_change **out, size_t *n, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, sql, err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		dl_case_change *v = realloc(*out, (*n + 1) * sizeof *v);
		if (!v) {
			sqlite3_finalize(q);
			return store_nomem(err);
		}
		*out = v;
		dl_case_change *c = &v[(*n)++];
		c->at = store_col_dup(q, 0);
		c->username = store_col_dup(q, 1);
		c->from = store_col_dup(q, 2);
		c->to = store_col_dup(q, 3);
		c->reason = store_col_dup(q, 4);
	}
	dl_status rc = step == SQLITE_DONE ? DL_OK : store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	return rc;
}

dl_status case_get(dl_session *s, const char *number, dl_case *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long id;
	dl_status rc = case_resolve(s, number, 0, &id, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	/* all of it or an error: a case read short would show less than it is */
	unsigned long mark = store_oom_mark();
	int row;
	rc = store_step_one(s->store, q, &row, err);
	if (rc == DL_OK && row)
		case_from_row(q, out);
	else if (rc == DL_OK)
		rc = dl_err_set(err, DL_ENOTFOUND, "case", _("no such case"));
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	q = store_prepare(s->store,
		"SELECT u.username FROM case_assignments a JOIN users u ON u.id = a.user_id"
		" WHERE a.case_id = ? ORDER BY u.username", err);
	if (!q)
		rc = DL_EDB;
	if (q) {
		sqlite3_bind_int64(q, 1, id);
		int step;
		while ((step = sqlite3_step(q)) == SQLITE_ROW) {
			char **v = realloc(out->assigned, (out->nassigned + 1) * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->assigned = v;
			v[out->nassigned++] = store_col_dup(q, 0);
		}
		if (rc == DL_OK && step != SQLITE_DONE)
			rc = store_sqlerr(s->store, err, "");
		sqlite3_finalize(q);
	}
	if (rc == DL_OK)
		rc = load_history(s->store,
			"SELECT h.at, u.username, h.from_status, h.to_status, h.reason FROM case_status_history h"
			" LEFT JOIN users u ON u.id = h.user_id WHERE h.case_id = ? ORDER BY h.id",
			id, &out->status_history, &out->nstatus_history, err);
	if (rc == DL_OK)
		rc = load_history(s->store,
			"SELECT h.at, u.username, h.old_deadline, h.new_deadline, h.reason FROM case_deadline_history h"
			" LEFT JOIN users u ON u.id = h.user_id WHERE h.case_id = ? ORDER BY h.id",
			id, &out->deadline_history, &out->ndeadline_history, err);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		case_free(out);
	return rc;
}

dl_status case_list(dl_session *s, const dl_case_filter *f, dl_case_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	dl_case_filter none = {0};
	if (!f)
		f = &none;
	int idx;
	dl_status rc;
	if (f->status && (rc = val_enum("status", f->status, case_status_names, &idx, err)) != DL_OK)
		return rc;
	if (f->offence && (rc = val_enum("offence", f->offence, case_offence_names, &idx, err)) != DL_OK)
		return rc;
	static const char *const sorts[] = {"deadline", "number", "opened", "status", NULL};
	static const char *const order_by[] = {
		"c.deadline, c.number", "c.number", "c.opened DESC, c.number", "c.status, c.deadline",
	};
	int sort = 0;
	if (f->sort && (rc = val_enum("sort", f->sort, sorts, &sort, err)) != DL_OK)
		return rc;
	char sql[2048];
	snprintf(sql, sizeof sql,
		"SELECT " CASE_COLS " FROM cases c WHERE " PERM_CASE_VISIBLE_SQL
		" AND (@status IS NULL OR c.status = @status)"
		" AND (@offence IS NULL OR (',' || c.offences || ',') LIKE '%%,' || @offence || ',%%')"
		" AND (@mine = 0 OR c.lead_id = @perm_uid OR EXISTS (SELECT 1 FROM case_assignments ca"
		"      WHERE ca.case_id = c.id AND ca.user_id = @perm_uid))"
		" ORDER BY %s LIMIT @limit OFFSET @offset", order_by[sort]);
	sqlite3_stmt *q = store_prepare(s->store, sql, err);
	if (!q)
		return DL_EDB;
	perm_bind(s, q);
	store_bind_text(q, sqlite3_bind_parameter_index(q, "@status"), f->status);
	store_bind_text(q, sqlite3_bind_parameter_index(q, "@offence"), f->offence);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, "@mine"), f->mine ? 1 : 0);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@limit"), f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@offset"), f->offset > 0 ? f->offset : 0);
	size_t cap = 0;
	unsigned long mark = store_oom_mark();
	int step;
	rc = DL_OK;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 32;
			dl_case *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		case_from_row(q, &out->v[out->n++]);
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		case_list_free(out);
	return rc;
}

static void changes_free(dl_case_change *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].at); free(v[i].username); free(v[i].from); free(v[i].to); free(v[i].reason);
	}
	free(v);
}

void case_free(dl_case *c)
{
	free(c->number); free(c->title_ar); free(c->title_en);
	free(c->opened); free(c->deadline); free(c->lead);
	free(c->jurisdiction); free(c->summary_ar); free(c->summary_en);
	free(c->created_at); free(c->updated_at);
	for (size_t i = 0; i < c->nassigned; i++)
		free(c->assigned[i]);
	free(c->assigned);
	changes_free(c->status_history, c->nstatus_history);
	changes_free(c->deadline_history, c->ndeadline_history);
	memset(c, 0, sizeof *c);
}

void case_list_free(dl_case_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		case_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
