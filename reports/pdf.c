/* pdf.c — see pdf.h. One PangoContext per document, with auto-dir off and the
 * base direction and alignment set on every layout: with auto-dir on, an Arabic
 * paragraph that starts with a Latin word would turn left to right. */
#include "pdf.h"
#include "i18n.h"
#include "json.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PAGE_W 595.276      /* A4 in points */
#define PAGE_H 841.890
#define MARGIN_X 50.0
#define MARGIN_TOP 62.0     /* the header sits above it */
#define MARGIN_BOTTOM 58.0  /* the footer sits below it */
#define CELL_PAD 3.0
#define MAX_COLS 8
#define RING 32

/* Font families: Arabic first in an Arabic document, Latin first otherwise;
 * Pango takes the next family for the letters the first one lacks. */
#define FONT_AR "Amiri"
#define FONT_LATIN "DejaVu Serif"
#define FONT_MONO "DejaVu Sans Mono"

struct pdf_doc {
	pdf_opts o;
	FILE *out;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fontmap;
	PangoContext *ctx;
	PangoFontDescription *font[4];   /* index = pdf_style */
	PangoFontDescription *font_title, *font_heading, *font_header, *font_marking;
	int pass;             /* 1: measure and count pages, 2: draw */
	int page;             /* current page, 0 before the first */
	int pages;            /* total, known after pass 1 */
	double y;             /* next free line from the top of the page */
	/* the open table */
	int ncols;
	double colw[MAX_COLS];
	const char *headers[MAX_COLS];
	char *header_copy[MAX_COLS];
	int in_table;
	int head_pending;           /* the header row waits for the first row, so they stay together */
	dl_buf ring[RING];
	int ring_next;
};

static double text_width(void)
{
	return PAGE_W - 2 * MARGIN_X;
}

/* ---- fonts ---- */

static dl_status font_check(const char *family, const char *package, dl_err *err)
{
	FcPattern *pat = FcNameParse((const FcChar8 *)family);
	if (!pat)
		return dl_err_set(err, DL_ENOMEM, "", "%s", dl_status_str(DL_ENOMEM));
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *match = FcFontMatch(NULL, pat, &res);
	FcPatternDestroy(pat);
	int ok = 0;
	char got[128] = "";
	FcChar8 *fam = NULL;
	for (int i = 0; match && FcPatternGetString(match, FC_FAMILY, i, &fam) == FcResultMatch; i++) {
		if (i == 0)
			snprintf(got, sizeof got, "%s", (const char *)fam);
		if (!strcasecmp((const char *)fam, family))
			ok = 1;
	}
	if (match)
		FcPatternDestroy(match);
	if (ok)
		return DL_OK;
	/* TRANSLATORS: %s are a font family, what fontconfig offered instead, and the
	 * Debian package to install. */
	return dl_err_set(err, DL_EIO, "", _("the font \"%s\" is not installed (fontconfig offers \"%s\" "
	                  "instead); install the package %s"), family, got[0] ? got : "-", package);
}

dl_status pdf_fonts_check(dl_err *err)
{
	if (!FcInit())
		return dl_err_set(err, DL_EIO, "", _("fontconfig could not be initialised"));
	dl_status rc;
	if ((rc = font_check(FONT_AR, "fonts-hosny-amiri", err)) != DL_OK ||
	    (rc = font_check(FONT_LATIN, "fonts-dejavu-core", err)) != DL_OK ||
	    (rc = font_check(FONT_MONO, "fonts-dejavu-core", err)) != DL_OK)
		return rc;
	return DL_OK;
}

/* ---- the document ---- */

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
	                                                     : CAIRO_STATUS_WRITE_ERROR;
}

static PangoFontDescription *font(const pdf_doc *d, const char *weight, double size, int mono)
{
	char spec[128];
	if (mono)
		snprintf(spec, sizeof spec, "%s, %s %s %g", FONT_MONO, FONT_AR, weight, size);
	else if (d->o.rtl)
		snprintf(spec, sizeof spec, "%s, %s %s %g", FONT_AR, FONT_LATIN, weight, size);
	else
		snprintf(spec, sizeof spec, "%s, %s %s %g", FONT_LATIN, FONT_AR, weight, size);
	return pango_font_description_from_string(spec);
}

