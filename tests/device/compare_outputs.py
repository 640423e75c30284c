#!/usr/bin/env python3
"""Compares two runs of examples/cortex_m4's streaming (lines "event k: <float bits>...").

    compare_outputs.py device.txt host.txt [tolerance]

Fails unless both have the same events and values, each within tolerance relative to
max(1, |host value|); prints the largest difference."""
import math
import struct
import sys


def events(path):
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("event "):
                head, _, bits = line.partition(":")
                rows.append((head, [struct.unpack(">f", bytes.fromhex(b))[0] for b in bits.split()]))
    return rows


def main():
    device, host = events(sys.argv[1]), events(sys.argv[2])
    tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-5
    if not host:
        sys.exit(f"{sys.argv[2]}: no events")
    if [h for h, _ in device] != [h for h, _ in host] or any(len(d) != len(h) for (_, d), (_, h) in zip(device, host)):
        sys.exit(f"{len(device)} events from the device, {len(host)} from the host, or widths differ")
    worst, where = 0.0, ""
    for (head, d), (_, h) in zip(device, host):
        for i, (a, b) in enumerate(zip(d, h)):
            diff = abs(a - b) / max(1.0, abs(b)) if not (math.isnan(a) or math.isnan(b)) else math.inf
            if diff > worst:
                worst, where = diff, f"{head} value {i}"
    n = sum(len(h) for _, h in host)
    print(f"{len(host)} events, {n} values, largest difference {worst:.3g}{' at ' + where if where else ''}")
    if worst > tolerance:
        sys.exit(f"largest difference {worst:.3g} > {tolerance}")


if __name__ == "__main__":
    main()
