/* ui_tab_persons.c — the persons of a case: a table with one row per role,
 * a detail view of one person, and the forms to add, edit and link persons;
 * x takes a person out of the case (the person record stays). */
#include "i18n.h"
#include "identifier.h"
#include "person.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_form.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- labels of the model's values ---- */

/* In the order of the model's NULL-terminated name lists. */
static const char *const role_labels[] = {N_("suspect"), N_("victim"), N_("witness"), N_("informant")};
static const char *const network_labels[] = {
	N_("recruiter"), N_("transporter"), N_("financier"), N_("organiser"), N_("facilitator"),
	N_("guide"), N_("forger"), N_("money courier"), N_("other role"),
};
static const char *const sex_labels[] = {N_("male"), N_("female"), N_("unknown")};
static const char *const status_labels[] = {
	N_("unknown"), N_("at large"), N_("arrested"), N_("detained"), N_("released"),
};
static const char *const document_labels[] = {
	N_("passport"), N_("national ID card"), N_("residence permit"), N_("driving licence"),
	N_("other document"),
};

#define LABEL(names, labels, v) ui_label_in(names, labels, sizeof labels / sizeof *labels, v)

static const char *role_label(const char *v) { return LABEL(person_role_names, role_labels, v); }
static const char *network_label(const char *v) { return LABEL(person_network_role_names, network_labels, v); }
static const char *sex_label(const char *v) { return LABEL(person_sex_names, sex_labels, v); }
static const char *status_label(const char *v) { return LABEL(person_status_names, status_labels, v); }
static const char *document_label(const char *v) { return LABEL(person_document_kinds, document_labels, v); }

static const char *or_empty(const char *s) { return s ? s : ""; }

/* The name in the interface's language, the other one when it is missing. */
static const char *person_name(const dl_person *p)
{
	return ui_in_lang(p->name_ar, p->name_lat);
}

/* A stored UTC time "YYYY-MM-DDTHH:MM:SSZ" as "YYYY-MM-DD HH:MM UTC". */
static void utc_time(const char *t, char *out, size_t outsz)
{
	if (t && strlen(t) >= 16 && t[10] == 'T')
		snprintf(out, outsz, "%.10s %.5s UTC", t, t + 11);
	else
		snprintf(out, outsz, "%s", or_empty(t));
}

static int is_clerk(void)
{
	dl_session *s = ui_session();
	return s && s->role == DL_ROLE_CLERK;
}

static void read_only(void)
{
	ui_message(R_ERROR, "%s", _("Read-only: clerks see cases and print reports, they change nothing"));
}

/* ---- the tab's state ---- */

/* Below this width the table drops the network role, status and sex. */
#define WIDE_COLS 120

static const ui_col narrow_cols[] = {
	{N_("No."), 4, UI_END},
	{N_("Name"), 0, UI_START},
	{N_("Role"), 16, UI_START},
	{N_("Country"), 7, UI_START},
	{N_("Born"), 10, UI_START},
	{N_("Docs"), 5, UI_END},
	{N_("Ident."), 6, UI_END},
};
static const ui_col wide_cols[] = {
	{N_("No."), 5, UI_END},
	{N_("Name"), 0, UI_START},
	{N_("Role"), 12, UI_START},
	{N_("Network role"), 13, UI_START},
	{N_("Status"), 10, UI_START},
	{N_("Sex"), 7, UI_START},
	{N_("Country"), 7, UI_START},
	{N_("Born"), 10, UI_START},
	{N_("Docs"), 5, UI_END},
	{N_("Ident."), 6, UI_END},
};
#define NCOLS(c) (int)(sizeof c / sizeof *c)
#define NAME_COL 1                /* the same in both column sets */

typedef struct ptab {
	char number[64];
	ui_table t;
	int wide, rtl;                /* the column set and language the rows were built for */
	unsigned gen;
	size_t npersons;              /* distinct persons (a row is one role) */
	long long select;             /* a person to select after the next load (just added) */
	/* the detail view: shown is the person's id, 0 while the table shows */
	long long shown;
	dl_person p;
	unsigned pgen;
	ui_detail view;
} ptab;

static void *pt_open(const char *number)
{
	ptab *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	snprintf(o->number, sizeof o->number, "%s", number);
	ui_table_init(&o->t, narrow_cols, NCOLS(narrow_cols));
	return o;
}

