#!/usr/bin/env bash
# bench/extract.sh — identifier extraction throughput against grep as a floor.
#
# Generates (once, kept in DIR) about 1 GiB of mixed text: Arabic and English chat
# lines with phone numbers in both digit systems, e-mails, handles, wallets and
# IBANs among them, as UTF-8, UTF-16 and CP1256 text, HTML, JSON and CSV files.
# Then, in the same run and with a warm page cache, times the scanner over every
# file (bench/extract_files, the code ingest runs on each text-bearing member)
# and `grep -E -o '\+?[0-9]{9,15}'` over the same files, and prints MB/s of each
# and their ratio. With a dalil binary it also ingests the corpus folder in place
# into a fresh store and times `dalil extract CASE` end to end.
#
# Usage: bench/extract.sh [--dir DIR] [--build DIR] [--quick] [--no-dalil]
#   --dir DIR     where the corpus and the store go (default /tmp/dalil-bench-extract)
#   --build DIR   the build tree with bench/extract_files and dalil (default build/)
#   --quick       64 MiB instead of 1 GiB: a smoke run
#   --no-dalil    skip the end-to-end dalil extract timing
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
dir=/tmp/dalil-bench-extract
build=$repo/build
quick=0
with_dalil=1
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=${2:?}; shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	--quick) quick=1; shift ;;
	--no-dalil) with_dalil=0; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
done
drv=$build/bench/extract_files
[ -x "$drv" ] || die "$drv is missing: cmake --build $build --target extract_files"
for t in python3 grep; do command -v $t >/dev/null || die "$t is needed"; done

mib=$([ $quick = 1 ] && echo 64 || echo 1024)
corpus=$dir/corpus-$mib
if [ ! -f "$corpus/.stamp" ]; then
	log "generating $mib MiB of mixed text in $corpus"
	rm -rf "$corpus"
	mkdir -p "$corpus"
	python3 - "$corpus" "$mib" <<'PY'
import random, sys, os, json
out, mib = sys.argv[1], int(sys.argv[2])
rnd = random.Random(6)
ar_digits = str.maketrans('0123456789', '٠١٢٣٤٥٦٧٨٩')
words_ar = 'مرحبا الرحلة غدا البحر القارب السعر دفع المبلغ كم شخص الساعة وين الشاطئ اتصل بي رقم جديد الهاتف تمام'.split()
words_en = 'hello boat trip tomorrow price paid people meet beach call new number ok when where money send'.split()
def ident():
    k = rnd.randrange(10)
    if k == 0: return '+218 9%d %03d %04d' % (rnd.randrange(1, 6), rnd.randrange(1000), rnd.randrange(10000))
    if k == 1: return ('09%d%07d' % (rnd.randrange(1, 6), rnd.randrange(10**7))).translate(ar_digits)
    if k == 2: return '00201%d%08d' % (rnd.choice([0, 1, 2, 5]), rnd.randrange(10**8))
    if k == 3: return '06%08d' % rnd.randrange(10**8)
    if k == 4: return 'user%d@mail.example.ly' % rnd.randrange(10**5)
    if k == 5: return 'https://t.me/boat_%d' % rnd.randrange(10**4)
    if k == 6: return 'تلغرام @trip_%d' % rnd.randrange(10**4)
    if k == 7: return 'IMEI 490154203237518'
    if k == 8: return '0x52908400098527886E0F7030069857D2E4169EE7'
    return 'GB82 WEST 1234 5698 7654 32'
def line(i):
    ws = words_ar if i % 2 else words_en
    t = ' '.join(rnd.choice(ws) for _ in range(rnd.randrange(4, 14)))
    if rnd.randrange(8) == 0:
        t += ' ' + ident()
    return '%02d/03/2024, %02d:%02d - %s: %s' % (rnd.randrange(1, 29), rnd.randrange(24), rnd.randrange(60), rnd.choice(['Ali', 'أحمد', 'Salem']), t)
def text(n):
    ls, size, i = [], 0, 0
    while size < n:
        l = line(i); ls.append(l); size += len(l.encode()) + 1; i += 1
    return ls
