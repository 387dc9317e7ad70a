/* cli.c — argument parsing, dispatch and output helpers of the command line. */
#include "cli.h"
#include "case.h"
#include "crypto.h"
#include "i18n.h"
#include "user.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

static const cli_command *const cli_tables[] = {
	cli_core_commands,
	cli_case_commands,
	cli_person_commands,
	cli_device_commands,
	cli_custody_commands, cli_request_commands, cli_note_commands,
	cli_hashset_commands,
	cli_evidence_commands,
	cli_links_commands,
	cli_graph_commands,
	cli_search_commands,
	cli_extract_commands,
	cli_report_commands,
	cli_bundle_commands,
	cli_backup_commands,
	NULL,
};

const char *arg_get(const cli_args *a, const char *name)
{
	const char *v = NULL;
	for (int i = 0; i < a->nopt; i++)
		if (!strcmp(a->opt[i].name, name))
			v = a->opt[i].value;
	return v;
}

int arg_has(const cli_args *a, const char *name)
{
	for (int i = 0; i < a->nopt; i++)
		if (!strcmp(a->opt[i].name, name))
			return 1;
	return 0;
}

const char *arg_nth(const cli_args *a, const char *name, int n)
{
	for (int i = 0; i < a->nopt; i++)
		if (!strcmp(a->opt[i].name, name) && n-- == 0)
			return a->opt[i].value;
	return NULL;
}

/* Find name in an option spec: 0 absent, 1 flag, 2 takes a value; *repeat set
 * when it may be given more than once. */
static int spec_find(const char *spec, const char *name, int *repeat)
{
	size_t n = strlen(name);
	for (const char *p = spec; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t base = len;
		*repeat = 0;
		if (base && p[base - 1] == '*') { base--; *repeat = 1; }
		int valued = base && p[base - 1] == '=';
		if (valued)
			base--;
		if (base == n && !strncmp(p, name, n))
			return valued ? 2 : 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* Global options may also follow the command. */
static const char global_spec[] = "store=,user=,password-file=,json,lang=";

static dl_status parse_args(cli_ctx *c, const cli_command *cmd, int argc, char **argv,
                            cli_args *a, dl_err *err)
{
	memset(a, 0, sizeof *a);
	int only_pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		/* "-o FILE" is the one short option: as "--o FILE" */
		int is_short = !only_pos && w[0] == '-' && w[1] && w[1] != '-' && w[2] == '\0';
		if (!is_short && (only_pos || strncmp(w, "--", 2) != 0 || w[2] == '\0')) {
			if (!only_pos && !strcmp(w, "--")) {
				only_pos = 1;
				continue;
			}
			if (a->npos == CLI_MAX_ARGS)
				return dl_err_set(err, DL_EINVAL, "", _("too many arguments"));
			a->pos[a->npos++] = w;
			continue;
		}
		char name[64];
		int skip = is_short ? 1 : 2;
		const char *eq = is_short ? NULL : strchr(w + 2, '=');
		size_t len = eq ? (size_t)(eq - w - 2) : strlen(w + skip);
		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, w + skip, len);
		name[len] = '\0';
		int repeat = 0;
		int kind = spec_find(cmd->opts, name, &repeat);
		int global = 0;
		if (!kind) {
			kind = spec_find(global_spec, name, &repeat);
			global = kind != 0;
		}
		if (!kind)
			return dl_err_set(err, DL_EINVAL, name, _("unknown option --%s for \"dalil %s%s%s\"; see dalil %s --help"),
			                  name, cmd->group, cmd->verb ? " " : "", cmd->verb ? cmd->verb : "",
			                  cmd->group);
		const char *value = NULL;
		if (kind == 2) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return dl_err_set(err, DL_EINVAL, name, _("option --%s needs a value"), name);
		} else if (eq) {
			return dl_err_set(err, DL_EINVAL, name, _("option --%s takes no value"), name);
		}
		if (global) {
			if (!strcmp(name, "json")) c->json = 1;
			else if (!strcmp(name, "user")) c->user = value;
			else if (!strcmp(name, "store")) c->store_dir = value;
			else if (!strcmp(name, "password-file")) c->password_file = value;
			/* --lang was applied by main before dispatch */
			continue;
		}
		if (!repeat && arg_has(a, name))
			return dl_err_set(err, DL_EINVAL, name, _("option --%s is given twice"), name);
		if (a->nopt == CLI_MAX_ARGS)
			return dl_err_set(err, DL_EINVAL, "", _("too many options"));
		a->opt[a->nopt].name = w + skip;   /* points into argv: keep the name only */
		a->opt[a->nopt].value = value;
		/* store the bare name: argv is writable, cut it at '=' */
		if (eq)
			((char *)w)[2 + len] = '\0';
		a->nopt++;
	}
	if (a->npos < cmd->min_pos)
		return dl_err_set(err, DL_EINVAL, "", _("missing argument; usage: dalil %s%s%s %s"),
		                  cmd->group, cmd->verb ? " " : "", cmd->verb ? cmd->verb : "", cmd->usage);
	if (a->npos > cmd->max_pos)
		return dl_err_set(err, DL_EINVAL, "", _("unexpected argument \"%s\"; usage: dalil %s%s%s %s"),
		                  a->pos[cmd->max_pos], cmd->group, cmd->verb ? " " : "", cmd->verb ? cmd->verb : "",
		                  cmd->usage);
	return DL_OK;
}

