#!/usr/bin/env bash
# security_test.sh DALIL SRCDIR [sql|files] — the security review's points
# (docs/security.md), each checked so that breaking it fails here; "sql" runs
# 1 and 2a, "files" 2b, 3 and 4 (two CTest tests, each well under 30 s):
#  1. SQL: every run-time SQL site reviewed (tests/sql_sites.pl and its
#     allowlist); hostile text through the command line stored and read back
#     byte for byte, the tables intact, LIKE wildcards not wildcards
#  2. no shell: no system/popen/exec of a shell in the sources; printing hands
#     lp one argv entry, a hostile file name runs nothing, lp does not inherit
#     the password
#  3. private files: everything dalil creates is 0700/0600 (objects 0400)
#     under umask 000 and 022
#  4. secrets: a core of dalil taken after login (gdb) holds neither the
#     password nor the key passphrase (skipped without gdb or under ASan)
set -u
D=${1:?usage: security_test.sh PATH/TO/dalil SRCDIR}
SRC=${2:?usage: security_test.sh PATH/TO/dalil SRCDIR}
PART=${3:-all}
D=$(realpath "$D") SRC=$(realpath "$SRC")   # the commands below run in other directories too
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
same() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
# run WANT_EXIT DESCRIPTION CMD... : stdout in $tmp/out, stderr in $tmp/err
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; sed 's/^/  stderr: /' "$tmp/err"; fi
}
# the sources reviewed, as paths under a tree (expanded after a cd into it)
SOURCES='model/*.c importers/*.c reports/*.c tui/*.c'

# evidence whose file names are hostile (ingested by both parts)
mkdir -p "$tmp/ev"
EVN1="a'); DROP TABLE evidence_items; --.txt"
EVN2='$(touch pwned) `touch pwned2` "%s%n".txt'
printf 'x\n' >"$tmp/ev/$EVN1"
printf 'y\n' >"$tmp/ev/$EVN2"
H1="'); DROP TABLE cases; --"
H2='" OR 1=1; -- %s%n %x %p \'
H3="محمد 'الطرابلسي\" عبد_الله %_"
export DALIL_STORE=$tmp/store DALIL_PASSWORD='correct horse 1'
A=("$D" --user admin)

if [ "$PART" != files ]; then   # ------------------------------------------------ sql

# --- 1a. every run-time SQL site is reviewed -----------------------------------
sites() { (cd "$1" && perl "$SRC/tests/sql_sites.pl" "$SRC/tests/sql_sites.txt" $SOURCES); }
if sites "$SRC" >"$tmp/sites" 2>&1; then ok; else bad "unreviewed SQL sites:"; cat "$tmp/sites"; fi
# the check fails on what it is for: a copy of the tree with a new site built
# from run-time text, and one with a reviewed wrapper given such text
mkdir -p "$tmp/src"
cp -r "$SRC/model" "$SRC/importers" "$SRC/reports" "$SRC/tui" "$tmp/src/"
cat >>"$tmp/src/model/note.c" <<'EOF'

static void injected(dl_store *st, const char *user_text)
{
	sqlite3_finalize(store_prepare(st, user_text, NULL));
}
EOF
sites "$tmp/src" >"$tmp/sites" 2>&1 && bad "a new run-time SQL site passed the check" ||
  { grep -q 'model/note.c:.*injected' "$tmp/sites" && ok || bad "the new site is not named: $(cat "$tmp/sites")"; }
cp "$SRC/model/note.c" "$tmp/src/model/note.c"
cat >>"$tmp/src/model/device.c" <<'EOF'

static long long injected2(dl_store *st, const char *user_text)
{
	return count_of(st, user_text, 1, NULL);
}
EOF
sites "$tmp/src" >"$tmp/sites" 2>&1 && bad "a wrapper given run-time SQL passed the check" ||
  { grep -q 'model/device.c:.*injected2: count_of' "$tmp/sites" && ok || bad "the wrapper call is not named: $(cat "$tmp/sites")"; }

