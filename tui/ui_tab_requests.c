/* ui_tab_requests.c — the preservation and disclosure requests of a case:
 * the list with the due date coloured while an answer is awaited, a detail
 * view, the new and edit forms, the overdue filter and deletion. */
#include "case.h"
#include "i18n.h"
#include "identifier.h"
#include "json.h"
#include "request.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Labels of the model's values, index = enum value. */
static const char *const kind_labels[] = {N_("preservation"), N_("disclosure")};
static const char *const ptype_labels[] = {
	N_("platform"), N_("internet provider"), N_("telecom operator"), N_("bank"), N_("exchange"),
	N_("other provider"),
};
static const char *const status_labels[] = {
	N_("draft"), N_("sent"), N_("acknowledged"), N_("answered"), N_("partly answered"),
	N_("refused"), N_("withdrawn"),
};

static const char *label_of(const char *const names[], const char *const labels[], const char *v)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], v))
			return _(labels[i]);
	return v;
}

static const char *kind_label(const char *v) { return label_of(request_kind_names, kind_labels, v); }
static const char *ptype_label(const char *v)
{
	return label_of(request_provider_type_names, ptype_labels, v);
}
static const char *status_label(const char *v)
{
	return label_of(request_status_names, status_labels, v);
}

/* Waiting on the provider, or not sent yet: the due date still matters. */
static int is_open(const dl_request *r)
{
	return r->status == DL_REQUEST_DRAFT || r->status == DL_REQUEST_SENT ||
	       r->status == DL_REQUEST_ACKNOWLEDGED;
}

static const ui_col columns[] = {
	{N_("Provider"), 0, UI_START},
	{N_("Kind"), 12, UI_START},
	{N_("Asked about"), 0, UI_START},
	{N_("Sent"), 10, UI_START},
	{N_("Due"), 10, UI_START},
	{N_("Status"), 15, UI_START},
};
#define NCOLS (int)(sizeof columns / sizeof *columns)

typedef struct requests {
	char number[64];
	long long case_id;
	dl_request_list list;
	ui_table table;
	int overdue_only;
	long long want;             /* select this request at the next reload */
	unsigned gen;
	int rtl;                    /* the language of the translated cells (F2 switches) */
	long long detail;           /* the request shown in full, 0: the list */
	ui_detail view;
} requests;

/* "what was asked": the identifiers the request concerns, else its reference. */
static void asked_about(const dl_request *r, dl_buf *out)
{
	/* each value isolated: an Arabic handle keeps its own direction */
	for (size_t i = 0; i < r->nidentifiers; i++)
		buf_addf(out, "%s" UI_ISO "%s" UI_PDI, i ? ", " : "", r->identifiers[i].value);
	if (!out->len && r->reference)
		buf_adds(out, r->reference);
}

static const dl_request *find(const requests *q, long long id)
{
	for (size_t i = 0; i < q->list.n; i++)
		if (q->list.v[i].id == id)
			return &q->list.v[i];
	return NULL;
}

static void fill_view(requests *q, int keep);

