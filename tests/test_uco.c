/* test_uco.c — the CASE/UCO export at the model level: who may, the file
 * (0600, its SHA-256 audited, never replaced, no temporary left, an unwritable
 * place named "output"), the same bytes twice, and a few shapes. The whole
 * document is checked with jq and rdflib in tests/uco_test.sh. */
#include "testutil.h"
#include "uco.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CASE_A "2026/TIP/0001"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void build(tu_store *t)
{
	tu_case(t, &t->inv, CASE_A);
	/* rows as the other modules leave them: a person in a role, a phone with
	 * two IMEIs, a member of an ingested archive with its hashes */
	tu_sql_behind(t,
		"INSERT INTO persons (id, name_ar, name_lat, birth_date, created_at, updated_at)"
		" VALUES (1, 'سالم عمر', 'Salem Omar', '1980-02-03', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
		"INSERT INTO case_persons (case_id, person_id, role) VALUES (1, 1, 'suspect');"
		"INSERT INTO devices (id, case_id, type, make, model, owner_id, created_at, updated_at)"
		" VALUES (1, 1, 'phone', 'Samsung', 'A12', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
		"INSERT INTO identifiers (kind, value, case_id, device_id, created_at) VALUES"
		" ('imei', '490154203237518', 1, 1, '2026-01-01T00:00:00Z'),"
		" ('imei', '356938035643809', 1, 1, '2026-01-01T00:00:00Z'),"
		" ('phone', '+218912345678', 1, NULL, '2026-01-01T00:00:00Z');"
		"UPDATE identifiers SET person_id = 1 WHERE kind = 'phone';"
		"INSERT INTO evidence_sources (id, case_id, device_id, kind, original_path, size, sha256, status,"
		" ingested_at) VALUES (1, 1, 1, 'archive', '/x/e.tar', 10240,"
		" 'bac65dec1cbc507c3ab0214f831765cb44ae0137cc2d798bfa92ea921e91d9d7', 'complete', '2026-01-02T00:00:00Z');"
		"INSERT INTO evidence_items (id, source_id, ordinal, path_raw, path, size, mime, md5, sha1, sha256)"
		" VALUES (1, 1, 0, X'2E2F612E747874', './a.txt', 3, 'text/plain', '764efa883dda1e11db47671c4a3bbd9e',"
		" 'f572d396fae9206628714fb2ce00f72e94f2258f',"
		" 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c');");
}

static long long audit_count(tu_store *t, const char *sha)
{
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM audit_log WHERE action = 'uco_export' AND entity = 'cases' AND entity_id = 1"
	         " AND data LIKE '%%\"sha256\":\"%s\"%%'", sha);
	return tu_count(t, sql);
}

static void test_export(void **state)
{
	tu_store *t = *state;
	build(t);
	char path[320], path2[320], bad[400];
	snprintf(path, sizeof path, "%s/case.jsonld", t->dir);
	snprintf(path2, sizeof path2, "%s/again.jsonld", t->dir);
	snprintf(bad, sizeof bad, "%s/no/such/dir/x.jsonld", t->dir);
	uco_result r;
	dl_err err;

	/* the rule of a bundle: supervisors and administrators only */
	tu_expect(uco_export(&t->inv, CASE_A, path, &r, &err), DL_EPERM, &err, NULL);
	tu_expect(uco_export(&t->clerk, CASE_A, path, &r, &err), DL_EPERM, &err, NULL);
	assert_int_equal(access(path, F_OK), -1);
	tu_expect(uco_export(&t->sup, CASE_A, NULL, &r, &err), DL_EINVAL, &err, "output");
	tu_expect(uco_export(&t->sup, "2026/NONE/9", path, &r, &err), DL_ENOTFOUND, &err, NULL);

	tu_expect(uco_export(&t->sup, CASE_A, path, &r, &err), DL_OK, &err, NULL);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal((long long)st.st_size, r.bytes);
	assert_int_equal(strlen(r.sha256), 64);
	assert_int_equal(r.files, 2);
	/* (no tu_audit_intact: build() put its rows behind dalil's back on purpose) */
	assert_int_equal(audit_count(t, r.sha256), 1);

	size_t n;
	char *doc = slurp(path, &n);
	assert_int_equal(strncmp(doc, "{\"@context\":{", 13), 0);
	assert_non_null(strstr(doc, "\"@type\":\"case-investigation:Investigation\",\"uco-core:name\":\"" CASE_A "\""));
	assert_non_null(strstr(doc, "\"uco-core:description\":[\"قضية اختبار\"]"));
	assert_non_null(strstr(doc, "\"uco-core:name\":\"سالم عمر\""));
	assert_non_null(strstr(doc, "\"uco-observable:IMEI\":[\"490154203237518\",\"356938035643809\"]"));
	assert_non_null(strstr(doc, "\"uco-types:hashMethod\":{\"@type\":\"uco-vocabulary:HashNameVocab\","
	                            "\"@value\":\"SHA1\"},\"uco-types:hashValue\":{\"@type\":\"xsd:hexBinary\","
	                            "\"@value\":\"f572d396fae9206628714fb2ce00f72e94f2258f\"}"));
	assert_non_null(strstr(doc, "\"uco-observable:phoneNumber\":\"+218912345678\""));
	assert_non_null(strstr(doc, "\"uco-core:kindOfRelationship\":\"Has_Account\""));
	assert_non_null(strstr(doc, "\"uco-observable:fileName\":\"a.txt\",\"uco-observable:filePath\":\"./a.txt\","
	                            "\"uco-observable:extension\":\"txt\""));
	/* one node a line: the graph's nodes are the lines between the first and the last */
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += doc[i] == '\n';
	assert_int_equal((long long)lines, r.objects + 2);

	/* never replaced; an unwritable place is named */
	tu_expect(uco_export(&t->admin, CASE_A, path, &r, &err), DL_EINVAL, &err, "output");
	tu_expect(uco_export(&t->admin, CASE_A, bad, &r, &err), DL_EIO, &err, "output");

	/* the same data, the same bytes, whoever exports it */
	tu_expect(uco_export(&t->admin, CASE_A, path2, &r, &err), DL_OK, &err, NULL);
	size_t n2;
	char *doc2 = slurp(path2, &n2);
	assert_int_equal(n, n2);
	assert_memory_equal(doc, doc2, n);
	assert_int_equal(audit_count(t, r.sha256), 2);
	free(doc);
	free(doc2);

	DIR *dir = opendir(t->dir);
	assert_non_null(dir);
	struct dirent *de;
	while ((de = readdir(dir)))
		assert_null(strstr(de->d_name, ".tmp-"));
	closedir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