static void pt_load(ptab *o)
{
	long long was = ui_table_sel(&o->t), want = o->select;
	long sel = o->t.list.sel;
	int wide = ui_cols() >= WIDE_COLS;
	o->select = 0;
	o->gen = ui_generation();
	o->rtl = ui_rtl();
	o->wide = wide;
	if (wide)
		ui_table_reset(&o->t, wide_cols, NCOLS(wide_cols));
	else
		ui_table_reset(&o->t, narrow_cols, NCOLS(narrow_cols));
	o->npersons = 0;
	dl_person_list l;
	dl_err err = {0};
	if (person_list(ui_session(), o->number, &l, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const dl_person *p = &l.v[i];
		char id[24], docs[24], idents[24], role[200];
		snprintf(id, sizeof id, "%lld", p->id);
		snprintf(docs, sizeof docs, "%lld", p->document_count);
		snprintf(idents, sizeof idents, "%lld", p->identifier_count);
		if (i == 0 || l.v[i - 1].id != p->id)
			o->npersons++;
		if (wide) {
			const char *cells[] = {id, person_name(p), role_label(p->role), network_label(p->network_role),
			                       status_label(p->status), sex_label(p->sex), or_empty(p->nationality),
			                       or_empty(p->birth_date), docs, idents};
			ui_role roles[NCOLS(wide_cols)] = {R_DIM};
			ui_table_add(&o->t, p->id, cells, roles);
		} else {
			snprintf(role, sizeof role, "%s%s%s", role_label(p->role), p->network_role ? " · " : "",
			         p->network_role ? network_label(p->network_role) : "");
			const char *cells[] = {id, person_name(p), role, or_empty(p->nationality),
			                       or_empty(p->birth_date), docs, idents};
			ui_role roles[NCOLS(narrow_cols)] = {R_DIM};
			ui_table_add(&o->t, p->id, cells, roles);
		}
	}
	person_list_free(&l);
	/* keep the selection on the same person; a new one is selected */
	long long id = want ? want : was;
	o->t.list.sel = sel;
	if (id && ui_table_sel(&o->t) != id)
		for (size_t i = 0; i < o->t.n; i++)
			if (o->t.ids[i] == id) {
				o->t.list.sel = (long)i;
				break;
			}
	ui_list_fit(&o->t.list, o->t.rows > 0 ? o->t.rows : 1);
}

/* The name in the selected row, for messages. */
static const char *sel_name(const ptab *o)
{
	if (!o->t.n || o->t.list.sel >= (long)o->t.n)
		return "";
	return o->t.cells[(size_t)o->t.list.sel * (size_t)o->t.ncols + NAME_COL];
}

/* ---- the detail view ---- */

static void detail_close(ptab *o)
{
	o->shown = 0;
	person_free(&o->p);
	ui_detail_free(&o->view);
}

static int detail_load(ptab *o)
{
	dl_err err = {0};
	person_free(&o->p);
	o->pgen = ui_generation();
	if (person_get(ui_session(), o->shown, &o->p, &err) != DL_OK) {
		ui_error(&err);
		o->shown = 0;
		return -1;
	}
	/* gone from this case (taken out elsewhere): back to the table */
	for (size_t i = 0; i < o->p.ncases; i++)
		if (!strcmp(o->p.cases[i].number, o->number))
			return 0;
	detail_close(o);
	return -1;
}

static void detail_open(ptab *o, long long id)
{
	o->shown = id;
	o->view.top = 0;
	detail_load(o);
}

static void detail_draw(ptab *o, int top, int rows)
{
	if (o->pgen != ui_generation() && detail_load(o) != 0)
		return;
	const dl_person *p = &o->p;
	ui_detail *v = &o->view;
	char buf[600];
	/* filled again at each draw: a change of language shows at once */
	snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI, person_name(p));
	ui_detail_begin(v, buf, 1);
	v->label_w = 22;                /* "Name in Latin letters" in full */
	snprintf(buf, sizeof buf, "%lld", p->id);
	ui_detail_add(v, _("Person no."), buf, R_NORMAL, 1);
	ui_detail_add(v, _("Name in Arabic"), p->name_ar, R_NORMAL, 1);
	ui_detail_add(v, _("Name in Latin letters"), p->name_lat, R_NORMAL, 1);
	buf[0] = '\0';
	for (size_t i = 0; i < p->ncases; i++) {
		const dl_person_case *c = &p->cases[i];
		if (strcmp(c->number, o->number) != 0)
			continue;
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof buf - l, "%s%s%s%s", l ? ", " : "", role_label(c->role),
		         c->network_role ? " · " : "", c->network_role ? network_label(c->network_role) : "");
	}
	ui_detail_add(v, _("Role in this case"), buf, R_NORMAL, 1);
	ui_detail_add(v, _("Sex"), sex_label(p->sex), R_NORMAL, 1);
	ui_detail_add(v, _("Date of birth"), p->birth_date, R_NORMAL, 1);
	ui_detail_add(v, _("Nationality"), p->nationality, R_NORMAL, 1);
	ui_detail_add(v, _("Status"), status_label(p->status), R_NORMAL, 1);
	ui_detail_add(v, _("Notes"), p->notes, R_NORMAL, 1);
	utc_time(p->created_at, buf, sizeof buf);
	ui_detail_add(v, _("Recorded"), buf, R_DIM, 1);
	utc_time(p->updated_at, buf, sizeof buf);
	ui_detail_add(v, _("Last changed"), buf, R_DIM, 1);

	ui_detail_add(v, "", "", R_NORMAL, 1);
	ui_detail_add(v, _("Aliases"), "", R_HEADER, 1);
	for (size_t i = 0; i < p->naliases; i++)
		ui_detail_add(v, "", p->aliases[i], R_NORMAL, 1);
	if (!p->naliases)
		ui_detail_add(v, "", _("none recorded"), R_DIM, 1);

	ui_detail_add(v, _("Identity documents"), "", R_HEADER, 1);
	for (size_t i = 0; i < p->ndocuments; i++) {
		const dl_person_document *d = &p->documents[i];
		snprintf(buf, sizeof buf, "%s%s%s%s%s", or_empty(d->number), d->country ? " · " : "",
		         or_empty(d->country), d->expires ? " · " : "", d->expires ? d->expires : "");
		ui_detail_add(v, document_label(d->kind), buf, R_NORMAL, 1);
	}
	if (!p->ndocuments)
		ui_detail_add(v, "", _("none recorded"), R_DIM, 1);

	ui_detail_add(v, _("Identifiers"), "", R_HEADER, 1);
	for (size_t i = 0; i < p->identifiers.n; i++)
		ui_detail_add(v, ui_identifier_kind_label(p->identifiers.v[i].kind), p->identifiers.v[i].value, R_NORMAL, 1);
	if (!p->identifiers.n)
		ui_detail_add(v, "", _("none recorded"), R_DIM, 1);

	ui_detail_add(v, _("Cases"), "", R_HEADER, 1);
	for (size_t i = 0; i < p->ncases; i++) {
		const dl_person_case *c = &p->cases[i];
		int here = !strcmp(c->number, o->number);
		snprintf(buf, sizeof buf, "%s%s%s%s", role_label(c->role), c->network_role ? " · " : "",
		         c->network_role ? network_label(c->network_role) : "", here ? _(" (this case)") : "");
		ui_detail_add(v, c->number, buf, here ? R_NORMAL : R_OK, 1);
	}
	ui_detail_draw(v, top, rows, _("Esc back · e edit · x remove from this case · ↑↓ scroll · F1 help"));
}

