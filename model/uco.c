/* uco.c — see uco.h.
 *
 * Shapes follow the published CASE examples (casework/CASE-Examples, UCO 1.x
 * namespaces) and the UCO 1.x ontology files:
 *   - Investigation with uco-core:name, case-investigation:focus,
 *     investigationStatus, investigationForm and uco-core:object: Oresteia.json
 *     and the Investigation class of case-investigation;
 *   - Person + uco-identity:SimpleNameFacet / BirthInformationFacet,
 *     uco-role:Role with a "Has_Role" relationship, "Has_Device" from a person
 *     to a device: Oresteia.json;
 *   - Device / MobileDevice with DeviceFacet (manufacturer -> Organization,
 *     model, serialNumber, deviceType) and MobileDeviceFacet IMEI (unrestricted
 *     cardinality since UCO issue 521): Oresteia.json, crossover_wmd.json;
 *   - File with FileFacet (fileName, filePath, extension without the dot,
 *     isDirectory, sizeInBytes, modifiedTime) and ContentDataFacet
 *     (sizeInBytes, mimeType, hash: uco-types:Hash with hashMethod typed
 *     uco-vocabulary:HashNameVocab and hashValue typed xsd:hexBinary);
 *     "Contained_Within" relationships with a PathRelationFacet: file.json;
 *   - PhoneAccount + PhoneAccountFacet phoneNumber, EmailAddress +
 *     EmailAddressFacet addressValue, DigitalAccount + AccountFacet
 *     accountIdentifier, "Has_Account": accounts.json and CASE-Mapping-Python;
 *     URL + URLFacet fullValue, SIMCard + SIMCardFacet ICCID/IMSI,
 *     MobileAccount + MobileAccountFacet IMSI: CASE-Mapping-Python;
 *   - custody: case-investigation:InvestigativeAction with uco-action:startTime,
 *     performer, participant, location, instrument, object and result, each
 *     action taking the previous ProvenanceRecord of its exhibit and yielding
 *     the next (case-investigation:exhibitNumber): Oresteia.json's
 *     "preserved" then "transferred" chain;
 *   - deadline, jurisdiction and examiner notes: uco-core:Annotation with
 *     uco-core:tag, uco-core:statement (core:Assertion) and uco-core:object.
 * Text goes out as plain strings: UCO's shapes ask xsd:string for names and
 * descriptions, which an "@language"-tagged string is not; Arabic is kept as
 * UTF-8, byte for byte (json.h never escapes it). */
#include "uco.h"
#include "case.h"
#include "crypto.h"
#include "i18n.h"
#include "json.h"
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IRI_MAX 128
#define FLUSH_AT (1u << 16)

/* A small set of distinct strings (makes, parties, places, tools) or user
 * ids, to write each as one node at the end. Few per case: linear search. */
typedef struct strset {
	char **v;
	size_t n, cap;
} strset;

typedef struct idset {
	long long *v;
	size_t n, cap;
} idset;

typedef struct uco {
	dl_session *s;
	dl_store *st;
	const char *number;
	long long case_id;
	dl_err *err;
	int fd;
	gcry_md_hd_t md;
	long long bytes;
	int io_errno;           /* first write error, 0 when none */
	json_w w;
	FILE *spill;            /* IRIs of the top-level nodes, for the investigation's uco-core:object */
	long long objects, files;
	char inv[IRI_MAX];      /* the investigation's IRI */
	/* the custody chain: the exhibit of the previous event and its record */
	char prev_kind[16];
	long long prev_subject;
	char prev_record[IRI_MAX];
	idset users;
	strset orgs, parties, places, tools;
} uco;

/* ---- identifiers ----------------------------------------------------------- */

/* The namespace of dalil's version-5 UUIDs (RFC 4122 §4.3), fixed once. */
static const unsigned char uuid_ns[16] = {0x5b, 0x0c, 0x6e, 0x2a, 0x8f, 0x1d, 0x4c, 0x3e,
                                          0x9a, 0x7b, 0x2d, 0x4f, 0x6e, 0x8a, 0x1c, 0x3b};

/* kb:KIND-UUID, the UUID of "CASE NUMBER / KIND / LOCAL" */
static void iri(const uco *u, const char *kind, const char *local, char out[IRI_MAX])
{
	dl_buf name = {0};
	buf_add(&name, uuid_ns, sizeof uuid_ns);
	buf_adds(&name, u->number);
	buf_addc(&name, '/');
	buf_adds(&name, kind);
	buf_addc(&name, '/');
	buf_adds(&name, local);
	unsigned char h[20];
	gcry_md_hash_buffer(GCRY_MD_SHA1, h, name.data, name.len);
	buf_free(&name);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	char hex[33];
	crypto_hex(h, 16, hex);
	snprintf(out, IRI_MAX, "kb:%s-%.8s-%.4s-%.4s-%.4s-%.12s", kind, hex, hex + 8, hex + 12, hex + 16,
	         hex + 20);
}

static void iri_id(const uco *u, const char *kind, long long id, char out[IRI_MAX])
{
	char local[32];
	snprintf(local, sizeof local, "%lld", id);
	iri(u, kind, local, out);
}

/* ---- sets -------------------------------------------------------------------- */

static void strset_add(strset *t, const char *v)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], v))
			return;
	/* lost memory is noted: uco_export checks store_oom_check at the end */
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **nv = realloc(t->v, cap * sizeof *nv);
		if (!nv) {
			store_oom_note();
			return;
		}
		t->v = nv;
		t->cap = cap;
	}
	t->v[t->n] = strdup(v);
	if (!t->v[t->n]) {
		store_oom_note();
		return;
	}
	t->n++;
}

static void strset_free(strset *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static void idset_add(idset *t, long long v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == v)
			return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		long long *nv = realloc(t->v, cap * sizeof *nv);
		if (!nv) {
			store_oom_note();   /* uco_export checks at the end */
			return;
		}
		t->v = nv;
		t->cap = cap;
	}
	t->v[t->n++] = v;
}

