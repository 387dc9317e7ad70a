/* cli_case.c — case add, list, show, edit, status. */
#include "case.h"
#include "cli.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

static void case_input(cli_args *a, dl_case_input *in)
{
	memset(in, 0, sizeof *in);
	in->number = arg_get(a, "number");
	in->title_ar = arg_get(a, "title-ar");
	in->title_en = arg_get(a, "title-en");
	in->offences = arg_get(a, "offence");
	in->opened = arg_get(a, "opened");
	in->deadline = arg_get(a, "deadline");
	in->reason = arg_get(a, "reason");
	in->lead = arg_get(a, "lead");
	in->jurisdiction = arg_get(a, "jurisdiction");
	in->summary_ar = arg_get(a, "summary-ar");
	in->summary_en = arg_get(a, "summary-en");
	in->assign = arg_get(a, "assign");
	in->unassign = arg_get(a, "unassign");
}

static void case_json(json_w *w, const dl_case *c, int full)
{
	json_begin_object(w);
	json_kint(w, "id", c->id);
	json_kstr(w, "number", c->number);
	json_kstr(w, "title_ar", c->title_ar);
	json_kstr(w, "title_en", c->title_en);
	json_key(w, "offences");
	json_begin_array(w);
	for (int i = 0; case_offence_names[i]; i++)
		if (c->offences & (1u << i))
			json_str(w, case_offence_names[i]);
	json_end_array(w);
	json_kstr(w, "status", case_status_names[c->status]);
	json_kstr(w, "opened", c->opened);
	json_kstr(w, "deadline", c->deadline);
	json_kint(w, "days_left", c->days_left);
	json_kstr(w, "lead", c->lead);
	json_kstr(w, "jurisdiction", c->jurisdiction);
	json_kstr(w, "summary_ar", c->summary_ar);
	json_kstr(w, "summary_en", c->summary_en);
	json_kstr(w, "created_at", c->created_at);
	json_kstr(w, "updated_at", c->updated_at);
	if (full) {
		json_key(w, "assigned");
		json_begin_array(w);
		for (size_t i = 0; i < c->nassigned; i++)
			json_str(w, c->assigned[i]);
		json_end_array(w);
		const struct { const char *key, *from, *to; dl_case_change *v; size_t n; } hist[] = {
			{"status_history", "from", "to", c->status_history, c->nstatus_history},
			{"deadline_history", "from", "to", c->deadline_history, c->ndeadline_history},
		};
		for (size_t h = 0; h < 2; h++) {
			json_key(w, hist[h].key);
			json_begin_array(w);
			for (size_t i = 0; i < hist[h].n; i++) {
				json_begin_object(w);
				json_kstr(w, "at", hist[h].v[i].at);
				json_kstr(w, "by", hist[h].v[i].username);
				json_kstr(w, hist[h].from, hist[h].v[i].from);
				json_kstr(w, hist[h].to, hist[h].v[i].to);
				json_kstr(w, "reason", hist[h].v[i].reason);
				json_end_object(w);
			}
			json_end_array(w);
		}
	}
	json_end_object(w);
}

static dl_status show_case(cli_ctx *c, const char *number)
{
	dl_case k;
	dl_status rc = case_get(&c->session, number, &k, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		case_json(&w, &k, 1);
		cli_json_print(&w);
	} else {
		char off[256] = "", days[64];
		for (int i = 0; case_offence_names[i]; i++)
			if (k.offences & (1u << i))
				snprintf(off + strlen(off), sizeof off - strlen(off), "%s%s", off[0] ? ", " : "",
				         case_offence_label(i));
		snprintf(days, sizeof days, "%s (%lld)", k.deadline, k.days_left);
		cli_field(_("Case"), k.number);
		cli_field(_("Title (Arabic)"), k.title_ar);
		cli_field(_("Title (English)"), k.title_en);
		cli_field(_("Offences"), off);
		cli_field(_("Status"), case_status_label(k.status));
		cli_field(_("Opened"), k.opened);
		cli_field(_("Deadline (days left)"), days);
		cli_field(_("Lead investigator"), k.lead);
		for (size_t i = 0; i < k.nassigned; i++)
			cli_field(_("Assigned"), k.assigned[i]);
		cli_field(_("Jurisdiction"), k.jurisdiction);
		cli_field(_("Summary (Arabic)"), k.summary_ar);
		cli_field(_("Summary (English)"), k.summary_en);
		for (size_t i = 0; i < k.nstatus_history; i++)
			printf("  %s  %s → %s  %s  %s\n", k.status_history[i].at,
			       k.status_history[i].from ? k.status_history[i].from : "-",
			       k.status_history[i].to, k.status_history[i].username ? k.status_history[i].username : "-",
			       k.status_history[i].reason ? k.status_history[i].reason : "");
		for (size_t i = 0; i < k.ndeadline_history; i++)
			printf("  %s  %s: %s → %s  %s  %s\n", k.deadline_history[i].at, _("deadline"),
			       k.deadline_history[i].from, k.deadline_history[i].to,
			       k.deadline_history[i].username ? k.deadline_history[i].username : "-",
			       k.deadline_history[i].reason);
	}
	case_free(&k);
	return DL_OK;
}

