#!/usr/bin/env bash
# Builds a fuzz target with clang's libFuzzer + ASan + UBSan (directly, not through
# Bazel) and runs it for SECONDS. Crashes are written to the work directory and fail the
# script.
#
#   tools/fuzz/run_fuzz.sh [rnl|csv|c_api] [SECONDS=300] [WORKDIR=${TMPDIR:-/tmp}/runnel-fuzz-TARGET] [libFuzzer flags...]
#
#   rnl (default): the .rnl reader, seeded with testdata/models and testdata/malformed.
#   csv: the event-log CSV reader, seeded with the head of testdata/events_curl.csv and
#        small hand-written malformed logs.
#   c_api: C API call sequences (load/init/step/copy/reset...) over the sample models,
#        seeded with testdata/fuzz_c_api (tools/fuzz/make_c_api_seeds.py). Builds the
#        whole engine, so it takes a few minutes before fuzzing starts.
#
# A crash in the rnl target leaves WORKDIR/artifacts/crash-*; replay it under Bazel with
#   bazel run --config=asan //tools/fuzz:replay -- WORKDIR/artifacts/crash-...
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
target=rnl
if [[ "${1:-}" == rnl || "${1:-}" == csv || "${1:-}" == c_api ]]; then target=$1; shift; fi
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
  c_api)
    # The engine's flags as engine/CMakeLists.txt gives them for the host: AVX2/FMA
    # everywhere, AVX-512 only in the units the runtime dispatch guards.
    host=(-mavx2 -mfma)
    avx512=(-mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl)
    # The AVX-512 units are built plain (-O2, no sanitizer, no coverage): instrumenting their
    # fully unrolled kernels takes over ten minutes; their memory accesses stay within
    # buffers the instrumented layers hand them, and `bazel test --config=asan` covers them.
    nolink=(-std=c++17 -g0 -O2 -I"$root" "${host[@]}" "${avx512[@]}" -c)
    "$clang" "${nolink[@]}" "$root/engine/kernels/kernels_avx512.cc" -o "$work/avx512.o"
    "$clang" "${nolink[@]}" -mavx512vnni -DRUNNEL_VNNI_UNIT=1 "$root/engine/kernels/kernels_avx512.cc" \
      -o "$work/avx512_vnni.o"
    "$clang" "${nolink[@]}" "$root/engine/layers/support/cell_tiles_avx512.cc" -o "$work/cell_tiles_avx512.o"
    engine=("$root"/engine/{c_api/runnel_c,format/op_rules,format/rnl_reader,kernels/isa,kernels/kernels}.cc
            "$root"/engine/layers/*.cc "$root"/engine/{model,numeric_input,session}.cc)
    "$clang" "${flags[@]}" "${host[@]}" "$root/tools/fuzz/fuzz_c_api.cc" "$root/tools/testdata/sample_models.cc" \
      "$root/trainer/export/rnl_writer.cc" "$root/trainer/io/atomic_file.cc" "${engine[@]}" \
      "$work/avx512.o" "$work/avx512_vnni.o" "$work/cell_tiles_avx512.o" -o "$work/fuzz_c_api"
    cp -n "$root"/testdata/fuzz_c_api/*.bin "$work/corpus/" 2>/dev/null || true
    max_len=4096
    ;;
esac

echo "run_fuzz: fuzzing $target for ${seconds}s, corpus $work/corpus"
cd "$work"
"./fuzz_$target" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
