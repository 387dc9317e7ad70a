/* pdf.h — a small document engine for reports: A4 pages through Pango and
 * Cairo, a header (the case number) and a footer ("page N of M") on every page,
 * headings, paragraphs, key-value lines and tables whose header row repeats on
 * every page. A document is right to left (Arabic: text aligned right, table
 * columns counted from the right) or left to right, throughout.
 *
 * "Page N of M" needs M before page 1 is drawn, so the body is laid out twice:
 * pdf_render() calls the body function once to measure (nothing is drawn, the
 * pages are only counted) and once to draw. The body must produce the same
 * content both times (reports read the same store twice, inside the same
 * process, so it does). Rows are drawn and forgotten: memory does not grow with
 * the length of a table. */
#ifndef DALIL_PDF_H
#define DALIL_PDF_H

#include <stdio.h>

#include "status.h"

typedef struct pdf_doc pdf_doc;

/* Text styles. Hashes and other fixed-width values use PDF_MONO. */
typedef enum pdf_style {
	PDF_NORMAL, PDF_BOLD, PDF_SMALL, PDF_MONO,
} pdf_style;

typedef struct pdf_opts {
	int rtl;                 /* Arabic document */
	const char *header;      /* text at the top of every page (already isolated) */
	const char *marking;     /* confidentiality marking on every page, bold, centred; NULL none */
	const char *title;       /* PDF metadata */
	const char *author;
	const char *created;     /* "YYYY-MM-DDTHH:MM:SSZ": creation and modification date */
	/* footer: "page N of M" into out; ctx is label_ctx */
	const char *(*page_label)(char *out, size_t outsz, int page, int pages, void *ctx);
	void *label_ctx;
} pdf_opts;

/* The fonts reports need: Amiri (Arabic), DejaVu Serif (Latin), DejaVu Sans
 * Mono (hashes). fontconfig substitutes silently, so ask what it matched and
 * fail with a message naming the missing font and its Debian package. */
dl_status pdf_fonts_check(dl_err *err);

/* A document writing to out (left open: the caller closes it after
 * pdf_finish). NULL with err on failure. */
pdf_doc *pdf_open(FILE *out, const pdf_opts *o, dl_err *err);

/* Lay the body out twice (count, then draw). The body returns DL_OK or a
 * failure (with err filled) that stops the rendering. */
typedef dl_status (*pdf_body_fn)(pdf_doc *d, void *ctx, dl_err *err);
dl_status pdf_render(pdf_doc *d, pdf_body_fn body, void *ctx, dl_err *err);

/* Finish the file (flushes everything to out) and free the document. Returns
 * DL_EIO when cairo reported a write error. */
dl_status pdf_finish(pdf_doc *d, dl_err *err);
/* Free without finishing (after a failure). */
void pdf_free(pdf_doc *d);

/* Pages of the finished layout (valid after pdf_render). */
int pdf_pages(const pdf_doc *d);

/* Content, in reading order. Texts are UTF-8; values inside them should be
 * isolated (pdf_iso*) by the caller. */
void pdf_title(pdf_doc *d, const char *text);
void pdf_heading(pdf_doc *d, const char *text);
void pdf_paragraph(pdf_doc *d, const char *text, pdf_style style);
/* "key: value" with the key in a column of its own (on the start side). */
void pdf_kv(pdf_doc *d, const char *key, const char *value, pdf_style style);
void pdf_space(pdf_doc *d, double points);

/* A table of ncols columns (at most 8); widths are fractions of the text width
 * (summing to 1), column 0 on the start side (the right in Arabic). The header
 * row is drawn again at the top of every page the table continues on. */
void pdf_table_begin(pdf_doc *d, int ncols, const double *widths, const char *const *headers);
/* One row; styles may be NULL (all PDF_NORMAL). A cell may hold several lines. */
void pdf_table_row(pdf_doc *d, const char *const *cells, const pdf_style *styles);
void pdf_table_end(pdf_doc *d);

/* Bidi isolates around an inserted value, so that it cannot reorder the
 * sentence around it: FSI … PDI (direction from the value's first strong
 * letter: names, titles) or LRI … PDI (always left to right: numbers, dates,
 * hashes, paths, IMEIs). The result lives in a ring of 32 buffers inside the
 * document: valid until 32 more calls. NULL or "" gives "-". */
const char *pdf_iso(pdf_doc *d, const char *value);
const char *pdf_iso_ltr(pdf_doc *d, const char *value);
/* printf into a ring buffer (same lifetime). */
const char *pdf_fmt(pdf_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
