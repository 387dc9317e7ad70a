/* cli_person.c — person add, list, show, edit, link; identifier add, list. */
#include "cli.h"
#include "i18n.h"
#include "identifier.h"
#include "person.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

/* A person's input with room for the repeated options; the strings stay in
 * argv. */
typedef struct person_args {
	dl_person_input in;
	const char *aliases[CLI_MAX_ARGS], *phones[CLI_MAX_ARGS];
	const char *emails[CLI_MAX_ARGS], *documents[CLI_MAX_ARGS];
} person_args;

/* Every value of a repeatable option into out; their number. */
static size_t arg_all(const cli_args *a, const char *name, const char *out[CLI_MAX_ARGS])
{
	size_t n = 0;
	const char *v;
	while (n < CLI_MAX_ARGS && (v = arg_nth(a, name, (int)n)) != NULL)
		out[n++] = v;
	return n;
}

static void person_input(const cli_args *a, person_args *p)
{
	memset(p, 0, sizeof *p);
	dl_person_input *in = &p->in;
	in->name_ar = arg_get(a, "name-ar");
	in->name_lat = arg_get(a, "name-lat");
	in->sex = arg_get(a, "sex");
	in->birth_date = arg_get(a, "born");
	in->nationality = arg_get(a, "nationality");
	in->status = arg_get(a, "status");
	in->role = arg_get(a, "role");
	in->network_role = arg_get(a, "network-role");
	in->notes = arg_get(a, "notes");
	in->naliases = arg_all(a, "alias", p->aliases);
	in->aliases = p->aliases;
	in->nphones = arg_all(a, "phone", p->phones);
	in->phones = p->phones;
	in->nemails = arg_all(a, "email", p->emails);
	in->emails = p->emails;
	in->ndocuments = arg_all(a, "document", p->documents);
	in->documents = p->documents;
}

static void person_json(json_w *w, const dl_person *p, int full)
{
	json_begin_object(w);
	json_kint(w, "id", p->id);
	json_kstr(w, "name_ar", p->name_ar);
	json_kstr(w, "name_lat", p->name_lat);
	if (!full) {
		json_kstr(w, "role", p->role);
		json_kstr(w, "network_role", p->network_role);
	}
	json_kstr(w, "sex", p->sex);
	json_kstr(w, "birth_date", p->birth_date);
	json_kstr(w, "nationality", p->nationality);
	json_kstr(w, "status", p->status);
	json_kstr(w, "notes", p->notes);
	if (full) {
		json_key(w, "aliases");
		json_begin_array(w);
		for (size_t i = 0; i < p->naliases; i++)
			json_str(w, p->aliases[i]);
		json_end_array(w);
		json_key(w, "documents");
		json_begin_array(w);
		for (size_t i = 0; i < p->ndocuments; i++) {
			json_begin_object(w);
			json_kint(w, "id", p->documents[i].id);
			json_kstr(w, "kind", p->documents[i].kind);
			json_kstr(w, "number", p->documents[i].number);
			json_kstr(w, "country", p->documents[i].country);
			json_kstr(w, "expires", p->documents[i].expires);
			json_end_object(w);
		}
		json_end_array(w);
		json_key(w, "identifiers");
		identifier_list_json(w, &p->identifiers);
		json_key(w, "cases");
		json_begin_array(w);
		for (size_t i = 0; i < p->ncases; i++) {
			json_begin_object(w);
			json_kstr(w, "number", p->cases[i].number);
			json_kstr(w, "role", p->cases[i].role);
			json_kstr(w, "network_role", p->cases[i].network_role);
			json_end_object(w);
		}
		json_end_array(w);
	}
	json_kstr(w, "created_at", p->created_at);
	json_kstr(w, "updated_at", p->updated_at);
	json_end_object(w);
}

