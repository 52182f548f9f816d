#pragma once
// Registration of the built-in workload families (explicit; see suite/registry.hpp).

#include <cstdint>
#include <memory>
#include <string>

#include "model/target.hpp"
#include "suite/registry.hpp"

namespace wslcuda {

/// Settings every family reads when it registers its workloads.
struct suite_config {
  bool quick = false;                     ///< `--quick`: the smaller shape set
  std::uint64_t seed = 0x77736c63756461;  ///< `--seed`; default is "wslcuda" in ASCII
  void* cublas = nullptr;                 ///< dlopen handle of cuBLAS, or nullptr
  bool watchdog = false;                  ///< the device kills long kernels (Windows TDR)
  double peak_fp32_flops = 0.0;           ///< for launch-time estimates when `watchdog` is set
  int device = 0;                         ///< the CUDA device workloads run on
  int device_count = 1;                   ///< visible CUDA devices (collectives, peer to peer)
};

/// The settings for running on `target`: its watchdog flag and fp32 peak (for TDR chunking),
/// the shape set, the seed and the cuBLAS handle (nullptr when not loaded).
suite_config suite_config_for(const target_info& target, bool quick, std::uint64_t seed,
                              void* cublas);

/// Fraction of the fp32 peak a kernel is assumed to reach when its launch time is estimated
/// for TDR chunking: deliberately pessimistic (our SIMT kernels reach more on every GPU we know).
constexpr double kTdrEfficiencyFloor = 0.1;

/// Launches needed so each piece of a `flops`-sized kernel stays under 0.5 s when `config` says
/// the device has a watchdog (see tdr_chunks).
int tdr_launches(const suite_config& config, double flops);

/// GEMM implementations of C = A·B in fp32.
enum class gemm_impl { own, cublas };

/// One fp32 GEMM workload (M×N×K row-major); `cublas` is the dlopen handle, used by
/// gemm_impl::cublas only. Inputs derive from `seed`.
std::unique_ptr<workload> make_gemm_f32_workload(gemm_impl impl, int m, int n, int k,
                                                 std::uint64_t seed, void* cublas,
                                                 const suite_config& config = {});
/// One GEMM workload of `precision` ("f32", "tf32" (cuBLAS only), "f16", "bf16"), M×N×K
/// row-major; inputs in their storage format, C in fp32.
std::unique_ptr<workload> make_gemm_workload(gemm_impl impl, const std::string& precision, int m,
                                             int n, int k, std::uint64_t seed, void* cublas,
                                             const suite_config& config = {});
/// Our direct NCHW fp32 convolution on `shape` (kernels::conv2d_shape fields, see conv_shape.hpp).
std::unique_ptr<workload> make_conv_direct_f32_workload(int n, int c, int h, int w, int k, int r,
                                                        int s, int pad, int stride,
                                                        std::uint64_t seed,
                                                        const suite_config& config = {});
/// One cuDNN convolution pass ("f32.fwd", "f16.fwd", "f32.bwd_data", "f32.bwd_filter") on a
/// square problem (N, C, H = W = hw, K, R = S = rs, pad, stride), verified on sampled outputs.
std::unique_ptr<workload> make_cudnn_conv_workload(const std::string& pass, int n, int c, int hw,
                                                   int k, int rs, int pad, int stride,
                                                   std::uint64_t seed);

/// Our tensor-core implicit-GEMM convolution (NHWC fp16 in, fp32 out) on the same problem as
/// the direct kernel with the same seed (inputs rounded to fp16).
std::unique_ptr<workload> make_conv_implicit_gemm_f16_workload(int n, int c, int h, int w, int k,
                                                               int r, int s, int pad, int stride,
                                                               std::uint64_t seed,
                                                               const suite_config& config = {});

/// Implementations and operations of the reduction family.
enum class reduce_impl { own, cub };
enum class reduce_op { sum, max };

/// One fp32 reduction over n seeded elements (reduce.{own,cub}.f32.{sum,max}.n<N>): sums
/// checked against the fp64 sum under the tree-height bound, maxima exactly.
std::unique_ptr<workload> make_reduce_workload(reduce_impl impl, reduce_op op, std::int64_t n,
                                               std::uint64_t seed);
/// Our two-stage fp32 sum over n elements.
std::unique_ptr<workload> make_reduce_sum_f32_workload(std::int64_t n, std::uint64_t seed);
/// reduce.own.f32.softmax_rows (softmax = true) or layernorm_rows over a rows × cols matrix.
std::unique_ptr<workload> make_rows_workload(bool softmax, int rows, int cols, std::uint64_t seed);

/// The copies of the transfer family.
enum class transfer_kind {
  h2d_pageable,
  h2d_pinned,
  d2h_pageable,
  d2h_pinned,
  d2d,     ///< copy engine (cudaMemcpyAsync)
  d2d_sm,  ///< SM copy kernel
  bidirectional_pinned,
};

/// One copy of `bytes` bytes (transfer.{ce,sm}.u8.<kind>.b<bytes>), verified byte for byte.
std::unique_ptr<workload> make_transfer_workload(transfer_kind kind, std::size_t bytes,
                                                 std::uint64_t seed);

/// A ResNet-50 convolution layer (He et al., CVPR 2016, Table 1) at H = W = hw, square filter
/// rs × rs, with the seed stream its problem is drawn from (the same for every implementation,
/// so ours and cuDNN's see the same inputs).
struct resnet_layer {
  int c, hw, k, rs, pad, stride;
  std::uint64_t seed_stream;
};

/// conv2_x 3×3 (C = K = 64, 56×56, pad 1), conv2_x 1×1 reduction (C = 256 → K = 64, 56×56), and
/// the 7×7 stride-2 stem conv1 (C = 3 → K = 64, 224×224, pad 3).
inline constexpr resnet_layer kResnet50Layers[] = {
    {64, 56, 64, 3, 1, 1, 200}, {256, 56, 64, 1, 0, 1, 201}, {3, 224, 64, 7, 3, 2, 202}};

/// gemm.{own,cublas}.{f32,f16,bf16} and gemm.cublas.tf32 on 1024³, 16×4096×4096 and 1000³
/// (--quick) or 4096³, 8192³, 16×4096×4096 and 1000³ (full).
void register_gemm(registry& r, const suite_config& config);
/// conv.own.f32.direct and conv.own.f16.implicit_gemm on ResNet-50 layers, N = 32 (--quick: 8):
/// conv2_x 3×3 (C=K=64, H=W=56, pad 1), conv2_x 1×1 (C=256, K=64, H=W=56) and conv1 7×7 (C=3, K=64,
/// H=W=224, stride 2, pad 3).
void register_conv(registry& r, const suite_config& config);
/// conv.cudnn.{f32,f16}.fwd on the same three shapes, conv.cudnn.f32.{bwd_data,bwd_filter} on
/// the 3×3 layer.
void register_cudnn_conv(registry& r, const suite_config& config);
/// reduce.{own,cub}.f32.{sum,max} over 2^20 and 2^28 elements (--quick: 2^24 for 2^28), and
/// reduce.own.f32.{softmax_rows,layernorm_rows} on 4096 × 4096.
void register_reduction(registry& r, const suite_config& config);
/// transfer.*: every transfer_kind over transfer_sizes(quick) (bidirectional up to 256 MiB).
void register_transfer(registry& r, const suite_config& config);
/// latency.launch, launch_sync, event_sync, graph_1, graph_100, malloc_free, host_alloc.
void register_latency(registry& r, const suite_config& config);
/// managed.*: 256 MiB of cudaMallocManaged memory touched by the GPU (with and without a
/// prefetch) and by the CPU.
void register_managed(registry& r, const suite_config& config);
/// jit.driver_ptx and jit.nvrtc: compile time and launch of a run-time compiled kernel.
void register_jit(registry& r, const suite_config& config);
/// nccl.{all_reduce,all_gather,reduce_scatter,broadcast}.f32.b<size> over all visible GPUs.
void register_nccl(registry& r, const suite_config& config);
/// p2p.*: peer access and copy bandwidth between GPU pairs (needs two GPUs).
void register_p2p(registry& r, const suite_config& config);
/// Every family above, in report order.
void register_builtin_workloads(registry& r, const suite_config& config);

}  // namespace wslcuda
