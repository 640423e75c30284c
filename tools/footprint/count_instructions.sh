#!/usr/bin/env bash
# Instructions per event of a cross-built program under QEMU user-mode emulation, counted,
# not timed: QEMU runs one instruction per translation block (-singlestep) and logs
# each block it executes (-d nochain,exec), so the log's lines are the instructions
# executed. The program (examples/cortex_m4's stream_host) runs twice, with N events and
# with 1, and the difference over N - 1 is the cost of one event without the set-up.
#
#   count_instructions.sh QEMU SYSROOT STREAM_HOST model.rnl N
#   e.g. count_instructions.sh qemu-aarch64 /usr/aarch64-linux-gnu neon/stream_host m.rnl 20
#
# Slow (every instruction is logged): keep N small. docs/DEVICES.md has the recipe
# comparing NEON with scalar kernels on aarch64.
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: count_instructions.sh QEMU SYSROOT STREAM_HOST model.rnl N" >&2; exit 2; }
qemu=$1 sysroot=$2 program=$3 model=$4 n=$5
[ "$n" -gt 1 ] 2>/dev/null || { echo "N must be an integer > 1, not '$n'" >&2; exit 2; }
count() {  # instructions of `program model events quiet`
  "$qemu" -L "$sysroot" -singlestep -d nochain,exec "$program" "$model" "$1" quiet 2>&1 >/dev/null |
    grep -c '^Trace '
}
many=$(count "$n")
one=$(count 1)
echo "$program: $many instructions for $n events, $one for 1: $(( (many - one) / (n - 1) )) per event"
