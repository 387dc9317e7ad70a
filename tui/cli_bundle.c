/* cli_bundle.c — the unit's keys (keys init|export|trust|list), signed case
 * bundles (export CASE -o FILE) and their verification (bundle verify FILE). */
#include "bundle.h"
#include "caseunpack.h"
#include "cli.h"
#include "crypto.h"
#include "i18n.h"
#include "keys.h"
#include "uco.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The passphrase of the unit's signing key: DALIL_KEY_PASSPHRASE, else the
 * terminal (asked twice when confirm). malloc'ed; wipe and free it. */
static char *read_passphrase(int confirm, dl_err *err)
{
	char *env = cli_take_env_secret("DALIL_KEY_PASSPHRASE");
	if (env)
		return env;
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty < 0) {
		dl_err_set(err, DL_EINVAL, "passphrase",
		           _("no terminal to ask for the signing key's passphrase: set DALIL_KEY_PASSPHRASE"));
		return NULL;
	}
	close(tty);
	return cli_read_password(NULL, 0, _("Passphrase of the unit's signing key: "), confirm, err);
}

static void wipe_free(char *p)
{
	if (p) {
		crypto_wipe(p, strlen(p));
		free(p);
	}
}

static void key_json(json_w *w, const dl_unit_key *k)
{
	char hex[65], grouped[KEYS_FPR_GROUPED];
	crypto_hex(k->pub, KEYS_PUBLIC_LEN, hex);
	keys_fingerprint_grouped(k->fingerprint, grouped);
	json_begin_object(w);
	json_kint(w, "id", k->id);
	json_kstr(w, "name", k->name);
	json_kbool(w, "own", k->own);
	json_kstr(w, "public_key", hex);
	json_kstr(w, "fingerprint", k->fingerprint);
	json_kstr(w, "fingerprint_grouped", grouped);
	json_kstr(w, "added_by", k->added_by[0] ? k->added_by : NULL);
	json_kstr(w, "created_at", k->created_at);
	json_end_object(w);
}

static void print_fingerprint(const dl_unit_key *k)
{
	char grouped[KEYS_FPR_GROUPED];
	keys_fingerprint_grouped(k->fingerprint, grouped);
	/* TRANSLATORS: followed by 16 groups of 4 hexadecimal digits */
	printf(_("fingerprint: %s\n"), grouped);
}

static dl_status run_keys_init(cli_ctx *c, cli_args *a)
{
	/* permission first: nobody types a passphrase only to be told no */
	dl_status rc = perm_admin(&c->session, &c->err);
	if (rc != DL_OK)
		return rc;
	char *pass = read_passphrase(1, &c->err);
	if (!pass)
		return c->err.code;
	dl_unit_key k;
	rc = keys_init(&c->session, arg_get(a, "name"), pass, &k, &c->err);
	wipe_free(pass);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		key_json(&w, &k);
		cli_json_print(&w);
	} else {
		printf(_("signing key created for %s\n"), k.name);
		print_fingerprint(&k);
		printf("%s\n", _("give other units the output of \"dalil keys export\"; keep the passphrase apart "
		                 "from this machine"));
	}
	return DL_OK;
}

static dl_status run_keys_export(cli_ctx *c, cli_args *a)
{
	(void)a;
	dl_unit_key k;
	dl_status rc = keys_own(c->store, &k, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		key_json(&w, &k);
		cli_json_print(&w);
		return DL_OK;
	}
	dl_buf t = {0};
	keys_export_text(k.pub, k.name, &t);
	fwrite(buf_str(&t), 1, t.len, stdout);
	buf_free(&t);
	return DL_OK;
}

#define KEY_FILE_MAX 4096

