/* cli_search.c — dalil search TEXT: cases, persons, identifiers, evidence item
 * names and examiner notes, Arabic-aware, one page at a time. */
#include "cli.h"
#include "i18n.h"
#include "json.h"
#include "search.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

/* s in full, then spaces up to width display cells ("-" for nothing). */
static void print_col(const char *s, int width)
{
	if (!s || !*s)
		s = "-";
	fputs(s, stdout);
	for (int w = cli_width(s); w < width; w++)
		putchar(' ');
}

/* What a result says: its labels, or for a restricted case whom to ask. */
static void hit_text(const dl_search_hit *h, dl_buf *out)
{
	if (h->restricted) {
		dl_buf lead = {0};
		if (!h->lead) {
			buf_adds(&lead, _("a supervisor"));
		} else {
			const char *name = h->lead_name_en && *h->lead_name_en ? h->lead_name_en
			                                                      : h->lead_name_ar;
			buf_adds(&lead, h->lead);
			if (name && *name)
				buf_addf(&lead, " (%s)", name);
		}
		buf_addf(out, P_("%lld match in a case you may not read: ask %s",
		                 "%lld matches in a case you may not read: ask %s", h->count),
		         h->count, buf_str(&lead));
		buf_free(&lead);
		return;
	}
	buf_adds(out, h->label ? h->label : "");
	if (h->label2 && *h->label2)
		buf_addf(out, " · %s", h->label2);
	if (h->detail && *h->detail)
		buf_addf(out, " (%s)", h->detail);
	if (!h->exact)
		buf_addf(out, " %s", _("[similar spelling]"));
}

/* The kind as shown: translated. */
static const char *kind_label(dl_search_kind k)
{
	switch (k) {
	case DL_SEARCH_CASE: return _("case");
	case DL_SEARCH_PERSON: return _("person");
	case DL_SEARCH_IDENTIFIER: return _("identifier");
	case DL_SEARCH_ITEM: return _("item");
	case DL_SEARCH_NOTE: return _("note");
	}
	return "";
}

static dl_status run_search(cli_ctx *c, cli_args *a)
{
	long long page = 1;
	const char *v = arg_get(a, "page");
	dl_status rc;
	if (v && (rc = val_int("page", v, 1, 1000000, &page, &c->err)) != DL_OK)
		return rc;
	dl_search_results r;
	rc = search_run(&c->session, a->pos[0], (int)page, &r, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		search_results_json(&w, &r);
		cli_json_print(&w);
		search_results_free(&r);
		return DL_OK;
	}
	int wkind = 4, wcase = 4, wid = 2;
	char id[24];
	for (size_t i = 0; i < r.n; i++) {
		int w = cli_width(kind_label(r.v[i].kind));
		if (w > wkind)
			wkind = w;
		if ((w = cli_width(r.v[i].case_number)) > wcase)
			wcase = w;
		snprintf(id, sizeof id, "%lld", r.v[i].id);
		if ((w = (int)strlen(id)) > wid)
			wid = w;
	}
	dl_buf b = {0};
	for (size_t i = 0; i < r.n; i++) {
		const dl_search_hit *h = &r.v[i];
		print_col(h->restricted ? "-" : kind_label(h->kind), wkind);
		putchar(' ');
		if (h->restricted)
			id[0] = '\0';
		else
			snprintf(id, sizeof id, "%lld", h->id);
		print_col(id, wid);
		putchar(' ');
		print_col(h->case_number, wcase);
		putchar(' ');
		buf_reset(&b);
		hit_text(h, &b);
		printf("%s\n", buf_str(&b));
	}
	buf_free(&b);
	if (r.total == 0)
		printf("%s\n", _("nothing found"));
	else
		printf(P_("page %d of %d (%lld result)\n", "page %d of %d (%lld results)\n", r.total),
		       r.page, r.pages, r.total);
	search_results_free(&r);
	return DL_OK;
}

const cli_command cli_search_commands[] = {
	{"search", NULL, "TEXT [--page N] [--json]",
	 N_("search cases, persons, identifiers, item names and examiner notes; Arabic and Latin "
	    "spellings of a name meet"),
	 "page=", 1, 1, 1, run_search},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
