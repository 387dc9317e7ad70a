/* cli.h — the command line: argument parsing shared by every subcommand, the
 * command table, and output helpers (display-width tables, JSON, messages).
 * main() parses global options and dispatches here; nothing here uses curses. */
#ifndef DALIL_CLI_H
#define DALIL_CLI_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"
#include "store.h"

#define CLI_MAX_ARGS 64

/* Options and positional words of one command invocation. */
typedef struct cli_args {
	struct { const char *name; const char *value; } opt[CLI_MAX_ARGS];
	int nopt;
	const char *pos[CLI_MAX_ARGS];
	int npos;
} cli_args;

/* Global state of one run of dalil. */
typedef struct cli_ctx {
	const char *store_dir;      /* resolved store directory */
	const char *user;           /* --user */
	const char *password_file;  /* global --password-file */
	int json;                   /* --json */
	dl_store *store;            /* opened by the dispatcher for login commands */
	dl_session session;         /* valid when the command needs a login */
	dl_err err;                 /* what the handler failed with */
} cli_ctx;

/* A subcommand. opts lists accepted options, comma-separated; a trailing "="
 * marks one that takes a value, "*" one that may repeat ("phone=*"). */
typedef struct cli_command {
	const char *group;          /* "case" */
	const char *verb;           /* "add", or NULL for a group-less command */
	const char *usage;          /* "--number N --title-ar T [...]" */
	const char *help;           /* one line, translated at print time */
	const char *opts;
	int min_pos, max_pos;       /* positional words after the verb */
	int login;                  /* needs an authenticated session */
	dl_status (*run)(cli_ctx *c, cli_args *a);
} cli_command;

/* Command tables, one per area file (cli_case.c, cli_user.c, …), each ended by
 * an entry with a NULL group. cli.c lists them in cli_tables. */
extern const cli_command cli_core_commands[];   /* init, user, settings, audit */
extern const cli_command cli_case_commands[];
extern const cli_command cli_evidence_commands[];
extern const cli_command cli_person_commands[];  /* person, identifier */
extern const cli_command cli_device_commands[];
extern const cli_command cli_custody_commands[], cli_request_commands[], cli_note_commands[];
extern const cli_command cli_hashset_commands[];
extern const cli_command cli_links_commands[];
extern const cli_command cli_graph_commands[];   /* graph CASE|--all */
extern const cli_command cli_search_commands[];   /* search */
extern const cli_command cli_extract_commands[];  /* extract */
extern const cli_command cli_report_commands[];  /* report, report verify */
extern const cli_command cli_bundle_commands[];  /* keys, export, bundle verify */
extern const cli_command cli_backup_commands[];  /* backup, restore */

/* Last value of option name, or NULL. */
const char *arg_get(const cli_args *a, const char *name);
/* 1 when a flag (or valued option) was given. */
int arg_has(const cli_args *a, const char *name);
/* The i-th value of a repeatable option (NULL past the end). */
const char *arg_nth(const cli_args *a, const char *name, int i);

/* The value of the environment variable name (a password or passphrase),
 * malloc'ed; the variable is wiped in place and unset. NULL when not set. */
char *cli_take_env_secret(const char *name);

/* Read a password: from file (its first line) when given, else from
 * DALIL_PASSWORD when use_env, else from the terminal (prompt; confirm asks
 * twice). Returns a malloc'ed string (wipe and free it) or NULL with err set. */
char *cli_read_password(const char *file, int use_env, const char *prompt, int confirm,
                        dl_err *err);

/* Output. */
void cli_json_print(json_w *w);              /* prints and frees the document */
void cli_print_padded(const char *s, int width); /* pad/cut by display cells */
int cli_width(const char *s);                /* display cells of a UTF-8 string */
/* "key: value" lines for show commands; NULL values print as "-". */
void cli_field(const char *label, const char *value);
void cli_field_int(const char *label, long long v);

/* Dispatch argv (after global options) to a command. Returns the exit code. */
int cli_dispatch(cli_ctx *c, int argc, char **argv);

/* Print usage of all commands, or of one group. */
void cli_usage(const char *group);

/* Helpers for handlers. */
/* Print the error of a failed handler (stderr) and give its exit code. */
int cli_fail(const dl_err *err);
/* DL_EINVAL naming --opt when it was not given. */
dl_status cli_require(cli_ctx *c, const cli_args *a, const char *opt);
/* Resolve "--case N" (required) to an id the session may read (write = 0) or
 * change (write = 1). */
dl_status cli_case_id(cli_ctx *c, cli_args *a, int write, long long *id);

#endif
