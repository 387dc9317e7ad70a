/* ui_tab_overview.c — a case's fields, its status and deadline histories; the
 * edit form and the status change (with its reason). */
#include "case.h"
#include "i18n.h"
#include "ui_case.h"
#include "ui_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct overview {
	char number[64];
	dl_case c;
	unsigned gen;
	ui_list scroll;
	int rows;
} overview;

static void *ov_open(const char *number)
{
	overview *o = calloc(1, sizeof *o);
	if (o)
		snprintf(o->number, sizeof o->number, "%s", number);
	return o;
}

static void ov_load(overview *o)
{
	dl_err err = {0};
	case_free(&o->c);
	o->gen = ui_generation();
	if (case_get(ui_session(), o->number, &o->c, &err) != DL_OK)
		ui_error(&err);
}

static void line(int *y, int top, int rows, long skip, long *i, const char *label, const char *value,
                 ui_role role)
{
	if (*i >= skip && *y < top + rows) {
		int cols = ui_cols();
		ui_put(*y, 1, 22, label, R_LABEL, UI_START);
		ui_put(*y, 24, cols - 25, value ? value : "", role, UI_START);
		(*y)++;
	}
	(*i)++;
}

static const char *status_label(const char *name);

static void ov_draw(void *tab, int top, int rows)
{
	overview *o = tab;
	if (o->gen != ui_generation())
		ov_load(o);
	const dl_case *c = &o->c;
	for (int r = 0; r < rows; r++)
		ui_fill(top + r, 0, ui_cols(), R_NORMAL);
	int y = top;
	long i = 0, skip = o->scroll.top;
	char offences[200] = "", buf[600];
	for (int k = 0; case_offence_names[k]; k++)
		if (c->offences & (1u << k)) {
			size_t l = strlen(offences);
			/* the Arabic comma in an Arabic interface only */
			snprintf(offences + l, sizeof offences - l, "%s%s", l ? (ui_rtl() ? "، " : ", ") : "",
			         case_offence_label(k));
		}
	line(&y, top, rows, skip, &i, _("Number"), c->number, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Title in Arabic"), c->title_ar, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Title in English"), c->title_en, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Offences"), offences, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Status"), c->id ? case_status_label(c->status) : "", R_NORMAL);
	line(&y, top, rows, skip, &i, _("Opened"), c->opened, R_NORMAL);
	snprintf(buf, sizeof buf, "%s (%lld)", c->deadline ? c->deadline : "", c->days_left);
	line(&y, top, rows, skip, &i, _("Legal deadline"), c->deadline ? buf : "",
	     c->status == DL_CASE_CLOSED ? R_NORMAL : ui_deadline_role(c->days_left));
	line(&y, top, rows, skip, &i, _("Lead investigator"), c->lead, R_NORMAL);
	buf[0] = '\0';
	for (size_t k = 0; k < c->nassigned; k++) {
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof buf - l, "%s%s", l ? ", " : "", c->assigned[k]);
	}
	line(&y, top, rows, skip, &i, _("Assigned"), buf, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Jurisdiction"), c->jurisdiction, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Summary (Arabic)"), c->summary_ar, R_NORMAL);
	line(&y, top, rows, skip, &i, _("Summary (English)"), c->summary_en, R_NORMAL);
	line(&y, top, rows, skip, &i, "", "", R_NORMAL);
	line(&y, top, rows, skip, &i, _("Status history"), "", R_HEADER);
	for (size_t k = 0; k < c->nstatus_history; k++) {
		const dl_case_change *h = &c->status_history[k];
		snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI " → " UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI "%s" UI_ISO "%s" UI_PDI,
		         h->from ? status_label(h->from) : "-", h->to ? status_label(h->to) : "",
		         h->username ? h->username : "",
		         h->reason ? " · " : "", h->reason ? h->reason : "");
		line(&y, top, rows, skip, &i, h->at, buf, R_NORMAL);
	}
	if (c->ndeadline_history) {
		line(&y, top, rows, skip, &i, _("Deadline changes"), "", R_HEADER);
		for (size_t k = 0; k < c->ndeadline_history; k++) {
			const dl_case_change *h = &c->deadline_history[k];
			snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI " → " UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI, h->from ? h->from : "-", h->to ? h->to : "",
			         h->username ? h->username : "", h->reason ? h->reason : "");
			line(&y, top, rows, skip, &i, h->at, buf, R_NORMAL);
		}
	}
	if (y < top + rows)
		ui_put(top + rows - 1, 1, ui_cols() - 2, _("e edit · c change status · ↑↓ scroll"), R_DIM,
		       UI_START);
	o->scroll.n = i;
	o->rows = rows - 1;
}

/* ---- forms ---- */

static const char *offence_label(const char *name)
{
	for (int i = 0; case_offence_names[i]; i++)
		if (!strcmp(case_offence_names[i], name))
			return case_offence_label(i);
	return name;
}

static const char *status_label(const char *name)
{
	for (int i = 0; case_status_names[i]; i++)
		if (!strcmp(case_status_names[i], name))
			return case_status_label(i);
	return name;
}

