#pragma once
// Registration of the built-in workload families (explicit; see suite/registry.hpp).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/target.hpp"
#include "suite/registry.hpp"

namespace wslcuda {

/// Settings every family reads when it registers its workloads.
struct suite_config {
  bool quick = false;                     ///< `--quick`: the smaller shape set
  std::uint64_t seed = 0x77736c63756461;  ///< `--seed`; default is "wslcuda" in ASCII
  bool watchdog = false;                  ///< the device kills long kernels (Windows TDR)
  double peak_fp32_flops = 0.0;           ///< for launch-time estimates when `watchdog` is set
  int device = 0;                         ///< the CUDA device workloads run on
  int device_count = 1;                   ///< visible CUDA devices (collectives, peer to peer)
};

/// The settings for running on `target`: its watchdog flag and fp32 peak (for TDR chunking),
/// the shape set and the seed.
suite_config suite_config_for(const target_info& target, bool quick, std::uint64_t seed);

/// Fraction of the fp32 peak a kernel is assumed to reach when its launch time is estimated
/// for TDR chunking: deliberately pessimistic (our SIMT kernels reach more on every GPU we know).
constexpr double kTdrEfficiencyFloor = 0.1;

/// Launches needed so each piece of a `flops`-sized kernel stays under 0.5 s when `config` says
/// the device has a watchdog (see tdr_chunks).
int tdr_launches(const suite_config& config, double flops);

/// Adds the workloads of every built-in family, in report order (the family table in
/// builtin.cpp, after nccl-tests' testColl table). A new family adds its
/// `<family>_workloads.cpp`, its `register_<family>` to the list below and one row of the table
/// (README, "Adding a workload"; docs/adding-a-workload.md).
void register_builtin_workloads(registry& r, const suite_config& config);

// The families, one declaration each (after nccl-tests' `extern struct testColl …` list in
// src/common.h); each is defined in suite/gpu/<family>_workloads.cpp. Families whose workloads
// tests build one by one also have a header with their make_<family>_workload functions.

/// gemm.{own,cublas}.{f32,f16,bf16} and gemm.cublas.tf32 on 1024³, 16×4096×4096 and 1000³
/// (--quick) or 4096³, 8192³, 16×4096×4096 and 1000³ (full).
void register_gemm(registry& r, const suite_config& config);
/// conv.own.f32.direct and conv.own.f16.implicit_gemm on ResNet-50 layers, N = 32 (--quick: 8):
/// conv2_x 3×3 (C=K=64, H=W=56, pad 1), conv2_x 1×1 (C=256, K=64, H=W=56) and conv1 7×7 (C=3,
/// K=64, H=W=224, stride 2, pad 3).
void register_conv(registry& r, const suite_config& config);
/// conv.cudnn.{f32,f16}.fwd on the same three layers, conv.cudnn.f32.{bwd_data,bwd_filter} on
/// the 3×3 layer.
void register_cudnn_conv(registry& r, const suite_config& config);
/// reduce.{own,cub}.f32.{sum,max} over 2^20 and 2^28 elements (--quick: 2^24 for 2^28), and
/// reduce.own.f32.{softmax_rows,layernorm_rows} on 4096 × 4096.
void register_reduction(registry& r, const suite_config& config);
/// transfer.*: every transfer_kind over transfer_sizes(quick) (bidirectional up to 256 MiB).
void register_transfer(registry& r, const suite_config& config);
/// latency.runtime.none.{launch, launch_sync, event_sync, graph.n1, graph.n100,
/// malloc_free.b1048576, host_alloc.b67108864}.
void register_latency(registry& r, const suite_config& config);
/// managed.*: 256 MiB of cudaMallocManaged memory touched by the GPU (with and without a
/// prefetch) and by the CPU.
void register_managed(registry& r, const suite_config& config);
/// jit.{driver_ptx,nvrtc}.f32.{compile,launch}.n1048576: compile time and launch of a run-time
/// compiled kernel.
void register_jit(registry& r, const suite_config& config);
/// nccl.{all_reduce,all_gather,reduce_scatter,broadcast}.f32.b<size> over all visible GPUs.
void register_nccl(registry& r, const suite_config& config);
/// p2p.*: peer access and copy bandwidth between GPU pairs (needs two GPUs).
void register_p2p(registry& r, const suite_config& config);

}  // namespace wslcuda
