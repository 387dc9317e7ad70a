#!/usr/bin/env bash
# uco_test.sh DALIL — dalil export CASE --format case-uco, end to end: a case
# with an Arabic title, persons, a device with IMEIs, custody, an ingested tar
# and folder, identifiers and a note, written as CASE/UCO JSON-LD. The file is
# JSON (jq), every @id it references is a node it defines, no node is blank,
# every item's three hashes equal the store's and the files' own, Arabic comes
# out byte for byte, two exports are byte-identical, the custody actions chain
# their provenance records, the export is audited, 0600, never overwrites;
# investigators and clerks are refused (exit 3), an unknown --format is bad
# input naming "format" (exit 2). Where Debian's python3-rdflib is installed,
# the file is also read as JSON-LD and a few triples are checked.
set -u
D=${1:?usage: uco_test.sh PATH/TO/dalil}
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err" | head -20; }
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; fi
}
err_has() { if grep -q -- "$1" "$tmp/err"; then ok; else bad "stderr lacks '$1'"; fi; }
same()    { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }

for tool in bsdtar jq md5sum sha1sum sha256sum; do
  command -v "$tool" >/dev/null || { echo "uco_test: $tool is missing"; exit 1; }
done

export DALIL_PASSWORD='correct horse 1' DALIL_STORE=$tmp/store
A() { "$D" --user chief "$@"; }
run 0 "init" "$D" init --admin chief
run 0 "investigator" A user add amal --role investigator --password-file <(echo 'amal-password-1')
run 0 "clerk" A user add kamal --role clerk --password-file <(echo 'kamal-password-1')

C=2026/TIP/0077
TITLE='شبكة تهريب المهاجرين عبر الكفرة'
NAME='سالم عمر الزوي'
PLACE='سبها'
SEAL='ختم-77'
run 0 "case" A case add --number $C --title-ar "$TITLE" --title-en "Kufra smuggling ring" \
  --offence trafficking,smuggling --lead amal
run 0 "person" A --json person add --case $C --name-ar "$NAME" --name-lat "Salem Omar al-Zawi" \
  --role suspect --network-role organiser --born 1980-02-03 --phone "+218 91 234 5678" --email "salem@example.ly"
PID=$(jq -r .id "$tmp/out")
run 0 "victim" A person add --case $C --name-ar "فاطمة" --role victim
run 0 "device" A --json device add --case $C --type phone --make Samsung --model A12 --serial R58M1 \
  --imei 490154203237518 --imei 356938035643809 --owner "$PID" --seal "$SEAL" --seized-place "$PLACE"
DEV=$(jq -r .id "$tmp/out")
run 0 "seized" A custody add --case $C --subject device:$DEV --event seized --place "$PLACE" --seal "$SEAL" \
  --at 2026-03-01T09:00:00Z
run 0 "transferred" A custody add --case $C --subject device:$DEV --event transferred --from "$PLACE" \
  --to "مختبر طرابلس" --reason "للفحص" --at 2026-03-02T09:00:00Z
run 0 "note" A note add --case $C --text "ملاحظة: المشتبه به يستخدم رقمين"
mkdir -p "$tmp/ext/chats" "$tmp/folder"
printf 'رسالة: الرحلة غداً من الكفرة 0912345678\n' >"$tmp/ext/chats/whatsapp.txt"
head -c 20000 /dev/urandom >"$tmp/ext/photo.jpg"
printf 'بيان بنكي\n' >"$tmp/folder/bank.txt"
bsdtar -cf "$tmp/extraction.tar" -C "$tmp/ext" .
run 0 "ingest" A ingest $C "$tmp/extraction.tar" --device "$DEV"
run 0 "ingest folder" A ingest $C "$tmp/folder"

# --- refusals, before any file ---------------------------------------------------
U=$tmp/case.jsonld
run 3 "investigator refused" "$D" --user amal --password-file <(echo 'amal-password-1') \
  export $C --format case-uco -o "$U"
run 3 "clerk refused" "$D" --user kamal --password-file <(echo 'kamal-password-1') \
  export $C --format case-uco -o "$U"
