/* cli_note.c — note add, list and task add, list, done. */
#include "cli.h"
#include "i18n.h"
#include "note.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

static void note_json(json_w *w, const dl_note *n)
{
	json_begin_object(w);
	json_kint(w, "id", n->id);
	json_kstr(w, "case", n->case_number);
	json_kstr(w, "at", n->at);
	json_kstr(w, "author", n->author);
	json_kstr(w, "body", n->body);
	json_end_object(w);
}

/* A heading line, then the body indented so that lines of a note stand apart
 * from the next note's heading. */
static void note_print(const dl_note *n)
{
	printf("#%lld %s %s\n", n->id, n->at, n->author ? n->author : "-");
	const char *p = n->body;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		printf("    %.*s\n", (int)len, p);
		p = nl ? nl + 1 : p + len;
	}
}

static dl_status run_note_add(cli_ctx *c, cli_args *a)
{
	const char *number = arg_get(a, "case");
	if (!number)
		return cli_require(c, a, "case");
	long long id;
	dl_status rc = note_add(&c->session, number, arg_get(a, "text"), &id, &c->err);
	if (rc != DL_OK)
		return rc;
	if (!c->json) {
		printf(_("note %lld added to case %s\n"), id, number);
		return DL_OK;
	}
	dl_note n;
	if ((rc = note_get(&c->session, id, &n, &c->err)) != DL_OK)
		return rc;
	json_w w = {0};
	note_json(&w, &n);
	cli_json_print(&w);
	note_free(&n);
	return DL_OK;
}

static dl_status run_note_list(cli_ctx *c, cli_args *a)
{
	const char *number = arg_get(a, "case");
	if (!number)
		return cli_require(c, a, "case");
	dl_note_list l;
	dl_status rc = note_list(&c->session, number, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			note_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++)
			note_print(&l.v[i]);
	}
	note_list_free(&l);
	return DL_OK;
}

static void task_json(json_w *w, const dl_task *t)
{
	json_begin_object(w);
	json_kint(w, "id", t->id);
	json_kstr(w, "case", t->case_number);
	json_kstr(w, "title", t->title);
	json_kstr(w, "assignee", t->assignee);
	json_kstr(w, "due_date", t->due_date);
	json_kbool(w, "done", t->done);
	json_kstr(w, "done_at", t->done_at);
	json_kstr(w, "done_by", t->done_by);
	json_kbool(w, "overdue", t->overdue);
	json_kstr(w, "created_by", t->created_by);
	json_kstr(w, "created_at", t->created_at);
	json_end_object(w);
}

static void task_line(const dl_task *t)
{
	const char *state = t->done ? _("done") : t->overdue ? _("OVERDUE") : _("open");
	printf("%-5lld ", t->id);
	cli_print_padded(t->case_number, 16);
	putchar(' ');
	cli_print_padded(state, 8);
	putchar(' ');
	cli_print_padded(t->due_date, 10);
	putchar(' ');
	cli_print_padded(t->assignee, 12);
	printf(" %s\n", t->title);
}

static dl_status print_task(cli_ctx *c, long long id)
{
	dl_task t;
	dl_status rc = task_get(&c->session, id, &t, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		task_json(&w, &t);
		cli_json_print(&w);
	} else {
		task_line(&t);
	}
	task_free(&t);
	return DL_OK;
}

static dl_status run_task_add(cli_ctx *c, cli_args *a)
{
	const char *number = arg_get(a, "case");
	if (!number)
		return cli_require(c, a, "case");
	long long id;
	dl_status rc = task_add(&c->session, number, arg_get(a, "title"), arg_get(a, "assignee"),
	                        arg_get(a, "due"), &id, &c->err);
	if (rc != DL_OK)
		return rc;
	return print_task(c, id);
}

static dl_status run_task_list(cli_ctx *c, cli_args *a)
{
	dl_task_list l;
	dl_status rc = task_list(&c->session, arg_get(a, "case"), arg_has(a, "all"), &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			task_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++)
			task_line(&l.v[i]);
	}
	task_list_free(&l);
	return DL_OK;
}

static dl_status run_task_done(cli_ctx *c, cli_args *a)
{
	long long id;
	dl_status rc = val_id("id", a->pos[0], &id, &c->err);
	if (rc != DL_OK)
		return rc;
	if ((rc = task_done(&c->session, id, &c->err)) != DL_OK)
		return rc;
	return print_task(c, id);
}

const cli_command cli_note_commands[] = {
	{"note", "add", "--case N --text T", N_("add a note to a case (several lines allowed)"),
	 "case=,text=", 0, 0, 1, run_note_add},
	{"note", "list", "--case N", N_("show the notes of a case, newest first"),
	 "case=", 0, 0, 1, run_note_list},
	{"task", "add", "--case N --title T [--assignee USER] [--due DATE]",
	 N_("add a task to a case; it goes to you unless --assignee names someone on the case"),
	 "case=,title=,assignee=,due=", 0, 0, 1, run_task_add},
	{"task", "list", "[--case N] [--all]",
	 N_("list the open tasks of a case, or those assigned to you; --all adds the done ones"),
	 "case=,all", 0, 0, 1, run_task_list},
	{"task", "done", "ID", N_("mark a task done"), "", 1, 1, 1, run_task_done},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
