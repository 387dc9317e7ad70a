/* schema.c — the versioned schema. Each migration runs inside one transaction
 * with PRAGMA user_version bumped in it, so a store is never half-migrated. */
#include "i18n.h"
#include "json.h"
#include "store_priv.h"

#include <stdio.h>

/* Version 1: people, cases and everything recorded by hand. */
static const char migration_1[] =
"CREATE TABLE settings ("
"  id INTEGER PRIMARY KEY,"
"  key TEXT NOT NULL UNIQUE,"
"  value TEXT NOT NULL);"

"CREATE TABLE users ("
"  id INTEGER PRIMARY KEY,"
"  username TEXT NOT NULL UNIQUE,"
"  name_ar TEXT, name_en TEXT,"
"  role TEXT NOT NULL CHECK (role IN ('admin','supervisor','investigator','clerk')),"
"  password_hash TEXT NOT NULL,"
"  disabled INTEGER NOT NULL DEFAULT 0,"
"  failed_logins INTEGER NOT NULL DEFAULT 0,"
"  locked_until TEXT,"
"  created_at TEXT NOT NULL);"

"CREATE TABLE audit_log ("
"  id INTEGER PRIMARY KEY,"
"  at TEXT NOT NULL,"
"  user_id INTEGER,"
"  username TEXT NOT NULL,"
"  action TEXT NOT NULL,"
"  entity TEXT NOT NULL,"
"  entity_id INTEGER,"
"  row TEXT,"
"  data TEXT,"
"  prev_hash TEXT NOT NULL,"
"  hash TEXT NOT NULL);"
"CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);"
"CREATE INDEX audit_user ON audit_log(user_id, id);"

"CREATE TABLE cases ("
"  id INTEGER PRIMARY KEY,"
"  number TEXT NOT NULL UNIQUE,"
"  title_ar TEXT NOT NULL,"
"  title_en TEXT,"
"  offences TEXT NOT NULL,"
"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN"
"    ('open','investigating','referred','in_court','closed','suspended')),"
"  opened TEXT NOT NULL,"
"  deadline TEXT NOT NULL,"
"  lead_id INTEGER REFERENCES users(id),"
"  jurisdiction TEXT,"
"  summary_ar TEXT, summary_en TEXT,"
"  created_by INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL);"
"CREATE INDEX cases_status ON cases(status, deadline);"
"CREATE INDEX cases_deadline ON cases(deadline);"
"CREATE INDEX cases_lead ON cases(lead_id);"

"CREATE TABLE case_assignments ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  user_id INTEGER NOT NULL REFERENCES users(id),"
"  UNIQUE (case_id, user_id));"
"CREATE INDEX case_assignments_user ON case_assignments(user_id);"

"CREATE TABLE case_status_history ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  from_status TEXT, to_status TEXT NOT NULL,"
"  reason TEXT,"
"  user_id INTEGER REFERENCES users(id),"
"  at TEXT NOT NULL);"
"CREATE INDEX case_status_history_case ON case_status_history(case_id, id);"

"CREATE TABLE case_deadline_history ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  old_deadline TEXT, new_deadline TEXT NOT NULL,"
"  reason TEXT NOT NULL,"
"  user_id INTEGER REFERENCES users(id),"
"  at TEXT NOT NULL);"
"CREATE INDEX case_deadline_history_case ON case_deadline_history(case_id, id);"

"CREATE TABLE persons ("
"  id INTEGER PRIMARY KEY,"
"  name_ar TEXT NOT NULL,"
"  name_lat TEXT,"
"  sex TEXT CHECK (sex IN ('male','female','unknown')),"
"  birth_date TEXT,"
"  nationality TEXT,"
"  status TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN"
"    ('unknown','at_large','arrested','detained','released')),"
"  notes TEXT,"
"  created_by INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL);"
"CREATE INDEX persons_name_ar ON persons(name_ar);"
"CREATE INDEX persons_name_lat ON persons(name_lat COLLATE NOCASE);"

