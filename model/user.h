/* user.h — the unit's user accounts: the first administrator, adding, listing,
 * password changes, disabling. Passwords are kept only as scrypt hashes
 * (crypto.h). */
#ifndef DALIL_USER_H
#define DALIL_USER_H

#include <stddef.h>

#include "session.h"
#include "status.h"

typedef struct dl_user {
	long long id;
	char *username;
	char *name_ar;
	char *name_en;
	dl_role role;
	int disabled;
	int failed_logins;
	char *locked_until;     /* NULL when not locked */
	char *created_at;
} dl_user;

typedef struct dl_user_list {
	dl_user *v;
	size_t n;
} dl_user_list;

/* Minimum password length in characters. */
#define DL_PASSWORD_MIN 8

/* Create the first administrator of an empty store (no session needed). When any
 * user exists this is DL_EEXIST. */
dl_status user_init_admin(dl_store *st, const char *username, const char *password,
                          const char *name_ar, const char *name_en, long long *id,
                          dl_err *err);

/* Add a user. Admins only. role is one of dl_role_names. */
dl_status user_add(dl_session *s, const char *username, const char *role,
                   const char *password, const char *name_ar, const char *name_en,
                   long long *id, dl_err *err);

/* Every user (any logged-in user may list names and roles). */
dl_status user_list(dl_session *s, dl_user_list *out, dl_err *err);

/* One user by username into *out (caller frees with user_free). */
dl_status user_get(dl_session *s, const char *username, dl_user *out, dl_err *err);

/* Set a new password: admins for anyone, every user for themselves. It also
 * clears a lockout. */
dl_status user_passwd(dl_session *s, const char *username, const char *password,
                      dl_err *err);

/* Disable (disabled = 1) or re-enable an account. Admins only; nobody disables
 * themselves. */
dl_status user_set_disabled(dl_session *s, const char *username, int disabled,
                            dl_err *err);

/* Change a user's role (one of dl_role_names). Admins only; nobody changes
 * their own role, so the unit cannot lose its last administrator by mistake. */
dl_status user_set_role(dl_session *s, const char *username, const char *role, dl_err *err);

void user_free(dl_user *u);
void user_list_free(dl_user_list *l);

/* Number of users in the store (-1 on error): 0 means "dalil init" has not run. */
long long user_count(dl_store *st);

#endif
