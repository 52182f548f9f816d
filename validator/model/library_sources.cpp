#include "model/library_sources.hpp"

namespace wslcuda {

const std::vector<library_source>& library_sources() {
  static const std::vector<library_source> table = {
      {"cublas", "cuBLAS", "libcublas-13-0", "nvidia-cublas",
       "the gemm.cublas.* workloads are skipped"},
      {"cudnn", "cuDNN", "libcudnn9-cuda-13", "nvidia-cudnn-cu13",
       "the conv.cudnn.* workloads are skipped"},
      {"nccl", "NCCL", "libnccl2", "nvidia-nccl-cu13", "the nccl.* workloads are skipped"},
      {"nvrtc", "NVRTC", "cuda-nvrtc-13-0", "nvidia-cuda-nvrtc",
       "the jit.nvrtc.* workloads are skipped"},
      {"nvml", "NVML", "", "", "clocks and throttle reasons are not recorded"},
  };
  return table;
}

const library_source* find_library_source(const std::string& name) {
  for (const library_source& s : library_sources())
    if (s.name == name) return &s;
  return nullptr;
}

std::string library_remedy(const std::string& name) {
  const library_source* s = find_library_source(name);
  if (s == nullptr)
    return "install the CUDA 13 " + name + " library, or add its folder to LD_LIBRARY_PATH";
  if (s->apt_package.empty())
    return s->title +
           " comes with the NVIDIA driver (on WSL: /usr/lib/wsl/lib, from the Windows driver)";
  return "install " + s->title + " for CUDA 13: `sudo apt install " + s->apt_package +
         "` (NVIDIA's CUDA repository) or `pip install " + s->pip_wheel +
         "`; or add the folder that holds it to LD_LIBRARY_PATH";
}

std::string missing_library_message(const std::string& name, const std::string& reason) {
  const library_source* s = find_library_source(name);
  return (s != nullptr ? s->title : name) + " unavailable (" + reason + "); " +
         library_remedy(name);
}

}  // namespace wslcuda
