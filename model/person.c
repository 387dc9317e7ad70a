/* person.c — see person.h. */
#include "person.h"
#include "case.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const person_sex_names[] = {"male", "female", "unknown", NULL};
const char *const person_status_names[] = {
	"unknown", "at_large", "arrested", "detained", "released", NULL,
};
const char *const person_role_names[] = {"suspect", "victim", "witness", "informant", NULL};
const char *const person_network_role_names[] = {
	"recruiter", "transporter", "financier", "organiser", "facilitator", "guide", "forger",
	"money_courier", "other", NULL,
};
const char *const person_document_kinds[] = {
	"passport", "national_id", "residence_permit", "driving_licence", "other", NULL,
};

/* ---- checking input ------------------------------------------------------ */

/* A document as it will be stored. */
typedef struct doc_in {
	const char *kind;      /* points into person_document_kinds */
	char number[65];
	char country[3];       /* "" when not given */
} doc_in;

/* Everything of a dl_person_input that needed normalising, checked before the
 * transaction opens. Strings not listed here are stored as given. */
typedef struct checked {
	const char *sex, *status, *role, *network_role;  /* canonical names, NULL if not given/cleared */
	char born[11];
	char nationality[3];
	doc_in *docs;
	size_t ndocs;
	dl_ident_batch ids;
} checked;

static void checked_free(checked *c)
{
	free(c->docs);
	identifier_batch_free(&c->ids);
}

static int is_ascii_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* An ISO 3166 alpha-2 code, upper-cased. Only the shape is checked: a list of
 * countries would need updating, a typo in a valid shape is rare. */
static dl_status check_country(const char *field, const char *in, char out[3], dl_err *err)
{
	if (!in || strlen(in) != 2 || !is_ascii_alpha(in[0]) || !is_ascii_alpha(in[1]))
		return dl_err_set(err, DL_EINVAL, field,
		                  _("expected a two-letter country code (ISO 3166), e.g. LY, EG, MA, TN"));
	out[0] = (char)(in[0] & ~0x20);
	out[1] = (char)(in[1] & ~0x20);
	out[2] = '\0';
	return DL_OK;
}

/* An optional enumeration: NULL or "" leaves *out NULL. */
static dl_status check_enum(const char *field, const char *in, const char *const names[],
                            const char **out, dl_err *err)
{
	*out = NULL;
	if (!in || !*in)
		return DL_OK;
	int i;
	dl_status rc = val_enum(field, in, names, &i, err);
	if (rc == DL_OK)
		*out = names[i];
	return rc;
}

/* "kind:number[:country]". The number loses surrounding spaces, its digits
 * become ASCII and its letters upper case, so that the same passport typed two
 * ways is found as one. */
