#!/usr/bin/env bash
# What a model costs on a Cortex-M4F, measured, not estimated: embeds the model
# (`runnel embed`), builds examples/cortex_m4 with arm-none-eabi-gcc and the model's op
# mask (only its layers linked), runs the firmware under qemu-system-arm (mps2-an386,
# semihosting, -icount) and prints
#   - RAM the engine was handed: model object, session object, session, scratch (from the
#     firmware), and the deepest stack it saw;
#   - flash by component (map_sizes.py: engine, libm, libgcc, libc, the model array);
#   - the engine's worst-case stack from the call graph (stack_depth.py, -fstack-usage);
#   - instructions per event (QEMU -icount, an estimate of cycles).
#
#   tools/footprint/cortex_m4_footprint.sh [--work DIR] [--max-nodes N] [--arena BYTES] model.rnl
#   bazel run //tools:runnel -- footprint model.rnl      (sets RUNNEL and RUNNEL_ROOT)
#
# The firmware's event outputs are left in DIR/outputs.txt (the example test compares them
# with the host engine's). Needs tools/setup.sh (cross compiler, newlib, QEMU, CMake).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${RUNNEL_ROOT:-$(cd "$here/../.." && pwd)}   # the tree holding examples/ and engine/
runnel=${RUNNEL:-}
work="" max_nodes="" arena=""
while [ $# -gt 1 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    --max-nodes) max_nodes=$2; shift 2 ;;
    --arena) arena=$2; shift 2 ;;
    *) echo "unknown option '$1' (usage: cortex_m4_footprint.sh [--work DIR] [--max-nodes N] [--arena BYTES] model.rnl)" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: cortex_m4_footprint.sh [--work DIR] [--max-nodes N] [--arena BYTES] model.rnl" >&2; exit 2; }
model=$1
[ -f "$model" ] || { echo "$model: no such file" >&2; exit 1; }
for tool in cmake arm-none-eabi-gcc qemu-system-arm python3; do
  command -v "$tool" >/dev/null || { echo "$tool missing: run tools/setup.sh" >&2; exit 1; }
done
[ -n "$runnel" ] || { echo "set RUNNEL to the runnel binary (runnel footprint does)" >&2; exit 1; }
work=${work:-$(mktemp -d)}
mkdir -p "$work"

"$runnel" embed "$model" --out "$work/model_data.c" | grep -E '^(ops: |RUNNEL_OP_MASK=)'
options=(-DCMAKE_TOOLCHAIN_FILE="$root/examples/cortex_m4/arm-none-eabi.cmake" -DMODEL_DATA="$work/model_data.c")
[ -z "$max_nodes" ] || options+=(-DRUNNEL_MAX_NODES="$max_nodes")
[ -z "$arena" ] || options+=(-DARENA_BYTES="$arena")
rm -rf "$work/build"
cmake -S "$root/examples/cortex_m4" -B "$work/build" "${options[@]}" >"$work/cmake.log" 2>&1 ||
  { tail -20 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" -j 2 >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }
timeout 600 qemu-system-arm -M mps2-an386 -nographic -semihosting -icount shift=0 \
    -kernel "$work/build/firmware.elf" >"$work/firmware.txt" 2>&1 ||
  { echo "firmware failed:" >&2; tail -5 "$work/firmware.txt" >&2; exit 1; }
grep '^event ' "$work/firmware.txt" >"$work/outputs.txt" || true
grep -v '^event ' "$work/firmware.txt"
python3 "$here/map_sizes.py" "$work/build/firmware.map"
python3 "$here/stack_depth.py" "$work/build/runnel_engine"
