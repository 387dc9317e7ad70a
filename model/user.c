/* user.c — see user.h. */
#include "user.h"
#include "crypto.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static dl_status check_password(const char *pw, dl_err *err)
{
	if (!pw || !val_utf8(pw))
		return dl_err_set(err, DL_EINVAL, "password", _("expected a UTF-8 password"));
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	if (chars < DL_PASSWORD_MIN)
		return dl_err_set(err, DL_EINVAL, "password",
		                  P_("expected at least %d character", "expected at least %d characters",
		                     DL_PASSWORD_MIN), DL_PASSWORD_MIN);
	if (strlen(pw) > 1024)
		return dl_err_set(err, DL_EINVAL, "password", _("expected at most 1024 bytes"));
	return DL_OK;
}

static dl_status insert_user(dl_store *st, const char *username, dl_role role,
                             const char *password, const char *name_ar,
                             const char *name_en, long long *id, dl_err *err)
{
	char hash[192];
	if (crypto_password_hash(password, hash, sizeof hash) != 0)
		return dl_err_set(err, DL_EDB, "password", _("the password could not be hashed"));
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO users (username, name_ar, name_en, role, password_hash, created_at)"
		" VALUES (?,?,?,?,?,?)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
	store_bind_text(q, 2, name_ar);
	store_bind_text(q, 3, name_en);
	sqlite3_bind_text(q, 4, dl_role_names[role], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
	dl_status rc = store_step_done(st, q, err, "username");
	sqlite3_finalize(q);
	crypto_wipe(hash, sizeof hash);
	if (rc == DL_EEXIST)
		dl_err_set(err, DL_EEXIST, "username", _("user \"%s\" already exists"), username);
	if (rc == DL_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

static dl_status check_names(const char *name_ar, const char *name_en, dl_err *err)
{
	dl_status rc = val_text("name-ar", name_ar, 200, 0, 0, err);
	if (rc == DL_OK)
		rc = val_text("name-en", name_en, 200, 0, 0, err);
	return rc;
}

long long user_count(dl_store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*) FROM users", NULL);
	long long n = -1;
	if (q && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

dl_status user_init_admin(dl_store *st, const char *username, const char *password,
                          const char *name_ar, const char *name_en, long long *id,
                          dl_err *err)
{
	char login[33];
	dl_status rc = val_username("admin", username, login, err);
	if (rc == DL_OK)
		rc = check_password(password, err);
	if (rc == DL_OK)
		rc = check_names(name_ar, name_en, err);
	if (rc != DL_OK)
		return rc;
	if ((rc = store_begin(st, err)) != DL_OK)
		return rc;
	if (user_count(st) != 0) {
		store_rollback(st);
		return dl_err_set(err, DL_EEXIST, "admin",
		                  _("the store already has users; add more with \"dalil user add\""));
	}
	long long uid = 0;
	rc = insert_user(st, login, DL_ROLE_ADMIN, password, name_ar, name_en, &uid, err);
	if (rc == DL_OK) {
		store_set_actor(st, uid, login);
		audit_event(st, "init", "store", 0, NULL);
		rc = store_commit(st, err);
	} else {
		store_rollback(st);
	}
	if (rc == DL_OK && id)
		*id = uid;
	return rc;
}

dl_status user_add(dl_session *s, const char *username, const char *role,
                   const char *password, const char *name_ar, const char *name_en,
                   long long *id, dl_err *err)
{
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	char login[33];
	int r;
	if ((rc = val_username("username", username, login, err)) != DL_OK ||
	    (rc = val_enum("role", role, dl_role_names, &r, err)) != DL_OK ||
	    (rc = check_password(password, err)) != DL_OK ||
	    (rc = check_names(name_ar, name_en, err)) != DL_OK)
		return rc;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	rc = insert_user(s->store, login, (dl_role)r, password, name_ar, name_en, id, err);
	return store_end(s->store, rc, err);
}

static void user_from_row(sqlite3_stmt *q, dl_user *u)
{
	u->id = sqlite3_column_int64(q, 0);
	u->username = store_col_dup(q, 1);
	u->name_ar = store_col_dup(q, 2);
	u->name_en = store_col_dup(q, 3);
	const char *role = (const char *)sqlite3_column_text(q, 4);
	u->role = DL_ROLE_CLERK;
	for (int i = 0; dl_role_names[i]; i++)
		if (role && !strcmp(role, dl_role_names[i]))
			u->role = (dl_role)i;
	u->disabled = sqlite3_column_int(q, 5);
	u->failed_logins = sqlite3_column_int(q, 6);
	u->locked_until = store_col_dup(q, 7);
	u->created_at = store_col_dup(q, 8);
}

#define USER_COLS "id, username, name_ar, name_en, role, disabled, failed_logins, locked_until, created_at"

dl_status user_list(dl_session *s, dl_user_list *out, dl_err *err)
{
	(void)s;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " USER_COLS " FROM users ORDER BY username", err);
	if (!q)
		return DL_EDB;
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_user *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's: reported below */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		user_from_row(q, &out->v[out->n++]);
	}
	dl_status rc = step == SQLITE_NOMEM ? store_nomem(err)
	             : step == SQLITE_DONE ? store_oom_check(mark, err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		user_list_free(out);
	return rc;
}

dl_status user_get(dl_session *s, const char *username, dl_user *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	char login[33];
	dl_status rc = val_username("username", username, login, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " USER_COLS " FROM users WHERE username = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, login, -1, SQLITE_STATIC);
	unsigned long mark = store_oom_mark();
	int row;
	rc = store_step_one(s->store, q, &row, err);
	if (row)
		user_from_row(q, out);
	else if (rc == DL_OK)
		rc = dl_err_set(err, DL_ENOTFOUND, "username", _("no user \"%s\""), login);
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		user_free(out);
	return rc;
}

dl_status user_passwd(dl_session *s, const char *username, const char *password,
                      dl_err *err)
{
	char login[33];
	dl_status rc = val_username("username", username, login, err);
	if (rc != DL_OK)
		return rc;
	if (strcmp(login, s->username) != 0 && (rc = perm_admin(s, err)) != DL_OK)
		return rc;
	if ((rc = check_password(password, err)) != DL_OK)
		return rc;
	char hash[192];
	if (crypto_password_hash(password, hash, sizeof hash) != 0)
		return dl_err_set(err, DL_EDB, "password", _("the password could not be hashed"));
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL"
		" WHERE username = ?", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, login, -1, SQLITE_STATIC);
		rc = store_step_done(s->store, q, err, "password");
		if (rc == DL_OK && sqlite3_changes(s->store->db) == 0)
			rc = dl_err_set(err, DL_ENOTFOUND, "username", _("no user \"%s\""), login);
		sqlite3_finalize(q);
	}
	crypto_wipe(hash, sizeof hash);
	return store_end(s->store, rc, err);
}

dl_status user_set_disabled(dl_session *s, const char *username, int disabled, dl_err *err)
{
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	char login[33];
	if ((rc = val_username("username", username, login, err)) != DL_OK)
		return rc;
	if (!strcmp(login, s->username))
		return dl_err_set(err, DL_EINVAL, "username", _("you cannot disable your own account"));
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, "UPDATE users SET disabled = ? WHERE username = ?", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_int(q, 1, disabled ? 1 : 0);
		sqlite3_bind_text(q, 2, login, -1, SQLITE_STATIC);
		rc = store_step_done(s->store, q, err, "username");
		if (rc == DL_OK && sqlite3_changes(s->store->db) == 0)
			rc = dl_err_set(err, DL_ENOTFOUND, "username", _("no user \"%s\""), login);
		sqlite3_finalize(q);
	}
	return store_end(s->store, rc, err);
}

dl_status user_set_role(dl_session *s, const char *username, const char *role, dl_err *err)
{
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	char login[33];
	int r;
	if ((rc = val_username("username", username, login, err)) != DL_OK ||
	    (rc = val_enum("role", role, dl_role_names, &r, err)) != DL_OK)
		return rc;
	if (!strcmp(login, s->username))
		return dl_err_set(err, DL_EINVAL, "role", _("you cannot change your own role"));
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store, "UPDATE users SET role = ? WHERE username = ?", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_text(q, 1, dl_role_names[r], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, login, -1, SQLITE_STATIC);
		rc = store_step_done(s->store, q, err, "role");
		if (rc == DL_OK && sqlite3_changes(s->store->db) == 0)
			rc = dl_err_set(err, DL_ENOTFOUND, "username", _("no user \"%s\""), login);
		sqlite3_finalize(q);
	}
	return store_end(s->store, rc, err);
}

void user_free(dl_user *u)
{
	free(u->username); free(u->name_ar); free(u->name_en);
	free(u->locked_until); free(u->created_at);
	memset(u, 0, sizeof *u);
}

void user_list_free(dl_user_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		user_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
