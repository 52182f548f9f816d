#!/usr/bin/env bash
# Builds the Debian package of wslcuda: configures and builds the `release` preset (kernels for
# sm_75 … sm_120, PTX for newer GPUs; a while on a small machine), then packs it with CPack
# (`cmake --workflow --preset package`). The package's version is the project's (CMakeLists.txt),
# as in `wslcuda --version` and every report. Prints the package's path as its last line:
#   build/release/wslcuda_<version>_<arch>.deb
# Install it with `sudo apt install ./build/release/wslcuda_*.deb` (docs/install.md).
# WSLCUDA_PACKAGE_MAINTAINER overrides the Maintainer field (default: the newest entry of
# cmake/debian/changelog).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [[ -n ${WSLCUDA_PACKAGE_MAINTAINER:-} ]]; then  # kept in the cache for the workflow below
  cmake --preset release -DWSLCUDA_PACKAGE_MAINTAINER="$WSLCUDA_PACKAGE_MAINTAINER" >&2
fi
cmake --workflow --preset package >&2
name=$(sed -n 's/^set(CPACK_DEBIAN_FILE_NAME "\(.*\)")$/\1/p' build/release/CPackConfig.cmake)
deb="$WSLCUDA_ROOT/build/release/$name"
[[ -n $name && -f $deb ]] || { echo "package.sh: no package in build/release" >&2; exit 1; }
echo "$deb"
