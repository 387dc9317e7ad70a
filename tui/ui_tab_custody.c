/* ui_tab_custody.c — the chain of custody of a case's devices, evidence
 * sources and items, in time order; recording a new event. The chain is an
 * append-only legal record: there is no edit and no delete, and the keys that
 * would do either say so. */
#include "custody.h"
#include "device.h"
#include "evidence.h"
#include "i18n.h"
#include "json.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* index = dl_custody_event_kind */
static const char *const event_labels[] = {
	N_("seized"), N_("sealed"), N_("transferred"), N_("received"), N_("extracted"),
	N_("ingested"), N_("examined"), N_("reported on"), N_("returned"), N_("destroyed"),
};

static const char *event_label(const char *name)
{
	for (int i = 0; custody_event_names[i]; i++)
		if (!strcmp(custody_event_names[i], name))
			return _(event_labels[i]);
	return name;
}

/* index = device_type_names */
static const char *const device_labels[] = {
	N_("phone"), N_("SIM card"), N_("computer"), N_("tablet"), N_("storage medium"), N_("other device"),
};

static const char *device_label(const char *type)
{
	for (int i = 0; device_type_names[i]; i++)
		if (!strcmp(device_type_names[i], type))
			return _(device_labels[i]);
	return type;
}

typedef struct subject {
	char *value;                /* "device:12", as custody_subject_parse reads it */
	char *label;                /* translated, in full: the picker and the detail view */
	char *brief;                /* for the table: what it is and its seal */
} subject;

typedef struct custody {
	char number[64];
	dl_custody_list list;
	subject *subjects;          /* the case's devices and sources */
	size_t nsubjects;
	ui_list sel;
	int rows;
	unsigned gen;
	int rtl;                    /* the language of the translated cells (F2 switches) */
	long long want;             /* select this event at the next reload */
	long long detail;           /* the event shown in full, 0: the list */
	ui_detail view;
} custody;

static void subjects_free(custody *c)
{
	for (size_t i = 0; i < c->nsubjects; i++) {
		free(c->subjects[i].value);
		free(c->subjects[i].label);
		free(c->subjects[i].brief);
	}
	free(c->subjects);
	c->subjects = NULL;
	c->nsubjects = 0;
}

static void subject_add(custody *c, const char *kind, long long id, const char *what,
                        const char *brief)
{
	subject *v = realloc(c->subjects, (c->nsubjects + 1) * sizeof *v);
	if (!v)
		return;
	c->subjects = v;
	char value[48];
	snprintf(value, sizeof value, "%s:%lld", kind, id);
	dl_buf label = {0};
	buf_addf(&label, "%s %lld · %s", !strcmp(kind, "device") ? _("device") : _("source"), id, what);
	subject *s = &v[c->nsubjects];
	s->value = strdup(value);
	s->label = label.data;      /* ownership moves to the subject */
	s->brief = strdup(brief);
	if (s->value && s->label && s->brief) {
		c->nsubjects++;
	} else {
		free(s->value);
		free(s->label);
		free(s->brief);
	}
}

/* The devices and evidence sources of the case, named so that an officer
 * recognises them: type, make, model and seal; the file's name. */
static void load_subjects(custody *c)
{
	subjects_free(c);
	dl_err err = {0};
	dl_device_list dl = {0};
	if (device_list(ui_session(), c->number, &dl, &err) == DL_OK) {
		for (size_t i = 0; i < dl.n; i++) {
			const dl_device *d = &dl.v[i];
			dl_buf what = {0}, brief = {0};
			/* the values isolated: each keeps its direction in the label */
			buf_adds(&what, device_label(d->type));
			if (d->make || d->model)
				buf_addf(&what, " " UI_ISO "%s%s%s" UI_PDI, d->make ? d->make : "",
				         d->make && d->model ? " " : "", d->model ? d->model : "");
			if (d->seal_number)
				buf_addf(&what, " · " UI_ISO "%s" UI_PDI, d->seal_number);
			/* the seal first: it is what the bag says, and it survives a cut */
			if (d->seal_number)
				buf_addf(&brief, UI_ISO "%s" UI_PDI " %s", d->seal_number, device_label(d->type));
			else
				buf_addf(&brief, "%s %lld", device_label(d->type), d->id);
			subject_add(c, "device", d->id, buf_str(&what), buf_str(&brief));
			buf_free(&what);
			buf_free(&brief);
		}
		device_list_free(&dl);
	}
	dl_source_list sl = {0};
	if (evidence_source_list(ui_session(), c->number, &sl, &err) == DL_OK) {
		for (size_t i = 0; i < sl.n; i++) {
			const char *path = sl.v[i].original_path ? sl.v[i].original_path : "";
			const char *base = strrchr(path, '/');
			base = base && base[1] ? base + 1 : path;
			dl_buf name = {0};
			buf_addf(&name, UI_ISO "%s" UI_PDI, base);
			subject_add(c, "source", sl.v[i].id, buf_str(&name), buf_str(&name));
			buf_free(&name);
		}
		evidence_source_list_free(&sl);
	}
}

