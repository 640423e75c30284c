#!/usr/bin/env bash
# Runs a program built for a device target under QEMU user-mode emulation, with the
# target's Debian sysroot for its shared C and C++ libraries (tools/setup.sh installs both).
#
#   run_under_qemu.sh [--host HOST_PROGRAM --kernels NAME] CPU PROGRAM [ARGS...]
#
# Without --host: runs PROGRAM ARGS under QEMU. With --host (golden parity,
# golden_outputs.cc): runs HOST_PROGRAM --write GOLDEN ARGS on the host, then
# PROGRAM --check GOLDEN --kernels NAME ARGS under QEMU (NAME: the SIMD path it must run).
set -euo pipefail

host="" kernels=""
if [ "${1:-}" = "--host" ]; then host=$2 kernels=$4; shift 4; fi
cpu=$1 program=$2
shift 2

case "$cpu" in
  aarch64) qemu=qemu-aarch64 sysroot=/usr/aarch64-linux-gnu ;;
  armhf) qemu=qemu-arm sysroot=/usr/arm-linux-gnueabihf ;;
  *) echo "run_under_qemu: unknown cpu '$cpu'" >&2; exit 2 ;;
esac
if ! command -v "$qemu" >/dev/null 2>&1 || [ ! -d "$sysroot" ]; then
  echo "run_under_qemu: $qemu or $sysroot missing; run tools/setup.sh" >&2
  exit 1
fi
echo "running $program on $cpu under $qemu"

if [ -z "$host" ]; then
  exec "$qemu" -L "$sysroot" "$program" "$@"
fi
golden="${TEST_TMPDIR:-$(mktemp -d)}/golden.txt"
"$host" --write "$golden" "$@" >/dev/null
exec "$qemu" -L "$sysroot" "$program" --check "$golden" --kernels "$kernels" "$@"