"CREATE TABLE person_aliases ("
"  id INTEGER PRIMARY KEY,"
"  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,"
"  alias TEXT NOT NULL,"
"  UNIQUE (person_id, alias));"
"CREATE INDEX person_aliases_alias ON person_aliases(alias);"

"CREATE TABLE person_documents ("
"  id INTEGER PRIMARY KEY,"
"  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,"
"  kind TEXT NOT NULL CHECK (kind IN"
"    ('passport','national_id','residence_permit','driving_licence','other')),"
"  number TEXT NOT NULL,"
"  country TEXT,"
"  expires TEXT);"
"CREATE INDEX person_documents_number ON person_documents(number);"

"CREATE TABLE case_persons ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  person_id INTEGER NOT NULL REFERENCES persons(id),"
"  role TEXT NOT NULL CHECK (role IN ('suspect','victim','witness','informant')),"
"  network_role TEXT CHECK (network_role IN ('recruiter','transporter','financier',"
"    'organiser','facilitator','guide','forger','money_courier','other')),"
"  UNIQUE (case_id, person_id, role));"
"CREATE INDEX case_persons_person ON case_persons(person_id);"

"CREATE TABLE devices ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  type TEXT NOT NULL CHECK (type IN ('phone','sim','computer','tablet','storage','other')),"
"  make TEXT, model TEXT, serial TEXT,"
"  owner_id INTEGER REFERENCES persons(id),"
"  seized_at TEXT, seized_place TEXT, seizing_officer TEXT,"
"  seal_number TEXT, condition TEXT, storage_location TEXT,"
"  extraction_status TEXT NOT NULL DEFAULT 'not_started' CHECK (extraction_status IN"
"    ('not_started','in_progress','extracted','partial','failed','not_possible')),"
"  notes TEXT,"
"  created_by INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL);"
"CREATE INDEX devices_case ON devices(case_id);"
"CREATE INDEX devices_owner ON devices(owner_id);"

/* An identifier belongs to one subject: a person, a device or (from version 2)
 * an evidence item; case_id says in which case it was recorded. */
"CREATE TABLE identifiers ("
"  id INTEGER PRIMARY KEY,"
"  kind TEXT NOT NULL CHECK (kind IN ('phone','email','social','url','imei','imsi',"
"    'iccid','btc','eth','tron','iban')),"
"  value TEXT NOT NULL,"
"  case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,"
"  person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,"
"  device_id INTEGER REFERENCES devices(id) ON DELETE CASCADE,"
"  item_id INTEGER,"
"  item_offset INTEGER,"
"  created_at TEXT NOT NULL);"
"CREATE INDEX identifiers_value ON identifiers(kind, value);"
"CREATE INDEX identifiers_person ON identifiers(person_id);"
"CREATE INDEX identifiers_device ON identifiers(device_id);"
"CREATE INDEX identifiers_case ON identifiers(case_id);"

"CREATE TABLE custody_events ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('device','source','item')),"
"  subject_id INTEGER NOT NULL,"
"  event TEXT NOT NULL CHECK (event IN ('seized','sealed','transferred','received',"
"    'extracted','ingested','examined','reported','returned','destroyed')),"
"  from_party TEXT, to_party TEXT,"
"  at TEXT NOT NULL,"
"  place TEXT, seal_number TEXT, reason TEXT,"
"  recorded_by INTEGER REFERENCES users(id),"
"  recorded_at TEXT NOT NULL);"
"CREATE INDEX custody_subject ON custody_events(subject_kind, subject_id, at, id);"
"CREATE INDEX custody_case ON custody_events(case_id, at, id);"

