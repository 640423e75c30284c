#!/usr/bin/env bash
# Issue 17, training side: hostile configs and data, signals and leftovers of killed runs.
# Every case ends with a message naming what was wrong and a non-zero exit, or — for
# valid input — with a run directory that is whole.
#   train_hostile_cli_test.sh RUNNEL
set -u
runnel="$1"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
tmp="${TEST_TMPDIR:-/tmp}/train_hostile_cli_test"; rm -rf "$tmp"; mkdir -p "$tmp"

# expect RC PATTERN CMD...: exit code RC and stderr matching PATTERN (extended regex).
expect() {
  local want="$1" pattern="$2"; shift 2
  "$runnel" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  [ "$rc" -eq "$want" ] || fail "runnel $*: exit $rc, want $want: $(head -c 400 "$tmp/err")"
  grep -qE -- "$pattern" "$tmp/err" || fail "runnel $*: stderr '$(head -c 400 "$tmp/err")' does not match '$pattern'"
}

# A small event log: 4 entities x 30 events, a categorical column with few values.
awk 'BEGIN { print "user,time,kind,amount";
             for (e = 0; e < 4; ++e) for (i = 0; i < 30; ++i) printf "u%d,%d,k%d,%d\n", e, i * 10, (i * 7 + e) % 5, i }' \
  >"$tmp/log.csv"
# config DATA TRAIN: a csv config around the log.
config() {
  cat <<JSON
{"data": {"kind": "csv", "path": "log.csv", "window": 8,
          "columns": {"entity": "user", "time": "time", "categorical": ["kind"], "numeric": ["amount"]} $1},
 "model": {"d": 8, "streams": [{"fields": ["kind"], "numeric": ["amount"], "encoder": {"kind": "gru"}}],
           "heads": [{"target": "next:kind", "name": "kind"}]},
 "train": {"optimizer": "adam", "lr": 0.01, "batch_size": 4, "shards": 1, "steps": 4 $2}}
JSON
}

# --- item 10: config mistakes name the file and field; exit 2 as every config error ---
config "" ', "lr": 0.02' >"$tmp/dup.json"
expect 2 "dup\.json: train\.lr: key given twice" train --config "$tmp/dup.json" --out "$tmp/run"
sed 's/"lr": 0.01/"lr": 1e999/' <(config "" "") >"$tmp/huge_lr.json"
expect 2 "huge_lr\.json: train\.lr: number out of range: 1e999 \(line 5" train --config "$tmp/huge_lr.json" --out "$tmp/run"
mkdir -p "$tmp/adir"
sed 's/"path": "log.csv"/"path": "adir"/' <(config "" "") >"$tmp/dirpath.json"
expect 2 "dirpath\.json: data\.path: 'adir' is a directory" train --config "$tmp/dirpath.json" --out "$tmp/run"
expect 2 "adir: is a directory, not a config file" train --config "$tmp/adir" --out "$tmp/run"
# A CSV value beyond float32 names file, line and column; a NUL byte in the header is refused
# (data errors exit 1).
sed '5s/,[0-9]*$/,1e39/' "$tmp/log.csv" >"$tmp/big.csv"
sed 's/"path": "log.csv"/"path": "big.csv"/' <(config "" "") >"$tmp/big.json"
expect 1 "big\.csv:5:4 \(amount\): 1e39 is outside float32's range" train --config "$tmp/big.json" --out "$tmp/run"
{ printf 'user,time,ki\0nd,amount\n'; tail -n +2 "$tmp/log.csv"; } >"$tmp/nul.csv"
sed 's/"path": "log.csv"/"path": "nul.csv"/' <(config "" "") >"$tmp/nul.json"
expect 1 "nul\.csv:1:3: NUL byte" train --config "$tmp/nul.json" --out "$tmp/run"
[ -e "$tmp/run/model.rnl" ] && fail "a failed config left $tmp/run/model.rnl"

# --- item 7: sizes checked against --max-memory before the first step, naming the bytes -----
config "" "" | sed 's/"d": 8/"d": 4096/' >"$tmp/d4096.json"
expect 1 "training \(parameters: [0-9]+ x 4 bytes x 4 copies .* needs [0-9]+ bytes \([0-9.]+ GiB\), more than --max-memory 1G = 1073741824 bytes" \
  train --config "$tmp/d4096.json" --out "$tmp/d4096" --max-memory 1G
config "" "" | sed 's/"batch_size": 4/"batch_size": 1099511627776/' >"$tmp/bs.json"
expect 1 "activations: batch_size 1099511627776 x [0-9]+ bytes per row \(measured on 4\) = [^)]*\) needs [0-9]+ bytes .*more than --max-memory \(default: half of this machine's" \
  train --config "$tmp/bs.json" --out "$tmp/bs"
for d in d4096 bs; do [ -e "$tmp/$d/checkpoints/step_00000001.ckpt" ] && fail "$d: trained despite the size"; done

# --- item 6: max_vocab folds the rarest values into unknown, with a warning ---------------
awk 'BEGIN { print "user,time,kind,amount";
             for (e = 0; e < 4; ++e) for (i = 0; i < 30; ++i) printf "u%d,%d,v%d_%d,%d\n", e, i * 10, e, i, i }' \
  >"$tmp/wide.csv"
