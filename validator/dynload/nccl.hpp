#pragma once
// NCCL 2 (libnccl.so.2), loaded at run time: the collective workloads and the doctor's version.
// Entry points, result codes and the version number as nccl.h declares them.

#include <nccl.h>

#include <string>
#include <vector>

#include "dynload/entry_points.hpp"

namespace wslcuda {

/// An NCCL call that did not return ncclSuccess; what() is "<call> failed: <ncclGetErrorString>".
using nccl_error = library_error<ncclResult_t>;

// The entry points resolved by name (one list: the table's members and resolve() both use it).
// clang-format off
#define WSLCUDA_NCCL_ENTRY_POINTS(X)                                                  \
  X(ncclCommInitAll) X(ncclCommDestroy) X(ncclGetErrorString) X(ncclGetVersion)     \
  X(ncclGroupStart) X(ncclGroupEnd)                                                 \
  X(ncclAllReduce) X(ncclAllGather) X(ncclReduceScatter) X(ncclBroadcast)
// clang-format on

/// The NCCL entry points wslcuda uses, resolved with dlsym from a dlopen handle.
struct nccl_api {
  WSLCUDA_NCCL_ENTRY_POINTS(WSLCUDA_ENTRY_POINT_MEMBER)

  /// Resolves every entry point from `dl_handle` (a dlopen handle of libnccl.so.2). Throws
  /// std::runtime_error "NCCL is not loaded" for a null handle, "NCCL lacks <symbol>" naming the
  /// first missing symbol.
  static nccl_api resolve(void* dl_handle);
  /// The table of the process's libnccl.so.2 (load_library_once(nccl_spec())), resolved once;
  /// throws as resolve() (and again at the next call) when it cannot be.
  static const nccl_api& loaded();
  /// Throws nccl_error "<call> failed: <ncclGetErrorString>" unless `result` is ncclSuccess.
  void check(ncclResult_t result, const char* call) const;
};

/// One communicator per listed device in this process (ncclCommInitAll: rank i is devices[i]),
/// destroyed with ncclCommDestroy. Throws nccl_error when initialisation fails.
class nccl_communicators {
 public:
  nccl_communicators(const nccl_api& api, const std::vector<int>& devices);
  nccl_communicators(const nccl_communicators&) = delete;
  nccl_communicators& operator=(const nccl_communicators&) = delete;
  ~nccl_communicators();
  /// The communicator of rank `rank` (0 ≤ rank < size()).
  ncclComm_t operator[](std::size_t rank) const noexcept { return comms_[rank]; }
  std::size_t size() const noexcept { return comms_.size(); }

 private:
  const nccl_api* api_;
  std::vector<ncclComm_t> comms_;
};

/// NCCL's version as "major.minor.patch" from ncclGetVersion (major·10000 + minor·100 + patch
/// since NCCL 2.9), or "" when the handle is null, lacks it or it fails.
std::string nccl_version(void* dl_handle);

}  // namespace wslcuda
