/* report.c — see report.h. The court report, the evidence inventory, the
 * chain of custody, the supervisor's progress report and the request letter to
 * a provider, in Arabic or English. Every value taken from the store is
 * bidi-isolated before it is put into a sentence or a cell. */
#include "report.h"
#include "validate.h"
#include "case.h"
#include "custody.h"
#include "dashboard.h"
#include "device.h"
#include "evidence.h"
#include "i18n.h"
#include "identifier.h"
#include "json.h"
#include "links.h"
#include "pdf.h"
#include "person.h"
#include "request.h"
#include "settings.h"
#include "user.h"

/* Links listed in a court report: those of persons and devices come first;
 * item-to-item links can run into the hundreds of thousands. */
#define REPORT_LINKS_MAX 500

#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unicode/ucal.h>
#include <unistd.h>

extern char **environ;

const char *const report_kinds_done[] = {"court", "inventory", "custody", "progress", "request", NULL};

extern int _nl_msg_cat_cntr;    /* glibc: bumping it makes gettext reread LANGUAGE */

/* Items read from the store per page: memory stays flat however many items. */
#define ITEM_PAGE 500

/* index = dl_custody_event_kind; the same texts as the custody tab */
static const char *const event_labels[] = {
	N_("seized"), N_("sealed"), N_("transferred"), N_("received"), N_("extracted"),
	N_("ingested"), N_("examined"), N_("reported on"), N_("returned"), N_("destroyed"),
};

/* A case's counts in the progress report. */
typedef struct case_counts {
	long long persons, devices, items, requests, overdue_requests;
} case_counts;

typedef struct rctx {
	dl_session *s;
	const report_opts *o;
	dl_case c;
	const char *created;
	char unit[512];               /* the unit's name in the report's language */
	dl_device_list devices;
	dl_source_list sources;
	dl_custody_list custody;
	long long nitems;
	/* court */
	dl_person_list persons;
	dl_identifier_list idents;    /* also request */
	dl_link_list links;
	dl_user *examiners;           /* the lead first, then the assigned */
	size_t nexaminers;
	/* progress */
	dl_case_list cases;
	case_counts *counts;          /* index = cases */
	dl_dashboard dash;
	int have_dash;
	/* request: the chosen identifiers, pointers into idents */
	const dl_identifier **chosen;
	size_t nchosen;
} rctx;

static int is_kind(const rctx *r, const char *kind)
{
	return !strcmp(r->o->kind, kind);
}

/* ---- the language of the report ---- */

/* The report is written in o->lang whatever the interface language is. */
static char *lang_push(const char *lang)
{
	const char *old = getenv("LANGUAGE");
	char *saved = old ? strdup(old) : NULL;
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
	return saved;
}

static void lang_pop(char *saved)
{
	if (saved)
		setenv("LANGUAGE", saved, 1);
	else
		unsetenv("LANGUAGE");
	++_nl_msg_cat_cntr;
	free(saved);
}

/* ---- numbers and dates ---- */

/* Arabic-Indic digits: only an Arabic report that asks for them. */
static int ar_digits(const rctx *r)
{
	return r->o->arabic_digits && !strcmp(r->o->lang, "ar");
}

/* in with its ASCII digits turned to Arabic-Indic ones (U+0660 + n, two bytes
 * in UTF-8) in out, when the report asks for them; else in itself. Counts,
 * sizes and dates only: identifiers never come through here. */
static const char *digits_to(const rctx *r, const char *in, char *out, size_t outsz)
{
	if (!in || !ar_digits(r))
		return in;
	size_t n = 0;
	for (const char *p = in; *p && n + 3 < outsz; p++) {
		if (*p >= '0' && *p <= '9') {
			out[n++] = (char)0xD9;
			out[n++] = (char)(0xA0 + (*p - '0'));
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

/* A count or a size, left to right inside the sentence. */
static const char *num(pdf_doc *d, const rctx *r, long long v)
{
	char a[32], b[64];
	snprintf(a, sizeof a, "%lld", v);
	return pdf_iso_ltr(d, digits_to(r, a, b, sizeof b));
}

/* A date or a time stamp ("YYYY-MM-DD…"), with its Hijri date after sep when
 * the report asks for it; "-" for none. */
static const char *date_text(pdf_doc *d, const rctx *r, const char *v, const char *sep)
{
	if (!v || !*v)
		return "-";
	char g[128], h[128], hd[256];
	const char *greg;
	if (ar_digits(r)) {
		/* Arabic-Indic digits are Arabic numbers to the bidi algorithm: between
		 * the Latin "T" and "Z" of a time stamp they would scatter the date
		 * around the time. "date time UTC" in a right-to-left isolate reads,
		 * from the right, year, month, day, time, zone. */
		char t[128];
		size_t n = strlen(v);
		int utc = n > 10 && v[n - 1] == 'Z';
		snprintf(t, sizeof t, "%.*s%s%s", (int)(utc ? n - 1 : n), v, utc ? " " : "", utc ? _("UTC") : "");
		if (n > 10 && t[10] == 'T')
			t[10] = ' ';
		greg = pdf_fmt(d, "\xE2\x81\xA7%s\xE2\x81\xA9", digits_to(r, t, g, sizeof g));
	} else {
		greg = pdf_iso_ltr(d, v);
	}
	if (!r->o->hijri || report_hijri(v, r->o->lang, h, sizeof h) != DL_OK)
		return greg;
	/* FSI: the Hijri date reads in the report's language */
	return pdf_fmt(d, "%s%s(%s)", greg, sep, pdf_iso(d, digits_to(r, h, hd, sizeof hd)));
}

/* The Hijri months, in the order of ICU's UCAL_MONTH (0 = Muharram). Our own
 * table: ICU's names depend on the locale data installed. */
static const char *const hijri_months_ar[12] = {
	"محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
	"رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
};
static const char *const hijri_months_en[12] = {
	"Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Akhir", "Jumada al-Ula", "Jumada al-Akhirah",
	"Rajab", "Sha'ban", "Ramadan", "Shawwal", "Dhu al-Qa'dah", "Dhu al-Hijjah",
};

dl_status report_hijri(const char *ymd, const char *lang, char *out, size_t outsz)
{
	if (outsz)
		out[0] = '\0';
	if (!ymd || strlen(ymd) < 10 || (ymd[10] && ymd[10] != 'T' && ymd[10] != ' '))
		return DL_EINVAL;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? ymd[i] != '-' : ymd[i] < '0' || ymd[i] > '9')
			return DL_EINVAL;
	int y = atoi(ymd), m = atoi(ymd + 5), d = atoi(ymd + 8);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return DL_EINVAL;
	/* noon UTC of that day, read in UTC: no time zone can move it to another day */
	static const UChar utc[] = {'U', 'T', 'C', 0};
	UErrorCode st = U_ZERO_ERROR;
	UCalendar *cal = ucal_open(utc, -1, "en@calendar=islamic-umalqura", UCAL_DEFAULT, &st);
	if (U_FAILURE(st))
		return DL_EIO;
	/* without the calendar's data ICU would quietly answer in Gregorian */
	const char *type = ucal_getType(cal, &st);
	if (U_FAILURE(st) || !type || strcmp(type, "islamic-umalqura")) {
		ucal_close(cal);
		return DL_EIO;
	}
	ucal_setMillis(cal, (UDate)val_days_from_civil(y, m, d) * 86400000.0 + 43200000.0, &st);
	int32_t hy = ucal_get(cal, UCAL_YEAR, &st);
	int32_t hm = ucal_get(cal, UCAL_MONTH, &st);
	int32_t hd = ucal_get(cal, UCAL_DATE, &st);
	ucal_close(cal);
	if (U_FAILURE(st) || hm < 0 || hm > 11)
		return DL_EIO;
	int ar = lang && !strcmp(lang, "ar");
	int n = snprintf(out, outsz, ar ? "%d %s %d هـ" : "%d %s %d AH", (int)hd,
	                 ar ? hijri_months_ar[hm] : hijri_months_en[hm], (int)hy);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz)
			out[0] = '\0';
		return DL_EINVAL;
	}
	return DL_OK;
}

static const char *page_label(char *out, size_t outsz, int page, int pages, void *ctx)
{
	const rctx *r = ctx;
	char a[16], b[16], ad[32], bd[32], n[48], m[48];
	snprintf(a, sizeof a, "%d", page);
	snprintf(b, sizeof b, "%d", pages);
	/* LRI … PDI: the numbers stay numbers in an Arabic sentence */
	snprintf(n, sizeof n, "\xE2\x81\xA6%s\xE2\x81\xA9", digits_to(r, a, ad, sizeof ad));
	snprintf(m, sizeof m, "\xE2\x81\xA6%s\xE2\x81\xA9", digits_to(r, b, bd, sizeof bd));
	/* TRANSLATORS: page footer of a report: "page 2 of 7". */
	snprintf(out, outsz, _("page %s of %s"), n, m);
	return out;
}

static const char *kind_title(const char *kind)
{
	if (!strcmp(kind, "court"))
		return _("Forensic examination report");
	if (!strcmp(kind, "inventory"))
		return _("Evidence inventory");
	if (!strcmp(kind, "progress"))
		return _("Supervisor progress report");
	if (!strcmp(kind, "request"))
		return _("Request to preserve and disclose data");
	return _("Chain of custody");
}

int report_kind_needs_case(const char *kind)
{
	return !kind || strcmp(kind, "progress") != 0;
}

/* A stored enumeration value to its translated label; the value itself when
 * the table does not know it. */
static const char *label_of(const char *const *names, const char *const *labels, const char *v)
{
	for (int i = 0; v && names[i]; i++)
		if (!strcmp(names[i], v))
			return _(labels[i]);
	return v ? v : "-";
}

static const char *person_role_label(const char *role)
{
	static const char *const names[] = {"suspect", "victim", "witness", "informant", NULL};
	static const char *const labels[] = {N_("suspect"), N_("victim"), N_("witness"), N_("informant")};
	return label_of(names, labels, role);
}

static const char *person_status_label(const char *st)
{
	static const char *const names[] = {"unknown", "at_large", "arrested", "detained", "released", NULL};
	static const char *const labels[] = {N_("status unknown"), N_("at large"), N_("arrested"), N_("detained"),
	                                     N_("released")};
	return label_of(names, labels, st);
}

static const char *network_role_label(const char *role)
{
	static const char *const names[] = {"recruiter", "transporter", "financier", "organiser", "facilitator",
	                                    "guide", "forger", "money_courier", "other", NULL};
	static const char *const labels[] = {
		N_("recruiter"), N_("transporter"), N_("financier"), N_("organiser"), N_("facilitator"),
		N_("guide"), N_("forger"), N_("money courier"), N_("other role"),
	};
	return label_of(names, labels, role);
}