/* The IRI of a user, of an organisation named make, of a custody party, of a
 * place, of a tool: recorded so that its node is written at the end. */
static void ref_user(uco *u, long long id, char out[IRI_MAX])
{
	idset_add(&u->users, id);
	iri_id(u, "user", id, out);
}

static void ref_str(uco *u, strset *t, const char *kind, const char *v, char out[IRI_MAX])
{
	strset_add(t, v);
	iri(u, kind, v, out);
}

/* ---- output -------------------------------------------------------------------- */

static void flush(uco *u, int force)
{
	dl_buf *b = &u->w.out;
	if (b->len == 0 || (!force && b->len < FLUSH_AT))
		return;
	if (buf_failed(b))   /* a hole: write_document reports it, nothing more goes out */
		return;
	gcry_md_write(u->md, b->data, b->len);
	u->bytes += (long long)b->len;
	const char *p = b->data;
	size_t n = b->len;
	while (n && !u->io_errno) {
		ssize_t k = write(u->fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			u->io_errno = errno;
			break;
		}
		p += k;
		n -= (size_t)k;
	}
	buf_reset(b);
}

/* One node of @graph, on a line of its own: the writer's comma is put here
 * with the newline, so that a reader (or grep) sees one node per line. */
static void node_begin(uco *u, const char *type, const char *id)
{
	json_w *w = &u->w;
	if (w->count[w->depth] > 0) {
		buf_adds(&w->out, ",\n");
		w->count[w->depth] = 0;
	}
	json_begin_object(w);
	json_kstr(w, "@id", id);
	json_kstr(w, "@type", type);
	fprintf(u->spill, "%s\n", id);
	u->objects++;
}

static void node_end(uco *u)
{
	json_end_object(&u->w);
	flush(u, 0);
}

static void ref(uco *u, const char *key, const char *id)
{
	json_key(&u->w, key);
	json_begin_object(&u->w);
	json_kstr(&u->w, "@id", id);
	json_end_object(&u->w);
}

static void typed(uco *u, const char *key, const char *type, const char *value)
{
	json_key(&u->w, key);
	json_begin_object(&u->w);
	json_kstr(&u->w, "@type", type);
	json_kstr(&u->w, "@value", value);
	json_end_object(&u->w);
}

static void kstr_opt(uco *u, const char *key, const char *v)
{
	if (v && *v)
		json_kstr(&u->w, key, v);
}

/* The store's times are "YYYY-MM-DDTHH:MM:SSZ", valid xsd:dateTime as they
 * are; a bare date (when a case was opened, a birth date) becomes local
 * midnight without a zone, which xsd:dateTime allows. Anything else is left
 * out rather than guessed. */
static void datetime(uco *u, const char *key, const char *v)
{
	if (!v)
		return;
	size_t n = strlen(v);
	char out[32];
	if (n == 20 && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[19] == 'Z')
		snprintf(out, sizeof out, "%s", v);
	else if (n == 10 && v[4] == '-' && v[7] == '-')
		snprintf(out, sizeof out, "%sT00:00:00", v);
	else
		return;
	typed(u, key, "xsd:dateTime", out);
}

/* A facet inside "uco-core:hasFacet": its own IRI, as UCO wants no blank nodes. */
static void facet_begin(uco *u, const char *type, const char *kind, const char *local)
{
	char id[IRI_MAX];
	iri(u, kind, local, id);
	json_begin_object(&u->w);
	json_kstr(&u->w, "@id", id);
	json_kstr(&u->w, "@type", type);
}

