#!/usr/bin/env bash
# Builds the .rnl reader fuzzer with clang's libFuzzer + ASan + UBSan (directly, not
# through Bazel) and runs it for SECONDS, seeded with testdata/models and
# testdata/malformed. Crashes are written to the work directory and fail the script.
#
#   tools/fuzz/run_fuzz.sh [SECONDS=300] [WORKDIR=${TMPDIR:-/tmp}/runnel-fuzz] [libFuzzer flags...]
#
# A crash leaves WORKDIR/artifacts/crash-*; replay it under Bazel with
#   bazel run --config=asan //tools/fuzz:replay -- WORKDIR/artifacts/crash-...
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-300}
work=${2:-${TMPDIR:-/tmp}/runnel-fuzz}
shift $(( $# < 2 ? $# : 2 ))
clang=$(command -v clang++-14 || command -v clang++)

mkdir -p "$work/corpus" "$work/artifacts"
echo "run_fuzz: building $work/fuzz_rnl_reader with $clang"
"$clang" -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root" \
  "$root/tools/fuzz/fuzz_rnl_reader.cc" \
  "$root/engine/format/rnl_reader.cc" \
  "$root/engine/format/op_rules.cc" \
  -o "$work/fuzz_rnl_reader"

cp -n "$root"/testdata/models/*.rnl "$root"/testdata/malformed/*.rnl "$work/corpus/" 2>/dev/null || true
echo "run_fuzz: fuzzing for ${seconds}s, corpus $work/corpus"
cd "$work"
./fuzz_rnl_reader -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
