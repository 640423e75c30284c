#!/usr/bin/env bash
# Builds a fuzz target with clang's libFuzzer + ASan + UBSan (directly, not through
# Bazel) and runs it for SECONDS. Crashes are written to the work directory and fail the
# script.
#
#   tools/fuzz/run_fuzz.sh [rnl|csv] [SECONDS=300] [WORKDIR=${TMPDIR:-/tmp}/runnel-fuzz-TARGET] [libFuzzer flags...]
#
#   rnl (default): the .rnl reader, seeded with testdata/models and testdata/malformed.
#   csv: the event-log CSV reader, seeded with the head of testdata/events_curl.csv and
#        small hand-written malformed logs.
#
# A crash in the rnl target leaves WORKDIR/artifacts/crash-*; replay it under Bazel with
#   bazel run --config=asan //tools/fuzz:replay -- WORKDIR/artifacts/crash-...
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
target=rnl
if [[ "${1:-}" == rnl || "${1:-}" == csv ]]; then target=$1; shift; fi
seconds=${1:-300}
work=${2:-${TMPDIR:-/tmp}/runnel-fuzz-$target}
shift $(( $# < 2 ? $# : 2 ))
clang=$(command -v clang++-14 || command -v clang++)

mkdir -p "$work/corpus" "$work/artifacts"
flags=(-std=c++17 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=undefined -I"$root")
echo "run_fuzz: building $work/fuzz_$target with $clang"
case $target in
  rnl)
    "$clang" "${flags[@]}" "$root/tools/fuzz/fuzz_rnl_reader.cc" \
      "$root/engine/format/rnl_reader.cc" "$root/engine/format/op_rules.cc" -o "$work/fuzz_rnl"
    cp -n "$root"/testdata/models/*.rnl "$root"/testdata/malformed/*.rnl "$work/corpus/" 2>/dev/null || true
    max_len=65536
    ;;
  csv)
    "$clang" "${flags[@]}" "$root/tools/fuzz/fuzz_csv_reader.cc" \
      "$root/trainer/data/csv_reader.cc" "$root/trainer/data/event_log.cc" -o "$work/fuzz_csv"
    head -n 200 "$root/testdata/events_curl.csv" > "$work/corpus/curl_head.csv"
    printf 'entity,time,event_type,location,n_files\n1,10,M,lib,3\n1,5,"A""M",src,\n2,x,M,lib,1\n' \
      > "$work/corpus/malformed.csv"
    printf 'entity,time,event_type,location,n_files\r\n1,1,"M\r\nR",lib,1e400\r\n' > "$work/corpus/quotes_crlf.csv"
    max_len=16384
    ;;
esac

echo "run_fuzz: fuzzing $target for ${seconds}s, corpus $work/corpus"
cd "$work"
"./fuzz_$target" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
