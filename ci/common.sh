# Sourced by ci/test.sh and ci/validate.sh: repository root, dependencies, nvcc.
set -euo pipefail
WSLCUDA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$WSLCUDA_ROOT"
bash ci/bootstrap.sh
if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi
