/* dashboard.c — see dashboard.h. Every query is limited to the cases the
 * session may read (PERM_CASE_VISIBLE_SQL), even though only supervisors and
 * admins, who read every case, get this far: the rule stays in one place. */
#include "dashboard.h"
#include "i18n.h"
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

#define DL_STR_(x) #x
#define DL_STR(x) DL_STR_(x)

/* Room in *pv (an array of elements of size sz, n in use) for one more: 0,
 * or -1 without memory (*pv kept). Readers stop on -1 with DL_ENOMEM. */
static int grow(void *pv, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv = realloc(*(void **)pv, ncap * sz);
	if (!nv)
		return -1;
	*(void **)pv = nv;
	*cap = ncap;
	return 0;
}

/* strdup that notes a failure for store_oom_check (dashboard_load checks
 * once at the end). */
static char *dash_dup(const char *v)
{
	char *r = v ? strdup(v) : NULL;
	if (v && !r)
		store_oom_note();
	return r;
}

/* The end of a reading loop stopped by grow(): DL_ENOMEM. */
static dl_status nomem_end(sqlite3_stmt *q, dl_err *err)
{
	sqlite3_finalize(q);
	return store_nomem(err);
}

static dl_case_status status_of(const char *name)
{
	for (int i = 0; case_status_names[i]; i++)
		if (name && !strcmp(name, case_status_names[i]))
			return (dl_case_status)i;
	return DL_CASE_OPEN;
}

/* The session's rights and today's date, bound by name on any statement. */
static void bind_common(dl_session *s, sqlite3_stmt *q, char today[11])
{
	perm_bind(s, q);
	store_today(today);
	int i = sqlite3_bind_parameter_index(q, "@today");
	if (i)
		sqlite3_bind_text(q, i, today, -1, SQLITE_STATIC);
}

static dl_status finish(dl_session *s, sqlite3_stmt *q, int step, dl_err *err)
{
	dl_status rc = step == SQLITE_DONE ? DL_OK : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	return rc;
}

static dl_status load_status_counts(dl_session *s, dl_dashboard *d, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT c.status, count(*) FROM cases c WHERE " PERM_CASE_VISIBLE_SQL " GROUP BY c.status", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_common(s, q, today);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(q, 1);
		d->status_counts[status_of((const char *)sqlite3_column_text(q, 0))] += n;
		d->total_cases += n;
	}
	return finish(s, q, step, err);
}

#define DASH_CASE_COLS \
	"c.number, c.title_ar, c.title_en, c.status, (SELECT username FROM users u WHERE u.id = c.lead_id)," \
	" c.deadline, CAST(julianday(c.deadline) - julianday(@today) AS INTEGER)"

static void case_from_row(sqlite3_stmt *q, dl_dash_case *c)
{
	c->number = store_col_dup(q, 0);
	c->title_ar = store_col_dup(q, 1);
	c->title_en = store_col_dup(q, 2);
	c->status = status_of((const char *)sqlite3_column_text(q, 3));
	c->lead = store_col_dup(q, 4);
	c->deadline = store_col_dup(q, 5);
	c->days_left = sqlite3_column_int64(q, 6);
}

/* Runs q (bound) and collects its cases. */
static dl_status collect_cases(dl_session *s, sqlite3_stmt *q, dl_dash_case **out, size_t *n, dl_err *err)
{
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (grow(out, *n, &cap, sizeof **out) != 0)
			return nomem_end(q, err);
		case_from_row(q, &(*out)[(*n)++]);
	}
	return finish(s, q, step, err);
}

static dl_status load_deadlines(dl_session *s, dl_dashboard *d, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " DASH_CASE_COLS " FROM cases c WHERE c.status <> 'closed' AND " PERM_CASE_VISIBLE_SQL
		" AND julianday(c.deadline) - julianday(@today) < @soon ORDER BY c.deadline, c.number", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_common(s, q, today);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, "@soon"), DL_DASH_SOON_DAYS);
	return collect_cases(s, q, &d->deadlines, &d->ndeadlines, err);
}