static dl_status run_keys_trust(cli_ctx *c, cli_args *a)
{
	dl_status rc = cli_require(c, a, "name");
	if (rc != DL_OK)
		return rc;
	const char *file = a->pos[0];
	FILE *f = fopen(file, "rb");
	if (!f)
		return dl_err_set(&c->err, DL_EINVAL, "file", _("cannot read %s: %s"), file, strerror(errno));
	char text[KEY_FILE_MAX + 1];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	if (n > KEY_FILE_MAX)
		return dl_err_set(&c->err, DL_EINVAL, "file", _("%s is too large for a unit key"), file);
	text[n] = '\0';
	unsigned char pub[KEYS_PUBLIC_LEN];
	char unit[129];
	if ((rc = keys_parse_text(text, n, pub, unit, sizeof unit, &c->err)) != DL_OK)
		return rc;
	dl_unit_key k;
	if ((rc = keys_trust(&c->session, arg_get(a, "name"), pub, &k, &c->err)) != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		key_json(&w, &k);
		cli_json_print(&w);
	} else {
		printf(_("trusted \"%s\" (the file names it \"%s\")\n"), k.name, unit);
		print_fingerprint(&k);
		printf("%s\n", _("check this fingerprint with the other unit (read it aloud over the phone) "
		                 "before you rely on its bundles"));
	}
	return DL_OK;
}

static dl_status run_keys_list(cli_ctx *c, cli_args *a)
{
	(void)a;
	dl_unit_key_list l;
	dl_status rc = keys_list(&c->session, &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++)
			key_json(&w, &l.v[i]);
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			char grouped[KEYS_FPR_GROUPED];
			keys_fingerprint_grouped(l.v[i].fingerprint, grouped);
			printf("%-8s ", l.v[i].own ? _("own") : _("trusted"));
			cli_print_padded(l.v[i].name, 24);
			printf("  %s\n", grouped);
		}
		if (l.n == 0)
			printf("%s\n", _("no keys: \"dalil keys init\" creates this unit's"));
	}
	keys_list_free(&l);
	return DL_OK;
}

/* export CASE --format case-uco: the case as CASE/UCO JSON-LD, unsigned */
static dl_status run_export_uco(cli_ctx *c, cli_args *a, const char *out)
{
	if (arg_has(a, "metadata-only"))
		return dl_err_set(&c->err, DL_EINVAL, "metadata-only",
		                  _("--metadata-only is for bundles: a CASE/UCO document never holds evidence bytes"));
	if (arg_has(a, "since"))
		return dl_err_set(&c->err, DL_EINVAL, "since",
		                  _("--since is for bundles: a CASE/UCO document is always the whole case"));
	uco_result r;
	dl_status rc = uco_export(&c->session, a->pos[0], out, &r, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kstr(&w, "file", out);
		json_kstr(&w, "case_number", a->pos[0]);
		json_kstr(&w, "format", "case-uco");
		json_kint(&w, "objects", r.objects);
		json_kint(&w, "files", r.files);
		json_kint(&w, "bytes", r.bytes);
		json_kstr(&w, "sha256", r.sha256);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		/* TRANSLATORS: "CASE/UCO written: FILE (2026/TIP/0001, 420 nodes, 300 files)" */
		printf(_("CASE/UCO written: %s (%s, %lld nodes, %lld files)\n"), out, a->pos[0], r.objects, r.files);
		printf("SHA-256: %s\n", r.sha256);
	}
	return DL_OK;
}

static dl_status run_export(cli_ctx *c, cli_args *a)
{
	const char *out = arg_get(a, "o");
	if (!out)
		out = arg_get(a, "output");
	const char *format = arg_get(a, "format");
	if (format && strcmp(format, "bundle") && strcmp(format, "case-uco"))
		return dl_err_set(&c->err, DL_EINVAL, "format", _("expected bundle or case-uco, got %s"), format);
	if (!out)
		return dl_err_set(&c->err, DL_EINVAL, "output", _("-o FILE is required"));
	if (format && !strcmp(format, "case-uco"))
		return run_export_uco(c, a, out);
	/* the checks that need no passphrase come first */
	dl_status rc = perm_supervise(&c->session, &c->err);
	if (rc != DL_OK)
		return dl_err_set(&c->err, DL_EPERM, "", _("only supervisors and administrators may send a case "
		                                           "out of the unit"));
	dl_unit_key k;
	if ((rc = keys_own(c->store, &k, &c->err)) != DL_OK)
		return rc;
	char *pass = read_passphrase(0, &c->err);
	if (!pass)
		return c->err.code;
	bundle_export_result r;
	rc = bundle_export(&c->session, a->pos[0], out, arg_has(a, "metadata-only"), arg_get(a, "since"), pass, &r,
	                   &c->err);
	wipe_free(pass);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kstr(&w, "file", out);
		json_kstr(&w, "case_number", a->pos[0]);
		json_kbool(&w, "metadata_only", arg_has(a, "metadata-only"));
		json_kint(&w, "records", r.records);
		json_kint(&w, "audit_entries", r.audit);
		json_kint(&w, "objects_listed", r.listed);
		json_kint(&w, "objects", r.objects);
		json_kint(&w, "object_bytes", r.object_bytes);
		json_kint(&w, "bytes", r.bytes);
		json_kstr(&w, "sha256", r.sha256);
		json_kstr(&w, "manifest_sha256", r.manifest_sha256);
		json_kstr(&w, "fingerprint", r.fingerprint);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		char objs[96];
		snprintf(objs, sizeof objs, P_("%lld object", "%lld objects", r.objects), r.objects);
		/* TRANSLATORS: "bundle written: FILE (2026/TIP/0001, 42 records, 3 objects)" */
		printf(_("bundle written: %s (%s, %lld records, %s)\n"), out, a->pos[0], r.records, objs);
		printf("SHA-256: %s\n", r.sha256);
		print_fingerprint(&k);
	}
	return DL_OK;
}

