#!/usr/bin/env bash
# crash_test.sh DALIL — kill -9 an ingest midway, at several moments: the store
# must pass integrity_check, the source must show "interrupted", and running
# the same ingest again must complete it with no duplicate items, no leftover
# temporary objects, and an intact audit chain.
set -u
D=${1:?usage: crash_test.sh PATH/TO/dalil}
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DALIL_STORE=$tmp/store DALIL_PASSWORD=admin-password-1
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$D" init --admin chief >/dev/null || { echo "init failed"; exit 1; }
"$D" --user chief case add --number 2026/SOM/0001 --title-ar 'قضية' --offence smuggling >/dev/null

# 12,000 small files in 3 folders: a few seconds of work to interrupt
mkdir -p "$tmp/ext/a" "$tmp/ext/b" "$tmp/ext/c"
for d in a b c; do
  (cd "$tmp/ext/$d" && seq 1 4000 | awk -v d="$d" '{ f = "m" $1 ".txt"; print "message " d " " $1 > f; close(f) }')
done
(cd "$tmp" && bsdtar -czf ext.tar.gz ext)
total=$(find "$tmp/ext" | wc -l)   # members: files and folders, the top folder included

for delay in 0.3 0.7 1.2; do
  "$D" --user chief ingest 2026/SOM/0001 "$tmp/ext.tar.gz" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ "$(sqlite3 "$DALIL_STORE/dalil.db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity after kill at ${delay}s"
  st=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT status FROM evidence_sources ORDER BY id DESC LIMIT 1")
  case "$st" in interrupted|complete|"") ok ;; *) bad "status after kill at ${delay}s: $st" ;; esac
  # a run that finished before its kill leaves nothing to resume: stop there
  [ "$st" = complete ] && break
done

"$D" --user chief ingest 2026/SOM/0001 "$tmp/ext.tar.gz" --json >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || bad "re-run exit $rc: $(cat "$tmp/err")"
[ "$(jq -r .status "$tmp/out")" = complete ] && ok || bad "re-run status $(jq -r .status "$tmp/out")"
[ "$(jq -r .item_count "$tmp/out")" = "$total" ] && ok || bad "items $(jq -r .item_count "$tmp/out"), expected $total"
sources=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM evidence_sources")
[ "$sources" = 1 ] && ok || bad "$sources sources for one archive: the killed runs were not resumed"
dups=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) - count(DISTINCT source_id || '/' || IFNULL(parent_id, 0) || '/' || ordinal) FROM evidence_items")
[ "$dups" = 0 ] && ok || bad "$dups duplicate items"
left=$(find "$DALIL_STORE/objects/tmp" -type f 2>/dev/null | wc -l)
[ "$left" = 0 ] && ok || bad "$left temporary objects left behind"
kept=$(find "$DALIL_STORE/objects" -path '*/tmp' -prune -o -type f -print | wc -l)
[ "$kept" = 1 ] && ok || bad "$kept kept objects, expected 1"
"$D" --user chief audit verify >/dev/null 2>"$tmp/err" && ok || bad "audit verify: $(cat "$tmp/err")"
"$D" --user chief verify 2026/SOM/0001 --deep >/dev/null 2>"$tmp/err" && ok || bad "verify --deep: $(cat "$tmp/err")"

# a folder stopped midway (Ctrl-C) resumes too: its size is what was read by then
"$D" --user chief ingest 2026/SOM/0001 "$tmp/ext" >/dev/null 2>&1 &
pid=$!
# stopped once its first batch of items is in (not after a fixed delay: on a
# loaded machine the login alone may take longer than any delay chosen)
for _ in $(seq 1 400); do
  n=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM evidence_items WHERE source_id =
        (SELECT id FROM evidence_sources WHERE kind = 'folder')" 2>/dev/null)
  [ "${n:-0}" -gt 0 ] && break
  sleep 0.05
done
kill -INT "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
st=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT status FROM evidence_sources WHERE kind = 'folder'")
[ "$st" = interrupted ] && ok || bad "folder status after kill: '$st' (the kill came too late?)"
"$D" --user chief ingest 2026/SOM/0001 "$tmp/ext" --json >"$tmp/out" 2>"$tmp/err" && ok || bad "folder re-run: $(cat "$tmp/err")"
[ "$(jq -r '.status, .resumed' "$tmp/out" | tr '\n' ' ')" = "complete true " ] && ok ||
  bad "folder re-run: $(jq -c '{status, resumed}' "$tmp/out")"
folders=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM evidence_sources WHERE kind = 'folder'")
[ "$folders" = 1 ] && ok || bad "$folders sources for one folder: the killed run was not resumed"
[ "$(jq -r .item_count "$tmp/out")" = "$(find "$tmp/ext" -mindepth 1 | wc -l)" ] && ok ||
  bad "folder items $(jq -r .item_count "$tmp/out")"

echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
