#!/usr/bin/env bash
# import_test.sh DALIL — case bundles imported between units: Tripoli sends,
# Benghazi receives (and already has a case of the same number), Misrata is a
# stranger. Round trip (counts, hashes, Arabic text byte-identical, objects,
# the court report on both sides), refused bundles (a flipped byte in an
# object or in the manifest, an untrusted signer) leaving the store and its
# objects untouched, re-import a no-op, the case number kept apart.
set -u
D=${1:?usage: import_test.sh PATH/TO/dalil}
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
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
out_has() { if grep -q -- "$1" "$tmp/out"; then ok; else bad "stdout lacks '$1'"; sed 's/^/  stdout: /' "$tmp/out" | head -20; fi; }
same()    { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }

for tool in bsdtar jq sha256sum python3 pdftotext; do
  command -v "$tool" >/dev/null || { echo "import_test: $tool is missing"; exit 1; }
done

export DALIL_PASSWORD='correct horse 1'
TRI=$tmp/tripoli BEN=$tmp/benghazi MIS=$tmp/misrata
at() { local s=$1; shift; "$D" --store "$s" --user chief "$@"; }
for s in "$TRI" "$BEN" "$MIS"; do
  run 0 "init $s" "$D" --store "$s" init --admin chief
done
run 0 "unit name" at "$TRI" settings set unit_name_ar "وحدة مكافحة الاتجار بالبشر - طرابلس"
run 0 "unit name" at "$TRI" settings set unit_name_en "Tripoli anti-trafficking unit"
run 0 "unit name" at "$BEN" settings set unit_name_en "Benghazi unit"
DALIL_KEY_PASSPHRASE='tripoli secret 1' run 0 "keys tripoli" at "$TRI" keys init
DALIL_KEY_PASSPHRASE='benghazi secret 1' run 0 "keys benghazi" at "$BEN" keys init
DALIL_KEY_PASSPHRASE='misrata secret 1' run 0 "keys misrata" at "$MIS" keys init --name Misrata
at "$TRI" keys export >"$tmp/tripoli.key"
run 0 "benghazi trusts tripoli" at "$BEN" keys trust "$tmp/tripoli.key" --name "Tripoli TIP"

# --- the case at Tripoli ----------------------------------------------------
C=2026/TIP/0042
TITLE='شبكة الاتجار بالبشر عبر الحدود الجنوبية'
NAME='سالم عمر الزوي'
run 0 "user" at "$TRI" user add amal --role investigator --name-ar "أمل" --password-file <(echo 'amal-password-1')
run 0 "case" at "$TRI" case add --number $C --title-ar "$TITLE" --title-en "Southern border ring" \
  --offence trafficking,smuggling --lead amal
run 0 "person" at "$TRI" person add --case $C --name-ar "$NAME" --name-lat "Salem Omar al-Zawi" \
  --role suspect --network-role organiser --alias "أبو عمر" --document passport:LY1234567:LY \
  --phone "+218 91 234 5678"
run 0 "person 2" at "$TRI" --json person add --case $C --name-ar "فاطمة" --role victim --nationality NG
PID=$(jq -r .id "$tmp/out")
run 0 "device" at "$TRI" --json device add --case $C --type phone --make Samsung --imei 490154203237518 \
  --owner "$PID" --seal "ختم-77" --seized-place "سبها"
DEV=$(jq -r .id "$tmp/out")
run 0 "custody" at "$TRI" custody add --case $C --subject device:$DEV --event seized --place "سبها" --seal "ختم-77"
run 0 "note" at "$TRI" note add --case $C --text "ملاحظة: المشتبه به يستخدم رقمين"
mkdir -p "$tmp/ext/chats"
printf 'رسالة: الرحلة غداً من سبها\n' >"$tmp/ext/chats/whatsapp.txt"
head -c 200000 /dev/urandom >"$tmp/ext/photo.jpg"
bsdtar -cf "$tmp/extraction.tar" -C "$tmp/ext" .
run 0 "ingest" at "$TRI" ingest $C "$tmp/extraction.tar" --device "$DEV"
ITEM=$(at "$TRI" --json items $C | jq -r '[.[] | select(.path | endswith("whatsapp.txt"))][0].id')
run 0 "item export" at "$TRI" item export "$ITEM" -o "$tmp/whatsapp.out"
run 0 "court report at tripoli" at "$TRI" report $C --kind court --lang ar -o "$tmp/tri.pdf"
export DALIL_KEY_PASSPHRASE='tripoli secret 1'
B=$tmp/case.bundle
run 0 "export" at "$TRI" --json export $C -o "$B"
BID=$(jq -r .manifest_sha256 "$tmp/out")
mkdir "$tmp/x" && bsdtar -xf "$B" -C "$tmp/x"
M=$tmp/x/manifest.json

