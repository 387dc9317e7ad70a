/* cli_extract.c — dalil extract CASE: re-read the case's sources and bring
 * the identifiers found in its evidence items up to date. */
#include "cli.h"
#include "extract.h"
#include "i18n.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

typedef struct extract_out {
	cli_ctx *c;
	json_w w;                  /* --json: the "unreadable" array being written */
} extract_out;

/* A source that could not be read: named at once, the others go on. */
static void on_problem(void *ctx, const char *what, const char *why)
{
	extract_out *o = ctx;
	if (o->c->json) {
		json_begin_object(&o->w);
		json_kstr(&o->w, "what", what);
		json_kstr(&o->w, "problem", why);
		json_end_object(&o->w);
	} else {
		fprintf(stderr, "%s: %s\n", what, why);
	}
}

static dl_status run_extract(cli_ctx *c, cli_args *a)
{
	extract_out o;
	memset(&o, 0, sizeof o);
	o.c = c;
	if (c->json) {
		json_begin_object(&o.w);
		json_key(&o.w, "unreadable");
		json_begin_array(&o.w);
	}
	extract_result r;
	dl_status rc = extract_case(&c->session, a->pos[0], on_problem, &o, &r, &c->err);
	if (rc != DL_OK && rc != DL_EIO) {
		buf_free(&o.w.out);
		return rc;
	}
	if (c->json) {
		json_end_array(&o.w);
		json_kint(&o.w, "sources", r.sources);
		json_kint(&o.w, "items_scanned", r.items);
		json_key(&o.w, "identifiers");
		json_begin_object(&o.w);
		for (int k = 0; k < EX_KINDS; k++)
			json_kint(&o.w, extract_kind_names[k], r.kinds[k]);
		json_end_object(&o.w);
		json_kint(&o.w, "added", r.added);
		json_kint(&o.w, "removed", r.removed);
		json_kint(&o.w, "updated", r.updated);
		json_end_object(&o.w);
		cli_json_print(&o.w);
		return rc;
	}
	printf(_("sources read: %lld, text-bearing items scanned: %lld\n"), r.sources, r.items);
	for (int k = 0; k < EX_KINDS; k++)
		if (r.kinds[k])
			printf("  %-7s %lld\n", extract_kind_names[k], r.kinds[k]);
	printf(_("identifiers added %lld, removed %lld, offsets corrected %lld\n"), r.added, r.removed,
	       r.updated);
	return rc;
}

const cli_command cli_extract_commands[] = {
	{"extract", NULL, "CASE [--json]",
	 N_("re-read a case's sources and bring the identifiers found in its items' text up to date"),
	 "", 1, 1, 1, run_extract},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
