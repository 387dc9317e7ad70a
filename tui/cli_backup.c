/* cli_backup.c — whole-store backups: backup FILE and restore FILE --store DIR. */
#include "backup.h"
#include "cli.h"
#include "i18n.h"

#include <stdio.h>

static void result_json(const backup_result *r, const char *file, const char *store)
{
	json_w w = {0};
	json_begin_object(&w);
	json_kstr(&w, "file", file);
	if (store)
		json_kstr(&w, "store", store);
	if (r->sha256[0]) {
		json_kstr(&w, "sha256", r->sha256);
		json_kint(&w, "bytes", r->bytes);
	}
	json_kint(&w, "schema_version", r->schema_version);
	json_kstr(&w, "database_sha256", r->db_sha256);
	json_kint(&w, "database_bytes", r->db_bytes);
	json_kint(&w, "objects", r->objects);
	json_kint(&w, "object_bytes", r->object_bytes);
	json_end_object(&w);
	cli_json_print(&w);
}

static dl_status run_backup(cli_ctx *c, cli_args *a)
{
	backup_result r;
	dl_status rc = backup_write(&c->session, a->pos[0], &r, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		result_json(&r, a->pos[0], NULL);
		return DL_OK;
	}
	printf(P_("backup written to %s: the database and %lld object\n",
	          "backup written to %s: the database and %lld objects\n", r.objects),
	       a->pos[0], r.objects);
	printf(_("SHA-256 of the file: %s\n"), r.sha256);
	return DL_OK;
}

static dl_status run_restore(cli_ctx *c, cli_args *a)
{
	/* --store (also after the command), else $DALIL_STORE…: the new store;
	 * it must be missing or empty, so no store in use is ever replaced */
	const char *dir = c->store_dir;
	backup_result r;
	dl_status rc = backup_restore(a->pos[0], dir, &r, &c->err);
	if (rc != DL_OK)
		return rc;
	if (c->json) {
		result_json(&r, a->pos[0], dir);
		return DL_OK;
	}
	printf(P_("store restored to %s: the database and %lld object, every hash checked\n",
	          "store restored to %s: the database and %lld objects, every hash checked\n", r.objects),
	       dir, r.objects);
	return DL_OK;
}

const cli_command cli_backup_commands[] = {
	{"backup", NULL, "FILE",
	 N_("copy the whole store (database and objects) into one archive with a manifest of hashes; "
	    "works while the store is in use; administrators only"),
	 "", 1, 1, 1, run_backup},
	{"restore", NULL, "FILE --store DIR",
	 N_("restore a backup into a new store directory (missing or empty); every hash is checked "
	    "before anything is written there"),
	 "", 1, 1, 0, run_restore},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL},
};