/* ---- the table ---- */

static void pt_draw(void *tab, int top, int rows)
{
	ptab *o = tab;
	if (o->gen != ui_generation() || o->wide != (ui_cols() >= WIDE_COLS) || o->rtl != ui_rtl())
		pt_load(o);
	if (o->shown) {
		detail_draw(o, top, rows);
		if (o->shown)
			return;
	}
	int cols = ui_cols();
	char line[300];
	snprintf(line, sizeof line, P_("%zu person in case %s", "%zu persons in case %s", o->npersons),
	         o->npersons, o->number);
	ui_put(top, 0, cols, line, R_DIM, UI_START);
	ui_table_draw(&o->t, top + 1, rows - 2,
	              _("No persons recorded in this case. n adds one; l links one from another case."));
	ui_put(top + rows - 1, 0, cols,
	       _("Enter details · n new · e edit · l link · x remove from case · F1 help"), R_DIM, UI_START);
}

/* ---- forms ---- */

enum {
	PF_NAME_AR, PF_NAME_LAT, PF_ROLE, PF_NETWORK, PF_SEX, PF_BORN, PF_NATIONALITY, PF_STATUS,
	PF_ALIAS, PF_PHONE, PF_EMAIL, PF_DOCUMENT, PF_NOTES, PF_COUNT
};