"CREATE TABLE provider_requests ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  kind TEXT NOT NULL CHECK (kind IN ('preservation','disclosure')),"
"  provider TEXT NOT NULL,"
"  provider_type TEXT NOT NULL DEFAULT 'platform' CHECK (provider_type IN"
"    ('platform','isp','telecom','bank','exchange','other')),"
"  legal_basis TEXT,"
"  reference TEXT,"
"  sent_date TEXT,"
"  due_date TEXT,"
"  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN"
"    ('draft','sent','acknowledged','answered','partial','refused','withdrawn')),"
"  answer_date TEXT,"
"  notes TEXT,"
"  created_by INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL);"
"CREATE INDEX requests_case ON provider_requests(case_id);"
"CREATE INDEX requests_due ON provider_requests(status, due_date);"

"CREATE TABLE request_identifiers ("
"  id INTEGER PRIMARY KEY,"
"  request_id INTEGER NOT NULL REFERENCES provider_requests(id) ON DELETE CASCADE,"
"  identifier_id INTEGER NOT NULL REFERENCES identifiers(id),"
"  UNIQUE (request_id, identifier_id));"

"CREATE TABLE notes ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  author_id INTEGER REFERENCES users(id),"
"  at TEXT NOT NULL,"
"  body TEXT NOT NULL);"
"CREATE INDEX notes_case ON notes(case_id, at);"

"CREATE TABLE tasks ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
"  title TEXT NOT NULL,"
"  assignee_id INTEGER REFERENCES users(id),"
"  due_date TEXT,"
"  done INTEGER NOT NULL DEFAULT 0,"
"  done_at TEXT,"
"  done_by INTEGER REFERENCES users(id),"
"  created_by INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL);"
"CREATE INDEX tasks_case ON tasks(case_id, done, due_date);"
"CREATE INDEX tasks_assignee ON tasks(assignee_id, done, due_date);";

/* Version 2: evidence — ingested sources and their items, hash sets, reports. */
static const char migration_2[] =
"CREATE TABLE evidence_sources ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  device_id INTEGER REFERENCES devices(id),"
"  kind TEXT NOT NULL CHECK (kind IN ('archive','file','folder')),"
"  original_path TEXT NOT NULL,"
"  in_place INTEGER NOT NULL DEFAULT 0,"
"  size INTEGER,"
"  md5 TEXT, sha1 TEXT, sha256 TEXT,"
"  expected_sha256 TEXT,"
"  expected_match INTEGER,"
"  tool TEXT, tool_version TEXT, libraries TEXT,"
"  status TEXT NOT NULL CHECK (status IN ('complete','incomplete','interrupted','failed')),"
"  status_reason TEXT,"
"  item_count INTEGER NOT NULL DEFAULT 0,"
"  bytes_total INTEGER NOT NULL DEFAULT 0,"
"  ingested_by INTEGER REFERENCES users(id),"
"  ingested_at TEXT NOT NULL);"
"CREATE INDEX sources_case ON evidence_sources(case_id);"
"CREATE INDEX sources_resume ON evidence_sources(case_id, original_path, size, status);"
"CREATE INDEX sources_sha256 ON evidence_sources(sha256);"

"CREATE TABLE evidence_items ("
"  id INTEGER PRIMARY KEY,"
"  source_id INTEGER NOT NULL REFERENCES evidence_sources(id),"
"  parent_id INTEGER REFERENCES evidence_items(id),"
"  ordinal INTEGER NOT NULL,"      /* position among its parent's members, from 0 */
"  path_raw BLOB NOT NULL,"        /* the name's bytes exactly as in the archive */
"  path TEXT NOT NULL,"            /* decoded for display */
"  is_dir INTEGER NOT NULL DEFAULT 0,"
"  size INTEGER,"
"  mtime TEXT,"
"  mime TEXT, description TEXT,"
"  md5 TEXT, sha1 TEXT, sha256 TEXT,"
"  encrypted INTEGER NOT NULL DEFAULT 0,"
"  problem TEXT,"                  /* why the member could not be read whole */
"  tags TEXT NOT NULL DEFAULT '',"
"  note TEXT);"
"CREATE UNIQUE INDEX items_position ON evidence_items(source_id, IFNULL(parent_id, 0), ordinal);"
"CREATE INDEX items_parent ON evidence_items(parent_id, id);"
"CREATE INDEX items_sha256 ON evidence_items(sha256);"
"CREATE INDEX items_md5 ON evidence_items(md5);"
"CREATE INDEX items_sha1 ON evidence_items(sha1);"
"CREATE INDEX items_mime ON evidence_items(source_id, mime);"

