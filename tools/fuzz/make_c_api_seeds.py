#!/usr/bin/env python3
"""Writes the seed programs of the C API fuzz target (tools/fuzz/fuzz_c_api.cc) to
testdata/fuzz_c_api/*.bin. Each is a readable sequence of calls in the target's encoding;
libFuzzer mutates from there.

    python3 tools/fuzz/make_c_api_seeds.py [OUT_DIR=testdata/fuzz_c_api]
"""
import os
import sys

A, B = 0, 1                # single_stream (2 fields, 2 numeric, 320-byte sessions), two_stream (4 fields, 3 static, 1600)
FIELDS = {A: 2, B: 4}
NUMERIC = {A: 2, B: 0}
STATIC = {A: 0, B: 3}
VALID_LOAD, VALID_INIT, PLAIN_EVENT, DT_ONE = 6, 10, 5, 1


def load(slot, file, variant=VALID_LOAD, arg=0):
    return [0, slot, file, variant, arg]


def init(session, model, variant=VALID_INIT, arg=0):
    return [1, session, model, variant, arg]


def step(session, file, ids=None, numeric=None, shape=PLAIN_EVENT, dt=DT_ONE, unbound_file=None):
    """file: the model the session is bound to (it decides how many id / numeric bytes follow)."""
    head = [2, session] + ([unbound_file] if unbound_file is not None else []) + [shape]
    ids = ids if ids is not None else [1 + i for i in range(FIELDS[file])]
    numeric = numeric if numeric is not None else [64 + 8 * i for i in range(NUMERIC[file])]
    return head + ids + numeric + [dt]


def copy(dst, src, variant=2):
    return [3, dst, src, variant]


def reset(session, variant=1):
    return [4, session, variant]


def set_static(session, file, variant=3, values=None):
    return [5, session, variant] + (values if values is not None else [70] * STATIC[file])


def output(session, k):
    return [6, session, k]


def query(slot, field, id, k, text=b"login"):
    return [7, slot, field, id, k, len(text)] + list(text)


SEEDS = {
    "basic": load(0, A) + init(0, 0) + step(0, A) + step(0, A, ids=[2, 3]) + step(0, A) + output(0, 0)
    + output(0, 1) + reset(0) + step(0, A) + query(0, 0, 1, 0) + query(0, 1, 2, 1, b"north"),
    # Issue 17 item 2: a bigger model loaded under a live session; the session must refuse
    # (kModelMismatch) until it is initialised again.
    "reload_bigger": load(0, A) + init(0, 0) + step(0, A) + load(0, B) + step(0, A) + copy(1, 0) + output(0, 0)
    + init(0, 0) + set_static(0, B) + step(0, B) + step(0, B) + output(0, 3),
    "two_models": load(0, A) + load(1, B) + init(0, 0) + init(1, 1) + init(2, 0) + step(0, A) + step(1, B)
    + step(2, A) + copy(2, 0) + copy(1, 0) + copy(0, 1) + reset(1) + set_static(1, B) + step(1, B)
    + query(0, 1, 3, 1) + query(1, 3, 2, 3, b"eng"),
    "invalid": load(0, A, 0, 17) + load(0, A, 1) + load(0, B, 2, 3) + load(0, A, 3, 5) + load(0, A, 4)
    + load(0, A, 5, 9) + load(1, B) + init(0, 1, 0, 7) + init(0, 1, 1, 1) + init(0, 1, 2, 8) + init(0, 1, 3)
    + init(0, 1, 4) + init(1, 1, 5) + init(1, 1, 6, 2) + init(1, 1, 7, 4) + init(1, 1, 8) + init(1, 1, 9)
    + init(2, 0) + init(2, 1) + step(2, B, shape=0) + step(2, B, shape=2) + step(2, B, shape=4)
    + step(2, B, ids=[1, 230, 1, 1]) + step(2, B, ids=[1, 1, 1, 201]) + step(2, B, dt=6) + step(2, B, dt=5)
    + set_static(2, B, 0, [70] * 4) + set_static(2, B, 1, [70] * 2) + set_static(2, B, 2) + set_static(2, B, 3, [70, 254, 70])
    + copy(2, 2, 0) + copy(2, 2, 1) + step(0, A, unbound_file=A) + query(0, 9, 250, 7),
    "long_stream": load(0, B) + init(0, 0) + sum((step(0, B, ids=[1 + i % 3, 1, 2, 1]) for i in range(40)), []),
    "failed_reload": load(0, A) + init(0, 0) + step(0, A) + load(0, A, 0, 40) + step(0, A) + init(1, 0)
    + query(0, 0, 1, 0) + load(0, A) + step(0, A) + copy(1, 0) + init(1, 0) + copy(1, 0) + step(1, A),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata/fuzz_c_api"
    os.makedirs(out, exist_ok=True)
    for name, program in SEEDS.items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(bytes(program))


if __name__ == "__main__":
    main()