static const char *col(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* A relationship node: source -> target, directional. */
static void relationship_begin(uco *u, const char *id, const char *source, const char *target,
                               const char *kind)
{
	node_begin(u, "uco-core:Relationship", id);
	ref(u, "uco-core:source", source);
	ref(u, "uco-core:target", target);
	json_kstr(&u->w, "uco-core:kindOfRelationship", kind);
	json_kbool(&u->w, "uco-core:isDirectional", 1);
}

/* "uco-observable:hash": the hashes the store holds, lower-case hex. */
static void hashes(uco *u, const char *owner, const char *md5, const char *sha1, const char *sha256)
{
	static const char *const names[3] = {"MD5", "SHA1", "SHA256"};
	const char *vals[3] = {md5, sha1, sha256};
	int any = 0;
	for (int i = 0; i < 3; i++)
		any |= vals[i] && *vals[i];
	if (!any)
		return;
	json_key(&u->w, "uco-observable:hash");
	json_begin_array(&u->w);
	for (int i = 0; i < 3; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		char local[IRI_MAX];
		snprintf(local, sizeof local, "%s/%s", owner, names[i]);
		facet_begin(u, "uco-types:Hash", "hash", local);
		typed(u, "uco-types:hashMethod", "uco-vocabulary:HashNameVocab", names[i]);
		typed(u, "uco-types:hashValue", "xsd:hexBinary", vals[i]);
		json_end_object(&u->w);
	}
	json_end_array(&u->w);
}

/* ---- the case's records -------------------------------------------------------- */

typedef dl_status (*row_fn)(uco *u, sqlite3_stmt *q);

/* Run sql (?1 = the case) and call fn for each row. */
static dl_status each_row(uco *u, const char *sql, row_fn fn)
{
	sqlite3_stmt *q = store_prepare(u->st, sql, u->err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, u->case_id);
	int step;
	dl_status rc = DL_OK;
	while (rc == DL_OK && (step = sqlite3_step(q)) == SQLITE_ROW)
		rc = fn(u, q);
	if (rc == DL_OK && step != SQLITE_DONE)
		rc = store_sqlerr(u->st, u->err, "");
	sqlite3_finalize(q);
	if (rc == DL_OK && u->io_errno)
		rc = DL_EIO;
	return rc;
}

/* An annotation on the investigation: tag and statement. */
static void annotation(uco *u, const char *kind, long long id, const char *tag, const char *statement,
                       long long author, const char *at)
{
	char a[IRI_MAX];
	iri_id(u, kind, id, a);
	node_begin(u, "uco-core:Annotation", a);
	json_key(&u->w, "uco-core:tag");
	json_str(&u->w, tag);
	json_kstr(&u->w, "uco-core:statement", statement);
	ref(u, "uco-core:object", u->inv);
	if (author > 0) {
		char who[IRI_MAX];
		ref_user(u, author, who);
		ref(u, "uco-core:createdBy", who);
	}
	datetime(u, "uco-core:objectCreatedTime", at);
	node_end(u);
}

static dl_status case_row(uco *u, sqlite3_stmt *q)
{
	if (col(q, 0))
		annotation(u, "deadline", u->case_id, "deadline", col(q, 0), 0, NULL);
	if (col(q, 1) && *col(q, 1))
		annotation(u, "jurisdiction", u->case_id, "jurisdiction", col(q, 1), 0, NULL);
	return DL_OK;
}

static dl_status note_row(uco *u, sqlite3_stmt *q)
{
	annotation(u, "note", sqlite3_column_int64(q, 0), "note", col(q, 3), sqlite3_column_int64(q, 1),
	           col(q, 2));
	return DL_OK;
}

#define PERSONS_OF_CASE \
	"SELECT person_id FROM case_persons WHERE case_id = ?1" \
	" UNION SELECT owner_id FROM devices WHERE case_id = ?1 AND owner_id IS NOT NULL" \
	" UNION SELECT person_id FROM identifiers WHERE case_id = ?1 AND person_id IS NOT NULL"

/* A person: the Arabic-script name as uco-core:name; each script's name whole
 * in a SimpleNameFacet's givenName (dalil records names whole: splitting an
 * Arabic name into given and family names would be a guess). */
static dl_status person_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0);
	char p[IRI_MAX], local[32];
	iri_id(u, "person", id, p);
	snprintf(local, sizeof local, "%lld", id);
	node_begin(u, "uco-identity:Person", p);
	json_kstr(&u->w, "uco-core:name", col(q, 1));
	datetime(u, "uco-core:objectCreatedTime", col(q, 4));
	datetime(u, "uco-core:modifiedTime", col(q, 5));
	json_key(&u->w, "uco-core:hasFacet");
	json_begin_array(&u->w);
	facet_begin(u, "uco-identity:SimpleNameFacet", "person-name-ar", local);
	json_kstr(&u->w, "uco-identity:givenName", col(q, 1));
	json_end_object(&u->w);
	if (col(q, 2) && *col(q, 2)) {
		facet_begin(u, "uco-identity:SimpleNameFacet", "person-name-lat", local);
		json_kstr(&u->w, "uco-identity:givenName", col(q, 2));
		json_end_object(&u->w);
	}
	const char *born = col(q, 3);
	if (born && strlen(born) == 10) {
		facet_begin(u, "uco-identity:BirthInformationFacet", "person-birth", local);
		datetime(u, "uco-identity:birthdate", born);
		json_end_object(&u->w);
	}
	json_end_array(&u->w);
	node_end(u);
	return DL_OK;
}

/* A role in the case (and the network role, when known): a uco-role:Role the
 * person "Has_Role", as Oresteia.json gives a victim or an offender. */
static void role(uco *u, const char *kind, long long id, const char *person, const char *name)
{
	char r[IRI_MAX], rel[IRI_MAX], rk[48];
	iri_id(u, kind, id, r);
	node_begin(u, "uco-role:Role", r);
	json_kstr(&u->w, "uco-core:name", name);
	node_end(u);
	snprintf(rk, sizeof rk, "%s-relationship", kind);
	iri_id(u, rk, id, rel);
	relationship_begin(u, rel, person, r, "Has_Role");
	node_end(u);
}

static dl_status role_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0);
	char p[IRI_MAX];
	iri_id(u, "person", sqlite3_column_int64(q, 1), p);
	role(u, "role", id, p, col(q, 2));
	if (col(q, 3))
		role(u, "network-role", id, p, col(q, 3));
	return DL_OK;
}

/* A custody chain's ProvenanceRecord: the exhibit as it stands after an action. */
static void provenance(uco *u, const char *id, const char *subject, const char *seal)
{
	node_begin(u, "case-investigation:ProvenanceRecord", id);
	kstr_opt(u, "case-investigation:exhibitNumber", seal);
	json_key(&u->w, "uco-core:object");
	json_begin_array(&u->w);
	json_begin_object(&u->w);
	json_kstr(&u->w, "@id", subject);
	json_end_object(&u->w);
	json_end_array(&u->w);
	node_end(u);
}

/* The identifiers folded into a device's facets: its IMEIs, and a SIM's ICCID
 * and IMSI. The identifiers query leaves these out. */
#define FOLDED \
	"(i.device_id IS NOT NULL AND (i.kind = 'imei' OR (i.kind IN ('iccid','imsi') AND" \
	" (SELECT type FROM devices WHERE id = i.device_id) = 'sim')))"

static dl_status device_values(uco *u, long long device_id, const char *kind, const char *key)
{
	sqlite3_stmt *q = store_prepare(u->st,
		"SELECT value FROM identifiers WHERE device_id = ?1 AND kind = ?2 ORDER BY id", u->err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, device_id);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	int n = 0, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (n++ == 0) {
			json_key(&u->w, key);
			json_begin_array(&u->w);
		}
		json_str(&u->w, col(q, 0));
	}
	if (n)
		json_end_array(&u->w);
	dl_status rc = step == SQLITE_DONE ? DL_OK : store_sqlerr(u->st, u->err, "");
	sqlite3_finalize(q);
	return rc;
}