# a stranger's bundle
run 0 "misrata case" at "$MIS" case add --number 2026/MIS/0001 --title-ar "قضية" --offence smuggling
DALIL_KEY_PASSPHRASE='misrata secret 1' run 0 "misrata export" at "$MIS" export 2026/MIS/0001 -o "$tmp/mis.bundle"

# --- Benghazi: a case of the same number made here first ---------------------
run 0 "user at benghazi" at "$BEN" user add omar --role investigator --password-file <(echo 'omar-password-1')
run 0 "local case" at "$BEN" case add --number $C --title-ar "قضية محلية" --offence smuggling

# what the receiving store holds: every table's row count and the objects
snapshot() {
  python3 - "$BEN/dalil.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%' ORDER BY name"):
    where = " WHERE action NOT LIKE 'login%'" if t == 'audit_log' else ''   # each command logs in
    print(t, db.execute(f'SELECT count(*) FROM "{t}"{where}').fetchone()[0])
EOF
  find "$BEN" -path '*objects*' | sort
}
[ -f "$BEN/dalil.db" ] || { echo "import_test: no $BEN/dalil.db"; exit 1; }
snapshot >"$tmp/before"

flip() {  # flip SRC DST MEMBER: one byte of MEMBER's data changed
  python3 - "$1" "$2" "$3" <<'EOF'
import sys, tarfile
src, dst, member = sys.argv[1:]
with tarfile.open(src) as t:
    off = t.getmember(member).offset_data
data = bytearray(open(src, 'rb').read())
data[off + 20] ^= 0x01
open(dst, 'wb').write(data)
EOF
}
SRC_SHA=$(sha256sum "$tmp/extraction.tar" | cut -d' ' -f1)
flip "$B" "$tmp/obj.bundle" "objects/$SRC_SHA"
flip "$B" "$tmp/man.bundle" manifest.json
run 1 "flipped object refused" at "$BEN" bundle import "$tmp/obj.bundle"
err_has "object $SRC_SHA: SHA-256 differs"
run 1 "flipped manifest refused" at "$BEN" bundle import "$tmp/man.bundle"
err_has "signature does not verify"
run 1 "untrusted signer refused" at "$BEN" bundle import "$tmp/mis.bundle"
err_has "untrusted key"
run 3 "investigator may not import" "$D" --store "$BEN" --user omar --password-file <(echo 'omar-password-1') \
  bundle import "$B"
snapshot >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then ok; else bad "a refused import changed the store"; diff "$tmp/before" "$tmp/after" | head; fi

# --- the import -------------------------------------------------------------
LC="${C}_TRIPOLI-TIP"
run 0 "import" at "$BEN" bundle import "$B"
out_has "case imported as $LC: this store has a case $C already"
run 0 "import --json of the same bundle" at "$BEN" --json bundle import "$B"
same "$(jq -r '[.ok, .already_imported, .case_number, .bundle_id] | join(" ")' "$tmp/out")" "true true $LC $BID" \
  "import JSON"
run 0 "local case untouched" at "$BEN" --json case show $C
same "$(jq -r .title_ar "$tmp/out")" "قضية محلية" "the local case of the same number"
run 0 "imported case" at "$BEN" --json case show "$LC"
same "$(jq -r .title_ar "$tmp/out")" "$TITLE" "imported Arabic title"

# every row of the manifest against the row it became: each column's value
# identical (text byte for byte, blobs), references mapped to the rows the
# referenced ones became, users to their USER@UNIT accounts
python3 - "$M" "$BEN/dalil.db" "$LC" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sqlite3, sys
m = json.load(open(sys.argv[1], encoding='utf-8'))
db = sqlite3.connect(sys.argv[2])
db.text_factory = bytes
local_case = sys.argv[3].encode()
(case_id,) = db.execute("SELECT id FROM cases WHERE number = ?", (sys.argv[3],)).fetchone()
users = {u['id']: u['username'] for u in m['users']}
def mapped(table, rid):
    r = db.execute("SELECT local_id FROM bundle_rows WHERE case_id = ? AND tbl = ? AND remote_id = ?",
                   (case_id, table, rid)).fetchone()
    return r[0] if r else None