/* The longest password line read from a file or the terminal. */
#define SECRET_MAX 1100

/* The first line of file, without its line end. Read with read(2) into a
 * buffer of our own, never through stdio: a FILE's buffer (and getline's
 * growing one) would be freed with the password still in it. */
static char *read_line_file(const char *file, dl_err *err)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		dl_err_set(err, DL_EINVAL, "password-file", _("cannot read %s: %s"), file, strerror(errno));
		return NULL;
	}
	char buf[SECRET_MAX + 1];
	size_t len = 0;
	int nl = 0, bad = 0;
	while (len < sizeof buf && !nl) {
		ssize_t n = read(fd, buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			bad = errno;
		if (n <= 0)
			break;
		void *end = memchr(buf + len, '\n', (size_t)n);
		len = end ? (size_t)((char *)end - buf) : len + (size_t)n;
		nl = end != NULL;
	}
	close(fd);
	char *line = NULL;
	if (bad)
		dl_err_set(err, DL_EINVAL, "password-file", _("cannot read %s: %s"), file, strerror(bad));
	else if (!nl && len == sizeof buf)
		dl_err_set(err, DL_EINVAL, "password-file", _("the first line of %s is longer than %d bytes"), file,
		           SECRET_MAX);
	else {
		while (len > 0 && buf[len - 1] == '\r')
			len--;
		if (len == 0)
			dl_err_set(err, DL_EINVAL, "password-file", _("%s is empty"), file);
		else if (!(line = malloc(len + 1)))
			dl_err_set(err, DL_ENOMEM, "", _("out of memory"));
		else {
			memcpy(line, buf, len);
			line[len] = '\0';
		}
	}
	crypto_wipe(buf, sizeof buf);
	return line;
}

/* The value of the environment variable name, copied; the variable itself is
 * then wiped and removed, so that the secret is neither left in this
 * process's memory nor handed to the programs it starts (lp). NULL when it is
 * not set. */
char *cli_take_env_secret(const char *name)
{
	char *v = getenv(name);
	if (!v)
		return NULL;
	char *copy = strdup(v);
	if (!copy)
		abort();
	crypto_wipe(v, strlen(v));
	unsetenv(name);
	return copy;
}

static char *read_tty(const char *prompt, dl_err *err)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		dl_err_set(err, DL_EINVAL, "password",
		           _("no terminal to ask for the password: set DALIL_PASSWORD or use --password-file"));
		return NULL;
	}
	struct termios old, quiet;
	int have = tcgetattr(fd, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	if (write(fd, prompt, strlen(prompt)) < 0) { /* best effort */ }
	char buf[SECRET_MAX + 1];
	size_t len = 0;
	char ch = 0;
	while (len + 1 < sizeof buf && read(fd, &ch, 1) == 1 && ch != '\n')
		buf[len++] = ch;
	buf[len] = '\0';
	crypto_wipe(&ch, sizeof ch);
	if (have)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) { /* best effort */ }
	close(fd);
	char *r = strdup(buf);
	crypto_wipe(buf, sizeof buf);
	return r;
}

