/* ui_tab_audit.c — the audit entries about one case (supervisors and
 * administrators): who changed what and when, each entry's full JSON on
 * Enter, and the verification of the whole store's chain and rows. */
#include "audit.h"
#include "case.h"
#include "i18n.h"
#include "json.h"
#include "text.h"
#include "ui_case.h"
#include "ui_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Entries loaded at most: a case's manual work stays well below this; the
 * newest are the ones looked for. */
#define AUDIT_TAB_LIMIT 2000

static const ui_col columns[] = {
	{N_("Time (UTC)"), 16, UI_START},
	{N_("User"), 8, UI_START},
	{N_("Action"), 7, UI_START},
	{N_("Table"), 14, UI_START},
	{N_("Row"), 5, UI_END},
	{N_("Summary"), 0, UI_START},
};
#define NCOLS (int)(sizeof columns / sizeof *columns)

enum { V_LIST, V_ENTRY, V_VERIFY };

typedef struct audit {
	char number[64];
	long long case_id;
	char denied[512];           /* the model's refusal, shown instead of the table */
	dl_audit_list list;
	ui_table table;
	unsigned gen;
	int rtl;                    /* the language of the translated cells (F2 switches) */
	int view;
	long long entry;            /* V_ENTRY: the entry shown */
	dl_audit_report report;     /* V_VERIFY: the last verification */
	dl_status verified;
	char verify_msg[512];
	ui_detail detail;
} audit;

static const char *action_label(const char *a)
{
	if (!a)
		return "";
	if (!strcmp(a, "insert"))
		return _("added");
	if (!strcmp(a, "update"))
		return _("changed");
	if (!strcmp(a, "delete"))
		return _("deleted");
	return a;
}

/* ---- reading the log's flat JSON objects ({"col": value, …}) ---- */

typedef struct kv {
	char *key, *value;          /* value: the string's text, or the literal (null, 12) */
	int is_null;
} kv;

typedef struct kvs {
	kv *v;
	size_t n;
} kvs;

static void kvs_free(kvs *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].key);
		free(k->v[i].value);
	}
	free(k->v);
	memset(k, 0, sizeof *k);
}

/* A JSON string at *p (after its opening quote), unescaped into b. */
static const char *json_string(const char *p, dl_buf *b)
{
	while (*p && *p != '"') {
		if (*p != '\\') {
			buf_addc(b, *p++);
			continue;
		}
		p++;
		switch (*p) {
		case 'n': buf_addc(b, '\n'); break;
		case 'r': buf_addc(b, '\r'); break;
		case 't': buf_addc(b, '\t'); break;
		case 'u': {             /* \uXXXX: the log writes only control characters so */
			char hex[5] = "";
			size_t k = strspn(p + 1, "0123456789abcdefABCDEF");
			memcpy(hex, p + 1, k < 4 ? k : 4);
			unsigned long c = strtoul(hex, NULL, 16);
			if (c > 0) {
				char u[4];
				buf_add(b, u, text_utf8_encode((wchar_t)c, u));
			}
			p += k < 4 ? k : 4;
			break;
		}
		case '\0': return p;
		default: buf_addc(b, *p); break;   /* \" \\ \/ */
		}
		p++;
	}
	return *p ? p + 1 : p;
}

/* The members of a flat object; nested values are kept as their JSON text.
 * Stops quietly at anything else: this only feeds a summary. */
