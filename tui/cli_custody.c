/* cli_custody.c — custody add, list. */
#include "cli.h"
#include "custody.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

/* One event on one line: time, subject, event, from → to, then the details. */
static void custody_line(const dl_custody_event *e)
{
	char subject[32];
	snprintf(subject, sizeof subject, "%s:%lld", custody_subject_names[e->subject_kind], e->subject_id);
	printf("%-6lld %s ", e->id, e->at);
	cli_print_padded(subject, 12);
	putchar(' ');
	cli_print_padded(custody_event_names[e->event], 11);
	putchar(' ');
	cli_print_padded(e->from, 20);
	printf(" → ");
	cli_print_padded(e->to, 20);
	putchar(' ');
	cli_print_padded(e->recorded_by, 10);
	putchar('\n');
	if (e->place)
		printf("       %s: %s\n", _("place"), e->place);
	if (e->seal_number)
		printf("       %s: %s\n", _("seal"), e->seal_number);
	if (e->reason)
		printf("       %s: %s\n", _("reason"), e->reason);
}

static dl_status run_add(cli_ctx *c, cli_args *a)
{
	if (!arg_get(a, "case"))
		return cli_require(c, a, "case");
	const char *subject = arg_get(a, "subject");
	if (!subject)
		return dl_err_set(&c->err, DL_EINVAL, "subject",
		                  _("--subject device:ID, source:ID or item:ID is required"));
	dl_custody_subject kind;
	dl_custody_input in = {0};
	dl_status rc = custody_subject_parse("subject", subject, &kind, &in.subject_id, &c->err);
	if (rc != DL_OK)
		return rc;
	in.subject_kind = custody_subject_names[kind];
	in.event = arg_get(a, "event");
	in.from = arg_get(a, "from");
	in.to = arg_get(a, "to");
	in.at = arg_get(a, "at");
	in.place = arg_get(a, "place");
	in.seal = arg_get(a, "seal");
	in.reason = arg_get(a, "reason");
	long long id;
	if ((rc = custody_add(&c->session, arg_get(a, "case"), &in, &id, &c->err)) != DL_OK)
		return rc;
	dl_custody_event e;
	if ((rc = custody_get(&c->session, id, &e, &c->err)) != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		custody_event_json(&w, &e);
		cli_json_print(&w);
	} else {
		/* TRANSLATORS: %lld is the event id, then the event and the subject. */
		printf(_("custody event %lld recorded: %s %s:%lld\n"), e.id, custody_event_names[e.event],
		       custody_subject_names[e.subject_kind], e.subject_id);
	}
	custody_event_free(&e);
	return DL_OK;
}

static dl_status run_list(cli_ctx *c, cli_args *a)
{
	if (!arg_get(a, "case"))
		return cli_require(c, a, "case");
	const char *subject = arg_get(a, "subject");
	dl_custody_subject kind = DL_CUSTODY_DEVICE;
	long long sid = 0;
	dl_status rc;
	if (subject && (rc = custody_subject_parse("subject", subject, &kind, &sid, &c->err)) != DL_OK)
		return rc;
	dl_custody_list l;
	rc = custody_list(&c->session, arg_get(a, "case"), subject ? custody_subject_names[kind] : NULL,
	                  sid, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			custody_event_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++)
			custody_line(&l.v[i]);
	}
	custody_list_free(&l);
	return DL_OK;
}

const cli_command cli_custody_commands[] = {
	{"custody", "add",
	 "--case N --subject device:ID|source:ID|item:ID --event seized|sealed|transferred|received|"
	 "extracted|ingested|examined|reported|returned|destroyed [--from T] [--to T] [--at TIME] "
	 "[--place T] [--seal T] [--reason T]",
	 N_("record a custody event; a transfer needs --from, --to and --reason"),
	 "case=,subject=,event=,from=,to=,at=,place=,seal=,reason=", 0, 0, 1, run_add},
	{"custody", "list", "--case N [--subject KIND:ID]",
	 N_("show the chain of custody of a case or of one subject, oldest first"),
	 "case=,subject=", 0, 0, 1, run_list},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
