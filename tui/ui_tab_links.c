/* ui_tab_links.c — cross-case hits: the identifiers of this case that other
 * cases have too. Enter opens another case the user may read; of one they may
 * not, the model gives only its number and lead, and Enter says whom to
 * contact. The hits are worked out afresh whenever something was saved
 * (ui_generation), so a new hit shows as soon as its identifier is recorded.
 * p shows one person's ties as text: each of their identifiers (and those of
 * the devices they own) with the other cases and persons that have it too, and
 * the other cases they are in themselves. */
#include "device.h"
#include "i18n.h"
#include "identifier.h"
#include "json.h"
#include "links.h"
#include "person.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_form.h"
#include "ui_screens.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order of the model's NULL-terminated name lists. */
static const char *const type_labels[] = {
	N_("phone"), N_("SIM card"), N_("computer"), N_("tablet"), N_("storage medium"), N_("other device"),
};

#define LABEL(names, labels, v) ui_label_in(names, labels, sizeof labels / sizeof *labels, v)

/* Hits held for the table: persons' and devices' come first, and two cases
 * holding the same phone dump would otherwise share a million. */
#define LINKS_SHOWN 5000

static const ui_col columns[] = {
	{N_("Kind"), 14, UI_START},
	{N_("Value"), 18, UI_START},
	{N_("Here"), 0, UI_START},
	{N_("Other case"), 14, UI_START},
	{N_("There"), 0, UI_START},
};
#define NCOLS (int)(sizeof columns / sizeof *columns)
/* Below 100 columns "There" gets what "Here" can spare: it carries the other
 * case's title, or whom to ask about a restricted case. IMEIs (15 digits) and
 * phone numbers still fit their column. */
static const ui_col narrow_columns[NCOLS] = {
	{N_("Kind"), 7, UI_START},
	{N_("Value"), 15, UI_START},
	{N_("Here"), 16, UI_START},
	{N_("Other case"), 13, UI_START},
	{N_("There"), 0, UI_START},
};

typedef struct links {
	char number[64];
	char denied[512];           /* the model's refusal, shown instead of the table */
	dl_link_list list;
	ui_table table;             /* row id = index in list + 1 */
	unsigned gen;
	int rtl;                    /* the language of the composed cells (F2 switches) */
	/* the ties view: the person shown, 0 while the table shows */
	long long ties;
	unsigned tgen;
	dl_person person;
	dl_device_list devices;     /* of this case, for those the person owns */
	dl_identifier_list idents;  /* of this case, for those of the devices */
	ui_detail view;
} links;

static int has(const char *s) { return s && *s; }


/* Whose the identifier is: a person's name, "phone Samsung A12", an item's path. */
static void subject_text(const dl_link_subject *s, dl_buf *out)
{
	char head[64];
	switch (s->kind) {
	case DL_LINK_PERSON:
		/* isolated: an Arabic name must not turn a composed English cell around */
		buf_addf(out, UI_ISO "%s" UI_PDI, ui_in_lang(s->name, s->name_lat));
		break;
	case DL_LINK_DEVICE:
		buf_adds(out, LABEL(device_type_names, type_labels, s->device_type));
		if (has(s->name))
			buf_addf(out, " " UI_ISO "%s" UI_PDI, s->name);
		break;
	case DL_LINK_ITEM:
		snprintf(head, sizeof head, _("item %lld"), s->id);
		buf_addf(out, "%s " UI_ISO "%s" UI_PDI, head, s->name ? s->name : "");
		if (s->items > 1)
			buf_addf(out, P_(" (and %lld other item)", " (and %lld other items)", s->items - 1),
			          s->items - 1);
		break;
	case DL_LINK_NONE:
		buf_adds(out, "—");
		break;
	}
}

/* Whom to contact about a restricted case: "login (name)". */
static void lead_text(const dl_link *k, dl_buf *out)
{
	if (!k->other_lead) {
		buf_adds(out, _("a supervisor"));
		return;
	}
	const char *name = ui_in_lang(k->other_lead_name_ar, k->other_lead_name_en);
	buf_addf(out, UI_ISO "%s" UI_PDI, k->other_lead);
	if (*name)
		buf_addf(out, " (" UI_ISO "%s" UI_PDI ")", name);
}

