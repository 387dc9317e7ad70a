#!/usr/bin/env bash
# fault_test.sh DALIL kill|disk|busy — what a crash, a full disk or a second
# dalil does to a store (issue 8; docs/faults.md).
#
#  kill  dalil is killed (SIGKILL) at many points of an ingest, a bundle import,
#        a court report and a backup. The points are exact and repeatable:
#        strace counts the calls of one system call that changes files (pwrite64,
#        write, fdatasync, fsync, rename, unlink, ftruncate, mkdir) in a clean
#        run, then each point is run again on a fresh copy of the store with
#        strace's fault injection sending SIGKILL as the Nth such call starts.
#        After every kill: `audit verify` passes, PRAGMA integrity_check is
#        "ok", no half-written output sits under the final name, and running
#        the same command again completes with the same result as a clean run.
#        FAULT_POINTS=all tries every call; the default tries up to
#        FAULT_SPREAD (4) points of each call spread over its run, every point of
#        the rare ones (syncs, renames, unlinks).
#  disk  the store lives on a small tmpfs (in a private mount namespace made
#        with unshare, so nothing outlives the test): an ingest whose kept copy
#        does not fit, an in-place ingest whose rows do not fit, a write and a
#        report on a full disk each fail with a message that says the disk is
#        full, the store stays intact, and after the space is grown the same
#        commands complete.
#  busy  a second process holding the store's write lock: dalil waits for it
#        (and succeeds when it is released in time) or says the store is busy
#        and writes nothing; then eight dalil processes write at once and
#        every one either succeeds or says busy, with the store intact.
set -u
D=${1:?usage: fault_test.sh PATH/TO/dalil kill|disk|busy}
mode=${2:?usage: fault_test.sh PATH/TO/dalil kill|disk|busy}
export LANGUAGE= LC_ALL=C.UTF-8
# the disk test mounts small file systems: in a mount namespace of its own
# (as root, or as a user through a user namespace), so none outlives it
if [ "$mode" = disk ] && [ -z "${FAULT_NS:-}" ]; then
  command -v unshare >/dev/null || { echo "fault_test: unshare is missing"; exit 1; }
  if [ "$(id -u)" = 0 ]; then ns=(unshare --mount --propagation private)
  else ns=(unshare --user --map-root-user --mount --propagation private); fi
  FAULT_NS=1 exec "${ns[@]}" bash "$0" "$D" disk
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err" | head -5; }
same() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
for tool in bsdtar jq sqlite3 strace unshare pdftotext; do
  command -v "$tool" >/dev/null || { echo "fault_test: $tool is missing"; exit 1; }
done
export DALIL_PASSWORD='correct horse 1' DALIL_KEY_PASSPHRASE='unit secret 1'
at() { local s=$1; shift; "$D" --store "$s" --user chief "$@"; }
integrity() { sqlite3 "$1/dalil.db" 'PRAGMA integrity_check' 2>&1; }
C=2026/TIP/0001

# An extraction as units receive them: chats with numbers, a nested zip, a photo.
make_archive() {  # DIR OUT
  mkdir -p "$1/chats" "$1/inner"
  local i
  for i in $(seq 1 40); do
    printf 'رسالة %d واتساب +2189123%05d user%d@example.com\n' "$i" "$i" "$i" >"$1/chats/c$i.txt"
  done
  printf 'IMEI 490154203237518\n' >"$1/inner/note.txt"
  (cd "$1/inner" && bsdtar -a -cf ../inner.zip note.txt) && rm -rf "$1/inner"
  head -c 150000 /dev/urandom >"$1/photo.jpg"
  bsdtar -czf "$2" -C "$1" .
}

base_store() {  # DIR: a store with a case, a person, a device and an ingest
  "$D" --store "$1" init --admin chief >/dev/null &&
  at "$1" case add --number $C --title-ar 'قضية تهريب' --title-en 'Smuggling case' --offence smuggling >/dev/null &&
  at "$1" person add --case $C --name-ar 'سالم' --name-lat Salem --role suspect --phone '+218 91 234 5678' >/dev/null &&
  at "$1" device add --case $C --type phone --make Samsung --imei 490154203237518 >/dev/null &&
  at "$1" ingest $C "$tmp/a.tar.gz" >/dev/null
}