# --- 2a. no shell in the sources -------------------------------------------------
# system(), popen(), wordexp(), the execl family (made for "sh -c"), a path
# to a shell and an argv of "sh", "-c" are all refused; starting a program at all is allowed in
# reports/report.c only (lp, through posix_spawnp with an argv array)
shell_uses() {
  (cd "$1" && grep -nE '\b(system|popen|wordexp|execl|execlp|execle)[[:space:]]*\(|"/(usr/)?bin/(ba|da)?sh"|"(ba|da)?sh"[[:space:]]*,[[:space:]]*"-c"' $SOURCES)
}
spawners() {
  (cd "$1" && grep -lE '\b(execv|execvp|execve|execvpe|fexecve|posix_spawnp?)[[:space:]]*\(' $SOURCES)
}
shell_uses "$SRC" >"$tmp/sh" && { bad "shell use in the sources:"; cat "$tmp/sh"; } || ok
same "$(spawners "$SRC" | tr '\n' ' ')" "reports/report.c " "files starting programs"
grep -q 'posix_spawnp(&pid, "lp", &fa, NULL, argv, env)' "$SRC/reports/report.c" && ok ||
  bad "report_print no longer spawns lp with an argv array"
# the checks see what they look for
printf '\tsystem("lp " );\n' >>"$tmp/src/tui/cli_report.c"
shell_uses "$tmp/src" >/dev/null && ok || bad "the shell check misses system()"
cp "$SRC/tui/cli_report.c" "$tmp/src/tui/cli_report.c"
printf '\tchar *av[] = {"sh", "-c", cmd, NULL};\n' >>"$tmp/src/reports/pdf.c"
shell_uses "$tmp/src" >/dev/null && ok || bad "the shell check misses an argv of sh -c"
printf '\texecvp(argv[0], argv);\n' >>"$tmp/src/tui/cli_core.c"
same "$(spawners "$tmp/src" | tr '\n' ' ')" "reports/report.c tui/cli_core.c " "the spawn check"

# --- 1b. hostile text through the command line ------------------------------------
run 0 "init" "$D" init --admin admin
run 0 "case with hostile text" "${A[@]}" case add --number HX-0001 --title-ar "$H3" --title-en "$H1" \
  --summary-en "$H2" --summary-ar "$H1" --jurisdiction "$H2" --offence other
run 0 "case show" "${A[@]}" case show HX-0001 --json
same "$(jq -r .title_ar "$tmp/out")" "$H3" "Arabic title with quotes"
same "$(jq -r .title_en "$tmp/out")" "$H1" "title with SQL"
same "$(jq -r .summary_en "$tmp/out")" "$H2" "summary with format directives"
same "$(jq -r .summary_ar "$tmp/out")" "$H1" "Arabic summary"
same "$(jq -r .jurisdiction "$tmp/out")" "$H2" "jurisdiction"
run 0 "person with hostile text" "${A[@]}" person add --case HX-0001 --name-ar "$H3" --name-lat "$H1" \
  --alias "$H2" --notes "$H2" --role suspect
run 0 "person show" "${A[@]}" person show 1 --json
same "$(jq -r .name_ar "$tmp/out")" "$H3" "person's Arabic name"
same "$(jq -r .name_lat "$tmp/out")" "$H1" "person's Latin name"
same "$(jq -r '.aliases[0]' "$tmp/out")" "$H2" "alias"
same "$(jq -r .notes "$tmp/out")" "$H2" "person notes"
U="https://example.org/?q='%20OR%201=1--&a=%s"
run 0 "identifier with quotes and %" "${A[@]}" identifier add --case HX-0001 --kind url --value "$U" --person 1
run 0 "identifier list" "${A[@]}" identifier list --case HX-0001 --json
same "$(jq -r '.[0].value' "$tmp/out")" "$U" "identifier value"
run 2 "identifier refused, not run" "${A[@]}" identifier add --case HX-0001 --kind social \
  --value "telegram:@x'); DROP TABLE identifiers; --" --person 1
grep -q value "$tmp/err" && ok || bad "the refusal does not name the field"
run 0 "device with hostile text" "${A[@]}" device add --case HX-0001 --type phone --make "$H1" --model "$H2" \
  --notes "$H3" --seal "$H1"
run 0 "device show" "${A[@]}" device show 1 --json
same "$(jq -r .make "$tmp/out")|$(jq -r .model "$tmp/out")|$(jq -r .notes "$tmp/out")|$(jq -r .seal_number "$tmp/out")" \
  "$H1|$H2|$H3|$H1" "device text"
