/* ui_tab_notes.c — the tasks and the working notes of a case, in two stacked
 * sections (tasks above, notes below) with one selection that t moves between
 * them; new notes and tasks, marking a task done, reading a note in full,
 * deleting either. */
#include "case.h"
#include "i18n.h"
#include "note.h"
#include "ui_case.h"
#include "ui_detail.h"
#include "ui_form.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ui_col task_cols[] = {
	{N_("Task"), 0, UI_START},
	{N_("Assigned to"), 12, UI_START},
	{N_("Due"), 10, UI_START},
	{N_("State"), 15, UI_START},
};
static const ui_col note_cols[] = {
	{N_("Written (UTC)"), 16, UI_START},
	{N_("Author"), 12, UI_START},
	{N_("Note"), 0, UI_START},
};

enum { SEC_TASKS, SEC_NOTES };

typedef struct notes {
	char number[64];
	dl_task_list tasks;
	dl_note_list notes;
	ui_table t, n;              /* the two sections */
	int sec;                    /* the section holding the selection */
	long long want_task, want_note;   /* select these at the next reload (just added) */
	unsigned gen;
	int rtl;                    /* the language of the translated cells (F2 switches) */
	int detail;                 /* showing a note or a task in full */
	int detail_sec;
	long long detail_id;
	ui_detail view;
} notes;

static void short_time(const char *at, char out[17])
{
	snprintf(out, 17, "%s", at ? at : "");
	if (strlen(out) > 10 && out[10] == 'T')
		out[10] = ' ';
}

static const dl_task *find_task(const notes *s, long long id)
{
	for (size_t i = 0; i < s->tasks.n; i++)
		if (s->tasks.v[i].id == id)
			return &s->tasks.v[i];
	return NULL;
}

static const dl_note *find_note(const notes *s, long long id)
{
	for (size_t i = 0; i < s->notes.n; i++)
		if (s->notes.v[i].id == id)
			return &s->notes.v[i];
	return NULL;
}

static void fill_view(notes *s, int keep);

static void keep_sel(ui_table *t, long long id)
{
	for (size_t i = 0; id && i < t->n; i++)
		if (t->ids[i] == id)
			t->list.sel = (long)i;
}

static void reload(notes *s)
{
	long long tsel = s->want_task ? s->want_task : ui_table_sel(&s->t);
	long long nsel = s->want_note ? s->want_note : ui_table_sel(&s->n);
	s->want_task = s->want_note = 0;
	s->gen = ui_generation();
	s->rtl = ui_rtl();
	task_list_free(&s->tasks);
	note_list_free(&s->notes);
	ui_table_clear(&s->t);
	ui_table_clear(&s->n);
	dl_err err = {0};
	if (task_list(ui_session(), s->number, 1, &s->tasks, &err) != DL_OK ||
	    note_list(ui_session(), s->number, &s->notes, &err) != DL_OK) {
		ui_error(&err);
		return;
	}
	for (size_t i = 0; i < s->tasks.n; i++) {
		const dl_task *k = &s->tasks.v[i];
		char state[120];
		if (k->done)
			snprintf(state, sizeof state, _("done %.10s"), k->done_at ? k->done_at : "");
		else
			snprintf(state, sizeof state, "%s", k->overdue ? _("open, overdue") : _("open"));
		const char *cells[4] = {k->title, k->assignee ? k->assignee : "", k->due_date, state};
		ui_role base = k->done ? R_DIM : R_NORMAL;
		ui_role roles[4] = {base, base, base, k->done ? R_DIM : k->overdue ? R_OVERDUE : R_NORMAL};
		if (!k->done && k->due_date)
			roles[2] = ui_deadline_role(ui_days_until(k->due_date));
		ui_table_add(&s->t, k->id, cells, roles);
	}
	for (size_t i = 0; i < s->notes.n; i++) {
		const dl_note *n = &s->notes.v[i];
		char when[17], first[1600];
		short_time(n->at, when);
		/* the first line, "…" when more follows; wider than any terminal row */
		ui_detail_clip(n->body, 300, first, sizeof first);
		const char *cells[3] = {when, n->author ? n->author : "", first};
		ui_table_add(&s->n, n->id, cells, NULL);
	}
	keep_sel(&s->t, tsel);
	keep_sel(&s->n, nsel);
	if (s->detail) {
		if (s->detail_sec == SEC_TASKS ? find_task(s, s->detail_id) != NULL
		                               : find_note(s, s->detail_id) != NULL)
			fill_view(s, 1);
		else
			s->detail = 0;
	}
}

static void *nt_open(const char *number)
{
	notes *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	snprintf(s->number, sizeof s->number, "%s", number);
	ui_table_init(&s->t, task_cols, 4);
	ui_table_init(&s->n, note_cols, 3);
	reload(s);
	/* start where there is something */
	s->sec = s->tasks.n || !s->notes.n ? SEC_TASKS : SEC_NOTES;
	return s;
}

