/* note.c — see note.h. */
#include "note.h"
#include "case.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- notes --------------------------------------------------------------- */

static dl_status not_found(int task, long long id, dl_err *err)
{
	return task ? dl_err_set(err, DL_ENOTFOUND, "id", _("no task with id %lld"), id)
	            : dl_err_set(err, DL_ENOTFOUND, "id", _("no note with id %lld"), id);
}

/* Delete a note or a task after checking write rights on its case. */
static dl_status delete_row(dl_session *s, int task, long long id, dl_err *err)
{
	dl_store *st = s->store;
	sqlite3_stmt *q;
	long long case_id;
	dl_status rc = store_case_of(st, task ? "tasks" : "notes", id, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if (!case_id)
		return not_found(task, id, err);
	rc = perm_case_write(s, case_id, err);
	if (rc != DL_OK || (rc = session_begin(s, err)) != DL_OK)
		return rc;
	if (!(q = store_prepare(st, task ? "DELETE FROM tasks WHERE id = ?" : "DELETE FROM notes WHERE id = ?",
	                        err)))
		return store_end(st, DL_EDB, err);
	sqlite3_bind_int64(q, 1, id);
	rc = store_step_done(st, q, err, "id");
	sqlite3_finalize(q);
	/* deleted by another dalil between the check and the write lock */
	if (rc == DL_OK && sqlite3_changes(st->db) == 0)
		rc = not_found(task, id, err);
	return store_end(st, rc, err);
}

dl_status note_add(dl_session *s, const char *case_number, const char *body, long long *id,
                   dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if ((rc = val_text("text", body, DL_NOTE_MAX, 1, 1, err)) != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO notes (case_id, author_id, at, body) VALUES (?,?,?,?)", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		store_bind_id(q, 2, s->user_id);
		sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, body, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, "text");
		sqlite3_finalize(q);
	}
	long long new_id = sqlite3_last_insert_rowid(st->db);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = new_id;
	return rc;
}

#define NOTE_COLS \
	"n.id, n.case_id, c.number, n.at, u.username, n.body FROM notes n" \
	" JOIN cases c ON c.id = n.case_id LEFT JOIN users u ON u.id = n.author_id"

static void note_from_row(sqlite3_stmt *q, dl_note *n)
{
	n->id = sqlite3_column_int64(q, 0);
	n->case_id = sqlite3_column_int64(q, 1);
	n->case_number = store_col_dup(q, 2);
	n->at = store_col_dup(q, 3);
	n->author = store_col_dup(q, 4);
	n->body = store_col_dup(q, 5);
}

dl_status note_get(dl_session *s, long long id, dl_note *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " NOTE_COLS " WHERE n.id = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, id);
	unsigned long mark = store_oom_mark();
	int found;
	dl_status src = store_step_one(s->store, q, &found, err);
	if (found)
		note_from_row(q, out);
	sqlite3_finalize(q);
	if (src == DL_OK)
		src = store_oom_check(mark, err);
	if (src != DL_OK) {
		note_free(out);
		return src;
	}
	if (!found)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no note with id %lld"), id);
	dl_status rc = perm_case_read(s, out->case_id, err);
	if (rc != DL_OK)
		note_free(out);
	return rc;
}

dl_status note_list(dl_session *s, const char *case_number, dl_note_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	/* Newest first; the id breaks ties between notes of the same second. */
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " NOTE_COLS " WHERE n.case_id = ? ORDER BY n.at DESC, n.id DESC", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_note *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's: reported below */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		note_from_row(q, &out->v[out->n++]);
	}
	rc = step == SQLITE_NOMEM ? store_nomem(err)
	     : step == SQLITE_DONE ? store_oom_check(mark, err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		note_list_free(out);
	return rc;
}

dl_status note_delete(dl_session *s, long long id, dl_err *err)
{
	return delete_row(s, 0, id, err);
}

void note_free(dl_note *n)
{
	free(n->case_number); free(n->at); free(n->author); free(n->body);
	memset(n, 0, sizeof *n);
}

