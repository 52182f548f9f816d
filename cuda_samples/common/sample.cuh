#pragma once
// Shared by the cuda_samples programs: every CUDA call checked, the NVIDIA samples' result
// convention ("Result = PASS", "Result = FAIL", "Result = WAIVED (<reason>)"; exit 0, 1, 2 —
// 2 is EXIT_WAIVED in NVIDIA's helper_cuda.h), --help, and run-time loading of vendor libraries
// so a missing cuBLAS, cuDNN or NCCL waives the sample instead of failing to start.
// exit() is allowed here (and only here, per STYLE.md).

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace sample {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitWaived = 2;

[[noreturn]] inline void pass() {
  std::printf("Result = PASS\n");
  std::exit(kExitPass);
}

[[noreturn]] inline void fail(const std::string& why) {
  std::printf("%s\nResult = FAIL\n", why.c_str());
  std::exit(kExitFail);
}

[[noreturn]] inline void waive(const std::string& why) {
  std::printf("Result = WAIVED (%s)\n", why.c_str());
  std::exit(kExitWaived);
}

/// Prints `usage` and exits 0 when argv holds -h or --help.
inline void handle_help(int argc, char** argv, const char* usage) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::printf("%s", usage);
      std::exit(kExitPass);
    }
  }
}

/// True when argv holds `flag` (e.g. "-benchmark", "--csv").
inline bool has_flag(int argc, char** argv, const char* flag) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], flag) == 0) return true;
  return false;
}

/// Value of "--name=value" or "--name value", or `fallback`.
inline std::string option(int argc, char** argv, const char* name, const char* fallback) {
  const std::size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
    if (std::strcmp(argv[i], name) == 0 && i + 1 < argc) return argv[i + 1];
  }
  return fallback;
}

/// Waives when there is no usable device (no driver, no GPU); returns the device count.
inline int require_device() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess)
    waive(std::string("no CUDA device: ") + cudaGetErrorName(e) + ", " + cudaGetErrorString(e));
  if (count == 0) waive("no CUDA device");
  return count;
}

/// dlopen of `soname`, else waive naming the library and dlerror.
inline void* load_or_waive(const char* soname, const char* what) {
  void* h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* e = dlerror();
    waive(std::string(what) + " not available: " + (e != nullptr ? e : soname));
  }
  return h;
}

/// A symbol of a loaded library as a typed function pointer, else fail (a broken library).
template <typename Fn>
Fn symbol(void* lib, const char* name) {
  void* s = dlsym(lib, name);
  if (s == nullptr) fail(std::string("symbol ") + name + " missing");
  return reinterpret_cast<Fn>(s);
}

}  // namespace sample

/// Checks a cudaError_t; on failure prints the call site and the error name and ends FAIL.
#define SAMPLE_CHECK(expr)                                                                   \
  do {                                                                                       \
    const cudaError_t sample_status_ = (expr);                                               \
    if (sample_status_ != cudaSuccess)                                                       \
      ::sample::fail(std::string(__FILE__) + ":" + std::to_string(__LINE__) + ": " + #expr + \
                     ": " + cudaGetErrorName(sample_status_) + " (" +                        \
                     cudaGetErrorString(sample_status_) + ")");                              \
  } while (false)