# ---------------------------------------------------------------------------
if [ "$mode" = kill ]; then
  sets=(pwrite64 write fdatasync fsync rename unlink ftruncate mkdir)
  spread=${FAULT_SPREAD:-4}
  make_archive "$tmp/a" "$tmp/a.tar.gz"
  make_archive "$tmp/b" "$tmp/b.tar.gz"
  base_store "$tmp/s0" || { echo "fault_test: setup failed"; exit 1; }
  # a second unit that sends the case as a signed bundle
  "$D" --store "$tmp/r0" init --admin chief >/dev/null
  at "$tmp/s0" keys init >/dev/null && at "$tmp/s0" keys export >"$tmp/s0.key" &&
    at "$tmp/r0" keys trust "$tmp/s0.key" --name Sender >/dev/null &&
    at "$tmp/s0" export $C -o "$tmp/case.bundle" >/dev/null || { echo "fault_test: bundle setup failed"; exit 1; }

  # Each operation: the command (as an argv, run straight under strace), and a
  # print-out of its finished result that must be the same after a kill and a
  # re-run as after a clean run.
  cmd_of() {  # OP DIR
    case $1 in
      ingest) cmd=("$D" --store "$2" --user chief ingest $C "$tmp/b.tar.gz") ;;
      import) cmd=("$D" --store "$2" --user chief bundle import "$tmp/case.bundle") ;;
      report) cmd=("$D" --store "$2" --user chief report $C --kind court --lang ar -o "$2.pdf") ;;
      backup) cmd=("$D" --store "$2" --user chief backup "$2.backup") ;;
    esac
  }
  result_of() {  # OP DIR
    case $1 in
      ingest)
        sqlite3 "$2/dalil.db" "SELECT count(*), min(status), min(item_count) FROM evidence_sources WHERE sha256 = '$b_sha'"
        "$D" --store "$2" --user chief verify $C --deep >/dev/null 2>&1 || echo "verify --deep failed" ;;
      import)
        sqlite3 "$2/dalil.db" "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM persons),
          (SELECT count(*) FROM devices), (SELECT count(*) FROM evidence_items), (SELECT count(*) FROM bundle_imports)" ;;
      report)
        pdftotext "$2.pdf" - 2>/dev/null | grep -q 'TIP/0001' && echo "report complete" ;;
      backup)
        bsdtar -tf "$2.backup" 2>/dev/null | grep -c -e '^manifest.json$' -e '^dalil.db$' ;;
    esac
    find "$2/objects/tmp" -type f 2>/dev/null | head -1   # no temporary object left
  }
  # what may stand under an output's final name after a kill: nothing, or a whole file
  out_ok() {  # OP DIR
    case $1 in
      report) [ ! -e "$2.pdf" ] || pdftotext "$2.pdf" /dev/null 2>/dev/null ;;
      backup) [ ! -e "$2.backup" ] || bsdtar -tf "$2.backup" >/dev/null 2>&1 ;;
      *) true ;;
    esac
  }
  fresh() { rm -rf "$tmp/w" "$tmp/w.pdf" "$tmp/w.backup"; cp -a "$1" "$tmp/w"; }
  b_sha=$(sha256sum "$tmp/b.tar.gz" | cut -d' ' -f1)

  points=0 killed=0 fail0=$fail
  # LeakSanitizer cannot run under ptrace (strace): in the sanitizer build this
  # part does not check leaks; every other test does, on the same commands
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
  for op in ingest import report backup; do
    src=$tmp/s0; [ $op = import ] && src=$tmp/r0
    op_points=$points op_killed=$killed
    # the clean run: its result, and how many calls of each kind it makes
    fresh "$src"; cmd_of $op "$tmp/w"
    strace -f -qq -c -o "$tmp/count" -e trace="$(IFS=,; echo "${sets[*]}")" "${cmd[@]}" >/dev/null 2>"$tmp/err" ||
      bad "$op: the clean run failed"
    want=$(result_of $op "$tmp/w")
    [ -n "$want" ] || bad "$op: no result from the clean run"
    for sc in "${sets[@]}"; do
      n=$(awk -v s="$sc" '$NF == s { print $4 }' "$tmp/count")
      [ "${n:-0}" -gt 0 ] || continue
      if [ "${FAULT_POINTS:-}" = all ] || [ "$n" -le "$spread" ] || { [ "$n" -le 12 ] && [ $sc != pwrite64 ] && [ $sc != write ]; }; then
        list=$(seq 1 "$n")
      else   # spread over the run, the first and the last call included
        list=$(awk -v n="$n" -v k="$spread" 'BEGIN { for (i = 0; i < k; i++) print 1 + int(i * (n - 1) / (k - 1)) }' | uniq)
      fi
      for when in $list; do
        points=$((points + 1))
        fresh "$src"; cmd_of $op "$tmp/w"
        # (in a subshell of its own, so that bash's "Killed" goes to /dev/null)
        (strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=KILL:when="$when" "${cmd[@]}" \
           >/dev/null 2>"$tmp/err"; echo $? >"$tmp/rc") 2>/dev/null
        [ "$(cat "$tmp/rc")" = 137 ] && killed=$((killed + 1))
        at=" after a kill at $sc #$when of $op"
        out_ok $op "$tmp/w" && ok || bad "half-written output$at"
        "$D" --store "$tmp/w" --user chief audit verify >/dev/null 2>"$tmp/err" && ok || bad "audit verify$at"
        same "$(integrity "$tmp/w")" ok "integrity_check$at"
        rm -f "$tmp/w.pdf" "$tmp/w.backup"
        "${cmd[@]}" >/dev/null 2>"$tmp/err" && ok || bad "re-run$at"
        same "$(result_of $op "$tmp/w")" "$want" "result of the re-run$at"
      done
    done
    # the injection must really stop the command, at half its points at least:
    # a point past the end only re-runs a clean command, and the count moves a
    # little from run to run (a report's pwrite64 calls were 42 in one run and
    # 33 in the next, as SQLite's checkpoints fell), so some points do
    n_op=$((points - op_points)) k_op=$((killed - op_killed))
    [ "$n_op" -gt 0 ] && [ $((k_op * 2)) -ge "$n_op" ] && ok ||
      bad "$op: only $k_op of $n_op points stopped the command"
  done
  echo "kill points tried: $points ($killed stopped mid-command), failed checks after them: $((fail - fail0))"
