#!/usr/bin/env bash
# bench/tui_items.sh — does the evidence browser open a million-item source as fast as a
# ten-item one? (SPEC §5: "Lists are paged from the store".)
#
# Builds (or reuses) a store holding one case with two sources: a tar of 10 empty files and
# a tar of 1,000,000 empty files (both written directly as ustar headers by python3: a few
# seconds; ingesting the big one takes about a minute). Then, in tmux at 80x24, it times for
# each source, from the key to the screen showing the result:
#   launch  start dalil, log in, open the case, the Evidence tab and the source: first page
#   open    Enter on the source in the Evidence tab until the first page is drawn
#   End     until the last item is selected and drawn
#   PgUp    (after End) until the page above is drawn
# and prints the median milliseconds of each, and the ratio big/small (the target: close
# to 1). Times include tmux's own latency (capture-pane is polled without sleeping).
#
# Usage: bench/tui_items.sh [--dir DIR] [--dalil PATH] [--items N] [--reps N] [--keep]
#   --dir DIR     work directory (default /tmp/dalil-bench-tui): the tars and the store
#   --dalil PATH  the binary to time (default: build a Release one into /tmp/b-bench,
#                 else use build/dalil)
#   --items N     items in the big source (default 1000000)
#   --reps N      repetitions of each timing; the median is reported (default 5)
#   --keep        keep the store and tars for the next run (reused when their stamp matches);
#                 without it they are deleted at the end, the results (DIR/results.txt) stay
set -euo pipefail
umask 022
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

dir=/tmp/dalil-bench-tui
dalil=""
nbig=1000000
nsmall=10
reps=5
keep=0

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case $1 in
	--dir) [ $# -ge 2 ] || die "--dir needs a directory"; dir=$2; shift 2 ;;
	--dir=*) dir=${1#*=}; shift ;;
	--dalil) [ $# -ge 2 ] || die "--dalil needs a path"; dalil=$2; shift 2 ;;
	--dalil=*) dalil=${1#*=}; shift ;;
	--items) [ $# -ge 2 ] || die "--items needs a number"; nbig=$2; shift 2 ;;
	--items=*) nbig=${1#*=}; shift ;;
	--reps) [ $# -ge 2 ] || die "--reps needs a number"; reps=$2; shift 2 ;;
	--reps=*) reps=${1#*=}; shift ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (try --help)" ;;
	esac
done
case $reps in '' | *[!0-9]* | 0) die "--reps takes a positive number" ;; esac
case $nbig in '' | *[!0-9]* | 0) die "--items takes a positive number" ;; esac
[ "$nbig" -gt "$nsmall" ] || die "--items must be more than $nsmall"

# ---- tools: install only what is missing (as scripts/setup does) ----
packages=(tmux python3)
missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || die "need root or sudo to install ${missing[*]}"
		sudo=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q >&2
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
for t in tmux python3; do
	command -v "$t" >/dev/null || die "$t is missing"
done

# ---- the binary ----
if [ -z "$dalil" ]; then
	mkdir -p "$dir"
	if command -v cmake >/dev/null &&
		cmake -S "$repo" -B /tmp/b-bench -DCMAKE_BUILD_TYPE=Release >"$dir/build.log" 2>&1 &&
		cmake --build /tmp/b-bench -j"$(nproc)" --target dalil >>"$dir/build.log" 2>&1; then
		dalil=/tmp/b-bench/dalil
		built_from="built from $repo at $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')"
	elif [ -x "$repo/build/dalil" ]; then
		log "could not build a Release binary (see $dir/build.log); using $repo/build/dalil (its build type may differ)"
		dalil=$repo/build/dalil
	else
		die "no dalil binary: give --dalil PATH"
	fi
fi
built_from=${built_from:-given}
[ -x "$dalil" ] || die "$dalil is not an executable"
dalil=$(cd "$(dirname "$dalil")" && pwd)/$(basename "$dalil")

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
store=$dir/store
session=dalil-bench-tui-$$
PW=bench-pass-1
CASE=2026/BEN/0002
export DALIL_STORE=$store DALIL_PASSWORD=$PW

cleanup() {
	tmux kill-session -t "$session" 2>/dev/null || true
	if [ "$keep" -eq 0 ]; then
		rm -rf "$store" "$dir/small.tar" "$dir/big.tar" "$dir/.stamp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the sources ----
# N empty members f0000000.txt …, one 512-byte ustar header each, mtime 2026-01-01: the
# same bytes every time.
make_tar() { # N OUT
	python3 - "$1" "$2" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
def header(name):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = b"00000000000\0"
    h[136:148] = b"%011o\0" % 1767225600
    h[148:156] = b"        "
    h[156:157] = b"0"
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
with open(out + ".tmp", "wb", buffering=1 << 20) as f:
    for i in range(n):
        f.write(header(b"f%07d.txt" % i))
    f.write(b"\0" * 1024)
import os
os.rename(out + ".tmp", out)
PY
}

stamp="tui-items v1 small=$nsmall big=$nbig"
if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ] && [ -d "$store" ]; then
	log "reusing the store in $store"
