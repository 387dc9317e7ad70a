/* ui_admin.c — users and settings, for administrators: add a user, change a
 * role, disable or enable an account, reset a password; edit each setting in a
 * one-field form that the model validates. */
#include "i18n.h"
#include "settings.h"
#include "ui.h"
#include "ui_form.h"
#include "ui_screens.h"
#include "ui_sections.h"
#include "user.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { S_USERS, S_SETTINGS, NSECTIONS };

static const ui_col user_cols[] = {
	{N_("Username"), 12, UI_START},
	{N_("Names"), 0, UI_START},
	{N_("Role"), 13, UI_START},
	{N_("Account"), 8, UI_START},
	{N_("Locked until"), 16, UI_START},
	{N_("Failed"), 6, UI_END},
};
static const ui_col setting_cols[] = {
	{N_("Setting"), 34, UI_START},
	{N_("Value"), 0, UI_START},
};
#define NC(a) (int)(sizeof a / sizeof *a)

/* Values offered by the settings that take one of a few: the model's
 * settings_set accepts exactly these (and refuses anything else with a message
 * under the field, should the two lists ever part). The least used last: at 80
 * columns the form has room for four code pages side by side. */
static const char *const codepages[] = {"CP1256", "CP864", "UTF-8", "CP850", "CP437", NULL};
static const char *const bidi_modes[] = {"auto", "on", "off", NULL};
static const char *const countries[] = {"LY", "EG", "MA", "TN", NULL};

/* What a value means, for the table. */
static const char *value_label(const char *v)
{
	static const struct { const char *value, *label; } labels[] = {
		{"CP1256", N_("CP1256 (Arabic, Windows)")},
		{"CP864", N_("CP864 (Arabic, DOS)")},
		{"CP437", N_("CP437 (DOS, Latin)")},
		{"CP850", N_("CP850 (DOS, Western Europe)")},
		{"auto", N_("auto: dalil shapes Arabic unless the terminal does")},
		{"on", N_("on: dalil shapes Arabic")},
		{"off", N_("off: the terminal shapes Arabic")},
		{"LY", N_("Libya")},
		{"EG", N_("Egypt")},
		{"MA", N_("Morocco")},
		{"TN", N_("Tunisia")},
	};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i].value, v))
			return _(labels[i].label);
	return v;
}

/* Country names are short enough for the form's choices; code pages and bidi
 * modes are shown as they are named, their meaning in the form's title. */
static const char *country_label(const char *v)
{
	return value_label(v);
}

/* The settings in the order shown, with what they mean and what they take. */
static const struct setting {
	const char *key;
	const char *label;              /* N_(), at most 24 cells: the form's label column */
	const char *hint;               /* N_(): under a typed value, or after a choice's title */
	const char *const *choices;     /* NULL: typed */
	const char *(*choice_label)(const char *);
} settings[] = {
	{"unit_name_ar", N_("Unit name (Arabic)"), N_("shown in the title bar and on reports"), NULL, NULL},
	{"unit_name_en", N_("Unit name (English)"), N_("shown in the title bar and on reports"), NULL, NULL},
	{"deadline_days", N_("Default deadline (days)"), N_("1 to 3650: a new case is due this many days after it opens"), NULL, NULL},
	{"codepage", N_("Code page (old archives)"), N_("for names in archives made without UTF-8"), codepages, NULL},
	{"bidi", N_("Arabic shaping (bidi)"), N_("on: dalil shapes; off: the terminal; auto: by terminal"), bidi_modes, NULL},
	{"phone_country", N_("Country of phone numbers"), N_("national numbers are read as this country's"), countries, country_label},
	{"lockout_minutes", N_("Lockout (minutes)"), N_("1 to 1440: how long 5 failed logins lock an account"), NULL, NULL},
	{"ingest_max_depth", N_("Nested archive levels"), N_("1 to 32"), NULL, NULL},
	{"ingest_max_entries", N_("Most items per source"), N_("1 to 1000000000"), NULL, NULL},
	{"ingest_max_mib", N_("Expanded MiB per source"), N_("1 to 4294967296"), NULL, NULL},
	{"ingest_max_ratio", N_("Highest expansion ratio"), N_("2 to 1000000 bytes out per byte in"), NULL, NULL},
};
#define NSETTINGS (sizeof settings / sizeof *settings)

typedef struct admin {
	dl_user_list users;
	ui_section sec[NSECTIONS];
	ui_sections ss;
	unsigned gen;
} admin;