static dl_status load_tasks(dl_session *s, dl_dashboard *d, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT t.id, c.number, t.title, u.username, t.due_date,"
		" CASE WHEN t.due_date IS NULL THEN 0"
		"      ELSE CAST(julianday(t.due_date) - julianday(@today) AS INTEGER) END,"
		" t.due_date IS NOT NULL AND t.due_date < @today"
		" FROM tasks t JOIN cases c ON c.id = t.case_id LEFT JOIN users u ON u.id = t.assignee_id"
		" WHERE t.done = 0 AND " PERM_CASE_VISIBLE_SQL
		" ORDER BY 7 DESC, t.due_date IS NULL, t.due_date, c.number, t.id", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_common(s, q, today);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (grow(&d->tasks, d->ntasks, &cap, sizeof *d->tasks) != 0)
			return nomem_end(q, err);
		dl_dash_task *t = &d->tasks[d->ntasks++];
		t->id = sqlite3_column_int64(q, 0);
		t->case_number = store_col_dup(q, 1);
		t->title = store_col_dup(q, 2);
		t->assignee = store_col_dup(q, 3);
		t->due_date = store_col_dup(q, 4);
		t->days_left = sqlite3_column_int64(q, 5);
		t->overdue = sqlite3_column_int(q, 6);
	}
	return finish(s, q, step, err);
}

/* A case user u leads or is assigned to. */
#define MEMBER_SQL \
	"(c.lead_id = u.id OR EXISTS (SELECT 1 FROM case_assignments m" \
	" WHERE m.case_id = c.id AND m.user_id = u.id))"

static dl_status load_load(dl_session *s, dl_dashboard *d, dl_err *err)
{
	/* investigators always appear (an idle one is news too); anyone else only
	 * when they carry open cases or tasks */
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT id, username, role, oc, odc, ot, odt FROM (SELECT u.id, u.username, u.role, u.disabled,"
		" (SELECT count(*) FROM cases c WHERE c.status <> 'closed' AND " MEMBER_SQL
		"  AND " PERM_CASE_VISIBLE_SQL ") AS oc,"
		" (SELECT count(*) FROM cases c WHERE c.status <> 'closed' AND c.deadline < @today AND " MEMBER_SQL
		"  AND " PERM_CASE_VISIBLE_SQL ") AS odc,"
		" (SELECT count(*) FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.done = 0"
		"  AND t.assignee_id = u.id AND " PERM_CASE_VISIBLE_SQL ") AS ot,"
		" (SELECT count(*) FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.done = 0"
		"  AND t.assignee_id = u.id AND t.due_date IS NOT NULL AND t.due_date < @today"
		"  AND " PERM_CASE_VISIBLE_SQL ") AS odt"
		" FROM users u)"
		" WHERE (role = 'investigator' AND disabled = 0) OR oc > 0 OR ot > 0"
		" ORDER BY oc DESC, odc DESC, ot DESC, username", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_common(s, q, today);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (grow(&d->load, d->nload, &cap, sizeof *d->load) != 0)
			return nomem_end(q, err);
		dl_dash_load *l = &d->load[d->nload++];
		l->user_id = sqlite3_column_int64(q, 0);
		l->username = store_col_dup(q, 1);
		const char *role = (const char *)sqlite3_column_text(q, 2);
		l->role = DL_ROLE_CLERK;
		for (int i = 0; dl_role_names[i]; i++)
			if (role && !strcmp(role, dl_role_names[i]))
				l->role = (dl_role)i;
		l->open_cases = sqlite3_column_int64(q, 3);
		l->overdue_cases = sqlite3_column_int64(q, 4);
		l->open_tasks = sqlite3_column_int64(q, 5);
		l->overdue_tasks = sqlite3_column_int64(q, 6);
	}
	return finish(s, q, step, err);
}

/* Cross-case hits from evidence in the last DL_DASH_HIT_DAYS days. Rows are
 * read newest first by rowid and the walk stops at the first older one, so
 * the cost follows what is recent, not the size of the identifiers table;
 * each value found is then looked up in the other cases (identifiers_value),
 * by the three rules of links.c: recorded in a case, or a person's or a
 * device's of it. */
typedef struct fresh {
	long long case_id;
	char *kind, *value, *at;
	long long items;
} fresh;

#define FRESH_MAX 4000   /* distinct values looked at; more than a screen can use */

