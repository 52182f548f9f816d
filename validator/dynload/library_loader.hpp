#pragma once
// Run-time loading of CUDA libraries where users have them, so the binary starts everywhere: the
// loader's own path (LD_LIBRARY_PATH, ld.so.cache), /usr/lib/wsl/lib, the CUDA
// toolkit folders, and Python site-packages `nvidia/<lib>/lib` (pip wheels). A missing library is
// a record with the reason, never a loader error at start-up.

#include <string>
#include <vector>

#include "model/environment.hpp"

namespace wslcuda {

/// How to find one library.
struct library_spec {
  std::string name;                  ///< report name: "cuda", "cublas", …
  std::vector<std::string> sonames;  ///< tried in order, e.g. {"libcublas.so.13"}
  std::vector<std::string>
      wheel_dirs;  ///< below site-packages, e.g. {"nvidia/cublas/lib", "nvidia/cu13/lib"}
  bool search_toolkit = true;  ///< also /usr/local/cuda*/lib64 (false for the driver)
};

/// libcuda.so.1: the loader's path, then /usr/lib/wsl/lib (never the toolkit's stubs).
library_spec libcuda_spec();
/// libcublas.so.13 (cuBLAS of CUDA 13).
library_spec cublas_spec();
/// libcudnn.so.9 (cuDNN 9; pip wheel nvidia-cudnn-cu13 puts it in nvidia/cudnn/lib).
library_spec cudnn_spec();
/// libnccl.so.2 (pip wheel nvidia-nccl-cu13: nvidia/nccl/lib).
library_spec nccl_spec();
/// libnvrtc.so.13 (pip wheel: nvidia/cuda_nvrtc/lib or nvidia/cu13/lib).
library_spec nvrtc_spec();
/// libnvidia-ml.so.1: ships with the driver (/usr/lib/wsl/lib on WSL); never the toolkit stub.
library_spec nvml_spec();

/// A loaded (or not) library: the handle stays open for the life of the process.
struct loaded_library {
  library_record record;
  void* handle = nullptr;
};

/// Folders searched after the loader's own path, in order, for `spec` (those that exist).
std::vector<std::string> library_search_dirs(const library_spec& spec);

/// Python site-packages folders: $VIRTUAL_ENV, $CONDA_PREFIX, ~/.local, pyenv versions,
/// /usr/local and /usr, then `python3`'s own sys.path (asked only when the globs find none with
/// an `nvidia` folder). Scanned once per process: every library probe shares the result.
const std::vector<std::string>& python_site_packages();

/// Loads the first soname that resolves: dlopen(soname) (RTLD_NOW | RTLD_LOCAL), then each folder
/// of library_search_dirs. record.path is the real path of the loaded file (dlinfo), record.error
/// the last dlerror() when nothing loaded, record.searched every place tried.
loaded_library load_library(const library_spec& spec);

/// load_library(spec) once per process and soname list: later calls return the first result
/// (thread-safe). For workloads, which need a handle where the probe's is not passed on.
const loaded_library& load_library_once(const library_spec& spec);

/// Real path of the object behind a dlopen handle, "" if unknown.
std::string loaded_path(void* handle);

}  // namespace wslcuda