static const char *ident_kind_label(const char *kind)
{
	static const char *const names[] = {"phone", "email", "social", "url", "imei", "imsi", "iccid",
	                                    "btc", "eth", "tron", "iban", NULL};
	static const char *const labels[] = {
		N_("phone number"), N_("e-mail address"), N_("social media account"), N_("web address"),
		N_("IMEI"), N_("IMSI"), N_("ICCID"), N_("Bitcoin address"), N_("Ethereum address"),
		N_("TRON address"), N_("IBAN"),
	};
	return label_of(names, labels, kind);
}

static const char *source_kind_label(const char *kind)
{
	static const char *const names[] = {"archive", "file", "folder", NULL};
	static const char *const labels[] = {N_("archive"), N_("file"), N_("folder")};
	return label_of(names, labels, kind);
}

static const char *source_status_label(const char *st)
{
	static const char *const names[] = {"complete", "incomplete", "failed", "interrupted", NULL};
	static const char *const labels[] = {N_("complete"), N_("incomplete"), N_("failed"), N_("interrupted")};
	return label_of(names, labels, st);
}

static const char *device_type_label(const char *type)
{
	static const char *const names[] = {"phone", "sim", "computer", "tablet", "storage", "other", NULL};
	static const char *const labels[] = {
		N_("phone"), N_("SIM card"), N_("computer"), N_("tablet"), N_("storage medium"),
		N_("other device"),
	};
	for (int i = 0; type && names[i]; i++)
		if (!strcmp(names[i], type))
			return _(labels[i]);
	return type ? type : "-";
}

static const char *size_text(pdf_doc *d, const rctx *r, long long size)
{
	if (size < 0)
		return "-";
	return num(d, r, size);
}

/* "phone Samsung A12" */
static const char *device_name(pdf_doc *d, const dl_device *dv)
{
	return pdf_fmt(d, "%s %s %s", device_type_label(dv->type), pdf_iso(d, dv->make),
	               pdf_iso(d, dv->model));
}

/* ---- the common opening: case identity and the exhibits ---- */

static void case_block(pdf_doc *d, rctx *r)
{
	pdf_title(d, kind_title(r->o->kind));
	pdf_kv(d, _("Case number"), pdf_iso_ltr(d, r->c.number), PDF_NORMAL);
	pdf_kv(d, _("Title (Arabic)"), pdf_iso(d, r->c.title_ar), PDF_NORMAL);
	if (r->c.title_en)
		pdf_kv(d, _("Title (English)"), pdf_iso(d, r->c.title_en), PDF_NORMAL);
	pdf_kv(d, _("Status"), case_status_label(r->c.status), PDF_NORMAL);
	pdf_kv(d, _("Opened"), date_text(d, r, r->c.opened, " "), PDF_NORMAL);
	pdf_kv(d, _("Lead investigator"), pdf_iso(d, r->c.lead), PDF_NORMAL);
	if (r->c.jurisdiction)
		pdf_kv(d, _("Jurisdiction"), pdf_iso(d, r->c.jurisdiction), PDF_NORMAL);
	pdf_kv(d, _("Report generated by"), pdf_iso(d, r->s->username), PDF_NORMAL);
	pdf_kv(d, _("Report generated at"), date_text(d, r, r->created, " "), PDF_NORMAL);
}

static void devices_table(pdf_doc *d, rctx *r)
{
	pdf_heading(d, _("Devices"));
	if (r->devices.n == 0) {
		pdf_paragraph(d, _("No device is recorded in this case."), PDF_NORMAL);
		return;
	}
	static const double w[] = {0.07, 0.25, 0.26, 0.20, 0.22};
	const char *h[] = {_("No."), _("Device"), _("Serial and IMEI"), _("Owner"), _("Seal and condition")};
	pdf_table_begin(d, 5, w, h);
	for (size_t i = 0; i < r->devices.n; i++) {
		const dl_device *dv = &r->devices.v[i];
		dl_buf ids = {0};
		buf_adds(&ids, pdf_iso_ltr(d, dv->serial));
		for (size_t k = 0; k < dv->nimeis; k++) {
			buf_addc(&ids, '\n');
			buf_adds(&ids, pdf_iso_ltr(d, dv->imeis[k]));
		}
		const char *owner = dv->owner_name_ar ? pdf_fmt(d, "%s%s%s", pdf_iso(d, dv->owner_name_ar),
		                                                 dv->owner_name_lat ? "\n" : "",
		                                                 dv->owner_name_lat ? pdf_iso(d, dv->owner_name_lat) : "")
		                                      : "-";
		const char *cells[] = {
			pdf_iso_ltr(d, pdf_fmt(d, "%lld", dv->id)), device_name(d, dv), buf_str(&ids), owner,
			pdf_fmt(d, "%s\n%s", pdf_iso(d, dv->seal_number), pdf_iso(d, dv->condition)),
		};
		pdf_table_row(d, cells, NULL);
		buf_free(&ids);
	}
	pdf_table_end(d);
}

static const char *hashes(pdf_doc *d, const char *md5, const char *sha1, const char *sha256)
{
	return pdf_fmt(d, "%s\n%s\n%s", pdf_iso_ltr(d, md5), pdf_iso_ltr(d, sha1), pdf_iso_ltr(d, sha256));
}

/* Columns shared by sources and items: number, path and type, size, hashes.
 * 0.51 of the text width holds a SHA-256 on one line at 6.2 pt. */
static const double hash_cols[] = {0.07, 0.32, 0.10, 0.51};
static const pdf_style hash_styles[] = {PDF_NORMAL, PDF_SMALL, PDF_NORMAL, PDF_MONO};

static void sources_table(pdf_doc *d, rctx *r)
{
	pdf_heading(d, _("Evidence sources"));
	if (r->sources.n == 0) {
		pdf_paragraph(d, _("Nothing has been ingested in this case."), PDF_NORMAL);
		return;
	}
	const char *h[] = {_("No."), _("Original path, kind and status"), _("Size"), _("MD5, SHA-1, SHA-256")};
	pdf_table_begin(d, 4, hash_cols, h);
	for (size_t i = 0; i < r->sources.n; i++) {
		const dl_source *src = &r->sources.v[i];
		const char *cells[] = {
			pdf_iso_ltr(d, pdf_fmt(d, "%lld", src->id)),
			pdf_fmt(d, "%s\n%s, %s", pdf_iso_ltr(d, src->original_path), pdf_iso(d, src->kind),
			        pdf_iso(d, src->status)),
			size_text(d, r, src->size), hashes(d, src->md5, src->sha1, src->sha256),
		};
		pdf_table_row(d, cells, hash_styles);
	}
	pdf_table_end(d);
}

/* ---- inventory ---- */

static dl_status inventory_body(pdf_doc *d, void *ctx, dl_err *err)
{
	rctx *r = ctx;
	case_block(d, r);
	devices_table(d, r);
	sources_table(d, r);
	pdf_heading(d, _("Items"));
	/* TRANSLATORS: %s is a number of items (already formatted). */
	pdf_paragraph(d, pdf_fmt(d, P_("The case holds %s evidence item.", "The case holds %s evidence items.",
	                               r->nitems), num(d, r, r->nitems)),
	              PDF_NORMAL);
	if (r->nitems == 0)
		return DL_OK;
	const char *h[] = {_("No."), _("Path and type"), _("Size"), _("MD5, SHA-1, SHA-256")};
	pdf_table_begin(d, 4, hash_cols, h);
	dl_item_filter f = {.case_number = r->c.number, .limit = ITEM_PAGE};
	for (;;) {
		dl_item_list l;
		dl_status rc = evidence_item_list(r->s, &f, &l, err);
		if (rc != DL_OK)
			return rc;
		for (size_t i = 0; i < l.n; i++) {
			const dl_item *it = &l.v[i];
			const char *type = it->is_dir ? _("folder") : it->mime;
			const char *cells[] = {
				pdf_iso_ltr(d, pdf_fmt(d, "%lld", it->id)),
				pdf_fmt(d, "%s\n%s", pdf_iso_ltr(d, it->path), pdf_iso_ltr(d, type)),
				it->is_dir ? "-" : size_text(d, r, it->size),
				it->is_dir ? "-" : hashes(d, it->md5, it->sha1, it->sha256),
			};
			pdf_table_row(d, cells, hash_styles);
		}
		size_t n = l.n;
		if (n)
			f.after_id = l.v[n - 1].id;
		evidence_item_list_free(&l);
		if (n < ITEM_PAGE)
			break;
	}
	pdf_table_end(d);
	return DL_OK;
}

/* ---- custody ---- */

static void events_table(pdf_doc *d, rctx *r, dl_custody_subject kind, long long id)
{
	static const double w[] = {0.21, 0.12, 0.18, 0.18, 0.31};
	const char *h[] = {_("Time"), _("Event"), _("From"), _("To"), _("Place, seal, reason, recorded by")};
	int any = 0;
	for (size_t i = 0; i < r->custody.n; i++) {
		const dl_custody_event *e = &r->custody.v[i];
		if (e->subject_kind != kind || e->subject_id != id)
			continue;
		if (!any)
			pdf_table_begin(d, 5, w, h);
		any = 1;
		dl_buf det = {0};
		if (e->place)
			buf_adds(&det, pdf_fmt(d, "%s: %s\n", _("place"), pdf_iso(d, e->place)));
		if (e->seal_number)
			buf_adds(&det, pdf_fmt(d, "%s: %s\n", _("seal"), pdf_iso(d, e->seal_number)));
		if (e->reason)
			buf_adds(&det, pdf_fmt(d, "%s: %s\n", _("reason"), pdf_iso(d, e->reason)));
		buf_adds(&det, pdf_fmt(d, "%s: %s", _("recorded by"), pdf_iso(d, e->recorded_by)));
		const char *cells[] = {
			date_text(d, r, e->at, "\n"), _(event_labels[e->event]), pdf_iso(d, e->from), pdf_iso(d, e->to),
			buf_str(&det),
		};
		/* small: a full UTC time fits on one line in Amiri too */
		static const pdf_style st[] = {PDF_SMALL, PDF_NORMAL, PDF_NORMAL, PDF_NORMAL, PDF_SMALL};
		pdf_table_row(d, cells, st);
		buf_free(&det);
	}
	if (any)
		pdf_table_end(d);
	else
		pdf_paragraph(d, _("No custody event is recorded."), PDF_NORMAL);
}