pdf_doc *pdf_open(FILE *out, const pdf_opts *o, dl_err *err)
{
	pdf_doc *d = calloc(1, sizeof *d);
	if (!d) {
		dl_err_set(err, DL_ENOMEM, "", "%s", dl_status_str(DL_ENOMEM));
		return NULL;
	}
	d->o = *o;
	d->out = out;
	d->surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		dl_err_set(err, DL_EIO, "", _("cannot create the PDF: %s"),
		           cairo_status_to_string(cairo_surface_status(d->surface)));
		pdf_free(d);
		return NULL;
	}
	cairo_pdf_surface_restrict_to_version(d->surface, CAIRO_PDF_VERSION_1_5);
	/* Fixed dates from the report record: the same report renders the same bytes. */
	if (o->created) {
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, o->created);
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_MOD_DATE, o->created);
	}
	if (o->title)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, o->title);
	if (o->author)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_AUTHOR, o->author);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "dalil " DALIL_VERSION);
	d->cr = cairo_create(d->surface);

	d->fontmap = pango_cairo_font_map_new();
	d->ctx = pango_font_map_create_context(d->fontmap);
	pango_cairo_context_set_resolution(d->ctx, 72);   /* 1 pt = 1 PDF unit */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(d->ctx, fo);
	cairo_font_options_destroy(fo);
	/* Pango rounds glyph positions to whole device units by default: at 72 dpi
	 * that is whole points, which widens a line of hex digits by 7 %. */
	pango_context_set_round_glyph_positions(d->ctx, FALSE);
	pango_context_set_base_dir(d->ctx, o->rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
	PangoLanguage *lang = pango_language_from_string(o->rtl ? "ar" : "en");
	pango_context_set_language(d->ctx, lang);

	/* Amiri's letters are small for their size: a point more keeps both
	 * languages the same apparent size. */
	double base = o->rtl ? 10.5 : 9.0;
	d->font[PDF_NORMAL] = font(d, "", base, 0);
	d->font[PDF_BOLD] = font(d, "Bold", base, 0);
	d->font[PDF_SMALL] = font(d, "", base - 1.5, 0);
	d->font[PDF_MONO] = font(d, "", 6.2, 1);   /* a SHA-256 is ~239 pt wide */
	d->font_title = font(d, "Bold", base + 7, 0);
	d->font_heading = font(d, "Bold", base + 2.5, 0);
	d->font_header = font(d, "", base - 1.5, 0);
	d->font_marking = font(d, "Bold", base - 1, 0);
	return d;
}

void pdf_free(pdf_doc *d)
{
	if (!d)
		return;
	for (int i = 0; i < 4; i++)
		if (d->font[i])
			pango_font_description_free(d->font[i]);
	if (d->font_title)
		pango_font_description_free(d->font_title);
	if (d->font_heading)
		pango_font_description_free(d->font_heading);
	if (d->font_header)
		pango_font_description_free(d->font_header);
	if (d->font_marking)
		pango_font_description_free(d->font_marking);
	if (d->ctx)
		g_object_unref(d->ctx);
	if (d->fontmap)
		g_object_unref(d->fontmap);
	if (d->cr)
		cairo_destroy(d->cr);
	if (d->surface)
		cairo_surface_destroy(d->surface);
	for (int i = 0; i < MAX_COLS; i++)
		free(d->header_copy[i]);
	for (int i = 0; i < RING; i++)
		buf_free(&d->ring[i]);
	free(d);
}

dl_status pdf_finish(pdf_doc *d, dl_err *err)
{
	cairo_surface_finish(d->surface);
	cairo_status_t cs = cairo_surface_status(d->surface);
	pdf_free(d);
	if (cs != CAIRO_STATUS_SUCCESS)
		return dl_err_set(err, DL_EIO, "", _("cannot write the PDF: %s"), cairo_status_to_string(cs));
	return DL_OK;
}

int pdf_pages(const pdf_doc *d)
{
	return d->pages;
}

/* ---- layout ---- */

/* A layout of text in width points, aligned to the document's start side
 * (or centred). */
