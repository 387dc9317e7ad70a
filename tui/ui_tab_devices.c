/* ui_tab_devices.c — the seized devices of a case: a table, a detail view with
 * the device's identifiers, chain of custody and the evidence taken from it,
 * the add and edit forms, and deletion of a device recorded by mistake. */
#include "custody.h"
#include "device.h"
#include "evidence.h"
#include "i18n.h"
#include "identifier.h"
#include "person.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- labels of the model's values ---- */

/* In the order of the model's NULL-terminated name lists. */
static const char *const type_labels[] = {
	N_("phone"), N_("SIM card"), N_("computer"), N_("tablet"), N_("storage medium"), N_("other device"),
};
static const char *const extraction_labels[] = {
	N_("not started"), N_("in progress"), N_("extracted"), N_("partial"), N_("failed"), N_("not possible"),
};
static const char *const event_labels[] = {
	N_("seized"), N_("sealed"), N_("transferred"), N_("received"), N_("extracted"), N_("ingested"),
	N_("examined"), N_("reported"), N_("returned"), N_("destroyed"),
};

#define LABEL(names, labels, v) ui_label_in(names, labels, sizeof labels / sizeof *labels, v)

static const char *type_label(const char *v) { return LABEL(device_type_names, type_labels, v); }
static const char *extraction_label(const char *v) { return LABEL(device_extraction_names, extraction_labels, v); }

static const char *or_empty(const char *s) { return s ? s : ""; }

static const char *owner_name(const dl_device *d)
{
	const char *ar = d->owner_name_ar && *d->owner_name_ar ? d->owner_name_ar : NULL;
	const char *lat = d->owner_name_lat && *d->owner_name_lat ? d->owner_name_lat : NULL;
	if (ui_rtl())
		return ar ? ar : or_empty(lat);
	return lat ? lat : or_empty(ar);
}

static const char *person_name(const dl_person *p)
{
	return ui_in_lang(p->name_ar, p->name_lat);
}

/* "make model", the words that name the device in lists and messages. */
static void device_title(const dl_device *d, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s", or_empty(d->make), d->make && d->model ? " " : "", or_empty(d->model));
}

/* A stored UTC time "YYYY-MM-DDTHH:MM:SSZ" as "YYYY-MM-DD HH:MM UTC". */
static void utc_time(const char *t, char *out, size_t outsz)
{
	if (t && strlen(t) >= 16 && t[10] == 'T')
		snprintf(out, outsz, "%.10s %.5s UTC", t, t + 11);
	else
		snprintf(out, outsz, "%s", or_empty(t));
}

/* Appends to buf (printf-style); cut when full. */
static void append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t l = strlen(buf);
	if (l + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + l, size - l, fmt, ap);
	va_end(ap);
}

/* s between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, in one of four
 * rotating buffers (enough for one line's arguments). */
static const char *isolate(const char *s)
{
	static char bufs[4][400];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, sizeof bufs[0], "\xe2\x81\xa8%s\xe2\x81\xa9", s);
	return b;
}

static int is_clerk(void)
{
	dl_session *s = ui_session();
	return s && s->role == DL_ROLE_CLERK;
}

/* ---- the tab's state ---- */

/* Below this width the table drops the serial, place of seizure and extraction. */
#define WIDE_COLS 130

static const ui_col narrow_cols[] = {
	{N_("No."), 4, UI_END},
	{N_("Type"), 9, UI_START},
	{N_("Make and model"), 0, UI_START},
	{N_("IMEI / serial"), 20, UI_START},
	{N_("Owner"), 13, UI_START},
	{N_("Seized"), 10, UI_START},
};
static const ui_col wide_cols[] = {
	{N_("No."), 5, UI_END},
	{N_("Type"), 10, UI_START},
	{N_("Make and model"), 0, UI_START},
	{N_("IMEI / ICCID"), 20, UI_START},
	{N_("Serial"), 12, UI_START},
	{N_("Owner"), 16, UI_START},
	{N_("Seized"), 10, UI_START},
	{N_("Place"), 14, UI_START},
	{N_("Extraction"), 12, UI_START},
};
#define NCOLS(c) (int)(sizeof c / sizeof *c)

