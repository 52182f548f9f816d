#!/usr/bin/env python3
"""The figures that matter from what one step of ci/gpu_acceptance.sh wrote, as one line for its
summary.txt. Standard library only (the GPU machine's image may have nothing else).

Usage: acceptance_figures.py KIND PATH...
  report PATH      a wslcuda run/gate report: rows pass/warn/fail/skip/error, gated rows and
                   their verdicts, the run's wall time, interrupted
  compare PATH     a `wslcuda compare --json` comparison: rows compared, gated, pass/warn/fail
  gtest PATH       a GoogleTest --gtest_output=json file: tests, failures, skipped
  doctor PATH      a `wslcuda doctor --json` report: checks pass/warn/fail/skip, the device
  samples LOG...   sample logs: how many say "Result = PASS" / "Result = FAIL"
  gpumem PATH      nvidia-smi memory.used samples (MiB, one per line): the peak
  rss PATH         GNU time -v output, or a file holding "maxrss_kb N": the peak RSS in MiB
Prints "-" when the input is missing or unreadable, naming why; never fails.
"""

import json
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def counts_text(counts):
    keys = ("pass", "warn", "fail", "skip", "error")
    return " ".join(f"{k} {counts.get(k, 0)}" for k in keys)


def report(path):
    r = load(path)
    s = r.get("summary", {})
    parts = [f"rows {len(r.get('results', []))}: {counts_text(s.get('counts', {}))}"]
    g = s.get("gate")
    if g:
        parts.append(f"gated {g.get('gated', 0)} of {g.get('baseline_rows', 0)} baseline rows, "
                     f"{g.get('gated_pass', 0)} pass, verdict {g.get('verdict', '?')}")
    else:
        parts.append("not gated against a baseline")
    floors = [row["floor"]["verdict"] for row in r.get("results", [])
              if isinstance(row.get("floor"), dict) and row["floor"].get("applied")]
    if floors:
        parts.append("floors " + " ".join(f"{v} {floors.count(v)}"
                                          for v in ("pass", "warn", "fail", "skip")))
    if s.get("wall_s") is not None:
        parts.append(f"wall {s['wall_s']:.1f} s")
    if s.get("interrupted"):
        parts.append("INTERRUPTED")
    return "; ".join(parts)


def compare(path):
    c = load(path)
    rows = c.get("rows", [])
    verdicts = [x.get("verdict") for x in rows if isinstance(x, dict) and x.get("gated")]
    text = (f"rows {len(rows)}, gated {c.get('gated', 0)}: "
            + " ".join(f"{v} {verdicts.count(v)}" for v in ("pass", "warn", "fail")))
    if not c.get("comparable", True):
        text += f"; not comparable: {c.get('why_not', '')}"
    return text + f"; verdict {c.get('verdict', '?')}"


def gtest(path):
    g = load(path)
    skipped = sum(1 for suite in g.get("testsuites", []) for t in suite.get("testsuite", [])
                  if t.get("result") == "SKIPPED" or t.get("status") == "NOTRUN")
    return (f"tests {g.get('tests', 0)}, failures {g.get('failures', 0)}, "
            f"errors {g.get('errors', 0)}, skipped {skipped}")


def doctor(path):
    r = load(path)
    checks = r.get("checks", [])
    statuses = [c.get("status") for c in checks]
    text = f"checks {len(checks)}: " + " ".join(
        f"{k} {statuses.count(k)}" for k in ("pass", "warn", "fail", "skip", "error"))
    devices = r.get("devices", [])
    if devices:
        d = devices[0]
        text += f"; device 0: {d.get('name', '?')} sm {d.get('compute_capability', '?')}"
    driver = r.get("driver", {})
    if driver.get("nvml_driver_version"):
        text += f", driver {driver['nvml_driver_version']}"
    return text


def samples(paths):
    passed = failed = 0
    for p in paths:
        try:
            text = open(p, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        passed += text.count("Result = PASS")
        failed += text.count("Result = FAIL")
    return f"{len(paths)} samples: {passed} PASS, {failed} FAIL"


def gpumem(path):
    values = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        if re.fullmatch(r"\d+(\.\d+)?", line):
            values.append(float(line))
    return f"{max(values):.0f}" if values else "-"


def rss(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text) or \
        re.search(r"maxrss_kb (\d+)", text)
    return f"{int(m.group(1)) / 1024:.0f}" if m else "-"


def main(argv):
    if len(argv) < 3:
        print("- (usage: acceptance_figures.py KIND PATH...)")
        return 0
    kind, paths = argv[1], argv[2:]
    handlers = {"report": report, "compare": compare, "gtest": gtest, "doctor": doctor,
                "gpumem": gpumem, "rss": rss}
    try:
        if kind == "samples":
            print(samples(paths))
        elif kind in handlers:
            print(handlers[kind](paths[0]))
        else:
            print(f"- (unknown kind {kind})")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"- ({kind}: {type(e).__name__}: {str(e)[:120]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