NOTE="$H1
$H2
$H3"
run 0 "note" "${A[@]}" note add --case HX-0001 --text "$NOTE"
run 0 "note list" "${A[@]}" note list --case HX-0001 --json
same "$(jq -r '.[0].body' "$tmp/out")" "$NOTE" "note body"
run 0 "task" "${A[@]}" task add --case HX-0001 --title "$H2"
run 0 "task list" "${A[@]}" task list --case HX-0001 --json
same "$(jq -r '.[0].title' "$tmp/out")" "$H2" "task title"
run 0 "request" "${A[@]}" request add --case HX-0001 --kind preservation --provider "$H1" --legal-basis "$H2" --notes "$H3"
run 0 "request list" "${A[@]}" request list --case HX-0001 --json
same "$(jq -r '.[0].provider' "$tmp/out")|$(jq -r '.[0].legal_basis' "$tmp/out")" "$H1|$H2" "request text"
run 0 "custody" "${A[@]}" custody add --case HX-0001 --subject device:1 --event seized --place "$H1" --reason "$H2"
run 0 "custody list" "${A[@]}" custody list --case HX-0001 --json
same "$(jq -r '.[0].place' "$tmp/out")|$(jq -r '.[0].reason' "$tmp/out")" "$H1|$H2" "custody text"
run 0 "setting" "${A[@]}" settings set unit_name_en "$H1"
run 0 "setting read" "${A[@]}" settings get unit_name_en
same "$(cat "$tmp/out")" "$H1" "setting value"
printf 'd41d8cd98f00b204e9800998ecf8427e\n' >"$tmp/hs.txt"
run 0 "hash set named with SQL" "${A[@]}" hashset import "$H1" "$tmp/hs.txt" --kind alert
run 0 "hash set list" "${A[@]}" hashset list --json
same "$(jq -r '.[0].name' "$tmp/out")" "$H1" "hash set name"
# evidence whose file names are hostile
run 0 "ingest hostile names" "${A[@]}" ingest HX-0001 "$tmp/ev"
run 0 "items" "${A[@]}" items HX-0001 --json
jq -r '.[].path' "$tmp/out" >"$tmp/paths"
grep -qxF "$EVN1" "$tmp/paths" && grep -qxF "$EVN2" "$tmp/paths" && ok ||
  bad "hostile file names not kept as they are: $(cat "$tmp/paths")"
ITEM=$(jq -r --arg n "$EVN1" '.[] | select(.path == $n) | .id' "$tmp/out")
run 0 "item note" "${A[@]}" item note "$ITEM" "$H1 $H2"
run 0 "item show" "${A[@]}" item show "$ITEM" --json
same "$(jq -r .note "$tmp/out")" "$H1 $H2" "item note"
# user names: refused by their rule, never reaching SQL as text that runs
printf 'correct horse 1\n' >"$tmp/pw"
run 2 "user name with SQL" "${A[@]}" user add "x'); DROP TABLE users; --" --role clerk --password-file "$tmp/pw"
grep -q username "$tmp/err" && ok || bad "the user name refusal does not name the field"
run 2 "login as admin' --" "$D" --user "admin' --" case list
run 2 "login as admin' OR '1'='1" "$D" --user "admin' OR '1'='1" case list
# search: the text is data, % and _ are not wildcards
run 0 "case alpha" "${A[@]}" case add --number HX-0002 --title-ar "alpha bravo" --offence other
run 0 "case kilo" "${A[@]}" case add --number HX-0003 --title-ar "kilo zulu" --offence other
search_cases() { "${A[@]}" search "$1" --json 2>/dev/null | jq -r '[.[].case] | unique | join(" ")'; }
same "$(search_cases "$H1")" "HX-0001" "search for the SQL text"
same "$(search_cases 'الطرابلسي')" "HX-0001" "search for the Arabic name"
same "$(search_cases '" OR 1=1')" "HX-0001" "search with a quote"
same "$(search_cases 'al%')" "" "search al% (a LIKE wildcard would match alpha)"
same "$(search_cases 'k_lo')" "" "search k_lo (a LIKE wildcard would match kilo)"
same "$(search_cases 'kilo')" "HX-0003" "search kilo"
run 2 "search for % alone" "${A[@]}" search "%"
same "$(search_cases 'zulu OR yankee')" "" "FTS operators are words"
same "$(search_cases 'NEAR(alpha bravo)')" "" "FTS NEAR is words"
# the store is whole: every table there, every row as the audit log says
same "$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM cases; SELECT count(*) FROM users;
  SELECT count(*) FROM evidence_items; SELECT count(*) FROM identifiers" | tr '\n' ' ')" "3 1 2 1 " "row counts"
same "$(sqlite3 "$DALIL_STORE/dalil.db" "PRAGMA integrity_check")" "ok" "integrity"
run 0 "audit verify" "${A[@]}" audit verify
[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e "$tmp/ev/pwned" ] && ok || bad "a file name ran a command"

fi

if [ "$PART" != sql ]; then   # ------------------------------------------------ files
run 0 "init" "$D" init --admin admin
run 0 "a case" "${A[@]}" case add --number HX-0001 --title-ar "$H3" --title-en "$H1" --offence other

