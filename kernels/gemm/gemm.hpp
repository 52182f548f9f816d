#pragma once
// GEMM family: C = A·B. Launch API only; no CLI, JSON or report knowledge here.

#include <cuda_bf16.h>
#include <cuda_fp16.h>
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

/// Our tensor-core GEMM: C[M×N] (fp32) = A[M×K] · B[K×N], A and B row-major fp16 (or bf16),
/// products and fp32 accumulation on tensor cores through WMMA 16×16×16 fragments. A 256-thread
/// block computes a 128×128 tile in K-steps of 32 staged through shared memory; each of its 8
/// warps owns 64×32 of C (4×2 fragments). Any M, N, K ≥ 1 (edges zero-filled; edge tiles, and
/// every tile when N is not a multiple of 4 or C is not 32-byte aligned, stored through shared
/// memory: wmma_tile_stores_directly). Needs compute capability 8.0 (bf16 WMMA); the kernel traps
/// if run below. Device pointers; enqueued on `stream`; returns the launch error.
cudaError_t launch_gemm_wmma_f16(int m, int n, int k, const __half* a, const __half* b, float* c,
                                 cudaStream_t stream);
/// The same with bf16 inputs.
cudaError_t launch_gemm_wmma_bf16(int m, int n, int k, const __nv_bfloat16* a,
                                  const __nv_bfloat16* b, float* c, cudaStream_t stream);

}  // namespace wslcuda::kernels
