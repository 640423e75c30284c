#!/usr/bin/env python3
"""Worst-case stack depth of the engine's entry points, from GCC's call-graph files.

    stack_depth.py DIR [--entry SYMBOL ...]

Reads every .ci file under DIR (written by -fcallgraph-info=su next to each object: the
call graph with each function's frame size from -fstack-usage) and prints, per entry
point, the deepest chain of frames below it and that chain. Indirect calls (the kernel
tables, kernels/kernels_table.h) are bounded by the deepest function of those tables
(every function of an isa_* namespace). Calls to functions outside the files (libm,
libc: memcpy, sinf, ...) count as 0 bytes: the figure is the engine's own stack; the
firmware's measured high-water mark (examples/cortex_m4) includes theirs. A cycle in the
graph (recursion: there is none in the engine) is reported and stops the walk.
"""
import argparse
import collections
import os
import re
import sys

NODE = re.compile(r'^node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
BYTES = re.compile(r"\\n(\d+) bytes \((static|dynamic[^)]*)\)")
DEFAULT_ENTRIES = ["runnel_model_load", "runnel_session_init", "runnel_session_step"]


def symbol(title):
    return title.rsplit(":", 1)[-1]  # file-local functions are titled "file:symbol"


def read(directory):
    frames, names, calls = {}, {}, collections.defaultdict(set)
    dynamic = []
    for root, _, files in os.walk(directory):
        for f in files:
            if not f.endswith(".ci"):
                continue
            with open(os.path.join(root, f)) as fh:
                for line in fh:
                    m = NODE.match(line)
                    if m:
                        s = symbol(m.group(1))
                        b = BYTES.search(m.group(2))
                        names.setdefault(s, m.group(2).split("\\n")[0])
                        if b:
                            frames[s] = max(frames.get(s, 0), int(b.group(1)))
                            if b.group(2) != "static":
                                dynamic.append(names[s])
                        continue
                    m = EDGE.match(line)
                    if m:
                        calls[symbol(m.group(1))].add(symbol(m.group(2)))
    return frames, names, calls, dynamic


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("directory")
    p.add_argument("--entry", action="append")
    a = p.parse_args()
    frames, names, calls, dynamic = read(a.directory)
    if not frames:
        sys.exit(f"{a.directory}: no .ci files (compile with -fcallgraph-info=su)")
    table_functions = [s for s in frames if re.search(r"isa_[a-z0-9_]+", s)]
    memo, on_path = {}, set()

    def depth(s):
        if s in memo:
            return memo[s]
        if s in on_path:
            sys.exit(f"recursion through {names.get(s, s)}: no finite bound")
        on_path.add(s)
        targets = set(calls.get(s, ()))
        if "__indirect_call" in targets:
            targets.discard("__indirect_call")
            targets.update(table_functions)
        best = (0, [])
        for t in targets:
            d = depth(t)
            if d[0] > best[0]:
                best = d
        on_path.discard(s)
        memo[s] = (frames.get(s, 0) + best[0], [s] + best[1])
        return memo[s]

    if dynamic:
        print("functions with dynamic stack frames (not bounded):", ", ".join(sorted(set(dynamic))))
    for entry in a.entry or DEFAULT_ENTRIES:
        if entry not in frames and entry not in calls:
            sys.exit(f"{entry}: not in the call graph")
        total, chain = depth(entry)
        print(f"{entry}: {total} bytes worst case")
        for s in chain:
            if frames.get(s, 0):
                print(f"  {frames[s]:>5}  {names.get(s, s)[:110]}")


if __name__ == "__main__":
    main()