static dl_status device_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0);
	const char *type = col(q, 1);
	int mobile = !strcmp(type, "phone") || !strcmp(type, "tablet");
	int sim = !strcmp(type, "sim");
	char d[IRI_MAX], local[32];
	iri_id(u, "device", id, d);
	snprintf(local, sizeof local, "%lld", id);
	node_begin(u, mobile ? "uco-observable:MobileDevice" : sim ? "uco-observable:SIMCard"
	                                                           : "uco-observable:Device", d);
	datetime(u, "uco-core:objectCreatedTime", col(q, 10));
	datetime(u, "uco-core:modifiedTime", col(q, 11));
	json_key(&u->w, "uco-core:hasFacet");
	json_begin_array(&u->w);
	facet_begin(u, "uco-observable:DeviceFacet", "device-facet", local);
	json_kstr(&u->w, "uco-observable:deviceType", type);
	if (col(q, 2) && *col(q, 2)) {
		char org[IRI_MAX];
		ref_str(u, &u->orgs, "organization", col(q, 2), org);
		ref(u, "uco-observable:manufacturer", org);
	}
	kstr_opt(u, "uco-observable:model", col(q, 3));
	kstr_opt(u, "uco-observable:serialNumber", col(q, 4));
	json_end_object(&u->w);
	/* a phone or tablet, or any device the case gives an IMEI */
	dl_status rc = DL_OK;
	if (mobile || sqlite3_column_int(q, 13)) {
		facet_begin(u, "uco-observable:MobileDeviceFacet", "mobile-device-facet", local);
		rc = device_values(u, id, "imei", "uco-observable:IMEI");
		json_end_object(&u->w);
	}
	if (sim) {
		facet_begin(u, "uco-observable:SIMCardFacet", "sim-card-facet", local);
		if (rc == DL_OK)
			rc = device_values(u, id, "iccid", "uco-observable:ICCID");
		if (rc == DL_OK)
			rc = device_values(u, id, "imsi", "uco-observable:IMSI");
		json_end_object(&u->w);
	}
	json_end_array(&u->w);
	node_end(u);

	if (sqlite3_column_type(q, 5) != SQLITE_NULL) {
		char p[IRI_MAX], rel[IRI_MAX];
		iri_id(u, "person", sqlite3_column_int64(q, 5), p);
		iri_id(u, "owner-relationship", id, rel);
		relationship_begin(u, rel, p, d, "Has_Device");
		node_end(u);
	}
	/* The seizure recorded on the device itself, when no custody event
	 * records it: an action whose result is the first provenance record. */
	int seized_event = sqlite3_column_int(q, 12);
	if (!seized_event && (col(q, 6) || col(q, 7))) {
		char a[IRI_MAX], pr[IRI_MAX], who[IRI_MAX], where[IRI_MAX];
		iri_id(u, "seizure", id, a);
		iri_id(u, "seizure-provenance-record", id, pr);
		node_begin(u, "case-investigation:InvestigativeAction", a);
		json_kstr(&u->w, "uco-core:name", "seized");
		datetime(u, "uco-action:startTime", col(q, 6));
		if (col(q, 8) && *col(q, 8)) {
			ref_str(u, &u->parties, "party", col(q, 8), who);
			ref(u, "uco-action:performer", who);
		}
		if (col(q, 7) && *col(q, 7)) {
			ref_str(u, &u->places, "location", col(q, 7), where);
			ref(u, "uco-action:location", where);
		}
		json_key(&u->w, "uco-action:result");
		json_begin_array(&u->w);
		json_begin_object(&u->w);
		json_kstr(&u->w, "@id", pr);
		json_end_object(&u->w);
		json_begin_object(&u->w);
		json_kstr(&u->w, "@id", d);
		json_end_object(&u->w);
		json_end_array(&u->w);
		node_end(u);
		provenance(u, pr, d, col(q, 9));
	}
	return rc;
}

/* An identifier that is its own observable: its class and facet by kind. */
static const struct {
	const char *kind, *type, *facet, *key;
} ident_shapes[] = {
	{"phone", "uco-observable:PhoneAccount", "uco-observable:PhoneAccountFacet", "uco-observable:phoneNumber"},
	{"email", "uco-observable:EmailAddress", "uco-observable:EmailAddressFacet", "uco-observable:addressValue"},
	{"url", "uco-observable:URL", "uco-observable:URLFacet", "uco-observable:fullValue"},
	{"imei", "uco-observable:MobileDevice", "uco-observable:MobileDeviceFacet", "uco-observable:IMEI"},
	{"imsi", "uco-observable:MobileAccount", "uco-observable:MobileAccountFacet", "uco-observable:IMSI"},
	{"iccid", "uco-observable:SIMCard", "uco-observable:SIMCardFacet", "uco-observable:ICCID"},
	{"social", "uco-observable:DigitalAccount", "uco-observable:AccountFacet", "uco-observable:accountIdentifier"},
	{"btc", "uco-observable:DigitalAccount", "uco-observable:AccountFacet", "uco-observable:accountIdentifier"},
	{"eth", "uco-observable:DigitalAccount", "uco-observable:AccountFacet", "uco-observable:accountIdentifier"},
	{"tron", "uco-observable:DigitalAccount", "uco-observable:AccountFacet", "uco-observable:accountIdentifier"},
	{"iban", "uco-observable:Account", "uco-observable:AccountFacet", "uco-observable:accountIdentifier"},
};

