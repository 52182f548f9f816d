#!/usr/bin/env python3
"""`wslcuda export REPORT… --csv PATH` on the real H200 reports and on a report with several
executions per row: the columns (names and units), one line per result (per execution when a
result has two or more), values equal to the JSON's, and bad input exiting 2.

usage: check_export_csv.py WSLCUDA SOURCE_DIR OUT_DIR
"""
import csv
import io
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_fixtures  # noqa: E402

# The contract the README documents: names carry their unit (_s seconds, _bytes_per_s B/s;
# throughput and peak in throughput_unit; fraction_of_peak and stdev_rel are ratios).
FIXED = ["report", "started_at", "gpu", "driver", "host", "is_wsl", "id", "family",
         "implementation", "precision", "shape", "device", "status", "message", "measured_status", "bound",
         "execution", "executions", "samples", "median_s", "mean_s", "min_s", "max_s", "p90_s",
         "p99_s", "stdev_rel", "ci95_lo_s", "ci95_hi_s", "throughput", "throughput_unit", "peak",
         "fraction_of_peak", "busbw_bytes_per_s", "flops", "bytes", "correctness_value",
         "correctness_bound", "baseline_ratio", "baseline_ci95_lo", "baseline_ci95_hi",
         "baseline_threshold", "baseline_gated", "baseline_verdict", "baseline_reason",
         "baseline_why_not_gated", "floor_verdict", "floor_reason", "floor_applied"]

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)


# Reports written before the id grammar was enforced name some workloads by their old ids; a
# reader gives every row its current id (validator/model/ids.hpp lists the renames).
RENAMES = [
    (r"latency\.(launch|launch_sync|event_sync)", r"latency.runtime.none.\1"),
    (r"latency\.graph_([0-9]+)", r"latency.runtime.none.graph.n\1"),
    (r"latency\.malloc_free", "latency.runtime.none.malloc_free.b1048576"),
    (r"latency\.host_alloc", "latency.runtime.none.host_alloc.b67108864"),
    (r"jit\.(driver_ptx|nvrtc)", r"jit.\1.f32.compile.n1048576"),
    (r"jit\.(driver_ptx|nvrtc)\.launch", r"jit.\1.f32.launch.n1048576"),
    (r"nccl\.(all_reduce|all_gather|reduce_scatter|broadcast)\.f32\.(b[0-9]+)", r"nccl.nccl.f32.\1.\2"),
    (r"p2p\.ce\.f32\.(copy_on|copy_off)\.dev([0-9]+)_dev([0-9]+)\.b([0-9]+)", r"p2p.ce.f32.\1.b\4s\2d\3"),
]


def current_id(old):
    for pattern, replacement in RENAMES:
        if re.fullmatch(pattern, old):
            return re.sub(pattern, replacement, old)
    return old


def lines_for(row):
    ex = row.get("executions") or []
    return len(ex) if row.get("timing") and len(ex) >= 2 else 1


