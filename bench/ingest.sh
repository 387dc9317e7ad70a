#!/usr/bin/env bash
# bench/ingest.sh — time dalil's ingest against what this machine can do at best.
#
# Builds deterministic corpora (about 1 GiB of large files as .tar/.tar.gz/.zip, and
# 100,000 small files as .tar/.zip), then times with a warm page cache:
#   dalil ingest (in place and kept copy), hashdeep -c md5,sha1,sha256, openssl dgst -md5,
#   cp + sync, file --mime-type; compares dalil's MIME types with file's; prints a table
#   and the project's targets with PASS/MISS.
#
# Usage: bench/ingest.sh [--dir DIR] [--dalil PATH] [--quick] [--keep] [--reps N]
#   --dir DIR     work directory (default /tmp/dalil-bench); corpora, stores, results
#   --dalil PATH  the binary to time (default: build a Release one into /tmp/b-bench,
#                 else use build/dalil)
#   --quick       a 10x smaller corpus (about 100 MiB and 10,000 files): a smoke run
#   --keep        keep the corpora (reused by the next run: see the .stamp files)
#   --reps N      run each timing N times, report the median seconds and the highest
#                 peak RSS (default 1)
set -euo pipefail
umask 022
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

dir=/tmp/dalil-bench
dalil=""
quick=0
keep=0
reps=1

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case $1 in
	--dir) [ $# -ge 2 ] || die "--dir needs a directory"; dir=$2; shift 2 ;;
	--dir=*) dir=${1#*=}; shift ;;
	--dalil) [ $# -ge 2 ] || die "--dalil needs a path"; dalil=$2; shift 2 ;;
	--dalil=*) dalil=${1#*=}; shift ;;
	--quick) quick=1; shift ;;
	--keep) keep=1; shift ;;
	--reps) [ $# -ge 2 ] || die "--reps needs a number"; reps=$2; shift 2 ;;
	--reps=*) reps=${1#*=}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (try --help)" ;;
	esac
done
case $reps in '' | *[!0-9]* | 0) die "--reps takes a positive number" ;; esac

# ---- tools: install only what is missing (as scripts/setup does) ----
packages=(hashdeep openssl file libarchive-tools time jq coreutils findutils)
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
for t in hashdeep openssl file bsdtar jq /usr/bin/time; do
	command -v "$t" >/dev/null || die "$t is missing"
done

# ---- the binary ----
if [ -z "$dalil" ]; then
	if command -v cmake >/dev/null &&
		cmake -S "$repo" -B /tmp/b-bench -DCMAKE_BUILD_TYPE=Release >/dev/null &&
		cmake --build /tmp/b-bench -j"$(nproc)" >/dev/null; then
		dalil=/tmp/b-bench/dalil
		built_from="built from $repo at $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')"
	elif [ -x "$repo/build/dalil" ]; then
		log "could not build a Release binary; using $repo/build/dalil (its build type may differ)"
		dalil=$repo/build/dalil
	else
		die "no dalil binary: give --dalil PATH"
	fi
fi
built_from=${built_from:-given}
[ -x "$dalil" ] || die "$dalil is not an executable"
dalil=$(cd "$(dirname "$dalil")" && pwd)/$(basename "$dalil")

# ---- sizes ----
MiB=1048576
if [ "$quick" -eq 1 ]; then
	mode=quick
	nsmall=10000
	big_label="100 MiB"
else
	mode=full
	nsmall=100000
	big_label="1 GiB"
fi
nfold=100
# big corpus: kind size-in-MiB (quick: a tenth of each); 1024 MiB in all
big_spec=(rand:200 rand:160 text-log:96 rand:128 rand:96 text-chat:64 rand:80 rand:64
	text-csv:40 rand:48 rand:32 text-html:16)
