/* cli_hashset.c — hashset import and list. */
#include "cli.h"
#include "hashset.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

static const char *kind_label(const char *kind)
{
	if (kind && !strcmp(kind, "alert"))
		return _("alert");
	if (kind && !strcmp(kind, "known-good"))
		return _("known good");
	return kind;
}

static void hashset_json(json_w *w, const dl_hashset *h)
{
	json_begin_object(w);
	json_kint(w, "id", h->id);
	json_kstr(w, "name", h->name);
	json_kstr(w, "kind", h->kind);
	json_kint(w, "entry_count", h->entry_count);
	json_kstr(w, "entries_sha256", h->entries_sha256);
	json_kstr(w, "file_name", h->file_name);
	json_kstr(w, "file_sha256", h->file_sha256);
	json_kstr(w, "imported_by", h->imported_by);
	json_kstr(w, "imported_at", h->imported_at);
	json_kint(w, "item_hits", h->item_hits);
	json_end_object(w);
}

static dl_status run_import(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "kind");
	if (rc != DL_OK)
		return rc;
	const char *name = a->pos[0];
	long long entries = 0, hits = 0;
	rc = hashset_import(&c->session, name, a->pos[1], arg_get(a, "kind"), &entries, &hits, &c->err);
	if (rc != DL_OK)
		return rc;
	if (!c->json) {
		char what[400], hit[128];
		/* TRANSLATORS: the first part of "N hashes imported into NAME, M items hit". */
		snprintf(what, sizeof what, P_("%lld hash imported into %s", "%lld hashes imported into %s", entries),
		         entries, name);
		/* TRANSLATORS: the second part of "N hashes imported into NAME, M items hit":
		 * evidence items already stored whose hash is in the set. */
		snprintf(hit, sizeof hit, P_("%lld item hit", "%lld items hit", hits), hits);
		/* TRANSLATORS: the two parts above, in this order. */
		printf(_("%s, %s\n"), what, hit);
		return DL_OK;
	}
	dl_hashset_list l;
	if ((rc = hashset_list(&c->session, &l, &c->err)) != DL_OK)
		return rc;
	for (size_t i = 0; i < l.n; i++)
		if (!strcmp(l.v[i].name, name)) {
			json_w w = {0};
			hashset_json(&w, &l.v[i]);
			cli_json_print(&w);
			break;
		}
	hashset_list_free(&l);
	return DL_OK;
}

static dl_status run_list(cli_ctx *c, cli_args *a)
{
	(void)a;
	dl_hashset_list l;
	dl_status rc = hashset_list(&c->session, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			hashset_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			dl_hashset *h = &l.v[i];
			cli_print_padded(h->name, 24);
			putchar(' ');
			cli_print_padded(kind_label(h->kind), 10);
			printf(" %9lld %7lld %s ", h->entry_count, h->item_hits, h->imported_at);
			cli_print_padded(h->imported_by, 12);
			printf(" %s\n", h->file_name ? h->file_name : "-");
		}
	}
	hashset_list_free(&l);
	return DL_OK;
}

const cli_command cli_hashset_commands[] = {
	{"hashset", "import", "NAME FILE --kind alert|known-good",
	 N_("import a hash set (plain list, md5deep/hashdeep or NSRL CSV) and flag the stored items it hits"),
	 "kind=", 2, 2, 1, run_import},
	{"hashset", "list", "",
	 N_("list the hash sets with their hits in the cases you may see"), "", 0, 0, 1, run_list},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
