#!/usr/bin/env bash
# Installs, from Debian packages, everything runnel's build, tests and tools need.
# Idempotent: when every package is already present it only checks and exits.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap          # Bazel 4.2.3 (WORKSPACE era, works offline with third_party/ stand-ins)
  g++ clang libclang-rt-14-dev  # compilers; clang + runtime for libFuzzer and sanitizers
  libxtensor-dev xtl-dev libxsimd-dev libxtensor-blas-dev libopenblas-dev
  libtbb-dev libboost-test-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev
  python3 python3-torch python3-numpy   # the PyTorch peer for side-by-side benchmarks
  gnuplot-nox              # training-curve plots
  # device targets (tools/toolchains, tests/device, examples/cortex_m4; docs/DEVICES.md)
  g++-aarch64-linux-gnu g++-arm-linux-gnueabihf     # Arm Linux cross compilers + sysroots
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib  # Cortex-M
  qemu-user qemu-system-arm cmake                    # emulation; CMake for firmware builds
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: apt-get not found; install these Debian packages by hand: ${missing[*]}" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: must run as root (or with sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "setup: apt-get failed (log above)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "setup: done"