static dl_status custody_body(pdf_doc *d, void *ctx, dl_err *err)
{
	rctx *r = ctx;
	case_block(d, r);
	devices_table(d, r);
	sources_table(d, r);
	for (size_t i = 0; i < r->devices.n; i++) {
		const dl_device *dv = &r->devices.v[i];
		/* TRANSLATORS: a heading: "Device 3: phone Samsung A12". */
		pdf_heading(d, pdf_fmt(d, _("Device %s: %s"), pdf_iso_ltr(d, pdf_fmt(d, "%lld", dv->id)),
		                       device_name(d, dv)));
		events_table(d, r, DL_CUSTODY_DEVICE, dv->id);
	}
	for (size_t i = 0; i < r->sources.n; i++) {
		const dl_source *src = &r->sources.v[i];
		/* TRANSLATORS: a heading: "Source 2: /media/usb/phone.zip". */
		pdf_heading(d, pdf_fmt(d, _("Source %s: %s"), pdf_iso_ltr(d, pdf_fmt(d, "%lld", src->id)),
		                       pdf_iso_ltr(d, src->original_path)));
		events_table(d, r, DL_CUSTODY_SOURCE, src->id);
	}
	/* items with custody events of their own (an exported file, say) */
	for (size_t i = 0; i < r->custody.n; i++) {
		const dl_custody_event *e = &r->custody.v[i];
		if (e->subject_kind != DL_CUSTODY_ITEM)
			continue;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = r->custody.v[k].subject_kind == DL_CUSTODY_ITEM &&
			       r->custody.v[k].subject_id == e->subject_id;
		if (seen)
			continue;
		dl_item it;
		dl_status rc = evidence_item_get(r->s, e->subject_id, &it, err);
		if (rc != DL_OK)
			return rc;
		/* TRANSLATORS: a heading: "Item 12: DCIM/photo.jpg". */
		pdf_heading(d, pdf_fmt(d, _("Item %s: %s"), pdf_iso_ltr(d, pdf_fmt(d, "%lld", it.id)),
		                       pdf_iso_ltr(d, it.path)));
		pdf_kv(d, "SHA-256", pdf_iso_ltr(d, it.sha256), PDF_MONO);
		evidence_item_free(&it);
		events_table(d, r, DL_CUSTODY_ITEM, e->subject_id);
	}
	return DL_OK;
}

/* ---- court ---- */

/* A line to write on by hand. */
#define HAND_LINE "______________________________"

/* The name of a user in the report's language, else the other, else the login. */
static const char *user_name(const rctx *r, const dl_user *u)
{
	const char *first = !strcmp(r->o->lang, "ar") ? u->name_ar : u->name_en;
	const char *second = !strcmp(r->o->lang, "ar") ? u->name_en : u->name_ar;
	if (first && *first)
		return first;
	if (second && *second)
		return second;
	return u->username;
}

/* The text in the report's language, else the other one. */
static const char *in_lang(const rctx *r, const char *ar, const char *en)
{
	const char *first = !strcmp(r->o->lang, "ar") ? ar : en;
	const char *second = !strcmp(r->o->lang, "ar") ? en : ar;
	return first && *first ? first : second;
}

/* The case's offences, translated and joined. */
static const char *offences_text(pdf_doc *d, const rctx *r)
{
	dl_buf b = {0};
	for (int i = 0; case_offence_names[i]; i++) {
		if (!(r->c.offences & (1u << i)))
			continue;
		if (b.len)
			/* TRANSLATORS: separator between the items of a list ("a, b"). */
			buf_adds(&b, _(", "));
		buf_adds(&b, case_offence_label(i));
	}
	const char *out = pdf_fmt(d, "%s", b.len ? buf_str(&b) : "-");
	buf_free(&b);
	return out;
}

static const char *lead_name(const rctx *r)
{
	if (r->nexaminers && r->c.lead && !strcmp(r->examiners[0].username, r->c.lead))
		return user_name(r, &r->examiners[0]);
	return r->c.lead;
}

static void court_opening(pdf_doc *d, rctx *r)
{
	pdf_title(d, kind_title("court"));
	pdf_kv(d, _("Unit"), pdf_iso(d, r->unit), PDF_NORMAL);
	pdf_kv(d, _("Case number"), pdf_iso_ltr(d, r->c.number), PDF_NORMAL);
	pdf_kv(d, _("Title (Arabic)"), pdf_iso(d, r->c.title_ar), PDF_NORMAL);
	if (r->c.title_en)
		pdf_kv(d, _("Title (English)"), pdf_iso(d, r->c.title_en), PDF_NORMAL);
	pdf_kv(d, _("Report generated by"), pdf_iso(d, r->s->username), PDF_NORMAL);
	pdf_kv(d, _("Report generated at"), date_text(d, r, r->created, " "), PDF_NORMAL);

	pdf_heading(d, _("1. Authority and mandate"));
	pdf_paragraph(d, pdf_fmt(d, _("This report is made by %s in case %s. It sets out the exhibits "
	                              "received, how their contents were acquired and verified, their chain "
	                              "of custody, and what the examination found."),
	                         pdf_iso(d, r->unit), pdf_iso_ltr(d, r->c.number)), PDF_NORMAL);
	pdf_kv(d, _("Offences"), offences_text(d, r), PDF_NORMAL);
	pdf_kv(d, _("Jurisdiction"), pdf_iso(d, r->c.jurisdiction), PDF_NORMAL);
	pdf_kv(d, _("Status"), case_status_label(r->c.status), PDF_NORMAL);
	pdf_kv(d, _("Opened"), date_text(d, r, r->c.opened, " "), PDF_NORMAL);
	pdf_kv(d, _("Legal deadline"), date_text(d, r, r->c.deadline, " "), PDF_NORMAL);
	/* a paragraph, not a key-value line: a long summary breaks across pages */
	const char *summary = in_lang(r, r->c.summary_ar, r->c.summary_en);
	pdf_paragraph(d, _("Scope and summary"), PDF_BOLD);
	pdf_paragraph(d, summary ? pdf_iso(d, summary) : _("No summary is recorded."), PDF_NORMAL);
}

static void examiners_table(pdf_doc *d, rctx *r)
{
	pdf_heading(d, _("2. Examiners"));
	if (r->nexaminers == 0) {
		pdf_paragraph(d, _("No investigator is assigned to this case."), PDF_NORMAL);
		return;
	}
	static const double w[] = {0.36, 0.22, 0.22, 0.20};
	const char *h[] = {_("Name"), _("User name"), _("Role in the case"), _("Role in the unit")};
	pdf_table_begin(d, 4, w, h);
	for (size_t i = 0; i < r->nexaminers; i++) {
		const dl_user *u = &r->examiners[i];
		int lead = r->c.lead && !strcmp(u->username, r->c.lead);
		const char *cells[] = {
			pdf_iso(d, user_name(r, u)), pdf_iso_ltr(d, u->username),
			lead ? _("lead examiner") : _("assigned examiner"), dl_role_label(u->role),
		};
		pdf_table_row(d, cells, NULL);
	}
	pdf_table_end(d);
}

static void exhibits_table(pdf_doc *d, rctx *r)
{
	pdf_heading(d, _("3. Exhibits"));
	if (r->devices.n == 0) {
		pdf_paragraph(d, _("No device is recorded in this case."), PDF_NORMAL);
		return;
	}
	static const double w[] = {0.06, 0.20, 0.27, 0.24, 0.23};
	const char *h[] = {_("No."), _("Device"), _("Serial, IMEI, phone number"), _("Seal and seizure"),
	                   _("State at reception")};
	pdf_table_begin(d, 5, w, h);
	for (size_t i = 0; i < r->devices.n; i++) {
		const dl_device *dv = &r->devices.v[i];
		dl_buf ids = {0}, seal = {0};
		buf_adds(&ids, pdf_fmt(d, "%s: %s", _("serial"), pdf_iso_ltr(d, dv->serial)));
		for (size_t k = 0; k < dv->nimeis; k++)
			buf_adds(&ids, pdf_fmt(d, "\n%s: %s", _("IMEI"), pdf_iso_ltr(d, dv->imeis[k])));
		if (dv->phone)
			buf_adds(&ids, pdf_fmt(d, "\n%s: %s", _("phone"), pdf_iso_ltr(d, dv->phone)));
		if (dv->iccid)
			buf_adds(&ids, pdf_fmt(d, "\n%s: %s", _("ICCID"), pdf_iso_ltr(d, dv->iccid)));
		buf_adds(&seal, pdf_fmt(d, "%s: %s", _("seal"), pdf_iso(d, dv->seal_number)));
		if (dv->seized_at)
			buf_adds(&seal, pdf_fmt(d, "\n%s: %s", _("seized"), date_text(d, r, dv->seized_at, "\n")));
		if (dv->seized_place)
			buf_adds(&seal, pdf_fmt(d, "\n%s: %s", _("place"), pdf_iso(d, dv->seized_place)));
		if (dv->seizing_officer)
			buf_adds(&seal, pdf_fmt(d, "\n%s: %s", _("officer"), pdf_iso(d, dv->seizing_officer)));
		const char *owner = dv->owner_name_ar ? pdf_fmt(d, "\n%s: %s", _("owner"), pdf_iso(d, dv->owner_name_ar))
		                                      : "";
		const char *cells[] = {
			pdf_iso_ltr(d, pdf_fmt(d, "%lld", dv->id)), pdf_fmt(d, "%s%s", device_name(d, dv), owner),
			buf_str(&ids), buf_str(&seal), pdf_iso(d, dv->condition),
		};
		pdf_table_row(d, cells, NULL);
		buf_free(&ids);
		buf_free(&seal);
	}
	pdf_table_end(d);
}

static const dl_device *device_by_id(const rctx *r, long long id)
{
	for (size_t i = 0; i < r->devices.n; i++)
		if (r->devices.v[i].id == id)
			return &r->devices.v[i];
	return NULL;
}

