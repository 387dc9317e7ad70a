/* cli_device.c — device add, list, show, edit. */
#include "cli.h"
#include "device.h"
#include "i18n.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

/* A device's input with room for the repeated --imei; the strings stay in argv. */
typedef struct device_args {
	dl_device_input in;
	const char *imeis[CLI_MAX_ARGS];
} device_args;

static void device_input(const cli_args *a, device_args *d)
{
	memset(d, 0, sizeof *d);
	dl_device_input *in = &d->in;
	in->type = arg_get(a, "type");
	in->make = arg_get(a, "make");
	in->model = arg_get(a, "model");
	in->serial = arg_get(a, "serial");
	const char *v;
	while (in->nimeis < CLI_MAX_ARGS && (v = arg_nth(a, "imei", (int)in->nimeis)) != NULL)
		d->imeis[in->nimeis++] = v;
	in->imeis = d->imeis;
	in->phone = arg_get(a, "phone");
	in->iccid = arg_get(a, "iccid");
	in->owner = arg_get(a, "owner");
	in->seized_at = arg_get(a, "seized-at");
	in->seized_place = arg_get(a, "seized-place");
	in->seizing_officer = arg_get(a, "officer");
	in->seal_number = arg_get(a, "seal");
	in->condition = arg_get(a, "condition");
	in->storage_location = arg_get(a, "storage");
	in->extraction_status = arg_get(a, "extraction");
	in->notes = arg_get(a, "notes");
}

static dl_status show_device(cli_ctx *c, long long id)
{
	dl_device d;
	dl_status rc = device_get(&c->session, id, &d, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		device_json(&w, &d, 1);
		cli_json_print(&w);
		device_free(&d);
		return DL_OK;
	}
	char owner[700];
	if (d.owner_id)
		snprintf(owner, sizeof owner, "%lld %s%s%s%s", d.owner_id, d.owner_name_ar,
		         d.owner_name_lat ? " (" : "", d.owner_name_lat ? d.owner_name_lat : "",
		         d.owner_name_lat ? ")" : "");
	cli_field_int(_("Device"), d.id);
	cli_field(_("Case"), d.case_number);
	cli_field(_("Type"), d.type);
	cli_field(_("Make"), d.make);
	cli_field(_("Model"), d.model);
	cli_field(_("Serial"), d.serial);
	for (size_t i = 0; i < d.identifiers.n; i++)
		cli_field(d.identifiers.v[i].kind, d.identifiers.v[i].value);
	cli_field(_("Owner"), d.owner_id ? owner : NULL);
	cli_field(_("Seized at"), d.seized_at);
	cli_field(_("Seized in"), d.seized_place);
	cli_field(_("Seizing officer"), d.seizing_officer);
	cli_field(_("Seal"), d.seal_number);
	cli_field(_("Condition"), d.condition);
	cli_field(_("Stored at"), d.storage_location);
	cli_field(_("Extraction"), d.extraction_status);
	cli_field(_("Notes"), d.notes);
	device_free(&d);
	return DL_OK;
}

static dl_status run_add(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "case");
	if (rc != DL_OK)
		return rc;
	device_args d;
	device_input(a, &d);
	long long id;
	if ((rc = device_add(&c->session, arg_get(a, "case"), &d.in, &id, &c->err)) != DL_OK)
		return rc;
	if (c->json)
		return show_device(c, id);
	printf(_("device %lld added to case %s\n"), id, arg_get(a, "case"));
	return DL_OK;
}

static dl_status run_list(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "case");
	if (rc != DL_OK)
		return rc;
	dl_device_list l;
	if ((rc = device_list(&c->session, arg_get(a, "case"), &l, &c->err)) != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			device_json(&w, &l.v[i], 0);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			const dl_device *d = &l.v[i];
			char what[420];
			snprintf(what, sizeof what, "%s%s%s", d->make ? d->make : "",
			         d->make && d->model ? " " : "", d->model ? d->model : "");
			/* one number to recognise it by: IMEI, else phone, else ICCID */
			const char *ident = d->nimeis ? d->imeis[0] : d->phone ? d->phone : d->iccid;
			printf("%6lld ", d->id);
			cli_print_padded(d->type, 8);
			putchar(' ');
			cli_print_padded(what[0] ? what : NULL, 20);
			putchar(' ');
			cli_print_padded(ident, 20);
			putchar(' ');
			cli_print_padded(d->owner_name_ar, 20);
			putchar(' ');
			cli_print_padded(d->extraction_status, 12);
			printf(" %s\n", d->seal_number ? d->seal_number : "-");
		}
	}
	device_list_free(&l);
	return DL_OK;
}

static dl_status run_show(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = val_id("id", a->pos[0], &id, &c->err);
	return rc == DL_OK ? show_device(c, id) : rc;
}

static dl_status run_edit(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = val_id("id", a->pos[0], &id, &c->err);
	if (rc != DL_OK)
		return rc;
	device_args d;
	device_input(a, &d);
	if ((rc = device_edit(&c->session, id, &d.in, &c->err)) != DL_OK)
		return rc;
	if (c->json)
		return show_device(c, id);
	printf(_("device %lld updated\n"), id);
	return DL_OK;
}

#define DEVICE_FIELDS \
	"[--imei I]... [--owner PERSON_ID] [--make T] [--model T] [--serial T] [--phone P] [--iccid I] " \
	"[--seized-at TIME] [--seized-place T] [--officer T] [--seal T] [--condition T] [--storage T] " \
	"[--extraction not_started|in_progress|extracted|partial|failed|not_possible] [--notes T]"
#define DEVICE_OPTS \
	"type=,imei=*,owner=,make=,model=,serial=,phone=,iccid=,seized-at=,seized-place=,officer=," \
	"seal=,condition=,storage=,extraction=,notes="

const cli_command cli_device_commands[] = {
	{"device", "add", "--case N --type phone|sim|computer|tablet|storage|other " DEVICE_FIELDS,
	 N_("record a seized device in a case"), "case=," DEVICE_OPTS, 0, 0, 1, run_add},
	{"device", "list", "--case N", N_("list the devices of a case"), "case=", 0, 0, 1, run_list},
	{"device", "show", "ID", N_("show a device with its identifiers and owner"), "", 1, 1, 1, run_show},
	{"device", "edit", "ID [--type T] " DEVICE_FIELDS,
	 N_("change a device; IMEIs, phone and ICCID are added; --owner \"\" removes the owner"),
	 DEVICE_OPTS, 1, 1, 1, run_edit},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