big_bytes() { # MiB -> bytes for this mode
	if [ "$quick" -eq 1 ]; then echo $(($1 * MiB / 10)); else echo $(($1 * MiB)); fi
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
C=$dir/corpus-$mode      # corpora (kept with --keep)
R=$dir/run-$mode         # stores, copies, outputs of this run (always removed)
results=$dir/results-$mode.txt

need_kib=$((quick ? 900 * 1024 : 8 * 1024 * 1024))
avail_kib=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
have_kib=$(du -sk "$C" 2>/dev/null | awk '{print $1}' || true)
if [ $((avail_kib + ${have_kib:-0})) -lt "$need_kib" ]; then
	die "$dir has $((avail_kib / 1024)) MiB free; the $mode run needs about $((need_kib / 1024)) MiB"
fi

cleanup() {
	rm -rf "$R"
	if [ "$keep" -eq 0 ]; then
		rm -rf "$C"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$R"
mkdir -p "$R" "$C"
# the run times one binary, even if the build directory changes meanwhile
dalil_orig=$dalil
cp "$dalil" "$R/dalil"
dalil=$R/dalil
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- corpora ----
awk_version=$(awk -W version 2>/dev/null | head -n 1 || awk --version 2>/dev/null | head -n 1 || echo awk)
openssl_version=$(openssl version)
EPOCH=1767225600   # 2026-01-01T00:00:00Z, every file's mtime

# One awk program for all text: seeded, so the same bytes every time (with the same awk).
cat >"$R/gen.awk" <<'AWK'
function pick(arr, n) { return arr[1 + int(rand() * n)] }
function words(k,   s, j) {
	s = ""
	for (j = 0; j < k; j++)
		s = s (j ? " " : "") (rand() < par ? pick(A, na) : (rand() < 0.1 ? int(rand() * 100000) : pick(W, nw)))
	return s
}
function when() {
	return sprintf("%04d-%02d-%02d %02d:%02d:%02d", 2023 + int(rand() * 3), 1 + int(rand() * 12),
	               1 + int(rand() * 28), int(rand() * 24), int(rand() * 60), int(rand() * 60))
}
function phone() { return sprintf("+2189%d%07d", 1 + int(rand() * 4), int(rand() * 10000000)) }
function line(style, i) {
	if (style == "chat")
		return "[" when() "] " pick(N, nn) " (" phone() "): " words(3 + int(rand() * 14))
	if (style == "csv")
		return i "," when() "," phone() "," phone() "," int(rand() * 3600) "," words(2 + int(rand() * 8))
	if (style == "json")
		return "  {\"id\": " i ", \"time\": \"" when() "\", \"from\": \"" phone() "\", \"name\": \"" \
		       pick(N, nn) "\", \"text\": \"" words(2 + int(rand() * 12)) "\"}"
	if (style == "html")
		return "<div class=\"msg\"><span class=\"t\">" when() "</span> <b>" pick(N, nn) "</b> " \
		       words(3 + int(rand() * 12)) "</div>"
	return when() " " (rand() < 0.9 ? "INFO" : "WARN") " transfer " phone() " -> " phone() " amount=" \
	       int(rand() * 100000) " " words(2 + int(rand() * 10))
}
function header(style) {
	if (style == "csv") return "id,time,from,to,seconds,text\n"
	if (style == "json") return "[\n"
	if (style == "html")
		return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" pick(N, nn) \
		       "</title></head><body>\n"
	return ""
}
function trailer(style) {
	if (style == "json") return "\n]\n"
	if (style == "html") return "\n</body></html>\n"
	return "\n"
}
# a small file of about target bytes (never more), whole lines, a valid document
function emit(path, style, target,   head, tail, sep, bytes, l, i) {
	head = header(style); tail = trailer(style); sep = style == "json" ? ",\n" : "\n"
	printf "%s", head > path
	bytes = length(head) + length(tail)
	for (i = 1; ; i++) {
		l = line(style, i)
		if (i > 1 && bytes + length(sep) + length(l) > target)
			break
		printf "%s%s", (i > 1 ? sep : ""), l > path
		bytes += length(l) + (i > 1 ? length(sep) : 0)
	}
	printf "%s", tail > path
	close(path)
}
BEGIN {
	srand(seed)
	nw = split("the a to and of in is for on with at from by this that we you they meet boat trip " \
	           "money price transfer tomorrow tonight call phone number passport car driver coast " \
	           "port group wait ready pay sent received cash bank account name address hotel ticket " \
	           "ok yes no please later today morning evening night week people border police", W, " ")
	na = split("مرحبا السلام عليكم طرابلس بنغازي مصراتة زوارة صبراتة القارب الرحلة المبلغ دينار " \
	           "دولار يورو غدا الليلة الساحل الجواز الهاتف حوالة السائق الفندق جاهز انتظر أرسل " \
	           "استلمت الموعد الشاطئ العدد شخص", A, " ")
	nn = split("Ahmed Mohamed Ali Omar Khaled Youssef Ibrahim Hassan Mustafa Salem Fatima Aisha " \
	           "Mariam Amina Sara Hamza Tarek Nabil Adel Samir", N, " ")
	if (mode == "big") {          # size bytes or a little more of one style, to stdout
		par = 0.3
		printf "%s", header(style)
		for (i = 1; bytes < size; i++) {
			l = line(style, i)
			print l
			bytes += length(l) + 1
		}
		exit
	}
	# small: n files in nfold folders under root; binary ones are listed on stdout
	for (i = 0; i < n; i++) {
		d = int(i * nfold / n)
		target = 1280 + int(rand() * (16384 - 1280))
		par = rand() < 0.3 ? 0.8 : rand() * 0.3
		r = rand()
		if (r < 0.45) { style = "chat"; ext = "txt" }
		else if (r < 0.65) { style = "json"; ext = "json" }
		else if (r < 0.80) { style = "csv"; ext = "csv" }
		else if (r < 0.85) { style = "html"; ext = "html" }
		else {
			r = rand()
			ext = r < 0.40 ? "bin" : r < 0.75 ? "jpg" : r < 0.95 ? "png" : "pdf"
			printf "%s/d%03d/f%06d.%s\t%s\t%d\n", root, d, i, ext, ext, target
			continue
		}
		emit(sprintf("%s/d%03d/f%06d.%s", root, d, i, ext), style, target)
	}
}
AWK

# incompressible bytes: AES-128-CTR keystream of a fixed password
randbytes() { # PASS BYTES > out
	set +o pipefail
	openssl enc -aes-128-ctr -nosalt -pass "pass:$1" -in /dev/zero 2>/dev/null | head -c "$2"
	set -o pipefail
}

pack() { # SRC-PARENT TOP OUTPUT-BASE FORMATS...
	# members in sorted order with fixed metadata (an mtree list: no atime, ctime, owner
	# or gzip time of this run), so the archives are the same bytes every time
	local parent=$1 top=$2 base=$3
	shift 3
	(cd "$parent" && find "$top" \( -type d -printf '%p type=dir mode=0755\n' \) -o \
		\( -type f -printf '%p type=file mode=0644\n' \) | LC_ALL=C sort |
		sed "s/\$/ uid=0 gid=0 uname=root gname=root time=$EPOCH.0/") >"$base.mtree"
	for f in "$@"; do
		local opt=()
		case $f in
		tar) opt=(--format pax) ;;
		tar.gz) opt=(--format pax -z --options 'gzip:!timestamp') ;;
		zip) opt=(--format zip) ;;
		esac
		(cd "$parent" && bsdtar "${opt[@]}" -cf "$base.$f.tmp" "@$base.mtree")
		mv "$base.$f.tmp" "$base.$f"
	done
	rm -f "$base.mtree"
}