typedef struct dtab {
	char number[64];
	ui_table t;
	int wide, rtl;                /* the column set and language the rows were built for */
	unsigned gen;
	long long select;             /* a device to select after the next load (just added) */
	/* the detail view: shown is the device's id, 0 while the table shows */
	long long shown;
	dl_device d;
	dl_custody_list custody;
	dl_source_list sources;       /* of the case; those of the device are shown */
	unsigned dgen;
	ui_detail view;
} dtab;

static void *dt_open(const char *number)
{
	dtab *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	snprintf(o->number, sizeof o->number, "%s", number);
	ui_table_init(&o->t, narrow_cols, NCOLS(narrow_cols));
	return o;
}

static void dt_load(dtab *o)
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
	dl_device_list l;
	dl_err err = {0};
	if (device_list(ui_session(), o->number, &l, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const dl_device *d = &l.v[i];
		char id[24], title[500], imei[64], seized[16];
		snprintf(id, sizeof id, "%lld", d->id);
		device_title(d, title, sizeof title);
		if (d->nimeis > 1)
			/* left-to-right isolate: "+1" stays after the IMEI in Arabic too */
			snprintf(imei, sizeof imei, "\xe2\x81\xa6%s +%zu\xe2\x81\xa9", d->imeis[0], d->nimeis - 1);
		else
			snprintf(imei, sizeof imei, "%s", d->nimeis ? d->imeis[0] : "");
		snprintf(seized, sizeof seized, "%.10s", or_empty(d->seized_at));
		if (wide) {
			const char *cells[] = {id, type_label(d->type), title, imei[0] ? imei : or_empty(d->iccid),
			                       or_empty(d->serial), owner_name(d),
			                       seized, or_empty(d->seized_place), extraction_label(d->extraction_status)};
			ui_role roles[NCOLS(wide_cols)] = {R_DIM};
			ui_table_add(&o->t, d->id, cells, roles);
		} else {
			/* one column for what identifies the device: IMEI, else serial, else the SIM's */
			const char *ident = imei[0] ? imei : d->serial ? d->serial : d->phone ? d->phone : or_empty(d->iccid);
			const char *cells[] = {id, type_label(d->type), title, ident, owner_name(d), seized};
			ui_role roles[NCOLS(narrow_cols)] = {R_DIM};
			ui_table_add(&o->t, d->id, cells, roles);
		}
	}
	device_list_free(&l);
	/* keep the selection on the same device; a new one is selected */
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

/* ---- the detail view ---- */

static void detail_free(dtab *o)
{
	device_free(&o->d);
	custody_list_free(&o->custody);
	evidence_source_list_free(&o->sources);
}

static void detail_close(dtab *o)
{
	o->shown = 0;
	detail_free(o);
	ui_detail_free(&o->view);
}

static int detail_load(dtab *o)
{
	dl_err err = {0};
	detail_free(o);
	o->dgen = ui_generation();
	if (device_get(ui_session(), o->shown, &o->d, &err) != DL_OK) {
		ui_error(&err);
		detail_close(o);
		return -1;
	}
	/* custody and sources only add to the view: a failure shows, the device stays */
	if (custody_list(ui_session(), o->number, "device", o->shown, &o->custody, &err) != DL_OK ||
	    evidence_source_list(ui_session(), o->number, &o->sources, &err) != DL_OK)
		ui_error(&err);
	return 0;
}

static void detail_open(dtab *o, long long id)
{
	o->shown = id;
	o->view.top = 0;
	detail_load(o);
}

static void detail_draw(dtab *o, int top, int rows)
{
	if (o->dgen != ui_generation() && detail_load(o) != 0)
		return;
	const dl_device *d = &o->d;
	ui_detail *v = &o->view;
	char buf[800], what[500];
	/* filled again at each draw: a change of language shows at once */
	device_title(d, what, sizeof what);
	snprintf(buf, sizeof buf, "%s · " UI_ISO "%s" UI_PDI, type_label(d->type), what);
	ui_detail_begin(v, buf, 1);
	v->label_w = 22;                /* "Storage location" and the like in full */
	snprintf(buf, sizeof buf, "%lld", d->id);
	ui_detail_add(v, _("Device no."), buf, R_NORMAL, 1);
	ui_detail_add(v, _("Type"), type_label(d->type), R_NORMAL, 1);
	ui_detail_add(v, _("Make"), d->make, R_NORMAL, 1);
	ui_detail_add(v, _("Model"), d->model, R_NORMAL, 1);
	ui_detail_add(v, _("Serial number"), d->serial, R_NORMAL, 1);
	for (size_t i = 0; i < d->nimeis; i++)
		ui_detail_add(v, i ? "" : _("IMEI"), d->imeis[i], R_NORMAL, 1);
	if (!d->nimeis)
		ui_detail_add(v, _("IMEI"), "", R_NORMAL, 1);
	ui_detail_add(v, _("SIM phone number"), d->phone, R_NORMAL, 1);
	ui_detail_add(v, _("ICCID"), d->iccid, R_NORMAL, 1);
	if (d->owner_id)
		snprintf(buf, sizeof buf, "%s (%lld)", owner_name(d), d->owner_id);
	else
		snprintf(buf, sizeof buf, "%s", _("unknown"));
	ui_detail_add(v, _("Owner"), buf, d->owner_id ? R_NORMAL : R_DIM, 1);
	utc_time(d->seized_at, buf, sizeof buf);
	ui_detail_add(v, _("Seized at"), buf, R_NORMAL, 1);
	ui_detail_add(v, _("Place of seizure"), d->seized_place, R_NORMAL, 1);
	ui_detail_add(v, _("Seizing officer"), d->seizing_officer, R_NORMAL, 1);
	ui_detail_add(v, _("Seal number"), d->seal_number, R_NORMAL, 1);
	ui_detail_add(v, _("Condition"), d->condition, R_NORMAL, 1);
	ui_detail_add(v, _("Storage location"), d->storage_location, R_NORMAL, 1);
	ui_detail_add(v, _("Extraction"), extraction_label(d->extraction_status), R_NORMAL, 1);
	ui_detail_add(v, _("Notes"), d->notes, R_NORMAL, 1);
	utc_time(d->created_at, buf, sizeof buf);
	ui_detail_add(v, _("Recorded"), buf, R_DIM, 1);
	utc_time(d->updated_at, buf, sizeof buf);
	ui_detail_add(v, _("Last changed"), buf, R_DIM, 1);

	/* identifiers not shown above: IMSIs, further phone numbers and ICCIDs */
	int others = 0;
	for (size_t i = 0; i < d->identifiers.n; i++) {
		const dl_identifier *x = &d->identifiers.v[i];
		if (!strcmp(x->kind, "imei") || (!strcmp(x->kind, "phone") && d->phone && !strcmp(x->value, d->phone)) ||
		    (!strcmp(x->kind, "iccid") && d->iccid && !strcmp(x->value, d->iccid)))
			continue;
		if (!others++) {
			ui_detail_add(v, "", "", R_NORMAL, 1);
			ui_detail_add(v, _("Other identifiers"), "", R_HEADER, 1);
		}
		ui_detail_add(v, ui_identifier_kind_label(x->kind), x->value, R_NORMAL, 1);
	}

	ui_detail_add(v, "", "", R_NORMAL, 1);
	ui_detail_add(v, _("Chain of custody"), "", R_HEADER, 1);
	for (size_t i = 0; i < o->custody.n; i++) {
		const dl_custody_event *e = &o->custody.v[i];
		char at[40];
		utc_time(e->at, at, sizeof at);
		const char *event = (size_t)e->event < sizeof event_labels / sizeof *event_labels
		                    ? _(event_labels[e->event]) : "";
		/* each typed value is isolated (FSI … PDI) so that two Arabic values in
		 * a row keep their order around the separators */
		snprintf(buf, sizeof buf, "%s", event);
		if (e->from || e->to)
			append(buf, sizeof buf, " · %s%s→%s%s", e->from ? isolate(e->from) : "", e->from ? " " : "",
			       e->to ? " " : "", e->to ? isolate(e->to) : "");
		if (e->place)
			append(buf, sizeof buf, " · %s", isolate(e->place));
		if (e->seal_number)
			append(buf, sizeof buf, " · %s", isolate(e->seal_number));
		if (e->reason)
			append(buf, sizeof buf, " · %s", isolate(e->reason));
		append(buf, sizeof buf, " · %s", or_empty(e->recorded_by));
		ui_detail_add(v, at, buf, e->event == DL_CUSTODY_DESTROYED ? R_ERROR : R_NORMAL, 1);
	}
	if (!o->custody.n)
		ui_detail_add(v, "", _("no custody event recorded"), R_DIM, 1);

	ui_detail_add(v, _("Evidence from it"), "", R_HEADER, 1);
	int nsources = 0;
	for (size_t i = 0; i < o->sources.n; i++) {
		const dl_source *src = &o->sources.v[i];
		if (src->device_id != d->id)
			continue;
		nsources++;
		char label[40];
		snprintf(label, sizeof label, _("source %lld"), src->id);
		snprintf(buf, sizeof buf, "%s · %s · %s", or_empty(src->original_path), or_empty(src->status),
		         or_empty(src->ingested_at));
		ui_detail_add(v, label, buf, R_NORMAL, 1);
	}
	if (!nsources)
		ui_detail_add(v, "", _("nothing ingested from this device"), R_DIM, 1);

	ui_detail_draw(v, top, rows, _("Esc back · e edit · x delete · ↑↓ scroll · F1 help"));
}

/* ---- the table ---- */

static void dt_draw(void *tab, int top, int rows)
{
	dtab *o = tab;
	if (o->gen != ui_generation() || o->wide != (ui_cols() >= WIDE_COLS) || o->rtl != ui_rtl())
		dt_load(o);
	if (o->shown) {
		detail_draw(o, top, rows);
		if (o->shown)
			return;
	}
	int cols = ui_cols();
	char line[300];
	snprintf(line, sizeof line, P_("%zu device in case %s", "%zu devices in case %s", o->t.n), o->t.n,
	         o->number);
	ui_put(top, 0, cols, line, R_DIM, UI_START);
	ui_table_draw(&o->t, top + 1, rows - 2, _("No devices recorded in this case. n records one."));
	ui_put(top + rows - 1, 0, cols, _("Enter details · n new · e edit · x delete · F1 help"), R_DIM,
	       UI_START);
}

/* ---- forms ---- */

enum {
	DF_TYPE, DF_MAKE, DF_MODEL, DF_SERIAL, DF_IMEI, DF_PHONE, DF_ICCID, DF_OWNER, DF_SEIZED_AT,
	DF_PLACE, DF_OFFICER, DF_SEAL, DF_CONDITION, DF_STORAGE, DF_EXTRACTION, DF_NOTES, DF_COUNT
};

/* The field names are the model's (device.c), so that its errors, an IMEI's
 * check digit among them, land under the field. */
static const ui_field_def device_defs[DF_COUNT] = {
	[DF_TYPE] = {F_CHOICE, "type", N_("Type"), NULL, device_type_names, type_label},
	[DF_MAKE] = {F_TEXT, "make", N_("Make"), N_("e.g. Samsung"), NULL, NULL},
	[DF_MODEL] = {F_TEXT, "model", N_("Model"), N_("e.g. Galaxy A52"), NULL, NULL},
	[DF_SERIAL] = {F_TEXT, "serial", N_("Serial number"), NULL, NULL, NULL},
	[DF_IMEI] = {F_TEXT, "imei", N_("IMEI"), N_("15 digits (*#06#); separate several with commas"), NULL, NULL},
	[DF_PHONE] = {F_TEXT, "phone", N_("SIM phone number"), NULL, NULL, NULL},
	[DF_ICCID] = {F_TEXT, "iccid", N_("ICCID"), N_("19 or 20 digits printed on the SIM, from 89"), NULL, NULL},
	[DF_OWNER] = {F_CHOICE, "owner", N_("Owner"), NULL, NULL, NULL},
	[DF_SEIZED_AT] = {F_TEXT, "seized-at", N_("Seized at"),
	                  N_("YYYY-MM-DD HH:MM+02:00; without an offset: UTC"), NULL, NULL},
	[DF_PLACE] = {F_TEXT, "seized-place", N_("Place of seizure"), NULL, NULL, NULL},
	[DF_OFFICER] = {F_TEXT, "officer", N_("Seizing officer"), NULL, NULL, NULL},
	[DF_SEAL] = {F_TEXT, "seal", N_("Seal number"), NULL, NULL, NULL},
	[DF_CONDITION] = {F_TEXT, "condition", N_("Condition"), N_("e.g. screen broken, powered off"), NULL, NULL},
	[DF_STORAGE] = {F_TEXT, "storage", N_("Storage location"), N_("e.g. evidence room, safe 3"), NULL, NULL},
	[DF_EXTRACTION] = {F_CHOICE, "extraction", N_("Extraction"), NULL, device_extraction_names,
	                   extraction_label},
	[DF_NOTES] = {F_MULTILINE, "notes", N_("Notes"), NULL, NULL, NULL},
};

/* What an add or edit form works on. */
typedef struct dform {
	dtab *tab;                    /* the tab under the form: it outlives the form */
	long long id;                 /* the device edited, 0 for a new one */
	char *initial[DF_COUNT];      /* edit: the values the form opened with */
} dform;

static void dform_free(void *ctx)
{
	dform *c = ctx;
	for (int i = 0; i < DF_COUNT; i++)
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

#define MAX_IMEIS 16

static dl_status device_submit(ui_form *f, void *ctx, dl_err *err)
{
	dform *c = ctx;
	char *v[DF_COUNT] = {0};
	dl_status rc = DL_OK;
	for (int i = 0; i < DF_COUNT && rc == DL_OK; i++)
		if (!(v[i] = strdup(ui_form_get(f, device_defs[i].name))))
			rc = dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	if (rc == DL_OK) {
		const char *imeis[MAX_IMEIS];
		dl_device_input in = {0};
		/* IMEIs, phone and ICCID are added to what the device has, on edit too */
		in.nimeis = ui_form_split_list(v[DF_IMEI], imeis, MAX_IMEIS);
		in.imeis = imeis;
		in.phone = opt(v[DF_PHONE]);
		in.iccid = opt(v[DF_ICCID]);
		if (!c->id) {
			in.type = v[DF_TYPE];
			in.make = opt(v[DF_MAKE]);
			in.model = opt(v[DF_MODEL]);
			in.serial = opt(v[DF_SERIAL]);
			in.owner = opt(v[DF_OWNER]);
			in.seized_at = opt(v[DF_SEIZED_AT]);
			in.seized_place = opt(v[DF_PLACE]);
			in.seizing_officer = opt(v[DF_OFFICER]);
			in.seal_number = opt(v[DF_SEAL]);
			in.condition = opt(v[DF_CONDITION]);
			in.storage_location = opt(v[DF_STORAGE]);
			in.extraction_status = opt(v[DF_EXTRACTION]);
			in.notes = opt(v[DF_NOTES]);
			long long id = 0;
			rc = device_add(ui_session(), c->tab->number, &in, &id, err);
			if (rc == DL_OK) {
				c->tab->select = id;
				ui_message(R_OK, _("Device %lld recorded in case %s"), id, c->tab->number);
			}
		} else {
			in.type = changed(v[DF_TYPE], c->initial[DF_TYPE]);
			in.make = changed(v[DF_MAKE], c->initial[DF_MAKE]);
			in.model = changed(v[DF_MODEL], c->initial[DF_MODEL]);
			in.serial = changed(v[DF_SERIAL], c->initial[DF_SERIAL]);
			in.owner = changed(v[DF_OWNER], c->initial[DF_OWNER]);
			in.seized_at = changed(v[DF_SEIZED_AT], c->initial[DF_SEIZED_AT]);
			in.seized_place = changed(v[DF_PLACE], c->initial[DF_PLACE]);
			in.seizing_officer = changed(v[DF_OFFICER], c->initial[DF_OFFICER]);
			in.seal_number = changed(v[DF_SEAL], c->initial[DF_SEAL]);
			in.condition = changed(v[DF_CONDITION], c->initial[DF_CONDITION]);
			in.storage_location = changed(v[DF_STORAGE], c->initial[DF_STORAGE]);
			in.extraction_status = changed(v[DF_EXTRACTION], c->initial[DF_EXTRACTION]);
			in.notes = changed(v[DF_NOTES], c->initial[DF_NOTES]);
			rc = device_edit(ui_session(), c->id, &in, err);
			if (rc == DL_OK)
				ui_message(R_OK, _("Device %lld saved"), c->id);
		}
	}
	for (int i = 0; i < DF_COUNT; i++)
		free(v[i]);
	return rc;
}

/* The owner picker: "unknown", then the persons of the case (once each, though
 * a person may have several roles). */
static void owner_choices(ui_form *f, const char *number)
{
	dl_person_list l;
	dl_err err = {0};
	if (person_list(ui_session(), number, &l, &err) != DL_OK) {
		ui_error(&err);
		l.v = NULL;
		l.n = 0;
	}
	const char **values = calloc(l.n + 1, sizeof *values);
	const char **labels = calloc(l.n + 1, sizeof *labels);
	char (*ids)[24] = calloc(l.n + 1, sizeof *ids);
	char (*names)[200] = calloc(l.n + 1, sizeof *names);
	size_t n = 0;
	if (values && labels && ids && names) {
		values[n] = "";
		labels[n++] = _("unknown");
		for (size_t i = 0; i < l.n; i++) {
			if (i && l.v[i - 1].id == l.v[i].id)
				continue;
			snprintf(ids[n], sizeof ids[n], "%lld", l.v[i].id);
			snprintf(names[n], sizeof names[n], "%s (%lld)", person_name(&l.v[i]), l.v[i].id);
			values[n] = ids[n];
			labels[n] = names[n];
			n++;
		}
		ui_form_set_choices(f, "owner", values, labels, n);
	}
	free(values);
	free(labels);
	free(ids);
	free(names);
	person_list_free(&l);
}

static void device_form_open(dtab *o, const dl_device *d)
{
	ui_field_def defs[DF_COUNT];
	memcpy(defs, device_defs, sizeof defs);
	if (d) {
		defs[DF_IMEI].hint = N_("added to those recorded; separate with commas");
		defs[DF_PHONE].hint = N_("added to those recorded");
		defs[DF_ICCID].hint = N_("added to those recorded");
	}
	dform *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->tab = o;
	c->id = d ? d->id : 0;
	char title[600], what[500];
	if (d) {
		device_title(d, what, sizeof what);
		snprintf(title, sizeof title, _("Edit device %lld: %s"), d->id, what);
	} else {
		snprintf(title, sizeof title, _("New device in case %s"), o->number);
	}
	ui_form *f = ui_form_new(title, defs, DF_COUNT, device_submit, c, dform_free);
	if (!f) {
		dform_free(c);
		return;
	}
	owner_choices(f, o->number);
	if (d) {
		char owner[24] = "";
		if (d->owner_id)
			snprintf(owner, sizeof owner, "%lld", d->owner_id);
		ui_form_set(f, "type", d->type);
		ui_form_set(f, "make", d->make);
		ui_form_set(f, "model", d->model);
		ui_form_set(f, "serial", d->serial);
		ui_form_set(f, "owner", owner);
		ui_form_set(f, "seized-at", d->seized_at);
		ui_form_set(f, "seized-place", d->seized_place);
		ui_form_set(f, "officer", d->seizing_officer);
		ui_form_set(f, "seal", d->seal_number);
		ui_form_set(f, "condition", d->condition);
		ui_form_set(f, "storage", d->storage_location);
		ui_form_set(f, "extraction", d->extraction_status);
		ui_form_set(f, "notes", d->notes);
		/* what the form opened with, to send only changes; a copy lost to
		 * memory only makes an unchanged value be sent again */
		for (int i = 0; i < DF_COUNT; i++)
			c->initial[i] = strdup(ui_form_get(f, device_defs[i].name));
	}
	ui_form_open(f);
}

static void edit_open(dtab *o, long long id)
{
	if (!id) {
		ui_message(R_MESSAGE, "%s", _("No device selected"));
		return;
	}
	dl_device d;
	dl_err err = {0};
	if (device_get(ui_session(), id, &d, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	device_form_open(o, &d);
	device_free(&d);
}

/* ---- deleting a device recorded by mistake ---- */

static void delete_open(dtab *o, long long id)
{
	if (!id) {
		ui_message(R_MESSAGE, "%s", _("No device selected"));
		return;
	}
	if (is_clerk()) {
		ui_message(R_ERROR, "%s", _("Read-only: clerks see cases and print reports, they change nothing"));
		return;
	}
	dl_device d;
	dl_err err = {0};
	if (device_get(ui_session(), id, &d, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	char title[500], what[700];
	device_title(&d, title, sizeof title);
	/* TRANSLATORS: completes "Delete %s? It stays in the audit log."; %s: type, make and model */
	snprintf(what, sizeof what, _("device %lld (%s %s)"), id, type_label(d.type), title);
	device_free(&d);
	if (!ui_case_confirm_delete(what)) {
		ui_message(R_MESSAGE, "%s", _("Cancelled: nothing was written"));
		return;
	}
	if (device_delete(ui_session(), id, &err) != DL_OK) {
		/* the model's message names the device and why (custody, evidence) */
		ui_message(R_ERROR, "%s", err.msg);
		return;
	}
	ui_touch();
	if (o->shown == id)
		detail_close(o);
	ui_message(R_OK, _("Device %lld deleted"), id);
}

/* ---- keys ---- */

static int dt_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	dtab *o = tab;
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
			device_form_open(o, NULL);
			return 1;
		case A_EDIT:
			device_form_open(o, &o->d);
			return 1;
		case A_DELETE:
			delete_open(o, o->shown);
			return 1;
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
		device_form_open(o, NULL);
		return 1;
	case A_EDIT:
		edit_open(o, ui_table_sel(&o->t));
		return 1;
	case A_DELETE:
		delete_open(o, ui_table_sel(&o->t));
		return 1;
	default:
		return 0;
	}
}

static void dt_free(void *tab)
{
	dtab *o = tab;
	ui_table_free(&o->t);
	detail_free(o);
	ui_detail_free(&o->view);
	free(o);
}

static const ui_binding dt_keys[] = {
	{'\n', A_ENTER, N_("show the device, its custody and evidence; Esc returns to the list")},
	{'n', A_NEW, N_("record a seized device")},
	{'e', A_EDIT, N_("edit the device")},
	{'x', A_DELETE, N_("delete a device recorded by mistake (not once it has custody or evidence)")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_devices = {
	N_("Devices"), dt_keys, dt_open, dt_draw, dt_act, dt_free,
};
