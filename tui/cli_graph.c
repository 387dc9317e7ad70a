/* cli_graph.c — dalil graph CASE|--all --format graphml|dot -o FILE: the
 * network of a case, or of every case the user may read, for Gephi or
 * Graphviz. */
#include "cli.h"
#include "graph.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

static dl_status run_graph(cli_ctx *c, cli_args *a)
{
	int all = arg_has(a, "all");
	if (all && a->npos > 0)
		return dl_err_set(&c->err, DL_EINVAL, "all", _("give either a case number or --all, not both"));
	if (!all && a->npos == 0)
		return dl_err_set(&c->err, DL_EINVAL, "case", _("give a case number, or --all for every case"));
	dl_status rc = cli_require(c, a, "format");
	if (rc != DL_OK)
		return rc;
	const char *out = arg_get(a, "o");
	if (!out)
		out = arg_get(a, "output");
	if (!out)
		return dl_err_set(&c->err, DL_EINVAL, "output", _("-o FILE is required"));
	graph_result r;
	rc = graph_export(&c->session, all ? NULL : a->pos[0], arg_get(a, "format"), out, &r, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kstr(&w, "file", out);
		json_kstr(&w, "format", arg_get(a, "format"));
		json_kint(&w, "nodes", (long long)r.nodes);
		json_kint(&w, "edges", (long long)r.edges);
		json_kint(&w, "cases", (long long)r.cases);
		json_kint(&w, "bytes", (long long)r.bytes);
		json_kstr(&w, "sha256", r.sha256);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		char nodes[64], edges[64];
		snprintf(nodes, sizeof nodes, P_("%zu node", "%zu nodes", r.nodes), r.nodes);
		snprintf(edges, sizeof edges, P_("%zu edge", "%zu edges", r.edges), r.edges);
		/* TRANSLATORS: "network written: FILE (12 nodes, 15 edges)" */
		printf(_("network written: %s (%s, %s)\n"), out, nodes, edges);
		printf("SHA-256: %s\n", r.sha256);
	}
	return DL_OK;
}

const cli_command cli_graph_commands[] = {
	{"graph", NULL, "CASE|--all --format graphml|dot -o FILE",
	 N_("write the network of a case, or of every case you may read, for Gephi (GraphML) or "
	    "Graphviz (DOT): cases, persons, devices and identifiers, with the other cases sharing an "
	    "identifier (of a case you may not read, only its number and lead); never overwrites FILE"),
	 "all,format=,o=,output=", 0, 1, 1, run_graph},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
