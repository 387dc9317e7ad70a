/* settings.c — see settings.h. */
#include "settings.h"
#include "i18n.h"
#include "store_priv.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const settings_keys[] = {
	"unit_name_ar", "unit_name_en", "deadline_days", "codepage", "bidi",
	"phone_country", "lockout_minutes",
	"ingest_max_depth", "ingest_max_entries", "ingest_max_mib", "ingest_max_ratio", NULL,
};

/* Whole-number settings: range and default. */
static const struct {
	const char *key;
	long long min, max;
	const char *def;
} int_settings[] = {
	{"deadline_days", 1, 3650, "90"},
	{"lockout_minutes", 1, 1440, "15"},
	{"ingest_max_depth", 1, 32, "8"},
	{"ingest_max_entries", 1, 1000000000, "10000000"},
	{"ingest_max_mib", 1, 1LL << 32, "1048576"},      /* 1 TiB expanded */
	/* deflate cannot pass ~1032:1 on one level: higher means nesting or overlap */
	{"ingest_max_ratio", 2, 1000000, "10000"},
};

/* Code pages glibc's iconv can decode (CP720 is not among them). */
static const char *const codepages[] = {"CP1256", "CP864", "CP437", "CP850", "UTF-8", NULL};
static const char *const bidi_modes[] = {"auto", "on", "off", NULL};
static const char *const countries[] = {"LY", "EG", "MA", "TN", NULL};
static const char *const country_cc[] = {"218", "20", "212", "216", NULL};

static const char *default_of(const char *key)
{
	for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++)
		if (!strcmp(key, int_settings[i].key))
			return int_settings[i].def;
	if (!strcmp(key, "codepage")) return "CP1256";
	if (!strcmp(key, "bidi")) return "auto";
	if (!strcmp(key, "phone_country")) return "LY";
	return "";
}

static int known(const char *key)
{
	for (int i = 0; settings_keys[i]; i++)
		if (!strcmp(settings_keys[i], key))
			return 1;
	return 0;
}

dl_status settings_get(dl_store *st, const char *key, char *out, size_t outsz, dl_err *err)
{
	/* out holds a string (the default) whatever happens: some callers use it
	 * without checking; the status still says when the read failed */
	if (outsz)
		snprintf(out, outsz, "%s", default_of(key));
	if (!known(key))
		return dl_err_set(err, DL_EINVAL, "key", _("unknown setting \"%s\"; expected one of: %s"),
		                  key, "unit_name_ar, unit_name_en, deadline_days, codepage, bidi, "
		                  "phone_country, lockout_minutes, ingest_max_depth, ingest_max_entries, "
		                  "ingest_max_mib, ingest_max_ratio");
	sqlite3_stmt *q = store_prepare(st, "SELECT value FROM settings WHERE key = ?", err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	const char *v = default_of(key);
	/* a read that failed is its error, never the default in disguise */
	int row;
	dl_status rc = store_step_one(st, q, &row, err);
	if (row && !(v = (const char *)sqlite3_column_text(q, 0)))
		rc = store_nomem(err);
	if (rc == DL_OK)
		snprintf(out, outsz, "%s", v);
	sqlite3_finalize(q);
	return rc;
}

dl_status settings_get_num(dl_store *st, const char *key, long long *out, dl_err *err)
{
	char v[32];
	dl_status rc = settings_get(st, key, v, sizeof v, err);
	if (rc != DL_OK)
		return rc;
	char *end;
	*out = strtoll(v, &end, 10);
	if (*end || end == v)
		*out = strtoll(default_of(key), NULL, 10);
	return DL_OK;
}

long long settings_get_int(dl_store *st, const char *key)
{
	long long n;
	if (settings_get_num(st, key, &n, NULL) == DL_OK)
		return n;
	/* unreadable (out of memory): the documented default, never 0, which
	 * as an ingest limit or a lockout would mean something else; noted for
	 * store_oom_check */
	store_oom_note();
	return strtoll(default_of(key), NULL, 10);
}

void settings_phone_cc(dl_store *st, char out[4])
{
	char v[8];
	int idx = 0;
	if (settings_get(st, "phone_country", v, sizeof v, NULL) == DL_OK) {
		for (int i = 0; countries[i]; i++)
			if (!strcmp(countries[i], v))
				idx = i;
	} else {
		/* unreadable: a number would be read with another country's code;
		 * noted for store_oom_check (identifier normalisation checks it) */
		store_oom_note();
	}
	snprintf(out, 4, "%s", country_cc[idx]);
}

static dl_status check_value(const char *key, const char *value, char *norm, size_t normsz,
                             dl_err *err)
{
	int idx;
	long long n;
	dl_status rc;
	if (!strcmp(key, "unit_name_ar") || !strcmp(key, "unit_name_en")) {
		rc = val_text(key, value, 200, 0, 0, err);
		if (rc == DL_OK)
			snprintf(norm, normsz, "%s", value);
		return rc;
	}
	for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++) {
		if (strcmp(key, int_settings[i].key) != 0)
			continue;
		rc = val_int(key, value, int_settings[i].min, int_settings[i].max, &n, err);
		if (rc == DL_OK)
			snprintf(norm, normsz, "%lld", n);
		return rc;
	}
	const char *const *names = !strcmp(key, "codepage") ? codepages
	                           : !strcmp(key, "bidi") ? bidi_modes : countries;
	char up[16];
	snprintf(up, sizeof up, "%s", value);
	if (names != bidi_modes)
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
	rc = val_enum(key, up, names, &idx, err);
	if (rc == DL_OK)
		snprintf(norm, normsz, "%s", names[idx]);
	return rc;
}

dl_status settings_set(dl_session *s, const char *key, const char *value, dl_err *err)
{
	dl_status rc = perm_admin(s, err);
	if (rc != DL_OK)
		return rc;
	char cur[8];
	if ((rc = settings_get(s->store, key, cur, sizeof cur, err)) != DL_OK)
		return rc;
	char norm[256];
	if ((rc = check_value(key, value, norm, sizeof norm, err)) != DL_OK)
		return rc;
	dl_store *st = s->store;
	if ((rc = session_begin(s, err)) != DL_OK)
		return rc;
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO settings (key, value) VALUES (?1, ?2)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value", err);
	rc = q ? DL_OK : DL_EDB;
	if (q) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, norm, -1, SQLITE_STATIC);
		rc = store_step_done(st, q, err, key);
		sqlite3_finalize(q);
	}
	return store_end(st, rc, err);
}
