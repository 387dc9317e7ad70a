#!/usr/bin/env bash
# ingest_test.sh DALIL — evidence ingest end to end on a fresh store: every common
# archive format, nesting, Arabic and legacy code-page names, hostile names, empty,
# truncated, encrypted and bomb archives, plain files and folders, the object store,
# expected hashes, in-place sources, tags, exit codes and store integrity.
# Every archive is made here (bsdtar, gzip, coreutils); every known-answer hash
# comes from coreutils over the files this script wrote, never from dalil.
set -u
D=${1:?usage: ingest_test.sh PATH/TO/dalil}
case $D in /*) ;; *) D=$PWD/$D ;; esac
export LANGUAGE= LC_ALL=C.UTF-8
for t in bsdtar jq sqlite3 xxd md5sum sha1sum sha256sum; do
  command -v "$t" >/dev/null || { echo "ingest: $t is needed"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DALIL_STORE=$tmp/store
export DALIL_PASSWORD=admin-password-1
C=2026/TIP/0001
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed "s/^/  stderr: /" "$tmp/err"; }
# no: a failed check on what was already captured (the last stderr is not repeated)
no()   { fail=$((fail + 1)); echo "FAIL: $*"; }
# run WANT_EXIT DESCRIPTION CMD... : stdout in $tmp/out, stderr in $tmp/err
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; fi
}
err_has() { if grep -q -- "$1" "$tmp/err"; then ok; else bad "stderr lacks '$1'"; fi; }
# eq DESCRIPTION GOT WANT
eq() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', expected '$3'"; fi; }
# jqt DESCRIPTION FILE FILTER [jq args...] : FILTER must be true of the JSON in FILE
# (-n with input: an empty FILE fails; jq 1.6 -e alone passes it)
jqt() {
  local desc=$1 file=$2 filter=$3; shift 3
  if jq -e -n "$@" "input | ($filter)" "$file" >/dev/null 2>&1; then ok; else
    no "$desc: $(head -c 1500 "$file")"
  fi
}

# ingest WANT_EXIT DESCRIPTION PATH [OPTIONS...]: the source object in $tmp/src.json, its id in $sid
ingest() {
  local want=$1 desc=$2; shift 2
  run "$want" "$desc" "$D" --user chief ingest "$C" "$@" --json
  cp "$tmp/out" "$tmp/src.json"
  sid=$(jq -r '.id // empty' "$tmp/src.json" 2>/dev/null)
  if [ -n "$sid" ]; then ok; else bad "$desc: no source object on stdout: $(head -c 500 "$tmp/out")"; sid=0; fi
}
# items_of SOURCE_ID: the source's items in $tmp/items.json
items_of() {
  "$D" --user chief items "$C" --source "$1" --json >"$tmp/items.json" 2>"$tmp/items.err" || true
  jq -e 'type == "array"' "$tmp/items.json" >/dev/null 2>&1 || echo '[]' >"$tmp/items.json"
}
objects() { find "$DALIL_STORE/objects" -type f -not -path '*/objects/tmp/*' | wc -l; }
object_of() { printf '%s/objects/%s/%s' "$DALIL_STORE" "${1:0:2}" "${1:2}"; }
h_md5()    { md5sum <"$1" | cut -c1-32; }
h_sha1()   { sha1sum <"$1" | cut -c1-40; }
h_sha256() { sha256sum <"$1" | cut -c1-64; }
size_of()  { stat -c %s "$1"; }
# expected NAME=FILE... : a JSON array of {path,size,md5,sha1,sha256} sorted by path
expected() {
  local kv
  for kv in "$@"; do
    jq -n --arg p "${kv%%=*}" --argjson s "$(size_of "${kv#*=}")" --arg m "$(h_md5 "${kv#*=}")" \
      --arg s1 "$(h_sha1 "${kv#*=}")" --arg s2 "$(h_sha256 "${kv#*=}")" \
      '{path: $p, size: $s, md5: $m, sha1: $s1, sha256: $s2}'
  done | jq -s 'sort_by(.path)'
}
# source_is FILE: the source's size and three hashes are those of FILE, and it is kept once
source_is() {
  local desc=$1 f=$2
  jqt "$desc: source size and hashes" "$tmp/src.json" \
    '.size == $n and .md5 == $m and .sha1 == $s1 and .sha256 == $s2' \
    --argjson n "$(size_of "$f")" --arg m "$(h_md5 "$f")" --arg s1 "$(h_sha1 "$f")" --arg s2 "$(h_sha256 "$f")"
  local obj; obj=$(object_of "$(h_sha256 "$f")")
  if [ -f "$obj" ] && [ "$(h_sha256 "$obj")" = "$(h_sha256 "$f")" ]; then ok; else no "$desc: not kept as $obj"; fi
}

mkdir -p "$tmp/w"
cd "$tmp/w" || exit 1

# --- a fresh store and case
run 0 "init" "$D" init --admin chief
run 0 "case add" "$D" --user chief case add --number "$C" --title-ar 'قضية' --offence trafficking
run 0 "codepage CP1256" "$D" --user chief settings set codepage CP1256

# --- 1. every common format: the same three files inside
mkdir -p three
printf 'hello world\nمرحبا\n' >three/a.txt
head -c 5000 /dev/urandom >three/b.bin
printf 'third file\nline two\n' >three/c.txt
EXP3=$(cd three && expected a.txt=a.txt b.bin=b.bin c.txt=c.txt)
(cd three &&
  bsdtar -cf ../t.tar a.txt b.bin c.txt &&
  bsdtar -czf ../t.tar.gz a.txt b.bin c.txt &&
  bsdtar -cjf ../t.tar.bz2 a.txt b.bin c.txt &&
  bsdtar -cJf ../t.tar.xz a.txt b.bin c.txt &&
  bsdtar --format zip -cf ../t.zip a.txt b.bin c.txt &&
  bsdtar --format 7zip -cf ../t.7z a.txt b.bin c.txt &&
  bsdtar --format cpio -cf ../t.cpio a.txt b.bin c.txt &&
  bsdtar --format iso9660 -cf ../t.iso a.txt b.bin c.txt) || no "making the format archives"
for f in t.tar t.tar.gz t.tar.bz2 t.tar.xz t.zip t.7z t.cpio t.iso; do
  ingest 0 "ingest $f" "$f"
  [ "$f" = t.tar ] && SRC_TAR=$sid
  jqt "$f: archive, complete, 3 files" "$tmp/src.json" \
    '.kind == "archive" and .status == "complete" and .status_reason == null and .in_place == false'
  source_is "$f" "$f"
  items_of "$sid"
  jqt "$f: the three files with coreutils sizes and hashes" "$tmp/items.json" \
    '[.[] | select(.is_dir | not) | {path, size, md5, sha1, sha256}] | sort_by(.path) == $e' --argjson e "$EXP3"
  jqt "$f: text/plain for the text files, parent_id null at the top" "$tmp/items.json" \
    '([.[] | select(.path == "a.txt" or .path == "c.txt") | .mime] == ["text/plain", "text/plain"])
     and all(.[]; .parent_id == null and .source_id == $s and .encrypted == false)' --argjson s "$sid"
done

# --- 2. nested three deep: a zip inside a tar.gz inside a 7z (and inside a zip)
mkdir -p nest
(cd nest && printf 'innermost: the ledger of payments\n' >inner.txt &&
  bsdtar --format zip -cf l1.zip inner.txt && bsdtar -czf l2.tar.gz l1.zip &&
  bsdtar --format 7zip -cf l3.7z l2.tar.gz && bsdtar --format zip -cf l3.zip l2.tar.gz) || no "making nested archives"
for outer in l3.7z l3.zip; do
  ingest 0 "ingest nested $outer" "nest/$outer"
  jqt "$outer: complete" "$tmp/src.json" '.status == "complete" and .item_count == 3'
  items_of "$sid"
  jqt "$outer: innermost file hashed" "$tmp/items.json" \
    '[.[] | select(.path == "inner.txt") | {md5, sha1, sha256, size}] == [{md5: $m, sha1: $s1, sha256: $s2, size: $n}]' \
    --arg m "$(h_md5 nest/inner.txt)" --arg s1 "$(h_sha1 nest/inner.txt)" --arg s2 "$(h_sha256 nest/inner.txt)" \
    --argjson n "$(size_of nest/inner.txt)"
  jqt "$outer: parent chain inner.txt < l1.zip < l2.tar.gz, length 3" "$tmp/items.json" \
    'INDEX(.id | tostring) as $ix
     | [.[] | select(.path == "inner.txt")][0].id as $i
     | [$i | recurse($ix[tostring].parent_id // empty)] | map($ix[tostring].path) == ["inner.txt", "l1.zip", "l2.tar.gz"]'
  jqt "$outer: the nested archives carry their own hashes" "$tmp/items.json" \
    '([.[] | select(.path == "l1.zip") | .sha256] == [$a]) and ([.[] | select(.path == "l2.tar.gz") | .sha256] == [$b])' \
    --arg a "$(h_sha256 nest/l1.zip)" --arg b "$(h_sha256 nest/l2.tar.gz)"
done

# --- 3. Arabic names: UTF-8 in a zip, and CP1256 without the UTF-8 flag
AR='تقرير_الضحايا.txt'
AR_CP1256=caded1edd15fc7e1d6cdc7edc72e747874       # the same name in CP1256
AR_UTF8=$(printf '%s' "$AR" | xxd -p | tr -d '\n')
mkdir -p ar
(cd ar && printf 'قائمة الضحايا\n' >"$AR" &&
  bsdtar --format zip -cf utf8.zip "$AR" &&
  bsdtar --format zip --options zip:hdrcharset=CP1256 -cf cp1256.zip "$AR") || no "making Arabic zips"
hexs=$(xxd -p ar/cp1256.zip | tr -d '\n')
case $hexs in *"$AR_CP1256"*) ok ;; *) no "cp1256.zip does not hold the CP1256 name bytes" ;; esac
case $hexs in *"$AR_UTF8"*) no "cp1256.zip also holds the UTF-8 name" ;; *) ok ;; esac
[ $((0x$(xxd -s 7 -l 1 -p ar/cp1256.zip) & 0x08)) -eq 0 ] && ok || no "cp1256.zip has the UTF-8 flag set"
[ $((0x$(xxd -s 7 -l 1 -p ar/utf8.zip) & 0x08)) -ne 0 ] && ok || no "utf8.zip lacks the UTF-8 flag"
ingest 0 "ingest UTF-8 Arabic zip" ar/utf8.zip
items_of "$sid"
jqt "UTF-8 Arabic name as given, no path_raw_hex" "$tmp/items.json" \
  'length == 1 and .[0].path == $p and (.[0] | has("path_raw_hex") | not) and .[0].sha256 == $h' \
  --arg p "$AR" --arg h "$(h_sha256 "ar/$AR")"
grep -qF "\"path\":\"$AR\"" "$tmp/items.json" && ok || no "Arabic path escaped or altered in JSON: $(cat "$tmp/items.json")"
ingest 0 "ingest CP1256 zip" ar/cp1256.zip
items_of "$sid"
jqt "CP1256 name decoded to Arabic, raw bytes kept" "$tmp/items.json" \
  'length == 1 and .[0].path == $p and .[0].path_raw_hex == $r and .[0].sha256 == $h' \
  --arg p "$AR" --arg r "$AR_CP1256" --arg h "$(h_sha256 "ar/$AR")"
grep -qF "\"path\":\"$AR\"" "$tmp/items.json" && ok || no "decoded Arabic path escaped in JSON"

# --- 4. hostile names: ../../escape.txt, /etc/evil, a symbolic link to /etc/passwd
mkdir -p host/a/b
(cd host && printf 'escape attempt\n' >e1 && printf 'evil attempt\n' >e2 && ln -s /etc/passwd lnk &&
  bsdtar -P -cf hostile.tar -s ',^e1$,../../escape.txt,' -s ',^e2$,/etc/evil,' e1 e2 lnk &&
  bsdtar -P --format zip -cf hostile.zip -s ',^e1$,../../escape.txt,' -s ',^e2$,/etc/evil,' e1 e2 lnk &&
  rm e1 e2 lnk) || no "making hostile archives"
bsdtar -tf host/hostile.tar | grep -qx '../../escape.txt' && ok || no "hostile.tar lacks ../../escape.txt"
bsdtar -tf host/hostile.zip | grep -qx '/etc/evil' && ok || no "hostile.zip lacks /etc/evil"
had_evil=0; [ -e /etc/evil ] && had_evil=1
parent=$(dirname "$tmp")
had_parent_escape=0; [ -e "$parent/escape.txt" ] && had_parent_escape=1
for f in hostile.tar hostile.zip; do
  cd host/a/b || exit 1
  ingest 0 "ingest $f" "../../$f"
  cd "$tmp/w" || exit 1
  items_of "$sid"
  jqt "$f: the two hostile names recorded as data with their hashes" "$tmp/items.json" \
    '([.[] | select(.path == "../../escape.txt") | .sha256] == [$a]) and ([.[] | select(.path == "/etc/evil") | .sha256] == [$b])' \
    --arg a "$(printf 'escape attempt\n' | sha256sum | cut -c1-64)" --arg b "$(printf 'evil attempt\n' | sha256sum | cut -c1-64)"
  if [ "$f" = hostile.tar ]; then
    jqt "$f: the link recorded as inode/symlink, not followed" "$tmp/items.json" \
      '[.[] | select(.path == "lnk") | {mime, sha256}] == [{mime: "inode/symlink", sha256: null}]'
  else
    # zips are streamed (read once): a link's type is only in the central
    # directory at the end, so the member shows as the bytes it holds, its target
    jqt "$f: the link recorded as its stored bytes, not followed" "$tmp/items.json" \
      '[.[] | select(.path == "lnk") | {size, sha256}] == [{size: 11, sha256: $t}]' \
      --arg t "$(printf '/etc/passwd' | sha256sum | cut -c1-64)"
  fi
done
[ -z "$(ls -A host/a/b)" ] && ok || no "files appeared in the working directory: $(ls -A host/a/b)"
[ -z "$(find "$tmp" -name escape.txt -o -name evil)" ] && ok || no "escaped files: $(find "$tmp" -name escape.txt -o -name evil)"
[ "$had_parent_escape" = 1 ] || { [ ! -e "$parent/escape.txt" ] && ok || no "$parent/escape.txt was created"; }
[ "$had_evil" = 1 ] || { [ ! -e /etc/evil ] && ok || no "/etc/evil was created"; }

# --- 5. empty archives
bsdtar -cf empty.tar -T /dev/null && bsdtar --format zip -cf empty.zip -T /dev/null || no "making empty archives"
for f in empty.tar empty.zip; do
  ingest 0 "ingest $f" "$f"
  jqt "$f: an archive, complete, 0 items" "$tmp/src.json" \
    '.kind == "archive" and .status == "complete" and .item_count == 0 and .items_added == 0'
  items_of "$sid"
  jqt "$f: no items listed" "$tmp/items.json" 'length == 0'
done

# --- 6. a truncated tar.gz: five incompressible 300000-byte files, cut at half
# (about 750 kB of 1.5 MB: r1 and r2 whole, the cut in the middle of r3)
mkdir -p trunc
for i in 1 2 3 4 5; do head -c 300000 /dev/urandom >"trunc/r$i.bin"; done
(cd trunc && bsdtar -czf ../full.tar.gz r1.bin r2.bin r3.bin r4.bin r5.bin) || no "making full.tar.gz"
head -c $(($(size_of full.tar.gz) / 2)) full.tar.gz >half.tar.gz
ingest 1 "ingest truncated tar.gz" half.tar.gz
err_has "incomplete"
jqt "truncated: incomplete with a reason, the whole file hashed" "$tmp/src.json" \
  '.status == "incomplete" and (.status_reason | type == "string" and length > 0) and .sha256 == $h' \
  --arg h "$(h_sha256 half.tar.gz)"
items_of "$sid"
jqt "truncated: r1 and r2 read before the fault, kept with their coreutils hashes" "$tmp/items.json" \
  '[.[] | select(.sha256 != null) | {path, size, md5, sha1, sha256}] == $e' \
  --argjson e "$(cd trunc && expected r1.bin=r1.bin r2.bin=r2.bin)"
jqt "truncated: r3, cut, recorded with a problem and no hashes; nothing after it" "$tmp/items.json" \
  '[.[] | select(.sha256 == null) | {path, md5, problem: (.problem | type)}] == [{path: "r3.bin", md5: null, problem: "string"}]'

# --- 7. encrypted zips
mkdir -p enc && printf 'secret ledger\n' >enc/ledger.txt
for m in zipcrypt aes256; do
  (cd enc && bsdtar --format zip --options "zip:encryption=$m" --passphrase secret -cf "../enc-$m.zip" ledger.txt) ||
    { no "bsdtar cannot make a $m zip"; continue; }
  ingest 0 "ingest $m zip" "enc-$m.zip"
  jqt "$m: complete (an encrypted member is listed, not a damage)" "$tmp/src.json" '.status == "complete" and .item_count == 1'
  items_of "$sid"
  jqt "$m: the member listed as encrypted, without hashes" "$tmp/items.json" \
    'length == 1 and .[0].path == "ledger.txt" and .[0].encrypted == true and .[0].sha256 == null and .[0].md5 == null and .[0].sha1 == null'
done

# --- 8. limits: ratio, expanded bytes, entries, depth
head -c 60000000 /dev/zero >z.bin && bsdtar --format zip -cf bomb.zip z.bin && rm -f z.bin || no "making bomb.zip"
run 0 "set ingest_max_ratio 50" "$D" --user chief settings set ingest_max_ratio 50
ingest 1 "ingest bomb with ratio 50" bomb.zip
err_has "ingest_max_ratio"
jqt "bomb: incomplete, reason names ingest_max_ratio, stopped early" "$tmp/src.json" \
  '.status == "incomplete" and (.status_reason | test("ingest_max_ratio")) and .bytes_total < 60000000'
items_of "$sid"
jqt "bomb: the member not hashed, with a problem" "$tmp/items.json" \
  '[.[] | select(.path == "z.bin") | (.sha256 == null and .problem != null)] == [true]'
run 0 "reset ingest_max_ratio" "$D" --user chief settings set ingest_max_ratio 1000
run 0 "set ingest_max_mib 20" "$D" --user chief settings set ingest_max_mib 20
ingest 1 "ingest bomb with 20 MiB" bomb.zip
err_has "ingest_max_mib"
jqt "bomb: incomplete, reason names ingest_max_mib" "$tmp/src.json" \
  '.status == "incomplete" and (.status_reason | test("ingest_max_mib"))'
run 0 "reset ingest_max_mib" "$D" --user chief settings set ingest_max_mib 1048576
mkdir -p ten && for i in 0 1 2 3 4 5 6 7 8 9; do echo "file $i" >"ten/f$i.txt"; done
(cd ten && bsdtar -cf ../ten.tar f0.txt f1.txt f2.txt f3.txt f4.txt f5.txt f6.txt f7.txt f8.txt f9.txt) || no "making ten.tar"
run 0 "set ingest_max_entries 5" "$D" --user chief settings set ingest_max_entries 5
ingest 1 "ingest 10 entries with a limit of 5" ten.tar
err_has "ingest_max_entries"
jqt "entries: incomplete, reason names ingest_max_entries, 5 items" "$tmp/src.json" \
  '.status == "incomplete" and (.status_reason | test("ingest_max_entries")) and .item_count == 5'
run 0 "reset ingest_max_entries" "$D" --user chief settings set ingest_max_entries 10000000
run 0 "set ingest_max_depth 2" "$D" --user chief settings set ingest_max_depth 2
cp nest/l3.zip nest/l3-again.zip   # another file: nest/l3.zip itself is already in the case, complete
ingest 1 "ingest three-deep zip with depth 2" nest/l3-again.zip
err_has "ingest_max_depth"
items_of "$sid"
jqt "depth: l1.zip kept unopened with a problem, no inner.txt" "$tmp/items.json" \
  '([.[] | select(.path == "l1.zip") | .problem != null] == [true]) and ([.[] | select(.path == "inner.txt")] == [])'
run 0 "reset ingest_max_depth" "$D" --user chief settings set ingest_max_depth 8
for k in ingest_max_ratio:1000 ingest_max_mib:1048576 ingest_max_entries:10000000 ingest_max_depth:8; do
  run 0 "settings get ${k%%:*}" "$D" --user chief settings get "${k%%:*}"
  eq "${k%%:*} after reset" "$(cat "$tmp/out")" "${k#*:}"
done

# --- 9. a plain file and a folder
printf 'a plain witness statement, not an archive\n' >statement.txt
ingest 0 "ingest plain file" statement.txt
jqt "plain file: kind file, complete, 1 item" "$tmp/src.json" \
  '.kind == "file" and .status == "complete" and .item_count == 1'
source_is "plain file" statement.txt
items_of "$sid"
jqt "plain file: one item with the coreutils hashes" "$tmp/items.json" \
  '[.[] | {path, size, md5, sha1, sha256}] == $e' --argjson e "$(expected statement.txt=statement.txt)"
jqt "plain file: the item's hashes are the source's" "$tmp/items.json" \
  '.[0].md5 == $s.md5 and .[0].sha1 == $s.sha1 and .[0].sha256 == $s.sha256 and .[0].mime == "text/plain"' \
  --argjson s "$(cat "$tmp/src.json")"
FN='رسالة_المهرب.txt'
mkdir -p folder/sub && printf 'top of the folder\n' >folder/top.txt && printf 'رسالة\n' >"folder/sub/$FN"
ingest 0 "ingest folder" folder
jqt "folder: kind folder, complete, 3 items" "$tmp/src.json" \
  '.kind == "folder" and .status == "complete" and .item_count == 3 and .original_path == $p' --arg p "$tmp/w/folder"
items_of "$sid"
jqt "folder: the files with coreutils hashes" "$tmp/items.json" \
  '[.[] | select(.is_dir | not) | {path, size, md5, sha1, sha256}] | sort_by(.path) == $e' \
  --argjson e "$(cd folder && expected "sub/$FN=sub/$FN" top.txt=top.txt)"
jqt "folder: the subfolder is an item, its file's parent" "$tmp/items.json" \
  '([.[] | select(.path == "sub") | .is_dir] == [true])
   and ([.[] | select(.path == $f) | .parent_id] == [.[] | select(.path == "sub") | .id])
   and ([.[] | select(.path == "top.txt") | .parent_id] == [null])' --arg f "sub/$FN"

# a folder holding an archive: the archive is kept under its own SHA-256 (not a member's)
mkdir -p folder2 && printf 'inside the zip\n' >inner.txt && bsdtar -a -cf folder2/n.zip inner.txt
printf 'beside the zip\n' >folder2/beside.txt
ingest 0 "ingest a folder holding a zip" folder2
jqt "folder with zip: complete, zip member listed" "$tmp/src.json" '.status == "complete" and .item_count == 3'
zs=$(h_sha256 folder2/n.zip)
eq "the zip in a folder is kept under its own hash" \
  "$(sha256sum "$DALIL_STORE/objects/${zs:0:2}/${zs:2}" 2>/dev/null | cut -d' ' -f1)" "$zs"
bad_objects=$(find "$DALIL_STORE/objects" -path "$DALIL_STORE/objects/tmp" -prune -o -type f -print |
  while read -r o; do n=${o#"$DALIL_STORE/objects/"}; n=${n/\//}
    [ "$(sha256sum "$o" | cut -d' ' -f1)" = "$n" ] || echo "$o"; done)
eq "every object's content has the SHA-256 of its name" "$bad_objects" ""

# --- 10. the same archive twice: stored once, listed once (issue 3). The second
# run finds the complete source of the same path, size and SHA-256 and adds nothing
# (also what a re-run after a kill past the final commit needs: tests/fault_test.sh).
n_before=$(objects)
first=$SRC_TAR
items_of "$first"; cp "$tmp/items.json" "$tmp/items1.json"
n_items=$("$D" --user chief items "$C" --json 2>/dev/null | jq length)
n_sources=$(sqlite3 "$DALIL_STORE/dalil.db" 'SELECT count(*) FROM evidence_sources')
ingest 0 "ingest t.tar again" t.tar
second=$sid
eq "the same archive again: the first source" "$second" "$first"
jqt "the same archive again: already, nothing added" "$tmp/src.json" \
  '.already == true and .items_added == 0 and .status == "complete" and .item_count == 3'
eq "objects after the same archive again" "$(objects)" "$n_before"
s=$(h_sha256 t.tar)
eq "t.tar kept once" "$(find "$DALIL_STORE/objects" -type f -name "${s:2}" | wc -l)" 1
eq "items after the same archive again" "$("$D" --user chief items "$C" --json 2>/dev/null | jq length)" "$n_items"
eq "sources after the same archive again" "$(sqlite3 "$DALIL_STORE/dalil.db" 'SELECT count(*) FROM evidence_sources')" "$n_sources"
run 0 "the same archive again, in words" "$D" --user chief ingest "$C" t.tar
if grep -q "already ingested completely" "$tmp/out"; then ok; else no "the same archive again: stdout lacks already ingested completely"; fi
# a copy under another name is another source: its own items, the object shared
cp t.tar t-copy.tar
ingest 0 "ingest a copy of t.tar" t-copy.tar
second=$sid
eq "objects after a copy of the archive" "$(objects)" "$n_before"
items_of "$second"
jqt "the copy: its own 3 items, not the first's" "$tmp/items.json" \
  'length == 3 and length == ($a[0] | length) and all(.[]; .source_id == $s)
   and ([.[].id] - [$a[0][].id] | length) == 3 and ([.[].sha256] | sort) == ([$a[0][].sha256] | sort)' \
  --slurpfile a "$tmp/items1.json" --argjson s "$second"

# --- 11. --expect-sha256
mkdir -p exp && printf 'expected hash test\n' >exp/x.txt && (cd exp && bsdtar -czf ../exp.tar.gz x.txt)
h=$(h_sha256 exp.tar.gz)
ingest 0 "expect-sha256 right" exp.tar.gz --expect-sha256 "$h"
jqt "expect-sha256 right: match" "$tmp/src.json" \
  '.expected_sha256 == $h and .expected_match == true and .status == "complete"' --arg h "$h"
H=$(tr a-f A-F <<<"$h")
ingest 0 "expect-sha256 right, upper case" exp.tar.gz --expect-sha256 "$H"
jqt "expect-sha256 upper case: normalised, match" "$tmp/src.json" \
  '.expected_sha256 == $h and .expected_match == true' --arg h "$h"
printf 'never ingested before\n' >exp/y.txt && (cd exp && bsdtar -czf ../exp2.tar.gz y.txt)
n_before=$(objects)
wrong=$(printf 'something else' | sha256sum | cut -c1-64)
ingest 1 "expect-sha256 wrong" exp2.tar.gz --expect-sha256 "$wrong"
err_has "MISMATCH"
jqt "expect-sha256 wrong: failed, no match, 0 items" "$tmp/src.json" \
  '.expected_match == false and .status == "failed" and .item_count == 0 and .sha256 == $h' \
  --arg h "$(h_sha256 exp2.tar.gz)"
items_of "$sid"
jqt "expect-sha256 wrong: no items listed" "$tmp/items.json" 'length == 0'
eq "expect-sha256 wrong: nothing kept" "$(objects)" "$n_before"

# --- 12. --in-place
mkdir -p inplace/deeper && printf 'left where it lies\n' >inplace/z.txt && (cd inplace && bsdtar -czf ip.tar.gz z.txt)
n_before=$(objects)
cd inplace/deeper || exit 1
ingest 0 "ingest --in-place" ../ip.tar.gz --in-place
cd "$tmp/w" || exit 1
cp "$tmp/src.json" "$tmp/ip.json"
eq "in place: objects unchanged" "$(objects)" "$n_before"
jqt "in place: absolute original_path, in_place true, hashed" "$tmp/ip.json" \
  '.original_path == $p and .in_place == true and .status == "complete" and .sha256 == $h and .item_count == 1' \
  --arg p "$tmp/w/inplace/ip.tar.gz" --arg h "$(h_sha256 inplace/ip.tar.gz)"
[ ! -e "$(object_of "$(h_sha256 inplace/ip.tar.gz)")" ] && ok || no "in place source was copied into objects/"

# --- 13. tags, notes, filters
items_of "$first"
tid=$(jq -r '[.[] | select(.path == "a.txt")][0].id' "$tmp/items.json")
bid=$(jq -r '[.[] | select(.path == "b.bin")][0].id' "$tmp/items.json")
run 0 "item tag relevant" "$D" --user chief item tag "$tid" relevant --json
jqt "item tag --json shows the tag" "$tmp/out" '.id == $i and .tags == ["relevant"]' --argjson i "$tid"
run 0 "items --tag relevant" "$D" --user chief items "$C" --tag relevant --json
jqt "items --tag relevant: that item only" "$tmp/out" '[.[].id] == [$i]' --argjson i "$tid"
run 0 "items --tag relevant --source" "$D" --user chief items "$C" --tag relevant --source "$second" --json
jqt "items --tag relevant of another source: none" "$tmp/out" 'length == 0'
run 0 "item tag review" "$D" --user chief item tag "$tid" review
run 0 "item show" "$D" --user chief item show "$tid" --json
jqt "item show: two tags" "$tmp/out" '.tags == ["relevant", "review"]'
run 0 "item note" "$D" --user chief item note "$tid" 'ملاحظة: دليل على الدفع' --json
jqt "item note kept in Arabic" "$tmp/out" '.note == "ملاحظة: دليل على الدفع"'
run 2 "item tag unknown" "$D" --user chief item tag "$tid" urgent
err_has "tag"
run 1 "item show unknown id" "$D" --user chief item show 999999 --json
run 0 "items --type text/" "$D" --user chief items "$C" --type text/ --json
jqt "items --type text/: only text, a.txt in, b.bin out" "$tmp/out" \
  'length > 0 and all(.[]; .mime | startswith("text/")) and any(.[]; .id == $t) and all(.[]; .id != $b)' \
  --argjson t "$tid" --argjson b "$bid"
run 0 "items --hit" "$D" --user chief items "$C" --hit --json
jqt "items --hit: none without hash sets" "$tmp/out" 'length == 0'
run 0 "item tag review --remove" "$D" --user chief item tag "$tid" review --remove --json
jqt "one tag removed" "$tmp/out" '.tags == ["relevant"]'
run 0 "item tag relevant --remove (the last tag)" "$D" --user chief item tag "$tid" relevant --remove --json
jqt "last tag removed" "$tmp/out" '.tags == []'
run 0 "items --tag relevant after removal" "$D" --user chief items "$C" --tag relevant --json
jqt "items --tag relevant after removal: none" "$tmp/out" 'length == 0'

# --- 14. exit codes
n_src=$(sqlite3 "$DALIL_STORE/dalil.db" 'SELECT count(*) FROM evidence_sources')
run 2 "missing path" "$D" --user chief ingest "$C" "$tmp/w/no-such-file.zip"
err_has "no-such-file"
run 2 "expect-sha256 too short" "$D" --user chief ingest "$C" t.tar --expect-sha256 abc
err_has "expect-sha256"
run 2 "expect-sha256 not hex" "$D" --user chief ingest "$C" t.tar --expect-sha256 "$(printf 'g%.0s' $(seq 64))"
err_has "expect-sha256"
run 2 "expect-sha256 on a folder" "$D" --user chief ingest "$C" folder --expect-sha256 "$h"
run 2 "malformed case number" "$D" --user chief ingest "not a case" t.tar
err_has "case"
# An unknown (well-formed) case number is "not found": exit 1 as for every other
# command (status.h, cli_test.sh "unknown case").
run 1 "unknown case" "$D" --user chief ingest 2026/TIP/9999 t.tar
err_has "2026/TIP/9999"
run 2 "device not a number" "$D" --user chief ingest "$C" t.tar --device abc
err_has "device"
run 2 "device not in the case" "$D" --user chief ingest "$C" t.tar --device 4242
err_has "device"
printf 'clerk-password-1\n' >"$tmp/clerk.pw"
run 0 "user add clerk" "$D" --user chief user add karim --role clerk --password-file "$tmp/clerk.pw"
run 3 "clerk ingests" env DALIL_PASSWORD=clerk-password-1 "$D" --user karim ingest "$C" t.tar
run 3 "clerk tags" env DALIL_PASSWORD=clerk-password-1 "$D" --user karim item tag "$tid" relevant
eq "no source left by refused or invalid ingests" \
  "$(sqlite3 "$DALIL_STORE/dalil.db" 'SELECT count(*) FROM evidence_sources')" "$n_src"

# --- 15. the store is whole
eq "no temporary files left in objects/tmp" "$(find "$DALIL_STORE/objects/tmp" -type f 2>/dev/null | wc -l)" 0
eq "PRAGMA integrity_check" "$(sqlite3 "$DALIL_STORE/dalil.db" 'PRAGMA integrity_check')" ok
run 0 "audit verify" "$D" --user chief audit verify

echo "ingest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