static PangoLayout *layout(pdf_doc *d, const char *text, const PangoFontDescription *f, double width,
                           int center)
{
	PangoLayout *l = pango_layout_new(d->ctx);
	pango_layout_set_auto_dir(l, FALSE);
	pango_layout_set_font_description(l, f);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, center ? PANGO_ALIGN_CENTER
	                              : d->o.rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(pdf_doc *d, PangoLayout *l, double x, double y)
{
	if (d->pass != 2)
		return;
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

static double bottom(void)
{
	return PAGE_H - MARGIN_BOTTOM;
}

static void page_header(pdf_doc *d)
{
	if (d->pass != 2)
		return;
	PangoLayout *l;
	if (d->o.marking) {
		/* a dark red marking above the header: seen on every page, even on a copy of one */
		l = layout(d, d->o.marking, d->font_marking, text_width(), 1);
		cairo_set_source_rgb(d->cr, 0.55, 0, 0);
		show(d, l, MARGIN_X, 14);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		g_object_unref(l);
	}
	l = layout(d, d->o.header, d->font_header, text_width(), 0);
	show(d, l, MARGIN_X, MARGIN_TOP - 26);
	g_object_unref(l);
	cairo_set_source_rgb(d->cr, 0.45, 0.45, 0.45);
	cairo_set_line_width(d->cr, 0.5);
	cairo_move_to(d->cr, MARGIN_X, MARGIN_TOP - 10);
	cairo_line_to(d->cr, PAGE_W - MARGIN_X, MARGIN_TOP - 10);
	cairo_stroke(d->cr);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static void page_footer(pdf_doc *d)
{
	if (d->pass != 2)
		return;
	char label[128];
	d->o.page_label(label, sizeof label, d->page, d->pages, d->o.label_ctx);
	/* FSI … PDI: the label reads in its own direction */
	const char *iso = pdf_iso(d, label);
	cairo_set_source_rgb(d->cr, 0.45, 0.45, 0.45);
	cairo_set_line_width(d->cr, 0.5);
	cairo_move_to(d->cr, MARGIN_X, bottom() + 12);
	cairo_line_to(d->cr, PAGE_W - MARGIN_X, bottom() + 12);
	cairo_stroke(d->cr);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	PangoLayout *l = layout(d, iso, d->font_header, text_width(), 1);
	show(d, l, MARGIN_X, bottom() + 18);
	g_object_unref(l);
}

static void header_row(pdf_doc *d);

static void new_page(pdf_doc *d)
{
	if (d->page > 0) {
		page_footer(d);
		if (d->pass == 2)
			cairo_show_page(d->cr);
	}
	d->page++;
	d->y = MARGIN_TOP;
	page_header(d);
}

/* Make room for h points: a new page when the current one is full (or none is
 * open yet). Returns 1 when a page was started. */
static int need(pdf_doc *d, double h)
{
	if (d->page == 0 || (d->y + h > bottom() && d->y > MARGIN_TOP)) {
		new_page(d);
		return 1;
	}
	return 0;
}

dl_status pdf_render(pdf_doc *d, pdf_body_fn body, void *ctx, dl_err *err)
{
	for (int pass = 1; pass <= 2; pass++) {
		d->pass = pass;
		d->page = 0;
		d->in_table = 0;
		d->head_pending = 0;
		dl_status rc = body(d, ctx, err);
		if (rc != DL_OK)
			return rc;
		if (d->page == 0)
			new_page(d);
		if (pass == 1)
			d->pages = d->page;
	}
	page_footer(d);   /* the last page's */
	cairo_show_page(d->cr);
	return DL_OK;
}

/* A block of text: line by line, so that a long paragraph breaks across pages. */
static void block(pdf_doc *d, const char *text, const PangoFontDescription *f, double x, double width,
                  int center)
{
	PangoLayout *l = layout(d, text, f, width, center);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double lh = (double)logical.height / PANGO_SCALE;
		need(d, lh);
		if (d->pass == 2) {
			double base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
			cairo_move_to(d->cr, x + (double)logical.x / PANGO_SCALE, d->y + base);
			pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
		}
		d->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
}

void pdf_title(pdf_doc *d, const char *text)
{
	block(d, text, d->font_title, MARGIN_X, text_width(), 1);
	d->y += 10;
}

void pdf_heading(pdf_doc *d, const char *text)
{
	/* keep a heading with at least two lines of what follows */
	need(d, 60);
	if (d->y > MARGIN_TOP)
		d->y += 8;
	block(d, text, d->font_heading, MARGIN_X, text_width(), 0);
	d->y += 4;
}

void pdf_paragraph(pdf_doc *d, const char *text, pdf_style style)
{
	block(d, text, d->font[style], MARGIN_X, text_width(), 0);
	d->y += 3;
}

void pdf_space(pdf_doc *d, double points)
{
	d->y += points;
}

void pdf_kv(pdf_doc *d, const char *key, const char *value, pdf_style style)
{
	const double keyw = 130;
	double vw = text_width() - keyw - 8;
	PangoLayout *k = layout(d, key, d->font[PDF_BOLD], keyw, 0);
	PangoLayout *v = layout(d, value && *value ? value : "-", d->font[style], vw, 0);
	double h = layout_height(k);
	if (layout_height(v) > h)
		h = layout_height(v);
	need(d, h);
	double kx = d->o.rtl ? PAGE_W - MARGIN_X - keyw : MARGIN_X;
	double vx = d->o.rtl ? MARGIN_X : MARGIN_X + keyw + 8;
	show(d, k, kx, d->y);
	show(d, v, vx, d->y);
	d->y += h + 2;
	g_object_unref(k);
	g_object_unref(v);
}

/* ---- tables ---- */

/* x of column i's left edge: columns are counted from the start side. */
static double col_x(const pdf_doc *d, int i)
{
	double before = 0;
	for (int c = 0; c < i; c++)
		before += d->colw[c];
	return d->o.rtl ? PAGE_W - MARGIN_X - before - d->colw[i] : MARGIN_X + before;
}

/* The height of a row of cells, laid out into l (unref'ed by the caller). */
static double row_layout(pdf_doc *d, const char *const *cells, const pdf_style *styles, int header,
                         PangoLayout **l)
{
	double h = 0;
	for (int c = 0; c < d->ncols; c++) {
		const PangoFontDescription *f = header ? d->font[PDF_BOLD] : d->font[styles ? styles[c] : PDF_NORMAL];
		l[c] = layout(d, cells[c], f, d->colw[c] - 2 * CELL_PAD, 0);
		double ch = layout_height(l[c]);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD;
}

static double header_height(pdf_doc *d)
{
	PangoLayout *l[MAX_COLS];
	double h = row_layout(d, d->headers, NULL, 1, l);
	for (int c = 0; c < d->ncols; c++)
		g_object_unref(l[c]);
	return h;
}

static void row(pdf_doc *d, const char *const *cells, const pdf_style *styles, int header)
{
	PangoLayout *l[MAX_COLS];
	double h = row_layout(d, cells, styles, header, l);
	if (!header && d->head_pending) {
		/* a table's header row and its first row go on one page */
		d->head_pending = 0;
		need(d, header_height(d) + h);
		header_row(d);
	}
	/* a new page repeats the header row first */
	if (need(d, h) && !header && d->in_table)
		header_row(d);
	if (d->pass == 2) {
		if (header) {
			cairo_set_source_rgb(d->cr, 0.88, 0.88, 0.88);
			cairo_rectangle(d->cr, MARGIN_X, d->y, text_width(), h);
			cairo_fill(d->cr);
			cairo_set_source_rgb(d->cr, 0, 0, 0);
		}
		cairo_set_line_width(d->cr, 0.4);
		for (int c = 0; c < d->ncols; c++) {
			double x = col_x(d, c);
			cairo_rectangle(d->cr, x, d->y, d->colw[c], h);
			cairo_stroke(d->cr);
			show(d, l[c], x + CELL_PAD, d->y + CELL_PAD);
		}
	}
	for (int c = 0; c < d->ncols; c++)
		g_object_unref(l[c]);
	d->y += h;
}

static void header_row(pdf_doc *d)
{
	row(d, d->headers, NULL, 1);
}

void pdf_table_begin(pdf_doc *d, int ncols, const double *widths, const char *const *headers)
{
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	d->ncols = ncols;
	for (int c = 0; c < ncols; c++) {
		d->colw[c] = widths[c] * text_width();
		free(d->header_copy[c]);
		d->header_copy[c] = strdup(headers[c] ? headers[c] : "");
		d->headers[c] = d->header_copy[c] ? d->header_copy[c] : "";
	}
	d->y += 2;
	d->in_table = 1;
	d->head_pending = 1;   /* drawn with the first row (row()), or alone by pdf_table_end */
}

void pdf_table_row(pdf_doc *d, const char *const *cells, const pdf_style *styles)
{
	row(d, cells, styles, 0);
}

void pdf_table_end(pdf_doc *d)
{
	if (d->head_pending) {
		d->head_pending = 0;
		need(d, header_height(d));
		header_row(d);
	}
	d->in_table = 0;
	d->y += 6;
}

/* ---- isolates ---- */

static dl_buf *ring(pdf_doc *d)
{
	dl_buf *b = &d->ring[d->ring_next];
	d->ring_next = (d->ring_next + 1) % RING;
	buf_reset(b);
	return b;
}

static const char *isolate(pdf_doc *d, const char *value, const char *open)
{
	dl_buf *b = ring(d);
	buf_adds(b, open);
	buf_adds(b, value && *value ? value : "-");
	buf_adds(b, "\xE2\x81\xA9");   /* PDI */
	return buf_str(b);
}

const char *pdf_iso(pdf_doc *d, const char *value)
{
	return isolate(d, value, "\xE2\x81\xA8");   /* FSI */
}

const char *pdf_iso_ltr(pdf_doc *d, const char *value)
{
	return isolate(d, value, "\xE2\x81\xA6");   /* LRI */
}

const char *pdf_fmt(pdf_doc *d, const char *fmt, ...)
{
	dl_buf *b = ring(d);
	va_list ap;
	va_start(ap, fmt);
	char tmp[1024];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return "";
	if ((size_t)n < sizeof tmp) {
		buf_adds(b, tmp);
		return buf_str(b);
	}
	/* longer than the stack buffer (a summary, a long path): format again on the heap */
	char *big = malloc((size_t)n + 1);
	if (!big)
		return "";
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_adds(b, big);
	free(big);
	return buf_str(b);
}
