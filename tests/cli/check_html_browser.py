#!/usr/bin/env python3
"""Renders wslcuda's HTML reports in headless Chromium and checks what a reader would see.

usage: check_html_browser.py WSLCUDA SOURCE_DIR OUT_DIR

Pages: the real H200 full report, a trend over the five real H200 runs, a report with failures
(tests/cli/html_fixtures.py) and a no-GPU report written by `run --html` from memory. For each:
every chart rendered (each canvas drawn at a non-zero size, as many as the page planned), no
label cut off at a canvas edge (the renderer measures every text a chart draws), no script error, no resource fetched (Performance API) and no URL in any src or href, with DNS
mapped to nowhere. Screenshots and the dumped DOMs go to OUT_DIR. Exits 77 (CTest SKIP) when
no Chromium is installed (Debian package chromium, ci/bootstrap.sh).
"""
import os
import re
import shutil
import subprocess
import sys
import time
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_fixtures  # noqa: E402

SKIP = 77


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browse(browser, page, extra, out_dir):
    # No network: every host name resolves to nothing; a fresh profile each time.
    profile = os.path.join(out_dir, "chromium-profile")
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
            "--virtual-time-budget=10000", "--window-size=1280,1600"] + extra + ["file://" + page]
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, timeout=180)
    return p, time.monotonic() - t0


def attr(tag_text, name):
    m = re.search(r'\s%s="([^"]*)"' % re.escape(name), tag_text)
    return m.group(1) if m else None


def check_dom(name, dom, want_charts):
    problems = []
    body = re.search(r"<body[^>]*>", dom)
    html_tag = re.search(r"<html[^>]*>", dom)
    if not body:
        return ["%s: no <body> in the dumped DOM" % name]
    expected = attr(body.group(0), "data-charts-expected")
    rendered = attr(body.group(0), "data-charts-rendered")
    if expected is None:
        problems.append("%s: no data-charts-expected" % name)
    elif want_charts and int(expected) == 0:
        problems.append("%s: the page planned no chart" % name)
    if expected != rendered:
        problems.append("%s: %s charts planned, %s rendered" % (name, expected, rendered))
    canvases = re.findall(r"<canvas[^>]*>", dom)
    if expected is not None and len(canvases) != int(expected):
        problems.append("%s: %d canvases for %s charts" % (name, len(canvases), expected))
    for c in canvases:
        size = attr(c, "data-rendered")
        m = re.fullmatch(r"(\d+)x(\d+)", size or "")
        if not m or int(m.group(1)) == 0 or int(m.group(2)) == 0:
            problems.append("%s: canvas %s not drawn (data-rendered=%r)" % (name, attr(c, "id"), size))
        # Every text the chart drew (titles, axis titles, ticks, legends) lies inside its canvas:
        # the page's renderer measures each one (data-clipped: how many were cut off).
        clipped = attr(c, "data-clipped")
        if clipped != "0":
            problems.append("%s: canvas %s: %s label(s) cut off at its edge: %s" % (
                name, attr(c, "id"), clipped, attr(c, "data-clipped-text")))
    if html_tag and attr(html_tag.group(0), "data-script-errors"):
        errors = re.findall(r'<ul id="script-errors">(.*?)</ul>', dom, re.S)
        problems.append("%s: script errors: %s" % (name, errors))
    if re.search(r'<ul id="script-errors">\s*<li', dom):
        problems.append("%s: #script-errors is not empty" % name)
    resources = attr(body.group(0), "data-resources")
    if want_charts and resources != "0":
        problems.append("%s: %s resources fetched (want 0)" % (name, resources))
    urls = re.findall(r"""\s(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]*)""", dom)
    if urls:
        problems.append("%s: URLs in src/href: %s" % (name, urls[:5]))
    return problems