def export(exe, inputs, out):
    p = subprocess.run([exe, "export"] + inputs + ["--csv", out], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("export %s: exit %d %s" % (inputs, p.returncode, p.stderr))
    with open(out, newline="") as f:
        return list(csv.DictReader(f)), open(out).readline().rstrip("\n").split(",")


def check_against(name, doc, lines):
    want = sum(lines_for(r) for r in doc["results"])
    check(len(lines) == want, "%s: %d lines, want %d" % (name, len(lines), want))
    i = 0
    for r in doc["results"]:
        for k in range(lines_for(r)):
            line = lines[i]
            i += 1
            check(line["id"] == current_id(r["id"]) and line["status"] == r["status"],
                  "%s: line %d is %s, want %s" % (name, i, line["id"], r["id"]))
            check(line["started_at"] == doc["started_at"], "%s: started_at" % name)
            check(line["gpu"] == doc["devices"][0]["name"], "%s: gpu %r" % (name, line["gpu"]))
            for key, extent in r["shape"].items():
                check(int(line["shape." + key]) == extent, "%s %s: shape.%s" % (name, r["id"], key))
            t = r.get("timing")
            if not t:
                check(line["median_s"] == "" and line["execution"] == "",
                      "%s %s: timing cells of an untimed row" % (name, r["id"]))
                continue
            if lines_for(r) > 1:
                e = r["executions"][k]
                check(line["execution"] == str(k + 1) and line["executions"] == str(len(r["executions"])),
                      "%s %s: execution numbering" % (name, r["id"]))
                check(close(line["median_s"], e["median_s"]) and close(line["min_s"], e["min_s"]),
                      "%s %s: execution %d median/min" % (name, r["id"], k + 1))
                check(int(line["samples"]) == e["samples"], "%s %s: samples" % (name, r["id"]))
            else:
                check(close(line["median_s"], t["median_s"]) and close(line["p99_s"], t.get("p99_s", 0)),
                      "%s %s: median_s/p99_s" % (name, r["id"]))
                check(close(line["ci95_lo_s"], t["ci95_s"][0]), "%s %s: ci95_lo_s" % (name, r["id"]))
            tp = r.get("throughput")
            if tp:
                check(close(line["throughput"], tp["value"]) and line["throughput_unit"] == tp["unit"],
                      "%s %s: throughput" % (name, r["id"]))
                check(tp["unit"] in ("FLOP/s", "B/s"), "%s: unit %r" % (name, tp["unit"]))
                if tp.get("fraction_of_peak") is not None:
                    check(close(line["fraction_of_peak"], tp["fraction_of_peak"]),
                          "%s %s: fraction_of_peak" % (name, r["id"]))
            busbw = (r.get("metrics") or {}).get("busbw_bytes_per_s")
            if busbw is not None:
                check(close(line["busbw_bytes_per_s"], busbw), "%s %s: busbw" % (name, r["id"]))
            b = r.get("baseline")
            if b and b.get("ratio") is not None:
                check(close(line["baseline_ratio"], b["ratio"]), "%s %s: baseline_ratio" % (name, r["id"]))
                check(line["baseline_verdict"] == b["verdict"], "%s %s: verdict" % (name, r["id"]))
                if b.get("gated") is not None:
                    check(line["baseline_gated"] == ("true" if b["gated"] else "false"),
                          "%s %s: baseline_gated" % (name, r["id"]))


def main():
    exe, source, out_dir = (os.path.abspath(a) for a in sys.argv[1:4])
    os.makedirs(out_dir, exist_ok=True)
    ex = lambda n: os.path.join(source, "reports", "examples", "h200-linux-2026-11-30-%s.json" % n)  # noqa
    names = ["full-1", "full-2", "quick-1", "quick-2", "quick-3"]
    lines, header = export(exe, [ex(n) for n in names], os.path.join(out_dir, "h200.csv"))
    check(header[:len(FIXED)] == FIXED, "fixed columns: %s" % header[:len(FIXED)])
    check(all(h.startswith("shape.") for h in header[len(FIXED):]) and "shape.M" in header
          and "shape.bytes" in header, "shape columns: %s" % header[len(FIXED):])
    first = 0
    for n in names:
        doc = json.load(open(ex(n)))
        mine = [x for x in lines if x["report"] == os.path.basename(ex(n))]
        check(mine == lines[first:first + len(mine)], "%s: lines not contiguous" % n)
        first += len(mine)
        check_against(n, doc, mine)
    print("h200: %d lines from %d reports, %d columns" % (len(lines), len(names), len(header)))

    failures = os.path.join(out_dir, "failures.json")
    doc = html_fixtures.failures_report(ex("quick-1"))
    json.dump(doc, open(failures, "w"))
    lines, _ = export(exe, [failures], os.path.join(out_dir, "failures.csv"))
    check_against("failures", doc, lines)
    check(len(lines) > len(doc["results"]), "failures: no per-execution lines")
    check(any(x["driver"] == "581.15" and x["is_wsl"] == "true" for x in lines), "failures: WSL driver")
    print("failures: %d lines for %d results" % (len(lines), len(doc["results"])))

    p = subprocess.run([exe, "export", ex("quick-3"), "--csv", "-"], capture_output=True, text=True)
    check(p.returncode == 0 and len(list(csv.DictReader(io.StringIO(p.stdout)))) ==
          len(json.load(open(ex("quick-3")))["results"]), "export --csv - (stdout)")

    bad = os.path.join(out_dir, "bad.json")
    broken = json.load(open(ex("quick-2")))
    broken["results"][5]["timing"]["median_s"] = "slow"
    json.dump(broken, open(bad, "w"))
    p = subprocess.run([exe, "export", bad, "--csv", os.path.join(out_dir, "bad.csv")],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "bad.json: /results/5/timing/median_s" in p.stderr,
          "bad input: exit %d, %r" % (p.returncode, p.stderr))
    check(not os.path.exists(os.path.join(out_dir, "bad.csv")), "bad input still wrote the CSV")
    p = subprocess.run([exe, "export", ex("quick-2")], capture_output=True, text=True)
    check(p.returncode == 2, "export without --csv: exit %d" % p.returncode)

    for line in problems[:40]:
        print("FAIL:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
