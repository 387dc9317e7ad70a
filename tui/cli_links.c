/* cli_links.c — dalil links CASE: the identifiers of a case that other cases
 * have too, and where (or, for a case the user may not read, whom to ask). */
#include "cli.h"
#include "i18n.h"
#include "json.h"
#include "links.h"

#include <stdio.h>
#include <string.h>

/* s in full (values are never cut: a phone number or wallet must be copied
 * whole), then spaces up to width display cells. */
static void print_col(const char *s, int width)
{
	if (!s || !*s)
		s = "-";
	fputs(s, stdout);
	for (int w = cli_width(s); w < width; w++)
		putchar(' ');
}

/* "person 3 NAME", "device 2 phone Samsung A12", "item 77 PATH", or "-". */
static void subject_text(const dl_link_subject *s, dl_buf *out)
{
	char head[48];
	switch (s->kind) {
	case DL_LINK_PERSON:
		snprintf(head, sizeof head, _("person %lld"), s->id);
		buf_addf(out, "%s %s", head, s->name ? s->name : "");
		if (s->name_lat)
			buf_addf(out, " (%s)", s->name_lat);
		break;
	case DL_LINK_DEVICE:
		snprintf(head, sizeof head, _("device %lld"), s->id);
		buf_addf(out, "%s %s", head, s->device_type ? s->device_type : "");
		if (s->name)
			buf_addf(out, " %s", s->name);
		break;
	case DL_LINK_ITEM:
		snprintf(head, sizeof head, _("item %lld"), s->id);
		buf_addf(out, "%s %s", head, s->name ? s->name : "");
		if (s->items > 1)
			buf_addf(out, P_(" (and %lld other item)", " (and %lld other items)", s->items - 1),
			          s->items - 1);
		break;
	case DL_LINK_NONE:
		buf_adds(out, "-");
		break;
	}
}

/* Whom to ask about a restricted case: "LOGIN (name)", or a supervisor when
 * the case has no lead. */
static void lead_text(const dl_link *l, dl_buf *out)
{
	if (!l->other_lead) {
		buf_adds(out, _("a supervisor"));
		return;
	}
	const char *name = l->other_lead_name_en && *l->other_lead_name_en ? l->other_lead_name_en
	                                                                   : l->other_lead_name_ar;
	buf_adds(out, l->other_lead);
	if (name && *name)
		buf_addf(out, " (%s)", name);
}

static dl_status run_links(cli_ctx *c, cli_args *a)
{
	dl_link_list l;
	dl_status rc = links_case(&c->session, a->pos[0], 0, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		links_json(&w, &l);
		cli_json_print(&w);
		links_list_free(&l);
		return DL_OK;
	}
	/* the value and subject columns as wide as their widest entry */
	int wval = 5, where = 4, wcase = 10;
	dl_buf b = {0};
	for (size_t i = 0; i < l.n; i++) {
		int w = cli_width(l.v[i].value);
		if (w > wval)
			wval = w;
		buf_reset(&b);
		subject_text(&l.v[i].here, &b);
		if ((w = cli_width(buf_str(&b))) > where)
			where = w;
		if ((w = cli_width(l.v[i].other_case)) > wcase)
			wcase = w;
	}
	for (size_t i = 0; i < l.n; i++) {
		const dl_link *k = &l.v[i];
		print_col(k->kind, 6);
		putchar(' ');
		print_col(k->value, wval);
		putchar(' ');
		buf_reset(&b);
		subject_text(&k->here, &b);
		print_col(buf_str(&b), where);
		putchar(' ');
		print_col(k->other_case, wcase);
		putchar(' ');
		buf_reset(&b);
		if (k->restricted) {
			dl_buf lead = {0};
			lead_text(k, &lead);
			buf_addf(&b, _("restricted: ask %s"), buf_str(&lead));
			buf_free(&lead);
		} else {
			subject_text(&k->there, &b);
			if (k->other_title_ar)
				buf_addf(&b, " · %s", k->other_title_ar);
		}
		printf("%s\n", buf_str(&b));
	}
	buf_free(&b);
	links_list_free(&l);
	return DL_OK;
}

const cli_command cli_links_commands[] = {
	{"links", NULL, "CASE [--json]",
	 N_("list the identifiers of a case that other cases have too, and where (or whom to ask)"),
	 "", 1, 1, 1, run_links},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