static void reload(admin *ad)
{
	dl_err err = {0};
	user_list_free(&ad->users);
	ad->gen = ui_generation();
	ui_table_clear(&ad->sec[S_USERS].t);
	ui_table_clear(&ad->sec[S_SETTINGS].t);
	if (user_list(ui_session(), &ad->users, &err) != DL_OK)
		ui_error(&err);
	char now[21];
	store_now(now);
	for (size_t i = 0; i < ad->users.n; i++) {
		const dl_user *u = &ad->users.v[i];
		char names[420], locked[24] = "", failed[16];
		const char *first = ui_rtl() ? u->name_ar : u->name_en, *second = ui_rtl() ? u->name_en : u->name_ar;
		snprintf(names, sizeof names, "%s%s%s", first ? first : "", first && *first && second && *second ? " · " : "",
		         second ? second : "");
		/* a lock that has run out is no lock */
		int is_locked = u->locked_until && strcmp(u->locked_until, now) > 0;
		if (is_locked) {
			/* stored in UTC ("YYYY-MM-DDTHH:MM:SSZ"), shown in local time */
			struct tm tm = {0};
			const char *end = strptime(u->locked_until, "%Y-%m-%dT%H:%M:%SZ", &tm);
			time_t t = end ? timegm(&tm) : (time_t)-1;
			if (t != (time_t)-1 && localtime_r(&t, &tm))
				strftime(locked, sizeof locked, "%Y-%m-%d %H:%M", &tm);
			else
				snprintf(locked, sizeof locked, "%.16s", u->locked_until);
		}
		snprintf(failed, sizeof failed, "%d", u->failed_logins);
		const char *cells[] = {u->username, names, dl_role_label(u->role),
		                       u->disabled ? _("disabled") : _("active"), locked, failed};
		ui_role roles[] = {R_NORMAL, R_NORMAL, R_NORMAL, u->disabled ? R_ERROR : R_NORMAL, R_SOON,
		                   u->failed_logins ? R_SOON : R_DIM};
		ui_table_add(&ad->sec[S_USERS].t, (long long)i + 1, cells, roles);
	}
	for (size_t i = 0; i < NSETTINGS; i++) {
		char v[256] = "";
		if (settings_get(ui_store(), settings[i].key, v, sizeof v, &err) != DL_OK)
			snprintf(v, sizeof v, "%.200s", err.msg);
		const char *shown = settings[i].choices ? value_label(v) : v;
		const char *cells[] = {_(settings[i].label), *shown ? shown : _("(not set)")};
		ui_role roles[] = {R_LABEL, *shown ? R_NORMAL : R_DIM};
		ui_table_add(&ad->sec[S_SETTINGS].t, (long long)i + 1, cells, roles);
	}
}

static void admin_draw(ui_screen *sc, int top, int rows)
{
	admin *ad = sc->data;
	if (ad->gen != ui_generation())
		reload(ad);
	int cols = ui_cols();
	ui_sections_draw(&ad->ss, top, rows - 1);
	if (!ui_sections_draw_find(&ad->ss, top + rows - 1))
		ui_put(top + rows - 1, 0, cols,
		       ad->ss.cur == S_USERS ? _("n new user · r role · d disable/enable · p password · / find · Tab settings")
		                             : _("Enter change the setting · n new user · / find · Tab users · F1 help"),
		       R_DIM, UI_START);
}

/* The selected user, or NULL (with a message) when there is none. */
static const dl_user *selected_user(admin *ad)
{
	long long id = ui_table_sel(&ad->sec[S_USERS].t);
	if (id <= 0 || (size_t)id > ad->users.n) {
		ui_message(R_ERROR, "%s", _("No user selected"));
		return NULL;
	}
	return &ad->users.v[id - 1];
}

/* ---- forms ---- */

static const char *role_label(const char *name)
{
	for (int i = 0; dl_role_names[i]; i++)
		if (!strcmp(dl_role_names[i], name))
			return dl_role_label((dl_role)i);
	return name;
}

/* Copies of the form's values: ui_form_get's buffer lasts until the next call. */
static char *get(ui_form *f, const char *name)
{
	const char *v = ui_form_get(f, name);
	return strdup(v ? v : "");
}

static void wipe_free(char *p)
{
	if (p) {
		explicit_bzero(p, strlen(p));
		free(p);
	}
}

/* Both password fields the same; the error lands under the second. */
static dl_status passwords(ui_form *f, char **pw, dl_err *err)
{
	char *a = get(f, "password"), *b = get(f, "password2");
	dl_status rc = DL_OK;
	if (!a || !b)
		rc = dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	else if (strcmp(a, b) != 0)
		rc = dl_err_set(err, DL_EINVAL, "password2", "%s", _("the two passwords differ; type the same one twice"));
	wipe_free(b);
	if (rc != DL_OK) {
		wipe_free(a);
		a = NULL;
	}
	*pw = a;
	return rc;
}