char *cli_read_password(const char *file, int use_env, const char *prompt, int confirm,
                        dl_err *err)
{
	if (file)
		return read_line_file(file, err);
	if (use_env && getenv("DALIL_PASSWORD"))
		return cli_take_env_secret("DALIL_PASSWORD");
	char *pw = read_tty(prompt, err);
	if (!pw || !confirm)
		return pw;
	char *again = read_tty(_("Repeat the password: "), err);
	if (!again || strcmp(pw, again) != 0) {
		if (again)
			dl_err_set(err, DL_EINVAL, "password", _("the two passwords differ"));
		crypto_wipe(pw, strlen(pw));
		free(pw);
		pw = NULL;
	}
	if (again) {
		crypto_wipe(again, strlen(again));
		free(again);
	}
	return pw;
}

void cli_json_print(json_w *w)
{
	buf_addc(&w->out, '\n');
	if (buf_failed(&w->out)) {
		/* a document with a hole would parse as a different one: nothing is
		 * printed, and the command fails as any out-of-memory does */
		buf_free(&w->out);
		fprintf(stderr, "dalil: %s\n", dl_status_str(DL_ENOMEM));
		exit(dl_status_exit(DL_ENOMEM));
	}
	fwrite(w->out.data, 1, w->out.len, stdout);
	buf_free(&w->out);
}

int cli_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int width = 0;
	const char *p = s;
	size_t left = strlen(s);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {  /* invalid: count a cell and move on */
			memset(&st, 0, sizeof st);
			width++;
			p++;
			left--;
			continue;
		}
		if (n == 0)
			break;
		int w = wcwidth(wc);
		width += w > 0 ? w : 0;
		p += n;
		left -= n;
	}
	return width;
}

void cli_print_padded(const char *s, int width)
{
	if (!s)
		s = "-";
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int used = 0;
	const char *p = s;
	size_t left = strlen(s);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			break;
		int w = wcwidth(wc);
		if (w < 0)
			w = 0;
		if (used + w > width)
			break;
		fwrite(p, 1, n, stdout);
		used += w;
		p += n;
		left -= n;
	}
	for (; used < width; used++)
		putchar(' ');
}

void cli_field(const char *label, const char *value)
{
	printf("%s: %s\n", label, value && *value ? value : "-");
}

void cli_field_int(const char *label, long long v)
{
	printf("%s: %lld\n", label, v);
}

int cli_fail(const dl_err *err)
{
	if (err->field[0])
		fprintf(stderr, "dalil: %s: %s\n", err->field, err->msg[0] ? err->msg : dl_status_str(err->code));
	else
		fprintf(stderr, "dalil: %s\n", err->msg[0] ? err->msg : dl_status_str(err->code));
	return dl_status_exit(err->code);
}

dl_status cli_require(cli_ctx *c, const cli_args *a, const char *opt)
{
	if (arg_get(a, opt))
		return DL_OK;
	return dl_err_set(&c->err, DL_EINVAL, opt, _("--%s is required"), opt);
}

dl_status cli_case_id(cli_ctx *c, cli_args *a, int write, long long *id)
{
	const char *num = arg_get(a, "case");
	if (!num)
		return dl_err_set(&c->err, DL_EINVAL, "case", _("--case N is required"));
	return case_resolve(&c->session, num, write, id, &c->err);
}

static const cli_command *find_command(const char *group, const char *verb, int *group_known)
{
	*group_known = 0;
	for (int t = 0; cli_tables[t]; t++)
		for (const cli_command *cmd = cli_tables[t]; cmd->group; cmd++) {
			if (strcmp(cmd->group, group) != 0)
				continue;
			*group_known = 1;
			if (!cmd->verb || (verb && !strcmp(cmd->verb, verb)))
				return cmd;
		}
	return NULL;
}