static dl_status run_bundle_verify(cli_ctx *c, cli_args *a)
{
	bundle_info info;
	dl_status rc = bundle_verify(&c->session, a->pos[0], &info, &c->err);
	if (rc != DL_OK && rc != DL_ETAMPER)
		return rc;
	char grouped[KEYS_FPR_GROUPED] = "";
	if (info.fingerprint[0])
		keys_fingerprint_grouped(info.fingerprint, grouped);
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kstr(&w, "file", a->pos[0]);
		json_kbool(&w, "ok", rc == DL_OK);
		json_kstr(&w, "case_number", info.case_number);
		json_kstr(&w, "created_at", info.created_at);
		json_kstr(&w, "created_by", info.created_by);
		json_kstr(&w, "unit_name_ar", info.unit_name_ar);
		json_kstr(&w, "unit_name_en", info.unit_name_en);
		json_kstr(&w, "signer", info.signer);
		json_kbool(&w, "signer_own", info.signer_own);
		json_kstr(&w, "fingerprint", info.fingerprint[0] ? info.fingerprint : NULL);
		json_kbool(&w, "signature_ok", info.signature_ok);
		json_kbool(&w, "metadata_only", info.metadata_only);
		json_kint(&w, "records", info.records);
		json_kint(&w, "audit_entries", info.audit);
		json_kint(&w, "objects_listed", info.listed);
		json_kint(&w, "objects_expected", info.expected);
		json_kint(&w, "objects_verified", info.present);
		json_kint(&w, "object_bytes", info.object_bytes);
		json_kint(&w, "in_place_sources", info.in_place);
		json_kstr(&w, "sha256", info.sha256[0] ? info.sha256 : NULL);
		json_kstr(&w, "manifest_sha256", info.manifest_sha256[0] ? info.manifest_sha256 : NULL);
		json_key(&w, "problems");
		json_begin_array(&w);
		for (size_t i = 0; i < info.nproblems; i++)
			json_str(&w, info.problems[i]);
		json_end_array(&w);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		cli_field(_("case"), info.case_number);
		const char *unit = info.unit_name_en && *info.unit_name_en ? info.unit_name_en : info.unit_name_ar;
		cli_field(_("sending unit"), unit && *unit ? unit : NULL);
		cli_field(_("signed by"), info.signer ? info.signer : _("(nobody this unit trusts)"));
		cli_field(_("fingerprint"), grouped[0] ? grouped : NULL);
		cli_field(_("signature"), info.signature_ok ? _("good") : _("NOT VERIFIED"));
		cli_field(_("signed at"), info.created_at);
		cli_field(_("exported by"), info.created_by);
		cli_field_int(_("records"), info.records);
		cli_field_int(_("audit entries"), info.audit);
		char objs[128];
		snprintf(objs, sizeof objs, _("%lld of %lld verified (%lld listed, %lld kept in place at the sender)"),
		         info.present, info.expected, info.listed, info.in_place);
		cli_field(_("objects"), objs);
		if (info.metadata_only)
			cli_field(_("content"), _("metadata only: no evidence bytes"));
		cli_field("SHA-256", info.sha256[0] ? info.sha256 : NULL);
		for (size_t i = 0; i < info.nproblems; i++)
			fprintf(stderr, "dalil: %s\n", info.problems[i]);
		if (rc == DL_OK)
			printf("%s\n", _("bundle verified: signature good, every object matches the manifest"));
	}
	bundle_info_free(&info);
	return rc;
}

