/* settings.h — the unit's settings, kept in the store: names, legal deadline,
 * legacy code page, bidi mode, phone country, lockout time. */
#ifndef DALIL_SETTINGS_H
#define DALIL_SETTINGS_H

#include <stddef.h>

#include "session.h"
#include "status.h"
#include "store.h"

/* The known settings, in display order:
 *   unit_name_ar, unit_name_en  text
 *   deadline_days               1–3650, default 90
 *   codepage                    CP1256 | CP864 | CP437 | CP850 | UTF-8, default CP1256
 *   bidi                        auto | on | off, default auto
 *   phone_country               LY | EG | MA | TN, default LY (national numbers)
 *   lockout_minutes             1–1440, default 15
 *   ingest_max_depth            nested archive levels opened, 1–32, default 8
 *   ingest_max_entries          items per source, default 10,000,000
 *   ingest_max_mib              bytes expanded per source, MiB, default 1 TiB
 *   ingest_max_ratio            expanded bytes per source byte, default 10000 */
extern const char *const settings_keys[];

/* The value of key (the default when not set) into out. DL_EINVAL for an
 * unknown key. Needs no session: the program reads them before login. */
dl_status settings_get(dl_store *st, const char *key, char *out, size_t outsz, dl_err *err);

/* An integer setting, or its default when missing or unreadable. */
long long settings_get_int(dl_store *st, const char *key);
/* The same, with a failure to read it (out of memory, the database) as an
 * error: for values that end up stored, like a case's deadline. */
dl_status settings_get_num(dl_store *st, const char *key, long long *out, dl_err *err);

/* The calling code ("218", "20", "212", "216") for phone_country. */
void settings_phone_cc(dl_store *st, char out[4]);

/* Validate and store. Admins only; audited. */
dl_status settings_set(dl_session *s, const char *key, const char *value, dl_err *err);

#endif