static dl_status show_person(cli_ctx *c, long long id)
{
	dl_person p;
	dl_status rc = person_get(&c->session, id, &p, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		person_json(&w, &p, 1);
		cli_json_print(&w);
		person_free(&p);
		return DL_OK;
	}
	char line[256];
	cli_field_int(_("Person"), p.id);
	cli_field(_("Name (Arabic)"), p.name_ar);
	cli_field(_("Name (Latin)"), p.name_lat);
	for (size_t i = 0; i < p.naliases; i++)
		cli_field(_("Alias"), p.aliases[i]);
	cli_field(_("Sex"), p.sex);
	cli_field(_("Born"), p.birth_date);
	cli_field(_("Nationality"), p.nationality);
	cli_field(_("Status"), p.status);
	for (size_t i = 0; i < p.ndocuments; i++) {
		const dl_person_document *d = &p.documents[i];
		snprintf(line, sizeof line, "%s %s%s%s%s", d->kind, d->number, d->country ? " (" : "",
		         d->country ? d->country : "", d->country ? ")" : "");
		cli_field(_("Document"), line);
	}
	for (size_t i = 0; i < p.identifiers.n; i++)
		cli_field(p.identifiers.v[i].kind, p.identifiers.v[i].value);
	for (size_t i = 0; i < p.ncases; i++) {
		snprintf(line, sizeof line, "%s %s%s%s%s", p.cases[i].number, p.cases[i].role,
		         p.cases[i].network_role ? " (" : "",
		         p.cases[i].network_role ? p.cases[i].network_role : "",
		         p.cases[i].network_role ? ")" : "");
		cli_field(_("Case"), line);
	}
	cli_field(_("Notes"), p.notes);
	person_free(&p);
	return DL_OK;
}

/* The ID word of show, edit and link. */
static dl_status pos_id(cli_ctx *c, const cli_args *a, long long *id)
{
	return val_id("id", a->pos[0], id, &c->err);
}

static dl_status run_add(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "case");
	if (rc != DL_OK)
		return rc;
	person_args p;
	person_input(a, &p);
	long long id;
	if ((rc = person_add(&c->session, arg_get(a, "case"), &p.in, &id, &c->err)) != DL_OK)
		return rc;
	if (c->json)
		return show_person(c, id);
	printf(_("person %lld added to case %s\n"), id, arg_get(a, "case"));
	return DL_OK;
}

static dl_status run_list(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "case");
	if (rc != DL_OK)
		return rc;
	dl_person_list l;
	if ((rc = person_list(&c->session, arg_get(a, "case"), &l, &c->err)) != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			person_json(&w, &l.v[i], 0);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			const dl_person *p = &l.v[i];
			printf("%6lld ", p->id);
			cli_print_padded(p->name_ar, 28);
			putchar(' ');
			cli_print_padded(p->name_lat, 22);
			putchar(' ');
			cli_print_padded(p->role, 9);
			putchar(' ');
			cli_print_padded(p->network_role, 13);
			printf(" %s\n", p->status);
		}
	}
	person_list_free(&l);
	return DL_OK;
}

static dl_status run_show(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = pos_id(c, a, &id);
	return rc == DL_OK ? show_person(c, id) : rc;
}

static dl_status run_edit(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = pos_id(c, a, &id);
	if (rc != DL_OK)
		return rc;
	person_args p;
	person_input(a, &p);
	if ((rc = person_edit(&c->session, id, &p.in, &c->err)) != DL_OK)
		return rc;
	if (c->json)
		return show_person(c, id);
	printf(_("person %lld updated\n"), id);
	return DL_OK;
}

static dl_status run_link(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = pos_id(c, a, &id);
	if (rc == DL_OK)
		rc = cli_require(c, a, "case");
	if (rc != DL_OK)
		return rc;
	if ((rc = person_link(&c->session, id, arg_get(a, "case"), arg_get(a, "role"),
	                      arg_get(a, "network-role"), &c->err)) != DL_OK)
		return rc;
	if (c->json)
		return show_person(c, id);
	printf(_("person %lld linked to case %s as %s\n"), id, arg_get(a, "case"), arg_get(a, "role"));
	return DL_OK;
}

/* An optional "--person ID" / "--device ID"; 0 when not given. */
static dl_status opt_id(cli_ctx *c, const cli_args *a, const char *name, long long *id)
{
	*id = 0;
	const char *v = arg_get(a, name);
	return v ? val_id(name, v, id, &c->err) : DL_OK;
}

