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
  grep -qE -- "$pattern" "$tmp/err" || fail "runnel $*: stderr '$(head -c 400 "$tmp/err")' does not match '$pattern'"
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

# Item 4: a log that does not belong to the model is an error naming fields and columns,
# not 0.00 % with exit 0; one field of another vocabulary is a warning naming it.
model="$testdata/models/two_stream.rnl"; log="$testdata/run/employees_small.csv"
awk -F, -v OFS=, 'NR > 1 { for (c = 3; c <= 6; ++c) $c = "zz" $c } { print }' "$log" >"$tmp/foreign.csv"
expect 1 "foreign\.csv: none of the [0-9]+ values of the model's categorical fields is in its vocabularies \(field '[A-Za-z]+', column 'event_type': e\.g\. 'zz" \
  run --model "$model" --events "$tmp/foreign.csv" --out "$tmp/foreign_preds.csv"
[ -e "$tmp/foreign_preds.csv" ] && fail "foreign log: predictions file written despite the error"
awk -F, -v OFS=, 'NR > 1 { $5 = "zz" $5 } { print }' "$log" >"$tmp/one_foreign.csv"
expect 0 "warning: none of the 60 values of field '[A-Za-z]+', column 'cost_code' is in the model's vocabulary \(e\.g\. 'zz" \
  run --model "$model" --events "$tmp/one_foreign.csv"
grep -qE "^fields read from columns named differently \(case, punctuation\): .*<- event_type" "$tmp/out" ||
  fail "loose column matches not listed: $(cat "$tmp/out")"

# Item 7: a session that does not fit --max-memory (default half the RAM) is refused
# before it is allocated, naming the quantity and the bytes — never std::bad_alloc.
expect 1 "one session of .*huge_session\.rnl \([0-9]+ bytes each, [0-9.]+ TiB\) needs [0-9]+ bytes .*more than --max-memory 256G = 274877906944 bytes" \
  bench --model "$testdata/hostile/huge_session.rnl" --max-memory 256G
expect 1 "one session of .*huge_session\.rnl .*more than --max-memory \(default: half of this machine's" \
  bench --model "$testdata/hostile/huge_session.rnl"
"$runnel" bench --model "$model" --max-memory 1x >/dev/null 2>"$tmp/err" && fail "--max-memory 1x accepted"
grep -q "unknown unit" "$tmp/err" || fail "--max-memory 1x: $(cat "$tmp/err")"

# Item 10: --topk 0 says what k is; a value beyond float32, a NUL byte in the header, a
# directory, time running backwards: each names the file (line, column).
"$runnel" run --model "$model" --events "$log" --topk 0 >/dev/null 2>"$tmp/err" && fail "--topk 0 accepted"
grep -qF -- "--topk: expected an integer >= 1 (predictions per field and event), got '0'" "$tmp/err" ||
  fail "--topk 0: $(cat "$tmp/err")"
printf 'entity,time,Kind,size\ne,1,x,2\ne,2,y,1e39\n' >"$tmp/f32.csv"
expect 1 "f32\.csv:3:4 \(size\): 1e39 is outside float32's range" run --model "$testdata/hostile/overflowing.rnl" --events "$tmp/f32.csv"
printf 'entity,time,Ki\0nd,size\ne,1,x,2\n' >"$tmp/nul.csv"
expect 1 "nul\.csv:1:3: NUL byte in a field" run --model "$testdata/hostile/overflowing.rnl" --events "$tmp/nul.csv"
mkdir -p "$tmp/dir.csv"
expect 1 "dir\.csv: is a directory, not a CSV file" run --model "$testdata/hostile/overflowing.rnl" --events "$tmp/dir.csv"
expect 1 "dir\.csv: is a directory, not a model file" run --model "$tmp/dir.csv" --events "$tmp/a.csv"
printf 'entity,time,Kind,size\ne,5,x,2\ne,3,y,1\n' >"$tmp/backwards.csv"
expect 1 "backwards\.csv:3:2 \(time\): time 3 is earlier" run --model "$testdata/hostile/overflowing.rnl" --events "$tmp/backwards.csv"

[ "$failures" -eq 0 ] && echo "PASS" || { echo "$failures failure(s)"; exit 1; }
