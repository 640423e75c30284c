#!/usr/bin/env bash
# Reproduces the adding-problem results of docs/RESULTS.md (## adding):
# trains models/adding_{100,200,300,400}.json with 2 threads, prints each run's wall
# time and final eval MSE, and draws the curves into docs/figures/.
# Run from the repository root:  tools/results/adding.sh [L ...]   (default: 100 200 300 400)
set -euo pipefail
cd "$(dirname "$0")/../.."
lengths=("$@")
[ ${#lengths[@]} -gt 0 ] || lengths=(100 200 300 400)

bazel build -c opt //tools:runnel
runnel=bazel-bin/tools/runnel
mkdir -p runs docs/figures

for L in "${lengths[@]}"; do
  out=runs/adding_$L
  rm -rf "$out"
  start=$(date +%s.%N)
  "$runnel" train --config "models/adding_$L.json" --out "$out" --threads 2
  end=$(date +%s.%N)
  mse=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "sum/mse") c = i } $1 == "eval" { m = $c } END { print m }' "$out/metrics.csv")
  steps=$(awk -F, '$1 == "train" { s = $2 } END { print s }' "$out/metrics.csv")
  printf 'adding L=%s: eval MSE %s after %s steps, wall %.1f s (2 threads)\n' "$L" "$mse" "$steps" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" |
    tee -a runs/adding_results.txt
done

runs=() labels=()
for L in 100 200 300 400; do
  [ -f "runs/adding_$L/metrics.csv" ] && runs+=(--run "runs/adding_$L") && labels+=(--label "L = $L")
done
"$runnel" plot "${runs[@]}" "${labels[@]}" --metric loss --smooth 50 --every 50 --logy --no-png \
  --title "adding problem: training loss (MSE, moving average of 50 steps)" --out docs/figures/adding_loss.svg
"$runnel" plot "${runs[@]}" "${labels[@]}" --metric eval:sum:mse --logy --no-png \
  --title "adding problem: eval MSE on held-out sequences" --out docs/figures/adding_eval_mse.svg
