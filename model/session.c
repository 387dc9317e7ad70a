/* session.c — login, lockout and permission rules; see session.h. */
#include "session.h"
#include "crypto.h"
#include "i18n.h"
#include "json.h"
#include "settings.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *const dl_role_names[] = {"admin", "supervisor", "investigator", "clerk", NULL};

const char *dl_role_label(dl_role r)
{
	switch (r) {
	case DL_ROLE_ADMIN: return _("administrator");
	case DL_ROLE_SUPERVISOR: return _("supervisor");
	case DL_ROLE_INVESTIGATOR: return _("investigator");
	case DL_ROLE_CLERK: return _("clerk");
	}
	return "?";
}

static void time_after_minutes(long long minutes, char out[21])
{
	time_t t = time(NULL) + (time_t)minutes * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Record a failed attempt (and a lockout) in its own transaction: the failure
 * must stay on record although the command that tried fails. */
static dl_status record_failure(dl_store *st, long long uid, const char *attempted,
                                int *locked_now, char until[21], dl_err *err)
{
	*locked_now = 0;
	dl_err ignore;
	if (store_begin(st, &ignore) != DL_OK)
		return DL_OK;  /* the store is busy: the login still fails */
	store_set_actor(st, 0, "system");
	dl_buf d = {0};
	buf_adds(&d, "{\"username\":");
	json_add_string(&d, attempted);
	buf_addc(&d, '}');
	if (uid > 0) {
		sqlite3_stmt *q = store_prepare(st,
			"UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?"
			" RETURNING failed_logins", &ignore);
		int n = 0;
		if (q) {
			sqlite3_bind_int64(q, 1, uid);
			if (sqlite3_step(q) == SQLITE_ROW)
				n = sqlite3_column_int(q, 0);
			sqlite3_finalize(q);
		}
		if (n >= DL_LOCKOUT_ATTEMPTS) {
			time_after_minutes(settings_get_int(st, "lockout_minutes"), until);
			q = store_prepare(st, "UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?",
			                  &ignore);
			if (q) {
				sqlite3_bind_text(q, 1, until, -1, SQLITE_STATIC);
				sqlite3_bind_int64(q, 2, uid);
				sqlite3_step(q);
				sqlite3_finalize(q);
			}
			*locked_now = 1;
		}
	}
	/* details cut short by lost memory would not be JSON: none then */
	audit_event(st, "login_failed", "users", uid, buf_failed(&d) ? NULL : d.data);
	buf_free(&d);
	if (store_commit(st, &ignore) != DL_OK)
		*locked_now = 0;
	(void)err;
	return DL_OK;
}

dl_status session_login(dl_store *st, const char *username, const char *password,
                        dl_session *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	char login[33];
	if (val_username("user", username, login, err) != DL_OK)
		return err ? err->code : DL_EINVAL;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, role, password_hash, disabled, locked_until FROM users WHERE username = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, login, -1, SQLITE_STATIC);
	long long uid = 0;
	char role[16] = "", hash[192] = "", locked[24] = "";
	int disabled = 0, row;
	/* A lookup that failed is its error: taken for "unknown user" it would
	 * count a failed login against a right password (and could lock). */
	dl_status rc = store_step_one(st, q, &row, err);
	if (row) {
		const char *r = (const char *)sqlite3_column_text(q, 1);
		const char *h = (const char *)sqlite3_column_text(q, 2);
		const char *l = sqlite3_column_type(q, 4) != SQLITE_NULL
			? (const char *)sqlite3_column_text(q, 4) : "";
		if (!r || !h || !l) {
			rc = store_nomem(err);
		} else {
			uid = sqlite3_column_int64(q, 0);
			snprintf(role, sizeof role, "%s", r);
			snprintf(hash, sizeof hash, "%s", h);
			disabled = sqlite3_column_int(q, 3);
			snprintf(locked, sizeof locked, "%s", l);
		}
	}
	sqlite3_finalize(q);
	if (rc != DL_OK) {
		crypto_wipe(hash, sizeof hash);
		return rc;
	}

	char now[21];
	store_now(now);
	if (uid > 0 && locked[0] && strcmp(locked, now) > 0)
		return dl_err_set(err, DL_ELOCKED, "user",
		                  _("account \"%s\" is locked until %s UTC after too many failed logins"),
		                  login, locked);

	/* Unknown users cost the same KDF time as known ones. */
	int ok = crypto_password_check(password ? password : "",
	                               uid > 0 ? hash : "scrypt$15$8$1$00000000000000000000000000000000$"
	                               "0000000000000000000000000000000000000000000000000000000000000000");
	crypto_wipe(hash, sizeof hash);
	if (!ok || uid == 0) {
		int locked_now = 0;
		char until[21] = "";
		record_failure(st, uid, login, &locked_now, until, err);
		if (locked_now)
			return dl_err_set(err, DL_ELOCKED, "user",
			                  _("too many failed logins: account \"%s\" is locked until %s UTC"),
			                  login, until);
		return dl_err_set(err, DL_EAUTH, "user", _("unknown user or wrong password"));
	}
	if (disabled)
		return dl_err_set(err, DL_EAUTH, "user",
		                  _("account \"%s\" is disabled; ask the administrator"), login);

	out->store = st;
	out->user_id = uid;
	snprintf(out->username, sizeof out->username, "%s", login);
	out->role = DL_ROLE_CLERK;
	for (int i = 0; dl_role_names[i]; i++)
		if (!strcmp(role, dl_role_names[i]))
			out->role = (dl_role)i;

	rc = store_begin(st, err);
	if (rc != DL_OK)
		return rc;
	store_set_actor(st, uid, login);
	q = store_prepare(st, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", err);
	if (!q) {
		store_rollback(st);
		return DL_EDB;
	}
	sqlite3_bind_int64(q, 1, uid);
	rc = store_step_done(st, q, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	audit_event(st, "login", "users", uid, NULL);
	return store_commit(st, err);
}

dl_status session_begin(dl_session *s, dl_err *err)
{
	store_set_actor(s->store, s->user_id, s->username);
	return store_begin(s->store, err);
}

void perm_bind(dl_session *s, sqlite3_stmt *st)
{
	int i = sqlite3_bind_parameter_index(st, "@perm_role");
	if (i)
		sqlite3_bind_text(st, i, dl_role_names[s->role], -1, SQLITE_STATIC);
	i = sqlite3_bind_parameter_index(st, "@perm_uid");
	if (i)
		sqlite3_bind_int64(st, i, s->user_id);
}

dl_status perm_admin(dl_session *s, dl_err *err)
{
	if (s->role == DL_ROLE_ADMIN)
		return DL_OK;
	return dl_err_set(err, DL_EPERM, "", _("only an administrator may do this"));
}

dl_status perm_supervise(dl_session *s, dl_err *err)
{
	if (s->role == DL_ROLE_ADMIN || s->role == DL_ROLE_SUPERVISOR)
		return DL_OK;
	return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may do this"));
}

dl_status perm_case_create(dl_session *s, dl_err *err)
{
	if (s->role == DL_ROLE_CLERK)
		return dl_err_set(err, DL_EPERM, "", _("clerks may read cases and make reports, not change them"));
	return DL_OK;
}

dl_status perm_case_close(dl_session *s, dl_err *err)
{
	if (s->role == DL_ROLE_ADMIN || s->role == DL_ROLE_SUPERVISOR)
		return DL_OK;
	return dl_err_set(err, DL_EPERM, "status", _("only a supervisor may close or reopen a case"));
}

/* *v: 1 readable, 0 not, -1 no such case. A failed query is its error. */
static dl_status case_visible(dl_session *s, long long case_id, int *v, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " PERM_CASE_VISIBLE_SQL " FROM cases c WHERE c.id = @case", err);
	if (!q)
		return DL_EDB;
	perm_bind(s, q);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@case"), case_id);
	int row;
	dl_status rc = store_step_one(s->store, q, &row, err);
	*v = row ? (sqlite3_column_int(q, 0) ? 1 : 0) : -1;
	sqlite3_finalize(q);
	return rc;
}

dl_status perm_case_read(dl_session *s, long long case_id, dl_err *err)
{
	int v;
	dl_status rc = case_visible(s, case_id, &v, err);
	if (rc != DL_OK)
		return rc;
	if (v < 0)
		return dl_err_set(err, DL_ENOTFOUND, "case", _("no such case"));
	if (v == 0)
		return dl_err_set(err, DL_EPERM, "case", _("you are not assigned to this case"));
	return DL_OK;
}

dl_status perm_case_write(dl_session *s, long long case_id, dl_err *err)
{
	if (s->role == DL_ROLE_CLERK) {
		int v;
		dl_status rc = case_visible(s, case_id, &v, err);
		if (rc != DL_OK)
			return rc;
		if (v < 0)
			return dl_err_set(err, DL_ENOTFOUND, "case", _("no such case"));
		return dl_err_set(err, DL_EPERM, "", _("clerks may read cases and make reports, not change them"));
	}
	return perm_case_read(s, case_id, err);
}