problems = 0
rows = 0
for table, lst in m['records'].items():
    fks = {r[3].decode(): r[2].decode() for r in db.execute(f'PRAGMA foreign_key_list("{table}")')}
    if table == 'identifiers': fks['item_id'] = 'evidence_items'
    for row in lst:
        lid = mapped(table, row['id'])
        if lid is None:
            print('not imported:', table, row['id']); problems += 1; continue
        cur = db.execute(f'SELECT * FROM "{table}" WHERE id = ?', (lid,))
        names = [d[0] for d in cur.description]
        got = dict(zip(names, cur.fetchone()))
        rows += 1
        for col, want in row.items():
            have = got[col]
            if col == 'id': continue
            ref = fks.get(col)
            if table == 'custody_events' and col == 'subject_id':
                ref = {'device': 'devices', 'source': 'evidence_sources', 'item': 'evidence_items'}[row['subject_kind']]
            if want is None:
                ok = have is None
            elif ref == 'users':
                u = db.execute("SELECT username FROM users WHERE id = ?", (have,)).fetchone()
                ok = u is not None and u[0] == (users[want] + '.tripoli-tip').encode()
            elif ref:
                ok = have == mapped(ref, want)
            elif table == 'cases' and col == 'number':
                ok = have == local_case
            elif isinstance(want, str) and isinstance(have, bytes) and want.startswith('hex:') and col == 'path_raw':
                ok = have.hex() == want[4:]
            elif isinstance(want, str):
                ok = have == want.encode('utf-8')
            else:
                ok = have == want
            if not ok:
                print('differs:', table, row['id'], col, repr(want), repr(have)); problems += 1
print('rows', rows, 'problems', problems)
EOF
same "$(tail -1 "$tmp/cmp")" "rows $(jq '[.records[] | length] | add' "$M") problems 0" "rows identical"
[ "$(tail -1 "$tmp/cmp")" = "rows $(jq '[.records[] | length] | add' "$M") problems 0" ] || head -20 "$tmp/cmp"

# every object the bundle carried is in the store, under its hash
for sha in $(jq -r '.objects[] | select(.in_bundle) | .sha256' "$M"); do
  f=$BEN/objects/${sha:0:2}/${sha:2}
  [ -f "$f" ] || f=$(find "$BEN/objects" -name "*${sha:2}*" | head -1)
  same "$(sha256sum "$f" 2>/dev/null | cut -d' ' -f1)" "$sha" "object $sha in the store"
done
run 0 "items at benghazi" at "$BEN" --json items "$LC"
same "$(jq -r 'map(.sha256) | sort | join(",")' "$tmp/out")" \
  "$(at "$TRI" --json items $C | jq -r 'map(.sha256) | sort | join(",")')" "items and their hashes"
run 0 "item export at benghazi" at "$BEN" item export "$(jq -r '[.[] | select(.path | endswith("whatsapp.txt"))][0].id' "$tmp/out")" \
  -o "$tmp/whatsapp.ben"
cmp -s "$tmp/whatsapp.ben" "$tmp/ext/chats/whatsapp.txt" && ok || bad "exported item differs"

# provenance: the received custody events, the sender's audit entries, the import entry
python3 - "$BEN/dalil.db" "$LC" >"$tmp/prov" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(cid,) = db.execute("SELECT id FROM cases WHERE number = ?", (sys.argv[2],)).fetchone()
print(db.execute("SELECT count(*) FROM custody_events WHERE case_id = ? AND event = 'received' AND from_party = 'Tripoli anti-trafficking unit' AND to_party = 'Benghazi unit'", (cid,)).fetchone()[0],
      db.execute("SELECT count(*) FROM received_audit r JOIN bundle_imports b ON b.id = r.import_id WHERE b.case_id = ?", (cid,)).fetchone()[0],
      db.execute("SELECT unit_name || '|' || origin_case_number FROM bundle_imports WHERE case_id = ?", (cid,)).fetchone()[0],
      db.execute("SELECT count(*) FROM users WHERE username LIKE '%.tripoli-tip' AND disabled = 1 AND password_hash = '!'").fetchone()[0])