static dl_status edit_submit(ui_form *f, void *ctx, dl_err *err)
{
	overview *o = ctx;
	const char *names[] = {"title_ar", "title_en", "offences", "deadline", "reason",
	                       "jurisdiction", "summary_ar", "summary_en"};
	char *v[8];
	for (int i = 0; i < 8; i++)
		v[i] = strdup(ui_form_get(f, names[i]));
	dl_case_input in = {0};
	in.title_ar = v[0];
	in.title_en = v[1];
	in.offences = v[2];
	/* an unchanged deadline is not a change (it would need a reason) */
	in.deadline = v[3] && *v[3] && (!o->c.deadline || strcmp(v[3], o->c.deadline) != 0) ? v[3] : NULL;
	in.reason = v[4] && *v[4] ? v[4] : NULL;
	in.jurisdiction = v[5];
	in.summary_ar = v[6];
	in.summary_en = v[7];
	dl_status rc = case_edit(ui_session(), o->number, &in, err);
	for (int i = 0; i < 8; i++)
		free(v[i]);
	if (rc == DL_OK)
		ui_message(R_OK, "%s", _("Case saved"));
	return rc;
}

static void edit_open(overview *o)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "title_ar", N_("Title in Arabic"), NULL, NULL, NULL},
		{F_TEXT, "title_en", N_("Title in English"), NULL, NULL, NULL},
		{F_MULTI, "offences", N_("Offences"), NULL, case_offence_names, offence_label},
		{F_DATE, "deadline", N_("Legal deadline"), N_("YYYY-MM-DD"), NULL, NULL},
		{F_TEXT, "reason", N_("Reason for a new deadline"), NULL, NULL, NULL},
		{F_TEXT, "jurisdiction", N_("Jurisdiction"), NULL, NULL, NULL},
		{F_MULTILINE, "summary_ar", N_("Summary (Arabic)"), NULL, NULL, NULL},
		{F_MULTILINE, "summary_en", N_("Summary (English)"), NULL, NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("Edit case %s"), o->number);
	ui_form *f = ui_form_new(title, defs, sizeof defs / sizeof *defs, edit_submit, o, NULL);
	if (!f)
		return;
	char offences[200];
	case_offences_str(o->c.offences, offences, sizeof offences);
	ui_form_set(f, "title_ar", o->c.title_ar);
	ui_form_set(f, "title_en", o->c.title_en);
	ui_form_set(f, "offences", offences);
	ui_form_set(f, "deadline", o->c.deadline);
	ui_form_set(f, "jurisdiction", o->c.jurisdiction);
	ui_form_set(f, "summary_ar", o->c.summary_ar);
	ui_form_set(f, "summary_en", o->c.summary_en);
	ui_form_open(f);
}

static dl_status status_submit(ui_form *f, void *ctx, dl_err *err)
{
	overview *o = ctx;
	char status[32];
	snprintf(status, sizeof status, "%s", ui_form_get(f, "status"));
	dl_status rc = case_set_status(ui_session(), o->number, status, ui_form_opt(f, "reason"), err);
	if (rc == DL_OK)
		ui_message(R_OK, _("Status now: %s"), status_label(status));
	return rc;
}

static void status_open(overview *o)
{
	static const ui_field_def defs[] = {
		{F_CHOICE, "status", N_("New status"), NULL, case_status_names, status_label},
		{F_TEXT, "reason", N_("Reason"), N_("needed to go back, suspend, close or reopen"), NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("Change the status of case %s"), o->number);
	ui_form *f = ui_form_new(title, defs, 2, status_submit, o, NULL);
	if (!f)
		return;
	ui_form_set(f, "status", case_status_names[o->c.status]);
	ui_form_open(f);
}

static int ov_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	overview *o = tab;
	switch (a) {
	case A_EDIT:
		edit_open(o);
		return 1;
	case A_STATUS:
		status_open(o);
		return 1;
	case A_UP:
	case A_PGUP:
		o->scroll.top -= a == A_UP ? 1 : o->rows;
		if (o->scroll.top < 0)
			o->scroll.top = 0;
		return 1;
	case A_DOWN:
	case A_PGDN:
		o->scroll.top += a == A_DOWN ? 1 : o->rows;
		if (o->scroll.top > o->scroll.n - 1)
			o->scroll.top = o->scroll.n > 0 ? o->scroll.n - 1 : 0;
		return 1;
	case A_HOME:
		o->scroll.top = 0;
		return 1;
	case A_END:
		o->scroll.top = o->scroll.n > o->rows ? o->scroll.n - o->rows : 0;
		return 1;
	default:
		return 0;
	}
}

static void ov_free(void *tab)
{
	overview *o = tab;
	case_free(&o->c);
	free(o);
}

static const ui_binding ov_keys[] = {
	{'e', A_EDIT, N_("edit the case")},
	{'c', A_STATUS, N_("change the status (with a reason)")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_overview = {
	N_("Overview"), ov_keys, ov_open, ov_draw, ov_act, ov_free,
};