static void reload(requests *q)
{
	long long sel = q->want ? q->want : ui_table_sel(&q->table);
	q->want = 0;
	q->gen = ui_generation();
	q->rtl = ui_rtl();
	request_list_free(&q->list);
	ui_table_clear(&q->table);
	dl_err err = {0};
	if (request_list(ui_session(), q->number, q->overdue_only, &q->list, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	for (size_t i = 0; i < q->list.n; i++) {
		const dl_request *r = &q->list.v[i];
		dl_buf asked = {0};
		asked_about(r, &asked);
		const char *cells[NCOLS] = {
			r->provider, kind_label(request_kind_names[r->kind]), buf_str(&asked), r->sent_date,
			r->due_date, status_label(request_status_names[r->status]),
		};
		ui_role roles[NCOLS] = {R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL, R_NORMAL};
		if (r->due_date && is_open(r))
			roles[4] = ui_deadline_role(r->overdue ? -r->days_overdue : ui_days_until(r->due_date));
		if (r->overdue)
			roles[5] = R_OVERDUE;
		ui_table_add(&q->table, r->id, cells, roles);
		buf_free(&asked);
	}
	/* keep the selection on the same request */
	for (size_t i = 0; sel && i < q->table.n; i++)
		if (q->table.ids[i] == sel)
			q->table.list.sel = (long)i;
	if (q->detail) {
		if (find(q, q->detail))
			fill_view(q, 1);
		else
			q->detail = 0;      /* deleted meanwhile, or filtered out */
	}
}

static void *rq_open(const char *number)
{
	requests *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	snprintf(q->number, sizeof q->number, "%s", number);
	ui_table_init(&q->table, columns, NCOLS);
	dl_err err = {0};
	if (case_resolve(ui_session(), number, 0, &q->case_id, &err) != DL_OK)
		ui_error(&err);
	reload(q);
	return q;
}

static void fill_view(requests *q, int keep)
{
	const dl_request *r = find(q, q->detail);
	if (!r)
		return;
	char title[400], buf[DL_IDENT_MAX + 64], provider[340];
	snprintf(provider, sizeof provider, UI_ISO "%s" UI_PDI, r->provider);
	snprintf(title, sizeof title, _("Request %lld to %s"), r->id, provider);
	ui_detail *v = &q->view;
	ui_detail_begin(v, title, keep);
	ui_detail_add(v, _("Provider"), r->provider, R_NORMAL, 1);
	ui_detail_add(v, _("Provider type"), ptype_label(request_provider_type_names[r->provider_type]),
	              R_NORMAL, 1);
	ui_detail_add(v, _("Kind"), kind_label(request_kind_names[r->kind]), R_NORMAL, 1);
	ui_detail_add(v, _("Status"), status_label(request_status_names[r->status]),
	              r->overdue ? R_OVERDUE : R_NORMAL, 1);
	ui_detail_add(v, _("Legal basis"), r->legal_basis, R_NORMAL, 0);
	ui_detail_add(v, _("Reference"), r->reference, R_NORMAL, 0);
	ui_detail_add(v, _("Sent"), r->sent_date, R_NORMAL, 0);
	if (r->due_date) {
		long long left = r->overdue ? -r->days_overdue : ui_days_until(r->due_date);
		if (!is_open(r))
			snprintf(buf, sizeof buf, "%s", r->due_date);
		else if (left < 0)
			snprintf(buf, sizeof buf, P_("%s (%lld day overdue)", "%s (%lld days overdue)", -left),
			         r->due_date, -left);
		else
			snprintf(buf, sizeof buf, P_("%s (%lld day left)", "%s (%lld days left)", left), r->due_date,
			         left);
		ui_detail_add(v, _("Due"), buf, is_open(r) ? ui_deadline_role(left) : R_NORMAL, 1);
	}
	ui_detail_add(v, _("Answered"), r->answer_date, R_NORMAL, 0);
	for (size_t i = 0; i < r->nidentifiers; i++) {
		snprintf(buf, sizeof buf, "%s " UI_ISO "%s" UI_PDI, r->identifiers[i].kind, r->identifiers[i].value);
		ui_detail_add(v, i == 0 ? _("Identifiers") : "", buf, R_NORMAL, 1);
	}
	ui_detail_add(v, _("Notes"), r->notes, R_NORMAL, 0);
	snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI " · %s", r->created_by ? r->created_by : "", r->created_at);
	ui_detail_add(v, _("Recorded by"), buf, R_DIM, 1);
	ui_detail_add(v, _("Last changed"), r->updated_at, R_DIM, 0);
}

static void rq_draw(void *tab, int top, int rows)
{
	requests *q = tab;
	if (q->gen != ui_generation() || q->rtl != ui_rtl())
		reload(q);
	if (q->detail) {
		ui_detail_draw(&q->view, top, rows,
		               _("Esc back to the list · e edit · x delete · ↑↓ scroll"));
		return;
	}
	int cols = ui_cols();
	size_t overdue = 0;
	for (size_t i = 0; i < q->list.n; i++)
		overdue += q->list.v[i].overdue != 0;
	char line[300];
	if (q->overdue_only)
		snprintf(line, sizeof line, P_("%zu overdue request", "%zu overdue requests", q->list.n), q->list.n);
	else
		snprintf(line, sizeof line, P_("%zu request, %zu overdue", "%zu requests, %zu overdue", q->list.n),
		         q->list.n, overdue);
	ui_put(top, 0, cols, line, overdue ? R_OVERDUE : R_DIM, UI_START);
	ui_table_draw(&q->table, top + 1, rows - 2,
	              q->overdue_only ? _("No overdue request. o shows them all.")
	                              : _("No request in this case. n records one."));
	ui_put(top + rows - 1, 0, cols,
	       _("Enter details · n new · e edit · o overdue/all · x delete · F1 help"), R_DIM, UI_START);
}

/* ---- the form ---- */

typedef struct form_ctx {
	requests *q;
	long long id;               /* 0: a new request */
} form_ctx;

static dl_status rq_submit(ui_form *f, void *ctx, dl_err *err)
{
	form_ctx *c = ctx;
	static const char *const names[] = {
		"kind", "provider", "provider-type", "legal-basis", "reference", "sent", "due", "status",
		"answered", "notes", "identifiers",
	};
	enum { N = sizeof names / sizeof *names };
	char *v[N];
	for (int i = 0; i < N; i++)
		if (!(v[i] = strdup(ui_form_get(f, names[i])))) {
			for (int k = 0; k < i; k++)
				free(v[k]);
			return dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
		}
	dl_request_input in = {0};
	const char **slot[N] = {&in.kind, &in.provider, &in.provider_type, &in.legal_basis, &in.reference,
	                        &in.sent_date, &in.due_date, &in.status, &in.answer_date, &in.notes,
	                        &in.identifiers};
	/* Editing, every field is given ("" clears an optional one, as the form
	 * shows it); adding, "" is "not given" so the model's defaults apply. */
	for (int i = 0; i < N; i++)
		*slot[i] = c->id || *v[i] ? v[i] : NULL;
	dl_status rc;
	long long id = c->id;
	if (c->id)
		rc = request_edit(ui_session(), c->id, &in, err);
	else
		rc = request_add(ui_session(), c->q->number, &in, &id, err);
	if (rc == DL_OK) {
		if (c->id)
			ui_message(R_OK, _("Request %lld saved"), id);
		else
			ui_message(R_OK, _("Request %lld recorded"), id);
		c->q->want = id;        /* selected once the list reloads */
	}
	for (int i = 0; i < N; i++)
		free(v[i]);
	return rc;
}

static void form_open(requests *q, const dl_request *r)
{
	static const ui_field_def defs[] = {
		{F_CHOICE, "kind", N_("Kind"), NULL, request_kind_names, kind_label},
		{F_TEXT, "provider", N_("Provider"), N_("e.g. Meta Platforms, Libyana, Bank of Commerce"), NULL,
		 NULL},
		{F_CHOICE, "provider-type", N_("Provider type"), NULL, request_provider_type_names, ptype_label},
		{F_TEXT, "legal-basis", N_("Legal basis"), NULL, NULL, NULL},
		{F_TEXT, "reference", N_("Reference"), N_("the letter's number"), NULL, NULL},
		{F_DATE, "sent", N_("Sent on"), N_("YYYY-MM-DD"), NULL, NULL},
		{F_DATE, "due", N_("Answer due by"), N_("YYYY-MM-DD"), NULL, NULL},
		{F_CHOICE, "status", N_("Status"), NULL, request_status_names, status_label},
		{F_DATE, "answered", N_("Answered on"), N_("YYYY-MM-DD; with answered, partly answered or refused"),
		 NULL, NULL},
		{F_MULTILINE, "notes", N_("Notes"), N_("what was asked, what came back"), NULL, NULL},
		{F_MULTI, "identifiers", N_("Identifiers concerned"), NULL, NULL, NULL},
	};
	form_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->q = q;
	c->id = r ? r->id : 0;
	char title[400], provider[340];
	if (r) {
		snprintf(provider, sizeof provider, UI_ISO "%s" UI_PDI, r->provider);
		snprintf(title, sizeof title, _("Edit request %lld to %s"), r->id, provider);
	}
	else
		snprintf(title, sizeof title, _("New request in case %s"), q->number);
	ui_form *f = ui_form_new(title, defs, sizeof defs / sizeof *defs, rq_submit, c, free);
	if (!f) {
		free(c);
		return;
	}
	/* the identifiers recorded in this case: the only ones a request may name */
	dl_identifier_list il = {0};
	dl_err err = {0};
	if (identifier_list(ui_session(), q->number, &il, &err) == DL_OK) {
		const char **vals = calloc(il.n + 1, sizeof *vals);
		const char **labels = calloc(il.n + 1, sizeof *labels);
		size_t n = 0;
		for (size_t i = 0; vals && labels && i < il.n; i++) {
			const dl_identifier *d = &il.v[i];
			if (d->case_id != q->case_id)
				continue;
			char id[24], label[DL_IDENT_MAX + 40];
			snprintf(id, sizeof id, "%lld", d->id);
			snprintf(label, sizeof label, "%s " UI_ISO "%s" UI_PDI, d->kind, d->value);
			char *vid = strdup(id), *vl = strdup(label);
			if (!vid || !vl) {
				free(vid);
				free(vl);
				break;
			}
			vals[n] = vid;
			labels[n] = vl;
			n++;
		}
		ui_form_set_choices(f, "identifiers", vals, labels, n);
		for (size_t i = 0; i < n; i++) {
			free((char *)vals[i]);
			free((char *)labels[i]);
		}
		free(vals);
		free(labels);
		identifier_list_free(&il);
	}
	if (r) {
		char ids[4096] = "";
		for (size_t i = 0; i < r->nidentifiers; i++) {
			size_t l = strlen(ids);
			snprintf(ids + l, sizeof ids - l, "%s%lld", l ? "," : "", r->identifiers[i].id);
		}
		ui_form_set(f, "kind", request_kind_names[r->kind]);
		ui_form_set(f, "provider", r->provider);
		ui_form_set(f, "provider-type", request_provider_type_names[r->provider_type]);
		ui_form_set(f, "legal-basis", r->legal_basis);
		ui_form_set(f, "reference", r->reference);
		ui_form_set(f, "sent", r->sent_date);
		ui_form_set(f, "due", r->due_date);
		ui_form_set(f, "status", request_status_names[r->status]);
		ui_form_set(f, "answered", r->answer_date);
		ui_form_set(f, "notes", r->notes);
		ui_form_set(f, "identifiers", ids);
	}
	ui_form_open(f);
}

/* ---- keys ---- */

static long long current(const requests *q)
{
	return q->detail ? q->detail : ui_table_sel(&q->table);
}

static void delete_current(requests *q)
{
	const dl_request *r = find(q, current(q));
	if (!r)
		return;
	dl_session *s = ui_session();
	if (s && s->role == DL_ROLE_CLERK) {
		ui_message(R_ERROR, "%s", _("Read-only: clerks see cases and print reports, they change nothing"));
		return;
	}
	long long id = r->id;       /* the question redraws the screen: r may not outlive it */
	char what[400], clip[200], provider[220];
	ui_detail_clip(r->provider, 20, clip, sizeof clip);
	snprintf(provider, sizeof provider, UI_ISO "%s" UI_PDI, clip);
	snprintf(what, sizeof what, _("request %lld to %s"), id, provider);
	if (!ui_case_confirm_delete(what))
		return;
	dl_err err = {0};
	if (request_delete(s, id, &err) != DL_OK) {
		ui_message(R_ERROR, "%s", err.msg);
		return;
	}
	q->detail = 0;
	ui_touch();
	ui_message(R_OK, _("Request %lld deleted"), id);
}

static int rq_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	requests *q = tab;
	if (q->detail && ui_detail_act(&q->view, a))
		return 1;
	switch (a) {
	case A_BACK:
		if (!q->detail)
			return 0;
		q->detail = 0;
		return 1;
	case A_ENTER:
		if (!q->detail && (q->detail = ui_table_sel(&q->table)))
			fill_view(q, 0);
		return 1;
	case A_NEW:
		form_open(q, NULL);
		return 1;
	case A_EDIT: {
		const dl_request *r = find(q, current(q));
		if (r)
			form_open(q, r);
		return 1;
	}
	case A_FILTER:
		q->overdue_only = !q->overdue_only;
		q->detail = 0;
		q->table.list.sel = q->table.list.top = 0;
		reload(q);
		return 1;
	case A_DELETE:
		delete_current(q);
		return 1;
	case A_REFRESH:
		reload(q);
		return 1;
	default:
		return q->detail ? 0 : ui_table_act(&q->table, a);
	}
}

static void rq_free(void *tab)
{
	requests *q = tab;
	request_list_free(&q->list);
	ui_table_free(&q->table);
	ui_detail_free(&q->view);
	free(q);
}

static const ui_binding rq_keys[] = {
	{'\n', A_ENTER, N_("show the request in full")},
	{'n', A_NEW, N_("record a new request")},
	{'e', A_EDIT, N_("edit the request: status, answer date, notes…")},
	{'o', A_FILTER, N_("overdue requests only, or all")},
	{'x', A_DELETE, N_("delete the request (asks first)")},
	{'r', A_REFRESH, N_("reload the list")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_requests = {
	N_("Requests"), rq_keys, rq_open, rq_draw, rq_act, rq_free,
};