def main():
    exe, source, out_dir = (os.path.abspath(a) for a in sys.argv[1:4])
    browser = chromium()
    if browser is None:
        print("SKIP: no Chromium found (install Debian's chromium; ci/bootstrap.sh does)")
        return SKIP
    os.makedirs(out_dir, exist_ok=True)
    examples = os.path.join(source, "reports", "examples")
    ex = lambda n: os.path.join(examples, "h200-linux-2026-11-30-%s.json" % n)  # noqa: E731

    failures_json = os.path.join(out_dir, "failures.json")
    with open(failures_json, "w") as f:
        json.dump(html_fixtures.failures_report(ex("quick-1")), f)

    pages = []  # (name, html path, wants charts)

    def html(name, inputs, want_charts=True):
        out = os.path.join(out_dir, name + ".html")
        p = subprocess.run([exe, "html"] + inputs + ["--out", out], capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit("wslcuda html %s: exit %d\n%s%s" % (inputs, p.returncode, p.stdout, p.stderr))
        pages.append((name, out, want_charts))

    html("h200-full", [ex("full-1")])
    html("h200-trend", [ex(n) for n in ("quick-1", "quick-2", "quick-3", "full-1", "full-2")])
    html("failures", [failures_json])
    html("h200-doctor", [ex("doctor")], want_charts=False)
    # A run without a usable GPU, written from memory by `run --html` (exit 3).
    nogpu = os.path.join(out_dir, "no-gpu.html")
    p = subprocess.run([exe, "run", "--no-progress", "--history", "none", "--json", os.path.join(out_dir, "no-gpu.json"),
                        "--html", nogpu, "--root",
                        os.path.join(source, "tests", "fixtures", "roots", "wsl2-ubuntu-22.04")],
                       capture_output=True, text=True)
    if p.returncode != 3 or not os.path.exists(nogpu):
        raise SystemExit("run --html without a GPU: exit %d\n%s%s" % (p.returncode, p.stdout, p.stderr))
    pages.append(("no-gpu", nogpu, False))

    chart_js_inlined = "Chart.js v" in open(pages[0][1], encoding="utf-8").read()
    if not chart_js_inlined:
        print("note: this wslcuda has no Chart.js inlined: pages are tables only")

    problems = []
    for name, page, want_charts in pages:
        p, seconds = browse(browser, page, ["--dump-dom"], out_dir)
        if p.returncode != 0:
            problems.append("%s: chromium --dump-dom exit %d: %s" % (name, p.returncode, p.stderr[-2000:]))
            continue
        with open(os.path.join(out_dir, name + ".dom.html"), "w") as f:
            f.write(p.stdout)
        found = check_dom(name, p.stdout, want_charts and chart_js_inlined)
        problems += found
        charts = re.search(r'data-charts-rendered="(\d+)"', p.stdout)
        shot = os.path.join(out_dir, name + ".png")
        s, shot_seconds = browse(browser, page, ["--screenshot=" + shot], out_dir)
        if s.returncode != 0 or not os.path.exists(shot) or os.path.getsize(shot) == 0:
            problems.append("%s: no screenshot (exit %d)" % (name, s.returncode))
        print("%-12s %8d bytes  %s charts  dump-dom %.2f s  screenshot %.2f s  %s" % (
            name, os.path.getsize(page), charts.group(1) if charts else "-", seconds, shot_seconds,
            "ok" if not found else "PROBLEMS"))

    # Bad input: exit 2, the file and the JSON pointer named.
    bad = os.path.join(out_dir, "bad.json")
    doc = json.load(open(ex("quick-2")))
    doc["results"][3]["status"] = "fine"
    json.dump(doc, open(bad, "w"))
    p = subprocess.run([exe, "html", ex("quick-1"), bad, "--out", os.path.join(out_dir, "bad.html")],
                       capture_output=True, text=True)
    if p.returncode != 2 or "bad.json: /results/3/status" not in p.stderr:
        problems.append("html with a bad row: exit %d, stderr %r" % (p.returncode, p.stderr))
    if os.path.exists(os.path.join(out_dir, "bad.html")):
        problems.append("html with a bad row still wrote its output")
    p = subprocess.run([exe, "html", os.path.join(out_dir, "missing.json"), "--out",
                        os.path.join(out_dir, "x.html")], capture_output=True, text=True)
    if p.returncode != 2 or "missing.json" not in p.stderr:
        problems.append("html with a missing file: exit %d, stderr %r" % (p.returncode, p.stderr))

    for line in problems:
        print("FAIL:", line)
    print("screenshots and DOMs in", out_dir)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
