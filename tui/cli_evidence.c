/* cli_evidence.c — ingest, items, item show|tag|note|export, verify. */
#include "cli.h"
#include "evidence.h"
#include "export.h"
#include "i18n.h"
#include "ingest.h"
#include "validate.h"

#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Ctrl-C or SIGTERM during an ingest: stop cleanly, the source left
 * "interrupted" for the same ingest to resume. */
static volatile sig_atomic_t stop_asked;

static void on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/* A progress bar on stderr, only when it is a terminal. */
static int bar(const ingest_progress *p, void *ctx)
{
	if (!*(int *)ctx)
		return stop_asked;
	double frac = p->bytes_total ? (double)p->bytes_done / (double)p->bytes_total : 0;
	if (frac > 1)
		frac = 1;
	double rate = p->seconds > 0 ? (double)p->bytes_done / p->seconds : 0;
	double left = rate > 0 && p->bytes_total > p->bytes_done ? (double)(p->bytes_total - p->bytes_done) / rate : 0;
	char cells[21];
	int full = (int)(frac * 20);
	for (int i = 0; i < 20; i++)
		cells[i] = i < full ? '#' : '.';
	cells[20] = '\0';
	char items[64];
	snprintf(items, sizeof items, P_("%llu item", "%llu items", p->items), (unsigned long long)p->items);
	/* TRANSLATORS: progress bar: percent, rate, items, minutes:seconds remaining */
	fprintf(stderr, _("\r[%s] %3d%%  %.1f MB/s  %s  %02d:%02d left   "), cells, (int)(frac * 100),
	        rate / 1e6, items, (int)left / 60, (int)left % 60);
	return stop_asked;
}

