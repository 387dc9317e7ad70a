#!/usr/bin/env bash
# Run a libFuzzer harness (tests/fuzz, docs/fuzzing.md) for a bounded time.
# Usage: scripts/fuzz.sh NAME SECONDS     NAME: validate extract walk hashset bundle unpack
#        scripts/fuzz.sh all SECONDS      each harness in turn, SECONDS each
# Builds build-fuzz (clang, -DDALIL_FUZZ=ON) when needed and the seed corpora
# (tests/fuzz/seeds.sh, with build/dalil for the bundle seed) when missing.
# The working corpus grows in build-fuzz/corpus/NAME; crashes are written to
# build-fuzz/crashes/NAME/ and make this script exit 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
names=(validate extract walk hashset bundle unpack)
usage() { echo "usage: scripts/fuzz.sh NAME|all SECONDS  (NAME: ${names[*]})" >&2; exit 2; }
[ $# -eq 2 ] || usage
what=$1 secs=$2
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || usage
if [ "$what" = all ]; then
  run=("${names[@]}")
else
  case " ${names[*]} " in *" $what "*) run=("$what") ;; *) usage ;; esac
fi
command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 1; }

fz=$root/build-fuzz
CC=clang cmake -S "$root" -B "$fz" -DDALIL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$fz" -j"$(nproc)" >/dev/null

seeds=$fz/seeds
if [ ! -d "$seeds/unpack" ] || [ -z "$(ls -A "$seeds/unpack" 2>/dev/null)" ]; then
  [ -x "$root/build/dalil" ] || "$root/scripts/build" build >/dev/null
  rm -rf "$seeds"
  "$root/tests/fuzz/seeds.sh" "$seeds" "$root/build/dalil" >/dev/null
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LANGUAGE= LC_ALL=C.UTF-8
status=0
for name in "${run[@]}"; do
  corpus=$fz/corpus/$name crashes=$fz/crashes/$name
  mkdir -p "$corpus" "$crashes"
  log=$fz/fuzz-$name.log
  # One process, bounded by time; inputs up to 64 KiB (the archive and
  # bundle seeds are smaller). Exit status is libFuzzer's: nonzero on a crash.
  if "$fz/tests/fuzz/fuzz_$name" "$corpus" "$seeds/$name" -max_total_time="$secs" \
      -max_len=65536 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$crashes/" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $name: ${secs}s, ${execs:-?} executions, no crash"
  else
    echo "fuzz $name: CRASH (log $log, input in $crashes/)" >&2
    grep -E "^==[0-9]+==ERROR|runtime error|SUMMARY|abort" "$log" | head -5 >&2 || true
    status=1
  fi
done
exit $status
