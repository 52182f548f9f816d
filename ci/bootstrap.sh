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
  python3-venv         # the virtual environment of the Otava oracle (below)
  libjs-chart.js       # Chart.js, inlined into HTML reports at build time
  chromium             # headless browser that renders the HTML reports in the tests
  python3-pandas       # the README's pandas snippets, run by a test
  dpkg-dev lintian man-db  # the Debian package: dpkg-shlibdeps computes its dependencies, lintian and
                           # man check it
  time                 # GNU time: peak RSS in ci/bench_suite.sh and ci/gpu_acceptance.sh
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

# Apache Otava from PyPI, the oracle of the change-point cross-validation
# (tests/cli/check_otava.py, test change_points_agree_with_otava), in its own virtual
# environment (PyPI only for test oracles). Pinned: 0.8.0 reproduced Otava's golden test. Never
# fails the bootstrap: without PyPI the test is SKIPPED and says why.
otava_venv="${WSLCUDA_OTAVA_VENV:-$HOME/.cache/wslcuda/otava-venv}"
otava_version=0.8.0
if "$otava_venv/bin/python" -c "import importlib.metadata as m, sys, otava.analysis
sys.exit(m.version('apache-otava') != '$otava_version')" 2>/dev/null; then
  echo "bootstrap: apache-otava $otava_version present in $otava_venv"
else
  echo "bootstrap: installing apache-otava $otava_version into $otava_venv (change-point test oracle)"
  if mkdir -p "$(dirname "$otava_venv")" && /usr/bin/python3 -m venv "$otava_venv" &&
     "$otava_venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries 1 \
       --timeout 30 "apache-otava==$otava_version"; then
    echo "bootstrap: apache-otava $otava_version installed"
  else
    echo "bootstrap: could not install apache-otava $otava_version from PyPI (offline?):" \
         "change_points_agree_with_otava will be SKIPPED" >&2
  fi
fi

if ! command -v nvcc >/dev/null && [[ ! -x /usr/local/cuda/bin/nvcc ]]; then
  echo "bootstrap: nvcc not found: install the CUDA 13 toolkit (it provides nvcc, cuBLAS, cuDNN," \
       "NCCL and NVRTC headers) and put /usr/local/cuda/bin on PATH" >&2
  exit 1
fi
