#!/usr/bin/env bash
# The workstation through a real terminal: tmux at fixed sizes (80x24, 132x43),
# LANG=C.UTF-8, a fixed clock (faketime), driven with send-keys and checked with
# capture-pane. Usage: tests/tui_test.sh path/to/dalil
set -euo pipefail
DALIL=$(realpath "$1")
T=$(mktemp -d)
SOCK="dalil-tui-$$"
# libfaketime keeps /dev/shm/faketime_shm_PID and sem.faketime_sem_PID while a process
# runs; one killed (tmux kill-session) leaves them, and a later process that gets the
# same PID then fails. Remove those of processes that are gone.
reap_faketime() {
	local f pid
	for f in /dev/shm/faketime_shm_* /dev/shm/sem.faketime_sem_*; do
		[ -e "$f" ] || continue
		pid=${f##*_}
		kill -0 "$pid" 2>/dev/null || rm -f "$f"
	done
}
reap_faketime
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; sleep 0.2; reap_faketime; rm -rf "$T"' EXIT
# a command that fails outside a check stops the script (set -e): say which
trap 'echo "tui: stopped by a failing command at line $LINENO: $BASH_COMMAND" >&2' ERR
export DALIL_STORE=$T/store
PW='correct horse 1'
CLOCK='2026-11-23 10:00:00'
# libfaketime is preloaded: under AddressSanitizer the runtime then is not first
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

fails=0 checks=0
ok() { checks=$((checks + 1)); echo "ok   $*"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $*"; }

# libfaketime preloaded directly: the faketime wrapper's named semaphores are left
# behind when tmux kills it, and a reused PID then makes it fail
FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -r "$FT" ] || { echo "tui: needs libfaketime (scripts/setup installs faketime)"; exit 1; }
d() { DALIL_PASSWORD=$PW LD_PRELOAD=$FT FAKETIME="@$CLOCK" "$DALIL" "$@"; }

cat >"$T/tmux.conf" <<'EOF'
set -g status off
set -g escape-time 0
set -g default-terminal "tmux-256color"
EOF

# A session that lives as long as the test, so that the tmux server never exits
# between two sessions: a new-session racing the exit of the last one's server
# fails with "server exited unexpectedly" (seen under ctest -j2 with ASan).
tmux -L "$SOCK" -f "$T/tmux.conf" new-session -d -s keep "sleep 100000"

# start NAME COLS ROWS LANGUAGE [dalil args...]: the workstation in a fresh session
start() {
	local name=$1 cols=$2 rows=$3 lang=$4
	shift 4
	tmux -L "$SOCK" -f "$T/tmux.conf" new-session -d -s "$name" -x "$cols" -y "$rows" \
		"env HOME='$T' LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=$lang TERM=tmux-256color DALIL_STORE='$DALIL_STORE' \
		 ASAN_OPTIONS='$ASAN_OPTIONS' LD_PRELOAD='$FT' FAKETIME='@$CLOCK' '$DALIL' $*; echo EXITED \$?; sleep 30"
}
keys() { local s=$1; shift; tmux -L "$SOCK" send-keys -t "$s" "$@"; }
text() { tmux -L "$SOCK" send-keys -t "$1" -l "$2"; }
screen() { tmux -L "$SOCK" capture-pane -p -t "$1"; }
# wait_for SESSION REGEX [SECONDS]: until the screen matches (grep -E)
wait_for() {
	local s=$1 re=$2 limit=${3:-10} i=0
	while [ "$i" -lt $((limit * 20)) ]; do
		if screen "$s" | grep -Eq -- "$re"; then return 0; fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# expect SESSION REGEX WHAT: a check that the screen shows REGEX
expect() {
	if wait_for "$1" "$2" "${4:-10}"; then ok "$3"; else
		bad "$3 (no /$2/ on screen:)"; screen "$1" | sed 's/^/     | /'
	fi
}
expect_not() {
	sleep 0.3
	if screen "$1" | grep -Eq -- "$2"; then bad "$3"; screen "$1" | sed 's/^/     | /'; else ok "$3"; fi
}
# leave dalil with F10 (libfaketime then cleans up after itself), then the session
stop() {
	keys "$1" F10 2>/dev/null || true
	wait_for "$1" "EXITED" 3 || true
	tmux -L "$SOCK" kill-session -t "$1" 2>/dev/null || true
}

# ---- an empty store: the first administrator ----
mkdir -p "$DALIL_STORE"
d init --admin chief >/dev/null
printf '%s\n' "$PW" >"$T/pw"
for u in sup:supervisor inv:investigator clerk:clerk; do
	d --user chief user add "${u%%:*}" --role "${u#*:}" --password-file "$T/pw" >/dev/null
done

# another unit's case (led by the supervisor, not the investigator's): its witness
# has two numbers, one of which turns up in the evidence of the case made below
d --user chief case add --number 2026/TRP/0007 --title-ar "قضية زوارة" --offence smuggling --lead sup >/dev/null
d --user chief person add --case 2026/TRP/0007 --name-ar "سالم" --role witness \
	--phone "00218912345678" --phone "+218 92 555 1234" >/dev/null

# ---- log in through the form (80x24, English) ----
start s1 80 24 en
expect s1 "Log in to dalil" "login form shown"
text s1 inv; keys s1 Enter
text s1 "wrong password"; keys s1 Enter
expect s1 "wrong|incorrect|unknown" "a wrong password is refused in the form"
keys s1 C-u; text s1 "$PW"; keys s1 Enter
expect s1 "No cases to show" "logged in: the empty case list"
expect s1 "inv \(" "title bar names the user"
expect s1 "1Help +2.+3Search +10Quit" "function-key bar"

# ---- F1: help built from the key table ----
keys s1 F1
expect s1 "new case" "F1 lists the case list's keys"
keys s1 Escape
expect s1 "Days left" "Esc closes the help"

# ---- a new case with an Arabic title ----
keys s1 n
expect s1 "New case" "n opens the new-case form"
text s1 "2026/TRP/0042"; keys s1 Enter
text s1 "قضية اتجار بالبشر في طرابلس"; keys s1 Enter
text s1 "Trafficking ring, Tripoli"; keys s1 Enter
keys s1 Space; keys s1 Enter          # offences: trafficking
text s1 "2026-13-40"; keys s1 C-s     # a bad date: the form stays, the field says why
expect s1 "deadline|YYYY-MM-DD" "a bad date is named under its field"
keys s1 C-u; text s1 "2026-12-01"; keys s1 C-s
expect s1 "2026/TRP/0042 · Trafficking ring" "the new case opens"
expect s1 "8 days left" "days left from the fixed clock"
got=$(d --user chief --json case list | jq -r '.[] | select(.number == "2026/TRP/0042") | .title_ar')
[ "$got" = "قضية اتجار بالبشر في طرابلس" ] && ok "Arabic title stored byte for byte" || bad "title stored as '$got'"

# ---- a suspect (persons tab) and a phone (devices tab) ----
keys s1 2
expect s1 "Name" "2: the persons tab"
keys s1 n
expect s1 "Name in Arabic" "n opens the person form"
text s1 "محمد الزاوي"; keys s1 Enter
text s1 "Mohamed Al-Zawi"; keys s1 Enter
keys s1 Right; keys s1 C-s              # role: the first after "choose one" is suspect
expect s1 "Mohamed Al-Zawi|ﻱﻭﺍﺰﻟﺍ" "the suspect is listed"
wait_for s1 "Mohamed Al-Zawi" 10 || true
got=$(d --user chief --json person list --case 2026/TRP/0042 | jq -r '.[0] | [.name_ar, (.roles // .role | tostring)] | join(" ")')
case "$got" in "محمد الزاوي"*suspect*) ok "person stored: $got" ;; *) bad "person stored as '$got'" ;; esac
keys s1 3
expect s1 "IMEI" "3: the devices tab"
keys s1 n
expect s1 "Make" "n opens the device form"
keys s1 Enter                            # type: phone
text s1 "Samsung"; keys s1 Enter
text s1 "Galaxy A52"; keys s1 Enter
keys s1 Enter                            # serial
text s1 "490154203237519"; keys s1 C-s   # a wrong Luhn digit: named under the field
expect s1 "[Ll]uhn|check digit|IMEI" "a bad IMEI is refused in the form"
keys s1 BSpace; text s1 "8"; keys s1 C-s
expect s1 "Galaxy A52" "the phone is listed"
got=$(d --user chief --json device list --case 2026/TRP/0042 | jq -r '.[0].imeis[0] // .[0].imei')
[ "$got" = 490154203237518 ] && ok "device stored with its IMEI" || bad "device IMEI '$got'"

