/* status.c — the status table: exit codes and names in one place. */
#include "status.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int exit_code;
	const char *name;
} status_table[DL_STATUS_COUNT] = {
	[DL_OK]        = {0, N_("success")},
	[DL_EINVAL]    = {2, N_("invalid input")},
	[DL_EEXIST]    = {2, N_("already exists")},
	[DL_ENOTFOUND] = {1, N_("not found")},
	[DL_EPERM]     = {3, N_("not permitted")},
	[DL_EAUTH]     = {3, N_("login failed")},
	[DL_ELOCKED]   = {3, N_("account locked")},
	[DL_ESCHEMA]   = {1, N_("incompatible store")},
	[DL_EDB]       = {1, N_("database error")},
	[DL_EIO]       = {1, N_("file error")},
	[DL_ETAMPER]   = {1, N_("tampering detected")},
	[DL_ENOMEM]    = {1, N_("out of memory")},
	[DL_ECONFLICT] = {1, N_("conflicting changes")},
};

dl_status dl_err_set(dl_err *err, dl_status code, const char *field,
                     const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

void dl_err_clear(dl_err *err)
{
	if (!err)
		return;
	err->code = DL_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}

int dl_status_exit(dl_status code)
{
	if ((unsigned)code >= DL_STATUS_COUNT)
		return 1;
	return status_table[code].exit_code;
}

const char *dl_status_str(dl_status code)
{
	if ((unsigned)code >= DL_STATUS_COUNT)
		return _("unknown error");
	return _(status_table[code].name);
}
