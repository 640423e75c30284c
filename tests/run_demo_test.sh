#!/usr/bin/env bash
# runnel demo, tiny: trains a few steps on a small synthetic log, streams the held-out
# events through the engine and prints accuracy next to the baselines, latency, memory;
# the run directory holds the model, metrics, summary and the log, which `runnel run`
# replays.
set -u
runnel="$1"
tmp="${TEST_TMPDIR:-/tmp}/run_demo_test"; rm -rf "$tmp"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
out=$("$runnel" demo --out "$tmp/demo" --steps 20 --employees 4 --days 4 --threads 1 2>"$tmp.err"); rc=$?
[ "$rc" -eq 0 ] || fail "demo exit $rc: $(tail -5 "$tmp.err")"
for pat in "runnel +majority +last +markov" "^  event_type +[0-9.]+% +[0-9.]+% +[0-9.]+% +[0-9.]+%$" \
           "^  job_code " "latency per event: median" "bytes per session" "run directory: "; do
  grep -qE "$pat" <<<"$out" || fail "no '$pat' in: $out"
done
for f in model.rnl metrics.csv summary.json demo.json events.csv config.json; do
  [ -s "$tmp/demo/$f" ] || fail "missing $f"
done
"$runnel" run --model "$tmp/demo/model.rnl" --events "$tmp/demo/events.csv" --entity-column actor \
    --beam 2 --horizon 2 --beam-out "$tmp/beam.csv" >/dev/null 2>"$tmp.err" || fail "run on the demo log: $(cat "$tmp.err")"
[ -s "$tmp/beam.csv" ] || fail "no beam output"
[ "$failures" -eq 0 ] && echo PASS || { echo "$failures failure(s)"; exit 1; }