/* The field names are the model's, so that its errors land under the field. */
static const ui_field_def person_defs[PF_COUNT] = {
	[PF_NAME_AR] = {F_TEXT, "name-ar", N_("Name in Arabic"), N_("required"), NULL, NULL},
	[PF_NAME_LAT] = {F_TEXT, "name-lat", N_("Name in Latin letters"), NULL, NULL, NULL},
	[PF_ROLE] = {F_CHOICE, "role", N_("Role in this case"), NULL, NULL, NULL},
	[PF_NETWORK] = {F_CHOICE, "network-role", N_("Role in the network"), NULL, NULL, NULL},
	[PF_SEX] = {F_CHOICE, "sex", N_("Sex"), NULL, person_sex_names, sex_label},
	[PF_BORN] = {F_DATE, "born", N_("Date of birth"), N_("YYYY-MM-DD"), NULL, NULL},
	[PF_NATIONALITY] = {F_TEXT, "nationality", N_("Nationality"),
	                    N_("two letters: LY, EG, MA, TN, SD, NE, NG…"), NULL, NULL},
	[PF_STATUS] = {F_CHOICE, "status", N_("Status"), NULL, person_status_names, status_label},
	[PF_ALIAS] = {F_TEXT, "alias", N_("Aliases"), N_("separate several with commas"), NULL, NULL},
	[PF_PHONE] = {F_TEXT, "phone", N_("Phone numbers"), N_("separate several with commas"), NULL, NULL},
	[PF_EMAIL] = {F_TEXT, "email", N_("E-mail addresses"), N_("separate several with commas"), NULL, NULL},
	[PF_DOCUMENT] = {F_TEXT, "document", N_("Identity documents"),
	                 N_("kind:number:country, e.g. passport:P1234567:LY"), NULL, NULL},
	[PF_NOTES] = {F_MULTILINE, "notes", N_("Notes"), NULL, NULL, NULL},
};

/* What an add or edit form works on. */
typedef struct pform {
	ptab *tab;                    /* the tab under the form: it outlives the form */
	long long id;                 /* the person edited, 0 for a new one */
	char *initial[PF_COUNT];      /* edit: the values the form opened with */
} pform;

