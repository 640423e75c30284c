#!/usr/bin/env bash
# examples/cortex_m4 end to end, as a firmware engineer builds it, through `runnel
# footprint` (tools/footprint/cortex_m4_footprint.sh): `runnel embed` writes each testdata model as a C
# array, CMake builds the firmware with arm-none-eabi-gcc and only the model's ops
# (engine/CMakeLists.txt, RUNNEL_OP_MASK), qemu-system-arm runs it on an emulated
# Cortex-M4F (mps2-an386, semihosting, -icount). Its outputs are compared with the same
# streaming on the host engine (stream_host) within 1e-5; the footprint (RAM, stack,
# instructions per event, flash by component, worst-case stack) is printed.
#
#   cortex_m4_example_test.sh RUNNEL STREAM_HOST COMPARE model.rnl...
set -euo pipefail
runnel=$1 stream_host=$2 compare=$3
shift 3
work="${TEST_TMPDIR:-$(mktemp -d)}/cortex_m4"
rm -rf "$work"; mkdir -p "$work"
failures=0
# A target footprint does not know is a usage error, not a build.
if "$runnel" footprint --target cortex-m0 "$1" >"$work/bad_target.txt" 2>&1 ||
   ! grep -q "not a target footprint knows" "$work/bad_target.txt"; then
  echo "footprint --target cortex-m0 was not refused:"; cat "$work/bad_target.txt"; failures=$((failures + 1))
fi
for model in "$@"; do
  name=$(basename "$model" .rnl)
  echo "== $name"
  if ! "$runnel" footprint --work "$work/$name" "$model"; then
    failures=$((failures + 1)); continue
  fi
  "$stream_host" "$model" 50 >"$work/$name.host"
  python3 "$compare" "$work/$name/outputs.txt" "$work/$name.host" 1e-5 || failures=$((failures + 1))
done
[ "$failures" -eq 0 ] && echo PASS || { echo "$failures model(s) failed"; exit 1; }