static dl_status new_user_submit(ui_form *f, void *ctx, dl_err *err)
{
	(void)ctx;
	char *pw;
	dl_status rc = passwords(f, &pw, err);
	if (rc != DL_OK)
		return rc;
	char *username = get(f, "username"), *role = get(f, "role");
	char *name_ar = get(f, "name-ar"), *name_en = get(f, "name-en");
	if (username && role && name_ar && name_en)
		rc = user_add(ui_session(), username, role, pw, *name_ar ? name_ar : NULL, *name_en ? name_en : NULL,
		              NULL, err);
	else
		rc = dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	if (rc == DL_OK) {
		/* as stored: usernames are lower case */
		for (char *p = username; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ui_message(R_OK, _("User %s added as %s"), username, role_label(role));
	}
	wipe_free(pw);
	free(username);
	free(role);
	free(name_ar);
	free(name_en);
	return rc;
}

static void new_user_open(void)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "username", N_("Username"), N_("2–32 of a–z 0–9 . _ -, starting with a letter"), NULL, NULL},
		{F_TEXT, "name-ar", N_("Name in Arabic"), NULL, NULL, NULL},
		{F_TEXT, "name-en", N_("Name in English"), NULL, NULL, NULL},
		{F_CHOICE, "role", N_("Role"), NULL, dl_role_names, role_label},
		{F_PASSWORD, "password", N_("Password"), N_("at least 8 characters"), NULL, NULL},
		{F_PASSWORD, "password2", N_("Password again"), NULL, NULL, NULL},
	};
	ui_form *f = ui_form_new(_("New user"), defs, sizeof defs / sizeof *defs, new_user_submit, NULL, NULL);
	if (!f)
		return;
	ui_form_set(f, "role", "investigator");
	ui_form_open(f);
}

/* The username a form acts on, owned by the form. */
static char *user_ctx(const dl_user *u)
{
	return strdup(u->username);
}

static dl_status role_submit(ui_form *f, void *ctx, dl_err *err)
{
	char *role = get(f, "role");
	if (!role)
		return dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	dl_status rc = user_set_role(ui_session(), ctx, role, err);
	if (rc == DL_OK)
		ui_message(R_OK, _("%s is now %s; it applies from their next login"), (char *)ctx, role_label(role));
	free(role);
	return rc;
}

static void role_open(const dl_user *u)
{
	static const ui_field_def defs[] = {
		{F_CHOICE, "role", N_("Role"), NULL, dl_role_names, role_label},
	};
	char title[120];
	snprintf(title, sizeof title, _("Role of %s"), u->username);
	ui_form *f = ui_form_new(title, defs, 1, role_submit, user_ctx(u), free);
	if (!f)
		return;
	ui_form_set(f, "role", dl_role_names[u->role]);
	ui_form_open(f);
}

static dl_status password_submit(ui_form *f, void *ctx, dl_err *err)
{
	char *pw;
	dl_status rc = passwords(f, &pw, err);
	if (rc != DL_OK)
		return rc;
	rc = user_passwd(ui_session(), ctx, pw, err);
	wipe_free(pw);
	if (rc == DL_OK)
		ui_message(R_OK, _("New password set for %s; a lockout is cleared"), (char *)ctx);
	return rc;
}

static void password_open(const dl_user *u)
{
	static const ui_field_def defs[] = {
		{F_PASSWORD, "password", N_("New password"), N_("at least 8 characters"), NULL, NULL},
		{F_PASSWORD, "password2", N_("New password again"), NULL, NULL, NULL},
	};
	char title[120];
	snprintf(title, sizeof title, _("New password for %s"), u->username);
	ui_form *f = ui_form_new(title, defs, 2, password_submit, user_ctx(u), free);
	if (f)
		ui_form_open(f);
}

