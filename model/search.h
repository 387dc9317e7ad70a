/* search.h — global search over cases (number, titles, summaries), persons
 * (names and aliases), identifiers, evidence item names and examiner notes,
 * Arabic-aware (model/fold.h) and ranked with SQLite FTS5.
 *
 * Need-to-know: every match counts, but the matches in a case the session may
 * not read fold into one result that says only that the case holds some, its
 * number and its lead investigator to ask — no content (as links.h does). */
#ifndef DALIL_SEARCH_H
#define DALIL_SEARCH_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"

typedef enum dl_search_kind {
	DL_SEARCH_CASE = 1,
	DL_SEARCH_PERSON,
	DL_SEARCH_IDENTIFIER,
	DL_SEARCH_ITEM,            /* an evidence item's name (its path) */
	DL_SEARCH_NOTE,            /* an evidence item's examiner note */
} dl_search_kind;

/* "", "case", "person", "identifier", "item", "note" — index = dl_search_kind. */
extern const char *const search_kind_names[];

/* Results per page. */
#define DL_SEARCH_PAGE 20
/* The longest query, in bytes. */
#define DL_SEARCH_MAX 200

/* One result. Strings are owned by the record; NULL when absent or restricted. */
typedef struct dl_search_hit {
	dl_search_kind kind;       /* of the best match (restricted: of one of them) */
	long long id;              /* the case's, person's, identifier's or item's id
	                              (a note: its item's); 0 when restricted */
	int exact;                 /* matched the folded text or the identifier value,
	                              not only by transliteration */
	long long case_id;         /* the case it is in (0: a person in no case); for a
	                              person in several, one the session may read */
	char *case_number;
	int restricted;            /* the session may not read that case */
	long long count;           /* restricted: the matches the case holds; else 1 */
	/* only when not restricted: */
	char *label;               /* case: Arabic title; person: Arabic name; identifier:
	                              value; item: path; note: the note */
	char *label2;              /* case: English title; person: Latin name; identifier:
	                              kind; note: its item's path */
	char *detail;              /* person: aliases ("a, b"); identifier: whose it is
	                              ("person NAME", "device TYPE MAKE MODEL", "item PATH") */
	long long person_id;       /* a person, or the person of an identifier */
	long long device_id;       /* the device of an identifier */
	long long item_id;         /* an item or note, or the item of an identifier */
	long long source_id;       /* that item's evidence source */
	/* always, so that a restricted result says whom to ask (NULL: no lead) */
	char *lead, *lead_name_ar, *lead_name_en;
} dl_search_hit;

typedef struct dl_search_results {
	dl_search_hit *v;
	size_t n;
	long long total;           /* results on every page */
	int page;                  /* this page, from 1 */
	int pages;                 /* at least 1 */
} dl_search_results;

/* Bring the index up to date (search_sync), then one page (from 1; past the
 * last gives an empty page) of the results for text, best first: an
 * identifier whose normalised value text is (a phone number in any format or
 * digits, an e-mail, an IMEI, …), then matches of the folded words (the last
 * one also as a prefix of at least 3 letters), then matches by transliteration
 * only; within each, by bm25. Empty text (nothing but spaces and punctuation)
 * or text over DL_SEARCH_MAX bytes is DL_EINVAL naming field "text"; a page
 * below 1 names "page". Any logged-in user may search. */
dl_status search_run(dl_session *s, const char *text, int page, dl_search_results *out,
                     dl_err *err);

void search_results_free(dl_search_results *r);

/* The page as a JSON array of {"kind" (null when restricted), "id", "exact", "case", "restricted",
 * "count", "label", "label2", "detail", "person_id", "device_id", "item_id",
 * "source_id", "lead", "lead_name_ar", "lead_name_en"} — null where the
 * record has NULL or 0. */
void search_results_json(json_w *w, const dl_search_results *r);

/* Index what changed since the last call (queued by the schema's triggers,
 * and items and identifiers above their watermarks) in one transaction.
 * Nothing is written when nothing changed. *indexed (may be NULL) gets the
 * number of documents written. */
dl_status search_sync(dl_store *st, long long *indexed, dl_err *err);

#endif