# ---- ingest an extraction from the evidence tab, see its items, tag one ----
mkdir -p "$T/x/chats"
# the driver's number in Arabic-Indic digits after a cue word: found while ingesting
printf 'transfer 3000 LYD to the driver, واتساب ٠٩١٢٣٤٥٦٧٨\n' >"$T/x/chats/a-chat.txt"
printf 'رحلة الخميس من زوارة\n' >"$T/x/chats/b-رحلة.txt"
(cd "$T/x" && bsdtar -czf "$T/phone.tar.gz" chats)
keys s1 4
expect s1 "No evidence|ingest" "4: the evidence tab"
keys s1 i
expect s1 "Ingest" "i opens the ingest file browser"
keys s1 /; keys s1 C-u                  # the line starts with the folder shown
text s1 "$T/phone.tar.gz"; keys s1 Enter
expect s1 "phone.tar.gz" "the typed path selects the archive"
keys s1 Space
expect s1 "[Ee]xpected SHA-256" "the ingest form"
keys s1 C-s
expect s1 "Status +complete" "the ingest completes" 30
expect s1 "Items +5|5 items|Items +[0-9]" "the result counts the items"
expect s1 "Identifiers +1 found in the items' text · 1 hit in other cases" "the result counts the identifiers found and the new hit"
keys s1 Enter
expect s1 "chats" "Enter: the evidence browser shows the source's items"
expect s1 "^dalil · Evidence · " "the title bar is redrawn whole after the ingest"
keys s1 Right                             # open the folder
expect s1 "a-chat.txt" "→ opens the folder"
# known answer, checked by eye: the Arabic name shaped, its extension still on the right
expect s1 "chats/b-ﺔﻠﺣﺭ\.txt" "an Arabic file name reads with its extension on the right"
for _ in 1 2 3; do                       # down to a-chat.txt (archive order)
	keys s1 Down
	wait_for s1 "Path +chats/a-chat.txt" 1 && break
