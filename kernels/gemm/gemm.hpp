#pragma once
// GEMM family: C = A·B. Launch API only; no CLI, JSON or report knowledge here.

#include <cuda_runtime_api.h>

namespace wslcuda::kernels {

/// Our SIMT SGEMM: C[M×N] = A[M×K] · B[K×N], all row-major fp32 with leading dimensions K, N
/// and N, accumulated in fp32 with FMA in increasing k. Any M, N, K ≥ 1 (edges are guarded).
///
/// Tiling (the classic register-blocked scheme, e.g. Volkov & Demmel, "Benchmarking GPUs to tune
/// dense linear algebra", SC'08): a 256-thread block computes a 128×128 tile of C in steps of
/// K = 8 staged through shared memory, each thread an 8×8 sub-tile held in registers; the next
/// K-step is prefetched into registers while the current one is consumed.
///
/// Device pointers; enqueued on `stream`; launch errors are returned, not thrown.
cudaError_t launch_sgemm_tiled(int m, int n, int k, const float* a, const float* b, float* c,
                               cudaStream_t stream);

}  // namespace wslcuda::kernels