static dl_status parse_document(const char *in, doc_in *d, dl_err *err)
{
	static const char field[] = "document";
	memset(d, 0, sizeof *d);
	char buf[256];
	if (!in || val_digits_ascii(in, buf, sizeof buf) == (size_t)-1)
		return dl_err_set(err, DL_EINVAL, field, _("expected kind:number[:country], e.g. passport:P1234567:LY"));
	char *number = strchr(buf, ':');
	char *country = number ? strchr(number + 1, ':') : NULL;
	if (!number || (country && strchr(country + 1, ':')))
		return dl_err_set(err, DL_EINVAL, field, _("expected kind:number[:country], e.g. passport:P1234567:LY"));
	*number++ = '\0';
	if (country)
		*country++ = '\0';
	int k;
	dl_status rc = val_enum(field, buf, person_document_kinds, &k, err);
	if (rc != DL_OK)
		return rc;
	d->kind = person_document_kinds[k];
	while (*number == ' ' || *number == '\t')
		number++;
	size_t n = strlen(number);
	while (n > 0 && (number[n - 1] == ' ' || number[n - 1] == '\t'))
		number[--n] = '\0';
	if ((rc = val_text(field, number, sizeof d->number - 1, 1, 0, err)) != DL_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		d->number[i] = (number[i] >= 'a' && number[i] <= 'z') ? (char)(number[i] - 32) : number[i];
	d->number[n] = '\0';
	if (country && *country && (rc = check_country(field, country, d->country, err)) != DL_OK)
		return rc;
	return DL_OK;
}

static dl_status check_input(dl_store *st, const dl_person_input *in, int adding, checked *c,
                             dl_err *err)
{
	memset(c, 0, sizeof *c);
	dl_status rc;
	if ((rc = val_text("name-ar", in->name_ar, 300, adding, 0, err)) != DL_OK ||
	    (rc = val_text("name-lat", in->name_lat, 300, 0, 0, err)) != DL_OK ||
	    (rc = val_text("notes", in->notes, 20000, 0, 1, err)) != DL_OK)
		return rc;
	if (!adding && in->name_ar && !*in->name_ar)
		return dl_err_set(err, DL_EINVAL, "name-ar", _("the Arabic name cannot be removed"));
	if ((rc = check_enum("sex", in->sex, person_sex_names, &c->sex, err)) != DL_OK ||
	    (rc = check_enum("network-role", in->network_role, person_network_role_names,
	                     &c->network_role, err)) != DL_OK)
		return rc;
	/* The status always has a value: "" is not a way to clear it. */
	if (in->status) {
		int i;
		if ((rc = val_enum("status", in->status, person_status_names, &i, err)) != DL_OK)
			return rc;
		c->status = person_status_names[i];
	}
	if (adding) {
		if (!in->role || !*in->role)
			return dl_err_set(err, DL_EINVAL, "role",
			                  _("a role in the case is required: suspect, victim, witness or informant"));
		if ((rc = check_enum("role", in->role, person_role_names, &c->role, err)) != DL_OK)
			return rc;
	} else if (in->role) {
		return dl_err_set(err, DL_EINVAL, "role",
		                  _("roles belong to a case: use \"dalil person link\" to add one"));
	}
	if (in->birth_date && *in->birth_date) {
		if ((rc = val_date("born", in->birth_date, c->born, err)) != DL_OK)
			return rc;
		char today[11];
		store_today(today);
		if (strcmp(c->born, today) > 0)
			return dl_err_set(err, DL_EINVAL, "born",
			                  _("expected a birth date not after today, got %s"), c->born);
	}
	if (in->nationality && *in->nationality &&
	    (rc = check_country("nationality", in->nationality, c->nationality, err)) != DL_OK)
		return rc;
	for (size_t i = 0; i < in->naliases; i++)
		if ((rc = val_text("alias", in->aliases[i], 300, 1, 0, err)) != DL_OK)
			return rc;
	if (in->ndocuments) {
		c->docs = calloc(in->ndocuments, sizeof *c->docs);
		if (!c->docs)
			return dl_err_set(err, DL_ENOMEM, "document", _("out of memory"));
		for (size_t i = 0; i < in->ndocuments; i++, c->ndocs++)
			if ((rc = parse_document(in->documents[i], &c->docs[i], err)) != DL_OK)
				return rc;
	}
	for (size_t i = 0; i < in->nphones; i++)
		if ((rc = identifier_batch_add(st, &c->ids, "phone", in->phones[i], err)) != DL_OK)
			return rc;
	for (size_t i = 0; i < in->nemails; i++)
		if ((rc = identifier_batch_add(st, &c->ids, "email", in->emails[i], err)) != DL_OK)
			return rc;
	return DL_OK;
}

/* ---- writing ------------------------------------------------------------- */

/* Aliases, documents and identifiers of c for person pid; repeats of what the
 * person already has are skipped. */
static dl_status add_details(dl_store *st, long long pid, long long case_id,
                             const dl_person_input *in, const checked *c, dl_err *err)
{
	dl_status rc = DL_OK;
	sqlite3_stmt *q = NULL;
	if (in->naliases) {
		q = store_prepare(st, "INSERT OR IGNORE INTO person_aliases (person_id, alias) VALUES (?, ?)", err);
		if (!q)
			return DL_EDB;
		for (size_t i = 0; i < in->naliases && rc == DL_OK; i++) {
			sqlite3_reset(q);
			sqlite3_bind_int64(q, 1, pid);
			sqlite3_bind_text(q, 2, in->aliases[i], -1, SQLITE_STATIC);
			rc = store_step_done(st, q, err, "alias");
		}
		sqlite3_finalize(q);
	}
	if (rc == DL_OK && c->ndocs) {
		q = store_prepare(st,
			"INSERT INTO person_documents (person_id, kind, number, country)"
			" SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM person_documents"
			"  WHERE person_id = ?1 AND kind = ?2 AND number = ?3 AND country IS ?4)", err);
		if (!q)
			return DL_EDB;
		for (size_t i = 0; i < c->ndocs && rc == DL_OK; i++) {
			sqlite3_reset(q);
			sqlite3_bind_int64(q, 1, pid);
			sqlite3_bind_text(q, 2, c->docs[i].kind, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, c->docs[i].number, -1, SQLITE_STATIC);
			store_bind_text(q, 4, c->docs[i].country);
			rc = store_step_done(st, q, err, "document");
		}
		sqlite3_finalize(q);
	}
	if (rc == DL_OK)
		rc = identifier_batch_insert(st, &c->ids, case_id, pid, 0, err);
	return rc;
}

static dl_status insert_role(dl_store *st, long long case_id, long long pid, const char *role,
                             const char *network_role, const char *case_number, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO case_persons (case_id, person_id, role, network_role) VALUES (?,?,?,?)", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, pid);
	sqlite3_bind_text(q, 3, role, -1, SQLITE_STATIC);
	store_bind_text(q, 4, network_role);
	dl_status rc = store_step_done(st, q, err, "role");
	sqlite3_finalize(q);
	if (rc == DL_EEXIST)
		/* TRANSLATORS: person %lld is already a <role> in case <number>. */
		dl_err_set(err, DL_EEXIST, "role", _("person %lld is already a %s in case %s"),
		           pid, role, case_number);
	return rc;
}

dl_status person_add(dl_session *s, const char *case_number, const dl_person_input *in,
                     long long *id, dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	checked c;
	if ((rc = check_input(s->store, in, 1, &c, err)) != DL_OK) {
		checked_free(&c);
		return rc;
	}
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK) {
		checked_free(&c);
		return rc;
	}
	char now[21];
	store_now(now);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO persons (name_ar, name_lat, sex, birth_date, nationality, status, notes,"
		" created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", err);
	rc = q ? DL_OK : DL_EDB;
	long long pid = 0;
	if (q) {
		sqlite3_bind_text(q, 1, in->name_ar, -1, SQLITE_STATIC);
		store_bind_text(q, 2, in->name_lat);
		store_bind_text(q, 3, c.sex);
		store_bind_text(q, 4, c.born);
		store_bind_text(q, 5, c.nationality);
		sqlite3_bind_text(q, 6, c.status ? c.status : "unknown", -1, SQLITE_STATIC);
		store_bind_text(q, 7, in->notes);
		store_bind_id(q, 8, s->user_id);
		sqlite3_bind_text(q, 9, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 10, now, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, "name-ar");
		sqlite3_finalize(q);
		pid = sqlite3_last_insert_rowid(st->db);
	}
	if (rc == DL_OK)
		rc = insert_role(st, case_id, pid, c.role, c.network_role, case_number, err);
	if (rc == DL_OK)
		rc = add_details(st, pid, case_id, in, &c, err);
	checked_free(&c);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, err)) == DL_OK && id)
		*id = pid;
	return rc;
}