static void acquisition(pdf_doc *d, rctx *r)
{
	pdf_heading(d, _("4. Acquisition and ingest"));
	pdf_paragraph(d, _("Each source was read without being changed. MD5, SHA-1 and SHA-256 were computed "
	                   "over the whole source as it was read and over every item found in it; the items "
	                   "were copied into a store addressed by their SHA-256, and the SHA-256 of the source "
	                   "was compared with the value expected, where one was given."), PDF_NORMAL);
	if (r->sources.n == 0) {
		pdf_paragraph(d, _("Nothing has been ingested in this case."), PDF_NORMAL);
		return;
	}
	for (size_t i = 0; i < r->sources.n; i++) {
		const dl_source *src = &r->sources.v[i];
		pdf_space(d, 4);
		/* TRANSLATORS: a heading: "Source 2: /media/usb/phone.zip". */
		pdf_paragraph(d, pdf_fmt(d, _("Source %s: %s"), pdf_iso_ltr(d, pdf_fmt(d, "%lld", src->id)),
		                         pdf_iso_ltr(d, src->original_path)), PDF_BOLD);
		pdf_kv(d, _("Kind"), source_kind_label(src->kind), PDF_NORMAL);
		const dl_device *dv = src->device_id ? device_by_id(r, src->device_id) : NULL;
		if (dv)
			pdf_kv(d, _("From device"), pdf_fmt(d, "%s %s", pdf_iso_ltr(d, pdf_fmt(d, "%lld", dv->id)),
			                                    device_name(d, dv)), PDF_NORMAL);
		if (src->size >= 0)
			/* TRANSLATORS: %s is a number of bytes (already formatted). */
			pdf_kv(d, _("Size"), pdf_fmt(d, P_("%s byte", "%s bytes", src->size),
			                             num(d, r, src->size)), PDF_NORMAL);
		pdf_kv(d, "MD5", pdf_iso_ltr(d, src->md5), PDF_MONO);
		pdf_kv(d, "SHA-1", pdf_iso_ltr(d, src->sha1), PDF_MONO);
		pdf_kv(d, "SHA-256", pdf_iso_ltr(d, src->sha256), PDF_MONO);
		pdf_kv(d, _("Expected SHA-256"), src->expected_sha256 ? pdf_iso_ltr(d, src->expected_sha256)
		                                                      : _("none was given"),
		       src->expected_sha256 ? PDF_MONO : PDF_NORMAL);
		const char *verdict = src->expected_match == 1 ? _("the SHA-256 matches the expected value")
		                      : src->expected_match == 0 ? _("MISMATCH: the SHA-256 differs from the expected value")
		                      : _("not compared: no expected value");
		pdf_kv(d, _("Verification"), verdict, src->expected_match == 0 ? PDF_BOLD : PDF_NORMAL);
		pdf_kv(d, _("Tool"), pdf_iso_ltr(d, src->tool_version ? src->tool_version : src->tool), PDF_NORMAL);
		pdf_kv(d, _("Libraries"), pdf_iso_ltr(d, src->libraries), PDF_SMALL);
		pdf_kv(d, _("Ingested at"), date_text(d, r, src->ingested_at, " "), PDF_NORMAL);
		pdf_kv(d, _("Ingested by"), pdf_iso(d, src->ingested_by), PDF_NORMAL);
		const char *result = pdf_fmt(d, "%s%s%s", source_status_label(src->status),
		                             src->status_reason ? _(", ") : "",
		                             src->status_reason ? pdf_iso(d, src->status_reason) : "");
		/* TRANSLATORS: "complete, 82 items": the result of an ingest. */
		pdf_kv(d, _("Result"), pdf_fmt(d, P_("%s, %s item", "%s, %s items", src->item_count), result,
		                               num(d, r, src->item_count)), PDF_NORMAL);
	}
}

static const char *subject_text(pdf_doc *d, const rctx *r, dl_custody_subject kind, long long id)
{
	const char *n = pdf_iso_ltr(d, pdf_fmt(d, "%lld", id));
	if (kind == DL_CUSTODY_DEVICE) {
		const dl_device *dv = device_by_id(r, id);
		/* TRANSLATORS: an exhibit in the chain of custody: "device 3: phone Samsung A12". */
		return dv ? pdf_fmt(d, _("device %s: %s"), n, device_name(d, dv)) : pdf_fmt(d, _("device %s"), n);
	}
	if (kind == DL_CUSTODY_SOURCE)
		return pdf_fmt(d, _("source %s"), n);
	return pdf_fmt(d, _("item %s"), n);
}

static void custody_all(pdf_doc *d, rctx *r)
{
	pdf_heading(d, _("5. Chain of custody"));
	if (r->custody.n == 0) {
		pdf_paragraph(d, _("No custody event is recorded."), PDF_NORMAL);
		return;
	}
	static const double w[] = {0.20, 0.18, 0.13, 0.21, 0.28};
	const char *h[] = {_("Time"), _("Exhibit"), _("Event"), _("From, to"), _("Place, seal, reason, recorded by")};
	static const pdf_style st[] = {PDF_SMALL, PDF_SMALL, PDF_NORMAL, PDF_SMALL, PDF_SMALL};
	pdf_table_begin(d, 5, w, h);
	/* custody_list gives them in time order */
	for (size_t i = 0; i < r->custody.n; i++) {
		const dl_custody_event *e = &r->custody.v[i];
		dl_buf det = {0};
		if (e->place)
			buf_adds(&det, pdf_fmt(d, "%s: %s\n", _("place"), pdf_iso(d, e->place)));
		if (e->seal_number)
			buf_adds(&det, pdf_fmt(d, "%s: %s\n", _("seal"), pdf_iso(d, e->seal_number)));
		if (e->reason)
			buf_adds(&det, pdf_fmt(d, "%s: %s\n", _("reason"), pdf_iso(d, e->reason)));
		buf_adds(&det, pdf_fmt(d, "%s: %s", _("recorded by"), pdf_iso(d, e->recorded_by)));
		const char *cells[] = {
			date_text(d, r, e->at, "\n"), subject_text(d, r, e->subject_kind, e->subject_id),
			_(event_labels[e->event]),
			pdf_fmt(d, "%s: %s\n%s: %s", _("from"), pdf_iso(d, e->from), _("to"), pdf_iso(d, e->to)),
			buf_str(&det),
		};
		pdf_table_row(d, cells, st);
		buf_free(&det);
	}
	pdf_table_end(d);
}

/* Items examiners tagged (relevant, review, privileged; each item once, under
 * the first of these tags it has), or items in a hash set. */
static const char *const finding_tags[] = {"relevant", "review", "privileged"};

static int has_tag(const char *tags, const char *tag)
{
	size_t n = strlen(tag);
	for (const char *p = tags; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, tag, n))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

typedef void (*item_fn)(void *ctx, const dl_item *it);

static dl_status items_each(rctx *r, int hits, item_fn fn, void *ctx, dl_err *err)
{
	int ntags = hits ? 1 : (int)(sizeof finding_tags / sizeof *finding_tags);
	for (int t = 0; t < ntags; t++) {
		dl_item_filter f = {.case_number = r->c.number, .limit = ITEM_PAGE, .hits_only = hits,
		                    .tag = hits ? NULL : finding_tags[t]};
		for (;;) {
			dl_item_list l;
			dl_status rc = evidence_item_list(r->s, &f, &l, err);
			if (rc != DL_OK)
				return rc;
			for (size_t i = 0; i < l.n; i++) {
				int earlier = 0;
				for (int k = 0; !hits && k < t; k++)
					earlier |= has_tag(l.v[i].tags, finding_tags[k]);
				if (!earlier)
					fn(ctx, &l.v[i]);
			}
			size_t n = l.n;
			if (n)
				f.after_id = l.v[n - 1].id;
			evidence_item_list_free(&l);
			if (n < ITEM_PAGE)
				break;
		}
	}
	return DL_OK;
}

static const char *tag_label(const char *tag)
{
	static const char *const names[] = {"relevant", "irrelevant", "privileged", "review", NULL};
	static const char *const labels[] = {N_("relevant"), N_("irrelevant"), N_("privileged"), N_("to review")};
	return label_of(names, labels, tag);
}

typedef struct item_rows {
	pdf_doc *d;
	const rctx *r;
	int hits;
	long long n;
} item_rows;

static void item_row(void *ctx, const dl_item *it)
{
	item_rows *ir = ctx;
	pdf_doc *d = ir->d;
	if (ir->n++ == 0) {
		const char *h[] = {_("No."), ir->hits ? _("Path and hash sets") : _("Path, tags and examiner's note"),
		                   _("Size"), _("MD5, SHA-1, SHA-256")};
		pdf_table_begin(d, 4, hash_cols, h);
	}
	dl_buf b = {0};
	buf_adds(&b, pdf_iso_ltr(d, it->path));
	if (ir->hits) {
		buf_adds(&b, pdf_fmt(d, "\n%s: %s", _("hash sets"), pdf_iso(d, it->hits)));
	} else {
		dl_buf tags = {0};
		char *copy = strdup(it->tags ? it->tags : "");
		char *save = NULL;
		for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
			if (tags.len)
				buf_adds(&tags, _(", "));
			buf_adds(&tags, tag_label(t));
		}
		free(copy);
		buf_adds(&b, pdf_fmt(d, "\n%s: %s", _("tags"), buf_str(&tags)));
		buf_free(&tags);
		if (it->note && *it->note) {
			buf_adds(&b, "\n");
			buf_adds(&b, _("note"));
			buf_adds(&b, ": ");
			buf_adds(&b, pdf_iso(d, it->note));
		}
	}
	const char *cells[] = {
		pdf_iso_ltr(d, pdf_fmt(d, "%lld", it->id)), buf_str(&b),
		it->is_dir ? "-" : size_text(d, ir->r, it->size),
		it->is_dir ? "-" : hashes(d, it->md5, it->sha1, it->sha256),
	};
	static const pdf_style st[] = {PDF_NORMAL, PDF_SMALL, PDF_NORMAL, PDF_MONO};
	pdf_table_row(d, cells, st);
	buf_free(&b);
}

static const char *link_subject_text(pdf_doc *d, const dl_link_subject *su)
{
	switch (su->kind) {
	case DL_LINK_PERSON:
		return su->name_lat ? pdf_fmt(d, "%s\n%s", pdf_iso(d, su->name), pdf_iso(d, su->name_lat))
		                    : pdf_iso(d, su->name);
	case DL_LINK_DEVICE:
		return pdf_fmt(d, "%s %s", device_type_label(su->device_type), pdf_iso(d, su->name));
	case DL_LINK_ITEM:
		return pdf_fmt(d, "%s %s", _("item"), pdf_iso_ltr(d, su->name));
	default:
		return "-";
	}
}

