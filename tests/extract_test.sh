#!/usr/bin/env bash
# extract_test.sh DALIL — identifiers found in ingested evidence, end to end:
# a tar of text fixtures (bsdtar) ingested into a case, its identifiers listed
# with their items; dalil extract idempotent (no change, no audit entry on a
# second run), refused to a clerk, naming a source gone from disk; and three
# cases linked by one Libyan number written three ways, one typed on a person
# and two found in evidence.
set -u
D=${1:?usage: extract_test.sh PATH/TO/dalil}
case $D in /*) ;; *) D=$PWD/$D ;; esac
export LANGUAGE= LC_ALL=C.UTF-8
for t in bsdtar jq sqlite3 iconv; do
  command -v "$t" >/dev/null || { echo "extract: $t is needed"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DALIL_STORE=$tmp/store
export DALIL_PASSWORD=admin-password-1
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed "s/^/  stderr: /" "$tmp/err"; }
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; fi
}
jqt() {
  local desc=$1 filter=$2; shift 2
  if jq -e -n "$@" "input | ($filter)" "$tmp/out" >/dev/null 2>&1; then ok; else bad "$desc: $(head -c 600 "$tmp/out")"; fi
}
ids() { sqlite3 "$DALIL_STORE/dalil.db" "SELECT kind || ' ' || value FROM identifiers WHERE case_id = (SELECT id FROM cases WHERE number = '$1') AND item_id IS NOT NULL ORDER BY 1"; }
# audit entries other than logins (every command logs in)
audits() { sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM audit_log WHERE entity <> 'session' AND action NOT LIKE 'login%'"; }

run 0 "init" "$D" init --admin chief
printf 'clerk-password-1\n' >"$tmp/clerk.pw"
run 0 "clerk" "$D" --user chief user add karim --role clerk --password-file "$tmp/clerk.pw"
run 0 "settings phone_country" "$D" --user chief settings set phone_country LY
for n in 1 2 3; do
  run 0 "case $n" "$D" --user chief case add --number 2026/TIP/000$n --title-ar "قضية $n" --offence trafficking
done

# --- fixtures
mkdir -p "$tmp/ev/chats" "$tmp/ev2"
printf 'رقم المهرب ٠٩١٢٣٤٥٦٧٨ (واتساب)\n' >"$tmp/ev/chats/note.txt"
printf '12/03/2024, 14:22 - Ali: هاتف 22 123 456 md5 d41d8cd98f00b204e9800998ecf8427e\n' >"$tmp/ev/chats/WhatsApp Chat.txt"
printf 'جوال +20 10 1234 5678\n' | iconv -f UTF-8 -t UTF-16 >"$tmp/ev/u16.txt"
printf 'موبايل 0612345678\n' | iconv -f UTF-8 -t CP1256 >"$tmp/ev/cp1256.txt"
printf '<p>&#x2B;218&nbsp;92&nbsp;555&nbsp;0147 <a href="https://t.me/boat_trips">x</a></p>\n' >"$tmp/ev/page.html"
printf 'BEGIN:VCARD\r\nTEL;TYPE=CELL:00212712345678\r\nEMAIL:khaled@example.org\r\nEND:VCARD\r\n' >"$tmp/ev/k.vcf"
sqlite3 "$tmp/ev/msgstore.db" "CREATE TABLE m (body TEXT); INSERT INTO m VALUES ('IBAN GB82WEST12345698765432');"
printf 'not a number 2024-03-12 490154203237519\n' >"$tmp/ev/decoys.txt"
(cd "$tmp/ev" && bsdtar -cf "$tmp/ev.tar" .)
run 0 "ingest" "$D" --user chief ingest 2026/TIP/0001 "$tmp/ev.tar" --json
jqt "ingest reports identifiers (each once per item)" '.identifiers == 10'
want='email khaled@example.org
iban GB82WEST12345698765432
phone +201012345678
phone +212612345678
phone +212712345678
phone +21622123456
phone +218912345678
phone +218925550147
social telegram:boat_trips
url https://t.me/boat_trips'
got=$(ids 2026/TIP/0001)
# the tar's items plus one found in two members: 10 distinct values
[ "$got" = "$want" ] && ok || bad "identifiers after ingest: $got"
n=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM identifiers WHERE item_id IS NOT NULL AND item_offset IS NULL")
[ "$n" = 1 ] && ok || bad "only the database's hit has no offset: $n"
off=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT i.item_offset FROM identifiers i JOIN evidence_items e ON e.id = i.item_id WHERE i.value = '+218912345678' AND e.path LIKE '%note.txt'")
[ "$off" = 20 ] && ok || bad "offset of the Arabic-Indic number in note.txt: $off"

# --- dalil extract: nothing to change after ingest, twice; clerk refused
a0=$(audits)
run 0 "extract" "$D" --user chief extract 2026/TIP/0001 --json
jqt "extract: nothing changed" '.added == 0 and .removed == 0 and .updated == 0 and .items_scanned == 8 and .identifiers.phone == 6'
run 0 "extract again" "$D" --user chief extract 2026/TIP/0001
[ "$(audits)" = "$a0" ] && ok || bad "extract without changes wrote audit entries"
[ "$(ids 2026/TIP/0001)" = "$want" ] && ok || bad "extract changed the identifiers"
run 3 "clerk extract" "$D" --user karim --password-file "$tmp/clerk.pw" extract 2026/TIP/0001
# a value removed behind dalil's back comes back, one added goes
sqlite3 "$DALIL_STORE/dalil.db" "DELETE FROM identifiers WHERE value = 'khaled@example.org'"
run 0 "extract repairs" "$D" --user chief extract 2026/TIP/0001 --json
jqt "extract: one added" '.added == 1 and .removed == 0'
[ "$(audits)" -gt "$a0" ] && ok || bad "a change by extract is audited"
[ "$(ids 2026/TIP/0001)" = "$want" ] && ok || bad "extract did not restore: $(ids 2026/TIP/0001)"

# --- done means: three cases share +218912345678
run 0 "person with the number typed" "$D" --user chief person add --case 2026/TIP/0002 --name-ar 'سالم' --role suspect \
  --phone '+218 91-234-5678'
printf 'call 00218912345678 now\n' >"$tmp/ev2/sms.txt"
run 0 "ingest in place" "$D" --user chief ingest 2026/TIP/0003 "$tmp/ev2/sms.txt" --in-place
for c in 1 2 3; do
  run 0 "links $c" "$D" --user chief links 2026/TIP/000$c --json
  others=$(jq -r '[.[] | select(.value == "+218912345678") | .other_case] | unique | join(" ")' "$tmp/out")
  want_o=$(for o in 1 2 3; do [ $o = $c ] || printf '2026/TIP/000%s ' $o; done | sed 's/ $//')
  [ "$others" = "$want_o" ] && ok || bad "links of case $c: '$others', expected '$want_o'"
done
jq -e '[.[] | select(.value == "+218912345678" and .other_case == "2026/TIP/0002")][0].subject_kind == "item"' "$tmp/out" \
  >/dev/null && ok || bad "links: the hit in case 3 is an item"

# --- a source gone from disk is named, the others still read
rm "$tmp/ev2/sms.txt"
run 1 "extract with a missing source" "$D" --user chief extract 2026/TIP/0003
grep -q "sms.txt" "$tmp/err" && ok || bad "missing source not named"
run 1 "extract json, missing" "$D" --user chief extract 2026/TIP/0003 --json
jqt "missing source listed" '(.unreadable | length) == 1 and (.unreadable[0].what | test("sms.txt"))'

# --- a folder in place larger than 16 MiB: every file is scanned again (the
# walker counts a folder's own bytes as source bytes, so its expansion-ratio
# guard, meant for archive bombs, does not stop the walk after 16 MiB)
mkdir -p "$tmp/big"
for i in 1 2 3; do
  awk -v i="$i" 'BEGIN { for (n = 0; n < 160000; n++) printf "line %d of file %d, nothing to see here\n", n, i }' \
    >"$tmp/big/f$i.txt"
done
printf 'last words: call +212 612-345678\n' >>"$tmp/big/f3.txt"
run 0 "case 4" "$D" --user chief case add --number 2026/TIP/0004 --title-ar 'قضية رابعة' --offence smuggling
run 0 "ingest big folder in place" "$D" --user chief ingest 2026/TIP/0004 "$tmp/big" --in-place
[ "$(ids 2026/TIP/0004)" = "phone +212612345678" ] && ok || bad "ingest of the big folder: $(ids 2026/TIP/0004)"
sqlite3 "$DALIL_STORE/dalil.db" "DELETE FROM identifiers WHERE value = '+212612345678'"
run 0 "extract big folder" "$D" --user chief extract 2026/TIP/0004 --json
jqt "extract scans all three files" '.items_scanned == 3 and .added == 1 and (.unreadable | length) == 0'
[ "$(ids 2026/TIP/0004)" = "phone +212612345678" ] && ok || bad "extract of the big folder: $(ids 2026/TIP/0004)"
run 0 "verify --deep big folder" "$D" --user chief verify 2026/TIP/0004 --deep

echo "extract: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
