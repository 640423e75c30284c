#!/usr/bin/env bash
# runnel train end to end: --help, config errors (file and field, exit 2), a short run
# (every output in the run directory), SIGINT (checkpoint, exit 130) and --resume.
set -u
runnel="$1"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
dir="${TEST_TMPDIR:-/tmp}/train_cli_$$"
mkdir -p "$dir"

help=$("$runnel" train --help 2>&1) || fail "--help exit $?"
for opt in --config --out --threads --resume --steps; do
  grep -qF -- "$opt" <<<"$help" || fail "--help does not mention $opt"
done

err=$("$runnel" train --config "$dir/missing.json" --out "$dir/run" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "missing config: exit $rc"
grep -qF "$dir/missing.json: cannot read config file" <<<"$err" || fail "missing config: $err"

printf '{"data": {}, "model": {},\n "train": {"lr": }}' >"$dir/bad.json"
err=$("$runnel" train --config "$dir/bad.json" --out "$dir/run" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "malformed config: exit $rc"
grep -qF "$dir/bad.json: malformed JSON at line 2" <<<"$err" || fail "malformed config: $err"

cat >"$dir/tiny.json" <<'JSON'
{"data": {"kind": "synthetic_employees", "employees": 6, "days": 3, "window": 12},
 "model": {"d": 8,
   "streams": [{"fields": ["event_type", "location"], "encoder": {"kind": "gru"}}],
   "heads": [{"target": "next:event_type", "name": "event_type"}, {"target": "next:location", "name": "location"}]},
 "train": {"optimizer": "adam", "lr": 0.01, "batch_size": 8, "steps": 2000, "shards": 2, "eval_every": 1000,
           "log_every": 100}}
JSON
sed 's/"optimizer": "adam"/"optimizer": "adam", "betas": [0.9]/' "$dir/tiny.json" >"$dir/badfield.json"
err=$("$runnel" train --config "$dir/badfield.json" --out "$dir/run" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "bad field: exit $rc"
grep -qF "$dir/badfield.json: train.betas: expected two numbers" <<<"$err" || fail "bad field: $err"

out=$("$runnel" train --config "$dir/tiny.json" --out "$dir/run" --steps 6 --threads 2 2>&1) || fail "short run: exit $? $out"
for f in metrics.csv model.rnl summary.json checkpoints/step_00000006.ckpt; do
  [ -s "$dir/run/$f" ] || fail "short run: no $f"
done
ls "$dir/run"/events.out.tfevents.* >/dev/null 2>&1 || fail "short run: no TensorBoard file"
grep -qF "step 6/6" <<<"$out" || fail "short run: no progress line: $out"
[ "$(grep -c '^train,' "$dir/run/metrics.csv")" -eq 6 ] || fail "short run: metrics.csv rows"

# SIGINT mid-run: stops after the current step with a checkpoint; --resume finishes.
"$runnel" train --config "$dir/tiny.json" --out "$dir/int" --threads 1 >"$dir/int.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q '^train,' "$dir/int/metrics.csv" 2>/dev/null && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"; rc=$?
[ "$rc" -eq 130 ] || fail "SIGINT: exit $rc $(cat "$dir/int.log")"
grep -qF "interrupted after step" "$dir/int.log" || fail "SIGINT: no message: $(cat "$dir/int.log")"
ls "$dir/int/checkpoints"/step_*.ckpt >/dev/null 2>&1 || fail "SIGINT: no checkpoint"
ls "$dir/int/checkpoints" | grep -q tmp && fail "SIGINT: temp file left"
"$runnel" train --config "$dir/tiny.json" --out "$dir/int" --resume --steps 2000 >"$dir/resume.log" 2>&1 ||
  fail "resume: exit $? $(tail -3 "$dir/resume.log")"
grep -qF "resuming from" "$dir/resume.log" || fail "resume: no message"
[ -s "$dir/int/model.rnl" ] || fail "resume: no model.rnl"

rm -rf "$dir"
[ "$failures" -eq 0 ] && echo "PASS" || exit 1