static void toggle_disabled(const dl_user *u)
{
	char q[200];
	if (u->disabled)
		snprintf(q, sizeof q, _("Enable the account %s again?"), u->username);
	else
		snprintf(q, sizeof q, _("Disable the account %s? They can no longer log in."), u->username);
	if (!ui_confirm(q)) {
		ui_message(R_MESSAGE, "%s", _("Nothing changed"));
		return;
	}
	dl_err err = {0};
	char name[40];
	snprintf(name, sizeof name, "%s", u->username);
	int disable = !u->disabled;
	if (user_set_disabled(ui_session(), name, disable, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	ui_touch();
	ui_message(R_OK, disable ? _("Account %s disabled") : _("Account %s enabled"), name);
}

static dl_status setting_submit(ui_form *f, void *ctx, dl_err *err)
{
	const struct setting *st = ctx;
	char *v = get(f, st->key);
	if (!v)
		return dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	dl_status rc = settings_set(ui_session(), st->key, v, err);
	free(v);
	if (rc != DL_OK)
		return rc;
	/* the title bar and the shaping mode follow at once: the main loop
	 * reads the settings again after every saved change */
	ui_message(R_OK, _("Saved: %s"), _(st->label));
	return DL_OK;
}

static void setting_open(const struct setting *st)
{
	ui_field_def def = {st->choices ? F_CHOICE : F_TEXT, st->key, st->label, st->hint, st->choices,
	                    st->choice_label};
	/* a choice has no room for a hint: its meaning goes in the title */
	char title[400];
	if (st->choices && st->hint)
		snprintf(title, sizeof title, "%s — %s", _(st->label), _(st->hint));
	else
		snprintf(title, sizeof title, "%s", _(st->label));
	/* the form keeps ctx but does not free it: the table is static */
	ui_form *f = ui_form_new(title, &def, 1, setting_submit, (void *)st, NULL);
	if (!f)
		return;
	char v[256] = "";
	dl_err err = {0};
	if (settings_get(ui_store(), st->key, v, sizeof v, &err) == DL_OK)
		ui_form_set(f, st->key, v);
	ui_form_open(f);
}

/* ---- keys ---- */

static int admin_act(ui_screen *sc, ui_act a, int ch)
{
	admin *ad = sc->data;
	if (ui_sections_find_key(&ad->ss, a, ch, !ui_is_text(ch) && ch == KEY_BACKSPACE))
		return 1;
	if (a == A_NONE)
		return 0;
	if (ui_sections_act(&ad->ss, a))
		return 1;
	const dl_user *u;
	switch (a) {
	case A_NEW:
		new_user_open();
		return 1;
	case A_ENTER:
		if (ad->ss.cur == S_SETTINGS) {
			long long id = ui_table_sel(&ad->sec[S_SETTINGS].t);
			if (id > 0 && (size_t)id <= NSETTINGS)
				setting_open(&settings[id - 1]);
		} else if ((u = selected_user(ad))) {
			role_open(u);
		}
		return 1;
	case A_EDIT:
		if ((u = selected_user(ad)))
			role_open(u);
		return 1;
	case A_TOGGLE:
		if ((u = selected_user(ad)))
			toggle_disabled(u);
		return 1;
	case A_SAVE:
		if ((u = selected_user(ad)))
			password_open(u);
		return 1;
	default:
		return 0;
	}
}

static void admin_free(ui_screen *sc)
{
	admin *ad = sc->data;
	user_list_free(&ad->users);
	for (int i = 0; i < NSECTIONS; i++)
		ui_table_free(&ad->sec[i].t);
	edit_free(&ad->ss.find);
	free(ad);
}

/* r, d and p act on the user selected in the users section, wherever the
 * focus is: the form or question names them. */
static const ui_binding admin_keys[] = {
	{'\t', A_NEXT, N_("users, or settings")},
	{KEY_BTAB, A_PREV, NULL},
	{'n', A_NEW, N_("add a user")},
	{'r', A_EDIT, N_("change the selected user's role")},
	{'d', A_TOGGLE, N_("disable or enable the selected user's account")},
	{'p', A_SAVE, N_("set a new password for the selected user")},
	{'\n', A_ENTER, N_("change the setting; on a user, the role")},
	{'/', A_SEARCH, N_("find a row: type, ↓ for the next, Enter to stop")},
	{0, A_NONE, NULL},
};

static const ui_screen_ops admin_ops = {
	N_("Users and settings"), admin_keys, admin_draw, admin_act, admin_free, 1, NULL,
};

void ui_admin_open(void)
{
	dl_err err = {0};
	if (perm_admin(ui_session(), &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	admin *ad = calloc(1, sizeof *ad);
	if (!ad)
		return;
	ad->sec[S_USERS] = (ui_section){.title = N_("Users"), .empty = N_("No users.")};
	ad->sec[S_SETTINGS] = (ui_section){.title = N_("Settings"), .empty = N_("No settings."), .all = 1};
	ui_table_init(&ad->sec[S_USERS].t, user_cols, NC(user_cols));
	ui_table_init(&ad->sec[S_SETTINGS].t, setting_cols, NC(setting_cols));
	ad->ss.v = ad->sec;
	ad->ss.n = NSECTIONS;
	reload(ad);
	ui_push(&admin_ops, ad);
}
