#!/usr/bin/env python3
"""The Debian package (docs/install.md), built with CPack from this build tree and checked as a
user gets it.

usage: check_package.py package CPACK BUILD_DIR SOURCE_DIR VERSION WORK_DIR
         builds WORK_DIR/wslcuda_VERSION_<arch>.deb from BUILD_DIR and checks it: dpkg-deb --info
         and --contents, lintian (no error; the warnings that stay are named in LINTIAN_ALLOWED
         with why), the package unpacked into a scratch folder (wslcuda --version, doctor, gate on
         a committed H200 report finding the bundled baseline of the unpacked tree, from a folder
         and environment that cannot reach the source tree), man -l, and the bash completion
       check_package.py no-cuda WORK_DIR
         runs the unpacked doctor in a mount namespace whose /usr/local and /opt are empty (the
         CUDA toolkit and the loader-cache entries into it gone) and with no Python environment:
         each missing library is named with its apt package and pip wheel, and the exit code is
         the one the README gives (3 without a usable GPU; warnings alone do not fail)

Exit 0 pass, 1 fail, 77 skipped (a tool or, for no-cuda, mount namespaces are not available: the
reason is printed).
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

# lintian's warnings that stay, each with why. Errors are never allowed.
LINTIAN_ALLOWED = {
    # The doctor's wsl.linux_driver check reads /var/lib/dpkg/status to find a Linux NVIDIA driver
    # installed inside WSL (it would shadow the Windows driver). It reads the file below --root
    # (fake roots in the tests), which dpkg-query cannot do; reading is all it does.
    "uses-dpkg-database-directly": "wsl.linux_driver reads /var/lib/dpkg/status below --root",
}

# What the package holds (docs/install.md, "What is in it").
EXPECTED_FILES = [
    "./usr/bin/wslcuda",
    "./usr/share/wslcuda/baselines/nvidia-h200.json",
    "./usr/share/wslcuda/baselines/nvidia-h200-quick.json",
    "./usr/share/wslcuda/schema/report.schema.json",
    "./usr/share/wslcuda/schema/baseline.schema.json",
    "./usr/share/wslcuda/gate-policy.json",
    "./usr/share/man/man1/wslcuda.1.gz",
    "./usr/share/bash-completion/completions/wslcuda",
    "./usr/share/doc/wslcuda/README.md",
    "./usr/share/doc/wslcuda/install.md",
    "./usr/share/doc/wslcuda/copyright",
    "./usr/share/doc/wslcuda/changelog.gz",
]
SAMPLES = ["device_query", "bandwidth_test", "vector_add", "matrix_mul", "black_scholes", "nbody",
           "cudnn_conv", "nccl_all_reduce", "graph_launch"]
# The libraries the copyright file must name (a licence each), as DEP-5 short names.
LICENCES = ["BSD-3-clause", "Expat", "BSL-1.0", "Apache-2.0 with LLVM exception",
            "NVIDIA-CUDA-EULA"]
COMPONENTS = ["CLI11", "nlohmann/json", "Boost.Math", "Chart.js", "DirectX-Headers", "CUB",
              "libcu++", "libcudart_static.a", "pugixml"]
# The CUDA libraries and how each is to be got (model/library_sources.cpp).
REMEDIES = {
    "cublas": ("cuBLAS", "libcublas-13-0", "nvidia-cublas"),
    "cudnn": ("cuDNN", "libcudnn9-cuda-13", "nvidia-cudnn-cu13"),
    "nccl": ("NCCL", "libnccl2", "nvidia-nccl-cu13"),
    "nvrtc": ("NVRTC", "cuda-nvrtc-13-0", "nvidia-cuda-nvrtc"),
}
H200_REPORT = "reports/examples/h200-linux-2026-11-30-full-2.json"

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)
    return cond


def run(argv, **kw):
    """Runs argv; returns (exit code, stdout + stderr)."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    return p.returncode, p.stdout


def skip(why):
    print(f"SKIPPED: {why}")
    sys.exit(77)


def finish(what):
    if problems:
        print(f"FAILED ({len(problems)}):")
        for p in problems:
            print(f"  - {p}")
        sys.exit(1)
    print(f"OK: {what}")
    sys.exit(0)