/* ---- access -------------------------------------------------------------- */

/* The cases of the person the session may read (write = 0) or change (1),
 * lowest id first, into *ids (malloc'ed, the caller frees). DL_ENOTFOUND when
 * there is no such person, DL_EPERM when no case qualifies. The rules stay
 * those of perm_case_read/perm_case_write: a person has few cases. */
static dl_status person_cases(dl_session *s, long long pid, int write, long long **ids,
                              size_t *n, dl_err *err)
{
	*ids = NULL;
	*n = 0;
	if (pid <= 0)
		return dl_err_set(err, DL_EINVAL, "id", _("expected a positive whole number"));
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT p.id, cp.case_id FROM persons p LEFT JOIN case_persons cp ON cp.person_id = p.id"
		" WHERE p.id = ? GROUP BY cp.case_id ORDER BY cp.case_id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, pid);
	int exists = 0, step;
	size_t cap = 0;
	dl_status rc = DL_OK;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		exists = 1;
		long long cid = sqlite3_column_int64(q, 1);
		if (cid <= 0)
			continue;
		dl_err why;
		rc = write ? perm_case_write(s, cid, &why) : perm_case_read(s, cid, &why);
		if (rc == DL_EPERM || rc == DL_ENOTFOUND) {   /* a case not theirs */
			rc = DL_OK;
			continue;
		}
		if (rc != DL_OK) {   /* the check itself failed */
			if (err)
				*err = why;
			break;
		}
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 4;
			long long *v = realloc(*ids, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			*ids = v;
			cap = ncap;
		}
		(*ids)[(*n)++] = cid;
	}
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(s->store, err, "");
	sqlite3_finalize(q);
	if (rc != DL_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	if (!exists)
		return dl_err_set(err, DL_ENOTFOUND, "id", _("no person with id %lld"), pid);
	if (*n > 0)
		return DL_OK;
	if (write && s->role == DL_ROLE_CLERK)
		return dl_err_set(err, DL_EPERM, "", _("clerks may read cases and make reports, not change them"));
	return write
		? dl_err_set(err, DL_EPERM, "", _("person %lld is in no case you may change"), pid)
		: dl_err_set(err, DL_EPERM, "", _("person %lld is in no case you may read"), pid);
}