static dl_status findings(pdf_doc *d, rctx *r, dl_err *err)
{
	pdf_heading(d, _("6. Findings"));

	pdf_heading(d, _("6.1 Persons"));
	if (r->persons.n == 0) {
		pdf_paragraph(d, _("No person is recorded in this case."), PDF_NORMAL);
	} else {
		static const double w[] = {0.07, 0.38, 0.27, 0.28};
		const char *h[] = {_("No."), _("Name"), _("Role in the case"), _("Nationality and status")};
		pdf_table_begin(d, 4, w, h);
		for (size_t i = 0; i < r->persons.n; i++) {
			const dl_person *p = &r->persons.v[i];
			const char *name = p->name_lat ? pdf_fmt(d, "%s\n%s", pdf_iso(d, p->name_ar), pdf_iso(d, p->name_lat))
			                               : pdf_iso(d, p->name_ar);
			const char *role = p->network_role ? pdf_fmt(d, "%s\n%s", person_role_label(p->role),
			                                             network_role_label(p->network_role))
			                                   : person_role_label(p->role);
			const char *cells[] = {
				pdf_iso_ltr(d, pdf_fmt(d, "%lld", p->id)), name, role,
				pdf_fmt(d, "%s\n%s", pdf_iso_ltr(d, p->nationality), person_status_label(p->status)),
			};
			pdf_table_row(d, cells, NULL);
		}
		pdf_table_end(d);
	}

	pdf_heading(d, _("6.2 Identifiers"));
	if (r->idents.n == 0) {
		pdf_paragraph(d, _("No identifier is recorded in this case."), PDF_NORMAL);
	} else {
		static const double w[] = {0.22, 0.42, 0.36};
		const char *h[] = {_("Kind"), _("Identifier"), _("Whose")};
		pdf_table_begin(d, 3, w, h);
		for (size_t i = 0; i < r->idents.n; i++) {
			const dl_identifier *id = &r->idents.v[i];
			const char *cells[] = {ident_kind_label(id->kind), pdf_iso_ltr(d, id->value), pdf_iso(d, id->subject)};
			pdf_table_row(d, cells, NULL);
		}
		pdf_table_end(d);
	}

	pdf_heading(d, _("6.3 Items tagged by the examiners"));
	item_rows ir = {.d = d, .r = r};
	dl_status rc = items_each(r, 0, item_row, &ir, err);
	if (rc != DL_OK)
		return rc;
	if (ir.n)
		pdf_table_end(d);
	else
		pdf_paragraph(d, _("No item is tagged relevant, privileged or to review."), PDF_NORMAL);

	pdf_heading(d, _("6.4 Hash-set hits"));
	item_rows hr = {.d = d, .r = r, .hits = 1};
	if ((rc = items_each(r, 1, item_row, &hr, err)) != DL_OK)
		return rc;
	if (hr.n)
		pdf_table_end(d);
	else
		pdf_paragraph(d, _("No item matched a hash set."), PDF_NORMAL);

	pdf_heading(d, _("6.5 Links to other cases"));
	if (r->links.n == 0) {
		pdf_paragraph(d, _("No identifier of this case is recorded in another case."), PDF_NORMAL);
		return DL_OK;
	}
	static const double w[] = {0.32, 0.30, 0.38};
	const char *h[] = {_("Identifier"), _("In this case"), _("Other case")};
	pdf_table_begin(d, 3, w, h);
	for (size_t i = 0; i < r->links.n; i++) {
		const dl_link *l = &r->links.v[i];
		const char *other;
		if (l->restricted)
			/* TRANSLATORS: a case the report's author may not read: its number and whom to ask. */
			other = pdf_fmt(d, _("%s (restricted; ask %s)"), pdf_iso_ltr(d, l->other_case),
			                pdf_iso(d, l->other_lead));
		else
			other = pdf_fmt(d, "%s\n%s\n%s", pdf_iso_ltr(d, l->other_case),
			                pdf_iso(d, in_lang(r, l->other_title_ar, l->other_title_en)),
			                link_subject_text(d, &l->there));
		const char *cells[] = {
			pdf_fmt(d, "%s\n%s", ident_kind_label(l->kind), pdf_iso_ltr(d, l->value)),
			link_subject_text(d, &l->here), other,
		};
		pdf_table_row(d, cells, NULL);
	}
	pdf_table_end(d);
	if (r->links.more)
		pdf_paragraph(d, pdf_fmt(d, _("Only the first %d links are listed; \"dalil links %s\" lists them all."),
		                         REPORT_LINKS_MAX, pdf_iso_ltr(d, r->c.number)), PDF_NORMAL);
	pdf_paragraph(d, _("A link means that the same identifier is recorded in both cases; it does not by "
	                   "itself show that the same person used it."), PDF_SMALL);
	return DL_OK;
}

static void signature_block(pdf_doc *d, const char *role, const char *name)
{
	pdf_space(d, 8);
	pdf_paragraph(d, role, PDF_BOLD);
	pdf_kv(d, _("Name"), name ? pdf_iso(d, name) : HAND_LINE, PDF_NORMAL);
	pdf_kv(d, _("Date"), HAND_LINE, PDF_NORMAL);
	pdf_space(d, 14);
	pdf_kv(d, _("Signature"), HAND_LINE, PDF_NORMAL);
}

static dl_status court_body(pdf_doc *d, void *ctx, dl_err *err)
{
	rctx *r = ctx;
	court_opening(d, r);
	examiners_table(d, r);
	exhibits_table(d, r);
	acquisition(d, r);
	custody_all(d, r);
	dl_status rc = findings(d, r, err);
	if (rc != DL_OK)
		return rc;
	pdf_heading(d, _("7. Limitations"));
	pdf_paragraph(d, _("dalil verified the following: the MD5, SHA-1 and SHA-256 of every source and of "
	                   "every item it read, computed as they were read; the agreement of each source's "
	                   "SHA-256 with the expected value where one was given. The stored copies can be "
	                   "checked against those hashes at any time (\"dalil verify\"). Every change to the case is recorded with "
	                   "its author and time in an audit log whose entries are chained by hashes."),
	              PDF_NORMAL);
	pdf_paragraph(d, _("dalil did not verify the following: how the sources were extracted from the "
	                   "devices (the extraction is as recorded by the examiner); data outside the sources "
	                   "it was given, deleted data or unallocated space; the content of encrypted files "
	                   "it could not open; or the meaning of what it found. File types are identified from "
	                   "their content and may be wrong for damaged files. Tags and notes are the "
	                   "examiners' judgement, and a hash-set hit shows identical content, not its origin."),
	              PDF_NORMAL);
	pdf_heading(d, _("8. Signatures"));
	signature_block(d, _("Examiner"), lead_name(r));
	signature_block(d, _("Supervisor"), NULL);
	return DL_OK;
}

/* ---- progress ---- */

static const char *days_text(pdf_doc *d, const rctx *r, long long days)
{
	const char *n = num(d, r, days < 0 ? -days : days);
	if (days < 0)
		/* TRANSLATORS: a deadline passed %s days ago (number already formatted). */
		return pdf_fmt(d, P_("%s day overdue", "%s days overdue", -days), n);
	/* TRANSLATORS: %s days until a deadline (number already formatted). */
	return pdf_fmt(d, P_("%s day left", "%s days left", days), n);
}

static dl_status progress_body(pdf_doc *d, void *ctx, dl_err *err)
{
	(void)err;
	rctx *r = ctx;
	pdf_title(d, kind_title("progress"));
	pdf_kv(d, _("Unit"), pdf_iso(d, r->unit), PDF_NORMAL);
	pdf_kv(d, _("Report generated by"), pdf_iso(d, r->s->username), PDF_NORMAL);
	pdf_kv(d, _("Report generated at"), date_text(d, r, r->created, " "), PDF_NORMAL);
	pdf_kv(d, _("Cases"), num(d, r, r->dash.total_cases), PDF_NORMAL);
	for (int st = 0; st <= DL_CASE_SUSPENDED; st++)
		pdf_kv(d, case_status_label((dl_case_status)st), num(d, r, r->dash.status_counts[st]), PDF_NORMAL);

	pdf_heading(d, _("Cases"));
	if (r->cases.n == 0) {
		pdf_paragraph(d, _("There is no case."), PDF_NORMAL);
	} else {
		static const double w[] = {0.27, 0.13, 0.14, 0.18, 0.11, 0.17};
		const char *h[] = {_("Case"), _("Status"), _("Lead"), _("Deadline"), _("Overdue requests"),
		                   _("Recorded")};
		static const pdf_style st[] = {PDF_SMALL, PDF_SMALL, PDF_SMALL, PDF_SMALL, PDF_NORMAL, PDF_SMALL};
		pdf_table_begin(d, 6, w, h);
		for (size_t i = 0; i < r->cases.n; i++) {
			const dl_case *c = &r->cases.v[i];
			const case_counts *k = &r->counts[i];
			const char *deadline = c->status == DL_CASE_CLOSED
			                       ? pdf_fmt(d, "%s\n%s", date_text(d, r, c->deadline, "\n"), _("closed"))
			                       : pdf_fmt(d, "%s\n%s", date_text(d, r, c->deadline, "\n"), days_text(d, r, c->days_left));
			const char *cells[] = {
				pdf_fmt(d, "%s\n%s", pdf_iso_ltr(d, c->number), pdf_iso(d, in_lang(r, c->title_ar, c->title_en))),
				case_status_label(c->status), pdf_iso(d, c->lead), deadline, num(d, r, k->overdue_requests),
				pdf_fmt(d, "%s: %s\n%s: %s\n%s: %s\n%s: %s", _("persons"), num(d, r, k->persons), _("devices"),
				        num(d, r, k->devices), _("items"), num(d, r, k->items), _("requests"), num(d, r, k->requests)),
			};
			pdf_table_row(d, cells, st);
		}
		pdf_table_end(d);
	}

	pdf_heading(d, _("Overdue provider requests"));
	const dl_request_list *rq = &r->dash.overdue_requests;
	if (rq->n == 0) {
		pdf_paragraph(d, _("No request is overdue."), PDF_NORMAL);
	} else {
		static const double w[] = {0.22, 0.30, 0.16, 0.16, 0.16};
		const char *h[] = {_("Case"), _("Provider"), _("Kind"), _("Due"), _("Overdue")};
		static const char *const kinds[] = {N_("preservation"), N_("disclosure")};
		pdf_table_begin(d, 5, w, h);
		for (size_t i = 0; i < rq->n; i++) {
			const dl_request *q = &rq->v[i];
			const char *cells[] = {
				pdf_iso_ltr(d, q->case_number), pdf_iso(d, q->provider), _(kinds[q->kind]),
				date_text(d, r, q->due_date, "\n"), days_text(d, r, -q->days_overdue),
			};
			pdf_table_row(d, cells, NULL);
		}
		pdf_table_end(d);
	}

	pdf_heading(d, _("Investigators' load"));
	if (r->dash.nload == 0) {
		pdf_paragraph(d, _("No investigator has an open case."), PDF_NORMAL);
		return DL_OK;
	}
	static const double w[] = {0.26, 0.18, 0.14, 0.14, 0.14, 0.14};
	const char *h[] = {_("User"), _("Role"), _("Open cases"), _("Overdue cases"), _("Open tasks"),
	                   _("Overdue tasks")};
	pdf_table_begin(d, 6, w, h);
	for (size_t i = 0; i < r->dash.nload; i++) {
		const dl_dash_load *l = &r->dash.load[i];
		const char *cells[] = {
			pdf_iso(d, l->username), dl_role_label(l->role), num(d, r, l->open_cases), num(d, r, l->overdue_cases),
			num(d, r, l->open_tasks), num(d, r, l->overdue_tasks),
		};
		pdf_table_row(d, cells, NULL);
	}
	pdf_table_end(d);
	return DL_OK;
}