done
expect s1 "Path +chats/a-chat.txt" "the detail pane shows the selected item"
keys s1 1
expect s1 "Tags +relevant" "the detail pane shows the tag"
got=$(d --user chief --json items 2026/TRP/0042 --tag relevant | jq -r '[.[].path] | join(",")')
[ "$got" = "chats/a-chat.txt" ] && ok "key 1 tags the item relevant" || bad "relevant items: '$got'"
keys s1 Escape
# the same archive again: the source it became, nothing added
keys s1 i
expect s1 "Ingest" "i again: the file browser"
keys s1 /; keys s1 C-u
text s1 "$T/phone.tar.gz"; keys s1 Enter
keys s1 Space
expect s1 "[Ee]xpected SHA-256" "the ingest form, the same archive"
keys s1 C-s
expect s1 "Already ingested completely as this source: nothing added\." "the same archive again adds nothing" 30
expect s1 "MD5 +[0-9a-f]{32}" "…with the source's own hashes"
got=$(sqlite3 "$DALIL_STORE/dalil.db" "SELECT count(*) FROM evidence_sources")
[ "$got" = 1 ] && ok "one source after the same archive twice" || bad "$got sources after the same archive twice"
keys s1 Enter
expect s1 "^dalil · Evidence · " "Enter: back to the evidence browser"
keys s1 Escape

