/* note.h — the working notes of a case (timestamped, by author, never edited)
 * and its tasks (a title, an assignee, a due date, done or not). Every call
 * checks the session's rights on the case. */
#ifndef DALIL_NOTE_H
#define DALIL_NOTE_H

#include <stddef.h>

#include "session.h"
#include "status.h"

/* Longest note body, in bytes. */
#define DL_NOTE_MAX 20000

typedef struct dl_note {
	long long id;
	long long case_id;
	char *case_number;
	char *at;                  /* "YYYY-MM-DDTHH:MM:SSZ" */
	char *author;              /* username */
	char *body;
} dl_note;

typedef struct dl_note_list {
	dl_note *v;
	size_t n;
} dl_note_list;

/* Add a note (multiline text, up to DL_NOTE_MAX bytes; field "text") to a case
 * the session may change. *id gets its id when not NULL. */
dl_status note_add(dl_session *s, const char *case_number, const char *body, long long *id,
                   dl_err *err);

/* Delete a note written by mistake (write rights on its case). Notes are
 * never edited; the deleted text stays in the audit log. */
dl_status note_delete(dl_session *s, long long id, dl_err *err);

/* One note (read rights on its case). */
dl_status note_get(dl_session *s, long long id, dl_note *out, dl_err *err);

/* The notes of a case, newest first. */
dl_status note_list(dl_session *s, const char *case_number, dl_note_list *out, dl_err *err);

void note_free(dl_note *n);
void note_list_free(dl_note_list *l);

typedef struct dl_task {
	long long id;
	long long case_id;
	char *case_number;
	char *title;
	char *assignee;            /* username, NULL when nobody */
	char *due_date;            /* YYYY-MM-DD or NULL */
	int done;
	char *done_at, *done_by;   /* NULL while open */
	char *created_by, *created_at;
	int overdue;               /* open and due before today */
} dl_task;

typedef struct dl_task_list {
	dl_task *v;
	size_t n;
} dl_task_list;

/* Add a task to a case the session may change. title: one line (field
 * "title"); assignee: username of an active, non-clerk user who may read the
 * case (field "assignee"; NULL or "" = the session's user); due: YYYY-MM-DD or
 * NULL (field "due"). */
dl_status task_add(dl_session *s, const char *case_number, const char *title,
                   const char *assignee, const char *due, long long *id, dl_err *err);

/* One task (read rights on its case). */
dl_status task_get(dl_session *s, long long id, dl_task *out, dl_err *err);

/* With case_number: the tasks of that case; without: the tasks assigned to
 * the session's user in every case they may read. Open tasks first by due
 * date; done ones only with include_done. */
dl_status task_list(dl_session *s, const char *case_number, int include_done,
                    dl_task_list *out, dl_err *err);

/* Mark a task done (write rights on its case). A task already done is
 * DL_EINVAL. */
dl_status task_done(dl_session *s, long long task_id, dl_err *err);

/* Delete a task, open or done (write rights on its case). The deleted row
 * stays in the audit log. */
dl_status task_delete(dl_session *s, long long id, dl_err *err);

void task_free(dl_task *t);
void task_list_free(dl_task_list *l);

#endif
