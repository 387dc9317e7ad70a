/* session.h — who is working: login with lockout, roles, and the permission
 * rules every model function checks before it changes or shows anything. */
#ifndef DALIL_SESSION_H
#define DALIL_SESSION_H

#include "status.h"
#include "store.h"

typedef enum dl_role {
	DL_ROLE_ADMIN,
	DL_ROLE_SUPERVISOR,
	DL_ROLE_INVESTIGATOR,
	DL_ROLE_CLERK,
} dl_role;

/* "admin", "supervisor", "investigator", "clerk", NULL — index = dl_role. */
extern const char *const dl_role_names[];

/* Translated role name for display. */
const char *dl_role_label(dl_role r);

typedef struct dl_session {
	dl_store *store;       /* borrowed: the caller closes it after the session */
	long long user_id;
	char username[33];
	dl_role role;
} dl_session;

/* Failed attempts before an account locks. */
#define DL_LOCKOUT_ATTEMPTS 5

/* Check username and password. On success fills *out, makes the user the store's
 * actor and records a "login" audit entry. A wrong password records
 * "login_failed" and counts the attempt; the DL_LOCKOUT_ATTEMPTS-th failure
 * locks the account for the lockout_minutes setting. Unknown users, wrong
 * passwords and disabled accounts all give DL_EAUTH with the same message;
 * a locked account gives DL_ELOCKED with the time it opens again. */
dl_status session_login(dl_store *st, const char *username, const char *password,
                        dl_session *out, dl_err *err);

/* Begin a store transaction on behalf of the session's user: every audit
 * entry of the transaction names them. */
dl_status session_begin(dl_session *s, dl_err *err);

/* Permission rules. Each returns DL_OK or DL_EPERM with a message.
 * - admin: everything, including users and settings;
 * - supervisor: sees and changes every case, alone (with admin) closes or
 *   reopens one;
 * - investigator: sees and changes only cases they lead or are assigned to,
 *   and may open new cases which they then lead;
 * - clerk: sees cases in referred, in_court or closed status, changes nothing
 *   (may generate reports). */
dl_status perm_case_read(dl_session *s, long long case_id, dl_err *err);
dl_status perm_case_write(dl_session *s, long long case_id, dl_err *err);
dl_status perm_case_create(dl_session *s, dl_err *err);
dl_status perm_case_close(dl_session *s, dl_err *err);
dl_status perm_admin(dl_session *s, dl_err *err);
/* Supervisors and admins: dashboards, audit, every case. */
dl_status perm_supervise(dl_session *s, dl_err *err);

/* SQL condition limiting a query on cases aliased "c" to those the session may
 * read; bind its named parameters with perm_bind(). */
#define PERM_CASE_VISIBLE_SQL \
	"(@perm_role IN ('admin','supervisor')" \
	" OR (@perm_role = 'clerk' AND c.status IN ('referred','in_court','closed'))" \
	" OR (@perm_role = 'investigator' AND (c.lead_id = @perm_uid OR EXISTS (" \
	"     SELECT 1 FROM case_assignments ca WHERE ca.case_id = c.id AND ca.user_id = @perm_uid))))"

struct sqlite3_stmt;
void perm_bind(dl_session *s, struct sqlite3_stmt *st);

#endif