static void reload(links *l)
{
	long long sel = ui_table_sel(&l->table);
	l->gen = ui_generation();
	l->rtl = ui_rtl();
	links_list_free(&l->list);
	ui_table_clear(&l->table);
	l->denied[0] = '\0';
	dl_err err = {0};
	if (links_case(ui_session(), l->number, LINKS_SHOWN, &l->list, &err) != DL_OK) {
		snprintf(l->denied, sizeof l->denied, "%s", err.msg);
		return;
	}
	dl_buf here = {0}, there = {0}, lead = {0};
	for (size_t i = 0; i < l->list.n; i++) {
		const dl_link *k = &l->list.v[i];
		buf_reset(&here);
		buf_reset(&there);
		subject_text(&k->here, &here);
		if (k->restricted) {
			buf_reset(&lead);
			lead_text(k, &lead);
			buf_addf(&there, _("restricted: ask %s"), buf_str(&lead));
		} else {
			subject_text(&k->there, &there);
			const char *title = ui_in_lang(k->other_title_ar, k->other_title_en);
			if (*title)
				buf_addf(&there, " · " UI_ISO "%s" UI_PDI, title);
		}
		const char *cells[NCOLS] = {ui_identifier_kind_label(k->kind), k->value,
		                            buf_str(&here), k->other_case, buf_str(&there)};
		const ui_role roles[NCOLS] = {R_DIM, R_NORMAL, R_NORMAL, R_HIT,
		                              k->restricted ? R_SOON : R_HIT};
		ui_table_add(&l->table, (long long)i + 1, cells, roles);
	}
	buf_free(&here);
	buf_free(&there);
	buf_free(&lead);
	/* keep the selection on the same row when the hits have not moved */
	if (sel > 0 && (size_t)sel <= l->table.n)
		l->table.list.sel = (long)sel - 1;
}


/* ---- a person's ties ---- */

static void ties_free(links *l)
{
	person_free(&l->person);
	device_list_free(&l->devices);
	identifier_list_free(&l->idents);
	memset(&l->person, 0, sizeof l->person);
	memset(&l->devices, 0, sizeof l->devices);
	memset(&l->idents, 0, sizeof l->idents);
}

static void ties_close(links *l)
{
	l->ties = 0;
	ties_free(l);
	ui_detail_free(&l->view);
}

static int ties_load(links *l)
{
	dl_err err = {0};
	ties_free(l);
	l->tgen = ui_generation();
	if (person_get(ui_session(), l->ties, &l->person, &err) != DL_OK ||
	    device_list(ui_session(), l->number, &l->devices, &err) != DL_OK ||
	    identifier_list(ui_session(), l->number, &l->idents, &err) != DL_OK) {
		ui_error(&err);
		ties_close(l);
		return -1;
	}
	return 0;
}

static void ties_open(links *l, long long person_id)
{
	l->ties = person_id;
	l->view.top = 0;
	ties_load(l);
}

/* The hits of one identifier of one subject here, as lines under it; how many. */
static int ties_hits(links *l, dl_link_subject_kind kind, long long id, const char *ikind,
                     const char *value)
{
	dl_buf b = {0}, lead = {0};
	int n = 0;
	for (size_t i = 0; i < l->list.n; i++) {
		const dl_link *k = &l->list.v[i];
		if (k->here.kind != kind || k->here.id != id || strcmp(k->kind, ikind) || strcmp(k->value, value))
			continue;
		char label[120];
		snprintf(label, sizeof label, _("→ case %s"), k->other_case);
		buf_reset(&b);
		if (k->restricted) {
			buf_reset(&lead);
			lead_text(k, &lead);
			buf_addf(&b, _("restricted: ask %s"), buf_str(&lead));
		} else {
			subject_text(&k->there, &b);
			const char *title = ui_in_lang(k->other_title_ar, k->other_title_en);
			if (*title)
				buf_addf(&b, " · " UI_ISO "%s" UI_PDI, title);
		}
		ui_detail_add(&l->view, label, buf_str(&b), k->restricted ? R_SOON : R_HIT, 1);
		n++;
	}
	buf_free(&b);
	buf_free(&lead);
	return n;
}

/* One identifier as a heading and its hits below it, or "no other case". */
static int ties_identifier(links *l, dl_link_subject_kind kind, long long id, const dl_identifier *x)
{
	char head[DL_IDENT_MAX + 80];
	snprintf(head, sizeof head, "%s " UI_LRI "%s" UI_PDI, ui_identifier_kind_label(x->kind),
	         x->value);
	ui_detail_add(&l->view, head, "", R_HEADER, 1);
	int n = ties_hits(l, kind, id, x->kind, x->value);
	if (!n)
		ui_detail_add(&l->view, "", _("in no other case"), R_DIM, 1);
	return n;
}