/* The label of an event's subject (brief: the table's); items are not
 * listed (a source may hold millions), they go by their id. */
static const char *subject_text(const custody *c, const dl_custody_event *e, int brief, char *out,
                                size_t outsz)
{
	char value[48];
	snprintf(value, sizeof value, "%s:%lld", custody_subject_names[e->subject_kind], e->subject_id);
	for (size_t i = 0; i < c->nsubjects; i++)
		if (!strcmp(c->subjects[i].value, value))
			return brief ? c->subjects[i].brief : c->subjects[i].label;
	if (e->subject_kind == DL_CUSTODY_ITEM)
		snprintf(out, outsz, _("evidence item %lld"), e->subject_id);
	else
		snprintf(out, outsz, "%s", value);
	return out;
}

/* "2026-01-10T14:30:00Z" shown as "2026-01-10 14:30" (UTC). */
static void short_time(const char *at, char out[17])
{
	snprintf(out, 17, "%s", at ? at : "");
	if (strlen(out) > 10 && out[10] == 'T')
		out[10] = ' ';
}

static const dl_custody_event *find(const custody *c, long long id)
{
	for (size_t i = 0; i < c->list.n; i++)
		if (c->list.v[i].id == id)
			return &c->list.v[i];
	return NULL;
}

static void fill_view(custody *c, int keep);

static void reload(custody *c)
{
	long long sel = c->want                                         ? c->want
	                : c->sel.n > 0 && (size_t)c->sel.sel < c->list.n ? c->list.v[c->sel.sel].id
	                                                                 : 0;
	c->want = 0;
	c->gen = ui_generation();
	c->rtl = ui_rtl();
	custody_list_free(&c->list);
	load_subjects(c);
	dl_err err = {0};
	if (custody_list(ui_session(), c->number, NULL, 0, &c->list, &err) != DL_OK)
		ui_error(&err);
	c->sel.n = (long)c->list.n;
	/* the same event stays selected; a new chain starts at its latest event */
	c->sel.sel = c->sel.n - 1;
	for (size_t i = 0; sel && i < c->list.n; i++)
		if (c->list.v[i].id == sel)
			c->sel.sel = (long)i;
	if (c->detail) {
		if (find(c, c->detail))
			fill_view(c, 1);
		else
			c->detail = 0;
	}
}

static void *cu_open(const char *number)
{
	custody *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	snprintf(c->number, sizeof c->number, "%s", number);
	reload(c);
	return c;
}

static void fill_view(custody *c, int keep)
{
	const dl_custody_event *e = find(c, c->detail);
	if (!e)
		return;
	char title[300], buf[700], when[17];
	snprintf(title, sizeof title, _("Custody event %lld"), e->id);
	ui_detail *v = &c->view;
	ui_detail_begin(v, title, keep);
	short_time(e->at, when);
	snprintf(buf, sizeof buf, "%s UTC", when);
	ui_detail_add(v, _("When"), buf, R_NORMAL, 1);
	ui_detail_add(v, _("Action"), event_label(custody_event_names[e->event]), R_NORMAL, 1);
	ui_detail_add(v, _("Subject"), subject_text(c, e, 0, buf, sizeof buf), R_NORMAL, 1);
	ui_detail_add(v, _("From"), e->from, R_NORMAL, 0);
	ui_detail_add(v, _("To"), e->to, R_NORMAL, 0);
	ui_detail_add(v, _("Place"), e->place, R_NORMAL, 0);
	ui_detail_add(v, _("Seal number"), e->seal_number, R_NORMAL, 0);
	ui_detail_add(v, _("Reason and notes"), e->reason, R_NORMAL, 0);
	snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI " · %s", e->recorded_by ? e->recorded_by : "", e->recorded_at);
	ui_detail_add(v, _("Recorded by"), buf, R_DIM, 1);
}