per = 4 << 20
kinds = ['txt', 'u16', 'cp1256', 'html', 'json', 'csv']
total, k = mib << 20, 0
while total > 0:
    kind = kinds[k % len(kinds)]
    ls = text(min(per, total))
    path = os.path.join(out, '%05d.%s' % (k, {'u16': 'txt', 'cp1256': 'txt'}.get(kind, kind)))
    if kind == 'txt': data = ('\n'.join(ls) + '\n').encode()
    elif kind == 'u16': data = ('\n'.join(ls) + '\n').encode('utf-16')
    elif kind == 'cp1256': data = ('\n'.join(ls) + '\n').translate(str.maketrans('٠١٢٣٤٥٦٧٨٩', '0123456789')).encode('cp1256', 'replace')
    elif kind == 'html': data = ('<html><body>\n' + '\n'.join('<p>%s</p>' % l.replace('&', '&amp;') for l in ls) + '\n</body></html>\n').encode()
    elif kind == 'json': data = json.dumps({'messages': [{'text': l} for l in ls]}, ensure_ascii=(k % 2 == 0)).encode()
    else: data = ('id,text\n' + '\n'.join('%d,"%s"' % (j, l.replace('"', '""')) for j, l in enumerate(ls)) + '\n').encode()
    open(path, 'wb').write(data)
    total -= len(data); k += 1
PY
	touch "$corpus/.stamp"
fi
files=("$corpus"/*)
bytes=$(cat "${files[@]}" | wc -c)
cat "${files[@]}" >/dev/null   # warm the page cache

t0=$(date +%s.%N)
ex=$("$drv" "${files[@]}")
t1=$(date +%s.%N)
grep_hits=$(grep -E -o -h '\+?[0-9]{9,15}' "${files[@]}" | wc -l)
t2=$(date +%s.%N)
ext_s=$(echo "$t1 - $t0" | bc -l)
grep_s=$(echo "$t2 - $t1" | bc -l)
ext_hits=$(sed -n 's/.* hits \([0-9]*\) .*/\1/p' <<<"$ex")
mbs() { echo "scale=1; $bytes / 1000000 / $1" | bc -l; }
printf '\n%-40s %10s %10s %10s\n' "over $((bytes / 1048576)) MiB in ${#files[@]} files" seconds MB/s hits
printf '%-40s %10.2f %10s %10s\n' "dalil scanner (extract_files)" "$ext_s" "$(mbs "$ext_s")" "$ext_hits"
printf '%-40s %10.2f %10s %10s\n' "grep -E -o '\\+?[0-9]{9,15}'" "$grep_s" "$(mbs "$grep_s")" "$grep_hits"
printf 'ratio scanner/grep: %.2f (above 1: the scanner is faster)\n' "$(echo "$grep_s / $ext_s" | bc -l)"

if [ $with_dalil = 1 ] && [ -x "$build/dalil" ]; then
	D=$build/dalil
	export DALIL_STORE=$dir/store DALIL_PASSWORD='bench-password-1'
	rm -rf "$DALIL_STORE"
	"$D" init --admin bench >/dev/null
	"$D" --user bench case add --number 2026/BEN/0001 --title-ar 'قياس' --offence other >/dev/null
	t0=$(date +%s.%N)
	"$D" --user bench ingest 2026/BEN/0001 "$corpus" --in-place >/dev/null
	t1=$(date +%s.%N)
	"$D" --user bench extract 2026/BEN/0001 --json >"$dir/extract.json"
	t2=$(date +%s.%N)
	"$D" --user bench extract 2026/BEN/0001 --json >"$dir/extract2.json"
	t3=$(date +%s.%N)
	printf '%-40s %10.2f %10s\n' "dalil ingest --in-place (with scanning)" "$(echo "$t1 - $t0" | bc -l)" "$(mbs "$(echo "$t1 - $t0" | bc -l)")"
	printf '%-40s %10.2f %10s\n' "dalil extract CASE (nothing to change)" "$(echo "$t2 - $t1" | bc -l)" "$(mbs "$(echo "$t2 - $t1" | bc -l)")"
	printf '%-40s %10.2f %10s\n' "dalil extract CASE (again)" "$(echo "$t3 - $t2" | bc -l)" "$(mbs "$(echo "$t3 - $t2" | bc -l)")"
	echo "dalil extract: $(cat "$dir/extract.json")"
	rm -rf "$DALIL_STORE"
fi
