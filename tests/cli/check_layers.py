#!/usr/bin/env python3
"""Holds the layer order of the source tree (README, "Layout"): a file may include headers of its
own folder and of folders on lower floors only. Sideways includes between two folders of the same
floor are refused too, so that no loop can form between them.

Floors, from the ground up:
  0  kernels, validator/measure     device code; timers, statistics, units
  1  validator/model                the shared vocabulary: statuses, rows, reports and their JSON
  2  validator/dynload, verify      run-time-loaded library adapters; CPU references and bounds
  3  validator/probe, baseline      environment probing and doctor checks; the judge
  4  validator/suite, history       workloads, runner, isolation; the run store and change points
  5  validator/report               writers (console, JSON, JUnit, Markdown, HTML, CSV)
  6  validator/cli                  argument parsing and the commands

Usage: check_layers.py SOURCE_DIR          check the tree, exit 1 naming every include that runs up
       check_layers.py --self-test SOURCE_DIR
                                           also prove, on a scratch copy, that an upward include
                                           added on purpose (model -> cli) and a sideways one
                                           (probe -> baseline) fail the check
"""

import os
import re
import shutil
import sys
import tempfile

FLOORS = {
    "kernels": 0,
    "validator/measure": 0,
    "validator/model": 1,
    "validator/dynload": 2,
    "validator/verify": 2,
    "validator/probe": 3,
    "validator/baseline": 3,
    "validator/suite": 4,
    "validator/history": 4,
    "validator/report": 5,
    "validator/cli": 6,
}
SOURCE = re.compile(r"\.(cpp|hpp|cu|cuh|h)$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(rel):
    """The layer folder of a path relative to the source root, or None outside every layer."""
    parts = rel.split("/")
    if parts[0] == "kernels":
        return "kernels"
    if parts[0] == "validator" and len(parts) > 2:
        return "validator/" + parts[1]
    return None


def check(root):
    """Every include between layer folders that does not go strictly down, as text lines."""
    files = {}
    for top in ("kernels", "validator"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if SOURCE.search(name):
                    rel = os.path.relpath(os.path.join(dirpath, name), root)
                    files[rel] = folder_of(rel)
    unknown = sorted({f for f in files.values() if f is not None and f not in FLOORS})
    problems = ["folder %s has no floor: add it to FLOORS and to the README's layout" % f
                for f in unknown]
    # An include names a path relative to validator/ or kernels/ (both are include roots).
    by_include = {}
    for rel in files:
        for prefix in ("validator/", "kernels/"):
            if rel.startswith(prefix):
                by_include.setdefault(rel[len(prefix):], rel)
    for rel, here in sorted(files.items()):
        if here is None or here not in FLOORS:
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            target = by_include.get(m.group(1))
            if target is None:
                continue
            there = files[target]
            if there is None or there == here or there not in FLOORS:
                continue
            line = text.count("\n", 0, m.start()) + 1
            if FLOORS[there] > FLOORS[here]:
                problems.append("%s:%d includes %s: %s (floor %d) is above %s (floor %d)" %
                                (rel, line, m.group(1), there, FLOORS[there], here, FLOORS[here]))
            elif FLOORS[there] == FLOORS[here]:
                problems.append("%s:%d includes %s: %s and %s share floor %d (sideways)" %
                                (rel, line, m.group(1), here, there, FLOORS[here]))
    return problems


def self_test(root):
    """On scratch copies: the real tree passes, an upward and a sideways include fail."""
    failures = []
    cases = [("validator/model/status.hpp", '#include "cli/commands.hpp"', "above"),
             ("validator/probe/checks.hpp", '#include "baseline/policy.hpp"', "sideways")]
    for path, line, word in cases:
        scratch = tempfile.mkdtemp(prefix="wslcuda-layers-")
        try:
            for top in ("kernels", "validator"):
                shutil.copytree(os.path.join(root, top), os.path.join(scratch, top))
            if check(scratch):
                failures.append("the unmodified copy should pass")
            with open(os.path.join(scratch, path), "a", encoding="utf-8") as f:
                f.write("\n" + line + "\n")
            found = check(scratch)
            if not any(path in p and word in p for p in found):
                failures.append("adding %s to %s was not caught (got %s)" % (line, path, found))
        finally:
            shutil.rmtree(scratch)
    return failures


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = args[0]
    problems = check(root)
    for p in problems:
        print("layer order: " + p)
    if "--self-test" in argv:
        for f in self_test(root):
            print("self-test: " + f)
            problems.append(f)
    if not problems:
        print("layer order holds: %d folders on %d floors, no include runs up or sideways" %
              (len(FLOORS), len(set(FLOORS.values()))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