static dl_status run_ingest(cli_ctx *c, cli_args *a)
{
	ingest_opts o = {0};
	dl_status rc;
	const char *dev = arg_get(a, "device");
	if (dev && (rc = val_id("device", dev, &o.device_id, &c->err)) != DL_OK)
		return rc;
	o.expect_sha256 = arg_get(a, "expect-sha256");
	o.in_place = arg_has(a, "in-place");
	int tty = isatty(2);
	o.progress = bar;
	o.progress_ctx = &tty;
	struct sigaction sa = {0}, old_int, old_term;
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ingest_result r;
	dl_status ing = ingest_run(&c->session, a->pos[0], a->pos[1], &o, &r, &c->err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (tty)
		fputc('\n', stderr);
	if (stop_asked && r.source_id)
		fprintf(stderr, "%s\n", _("dalil: ingest stopped; run the same ingest again to complete it"));
	if (!r.source_id)
		return ing;
	if (c->json) {
		dl_source src;
		dl_err e2;
		if (evidence_source_get(&c->session, r.source_id, &src, &e2) == DL_OK) {
			json_w w = {0};
			evidence_source_json(&w, &src);
			/* the run's own figures after the source's (a failed buffer has
			 * no closing brace to reopen: cli_json_print reports it) */
			if (!buf_failed(&w.out))
				w.out.len--;   /* reopen the object */
			w.depth++;
			json_kint(&w, "items_added", r.items);
			json_kint(&w, "hits", r.hits);
			json_kint(&w, "identifiers", r.identifiers);
			json_kbool(&w, "resumed", r.resumed);
			json_kbool(&w, "already", r.already);
			json_end_object(&w);
			cli_json_print(&w);
			evidence_source_free(&src);
		}
	} else if (ing == DL_OK && r.already) {
		printf(_("source %lld: this file was already ingested completely (SHA-256 %s); "
		         "nothing was added\n"),
		       r.source_id, r.sha256);
	} else if (ing == DL_OK) {
		printf(_("source %lld: %s, %lld items, %lld hash-set hits, SHA-256 %s\n"), r.source_id, r.status,
		       r.items, r.hits, r.sha256);
		if (r.identifiers)
			printf(P_("%lld identifier found in the items' text\n",
			          "%lld identifiers found in the items' text\n", r.identifiers), r.identifiers);
	}
	return ing;
}

/* Items are read a page at a time and printed as they come: memory stays flat
 * however many a case holds. */
static dl_status run_items(cli_ctx *c, cli_args *a)
{
	dl_item_filter f = {0};
	f.case_number = a->pos[0];
	dl_status rc;
	const char *v = arg_get(a, "source");
	if (v && (rc = val_id("source", v, &f.source_id, &c->err)) != DL_OK)
		return rc;
	f.type = arg_get(a, "type");
	f.tag = arg_get(a, "tag");
	f.hits_only = arg_has(a, "hit");
	f.limit = 1000;
	int first = 1, opened = 0;
	for (;;) {
		dl_item_list l;
		if ((rc = evidence_item_list(&c->session, &f, &l, &c->err)) != DL_OK) {
			if (opened)        /* a later page failed: keep stdout one document */
				fputs("]\n", stdout);
			return rc;
		}
		if (c->json && !opened)
			fputs("[", stdout);
		opened = 1;
		for (size_t i = 0; i < l.n; i++) {
			dl_item *it = &l.v[i];
			if (c->json) {
				json_w w = {0};
				evidence_item_json(&w, it);
				fputs(first ? "" : ",", stdout);
				if (buf_failed(&w.out))
					cli_json_print(&w);   /* reports it and exits */
				fwrite(w.out.data, 1, w.out.len, stdout);
				buf_free(&w.out);
			} else {
				printf("%8lld  ", it->id);
				cli_print_padded(it->mime ? it->mime : "-", 24);
				printf(" %12lld  %s  %s%s%s\n", it->size, it->sha256 ? it->sha256 : "-", it->path,
				       it->hits ? "  !" : "", it->hits ? it->hits : "");
			}
			first = 0;
		}
		size_t n = l.n;
		if (n)
			f.after_id = l.v[n - 1].id;
		evidence_item_list_free(&l);
		if (n < (size_t)f.limit)
			break;
	}
	if (c->json)
		fputs("]\n", stdout);
	return DL_OK;
}

static dl_status item_id(cli_ctx *c, cli_args *a, long long *id)
{
	return val_id("id", a->pos[0], id, &c->err);
}

static dl_status show_item(cli_ctx *c, long long id)
{
	dl_item it;
	dl_status rc = evidence_item_get(&c->session, id, &it, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		evidence_item_json(&w, &it);
		cli_json_print(&w);
	} else {
		cli_field_int(_("Item"), it.id);
		cli_field_int(_("Source"), it.source_id);
		cli_field(_("Path"), it.path);
		cli_field_int(_("Size"), it.size);
		cli_field(_("Modified"), it.mtime);
		cli_field(_("Type"), it.mime);
		cli_field(_("Description"), it.description);
		cli_field("MD5", it.md5);
		cli_field("SHA-1", it.sha1);
		cli_field("SHA-256", it.sha256);
		cli_field(_("Tags"), it.tags);
		cli_field(_("Hash-set hits"), it.hits);
		cli_field(_("Problem"), it.problem);
		cli_field(_("Examiner's note"), it.note);
	}
	evidence_item_free(&it);
	return DL_OK;
}

static dl_status run_item_show(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = item_id(c, a, &id);
	return rc == DL_OK ? show_item(c, id) : rc;
}

static dl_status run_item_tag(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = item_id(c, a, &id);
	if (rc == DL_OK)
		rc = evidence_item_tag(&c->session, id, a->pos[1], arg_has(a, "remove"), &c->err);
	if (rc == DL_OK && c->json)
		return show_item(c, id);
	return rc;
}

static dl_status run_item_note(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = item_id(c, a, &id);
	if (rc == DL_OK)
		rc = evidence_item_note(&c->session, id, a->pos[1], &c->err);
	if (rc == DL_OK && c->json)
		return show_item(c, id);
	return rc;
}

static dl_status run_item_export(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = item_id(c, a, &id);
	if (rc == DL_OK)
		rc = cli_require(c, a, "o");
	if (rc == DL_OK)
		rc = export_item(&c->session, id, arg_get(a, "o"), &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json)
		return show_item(c, id);
	printf(_("item %lld written to %s; its MD5, SHA-1 and SHA-256 match the record\n"), id, arg_get(a, "o"));
	return DL_OK;
}

typedef struct verify_out {
	cli_ctx *c;
	json_w w;
	int tty;
} verify_out;

static void verify_problem(void *ctx, const char *what, const char *why)
{
	verify_out *o = ctx;
	if (o->c->json) {
		json_begin_object(&o->w);
		json_kstr(&o->w, "what", what);
		json_kstr(&o->w, "problem", why);
		json_end_object(&o->w);
	} else {
		if (o->tty)
			fputs("\r\033[K", stderr);
		printf("%s: %s\n", what, why);
		fflush(stdout);
	}
}

static void verify_progress(void *ctx, long long done, long long total, const char *name)
{
	verify_out *o = ctx;
	if (!o->tty)
		return;
	int full = total ? (int)(20 * done / total) : 20;
	char cells[21];
	for (int i = 0; i < 20; i++)
		cells[i] = i < full ? '#' : '.';
	cells[20] = '\0';
	fprintf(stderr, "\r\033[K[%s] %lld/%lld %.50s", cells, done, total, name);
	if (done == total)
		fputc('\n', stderr);
}

static dl_status run_verify(cli_ctx *c, cli_args *a)
{
	verify_out o;
	memset(&o, 0, sizeof o);
	o.c = c;
	o.tty = isatty(2);
	if (c->json) {
		json_begin_object(&o.w);
		json_key(&o.w, "problems");
		json_begin_array(&o.w);
	}
	verify_result r;
	dl_status rc = verify_run(&c->session, a->npos ? a->pos[0] : NULL, arg_has(a, "deep"),
	                          verify_problem, verify_progress, &o, &r, &c->err);
	if (rc != DL_OK && rc != DL_ETAMPER) {
		buf_free(&o.w.out);
		return rc;
	}
	if (c->json) {
		json_end_array(&o.w);
		json_kbool(&o.w, "ok", r.problems == 0);
		json_kint(&o.w, "sources", r.sources);
		json_kint(&o.w, "items", r.items);
		json_kint(&o.w, "objects", r.objects);
		json_end_object(&o.w);
		cli_json_print(&o.w);
	} else if (rc == DL_OK) {
		printf(_("verified: sources %lld, items %lld, cached objects %lld; everything matches\n"),
		       r.sources, r.items, r.objects);
	}
	return rc;
}

const cli_command cli_evidence_commands[] = {
	{"ingest", NULL, "CASE PATH [--device ID] [--expect-sha256 HEX] [--in-place]",
	 N_("ingest an archive, a file or a folder into a case: kept, hashed, typed, item by item"),
	 "device=,expect-sha256=,in-place", 2, 2, 1, run_ingest},
	{"items", NULL, "CASE [--source ID] [--type MIME-PREFIX] [--tag TAG] [--hit]",
	 N_("list the evidence items of a case with their hashes"), "source=,type=,tag=,hit", 1, 1, 1, run_items},
	{"item", "show", "ID", N_("show one evidence item"), "", 1, 1, 1, run_item_show},
	{"item", "tag", "ID relevant|irrelevant|privileged|review [--remove]", N_("tag an item (or remove a tag)"),
	 "remove", 2, 2, 1, run_item_tag},
	{"item", "note", "ID TEXT", N_("set the examiner's note of an item"), "", 2, 2, 1, run_item_note},
	{"item", "export", "ID -o FILE", N_("extract an item from its source, checked against its recorded hashes"),
	 "o=", 1, 1, 1, run_item_export},
	{"verify", NULL, "[CASE] [--deep]",
	 N_("re-hash the kept and in-place sources and cached objects; --deep re-derives every item"),
	 "deep", 0, 1, 1, run_verify},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
