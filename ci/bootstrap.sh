#!/usr/bin/env bash
# Installs what the build needs from Debian's packages, only what is missing (idempotent).
# The CUDA 13 toolkit itself (nvcc, cuBLAS, cuDNN, NCCL headers) is a prerequisite: it is not a
# Debian package; this script says so and stops when nvcc cannot be found.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config git
  nlohmann-json3-dev   # JSON reports
  libcli11-dev         # command line
  libgtest-dev         # tests
  libbenchmark-dev     # the CPU-phase benchmark (optional: built when present)
  libboost-dev         # Boost.Math distributions (median confidence intervals)
  directx-headers-dev  # DXCore interfaces for the WSL doctor (pkg-config DirectX-Headers)
  libpugixml-dev       # JUnit XML
  libsqlite3-dev       # the run history's store (SQLite 3.40)
  zlib1g-dev           # the history's compressed reports
  python3 python3-jsonschema python3-yaml  # schema and CI-template checks in the tests
  libjs-chart.js       # Chart.js, inlined into HTML reports at build time
  chromium             # headless browser that renders the HTML reports in the tests
  python3-pandas       # the README's pandas snippets, run by a test
  libpq-dev            # PostgreSQL's C client: a fleet's history store (pkg-config libpq)
  postgresql-15        # the server the PostgreSQL tests start, throwaway (tests/pg/pg_server.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "bootstrap: all build dependencies present"
fi

if ! command -v nvcc >/dev/null && [[ ! -x /usr/local/cuda/bin/nvcc ]]; then
  echo "bootstrap: nvcc not found: install the CUDA 13 toolkit (it provides nvcc, cuBLAS, cuDNN," \
       "NCCL and NVRTC headers) and put /usr/local/cuda/bin on PATH" >&2
  exit 1
fi