static dl_status run_bundle_import(cli_ctx *c, cli_args *a)
{
	bundle_import_result r;
	dl_status rc = bundle_import(&c->session, a->pos[0], &r, &c->err);
	const bundle_info *in = &r.info;
	if (c->json) {
		json_w w = {0};
		json_begin_object(&w);
		json_kstr(&w, "file", a->pos[0]);
		json_kbool(&w, "ok", rc == DL_OK);
		json_kbool(&w, "already_imported", r.already);
		json_kstr(&w, "bundle_id", in->manifest_sha256[0] ? in->manifest_sha256 : NULL);
		json_kstr(&w, "sender_case_number", in->case_number);
		json_kstr(&w, "case_number", r.case_number[0] ? r.case_number : NULL);
		json_kbool(&w, "renumbered", r.renumbered);
		json_kstr(&w, "signer", in->signer);
		json_kstr(&w, "fingerprint", in->fingerprint[0] ? in->fingerprint : NULL);
		json_kint(&w, "records", r.records);
		json_kint(&w, "hashsets_mapped", r.mapped);
		json_kint(&w, "users_created", r.users_created);
		json_kint(&w, "received_events", r.received);
		json_kint(&w, "audit_entries", r.audit);
		json_kint(&w, "objects", r.objects);
		json_kint(&w, "object_bytes", r.object_bytes);
		json_kbool(&w, "incremental", r.incremental);
		json_key(&w, "problems");
		json_begin_array(&w);
		for (size_t i = 0; i < in->nproblems; i++)
			json_str(&w, in->problems[i]);
		json_end_array(&w);
		json_key(&w, "conflicts");
		json_begin_array(&w);
		for (size_t i = 0; i < r.nconflicts; i++)
			json_str(&w, r.conflicts[i]);
		json_end_array(&w);
		json_end_object(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < in->nproblems; i++)
			fprintf(stderr, "dalil: %s\n", in->problems[i]);
		for (size_t i = 0; i < r.nconflicts; i++)
			fprintf(stderr, "dalil: %s\n", r.conflicts[i]);
		if (rc == DL_OK && r.already) {
			printf(_("already imported as case %s: nothing changed\n"), r.case_number);
		} else if (rc == DL_OK && r.incremental) {
			printf(P_("%lld change applied to case %s (%lld objects)\n",
			          "%lld changes applied to case %s (%lld objects)\n", r.records),
			       r.records, r.case_number, r.objects);
		} else if (rc == DL_OK && r.already) {
			printf(_("already imported as case %s: nothing changed\n"), r.case_number);
		} else if (rc == DL_OK) {
			cli_field(_("case"), r.case_number);
			if (r.renumbered)
				cli_field(_("sender's number"), in->case_number);
			cli_field(_("signed by"), in->signer);
			cli_field(_("bundle id"), in->manifest_sha256);
			cli_field_int(_("records"), r.records);
			cli_field_int(_("objects"), r.objects);
			cli_field_int(_("audit entries received"), r.audit);
			cli_field_int(_("accounts for the sender's users"), r.users_created);
			if (r.renumbered)
				printf(_("case imported as %s: this store has a case %s already\n"), r.case_number,
				       in->case_number);
			else
				printf(_("case imported as %s\n"), r.case_number);
		}
	}
	bundle_import_free(&r);
	return rc;
}

