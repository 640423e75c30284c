#!/usr/bin/env bash
# Reproduces the README sections "Results / multistream", "events (real log)" and
# "beam search". Run from the repository root:
#
#   tools/results/events.sh                 # everything
#   tools/results/events.sh multistream     # or: events, beam (beam needs multistream's model)
#
# THREADS (default 1) sets training threads; results do not depend on it (fixed shards).
# Outputs go to runs/results/; every number printed comes from the engine (`runnel run`),
# streaming each entity's events one at a time, scored on the held-out events only.
set -euo pipefail
THREADS="${THREADS:-1}"
R=runs/results
what="${1:-all}"

bazel build //tools:runnel //trainer/data:print_baselines
runnel() { bazel-bin/tools/runnel "$@"; }
baselines() { bazel-bin/trainer/data/print_baselines "$@"; }

multistream() {
  local d=$R/multistream
  mkdir -p "$d"
  # Baselines (top-1 of all seven, top-5 of majority/last/bigram) and the generated log as CSV.
  baselines models/multistream.json --events-out "$d/events.csv" | tee "$d/baselines.txt"
  runnel train --config models/multistream.json --out "$d" --threads "$THREADS"
  # Held-out = each employee's last 20 % (data.train_fraction 0.8), predicted from all
  # earlier events; top-1 and top-5 per field.
  runnel run --model "$d/model.rnl" --events "$d/events.csv" --entity-column actor --split 0.8 --topk 5 \
    | tee "$d/run.txt"
}

beam() {
  local d=$R/multistream
  for K in 2 3; do
    for B in 1 4 8; do
      runnel run --model "$d/model.rnl" --events "$d/events.csv" --entity-column actor --split 0.8 \
        --beam "$B" --horizon "$K" --sequence-accuracy | tee "$d/beam_b${B}_k${K}.txt"
    done
  done
}

# Real log. Model selection uses a validation split carved from the train part only:
# trainpart.csv = each entity's first floor(0.8 n) events (the test events removed);
# a candidate is trained on its first 80 % and scored by the engine on its last 20 %.
# The chosen config is then trained on the whole train part (models' own 0.8 split of the
# full log) and scored once on the 7,345 test events.
events() {
  local d=$R/events
  mkdir -p "$d"
  baselines models/events.json | tee "$d/baselines.txt"
  awk -F, 'NR == FNR { if (FNR > 1) n[$1]++; next }
           FNR == 1 { print; next }
           { i[$1]++; if (i[$1] <= int(0.8 * n[$1] + 1e-9)) print }' \
    testdata/events_curl.csv testdata/events_curl.csv > "$d/trainpart.csv"
  local numeric=(--numeric-columns n_files:log1p)
  for cfg in models/events.json tools/results/events_entity.json; do
    local name
    name=$(basename "$cfg" .json)
    # Validation run: same config, data = trainpart.csv.
    sed 's#"path": *"[^"]*events_curl.csv"#"path": "trainpart.csv"#' "$cfg" > "$d/${name}_val.json"
    runnel train --config "$d/${name}_val.json" --out "$d/${name}_val" --threads "$THREADS"
    runnel run --model "$d/${name}_val/model.rnl" --events "$d/trainpart.csv" "${numeric[@]}" --split 0.8 --topk 5 \
      | tee "$d/${name}_val.txt"
  done
  # Test: the selected config (see README), trained on the full train part.
  for cfg in ${EVENTS_TEST_CONFIGS:-tools/results/events_entity.json}; do
    local name
    name=$(basename "$cfg" .json)
    runnel train --config "$cfg" --out "$d/${name}_test" --threads "$THREADS"
    runnel run --model "$d/${name}_test/model.rnl" --events testdata/events_curl.csv "${numeric[@]}" --split 0.8 \
      --topk 5 | tee "$d/${name}_test.txt"
  done
}

case "$what" in
  all) multistream; beam; events ;;
  multistream) multistream ;;
  beam) beam ;;
  events) events ;;
  *) echo "usage: $0 [all|multistream|beam|events]" >&2; exit 2 ;;
esac
