#!/usr/bin/env python3
"""ci/gpu_acceptance.sh and ci/gpu_bundle.sh without a GPU (test gpu_acceptance_without_a_gpu).

1. ci/gpu_bundle.sh assembles a BIN_DIR from the build (wslcuda, the GPU tests, the samples,
   lib/ with the libraries ldd names beyond the C and C++ runtimes, baselines/).
2. With no nvidia-smi the acceptance script runs to the end, exit 0: the environment step runs
   (doctor exits 3 and says so), every GPU step is skipped naming the reason, and summary.txt has
   its header and one line per step in the documented format; the tarball holds summary.txt.
3. With a stand-in nvidia-smi (one fake GPU) and a budget of 25 s, the GPU steps run (the
   binaries exit 3: no CUDA here) and record exit code, wall time, RSS, device memory and
   figures; what the budget cannot hold is skipped as "out of time" or for the bench suite's
   300 s; no memory sampler is left running.

Usage: check_gpu_acceptance.py SOURCE_DIR BIN_DIR SCRATCH_DIR
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile

STEPS = ["environment", "quick-a", "quick-b", "compare", "gpu-tests", "gate-bundled",
         "gate-none", "full", "sanitizer", "samples", "bench-suite"]
LINE = re.compile(r"^(\d\d) (\S+) \| (ran|skipped|timed out after \d+ s) \| (-|\d+) \| "
                  r"(-|\d+\.\d) \| (-|\d+) \| (-|\d+) \| (.+)$")
FAKE_SMI = """#!/usr/bin/env bash
case "$*" in
  -L) echo "GPU 0: Fake GPU (UUID: GPU-00000000-0000-0000-0000-000000000000)" ;;
  -q) echo "fake nvidia-smi -q" ;;
  *-lms*) while true; do echo 2048; sleep 0.25; done ;;
  *) echo "fake nvidia-smi: $*" ;;
esac
"""

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def steps_of(summary):
    """The step lines of summary.txt, parsed; every line after the table header must parse."""
    lines = summary.splitlines()
    check(lines and lines[0].startswith("wslcuda GPU acceptance: finished"),
          "summary starts with 'wslcuda GPU acceptance: finished': %r" % (lines[:1],))
    for prefix in ("started: ", "repository: ", "binaries: prebuilt", "gpu: "):
        check(any(line.startswith(prefix) for line in lines), "summary has a %r line" % prefix)
    header = "step | status | exit | wall s | RSS MiB | GPU MiB | figures"
    check(header in lines, "summary has the table header")
    rows = {}
    for line in lines[lines.index(header) + 1:] if header in lines else []:
        m = LINE.match(line)
        check(m is not None, "step line in the documented format: %r" % line)
        if m:
            rows[m.group(2)] = m.groups()
    check(list(rows) == STEPS, "steps in order of value: %s" % list(rows))
    return rows


def run(script, out, bin_dir, env_extra):
    env = dict(os.environ, **env_extra)
    p = subprocess.run(["bash", script, out, bin_dir], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    check(p.returncode == 0, "gpu_acceptance.sh exits 0, got %d:\n%s" % (p.returncode, p.stdout[-2000:]))
    with open(os.path.join(out, "summary.txt"), encoding="utf-8") as f:
        summary = f.read()
    with tarfile.open(os.path.join(out, "gpu-acceptance.tar.gz")) as t:
        names = t.getnames()
    check("./summary.txt" in names and "./steps.tsv" in names,
          "the tarball holds summary.txt and steps.tsv")
    check("./env/doctor.json" in names, "the tarball holds the doctor's report")
    return summary


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    source, build_bin, scratch = argv[1:]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)

    bundle = os.path.join(scratch, "bundle")
    p = subprocess.run(["bash", os.path.join(source, "ci/gpu_bundle.sh"), bundle, build_bin],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    check(p.returncode == 0, "gpu_bundle.sh exits 0:\n" + p.stdout)
    check(os.access(os.path.join(bundle, "wslcuda"), os.X_OK), "the bundle holds wslcuda")
    check(os.path.isfile(os.path.join(bundle, "MANIFEST.txt")), "the bundle has a manifest")
    check(any(n.endswith(".json") for n in os.listdir(os.path.join(bundle, "baselines"))),
          "the bundle carries the bundled baselines")
    libs = os.listdir(os.path.join(bundle, "lib"))
    check(not any(re.match(r"lib(c|m|stdc\+\+|gcc_s|cuda)\.", n) for n in libs),
          "no C/C++ runtime or libcuda in lib/: %s" % libs)
    ldd = subprocess.run(["ldd", os.path.join(build_bin, "wslcuda")], stdout=subprocess.PIPE,
                         text=True).stdout
    for name in ("libpugixml.so.1", "libgomp.so.1"):
        if name in ldd:
            check(name in libs, "%s, which wslcuda links, is in lib/" % name)

    script = os.path.join(source, "ci/gpu_acceptance.sh")

    # No GPU: every GPU step skipped with the reason, the rest recorded.
    out = os.path.join(scratch, "no-gpu")
    rows = steps_of(run(script, out, bundle, {"WSLCUDA_ACCEPTANCE_NVIDIA_SMI": "/nonexistent/nvidia-smi"}))
    if rows:
        env = rows.get("environment")
        check(env is not None and env[2] == "ran" and env[3] == "3",
              "the environment step ran and recorded the doctor's exit 3: %s" % (env,))
        check(env is not None and "doctor: checks" in env[7], "doctor figures: %s" % (env,))
        for name in STEPS[1:]:
            r = rows.get(name)
            check(r is not None and r[2] == "skipped" and "no GPU: nvidia-smi not found" in r[7],
                  "%s skipped, saying there is no GPU: %s" % (name, r))
    check(os.path.isfile(os.path.join(out, "env", "ldd.txt")), "ldd of every binary recorded")

    # A stand-in GPU and a short budget: the steps run and record their figures.
    fake_dir = os.path.join(scratch, "fake-bin")
    os.makedirs(fake_dir)
    fake = os.path.join(fake_dir, "nvidia-smi")
    with open(fake, "w", encoding="utf-8") as f:
        f.write(FAKE_SMI)
    os.chmod(fake, 0o755)
    out = os.path.join(scratch, "fake-gpu")
    rows = steps_of(run(script, out, bundle, {"WSLCUDA_ACCEPTANCE_NVIDIA_SMI": fake,
                                              "WSLCUDA_ACCEPTANCE_BUDGET_S": "25"}))
    if rows:
        quick = rows.get("quick-a")
        check(quick is not None and quick[2] == "ran" and quick[3] == "3",
              "quick-a ran (exit 3: no CUDA here): %s" % (quick,))
        check(quick is not None and quick[6] == "2048", "device memory sampled: %s" % (quick,))
        check(quick is not None and re.match(r"rows \d+: pass 0", quick[7]) is not None,
              "quick-a's figures come from its report: %s" % (quick,))
        check(quick is not None and quick[5] != "-", "quick-a's peak RSS measured: %s" % (quick,))
        bench = rows.get("bench-suite")
        check(bench is not None and bench[2] == "skipped" and
              ("out of time" in bench[7] or "needs 300 s" in bench[7]),
              "the bench suite does not fit 25 s: %s" % (bench,))
    left = subprocess.run(["pgrep", "-f", fake], stdout=subprocess.PIPE, text=True).stdout.strip()
    check(left == "", "no nvidia-smi sampler left running: %s" % left)

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("gpu_acceptance.sh and gpu_bundle.sh: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