# ---- links: the number found in the chat is in case 0007 (restricted) ----
suspect=$(d --user chief --json person list --case 2026/TRP/0042 | jq -r '.[0].id')
d --user chief person edit "$suspect" --phone "+218 92 555 1234" >/dev/null   # the suspect's own number
keys s1 8
expect s1 "phone +\+218912345678 +item [0-9]+ .*2026/TRP/0007 +restricted" "8: the links tab shows the hit found in evidence"
expect s1 "2 hits in other cases, 2 in cases you may not see" "the links tab counts the restricted hits"
keys s1 Down                              # the item's hit (persons' come first)
keys s1 p                                 # an item's hit: choose a person
expect s1 "Whose ties\? \(case 2026/TRP/0042\)" "p asks whose ties to show"
keys s1 C-s
expect s1 "Ties of Mohamed Al-Zawi" "the person's ties"
expect s1 "phone \+218925551234" "the ties list the person's number"
expect s1 "→ case 2026/TRP/0007 +restricted: ask sup" "…with the other case and whom to ask"
keys s1 Escape
expect s1 "hits in other cases" "Esc returns to the hits"
keys s1 F1
expect s1 "go straight to that tab" "F1 in a case lists the tab keys"
keys s1 Escape

# ---- the overview: edit with Esc writes nothing ----
keys s1 1
keys s1 e
expect s1 "Edit case" "e opens the edit form"
keys s1 C-u; text s1 "changed"; keys s1 Escape
expect s1 "nothing was written" "Esc cancels the form"
got=$(d --user chief --json case list | jq -r '.[] | select(.number == "2026/TRP/0042") | .title_ar')
[ "$got" = "قضية اتجار بالبشر في طرابلس" ] && ok "cancelled edit left the title" || bad "cancel wrote '$got'"

# ---- another program holds the store's write lock: the form waits, says the
# store is busy and keeps what was typed; once free, Ctrl-S again saves ----
coproc LOCK { sqlite3 "$DALIL_STORE/dalil.db" 2>&1; }
echo "BEGIN IMMEDIATE; SELECT 'locked';" >&"${LOCK[1]}"
read -r -t 10 line <&"${LOCK[0]}"
[ "$line" = locked ] && ok "an sqlite3 shell holds the write lock" || bad "the lock: '$line'"
keys s1 e
expect s1 "Edit case" "e opens the edit form again"
keys s1 Enter; keys s1 C-u; text s1 "Trafficking ring, Tripoli (edited)"; keys s1 C-s
expect s1 "the store is busy in another dalil" "a save while the store is locked says it is busy" 20
expect s1 "Ctrl-S tries again" "…and that Ctrl-S tries again"
expect s1 "Tripoli \(edited\)" "…with what was typed still in the form"
echo "ROLLBACK; SELECT 'released';" >&"${LOCK[1]}"
read -r -t 10 line <&"${LOCK[0]}"
echo ".quit" >&"${LOCK[1]}"
keys s1 C-s
expect s1 "Case saved" "Ctrl-S once the lock is released saves"
got=$(d --user chief --json case list | jq -r '.[] | select(.number == "2026/TRP/0042") | .title_en')
[ "$got" = "Trafficking ring, Tripoli (edited)" ] && ok "the edit made after the wait is stored" || bad "title_en '$got'"

# ---- Arabic at run time: F2 ----
keys s1 F2
# known answers (checked by eye): "نظرة عامة" shaped and reordered
expect s1 "ﺔﻣﺎﻋ ﺓﺮﻈﻧ" "F2: tab labels in Arabic, shaped"
# the title is shaped (presentation forms) and reordered: "طرابلس" drawn right to left
shaped=$(printf 'ﺲﻠﺑﺍﺮﻃ')
expect s1 "$shaped" "the Arabic title is shaped and reordered"
keys s1 F2
expect s1 "Overview" "F2 again: English"

# ---- resize to below the minimum and back ----
tmux -L "$SOCK" resize-window -t s1 -x 60 -y 20
expect s1 "terminal too small" "a notice below 80x24"
tmux -L "$SOCK" resize-window -t s1 -x 132 -y 43
expect s1 "Overview" "132x43 lays out again"
tmux -L "$SOCK" resize-window -t s1 -x 80 -y 24
expect s1 "Overview" "back at 80x24"
keys s1 F10
expect s1 "EXITED 0" "F10 leaves with exit 0"
stop s1

