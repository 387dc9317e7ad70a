/* main.c — parse the global options, set up locale and libraries, dispatch. */
#include "cli.h"
#include "crypto.h"
#include "i18n.h"
#include "store.h"
#include "ui.h"
#include "user.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DALIL_LOCALEDIR
#define DALIL_LOCALEDIR "/usr/share/locale"
#endif
/* The install's locale dir relative to its bin dir ("../share/locale"). */
#ifndef DALIL_LOCALEDIR_REL
#define DALIL_LOCALEDIR_REL "../share/locale"
#endif
#ifndef DALIL_VERSION
#define DALIL_VERSION "0.0"
#endif

/* DIR holds dalil's catalogues: the Arabic one is the marker. A bare
 * directory test is not enough: an installed /usr/bin/dalil sits next to
 * /usr/bin/locale, the locale(1) program. */
static int has_catalogue(const char *dir)
{
	char mo[PATH_MAX + 64];
	snprintf(mo, sizeof mo, "%s/ar/LC_MESSAGES/" DALIL_DOMAIN ".mo", dir);
	return access(mo, R_OK) == 0;
}

/* Where the catalogues are, first found wins:
 *   EXEDIR/locale              the build tree (the binary is in the build root);
 *   EXEDIR/DALIL_LOCALEDIR_REL  an install, wherever it was unpacked (a DESTDIR,
 *                              a .deb built with another prefix than configured);
 *   DALIL_LOCALEDIR            the configured install's locale dir. */
static const char *find_localedir(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return DALIL_LOCALEDIR;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return DALIL_LOCALEDIR;
	*slash = '\0';
	snprintf(buf, size, "%s/locale", exe);
	if (has_catalogue(buf))
		return buf;
	snprintf(buf, size, "%s/%s", exe, DALIL_LOCALEDIR_REL);
	if (has_catalogue(buf))
		return buf;
	return DALIL_LOCALEDIR;
}

static void setup_locale(const char *lang)
{
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C.UTF-8");
	/* A plain "C" locale would make gettext ignore LANGUAGE and print Arabic as '?'. */
	const char *ctype = setlocale(LC_CTYPE, NULL);
	if (!ctype || !strcmp(ctype, "C") || !strcmp(ctype, "POSIX"))
		setlocale(LC_ALL, "C.UTF-8");
	if (lang)
		setenv("LANGUAGE", lang, 1);
	char dir[PATH_MAX + 64];
	bindtextdomain(DALIL_DOMAIN, find_localedir(dir, sizeof dir));
	bind_textdomain_codeset(DALIL_DOMAIN, "UTF-8");
	textdomain(DALIL_DOMAIN);
}

int main(int argc, char **argv)
{
	/* --lang must act before any message is translated: look for it first. */
	const char *lang = NULL;
	/* Only the global options before the command: "report --lang ar" is the
	 * report's language, not the interface's. */
	for (int i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			lang = argv[++i];
		else if (!strncmp(argv[i], "--lang=", 7))
			lang = argv[i] + 7;
		else if (!strcmp(argv[i], "--store") || !strcmp(argv[i], "--user") ||
		         !strcmp(argv[i], "--password-file"))
			i++;
	}
	if (lang && strcmp(lang, "ar") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, "dalil: lang: expected ar or en, got \"%s\"\n", lang);
		return 2;
	}
	setup_locale(lang);
	if (crypto_init() != 0) {
		fprintf(stderr, "%s\n", _("dalil: libgcrypt 1.8 or newer is required"));
		return 1;
	}

	cli_ctx c = {0};
	int i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *a = argv[i];
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
#define IS(name) (len == strlen(name) && !strncmp(a, name, len))
		if (IS("--help")) {
			cli_usage(NULL);
			return 0;
		}
		if (IS("--version")) {
			printf("dalil %s\n", DALIL_VERSION);
			return 0;
		}
		if (IS("--json")) {
			c.json = 1;
			continue;
		}
		if (!IS("--store") && !IS("--user") && !IS("--password-file") && !IS("--lang")) {
			fprintf(stderr, _("dalil: unknown option %s; see dalil --help\n"), a);
			return 2;
		}
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v) {
			fprintf(stderr, _("dalil: option %s needs a value\n"), a);
			return 2;
		}
		if (IS("--store")) c.store_dir = v;
		else if (IS("--user")) c.user = v;
		else if (IS("--password-file")) c.password_file = v;
#undef IS
	}
	if (i < argc && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "help"))) {
		cli_usage(NULL);
		return 0;
	}
	static char store_buf[4096];
	if (!c.store_dir) {
		if (store_default_dir(store_buf, sizeof store_buf) != 0) {
			fprintf(stderr, "%s\n", _("dalil: no store: give --store DIR or set DALIL_STORE"));
			return 2;
		}
		c.store_dir = store_buf;
	}
	if (i >= argc) {
		/* scripts and tests log in with --user and a password file or
		 * DALIL_PASSWORD; otherwise the workstation asks */
		char *pw = NULL;
		if (c.user && (c.password_file || getenv("DALIL_PASSWORD"))) {
			pw = cli_read_password(c.password_file, 1, NULL, 0, &c.err);
			if (!pw)
				return cli_fail(&c.err);
		}
		int rc = ui_main(c.store_dir, c.user, pw);
		if (pw) {
			explicit_bzero(pw, strlen(pw));
			free(pw);
		}
		return rc;
	}
	return cli_dispatch(&c, argc - i, argv + i);
}