[ ! -e "$U" ] && ok || bad "a refused export left a file"
run 2 "unknown format" A export $C --format stix -o "$U"
err_has "format: expected bundle or case-uco"
[ ! -e "$U" ] && ok || bad "a bad format left a file"
run 1 "unknown case" A export 2026/NONE/1 --format case-uco -o "$U"
err_has "no case"

# --- the export ----------------------------------------------------------------------
run 0 "export" A --json export $C --format case-uco -o "$U"
USHA=$(jq -r .sha256 "$tmp/out")
same "$(sha256sum "$U" | cut -d' ' -f1)" "$USHA" "file SHA-256"
same "$(stat -c %a "$U")" 600 "file mode"
run 2 "no overwrite" A export $C --format case-uco -o "$U"
err_has "does not overwrite"
ls "$tmp" | grep -q 'tmp-' && bad "temporary file left" || ok
run 0 "audit" A --json audit list
same "$(jq -r '[.[] | select(.action == "uco_export")][0].data.sha256' "$tmp/out")" "$USHA" "audit entry"

jq empty "$U" 2>"$tmp/err" && ok || bad "not JSON"
same "$(jq -r '."@context"."case-investigation"' "$U")" "https://ontology.caseontology.org/case/investigation/" "context"
same "$(jq -r '."@context"."uco-observable"' "$U")" "https://ontology.unifiedcyberontology.org/uco/observable/" "context"
# every node has an @id ending in a UUID; every reference names a node
same "$(jq '[.["@graph"][] | select(has("@id") | not)] | length' "$U")" 0 "nodes without @id"
same "$(jq -r '[.. | objects | select(has("@type") and has("@id")) | .["@id"]] as $d
  | [.. | objects | select(keys == ["@id"]) | .["@id"]] | unique - $d | length' "$U")" 0 "dangling references"
same "$(jq -r '[.. | objects | select(has("@type") and (has("@value") | not)) | select(has("@id") | not)] | length' "$U")" 0 \
  "blank nodes"
same "$(jq -r '[.. | objects | select(has("@type") and has("@id")) | .["@id"]
  | select(test("^kb:[a-z-]+-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$") | not)] | length' "$U")" 0 \
  "IRIs ending in a version-5 UUID"
same "$(jq -r '[.. | objects | select(has("@type") and has("@id")) | .["@id"]] | (length - (unique | length))' "$U")" 0 \
  "each @id defined once"

# the investigation lists every other node
inv='.["@graph"][] | select(."@type" == "case-investigation:Investigation")'
same "$(jq -r "$inv | .\"uco-core:name\"" "$U")" "$C" "investigation name"
same "$(jq -r "[$inv | .\"uco-core:object\"[]] | length" "$U")" "$(jq '.["@graph"] | length - 1' "$U")" \
  "investigation's objects"
same "$(jq -r "$inv | .\"case-investigation:focus\" | join(\",\")" "$U")" "trafficking,smuggling" "focus"
same "$(jq -r "$inv | .\"case-investigation:investigationStatus\"" "$U")" "open" "status"
# Arabic byte for byte
same "$(jq -r "$inv | .\"uco-core:description\"[0]" "$U")" "$TITLE" "Arabic title"
grep -q -- "$TITLE" "$U" && ok || bad "Arabic title not in the raw bytes"
grep -q '\\u0' "$U" && bad "escaped text in the file" || ok
person='.["@graph"][] | select(."@type" == "uco-identity:Person" and ."uco-core:name" == "'"$NAME"'")'
same "$(jq -r "[$person] | length" "$U")" 1 "person by Arabic name"
same "$(jq -r "$person | .\"uco-core:hasFacet\" | map(.\"uco-identity:givenName\" // empty) | join(\"|\")" "$U")" \
  "$NAME|Salem Omar al-Zawi" "names in both scripts"
