#!/usr/bin/env bash
# bench/report.sh — how long an Arabic evidence inventory takes, and whether its memory
# grows with the item count (issue 5: 1,000 items in under 2 s; under 64 MiB at 10,000).
#
# Builds a store with one case per size (1,000 and 10,000 items: a tar of that many small
# files, names half Arabic, ingested in place), then, in the same run, times for each:
#   items json  `dalil items CASE --json` — the same rows read from the store and written
#               out as JSON: the reference floor of reading the data
#   report ar   `dalil report CASE --kind inventory --lang ar -o FILE`
# and prints seconds, peak RSS, pages, the ratio report/reference, and the targets.
#
# Usage: bench/report.sh [--dir DIR] [--dalil PATH] [--reps N]
#   --dir DIR     work directory (default /tmp/dalil-bench-report), deleted at the end
#   --dalil PATH  the binary to time (default: build/dalil of this checkout, built if missing)
#   --reps N      repetitions; the median is reported (default 3)
set -euo pipefail
umask 022
export LC_ALL=C.UTF-8 LANGUAGE=

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
dir=/tmp/dalil-bench-report
dalil=""
reps=3

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case $1 in
	--dir) [ $# -ge 2 ] || die "--dir needs a directory"; dir=$2; shift 2 ;;
	--dalil) [ $# -ge 2 ] || die "--dalil needs a path"; dalil=$2; shift 2 ;;
	--reps) [ $# -ge 2 ] || die "--reps needs a number"; reps=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (try --help)" ;;
	esac
done
case $reps in '' | *[!0-9]* | 0) die "--reps takes a positive number" ;; esac
for t in bsdtar pdfinfo /usr/bin/time; do command -v "$t" >/dev/null || die "needs $t (scripts/setup)"; done
if [ -z "$dalil" ]; then
	"$repo/scripts/build" "$repo/build" >/dev/null
	dalil=$repo/build/dalil
fi
dalil=$(realpath "$dalil")

rm -rf "$dir"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
export DALIL_STORE=$dir/store DALIL_PASSWORD=bench-password-1
"$dalil" init --admin bench >/dev/null

make_case() { # N
	local n=$1 src=$dir/src-$1
	mkdir -p "$src"
	# n files of a few dozen bytes; every other name in Arabic
	(cd "$src" && awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) {
		f = (i % 2) ? sprintf("رسالة_%06d.txt", i) : sprintf("msg_%06d.txt", i)
		printf "message %d from the seized phone\n", i > f; close(f) } }')
	(cd "$src" && bsdtar -cf "$dir/items-$n.tar" .)
	"$dalil" --user bench case add --number "BENCH/$n" --title-ar "قضية قياس $n" --offence other >/dev/null
	"$dalil" --user bench ingest "BENCH/$n" "$dir/items-$n.tar" --in-place >/dev/null
}

# median of the first column of stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# timed LABEL -- CMD...: prints "seconds rss_kib" (median seconds, highest RSS)
timed() {
	local i out secs="" rss=0
	shift
	for i in $(seq "$reps"); do
		/usr/bin/time -o "$dir/time.out" -f '%e %M' "$@" >/dev/null 2>"$dir/err.out" ||
			die "failed: $* ($(tail -1 "$dir/err.out"))"
		out=$(tail -1 "$dir/time.out")
		secs="$secs${out%% *}"$'\n'
		[ "${out##* }" -gt "$rss" ] && rss=${out##* }
	done
	printf '%s %s\n' "$(printf '%s' "$secs" | median)" "$rss"
}

results=$dir/../report-bench-results.txt
{
	printf 'dalil report benchmark: Arabic evidence inventory (median of %s runs)\n' "$reps"
	printf 'date:   %s\nnproc:  %s\ndalil:  %s\n\n' "$(date -u +%FT%TZ)" "$(nproc)" "$("$dalil" --version)"
	printf '%-8s %-12s %8s %9s %6s %7s\n' items step seconds "RSS MiB" pages ratio
} >"$results"

declare -A secs rss
for n in 1000 10000; do
	log "building a case of $n items"
	make_case "$n"
	log "timing $n items"
	read -r s r < <(timed items -- "$dalil" --user bench --json items "BENCH/$n")
	secs[json$n]=$s rss[json$n]=$r
	read -r s r < <(timed report -- sh -c 'rm -f "$1" "$1.json"; exec "$0" --user bench report "$2" --kind inventory --lang ar -o "$1"' \
		"$dalil" "$dir/inv-$n.pdf" "BENCH/$n")
	secs[rep$n]=$s rss[rep$n]=$r
	pages=$(pdfinfo "$dir/inv-$n.pdf" | awk '/^Pages:/ { print $2 }')
	ratio=$(awk -v a="$s" -v b="${secs[json$n]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
	printf '%-8s %-12s %8s %9.1f %6s %7s\n' "$n" "items json" "${secs[json$n]}" \
		"$(awk -v k="${rss[json$n]}" 'BEGIN { print k / 1024 }')" - - >>"$results"
	printf '%-8s %-12s %8s %9.1f %6s %7s\n' "$n" "report ar" "$s" \
		"$(awk -v k="$r" 'BEGIN { print k / 1024 }')" "$pages" "${ratio}x" >>"$results"
done

{
	printf '\nratio: report time / time to read the same items as JSON (the data floor)\n\ntargets:\n'
	awk -v s="${secs[rep1000]}" 'BEGIN { printf "  %s 1,000 items in under 2 s                 %.2f s\n", (s > 0 && s < 2 ? "PASS" : "MISS"), s }'
	awk -v r="${rss[rep10000]}" 'BEGIN { printf "  %s peak RSS under 64 MiB at 10,000 items    %.1f MiB\n", (r > 0 && r < 65536 ? "PASS" : "MISS"), r / 1024 }'
	awk -v a="${rss[rep1000]}" -v b="${rss[rep10000]}" \
		'BEGIN { printf "  %s memory flat: RSS at 10,000 / at 1,000     %.2fx\n", (a > 0 && b < a * 1.25 ? "PASS" : "MISS"), (a > 0 ? b / a : 0) }'
} >>"$results"
cat "$results"