static void pform_free(void *ctx)
{
	pform *c = ctx;
	for (int i = 0; i < PF_COUNT; i++)
		free(c->initial[i]);
	free(c);
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

/* On edit only what the user changed is sent: NULL leaves a field as it is. */
static const char *changed(const char *now, const char *was)
{
	return strcmp(now, was ? was : "") ? now : NULL;
}

#define MAX_ITEMS 32

/* Choices with a "none" first: the model's values after "". */
static void choices_with_none(ui_form *f, const char *name, const char *const *names,
                              const char *(*label)(const char *), const char *none)
{
	const char *values[32], *labels[32];
	size_t n = 0;
	values[n] = "";
	labels[n++] = none;
	for (size_t i = 0; names[i] && n < 32; i++, n++) {
		values[n] = names[i];
		labels[n] = label(names[i]);
	}
	ui_form_set_choices(f, name, values, labels, n);
}

static dl_status person_submit(ui_form *f, void *ctx, dl_err *err)
{
	pform *c = ctx;
	char *v[PF_COUNT] = {0};
	dl_status rc = DL_OK;
	for (int i = 0; i < PF_COUNT && rc == DL_OK; i++) {
		if (c->id && i == PF_ROLE)
			continue;                 /* roles are per case: l links */
		v[i] = strdup(ui_form_get(f, person_defs[i].name));
		if (!v[i])
			rc = dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	}
	if (rc == DL_OK) {
		const char *aliases[MAX_ITEMS], *phones[MAX_ITEMS], *emails[MAX_ITEMS], *docs[MAX_ITEMS];
		dl_person_input in = {0};
		in.naliases = ui_form_split_list(v[PF_ALIAS], aliases, MAX_ITEMS);
		in.aliases = aliases;
		in.nphones = ui_form_split_list(v[PF_PHONE], phones, MAX_ITEMS);
		in.phones = phones;
		in.nemails = ui_form_split_list(v[PF_EMAIL], emails, MAX_ITEMS);
		in.emails = emails;
		in.ndocuments = ui_form_split_list(v[PF_DOCUMENT], docs, MAX_ITEMS);
		in.documents = docs;
		if (!c->id) {
			in.name_ar = v[PF_NAME_AR];
			in.name_lat = opt(v[PF_NAME_LAT]);
			in.role = v[PF_ROLE];
			in.network_role = opt(v[PF_NETWORK]);
			in.sex = opt(v[PF_SEX]);
			in.birth_date = opt(v[PF_BORN]);
			in.nationality = opt(v[PF_NATIONALITY]);
			in.status = opt(v[PF_STATUS]);
			in.notes = opt(v[PF_NOTES]);
			long long id = 0;
			rc = person_add(ui_session(), c->tab->number, &in, &id, err);
			if (rc == DL_OK) {
				c->tab->select = id;
				ui_message(R_OK, _("Person %lld added to case %s"), id, c->tab->number);
			}
		} else {
			in.name_ar = changed(v[PF_NAME_AR], c->initial[PF_NAME_AR]);
			in.name_lat = changed(v[PF_NAME_LAT], c->initial[PF_NAME_LAT]);
			in.network_role = changed(v[PF_NETWORK], c->initial[PF_NETWORK]);
			in.sex = changed(v[PF_SEX], c->initial[PF_SEX]);
			in.birth_date = changed(v[PF_BORN], c->initial[PF_BORN]);
			in.nationality = changed(v[PF_NATIONALITY], c->initial[PF_NATIONALITY]);
			in.status = changed(v[PF_STATUS], c->initial[PF_STATUS]);
			in.notes = changed(v[PF_NOTES], c->initial[PF_NOTES]);
			rc = person_edit(ui_session(), c->id, &in, err);
			if (rc == DL_OK)
				ui_message(R_OK, _("Person %lld saved"), c->id);
		}
	}
	for (int i = 0; i < PF_COUNT; i++)
		free(v[i]);
	return rc;
}

static void person_form_open(ptab *o, const dl_person *p)
{
	ui_field_def defs[PF_COUNT];
	size_t n = 0;
	for (int i = 0; i < PF_COUNT; i++) {
		if (p && i == PF_ROLE)
			continue;
		defs[n] = person_defs[i];
		if (p && (i == PF_ALIAS || i == PF_PHONE || i == PF_EMAIL || i == PF_DOCUMENT))
			defs[n].hint = N_("added to those recorded; separate with commas");
		if (p && i == PF_NETWORK)
			defs[n].label = N_("Network role, all cases");
		n++;
	}
	pform *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->tab = o;
	c->id = p ? p->id : 0;
	char title[400];
	if (p)
		snprintf(title, sizeof title, _("Edit person %lld: %s"), p->id, person_name(p));
	else
		snprintf(title, sizeof title, _("New person in case %s"), o->number);
	ui_form *f = ui_form_new(title, defs, n, person_submit, c, pform_free);
	if (!f) {
		pform_free(c);
		return;
	}
	choices_with_none(f, "network-role", person_network_role_names, network_label, _("none"));
	if (!p) {
		choices_with_none(f, "role", person_role_names, role_label, _("choose one"));
		ui_form_set(f, "sex", "unknown");
		ui_form_set(f, "status", "unknown");
		ui_form_open(f);
		return;
	}
	/* the network role of this case (the model sets it in every case on save) */
	const char *network = NULL;
	for (size_t i = 0; i < p->ncases; i++)
		if (!strcmp(p->cases[i].number, o->number) && p->cases[i].network_role)
			network = p->cases[i].network_role;
	ui_form_set(f, "name-ar", p->name_ar);
	ui_form_set(f, "name-lat", p->name_lat);
	ui_form_set(f, "network-role", network);
	ui_form_set(f, "sex", p->sex ? p->sex : "unknown");
	ui_form_set(f, "born", p->birth_date);
	ui_form_set(f, "nationality", p->nationality);
	ui_form_set(f, "status", p->status);
	ui_form_set(f, "notes", p->notes);
	/* what the form opened with (choices included), to send only changes; a
	 * copy lost to memory only makes an unchanged value be sent again */
	for (int i = 0; i < PF_COUNT; i++)
		if (i != PF_ROLE)
			c->initial[i] = strdup(ui_form_get(f, person_defs[i].name));
	ui_form_open(f);
}

static void edit_open(ptab *o, long long id)
{
	if (!id) {
		ui_message(R_MESSAGE, "%s", _("No person selected"));
		return;
	}
	dl_person p;
	dl_err err = {0};
	if (person_get(ui_session(), id, &p, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	person_form_open(o, &p);
	person_free(&p);
}

/* ---- linking a person of another case ---- */

static dl_status link_submit(ui_form *f, void *ctx, dl_err *err)
{
	ptab *o = ctx;
	long long id;
	dl_status rc = val_id("id", ui_form_get(f, "id"), &id, err);
	if (rc != DL_OK)
		return rc;
	char role[32], network[32];
	snprintf(role, sizeof role, "%s", ui_form_get(f, "role"));
	snprintf(network, sizeof network, "%s", ui_form_get(f, "network-role"));
	rc = person_link(ui_session(), id, o->number, role, opt(network), err);
	if (rc == DL_OK) {
		o->select = id;
		ui_message(R_OK, _("Person %lld is now a %s in case %s"), id, role_label(role), o->number);
	}
	return rc;
}

static void link_open(ptab *o)
{
	static const ui_field_def defs[] = {
		{F_TEXT, "id", N_("Person no."), N_("the number shown in the other case, e.g. 12"), NULL, NULL},
		{F_CHOICE, "role", N_("Role in this case"), NULL, NULL, NULL},
		{F_CHOICE, "network-role", N_("Role in the network"), NULL, NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("Link a person of another case to case %s"), o->number);
	ui_form *f = ui_form_new(title, defs, sizeof defs / sizeof *defs, link_submit, o, NULL);
	if (!f)
		return;
	choices_with_none(f, "role", person_role_names, role_label, _("choose one"));
	choices_with_none(f, "network-role", person_network_role_names, network_label, _("none"));
	ui_form_open(f);
}

/* ---- taking a person out of the case ---- */

static void unlink_open(ptab *o, long long id, const char *name)
{
	if (!id) {
		ui_message(R_MESSAGE, "%s", _("No person selected"));
		return;
	}
	if (is_clerk()) {
		read_only();
		return;
	}
	char what[400];
	/* TRANSLATORS: completes "Delete %s? It stays in the audit log." */
	snprintf(what, sizeof what, _("%s (%lld) from this case"), name, id);
	if (!ui_case_confirm_delete(what)) {
		ui_message(R_MESSAGE, "%s", _("Cancelled: nothing was written"));
		return;
	}
	dl_err err = {0};
	if (person_unlink(ui_session(), id, o->number, &err) != DL_OK) {
		ui_message(R_ERROR, "%s", err.msg);
		return;
	}
	ui_touch();
	if (o->shown == id)
		detail_close(o);
	ui_message(R_OK, _("Person %lld taken out of case %s; the person's record stays"), id, o->number);
}

/* ---- keys ---- */

static int pt_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	ptab *o = tab;
	if (o->shown) {
		if (ui_detail_act(&o->view, a))
			return 1;
		switch (a) {
		case A_BACK:
			detail_close(o);
			return 1;
		case A_ENTER:
			return 1;
		case A_NEW:
			person_form_open(o, NULL);
			return 1;
		case A_EDIT:
			person_form_open(o, &o->p);
			return 1;
		case A_TOGGLE:
			link_open(o);
			return 1;
		case A_DELETE: {
			char name[400];
			snprintf(name, sizeof name, "%s", person_name(&o->p));
			unlink_open(o, o->shown, name);
			return 1;
		}
		default:
			return 0;
		}
	}
	if (ui_table_act(&o->t, a))
		return 1;
	switch (a) {
	case A_ENTER:
		if (ui_table_sel(&o->t))
			detail_open(o, ui_table_sel(&o->t));
		return 1;
	case A_NEW:
		person_form_open(o, NULL);
		return 1;
	case A_EDIT:
		edit_open(o, ui_table_sel(&o->t));
		return 1;
	case A_TOGGLE:
		link_open(o);
		return 1;
	case A_DELETE: {
		char name[400];
		snprintf(name, sizeof name, "%s", sel_name(o));
		unlink_open(o, ui_table_sel(&o->t), name);
		return 1;
	}
	default:
		return 0;
	}
}

static void pt_free(void *tab)
{
	ptab *o = tab;
	ui_table_free(&o->t);
	person_free(&o->p);
	ui_detail_free(&o->view);
	free(o);
}

/* 'l' is A_TOGGLE: there is no "link" action, and the tab's keys are tried
 * before the global ones (where l moves right). */
static const ui_binding pt_keys[] = {
	{'\n', A_ENTER, N_("show the person's details; Esc returns to the list")},
	{'n', A_NEW, N_("new person in this case")},
	{'e', A_EDIT, N_("edit the person")},
	{'l', A_TOGGLE, N_("link a person of another case to this one, with a role")},
	{'x', A_DELETE, N_("take the person out of this case (the record stays)")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_persons = {
	N_("Persons"), pt_keys, pt_open, pt_draw, pt_act, pt_free,
};
