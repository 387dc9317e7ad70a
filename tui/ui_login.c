/* ui_login.c — the login form, and the first administrator on an empty store. */
#include "i18n.h"
#include "session.h"
#include "ui.h"
#include "ui_form.h"
#include "ui_screens.h"
#include "user.h"

#include <stdio.h>

#include <string.h>

static dl_status login_submit(ui_form *f, void *ctx, dl_err *err)
{
	(void)ctx;
	const char *user = ui_form_get(f, "username");
	char name[64];
	snprintf(name, sizeof name, "%s", user);
	if (!name[0])
		return dl_err_set(err, DL_EINVAL, "username", "%s", _("type your user name"));
	const char *pw = ui_form_get(f, "password");
	dl_session s;
	dl_status rc = session_login(ui_store(), name, pw, &s, err);
	if (rc != DL_OK) {
		/* a name that cannot be one goes under the name; the rest (wrong
		 * password, locked until …) under the password */
		if (rc == DL_EINVAL && !strcmp(err->field, "user"))
			snprintf(err->field, sizeof err->field, "username");
		else if (strcmp(err->field, "username") != 0)
			snprintf(err->field, sizeof err->field, "password");
		ui_form_set(f, "password", "");
		return rc;
	}
	ui_logged_in(&s);
	return DL_OK;
}

void ui_login_open(const char *user)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "username", N_("User name"), NULL, NULL, NULL},
		{F_PASSWORD, "password", N_("Password"), NULL, NULL, NULL},
	};
	ui_form *f = ui_form_new(_("Log in to dalil"), defs, 2, login_submit, NULL, NULL);
	if (!f)
		return;
	if (user) {
		ui_form_set(f, "username", user);
		ui_form_focus(f, "password");
	}
	ui_form_open(f);
}

static dl_status admin_submit(ui_form *f, void *ctx, dl_err *err)
{
	(void)ctx;
	char name[64], pw[256];
	snprintf(name, sizeof name, "%s", ui_form_get(f, "username"));
	snprintf(pw, sizeof pw, "%s", ui_form_get(f, "password"));
	dl_status rc = DL_OK;
	long long id;
	dl_session s;
	if (strcmp(pw, ui_form_get(f, "password2")) != 0)
		rc = dl_err_set(err, DL_EINVAL, "password2", "%s", _("the two passwords differ"));
	else if ((rc = user_init_admin(ui_store(), name, pw, ui_form_opt(f, "name_ar"),
	                               ui_form_opt(f, "name_en"), &id, err)) == DL_OK)
		rc = session_login(ui_store(), name, pw, &s, err);
	explicit_bzero(pw, sizeof pw);
	if (rc != DL_OK)
		return rc;
	ui_logged_in(&s);
	return DL_OK;
}

void ui_first_admin_open(void)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "username", N_("User name"), NULL, NULL, NULL},
		{F_TEXT, "name_ar", N_("Name in Arabic"), NULL, NULL, NULL},
		{F_TEXT, "name_en", N_("Name in English"), NULL, NULL, NULL},
		{F_PASSWORD, "password", N_("Password"), NULL, NULL, NULL},
		{F_PASSWORD, "password2", N_("Password again"), NULL, NULL, NULL},
	};
	ui_form *f = ui_form_new(_("This store has no users yet: create the administrator"), defs, 5,
	                         admin_submit, NULL, NULL);
	if (f)
		ui_form_open(f);
}
