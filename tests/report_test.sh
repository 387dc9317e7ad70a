#!/usr/bin/env bash
# report_test.sh DALIL — PDF reports end to end: a case with an Arabic title, a
# person with an Arabic name owning a device, custody events and an ingested
# archive (made here with bsdtar); the inventory and the chain of custody in
# Arabic and English. The text layer is read with MuPDF (logical order), the
# fonts with pdffonts; known-answer hashes come from coreutils.
set -u
D=${1:?usage: report_test.sh PATH/TO/dalil}
case $D in /*) ;; *) D=$PWD/$D ;; esac
export LANGUAGE= LC_ALL=C.UTF-8
# faketime preloads a library: an AddressSanitizer build must accept that
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
for t in bsdtar jq mutool pdffonts pdfinfo sha256sum cmp; do
  command -v "$t" >/dev/null || { echo "report: $t is needed"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DALIL_STORE=$tmp/store
export DALIL_PASSWORD=admin-password-1
C=2026/TRP/0007
TITLE='قضية اتجار بالبشر في الساحل الغربي'
NAME='محمد عبد الله الطرابلسي'
OFFICER='الملازم سالم الفيتوري'
pass=0 fail=0
# a stopped clock: an ASan build takes more than a second from start to the
# report's time stamp, and faketime's default clock runs on from the time given
# (libfaketime preloaded directly: the faketime wrapper's named semaphores collide
# when a PID is reused after a wrapper was killed)
FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -r "$FT" ] || { echo "report: needs libfaketime (scripts/setup installs faketime)"; exit 1; }
frozen() { LD_PRELOAD=$FT FAKETIME='2026-03-01 10:00:00' "$@"; }
# a killed process leaves libfaketime's /dev/shm files, which a later one with the
# same PID trips over: remove those of processes that are gone
for f in /dev/shm/faketime_shm_* /dev/shm/sem.faketime_sem_*; do
  [ -e "$f" ] || continue
  kill -0 "${f##*_}" 2>/dev/null || rm -f "$f"
done

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed "s/^/  stderr: /" "$tmp/err"; }
no()  { fail=$((fail + 1)); echo "FAIL: $*"; }
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; fi
}
# has DESCRIPTION FILE TEXT: TEXT (fixed string) is in FILE
has() { if grep -qF -- "$3" "$2"; then ok; else no "$1: '$3' not in $2"; fi; }
# ASCII digits on stdin to Arabic-Indic ones (U+0660-U+0669)
ar_digits() { sed 'y/0123456789/٠١٢٣٤٥٦٧٨٩/'; }
# n_of_m PDF [arabic]: the footer of every page carries its number and the
# page count ("page N of M", "صفحة N من M"), in Arabic-Indic digits with
# "arabic". The footer line comes from pdftotext -layout with its bidi marks
# made spaces: extractors put the words of a right-to-left line in orders of
# their own, but all the words are there.
n_of_m() {
  local f=$1 pages p n=0 P M
  pages=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
  M=$pages
  [ "${2:-}" = arabic ] && M=$(echo "$pages" | ar_digits)
  for p in $(seq 1 "$pages"); do
    P=$p
    [ "${2:-}" = arabic ] && P=$(echo "$p" | ar_digits)
    pdftotext -layout -f "$p" -l "$p" "$f" - 2>/dev/null \
      | LC_ALL=C sed 's/\xe2\x80[\xaa-\xae]/ /g; s/\xe2\x81[\xa6-\xa9]/ /g' \
      | awk -v p="$P" -v m="$M" '/page|صفحة/ { a = b = 0
          for (i = 1; i <= NF; i++) { a += $i == p; b += $i == m }
          if (a && b) found = 1 }
        END { exit !found }' && n=$((n + 1))
  done
  [ "$n" -eq "$pages" ] && [ "$pages" -ge 1 ] && ok || no "$f: $n of $pages pages carry N of M"
}

# --- fixture
run 0 init "$D" init --admin admin
printf 'clerk-password-1\n' >"$tmp/clerk.pw"
run 0 "clerk" "$D" --user admin user add karim --role clerk --password-file "$tmp/clerk.pw"
run 0 "case add" "$D" --user admin case add --number "$C" --title-ar "$TITLE" \
  --title-en "Western coast trafficking" --offence trafficking
run 0 "person add" "$D" --user admin --json person add --case "$C" --name-ar "$NAME" \
  --name-lat "Mohamed al-Trabelsi" --role suspect
pid=$(jq -r .id "$tmp/out")
run 0 "device add" "$D" --user admin --json device add --case "$C" --type phone --make Samsung \
  --model A12 --serial R58N123 --imei 490154203237518 --owner "$pid" --seal 'ختم 77/2026'
did=$(jq -r .id "$tmp/out")
run 0 "custody seized" "$D" --user admin custody add --case "$C" --subject "device:$did" --event seized \
  --to "$OFFICER" --at 2026-01-10T09:00:00Z --place 'زوارة'
run 0 "custody transferred" "$D" --user admin custody add --case "$C" --subject "device:$did" \
  --event transferred --from "$OFFICER" --to 'Lab officer Huda' --at 2026-01-11T10:30:00Z --reason 'للفحص الفني'
mkdir -p "$tmp/src/DCIM"
for i in $(seq 1 80); do echo "photo $i" >"$tmp/src/DCIM/img$i.txt"; done
echo 'رسالة من المهرب' >"$tmp/src/رسالة.txt"
(cd "$tmp/src" && bsdtar -cf "$tmp/phone.tar" DCIM رسالة.txt)
SHA=$(sha256sum "$tmp/src/DCIM/img42.txt" | cut -c1-64)
run 0 ingest "$D" --user admin ingest "$C" "$tmp/phone.tar" --device "$did"

# --- every kind in both languages
for lang in ar en; do
  for kind in inventory custody; do
    f=$tmp/$kind-$lang.pdf
    run 0 "report $kind $lang" frozen "$D" --user admin report "$C" \
      --kind "$kind" --lang "$lang" -o "$f"
    [ -s "$f" ] && [ -s "$f.json" ] && ok || no "$kind $lang: PDF or JSON missing"
    ls "$tmp" | grep -q '\.tmp-' && no "$kind $lang: temporary file left" || ok
    jq -e --arg k "$kind" --arg l "$lang" --arg c "$C" \
      '.report.kind == $k and .report.lang == $l and .case.number == $c' "$f.json" >/dev/null \
      && ok || no "$kind $lang: JSON companion"
    [ "$(jq -r .report.sha256 "$f.json")" = "$(sha256sum "$f" | cut -c1-64)" ] && ok \
      || no "$kind $lang: JSON names another SHA-256"
    mutool draw -F txt -o "$tmp/$kind-$lang.txt" "$f" 2>/dev/null
    t=$tmp/$kind-$lang.txt
    has "$kind $lang title" "$t" "$TITLE"
    has "$kind $lang owner" "$t" "$NAME"
    has "$kind $lang case number" "$t" "$C"
    n_of_m "$f"
    # fonts: all embedded, the three families present
    pdffonts "$f" >"$tmp/fonts" 2>&1
    awk 'NR > 2 && $(NF-4) != "yes" { exit 1 }' "$tmp/fonts" && ok || no "$kind $lang: a font is not embedded"
    has "$kind $lang Amiri" "$tmp/fonts" Amiri
  done
  has "inventory $lang item SHA-256" "$tmp/inventory-$lang.txt" "$SHA"
  has "inventory $lang mono font" "$tmp/fonts" DejaVuSansMono
  has "custody $lang officer" "$tmp/custody-$lang.txt" "$OFFICER"
  p=$(pdfinfo "$tmp/inventory-$lang.pdf" | awk '/^Pages:/ { print $2 }')
  [ "$p" -ge 3 ] && ok || no "inventory $lang: $p pages, expected at least 3"
done
# English: Latin text in DejaVu Serif
pdffonts "$tmp/inventory-en.pdf" | grep -q DejaVuSerif && ok || no "DejaVu Serif not used in English"

# --- the same report rendered again gives the same bytes
mkdir "$tmp/again"
run 0 "render again" frozen "$D" --user admin report "$C" --kind inventory \
  --lang ar -o "$tmp/again/inventory-ar.pdf"
cmp -s "$tmp/inventory-ar.pdf" "$tmp/again/inventory-ar.pdf" && ok || no "re-rendered PDF differs"
cmp -s "$tmp/inventory-ar.pdf.json" "$tmp/again/inventory-ar.pdf.json" && ok || no "re-rendered JSON differs"

# --- verify: registered, then one byte changed
run 0 "verify good" "$D" --user admin report verify "$tmp/custody-en.pdf"
has "verify names the report" "$tmp/out" "custody (en)"
cp "$tmp/custody-en.pdf" "$tmp/changed.pdf"
size=$(stat -c %s "$tmp/changed.pdf")
off=$((size / 2))
b=$(dd if="$tmp/changed.pdf" bs=1 skip=$off count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$tmp/changed.pdf" bs=1 seek=$off conv=notrunc 2>/dev/null
run 1 "verify changed" "$D" --user admin report verify "$tmp/changed.pdf"
run 1 "verify other file" "$D" --user admin report verify "$tmp/phone.tar"

# --- registration: audited, one row per report
run 0 "audit list" "$D" --user admin --json audit list
jq -e '[.[] | select(.entity == "reports" and .action == "insert")] | length >= 5' "$tmp/out" >/dev/null \
  && ok || no "report registrations not in the audit log"

# --- errors
run 2 "unknown kind" "$D" --user admin report "$C" --kind poem --lang ar -o "$tmp/x.pdf"
run 2 "bad lang" "$D" --user admin report "$C" --kind inventory --lang fr -o "$tmp/x.pdf"
run 2 "no -o" "$D" --user admin report "$C" --kind inventory --lang en
run 1 "unknown case" "$D" --user admin report 2026/TRP/9999 --kind inventory --lang en -o "$tmp/x.pdf"
[ -e "$tmp/x.pdf" ] && no "a failed report left a file" || ok
# a clerk may not read an open case, so may not report on it
run 3 "clerk on an open case" env DALIL_PASSWORD=clerk-password-1 "$D" --user karim report "$C" \
  --kind custody --lang ar -o "$tmp/x.pdf"

# --- court, progress and request letter
run 0 "unit ar" "$D" --user admin settings set unit_name_ar 'وحدة مكافحة الاتجار بالبشر'
run 0 "unit en" "$D" --user admin settings set unit_name_en 'Anti-Trafficking Unit'
printf 'inv-password-1\n' >"$tmp/inv.pw"
run 0 "investigator" "$D" --user admin user add salem --role investigator --password-file "$tmp/inv.pw" \
  --name-ar "$OFFICER" --name-en 'Salem al-Fituri'
run 0 "lead" "$D" --user admin case edit "$C" --lead salem
SRC_SHA=$(sha256sum "$tmp/phone.tar" | cut -c1-64)
run 0 "identifiers" "$D" --user admin --json identifier list --case "$C"
IMEI_ID=$(jq -r '.[] | select(.kind == "imei") | .id' "$tmp/out")
for lang in ar en; do
  for kind in court progress request; do
    f=$tmp/$kind-$lang.pdf
    case $kind in
      court) args=("$C") ;;
      progress) args=() ;;
      request) args=("$C" --identifiers "$IMEI_ID" --provider 'Libyana Mobile') ;;
    esac
    run 0 "report $kind $lang" frozen "$D" --user admin report "${args[@]}" \
      --kind "$kind" --lang "$lang" -o "$f"
    [ -s "$f" ] && [ -s "$f.json" ] && ok || no "$kind $lang: PDF or JSON missing"
    jq -e --arg k "$kind" '.report.kind == $k' "$f.json" >/dev/null && ok || no "$kind $lang: JSON companion"
    mutool draw -F txt -o "$tmp/$kind-$lang.txt" "$f" 2>/dev/null
    t=$tmp/$kind-$lang.txt
    has "$kind $lang case number" "$t" "$C"
    n_of_m "$f"
    # the confidentiality marking is on every page
    pages=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
    [ "$(grep -c 'CONFIDENTIAL\|سري' "$t")" -ge "$pages" ] && ok || no "$kind $lang: marking missing on a page"
  done
  t=$tmp/court-$lang.txt
  has "court $lang title" "$t" "$TITLE"
  has "court $lang person" "$t" "$NAME"
  has "court $lang examiner" "$t" "$OFFICER"
  has "court $lang source SHA-256" "$t" "$SRC_SHA"
  has "court $lang IMEI" "$t" 490154203237518
  has "court $lang unit" "$t" "$([ $lang = ar ] && echo 'وحدة مكافحة الاتجار بالبشر' || echo 'Anti-Trafficking Unit')"
  has "request $lang IMEI" "$tmp/request-$lang.txt" 490154203237518
  has "request $lang provider" "$tmp/request-$lang.txt" 'Libyana Mobile'
done
has "progress ar title" "$tmp/progress-ar.txt" "$TITLE"
jq -e --arg c "$C" '.cases[0].number == $c and .cases[0].items > 80' "$tmp/progress-en.pdf.json" >/dev/null \
  && ok || no "progress JSON: cases"
jq -e --arg s "$SRC_SHA" '.sources[0].sha256 == $s and (.persons | length) == 1' "$tmp/court-en.pdf.json" \
  >/dev/null && ok || no "court JSON: sources and persons"
for kind in court progress request; do
  case $kind in
    court) args=("$C") ;;
    progress) args=() ;;
    request) args=("$C" --identifiers "$IMEI_ID" --provider 'Libyana Mobile') ;;
  esac
  run 0 "render $kind again" frozen "$D" --user admin report "${args[@]}" \
    --kind "$kind" --lang ar -o "$tmp/again/$kind-ar.pdf"
  cmp -s "$tmp/$kind-ar.pdf" "$tmp/again/$kind-ar.pdf" && ok || no "re-rendered $kind differs"
done
# rights and bad input
run 3 "progress as investigator" env DALIL_PASSWORD=inv-password-1 "$D" --user salem report --kind progress \
  --lang en -o "$tmp/x.pdf"
run 2 "progress with a case" "$D" --user admin report "$C" --kind progress --lang en -o "$tmp/x.pdf"
run 2 "court without a case" "$D" --user admin report --kind court --lang en -o "$tmp/x.pdf"
run 2 "request unknown identifier" "$D" --user admin report "$C" --kind request --identifiers "$IMEI_ID,99999" \
  --provider X --lang en -o "$tmp/x.pdf"
has "unknown identifier names the field" "$tmp/err" "identifiers"
has "unknown identifier names the id" "$tmp/err" "99999"
run 2 "request bad identifier" "$D" --user admin report "$C" --kind request --identifiers abc --provider X \
  --lang en -o "$tmp/x.pdf"
run 2 "request without provider" "$D" --user admin report "$C" --kind request --identifiers "$IMEI_ID" \
  --lang en -o "$tmp/x.pdf"
has "no provider names the field" "$tmp/err" "provider"
[ -e "$tmp/x.pdf" ] && no "a refused report left a file" || ok

# --- Arabic-Indic digits and Hijri dates
# Umm al-Qura: 1 Ramadan 1447 AH is 2026-02-18, so the frozen day 2026-03-01 is
# 12 Ramadan 1447 (Ramadan 1447 has 30 days: 1 Shawwal is 2026-03-20)
hday=$(( ($(date -ud 2026-03-01 +%s) - $(date -ud 2026-02-18 +%s)) / 86400 + 1 ))
HDAY=$(echo "$hday" | ar_digits)
for kind in court inventory; do
  f=$tmp/$kind-arx.pdf
  run 0 "report $kind ar --digits arabic --hijri" frozen "$D" --user admin report "$C" --kind "$kind" \
    --lang ar --digits arabic --hijri -o "$f"
  mutool draw -F txt -o "$tmp/$kind-arx.txt" "$f" 2>/dev/null
  t=$tmp/$kind-arx.txt
  n_of_m "$f" arabic
  has "$kind arabic digits: case number stays Latin" "$t" "$C"
  # the report's day in Arabic-Indic digits with its Hijri date beside it, on
  # one line (MuPDF gives the words of a mixed line in an order of its own)
  grep -F '٢٠٢٦' "$t" | grep -F '٠٣' | grep -F '٠١' | grep -F "$HDAY" | grep -F 'رمضان' | grep -F '١٤٤٧' \
    | grep -qF 'هـ' && ok || no "$kind: the report's date with its Hijri date $hday Ramadan 1447 not in $t"
  grep -qF 2026-03-01 "$t" && no "$kind: a date in Latin digits is left" || ok
  jq -e '.report.digits == "arabic" and .report.hijri == true' "$f.json" >/dev/null && ok \
    || no "$kind: JSON does not record the digits and the Hijri dates"
done
t=$tmp/inventory-arx.txt
has "arabic digits: item SHA-256 stays Latin" "$t" "$SHA"
has "arabic digits: item count" "$t" "$(jq -r .item_count "$tmp/inventory-arx.pdf.json" | ar_digits)"
t=$tmp/court-arx.txt
has "arabic digits: source SHA-256 stays Latin" "$t" "$SRC_SHA"
has "arabic digits: IMEI stays Latin" "$t" 490154203237518
has "arabic digits: source item count" "$t" "$(jq -r '.sources[0].item_count' "$tmp/court-arx.pdf.json" | ar_digits)"
has "arabic digits: source size" "$t" "$(jq -r '.sources[0].size' "$tmp/court-arx.pdf.json" | ar_digits)"
# by default: Latin digits, no Hijri date
grep -qP '[\x{0660}-\x{0669}]' "$tmp/court-ar.txt" && no "Arabic-Indic digits without --digits arabic" || ok
grep -qF 'رمضان' "$tmp/court-ar.txt" && no "a Hijri date without --hijri" || ok
jq -e '.report.digits == "latin" and .report.hijri == false' "$tmp/court-ar.pdf.json" >/dev/null && ok \
  || no "court ar: JSON digits and hijri by default"
run 0 "render arabic digits again" frozen "$D" --user admin report "$C" --kind court --lang ar \
  --digits arabic --hijri -o "$tmp/again/court-arx.pdf"
cmp -s "$tmp/court-arx.pdf" "$tmp/again/court-arx.pdf" && ok || no "re-rendered court with Hijri dates differs"
# English: the Hijri date in English; Arabic-Indic digits are for Arabic reports only
f=$tmp/court-enx.pdf
run 0 "report court en --hijri" frozen "$D" --user admin report "$C" --kind court --lang en \
  --digits arabic --hijri -o "$f"
mutool draw -F txt -o "$tmp/court-enx.txt" "$f" 2>/dev/null
has "court en Hijri date" "$tmp/court-enx.txt" "2026-03-01T10:00:00Z ($hday Ramadan 1447 AH)"
grep -qP '[\x{0660}-\x{0669}]' "$tmp/court-enx.txt" && no "Arabic-Indic digits in an English report" || ok
jq -e '.report.digits == "latin" and .report.hijri == true' "$f.json" >/dev/null && ok || no "court en: JSON"
run 2 "bad --digits" "$D" --user admin report "$C" --kind court --lang ar --digits hindi -o "$tmp/x.pdf"
has "bad --digits names the field" "$tmp/err" "digits"
[ -e "$tmp/x.pdf" ] && no "a refused report left a file" || ok

# --- printing: a fake lp records its arguments; a failing lp; no lp at all
mkdir -p "$tmp/bin" "$tmp/badbin" "$tmp/nobin"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/lp.args"\necho "request id is fake-1 (1 file(s))"\n' "$tmp" >"$tmp/bin/lp"
printf '#!/bin/sh\necho "lp: Error - No default destination." >&2\nexit 1\n' >"$tmp/badbin/lp"
chmod +x "$tmp/bin/lp" "$tmp/badbin/lp"
run 0 "print" env PATH="$tmp/bin:$PATH" "$D" --user admin report "$C" --kind court --lang en \
  -o "$tmp/print.pdf" --print
grep -qxF "$tmp/print.pdf" "$tmp/lp.args" 2>/dev/null && ok || no "lp was not given the PDF"
has "print says so" "$tmp/out" "printer"
run 1 "print without a printer" env PATH="$tmp/badbin:$PATH" "$D" --user admin report "$C" --kind court \
  --lang en -o "$tmp/print2.pdf" --print
has "lp's message is shown" "$tmp/err" "No default destination"
[ -s "$tmp/print2.pdf" ] && ok || no "report not kept after a print failure"
run 0 "verify after a print failure" "$D" --user admin report verify "$tmp/print2.pdf"
run 1 "print without lp" env PATH="$tmp/nobin" "$D" --user admin report "$C" --kind court \
  --lang en -o "$tmp/print3.pdf" --print
has "no lp: message" "$tmp/err" "lp command is not installed"
[ -s "$tmp/print3.pdf" ] && ok || no "report not kept when lp is absent"

# "report --lang ar" is the report's language: the command's own messages stay in the user's
"$D" --user admin report "$C" --kind inventory --lang ar -o "$tmp/lang.pdf" >"$tmp/out" 2>"$tmp/err"
head -1 "$tmp/out" | grep -q '^report [0-9]* written' && ok || no "an Arabic report switched the messages: $(head -1 "$tmp/out")"

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
