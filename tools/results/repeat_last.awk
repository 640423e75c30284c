# "Repeat the last event" baseline for sequence accuracy: the next K events of an entity
# are predicted to equal its last event (event_type, location, cost_code, job_code).
BEGIN { FS = "," }
FNR == 1 { next }
{ a = $1; i = n[a]++; ev[a, i] = $3 FS $4 FS $5 FS $6 }
END {
  for (a in n) {
    s = int(0.8 * n[a] + 1e-9)
    for (p = s; p + K - 1 < n[a]; p++) {
      total++; ok = 1
      for (j = 0; j < K; j++) if (ev[a, p + j] != ev[a, p - 1]) ok = 0
      correct += ok
    }
  }
  printf "repeat-last sequence accuracy, horizon %d: %.2f%% (%d / %d)\n", K, 100 * correct / total, correct, total
}
