#!/usr/bin/env bash
# backup_test.sh DALIL — whole-store backup and restore, end to end: a store
# with a case (Arabic title), persons and an ingested tar; a backup taken while
# a second dalil ingests into the same store; restored into a new directory and
# compared (per-table counts, items --json, every object's SHA-256) and
# verified (audit verify, integrity_check); a flipped byte in the database
# member or in an object, a truncated or hostile tar (../ names, symlinks,
# duplicates, unknown names) and a non-empty target refused with nothing left.
set -u
D=${1:?usage: backup_test.sh PATH/TO/dalil}
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
bg=
trap '[ -n "$bg" ] && kill "$bg" 2>/dev/null; rm -rf "$tmp"' EXIT
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
absent()  { if [ ! -e "$1" ]; then ok; else bad "$2: $1 was left behind"; fi; }
no_leftovers() {  # nothing named like a restore's scratch directory
  local n; n=$(find "$tmp" -maxdepth 1 -name '*.restore-*' | wc -l)
  same "$n" 0 "$1: scratch directories left"
}

for tool in bsdtar jq sha256sum sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "backup_test: $tool is missing"; exit 1; }
done

export DALIL_PASSWORD='correct horse 1'
S=$tmp/store
at() { local s=$1; shift; "$D" --store "$s" --user chief "$@"; }
run 0 "init" "$D" --store "$S" init --admin chief
C=2026/TIP/0042
run 0 "user inv" at "$S" user add amal --role investigator --password-file <(echo 'amal-password-1')
run 0 "case" at "$S" case add --number $C --title-ar "شبكة الاتجار بالبشر عبر الحدود الجنوبية" \
  --offence trafficking --lead amal
run 0 "person 1" at "$S" person add --case $C --name-ar "سالم عمر الزوي" --role suspect
run 0 "person 2" at "$S" person add --case $C --name-ar "فاطمة" --role victim --nationality NG
mkdir -p "$tmp/ext/chats"
printf 'رسالة: الرحلة غداً من سبها\n' >"$tmp/ext/chats/whatsapp.txt"
head -c 200000 /dev/urandom >"$tmp/ext/photo.jpg"
bsdtar -cf "$tmp/extraction.tar" -C "$tmp/ext" .
run 0 "ingest" at "$S" ingest $C "$tmp/extraction.tar"
# a second, larger tar for the ingest that runs during the backup
mkdir -p "$tmp/ext2"
for i in $(seq 1 2500); do printf 'sms %d\n' "$i" >"$tmp/ext2/$i.txt"; done
head -c 3000000 /dev/urandom >"$tmp/ext2/video.mp4"
bsdtar -cf "$tmp/second.tar" -C "$tmp/ext2" .

# --- permission and arguments ---------------------------------------------
run 3 "investigator may not back up" "$D" --store "$S" --user amal \
  --password-file <(echo 'amal-password-1') backup "$tmp/inv.bak"
absent "$tmp/inv.bak" "refused backup"

# --- backup while another dalil ingests ------------------------------------
at "$S" ingest $C "$tmp/second.tar" >"$tmp/bg.out" 2>"$tmp/bg.err" &
bg=$!
# start the backup once the ingest has begun writing (its source row exists,
# still "interrupted"): reading the live store with sqlite3 is a WAL reader
for _ in $(seq 1 200); do
  [ "$(sqlite3 "$S/dalil.db" "SELECT count(*) FROM evidence_sources WHERE original_path LIKE '%second.tar' AND status = 'interrupted'" 2>/dev/null)" = 1 ] && break
  sleep 0.02
done
run 0 "backup during ingest" at "$S" --json backup "$tmp/store.bak"
wait "$bg"; bgrc=$?; bg=
same "$bgrc" 0 "concurrent ingest exit"
same "$(stat -c %a "$tmp/store.bak")" 600 "backup mode"
same "$(jq -r .sha256 "$tmp/out")" "$(sha256sum "$tmp/store.bak" | cut -d' ' -f1)" "backup sha256"
run 2 "backup never replaces" at "$S" backup "$tmp/store.bak"
err_has "exists"
same "$(find "$tmp" -maxdepth 1 -name 'store.bak.tmp-*' | wc -l)" 0 "backup scratch left"
# the audit log records it
run 0 "audit list" at "$S" --json audit list --entity store
if jq -e 'map(select(.action == "backup")) | length == 1' "$tmp/out" >/dev/null; then ok; else bad "no backup audit entry"; fi

# the archive's layout
bsdtar -tf "$tmp/store.bak" >"$tmp/members"
same "$(head -2 "$tmp/members" | tr '\n' ' ')" "manifest.json dalil.db " "first members"
bsdtar -xOf "$tmp/store.bak" manifest.json >"$tmp/manifest.json"
if jq -e '.format == "dalil-backup" and .format_version == 1 and .schema_version == 6' \
  "$tmp/manifest.json" >/dev/null; then ok; else bad "manifest fields"; fi
