#pragma once
// Loading the optional CUDA libraries and asking each for its version (and, for cuDNN, whether
// a handle can be created). Lives beside cuda_probe: it may touch the GPU.

#include "dynload/library_loader.hpp"
#include "model/environment.hpp"

namespace wslcuda {

/// cuDNN: cudnnGetVersion (major·10000 + minor·100 + patch for cuDNN 9), cudnnGetCudartVersion
/// compared with our runtime's major (a mismatch is `check_error`), and, when `device_usable`,
/// cudnnCreate/cudnnDestroy (a missing engine sub-library only shows there).
loaded_library probe_cudnn(int cuda_runtime_version, bool device_usable);
/// NCCL: ncclGetVersion (major·10000 + minor·100 + patch since 2.9).
loaded_library probe_nccl();
/// NVRTC: nvrtcVersion(major, minor).
loaded_library probe_nvrtc();
/// NVML: nvmlInit_v2 and nvmlSystemGetDriverVersion (the driver's own version, e.g. "580.65.06"),
/// returned through `driver_version`; nvmlShutdown after.
loaded_library probe_nvml(std::optional<std::string>& driver_version);

}  // namespace wslcuda
