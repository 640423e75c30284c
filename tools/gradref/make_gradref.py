#!/usr/bin/python3
"""Writes a runnel-gradref-1 reference file: PyTorch (float64) outputs and vector-Jacobian
products for every op the autograd checker knows, on random shapes drawn from --seed.

    /usr/bin/python3 tools/gradref/make_gradref.py --seed 11 --out testdata/gradref_seed11.json

Conventions follow testdata/GRADREF.md (axis removed by reductions, ignore_index
rows skipped, key j visible from query i iff i-window < j <= i, PyTorch GRU/LSTM layout).
"""
import argparse
import json
import math
import random

import torch
import torch.nn.functional as F


def tensor_json(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


class Maker:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.gen = torch.Generator().manual_seed(seed)
        self.cases = []

    def dim(self, lo=1, hi=4):
        return self.rng.randint(lo, hi)

    def rand(self, *shape, lo=-1.0, hi=1.0):
        return torch.rand(tuple(shape), generator=self.gen, dtype=torch.float64) * (hi - lo) + lo

    def away_from_zero(self, *shape):
        """Values with |x| >= 0.1 so finite differences never straddle a kink."""
        x = self.rand(*shape)
        return torch.where(x.abs() < 0.1, x.sign() * 0.1 + x, x)

    def add(self, name, op, fn, inputs, attrs=None, int_inputs=None):
        leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
        out = fn(**leaves)
        grad_out = self.rand(*out.shape)
        grads = torch.autograd.grad(out, list(leaves.values()), grad_out, allow_unused=True)
        self.cases.append({
            "name": name, "op": op, "attrs": attrs or {},
            "inputs": {k: tensor_json(v) for k, v in inputs.items()},
            "int_inputs": int_inputs or {},
            "output": tensor_json(out), "grad_output": tensor_json(grad_out),
            "grads": {k: tensor_json(g if g is not None else torch.zeros_like(inputs[k]))
                      for k, g in zip(leaves, grads)},
        })


def causal_mask(t, window):
    i = torch.arange(t).unsqueeze(1)
    j = torch.arange(t).unsqueeze(0)
    return (j <= i) & (j > i - window)


def attention(q, k, v, window, scale, bias=None):
    t = q.shape[2]
    s = q @ k.transpose(-1, -2) * scale
    if bias is not None:
        off = (torch.arange(t).unsqueeze(1) - torch.arange(t).unsqueeze(0)).clamp(0, window - 1)
        s = s + bias[:, off].unsqueeze(0)
    s = s.masked_fill(~causal_mask(t, window), float("-inf"))
    return torch.softmax(s, dim=-1) @ v


def conv(x, w, b, dilation):
    k = w.shape[2]
    pad = (k - 1) * dilation
    y = F.conv1d(F.pad(x.transpose(1, 2), (pad, 0)), w, b, dilation=dilation)
    return y.transpose(1, 2)


def recurrent(cls, x, w_ih, w_hh, b_ih, b_hh):
    """torch.nn.GRU / LSTM itself, run with our tensors as its weights. RNN modules read
    their weights from the _flat_weights list (functional_call does not update it in 1.13),
    so the list is replaced by our leaves."""
    module = cls(x.shape[2], w_hh.shape[1], batch_first=True).double()
    module._flat_weights = [w_ih, w_hh, b_ih, b_hh]
    out, _ = module(x)
    return out


def window_weights(x, w, norm):
    t = x.shape[1]
    ys = []
    for ti in range(t):
        acc = 0
        for i in range(min(ti + 1, w.shape[0])):
            acc = acc + w[i] * x[:, ti - i]
        ys.append(acc * norm[ti])
    return torch.stack(ys, 1)


def linear_decay(x, window):
    w = torch.tensor([(window - i) / window for i in range(window)], dtype=x.dtype)
    norm = [1.0 / float(w[: min(t + 1, window)].sum()) for t in range(x.shape[1])]
    return window_weights(x, w, norm)


def exp_decay(x, alpha):
    s = torch.zeros_like(x[:, 0])
    n = 0.0
    ys = []
    for t in range(x.shape[1]):
        s = x[:, t] + alpha * s
        n = 1.0 + alpha * n
        ys.append(s / n)
    return torch.stack(ys, 1)


def attention_pool(x, q):
    scores = (x @ q) / math.sqrt(x.shape[2])  # [B, T]
    t = x.shape[1]
    mask = torch.arange(t).unsqueeze(0) <= torch.arange(t).unsqueeze(1)  # [t, j]
    s = scores.unsqueeze(1).expand(-1, t, -1).masked_fill(~mask, float("-inf"))
    return torch.softmax(s, -1) @ x


def build(m):
    d = m.dim
    # matmul, plain and batched
    mm, kk, nn_ = d(), d(1, 5), d()
    m.add("matmul", "matmul", lambda a, b: a @ b, {"a": m.rand(mm, kk), "b": m.rand(kk, nn_)})
    s = d(1, 3)
    m.add("batched_matmul", "matmul", lambda a, b: a @ b, {"a": m.rand(s, mm, kk), "b": m.rand(s, kk, nn_)})
    # binary ops with broadcasting: b gets size-1 dims where a has r, c
    r, c = d(), d()
    m.add("add_broadcast", "add", lambda a, b: a + b, {"a": m.rand(r, c), "b": m.rand(1, c)})
    m.add("sub_broadcast", "sub", lambda a, b: a - b, {"a": m.rand(r, 1), "b": m.rand(r, c)})
    m.add("mul_broadcast", "mul", lambda a, b: a * b, {"a": m.rand(r, c), "b": m.rand(c)})
    m.add("div_broadcast", "div", lambda a, b: a / b,
          {"a": m.rand(r, c), "b": m.rand(r, 1, lo=0.5, hi=1.5)})
    unary = {"exp": torch.exp, "log": torch.log, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
             "relu": torch.relu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
             "gelu_erf": F.gelu}
    for name, fn in unary.items():
        x = m.rand(r, c, lo=0.2, hi=2.0) if name == "log" else m.away_from_zero(r, c)
        m.add(name, name, lambda x, fn=fn: fn(x), {"x": x})
    shape = [d(), d(), d()]
    for axis in range(3):
        m.add(f"sum_axis{axis}", "sum", lambda x, a=axis: x.sum(a), {"x": m.rand(*shape)}, {"axis": axis})
        m.add(f"mean_axis{axis}", "mean", lambda x, a=axis: x.mean(a), {"x": m.rand(*shape)}, {"axis": axis})
        m.add(f"max_axis{axis}", "max", lambda x, a=axis: x.max(a).values, {"x": m.rand(*shape)}, {"axis": axis})
    for axis in (-1, 0):
        m.add(f"softmax_axis{axis}", "softmax", lambda x, a=axis: torch.softmax(x, a), {"x": m.rand(*shape)}, {"axis": axis})
        m.add(f"log_softmax_axis{axis}", "log_softmax", lambda x, a=axis: torch.log_softmax(x, a),
              {"x": m.rand(*shape)}, {"axis": axis})
    n, classes = d(2, 6), d(2, 5)
    target = [m.rng.randrange(classes) for _ in range(n)]
    target[0] = 0  # at least one ignored row
    target[-1] = classes - 1 if classes > 1 else 0
    m.add("cross_entropy", "cross_entropy", lambda logits: F.cross_entropy(logits, torch.tensor(target), ignore_index=0),
          {"logits": m.rand(n, classes, lo=-2, hi=2)}, {"ignore_index": 0, "reduction": "mean"}, {"target": target})
    tgt = m.rand(r, c)
    m.add("mse", "mse", lambda pred: F.mse_loss(pred, tgt), {"pred": m.rand(r, c)},
          {"reduction": "mean", "target": tensor_json(tgt)})
    dd = d(2, 6)
    m.add("layer_norm", "layer_norm", lambda x, gamma, beta: F.layer_norm(x, (dd,), gamma, beta, 1e-5),
          {"x": m.rand(d(), d(), dd), "gamma": m.rand(dd), "beta": m.rand(dd)}, {"eps": 1e-5})
    m.add("l2_normalize", "l2_normalize", lambda x: F.normalize(x, dim=-1, eps=1e-12),
          {"x": m.rand(d(), dd)}, {"axis": -1, "eps": 1e-12})
    vocab, b, t = d(3, 8), d(1, 3), d(1, 5)
    ids = [[m.rng.randrange(vocab) for _ in range(t)] for _ in range(b)]
    m.add("embedding", "embedding", lambda weight: F.embedding(torch.tensor(ids), weight),
          {"weight": m.rand(vocab, dd)}, {}, {"ids": ids})
    seq = [d(1, 3), d(1, 6), d(1, 4)]
    m.add("cumsum", "cumsum", lambda x: x.cumsum(1), {"x": m.rand(*seq)}, {"axis": 1})
    m.add("cummax", "cummax", lambda x: x.cummax(1).values, {"x": m.rand(*seq)}, {"axis": 1})
    m.add("cummean", "cummean", lambda x: x.cumsum(1) / torch.arange(1, seq[1] + 1, dtype=x.dtype).view(1, -1, 1),
          {"x": m.rand(*seq)}, {"axis": 1})
    b, h, t, dh = d(1, 2), d(1, 3), d(2, 6), d(1, 4)
    for window in sorted({1, d(2, t), t + 1}):
        qkv = {k: m.rand(b, h, t, dh) for k in "qkv"}
        scale = 1 / math.sqrt(dh)
        m.add(f"causal_attention_w{window}", "causal_attention",
              lambda q, k, v, w=window: attention(q, k, v, w, scale), qkv, {"window": window, "scale": scale})
    window = d(1, t)
    qkv = {k: m.rand(b, h, t, dh) for k in "qkv"}
    qkv["bias"] = m.rand(h, window)
    m.add("causal_attention_bias", "causal_attention",
          lambda q, k, v, bias: attention(q, k, v, window, 0.5, bias), qkv, {"window": window, "scale": 0.5})
    cin, cout, kern, dil = d(1, 3), d(1, 3), d(1, 3), d(1, 2)
    m.add(f"causal_conv1d_k{kern}_d{dil}", "causal_conv1d", lambda x, w, b: conv(x, w, b, dil),
          {"x": m.rand(b, t, cin), "w": m.rand(cout, cin, kern), "b": m.rand(cout)},
          {"dilation": dil, "kernel": kern})
    inp, hid = d(1, 3), d(1, 3)
    for name, cls, gates in (("gru", torch.nn.GRU, 3), ("lstm", torch.nn.LSTM, 4)):
        m.add(name, name, lambda x, w_ih, w_hh, b_ih, b_hh, cls=cls: recurrent(cls, x, w_ih, w_hh, b_ih, b_hh),
              {"x": m.rand(b, t, inp), "w_ih": m.rand(gates * hid, inp), "w_hh": m.rand(gates * hid, hid),
               "b_ih": m.rand(gates * hid), "b_hh": m.rand(gates * hid)}, {"hidden": hid})
    window = d(1, t + 1)
    m.add("linear_decay", "linear_decay", lambda x: linear_decay(x, window), {"x": m.rand(b, t, dd)}, {"window": window})
    m.add("exp_decay", "exp_decay", lambda x: exp_decay(x, 0.7), {"x": m.rand(b, t, dd)}, {"alpha": 0.7})
    m.add("learned_pos_weights", "learned_pos_weights", lambda x, w: window_weights(x, w, [1.0] * t),
          {"x": m.rand(b, t, dd), "w": m.rand(window)})
    m.add("attention_pool", "attention_pool", attention_pool, {"x": m.rand(b, t, dd, lo=-2, hi=2), "q": m.rand(dd, lo=-2, hi=2)})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.use_deterministic_algorithms(True)
    m = Maker(args.seed)
    build(m)
    doc = {"format": "runnel-gradref-1", "dtype": "float64", "seed": args.seed,
           "producer": f"PyTorch {torch.__version__} (tools/gradref/make_gradref.py)", "cases": m.cases}
    with open(args.out, "w") as f:
        json.dump(doc, f)
    print(f"{args.out}: {len(m.cases)} cases")


if __name__ == "__main__":
    main()