/* ---- request letter ---- */

static dl_status request_body(pdf_doc *d, void *ctx, dl_err *err)
{
	(void)err;
	rctx *r = ctx;
	pdf_paragraph(d, pdf_iso(d, r->unit), PDF_BOLD);
	pdf_space(d, 6);
	char day[11];
	snprintf(day, sizeof day, "%.10s", r->created);
	pdf_kv(d, _("Date"), date_text(d, r, day, " "), PDF_NORMAL);
	pdf_kv(d, _("Our reference"), pdf_iso_ltr(d, r->c.number), PDF_NORMAL);
	pdf_kv(d, _("To"), pdf_iso(d, r->o->provider), PDF_NORMAL);
	pdf_space(d, 10);
	pdf_title(d, kind_title("request"));
	pdf_paragraph(d, _("Dear Sir or Madam,"), PDF_NORMAL);
	pdf_paragraph(d, pdf_fmt(d, _("In the course of a criminal investigation under our reference %s, "
	                              "conducted by %s into offences of %s, we ask you to preserve at once, "
	                              "for at least 90 days, all data you hold on the identifiers listed below: "
	                              "subscriber and registration details, connection and session records with "
	                              "IP addresses and times, and stored content where the law allows it."),
	                         pdf_iso_ltr(d, r->c.number), pdf_iso(d, r->unit), offences_text(d, r)),
	              PDF_NORMAL);
	static const double w[] = {0.08, 0.30, 0.62};
	const char *h[] = {_("No."), _("Kind"), _("Identifier")};
	pdf_table_begin(d, 3, w, h);
	for (size_t i = 0; i < r->nchosen; i++) {
		const dl_identifier *id = r->chosen[i];
		const char *cells[] = {num(d, r, (long long)i + 1), ident_kind_label(id->kind), pdf_iso_ltr(d, id->value)};
		pdf_table_row(d, cells, NULL);
	}
	pdf_table_end(d);
	pdf_paragraph(d, _("A formal order for the disclosure of these data will follow through the competent "
	                   "judicial authority. Until then, please do not disclose this request to anyone and do "
	                   "not notify the holders of these accounts: doing so could endanger people and "
	                   "prejudice the investigation."), PDF_NORMAL);
	pdf_paragraph(d, pdf_fmt(d, _("For any question about this request, please contact %s, quoting our "
	                              "reference."), pdf_iso(d, lead_name(r))), PDF_NORMAL);
	pdf_paragraph(d, _("Yours faithfully,"), PDF_NORMAL);
	signature_block(d, _("For the unit"), lead_name(r));
	return DL_OK;
}

/* ---- JSON companion ---- */

/* Written out as it grows, so that a large inventory is never whole in memory. */
static int json_flush(json_w *w, FILE *f)
{
	/* a buffer that lost memory would write a hole: refuse */
	int ok = !buf_failed(&w->out) && (!w->out.len || fwrite(w->out.data, 1, w->out.len, f) == w->out.len);
	buf_reset(&w->out);
	return ok;
}

typedef struct json_items {
	json_w *w;
	FILE *f;
	int ok;
	long long n;
} json_items;

static void item_json_cb(void *ctx, const dl_item *it)
{
	json_items *ji = ctx;
	evidence_item_json(ji->w, it);
	if (++ji->n % ITEM_PAGE == 0)
		ji->ok &= json_flush(ji->w, ji->f);
}

static void case_json(json_w *w, const rctx *r)
{
	json_key(w, "case");
	json_begin_object(w);
	json_kstr(w, "number", r->c.number);
	json_kstr(w, "title_ar", r->c.title_ar);
	json_kstr(w, "title_en", r->c.title_en);
	char off[256];
	case_offences_str(r->c.offences, off, sizeof off);
	json_kstr(w, "offences", off);
	json_kstr(w, "status", case_status_names[r->c.status]);
	json_kstr(w, "opened", r->c.opened);
	json_kstr(w, "deadline", r->c.deadline);
	json_kstr(w, "lead", r->c.lead);
	json_kstr(w, "jurisdiction", r->c.jurisdiction);
	json_kstr(w, "summary_ar", r->c.summary_ar);
	json_kstr(w, "summary_en", r->c.summary_en);
	json_end_object(w);
}

static void devices_sources_json(json_w *w, const rctx *r)
{
	json_key(w, "devices");
	json_begin_array(w);
	for (size_t i = 0; i < r->devices.n; i++)
		device_json(w, &r->devices.v[i], 0);
	json_end_array(w);
	json_key(w, "sources");
	json_begin_array(w);
	for (size_t i = 0; i < r->sources.n; i++)
		evidence_source_json(w, &r->sources.v[i]);
	json_end_array(w);
}

static void custody_json(json_w *w, const rctx *r)
{
	json_key(w, "custody");
	json_begin_array(w);
	for (size_t i = 0; i < r->custody.n; i++)
		custody_event_json(w, &r->custody.v[i]);
	json_end_array(w);
}

static dl_status court_json(json_w *w, FILE *f, rctx *r, int *ok, dl_err *err)
{
	json_key(w, "examiners");
	json_begin_array(w);
	for (size_t i = 0; i < r->nexaminers; i++) {
		const dl_user *u = &r->examiners[i];
		json_begin_object(w);
		json_kstr(w, "username", u->username);
		json_kstr(w, "name_ar", u->name_ar);
		json_kstr(w, "name_en", u->name_en);
		json_kstr(w, "role", dl_role_names[u->role]);
		json_kbool(w, "lead", r->c.lead && !strcmp(u->username, r->c.lead));
		json_end_object(w);
	}
	json_end_array(w);
	devices_sources_json(w, r);
	custody_json(w, r);
	json_key(w, "persons");
	json_begin_array(w);
	for (size_t i = 0; i < r->persons.n; i++) {
		const dl_person *p = &r->persons.v[i];
		json_begin_object(w);
		json_kint(w, "id", p->id);
		json_kstr(w, "name_ar", p->name_ar);
		json_kstr(w, "name_lat", p->name_lat);
		json_kstr(w, "role", p->role);
		json_kstr(w, "network_role", p->network_role);
		json_kstr(w, "nationality", p->nationality);
		json_kstr(w, "status", p->status);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "identifiers");
	json_begin_array(w);
	for (size_t i = 0; i < r->idents.n; i++) {
		const dl_identifier *id = &r->idents.v[i];
		json_begin_object(w);
		json_kint(w, "id", id->id);
		json_kstr(w, "kind", id->kind);
		json_kstr(w, "value", id->value);
		json_kid(w, "person_id", id->person_id);
		json_kid(w, "device_id", id->device_id);
		json_kid(w, "item_id", id->item_id);
		json_kstr(w, "subject", id->subject);
		json_end_object(w);
	}
	json_end_array(w);
	*ok &= json_flush(w, f);
	json_items ji = {.w = w, .f = f, .ok = 1};
	json_key(w, "tagged_items");
	json_begin_array(w);
	dl_status rc = items_each(r, 0, item_json_cb, &ji, err);
	json_end_array(w);
	if (rc != DL_OK)
		return rc;
	json_key(w, "hash_set_hits");
	json_begin_array(w);
	rc = items_each(r, 1, item_json_cb, &ji, err);
	json_end_array(w);
	*ok &= ji.ok;
	if (rc != DL_OK)
		return rc;
	json_key(w, "links");
	links_json(w, &r->links);
	return DL_OK;
}

static void progress_json(json_w *w, const rctx *r)
{
	json_key(w, "status_counts");
	json_begin_object(w);
	for (int st = 0; st <= DL_CASE_SUSPENDED; st++)
		json_kint(w, case_status_names[st], r->dash.status_counts[st]);
	json_end_object(w);
	json_key(w, "cases");
	json_begin_array(w);
	for (size_t i = 0; i < r->cases.n; i++) {
		const dl_case *c = &r->cases.v[i];
		const case_counts *k = &r->counts[i];
		json_begin_object(w);
		json_kstr(w, "number", c->number);
		json_kstr(w, "title_ar", c->title_ar);
		json_kstr(w, "title_en", c->title_en);
		json_kstr(w, "status", case_status_names[c->status]);
		json_kstr(w, "lead", c->lead);
		json_kstr(w, "deadline", c->deadline);
		json_kint(w, "days_left", c->days_left);
		json_kint(w, "overdue_requests", k->overdue_requests);
		json_kint(w, "persons", k->persons);
		json_kint(w, "devices", k->devices);
		json_kint(w, "items", k->items);
		json_kint(w, "requests", k->requests);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "overdue_requests");
	json_begin_array(w);
	for (size_t i = 0; i < r->dash.overdue_requests.n; i++)
		request_json(w, &r->dash.overdue_requests.v[i]);
	json_end_array(w);
	json_key(w, "load");
	json_begin_array(w);
	for (size_t i = 0; i < r->dash.nload; i++) {
		const dl_dash_load *l = &r->dash.load[i];
		json_begin_object(w);
		json_kstr(w, "username", l->username);
		json_kstr(w, "role", dl_role_names[l->role]);
		json_kint(w, "open_cases", l->open_cases);
		json_kint(w, "overdue_cases", l->overdue_cases);
		json_kint(w, "open_tasks", l->open_tasks);
		json_kint(w, "overdue_tasks", l->overdue_tasks);
		json_end_object(w);
	}
	json_end_array(w);
}

static void request_letter_json(json_w *w, const rctx *r)
{
	json_kstr(w, "provider", r->o->provider);
	json_key(w, "identifiers");
	json_begin_array(w);
	for (size_t i = 0; i < r->nchosen; i++) {
		json_begin_object(w);
		json_kint(w, "id", r->chosen[i]->id);
		json_kstr(w, "kind", r->chosen[i]->kind);
		json_kstr(w, "value", r->chosen[i]->value);
		json_end_object(w);
	}
	json_end_array(w);
}

