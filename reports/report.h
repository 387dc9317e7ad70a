/* report.h — the reports dalil writes: a PDF (reports/pdf.h) with a JSON
 * companion FILE.json holding the same content, registered in the store with
 * its SHA-256 so that "dalil report verify" can recognise it later.
 *
 * A report's bytes depend only on the data and the report record: its time is
 * the creation date inside the PDF, so rendering the same data at the same
 * recorded time gives the same file. Data comes only through model/ calls,
 * with the session's rights (anyone who may read the case, clerks included). */
#ifndef DALIL_REPORT_H
#define DALIL_REPORT_H

#include "report_rec.h"
#include "session.h"
#include "status.h"

typedef struct report_opts {
	const char *case_number;  /* NULL (or "") for progress, required otherwise */
	const char *kind;         /* report_kinds_done */
	const char *lang;         /* ar | en */
	/* request only: comma-separated ids of identifiers recorded in the case
	 * (identifier_list), and the provider the letter is addressed to */
	const char *identifiers;
	const char *provider;
	int print;                /* send the written PDF to lp (report_print) */
	/* Arabic reports only (ignored in English): counts, sizes, page numbers
	 * and dates in Arabic-Indic digits (U+0660-U+0669). Hashes, IMEIs, phone
	 * numbers, serials, record ids, case numbers, paths and file names keep
	 * their Latin digits: they are copied and compared character by character. */
	int arabic_digits;
	/* every date of the report (not the times in tables of hashes) followed by
	 * its Umm al-Qura Hijri date: "2026-11-23 (3 Jumada al-Akhirah 1448 AH)" */
	int hijri;
} report_opts;

typedef struct report_result {
	long long id;             /* the registered report */
	char sha256[65];          /* of the PDF */
	char created_at[21];
	int pages;
	long long rows;           /* items (inventory), custody events (custody, court),
	                             cases (progress) or identifiers (request) */
	int printed;              /* o->print and lp accepted the file */
} report_result;

/* The kinds report_render can write, NULL-terminated: court, inventory,
 * custody, progress, request. */
extern const char *const report_kinds_done[];

/* 1 when the kind is about one case (every kind but progress). */
int report_kind_needs_case(const char *kind);

/* Write the report to out_path (and out_path + ".json"): through temporary
 * files in the same directory, renamed into place once the report is
 * registered. Nothing is left behind on failure.
 * Rights: reading the case (court, inventory, custody, request), supervisor or
 * admin (progress, DL_EPERM otherwise). Bad identifiers of a request letter are
 * DL_EINVAL with field "identifiers"; a missing provider, field "provider".
 * With o->print, a printing failure returns DL_EIO after the report has been
 * written and registered (res->id is set, res->printed is 0). */
dl_status report_render(dl_session *s, const report_opts *o, const char *out_path,
                        report_result *res, dl_err *err);

/* Send a PDF to the system's printer queue with "lp FILE". DL_EIO with a
 * message when lp is not installed, or fails (no printer configured: its own
 * message is quoted). lp's standard output is discarded. */
dl_status report_print(const char *path, dl_err *err);

/* SHA-256 of the file at path; then the report registered with it, or
 * DL_ENOTFOUND (the file is not a report dalil wrote, or it was changed). */
dl_status report_verify(dl_session *s, const char *path, dl_report_rec *out, char sha256[65],
                        dl_err *err);

/* The Umm al-Qura Hijri date (ICU's islamic-umalqura calendar) of the
 * Gregorian day that ymd starts with ("YYYY-MM-DD", anything after it ignored:
 * a time stamp gives its UTC day), written in lang (ar | en) with Latin
 * digits: "3 جمادى الآخرة 1448 هـ", "3 Jumada al-Akhirah 1448 AH".
 * DL_EINVAL when ymd is not a valid date or out is too small, DL_EIO when
 * ICU fails; out is "" then. */
dl_status report_hijri(const char *ymd, const char *lang, char *out, size_t outsz);

#endif