static dl_status identifier_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0);
	const char *kind = col(q, 1);
	size_t k = 0;
	while (k < sizeof ident_shapes / sizeof ident_shapes[0] && strcmp(ident_shapes[k].kind, kind))
		k++;
	if (k == sizeof ident_shapes / sizeof ident_shapes[0])
		return dl_err_set(u->err, DL_EDB, "", _("unknown identifier kind %s"), kind);
	char x[IRI_MAX], local[32];
	iri_id(u, "identifier", id, x);
	snprintf(local, sizeof local, "%lld", id);
	node_begin(u, ident_shapes[k].type, x);
	json_key(&u->w, "uco-core:tag");
	json_str(&u->w, kind);
	datetime(u, "uco-core:objectCreatedTime", col(q, 6));
	json_key(&u->w, "uco-core:hasFacet");
	json_begin_array(&u->w);
	facet_begin(u, ident_shapes[k].facet, "identifier-facet", local);
	json_kstr(&u->w, ident_shapes[k].key, col(q, 2));
	json_end_object(&u->w);
	json_end_array(&u->w);
	node_end(u);

	/* whose it is: a person's or a device's account; or where it was found */
	char other[IRI_MAX], rel[IRI_MAX];
	iri_id(u, "identifier-relationship", id, rel);
	if (sqlite3_column_type(q, 3) != SQLITE_NULL) {
		iri_id(u, "person", sqlite3_column_int64(q, 3), other);
		relationship_begin(u, rel, other, x, strcmp(kind, "imei") ? "Has_Account" : "Has_Device");
		node_end(u);
	} else if (sqlite3_column_type(q, 4) != SQLITE_NULL) {
		iri_id(u, "device", sqlite3_column_int64(q, 4), other);
		relationship_begin(u, rel, other, x, "Has_Account");
		node_end(u);
	} else if (sqlite3_column_type(q, 5) != SQLITE_NULL) {
		iri_id(u, "item", sqlite3_column_int64(q, 5), other);
		relationship_begin(u, rel, x, other, "Contained_Within");
		if (sqlite3_column_type(q, 7) != SQLITE_NULL) {
			char loc[32];
			snprintf(loc, sizeof loc, "%lld", id);
			json_key(&u->w, "uco-core:hasFacet");
			json_begin_array(&u->w);
			facet_begin(u, "uco-observable:DataRangeFacet", "identifier-range-facet", loc);
			json_kint(&u->w, "uco-observable:rangeOffset", sqlite3_column_int64(q, 7));
			json_end_object(&u->w);
			json_end_array(&u->w);
		}
		node_end(u);
	}
	return DL_OK;
}

/* The last component of a path ("./chats/" gives "chats"), into out. */
static void base_name(const char *path, char *out, size_t outsz)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && path[b - 1] != '/')
		b--;
	size_t len = n - b;
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, path + b, len);
	out[len] = '\0';
	if (!strcmp(out, ".") || !strcmp(out, "/"))
		out[0] = '\0';
}

/* A File's two facets: where it lies (FileFacet) and what it holds
 * (ContentDataFacet with the hashes). */
static void file_facets(uco *u, const char *kind, long long id, const char *path, int is_dir,
                        sqlite3_stmt *q, int size_col, const char *mtime, const char *mime,
                        const char *md5, const char *sha1, const char *sha256, int encrypted)
{
	char local[32], fk[48], name[1024];
	snprintf(local, sizeof local, "%lld", id);
	base_name(path, name, sizeof name);
	json_key(&u->w, "uco-core:hasFacet");
	json_begin_array(&u->w);
	snprintf(fk, sizeof fk, "%s-file-facet", kind);
	facet_begin(u, "uco-observable:FileFacet", fk, local);
	kstr_opt(u, "uco-observable:fileName", name);
	json_kstr(&u->w, "uco-observable:filePath", path);
	const char *dot = strrchr(name, '.');
	if (!is_dir && dot && dot != name && dot[1])
		json_kstr(&u->w, "uco-observable:extension", dot + 1);
	json_kbool(&u->w, "uco-observable:isDirectory", is_dir);
	int has_size = sqlite3_column_type(q, size_col) != SQLITE_NULL;
	if (has_size)
		json_kint(&u->w, "uco-observable:sizeInBytes", sqlite3_column_int64(q, size_col));
	datetime(u, "uco-observable:modifiedTime", mtime);
	json_end_object(&u->w);
	if (!is_dir) {
		snprintf(fk, sizeof fk, "%s-content-facet", kind);
		facet_begin(u, "uco-observable:ContentDataFacet", fk, local);
		if (has_size)
			json_kint(&u->w, "uco-observable:sizeInBytes", sqlite3_column_int64(q, size_col));
		kstr_opt(u, "uco-observable:mimeType", mime);
		if (encrypted)
			json_kbool(&u->w, "uco-observable:isEncrypted", 1);
		char owner[64];
		snprintf(owner, sizeof owner, "%s/%lld", kind, id);
		hashes(u, owner, md5, sha1, sha256);
		json_end_object(&u->w);
	}
	json_end_array(&u->w);
}

static dl_status source_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0);
	char x[IRI_MAX];
	iri_id(u, "source", id, x);
	node_begin(u, "uco-observable:File", x);
	json_key(&u->w, "uco-core:tag");
	json_str(&u->w, col(q, 2));   /* archive, file or folder */
	datetime(u, "uco-core:objectCreatedTime", col(q, 9));
	file_facets(u, "source", id, col(q, 3), !strcmp(col(q, 2), "folder"), q, 4, NULL, NULL, col(q, 5),
	            col(q, 6), col(q, 7), 0);
	node_end(u);
	u->files++;
	/* an extraction's data came from within the device it was taken from */
	if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
		char d[IRI_MAX], rel[IRI_MAX];
		iri_id(u, "device", sqlite3_column_int64(q, 1), d);
		iri_id(u, "source-relationship", id, rel);
		relationship_begin(u, rel, x, d, "Contained_Within");
		node_end(u);
	}
	return DL_OK;
}

static dl_status item_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0);
	char x[IRI_MAX], parent[IRI_MAX], rel[IRI_MAX];
	iri_id(u, "item", id, x);
	node_begin(u, "uco-observable:File", x);
	file_facets(u, "item", id, col(q, 3), sqlite3_column_int(q, 4), q, 5, col(q, 6), col(q, 7), col(q, 8),
	            col(q, 9), col(q, 10), sqlite3_column_int(q, 11));
	node_end(u);
	u->files++;
	if (sqlite3_column_type(q, 2) != SQLITE_NULL)
		iri_id(u, "item", sqlite3_column_int64(q, 2), parent);
	else
		iri_id(u, "source", sqlite3_column_int64(q, 1), parent);
	iri_id(u, "item-relationship", id, rel);
	relationship_begin(u, rel, x, parent, "Contained_Within");
	char local[32];
	snprintf(local, sizeof local, "%lld", id);
	json_key(&u->w, "uco-core:hasFacet");
	json_begin_array(&u->w);
	facet_begin(u, "uco-observable:PathRelationFacet", "item-path-facet", local);
	json_kstr(&u->w, "uco-observable:path", col(q, 3));
	json_end_object(&u->w);
	json_end_array(&u->w);
	node_end(u);
	return DL_OK;
}

