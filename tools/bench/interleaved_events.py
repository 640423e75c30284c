#!/usr/bin/env python3
"""Writes an event log of many entities whose events interleave (every entity's k-th event
before any entity's (k+1)-th): the worst case for a session store, since every entity
returns only after all the others. Columns fit testdata/models/two_stream.rnl (the
employee fields of testdata/run/employees_small.csv); values are drawn with a fixed seed.

    python3 tools/bench/interleaved_events.py --entities 100000 --events 20 --out /tmp/many.csv
    runnel run --model testdata/models/two_stream.rnl --events /tmp/many.csv [--session-memory 16M]
"""
import argparse
import random

FIELDS = {
    "event_type": ["hire", "move", "leave", "transfer"],
    "location": ["north", "south", "east"],
    "cost_code": ["c100", "c200", "c300", "c400"],
    "job_code": ["eng", "ops", "sales"],
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--entities", type=int, default=100000)
    p.add_argument("--events", type=int, default=20, help="events per entity")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    rng = random.Random(a.seed)
    statics = [(rng.choice(["0.5", "1.0", "3.5"]), rng.choice(["1", "2", "3"]), rng.choice(["0", "1"]))
               for _ in range(a.entities)]
    with open(a.out, "w") as f:
        f.write("entity,time," + ",".join(FIELDS) + ",tenure,grade,remote\n")
        for k in range(a.events):
            rows = []
            for e in range(a.entities):
                values = ",".join(rng.choice(v) for v in FIELDS.values())
                rows.append(f"u{e},{1700000000 + k * 86400 + e},{values},{','.join(statics[e])}\n")
            f.writelines(rows)


if __name__ == "__main__":
    main()
