/* cli_core.c — init, user, settings and audit commands. */
#include "audit.h"
#include "cli.h"
#include "crypto.h"
#include "i18n.h"
#include "settings.h"
#include "user.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wipe_free(char *pw)
{
	if (pw) {
		crypto_wipe(pw, strlen(pw));
		free(pw);
	}
}

static dl_status run_init(cli_ctx *c, cli_args *a)
{
	const char *admin = arg_get(a, "admin");
	if (!admin)
		return dl_err_set(&c->err, DL_EINVAL, "admin", _("--admin NAME is required"));
	/* Check the name before anything is created on disk. */
	char login[33];
	dl_status rc = val_username("admin", admin, login, &c->err);
	if (rc != DL_OK)
		return rc;
	char *pw = cli_read_password(c->password_file, 1, _("Password for the new administrator: "), 1,
	                             &c->err);
	if (!pw)
		return c->err.code;
	if (strlen(pw) < DL_PASSWORD_MIN) {  /* byte count is a lower bound of characters */
		wipe_free(pw);
		return dl_err_set(&c->err, DL_EINVAL, "password",
		                  P_("expected at least %d character", "expected at least %d characters",
		                     DL_PASSWORD_MIN), DL_PASSWORD_MIN);
	}
	rc = store_open(c->store_dir, 1, &c->store, &c->err);
	long long id = 0;
	if (rc == DL_OK)
		rc = user_init_admin(c->store, login, pw, arg_get(a, "name-ar"), arg_get(a, "name-en"),
		                     &id, &c->err);
	wipe_free(pw);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kstr(&w, "store", store_dir(c->store));
		json_kint(&w, "schema", store_schema_version(c->store));
		json_kint(&w, "admin_id", id);
		json_kstr(&w, "admin", login);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		printf(_("store created at %s; administrator \"%s\"\n"), store_dir(c->store), login);
	}
	return DL_OK;
}

static void user_json(json_w *w, const dl_user *u)
{
	json_begin_object(w);
	json_kint(w, "id", u->id);
	json_kstr(w, "username", u->username);
	json_kstr(w, "name_ar", u->name_ar);
	json_kstr(w, "name_en", u->name_en);
	json_kstr(w, "role", dl_role_names[u->role]);
	json_kbool(w, "disabled", u->disabled);
	json_kstr(w, "locked_until", u->locked_until);
	json_kstr(w, "created_at", u->created_at);
	json_end_object(w);
}

static dl_status run_user_add(cli_ctx *c, cli_args *a)
{
	const char *role = arg_get(a, "role");
	if (!role)
		return dl_err_set(&c->err, DL_EINVAL, "role",
		                  _("--role is required: admin, supervisor, investigator or clerk"));
	dl_status rc = perm_admin(&c->session, &c->err);
	if (rc != DL_OK)
		return rc;
	char prompt[128];
	snprintf(prompt, sizeof prompt, _("Password for %s: "), a->pos[0]);
	char *pw = cli_read_password(arg_get(a, "password-file"), 0, prompt, 1, &c->err);
	if (!pw)
		return c->err.code;
	long long id = 0;
	rc = user_add(&c->session, a->pos[0], role, pw, arg_get(a, "name-ar"), arg_get(a, "name-en"),
	              &id, &c->err);
	wipe_free(pw);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		dl_user u;
		if (user_get(&c->session, a->pos[0], &u, &c->err) == DL_OK) {
			json_w w = {0};
			user_json(&w, &u);
			cli_json_print(&w);
			user_free(&u);
		}
	} else {
		printf(_("user %s added (id %lld)\n"), a->pos[0], id);
	}
	return DL_OK;
}

static dl_status run_user_list(cli_ctx *c, cli_args *a)
{
	(void)a;
	dl_user_list l;
	dl_status rc = user_list(&c->session, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			user_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			dl_user *u = &l.v[i];
			cli_print_padded(u->username, 16);
			putchar(' ');
			cli_print_padded(dl_role_label(u->role), 14);
			putchar(' ');
			cli_print_padded(u->disabled ? _("disabled") : u->locked_until ? _("locked") : _("active"), 10);
			putchar(' ');
			printf("%s%s%s\n", u->name_ar ? u->name_ar : "", u->name_ar && u->name_en ? " / " : "",
			       u->name_en ? u->name_en : "");
		}
	}
	user_list_free(&l);
	return DL_OK;
}

static dl_status run_user_passwd(cli_ctx *c, cli_args *a)
{
	const char *who = a->npos ? a->pos[0] : c->session.username;
	char prompt[128];
	snprintf(prompt, sizeof prompt, _("New password for %s: "), who);
	char *pw = cli_read_password(arg_get(a, "password-file"), 0, prompt, 1, &c->err);
	if (!pw)
		return c->err.code;
	dl_status rc = user_passwd(&c->session, who, pw, &c->err);
	wipe_free(pw);
	if (rc == DL_OK && !c->json)
		printf(_("password of %s changed\n"), who);
	return rc;
}

static dl_status run_user_disable(cli_ctx *c, cli_args *a)
{
	int enable = arg_has(a, "enable");
	dl_status rc = user_set_disabled(&c->session, a->pos[0], !enable, &c->err);
	if (rc == DL_OK && !c->json)
		printf(enable ? _("user %s enabled\n") : _("user %s disabled\n"), a->pos[0]);
	return rc;
}