same "$(jq '.objects | length' "$tmp/manifest.json")" "$(grep -c '^objects/' "$tmp/members")" "objects listed"
# the objects in the backup are at least those the copied database names
mkdir -p "$tmp/x" && bsdtar -xf "$tmp/store.bak" -C "$tmp/x" dalil.db
same "$(sha256sum "$tmp/x/dalil.db" | cut -d' ' -f1)" "$(jq -r .database.sha256 "$tmp/manifest.json")" "db sha256"
sqlite3 "$tmp/x/dalil.db" 'SELECT sha256 FROM objects ORDER BY 1' >"$tmp/db-objects"
jq -r '.objects[].sha256' "$tmp/manifest.json" | sort >"$tmp/man-objects"
same "$(comm -23 "$tmp/db-objects" "$tmp/man-objects" | wc -l)" 0 "objects named by the db missing from backup"
same "$(sqlite3 "$tmp/x/dalil.db" 'PRAGMA integrity_check')" ok "copied db integrity"

# --- restore and compare ---------------------------------------------------
R=$tmp/restored
run 0 "restore" "$D" restore "$tmp/store.bak" --store "$R"
same "$(stat -c %a "$R")" 700 "restored dir mode"
same "$(stat -c %a "$R/dalil.db")" 600 "restored db mode"
same "$(find "$R/objects" -type f ! -perm 600 | wc -l)" 0 "object file modes"
same "$(find "$R/objects" -type d ! -perm 700 | wc -l)" 0 "object dir modes"
no_leftovers "restore"
echo "backup_test: during the backup the second ingest was: $(sqlite3 "$tmp/x/dalil.db" "SELECT coalesce((SELECT status || ', ' || (SELECT count(*) FROM evidence_items WHERE source_id = s.id) || ' items' FROM evidence_sources s WHERE original_path LIKE '%second.tar'), 'not begun')")"
# the restored store equals the copy inside the backup, table by table
tables=$(sqlite3 "$tmp/x/dalil.db" "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")
for t in $tables; do
  same "$(sqlite3 "$R/dalil.db" "SELECT count(*) FROM \"$t\"")" \
       "$(sqlite3 "$tmp/x/dalil.db" "SELECT count(*) FROM \"$t\"")" "rows of $t"
done
same "$(sqlite3 "$R/dalil.db" .dump | sha256sum)" "$(sqlite3 "$tmp/x/dalil.db" .dump | sha256sum)" "dump"
# (after the comparison: logging in adds an audit entry)
run 0 "audit verify restored" at "$R" audit verify
same "$(sqlite3 "$R/dalil.db" 'PRAGMA integrity_check')" ok "restored integrity"
# the first ingest, finished before the backup, is in the restored store
# exactly as in the live one (the second may be partly or wholly in it)
run 0 "items restored" at "$R" --json items $C
jq -S 'map(select(.source_id == 1))' "$tmp/out" >"$tmp/items.restored"
if jq -e 'map(select(.path | endswith("whatsapp.txt"))) | length == 1' "$tmp/items.restored" >/dev/null; then
  ok; else bad "restored items lack whatsapp.txt"; fi