static dl_status run_ident_add(cli_ctx *c, cli_args *a)
{
	long long person = 0, device = 0, id = 0;
	dl_status rc = cli_require(c, a, "case");
	if (rc == DL_OK)
		rc = opt_id(c, a, "person", &person);
	if (rc == DL_OK)
		rc = opt_id(c, a, "device", &device);
	if (rc != DL_OK)
		return rc;
	const char *kind = arg_get(a, "kind"), *value = arg_get(a, "value");
	if ((rc = identifier_add(&c->session, arg_get(a, "case"), kind, value, person, device, &id,
	                         &c->err)) != DL_OK)
		return rc;
	/* Kind and value as stored, to show what the input became. */
	int k = 0;
	char norm[DL_IDENT_MAX];
	if ((rc = val_enum("kind", kind, identifier_kind_names, &k, &c->err)) != DL_OK ||
	    (rc = identifier_normalize(c->session.store, kind, value, norm, sizeof norm, &c->err)) != DL_OK)
		return rc;
	kind = identifier_kind_names[k];
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kint(&w, "id", id);
		json_kstr(&w, "kind", kind);
		json_kstr(&w, "value", norm);
		json_kid(&w, "person_id", person);
		json_kid(&w, "device_id", device);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		printf(_("identifier %lld: %s %s\n"), id, kind, norm);
	}
	return DL_OK;
}

static dl_status run_ident_list(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "case");
	if (rc != DL_OK)
		return rc;
	dl_identifier_list l;
	if ((rc = identifier_list(&c->session, arg_get(a, "case"), &l, &c->err)) != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++) {
			const dl_identifier *d = &l.v[i];
			json_begin_object(&w);
			json_kint(&w, "id", d->id);
			json_kstr(&w, "kind", d->kind);
			json_kstr(&w, "value", d->value);
			json_kid(&w, "person_id", d->person_id);
			json_kid(&w, "device_id", d->device_id);
			json_kid(&w, "item_id", d->item_id);
			json_kstr(&w, "subject", d->subject);
			json_kstr(&w, "created_at", d->created_at);
			json_end_object(&w);
		}
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			const dl_identifier *d = &l.v[i];
			char subject[32];
			if (d->person_id)
				snprintf(subject, sizeof subject, _("person %lld"), d->person_id);
			else if (d->device_id)
				snprintf(subject, sizeof subject, _("device %lld"), d->device_id);
			else if (d->item_id)
				snprintf(subject, sizeof subject, _("item %lld"), d->item_id);
			else
				snprintf(subject, sizeof subject, "-");
			printf("%6lld ", d->id);
			cli_print_padded(d->kind, 6);
			putchar(' ');
			cli_print_padded(d->value, 34);
			putchar(' ');
			cli_print_padded(subject, 14);
			printf(" %s\n", d->subject ? d->subject : "");
		}
	}
	identifier_list_free(&l);
	return DL_OK;
}

#define PERSON_FIELDS \
	"[--name-lat T] [--sex male|female|unknown] [--born DATE] [--nationality CC] " \
	"[--status unknown|at_large|arrested|detained|released] [--network-role R] [--notes T] " \
	"[--alias A]... [--phone P]... [--email E]... [--document KIND:NUMBER[:CC]]..."
#define PERSON_OPTS \
	"name-ar=,name-lat=,sex=,born=,nationality=,status=,network-role=,notes=," \
	"alias=*,phone=*,email=*,document=*"

const cli_command cli_person_commands[] = {
	{"person", "add", "--case N --name-ar T --role suspect|victim|witness|informant " PERSON_FIELDS,
	 N_("record a person in a case, with aliases, documents, phones and e-mails"),
	 "case=,role=," PERSON_OPTS, 0, 0, 1, run_add},
	{"person", "list", "--case N", N_("list the persons of a case with their roles"),
	 "case=", 0, 0, 1, run_list},
	{"person", "show", "ID", N_("show a person with documents, identifiers and cases"),
	 "", 1, 1, 1, run_show},
	{"person", "edit", "ID [--name-ar T] " PERSON_FIELDS,
	 N_("change a person; aliases, documents, phones and e-mails are added"),
	 "role=," PERSON_OPTS, 1, 1, 1, run_edit},
	{"person", "link", "ID --case N --role suspect|victim|witness|informant [--network-role R]",
	 N_("add a person already recorded to another case"),
	 "case=,role=,network-role=", 1, 1, 1, run_link},
	{"identifier", "add",
	 "--case N --kind phone|email|social|url|imei|imsi|iccid|btc|eth|tron|iban --value V (--person ID | --device ID)",
	 N_("record an identifier of a person or device of a case"),
	 "case=,kind=,value=,person=,device=", 0, 0, 1, run_ident_add},
	{"identifier", "list", "--case N", N_("list the identifiers known in a case"),
	 "case=", 0, 0, 1, run_ident_list},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