same "$(jq -r "[.[\"@graph\"][] | select(.\"@type\" == \"uco-role:Role\") | .\"uco-core:name\"] | sort | join(\",\")" "$U")" \
  "organiser,suspect,victim" "roles"
same "$(jq -r '[.["@graph"][] | select(."uco-core:kindOfRelationship" == "Has_Role")] | length' "$U")" 3 "Has_Role"
# the device: make, model, serial, both IMEIs, its owner
dev='.["@graph"][] | select(."@type" == "uco-observable:MobileDevice" and (."uco-core:tag" | not))'
same "$(jq -r "$dev | .\"uco-core:hasFacet\"[] | select(.\"@type\" == \"uco-observable:MobileDeviceFacet\")
  | .\"uco-observable:IMEI\" | join(\",\")" "$U")" "490154203237518,356938035643809" "IMEIs"
same "$(jq -r "$dev | .\"uco-core:hasFacet\"[] | select(.\"@type\" == \"uco-observable:DeviceFacet\")
  | [.\"uco-observable:model\", .\"uco-observable:serialNumber\"] | join(\",\")" "$U")" "A12,R58M1" "model, serial"
same "$(jq -r '.["@graph"][] | select(."@type" == "uco-identity:Organization") | ."uco-core:name"' "$U")" "Samsung" "make"
same "$(jq -r '[.["@graph"][] | select(."uco-core:kindOfRelationship" == "Has_Device")] | length' "$U")" 1 "owner"
# identifiers
same "$(jq -r '.["@graph"][] | select(."@type" == "uco-observable:PhoneAccount") | ."uco-core:hasFacet"[0]."uco-observable:phoneNumber"' "$U" | head -1)" \
  "+218912345678" "phone account"
same "$(jq -r '.["@graph"][] | select(."@type" == "uco-observable:EmailAddress") | ."uco-core:hasFacet"[0]."uco-observable:addressValue"' "$U")" \
  "salem@example.ly" "e-mail address"

# every item: its three hashes equal the store's; the files' own for two
run 0 "items" A --json items $C
jq -r '.[] | select(.is_dir | not) | [.path, .md5, .sha1, .sha256] | @tsv' "$tmp/out" | sort >"$tmp/store-hashes"
jq -r '.["@graph"][] | select(."@type" == "uco-observable:File" and (."uco-core:tag" | not)) | ."uco-core:hasFacet"
  | (map(select(."@type" == "uco-observable:FileFacet"))[0]."uco-observable:filePath") as $p
  | map(select(."@type" == "uco-observable:ContentDataFacet"))[0]."uco-observable:hash"
  | select(. != null) | (map({key: ."uco-types:hashMethod"."@value", value: ."uco-types:hashValue"."@value"}) | from_entries) as $h
  | [$p, $h.MD5, $h.SHA1, $h.SHA256] | @tsv' "$U" | sort >"$tmp/uco-hashes"
[ -s "$tmp/store-hashes" ] && cmp -s "$tmp/store-hashes" "$tmp/uco-hashes" && ok \
  || { bad "item hashes differ from the store's"; diff "$tmp/store-hashes" "$tmp/uco-hashes" | head; }
same "$(wc -l <"$tmp/store-hashes")" 3 "files with hashes (2 members, 1 folder file)"
for f in chats/whatsapp.txt photo.jpg; do
  row=$(grep -F "./$f	" "$tmp/uco-hashes")
  same "$row" "./$f	$(md5sum <"$tmp/ext/$f" | cut -d' ' -f1)	$(sha1sum <"$tmp/ext/$f" | cut -d' ' -f1)	$(sha256sum <"$tmp/ext/$f" | cut -d' ' -f1)" "hashes of $f"
done
same "$(jq -r '.["@graph"][] | select(."@type" == "uco-observable:File") | ."uco-core:hasFacet"[]
  | select(."@type" == "uco-observable:ContentDataFacet") | ."uco-observable:hash"[]? | ."uco-types:hashValue"."@type"' "$U" | sort -u)" \
  "xsd:hexBinary" "hash values typed"
same "$(jq -r '.["@graph"][] | select(."@type" == "uco-observable:File" and ."uco-core:tag" == "archive") | ."uco-core:hasFacet"[]
  | select(."@type" == "uco-observable:ContentDataFacet") | ."uco-observable:hash"[] | select(."uco-types:hashMethod"."@value" == "SHA256")
  | ."uco-types:hashValue"."@value"' "$U")" "$(sha256sum "$tmp/extraction.tar" | cut -d' ' -f1)" "source SHA-256"