"CREATE TABLE hashsets ("
"  id INTEGER PRIMARY KEY,"
"  name TEXT NOT NULL UNIQUE,"
"  kind TEXT NOT NULL CHECK (kind IN ('alert','known-good')),"
"  entry_count INTEGER NOT NULL DEFAULT 0,"
"  entries_sha256 TEXT,"           /* digest of the sorted entries: their rows are not audited one by one */
"  file_name TEXT,"
"  file_sha256 TEXT,"
"  imported_by INTEGER REFERENCES users(id),"
"  imported_at TEXT NOT NULL);"
"CREATE TABLE hashset_entries ("
"  id INTEGER PRIMARY KEY,"
"  hashset_id INTEGER NOT NULL REFERENCES hashsets(id) ON DELETE CASCADE,"
"  hash TEXT NOT NULL,"
"  UNIQUE (hashset_id, hash));"
"CREATE INDEX hashset_entries_hash ON hashset_entries(hash);"
"CREATE TABLE item_hits ("
"  id INTEGER PRIMARY KEY,"
"  item_id INTEGER NOT NULL REFERENCES evidence_items(id),"
"  hashset_id INTEGER NOT NULL REFERENCES hashsets(id),"
"  UNIQUE (item_id, hashset_id));"

/* Objects in STORE/objects/: kept sources and extracted members, by SHA-256. */
"CREATE TABLE objects ("
"  id INTEGER PRIMARY KEY,"
"  sha256 TEXT NOT NULL UNIQUE,"
"  size INTEGER NOT NULL,"
"  kind TEXT NOT NULL CHECK (kind IN ('source','member')),"
"  created_at TEXT NOT NULL);"

"CREATE TABLE reports ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER REFERENCES cases(id),"
"  kind TEXT NOT NULL CHECK (kind IN ('court','inventory','custody','progress','request')),"
"  lang TEXT NOT NULL CHECK (lang IN ('ar','en')),"
"  file_name TEXT,"
"  sha256 TEXT NOT NULL,"
"  author_id INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL);"
"CREATE INDEX reports_sha256 ON reports(sha256);"
"CREATE INDEX reports_case ON reports(case_id);";

/* Version 3: the evidence browser. Tagged items are few among millions: a
 * partial index finds them (and keeps their id order) without reading the rest. */
static const char migration_3[] =
"CREATE INDEX items_tagged ON evidence_items(id) WHERE tags <> '';";

/* Version 4: the search index (model/search.c). Derived data, not audited
 * (store.c skips the search_ tables): search_fts holds one document per case,
 * person, identifier, evidence item name and examiner note, with rowid
 * id * 8 + kind (1 case, 2 person, 3 identifier, 4 item, 5 note), folded
 * text in "exact" and transliteration keys in "skel". Folding is C code, so
 * triggers cannot write the index; plain-SQL triggers only queue what
 * changed (kind 4 stands for both the item's name and its note) and
 * search_sync() drains the queue before each search. Evidence items and
 * identifiers come by the million from ingest: their new rows are found by
 * an id watermark (search_state) instead of a trigger, and only a row below
 * the watermark (a change, or an id reused after a delete) is queued. The
 * watermarks start at 0 and the existing cases and persons are queued, so
 * the first search indexes what an older store holds. */