static dl_status run_add(cli_ctx *c, cli_args *a)
{
	dl_case_input in;
	case_input(a, &in);
	long long id;
	dl_status rc = case_add(&c->session, &in, &id, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json)
		return show_case(c, in.number);
	printf(_("case %s added\n"), in.number);
	return DL_OK;
}

static dl_status run_list(cli_ctx *c, cli_args *a)
{
	dl_case_filter f = {0};
	f.status = arg_get(a, "status");
	f.offence = arg_get(a, "offence");
	f.mine = arg_has(a, "mine");
	f.sort = arg_get(a, "sort");
	dl_case_list l;
	dl_status rc = case_list(&c->session, &f, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			case_json(&w, &l.v[i], 0);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			dl_case *k = &l.v[i];
			cli_print_padded(k->number, 16);
			putchar(' ');
			cli_print_padded(case_status_label(k->status), 13);
			printf(" %s %5lld ", k->deadline, k->days_left);
			cli_print_padded(k->lead, 12);
			printf(" %s\n", k->title_ar);
		}
	}
	case_list_free(&l);
	return DL_OK;
}

static dl_status run_show(cli_ctx *c, cli_args *a)
{
	return show_case(c, a->pos[0]);
}

static dl_status run_edit(cli_ctx *c, cli_args *a)
{
	dl_case_input in;
	case_input(a, &in);
	dl_status rc = case_edit(&c->session, a->pos[0], &in, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json)
		return show_case(c, a->pos[0]);
	printf(_("case %s updated\n"), a->pos[0]);
	return DL_OK;
}

static dl_status run_status(cli_ctx *c, cli_args *a)
{
	dl_status rc = case_set_status(&c->session, a->pos[0], a->pos[1], arg_get(a, "reason"), &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json)
		return show_case(c, a->pos[0]);
	dl_case k;
	if (case_get(&c->session, a->pos[0], &k, &c->err) == DL_OK) {
		printf(_("case %s is now: %s\n"), k.number, case_status_label(k.status));
		case_free(&k);
	}
	return DL_OK;
}

const cli_command cli_case_commands[] = {
	{"case", "add",
	 "--number N --title-ar T [--title-en T] --offence trafficking|smuggling|cybercrime|terrorism-financing|other[,...] "
	 "[--opened DATE] [--deadline DATE] [--lead USER] [--assign USER,...] [--jurisdiction T] [--summary-ar T] [--summary-en T]",
	 N_("open a case; the deadline defaults to the opening date plus deadline_days"),
	 "number=,title-ar=,title-en=,offence=,opened=,deadline=,lead=,assign=,jurisdiction=,summary-ar=,summary-en=",
	 0, 0, 1, run_add},
	{"case", "list", "[--status S] [--offence O] [--mine] [--sort deadline|number|opened|status]",
	 N_("list the cases you may see"), "status=,offence=,mine,sort=", 0, 0, 1, run_list},
	{"case", "show", "N", N_("show one case with its history"), "", 1, 1, 1, run_show},
	{"case", "edit",
	 "N [--title-ar T] [--title-en T] [--offence O,...] [--deadline DATE --reason T] [--lead USER] "
	 "[--assign USER,...] [--unassign USER,...] [--jurisdiction T] [--summary-ar T] [--summary-en T]",
	 N_("change a case; a new deadline needs a reason"),
	 "title-ar=,title-en=,offence=,deadline=,reason=,lead=,assign=,unassign=,jurisdiction=,summary-ar=,summary-en=,number=,opened=",
	 1, 1, 1, run_edit},
	{"case", "status", "N investigating|referred|in_court|closed|suspended [--reason T]",
	 N_("move a case along its workflow; closing needs a supervisor"), "reason=", 2, 2, 1, run_status},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