static void ties_draw(links *l, int top, int rows)
{
	if (l->tgen != ui_generation() && ties_load(l) != 0)
		return;
	const dl_person *p = &l->person;
	char buf[600];
	/* filled again at each draw: a change of language shows at once */
	snprintf(buf, sizeof buf, _("Ties of %s"), ui_in_lang(p->name_ar, p->name_lat));
	ui_detail_begin(&l->view, buf, 1);
	if (has(p->name_ar) && has(p->name_lat)) {
		snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI " · " UI_ISO "%s" UI_PDI, p->name_ar, p->name_lat);
		ui_detail_add(&l->view, _("Name"), buf, R_NORMAL, 1);
	}
	int hits = 0;
	for (size_t i = 0; i < p->identifiers.n; i++)
		hits += ties_identifier(l, DL_LINK_PERSON, p->id, &p->identifiers.v[i]);
	if (!p->identifiers.n)
		ui_detail_add(&l->view, "", _("No identifier is recorded for this person."), R_DIM, 1);
	/* the devices they own in this case carry their numbers too */
	for (size_t d = 0; d < l->devices.n; d++) {
		const dl_device *dv = &l->devices.v[d];
		if (dv->owner_id != p->id)
			continue;
		ui_detail_add(&l->view, "", "", R_NORMAL, 1);
		snprintf(buf, sizeof buf, _("device %lld"), dv->id);
		dl_buf what = {0};
		buf_addf(&what, "%s %s", buf, LABEL(device_type_names, type_labels, dv->type));
		if (has(dv->make) || has(dv->model))
			buf_addf(&what, " " UI_ISO "%s%s%s" UI_PDI, has(dv->make) ? dv->make : "",
			         has(dv->make) && has(dv->model) ? " " : "", has(dv->model) ? dv->model : "");
		ui_detail_add(&l->view, _("Owns"), buf_str(&what), R_NORMAL, 1);
		buf_free(&what);
		for (size_t i = 0; i < l->idents.n; i++)
			if (l->idents.v[i].device_id == dv->id)
				hits += ties_identifier(l, DL_LINK_DEVICE, dv->id, &l->idents.v[i]);
	}
	/* the cases they are in themselves, other than this one */
	int other = 0;
	for (size_t i = 0; i < p->ncases; i++) {
		const dl_person_case *c = &p->cases[i];
		if (!strcmp(c->number, l->number))
			continue;
		if (!other++) {
			ui_detail_add(&l->view, "", "", R_NORMAL, 1);
			ui_detail_add(&l->view, _("Also in cases"), "", R_HEADER, 1);
		}
		ui_detail_add(&l->view, c->number, c->role ? c->role : "", R_NORMAL, 1);
	}
	ui_detail_add(&l->view, "", "", R_NORMAL, 1);
	snprintf(buf, sizeof buf, P_("%d tie to another case", "%d ties to other cases", hits), hits);
	ui_detail_add(&l->view, "", buf, hits ? R_HIT : R_DIM, 1);
	ui_detail_draw(&l->view, top, rows, _("Esc back to the hits · arrows scroll · F1 help"));
}

static dl_status pick_submit(ui_form *f, void *ctx, dl_err *err)
{
	links *l = ctx;
	long long id;
	dl_status rc = val_id("person", ui_form_get(f, "person"), &id, err);
	if (rc != DL_OK)
		return rc;
	ties_open(l, id);
	return DL_OK;
}

