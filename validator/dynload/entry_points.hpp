#pragma once
// What every run-time-loaded library's table shares (cublas.hpp, cudnn.hpp, nccl.hpp,
// cuda_driver.hpp, nvrtc.hpp): binding an entry point or throwing, so a missing symbol always
// reads the same way, the table's members declared from one list of names, and the error type
// that keeps a library's status code.

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace wslcuda {

/// Sets `fn` to the function `name` of the dlopen handle `handle`. Throws std::runtime_error
/// "<library> lacks <name>" when the handle is null or the symbol is missing (an older or
/// incompatible library).
template <typename Fn>
void bind_symbol(void* handle, const char* name, Fn& fn, const char* library) {
  void* sym = handle != nullptr ? ::dlsym(handle, name) : nullptr;
  if (sym == nullptr) throw std::runtime_error(std::string(library) + " lacks " + name);
  fn = reinterpret_cast<Fn>(sym);
}

/// The function `name` of a dlopen handle as `Fn`, or nullptr when the handle is null or lacks
/// it: for version queries, which report a missing symbol instead of throwing.
template <typename Fn>
Fn find_symbol(void* handle, const char* name) {
  return handle != nullptr ? reinterpret_cast<Fn>(::dlsym(handle, name)) : nullptr;
}

/// A library call that did not succeed; what() names the call and the library's error string,
/// status() is the library's own code (cublasStatus_t, cudnnStatus_t, …).
template <typename Status>
class library_error : public std::runtime_error {
 public:
  library_error(Status status, const std::string& what)
      : std::runtime_error(what), status_(status) {}
  Status status() const noexcept { return status_; }

 private:
  Status status_;
};

}  // namespace wslcuda

/// A table member for the entry point `name`, with the header's own type: use in an X-macro
/// list of names, e.g. `WSLCUDA_CUDNN_ENTRY_POINTS(WSLCUDA_ENTRY_POINT_MEMBER)`.
#define WSLCUDA_ENTRY_POINT_MEMBER(name) decltype(&::name) name = nullptr;