dl_status person_link(dl_session *s, long long person_id, const char *case_number,
                      const char *role, const char *network_role, dl_err *err)
{
	long long case_id, *readable;
	size_t nreadable;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if ((rc = person_cases(s, person_id, 0, &readable, &nreadable, err)) != DL_OK)
		return rc;
	free(readable);
	const char *r, *nr;
	if (!role || !*role)
		return dl_err_set(err, DL_EINVAL, "role",
		                  _("a role in the case is required: suspect, victim, witness or informant"));
	if ((rc = check_enum("role", role, person_role_names, &r, err)) != DL_OK ||
	    (rc = check_enum("network-role", network_role, person_network_role_names, &nr, err)) != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	rc = insert_role(st, case_id, person_id, r, nr, case_number, err);
	return store_end(st, rc, err);
}

/* The single count a query on (a, b) gives, or -1 when SQLite fails (err set). */
static long long count_where(dl_store *st, const char *sql, long long a, long long b, dl_err *err)
{
	sqlite3_stmt *q = store_prepare(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	long long n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	if (n < 0)
		store_sqlerr(st, err, "");
	sqlite3_finalize(q);
	return n;
}

dl_status person_unlink(dl_session *s, long long person_id, const char *case_number, dl_err *err)
{
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 1, &case_id, err);
	if (rc != DL_OK)
		return rc;
	if (person_id <= 0)
		return dl_err_set(err, DL_EINVAL, "id", _("expected a positive whole number"));
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	/* checked inside the transaction: nobody links or assigns in between */
	long long roles = count_where(st, "SELECT count(*) FROM case_persons WHERE case_id = ? AND person_id = ?",
	                              case_id, person_id, err);
	long long owned = roles > 0 ? count_where(st,
		"SELECT count(*) FROM devices WHERE case_id = ? AND owner_id = ?", case_id, person_id, err) : 0;
	if (roles < 0 || owned < 0)
		rc = DL_EDB;
	else if (roles == 0)
		rc = dl_err_set(err, DL_ENOTFOUND, "id", _("person %lld is not in case %s"), person_id, case_number);
	else if (owned > 0)
		rc = dl_err_set(err, DL_EINVAL, "person",
		                P_("person %lld owns %lld device of this case: give it another owner first",
		                   "person %lld owns %lld devices of this case: give them another owner first", owned),
		                person_id, owned);
	if (rc == DL_OK) {
		sqlite3_stmt *q = store_prepare(st, "DELETE FROM case_persons WHERE case_id = ? AND person_id = ?", err);
		rc = q ? DL_OK : DL_EDB;
		if (q) {
			sqlite3_bind_int64(q, 1, case_id);
			sqlite3_bind_int64(q, 2, person_id);
			rc = store_step_done(st, q, err, "id");
			sqlite3_finalize(q);
		}
	}
	return store_end(st, rc, err);
}

/* Set one column of persons when given ("" clears it). col is one of ours,
 * never the user's. */
dl_status person_edit(dl_session *s, long long person_id, const dl_person_input *in,
                      dl_err *err)
{
	long long *writable;
	size_t nwritable;
	dl_status rc = person_cases(s, person_id, 1, &writable, &nwritable, err);
	if (rc != DL_OK)
		return rc;
	checked c;
	if ((rc = check_input(s->store, in, 0, &c, err)) != DL_OK) {
		checked_free(&c);
		free(writable);
		return rc;
	}
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK) {
		checked_free(&c);
		free(writable);
		return rc;
	}
	int changes_before = sqlite3_total_changes(st->db);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "name_ar", in->name_ar, in->name_ar, err);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "name_lat", in->name_lat, in->name_lat, err);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "sex", in->sex, c.sex, err);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "birth_date", in->birth_date, c.born, err);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "nationality", in->nationality, c.nationality, err);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "status", in->status, c.status, err);
	if (rc == DL_OK) rc = store_set_column(st, "persons", person_id, "notes", in->notes, in->notes, err);
	if (rc == DL_OK && in->network_role) {
		sqlite3_stmt *q = store_prepare(st,
			"UPDATE case_persons SET network_role = ? WHERE person_id = ? AND case_id = ?", err);
		rc = q ? DL_OK : DL_EDB;
		for (size_t i = 0; q && i < nwritable && rc == DL_OK; i++) {
			sqlite3_reset(q);
			store_bind_text(q, 1, c.network_role);
			sqlite3_bind_int64(q, 2, person_id);
			sqlite3_bind_int64(q, 3, writable[i]);
			rc = store_step_done(st, q, err, "network-role");
		}
		sqlite3_finalize(q);
	}
	if (rc == DL_OK)
		rc = add_details(st, person_id, writable[0], in, &c, err);
	if (rc == DL_OK && sqlite3_total_changes(st->db) != changes_before) {
		char now[21];
		store_now(now);
		rc = store_set_column(st, "persons", person_id, "updated_at", now, now, err);
	}
	checked_free(&c);
	free(writable);
	return store_end(st, rc, err);
}

