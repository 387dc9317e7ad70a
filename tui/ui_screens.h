/* ui_screens.h — how each screen is opened; one file per screen (ui_NAME.c),
 * each a const ui_screen_ops and an opener. */
#ifndef DALIL_UI_SCREENS_H
#define DALIL_UI_SCREENS_H

/* ui_login.c: login (username given or asked), and on an empty store the
 * first administrator. */
void ui_login_open(const char *user);
void ui_first_admin_open(void);

/* ui_cases.c: the case list, the first screen after login. */
void ui_cases_open(void);
/* The new-case form; opens the case when saved. */
void ui_case_new_open(void);

/* ui_case.c: one case with its tabs. */
void ui_case_open(const char *number);
/* The case at one tab (an index into the tab bar: UI_TAB_PERSONS, …). */
enum { UI_TAB_OVERVIEW, UI_TAB_PERSONS, UI_TAB_DEVICES, UI_TAB_EVIDENCE };
void ui_case_open_tab(const char *number, int tab);

/* ui_evidence.c: the evidence browser of a case (source_id 0: all sources). */
void ui_evidence_open(const char *case_number, long long source_id);
/* The browser with its name filter set to name (an item's base name), so that
 * the item is in the list. */
void ui_evidence_open_at(const char *case_number, long long source_id, const char *name);

/* ui_ingest.c: choose a file or folder, ingest it with a progress screen. */
void ui_ingest_open(const char *case_number);

/* ui_search.c: search every case (names, numbers, identifiers, items, notes). */
void ui_search_open(void);

/* ui_dash.c: the supervisor dashboard. */
void ui_dash_open(void);

/* ui_admin.c: users and settings (administrators). */
void ui_admin_open(void);

#endif