/* Narrow terminals leave the notes to the detail view. */
static const ui_col cols_narrow[] = {
	{N_("When (UTC)"), 16, UI_START},
	{N_("Action"), 11, UI_START},
	{N_("Subject"), 16, UI_START},
	{N_("From → to"), 0, UI_START},
	{N_("Place"), 10, UI_START},
	/* TRANSLATORS: column of who recorded a custody event, 7 cells */
	{N_("By"), 7, UI_START},
};
static const ui_col cols_wide[] = {
	{N_("When (UTC)"), 16, UI_START},
	{N_("Action"), 12, UI_START},
	{N_("Subject"), 0, UI_START},
	{N_("From → to"), 0, UI_START},
	{N_("Place"), 16, UI_START},
	{N_("Recorded by"), 11, UI_START},
	{N_("Notes"), 0, UI_START},
};

static void cu_draw(void *tab, int top, int rows)
{
	custody *c = tab;
	if (c->gen != ui_generation() || c->rtl != ui_rtl())
		reload(c);
	if (c->detail) {
		ui_detail_draw(&c->view, top, rows, _("Esc back to the chain · ↑↓ scroll"));
		return;
	}
	int cols = ui_cols();
	int wide = cols >= 120;
	const ui_col *cl = wide ? cols_wide : cols_narrow;
	int ncols = wide ? 7 : 6;
	char line[300];
	snprintf(line, sizeof line,
	         P_("%zu custody event, oldest first · append-only: never edited or deleted",
	            "%zu custody events, oldest first · append-only: never edited or deleted", c->list.n),
	         c->list.n);
	ui_put(top, 0, cols, line, R_DIM, UI_START);
	ui_table_header(top + 1, cl, ncols);
	c->rows = rows - 3;
	ui_list_fit(&c->sel, c->rows);
	for (int r = 0; r < c->rows; r++) {
		long i = c->sel.top + r;
		if (i >= c->sel.n) {
			ui_fill(top + 2 + r, 0, cols, R_NORMAL);
			continue;
		}
		const dl_custody_event *e = &c->list.v[i];
		char when[17], other[100], party[520], notes[2220];
		short_time(e->at, when);
		const char *subj = subject_text(c, e, 1, other, sizeof other);
		/* the arrow points the way the line is read */
		/* each party isolated, so that the line reads the interface's way
		 * and the arrow points the way it is read */
		party[0] = '\0';
		if (e->from || e->to)
			snprintf(party, sizeof party, UI_ISO "%s" UI_PDI "%s" UI_ISO "%s" UI_PDI,
			         e->from ? e->from : "", ui_rtl() ? " ← " : " → ", e->to ? e->to : "");
		snprintf(notes, sizeof notes, UI_ISO "%s" UI_PDI "%s" UI_ISO "%s" UI_PDI,
		         e->seal_number ? e->seal_number : "", e->seal_number && e->reason ? " · " : "",
		         e->reason ? e->reason : "");
		/* one line of the reason in the table */
		for (char *p = notes; *p; p++)
			if (*p == '\n')
				*p = ' ';
		const char *cells[7] = {when, event_label(custody_event_names[e->event]), subj, party,
		                        e->place ? e->place : "", e->recorded_by ? e->recorded_by : "", notes};
		ui_role roles[7] = {R_NORMAL, e->event == DL_CUSTODY_DESTROYED ? R_OVERDUE : R_NORMAL, R_NORMAL,
		                    R_NORMAL, R_NORMAL, R_DIM, R_NORMAL};
		ui_table_row(top + 2 + r, cl, ncols, cells, roles, i == c->sel.sel ? R_SELECTED : R_NORMAL);
	}
	if (c->list.n == 0)
		ui_put(top + 3, 2, cols - 4,
		       c->nsubjects ? _("No custody event yet. n records the first one (seized, sealed…).")
		                    : _("No custody event yet. Record a device or ingest evidence first, then n."),
		       R_DIM, UI_START);
	ui_put(top + rows - 1, 0, cols, _("Enter details · n record an event · F1 help"), R_DIM, UI_START);
}

/* ---- recording an event ---- */