static const char migration_4[] =
"CREATE INDEX identifiers_item ON identifiers(item_id);"
"CREATE VIRTUAL TABLE search_fts USING fts5(exact, skel, tokenize = 'unicode61 remove_diacritics 0');"
"CREATE TABLE search_queue ("
"  kind INTEGER NOT NULL,"
"  id INTEGER NOT NULL,"
"  PRIMARY KEY (kind, id)) WITHOUT ROWID;"
"CREATE TABLE search_state ("
"  name TEXT PRIMARY KEY,"
"  mark INTEGER NOT NULL) WITHOUT ROWID;"
"INSERT INTO search_state VALUES ('items', 0), ('identifiers', 0);"
"INSERT INTO search_queue SELECT 1, id FROM cases;"
"INSERT INTO search_queue SELECT 2, id FROM persons;"

"CREATE TRIGGER search_cases_ins AFTER INSERT ON cases BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (1, new.id); END;"
"CREATE TRIGGER search_cases_upd AFTER UPDATE OF number, title_ar, title_en, summary_ar,"
"  summary_en ON cases BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (1, old.id), (1, new.id); END;"
"CREATE TRIGGER search_cases_del AFTER DELETE ON cases BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (1, old.id); END;"

"CREATE TRIGGER search_persons_ins AFTER INSERT ON persons BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (2, new.id); END;"
"CREATE TRIGGER search_persons_upd AFTER UPDATE OF name_ar, name_lat ON persons BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (2, old.id), (2, new.id); END;"
"CREATE TRIGGER search_persons_del AFTER DELETE ON persons BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (2, old.id); END;"
"CREATE TRIGGER search_aliases_ins AFTER INSERT ON person_aliases BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (2, new.person_id); END;"
"CREATE TRIGGER search_aliases_upd AFTER UPDATE ON person_aliases BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (2, old.person_id), (2, new.person_id); END;"
"CREATE TRIGGER search_aliases_del AFTER DELETE ON person_aliases BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (2, old.person_id); END;"

"CREATE TRIGGER search_identifiers_ins AFTER INSERT ON identifiers"
"  WHEN new.id <= (SELECT mark FROM search_state WHERE name = 'identifiers') BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (3, new.id); END;"
"CREATE TRIGGER search_identifiers_upd AFTER UPDATE OF kind, value ON identifiers BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (3, old.id), (3, new.id); END;"
"CREATE TRIGGER search_identifiers_del AFTER DELETE ON identifiers BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (3, old.id); END;"

"CREATE TRIGGER search_items_ins AFTER INSERT ON evidence_items"
"  WHEN new.id <= (SELECT mark FROM search_state WHERE name = 'items') BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (4, new.id); END;"
"CREATE TRIGGER search_items_upd AFTER UPDATE OF path, note ON evidence_items BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (4, old.id), (4, new.id); END;"
"CREATE TRIGGER search_items_del AFTER DELETE ON evidence_items BEGIN"
"  INSERT OR IGNORE INTO search_queue VALUES (4, old.id); END;";

/* Version 5: unit keys (signed case bundles): this unit's Ed25519 key, its private half
 * encrypted (keys.c), and the public keys of the units it trusts. */
static const char migration_5[] =
"CREATE TABLE unit_keys ("
"  id INTEGER PRIMARY KEY,"
"  own INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0,1)),"
"  name TEXT NOT NULL,"
"  public_key TEXT NOT NULL,"      /* 64 hex */
"  fingerprint TEXT NOT NULL UNIQUE,"  /* SHA-256 of the key bytes, hex */
"  secret TEXT,"                   /* own key only: encrypted seed */
"  added_by INTEGER REFERENCES users(id),"
"  created_at TEXT NOT NULL,"
"  CHECK ((own = 1) = (secret IS NOT NULL)));"
"CREATE UNIQUE INDEX unit_keys_own ON unit_keys(own) WHERE own = 1;"
"CREATE UNIQUE INDEX unit_keys_name ON unit_keys(name) WHERE own = 0;";