# ---- the supervisor dashboard (132x43); an investigator has none ----
start s3 132 43 en --user sup
text s3 "$PW"; keys s3 Enter
expect s3 "2026/TRP/0042" "the supervisor sees every case"
keys s3 d
expect s3 "Cases by status" "d opens the dashboard"
expect s3 "Deadlines past or within 14 days" "near deadlines listed"
expect s3 "Cross-case hits found in evidence, last 14 days" "the dashboard lists cross-case hits"
expect s3 "2026/TRP/0042 +\+218912345678 +1 2026/TRP/0007 +2026-11-23" "…the number found by the ingest, and where else"
keys s3 Enter                            # "open": the open cases
expect s3 "2026/TRP/0042" "Enter on a status lists its cases"
keys s3 Enter
expect s3 "2026/TRP/0042 · Trafficking ring" "Enter opens the case from the dashboard"
stop s3
start s4 80 24 en --user inv
text s4 "$PW"; keys s4 Enter
expect s4 "2026/TRP/0042" "the investigator's case list"
keys s4 d
expect s4 "supervisor|only" "the investigator gets no dashboard"
stop s4

# ---- the global search (F4 on the case list): Latin finds Arabic, need-to-know ----
d --user chief case add --number 2026/TRP/0043 --title-ar "قضية أخرى" --offence trafficking --lead sup >/dev/null
d --user chief person add --case 2026/TRP/0043 --name-ar "مُحمّد" --name-lat "Muhammad Hidden" --role witness >/dev/null
start s5 100 30 en --user inv
text s5 "$PW"; keys s5 Enter
expect s5 "2026/TRP/0042" "the investigator's case list, for the search"
keys s5 F1
expect s5 "F4, S +search every case" "F1 on the case list lists the global search"
keys s5 Escape
keys s5 F4
expect s5 "A name in Arabic or Latin letters" "F4 opens the search screen"
text s5 "Muhammad"; keys s5 Enter
expect s5 "page 1 of 1 · 2 results" "the search is paged from the model"
expect s5 "^person +2026/TRP/0042 .*Mohamed Al-Zawi.*similar" "a Latin spelling finds the record, marked similar"
expect s5 "2026/TRP/0043 +1 match in a case you may not read: ask sup" "a restricted result says whom to ask"
expect_not s5 "Hidden" "nothing of the restricted case is shown"
keys s5 Enter                            # the restricted result ranks first (an exact match)
expect s5 "You may not read case 2026/TRP/0043: ask sup" "Enter on a restricted result names whom to ask"
keys s5 Down; keys s5 Enter
expect s5 "1 person in case 2026/TRP/0042" "Enter opens the case at its persons tab"
keys s5 Escape
expect s5 "page 1 of 1" "Esc comes back to the results"
keys s5 /; keys s5 C-u; text s5 "محمد"; keys s5 Enter
expect s5 "^person +2026/TRP/0042 .*exact" "an Arabic query finds the Arabic name exactly"
keys s5 F2
expect s5 "2026/TRP/0042 +[^ ]+ *$" "Arabic: the results mirror (kind at the right)"
keys s5 F2
keys s5 Escape
expect s5 "Days left" "Esc leaves the search for the case list"
stop s5

# ---- a clerk cannot edit ----
d --user chief case status 2026/TRP/0042 investigating >/dev/null
d --user chief case status 2026/TRP/0042 referred >/dev/null
start s2 132 43 en --user clerk
text s2 "$PW"; keys s2 Enter
expect s2 "2026/TRP/0042" "the clerk sees the referred case"
keys s2 Enter
expect s2 "Overview" "the clerk opens it"
keys s2 e
expect s2 "Read-only" "the clerk's edit is refused, read-only"
keys s2 9
expect s2 "No report yet" "9: the reports tab"
keys s2 n
expect s2 "New report on case 2026/TRP/0042" "a clerk opens the report dialog"
keys s2 C-s
expect s2 "Report [0-9]+ written: $T/2026-TRP-0042-en.pdf" "the clerk writes the court report" 30
d --user clerk report verify "$T/2026-TRP-0042-en.pdf" >/dev/null &&
	ok "the written report verifies" || bad "report verify failed"
stop s2

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
