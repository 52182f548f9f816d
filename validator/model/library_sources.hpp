#pragma once
// Where a user gets each library wslcuda loads at run time, and what goes without it: one table,
// read by the doctor's lib.* checks (their remedies) and by the rows skipped for a missing
// library (their messages), so both say the same thing. CUDA-free.
//
// Package names: NVIDIA's CUDA apt repository for Debian/Ubuntu and WSL-Ubuntu
// (https://developer.nvidia.com/cuda-downloads; `cuda-keyring` first) names its CUDA 13.0 runtime
// libraries libcublas-13-0 and cuda-nvrtc-13-0, cuDNN 9 for CUDA 13 libcudnn9-cuda-13, and NCCL
// libnccl2 (as NVIDIA's own nvidia/cuda:13.0 container images install them). PyPI's CUDA 13
// wheels drop the "-cuXX" suffix for the toolkit's own libraries: nvidia-cublas and
// nvidia-cuda-nvrtc (13.1.0.3 and 13.0.88 beside PyTorch's cu130 builds, and in the toolkit this
// project builds with), while cuDNN and NCCL keep it: nvidia-cudnn-cu13, nvidia-nccl-cu13.
// library_loader.hpp searches where they install (site-packages nvidia/cu13/lib,
// nvidia/cudnn/lib, nvidia/nccl/lib).

#include <string>
#include <vector>

namespace wslcuda {

/// One library loaded at run time and how to get it.
struct library_source {
  std::string name;         ///< the report's library name, e.g. "cublas" (lib.cublas)
  std::string title;        ///< as NVIDIA writes it, e.g. "cuBLAS"
  std::string apt_package;  ///< in NVIDIA's CUDA apt repository; "" when the driver brings it
  std::string pip_wheel;    ///< on PyPI; "" when there is none
  /// What goes without it, e.g. "the gemm.cublas.* workloads are skipped".
  std::string without_it;
};

/// The libraries of the table, in the doctor's order: cuBLAS, cuDNN, NCCL, NVRTC, NVML.
const std::vector<library_source>& library_sources();

/// The entry named `name`, or nullptr.
const library_source* find_library_source(const std::string& name);

/// How to get library `name` for CUDA 13, as one line: the apt package (from NVIDIA's CUDA
/// repository) or the pip wheel, or LD_LIBRARY_PATH for a copy that is already there; for a
/// library that comes with the driver (NVML), that. A name not in the table gets a generic line.
std::string library_remedy(const std::string& name);

/// The message of a workload skipped because library `name` cannot be used for `reason` (the
/// loader's error, or the failed check): "cuBLAS unavailable (<reason>); install …".
std::string missing_library_message(const std::string& name, const std::string& reason);

}  // namespace wslcuda
