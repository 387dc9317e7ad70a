/* cli_report.c — report CASE --kind K --lang L -o FILE, report verify FILE. */
#include "cli.h"
#include "i18n.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

static dl_status run_report(cli_ctx *c, cli_args *a)
{
	dl_status rc;
	if ((rc = cli_require(c, a, "kind")) != DL_OK || (rc = cli_require(c, a, "lang")) != DL_OK)
		return rc;
	const char *out = arg_get(a, "o");
	if (!out)
		out = arg_get(a, "output");
	if (!out)
		return dl_err_set(&c->err, DL_EINVAL, "output", _("-o FILE is required"));
	const char *digits = arg_get(a, "digits");
	if (digits && strcmp(digits, "arabic") && strcmp(digits, "latin"))
		return dl_err_set(&c->err, DL_EINVAL, "digits", _("expected arabic or latin"));
	report_opts o = {
		.case_number = a->npos > 0 ? a->pos[0] : NULL, .kind = arg_get(a, "kind"),
		.lang = arg_get(a, "lang"), .identifiers = arg_get(a, "identifiers"),
		.provider = arg_get(a, "provider"), .print = arg_has(a, "print"),
		.arabic_digits = digits && !strcmp(digits, "arabic"), .hijri = arg_has(a, "hijri"),
	};
	report_result r;
	rc = report_render(&c->session, &o, out, &r, &c->err);
	/* a printing failure comes after the report was written and registered */
	if (rc != DL_OK && r.id == 0)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kint(&w, "id", r.id);
		json_kstr(&w, "file", out);
		json_kstr(&w, "sha256", r.sha256);
		json_kstr(&w, "kind", o.kind);
		json_kstr(&w, "lang", o.lang);
		json_kint(&w, "pages", r.pages);
		json_kstr(&w, "created_at", r.created_at);
		if (o.print)
			json_kbool(&w, "printed", r.printed);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		/* TRANSLATORS: report 12 written: FILE (3 pages), then its SHA-256. */
		printf(P_("report %lld written: %s (%d page)\n", "report %lld written: %s (%d pages)\n", r.pages),
		       r.id, out, r.pages);
		printf("SHA-256: %s\n", r.sha256);
		if (r.printed)
			printf(_("sent to the printer: %s\n"), out);
	}
	return rc;
}

static dl_status run_verify(cli_ctx *c, cli_args *a)
{
	dl_report_rec rec;
	char sha[65];
	dl_status rc = report_verify(&c->session, a->pos[0], &rec, sha, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kint(&w, "id", rec.id);
		json_kstr(&w, "case", rec.case_number);
		json_kstr(&w, "kind", rec.kind);
		json_kstr(&w, "lang", rec.lang);
		json_kstr(&w, "file_name", rec.file_name);
		json_kstr(&w, "sha256", rec.sha256);
		json_kstr(&w, "author", rec.author);
		json_kstr(&w, "created_at", rec.created_at);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		/* TRANSLATORS: FILE is registered report 12: inventory (ar) of case N,
		 * written by USER at TIME. */
		printf(_("%s is registered report %lld: %s (%s) of case %s, written by %s at %s\n"),
		       a->pos[0], rec.id, rec.kind, rec.lang, rec.case_number ? rec.case_number : "-",
		       rec.author ? rec.author : "-", rec.created_at);
		printf("SHA-256: %s\n", sha);
	}
	report_rec_free(&rec);
	return DL_OK;
}

/* "verify" first: the group-less entry would take any word as a case number. */
const cli_command cli_report_commands[] = {
	{"report", "verify", "FILE",
	 N_("say whether a file is a report dalil wrote and registered, unchanged (exit 1 if not)"),
	 "", 1, 1, 1, run_verify},
	{"report", NULL, "[CASE] --kind court|inventory|custody|progress|request --lang ar|en -o FILE "
	 "[--identifiers ID,... --provider NAME] [--digits arabic|latin] [--hijri] [--print]",
	 N_("write a PDF report with its JSON companion FILE.json and register it: of a case, or with "
	    "--kind progress (supervisors) of every case; a request letter names identifiers of the case "
	    "and the provider; --digits arabic writes counts, sizes, page numbers and dates of an Arabic "
	    "report in Arabic-Indic digits (identifiers and hashes stay Latin); --hijri adds the Hijri "
	    "date beside every date; --print sends it to lp"),
	 "kind=,lang=,o=,output=,identifiers=,provider=,digits=,hijri,print", 0, 1, 1, run_report},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