# --- 2b. printing: one argv entry, nothing run, no secret handed on ------------------
mkdir -p "$tmp/bin"
cat >"$tmp/bin/lp" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >"$tmp/lp.args"
env >"$tmp/lp.env"
echo "request id is fake-1 (1 file(s))"
EOF
chmod +x "$tmp/bin/lp"
mkdir -p "$tmp/out dir"
# a shell given this name would make files in the current directory, $tmp
RP="$tmp/out dir/r; touch pwned-lp \$(touch pwned-lp2) \`touch pwned-lp3\`.pdf"
run 0 "report with a hostile name, printed" env -C "$tmp" PATH="$tmp/bin:$PATH" \
  DALIL_KEY_PASSPHRASE='key passphrase 1' "${A[@]}" report HX-0001 --kind court --lang en -o "$RP" --print
same "$(cat "$tmp/lp.args" 2>/dev/null)" "$RP" "lp's arguments"
[ -s "$RP" ] && ok || bad "the report with a hostile name was not written"
[ ! -e "$tmp/pwned-lp" ] && [ ! -e "$tmp/pwned-lp2" ] && [ ! -e "$tmp/pwned-lp3" ] && ok ||
  bad "the printed file name ran a command"
grep -q '^DALIL_PASSWORD=' "$tmp/lp.env" && bad "lp inherited DALIL_PASSWORD" || ok
grep -q '^DALIL_KEY_PASSPHRASE=' "$tmp/lp.env" && bad "lp inherited DALIL_KEY_PASSPHRASE" || ok
grep -q '^PATH=' "$tmp/lp.env" && ok || bad "lp's environment was not recorded"
RP2="$tmp/-dash.pdf"
run 0 "report named like an option" env -C "$tmp" PATH="$tmp/bin:$PATH" "${A[@]}" report HX-0001 \
  --kind court --lang en -o "-dash.pdf" --print
same "$(cat "$tmp/lp.args")" "./-dash.pdf" "a leading - is not an option to lp"
[ -s "$RP2" ] && ok || bad "the report named -dash.pdf was not written"

