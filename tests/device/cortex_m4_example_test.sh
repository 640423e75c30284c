#!/usr/bin/env bash
# examples/cortex_m4 end to end, as a firmware engineer builds it: `runnel embed` writes
# each testdata model as a C array, CMake builds the firmware with arm-none-eabi-gcc
# (engine/CMakeLists.txt), qemu-system-arm runs it on an emulated Cortex-M4F
# (mps2-an386, semihosting, -icount), and its outputs are compared with the same
# streaming on the host engine (stream_host) within 1e-5. Prints the firmware's RAM,
# stack and instructions per event, the flash by component (map_sizes.py) and the
# engine's worst-case stack from the call graph (stack_depth.py).
#
#   cortex_m4_example_test.sh RUNNEL STREAM_HOST MAP_SIZES STACK_DEPTH COMPARE model.rnl...
set -euo pipefail
runnel=$1 stream_host=$2 map_sizes=$3 stack_depth=$4 compare=$5
shift 5
for tool in cmake arm-none-eabi-gcc qemu-system-arm python3; do
  command -v "$tool" >/dev/null || { echo "$tool missing: run tools/setup.sh" >&2; exit 1; }
done
root=$(pwd)  # the runfiles tree: examples/, engine/
work="${TEST_TMPDIR:-$(mktemp -d)}/cortex_m4"
rm -rf "$work"; mkdir -p "$work"
failures=0
for model in "$@"; do
  name=$(basename "$model" .rnl)
  echo "== $name"
  "$runnel" embed "$model" --out "$work/$name.c" >/dev/null
  cmake -S "$root/examples/cortex_m4" -B "$work/build" -DCMAKE_TOOLCHAIN_FILE="$root/examples/cortex_m4/arm-none-eabi.cmake" \
        -DMODEL_DATA="$work/$name.c" >"$work/cmake.log" 2>&1 || { tail -20 "$work/cmake.log"; exit 1; }
  cmake --build "$work/build" -j 2 >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
  timeout 300 qemu-system-arm -M mps2-an386 -nographic -semihosting -icount shift=0 \
      -kernel "$work/build/firmware.elf" >"$work/$name.device" 2>&1 || { echo "firmware failed:"; tail -5 "$work/$name.device"; failures=$((failures + 1)); continue; }
  "$stream_host" "$model" 50 >"$work/$name.host"
  python3 "$compare" "$work/$name.device" "$work/$name.host" 1e-5 || failures=$((failures + 1))
  grep -v '^event ' "$work/$name.device"
  python3 "$map_sizes" "$work/build/firmware.map"
done
python3 "$stack_depth" "$work/build/runnel_engine"
[ "$failures" -eq 0 ] && echo PASS || { echo "$failures model(s) failed"; exit 1; }
