#pragma once
// Move-only owners of CUDA resources (nvbench cuda_stream.cuh, detail/device_scope.cuh):
// no naked cudaFree outside a destructor.

#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>
#include <vector>

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

/// A side stream forked from a main stream, with the event it records to join back.
struct stream_branch {
  cudaStream_t stream;
  cudaEvent_t join;  ///< created on the side stream's device
};

/// Forks side streams from `main` (`fork` is recorded on main and every side stream waits for
/// it) and joins them back (each side stream records its `join` event and main waits for it):
/// by join(), or on every other path (an exception between the fork and the join) by the
/// destructor, which swallows errors. Inside a stream capture this keeps the capture joined
/// whatever throws: a side stream left unjoined ends the capture with
/// cudaErrorStreamCaptureUnjoined and may be left capturing (CUDA C++ Programming Guide, "CUDA
/// Graphs", "Cross-stream Dependencies and Events": "all forked streams must be joined back to
/// the origin stream"). Eagerly it only orders the streams.
class stream_fork {
 public:
  /// Throws cuda_error; the branches forked so far are joined before it propagates.
  stream_fork(cudaStream_t main, cudaEvent_t fork, std::vector<stream_branch> branches)
      : main_(main), branches_(std::move(branches)) {
    WSLCUDA_CUDA_CHECK(cudaEventRecord(fork, main_));
    try {
      for (const stream_branch& b : branches_) {
        WSLCUDA_CUDA_CHECK(cudaStreamWaitEvent(b.stream, fork, 0));
        ++forked_;
      }
    } catch (...) {
      join_noexcept();
      throw;
    }
  }
  stream_fork(const stream_fork&) = delete;
  stream_fork& operator=(const stream_fork&) = delete;
  /// Joins every branch into the main stream. Throws cuda_error (the rest is still joined by
  /// the destructor).
  void join() {
    for (; joined_ < forked_; ++joined_) {
      const stream_branch& b = branches_[joined_];
      WSLCUDA_CUDA_CHECK(cudaEventRecord(b.join, b.stream));
      WSLCUDA_CUDA_CHECK(cudaStreamWaitEvent(main_, b.join, 0));
    }
  }
  ~stream_fork() { join_noexcept(); }

 private:
  void join_noexcept() noexcept {
    for (; joined_ < forked_; ++joined_) {
      const stream_branch& b = branches_[joined_];
      WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaEventRecord(b.join, b.stream));
      WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaStreamWaitEvent(main_, b.join, 0));
    }
  }
  cudaStream_t main_;
  std::vector<stream_branch> branches_;
  std::size_t forked_ = 0, joined_ = 0;
};

}  // namespace wslcuda
