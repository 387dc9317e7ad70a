/* backup.h — whole-store backups: one tar holding a manifest of hashes, a
 * consistent copy of dalil.db (SQLite's online backup API, so another dalil
 * may go on writing) and every object file; and their restore into a new
 * store directory, every hash checked before anything is put in place. */
#ifndef DALIL_BACKUP_H
#define DALIL_BACKUP_H

#include "session.h"
#include "status.h"

/* The "format" and "format_version" of manifest.json. */
#define BACKUP_FORMAT "dalil-backup"
#define BACKUP_VERSION 1

typedef struct backup_result {
	char sha256[65];          /* of the backup file */
	long long bytes;          /* of the backup file */
	char db_sha256[65];
	long long db_bytes;
	long long objects, object_bytes;
	int schema_version;
} backup_result;

/* Write a backup of the session's store to path (never replacing a file
 * there; 0600, atomic). Admins only: the file holds every case. An audit
 * entry "backup" records it. */
dl_status backup_write(dl_session *s, const char *path, backup_result *r, dl_err *err);

/* Restore the backup file into dir, which must not exist or be empty. The
 * tar is read once into a private directory beside dir; every member is
 * checked against the manifest (hash, size, nothing missing, nothing extra,
 * no links, no duplicates) and the copy opened as a store before it is moved
 * to dir. On any refusal nothing is left behind. */
dl_status backup_restore(const char *file, const char *dir, backup_result *r, dl_err *err);

#endif