def neutral_env(work, extra=None):
    """An environment that names nothing of the source or build tree: no WSLCUDA_*, no Python
    environment, no LD_LIBRARY_PATH, a scratch HOME."""
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "TERM": "dumb"}
    env.update(extra or {})
    return env


def unpacked(work):
    return os.path.join(work, "root")


def check_package(cpack, build_dir, source_dir, version, work):
    for tool in ("dpkg-deb", "lintian", "man"):
        if shutil.which(tool) is None:
            skip(f"{tool} not installed (ci/bootstrap.sh installs it)")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    # Build: CPack installs this build tree into a staging folder and packs it. gzip instead of
    # the release package's xz: a quarter of the CPU time, and nothing checked here depends on it.
    code, out = run([cpack, "--config", os.path.join(build_dir, "CPackConfig.cmake"), "-B", work,
                     "-D", "CPACK_DEBIAN_COMPRESSION_TYPE=gzip"])
    arch = run(["dpkg", "--print-architecture"])[1].strip() or "amd64"
    deb = os.path.join(work, f"wslcuda_{version}_{arch}.deb")
    if not check(code == 0 and os.path.isfile(deb), f"cpack exited {code}, no {deb}:\n{out}"):
        finish("")

    # dpkg-deb --info: the control fields.
    code, info = run(["dpkg-deb", "--info", deb])
    fields = dict(re.findall(r"^ ([A-Za-z-]+): (.*)$", info, re.M))
    check(fields.get("Package") == "wslcuda", f"Package: {fields.get('Package')}")
    check(fields.get("Version") == version, f"Version {fields.get('Version')}, project {version}")
    check(fields.get("Architecture") == arch, f"Architecture: {fields.get('Architecture')}")
    depends = fields.get("Depends", "")
    check("libc6" in depends and "libstdc++6" in depends,
          f"Depends lacks what dpkg-shlibdeps finds (libc6, libstdc++6): {depends!r}")
    check(not re.search(r"cuda|cudnn|cublas|nccl|nvrtc|nvidia", depends, re.I),
          f"Depends names CUDA: {depends!r}")
    for field in ("Maintainer", "Description", "Section", "Priority", "Installed-Size"):
        check(field in fields, f"no {field} field in:\n{info}")

    # dpkg-deb --contents: every file of the layout.
    code, contents = run(["dpkg-deb", "--contents", deb])
    listed = {line.split()[-1] for line in contents.splitlines() if line.strip()}
    for path in EXPECTED_FILES + [f"./usr/lib/wslcuda/samples/{s}" for s in SAMPLES]:
        check(path in listed, f"{path} not in the package")
    check(not any("/build/" in p or p.startswith("./usr/local") for p in listed),
          "the package holds build-tree or /usr/local paths")

    # lintian: no error; every warning named in LINTIAN_ALLOWED.
    code, lint = run(["lintian", "--tag-display-limit", "0", deb])
    tags = re.findall(r"^([EW]): wslcuda[^:]*: (\S+)", lint, re.M)
    for level, tag in tags:
        if level == "E":
            check(False, f"lintian error {tag}:\n{lint}")
        elif tag not in LINTIAN_ALLOWED:
            check(False, f"lintian warning {tag} is not named in LINTIAN_ALLOWED:\n{lint}")
    for tag, why in LINTIAN_ALLOWED.items():
        seen = any(t == tag for _, t in tags)
        print(f"lintian warning {tag}: {'stays' if seen else 'no longer reported'} ({why})")

    # Unpacked into a scratch folder: the files a user gets, run from elsewhere.
    root = unpacked(work)
    code, out = run(["dpkg-deb", "-x", deb, root])
    check(code == 0, f"dpkg-deb -x: {out}")
    wslcuda = os.path.join(root, "usr", "bin", "wslcuda")
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere)
    env = neutral_env(work)
    code, out = run([wslcuda, "--version"], cwd=elsewhere, env=env)
    check(code == 0 and out.startswith(f"wslcuda {version} "),
          f"--version says {out.strip()!r} (exit {code}), the package is {version}")

    # One version: the changelog's newest entry.
    with gzip.open(os.path.join(root, "usr/share/doc/wslcuda/changelog.gz"), "rt") as f:
        head = f.readline()
    check(head.startswith(f"wslcuda ({version}) "), f"changelog.gz starts {head!r}")

    # doctor: exit 3 without a usable GPU, with the reason; its report carries the version.
    code, out = run([wslcuda, "doctor", "--json", "doctor.json"], cwd=elsewhere, env=env)
    with open(os.path.join(elsewhere, "doctor.json")) as f:
        doctor = json.load(f)
    check(doctor["tool"]["version"] == version,
          f"doctor's report says tool.version {doctor['tool']['version']}")
    gpu = any(c["id"] == "cuda.devices" and c["status"] == "pass" for c in doctor["checks"])
    if not gpu:
        check(code == 3, f"doctor without a GPU exited {code}, not 3:\n{out}")
        check(re.search(r"^reason: +\S", out, re.M) is not None, f"doctor gave no reason:\n{out}")
    check(code == doctor["summary"]["exit_code"], "doctor's exit code differs from its report's")
    doctor_code = code
    with open(os.path.join(work, "doctor-exit-code"), "w") as f:
        f.write(f"{code}\n")

    # gate on a committed H200 report: the bundled baseline of the unpacked tree judges it.
    report = os.path.join(elsewhere, "h200.json")
    shutil.copy(os.path.join(source_dir, H200_REPORT), report)
    code, out = run([wslcuda, "gate", "h200.json", "--json", "gated.json"], cwd=elsewhere, env=env)
    bundled = os.path.join(root, "usr", "share", "wslcuda", "baselines", "nvidia-h200.json")
    check(code == 0, f"gate exited {code}:\n{out[-3000:]}")
    check(f"against {bundled};" in out, f"gate did not name {bundled}:\n{out[:600]}")
    source_reports = os.path.join(source_dir, "reports") + os.sep
    check(source_reports not in out, f"gate's output names the source tree's {source_reports}")
    with open(os.path.join(elsewhere, "gated.json")) as f:
        gated = json.load(f)
    check(gated["tool"]["version"] == version, "the gated report's tool.version differs")

    # man -l renders the page, without warnings, and it lists every command of --help.
    page = os.path.join(root, "usr", "share", "man", "man1", "wslcuda.1.gz")
    p = subprocess.run(["man", "--warnings", "-l", page], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env={**env, "MANWIDTH": "100"})
    check(p.returncode == 0 and "EXIT STATUS" in p.stdout, f"man -l exited {p.returncode}")
    check(p.stderr.strip() == "", f"man --warnings: {p.stderr}")
    commands = re.findall(r"^  (\S+) ", run([wslcuda, "--help"], env=env)[1].split(
        "Subcommands:")[-1], re.M)
    check(len(commands) >= 8, f"--help lists {commands}")
    for command in commands:
        check(f"wslcuda {command}" in p.stdout, f"the man page lacks `wslcuda {command}`")

    # The completion: `wslcuda ga` → gate; `--filter gemm.own.f32.m4` → ids from wslcuda list.
    script = os.path.join(root, "usr", "share", "bash-completion", "completions", "wslcuda")

    def complete(*words):
        probe = (f"source '{script}'; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
                 "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _wslcuda; printf '%s\\n' \"${COMPREPLY[@]}\"")
        code, out = run(["bash", "--norc", "--noprofile", "-c", probe], cwd=elsewhere,
                        env=neutral_env(work, {"PATH": f"{os.path.dirname(wslcuda)}:/usr/bin:/bin"}))
        return [w for w in out.splitlines() if w]

    check(complete("wslcuda", "ga") == ["gate"], f"`wslcuda ga` completes to {complete('wslcuda', 'ga')}")
    check(complete("wslcuda", "baseline", "c") == ["capture"], "`wslcuda baseline c` ≠ capture")
    check("--filter" in complete("wslcuda", "run", "--fi"), "`run --fi` does not offer --filter")
    ids = complete("wslcuda", "run", "--filter", "gemm.own.f32.m4")
    check(ids == ["gemm.own.f32.m4096n4096k4096"], f"`--filter gemm.own.f32.m4` completes to {ids}")

    # The copyright file names every licence the binaries carry.
    with open(os.path.join(root, "usr", "share", "doc", "wslcuda", "copyright")) as f:
        copyright_text = f.read()
    check(copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/"
                                    "copyright-format/1.0/"), "copyright is not DEP-5")
    for name in LICENCES:
        check(f"\nLicense: {name}\n" in copyright_text, f"copyright has no {name} paragraph")
    for name in COMPONENTS:
        check(name in copyright_text, f"copyright does not name {name}")
    finish(f"{deb}: control fields, {len(listed)} entries, lintian, --version, doctor (exit "
           f"{doctor_code}), gate, man, completion")