sed 's/"path": "log.csv"/"path": "wide.csv"/' <(config ', "max_vocab": 10' "") >"$tmp/wide.json"
"$runnel" train --config "$tmp/wide.json" --out "$tmp/wide" --steps 2 >"$tmp/out" 2>"$tmp/err" || fail "max_vocab run: exit $? $(cat "$tmp/err")"
# 4 x 30 events, 70 % train: 84 distinct train values; 10 kept, 74 folded.
grep -qE "warning: .*wide\.json: data\.max_vocab: field 'kind': kept the 10 most frequent values; 74 rarer distinct values" \
  "$tmp/err" || fail "max_vocab: no warning: $(cat "$tmp/err")"
"$runnel" inspect "$tmp/wide/model.rnl" >"$tmp/inspect" 2>&1 || fail "max_vocab: inspect failed"

# --- item 6: SIGTERM stops at a step boundary like Ctrl-C: checkpoint, whole files, exit 143
config "" "" | sed 's/"steps": 4/"steps": 1000000/' >"$tmp/long.json"
"$runnel" train --config "$tmp/long.json" --out "$tmp/term" --threads 1 >"$tmp/term.log" 2>&1 &
pid=$!
# Wait (no time limit) until a step has finished, or the process has ended on its own.
while kill -0 "$pid" 2>/dev/null && ! grep -q '^train,' "$tmp/term/metrics.csv" 2>/dev/null; do sleep 0.1; done
kill -TERM "$pid"
wait "$pid"; rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM: exit $rc, want 143: $(tail -3 "$tmp/term.log")"
grep -qE "interrupted after step [0-9]+ by SIGTERM; checkpoint written" "$tmp/term.log" ||
  fail "SIGTERM: no message: $(tail -3 "$tmp/term.log")"
ckpt=$(ls "$tmp/term/checkpoints"/step_*.ckpt 2>/dev/null | tail -1)
[ -n "$ckpt" ] || fail "SIGTERM: no checkpoint"
find "$tmp/term" -name '*.tmp*' | grep -q . && fail "SIGTERM: temp files left: $(find "$tmp/term" -name '*.tmp*')"
grep -q '"interrupted": true' "$tmp/term/summary.json" || fail "SIGTERM: summary.json not whole"
[ -e "$tmp/term/model.rnl" ] && fail "SIGTERM: model.rnl of an unfinished run"

# --- item 9: temp files of a killed writer go on --resume; a live writer's stay ------------
sh -c 'exit 0' & dead=$!; wait "$dead"       # a pid that is no longer running
step=$(basename "$ckpt" .ckpt); step=$((10#${step#step_}))
: >"$tmp/term/checkpoints/step_99999999.ckpt.tmp-$dead"
: >"$tmp/term/checkpoints/best/step_00000001.ckpt.tmp-$dead"
: >"$tmp/term/summary.json.tmp-$dead"
: >"$tmp/term/checkpoints/step_99999998.ckpt.tmp-$$"   # this shell: alive
"$runnel" train --config "$tmp/long.json" --out "$tmp/term" --resume --steps $((step + 2)) >"$tmp/resume.log" 2>&1 ||
  fail "resume: exit $? $(tail -3 "$tmp/resume.log")"
grep -qF "resuming from $ckpt" "$tmp/resume.log" || fail "resume: did not resume from $ckpt: $(cat "$tmp/resume.log")"
for f in checkpoints/step_99999999.ckpt.tmp-$dead checkpoints/best/step_00000001.ckpt.tmp-$dead summary.json.tmp-$dead; do
  [ -e "$tmp/term/$f" ] && fail "resume: stale $f not removed"
  grep -qF "removed $tmp/term/$f" "$tmp/resume.log" || fail "resume: removal of $f not reported"
done
[ -e "$tmp/term/checkpoints/step_99999998.ckpt.tmp-$$" ] || fail "resume: removed a live process's temp file"
[ -s "$tmp/term/model.rnl" ] || fail "resume: no model.rnl"

# --- item 4: eval of a log none of whose values the model knows is an error, not 0 % --------
awk -F, -v OFS=, 'NR > 1 { $3 = "zz" $3 } { print }' "$tmp/log.csv" >"$tmp/foreign.csv"
sed 's/"path": "log.csv"/"path": "foreign.csv"/' "$tmp/long.json" >"$tmp/foreign.json"
expect 1 "foreign\.json \(data, test part\): none of the [0-9]+ values of the model's categorical fields is in its vocabularies \(field 'kind': e\.g\. 'zzk" \
  eval --config "$tmp/foreign.json" --model "$tmp/term/model.rnl"
"$runnel" eval --config "$tmp/long.json" --model "$tmp/term/model.rnl" >"$tmp/out" 2>"$tmp/err" ||
  fail "eval of the model's own log: exit $? $(cat "$tmp/err")"

[ "$failures" -eq 0 ] && echo "PASS" || { echo "$failures failure(s)"; exit 1; }
