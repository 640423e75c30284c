#!/usr/bin/env bash
# Trains every config of the docs/RESULTS.md tables (seq_tabular, posenc_regression,
# multitask), benches each exported model in the engine and prints the markdown tables.
# Run from the repository root:
#   tools/results/tables.sh                  # everything (~30 min on a shared 2-core machine)
#   tools/results/tables.sh seq_tabular      # one table: seq_tabular | posenc | multitask
# Environment: OUT (run directory root, default runs/results), THREADS (default 1),
# BENCH_EVENTS (default 100000), SEEDS (train seeds of every config, default "1 2 3"),
# REUSE=1 (skip training/benching a config whose outputs already exist; just re-print).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-runs/results}
THREADS=${THREADS:-1}
BENCH_EVENTS=${BENCH_EVENTS:-100000}
SEEDS=${SEEDS:-1 2 3}
REUSE=${REUSE:-0}
TABLES=${*:-seq_tabular posenc multitask}

bazel build //tools:runnel >&2
RUNNEL=bazel-bin/tools/runnel
mkdir -p "$OUT/configs"

# train_and_bench NAME CONFIG: runs $OUT/NAME/{summary.json,metrics.csv,model.rnl,bench.txt}
train_and_bench() {
  local name=$1 config=$2 dir=$OUT/$1
  if [[ $REUSE == 1 && -f $dir/summary.json && -f $dir/bench.txt ]]; then return; fi
  rm -rf "$dir"
  echo "== train $name ($config)" >&2
  "$RUNNEL" train --config "$config" --out "$dir" --threads "$THREADS" > "$OUT/$name.train.log" 2>&1 ||
    { tail -5 "$OUT/$name.train.log" >&2; return 1; }
  "$RUNNEL" bench --model "$dir/model.rnl" --events "$BENCH_EVENTS" > "$dir/bench.txt"
}

# seeded NAME CONFIG SEED: trains CONFIG with train.seed = SEED (initialisation; the data
# section's own seed, hence the data and batch order, stays fixed) as run NAME_seedSEED.
seeded() {
  local cfg=$OUT/configs/$1_seed$3.json
  python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["train"]["seed"]=int(sys.argv[2]); json.dump(c,open(sys.argv[3],"w"),indent=2)' \
    "$2" "$3" "$cfg"
  train_and_bench "$1_seed$3" "$cfg"
}

baseline() {  # baseline NAME CONFIG -> $OUT/NAME.baselines.json
  [[ $REUSE == 1 && -f $OUT/$1.baselines.json ]] || "$RUNNEL" baselines --config "$2" > "$OUT/$1.baselines.json"
}

for table in $TABLES; do
  case $table in
    seq_tabular)
      baseline seq_tabular models/seq_tabular_mean.json
      for enc in mean max sum linear_decay exp_decay learned_pos_weights attention_pool conv gru lstm transformer; do
        for seed in $SEEDS; do seeded "seq_tabular_$enc" "models/seq_tabular_$enc.json" "$seed"; done
      done ;;
    posenc)
      baseline posenc models/posenc_regression.json
      for variant in posenc_regression posenc_regression_sinusoidal posenc_regression_none; do
        for seed in $SEEDS; do seeded "$variant" "models/$variant.json" "$seed"; done
      done ;;
    multitask)
      baseline multitask models/multitask_cls.json
      for variant in cls mean max last cls_l2 mean_l2 max_l2 last_l2 cls_value_x0.1 cls_value_x10; do
        for seed in $SEEDS; do seeded "multitask_$variant" "models/multitask_$variant.json" "$seed"; done
      done ;;
    *) echo "unknown table $table (seq_tabular | posenc | multitask)" >&2; exit 2 ;;
  esac
done

python3 tools/results/tables.py --out "$OUT" --seeds "$SEEDS" $TABLES
