/* ui_form.h — the one form widget: labelled fields (text, password, date,
 * multiline text, choice, multi-choice, pickers filled from the store) with the
 * model's validation messages shown under the field they name. */
#ifndef DALIL_UI_FORM_H
#define DALIL_UI_FORM_H

#include <stddef.h>

#include "status.h"

typedef enum ui_field_kind {
	F_TEXT, F_PASSWORD, F_DATE, F_MULTILINE, F_CHOICE, F_MULTI,
} ui_field_kind;

/* A field as the caller describes it. */
typedef struct ui_field_def {
	ui_field_kind kind;
	const char *name;           /* the model's field name: errors naming it land here */
	const char *label;          /* N_() text */
	const char *hint;           /* N_() text shown after an empty field, or NULL */
	const char *const *choices; /* choice/multi: values, NULL-terminated */
	const char *(*choice_label)(const char *value);  /* translated label, or NULL */
} ui_field_def;

typedef struct ui_form ui_form;

/* Called with the form's values on Enter at the last field or Ctrl-S. DL_OK
 * closes the form; an error stays in it, shown under its field. */
typedef dl_status (*ui_form_submit)(ui_form *f, void *ctx, dl_err *err);

/* A form over n field definitions (copied). ctx is given to submit and freed
 * with ctx_free (may be NULL) when the form closes. */
ui_form *ui_form_new(const char *title, const ui_field_def *defs, size_t n,
                     ui_form_submit submit, void *ctx, void (*ctx_free)(void *));
/* Choices made at run time (pickers): values and their labels are copied. */
void ui_form_set_choices(ui_form *f, const char *name, const char *const *values,
                         const char *const *labels, size_t n);
/* Initial value (text, or the choice's value, or comma-separated values for multi). */
void ui_form_set(ui_form *f, const char *name, const char *value);
/* The value now: text, chosen value, comma-separated values; "" when empty.
 * Valid until the form changes. Never NULL for a known field. */
const char *ui_form_get(ui_form *f, const char *name);
/* The value, or NULL when empty (for the model's "not given"). */
const char *ui_form_opt(ui_form *f, const char *name);
/* A list field's value split, in place, at Latin or Arabic (U+060C) commas
 * into trimmed, non-empty items; returns how many (at most max). */
size_t ui_form_split_list(char *s, const char **items, size_t max);
/* The form changes nothing in a case (the report dialog): clerks may open it. */
void ui_form_for_everyone(ui_form *f);
/* Put the cursor on this field. */
void ui_form_focus(ui_form *f, const char *name);
/* Shows the form on top. Clerks are read-only: the form does not open, the
 * message line says why, and the form is freed. Returns 0 when shown. */
int ui_form_open(ui_form *f);

#endif