static void parse_object(const char *json, kvs *out)
{
	memset(out, 0, sizeof *out);
	const char *p = json ? strchr(json, '{') : NULL;
	if (!p)
		return;
	p++;
	for (;;) {
		p += strspn(p, " \n\t,");
		if (*p != '"')
			return;
		dl_buf key = {0}, val = {0};
		p = json_string(p + 1, &key);
		p += strspn(p, " \n\t");
		if (*p != ':') {
			buf_free(&key);
			return;
		}
		p += 1 + strspn(p + 1, " \n\t");
		int is_null = 0;
		if (*p == '"') {
			p = json_string(p + 1, &val);
		} else {
			/* a literal, or a nested value up to its matching bracket */
			int depth = 0, in_str = 0;
			const char *s = p;
			for (; *p; p++) {
				if (in_str) {
					if (*p == '\\' && p[1])
						p++;
					else if (*p == '"')
						in_str = 0;
				} else if (*p == '"') {
					in_str = 1;
				} else if (*p == '{' || *p == '[') {
					depth++;
				} else if (*p == '}' || *p == ']') {
					if (depth-- == 0)
						break;
				} else if (*p == ',' && depth == 0) {
					break;
				}
			}
			buf_add(&val, s, (size_t)(p - s));
			is_null = !strcmp(buf_str(&val), "null");
		}
		kv *v = realloc(out->v, (out->n + 1) * sizeof *v);
		if (!v) {
			buf_free(&key);
			buf_free(&val);
			return;
		}
		out->v = v;
		v[out->n].key = strdup(buf_str(&key));
		v[out->n].value = strdup(buf_str(&val));
		v[out->n].is_null = is_null;
		buf_free(&key);
		buf_free(&val);
		if (!v[out->n].key || !v[out->n].value) {
			free(v[out->n].key);
			free(v[out->n].value);
			return;
		}
		out->n++;
		if (*p != ',')
			return;
	}
}

static const kv *kv_find(const kvs *k, const char *key)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].key, key))
			return &k->v[i];
	return NULL;
}

/* Columns that say nothing a reader looks for in a one-line summary. */
static int boring(const char *key)
{
	static const char *const skip[] = {
		"id", "case_id", "at", "created_at", "updated_at", "created_by", "recorded_at", "recorded_by",
		"author_id", "password_hash", NULL,
	};
	for (int i = 0; skip[i]; i++)
		if (!strcmp(skip[i], key))
			return 1;
	return 0;
}

/* Append "key: value" (value on one line); whole members only, so nothing
 * is cut inside a character: the table cell cuts by display cells. */
static void add_member(dl_buf *b, const char *key, const char *value)
{
	if (b->len)
		buf_adds(b, " · ");
	buf_adds(b, key);
	buf_adds(b, ": ");
	size_t at = b->len;
	buf_adds(b, value);
	for (size_t i = at; i < b->len; i++)
		if (b->data[i] == '\n' || b->data[i] == '\r' || b->data[i] == '\t')
			b->data[i] = ' ';
}

/* What changed, in one line: old → new for an update, the values of an
 * added or deleted row, an event's details. */
static void summary(const dl_audit_entry *e, dl_buf *out)
{
	kvs row, data;
	parse_object(e->row, &row);
	parse_object(e->data, &data);
	int update = e->action && !strcmp(e->action, "update");
	const kvs *from = update ? &data : e->row ? &row : &data;
	for (size_t i = 0; i < from->n && out->len < 600; i++) {
		const kv *m = &from->v[i];
		if (update) {
			const kv *now = kv_find(&row, m->key);
			/* values isolated: an Arabic value keeps its own direction */
			dl_buf change = {0};
			buf_addf(&change, UI_ISO "%s" UI_PDI " → " UI_ISO "%s" UI_PDI, m->is_null ? "∅" : m->value,
			         !now || now->is_null ? "∅" : now->value);
			add_member(out, m->key, buf_str(&change));
			buf_free(&change);
		} else if (!m->is_null && !boring(m->key) && m->value[0]) {
			dl_buf v = {0};
			buf_addf(&v, UI_ISO "%s" UI_PDI, m->value);
			add_member(out, m->key, buf_str(&v));
			buf_free(&v);
		}
	}
	if (!from->n && e->data)
		buf_adds(out, e->data);
	kvs_free(&row);
	kvs_free(&data);
}

/* ---- loading ---- */

static void show_entry(audit *a, long long id, int keep);
static void verify_view(audit *a, int keep);

