#!/usr/bin/env bash
# runnel inspect on the golden models (exit 0, full listing) and on malformed files
# (exit 1, not a signal, exactly one "runnel: error: FILE: kStatus: message" line).
set -u
runnel="$1"; shift
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_ok() {
  local out
  out=$("$runnel" inspect "$1" 2>&1); local rc=$?
  [ "$rc" -eq 0 ] || fail "$1: exit $rc"
  for section in "header: version 2" "graph (" "tensors (" "vocabularies (" "input columns (" "heads (" "head=" \
      "total: "; do
    grep -qF "$section" <<<"$out" || fail "$1: no '$section' in output"
  done
  # Hyper-parameters by name, never as raw hpK=.
  grep -qE "hp[0-9]=" <<<"$out" && fail "$1: raw hp names in output"
}

# $2: what follows "FILE: " (default: a status name and its message).
expect_error() {
  local file="$1" pattern="${2:-k[A-Za-z]+: .+}" err rc
  err=$("$runnel" inspect "$file" 2>&1 >/dev/null); rc=$?
  [ "$rc" -ge 128 ] && fail "$file: killed by signal $((rc - 128))"
  [ "$rc" -eq 1 ] || fail "$file: exit $rc, want 1"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$file: stderr is not one line: $err"
  grep -qE "^runnel: error: $file: $pattern\$" <<<"$err" || fail "$file: bad message: $err"
}

models=0; malformed=0
for f in "$@"; do
  case "$f" in
    *models/*.rnl) expect_ok "$f"; models=$((models + 1)) ;;
    *malformed/*.rnl) expect_error "$f"; malformed=$((malformed + 1)) ;;
  esac
done
[ "$models" -ge 2 ] || fail "only $models models given"
[ "$malformed" -ge 20 ] || fail "only $malformed malformed files given"

# Corrupted variants made here: every 97th truncation, and flipped bytes, of one model.
model=$(printf '%s\n' "$@" | grep 'models/.*\.rnl$' | head -1)
tmp="${TEST_TMPDIR:-/tmp}/inspect_cli_test"; mkdir -p "$tmp"
size=$(wc -c <"$model")
for ((n = 0; n < size; n += 97)); do
  head -c "$n" "$model" >"$tmp/cut.rnl"
  expect_error "$tmp/cut.rnl"
done
for offset in 0 5 70 200 1000 $((size - 1)); do
  cp "$model" "$tmp/flip.rnl"
  printf '\xff' | dd of="$tmp/flip.rnl" bs=1 seek="$offset" conv=notrunc status=none
  expect_error "$tmp/flip.rnl"
done
expect_error "$tmp/does-not-exist.rnl" "cannot open: .+"

"$runnel" --help >/dev/null || fail "runnel --help"
"$runnel" inspect --help >/dev/null || fail "runnel inspect --help"

if [ "$failures" -eq 0 ]; then echo "inspect_cli_test: all checks passed"; else echo "$failures failures"; exit 1; fi