run 0 "items live" at "$S" --json items $C
jq -S 'map(select(.source_id == 1))' "$tmp/out" >"$tmp/items.live"
same "$(sha256sum <"$tmp/items.live")" "$(sha256sum <"$tmp/items.restored")" "items --json"
# every restored object has the hash it is named by
badobj=0
while IFS= read -r f; do
  n=${f#"$R/objects/"}; n=${n/\//}
  [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$n" ] || badobj=$((badobj + 1))
done < <(find "$R/objects" -type f)
same "$badobj" 0 "restored objects' hashes"
same "$(find "$R/objects" -type f | wc -l)" "$(jq '.objects | length' "$tmp/manifest.json")" "restored object count"
run 0 "case in restored" at "$R" --json case show $C
if grep -q "الحدود الجنوبية" "$tmp/out"; then ok; else bad "Arabic title lost"; fi

# --- backup between another dalil's short writes -------------------------
# An ingest holds the write lock batch after batch, so the backup's login (a
# write: its audit entry) waits for its end. Short changes leave room: the
# snapshot then falls between two of them and must be whole.
P0=$(sqlite3 "$S/dalil.db" 'SELECT count(*) FROM persons')
( for i in $(seq 1 12); do at "$S" person add --case $C --name-ar "شاهد $i" --role witness >/dev/null 2>&1; done ) &
bg=$!
sleep 0.5
run 0 "backup between writes" at "$S" backup "$tmp/store2.bak"
wait "$bg"; bg=
run 0 "restore second" "$D" restore "$tmp/store2.bak" --store "$tmp/restored2"
P2=$(sqlite3 "$tmp/restored2/dalil.db" 'SELECT count(*) FROM persons')
echo "backup_test: the second backup holds $((P2 - P0)) of the 12 persons added during it"
if [ "$P2" -ge "$P0" ] && [ "$P2" -le $((P0 + 12)) ]; then ok; else bad "persons in second backup: $P2"; fi
same "$(sqlite3 "$S/dalil.db" 'SELECT count(*) FROM persons')" $((P0 + 12)) "writer went on"
run 0 "audit verify second" at "$tmp/restored2" audit verify
run 0 "audit verify live" at "$S" audit verify

# an object changed on disk in a store stops its backup
cp -a "$tmp/restored2" "$tmp/damaged"
f=$(find "$tmp/damaged/objects" -type f -size +1k | head -1)
printf 'X' | dd of="$f" bs=1 seek=10 conv=notrunc status=none
run 1 "backup of a damaged object" at "$tmp/damaged" backup "$tmp/damaged.bak"
err_has "no longer has that SHA-256"
absent "$tmp/damaged.bak" "damaged backup"
same "$(find "$tmp" -maxdepth 1 -name 'damaged.bak.tmp-*' | wc -l)" 0 "damaged backup scratch"

# --- refusals: nothing written ---------------------------------------------
run 2 "non-empty target" "$D" restore "$tmp/store.bak" --store "$R"
err_has "store"
mkdir -p "$tmp/full" && touch "$tmp/full/x"
run 2 "non-empty dir" "$D" restore "$tmp/store.bak" --store "$tmp/full"
same "$(ls "$tmp/full")" x "non-empty dir untouched"
mkdir "$tmp/empty"
run 0 "empty dir accepted" "$D" restore "$tmp/store.bak" --store "$tmp/empty"

# flip one byte at an offset inside a member's data (python: exact offsets)
flip() {  # flip SRC MEMBER DEST
  python3 - "$1" "$2" "$3" <<'PY'
import sys, tarfile
src, member, dest = sys.argv[1:]
with tarfile.open(src) as t:
    m = t.getmember(member)
    off = m.offset_data + m.size // 2
data = bytearray(open(src, 'rb').read())
data[off] ^= 0x01
open(dest, 'wb').write(data)
PY
}
flip "$tmp/store.bak" dalil.db "$tmp/flipdb.bak"
run 1 "flipped db byte" "$D" restore "$tmp/flipdb.bak" --store "$tmp/r1"
err_has "dalil.db: SHA-256 differs"
absent "$tmp/r1" "flipped db"
OBJ=$(grep '^objects/' "$tmp/members" | head -1)
flip "$tmp/store.bak" "$OBJ" "$tmp/flipobj.bak"
run 1 "flipped object byte" "$D" restore "$tmp/flipobj.bak" --store "$tmp/r2"
err_has "SHA-256 differs"
absent "$tmp/r2" "flipped object"
head -c $(( $(stat -c %s "$tmp/store.bak") / 2 )) "$tmp/store.bak" >"$tmp/short.bak"
run 1 "truncated backup" "$D" restore "$tmp/short.bak" --store "$tmp/r3"
absent "$tmp/r3" "truncated"
no_leftovers "refusals"

# hostile tars: built from the real members, with one thing added or changed
mkdir -p "$tmp/h" && bsdtar -xf "$tmp/store.bak" -C "$tmp/h"
hostile() {  # hostile NAME DESC: restore $tmp/NAME.bak must be refused, nothing written
  run 1 "$2" "$D" restore "$tmp/$1.bak" --store "$tmp/r-$1"
  err_has "refused\|incomplete\|not a dalil backup"
  absent "$tmp/r-$1" "$2"
}
printf 'x' >"$tmp/h/evil"
bsdtar -cf "$tmp/dotdot.bak" -s ',^evil$,../evil,' -C "$tmp/h" manifest.json dalil.db evil
same "$(bsdtar -tf "$tmp/dotdot.bak" | tail -1)" ../evil "../ member built"
hostile dotdot "../ member"
absent "$tmp/evil" "../ member"
(cd "$tmp/h" && ln -s /etc/passwd link)
bsdtar -cf "$tmp/symlink.bak" -C "$tmp/h" manifest.json dalil.db link
hostile symlink "symlink member"
bsdtar -cf "$tmp/dup.bak" -C "$tmp/h" manifest.json dalil.db dalil.db
hostile dup "duplicate member"
bsdtar -cf "$tmp/unknown.bak" -C "$tmp/h" manifest.json dalil.db evil
hostile unknown "unknown member"
bsdtar -cf "$tmp/missing.bak" -C "$tmp/h" manifest.json dalil.db
hostile missing "objects missing"
bsdtar -cf "$tmp/nomanifest.bak" -C "$tmp/h" dalil.db
hostile nomanifest "no manifest first"
jq '.objects += [{"sha256": ("0" * 64), "size": 1}]' "$tmp/h/manifest.json" >"$tmp/h/m2" 
bsdtar -cf "$tmp/edited.bak" -C "$tmp/h" -s ',^m2$,manifest.json,' m2 dalil.db objects
hostile edited "manifest not in dalil's layout"
printf 'not a tar at all\n' >"$tmp/junk.bak"
hostile junk "not a tar"
no_leftovers "hostile"

echo "backup_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