make_big() {
	local b=$C/big
	local stamp="big v2 $mode ${big_spec[*]} | $awk_version | $openssl_version"
	if [ -f "$b/.stamp" ] && [ "$(cat "$b/.stamp")" = "$stamp" ]; then
		log "reusing the large-file corpus in $b"
		return
	fi
	log "building the large-file corpus in $b"
	rm -rf "$b"
	mkdir -p "$b/src/big"
	local i=0 spec kind mib bytes out
	for spec in "${big_spec[@]}"; do
		i=$((i + 1))
		kind=${spec%%:*}
		mib=${spec#*:}
		bytes=$(big_bytes "$mib")
		case $kind in
		rand)
			out=$(printf '%s/src/big/file%02d.bin' "$b" "$i")
			randbytes "big-$i" "$bytes" >"$out"
			;;
		text-*)
			out=$(printf '%s/src/big/file%02d.%s' "$b" "$i" "${kind#text-}")
			set +o pipefail
			awk -v mode=big -v style="${kind#text-}" -v size="$bytes" -v seed="$i" -f "$R/gen.awk" |
				head -c "$bytes" >"$out"
			set -o pipefail
			;;
		esac
		[ "$(stat -c %s "$out")" -eq "$bytes" ] || die "could not write $out"
	done
	find "$b/src" -exec touch -h -d "@$EPOCH" {} +
	log "packing big.tar, big.tar.gz, big.zip"
	pack "$b/src" big "$b/big" tar tar.gz zip
	echo "$stamp" >"$b/.stamp"
}