static dl_status load_hits(dl_session *s, dl_dashboard *d, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT i.case_id, i.kind, i.value, i.created_at,"
		"       i.created_at >= date(@today, '-" DL_STR(DL_DASH_HIT_DAYS) " days')"
		"  FROM identifiers i WHERE i.item_id IS NOT NULL AND i.case_id IS NOT NULL"
		" ORDER BY i.id DESC", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_common(s, q, today);
	fresh *f = NULL;
	size_t nf = 0, capf = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW && sqlite3_column_int(q, 4)) {
		long long cid = sqlite3_column_int64(q, 0);
		const char *kind = (const char *)sqlite3_column_text(q, 1);
		const char *value = (const char *)sqlite3_column_text(q, 2);
		if (!kind || !value) {   /* NOT NULL columns: SQLite ran out of memory */
			store_oom_note();
			break;
		}
		size_t j = 0;
		while (j < nf && !(f[j].case_id == cid && !strcmp(f[j].kind, kind) && !strcmp(f[j].value, value)))
			j++;
		if (j < nf) {
			f[j].items++;
			continue;
		}
		if (nf == FRESH_MAX) {
			d->hits_more = 1;
			continue;
		}
		if (grow(&f, nf, &capf, sizeof *f) != 0) {
			store_oom_note();
			break;
		}
		f[nf] = (fresh){cid, dash_dup(kind), dash_dup(value), store_col_dup(q, 3), 1};
		if (!f[nf].kind || !f[nf].value) {
			free(f[nf].kind);
			free(f[nf].value);
			free(f[nf].at);
			break;   /* noted by dup */
		}
		nf++;
	}
	dl_status rc = step == SQLITE_ROW || step == SQLITE_DONE ? DL_OK : store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	sqlite3_stmt *o = rc == DL_OK ? store_prepare(s->store,
		"SELECT h.number, c.number FROM cases h, ("
		"  SELECT o.case_id AS cid FROM identifiers o"
		"   WHERE o.kind = @kind AND o.value = @value AND o.case_id <> @case"
		"  UNION SELECT cp.case_id FROM identifiers o JOIN case_persons cp ON cp.person_id = o.person_id"
		"   WHERE o.kind = @kind AND o.value = @value AND cp.case_id <> @case"
		"  UNION SELECT dv.case_id FROM identifiers o JOIN devices dv ON dv.id = o.device_id"
		"   WHERE o.kind = @kind AND o.value = @value AND dv.case_id <> @case) x"
		"  JOIN cases c ON c.id = x.cid"
		" WHERE h.id = @case AND EXISTS (SELECT 1 FROM cases c WHERE c.id = h.id AND "
		PERM_CASE_VISIBLE_SQL ")"
		" ORDER BY c.number", err) : NULL;
	if (rc == DL_OK && !o)
		rc = DL_EDB;
	size_t caph = 0;
	for (size_t j = 0; rc == DL_OK && j < nf; j++) {
		sqlite3_reset(o);
		bind_common(s, o, today);
		sqlite3_bind_int64(o, sqlite3_bind_parameter_index(o, "@case"), f[j].case_id);
		sqlite3_bind_text(o, sqlite3_bind_parameter_index(o, "@kind"), f[j].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(o, sqlite3_bind_parameter_index(o, "@value"), f[j].value, -1, SQLITE_STATIC);
		while ((step = sqlite3_step(o)) == SQLITE_ROW) {
			if (d->nhits == DL_DASH_HITS_MAX) {
				d->hits_more = 1;
				break;
			}
			if (grow(&d->hits, d->nhits, &caph, sizeof *d->hits) != 0) {
				rc = store_nomem(err);
				break;
			}
			d->hits[d->nhits++] = (dl_dash_hit){store_col_dup(o, 0), dash_dup(f[j].kind),
			                                   dash_dup(f[j].value), f[j].items, dash_dup(f[j].at),
			                                   store_col_dup(o, 1)};
		}
		if (rc == DL_OK && step != SQLITE_ROW && step != SQLITE_DONE)
			rc = store_sqlerr(s->store, err, "");
	}
	sqlite3_finalize(o);
	for (size_t j = 0; j < nf; j++) {
		free(f[j].kind);
		free(f[j].value);
		free(f[j].at);
	}
	free(f);
	return rc;
}

dl_status dashboard_load(dl_session *s, dl_dashboard *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	/* all of it or an error: a dashboard read short would hide work */
	unsigned long mark = store_oom_mark();
	dl_status rc = perm_supervise(s, err);
	if (rc == DL_OK)
		rc = load_status_counts(s, out, err);
	if (rc == DL_OK)
		rc = load_deadlines(s, out, err);
	if (rc == DL_OK)
		rc = request_list(s, NULL, 1, &out->overdue_requests, err);
	if (rc == DL_OK)
		rc = load_tasks(s, out, err);
	if (rc == DL_OK)
		rc = load_load(s, out, err);
	if (rc == DL_OK)
		rc = load_hits(s, out, err);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		dashboard_free(out);
	return rc;
}

