#!/usr/bin/env bash
# Replays the golden .rnl files through the fuzz target; any crash fails the test.
set -eu
replay="$1"; shift
files=()
for f in "$@"; do case "$f" in *.rnl) files+=("$f") ;; esac; done
exec "$replay" "${files[@]}"