make_small() {
	local s=$C/small
	local stamp="small v2 $mode n=$nsmall folders=$nfold | $awk_version | $openssl_version"
	if [ -f "$s/.stamp" ] && [ "$(cat "$s/.stamp")" = "$stamp" ]; then
		log "reusing the small-file corpus in $s"
		return
	fi
	log "building the small-file corpus in $s ($nsmall files)"
	rm -rf "$s"
	local d
	for ((d = 0; d < nfold; d++)); do
		mkdir -p "$(printf '%s/src/small/d%03d' "$s" "$d")"
	done
	awk -v mode=small -v n="$nsmall" -v nfold="$nfold" -v seed=20260101 -v root="$s/src/small" \
		-f "$R/gen.awk" >"$s/binary.list"
	# binary members: one keystream cut into pieces, some behind an image or PDF header
	set +o pipefail
	openssl enc -aes-128-ctr -nosalt -pass pass:small-binary -in /dev/zero 2>/dev/null | {
		while IFS=$'\t' read -r path kind size <&3; do
			case $kind in
			jpg) printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' ;;
			png) printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x02\x00\x00\x00' ;;
			pdf) printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n' ;;
			esac >"$path"
			dd bs="$((size - 32))" count=1 iflag=fullblock status=none >>"$path"
		done 3<"$s/binary.list"
	}
	set -o pipefail
	rm -f "$s/binary.list"
	local got
	got=$(find "$s/src/small" -type f | wc -l)
	[ "$got" -eq "$nsmall" ] || die "made $got small files, not $nsmall"
	find "$s/src" -exec touch -h -d "@$EPOCH" {} +
	log "packing small.tar, small.zip"
	pack "$s/src" small "$s/small" tar zip
	echo "$stamp" >"$s/.stamp"
}

make_big
make_small

