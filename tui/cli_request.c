/* cli_request.c — request add, list, edit: preservation and disclosure
 * requests to providers, with their delays in plain sight. */
#include "cli.h"
#include "i18n.h"
#include "request.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

static void request_input(cli_args *a, dl_request_input *in)
{
	memset(in, 0, sizeof *in);
	in->kind = arg_get(a, "kind");
	in->provider = arg_get(a, "provider");
	in->provider_type = arg_get(a, "provider-type");
	in->legal_basis = arg_get(a, "legal-basis");
	in->reference = arg_get(a, "reference");
	in->sent_date = arg_get(a, "sent");
	in->due_date = arg_get(a, "due");
	in->status = arg_get(a, "status");
	in->answer_date = arg_get(a, "answered");
	in->identifiers = arg_get(a, "identifiers");
	in->notes = arg_get(a, "notes");
}

static void request_show(const dl_request *r)
{
	char buf[64];
	cli_field_int(_("Request"), r->id);
	cli_field(_("Case"), r->case_number);
	cli_field(_("Kind"), request_kind_names[r->kind]);
	cli_field(_("Provider"), r->provider);
	cli_field(_("Provider type"), request_provider_type_names[r->provider_type]);
	cli_field(_("Legal basis"), r->legal_basis);
	cli_field(_("Reference"), r->reference);
	cli_field(_("Sent"), r->sent_date);
	cli_field(_("Due"), r->due_date);
	cli_field(_("Status"), request_status_names[r->status]);
	cli_field(_("Answered"), r->answer_date);
	if (r->overdue) {
		/* TRANSLATORS: %lld is a number of days. */
		snprintf(buf, sizeof buf, _("%lld days"), r->days_overdue);
		cli_field(_("Overdue by"), buf);
	}
	for (size_t i = 0; i < r->nidentifiers; i++) {
		char line[600];
		snprintf(line, sizeof line, "%lld %s %s", r->identifiers[i].id,
		         r->identifiers[i].kind ? r->identifiers[i].kind : "-",
		         r->identifiers[i].value ? r->identifiers[i].value : "-");
		cli_field(_("Identifier"), line);
	}
	cli_field(_("Notes"), r->notes);
}

/* Print request id as add/edit's answer. */
static dl_status print_request(cli_ctx *c, long long id)
{
	dl_request r;
	dl_status rc = request_get(&c->session, id, &r, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		request_json(&w, &r);
		cli_json_print(&w);
	} else {
		request_show(&r);
	}
	request_free(&r);
	return DL_OK;
}

static dl_status run_add(cli_ctx *c, cli_args *a)
{
	const char *number = arg_get(a, "case");
	if (!number)
		return cli_require(c, a, "case");
	dl_request_input in;
	request_input(a, &in);
	long long id;
	dl_status rc = request_add(&c->session, number, &in, &id, &c->err);
	if (rc != DL_OK)
		return rc;
	return print_request(c, id);
}

static dl_status run_edit(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = val_id("id", a->pos[0], &id, &c->err);
	if (rc != DL_OK)
		return rc;
	dl_request_input in;
	request_input(a, &in);
	if ((rc = request_edit(&c->session, id, &in, &c->err)) != DL_OK)
		return rc;
	return print_request(c, id);
}

static dl_status run_list(cli_ctx *c, cli_args *a)
{
	dl_request_list l;
	dl_status rc = request_list(&c->session, arg_get(a, "case"), arg_has(a, "overdue"), &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			request_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			dl_request *r = &l.v[i];
			char late[64] = "";
			if (r->overdue)
				/* TRANSLATORS: shown next to a request past its due date; %lld is days. */
				snprintf(late, sizeof late, _("OVERDUE %lldd"), r->days_overdue);
			printf("%-5lld ", r->id);
			cli_print_padded(r->case_number, 16);
			putchar(' ');
			cli_print_padded(request_kind_names[r->kind], 12);
			putchar(' ');
			cli_print_padded(request_status_names[r->status], 12);
			putchar(' ');
			cli_print_padded(r->sent_date, 10);
			putchar(' ');
			cli_print_padded(r->due_date, 10);
			putchar(' ');
			cli_print_padded(late, 14);
			printf(" %s\n", r->provider);
		}
	}
	request_list_free(&l);
	return DL_OK;
}

#define REQUEST_OPTS \
	"--kind preservation|disclosure --provider T [--provider-type platform|isp|telecom|bank|exchange|other] " \
	"[--legal-basis T] [--reference T] [--sent DATE] [--due DATE] " \
	"[--status draft|sent|acknowledged|answered|partial|refused|withdrawn] [--answered DATE] " \
	"[--identifiers ID,...] [--notes T]"
#define REQUEST_SPEC \
	"kind=,provider=,provider-type=,legal-basis=,reference=,sent=,due=,status=,answered=," \
	"identifiers=,notes="

const cli_command cli_request_commands[] = {
	{"request", "add", "--case N " REQUEST_OPTS,
	 N_("record a preservation or disclosure request to a provider"),
	 "case=," REQUEST_SPEC, 0, 0, 1, run_add},
	{"request", "list", "[--case N] [--overdue]",
	 N_("list requests of a case or of every case you may see, the most overdue first"),
	 "case=,overdue", 0, 0, 1, run_list},
	{"request", "edit", "ID [options of request add]",
	 N_("change a request; an empty value clears an optional field"),
	 REQUEST_SPEC, 1, 1, 1, run_edit},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