/* ---- reading ------------------------------------------------------------- */

#define PERSON_COLS \
	"p.id, p.name_ar, p.name_lat, p.sex, p.birth_date, p.nationality, p.status, p.notes," \
	" p.created_at, p.updated_at"

static void person_from_row(sqlite3_stmt *q, dl_person *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(q, 0);
	p->name_ar = store_col_dup(q, 1);
	p->name_lat = store_col_dup(q, 2);
	p->sex = store_col_dup(q, 3);
	p->birth_date = store_col_dup(q, 4);
	p->nationality = store_col_dup(q, 5);
	p->status = store_col_dup(q, 6);
	p->notes = store_col_dup(q, 7);
	p->created_at = store_col_dup(q, 8);
	p->updated_at = store_col_dup(q, 9);
}

/* Room for one more element of size sz in *v (n in use): 0, or -1 when
 * memory is out (*v is kept as it was). */
static int grow(void *v, size_t n, size_t sz)
{
	void *r = realloc(*(void **)v, (n + 1) * sz);
	if (!r)
		return -1;
	*(void **)v = r;
	return 0;
}

/* The end of one reading loop: DL_OK when it ran to SQLITE_DONE, else the
 * error (rc when one was already set). */
static dl_status loop_end(dl_store *st, dl_status rc, int step, dl_err *err)
{
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(st, err, "");
	return rc;
}