BIG_SRC=$C/big/src
BIG_TAR=$C/big/big.tar
SMALL_SRC=$C/small/src
big_files_bytes=$(find "$BIG_SRC" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
big_files_n=$(find "$BIG_SRC" -type f | wc -l)
small_files_bytes=$(find "$SMALL_SRC" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
size_of() { stat -c %s "$1"; }

# ---- timing ----
PW=bench-pass-1
CASE=2026/BEN/0001
declare -A SEC RSS OK
rows=$R/rows.tsv
notes=$R/notes.txt
: >"$rows"
: >"$notes"
dalil_keys=()

warm_file() { cat "$1" >/dev/null; }
warm_dir() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

store_of() { echo "$R/store-$1"; }
fresh_store() { # KEY
	local st
	st=$(store_of "$1")
	rm -rf "$st"
	DALIL_STORE=$st DALIL_PASSWORD=$PW "$dalil" init --admin bench >/dev/null
	DALIL_STORE=$st DALIL_PASSWORD=$PW "$dalil" --user bench case add --number "$CASE" \
		--title-ar 'بنش' --offence other >/dev/null
}

# CPU time the whole machine spent busy, in clock ticks (all cores)
HZ=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
# This is a shared 2-core machine: before a timing, wait (at most a minute) until other
# processes leave the CPUs alone.
wait_quiet() {
	local waited=0 b0 b1 busy
	while :; do
		b0=$(busy_ticks)
		sleep 0.5
		b1=$(busy_ticks)
		busy=$(awk -v d="$((b1 - b0))" -v hz="$HZ" 'BEGIN {printf "%.2f", d / hz / 0.5}')
		if awk -v b="$busy" 'BEGIN {exit !(b < 0.25)}' || [ "$waited" -ge 60 ]; then
			break
		fi
		[ "$waited" -eq 0 ] && log "  the CPUs are busy ($busy cores used by others): waiting"
		sleep 5
		waited=$((waited + 5))
	done
}

# measure KEY CORPUS TOOL UNIT COUNT PREP POST -- command...
#   UNIT MB (COUNT bytes) or files (COUNT files); PREP/POST: commands run around each
#   repetition (POST failing marks the run failed); the command's stdout goes to $R/out.KEY
measure() {
	local key=$1 corpus=$2 tool=$3 unit=$4 count=$5 prep=$6 post=$7
	shift 8
	local secs=() maxrss=0 ok=1 i rc s m u k b0 b1 other maxother=0
	for ((i = 1; i <= reps; i++)); do
		if [ -n "$prep" ]; then eval "$prep"; fi
		sync
		wait_quiet
		log "timing: $corpus / $tool ($i/$reps)"
		rc=0
		RUN_NOTE=""
		b0=$(busy_ticks)
		/usr/bin/time -f '%e %M %U %S' -o "$R/time.out" "$@" >"$R/out.$key" 2>"$R/err.$key" || rc=$?
		b1=$(busy_ticks)
		read -r s m u k < <(tail -n 1 "$R/time.out")
		# CPU the rest of the machine used meanwhile, in cores (kernel writeback counts too)
		other=$(awk -v d="$((b1 - b0))" -v hz="$HZ" -v u="$u" -v k="$k" -v e="$s" 'BEGIN {
			o = e > 0 ? (d / hz - u - k) / e : 0; printf "%.2f", o < 0 ? 0 : o }')
		if awk -v o="$other" -v x="$maxother" 'BEGIN {exit !(o > x)}'; then maxother=$other; fi
		if [ "$rc" -ne 0 ]; then
			log "  exit $rc: $(grep -v '^Command exited' "$R/err.$key" | tail -n 3 | tr '\n' ' ')"
		fi
		if [ -n "$post" ]; then   # POST judges the run
			eval "$post" || ok=0
		elif [ "$rc" -ne 0 ]; then
			ok=0
		fi
		if [ -n "$RUN_NOTE" ] && ! grep -qxF "$corpus / $tool: $RUN_NOTE" "$notes"; then
			echo "$corpus / $tool: $RUN_NOTE" >>"$notes"
		fi
		secs+=("$s")
		[ "$m" -gt "$maxrss" ] && maxrss=$m
		log "  ${s} s, ${m} KiB, user ${u} s, sys ${k} s, others ${other} cores"
	done
	s=$(printf '%s\n' "${secs[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	SEC[$key]=$s
	RSS[$key]=$maxrss
	OK[$key]=$ok
	local rate
	rate=$(awk -v c="$count" -v s="$s" -v u="$unit" 'BEGIN {
		if (s <= 0 || c <= 0) { print "-"; exit }
		if (u == "MB") printf "%.0f MB/s", c / 1e6 / s; else printf "%.0f files/s", c / s }')
	local note=""
	if [ "$reps" -gt 1 ]; then
		note=$(printf '%s\n' "${secs[@]}" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "(%s-%s s)", lo, hi}')
	fi
	[ "$ok" -eq 1 ] || note="FAILED $note"
	printf '%s\t%s\t%s\t%s\t%.1f\t%s\t%s\n' "$corpus" "$tool" "$s" "$rate" \
		"$(awk -v k="$maxrss" 'BEGIN {print k / 1024}')" "$maxother" "$note" >>"$rows"
}

# after a dalil ingest: every item recorded, and the source complete, or incomplete
# only because some member had a problem (noted under the table; dalil then exits 1)
check_ingest() { # KEY MIN-ITEMS
	local st items
	st=$(jq -r '.status // "none"' "$R/out.$1" 2>/dev/null || echo none)
	items=$(jq -r '.items_added // 0' "$R/out.$1" 2>/dev/null || echo 0)
	if [ "$items" -lt "$2" ] || { [ "$st" != complete ] && [ "$st" != incomplete ]; }; then
		log "  ingest $1: status $st, $items items (expected complete, >= $2 items)"
		return 1
	fi
	if [ "$st" = incomplete ]; then
		RUN_NOTE="source recorded as incomplete (dalil exits 1): $(jq -r '.status_reason // ""' "$R/out.$1")"
	fi
}

BIG_TAR_BYTES=$(size_of "$BIG_TAR")

# the large-file corpus
measure md5 "$big_label tar" "openssl dgst -md5" MB "$BIG_TAR_BYTES" "warm_file '$BIG_TAR'" "" -- \
	openssl dgst -md5 "$BIG_TAR"

# shellcheck disable=SC2016
measure cp "$big_label tar" "cp + sync" MB "$BIG_TAR_BYTES" "rm -f '$R/copy.tar'; sync; warm_file '$BIG_TAR'" \
	"rm -f '$R/copy.tar'" -- sh -c 'cp "$1" "$2" && sync' sh "$BIG_TAR" "$R/copy.tar"

measure hd_big "$big_label files" "hashdeep -c md5,sha1,sha256 -r" MB "$big_files_bytes" "warm_dir '$BIG_SRC'" "" -- \
	hashdeep -c md5,sha1,sha256 -r "$BIG_SRC/big"

measure login "-" "dalil login only (case list)" MB 0 "fresh_store login" "" -- \
	env "DALIL_STORE=$(store_of login)" "DALIL_PASSWORD=$PW" "$dalil" --user bench case list
dalil_keys+=(login)

nbig_items=$((big_files_n + 1))
for f in tar tar.gz zip; do
	src=$C/big/big.$f
	key=big_${f//./_}
	measure "$key" "$big_label $f" "dalil ingest --in-place" MB "$(size_of "$src")" \
		"fresh_store $key; warm_file '$src'" "check_ingest $key $nbig_items" -- \
		env "DALIL_STORE=$(store_of "$key")" "DALIL_PASSWORD=$PW" "$dalil" --user bench --json ingest "$CASE" "$src" --in-place
	dalil_keys+=("$key")
	rm -rf "$(store_of "$key")"
done
measure big_kept "$big_label tar" "dalil ingest (kept copy)" MB "$BIG_TAR_BYTES" \
	"rm -rf '$(store_of big_kept)'; fresh_store big_kept; warm_file '$BIG_TAR'" "check_ingest big_kept $nbig_items" -- \
	env "DALIL_STORE=$(store_of big_kept)" "DALIL_PASSWORD=$PW" "$dalil" --user bench --json ingest "$CASE" "$BIG_TAR"
dalil_keys+=(big_kept)
rm -rf "$(store_of big_kept)"

# the small-file corpus
label_small="$((nsmall / 1000))k files"
measure hd_small "$label_small" "hashdeep -c md5,sha1,sha256 -r" files "$nsmall" "warm_dir '$SMALL_SRC'" "" -- \
	hashdeep -c md5,sha1,sha256 -r "$SMALL_SRC/small"

# shellcheck disable=SC2016
measure filemime "$label_small" "file --mime-type (find|xargs, 1 stream)" files "$nsmall" \
	"warm_dir '$SMALL_SRC'" "" -- \
	sh -c 'cd "$1" && find small -type f -print0 | xargs -0 file --mime-type' sh "$SMALL_SRC"
# "small/d000/f000000.txt:   text/plain" -> path TAB mime (the same type as file --mime-type -b)
sed -E 's/:[[:space:]]+/\t/' "$R/out.filemime" | LC_ALL=C sort >"$R/mime-file.tsv"

declare -A AGREE
agreement() { # KEY: dalil's MIME per path against file's
	local st id
	st=$(store_of "$1")
	id=$(jq -r '.id' "$R/out.$1")
	DALIL_STORE=$st DALIL_PASSWORD=$PW "$dalil" --user bench --json items "$CASE" --source "$id" |
		jq -r '.[] | select(.is_dir | not) | [.path, (.mime // "-")] | @tsv' |
		LC_ALL=C sort >"$R/mime-dalil-$1.tsv"
	LC_ALL=C join -t $'\t' -a 1 -e '(missing)' -o 0,1.2,2.2 "$R/mime-file.tsv" "$R/mime-dalil-$1.tsv" >"$R/mime-join-$1.tsv"
	AGREE[$1]=$(awk -F'\t' '{n++; if ($2 == $3) s++} END {printf "%.2f", n ? 100 * s / n : 0}' "$R/mime-join-$1.tsv")
	awk -F'\t' '$2 != $3 {d["file " $2 " / dalil " $3]++} END {for (k in d) print d[k] "\t" k}' \
		"$R/mime-join-$1.tsv" | sort -rn | head -n 8 >"$R/mime-diff-$1.txt"
}

for f in zip tar; do
	src=$C/small/small.$f
	key=small_$f
	measure "$key" "$label_small $f" "dalil ingest --in-place" files "$nsmall" \
		"fresh_store $key; warm_file '$src'" "check_ingest $key $nsmall" -- \
		env "DALIL_STORE=$(store_of "$key")" "DALIL_PASSWORD=$PW" "$dalil" --user bench --json ingest "$CASE" "$src" --in-place
	dalil_keys+=("$key")
	if [ "${OK[$key]}" -eq 1 ]; then agreement "$key"; else AGREE[$key]=0; fi   # of the last run
	rm -rf "$(store_of "$key")"
done

# ---- report ----
{
	echo "dalil ingest benchmark ($mode corpus, $reps run(s) each, median seconds, page cache warm)"
	echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "nproc:    $(nproc)  ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "dalil:    $("$dalil" --version) ($dalil_orig, $built_from)"
	libs=$(jq -r '.libraries // empty' "$R/out.big_tar" 2>/dev/null || true)
	echo "          ${libs:-?}"
	echo "tools:    $(hashdeep -V 2>&1 | head -n 1 | sed 's/^/hashdeep /'), $openssl_version, $(file --version | head -n 1), $(bsdtar --version | cut -d' ' -f1-2)"
	echo "corpora:  big: $big_files_n files, $big_files_bytes bytes; tar $BIG_TAR_BYTES, tar.gz $(size_of "$C/big/big.tar.gz"), zip $(size_of "$C/big/big.zip")"
	echo "          small: $nsmall files in $nfold folders, $small_files_bytes bytes; tar $(size_of "$C/small/small.tar"), zip $(size_of "$C/small/small.zip")"
	echo "          in $C"
	echo
	printf '%-14s %-40s %8s %14s %8s %7s\n' corpus tool seconds rate "RSS MiB" others
	printf '%-14s %-40s %8s %14s %8s %7s\n' -------------- ---------------------------------------- \
		-------- -------------- -------- -------
	while IFS=$'\t' read -r corpus tool s rate rss other note; do
		printf '%-14s %-40s %8s %14s %8s %7s %s\n' "$corpus" "$tool" "$s" "$rate" "$rss" "$other" "$note"
	done <"$rows"
	echo "seconds: median; RSS: peak resident set, highest run; others: CPU cores used meanwhile"
	echo "by the rest of the machine (highest run; kernel writeback counts), (a-b s): fastest-slowest"
	busy_rows=$(awk -F'\t' '$3 >= 1 && $6 > 0.25 {printf "%s%s / %s", n++ ? "; " : "", $1, $2}' "$rows")
	if [ -n "$busy_rows" ]; then
		echo "warning: other processes took CPU during: $busy_rows"
	fi
	if [ -s "$notes" ]; then
		echo
		sed 's/^/note: /' "$notes"
	fi
	echo
	echo "file --mime-type ran as one stream (find -print0 | xargs -0 file), so on one core;"
	echo "hashdeep used its default thread count (one per core)."
	echo
	for key in small_zip small_tar; do
		echo "MIME agreement, dalil ($key) vs file --mime-type -b: ${AGREE[$key]}% of $nsmall files"
		if [ -s "$R/mime-diff-$key.txt" ]; then
			sed 's/^/    /' "$R/mime-diff-$key.txt"
		fi
	done
	echo
	echo "targets:"
	verdict() { # NAME VALUE OP LIMIT OK-FLAG DETAIL
		local pass
		pass=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {
			if (op == ">=") print (v >= l) ? 1 : 0; else print (v < l) ? 1 : 0 }')
		[ "$5" -eq 1 ] || pass=0
		printf '  %-4s %-58s %s\n' "$([ "$pass" -eq 1 ] && echo PASS || echo MISS)" "$1" "$6"
	}
	r=$(awk -v a="${SEC[md5]}" -v b="${SEC[big_tar]}" 'BEGIN {printf "%.2f", a / b}')
	verdict "in-place .tar ingest >= 0.90x openssl MD5 rate" "$r" ">=" 0.90 "${OK[big_tar]}" "${r}x"
	r=$(awk -v t="$BIG_TAR_BYTES" -v ts="${SEC[big_tar]}" -v h="$big_files_bytes" -v hs="${SEC[hd_big]}" \
		'BEGIN {printf "%.2f", (t / ts) / (h / hs)}')
	verdict "in-place .tar ingest >= 1.8x hashdeep (MB/s)" "$r" ">=" 1.8 "${OK[big_tar]}" "${r}x"
	r=$(awk -v a="${SEC[filemime]}" -v b="${SEC[small_zip]}" 'BEGIN {printf "%.2f", a / b}')
	verdict "$label_small .zip >= 1.5x files/s of file --mime-type" "$r" ">=" 1.5 "${OK[small_zip]}" "${r}x"
	verdict "$label_small .zip MIME same as file >= 99%" "${AGREE[small_zip]}" ">=" 99 "${OK[small_zip]}" "${AGREE[small_zip]}%"
	r=$(awk -v a="${SEC[cp]}" -v b="${SEC[big_kept]}" 'BEGIN {printf "%.2f", a / b}')
	verdict "kept-copy .tar ingest >= 0.9x cp+sync rate" "$r" ">=" 0.9 "${OK[big_kept]}" \
		"${r}x (${SEC[big_kept]} s vs limit $(awk -v a="${SEC[cp]}" 'BEGIN {printf "%.2f", a / 0.9}') s)"
	if awk -v c="${SEC[cp]}" -v m="${SEC[md5]}" 'BEGIN {exit !(c < m)}'; then
		echo "       (cp + sync is faster here than one core's MD5: a kept copy that is hashed is"
		echo "        bound by MD5 first, ${SEC[md5]} s, unless the disk is slower)"
	fi
	maxk=""
	maxr=0
	allok=1
	for k in "${dalil_keys[@]}"; do
		[ "${OK[$k]}" -eq 1 ] || allok=0
		if [ "${RSS[$k]}" -gt "$maxr" ]; then maxr=${RSS[$k]}; maxk=$k; fi
	done
	verdict "peak RSS < 64 MiB for every dalil run" "$maxr" "<" 65536 "$allok" \
		"max $(awk -v k="$maxr" 'BEGIN {printf "%.1f", k / 1024}') MiB ($maxk)"
} | tee "$results"

log "results also in $results"
if [ "$keep" -eq 1 ]; then
	log "corpora kept in $C"
fi
