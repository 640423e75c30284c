#!/usr/bin/env python3
"""Prints the tables of docs/RESULTS.md from the runs tools/results/tables.sh made.

Reads OUT/<run>/summary.json (final validation metrics, parameter count, wall time),
OUT/<run>/bench.txt (engine latency, bytes per session) and OUT/<table>.baselines.json.
Standard library only.
"""
import argparse
import json
import os
import re
import statistics


def load_run(out, name):
    d = os.path.join(out, name)
    with open(os.path.join(d, "summary.json")) as f:
        s = json.load(f)
    with open(os.path.join(d, "bench.txt")) as f:
        b = f.read()
    m = re.search(r"median ([0-9.]+) us, p99 ([0-9.]+) us", b)
    bytes_ = re.search(r"([0-9]+) bytes per session", b)
    return {
        "summary": s,
        "heads": s["heads"],
        "params": s["parameters"],
        "seconds": s["seconds"],
        "median_us": float(m.group(1)),
        "p99_us": float(m.group(2)),
        "session_bytes": int(bytes_.group(1)),
    }


def load_baselines(out, table):
    with open(os.path.join(out, table + ".baselines.json")) as f:
        return json.load(f)


def fmt_int(n):
    return f"{n:,}".replace(",", " ")


def seq_tabular(out, seeds):
    b = load_baselines(out, "seq_tabular")["value"]
    encoders = [("mean", "mean"), ("max", "max"), ("sum", "sum"),
                ("linear_decay", "linear decay (window 16)"), ("exp_decay", "exponential decay (alpha 0.7)"),
                ("learned_pos_weights", "learned positional weights (window 16)"),
                ("attention_pool", "attention pooling"), ("conv", "causal CNN (3 layers, k 3)"),
                ("gru", "GRU (hidden 32)"), ("lstm", "LSTM (hidden 32)"),
                ("transformer", "Transformer (2 layers, window 32)")]
    print("| encoder | validation MSE (mean ± sd over seeds) | per seed | parameters | bytes / session | µs / event (median) | µs / event (p99) | training wall time (mean) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    print(f"| *constant (train mean)* | {b['constant_mse']:.4f} | | 1 | – | – | – | – |")
    print(f"| *static features only (least squares on s0..s2)* | {b['statics_ols_mse']:.4f} | | 4 | – | – | – | – |")
    for key, label in encoders:
        runs = [load_run(out, f"seq_tabular_{key}_seed{s}") for s in seeds]
        mses = [r["heads"]["value"]["mse"] for r in runs]
        print(f"| {label} | {spread(mses)} | {', '.join(f'{m:.4f}' for m in mses)} | {fmt_int(runs[0]['params'])} | "
              f"{fmt_int(runs[0]['session_bytes'])} | {statistics.median(r['median_us'] for r in runs):.2f} | "
              f"{statistics.median(r['p99_us'] for r in runs):.2f} | {statistics.mean(r['seconds'] for r in runs):.0f} s |")
    print("| *noise floor (noise 0.05 → 0.05²)* | 0.0025 | | | | | | |")


def spread(values):
    mean = statistics.mean(values)
    if len(values) < 2:
        return f"{mean:.4f}"
    return f"{mean:.4f} ± {statistics.stdev(values):.4f}"


def posenc(out, seeds):
    b = load_baselines(out, "posenc")["value"]
    variants = [("posenc_regression", "learned absolute"), ("posenc_regression_sinusoidal", "sinusoidal"),
                ("posenc_regression_none", "none")]
    print("| positions | validation MSE (mean ± sd over seeds) | per seed | parameters | bytes / session | µs / event (median) | training wall time (mean) |")
    print("|---|---:|---|---:|---:|---:|---:|")
    print(f"| *constant (train mean)* | {b['constant_mse']:.4f} | | | | | |")
    for key, label in variants:
        runs = [load_run(out, f"{key}_seed{s}") for s in seeds]
        mses = [r["heads"]["value"]["mse"] for r in runs]
        per_seed = ", ".join(f"{m:.4f}" for m in mses)
        print(f"| {label} | {spread(mses)} | {per_seed} | {fmt_int(runs[0]['params'])} | "
              f"{fmt_int(runs[0]['session_bytes'])} | {statistics.median(r['median_us'] for r in runs):.2f} | "
              f"{statistics.mean(r['seconds'] for r in runs):.0f} s |")


def multitask(out, seeds):
    b = load_baselines(out, "multitask")
    print("| pooling | L2 + projection 32 | value weight | class accuracy | class macro-F1 | value MSE | parameters | bytes / session | µs / event (median) | training wall time (mean) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| *majority class / train-mean constant* | | | {100 * b['class']['majority_accuracy']:.1f} % | "
          f"{100 * b['class']['majority_macro_f1']:.1f} % | {b['value']['constant_mse']:.4f} | | | | |")
    variants = ["cls", "mean", "max", "last", "cls_l2", "mean_l2", "max_l2", "last_l2", "cls_value_x0.1", "cls_value_x10"]

    def pct(values):
        values = [100 * v for v in values]
        if len(values) < 2:
            return f"{values[0]:.1f} %"
        return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f} %"

    for v in variants:
        runs = [load_run(out, f"multitask_{v}_seed{s}") for s in seeds]
        cfg = runs[0]["summary"]["config"]["model"]
        pool = cfg["pooling"]
        weight = next(h["weight"] for h in cfg["heads"] if h["name"] == "value")
        acc = [r["heads"]["class"]["accuracy"] for r in runs]
        f1 = [r["heads"]["class"]["macro_f1"] for r in runs]
        mse = [r["heads"]["value"]["mse"] for r in runs]
        print(f"| {pool['kind']} | {'yes' if pool.get('l2_normalize') else 'no'} | {weight:g} | "
              f"{pct(acc)} | {pct(f1)} | {spread(mse)} | {fmt_int(runs[0]['params'])} | "
              f"{fmt_int(runs[0]['session_bytes'])} | {statistics.median(r['median_us'] for r in runs):.2f} | "
              f"{statistics.mean(r['seconds'] for r in runs):.0f} s |")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="runs/results")
    p.add_argument("--seeds", default="1 2 3")
    p.add_argument("tables", nargs="*", default=["seq_tabular", "posenc", "multitask"])
    a = p.parse_args()
    for t in a.tables:
        print(f"\n#### {t}\n")
        if t == "seq_tabular":
            seq_tabular(a.out, [int(s) for s in a.seeds.split()])
        elif t == "posenc":
            posenc(a.out, [int(s) for s in a.seeds.split()])
        elif t == "multitask":
            multitask(a.out, [int(s) for s in a.seeds.split()])


if __name__ == "__main__":
    main()