EOF
same "$(cat "$tmp/prov")" \
  "$(jq '(.records.devices | length) + (.records.evidence_sources | length)' "$M") $(jq '.audit | length' "$M") Tripoli TIP|$C $(jq '.users | length' "$M")" \
  "received events, audit entries, provenance, placeholder users"
run 0 "import audited" at "$BEN" --json audit list
same "$(jq -r "[.[] | select(.action == \"bundle_import\")][0].data.bundle_id" "$tmp/out")" "$BID" "bundle_import entry"
run 0 "audit verify at benghazi" at "$BEN" audit verify
run 3 "a placeholder cannot log in" "$D" --store "$BEN" --user "amal.tripoli-tip" --password-file <(echo '!') case list

# --- re-import: nothing changes ----------------------------------------------
snapshot >"$tmp/before2"
run 0 "re-import" at "$BEN" bundle import "$B"
out_has "already imported as case $LC"
snapshot >"$tmp/after2"
cmp -s "$tmp/before2" "$tmp/after2" && ok || { bad "a re-import changed the store"; diff "$tmp/before2" "$tmp/after2" | head; }

# --- the court report on both sides -------------------------------------------
run 0 "court report at benghazi" at "$BEN" report "$LC" --kind court --lang ar -o "$tmp/ben.pdf"
pdftotext "$tmp/tri.pdf" "$tmp/tri.txt" && pdftotext "$tmp/ben.pdf" "$tmp/ben.txt"
# word by word (layout and bidi marks aside): what only the sender's report
# says must be what legitimately differs — the case number (suffixed here),
# the unit printing it, the time it was made, the usernames (user.unit here)
# — and the identifiers table's header row, which a page break in the
# sender's shorter report repeats once more than in the receiver's (longer by
# its two "received" custody events)
python3 - "$tmp/tri.txt" "$tmp/ben.txt" "$C" "$NAME 490154203237518" >"$tmp/words" <<'EOF'
import re, sys, unicodedata
from collections import Counter
def words(p):
    t = unicodedata.normalize('NFC', open(p, encoding='utf-8').read())
    return Counter(re.sub('[\u202a-\u202e]', ' ', t).split())
a, b = words(sys.argv[1]), words(sys.argv[2])
allowed = re.compile(r'.*' + re.escape(sys.argv[3]) + r'$|^\d{4}-\d\d-\d\dT[\d:]+Z$|^(chief|amal|-)$'
                     r'|^(وحدة|مكافحة|الاتجار|بالبشر|طرابلس)$|^(النوع|المعُ|رِّف|يعود)$'
                     .replace('رِّف', unicodedata.normalize('NFC', 'رِّف')))
print(' '.join(sorted(w for w in (a - b) if not allowed.match(w))) or 'none')
added = b - a
print('received' in added and 'chief.tripoli-tip' in added and 'amal.tripoli-tip' in added)
print(' '.join(w for w in sys.argv[4].split() if not b[w]) or 'all')
EOF
same "$(head -1 "$tmp/words")" none "words of the sender's court report missing at the receiver"
same "$(sed -n 2p "$tmp/words")" True "the receiver's report names the receipt and the sender's users"
same "$(sed -n 3p "$tmp/words")" all "a name and the IMEI in the imported court report"

# --- incremental bundles ----------------------------------------------------
SUMMARY='ملخص: نُقل المشتبه به إلى طرابلس'
run 0 "edit case" at "$TRI" case edit $C --summary-ar "$SUMMARY"
run 0 "edit person" at "$TRI" person edit "$PID" --status arrested
run 0 "second note" at "$TRI" note add --case $C --text "ملاحظة ثانية"
run 0 "second device" at "$TRI" device add --case $C --type sim --seal "ختم-78"
I1=$tmp/inc1.bundle
run 2 "unknown base" at "$TRI" export $C --since 0000000000000000000000000000000000000000000000000000000000000000 -o "$I1"
err_has "no bundle"
run 0 "export --since" at "$TRI" --json export $C --since "$BID" -o "$I1"
I1ID=$(jq -r .manifest_sha256 "$tmp/out")
mkdir "$tmp/i1" && bsdtar -xf "$I1" -C "$tmp/i1"
same "$(jq -r '[.base_bundle_id, (.records | length), ([.changes[].table] | unique | join(","))] | join(" ")' "$tmp/i1/manifest.json")" \
  "$BID 0 cases,devices,notes,persons" "the incremental manifest"
run 0 "verify incremental" at "$BEN" bundle verify "$I1"
run 0 "misrata trusts tripoli" at "$MIS" keys trust "$tmp/tripoli.key" --name "Tripoli"
run 1 "incremental before its base" at "$MIS" bundle import "$I1"
err_has "was not imported here from that unit: import it first"
same "$(sqlite3 "$MIS/dalil.db" "SELECT count(*) FROM cases")" 1 "nothing imported without the base"
snapshot >"$tmp/before3"
run 0 "import incremental" at "$BEN" bundle import "$I1"
out_has "changes applied to case $LC"
run 0 "imported case after" at "$BEN" --json case show "$LC"
same "$(jq -r .summary_ar "$tmp/out")" "$SUMMARY" "summary applied"
LPID=$(sqlite3 "$BEN/dalil.db" "SELECT local_id FROM bundle_rows WHERE tbl = 'persons' AND remote_id = $PID")
same "$(sqlite3 "$BEN/dalil.db" "SELECT status FROM persons WHERE id = $LPID")" arrested "person status applied"
same "$(sqlite3 "$BEN/dalil.db" "SELECT count(*) FROM notes n JOIN cases c ON c.id = n.case_id WHERE c.number = '$LC'")" 2 "notes"
same "$(sqlite3 "$BEN/dalil.db" "SELECT count(*) FROM custody_events e JOIN cases c ON c.id = e.case_id WHERE c.number = '$LC' AND e.event = 'received'")" 3 "a received event for the new device"
run 0 "audit verify after incremental" at "$BEN" audit verify
snapshot >"$tmp/before4"
run 0 "incremental again" at "$BEN" bundle import "$I1"
out_has "already imported"
snapshot >"$tmp/after4"
cmp -s "$tmp/before4" "$tmp/after4" && ok || { bad "an incremental applied twice changed the store"; diff "$tmp/before4" "$tmp/after4"; }

run 0 "bundle list" at "$BEN" --json bundle list --case "$LC"
same "$(jq -r 'map([.sender_case_number, .unit, (.base_bundle_id // "full"), .bundle_id] | join(" ")) | join(";")' "$tmp/out")" \
  "$C Tripoli TIP full $BID;$C Tripoli TIP $BID $I1ID" "the bundles received"
run 3 "bundle list: not for investigators" "$D" --store "$BEN" --user omar --password-file <(echo 'omar-password-1') bundle list

# a conflicting local edit: reported, and nothing of the bundle applied
run 0 "sender edits again" at "$TRI" person edit "$PID" --status released
run 0 "sender edits the case" at "$TRI" case edit $C --title-en "Southern border ring (2)"
run 0 "export --since the incremental" at "$TRI" export $C --since "$I1ID" -o "$tmp/inc2.bundle"
run 0 "receiver edits the person" at "$BEN" person edit "$LPID" --status detained
snapshot >"$tmp/before5"
run 1 "conflict" at "$BEN" bundle import "$tmp/inc2.bundle"
err_has "persons $LPID (the sender's $PID): changed here since: status$"
err_has "nothing applied"
snapshot >"$tmp/after5"
cmp -s "$tmp/before5" "$tmp/after5" && ok || { bad "a conflicting bundle changed the store"; diff "$tmp/before5" "$tmp/after5"; }
same "$(sqlite3 "$BEN/dalil.db" "SELECT title_en || '|' || (SELECT status FROM persons WHERE id = $LPID) FROM cases WHERE number = '$LC'")" \
  "Southern border ring|detained" "local work kept, nothing applied"

# a second full bundle of a case already received from that unit: refused,
# pointing at the incremental way (nothing imported)
run 0 "second full export" at "$TRI" export $C -o "$tmp/full2.bundle"
run 2 "second full bundle refused" at "$BEN" --json bundle import "$tmp/full2.bundle"
err_has "was imported already, as $LC, from another bundle"
same "$(sqlite3 "$BEN/dalil.db" "SELECT count(*) FROM cases")" 2 "no third case"

echo "import_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