dl_status person_get(dl_session *s, long long person_id, dl_person *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long *readable;
	size_t nreadable;
	dl_status rc = person_cases(s, person_id, 0, &readable, &nreadable, err);
	if (rc != DL_OK)
		return rc;
	dl_store *st = s->store;
	sqlite3_stmt *q = store_prepare(st, "SELECT " PERSON_COLS " FROM persons p WHERE p.id = ?", err);
	if (!q) {
		free(readable);
		return DL_EDB;
	}
	sqlite3_bind_int64(q, 1, person_id);
	/* all of it or an error, never a shorter person */
	unsigned long mark = store_oom_mark();
	int row, step = SQLITE_DONE;
	rc = store_step_one(st, q, &row, err);
	if (rc == DL_OK && row)
		person_from_row(q, out);
	else if (rc == DL_OK)
		rc = dl_err_set(err, DL_ENOTFOUND, "id", _("no person with id %lld"), person_id);
	sqlite3_finalize(q);
	if (rc != DL_OK) {
		free(readable);
		return rc;
	}
	if ((q = store_prepare(st, "SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY id", err))) {
		sqlite3_bind_int64(q, 1, person_id);
		while ((step = sqlite3_step(q)) == SQLITE_ROW) {
			if (grow(&out->aliases, out->naliases, sizeof *out->aliases) != 0) {
				rc = store_nomem(err);
				break;
			}
			out->aliases[out->naliases++] = store_col_dup(q, 0);
		}
		rc = loop_end(st, rc, step, err);
		sqlite3_finalize(q);
	} else {
		rc = DL_EDB;
	}
	if (rc == DL_OK && (q = store_prepare(st, "SELECT id, kind, number, country, expires FROM person_documents"
	                                          " WHERE person_id = ? ORDER BY id", err))) {
		sqlite3_bind_int64(q, 1, person_id);
		while ((step = sqlite3_step(q)) == SQLITE_ROW) {
			if (grow(&out->documents, out->ndocuments, sizeof *out->documents) != 0) {
				rc = store_nomem(err);
				break;
			}
			dl_person_document *d = &out->documents[out->ndocuments++];
			d->id = sqlite3_column_int64(q, 0);
			d->kind = store_col_dup(q, 1);
			d->number = store_col_dup(q, 2);
			d->country = store_col_dup(q, 3);
			d->expires = store_col_dup(q, 4);
		}
		rc = loop_end(st, rc, step, err);
		sqlite3_finalize(q);
	} else if (rc == DL_OK) {
		rc = DL_EDB;
	}
	if (rc == DL_OK)
		rc = identifier_load(st, person_id, 0, &out->identifiers, err);
	if (rc == DL_OK && (q = store_prepare(st, "SELECT c.id, c.number, cp.role, cp.network_role FROM case_persons cp"
	                                          " JOIN cases c ON c.id = cp.case_id WHERE cp.person_id = ?"
	                                          " ORDER BY c.number, cp.id", err))) {
		sqlite3_bind_int64(q, 1, person_id);
		while ((step = sqlite3_step(q)) == SQLITE_ROW) {
			long long cid = sqlite3_column_int64(q, 0);
			int visible = 0;
			for (size_t i = 0; i < nreadable && !visible; i++)
				visible = readable[i] == cid;
			if (!visible)
				continue;
			if (grow(&out->cases, out->ncases, sizeof *out->cases) != 0) {
				rc = store_nomem(err);
				break;
			}
			dl_person_case *pc = &out->cases[out->ncases++];
			pc->case_id = cid;
			pc->number = store_col_dup(q, 1);
			pc->role = store_col_dup(q, 2);
			pc->network_role = store_col_dup(q, 3);
		}
		rc = loop_end(st, rc, step, err);
		sqlite3_finalize(q);
	} else if (rc == DL_OK) {
		rc = DL_EDB;
	}
	free(readable);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		person_free(out);
	return rc;
}

dl_status person_list(dl_session *s, const char *case_number, dl_person_list *out, dl_err *err)
{
	memset(out, 0, sizeof *out);
	long long case_id;
	dl_status rc = case_resolve(s, case_number, 0, &case_id, err);
	if (rc != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(s->store,
		"SELECT " PERSON_COLS ", cp.role, cp.network_role,"
		" (SELECT count(*) FROM person_documents d WHERE d.person_id = p.id),"
		" (SELECT count(*) FROM identifiers i WHERE i.person_id = p.id)"
		" FROM case_persons cp JOIN persons p ON p.id = cp.person_id WHERE cp.case_id = ?"
		" ORDER BY p.id, cp.id", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, case_id);
	size_t cap = 0;
	unsigned long mark = store_oom_mark();
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			dl_person *v = realloc(out->v, ncap * sizeof *v);
			if (!v) {
				rc = store_nomem(err);
				break;
			}
			out->v = v;
			cap = ncap;
		}
		dl_person *p = &out->v[out->n++];
		person_from_row(q, p);
		p->role = store_col_dup(q, 10);
		p->network_role = store_col_dup(q, 11);
		p->document_count = sqlite3_column_int64(q, 12);
		p->identifier_count = sqlite3_column_int64(q, 13);
	}
	rc = loop_end(s->store, rc, step, err);
	sqlite3_finalize(q);
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		person_list_free(out);
	return rc;
}

void person_free(dl_person *p)
{
	free(p->name_ar); free(p->name_lat); free(p->sex); free(p->birth_date);
	free(p->nationality); free(p->status); free(p->notes);
	free(p->created_at); free(p->updated_at);
	free(p->role); free(p->network_role);
	for (size_t i = 0; i < p->naliases; i++)
		free(p->aliases[i]);
	free(p->aliases);
	for (size_t i = 0; i < p->ndocuments; i++) {
		free(p->documents[i].kind); free(p->documents[i].number);
		free(p->documents[i].country); free(p->documents[i].expires);
	}
	free(p->documents);
	identifier_list_free(&p->identifiers);
	for (size_t i = 0; i < p->ncases; i++) {
		free(p->cases[i].number); free(p->cases[i].role); free(p->cases[i].network_role);
	}
	free(p->cases);
	memset(p, 0, sizeof *p);
}

void person_list_free(dl_person_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		person_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
