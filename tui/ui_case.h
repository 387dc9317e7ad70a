/* ui_case.h — the tabs of the case view. Each tab is a const ui_tab_ops in its
 * own file (ui_tab_NAME.c), listed once in ui_case.c. */
#ifndef DALIL_UI_CASE_H
#define DALIL_UI_CASE_H

#include "ui.h"

typedef struct ui_tab_ops {
	const char *title;                        /* N_() text for the tab bar */
	const ui_binding *keys;                   /* the tab's own keys, tried first */
	/* The tab's state for a case; NULL when it cannot load (message set). */
	void *(*open)(const char *case_number);
	/* Draws in rows [top, top + rows); reload when ui_generation() moved. */
	void (*draw)(void *tab, int top, int rows);
	/* An action from the tab's keys, or a movement; 1 when handled. */
	int (*act)(void *tab, ui_act a, int ch);
	void (*free)(void *tab);
} ui_tab_ops;

extern const ui_tab_ops ui_tab_overview, ui_tab_persons, ui_tab_devices, ui_tab_evidence,
	ui_tab_requests, ui_tab_custody, ui_tab_notes, ui_tab_links, ui_tab_reports, ui_tab_audit;

/* Delete confirmation used by the list tabs: "Delete NAME?" in the message line. */
int ui_case_confirm_delete(const char *what);

#endif
