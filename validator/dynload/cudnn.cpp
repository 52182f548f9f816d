#include "dynload/cudnn.hpp"

#include <string>

#include "dynload/library_loader.hpp"

namespace wslcuda {

cudnn_api cudnn_api::resolve(void* dl_handle) {
  if (dl_handle == nullptr) throw std::runtime_error("cuDNN is not loaded");
  cudnn_api api;
#define WSLCUDA_BIND(name) bind_symbol(dl_handle, #name, api.name, "cuDNN");
  WSLCUDA_CUDNN_ENTRY_POINTS(WSLCUDA_BIND)
#undef WSLCUDA_BIND
  return api;
}

const cudnn_api& cudnn_api::loaded() {
  static const cudnn_api api = resolve(load_library_once(cudnn_spec()).handle);
  return api;
}

void cudnn_api::check(cudnnStatus_t status, const char* call) const {
  if (status != CUDNN_STATUS_SUCCESS)
    throw cudnn_error(status, std::string(call) + " failed: " + cudnnGetErrorString(status));
}

cudnn_handle::cudnn_handle(const cudnn_api& api) : api_(&api) {
  api.check(api.cudnnCreate(&handle_), "cudnnCreate");
}

cudnn_handle::~cudnn_handle() {
  if (handle_ != nullptr) api_->cudnnDestroy(handle_);
}

std::optional<cudnn_versions> cudnn_version(void* dl_handle) {
  using get_version_fn = std::size_t (*)();
  const auto version = find_symbol<get_version_fn>(dl_handle, "cudnnGetVersion");
  const auto cudart = find_symbol<get_version_fn>(dl_handle, "cudnnGetCudartVersion");
  if (version == nullptr || cudart == nullptr) return std::nullopt;
  return cudnn_versions{version(), cudart()};
}

}  // namespace wslcuda
