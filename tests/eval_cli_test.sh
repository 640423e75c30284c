#!/usr/bin/env bash
# runnel baselines and runnel eval end to end on a small synthetic log: both parts of the
# split with the seven baselines (top-1 and top-5), a short training run selected on
# validation, then the test part scored once. The runnel row of eval (events fed from the
# dataset) must equal `runnel run --split 0.8` on the same log written as CSV (the same
# test events, read from the file): two paths into the engine, one answer.
set -u
runnel="$1"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
dir="${TEST_TMPDIR:-/tmp}/eval_cli_$$"
mkdir -p "$dir"

cat >"$dir/tiny.json" <<'JSON'
{"data": {"kind": "synthetic_employees", "employees": 6, "days": 6, "window": 16},
 "model": {"d": 8,
   "streams": [{"fields": ["event_type", "location", "cost_code", "job_code"], "time": true,
                "encoder": {"kind": "gru"}}],
   "heads": [{"target": "next:event_type"}, {"target": "next:location"},
             {"target": "next:cost_code"}, {"target": "next:job_code"}]},
 "train": {"optimizer": "adam", "lr": 0.01, "batch_size": 8, "steps": 40, "shards": 2, "eval_every": 10,
           "select": "accuracy"}}
JSON

out=$("$runnel" baselines --config "$dir/tiny.json" --events-out "$dir/events.csv" 2>&1) || fail "baselines: exit $? $out"
for pat in "^validation: [0-9]+ events scored" "^test: [0-9]+ events scored" "^top-1, all" "^top-5, all" \
           "^top-1, entities" "^top-5, entities" "^joint_bigram " "^entity_bigram " "^trigram "; do
  grep -qE "$pat" <<<"$out" || fail "baselines: no '$pat' in: $out"
done
[ -s "$dir/events.csv" ] || fail "baselines: no --events-out file"
[ "$(grep -c '^majority ' <<<"$out")" -eq 8 ] || fail "baselines: expected 4 tables x 2 parts: $out"

"$runnel" train --config "$dir/tiny.json" --out "$dir/run" --threads 1 >"$dir/train.log" 2>&1 ||
  fail "train: exit $? $(tail -3 "$dir/train.log")"
grep -qE '"best_step": (10|20|30|40)' "$dir/run/summary.json" || fail "summary.json: no selected step"

out=$("$runnel" eval --config "$dir/tiny.json" --model "$dir/run/model.rnl" --json "$dir/eval.json" 2>&1) ||
  fail "eval: exit $? $out"
for pat in "test part: [0-9]+ events of 6 entities" "^location +top-1 +top-1 ent. +top-5 +top-5 ent." \
           "^  runnel " "^  joint_bigram " "McNemar exact p = "; do
  grep -qE "$pat" <<<"$out" || fail "eval: no '$pat' in: $out"
done
[ "$(grep -c 'McNemar exact p' <<<"$out")" -eq 4 ] || fail "eval: one paired test per field expected: $out"
grep -qF '"mcnemar_p"' "$dir/eval.json" || fail "eval: no --json output"

# The same test events through `runnel run` (the CSV, split after each entity's first 80 %).
run=$("$runnel" run --model "$dir/run/model.rnl" --events "$dir/events.csv" --split 0.8 --topk 5 2>&1) ||
  fail "run: exit $? $run"
for field in event_type location cost_code job_code; do
  a=$(awk -v f="$field" '$0 ~ "^" f " " {getline; print $2; exit}' <<<"$out")
  b=$(awk -v f="$field" '$1 == f {sub("%", "", $2); print $2; exit}' <<<"$run")
  [ -n "$a" ] && [ "$a" = "$b" ] || fail "$field: eval runnel top-1 '$a' != run --split 0.8 top-1 '$b'"
done

# A config without a test part cannot be evaluated.
sed 's/"window": 16/"window": 16, "train_fraction": 0.8/' "$dir/tiny.json" >"$dir/notest.json"
err=$("$runnel" eval --config "$dir/notest.json" --model "$dir/run/model.rnl" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "no test part: exit $rc"
grep -qF "data.split.test: the config has no test part" <<<"$err" || fail "no test part: $err"

rm -rf "$dir"
[ "$failures" -eq 0 ] && echo "PASS" || exit 1