else
	rm -rf "$store" "$dir/.stamp"
	log "writing tars of $nsmall and $nbig empty files"
	make_tar "$nsmall" "$dir/small.tar"
	make_tar "$nbig" "$dir/big.tar"
	"$dalil" init --admin bench >/dev/null
	"$dalil" --user bench case add --number "$CASE" --title-ar 'مقارنة' --offence other >/dev/null
	log "ingesting $nsmall items (source 1)"
	"$dalil" --user bench ingest "$CASE" "$dir/small.tar" --in-place >/dev/null
	log "ingesting $nbig items (source 2): about a minute per million"
	t0=$(date +%s)
	"$dalil" --user bench ingest "$CASE" "$dir/big.tar" --in-place >/dev/null
	log "  ingested in $(($(date +%s) - t0)) s"
	echo "$stamp" >"$dir/.stamp"
fi

# ---- timing in tmux ----
now_ns() { date +%s%N; }
screen() { tmux capture-pane -p -t "$session"; }
# wait until line LINE of the screen (1-based; 0: anywhere) matches the regex, at most 20 s
wait_for() { # LINE REGEX
	local deadline=$(($(now_ns) + 20000000000))
	while :; do
		if [ "$1" -eq 0 ]; then
			screen | grep -Eq -- "$2" && return 0
		else
			screen | sed -n "$1p" | grep -Eq -- "$2" && return 0
		fi
		[ "$(now_ns)" -lt "$deadline" ] || die "timed out waiting for /$2/ on the screen:
$(screen)"
	done
}
# milliseconds from the keys until the screen line matches
timed() { # LINE REGEX KEYS...
	local line=$1 re=$2
	shift 2
	local t0
	t0=$(now_ns)
	tmux send-keys -t "$session" "$@"
	wait_for "$line" "$re"
	echo $((($(now_ns) - t0) / 1000000))
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
commas() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

start() {
	tmux kill-session -t "$session" 2>/dev/null || true
	tmux new-session -d -s "$session" -x 80 -y 24 \
		"env LANG=C.UTF-8 LANGUAGE=en DALIL_STORE='$store' DALIL_PASSWORD='$PW' '$dalil' --user bench"
}

# The status line of the browser (screen line 2) reads "… · position N".
declare -A T
measure_source() { # KEY ROW N
	local key=$1 row=$2 n=$3 down=()
	[ "$row" -gt 1 ] && down=(Down)
	local last page_above launch=() open=() end=() pgup=() i t
	last=$(commas "$n")
	page_above=$(commas $((n - 9)))    # 80x24: 9 rows of items on a page
	[ "$n" -le 9 ] && page_above=1
	for ((i = 1; i <= reps; i++)); do
		# from launch: log in, the case, the Evidence tab, the source
		t=$(now_ns)
		start
		wait_for 1 'dalil · Cases ·'
		tmux send-keys -t "$session" Enter
		wait_for 1 'dalil · Case ·'
		tmux send-keys -t "$session" 4
		wait_for 0 'Enter browse the source'
		tmux send-keys -t "$session" "${down[@]}" Enter
		wait_for 2 'position 1$'
		launch+=($((($(now_ns) - t) / 1000000)))
		# the browser again, from the tab
		tmux send-keys -t "$session" Escape
		wait_for 0 'Enter browse the source'
		open+=("$(timed 2 'position 1$' Enter)")
		end+=("$(timed 2 "position $last\$" End)")
		pgup+=("$(timed 2 "position $page_above\$" PPage)")
		tmux kill-session -t "$session"
	done
	T[$key.launch]=$(median "${launch[@]}")
	T[$key.open]=$(median "${open[@]}")
	T[$key.end]=$(median "${end[@]}")
	T[$key.pgup]=$(median "${pgup[@]}")
}

# warm the page cache: the first read of a large store from disk is not the browser's time
cat "$store/dalil.db" >/dev/null
log "timing the $nsmall-item source ($reps runs)"
measure_source small 1 "$nsmall"
log "timing the $(commas "$nbig")-item source ($reps runs)"
measure_source big 2 "$nbig"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
{
	echo "dalil evidence browser: $(commas "$nbig") items against $nsmall (median of $reps, ms, tmux 80x24)"
	echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "dalil:  $("$dalil" --version) ($dalil, $built_from)"
	echo "store:  $store ($(du -sh "$store" | cut -f1))"
	echo
	printf '%-8s %12s %12s %8s\n' step "$nsmall items" "$(commas "$nbig")" ratio
	for s in launch open end pgup; do
		case $s in
		launch) label="launch" ;; open) label="open" ;; end) label="End" ;; pgup) label="PgUp" ;;
		esac
		printf '%-8s %12s %12s %8s\n' "$label" "${T[small.$s]}" "${T[big.$s]}" \
			"$(ratio "${T[big.$s]}" "${T[small.$s]}")"
	done
	echo
	echo "launch: start to the first page (login included); open: Enter on the source in the"
	echo "Evidence tab to its first page; End: to the last item; PgUp: the page above it."
	echo "Times include tmux's own latency of a few milliseconds per screen read."
} | tee "$dir/results.txt"
log "results also in $dir/results.txt"
if [ "$keep" -eq 1 ]; then
	log "store and tars kept in $dir"
fi