static void fill_view(notes *s, int keep)
{
	ui_detail *v = &s->view;
	char title[300], buf[600];
	if (s->detail_sec == SEC_NOTES) {
		const dl_note *n = find_note(s, s->detail_id);
		if (!n)
			return;
		char when[17];
		short_time(n->at, when);
		snprintf(title, sizeof title, _("Note by %s, %s UTC"), n->author ? n->author : "", when);
		ui_detail_begin(v, title, keep);
		ui_detail_add(v, NULL, n->body, R_NORMAL, 1);
		return;
	}
	const dl_task *k = find_task(s, s->detail_id);
	if (!k)
		return;
	snprintf(title, sizeof title, _("Task %lld"), k->id);
	ui_detail_begin(v, title, keep);
	ui_detail_add(v, _("Task"), k->title, R_NORMAL, 1);
	ui_detail_add(v, _("Assigned to"), k->assignee, R_NORMAL, 0);
	if (k->due_date) {
		long long left = ui_days_until(k->due_date);
		if (k->done)
			snprintf(buf, sizeof buf, "%s", k->due_date);
		else if (left < 0)
			snprintf(buf, sizeof buf, P_("%s (%lld day overdue)", "%s (%lld days overdue)", -left),
			         k->due_date, -left);
		else
			snprintf(buf, sizeof buf, P_("%s (%lld day left)", "%s (%lld days left)", left), k->due_date,
			         left);
		ui_detail_add(v, _("Due"), buf, k->done ? R_NORMAL : ui_deadline_role(left), 1);
	}
	if (k->done)
		snprintf(buf, sizeof buf, _("done by %s, %s"), k->done_by ? k->done_by : "",
		         k->done_at ? k->done_at : "");
	else
		snprintf(buf, sizeof buf, "%s", _("open"));
	ui_detail_add(v, _("State"), buf, k->done ? R_OK : R_NORMAL, 1);
	snprintf(buf, sizeof buf, UI_ISO "%s" UI_PDI " · %s", k->created_by ? k->created_by : "", k->created_at);
	ui_detail_add(v, _("Created by"), buf, R_DIM, 1);
}

/* One section: its title line (marked while it holds the selection), then
 * the table. */
static void section(notes *s, int sec, int y, int rows, const char *title, const char *empty)
{
	int cols = ui_cols();
	ui_table *t = sec == SEC_TASKS ? &s->t : &s->n;
	int active = s->sec == sec;
	char line[300];
	snprintf(line, sizeof line, "%s %s", active ? (ui_rtl() ? "◂" : "▸") : " ", title);
	ui_put(y, 0, cols, line, active ? R_TAB_ACTIVE : R_TAB, UI_START);
	if (active) {
		ui_table_draw(t, y + 1, rows - 1, empty);
		return;
	}
	/* the other section keeps its place but shows no selection: one cursor only */
	ui_table_header(y + 1, t->cols, t->ncols);
	t->rows = rows - 2;
	ui_list_fit(&t->list, t->rows);
	for (int r = 0; r < t->rows; r++) {
		long i = t->list.top + r;
		if (i >= (long)t->n)
			ui_fill(y + 2 + r, 0, cols, R_NORMAL);
		else
			ui_table_row(y + 2 + r, t->cols, t->ncols, (const char *const *)&t->cells[i * t->ncols],
			             &t->roles[i * t->ncols], R_NORMAL);
	}
	if (t->n == 0)
		ui_put(y + 3, 2, cols - 4, empty, R_DIM, UI_START);
}

static void nt_draw(void *tab, int top, int rows)
{
	notes *s = tab;
	if (s->gen != ui_generation() || s->rtl != ui_rtl())
		reload(s);
	if (s->detail) {
		ui_detail_draw(&s->view, top, rows,
		               s->detail_sec == SEC_TASKS ? _("Esc back · d done · x delete · ↑↓ scroll")
		                                          : _("Esc back · x delete · ↑↓ scroll"));
		return;
	}
	int avail = rows - 1;       /* the key line */
	/* tasks take what they need up to half; notes the rest */
	int tneed = 2 + (s->tasks.n ? (int)s->tasks.n : 2);
	int trows = tneed < avail / 2 ? tneed : avail / 2;
	if (trows < 4)
		trows = 4;
	size_t open = 0;
	for (size_t i = 0; i < s->tasks.n; i++)
		open += !s->tasks.v[i].done;
	char title[200];
	snprintf(title, sizeof title, P_("Tasks: %zu open, %zu in all", "Tasks: %zu open, %zu in all", open),
	         open, s->tasks.n);
	section(s, SEC_TASKS, top, trows, title, _("No task. T adds one."));
	snprintf(title, sizeof title, P_("Notes: %zu, newest first", "Notes: %zu, newest first", s->notes.n),
	         s->notes.n);
	section(s, SEC_NOTES, top + trows, avail - trows, title, _("No note. n writes one."));
	ui_put(top + rows - 1, 0, ui_cols(),
	       _("t tasks/notes · Enter read · n note · T task · d done · x delete · F1 help"), R_DIM,
	       UI_START);
}