# each item is Contained_Within its source or parent
same "$(jq -r '[.["@graph"][] | select(."uco-core:kindOfRelationship" == "Contained_Within" and (."uco-core:hasFacet"[0]."@type"? == "uco-observable:PathRelationFacet"))] | length' "$U")" \
  "$(jq length "$tmp/out")" "Contained_Within per item"

# custody: seized, then transferred taking the seizure's provenance record; ingested
acts='[.["@graph"][] | select(."@type" == "case-investigation:InvestigativeAction")]'
same "$(jq -r "$acts | map(.\"uco-core:name\") | sort | join(\",\")" "$U")" "ingested,ingested,seized,transferred" "actions"
first=$(jq -r "$acts | map(select(.\"uco-core:name\" == \"seized\"))[0].\"uco-action:result\"[0].\"@id\"" "$U")
same "$(jq -r "$acts | map(select(.\"uco-core:name\" == \"transferred\"))[0].\"uco-action:object\"[0].\"@id\"" "$U")" "$first" \
  "transfer takes the seizure's provenance record"
same "$(jq -r ".[\"@graph\"][] | select(.\"@id\" == \"$first\") | .\"case-investigation:exhibitNumber\"" "$U")" "$SEAL" "exhibit number"
same "$(jq -r "$acts | map(select(.\"uco-core:name\" == \"seized\"))[0].\"uco-action:startTime\".\"@value\"" "$U")" \
  "2026-03-01T09:00:00Z" "seizure time"

# deterministic: the same data gives the same bytes
run 0 "export again" A export $C --format case-uco -o "$tmp/again.jsonld"
cmp -s "$U" "$tmp/again.jsonld" && ok || bad "two exports differ"

# --- JSON-LD as RDF (Debian's python3-rdflib, when installed) ------------------------
if /usr/bin/python3 -c 'import rdflib' 2>/dev/null; then
  /usr/bin/python3 - "$U" "$C" "$NAME" "$(sha256sum "$tmp/ext/photo.jpg" | cut -d' ' -f1)" >"$tmp/rdf" 2>"$tmp/err" <<'EOF'
import sys, rdflib
path, number, name, sha = sys.argv[1:5]
g = rdflib.Graph()
g.parse(path, format="json-ld")
CORE = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/core/")
OBS = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/observable/")
TYPES = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/types/")
INV = rdflib.Namespace("https://ontology.caseontology.org/case/investigation/")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
problems = []
if len(g) < 200:
    problems.append("only %d triples" % len(g))
if any(isinstance(t, rdflib.BNode) for triple in g for t in triple):
    problems.append("blank nodes")
invs = list(g.subjects(rdflib.RDF.type, INV.Investigation))
if len(invs) != 1 or g.value(invs[0], CORE.name) != rdflib.Literal(number):
    problems.append("investigation")
if (None, CORE.name, rdflib.Literal(name)) not in g:
    problems.append("Arabic name")
rows = g.query("""SELECT ?v WHERE { ?f a uco_observable:File ; uco_core:hasFacet ?c .
    ?c uco_observable:hash ?h . ?h uco_types:hashMethod ?m ; uco_types:hashValue ?v .
    FILTER (str(?m) = "SHA256") }""", initNs={"uco_observable": OBS, "uco_core": CORE, "uco_types": TYPES})
if rdflib.Literal(sha, datatype=XSD.hexBinary) not in {r[0] for r in rows}:
    problems.append("photo SHA-256 as xsd:hexBinary")
print(len(g), "triples;", "; ".join(problems) or "ok")
EOF
  if grep -q "; ok$" "$tmp/rdf"; then ok; sed "s/^/uco_test: rdflib: /" "$tmp/rdf"; else bad "rdflib: $(cat "$tmp/rdf")"; fi
else
  echo "uco_test: python3-rdflib is not installed: the JSON-LD is not read as RDF"
fi

echo "uco_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
