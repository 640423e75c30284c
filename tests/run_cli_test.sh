#!/usr/bin/env bash
# runnel run: a good CSV streams end to end (predictions file, accuracy, beam search,
# --max-entities); bad input exits 1 with one "runnel: error: FILE:LINE[:COL] ..." line and
# leaves no predictions file behind.
set -u
runnel="$1"; model="$2"; dir="$(dirname "$3")"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
tmp="${TEST_TMPDIR:-/tmp}/run_cli_test"; rm -rf "$tmp"; mkdir -p "$tmp"

# 1. Good input.
out=$("$runnel" run --model "$model" --events "$dir/employees_small.csv" \
      --out "$tmp/preds.csv" --topk 2 --beam 3 --horizon 4 --beam-out "$tmp/beam.csv" 2>"$tmp/err"); rc=$?
[ "$rc" -eq 0 ] || fail "good input: exit $rc: $(cat "$tmp/err")"
grep -q "60 events, 5 entities, 0 spilled" <<<"$out" || fail "summary: $out"
for f in EventType Location CostCode JobCode; do
  grep -qE "^  $f +[0-9.]+%  \([0-9]+ / 55\)" <<<"$out" || fail "no accuracy line for $f (55 scored events): $out"
done
grep -q "latency per event" <<<"$out" || fail "no latency line"
[ "$(head -1 "$tmp/preds.csv")" = "entity,time,field,rank,value,probability,next" ] || fail "preds header"
# 60 events x 4 fields x top 2
[ "$(($(wc -l <"$tmp/preds.csv") - 1))" -eq 480 ] || fail "preds rows: $(wc -l <"$tmp/preds.csv")"
# 5 entities x 3 beams x 4 steps
[ "$(($(wc -l <"$tmp/beam.csv") - 1))" -eq 60 ] || fail "beam rows: $(wc -l <"$tmp/beam.csv")"
ls "$tmp" | grep -q '\.tmp-' && fail "temporary file left behind"

# 1b. --split: only each entity's events after its first floor(0.5 n) are scored (31 of 60);
# top-k accuracy; --sequence-accuracy scores beam search against the next 2 events
# (start positions split..n-2 of each entity: 26).
out=$("$runnel" run --model "$model" --events "$dir/employees_small.csv" --split 0.5 --topk 2 \
      --beam 2 --horizon 2 --sequence-accuracy 2>"$tmp/err"); rc=$?
[ "$rc" -eq 0 ] || fail "split run: exit $rc: $(cat "$tmp/err")"
for f in EventType Location CostCode JobCode; do
  grep -qE "^  $f +[0-9.]+%  \([0-9]+ / 31\)  top-2 +[0-9.]+%  \([0-9]+ / 31\)" <<<"$out" || fail "split: no top-1/top-2 line for $f: $out"
done
grep -qE "^  all fields of all 2 events +[0-9.]+%  \([0-9]+ / 26\)" <<<"$out" || fail "no sequence accuracy line: $out"
grep -q "entity,rank,log_prob" <<<"$out" && fail "--sequence-accuracy without --beam-out printed the beam listing"
"$runnel" run --model "$model" --events "$dir/employees_small.csv" --sequence-accuracy >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "--sequence-accuracy without --beam: want exit 1"

# 2. More entities than --max-entities: an error naming the row (sessions past the memory
# budget are spilled, never dropped: run_spill_cli_test.sh).
"$runnel" run --model "$model" --events "$dir/employees_small.csv" --max-entities 2 >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "--max-entities 2: want exit 1"
grep -q "employees_small.csv:4:1 (entity): entity 'e3' is one more than --max-entities 2" "$tmp/err" \
  || fail "--max-entities message: $(cat "$tmp/err")"

# 3. Bad input: file:line:column, exit 1, no output file.
expect_error() {   # csv, pattern, extra args...
  local csv="$1" pattern="$2"; shift 2
  rm -f "$tmp/bad.csv"
  "$runnel" run --model "$model" --events "$dir/$csv" --out "$tmp/bad.csv" "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  [ "$rc" -eq 1 ] || fail "$csv: exit $rc, want 1"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$csv: stderr not one line: $(cat "$tmp/err")"
  grep -qE "$pattern" "$tmp/err" || fail "$csv: message '$(cat "$tmp/err")' does not match '$pattern'"
  [ -e "$tmp/bad.csv" ] && fail "$csv: predictions file written despite the error"
  ls "$tmp" | grep -q 'bad\.csv\.tmp' && fail "$csv: temporary file left behind"
}
expect_error bad_number.csv "^runnel: error: .*bad_number\.csv:7:7 \(tenure\): expected a number, got 'abc'$"
expect_error out_of_order.csv "^runnel: error: .*out_of_order\.csv:5:2 \(time\): time 1700000001 is earlier"
expect_error missing_column.csv "^runnel: error: .*missing_column\.csv:1: missing column 'CostCode'"
expect_error missing_static.csv "^runnel: error: .*missing_static\.csv:1: missing column 'remote'"
expect_error employees_small.csv "missing column 'who'" --entity-column who

# 4. bench on either instruction set names the kernels it ran; an unknown --isa is refused.
for isa in best baseline; do
  out=$("$runnel" bench --model "$model" --events 2000 --warmup 10 --isa "$isa") || fail "bench --isa $isa failed"
  echo "$out" | grep -qE "^latency per event: median [0-9.]+ us" || fail "bench --isa $isa: no latency line"
  echo "$out" | grep -qE "; instruction set [a-z0-9_]+ \(kernels [a-z0-9+]+\)$" || fail "bench --isa $isa: no kernels line"
done
"$runnel" bench --model "$model" --events 2000 --warmup 10 --isa baseline | grep -q "instruction set baseline" \
  || fail "bench --isa baseline did not run the baseline"
"$runnel" bench --model "$model" --isa sse9 >/dev/null 2>&1 && fail "bench --isa sse9: want a non-zero exit"

[ "$failures" -eq 0 ] && echo "PASS" || { echo "$failures failure(s)"; exit 1; }