static dl_status write_json(rctx *r, FILE *f, int pages, const char *pdf_name, const char *sha256,
                            dl_err *err)
{
	json_w w = {.pretty = 1};
	json_begin_object(&w);
	json_key(&w, "report");
	json_begin_object(&w);
	json_kstr(&w, "kind", r->o->kind);
	json_kstr(&w, "lang", r->o->lang);
	json_kstr(&w, "file", pdf_name);
	json_kstr(&w, "sha256", sha256);
	json_kint(&w, "pages", pages);
	json_kstr(&w, "author", r->s->username);
	json_kstr(&w, "created_at", r->created);
	json_kstr(&w, "generator", "dalil " DALIL_VERSION);
	/* as they took effect: Arabic-Indic digits only ever in Arabic */
	json_kstr(&w, "digits", ar_digits(r) ? "arabic" : "latin");
	json_kbool(&w, "hijri", r->o->hijri != 0);
	json_end_object(&w);
	json_kstr(&w, "unit", r->unit[0] ? r->unit : NULL);
	if (!is_kind(r, "progress"))
		case_json(&w, r);
	dl_status rc = DL_OK;
	int ok = 1;
	if (is_kind(r, "inventory")) {
		devices_sources_json(&w, r);
		json_kint(&w, "item_count", r->nitems);
		json_key(&w, "items");
		json_begin_array(&w);
		dl_item_filter flt = {.case_number = r->c.number, .limit = ITEM_PAGE};
		for (;;) {
			dl_item_list l;
			if ((rc = evidence_item_list(r->s, &flt, &l, err)) != DL_OK)
				break;
			for (size_t i = 0; i < l.n; i++)
				evidence_item_json(&w, &l.v[i]);
			ok &= json_flush(&w, f);
			size_t n = l.n;
			if (n)
				flt.after_id = l.v[n - 1].id;
			evidence_item_list_free(&l);
			if (n < ITEM_PAGE)
				break;
		}
		json_end_array(&w);
	} else if (is_kind(r, "custody")) {
		devices_sources_json(&w, r);
		custody_json(&w, r);
	} else if (is_kind(r, "court")) {
		rc = court_json(&w, f, r, &ok, err);
	} else if (is_kind(r, "progress")) {
		progress_json(&w, r);
	} else {
		request_letter_json(&w, r);
	}
	json_end_object(&w);
	buf_addc(&w.out, '\n');
	ok &= json_flush(&w, f);
	buf_free(&w.out);
	if (rc == DL_OK && !ok)
		rc = dl_err_set(err, DL_EIO, "", _("cannot write the JSON companion: %s"), strerror(errno));
	return rc;
}

/* ---- files ---- */

static dl_status file_sha256(const char *path, char out[65], dl_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return dl_err_set(err, DL_EIO, "", _("cannot read %s: %s"), path, strerror(errno));
	gcry_md_hd_t h;
	if (gcry_md_open(&h, GCRY_MD_SHA256, 0) != 0) {
		fclose(f);
		return dl_err_set(err, DL_ENOMEM, "", "%s", dl_status_str(DL_ENOMEM));
	}
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		gcry_md_write(h, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (!bad) {
		const unsigned char *dg = gcry_md_read(h, GCRY_MD_SHA256);
		for (int i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", dg[i]);
	}
	gcry_md_close(h);
	if (bad)
		return dl_err_set(err, DL_EIO, "", _("cannot read %s: %s"), path, strerror(errno));
	return DL_OK;
}

/* A private temporary file next to path (so that rename is atomic). */
static FILE *tmp_next_to(const char *path, char *tmp, size_t tmpsz, dl_err *err)
{
	snprintf(tmp, tmpsz, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		tmp[0] = '\0';
		return NULL;
	}
	/* mkstemp's 0600 is kept whatever the umask: a report names victims,
	 * suspects and their identifiers, and is handed over on paper or by a
	 * copy the examiner chooses to make, never by its file mode */
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp);
		tmp[0] = '\0';
		dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
	}
	return f;
}

static dl_status close_synced(FILE *f, const char *path, dl_err *err)
{
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad)
		return dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
	return DL_OK;
}

static dl_status render_pdf(rctx *r, FILE *f, int *pages, dl_err *err)
{
	char header[512], title[512];
	if (is_kind(r, "progress")) {
		/* every case: the unit and the day stand where a case number would */
		char day[11], dd[32], h[128], hd[256], hijri[300] = "";
		snprintf(day, sizeof day, "%.10s", r->created);
		if (r->o->hijri && report_hijri(day, r->o->lang, h, sizeof h) == DL_OK)
			snprintf(hijri, sizeof hijri, " (\xE2\x81\xA8%s\xE2\x81\xA9)", digits_to(r, h, hd, sizeof hd));
		snprintf(header, sizeof header, "%s \xE2\x80\x94 \xE2\x81\xA6%s\xE2\x81\xA9%s", kind_title(r->o->kind),
		         digits_to(r, day, dd, sizeof dd), hijri);
		snprintf(title, sizeof title, "%s %.10s", kind_title(r->o->kind), r->created);
	} else {
		snprintf(header, sizeof header, "\xE2\x81\xA6%s\xE2\x81\xA9 \xE2\x80\x94 %s", r->c.number,
		         kind_title(r->o->kind));
		snprintf(title, sizeof title, "%s %s", kind_title(r->o->kind), r->c.number);
	}
	pdf_opts po = {
		.rtl = !strcmp(r->o->lang, "ar"),
		.header = header,
		/* TRANSLATORS: printed at the top of every page of every report. */
		.marking = _("CONFIDENTIAL \xE2\x80\x94 for official and judicial use only"),
		.title = title,
		.author = r->s->username,
		.created = r->created,
		.page_label = page_label,
		.label_ctx = r,
	};
	pdf_body_fn body = is_kind(r, "court") ? court_body
	                   : is_kind(r, "inventory") ? inventory_body
	                   : is_kind(r, "progress") ? progress_body
	                   : is_kind(r, "request") ? request_body
	                   : custody_body;
	pdf_doc *d = pdf_open(f, &po, err);
	if (!d)
		return err->code;
	dl_status rc = pdf_render(d, body, r, err);
	if (rc != DL_OK) {
		pdf_free(d);
		return rc;
	}
	*pages = pdf_pages(d);
	return pdf_finish(d, err);
}

/* The unit's name in the report's language, else the other one. */
static void unit_load(rctx *r)
{
	dl_err e = {0};
	int ar = !strcmp(r->o->lang, "ar");
	r->unit[0] = '\0';
	if (settings_get(r->s->store, ar ? "unit_name_ar" : "unit_name_en", r->unit, sizeof r->unit, &e) != DL_OK ||
	    !r->unit[0])
		settings_get(r->s->store, ar ? "unit_name_en" : "unit_name_ar", r->unit, sizeof r->unit, &e);
}

/* The lead, then every other assigned investigator. */
static dl_status examiners_load(rctx *r, dl_err *err)
{
	r->examiners = calloc(1 + r->c.nassigned, sizeof *r->examiners);
	if (!r->examiners)
		return dl_err_set(err, DL_ENOMEM, "", "%s", dl_status_str(DL_ENOMEM));
	for (size_t i = 0; i <= r->c.nassigned; i++) {
		const char *name = i == 0 ? r->c.lead : r->c.assigned[i - 1];
		if (!name || (i > 0 && r->c.lead && !strcmp(name, r->c.lead)))
			continue;
		dl_status rc = user_get(r->s, name, &r->examiners[r->nexaminers], err);
		if (rc != DL_OK)
			return rc;
		r->nexaminers++;
	}
	return DL_OK;
}

/* The identifiers the letter names: ids of identifiers known in the case. */
static dl_status chosen_load(rctx *r, dl_err *err)
{
	const char *p = r->o->provider;
	while (p && (*p == ' ' || *p == '\t'))
		p++;
	if (!p || !*p)
		return dl_err_set(err, DL_EINVAL, "provider", _("the provider the letter is addressed to is required"));
	const char *ids = r->o->identifiers;
	if (!ids || !*ids)
		return dl_err_set(err, DL_EINVAL, "identifiers",
		                  _("expected the ids of identifiers of the case, separated by commas"));
	dl_status rc = identifier_list(r->s, r->c.number, &r->idents, err);
	if (rc != DL_OK)
		return rc;
	r->chosen = calloc(strlen(ids) / 2 + 1, sizeof *r->chosen);
	if (!r->chosen)
		return dl_err_set(err, DL_ENOMEM, "", "%s", dl_status_str(DL_ENOMEM));
	for (const char *q = ids; *q;) {
		const char *end = strchr(q, ',');
		size_t len = end ? (size_t)(end - q) : strlen(q);
		char word[32];
		char *stop = NULL;
		long long id = 0;
		if (len > 0 && len < sizeof word) {
			memcpy(word, q, len);
			word[len] = '\0';
			id = strtoll(word, &stop, 10);
		}
		if (id <= 0 || !stop || *stop)
			/* TRANSLATORS: %.*s is what was given instead of an identifier id. */
			return dl_err_set(err, DL_EINVAL, "identifiers",
			                  _("\"%.*s\" is not an identifier id: expected numbers separated by commas"),
			                  (int)len, q);
		const dl_identifier *found = NULL;
		for (size_t i = 0; i < r->idents.n && !found; i++)
			if (r->idents.v[i].id == id)
				found = &r->idents.v[i];
		if (!found)
			return dl_err_set(err, DL_EINVAL, "identifiers", _("identifier %lld is not recorded in case %s"),
			                  id, r->c.number);
		int dup = 0;
		for (size_t i = 0; i < r->nchosen; i++)
			dup |= r->chosen[i] == found;
		if (!dup)
			r->chosen[r->nchosen++] = found;
		q = end ? end + 1 : q + len;
	}
	return DL_OK;
}

