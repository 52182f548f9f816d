#!/usr/bin/env python3
"""Runs the README's pandas snippets (section "Reading reports in pandas") on the real H200
reports: `wslcuda-report.json` is the full H200 run, `wslcuda.csv` is `wslcuda export` of the
five H200 runs. Each snippet must run, and what it builds must hold every row. Then again on a
hostile export (issue 27, item 5): one report under a file name that is not UTF-8 and with NUL,
ESC, DEL and a C1 control in its messages; the CSV must be valid UTF-8 without those bytes and
the snippets must still run. Exits 77 (CTest SKIP) when pandas is missing (Debian package
python3-pandas, ci/bootstrap.sh).

usage: check_readme_pandas.py WSLCUDA SOURCE_DIR OUT_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    exe, source, out_dir = (os.path.abspath(a) for a in sys.argv[1:4])
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("SKIP: pandas is not installed (Debian package python3-pandas; ci/bootstrap.sh)")
        return 77
    readme = open(os.path.join(source, "README.md"), encoding="utf-8").read()
    section = re.search(r"^### Reading reports in pandas\n(.*?)(?=^#)", readme, re.S | re.M)
    if not section:
        print("FAIL: README has no section \"### Reading reports in pandas\"")
        return 1
    snippets = re.findall(r"```python\n(.*?)```", section.group(1), re.S)
    if len(snippets) < 2:
        print("FAIL: want two python snippets (read_csv, json_normalize), found %d" % len(snippets))
        return 1
    os.makedirs(out_dir, exist_ok=True)
    ex = lambda n: os.path.join(source, "reports", "examples", "h200-linux-2026-11-30-%s.json" % n)  # noqa
    names = ["full-1", "full-2", "quick-1", "quick-2", "quick-3"]
    shutil.copy(ex("full-1"), os.path.join(out_dir, "wslcuda-report.json"))
    p = subprocess.run([exe, "export"] + [ex(n) for n in names] + ["--csv", "wslcuda.csv"],
                       cwd=out_dir, capture_output=True, text=True)
    if p.returncode != 0:
        print("FAIL: export: exit %d %s" % (p.returncode, p.stderr))
        return 1
    results = {n: len(json.load(open(ex(n)))["results"]) for n in names}
    problems = []
    os.chdir(out_dir)
    run_snippets(snippets, names, results, results["full-1"], problems)
    # The hostile export: quick-3 under a non-UTF-8 name, with control bytes in its messages.
    hostile = json.load(open(ex("quick-3")))
    for r in hostile["results"]:
        r["message"] = "nul\x00 esc\x1b[2J title\x1b]0;x\x07 del\x7f c1\u009b " + r["message"]
    bad_name = os.fsencode(os.path.join(out_dir, "hostile")) + b"-\xff\xfe.json"
    with open(bad_name, "w", encoding="utf-8") as f:
        json.dump(hostile, f)
    p = subprocess.run([os.fsencode(exe), b"export"] + [os.fsencode(ex(n)) for n in names[:4]] +
                       [bad_name, b"--csv", b"wslcuda.csv"], cwd=out_dir, capture_output=True)
    if p.returncode != 0:
        problems.append("export of the hostile report: exit %d %r" % (p.returncode, p.stderr))
    else:
        raw = open("wslcuda.csv", "rb").read()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append("the CSV is not UTF-8: %s" % e)
        for b in (b"\x00", b"\x1b", b"\x07", b"\x7f", "\u009b".encode("utf-8"), b"\xff"):
            if b in raw:
                problems.append("the CSV holds the raw byte(s) %r" % b)
        if b"hostile-\\xff\\xfe.json" not in raw:
            problems.append("the CSV does not name the hostile file as hostile-\\xff\\xfe.json")
        # wslcuda's own report of the hostile file, for the json_normalize snippet.
        g = subprocess.run([os.fsencode(exe), b"gate", bad_name, b"--baseline", b"none", b"--json",
                            b"wslcuda-report.json"], cwd=out_dir, capture_output=True)
        if g.returncode not in (0, 1):
            problems.append("gate of the hostile report: exit %d %r" % (g.returncode, g.stderr))
        run_snippets(snippets, names, results, results["quick-3"], problems)
    for line in problems:
        print("FAIL:", line)
    return 1 if problems else 0


def run_snippets(snippets, names, results, report_rows, problems):
    """Runs every snippet in the current folder, checking what it built against `results` (rows
    per exported report) and `report_rows` (rows of wslcuda-report.json)."""
    for i, code in enumerate(snippets):
        scope = {}
        try:
            exec(compile(code, "README snippet %d" % (i + 1), "exec"), scope)
        except Exception as e:  # noqa: BLE001
            problems.append("snippet %d raised %s: %s" % (i + 1, type(e).__name__, e))
            continue
        if "runs" in scope:  # the read_csv snippet
            runs, table = scope["runs"], scope.get("table")
            if len(runs) != sum(results.values()):
                problems.append("read_csv: %d rows, want %d" % (len(runs), sum(results.values())))
            if table is None or table.shape[1] != len(names):
                problems.append("pivot: want one column per report (%d)" % len(names))
            elif table.shape[0] != runs.dropna(subset=["median_s"])["id"].nunique():
                problems.append("pivot: want one row per timed id")
            print("snippet %d: read_csv %d rows, pivot %s" % (i + 1, len(runs), table.shape))
        if "df" in scope:  # the json_normalize snippet
            df = scope["df"]
            if len(df) != report_rows:
                problems.append("json_normalize: %d rows, want %d" % (len(df), report_rows))
            print("snippet %d: json_normalize %d rows x %d columns" % (i + 1, len(df), df.shape[1]))


if __name__ == "__main__":
    sys.exit(main())