void note_list_free(dl_note_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		note_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- tasks --------------------------------------------------------------- */

/* The assignee must be able to act on the task: an active user who is not a
 * clerk and who can see the case (an investigator not on it could not even
 * read the task given to them). */
static dl_status task_assignee(dl_session *s, long long case_id, const char *username,
                               long long *uid, dl_err *err)
{
	char login[33];
	dl_status rc = val_username("assignee", username, login, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT id, role, disabled FROM users WHERE username = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, login, -1, SQLITE_STATIC);
	dl_session who = {0};
	who.store = s->store;
	if (sqlite3_step(q) != SQLITE_ROW) {
		rc = dl_err_set(err, DL_EINVAL, "assignee", _("no user \"%s\""), login);
	} else if (!strcmp((const char *)sqlite3_column_text(q, 1), "clerk")) {
		rc = dl_err_set(err, DL_EINVAL, "assignee", _("\"%s\" is a clerk and cannot take tasks"), login);
	} else if (sqlite3_column_int(q, 2)) {
		rc = dl_err_set(err, DL_EINVAL, "assignee", _("the account \"%s\" is disabled"), login);
	} else {
		who.user_id = sqlite3_column_int64(q, 0);
		const char *role = (const char *)sqlite3_column_text(q, 1);
		for (int i = 0; dl_role_names[i]; i++)
			if (!strcmp(role, dl_role_names[i]))
				who.role = (dl_role)i;
	}
	sqlite3_finalize(q);
	if (rc != DL_OK)
		return rc;
	dl_err ignore;
	if (perm_case_read(&who, case_id, &ignore) != DL_OK)
		return dl_err_set(err, DL_EINVAL, "assignee",
		                  _("\"%s\" is not assigned to this case; assign them to the case first"), login);
	*uid = who.user_id;
	return DL_OK;
}

dl_status task_add(dl_session *s, const char *case_number, const char *title,
                   const char *assignee, const char *due, long long *id, dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if ((rc = val_text("title", title, 500, 1, 0, err)) != DL_OK)
		return rc;
	long long uid = s->user_id;
	if (assignee && *assignee && (rc = task_assignee(s, case_id, assignee, &uid, err)) != DL_OK)
		return rc;
	char date[11] = "";
	if (due && *due && (rc = val_date("due", due, date, err)) != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO tasks (case_id, title, assignee_id, due_date, created_by, created_at)"
		" VALUES (?,?,?,?,?,?)", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_text(q, 2, title, -1, SQLITE_STATIC);
		store_bind_id(q, 3, uid);
		store_bind_text(q, 4, date);
		store_bind_id(q, 5, s->user_id);
		sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, "title");
		sqlite3_finalize(q);
	}
	long long new_id = sqlite3_last_insert_rowid(st->db);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = new_id;
	return rc;
}

#define TASK_COLS \
	"t.id, t.case_id, c.number, t.title, ua.username, t.due_date, t.done, t.done_at," \
	" ud.username, uc.username, t.created_at," \
	" (t.done = 0 AND t.due_date IS NOT NULL AND t.due_date < @today)" \
	" FROM tasks t JOIN cases c ON c.id = t.case_id" \
	" LEFT JOIN users ua ON ua.id = t.assignee_id" \
	" LEFT JOIN users ud ON ud.id = t.done_by" \
	" LEFT JOIN users uc ON uc.id = t.created_by"

static void task_from_row(sqlite3_stmt *q, dl_task *t)
{
	t->id = sqlite3_column_int64(q, 0);
	t->case_id = sqlite3_column_int64(q, 1);
	t->case_number = store_col_dup(q, 2);
	t->title = store_col_dup(q, 3);
	t->assignee = store_col_dup(q, 4);
	t->due_date = store_col_dup(q, 5);
	t->done = sqlite3_column_int(q, 6);
	t->done_at = store_col_dup(q, 7);
	t->done_by = store_col_dup(q, 8);
	t->created_by = store_col_dup(q, 9);
	t->created_at = store_col_dup(q, 10);
	t->overdue = sqlite3_column_int(q, 11);
}

