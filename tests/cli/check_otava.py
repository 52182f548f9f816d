#!/usr/bin/env python3
"""Cross-validation of wslcuda's C++ change-point detector (validator/history/change_points)
against the real Apache Otava: apache-otava 0.8.0 from PyPI, installed by ci/bootstrap.sh into
a virtual environment ($WSLCUDA_OTAVA_VENV, default ~/.cache/wslcuda/otava-venv). Exits 77
(CTest SKIP) when that environment or Otava in it is missing.

Both sides get the same series and parameters:
  - Otava's own golden series (tests/tigerbeetle_test.py, 365 points) with the nine parameter
    sets of that file; Otava's expected change points are checked on both sides too;
  - seeded series of ours (`wslcuda_change_points_tool generate`: n = 10 to 200, noise 0.5 %
    and 2 %, 3 % throttled runs, no step or steps of 2, 5 and 10 %), each with three parameter
    sets: wslcuda's (window 50, p 0.001, min magnitude max(1 %, noise)) without a minimum
    segment (Otava 0.8.0 itself); the same with segments of at least 3 points (Otava 0.8.0 plus
    the collapse step of apache/otava PR 150, copied into otava_oracle.py); and window 30,
    p 0.01, magnitude 0, which keeps many weak change points and so exercises the merge.

They must agree: the same final and weak change-point indexes, and the same p-values, means,
standard deviations and magnitudes to a relative 1e-6 (p-values: Boost.Math's and SciPy's t
distribution; means: NumPy sums pairwise, the port in order). Known, deliberate differences
are not compared here, and are listed so that nobody looks for them:
  - wslcuda's default min_last_segment = 1 (a shorter newest segment, reported `tentative`)
    has no counterpart in Otava; these cases set it to min_segment as PR 150 does;
  - wslcuda's default short_segment_joins_nearer_side = true puts the change point replacing a
    short middle segment B of A | B | C at the start of B when B is already at C's level (PR 150
    puts it at the start of C, always); these cases set it to false as PR 150 does;
  - Otava's incremental mode (new_points, old_cp) is not ported: wslcuda re-analyses a series.
Any other difference fails the test, with the case and the first fields that differ.

usage: check_otava.py CHANGE_POINTS_TOOL SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys


def venv_python():
    venv = os.environ.get("WSLCUDA_OTAVA_VENV") or os.path.join(
        os.path.expanduser("~"), ".cache", "wslcuda", "otava-venv")
    return venv, os.path.join(venv, "bin", "python")


def run(cmd, payload):
    p = subprocess.run(cmd, input=json.dumps(payload), capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stderr[-4000:]))
    return json.loads(p.stdout)


def first_pass(max_p):
    return max_p * 10 if max_p < 0.05 else (max_p * 2 if max_p < 0.5 else max_p)


def params(window, max_p, magnitude, min_segment):
    return {"window": window, "max_p": max_p, "first_pass_p": first_pass(max_p),
            "min_magnitude": magnitude, "min_segment": min_segment, "min_last_segment": min_segment,
            "short_segment_joins_nearer_side": False}


def close(a, b, rel=1e-6):
    if a is None or b is None:  # NaN on that side (JSON null)
        return a is None and b is None
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b)) or abs(a - b) < 1e-300


largest = {}  # field -> largest relative difference seen


def note(field, a, b):
    if a is not None and b is not None and a != b:
        r = abs(a - b) / max(abs(a), abs(b))
        largest[field] = max(largest.get(field, 0.0), r)


def differences(ours, theirs):
    out = []
    oi = [c["index"] for c in ours["change_points"]]
    ti = [c["index"] for c in theirs["change_points"]]
    if oi != ti:
        out.append("change points: ours %s, Otava %s" % (oi, ti))
    if ours["weak"] != theirs["weak"]:
        out.append("weak change points: ours %s, Otava %s" % (ours["weak"], theirs["weak"]))
    if oi == ti:
        for a, b in zip(ours["change_points"], theirs["change_points"]):
            for field in ("p_value", "magnitude", "forward_change", "mean_before", "mean_after",
                          "stddev_before", "stddev_after"):
                note(field, a[field], b[field])
                if not close(a[field], b[field]):
                    out.append("index %d %s: ours %r, Otava %r" % (a["index"], field, a[field], b[field]))
    return out


def main():
    tool, source = (os.path.abspath(a) for a in sys.argv[1:3])
    venv, python = venv_python()
    if not os.path.exists(python):
        print("SKIP: no Otava virtual environment at %s (ci/bootstrap.sh creates it with "
              "apache-otava 0.8.0 from PyPI; set WSLCUDA_OTAVA_VENV to use another)" % venv)
        return 77
    probe = subprocess.run([python, "-c", "import importlib.metadata as m, otava.analysis; "
                            "print(m.version('apache-otava'))"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("SKIP: apache-otava cannot be imported from %s: %s" % (python, probe.stderr.strip()[-500:]))
        return 77
    version = probe.stdout.strip()
    print("oracle: apache-otava %s (%s)" % (version, python))

    golden = json.load(open(os.path.join(source, "tests", "fixtures", "change_points",
                                         "tigerbeetle.json")))
    cases, expected = [], {}
    for c in golden["cases"]:
        name = "tigerbeetle/" + c["name"]
        cases.append({"name": name, "series": golden["series"],
                      "params": params(c["window"], c["max_p"], c["min_magnitude"], 1)})
        expected[name] = c["expected"]
    generated = subprocess.run([tool, "generate", "--seed", "20261203", "--count", "4"],
                               capture_output=True, text=True, check=True)
    seeded = json.loads(generated.stdout)["series"]
    for s in seeded:
        magnitude = max(0.01, s["noise"])
        for label, p in (("otava", params(50, 0.001, magnitude, 1)),
                         ("pr150", params(50, 0.001, magnitude, 3)),
                         ("merge", params(30, 0.01, 0.0, 1))):
            cases.append({"name": "%s/%s" % (s["name"], label), "series": s["values"], "params": p})

    ours = {c["name"]: c for c in run([tool, "analyse"], {"cases": cases})["cases"]}
    oracle = os.path.join(source, "tests", "cli", "otava_oracle.py")
    theirs = {c["name"]: c for c in run([python, oracle], {"cases": cases})["cases"]}

    problems, points = [], 0
    for case in cases:
        name = case["name"]
        d = differences(ours[name], theirs[name])
        points += len(theirs[name]["change_points"])
        if d:
            problems.append("%s: %s" % (name, "; ".join(d[:4])))
        if name in expected:
            for side, result in (("ours", ours[name]), ("Otava", theirs[name])):
                got = [c["index"] for c in result["change_points"]]
                if got != expected[name]:
                    problems.append("%s: %s %s, Otava's test expects %s" % (name, side, got, expected[name]))
    print("compared %d cases (%d golden, %d seeded series x 3 parameter sets): %d change points "
          "from Otava" % (len(cases), len(golden["cases"]), len(seeded), points))
    print("largest relative differences: " + ", ".join(
        "%s %.1e" % (f, largest.get(f, 0.0)) for f in ("p_value", "magnitude", "mean_before",
                                                        "stddev_before")))
    for p in problems:
        print("DIFF: " + p)
    if problems:
        print("FAIL: %d of %d cases differ" % (len(problems), len(cases)))
        return 1
    print("PASS: the C++ port and apache-otava %s agree on every case" % version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