dl_status dashboard_user_cases(dl_session *s, long long user_id, dl_dash_case **out, size_t *n,
                               dl_err *err)
{
	*out = NULL;
	*n = 0;
	dl_status rc = perm_supervise(s, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " DASH_CASE_COLS " FROM cases c, users u WHERE u.id = @user AND c.status <> 'closed'"
		" AND " MEMBER_SQL " AND " PERM_CASE_VISIBLE_SQL " ORDER BY c.deadline, c.number", err);
	if (!q)
		return DL_EDB;
	char today[11];
	bind_common(s, q, today);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "@user"), user_id);
	unsigned long mark = store_oom_mark();
	rc = collect_cases(s, q, out, n, err);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK) {
		dashboard_cases_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void dashboard_cases_free(dl_dash_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].number); free(v[i].title_ar); free(v[i].title_en);
		free(v[i].lead); free(v[i].deadline);
	}
	free(v);
}

void dashboard_free(dl_dashboard *d)
{
	dashboard_cases_free(d->deadlines, d->ndeadlines);
	request_list_free(&d->overdue_requests);
	for (size_t i = 0; i < d->ntasks; i++) {
		dl_dash_task *t = &d->tasks[i];
		free(t->case_number); free(t->title); free(t->assignee); free(t->due_date);
	}
	free(d->tasks);
	for (size_t i = 0; i < d->nload; i++)
		free(d->load[i].username);
	free(d->load);
	for (size_t i = 0; i < d->nhits; i++) {
		dl_dash_hit *h = &d->hits[i];
		free(h->case_number); free(h->kind); free(h->value); free(h->found_at); free(h->other_case);
	}
	free(d->hits);
	memset(d, 0, sizeof *d);
}

/* ---- evidence by type ---- */

dl_status evidence_type_counts(dl_session *s, long long source_id, dl_type_counts *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = store_case_of(s->store, "evidence_sources", source_id, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if (!case_id)
		return dl_err_set(err, DL_ENOTFOUND, "source", _("no source with id %lld"), source_id);
	rc = perm_case_read(s, case_id, err);
	if (rc != DL_OK)
		return rc;

	/* items_mime (source_id, mime) serves the grouping */
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT CASE WHEN mime IS NULL THEN '' WHEN instr(mime, '/') > 0"
		"  THEN substr(mime, 1, instr(mime, '/') - 1) ELSE mime END AS major, count(*)"
		" FROM evidence_items WHERE source_id = ? AND is_dir = 0 GROUP BY major ORDER BY 2 DESC, major",
		err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, source_id);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(q, 0);
		char *copy = type ? strdup(type) : NULL;
		if (!copy || grow(&out->v, out->n, &cap, sizeof *out->v) != 0) {
			free(copy);
			sqlite3_finalize(q);
			rc = store_nomem(err);
			goto fail;
		}
		dl_type_count *c = &out->v[out->n++];
		c->type = copy;
		c->n = sqlite3_column_int64(q, 1);
		out->files += c->n;
	}
	if ((rc = finish(s, q, step, err)) != DL_OK)
		goto fail;

	q = store_prepare(s->store,
		"SELECT coalesce(sum(is_dir), 0), coalesce(sum(problem IS NOT NULL AND problem <> ''), 0),"
		" coalesce(sum(encrypted <> 0), 0),"
		" (SELECT count(DISTINCT h.item_id) FROM item_hits h JOIN evidence_items i ON i.id = h.item_id"
		"  WHERE i.source_id = ?1)"
		" FROM evidence_items WHERE source_id = ?1", err);
	if (!q) {
		rc = DL_EDB;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, source_id);
	if ((step = sqlite3_step(q)) == SQLITE_ROW) {
		out->dirs = sqlite3_column_int64(q, 0);
		out->problems = sqlite3_column_int64(q, 1);
		out->encrypted = sqlite3_column_int64(q, 2);
		out->hits = sqlite3_column_int64(q, 3);
		step = SQLITE_DONE;
	}
	if ((rc = finish(s, q, step, err)) == DL_OK)
		return DL_OK;
fail:
	evidence_type_counts_free(out);
	return rc;
}

void evidence_type_counts_free(dl_type_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].type);
	free(c->v);
	memset(c, 0, sizeof *c);
}