/* Custody, exhibit by exhibit in time order (the query's order): each event
 * an InvestigativeAction taking the exhibit and its previous provenance
 * record, and yielding a new one, as Oresteia.json chains "preserved" and
 * "transferred". */
static dl_status custody_row(uco *u, sqlite3_stmt *q)
{
	long long id = sqlite3_column_int64(q, 0), subject = sqlite3_column_int64(q, 2);
	const char *kind = col(q, 1);
	char a[IRI_MAX], pr[IRI_MAX], subj[IRI_MAX], tmp[IRI_MAX];
	iri_id(u, "custody-action", id, a);
	iri_id(u, "provenance-record", id, pr);
	iri_id(u, !strcmp(kind, "device") ? "device" : !strcmp(kind, "source") ? "source" : "item", subject,
	       subj);
	int chained = !strcmp(u->prev_kind, kind) && u->prev_subject == subject;

	node_begin(u, "case-investigation:InvestigativeAction", a);
	json_kstr(&u->w, "uco-core:name", col(q, 3));
	kstr_opt(u, "uco-core:description", col(q, 9));
	datetime(u, "uco-action:startTime", col(q, 6));
	/* performer: who took the exhibit (to_party); participant: who gave it */
	if (col(q, 5) && *col(q, 5)) {
		ref_str(u, &u->parties, "party", col(q, 5), tmp);
		ref(u, "uco-action:performer", tmp);
	}
	if (col(q, 4) && *col(q, 4)) {
		ref_str(u, &u->parties, "party", col(q, 4), tmp);
		ref(u, "uco-action:participant", tmp);
	}
	if (col(q, 7) && *col(q, 7)) {
		ref_str(u, &u->places, "location", col(q, 7), tmp);
		ref(u, "uco-action:location", tmp);
	}
	if (col(q, 12) && *col(q, 12)) {
		dl_buf t = {0};
		buf_adds(&t, col(q, 12));
		buf_addc(&t, '\x1f');
		buf_adds(&t, col(q, 13) ? col(q, 13) : "");
		ref_str(u, &u->tools, "tool", buf_str(&t), tmp);
		buf_free(&t);
		ref(u, "uco-action:instrument", tmp);
	}
	json_key(&u->w, "uco-action:object");
	json_begin_array(&u->w);
	if (chained) {
		json_begin_object(&u->w);
		json_kstr(&u->w, "@id", u->prev_record);
		json_end_object(&u->w);
	}
	json_begin_object(&u->w);
	json_kstr(&u->w, "@id", subj);
	json_end_object(&u->w);
	json_end_array(&u->w);
	json_key(&u->w, "uco-action:result");
	json_begin_array(&u->w);
	json_begin_object(&u->w);
	json_kstr(&u->w, "@id", pr);
	json_end_object(&u->w);
	json_end_array(&u->w);
	if (sqlite3_column_type(q, 10) != SQLITE_NULL) {
		ref_user(u, sqlite3_column_int64(q, 10), tmp);
		ref(u, "uco-core:createdBy", tmp);
	}
	datetime(u, "uco-core:objectCreatedTime", col(q, 11));
	node_end(u);
	provenance(u, pr, subj, col(q, 8));

	snprintf(u->prev_kind, sizeof u->prev_kind, "%s", kind);
	u->prev_subject = subject;
	snprintf(u->prev_record, sizeof u->prev_record, "%s", pr);
	return DL_OK;
}

/* ---- the nodes named along the way ----------------------------------------------- */

static dl_status write_refs(uco *u)
{
	char id[IRI_MAX];
	sqlite3_stmt *q = store_prepare(u->st, "SELECT username, name_ar, name_en FROM users WHERE id = ?1",
	                                u->err);
	if (!q)
		return DL_EDB;
	for (size_t i = 0; i < u->users.n; i++) {
		iri_id(u, "user", u->users.v[i], id);
		node_begin(u, "uco-identity:Person", id);
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, u->users.v[i]);
		if (sqlite3_step(q) == SQLITE_ROW)
			json_kstr(&u->w, "uco-core:name", col(q, 0));
		node_end(u);
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < u->orgs.n; i++) {
		iri(u, "organization", u->orgs.v[i], id);
		node_begin(u, "uco-identity:Organization", id);
		json_kstr(&u->w, "uco-core:name", u->orgs.v[i]);
		node_end(u);
	}
	for (size_t i = 0; i < u->parties.n; i++) {
		iri(u, "party", u->parties.v[i], id);
		node_begin(u, "uco-identity:Identity", id);
		json_kstr(&u->w, "uco-core:name", u->parties.v[i]);
		node_end(u);
	}
	for (size_t i = 0; i < u->places.n; i++) {
		iri(u, "location", u->places.v[i], id);
		node_begin(u, "uco-location:Location", id);
		json_kstr(&u->w, "uco-core:name", u->places.v[i]);
		node_end(u);
	}
	for (size_t i = 0; i < u->tools.n; i++) {
		iri(u, "tool", u->tools.v[i], id);
		node_begin(u, "uco-tool:Tool", id);
		const char *sep = strchr(u->tools.v[i], '\x1f');
		dl_buf name = {0};
		buf_add(&name, u->tools.v[i], (size_t)(sep - u->tools.v[i]));
		json_kstr(&u->w, "uco-core:name", buf_str(&name));
		buf_free(&name);
		kstr_opt(u, "uco-tool:version", sep + 1);
		node_end(u);
	}
	return u->io_errno ? DL_EIO : DL_OK;
}

/* The investigation, last: its uco-core:object lists every node written
 * before it, read back from the spill file so that memory stays bounded. */
