/* i18n.h — gettext shorthands shared by every module. */
#ifndef DALIL_I18N_H
#define DALIL_I18N_H

#include <libintl.h>

#define DALIL_DOMAIN "dalil"
#define _(s) dgettext(DALIL_DOMAIN, s)
#define N_(s) (s)

#endif