fi

# ---------------------------------------------------------------------------
if [ "$mode" = disk ]; then
  M=$tmp/disk O=$tmp/outdisk
  trap 'umount -l "$M" "$O" 2>/dev/null; rm -rf "$tmp"' EXIT
  mkdir -p "$M" "$O"
  mount -t tmpfs -o size=4m,mode=0700 tmpfs "$M" && mount -t tmpfs -o size=48k,mode=0700 tmpfs "$O" ||
    { echo "fault_test: cannot mount a tmpfs here"; exit 1; }
  S=$M/store
  full_msg() { if grep -q -e 'is full' -e 'No space left on device' "$tmp/err"; then ok; else bad "$1: the message does not say the disk is full"; fi; }
  intact() {
    "$D" --store "$S" --user chief audit verify >/dev/null 2>"$tmp/err" && ok || bad "audit verify $1"
    same "$(integrity "$S")" ok "integrity_check $1"
    local left; left=$(find "$S/objects/tmp" -type f 2>/dev/null | wc -l)
    same "$left" 0 "temporary objects left $1"
  }
  "$D" --store "$S" init --admin chief >/dev/null && at "$S" case add --number $C --title-ar 'قضية' --offence smuggling >/dev/null ||
    { echo "fault_test: setup failed"; exit 1; }
  # a report onto a full output disk: refused, nothing under its name
  at "$S" report $C --kind court --lang ar -o "$O/court.pdf" >/dev/null 2>"$tmp/err"
  same $? 1 "report onto a full disk: exit"
  full_msg "report"
  same "$(ls -A "$O" | wc -l)" 0 "files left on the full output disk"
  intact "after a refused report"
  # a backup onto it: refused the same way
  at "$S" backup "$O/store.backup" >/dev/null 2>"$tmp/err"
  same $? 1 "backup onto a full disk: exit"
  full_msg "backup"
  same "$(ls -A "$O" | wc -l)" 0 "files left on the full output disk by the backup"
  intact "after a refused backup"
  # an archive whose kept copy cannot fit: 6 MB of photo on a 4 MB disk
  mkdir -p "$tmp/big"
  head -c 6000000 /dev/urandom >"$tmp/big/photo.jpg"
  for i in $(seq 1 30); do printf 'hi +2189123%05d\n' "$i" >"$tmp/big/t$i.txt"; done
  bsdtar -cf "$tmp/big.tar" -C "$tmp/big" .
  at "$S" ingest $C "$tmp/big.tar" >/dev/null 2>"$tmp/err"
  same $? 1 "ingest of an archive larger than the disk: exit"
  full_msg "kept copy"
  same "$(sqlite3 "$S/dalil.db" "SELECT status FROM evidence_sources WHERE kind = 'archive'")" interrupted "source left to resume"
  intact "after the kept copy failed"
  # a folder referenced in place whose rows cannot fit
  mkdir -p "$tmp/many"
  (cd "$tmp/many" && seq 1 3000 | awk '{ f = "m" $1 ".txt"; printf "message %d whatsapp +2189%08d user%d@example.com\n", $1, $1, $1 > f; close(f) }')
  at "$S" ingest $C "$tmp/many" --in-place >/dev/null 2>"$tmp/err"
  same $? 1 "ingest whose rows do not fit: exit"
  full_msg "rows"
  same "$(sqlite3 "$S/dalil.db" "SELECT status FROM evidence_sources WHERE kind = 'folder'")" interrupted "folder left to resume"
  intact "after the rows did not fit"
  # a disk with no room at all: a hash set import (larger than the disk) is refused whole
  awk 'BEGIN { for (i = 0; i < 200000; i++) printf "%08x%08x%08x%08x\n", i, (i * 7919) % 2147483647, (i * 104729) % 2147483647, 1234567 + i }' >"$tmp/alert.txt"
  mount -o remount,size=8m "$M"     # room for a filler that gives it back afterwards
  dd if=/dev/zero of="$M/filler" bs=4k >/dev/null 2>&1
  at "$S" hashset import alerts "$tmp/alert.txt" --kind alert >/dev/null 2>"$tmp/err"
  same $? 1 "hash set import on a full disk: exit"
  full_msg "hash set import"
  rm -f "$M/filler"
  same "$(sqlite3 "$S/dalil.db" "SELECT count(*) FROM hashsets")" 0 "hash sets after a refused import"
  intact "after a refused write"
  # room again: the same commands complete what was read
  mount -o remount,size=256m "$M"
  at "$S" --json ingest $C "$tmp/big.tar" >"$tmp/out" 2>"$tmp/err" && ok || bad "archive ingest with room"
  same "$(jq -r '"\(.status) \(.resumed) \(.item_count)"' "$tmp/out")" "complete true 32" "archive resumed"
  at "$S" --json ingest $C "$tmp/many" --in-place >"$tmp/out" 2>"$tmp/err" && ok || bad "folder ingest with room"
  same "$(jq -r '"\(.status) \(.resumed) \(.item_count)"' "$tmp/out")" "complete true 3000" "folder resumed"
  at "$S" hashset import alerts "$tmp/alert.txt" --kind alert >/dev/null 2>"$tmp/err" && ok || bad "hash set import with room"
  at "$S" verify $C --deep >/dev/null 2>"$tmp/err" && ok || bad "verify --deep with room"
  intact "at the end"
