#!/usr/bin/env bash
# The CLI's conventions (docs/CLI.md): --version; usage errors exit 2; - is standard input
# or output; an output path that is not a regular file (a symlink, a FIFO, /dev/stdout) is
# written through, never replaced; summary.json records the effective config and the
# version. Runs as whoever runs the tests; nothing outside $TEST_TMPDIR is written.
set -u
runnel="$1"; model="$2"; csv="$3"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
tmp="${TEST_TMPDIR:-/tmp}/cli_conventions_test"; rm -rf "$tmp"; mkdir -p "$tmp"

# 1. --version: one line, exit 0.
version=$("$runnel" --version); rc=$?
[ "$rc" -eq 0 ] || fail "--version: exit $rc"
grep -qE '^runnel [0-9]+\.[0-9]+\.[0-9]+$' <<<"$version" || fail "--version printed '$version'"
"$runnel" --help >/dev/null || fail "--help: exit $?"

# 2. Usage errors exit 2 (CLI11 alone would exit 105, 106, 109 ...).
usage() {   # description, args...
  local what="$1"; shift
  "$runnel" "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  [ "$rc" -eq 2 ] || fail "$what: exit $rc, want 2 ($(head -c 200 "$tmp/err"))"
  [ -s "$tmp/err" ] || fail "$what: no message on stderr"
}
usage "no command"
usage "unknown command" nosuch
usage "unknown option" --bogus
usage "missing required option" run --model "$model"
usage "extra argument" run --model "$model" --events "$csv" surplus
usage "invalid value" run --model "$model" --events "$csv" --topk 0
usage "not a number" run --model "$model" --events "$csv" --topk many

# 3. - : predictions to standard output (the report to stderr), events from standard input.
"$runnel" run --model "$model" --events "$csv" --out "$tmp/file.csv" >/dev/null 2>&1 || fail "reference run failed"
"$runnel" run --model "$model" --events "$csv" --out - >"$tmp/stdout.csv" 2>"$tmp/err" || fail "--out -: exit $?"
cmp -s "$tmp/file.csv" "$tmp/stdout.csv" || fail "--out -: standard output is not the predictions file"
grep -q "latency per event" "$tmp/err" || fail "--out -: the report is not on stderr"
"$runnel" run --model "$model" --events - --out "$tmp/stdin.csv" <"$csv" >/dev/null 2>"$tmp/err" \
  || fail "--events -: exit $? $(cat "$tmp/err")"
cmp -s "$tmp/file.csv" "$tmp/stdin.csv" || fail "--events -: predictions differ from reading the file"
"$runnel" run --model "$model" --events - --split 0.5 <"$csv" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "--events - --split: want exit 1"

# 4. Not a regular file: written through. /dev/stdout stays the symlink it is and the
# output arrives on the pipe; a symlink to a file keeps being a symlink (its target gets
# the output); a FIFO stays a FIFO.
dev_link=$(readlink /dev/stdout)
"$runnel" run --model "$model" --events "$csv" --out /dev/stdout 2>/dev/null | cat >"$tmp/pipe.csv"
cmp -s "$tmp/file.csv" "$tmp/pipe.csv" || fail "--out /dev/stdout: the pipe did not get the predictions"
[ -L /dev/stdout ] && [ "$(readlink /dev/stdout)" = "$dev_link" ] || fail "/dev/stdout is no longer the symlink it was"
ls /dev | grep -q '^stdout\.tmp' && fail "a temporary file was created beside /dev/stdout"

echo old >"$tmp/target.csv"; ln -s target.csv "$tmp/link.csv"
"$runnel" run --model "$model" --events "$csv" --out "$tmp/link.csv" >/dev/null 2>&1 || fail "--out symlink: exit $?"
[ -L "$tmp/link.csv" ] || fail "--out symlink: the symlink was replaced"
cmp -s "$tmp/file.csv" "$tmp/target.csv" || fail "--out symlink: the target did not get the predictions"

mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from_fifo.csv" &
"$runnel" run --model "$model" --events "$csv" --out "$tmp/fifo" >/dev/null 2>&1 || fail "--out fifo: exit $?"
wait
[ -p "$tmp/fifo" ] || fail "--out fifo: the FIFO was replaced"
cmp -s "$tmp/file.csv" "$tmp/from_fifo.csv" || fail "--out fifo: the reader did not get the predictions"
ls "$tmp" | grep -q '\.tmp-' && fail "temporary file left behind"

# 5. summary.json: the version, and the config as trained (defaults filled in).
cat >"$tmp/tiny.json" <<'JSON'
{"data": {"kind": "synthetic_employees", "employees": 4, "days": 2, "numeric_targets": true,
          "columns": {"numeric": ["amount"]}},
 "model": {"d": 8, "streams": [{"fields": ["event_type"], "numeric": ["amount"], "encoder": {"kind": "mean"}}],
           "heads": [{"target": "next:event_type"}, {"target": "next:amount"}]},
 "train": {"batch_size": 4, "shards": 1}}
JSON
"$runnel" train --config "$tmp/tiny.json" --out "$tmp/run" --steps 2 >/dev/null 2>"$tmp/err" \
  || fail "train: exit $? $(tail -3 "$tmp/err")"
summary="$tmp/run/summary.json"
grep -qF "\"runnel_version\": \"${version#runnel }\"" "$summary" || fail "summary.json: no runnel_version ${version#runnel }"
python3 - "$summary" <<'PY' || fail "summary.json: config without its defaults"
import json, sys
c = json.load(open(sys.argv[1]))["config"]
assert c["train"]["optimizer"] == "adam" and c["train"]["eps"] == 1e-8 and c["train"]["steps"] == 2, c["train"]
assert c["data"]["window"] > 0 and "seed" in c["data"] and c["data"]["columns"]["entity"] == "actor", c["data"]
assert c["model"]["dropout"] == 0 and c["model"]["fusion"]["kind"] == "concat", c["model"]
assert c["model"]["heads"][0]["name"] == "next:event_type", c["model"]["heads"]
PY

# 6. run's predictions: every categorical and regression output, with the entity's true
# next value beside each (empty after its last event).
"$runnel" baselines --config "$tmp/tiny.json" --events-out "$tmp/events.csv" >/dev/null 2>"$tmp/err" \
  || fail "baselines --events-out: exit $? $(tail -3 "$tmp/err")"
"$runnel" run --model "$tmp/run/model.rnl" --events "$tmp/events.csv" --out "$tmp/preds.csv" --topk 2 \
  >/dev/null 2>"$tmp/err" || fail "run with a regression head: exit $? $(tail -3 "$tmp/err")"
python3 - "$tmp/events.csv" "$tmp/preds.csv" <<'PY' || fail "predictions and their next values do not match the log"
import csv, sys
from collections import defaultdict
events = defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    events[r["actor"]].append(r)
preds = list(csv.DictReader(open(sys.argv[2])))
assert list(preds[0].keys()) == ["entity", "time", "field", "rank", "value", "probability", "next"], preds[0].keys()
for field, column, rank in (("event_type", "event_type", "2"), ("next:amount", "amount", "1")):
    got = defaultdict(list)
    for p in preds:
        if p["field"] == field and p["rank"] == rank:
            got[p["entity"]].append(p["next"])
            if field == "next:amount":
                float(p["value"]); assert p["probability"] == "", p
    for entity, evs in events.items():
        want = [e[column] for e in evs[1:]] + [""]
        assert got[entity] == want, (field, entity, got[entity], want)
PY

[ "$failures" -eq 0 ] && echo "PASS" || { echo "$failures failure(s)"; exit 1; }
