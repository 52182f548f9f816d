#!/usr/bin/env python3
"""Reads what costs nothing without a GPU: ptxas's resource report of every kernel under
kernels/ for sm_90 (no local-memory spills, no stack frame in the hot kernels) and the code of
the tensor-core GEMM (WMMA/MMA instructions in its PTX; HMMA in its SASS when cuobjdump is
installed, which it is not on every machine), and that the JIT workloads' hand-written PTX
assembles.

Usage: check_kernels.py NVCC SOURCE_DIR WORK_DIR. Exit 0 when all hold.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

ARCH = "sm_90"


def compile_report(nvcc, src, include, out):
    result = subprocess.run([nvcc, f"-arch={ARCH}", "-cubin", "-std=c++17", "-I", include, "-Xptxas", "-v",
                             "-o", out, src], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{src}: nvcc failed:\n{result.stderr}")
    return result.stderr


def main():
    nvcc, source, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    include = f"{source}/kernels"
    errors, kernels = [], 0
    for src in sorted(glob.glob(f"{source}/kernels/**/*.cu", recursive=True)):
        report = compile_report(nvcc, src, include, f"{work}/{os.path.basename(src)}.cubin")
        function = None
        for line in report.splitlines():
            m = re.search(r"Function properties for (\S+)", line)
            if m:
                function = m.group(1)
                continue
            m = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads", line)
            if m and function:
                kernels += 1
                frame, stores, loads = map(int, m.groups())
                if stores or loads:
                    errors.append(f"{os.path.basename(src)}: {function}: {stores} B spill stores, {loads} B spill loads")
                print(f"{os.path.basename(src)}: {function[:70]}: stack {frame} B, spills {stores}/{loads} B")
    if kernels == 0:
        errors.append("no kernel found in the ptxas reports")

    cuobjdump = shutil.which("cuobjdump") or (os.path.exists("/usr/local/cuda/bin/cuobjdump") and "/usr/local/cuda/bin/cuobjdump")
    for tc in ("gemm/gemm_wmma.cu", "conv/conv2d_implicit_gemm.cu"):
        name = os.path.basename(tc)
        ptx = f"{work}/{name}.ptx"
        subprocess.run([nvcc, f"-arch={ARCH}", "-ptx", "-std=c++17", "-I", include, "-o", ptx,
                        f"{source}/kernels/{tc}"], check=True)
        mma = len(re.findall(r"\b(?:wmma\.mma\.sync|mma\.sync)\b", open(ptx, encoding="utf-8").read()))
        print(f"{name}: {mma} tensor-core MMA instructions in the PTX")
        if mma == 0:
            errors.append(f"{name}: no wmma.mma.sync/mma.sync in the PTX: not using tensor cores")
        if cuobjdump:
            sass = subprocess.run([cuobjdump, "--dump-sass", f"{work}/{name}.cubin"], capture_output=True,
                                  text=True).stdout
            hmma = sass.count("HMMA")
            print(f"{name}: {hmma} HMMA instructions in the SASS")
            if hmma == 0:
                errors.append(f"{name}: no HMMA in the SASS")
    if not cuobjdump:
        print("cuobjdump not installed: SASS not inspected (PTX checked instead)")
    # The JIT workloads' hand-written PTX must assemble for the oldest and a current target, or
    # jit.driver_ptx would fail on every driver for a reason that is ours.
    ptxas = os.path.join(os.path.dirname(nvcc), "ptxas")
    jit = open(f"{source}/kernels/platform/jit_sources.hpp", encoding="utf-8").read()
    m = re.search(r'kJitAxpyPtx = R"\((.*?)\)";', jit, re.S)
    if not m:
        errors.append("jit_sources.hpp: kJitAxpyPtx not found")
    else:
        with open(f"{work}/jit_axpy.ptx", "w", encoding="utf-8") as f:
            f.write(m.group(1))
        for arch in ("sm_75", "sm_90"):
            r = subprocess.run([ptxas, f"-arch={arch}", f"{work}/jit_axpy.ptx", "-o", f"{work}/jit_axpy_{arch}.cubin"],
                               capture_output=True, text=True)
            print(f"jit_sources.hpp: kJitAxpyPtx assembles for {arch}: {'yes' if r.returncode == 0 else 'NO'}")
            if r.returncode != 0:
                errors.append(f"jit_sources.hpp: ptxas -arch={arch} failed: {r.stderr.strip()}")
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{kernels} kernel(s) checked: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