static dl_status write_investigation(uco *u)
{
	sqlite3_stmt *q = store_prepare(u->st,
		"SELECT number, title_ar, title_en, offences, status, opened, summary_ar, summary_en, created_by,"
		" created_at, updated_at, (SELECT max(at) FROM case_status_history WHERE case_id = ?1 AND"
		" to_status = 'closed') FROM cases WHERE id = ?1", u->err);
	if (!q)
		return DL_EDB;
	sqlite3_bind_int64(q, 1, u->case_id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return store_sqlerr(u->st, u->err, "");
	}
	char who[IRI_MAX] = "";
	if (sqlite3_column_type(q, 8) != SQLITE_NULL)
		ref_user(u, sqlite3_column_int64(q, 8), who);
	dl_status rc = write_refs(u);
	if (rc != DL_OK) {
		sqlite3_finalize(q);
		return rc;
	}
	json_w *w = &u->w;
	/* the spill holds this node's own IRI last; it is not its own object */
	node_begin(u, "case-investigation:Investigation", u->inv);
	json_kstr(w, "uco-core:name", col(q, 0));
	json_key(w, "uco-core:description");
	json_begin_array(w);
	static const int texts[] = {1, 2, 6, 7};   /* titles, then summaries, Arabic first */
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (col(q, texts[i]) && *col(q, texts[i]))
			json_str(w, col(q, texts[i]));
	json_end_array(w);
	json_key(w, "case-investigation:focus");
	json_begin_array(w);
	const char *off = col(q, 3);
	while (off && *off) {
		const char *e = strchr(off, ',');
		size_t n = e ? (size_t)(e - off) : strlen(off);
		dl_buf one = {0};
		buf_add(&one, off, n);
		if (n)
			json_str(w, buf_str(&one));
		buf_free(&one);
		off = e ? e + 1 : NULL;
	}
	json_end_array(w);
	json_key(w, "case-investigation:investigationForm");
	json_str(w, "case");
	json_kstr(w, "case-investigation:investigationStatus", col(q, 4));
	datetime(u, "uco-core:startTime", col(q, 5));
	if (!strcmp(col(q, 4), "closed"))
		datetime(u, "uco-core:endTime", col(q, 11));
	if (who[0])
		ref(u, "uco-core:createdBy", who);
	datetime(u, "uco-core:objectCreatedTime", col(q, 9));
	datetime(u, "uco-core:modifiedTime", col(q, 10));
	sqlite3_finalize(q);

	json_key(w, "uco-core:object");
	json_begin_array(w);
	fflush(u->spill);
	rewind(u->spill);
	char line[IRI_MAX + 2];
	while (fgets(line, sizeof line, u->spill)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, u->inv))
			continue;
		json_begin_object(w);
		json_kstr(w, "@id", line);
		json_end_object(w);
		flush(u, 0);
	}
	int bad = ferror(u->spill);
	json_end_array(w);
	node_end(u);
	if (bad)
		return dl_err_set(u->err, DL_EIO, "", _("cannot read back a temporary file: %s"), strerror(errno));
	return u->io_errno ? DL_EIO : DL_OK;
}

static const char context_json[] =
	"{\"case-investigation\":\"https://ontology.caseontology.org/case/investigation/\","
	"\"kb\":\"http://example.org/kb/\","
	"\"uco-action\":\"https://ontology.unifiedcyberontology.org/uco/action/\","
	"\"uco-core\":\"https://ontology.unifiedcyberontology.org/uco/core/\","
	"\"uco-identity\":\"https://ontology.unifiedcyberontology.org/uco/identity/\","
	"\"uco-location\":\"https://ontology.unifiedcyberontology.org/uco/location/\","
	"\"uco-observable\":\"https://ontology.unifiedcyberontology.org/uco/observable/\","
	"\"uco-role\":\"https://ontology.unifiedcyberontology.org/uco/role/\","
	"\"uco-tool\":\"https://ontology.unifiedcyberontology.org/uco/tool/\","
	"\"uco-types\":\"https://ontology.unifiedcyberontology.org/uco/types/\","
	"\"uco-vocabulary\":\"https://ontology.unifiedcyberontology.org/uco/vocabulary/\","
	"\"xsd\":\"http://www.w3.org/2001/XMLSchema#\"}";

/* The whole document, in one read transaction: one moment of the store. */
static dl_status write_document(uco *u)
{
	json_w *w = &u->w;
	json_begin_object(w);
	json_key(w, "@context");
	json_raw(w, context_json);
	json_key(w, "@graph");
	json_begin_array(w);
	buf_addc(&w->out, '\n');

	dl_status rc = each_row(u, "SELECT deadline, jurisdiction FROM cases WHERE id = ?1", case_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT id, name_ar, name_lat, birth_date, created_at, updated_at FROM persons"
		                 " WHERE id IN (" PERSONS_OF_CASE ") ORDER BY id", person_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT id, person_id, role, network_role FROM case_persons WHERE case_id = ?1"
		                 " ORDER BY id", role_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT d.id, d.type, d.make, d.model, d.serial, d.owner_id, d.seized_at,"
		                 " d.seized_place, d.seizing_officer, d.seal_number, d.created_at, d.updated_at,"
		                 " EXISTS (SELECT 1 FROM custody_events c WHERE c.subject_kind = 'device' AND"
		                 " c.subject_id = d.id AND c.event = 'seized'),"
		                 " EXISTS (SELECT 1 FROM identifiers i WHERE i.device_id = d.id AND i.kind = 'imei')"
		                 " FROM devices d WHERE d.case_id = ?1 ORDER BY d.id", device_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT id, device_id, kind, original_path, size, md5, sha1, sha256, tool,"
		                 " ingested_at FROM evidence_sources WHERE case_id = ?1 ORDER BY id", source_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT id, source_id, parent_id, path, is_dir, size, mtime, mime, md5, sha1,"
		                 " sha256, encrypted FROM evidence_items WHERE source_id IN"
		                 " (SELECT id FROM evidence_sources WHERE case_id = ?1) ORDER BY id", item_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT i.id, i.kind, i.value, i.person_id, i.device_id, i.item_id, i.created_at,"
		                 " i.item_offset FROM identifiers i WHERE i.case_id = ?1 AND NOT " FOLDED
		                 " ORDER BY i.id", identifier_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT c.id, c.subject_kind, c.subject_id, c.event, c.from_party, c.to_party,"
		                 " c.at, c.place, c.seal_number, c.reason, c.recorded_by, c.recorded_at, x.tool,"
		                 " x.tool_version FROM custody_events c LEFT JOIN evidence_sources x ON"
		                 " c.subject_kind = 'source' AND x.id = c.subject_id WHERE c.case_id = ?1"
		                 " ORDER BY c.subject_kind, c.subject_id, c.at, c.id", custody_row);
	if (rc == DL_OK)
		rc = each_row(u, "SELECT id, author_id, at, body FROM notes WHERE case_id = ?1 ORDER BY id", note_row);
	if (rc == DL_OK)
		rc = write_investigation(u);
	if (rc != DL_OK)
		return rc;
	json_end_array(w);
	buf_addc(&w->out, '\n');
	json_end_object(w);
	buf_addc(&w->out, '\n');
	flush(u, 1);
	return u->io_errno ? DL_EIO : DL_OK;
}

