#pragma once
// Move-only owners of CUDA resources (nvbench cuda_stream.cuh, detail/device_scope.cuh):
// no naked cudaFree outside a destructor.

#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>

#include "common/cuda_check.hpp"

namespace wslcuda {

/// Typed device allocation of `size()` elements of T (cudaMalloc'd, freed on destruction).
template <typename T>
class device_buffer {
 public:
  device_buffer() = default;
  /// Allocates `count` elements. Throws cuda_error (e.g. cudaErrorMemoryAllocation).
  explicit device_buffer(std::size_t count) : size_(count) {
    void* p = nullptr;
    WSLCUDA_CUDA_CHECK(cudaMalloc(&p, count * sizeof(T)));
    ptr_ = static_cast<T*>(p);
  }
  device_buffer(device_buffer&& o) noexcept
      : ptr_(std::exchange(o.ptr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  device_buffer& operator=(device_buffer&& o) noexcept {
    if (this != &o) {
      reset();
      ptr_ = std::exchange(o.ptr_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;
  ~device_buffer() { reset(); }

  T* get() const noexcept { return ptr_; }
  std::size_t size() const noexcept { return size_; }
  std::size_t bytes() const noexcept { return size_ * sizeof(T); }
  void reset() noexcept {
    if (ptr_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaFree(ptr_));
    ptr_ = nullptr;
    size_ = 0;
  }

 private:
  T* ptr_ = nullptr;
  std::size_t size_ = 0;
};

/// Page-locked host memory of `bytes()` bytes (cudaHostAlloc, cudaHostAllocDefault; freed with
/// cudaFreeHost). Throws cuda_error (cudaErrorMemoryAllocation when the OS or, on WSL 2, the
/// driver's cap refuses).
class pinned_buffer {
 public:
  pinned_buffer() = default;
  explicit pinned_buffer(std::size_t bytes) : bytes_(bytes) {
    WSLCUDA_CUDA_CHECK(cudaHostAlloc(&ptr_, bytes, cudaHostAllocDefault));
  }
  pinned_buffer(pinned_buffer&& o) noexcept
      : ptr_(std::exchange(o.ptr_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
  pinned_buffer& operator=(pinned_buffer&& o) noexcept {
    if (this != &o) {
      reset();
      ptr_ = std::exchange(o.ptr_, nullptr);
      bytes_ = std::exchange(o.bytes_, 0);
    }
    return *this;
  }
  pinned_buffer(const pinned_buffer&) = delete;
  pinned_buffer& operator=(const pinned_buffer&) = delete;
  ~pinned_buffer() { reset(); }
  unsigned char* get() const noexcept { return static_cast<unsigned char*>(ptr_); }
  std::size_t bytes() const noexcept { return bytes_; }
  void reset() noexcept {
    if (ptr_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaFreeHost(ptr_));
    ptr_ = nullptr;
    bytes_ = 0;
  }

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
};

/// A non-blocking stream (cudaStreamNonBlocking: no implicit sync with the legacy stream).
class cuda_stream {
 public:
  cuda_stream() { WSLCUDA_CUDA_CHECK(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
  cuda_stream(cuda_stream&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  cuda_stream& operator=(cuda_stream&&) = delete;
  cuda_stream(const cuda_stream&) = delete;
  cuda_stream& operator=(const cuda_stream&) = delete;
  ~cuda_stream() {
    if (s_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaStreamDestroy(s_));
  }
  cudaStream_t get() const noexcept { return s_; }

 private:
  cudaStream_t s_ = nullptr;
};

/// A timing event (cudaEventDefault: timing enabled, spin-wait on synchronize).
class cuda_event {
 public:
  cuda_event() { WSLCUDA_CUDA_CHECK(cudaEventCreate(&e_)); }
  cuda_event(cuda_event&& o) noexcept : e_(std::exchange(o.e_, nullptr)) {}
  cuda_event& operator=(cuda_event&&) = delete;
  cuda_event(const cuda_event&) = delete;
  cuda_event& operator=(const cuda_event&) = delete;
  ~cuda_event() {
    if (e_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaEventDestroy(e_));
  }
  cudaEvent_t get() const noexcept { return e_; }

 private:
  cudaEvent_t e_ = nullptr;
};

/// Makes `device` current for the scope and restores the previous one after.
class device_scope {
 public:
  explicit device_scope(int device) {
    WSLCUDA_CUDA_CHECK(cudaGetDevice(&previous_));
    WSLCUDA_CUDA_CHECK(cudaSetDevice(device));
  }
  device_scope(const device_scope&) = delete;
  device_scope& operator=(const device_scope&) = delete;
  ~device_scope() { WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaSetDevice(previous_)); }

 private:
  int previous_ = 0;
};

}  // namespace wslcuda
