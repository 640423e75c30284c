#!/usr/bin/env bash
# Issue 17: the CLI on hostile models and misuse. Every case must end with a message and a
# non-zero exit (never a crash, never a silent result) — or, for valid input, with the
# right numbers.
#   hostile_cli_test.sh RUNNEL TESTDATA_DIR
set -u
runnel="$1"; testdata="$2"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
tmp="${TEST_TMPDIR:-/tmp}/hostile_cli_test"; rm -rf "$tmp"; mkdir -p "$tmp"

# expect RC PATTERN CMD...: exit code RC and stderr matching PATTERN.
expect() {
  local want="$1" pattern="$2"; shift 2
  "$runnel" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  [ "$rc" -eq "$want" ] || fail "runnel $*: exit $rc, want $want: $(head -c 400 "$tmp/err")"
  grep -qE "$pattern" "$tmp/err" || fail "runnel $*: stderr '$(head -c 400 "$tmp/err")' does not match '$pattern'"
}

# Item 1: 524288 sessions of a 35 TB-per-session model: refused before any allocation
# (it used to wrap the product to 64 MiB and crash with SIGSEGV).
printf 'entity,time,A\ne1,1,a\ne1,2,b\n' >"$tmp/a.csv"
expect 1 "runnel: error: .*bytes" run --model "$testdata/hostile/huge_session.rnl" --events "$tmp/a.csv" \
  --max-entities 524288

# Item 3: NaN / infinite weights are refused by inspect, bench and run, naming the status.
for f in weight_nan weight_inf; do
  m="$testdata/malformed/$f.rnl"
  expect 1 "$f\.rnl: kNonFiniteWeight" inspect "$m"
  expect 1 "$f\.rnl: kNonFiniteWeight" bench --model "$m" --events 100
  printf 'user,time,EventType,Location,amount\nu,1,login,home,3\n' >"$tmp/ss.csv"
  expect 1 "$f\.rnl: kNonFiniteWeight" run --model "$m" --events "$tmp/ss.csv"
done
# ... and an output that overflows at run time is an error naming the line, not a 'nan'.
printf 'entity,time,Kind,size\ne,1,x,2\nf,2,y,1e10\n' >"$tmp/overflow.csv"
expect 1 "overflow\.csv:3: .*kNonFiniteOutput" run --model "$testdata/hostile/overflowing.rnl" \
  --events "$tmp/overflow.csv" --out "$tmp/overflow_preds.csv"
[ -e "$tmp/overflow_preds.csv" ] && fail "overflow: predictions file written despite the error"

# Item 5: a field whose vocabulary holds only the unknown id scores 0 %, not 100 %.
printf 'entity,time,Kind\ne,1,p\ne,2,q\ne,3,r\n' >"$tmp/unknown.csv"
out=$("$runnel" run --model "$testdata/hostile/unknown_only.rnl" --events "$tmp/unknown.csv" 2>"$tmp/err")
grep -qE "^  Kind +0\.00%  \(0 / 2\)" <<<"$out" || fail "unknown-only vocabulary: $out $(cat "$tmp/err")"

[ "$failures" -eq 0 ] && echo "PASS" || { echo "$failures failure(s)"; exit 1; }
