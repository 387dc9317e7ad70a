/* ui_tab_reports.c — the reports registered on a case, and the report dialog
 * (kind, language, file) that writes one through reports/ — the same code as
 * "dalil report". Clerks may use it: a report changes nothing in the case. */
#include "case.h"
#include "i18n.h"
#include "identifier.h"
#include "report.h"
#include "report_rec.h"
#include "ui_case.h"
#include "ui_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct rtab {
	char number[64];
	ui_table t;
	unsigned gen;
	int rtl;
	char last_dir[2048];        /* where the last report went, for the next one */
} rtab;

static const ui_col cols[] = {
	{N_("Written (UTC)"), 16, UI_START},
	{N_("Kind"), 12, UI_START},
	{N_("Language"), 8, UI_START},
	{N_("File"), 0, UI_START},
	{N_("By"), 10, UI_START},
	{N_("SHA-256"), 18, UI_START},
};
#define NCOLS (int)(sizeof cols / sizeof *cols)

static const char *kind_label(const char *kind)
{
	static const struct { const char *kind, *label; } labels[] = {
		{"court", N_("court report")},
		{"inventory", N_("evidence inventory")},
		{"custody", N_("chain of custody")},
		{"progress", N_("progress report")},
		{"request", N_("request letter")},
	};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i].kind, kind))
			return _(labels[i].label);
	return kind;
}

static const char *lang_label(const char *lang)
{
	return !strcmp(lang, "ar") ? "العربية" : "English";
}

static void load(rtab *r)
{
	dl_report_list l;
	dl_err err = {0};
	r->gen = ui_generation();
	r->rtl = ui_rtl();
	ui_table_clear(&r->t);
	if (report_list(ui_session(), r->number, &l, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const dl_report_rec *x = &l.v[i];
		char at[20], sha[24];
		snprintf(at, sizeof at, "%.16s", x->created_at ? x->created_at : "");
		if (at[10] == 'T')
			at[10] = ' ';
		snprintf(sha, sizeof sha, "%.16s…", x->sha256 ? x->sha256 : "");
		const char *cells[NCOLS] = {at, kind_label(x->kind), lang_label(x->lang), x->file_name,
		                            x->author, sha};
		ui_table_add(&r->t, x->id, cells, NULL);
	}
	report_list_free(&l);
}

static void *rt_open(const char *number)
{
	rtab *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	snprintf(r->number, sizeof r->number, "%s", number);
	ui_table_init(&r->t, cols, NCOLS);
	const char *home = getenv("HOME");
	snprintf(r->last_dir, sizeof r->last_dir, "%s", home && *home ? home : ".");
	load(r);
	return r;
}

static void rt_draw(void *tab, int top, int rows)
{
	rtab *r = tab;
	if (r->gen != ui_generation() || r->rtl != ui_rtl())
		load(r);
	char line[200];
	snprintf(line, sizeof line, P_("%zu report written on this case", "%zu reports written on this case", r->t.n),
	         r->t.n);
	ui_put(top, 0, ui_cols(), line, R_DIM, UI_START);
	ui_table_draw(&r->t, top + 1, rows - 2,
	              _("No report yet. n writes one: an evidence inventory or the chain of custody, in Arabic or English."));
	ui_put(top + rows - 1, 0, ui_cols(), _("n new report · r reload · F1 help"), R_DIM, UI_START);
}

/* ---- the report dialog ---- */

static dl_status dialog_submit(ui_form *f, void *ctx, dl_err *err)
{
	rtab *r = ctx;
	char kind[32], lang[8], path[2048];
	snprintf(kind, sizeof kind, "%s", ui_form_get(f, "kind"));
	snprintf(lang, sizeof lang, "%s", ui_form_get(f, "lang"));
	snprintf(path, sizeof path, "%s", ui_form_get(f, "file"));
	if (!path[0])
		return dl_err_set(err, DL_EINVAL, "file", "%s", _("an output file is required"));
	if (access(path, F_OK) == 0)
		return dl_err_set(err, DL_EEXIST, "file", _("%s exists already: choose another name"), path);
	char *ids = strdup(ui_form_get(f, "identifiers"));
	char *provider = strdup(ui_form_get(f, "provider"));
	report_opts o = {0};
	o.case_number = r->number;
	o.kind = kind;
	o.lang = lang;
	o.print = !strcmp(ui_form_get(f, "print"), "yes");
	if (!strcmp(kind, "request")) {
		o.identifiers = ids;
		o.provider = provider;
	}
	report_result res = {0};
	ui_message(R_MESSAGE, "%s", _("Writing the report…"));
	ui_redraw();
	dl_status rc = report_render(ui_session(), &o, path, &res, err);
	free(ids);
	free(provider);
	if (rc != DL_OK && !(o.print && res.id))
		return rc;
	char *slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		snprintf(r->last_dir, sizeof r->last_dir, "%s", path[0] ? path : "/");
		*slash = '/';
	}
	if (rc != DL_OK) {
		/* written and registered, but the printer refused: say both */
		ui_message(R_ERROR, _("Report %lld written to %s, but not printed: %s"), res.id, path, err->msg);
		ui_touch();
		return DL_OK;
	}
	ui_message(R_OK, P_("Report %lld written: %s, %d page, SHA-256 %.16s…",
	                    "Report %lld written: %s, %d pages, SHA-256 %.16s…", res.pages),
	           res.id, path, res.pages, res.sha256);
	return DL_OK;
}