/* p: the person of the selected hit, else a choice among the case's persons. */
static void ties_ui_in_lang(links *l)
{
	long long sel = ui_table_sel(&l->table);
	if (sel > 0 && (size_t)sel <= l->list.n && l->list.v[sel - 1].here.kind == DL_LINK_PERSON) {
		ties_open(l, l->list.v[sel - 1].here.id);
		return;
	}
	dl_person_list pl;
	dl_err err = {0};
	if (person_list(ui_session(), l->number, &pl, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	if (!pl.n) {
		ui_message(R_MESSAGE, "%s", _("This case has no persons yet"));
		person_list_free(&pl);
		return;
	}
	static const ui_field_def defs[] = {
		{F_CHOICE, "person", N_("Person"), NULL, NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("Whose ties? (case %s)"), l->number);
	ui_form *f = ui_form_new(title, defs, 1, pick_submit, l, NULL);
	if (!f) {
		person_list_free(&pl);
		return;
	}
	/* one entry per person (the list has one per role) */
	char **values = calloc(pl.n, sizeof *values), **labels = calloc(pl.n, sizeof *labels);
	size_t n = 0;
	for (size_t i = 0; values && labels && i < pl.n; i++) {
		if (i && pl.v[i].id == pl.v[i - 1].id)
			continue;
		char id[24];
		snprintf(id, sizeof id, "%lld", pl.v[i].id);
		values[n] = strdup(id);
		labels[n] = strdup(ui_in_lang(pl.v[i].name_ar, pl.v[i].name_lat));
		n++;
	}
	ui_form_set_choices(f, "person", (const char *const *)values, (const char *const *)labels, n);
	for (size_t i = 0; i < n; i++) {
		free(values[i]);
		free(labels[i]);
	}
	free(values);
	free(labels);
	person_list_free(&pl);
	ui_form_for_everyone(f);
	ui_form_open(f);
}

static void *lk_open(const char *number)
{
	links *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	snprintf(l->number, sizeof l->number, "%s", number);
	ui_table_init(&l->table, columns, NCOLS);
	reload(l);
	return l;
}

static void lk_draw(void *tab, int top, int rows)
{
	links *l = tab;
	if (l->gen != ui_generation() || l->rtl != ui_rtl())
		reload(l);
	if (l->ties && !l->denied[0]) {
		ties_draw(l, top, rows);
		return;
	}
	int cols = ui_cols();
	if (l->denied[0]) {
		for (int r = 0; r < rows; r++)
			ui_fill(top + r, 0, cols, R_NORMAL);
		ui_put(top + 1, 2, cols - 4, l->denied, R_ERROR, UI_START);
		return;
	}
	size_t restricted = 0;
	for (size_t i = 0; i < l->list.n; i++)
		restricted += l->list.v[i].restricted != 0;
	char line[300];
	if (restricted)
		snprintf(line, sizeof line,
		         P_("%zu hit in other cases, %zu in a case you may not see",
		            "%zu hits in other cases, %zu in cases you may not see", l->list.n),
		         l->list.n, restricted);
	else
		snprintf(line, sizeof line, P_("%zu hit in other cases", "%zu hits in other cases", l->list.n),
		         l->list.n);
	if (l->list.more) {
		size_t k = strlen(line);
		snprintf(line + k, sizeof line - k, _(" · only the first %d are listed: dalil links %s lists all"),
		         LINKS_SHOWN, l->number);
	}
	ui_put(top, 0, cols, line, l->list.n ? R_HIT : R_DIM, UI_START);
	l->table.cols = cols < 100 ? narrow_columns : columns;
	ui_table_draw(&l->table, top + 1, rows - 2,
	              _("No identifier of this case appears in another case yet."));
	ui_put(top + rows - 1, 0, cols, _("Enter open the other case (or whom to contact) · p a person's ties · r reload · F1 help"),
	       R_DIM, UI_START);
}

/* Enter: open a case the user may read; of a restricted one, say whom to ask. */
static void open_other(links *l)
{
	long long id = ui_table_sel(&l->table);
	if (id <= 0 || (size_t)id > l->list.n)
		return;
	const dl_link *k = &l->list.v[id - 1];
	if (!k->restricted) {
		ui_case_open(k->other_case);
		return;
	}
	dl_buf lead = {0};
	lead_text(k, &lead);
	ui_message(R_HIT, _("case %s is restricted: contact %s"), k->other_case, buf_str(&lead));
	buf_free(&lead);
}

static int lk_act(void *tab, ui_act act, int ch)
{
	(void)ch;
	links *l = tab;
	if (l->ties) {
		if (ui_detail_act(&l->view, act))
			return 1;
		switch (act) {
		case A_BACK:
			ties_close(l);
			return 1;
		case A_ENTER:
			return 1;
		case A_REFRESH:
			reload(l);
			ties_load(l);
			return 1;
		default:
			return 0;
		}
	}
	switch (act) {
	case A_ENTER:
		if (!l->denied[0])
			open_other(l);
		return 1;
	case A_REFRESH:
		reload(l);
		ui_message(R_OK, "%s", _("Hits worked out again"));
		return 1;
	case A_PERSON:
		if (!l->denied[0])
			ties_ui_in_lang(l);
		return 1;
	default:
		return ui_table_act(&l->table, act);
	}
}

static void lk_free(void *tab)
{
	links *l = tab;
	links_list_free(&l->list);
	ui_table_free(&l->table);
	ties_free(l);
	ui_detail_free(&l->view);
	free(l);
}

static const ui_binding lk_keys[] = {
	{'\n', A_ENTER, N_("open the other case, or say whom to ask")},
	{'r', A_REFRESH, N_("look for hits again")},
	{'p', A_PERSON, N_("a person's ties: their identifiers in other cases, and with whom; Esc returns")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_links = {
	N_("Links"), lk_keys, lk_open, lk_draw, lk_act, lk_free,
};
