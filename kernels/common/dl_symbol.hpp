#pragma once
// Binding entry points of a library loaded at run time (dlopen): one helper for cuBLAS, cuDNN,
// NCCL and NVRTC, so a missing symbol always reads the same way.

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

}  // namespace wslcuda