NAMESPACE_SCRIPT = r"""
set -e
mount -t tmpfs tmpfs /usr/local
mount -t tmpfs tmpfs /opt
exec "$@"
"""


def check_no_cuda(work):
    root = unpacked(work)
    wslcuda = os.path.join(root, "usr", "bin", "wslcuda")
    if not os.path.exists(wslcuda):
        print(f"FAILED: {wslcuda} missing: the debian_package test unpacks it first")
        sys.exit(1)
    if shutil.which("unshare") is None:
        skip("unshare (util-linux) not installed")
    code, out = run(["unshare", "--mount", "--map-root-user", "true"])
    if code != 0:
        skip(f"no mount namespace for this user (unshare --mount --map-root-user: {out.strip()})")
    elsewhere = os.path.join(work, "no-cuda")
    shutil.rmtree(elsewhere, ignore_errors=True)
    os.makedirs(elsewhere)
    code, out = run(["unshare", "--mount", "--map-root-user", "--propagation", "private", "sh",
                     "-c", NAMESPACE_SCRIPT, "sh", wslcuda, "doctor", "--json", "doctor.json"],
                    cwd=elsewhere, env=neutral_env(work))
    report_path = os.path.join(elsewhere, "doctor.json")
    if not check(os.path.exists(report_path), f"doctor wrote no report (exit {code}):\n{out}"):
        finish("")
    with open(report_path) as f:
        doctor = json.load(f)
    checks = {c["id"]: c for c in doctor["checks"]}
    loaded = [f"{lib}: {checks[f'lib.{lib}']['message']}" for lib in REMEDIES
              if checks.get(f"lib.{lib}", {}).get("status") == "pass"]
    if loaded:
        skip("CUDA libraries outside /usr/local and /opt cannot be hidden here: " + "; ".join(loaded))
    for lib, (title, apt, wheel) in REMEDIES.items():
        c = checks.get(f"lib.{lib}")
        if not check(c is not None, f"no lib.{lib} check"):
            continue
        check(c["status"] == "warn", f"lib.{lib} is {c['status']}: {c['message']}")
        check(f"{title} not loaded" in c["message"], f"lib.{lib} message: {c['message']}")
        for word in (f"sudo apt install {apt}`", f"pip install {wheel}`"):
            check(word in c.get("remedy", ""), f"lib.{lib} remedy lacks {word!r}: {c.get('remedy')}")
            check(word in out, f"the console does not show lib.{lib}'s remedy {word!r}")
    nvml = checks.get("lib.nvml", {})
    check("comes with the NVIDIA driver" in nvml.get("remedy", ""), f"lib.nvml remedy: {nvml}")
    # Exit as the README says: warnings do not fail; without a usable GPU, 3. The same code as
    # with the libraries present (the debian_package test ran the doctor then).
    with open(os.path.join(work, "doctor-exit-code")) as f:
        with_libraries = int(f.read())
    check(code == with_libraries, f"doctor exited {code} without the CUDA libraries, "
          f"{with_libraries} with them:\n{out}")
    check(code == doctor["summary"]["exit_code"], "the exit code differs from the report's")
    finish(f"without the CUDA libraries the doctor names each with its remedy (exit {code})")


def main(argv):
    if len(argv) == 7 and argv[1] == "package":
        check_package(*argv[2:])
    elif len(argv) == 3 and argv[1] == "no-cuda":
        check_no_cuda(argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