static dl_status run_bundle_list(cli_ctx *c, cli_args *a)
{
	dl_received_list l;
	dl_status rc = unpack_list(&c->session, arg_get(a, "case"), &l, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		json_w w = {0};
		json_begin_array(&w);
		for (size_t i = 0; i < l.n; i++) {
			const dl_received *e = &l.v[i];
			json_begin_object(&w);
			json_kint(&w, "id", e->id);
			json_kstr(&w, "bundle_id", e->bundle_id);
			json_kstr(&w, "base_bundle_id", e->base_bundle_id);
			json_kstr(&w, "case_number", e->case_number);
			json_kstr(&w, "sender_case_number", e->origin_case_number);
			json_kstr(&w, "unit", e->unit_name);
			json_kstr(&w, "fingerprint", e->fingerprint);
			json_kstr(&w, "sent_at", e->sent_at);
			json_kstr(&w, "sent_by", e->sent_by);
			json_kstr(&w, "imported_by", e->imported_by);
			json_kstr(&w, "imported_at", e->imported_at);
			json_kint(&w, "records", e->records);
			json_kint(&w, "objects", e->objects);
			json_kint(&w, "audit_entries", e->audit);
			json_end_object(&w);
		}
		json_end_array(&w);
		cli_json_print(&w);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			const dl_received *e = &l.v[i];
			/* TRANSLATORS: one received bundle: local case, sender's case, unit, kind, time */
			printf(_("%s  from %s (their %s), sent %s, %s, imported %s\n"), e->case_number, e->unit_name,
			       e->origin_case_number, e->sent_at ? e->sent_at : "-",
			       e->base_bundle_id ? _("incremental") : _("full"), e->imported_at);
			printf("    %s\n", e->bundle_id);
		}
		if (l.n == 0)
			printf("%s\n", _("no bundle received"));
	}
	unpack_list_free(&l);
	return DL_OK;
}

const cli_command cli_bundle_commands[] = {
	{"keys", "init", "[--name UNIT]",
	 N_("create this unit's Ed25519 signing key (administrators); the passphrase that protects it comes "
	    "from DALIL_KEY_PASSPHRASE or is asked twice; refused when the unit already has one"),
	 "name=", 0, 0, 1, run_keys_init},
	{"keys", "export", "",
	 N_("print this unit's public key and its fingerprint, for other units to trust"),
	 "", 0, 0, 1, run_keys_export},
	{"keys", "trust", "FILE --name UNIT",
	 N_("trust another unit's public key (FILE as \"dalil keys export\" printed it; administrators); "
	    "shows the fingerprint to check with that unit"),
	 "name=", 1, 1, 1, run_keys_trust},
	{"keys", "list", "",
	 N_("list this unit's key and the trusted units' keys with their fingerprints"),
	 "", 0, 0, 1, run_keys_list},
	{"export", NULL, "CASE -o FILE [--metadata-only] [--since BUNDLE-ID] [--format bundle|case-uco]",
	 N_("write the case as one signed bundle (tar: manifest of every record, its signature, the evidence "
	    "objects unless --metadata-only) for another unit; supervisors and administrators; the key's "
	    "passphrase from DALIL_KEY_PASSPHRASE or the terminal; never overwrites FILE; --since BUNDLE-ID "
	    "(an earlier bundle's manifest SHA-256) sends only the row changes since that bundle left. "
	    "--format case-uco writes instead the CASE/UCO ontology's JSON-LD (investigation, persons, devices, "
	    "identifiers, files with their hashes, custody as actions), unsigned, for forensic tools"),
	 "o=,output=,metadata-only,since=,format=", 1, 1, 1, run_export},
	{"bundle", "verify", "FILE",
	 N_("check a bundle: signature by a trusted unit, every object's SHA-256 and size; prints who signed "
	    "and when; exit 1 naming each mismatch"),
	 "", 1, 1, 1, run_bundle_verify},
	{"bundle", "import", "FILE",
	 N_("bring another unit's case in (supervisors and administrators): verified first as \"bundle verify\" "
	    "does, refused whole on any problem; new local ids, the sender's users as disabled accounts "
	    "user.unit, the number NUMBER_UNIT when the case number is taken here, a \"received\" custody "
	    "event per exhibit; importing the same bundle again changes nothing; an incremental bundle "
	    "(export --since) is applied to the case its base became, and refused whole, listing each "
	    "conflict, when a change meets a row edited here since"),
	 "", 1, 1, 1, run_bundle_import},
	{"bundle", "list", "[--case N]",
	 N_("the bundles received from other units (supervisors and administrators): local case, the "
	    "sender's case number, the unit and key that signed, when, full or incremental, the bundle id"),
	 "case=", 0, 0, 1, run_bundle_list},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
