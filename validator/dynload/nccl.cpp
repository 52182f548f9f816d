#include "dynload/nccl.hpp"

#include "dynload/library_loader.hpp"

namespace wslcuda {

nccl_api nccl_api::resolve(void* dl_handle) {
  if (dl_handle == nullptr) throw std::runtime_error("NCCL is not loaded");
  nccl_api api;
#define WSLCUDA_BIND(name) bind_symbol(dl_handle, #name, api.name, "NCCL");
  WSLCUDA_NCCL_ENTRY_POINTS(WSLCUDA_BIND)
#undef WSLCUDA_BIND
  return api;
}

const nccl_api& nccl_api::loaded() {
  static const nccl_api api = resolve(load_library_once(nccl_spec()).handle);
  return api;
}

void nccl_api::check(ncclResult_t result, const char* call) const {
  if (result != ncclSuccess)
    throw nccl_error(
        result, std::string(call) + " failed: " +
                    (ncclGetErrorString != nullptr ? ncclGetErrorString(result)
                                                   : "ncclResult_t " + std::to_string(result)));
}

nccl_communicators::nccl_communicators(const nccl_api& api, const std::vector<int>& devices)
    : api_(&api), comms_(devices.size()) {
  api.check(api.ncclCommInitAll(comms_.data(), static_cast<int>(devices.size()), devices.data()),
            "ncclCommInitAll");
}

nccl_communicators::~nccl_communicators() {
  for (ncclComm_t comm : comms_)
    if (comm != nullptr) api_->ncclCommDestroy(comm);
}

std::string nccl_version(void* dl_handle) {
  const auto get_version = find_symbol<ncclResult_t (*)(int*)>(dl_handle, "ncclGetVersion");
  int code = 0;
  if (get_version == nullptr || get_version(&code) != ncclSuccess) return "";
  return std::to_string(code / 10000) + "." + std::to_string((code % 10000) / 100) + "." +
         std::to_string(code % 100);
}

}  // namespace wslcuda
