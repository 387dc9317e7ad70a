/* i18n.h — gettext shorthands shared by every module. */
#ifndef DALIL_I18N_H
#define DALIL_I18N_H

#include <libintl.h>

#define DALIL_DOMAIN "dalil"
#define _(s) dgettext(DALIL_DOMAIN, s)
#define N_(s) (s)
/* Counted messages: Arabic has six plural forms. */
#define P_(one, many, n) dngettext(DALIL_DOMAIN, one, many, (unsigned long)(n))

#endif