static dl_status run_settings_get(cli_ctx *c, cli_args *a)
{
	json_w w = {0};
	if (c->json)
		json_begin_object(&w);
	for (int i = 0; settings_keys[i]; i++) {
		const char *key = settings_keys[i];
		if (a->npos && strcmp(a->pos[0], key) != 0)
			continue;
		char v[256];
		settings_get(c->store, key, v, sizeof v, NULL);
		if (c->json)
			json_kstr(&w, key, v);
		else if (a->npos)
			printf("%s\n", v);
		else
			printf("%s = %s\n", key, v);
	}
	if (a->npos) {
		char v[8];
		dl_status rc = settings_get(c->store, a->pos[0], v, sizeof v, &c->err);
		if (rc != DL_OK) {
			buf_free(&w.out);
			return rc;
		}
	}
	if (c->json) {
		json_end_object(&w);
		cli_json_print(&w);
	}
	return DL_OK;
}

static dl_status run_settings_set(cli_ctx *c, cli_args *a)
{
	dl_status rc = settings_set(&c->session, a->pos[0], a->pos[1], &c->err);
	if (rc == DL_OK && !c->json) {
		char v[256];
		settings_get(c->store, a->pos[0], v, sizeof v, NULL);
		printf("%s = %s\n", a->pos[0], v);
	}
	return rc;
}

static dl_status run_audit_list(cli_ctx *c, cli_args *a)
{
	long long limit = 50, eid = 0;
	dl_status rc;
	const char *v = arg_get(a, "limit");
	if (v && (rc = val_int("limit", v, 0, 100000000, &limit, &c->err)) != DL_OK)
		return rc;
	v = arg_get(a, "id");
	if (v && (rc = val_id("id", v, &eid, &c->err)) != DL_OK)
		return rc;
	dl_audit_list l;
	if ((rc = audit_list(&c->session, arg_get(a, "entity"), eid, limit, &l, &c->err)) != DL_OK)
		return rc;
	json_w w = {0};
	if (c->json)
		json_begin_array(&w);
	for (size_t i = 0; i < l.n; i++) {
		dl_audit_entry *e = &l.v[i];
		if (c->json) {
			json_begin_object(&w);
			json_kint(&w, "id", e->id);
			json_kstr(&w, "at", e->at);
			json_kid(&w, "user_id", e->user_id);
			json_kstr(&w, "username", e->username);
			json_kstr(&w, "action", e->action);
			json_kstr(&w, "entity", e->entity);
			json_kint(&w, "entity_id", e->entity_id);
			json_key(&w, "row");
			json_raw(&w, e->row);
			json_key(&w, "data");
			json_raw(&w, e->data);
			json_kstr(&w, "prev_hash", e->prev_hash);
			json_kstr(&w, "hash", e->hash);
			json_end_object(&w);
		} else {
			printf("%6lld  %s  %-12s %-13s %s#%lld\n", e->id, e->at, e->username, e->action,
			       e->entity, e->entity_id);
		}
	}
	if (c->json) {
		json_end_array(&w);
		cli_json_print(&w);
	}
	audit_list_free(&l);
	return DL_OK;
}

static dl_status run_audit_verify(cli_ctx *c, cli_args *a)
{
	(void)a;
	dl_audit_report r;
	dl_status rc = audit_verify(&c->session, &r, &c->err);
	if (rc != DL_OK && rc != DL_ETAMPER)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kbool(&w, "ok", r.n == 0);
		json_kint(&w, "entries", r.entries);
		json_kint(&w, "rows", r.rows);
		json_key(&w, "problems");
		json_begin_array(&w);
		for (size_t i = 0; i < r.n; i++) {
			json_begin_object(&w);
			json_kstr(&w, "entity", r.v[i].entity);
			json_kint(&w, "id", r.v[i].entity_id);
			json_kstr(&w, "problem", r.v[i].what);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < r.n; i++)
			printf("%s #%lld: %s\n", r.v[i].entity, r.v[i].entity_id, r.v[i].what);
		if (r.n == 0) {
			printf("%s\n", _("audit chain intact"));
			printf(P_("%lld entry checked\n", "%lld entries checked\n", r.entries), r.entries);
			printf(P_("%lld row matches the log\n", "%lld rows match the log\n", r.rows), r.rows);
		}
	}
	audit_report_free(&r);
	return rc;
}

const cli_command cli_core_commands[] = {
	{"init", NULL, "--admin NAME [--name-ar T] [--name-en T]",
	 N_("create the store and its first administrator"), "admin=,name-ar=,name-en=", 0, 0, 0, run_init},
	{"user", "add", "LOGIN --role admin|supervisor|investigator|clerk [--password-file F] [--name-ar T] [--name-en T]",
	 N_("add a user (administrators)"), "role=,password-file=,name-ar=,name-en=", 1, 1, 1, run_user_add},
	{"user", "list", "", N_("list users and their roles"), "", 0, 0, 1, run_user_list},
	{"user", "passwd", "[LOGIN] [--password-file F]",
	 N_("change a password (your own, or anyone's as administrator); clears a lockout"),
	 "password-file=", 0, 1, 1, run_user_passwd},
	{"user", "disable", "LOGIN [--enable]", N_("disable or re-enable an account (administrators)"),
	 "enable", 1, 1, 1, run_user_disable},
	{"settings", "get", "[KEY]", N_("show the unit's settings"), "", 0, 1, 1, run_settings_get},
	{"settings", "set", "KEY VALUE",
	 N_("change a setting (administrators); see dalil settings get for the keys"),
	 "", 2, 2, 1, run_settings_set},
	{"audit", "list", "[--entity TABLE] [--id N] [--limit N]",
	 N_("show the newest audit entries (supervisors)"), "entity=,id=,limit=", 0, 0, 1, run_audit_list},
	{"audit", "verify", "", N_("check the audit chain and that every row is as last recorded (supervisors)"),
	 "", 0, 0, 1, run_audit_verify},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
