#!/usr/bin/env bash
# `bazel run //tools/footprint:cortex_m4 -- model.rnl`: runs cortex_m4_footprint.sh from the
# runfiles tree (the engine and example sources, the runnel binary built by Bazel).
set -euo pipefail
runfiles="${RUNFILES_DIR:-$0.runfiles}/${TEST_WORKSPACE:-runnel}"
[ -d "$runfiles" ] || runfiles=$(cd "$(dirname "$0")" && pwd)
cd "${BUILD_WORKING_DIRECTORY:-.}"
RUNNEL="$runfiles/tools/runnel" RUNNEL_ROOT="$runfiles" exec "$runfiles/tools/footprint/cortex_m4_footprint.sh" "$@"