static const char *kind_choice_label(const char *v)
{
	return kind_label(v);
}

static const char *lang_choice_label(const char *v)
{
	return lang_label(v);
}

static const char *yes_no_label(const char *v)
{
	return !strcmp(v, "yes") ? _("yes") : _("no");
}

static void dialog_open(rtab *r)
{
	static const char *const langs[] = {"ar", "en", NULL};
	static const char *const yes_no[] = {"no", "yes", NULL};
	ui_field_def defs[] = {
		{F_CHOICE, "kind", N_("Kind"), NULL, NULL, kind_choice_label},
		{F_CHOICE, "lang", N_("Language"), NULL, langs, lang_choice_label},
		{F_TEXT, "file", N_("File"), NULL, NULL, NULL},
		{F_CHOICE, "print", N_("Print it"), NULL, yes_no, yes_no_label},
		{F_MULTI, "identifiers", N_("Identifiers (request letter)"), NULL, NULL, NULL},
		{F_TEXT, "provider", N_("Provider (request letter)"), N_("e.g. Meta Platforms, Libyana"), NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("New report on case %s"), r->number);
	ui_form *f = ui_form_new(title, defs, sizeof defs / sizeof *defs, dialog_submit, r, NULL);
	if (!f)
		return;
	/* the kinds written on one case (the progress report covers every case) */
	const char *kinds[8];
	size_t nk = 0;
	for (size_t i = 0; report_kinds_done[i] && nk < 8; i++)
		if (report_kind_needs_case(report_kinds_done[i]))
			kinds[nk++] = report_kinds_done[i];
	ui_form_set_choices(f, "kind", kinds, NULL, nk);
	ui_form_set(f, "kind", "court");
	ui_form_set(f, "lang", ui_rtl() ? "ar" : "en");
	/* the identifiers a request letter may name: those of this case */
	dl_identifier_list il;
	dl_err err = {0};
	if (identifier_list(ui_session(), r->number, &il, &err) == DL_OK) {
		char **values = calloc(il.n + 1, sizeof *values), **labels = calloc(il.n + 1, sizeof *labels);
		size_t n = 0;
		for (size_t i = 0; values && labels && i < il.n; i++) {
			char id[24], *lab = NULL;
			snprintf(id, sizeof id, "%lld", il.v[i].id);
			if (asprintf(&lab, UI_LRI "%s" UI_PDI " (%s)", il.v[i].value, il.v[i].kind) < 0)
				break;
			values[n] = strdup(id);
			labels[n++] = lab;
		}
		ui_form_set_choices(f, "identifiers", (const char *const *)values, (const char *const *)labels, n);
		for (size_t i = 0; i < n; i++) {
			free(values[i]);
			free(labels[i]);
		}
		free(values);
		free(labels);
		identifier_list_free(&il);
	}
	/* a file name from the case number: "2026/TRP/0001" → 2026-TRP-0001 */
	char base[80], path[2300];
	snprintf(base, sizeof base, "%s", r->number);
	for (char *p = base; *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '-';
	snprintf(path, sizeof path, "%s/%s-%s.pdf", r->last_dir, base, ui_rtl() ? "ar" : "en");
	ui_form_set(f, "file", path);
	ui_form_for_everyone(f);
	ui_form_open(f);
}

static int rt_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	rtab *r = tab;
	switch (a) {
	case A_NEW:
		dialog_open(r);
		return 1;
	case A_REFRESH:
		load(r);
		return 1;
	default:
		return ui_table_act(&r->t, a);
	}
}

static void rt_free(void *tab)
{
	rtab *r = tab;
	ui_table_free(&r->t);
	free(r);
}

static const ui_binding rt_keys[] = {
	{'n', A_NEW, N_("write a new report (kind, language, file)")},
	{'r', A_REFRESH, N_("reload the list")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_reports = {
	N_("Reports"), rt_keys, rt_open, rt_draw, rt_act, rt_free,
};