/* ---- the file ----------------------------------------------------------------------- */


static dl_status audit_export(dl_session *s, long long case_id, const char *path, const uco_result *r,
                              dl_err *err)
{
	dl_buf d = {0};
	char cwd[4096];
	buf_adds(&d, "{\"file\":");
	dl_buf where = {0};
	if (path[0] != '/' && getcwd(cwd, sizeof cwd))
		buf_addf(&where, "%s/", cwd);
	buf_adds(&where, path);
	json_add_string(&d, buf_str(&where));
	buf_free(&where);
	buf_addf(&d, ",\"format\":\"case-uco\",\"sha256\":\"%s\",\"bytes\":%lld,\"objects\":%lld,\"files\":%lld}",
	         r->sha256, r->bytes, r->objects, r->files);
	dl_status rc = session_begin(s, err);
	if (rc == DL_OK) {
		audit_event(s->store, "uco_export", "cases", case_id, buf_str(&d));
		rc = store_commit(s->store, err);
	}
	buf_free(&d);
	return rc;
}

dl_status uco_export(dl_session *s, const char *case_number, const char *path, uco_result *r,
                     dl_err *err)
{
	memset(r, 0, sizeof *r);
	if (!path || !*path)
		return dl_err_set(err, DL_EINVAL, "output", _("-o FILE is required"));
	/* the same rule as a bundle: the whole case leaves the unit */
	dl_status rc = perm_supervise(s, err);
	if (rc != DL_OK)
		return dl_err_set(err, DL_EPERM, "", _("only supervisors and administrators may send a case "
		                                       "out of the unit"));
	uco u = {.s = s, .st = s->store, .number = case_number, .err = err, .fd = -1};
	if ((rc = case_resolve(s, case_number, 0, &u.case_id, err)) != DL_OK)
		return rc;
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return dl_err_set(err, DL_EINVAL, "output", _("%s exists: dalil does not overwrite it"), path);
	iri_id(&u, "investigation", u.case_id, u.inv);

	/* the sets and the document: lost memory anywhere fails the export */
	unsigned long mark = store_oom_mark();
	dl_buf tmp = {0};
	buf_addf(&tmp, "%s.tmp-XXXXXX", path);
	if (buf_failed(&tmp)) {
		buf_free(&tmp);
		return store_nomem(err);
	}
	u.fd = mkstemp(tmp.data);   /* 0600: it names persons */
	if (u.fd < 0) {
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		tmp.data[0] = '\0';
		goto done;
	}
	u.spill = tmpfile();
	if (!u.spill) {
		rc = dl_err_set(err, DL_EIO, "", _("cannot create a temporary file: %s"), strerror(errno));
		goto done;
	}
	if (gcry_md_open(&u.md, GCRY_MD_SHA256, 0)) {
		rc = dl_err_set(err, DL_EIO, "", _("libgcrypt could not hash"));
		goto done;
	}
	if (sqlite3_exec(s->store->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = store_sqlerr(s->store, err, "");
		goto done;
	}
	rc = write_document(&u);
	store_read_end(s->store);
	if (rc == DL_OK && (buf_failed(&u.w.out) || store_oom_check(mark, err) != DL_OK))
		rc = store_nomem(err);
	if (rc == DL_EIO && u.io_errno)
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(u.io_errno));
	if (rc != DL_OK)
		goto done;
	if (fsync(u.fd) != 0 || close(u.fd) != 0) {
		u.fd = -1;
		rc = dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	u.fd = -1;
	crypto_hex(gcry_md_read(u.md, GCRY_MD_SHA256), 32, r->sha256);
	r->objects = u.objects;
	r->files = u.files;
	r->bytes = u.bytes;
	/* recorded before it is in place: no export leaves without its entry */
	if ((rc = audit_export(s, u.case_id, path, r, err)) != DL_OK)
		goto done;
	if (store_place_new(tmp.data, path) != 0) {
		rc = errno == EEXIST
			? dl_err_set(err, DL_EINVAL, "output", _("%s exists: dalil does not overwrite it"), path)
			: dl_err_set(err, DL_EIO, "output", _("cannot write %s: %s"), path, strerror(errno));
		goto done;
	}
	tmp.data[0] = '\0';
done:
	if (u.fd >= 0)
		close(u.fd);
	if (tmp.data && tmp.data[0])
		unlink(tmp.data);
	buf_free(&tmp);
	if (u.spill)
		fclose(u.spill);
	if (u.md)
		gcry_md_close(u.md);
	buf_free(&u.w.out);
	free(u.users.v);
	strset_free(&u.orgs);
	strset_free(&u.parties);
	strset_free(&u.places);
	strset_free(&u.tools);
	if (rc != DL_OK)
		memset(r, 0, sizeof *r);
	return rc;
}