# --- 3. private files under any umask ----------------------------------------------
# every path dalil made: directories 0700, files 0600 — evidence objects
# 0400 in the store (read-only once kept), 0600 as a restore writes them
check_modes() {
  local what=$1; shift
  local wrong
  wrong=$(find "$@" \( -type d ! -perm 700 \) -o \( -type f -path '*/objects/*' ! -perm 400 ! -perm 600 \) \
    -o \( -type f ! -path '*/objects/*' ! -perm 600 \) 2>/dev/null | sed "s|$tmp/||")
  [ -z "$wrong" ] && ok || bad "$what: not private: $(for f in $wrong; do stat -c '%a %n' "$tmp/$f"; done | tr '\n' ';')"
}
for mask in 000 022; do
  W=$tmp/u$mask
  mkdir -p "$W/given" "$W/out"
  chmod 755 "$W/given"
  (
    umask $mask
    export DALIL_STORE=$W/store DALIL_KEY_PASSPHRASE='key passphrase 1'
    A=("$D" --user admin)
    "$D" init --admin admin &&
    "$D" --store "$W/given" init --admin admin &&
    "${A[@]}" case add --number PM-0001 --title-ar "قضية" --offence other &&
    "${A[@]}" person add --case PM-0001 --name-ar "شخص" --role suspect --phone +218912345678 &&
    "${A[@]}" ingest PM-0001 "$tmp/ev" &&
    tar -C "$tmp" -czf "$W/ev.tgz" ev &&
    "${A[@]}" ingest PM-0001 "$W/ev.tgz" &&
    "${A[@]}" report PM-0001 --kind court --lang ar -o "$W/out/report.pdf" &&
    "${A[@]}" graph PM-0001 --format graphml -o "$W/out/net.graphml" &&
    "${A[@]}" graph PM-0001 --format dot -o "$W/out/net.dot" &&
    "${A[@]}" keys init --name UNIT &&
    "${A[@]}" export PM-0001 -o "$W/out/case.bundle" &&
    "${A[@]}" export PM-0001 -o "$W/out/case.jsonld" --format case-uco &&
    "${A[@]}" item export "$("${A[@]}" items PM-0001 --json | jq -r '[.[] | select(.is_dir | not)][0].id')" \
      -o "$W/out/item.bin" &&
    "${A[@]}" backup "$W/out/store.backup" &&
    "$D" restore "$W/out/store.backup" --store "$W/restored"
  ) >"$tmp/out" 2>"$tmp/err" <&- && ok || { bad "umask $mask: the commands failed"; sed 's/^/  /' "$tmp/err"; }
  [ -d "$W/given" ] && [ -s "$W/given/dalil.db" ] && ok || bad "umask $mask: init into an existing directory"
  check_modes "umask $mask: store" "$W/store" "$W/given" "$W/restored"
  [ "$(find "$W/store/objects" -type f | wc -l)" -gt 0 ] && ok || bad "umask $mask: no object kept"
  check_modes "umask $mask: outputs" "$W/out"/*
  same "$(ls "$W/out" | wc -l)" 8 "umask $mask: outputs written"
done
# the WAL and its index while the store is open: same mode as the database
if command -v gdb >/dev/null; then
  gdb -q -batch -ex 'set breakpoint pending on' -ex 'break store_commit' -ex run \
    -ex "shell find $tmp/u000/store -maxdepth 1 -name 'dalil.db-*' -printf '%m %f\\n' | sort >$tmp/wal" -ex kill \
    --args env DALIL_STORE="$tmp/u000/store" bash -c "umask 000; exec \"\$0\" --user admin note add --case PM-0001 --text x" "$D" \
    >/dev/null 2>&1
  same "$(cat "$tmp/wal" 2>/dev/null | tr '\n' ' ')" "600 dalil.db-shm 600 dalil.db-wal " "WAL files of an open store"
else
  echo "SKIP: gdb is not installed: the WAL files' modes while open are not checked"
fi

# --- 4. no secret in a core of dalil ---------------------------------------------
# A core is taken (gdb's gcore) at exit, after login, the command and every
# free: neither the password (from DALIL_PASSWORD or --password-file) nor
# the key passphrase may be anywhere in it. A control variable that dalil
# never reads must be found, so a core that missed the memory fails.
core_has() {   # core_has SECRET ENV... -- CMD... : 0 when SECRET is in the core
  local secret=$1; shift
  rm -f "$tmp/core"
  gdb -q -batch -ex 'set breakpoint pending on' -ex 'break exit' -ex run -ex "generate-core-file $tmp/core" -ex kill \
    --args "$@" >/dev/null 2>&1
  [ -s "$tmp/core" ] || { echo "no core"; return 2; }
  grep -c -a -F -e "$secret" "$tmp/core" >/dev/null
}
if ! command -v gdb >/dev/null; then
  echo "SKIP: gdb is not installed: no core is searched for secrets"
elif ldd "$D" | grep -q libasan; then
  echo "SKIP: sanitizer build: its cores are huge and its allocator keeps freed blocks apart"
else
  PW="core-check $(od -An -N12 -tx1 /dev/urandom | tr -d ' \n') end"
  KP="passphrase $(od -An -N12 -tx1 /dev/urandom | tr -d ' \n') end"
  CONTROL="control $(od -An -N12 -tx1 /dev/urandom | tr -d ' \n') end"
  printf '%s\n' "$PW" >"$tmp/core.pw"
  export DALIL_STORE=$tmp/corestore
  run 0 "init for the core check" env DALIL_PASSWORD="$PW" "$D" init --admin admin
  core_has "$CONTROL" env DALIL_CONTROL="$CONTROL" DALIL_PASSWORD="$PW" "$D" --user admin case list
  same $? 0 "the control secret is in the core"
  core_has "$PW" env DALIL_CONTROL="$CONTROL" DALIL_PASSWORD="$PW" "$D" --user admin case list
  same $? 1 "DALIL_PASSWORD in the core"
  core_has "$PW" env -u DALIL_PASSWORD "$D" --user admin --password-file "$tmp/core.pw" case list
  same $? 1 "the password file's password in the core"
  run 0 "key for the core check" env DALIL_PASSWORD="$PW" DALIL_KEY_PASSPHRASE="$KP" "$D" --user admin keys init --name U
  run 0 "case for the core check" env DALIL_PASSWORD="$PW" "$D" --user admin case add --number CC-0001 --title-ar "قضية" --offence other
  core_has "$KP" env DALIL_PASSWORD="$PW" DALIL_KEY_PASSPHRASE="$KP" "$D" --user admin export CC-0001 -o "$tmp/cc.bundle"
  same $? 1 "the key passphrase in the core of an export"
  [ -s "$tmp/cc.bundle" ] && ok || bad "the export under gdb wrote no bundle"
  rm -f "$tmp/core"
fi

fi

echo "security ($PART): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
