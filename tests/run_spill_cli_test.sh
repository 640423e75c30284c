#!/usr/bin/env bash
# runnel run with more entities than its session memory holds: sessions past
# --session-memory are spilled to a temporary file and come back intact, so every event
# after an entity's first is scored and the predictions are exactly those of a run that
# kept every session in memory. (Before the session store, 1 100 interleaved entities
# overran the fixed 1 024 sessions: every returning entity had been evicted and 0 events
# were scored.)
#   run_spill_cli_test.sh RUNNEL MODEL EMPLOYEES_SMALL_CSV
set -u
runnel="$1"; model="$2"; small="$3"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
tmp="${TEST_TMPDIR:-/tmp}/run_spill_cli_test"; rm -rf "$tmp"; mkdir -p "$tmp/spill"
export TMPDIR="$tmp/spill"

# 1 100 entities x 4 events, interleaved (round by round), values from the small log.
entities=1100; rounds=4
awk -F, -v n="$entities" -v r="$rounds" 'NR == 1 { print; next } { row[NR - 2] = $0; m = NR - 1 }
  END { for (k = 0; k < r; ++k) for (e = 0; e < n; ++e) {
          split(row[(e * 7 + k * 3) % m], f, ",")
          printf "x%d,%d", e, 1700000000 + k * 10000 + e
          for (i = 3; i <= 9; ++i) printf ",%s", f[i]
          printf "\n" } }' "$small" >"$tmp/many.csv"
events=$((entities * rounds)); scorable=$((events - entities))

# run FILE_PREFIX ARGS...: stdout to PREFIX.out, predictions to PREFIX.csv.
run() {
  local prefix="$1"; shift
  "$runnel" run --model "$model" --events "$tmp/many.csv" --out "$tmp/$prefix.csv" "$@" >"$tmp/$prefix.out" \
    2>"$tmp/$prefix.err" || fail "$prefix: exit $?: $(cat "$tmp/$prefix.err")"
}

# 1. Default budget: every session stays in memory.
run resident
grep -q "^.*many.csv: $events events, $entities entities, 0 spilled$" "$tmp/resident.out" \
  || fail "resident summary: $(head -3 "$tmp/resident.out")"
session_bytes=$(sed -n 's/^memory: \([0-9]*\) bytes per session.*/\1/p' "$tmp/resident.out")
[ -n "$session_bytes" ] || fail "no bytes-per-session line: $(cat "$tmp/resident.out")"

# 2. A budget of ~40 sessions: most entities are spilled and restored at every event.
run spilled --session-memory $((40 * ${session_bytes:-1}))
spilled=$(sed -n "s/^.*many.csv: $events events, $entities entities, \([0-9]*\) spilled$/\1/p" "$tmp/spilled.out")
[ "${spilled:-0}" -gt 1000 ] || fail "spill summary (want > 1000 entities spilled): $(head -3 "$tmp/spilled.out")"
grep -qE "^spilled: $spilled entities at least once, to a temporary file of .* \([0-9]+ spills, [0-9]+ restores\)$" "$tmp/spilled.out" \
  || fail "no spill line: $(cat "$tmp/spilled.out")"

# Both: every scorable event scored, and the same predictions, byte for byte.
for prefix in resident spilled; do
  for f in EventType Location CostCode JobCode; do
    grep -qE "^  $f +[0-9.]+%  \([0-9]+ / $scorable\)" "$tmp/$prefix.out" \
      || fail "$prefix: $f not scored on all $scorable events: $(grep "^  $f" "$tmp/$prefix.out")"
  done
done
[ "$(wc -l <"$tmp/spilled.csv")" -gt "$events" ] || fail "spilled: too few prediction rows"
cmp -s "$tmp/resident.csv" "$tmp/spilled.csv" || fail "predictions differ between the resident and the spilled run"
diff <(grep -E "^  [A-Za-z]+ +[0-9.]+%" "$tmp/resident.out") <(grep -E "^  [A-Za-z]+ +[0-9.]+%" "$tmp/spilled.out") \
  >/dev/null || fail "accuracy differs between the resident and the spilled run"
[ -z "$(ls -A "$TMPDIR")" ] || fail "spill file left in \$TMPDIR: $(ls -A "$TMPDIR")"

# 3. A budget below one session, and --max-entities: errors naming the quantity.
"$runnel" run --model "$model" --events "$tmp/many.csv" --session-memory 1K >/dev/null 2>"$tmp/err" \
  && fail "--session-memory 1K: want a non-zero exit"
grep -qE "one session of this model needs [0-9]+ bytes .*--session-memory 1K \(1024 bytes\)" "$tmp/err" \
  || fail "--session-memory 1K message: $(cat "$tmp/err")"
"$runnel" run --model "$model" --events "$tmp/many.csv" --max-entities 1000 >/dev/null 2>"$tmp/err" \
  && fail "--max-entities 1000: want a non-zero exit"
grep -q "many.csv:1002:1 (entity): entity 'x1000' is one more than --max-entities 1000" "$tmp/err" || fail "--max-entities message: $(cat "$tmp/err")"

[ "$failures" -eq 0 ] && echo "PASS" || { echo "$failures failure(s)"; exit 1; }
