#!/usr/bin/env bash
# Assembles the BIN_DIR that ci/gpu_acceptance.sh takes: the binaries built here, carried to a
# GPU machine whose bare CUDA image lacks some of the libraries they link.
#
# Usage: ci/gpu_bundle.sh DIR [BUILD_BIN]
#   BUILD_BIN  the build's bin folder (default: build/ci/bin, then build/release/bin); it must
#              hold wslcuda; wslcuda_gpu_tests and the cuda_samples programs are taken when
#              there (configure with WSLCUDA_ENABLE_TESTS=ON and WSLCUDA_BUILD_SAMPLES=ON).
# DIR gets the binaries, lib/ with every shared library `ldd` resolves for them except the C
# library, the C++ runtime and NVIDIA's own (libcuda and the CUDA libraries the image has, which
# wslcuda loads at run time anyway): on 2026-11-30 that was libpugixml; OpenMP added libgomp
# (../shared/reviews/gpu-blind-2026-12-03.md, finding 11). Also baselines/ (the bundled
# baselines, so `gate --baseline auto` finds them wherever DIR is) and MANIFEST.txt (each file,
# its size and what ldd said). Prints the total size: the device machine carries at most 64 MiB
# with the working tree. Exit 1 when wslcuda is missing or a library cannot be resolved here.
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n '2,15p' "$0" >&2
  exit 2
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1
src=${2:-}
if [[ -z $src ]]; then
  for candidate in "$repo/build/ci/bin" "$repo/build/release/bin"; do
    [[ -x $candidate/wslcuda ]] && { src=$candidate; break; }
  done
fi
[[ -n $src && -x $src/wslcuda ]] || { echo "gpu_bundle: no wslcuda in ${src:-build/ci/bin or build/release/bin}" >&2; exit 1; }

mkdir -p "$dir/lib" "$dir/baselines"
binaries=(wslcuda wslcuda_gpu_tests device_query bandwidth_test vector_add matrix_mul black_scholes
          nbody graph_launch cudnn_conv nccl_all_reduce)
copied=()
for b in "${binaries[@]}"; do
  if [[ -x $src/$b ]]; then
    cp -p "$src/$b" "$dir/$b"
    copied+=("$b")
  else
    echo "gpu_bundle: $b not built in $src (left out)" >&2
  fi
done
cp -p "$repo"/reports/baselines/*.json "$dir/baselines/"

# Libraries a bare CUDA image is sure to have, or that must come from the driver and toolkit.
keep_out='^(linux-vdso|ld-linux|libc\.|libm\.|libdl\.|libpthread\.|librt\.|libstdc\+\+\.|libgcc_s\.|libcuda\.|libnvidia-|libcudart\.|libcublas|libcudnn|libnccl|libnvrtc|libnvJitLink)'
status=0
: > "$dir/MANIFEST.txt"
for b in "${copied[@]}"; do
  echo "== $b" >> "$dir/MANIFEST.txt"
  ldd "$dir/$b" >> "$dir/MANIFEST.txt" 2>&1 || true
  while read -r name arrow path _; do
    [[ $arrow == "=>" ]] || continue
    if [[ $path == "not" ]]; then
      echo "gpu_bundle: $b needs $name, which is not found here" >&2
      status=1
      continue
    fi
    [[ $name =~ $keep_out ]] && continue
    [[ -e $dir/lib/$name ]] || cp -L "$path" "$dir/lib/$name"
  done < <(ldd "$dir/$b" 2>/dev/null)
done
{
  echo "== files"
  (cd "$dir" && find . -type f ! -name MANIFEST.txt -printf '%s\t%p\n' | sort -k2)
} >> "$dir/MANIFEST.txt"
total=$(du -sk "$dir" | cut -f1)
echo "gpu_bundle: $dir: ${#copied[@]} binaries, $(ls "$dir/lib" | wc -l) libraries ($(ls "$dir/lib" | tr '\n' ' ')), $((total / 1024)) MiB"
((total <= 48 * 1024)) || echo "gpu_bundle: over 48 MiB: with the working tree it may not fit the device machine's 64 MiB" >&2
exit $status