/* Version 6: cases received from other units (importers/bundle_import.c).
 * bundle_imports is the provenance of each bundle brought in: the bundle id
 * (the SHA-256 of its manifest, as the sender's bundle_export entry names
 * it), the unit whose trusted key signed it, the case as the sender numbered
 * it and the local case it became; bundle_rows maps each of the sender's row
 * ids to the local row (what an incremental bundle's changes are applied
 * to); received_audit keeps the sender's audit entries as data, apart from
 * this store's hash chain. */
static const char migration_6[] =
"CREATE TABLE bundle_imports ("
"  id INTEGER PRIMARY KEY,"
"  bundle_id TEXT NOT NULL UNIQUE,"       /* SHA-256 of manifest.json */
"  base_bundle_id TEXT,"                  /* an incremental bundle's base */
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  origin_case_number TEXT NOT NULL,"
"  unit_name TEXT NOT NULL,"              /* the name this unit trusts the key under */
"  unit_name_ar TEXT, unit_name_en TEXT," /* as the manifest says */
"  fingerprint TEXT NOT NULL,"
"  sent_at TEXT, sent_by TEXT,"
"  file_sha256 TEXT,"
"  records INTEGER NOT NULL DEFAULT 0,"
"  objects INTEGER NOT NULL DEFAULT 0,"
"  imported_by INTEGER REFERENCES users(id),"
"  imported_at TEXT NOT NULL);"
"CREATE INDEX bundle_imports_case ON bundle_imports(case_id);"
"CREATE INDEX bundle_imports_origin ON bundle_imports(fingerprint, origin_case_number);"
"CREATE TABLE bundle_rows ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  tbl TEXT NOT NULL,"
"  remote_id INTEGER NOT NULL,"
"  local_id INTEGER NOT NULL,"
"  UNIQUE (case_id, tbl, remote_id));"
"CREATE TABLE received_audit ("
"  id INTEGER PRIMARY KEY,"
"  import_id INTEGER NOT NULL REFERENCES bundle_imports(id),"
"  remote_id INTEGER, at TEXT, username TEXT, action TEXT, entity TEXT, entity_id INTEGER,"
"  row TEXT, data TEXT, prev_hash TEXT, hash TEXT);"
"CREATE INDEX received_audit_import ON received_audit(import_id, remote_id);";

static const char *const migrations[] = {
	NULL,          /* version 0: empty file */
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
};

_Static_assert(sizeof migrations / sizeof migrations[0] == DL_SCHEMA_VERSION + 1,
               "one migration per schema version");

dl_status schema_migrate(dl_store *s, int target, dl_err *err)
{
	int have = store_schema_version(s);
	if (target > DL_SCHEMA_VERSION)
		target = DL_SCHEMA_VERSION;
	for (int v = have + 1; v <= target; v++) {
		char *msg = NULL;
		dl_status st = store_begin(s, err);
		if (st != DL_OK)
			return st;
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v);
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(s->db, pragma, NULL, NULL, &msg) != SQLITE_OK) {
			dl_err_set(err, DL_EDB, "", _("schema migration to version %d failed: %s"),
			           v, msg ? msg : sqlite3_errmsg(s->db));
			sqlite3_free(msg);
			store_rollback(s);
			return DL_EDB;
		}
		/* The audit log exists from version 1 on: record the migration there. */
		/* the first step names the copy taken before it (store.c) */
		dl_buf details = {0};
		buf_addf(&details, "{\"from\":%d,\"to\":%d", v - 1, v);
		if (v == have + 1 && s->upgrade_backup) {
			buf_adds(&details, ",\"backup\":");
			json_add_string(&details, s->upgrade_backup);
		}
		buf_addc(&details, '}');
		st = store_load_tables(s, err);
		if (st == DL_OK) {
			audit_event(s, "migrate", "store", v, buf_str(&details));
			st = store_commit(s, err);
		} else {
			store_rollback(s);
		}
		buf_free(&details);
		if (st != DL_OK)
			return st;
	}
	return DL_OK;
}