static void reload(audit *a)
{
	long long sel = ui_table_sel(&a->table);
	a->gen = ui_generation();
	a->rtl = ui_rtl();
	audit_list_free(&a->list);
	ui_table_clear(&a->table);
	dl_err err = {0};
	a->denied[0] = '\0';
	if (audit_list_case(ui_session(), a->case_id, AUDIT_TAB_LIMIT, &a->list, &err) != DL_OK) {
		snprintf(a->denied, sizeof a->denied, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < a->list.n; i++) {
		const dl_audit_entry *e = &a->list.v[i];
		char when[17], row[24];
		snprintf(when, sizeof when, "%s", e->at ? e->at : "");
		if (strlen(when) > 10 && when[10] == 'T')
			when[10] = ' ';
		snprintf(row, sizeof row, "%lld", e->entity_id);
		dl_buf sum = {0};
		summary(e, &sum);
		const char *cells[NCOLS] = {when, e->username, action_label(e->action), e->entity, row,
		                            buf_str(&sum)};
		ui_role roles[NCOLS] = {R_NORMAL, R_NORMAL,
		                        e->action && !strcmp(e->action, "delete") ? R_OVERDUE : R_NORMAL,
		                        R_NORMAL, R_DIM, R_NORMAL};
		ui_table_add(&a->table, e->id, cells, roles);
		buf_free(&sum);
	}
	for (size_t i = 0; sel && i < a->table.n; i++)
		if (a->table.ids[i] == sel)
			a->table.list.sel = (long)i;
	/* the view on show follows the language too */
	if (a->view == V_ENTRY)
		show_entry(a, a->entry, 1);
	else if (a->view == V_VERIFY)
		verify_view(a, 1);
}

static void *au_open(const char *number)
{
	audit *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	snprintf(a->number, sizeof a->number, "%s", number);
	ui_table_init(&a->table, columns, NCOLS);
	dl_err err = {0};
	if (case_resolve(ui_session(), number, 0, &a->case_id, &err) != DL_OK) {
		snprintf(a->denied, sizeof a->denied, "%s", err.msg);
		a->gen = ui_generation();
	a->rtl = ui_rtl();
		return a;
	}
	reload(a);
	return a;
}

static void show_entry(audit *a, long long id, int keep)
{
	const dl_audit_entry *e = NULL;
	for (size_t i = 0; i < a->list.n; i++)
		if (a->list.v[i].id == id)
			e = &a->list.v[i];
	if (!e) {
		a->view = V_LIST;
		return;
	}
	char title[200], buf[200];
	snprintf(title, sizeof title, _("Audit entry %lld"), e->id);
	ui_detail *d = &a->detail;
	ui_detail_begin(d, title, keep);
	ui_detail_add(d, _("Time"), e->at, R_NORMAL, 1);
	snprintf(buf, sizeof buf, "%s (%lld)", e->username ? e->username : "", e->user_id);
	ui_detail_add(d, _("User"), buf, R_NORMAL, 1);
	snprintf(buf, sizeof buf, "%s (%s)", action_label(e->action), e->action ? e->action : "");
	ui_detail_add(d, _("Action"), buf, R_NORMAL, 1);
	snprintf(buf, sizeof buf, "%s #%lld", e->entity ? e->entity : "", e->entity_id);
	ui_detail_add(d, _("Table and row"), buf, R_NORMAL, 1);
	ui_detail_add(d, _("Row after the change"), e->row, R_NORMAL, 0);
	const char *data_label = !e->action ? _("Data")
	                         : !strcmp(e->action, "update") ? _("Before the change")
	                         : !strcmp(e->action, "delete") ? _("The deleted row")
	                                                        : _("Details");
	ui_detail_add(d, data_label, e->data, R_NORMAL, 0);
	ui_detail_add(d, _("Hash"), e->hash, R_DIM, 1);
	ui_detail_add(d, _("Previous hash"), e->prev_hash, R_DIM, 1);
	a->entry = id;
	a->view = V_ENTRY;
}

/* The outcome of the last verification, in the tab. */
static void verify_view(audit *a, int keep)
{
	const dl_audit_report *r = &a->report;
	ui_detail *d = &a->detail;
	ui_detail_begin(d, _("Verification of the audit log and the store"), keep);
	char buf[400], label[80];
	if (a->verified == DL_OK)
		ui_detail_add(d, _("Result"), _("intact: the chain is whole and every row is as the log says"),
		              R_OK, 1);
	else
		ui_detail_add(d, _("Result"), a->verify_msg, R_ERROR, 1);
	snprintf(buf, sizeof buf, "%lld", r->entries);
	ui_detail_add(d, _("Entries checked"), buf, R_NORMAL, 1);
	snprintf(buf, sizeof buf, "%lld", r->rows);
	ui_detail_add(d, _("Rows compared"), buf, R_NORMAL, 1);
	for (size_t i = 0; i < r->n; i++) {
		snprintf(label, sizeof label, "%s #%lld", r->v[i].entity, r->v[i].entity_id);
		ui_detail_add(d, label, r->v[i].what, R_ERROR, 1);
	}
	a->view = V_VERIFY;
}

/* Verifies the whole store (the chain links every case's entries together)
 * and shows the outcome in the tab. */
static void verify(audit *a)
{
	dl_audit_report r;
	dl_err err = {0};
	dl_status rc = audit_verify(ui_session(), &r, &err);
	if (rc != DL_OK && rc != DL_ETAMPER) {
		audit_report_free(&r);
		ui_error(&err);
		return;
	}
	audit_report_free(&a->report);
	a->report = r;
	a->verified = rc;
	snprintf(a->verify_msg, sizeof a->verify_msg, "%s", err.msg);
	verify_view(a, 0);
	ui_message(rc == DL_OK ? R_OK : R_ERROR, "%s",
	           rc == DL_OK ? _("Audit log verified: intact") : _("Audit log verification found problems"));
}

static void au_draw(void *tab, int top, int rows)
{
	audit *a = tab;
	if ((a->gen != ui_generation() || a->rtl != ui_rtl()) && a->case_id)
		reload(a);
	int cols = ui_cols();
	if (a->denied[0]) {
		for (int r = 0; r < rows; r++)
			ui_fill(top + r, 0, cols, R_NORMAL);
		ui_put(top + 1, 2, cols - 4, a->denied, R_ERROR, UI_START);
		ui_put(top + 3, 2, cols - 4, _("A supervisor or an administrator can show this case's audit entries."),
		       R_DIM, UI_START);
		return;
	}
	if (a->view == V_ENTRY) {
		ui_detail_draw(&a->detail, top, rows, _("Esc back to the entries · ↑↓ scroll"));
		return;
	}
	if (a->view == V_VERIFY) {
		ui_detail_draw(&a->detail, top, rows, _("Esc back to the entries · v verify again · ↑↓ scroll"));
		return;
	}
	char line[300];
	if (a->list.n >= AUDIT_TAB_LIMIT)
		snprintf(line, sizeof line, _("The newest %d entries about this case"), AUDIT_TAB_LIMIT);
	else
		snprintf(line, sizeof line, P_("%zu entry about this case, newest first",
		                               "%zu entries about this case, newest first", a->list.n),
		         a->list.n);
	ui_put(top, 0, cols, line, R_DIM, UI_START);
	ui_table_draw(&a->table, top + 1, rows - 2, _("No audit entry about this case."));
	ui_put(top + rows - 1, 0, cols, _("Enter the entry's data · v verify the audit log · F1 help"), R_DIM,
	       UI_START);
}

static int au_act(void *tab, ui_act act, int ch)
{
	(void)ch;
	audit *a = tab;
	if (a->view != V_LIST && ui_detail_act(&a->detail, act))
		return 1;
	switch (act) {
	case A_BACK:
		if (a->view == V_LIST)
			return 0;
		a->view = V_LIST;
		return 1;
	case A_ENTER:
		if (a->view == V_LIST && !a->denied[0] && ui_table_sel(&a->table))
			show_entry(a, ui_table_sel(&a->table), 0);
		return 1;
	case A_STATUS:
		verify(a);
		return 1;
	case A_REFRESH:
		if (a->case_id)
			reload(a);
		return 1;
	default:
		return a->view == V_LIST ? ui_table_act(&a->table, act) : 0;
	}
}

static void au_free(void *tab)
{
	audit *a = tab;
	audit_list_free(&a->list);
	ui_table_free(&a->table);
	ui_detail_free(&a->detail);
	audit_report_free(&a->report);
	free(a);
}

static const ui_binding au_keys[] = {
	{'\n', A_ENTER, N_("show the entry's full data")},
	{'v', A_STATUS, N_("verify the audit log and every row of the store")},
	{'r', A_REFRESH, N_("reload the entries")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_audit = {
	N_("Audit"), au_keys, au_open, au_draw, au_act, au_free,
};
