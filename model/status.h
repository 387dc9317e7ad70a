/* status.h — one status enum for all of dalil, and the error record that carries
 * it with the field at fault to the edge, where it is printed once. */
#ifndef DALIL_STATUS_H
#define DALIL_STATUS_H

typedef enum dl_status {
	DL_OK = 0,
	DL_EINVAL,     /* bad input: the field and what is expected are named  (exit 2) */
	DL_EEXIST,     /* a unique value is taken (case number, username)      (exit 2) */
	DL_ENOTFOUND,  /* the named record does not exist                      (exit 1) */
	DL_EPERM,      /* the user's role or assignment does not allow it      (exit 3) */
	DL_EAUTH,      /* unknown user, wrong password, disabled account       (exit 3) */
	DL_ELOCKED,    /* too many failed logins: account locked for a while   (exit 3) */
	DL_ESCHEMA,    /* store made by a newer dalil, or not a dalil store    (exit 1) */
	DL_EDB,        /* SQLite failed                                        (exit 1) */
	DL_EIO,        /* file system failed                                   (exit 1) */
	DL_ETAMPER,    /* audit verification found a difference                (exit 1) */
	DL_ENOMEM,     /* out of memory                                        (exit 1) */
	DL_ECONFLICT,  /* changes received conflict with local edits           (exit 1) */
	DL_STATUS_COUNT
} dl_status;

/* An error: the status, the field at fault ("" when none) and a translated message.
 * Functions that fail fill it and return its code; it never needs freeing. */
typedef struct dl_err {
	dl_status code;
	char field[48];
	char msg[512];
} dl_err;

/* Fill *err (when not NULL) and return code. msg is a printf format, already
 * translated by the caller (_("...")). */
dl_status dl_err_set(dl_err *err, dl_status code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reset *err to DL_OK with empty texts. */
void dl_err_clear(dl_err *err);

/* The process exit code for a status: 0, 1 (failed), 2 (bad input), 3 (not permitted). */
int dl_status_exit(dl_status code);

/* A short translated name of the status, for messages without a text of their own. */
const char *dl_status_str(dl_status code);

#endif