static dl_status progress_load(rctx *r, dl_err *err)
{
	dl_status rc;
	if ((rc = perm_supervise(r->s, err)) != DL_OK || (rc = dashboard_load(r->s, &r->dash, err)) != DL_OK)
		return rc;
	r->have_dash = 1;
	dl_case_filter f = {.sort = "number"};
	if ((rc = case_list(r->s, &f, &r->cases, err)) != DL_OK)
		return rc;
	r->counts = calloc(r->cases.n + 1, sizeof *r->counts);
	if (!r->counts)
		return dl_err_set(err, DL_ENOMEM, "", "%s", dl_status_str(DL_ENOMEM));
	for (size_t i = 0; i < r->cases.n; i++) {
		const char *number = r->cases.v[i].number;
		case_counts *k = &r->counts[i];
		dl_person_list pl;
		if ((rc = person_list(r->s, number, &pl, err)) != DL_OK)
			return rc;
		/* one entry per role: count the persons */
		for (size_t p = 0; p < pl.n; p++)
			k->persons += p == 0 || pl.v[p].id != pl.v[p - 1].id;
		person_list_free(&pl);
		dl_device_list dl;
		if ((rc = device_list(r->s, number, &dl, err)) != DL_OK)
			return rc;
		k->devices = (long long)dl.n;
		device_list_free(&dl);
		dl_item_filter itf = {.case_number = number};
		if ((rc = evidence_item_count(r->s, &itf, &k->items, err)) != DL_OK)
			return rc;
		dl_request_list rl;
		if ((rc = request_list(r->s, number, 0, &rl, err)) != DL_OK)
			return rc;
		k->requests = (long long)rl.n;
		for (size_t q = 0; q < rl.n; q++)
			k->overdue_requests += rl.v[q].overdue != 0;
		request_list_free(&rl);
	}
	return DL_OK;
}

static dl_status load(rctx *r, dl_err *err)
{
	dl_status rc;
	unit_load(r);
	if (is_kind(r, "progress"))
		return progress_load(r, err);
	if ((rc = case_get(r->s, r->o->case_number, &r->c, err)) != DL_OK)
		return rc;
	if ((rc = examiners_load(r, err)) != DL_OK)
		return rc;
	if (is_kind(r, "request"))
		return chosen_load(r, err);
	if ((rc = device_list(r->s, r->c.number, &r->devices, err)) != DL_OK ||
	    (rc = evidence_source_list(r->s, r->c.number, &r->sources, err)) != DL_OK ||
	    (rc = custody_list(r->s, r->c.number, NULL, 0, &r->custody, err)) != DL_OK)
		return rc;
	dl_item_filter f = {.case_number = r->c.number};
	if ((rc = evidence_item_count(r->s, &f, &r->nitems, err)) != DL_OK)
		return rc;
	if (is_kind(r, "court") &&
	    ((rc = person_list(r->s, r->c.number, &r->persons, err)) != DL_OK ||
	     (rc = identifier_list(r->s, r->c.number, &r->idents, err)) != DL_OK ||
	     (rc = links_case(r->s, r->c.number, REPORT_LINKS_MAX, &r->links, err)) != DL_OK))
		return rc;
	return DL_OK;
}

static void unload(rctx *r)
{
	if (r->c.number)
		case_free(&r->c);
	device_list_free(&r->devices);
	evidence_source_list_free(&r->sources);
	custody_list_free(&r->custody);
	person_list_free(&r->persons);
	identifier_list_free(&r->idents);
	links_list_free(&r->links);
	for (size_t i = 0; i < r->nexaminers; i++)
		user_free(&r->examiners[i]);
	free(r->examiners);
	case_list_free(&r->cases);
	free(r->counts);
	if (r->have_dash)
		dashboard_free(&r->dash);
	free(r->chosen);
}

/* dalil's environment for lp, less the password and the key passphrase: a
 * command that never read them (a report) still has them in its environment,
 * and lp and the filters CUPS runs have no use for them. The array is
 * malloc'ed (free it), the strings are environ's own. */
static char **lp_environment(void)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = malloc((n + 1) * sizeof *env);
	if (!env)
		abort();
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "DALIL_PASSWORD=", 15) != 0 &&
		    strncmp(environ[i], "DALIL_KEY_PASSPHRASE=", 21) != 0)
			env[k++] = environ[i];
	env[k] = NULL;
	return env;
}

dl_status report_print(const char *path, dl_err *err)
{
	int pfd[2];
	if (pipe(pfd) != 0)
		return dl_err_set(err, DL_EIO, "print", _("cannot print %s: %s"), path, strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	/* lp's "request id is …" would scribble over the workstation's screen */
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	/* a file name starting with "-" would be read as an option */
	char arg[4100];
	snprintf(arg, sizeof arg, "%s%s", path[0] == '-' ? "./" : "", path);
	char *argv[] = {"lp", arg, NULL};
	char **env = lp_environment();
	pid_t pid;
	int e = posix_spawnp(&pid, "lp", &fa, NULL, argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (e != 0) {
		close(pfd[0]);
		if (e == ENOENT)
			return dl_err_set(err, DL_EIO, "print", _("cannot print %s: the lp command is not installed "
			                  "(install the package cups-client)"), path);
		return dl_err_set(err, DL_EIO, "print", _("cannot print %s: cannot run lp: %s"), path, strerror(e));
	}
	/* lp's complaint, read to the end so that lp never blocks on a full pipe */
	char msg[512];
	size_t len = 0;
	for (;;) {
		char chunk[512];
		ssize_t n = read(pfd[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t take = (size_t)n < sizeof msg - 1 - len ? (size_t)n : sizeof msg - 1 - len;
		memcpy(msg + len, chunk, take);
		len += take;
	}
	close(pfd[0]);
	msg[len] = '\0';
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return dl_err_set(err, DL_EIO, "print", _("cannot print %s: %s"), path, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return DL_OK;
	/* the first line of what lp said, without its trailing newline */
	msg[strcspn(msg, "\r\n")] = '\0';
	if (msg[0])
		/* TRANSLATORS: %s are the file and lp's own error message (often: no default printer). */
		return dl_err_set(err, DL_EIO, "print", _("cannot print %s: lp failed: %s"), path, msg);
	if (WIFEXITED(status))
		return dl_err_set(err, DL_EIO, "print", _("cannot print %s: lp failed with exit status %d"), path,
		                  WEXITSTATUS(status));
	return dl_err_set(err, DL_EIO, "print", _("cannot print %s: lp was stopped by a signal"), path);
}

dl_status report_render(dl_session *s, const report_opts *o, const char *out_path,
                        report_result *res, dl_err *err)
{
	memset(res, 0, sizeof *res);
	dl_status rc;
	int known = 0;
	for (int i = 0; o->kind && report_kinds_done[i]; i++)
		known |= !strcmp(report_kinds_done[i], o->kind);
	if (!known)
		return dl_err_set(err, DL_EINVAL, "kind", _("expected court, inventory, custody, progress or request"));
	int need_case = report_kind_needs_case(o->kind);
	if (need_case && (!o->case_number || !*o->case_number))
		return dl_err_set(err, DL_EINVAL, "case", _("a case number is required for this kind of report"));
	if (!need_case && o->case_number && *o->case_number)
		return dl_err_set(err, DL_EINVAL, "case", _("the progress report covers every case: give no case number"));
	if (!o->lang || (strcmp(o->lang, "ar") && strcmp(o->lang, "en")))
		return dl_err_set(err, DL_EINVAL, "lang", _("expected ar or en"));
	if (!out_path || !*out_path)
		return dl_err_set(err, DL_EINVAL, "output", _("an output file is required"));
	if ((rc = pdf_fonts_check(err)) != DL_OK)
		return rc;

	/* a string that lost memory would print short in a court document:
	 * any allocation failure while drawing fails the report */
	unsigned long mark = store_oom_mark();
	rctx r = {.s = s, .o = o};
	store_now(res->created_at);
	r.created = res->created_at;
	char json_path[4096], tmp_pdf[4160] = "", tmp_json[4160] = "";
	snprintf(json_path, sizeof json_path, "%s.json", out_path);
	FILE *f = NULL;
	if ((rc = load(&r, err)) != DL_OK)
		goto done;
	if (!(f = tmp_next_to(out_path, tmp_pdf, sizeof tmp_pdf, err))) {
		rc = err->code;
		goto done;
	}
	/* the report is written in o->lang; messages to the user stay in theirs */
	char *saved_lang = lang_push(o->lang);
	rc = render_pdf(&r, f, &res->pages, err);
	lang_pop(saved_lang);
	{
		dl_status rc2 = close_synced(f, out_path, err);
		if (rc == DL_OK)
			rc = rc2;
	}
	f = NULL;
	if (rc != DL_OK || (rc = file_sha256(tmp_pdf, res->sha256, err)) != DL_OK)
		goto done;
	char base_buf[4096];
	snprintf(base_buf, sizeof base_buf, "%s", out_path);
	const char *base = basename(base_buf);
	if (!(f = tmp_next_to(json_path, tmp_json, sizeof tmp_json, err))) {
		rc = err->code;
		goto done;
	}
	rc = write_json(&r, f, res->pages, base, res->sha256, err);
	{
		dl_status rc2 = close_synced(f, json_path, err);
		if (rc == DL_OK)
			rc = rc2;
	}
	f = NULL;
	if (rc == DL_OK)
		rc = store_oom_check(mark, err);
	if (rc != DL_OK)
		goto done;
	dl_report_input in = {
		.case_number = need_case ? r.c.number : NULL, .kind = o->kind, .lang = o->lang, .file_name = base,
		.sha256 = res->sha256, .created_at = res->created_at,
	};
	if ((rc = report_register(s, &in, &res->id, err)) != DL_OK)
		goto done;
	if (rename(tmp_pdf, out_path) != 0 || rename(tmp_json, json_path) != 0) {
		res->id = 0;   /* registered, but not where it was asked for: not "written" */
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), out_path, strerror(errno));
		goto done;
	}
	tmp_pdf[0] = tmp_json[0] = '\0';
	res->rows = is_kind(&r, "inventory") ? r.nitems
	            : is_kind(&r, "progress") ? (long long)r.cases.n
	            : is_kind(&r, "request") ? (long long)r.nchosen
	            : (long long)r.custody.n;
	/* written and registered: a printer problem does not undo that */
	if (o->print && (rc = report_print(out_path, err)) == DL_OK)
		res->printed = 1;
done:
	if (tmp_pdf[0])
		unlink(tmp_pdf);
	if (tmp_json[0])
		unlink(tmp_json);
	unload(&r);
	return rc;
}

dl_status report_verify(dl_session *s, const char *path, dl_report_rec *out, char sha256[65],
                        dl_err *err)
{
	memset(out, 0, sizeof *out);
	dl_status rc = file_sha256(path, sha256, err);
	if (rc != DL_OK)
		return rc;
	rc = report_find_sha256(s, sha256, out, err);
	if (rc == DL_ENOTFOUND)
		/* TRANSLATORS: %s is a file name, then its SHA-256. */
		return dl_err_set(err, DL_ENOTFOUND, "", _("%s is not a registered report, or it was changed "
		                  "after it was written (SHA-256 %s)"), path, sha256);
	return rc;
}