static void bind_today(sqlite3_stmt *q, char today[11])
{
	store_today(today);
	sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, "@today"), today, -1, SQLITE_STATIC);
}

dl_status task_get(dl_session *s, long long id, dl_task *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = store_prepare(s->store, "SELECT " TASK_COLS " WHERE t.id = @id", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_today(q, today);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@id"), id);
	unsigned long mark = store_oom_mark();
	int found;
	dl_status src = store_step_one(s->store, q, &found, err);
	if (found)
		task_from_row(q, out);
	sqlite3_finalize(q);
	if (src == DL_OK)
		src = store_oom_check(mark, err);
	if (src != DL_OK) {
		task_free(out);
		return src;
	}
	if (!found)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no task with id %lld"), id);
	dl_status rc = perm_case_read(s, out->case_id, err);
	if (rc != DL_OK)
		task_free(out);
	return rc;
}

dl_status task_list(dl_session *s, const char *case_number, int include_done,
                    dl_task_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id = 0;
	dl_status rc;
	if (case_number && (rc = case_resolve(s, case_number, 0, &case_id, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " TASK_COLS " WHERE " PERM_CASE_VISIBLE_SQL
		" AND (@case IS NULL OR t.case_id = @case)"
		" AND (@case IS NOT NULL OR t.assignee_id = @perm_uid)"
		" AND (@all = 1 OR t.done = 0)"
		" ORDER BY t.done, t.due_date IS NULL, t.due_date, t.id", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_today(q, today);
	perm_bind(s, q);
	store_bind_id(q, sqlite3_bind_parameter_index(q, "@case"), case_id);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, "@all"), include_done ? 1 : 0);
	size_t cap = 0;
	int step;
	unsigned long mark = store_oom_mark();
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_task *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;   /* ours, not SQLite's: reported below */
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_task *t = &out->v[out->n++];
		memset(t, 0, sizeof *t);
		task_from_row(q, t);
	}
	rc = step == SQLITE_NOMEM ? store_nomem(err)
	     : step == SQLITE_DONE ? store_oom_check(mark, err) : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK)
		task_list_free(out);
	return rc;
}

dl_status task_done(dl_session *s, long long task_id, dl_err *err)
{
	dl_store *st = s->store;
	sqlite3_stmt *q;
	long long case_id;
	dl_status rc = store_case_of(st, "tasks", task_id, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if (!case_id)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no task with id %lld"), task_id);
	rc = perm_case_write(s, case_id, err);
	if (rc != DL_OK)
		return rc;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	char now[21];
	store_now(now);
	/* "done = 0" in the statement itself: checked and changed under the write
	 * lock, so two people closing the same task cannot both succeed. */
	q = store_prepare(st,
		"UPDATE tasks SET done = 1, done_at = ?, done_by = ? WHERE id = ? AND done = 0", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_text(q, 1, now, -1, SQLITE_STATIC);
		store_bind_id(q, 2, s->user_id);
		sqlite3_bind_int64(q, 3, task_id);
		rc = store_step_done(st, q, err, "id");
		sqlite3_finalize(q);
	}
	if (rc == DL_OK && sqlite3_changes(st->db) == 0)
		rc = dl_err_set(err, DL_EINVAL, "id", _("task %lld is already done"), task_id);
	return store_end(st, rc, err);
}

dl_status task_delete(dl_session *s, long long id, dl_err *err)
{
	return delete_row(s, 1, id, err);
}

void task_free(dl_task *t)
{
	free(t->case_number); free(t->title); free(t->assignee); free(t->due_date);
	free(t->done_at); free(t->done_by); free(t->created_by); free(t->created_at);
	memset(t, 0, sizeof *t);
}

void task_list_free(dl_task_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		task_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