fi

# ---------------------------------------------------------------------------
if [ "$mode" = busy ]; then
  S=$tmp/store
  "$D" --store "$S" init --admin chief >/dev/null && at "$S" case add --number $C --title-ar 'قضية' --offence smuggling >/dev/null ||
    { echo "fault_test: setup failed"; exit 1; }
  busy_msg() { if grep -q 'busy' "$tmp/err"; then ok; else bad "$1: the message does not say the store is busy"; fi; }
  # another program holds the write lock (an sqlite3 shell in a transaction)
  coproc LOCK { sqlite3 "$S/dalil.db"; }
  echo "BEGIN IMMEDIATE; SELECT 'locked';" >&"${LOCK[1]}"
  read -r -t 10 line <&"${LOCK[0]}"
  same "$line" locked "the lock is taken"
  t0=$(date +%s)
  at "$S" case add --number 2026/TIP/0002 --title-ar 'قضية ٢' --offence smuggling >/dev/null 2>"$tmp/err"
  same $? 1 "a write while the store is locked: exit"
  busy_msg "a write while locked"
  waited=$(( $(date +%s) - t0 ))
  [ "$waited" -ge 9 ] && ok || bad "dalil gave up after ${waited}s instead of waiting for the lock"
  # released while dalil waits: it goes on
  at "$S" case add --number 2026/TIP/0003 --title-ar 'قضية ٣' --offence smuggling >/dev/null 2>"$tmp/err3" &
  waiter=$!
  sleep 2
  kill -0 $waiter 2>/dev/null && ok || bad "the second write did not wait for the lock"
  echo "ROLLBACK; SELECT 'released';" >&"${LOCK[1]}"
  read -r -t 10 line <&"${LOCK[0]}"
  same "$line" released "the lock is released"
  wait $waiter
  same $? 0 "a write that waited for the lock"
  echo ".quit" >&"${LOCK[1]}"
  wait "$LOCK_PID" 2>/dev/null
  same "$(sqlite3 "$S/dalil.db" "SELECT group_concat(number, ' ') FROM (SELECT number FROM cases ORDER BY number)")" \
    "$C 2026/TIP/0003" "cases after the locked and the waiting write"
  "$D" --store "$S" --user chief audit verify >/dev/null 2>"$tmp/err" && ok || bad "audit verify after the lock"

  # eight dalil processes at once, one of them an ingest: each succeeds or says busy
  make_archive "$tmp/a" "$tmp/a.tar.gz"
  pids=()
  for i in 1 2 3 4 5 6; do
    at "$S" case add --number "2026/TIP/010$i" --title-ar "قضية $i" --offence smuggling >/dev/null 2>"$tmp/err.$i" &
    pids+=($!)
  done
  at "$S" ingest $C "$tmp/a.tar.gz" >/dev/null 2>"$tmp/err.7" & pids+=($!)
  at "$S" person add --case $C --name-ar 'سالم' --role suspect --phone '+218 91 234 5678' >/dev/null 2>"$tmp/err.8" & pids+=($!)
  added=0
  for i in 1 2 3 4 5 6 7 8; do
    wait "${pids[$((i - 1))]}"; rc=$?
    if [ $rc -eq 0 ]; then
      [ $i -le 6 ] && added=$((added + 1))
      ok
    elif grep -q busy "$tmp/err.$i"; then ok
    else bad "process $i: exit $rc: $(cat "$tmp/err.$i")"; fi
  done
  same "$(sqlite3 "$S/dalil.db" "SELECT count(*) FROM cases WHERE number LIKE '2026/TIP/010_'")" "$added" \
    "cases written by the processes that said they succeeded"
  "$D" --store "$S" --user chief audit verify >/dev/null 2>"$tmp/err" && ok || bad "audit verify after eight at once"
  same "$(integrity "$S")" ok "integrity_check after eight at once"
  echo "busy: the locked write waited ${waited}s; $added of 6 concurrent case adds succeeded"
fi

echo "fault $mode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