/* ---- forms ---- */

static dl_status note_submit(ui_form *f, void *ctx, dl_err *err)
{
	notes *s = ctx;
	long long id;
	dl_status rc = note_add(ui_session(), s->number, ui_form_get(f, "text"), &id, err);
	if (rc == DL_OK) {
		ui_message(R_OK, "%s", _("Note saved"));
		s->sec = SEC_NOTES;
		s->want_note = id;
	}
	return rc;
}

static void note_open(notes *s)
{
	static const ui_field_def defs[] = {
		{F_MULTILINE, "text", N_("Note"), N_("notes are kept as written: they cannot be edited later"),
		 NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("New note in case %s"), s->number);
	ui_form *f = ui_form_new(title, defs, 1, note_submit, s, NULL);
	if (f)
		ui_form_open(f);
}

static dl_status task_submit(ui_form *f, void *ctx, dl_err *err)
{
	notes *s = ctx;
	char *title = strdup(ui_form_get(f, "title"));
	char *assignee = strdup(ui_form_get(f, "assignee"));
	char *due = strdup(ui_form_get(f, "due"));
	dl_status rc;
	long long id = 0;
	if (title && assignee && due)
		rc = task_add(ui_session(), s->number, title, assignee, due, &id, err);
	else
		rc = dl_err_set(err, DL_ENOMEM, "", "%s", _("out of memory"));
	if (rc == DL_OK) {
		ui_message(R_OK, _("Task %lld added"), id);
		s->sec = SEC_TASKS;
		s->want_task = id;
	}
	free(title);
	free(assignee);
	free(due);
	return rc;
}

/* May username take tasks in this case? Supervisors and admins see every
 * case; investigators only those they lead or are assigned to. */
static int may_take(const dl_user *u, const dl_case *c)
{
	if (u->disabled || u->role == DL_ROLE_CLERK)
		return 0;
	if (u->role != DL_ROLE_INVESTIGATOR)
		return 1;
	if (c->lead && !strcmp(c->lead, u->username))
		return 1;
	for (size_t i = 0; i < c->nassigned; i++)
		if (!strcmp(c->assigned[i], u->username))
			return 1;
	return 0;
}

static void task_open(notes *s)
{
	/* who can take the task: a picker of the users when the session may list
	 * them, else the username typed */
	dl_user_list ul = {0};
	dl_case c = {0};
	dl_err err = {0};
	int pick = user_list(ui_session(), &ul, &err) == DL_OK &&
	           case_get(ui_session(), s->number, &c, &err) == DL_OK;
	const ui_field_def defs[] = {
		{F_TEXT, "title", N_("Task"), NULL, NULL, NULL},
		{pick ? F_CHOICE : F_TEXT, "assignee", N_("Assigned to"), pick ? NULL : N_("username; empty: you"),
		 NULL, NULL},
		{F_DATE, "due", N_("Due by"), N_("YYYY-MM-DD, or empty"), NULL, NULL},
	};
	char title[200];
	snprintf(title, sizeof title, _("New task in case %s"), s->number);
	ui_form *f = ui_form_new(title, defs, 3, task_submit, s, NULL);
	if (f && pick) {
		const char **vals = calloc(ul.n + 1, sizeof *vals);
		const char **labels = calloc(ul.n + 1, sizeof *labels);
		char **owned = calloc(ul.n + 1, sizeof *owned);
		size_t n = 0;
		for (size_t i = 0; vals && labels && owned && i < ul.n; i++) {
			const dl_user *u = &ul.v[i];
			if (!may_take(u, &c))
				continue;
			const char *name = ui_in_lang(u->name_ar, u->name_en);
			char label[300];
			if (name && *name)
				snprintf(label, sizeof label, "%s (" UI_ISO "%s" UI_PDI ")", u->username, name);
			else
				snprintf(label, sizeof label, "%s", u->username);
			if (!(owned[n] = strdup(label)))
				break;
			vals[n] = u->username;
			labels[n] = owned[n];
			n++;
		}
		ui_form_set_choices(f, "assignee", vals, labels, n);
		ui_form_set(f, "assignee", ui_session()->username);
		for (size_t i = 0; i < n; i++)
			free(owned[i]);
		free(owned);
		free(vals);
		free(labels);
	}
	user_list_free(&ul);
	case_free(&c);
	if (f)
		ui_form_open(f);
}

/* ---- keys ---- */

static ui_table *cur_table(notes *s)
{
	return s->sec == SEC_TASKS ? &s->t : &s->n;
}

/* The task or note the keys act on: the one shown in full, else the selected one. */
static long long current(notes *s, int *sec)
{
	if (s->detail) {
		*sec = s->detail_sec;
		return s->detail_id;
	}
	*sec = s->sec;
	return ui_table_sel(cur_table(s));
}

static int clerk_refused(void)
{
	dl_session *ss = ui_session();
	if (ss && ss->role == DL_ROLE_CLERK) {
		ui_message(R_ERROR, "%s", _("Read-only: clerks see cases and print reports, they change nothing"));
		return 1;
	}
	return 0;
}

static void mark_done(notes *s)
{
	int sec;
	long long id = current(s, &sec);
	if (sec != SEC_TASKS || !id) {
		ui_message(R_MESSAGE, "%s", _("Select a task first (t moves between tasks and notes)"));
		return;
	}
	const dl_task *k = find_task(s, id);
	if (k && k->done) {
		ui_message(R_MESSAGE, _("Task %lld is already done"), id);
		return;
	}
	if (clerk_refused())
		return;
	dl_err err = {0};
	if (task_done(ui_session(), id, &err) != DL_OK) {
		ui_message(R_ERROR, "%s", err.msg);
		return;
	}
	ui_touch();
	ui_message(R_OK, _("Task %lld done"), id);
}

static void delete_current(notes *s)
{
	int sec;
	long long id = current(s, &sec);
	if (!id || clerk_refused())
		return;
	char what[600];
	if (sec == SEC_TASKS) {
		const dl_task *k = find_task(s, id);
		char clip[200], title[220];
		ui_detail_clip(k ? k->title : "", 20, clip, sizeof clip);
		snprintf(title, sizeof title, UI_ISO "%s" UI_PDI, clip);
		snprintf(what, sizeof what, _("the task \"%s\""), title);
	} else {
		const dl_note *n = find_note(s, id);
		char when[17];
		short_time(n ? n->at : "", when);
		snprintf(what, sizeof what, _("the note of %s by %s"), when, n && n->author ? n->author : "");
	}
	if (!ui_case_confirm_delete(what))
		return;
	dl_err err = {0};
	dl_status rc = sec == SEC_TASKS ? task_delete(ui_session(), id, &err)
	                                : note_delete(ui_session(), id, &err);
	if (rc != DL_OK) {
		ui_message(R_ERROR, "%s", err.msg);
		return;
	}
	s->detail = 0;
	ui_touch();
	ui_message(R_OK, "%s", sec == SEC_TASKS ? _("Task deleted") : _("Note deleted"));
}

static int nt_act(void *tab, ui_act a, int ch)
{
	(void)ch;
	notes *s = tab;
	if (s->detail && ui_detail_act(&s->view, a))
		return 1;
	switch (a) {
	case A_BACK:
		if (!s->detail)
			return 0;
		s->detail = 0;
		return 1;
	case A_ENTER:
		if (!s->detail && (s->detail_id = ui_table_sel(cur_table(s)))) {
			s->detail = 1;
			s->detail_sec = s->sec;
			fill_view(s, 0);
		}
		return 1;
	case A_TOGGLE:
		if (!s->detail)
			s->sec = s->sec == SEC_TASKS ? SEC_NOTES : SEC_TASKS;
		return 1;
	case A_NOTE:
		note_open(s);
		return 1;
	case A_NEW:
		task_open(s);
		return 1;
	case A_DONE:
		mark_done(s);
		return 1;
	case A_DELETE:
		delete_current(s);
		return 1;
	case A_REFRESH:
		reload(s);
		return 1;
	default:
		return s->detail ? 0 : ui_table_act(cur_table(s), a);
	}
}

static void nt_free(void *tab)
{
	notes *s = tab;
	task_list_free(&s->tasks);
	note_list_free(&s->notes);
	ui_table_free(&s->t);
	ui_table_free(&s->n);
	ui_detail_free(&s->view);
	free(s);
}

static const ui_binding nt_keys[] = {
	{'t', A_TOGGLE, N_("move between the tasks and the notes")},
	{'\n', A_ENTER, N_("read the note (or the task) in full")},
	{'n', A_NOTE, N_("write a new note")},
	{'T', A_NEW, N_("add a new task")},
	{'d', A_DONE, N_("mark the selected task done")},
	{' ', A_DONE, NULL},
	{'x', A_DELETE, N_("delete the selected note or task (asks first)")},
	{'r', A_REFRESH, N_("reload")},
	{0, A_NONE, NULL},
};

const ui_tab_ops ui_tab_notes = {
	N_("Notes and tasks"), nt_keys, nt_open, nt_draw, nt_act, nt_free,
};
