#!/usr/bin/env python3
"""Multi-stream employee-event model, PyTorch (CPU) training peer.

Model (the `multistream` model of models/multistream.json, at the size of the peer):
  fields / streams: EventType (V=16), Location (64), CostCode (128), JobCode (32);
           id 0 is reserved (padding/unknown) and never generated here.
  per stream k: Embedding(V_k, 64) + learned absolute position (64 x 64)
           -> 2-layer Transformer encoder, pre-LN (norm_first), 4 heads, d=64,
              ff=128, GELU (erf), dropout 0, causal mask, final LayerNorm
           -> h_k(t)
  fusion:  a learnable query q (64) attends (nn.MultiheadAttention, 4 heads)
           over the 4 stream vectors of the same time step [h_1(t)..h_4(t)];
           z(t) = LayerNorm(q + attn)
  heads:   one Linear(64, V_k) per field, predicting field k of event t+1.
  loss:    mean over the 4 fields of cross-entropy (ignore_index 0), averaged
           over batch x 64 positions.  Adam lr 1e-3, batch 32, sequence length 64.

Data: seeded synthetic employees (per-employee Markov chain over event types mixing
a shared sparse transition matrix with a personal one; sticky job codes with a
personal primary/secondary job; location chosen from the employee's favourites by
event type; cost code a function of job and location), so the loss falls well
below the uniform level.

Prints one JSON line at the end (and writes it with --out).
Usage: python3 multistream.py [--steps 500] [--threads 2]   (about 2 min on 2 cores)
Use Debian's python3 (the one python3-torch installs into).
"""
import argparse
import ctypes
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------
# environment helpers (duplicated in every peer script so each is standalone)
def blas_setup(torch_threads, blas_threads=-1):
    """Find the BLAS that torch loaded (Debian: update-alternatives libblas.so.3) and set
    its thread count.  blas_threads < 0 = auto: with OpenBLAS's pthread build and more than
    one torch thread use 1 BLAS thread (its own pool would fight torch's OpenMP pool for
    the cores: measured up to 2x slower here); otherwise use torch_threads."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and ("blas" in parts[5] or "lapack" in parts[5]):
                    libs.add(os.path.realpath(parts[5]))
    except OSError:
        pass
    info = {"libs": sorted("/".join(p.split("/")[-2:]) for p in libs)}
    if any("/blas/" in "/" + l for l in info["libs"]):
        info["kind"] = "reference-netlib"
    elif any("openblas-pthread" in l for l in info["libs"]):
        info["kind"] = "openblas-pthread"
    elif any("openblas-openmp" in l for l in info["libs"]):
        info["kind"] = "openblas-openmp"
    else:
        info["kind"] = "unknown"
    if blas_threads < 0:
        blas_threads = 1 if (info["kind"] == "openblas-pthread" and torch_threads > 1) else torch_threads
        info["threads_policy"] = "auto"
    else:
        info["threads_policy"] = "explicit"
    for p in sorted(libs):
        if "libopenblas" in os.path.basename(p):
            try:
                lib = ctypes.CDLL(p)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_set_num_threads(int(blas_threads))
                info["openblas_config"] = lib.openblas_get_config().decode()
                info["openblas_threads"] = lib.openblas_get_num_threads()
            except (OSError, AttributeError):
                pass
    return info


def env_info(torch_threads, blas_threads=-1):
    flags = ""
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags") and not flags:
                    flags = line
                if line.startswith("model name") and not model:
                    model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    fl = set(flags.split())
    return {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cpu": model,
        "cpu_flags": {k: (k in fl) for k in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_tile")},
        "nproc": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "blas": blas_setup(torch_threads, blas_threads),
        "ld_preload": os.path.basename(os.environ.get("LD_PRELOAD", "")),
        "malloc_env": {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")},
    }


# ----------------------------------------------------------------------------
FIELDS = ("EventType", "Location", "CostCode", "JobCode")
VOCAB = (16, 64, 128, 32)
D, HEADS, FF, LAYERS, SEQ = 64, 4, 128, 2, 64


def sample_rows(p, u):
    """Sample one index per row of the probability matrix p (n x V) with uniforms u."""
    c = np.cumsum(p, axis=1)
    c[:, -1] = 1.0 + 1e-9
    return (c < u[:, None]).sum(axis=1)


def make_employees(n_emp, rng):
    ve, vl, vc, vj = VOCAB
    ne = ve - 1
    # shared sparse transition structure over event types 1..15
    base = np.full((ne, ne), 0.02)
    for a in range(ne):
        succ = rng.choice(ne, 3, replace=False)
        base[a, succ] += rng.dirichlet([2.0, 1.0, 0.5]) * 3.0
    base /= base.sum(1, keepdims=True)
    emp = {
        "trans": np.empty((n_emp, ne, ne)),
        "fav_loc": rng.integers(1, vl, size=(n_emp, 4)),
        "jobs": rng.integers(1, vj, size=(n_emp, 2)),
        "type_to_fav": rng.integers(0, 4, size=(n_emp, ve)),
        "cost_salt": rng.integers(0, 8, size=n_emp),
    }
    for e in range(n_emp):
        pers = rng.dirichlet(np.full(ne, 0.3), size=ne)
        emp["trans"][e] = 0.7 * base + 0.3 * pers
    return emp


def make_sequences(n, emp, rng, length=SEQ + 1):
    ve, vl, vc, vj = VOCAB
    n_emp = emp["trans"].shape[0]
    who = rng.integers(0, n_emp, size=n)
    rows = np.arange(n)
    et = np.empty((n, length), np.int64)
    lo = np.empty((n, length), np.int64)
    co = np.empty((n, length), np.int64)
    jo = np.empty((n, length), np.int64)
    cur_t = rng.integers(0, ve - 1, size=n)          # 0-based type index (id = idx + 1)
    cur_j = emp["jobs"][who, 0]
    cur_l = emp["fav_loc"][who, 0]
    for t in range(length):
        cur_t = sample_rows(emp["trans"][who, cur_t], rng.random(n))
        # job: sticky, switch between the employee's two jobs, rare random
        u = rng.random(n)
        sw = (u > 0.85) & (u <= 0.97)
        rnd = u > 0.97
        other = np.where(cur_j == emp["jobs"][who, 0], emp["jobs"][who, 1], emp["jobs"][who, 0])
        cur_j = np.where(sw, other, cur_j)
        cur_j = np.where(rnd, rng.integers(1, vj, size=n), cur_j)
        # location: favourite chosen by event type, else stay, else random
        u = rng.random(n)
        fav = emp["fav_loc"][who, emp["type_to_fav"][who, cur_t + 1]]
        cur_l = np.where(u < 0.75, fav, np.where(u < 0.9, cur_l, rng.integers(1, vl, size=n)))
        # cost code: function of (job, location, employee salt), else random
        u = rng.random(n)
        cost = (7 * cur_j + 3 * (cur_l % 8) + emp["cost_salt"][who]) % (vc - 1) + 1
        cur_c = np.where(u < 0.8, cost, rng.integers(1, vc, size=n))
        et[rows, t] = cur_t + 1
        lo[rows, t] = cur_l
        co[rows, t] = cur_c
        jo[rows, t] = cur_j
    return np.stack([et, lo, co, jo], axis=-1)        # (n, length, 4)


class Stream(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, D)
        self.pos = nn.Parameter(torch.randn(SEQ, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, HEADS, FF, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, LAYERS, norm=nn.LayerNorm(D),
                                         enable_nested_tensor=False)

    def forward(self, ids, mask):
        x = self.emb(ids) + self.pos[: ids.shape[1]]
        return self.enc(x, mask=mask)


class MultiStream(nn.Module):
    def __init__(self):
        super().__init__()
        self.streams = nn.ModuleList(Stream(v) for v in VOCAB)
        self.query = nn.Parameter(torch.randn(D) * 0.02)
        self.fuse = nn.MultiheadAttention(D, HEADS, dropout=0.0, batch_first=True)
        self.fuse_norm = nn.LayerNorm(D)
        self.heads = nn.ModuleList(nn.Linear(D, v) for v in VOCAB)
        T = SEQ
        self.register_buffer("causal", torch.triu(torch.full((T, T), float("-inf")), diagonal=1))

    def forward(self, ev):                           # ev: (B, T, 4) int64
        B, T, _ = ev.shape
        mask = self.causal[:T, :T]
        hs = [s(ev[:, :, k], mask) for k, s in enumerate(self.streams)]
        H = torch.stack(hs, dim=2).reshape(B * T, len(VOCAB), D)     # 4 tokens per step
        q = self.query.expand(B * T, 1, D)
        a, _ = self.fuse(q, H, H, need_weights=False)
        z = self.fuse_norm(q + a).reshape(B, T, D)
        return [h(z) for h in self.heads]


def loss_fn(logits, tgt):
    losses = [F.cross_entropy(lg.reshape(-1, lg.shape[-1]), tgt[:, :, k].reshape(-1), ignore_index=0)
              for k, lg in enumerate(logits)]
    return sum(losses) / len(losses), losses


@torch.no_grad()
def evaluate(model, data, bs=256):
    model.eval()
    tot = np.zeros(len(VOCAB))
    acc = np.zeros(len(VOCAB))
    n = 0
    for s in range(0, data.shape[0], bs):
        b = data[s:s + bs]
        logits = model(b[:, :-1])
        _, ls = loss_fn(logits, b[:, 1:])
        m = b.shape[0]
        tot += np.array([float(l) for l in ls]) * m
        acc += np.array([float((lg.argmax(-1) == b[:, 1:, k]).float().mean())
                         for k, lg in enumerate(logits)]) * m
        n += m
    model.train()
    return float((tot / n).mean()), (tot / n).tolist(), (acc / n).tolist()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=500)
    ap.add_argument("--report-at", type=int, nargs="*", default=[100, 250, 500])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--employees", type=int, default=256)
    ap.add_argument("--train-seqs", type=int, default=8192)
    ap.add_argument("--val-seqs", type=int, default=1024)
    ap.add_argument("--blas-threads", type=int, default=-1,
                    help="OpenBLAS threads (-1 = auto, see blas_setup)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    env = env_info(args.threads, args.blas_threads)
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)

    t0 = time.time()
    emp = make_employees(args.employees, rng)
    train = torch.from_numpy(make_sequences(args.train_seqs, emp, rng))
    val = torch.from_numpy(make_sequences(args.val_seqs, emp, rng))
    gen_s = time.time() - t0

    model = MultiStream()
    nparams = sum(p.numel() for p in model.parameters())
    per_part = {
        "per_stream": [sum(p.numel() for p in s.parameters()) for s in model.streams],
        "fusion": sum(p.numel() for p in model.fuse.parameters()) + D + 2 * D,
        "heads": sum(p.numel() for p in model.heads.parameters()),
    }
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    uniform = float(np.mean([math.log(v - 1) for v in VOCAB]))
    v0 = evaluate(model, val)

    step_times, train_losses, at = [], [], {}
    t_train = 0.0
    for step in range(1, args.steps + 1):
        ts = time.perf_counter()
        idx = torch.randint(0, train.shape[0], (args.batch,))
        b = train[idx]
        logits = model(b[:, :-1])
        loss, _ = loss_fn(logits, b[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        dt = time.perf_counter() - ts
        t_train += dt
        step_times.append(dt)
        train_losses.append(float(loss))
        if step in args.report_at:
            vl, vls, vacc = evaluate(model, val)
            at[str(step)] = {
                "train_loss_mean_last20": float(np.mean(train_losses[-20:])),
                "val_loss": vl, "val_loss_per_field": dict(zip(FIELDS, vls)),
                "val_top1_per_field": dict(zip(FIELDS, vacc)),
            }
            print(f"# step {step}: train {at[str(step)]['train_loss_mean_last20']:.4f} val {vl:.4f} "
                  f"acc {['%.3f' % a for a in vacc]} median step {statistics.median(step_times[10:]) * 1e3:.1f} ms",
                  file=sys.stderr, flush=True)
    st = sorted(step_times[10:])
    med = statistics.median(st)
    mean = sum(st) / len(st)
    out = {
        "bench": "multistream",
        "config": {"fields": dict(zip(FIELDS, VOCAB)), "d": D, "heads": HEADS, "ff": FF, "layers": LAYERS,
                   "seq_len": SEQ, "batch": args.batch, "lr": args.lr, "threads": args.threads,
                   "norm_first": True, "activation": "gelu(erf)", "dropout": 0.0,
                   "fusion": "learnable query, MHA(4 heads) over the 4 stream vectors of each step, LN(q + attn)",
                   "train_seqs": args.train_seqs, "val_seqs": args.val_seqs, "employees": args.employees},
        "env": env,
        "params": nparams,
        "params_by_part": per_part,
        "data_gen_seconds": gen_s,
        "steps": args.steps,
        "sec_per_step_median": med,
        "sec_per_step_p10": st[int(0.1 * (len(st) - 1))],
        "sec_per_step_p90": st[int(0.9 * (len(st) - 1))],
        "sec_per_step_mean": mean,
        "steps_per_s_median": 1.0 / med,
        "samples_per_s_median": args.batch / med,
        "samples_per_s_mean": args.batch / mean,
        "events_per_s_median": args.batch * SEQ / med,
        "train_seconds_total": t_train,
        "step_ms_median_per_50_steps": [round(statistics.median(step_times[i:i + 50]) * 1e3, 1)
                                         for i in range(0, len(step_times), 50)],
        "uniform_loss": uniform,
        "val_loss_step0": v0[0],
        "train_loss_step1": train_losses[0],
        "at": at,
    }
    line = json.dumps(out)
    if args.out:
        with open(args.out, "w") as f:
            f.write(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
