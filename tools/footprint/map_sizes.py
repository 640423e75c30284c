#!/usr/bin/env python3
"""Flash and RAM of a firmware image by where the bytes come from, read from a GNU ld map.

    map_sizes.py firmware.map [--engine librunnel_engine.a] [--model model_data]
                 [--detail libm.a]

Every input section placed in an allocated output section is counted once: flash for
.text/.rodata/.ARM.exidx and the load image of .data, RAM for .data and .bss. Components:
the engine (its archive), the C/C++ runtime it pulls in (libm, libgcc, libstdc++/libsupc++,
libc), the model array, and the rest of the program. --detail ARCHIVE lists that archive's
members and sizes (which functions of libm, say, came in).
"""
import argparse
import collections
import os
import re
import sys

FLASH_SECTIONS = (".text", ".rodata", ".ARM.exidx", ".ARM.extab")
RAM_SECTIONS = (".data", ".bss")
ENTRY = re.compile(r"^ (\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
OUTPUT = re.compile(r"^(\.\S+)\s*(0x[0-9a-f]+)?")


def component(path, engine, model):
    base = os.path.basename(path)
    m = re.match(r"(lib[^()]+\.a)\(([^)]+)\)", base)
    if m:
        archive, member = m.groups()
        if archive == engine:
            return "engine", member
        for name, key in (("libm", "libm"), ("libgcc", "libgcc"), ("libstdc++", "libstdc++"),
                          ("libsupc++", "libstdc++"), ("libc", "libc"), ("libnosys", "libc"),
                          ("librdimon", "libc")):
            if archive.startswith(name):
                return key, member
        return archive, member
    if model in base:
        return "model", base
    return "program", base


def read_map(path, engine, model):
    sizes = collections.defaultdict(lambda: collections.Counter())  # component -> kind -> bytes
    members = collections.defaultdict(collections.Counter)          # component -> member -> bytes
    with open(path) as f:
        lines = f.read().split("\n")
    try:
        start = lines.index("Linker script and memory map")
    except ValueError:
        sys.exit(f"{path}: not a GNU ld map (no 'Linker script and memory map')")
    out_section = None
    pending = None  # an input section name alone on its line (long names wrap)
    for line in lines[start:]:
        o = OUTPUT.match(line)
        if o:
            out_section = o.group(1)
            continue
        if pending and re.match(r"^\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+\S", line):
            line = " " + pending + line
        pending = None
        m = ENTRY.match(line)
        if not m:
            if re.match(r"^ \.\S+$", line):
                pending = line.strip()
            continue
        name, _, size, origin = m.groups()
        size = int(size, 16)
        if size == 0 or not name or origin.startswith("load address"):
            continue
        if out_section in FLASH_SECTIONS:
            kinds = ["flash"]
        elif out_section == ".data":
            kinds = ["flash", "ram"]
        elif out_section == ".bss":
            kinds = ["ram"]
        else:
            continue
        comp, member = component(origin.strip(), engine, model)
        for k in kinds:
            sizes[comp][k] += size
        members[comp][member] += size
    return sizes, members


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("map")
    p.add_argument("--engine", default="librunnel_engine.a")
    p.add_argument("--model", default="model_data")
    p.add_argument("--detail", action="append", default=[])
    a = p.parse_args()
    sizes, members = read_map(a.map, a.engine, a.model)
    order = ["engine", "libm", "libgcc", "libstdc++", "libc", "model", "program"]
    order += sorted(c for c in sizes if c not in order)
    print(f"{'component':<12} {'flash':>8} {'ram':>8}")
    for c in order:
        if c in sizes:
            print(f"{c:<12} {sizes[c]['flash']:>8} {sizes[c]['ram']:>8}")
    runtime = sum(sizes[c]["flash"] for c in ("libm", "libgcc", "libstdc++"))
    print(f"engine code + libm/libgcc/libstdc++: {sizes['engine']['flash'] + runtime} bytes of flash "
          f"(engine {sizes['engine']['flash']}, runtime {runtime})")
    for d in a.detail:
        comp = d if d in members else component(d + "(x.o)", a.engine, a.model)[0]
        for member, n in members[comp].most_common():
            print(f"  {comp} {member}: {n}")


if __name__ == "__main__":
    main()