static dl_status cu_submit(ui_form *f, void *ctx, dl_err *err)
{
	custody *c = ctx;
	static const char *const names[] = {"subject", "event", "at", "from", "to", "place", "seal", "reason"};
	enum { N = sizeof names / sizeof *names };
	char *v[N];
	for (int i = 0; i < N; i++)
		if (!(v[i] = strdup(ui_form_get(f, names[i])))) {
			for (int k = 0; k < i; k++)
				free(v[k]);
			return dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
		}
	dl_custody_subject kind;
	dl_custody_input in = {0};
	dl_status rc = custody_subject_parse("subject", v[0], &kind, &in.subject_id, err);
	long long id = 0;
	if (rc == DL_OK) {
		in.subject_kind = custody_subject_names[kind];
		in.event = v[1];
		in.at = *v[2] ? v[2] : NULL;
		in.from = v[3];
		in.to = v[4];
		in.place = v[5];
		in.seal = v[6];
		in.reason = v[7];
		rc = custody_add(ui_session(), c->number, &in, &id, err);
	}
	if (rc == DL_OK) {
		ui_message(R_OK, _("Custody event %lld recorded: %s"), id, event_label(v[1]));
		c->want = id;
	}
	for (int i = 0; i < N; i++)
		free(v[i]);
	return rc;
}

static void form_open(custody *c)
{
	static const ui_field_def defs[] = {
		{F_CHOICE, "subject", N_("Subject"), NULL, NULL, NULL},
		{F_CHOICE, "event", N_("Action"), NULL, custody_event_names, event_label},
		{F_TEXT, "at", N_("When"), N_("YYYY-MM-DD HH:MM in UTC, or add +02:00; empty: now"), NULL, NULL},
		{F_TEXT, "from", N_("From (handed over by)"), N_("needed for a transfer"), NULL, NULL},
		{F_TEXT, "to", N_("To (taken by)"), N_("needed for a transfer"), NULL, NULL},
		{F_TEXT, "place", N_("Place"), NULL, NULL, NULL},
		{F_TEXT, "seal", N_("Seal number"), NULL, NULL, NULL},
		{F_MULTILINE, "reason", N_("Reason and notes"), N_("needed for a transfer"), NULL, NULL},
	};
	load_subjects(c);
	if (!c->nsubjects) {
		ui_message(R_ERROR, "%s",
		           _("This case has no device or evidence source yet: record one before its custody"));
		return;
	}
	char title[200];
	snprintf(title, sizeof title, _("New custody event in case %s"), c->number);
	ui_form *f = ui_form_new(title, defs, sizeof defs / sizeof *defs, cu_submit, c, NULL);
	if (!f)
		return;
	const char **vals = calloc(c->nsubjects, sizeof *vals);
	const char **labels = calloc(c->nsubjects, sizeof *labels);
	if (vals && labels) {
		for (size_t i = 0; i < c->nsubjects; i++) {
			vals[i] = c->subjects[i].value;
			labels[i] = c->subjects[i].label;
		}
		ui_form_set_choices(f, "subject", vals, labels, c->nsubjects);
	}
	free(vals);
	free(labels);
	/* the next event is usually about the subject of the selected one */
	if (c->sel.n > 0 && (size_t)c->sel.sel < c->list.n) {
		const dl_custody_event *e = &c->list.v[c->sel.sel];
		char value[48];
		snprintf(value, sizeof value, "%s:%lld", custody_subject_names[e->subject_kind], e->subject_id);
		ui_form_set(f, "subject", value);
	}
	ui_form_open(f);
}

static int cu_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	custody *c = tab;
	if (c->detail && ui_detail_act(&c->view, a))
		return 1;
	switch (a) {
	case A_BACK:
		if (!c->detail)
			return 0;
		c->detail = 0;
		return 1;
	case A_ENTER:
		if (!c->detail && c->sel.n > 0 && (size_t)c->sel.sel < c->list.n) {
			c->detail = c->list.v[c->sel.sel].id;
			fill_view(c, 0);
		}
		return 1;
	case A_NEW:
		form_open(c);
		return 1;
	case A_EDIT:
	case A_DELETE:
		ui_message(R_ERROR, "%s",
		           _("Custody is append-only: no edit or delete. Record a new event to correct one."));
		return 1;
	case A_REFRESH:
		reload(c);
		return 1;
	default:
		return c->detail ? 0 : ui_list_act(&c->sel, a, c->rows > 0 ? c->rows : 1);
	}
}

static void cu_free(void *tab)
{
	custody *c = tab;
	custody_list_free(&c->list);
	subjects_free(c);
	ui_detail_free(&c->view);
	free(c);
}

static const ui_binding cu_keys[] = {
	{'\n', A_ENTER, N_("show the event in full")},
	{'n', A_NEW, N_("record a new custody event")},
	{'e', A_EDIT, N_("edit: not possible, custody is append-only")},
	{'x', A_DELETE, N_("delete: not possible, custody is append-only")},
	{'r', A_REFRESH, N_("reload the chain")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_custody = {
	N_("Custody"), cu_keys, cu_open, cu_draw, cu_act, cu_free,
};