void cli_usage(const char *group)
{
	if (!group) {
		printf("%s\n\n", _("dalil — case management for digital evidence"));
		printf("%s\n", _("usage: dalil [--store DIR] [--user NAME] [--password-file F] [--json] [--lang ar|en] COMMAND ..."));
		printf("%s\n\n", _("       dalil            open the workstation"));
	}
	for (int t = 0; cli_tables[t]; t++)
		for (const cli_command *cmd = cli_tables[t]; cmd->group; cmd++) {
			if (group && strcmp(cmd->group, group) != 0)
				continue;
			char head[128];
			snprintf(head, sizeof head, "%s%s%s", cmd->group, cmd->verb ? " " : "",
			         cmd->verb ? cmd->verb : "");
			printf("  dalil %s %s\n      %s\n", head, cmd->usage, _(cmd->help));
		}
	if (!group) {
		printf("\n%s\n", _("The store is --store DIR, else $DALIL_STORE, else $XDG_DATA_HOME/dalil."));
		printf("%s\n", _("The password comes from --password-file, DALIL_PASSWORD or the terminal."));
		printf("%s\n", _("The passphrase of the unit's signing key comes from DALIL_KEY_PASSPHRASE or the terminal."));
		printf("%s\n", _("Exit codes: 0 done, 1 failed, 2 bad usage or input, 3 not permitted."));
	}
}

static int login(cli_ctx *c)
{
	dl_err *err = &c->err;
	if (store_open(c->store_dir, 0, &c->store, err) != DL_OK)
		return -1;
	if (!c->user || !*c->user) {
		dl_err_set(err, DL_EINVAL, "user", _("--user NAME is required for this command"));
		return -1;
	}
	char prompt[128];
	snprintf(prompt, sizeof prompt, _("Password for %s: "), c->user);
	char *pw = cli_read_password(c->password_file, 1, prompt, 0, err);
	if (!pw)
		return -1;
	dl_status rc = session_login(c->store, c->user, pw, &c->session, err);
	crypto_wipe(pw, strlen(pw));
	free(pw);
	return rc == DL_OK ? 0 : -1;
}

int cli_dispatch(cli_ctx *c, int argc, char **argv)
{
	const char *group = argv[0];
	const char *verb = argc > 1 ? argv[1] : NULL;
	if (verb && (!strcmp(verb, "--help") || !strcmp(verb, "-h"))) {
		cli_usage(group);
		return 0;
	}
	int known;
	const cli_command *cmd = find_command(group, verb && verb[0] != '-' ? verb : NULL, &known);
	if (!cmd) {
		if (known && verb)
			fprintf(stderr, _("dalil: unknown command \"%s %s\"\n"), group, verb);
		else if (known)
			fprintf(stderr, _("dalil: \"%s\" needs a command\n"), group);
		else
			fprintf(stderr, _("dalil: unknown command \"%s\"; see dalil --help\n"), group);
		if (known)
			cli_usage(group);
		return 2;
	}
	int skip = cmd->verb ? 2 : 1;
	cli_args a;
	if (parse_args(c, cmd, argc - skip, argv + skip, &a, &c->err) != DL_OK) {
		/* "dalil case add --help" (no command takes a --help of its own, and
		 * a value "--help" is taken as the value): the command's usage */
		if (!strcmp(c->err.field, "help") || !strcmp(c->err.field, "h")) {
			printf("  dalil %s%s%s %s\n      %s\n", cmd->group, cmd->verb ? " " : "",
			       cmd->verb ? cmd->verb : "", cmd->usage, _(cmd->help));
			return 0;
		}
		return cli_fail(&c->err);
	}
	if (cmd->login && login(c) != 0) {
		int code = cli_fail(&c->err);
		store_close(&c->store);
		return code;
	}
	dl_err_clear(&c->err);
	dl_status rc = cmd->run(c, &a);
	store_close(&c->store);
	if (rc != DL_OK)
		return cli_fail(&c->err);
	return 0;
}
