#pragma once
// Size sweeps and formulas of the platform workloads (transfers, collectives). CUDA-free, so
// the sweeps, the nccl-tests bandwidth definitions and the expected collective results are
// tested on the CPU.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/collective_pattern.hpp"

namespace wslcuda {

inline constexpr std::size_t kKiB = 1024, kMiB = 1024 * kKiB, kGiB = 1024 * kMiB;

/// Transfer sizes in bytes: 4 KiB, 64 KiB, 1 MiB, 16 MiB, 256 MiB, 1 GiB; `quick`: 1 MiB and
/// 256 MiB.
std::vector<std::size_t> transfer_sizes(bool quick);

/// Collective sizes in bytes (nccl-tests' "size" column): 8 B to 1 GiB by factors of 8 (10
/// sizes); `quick`: 1 MiB and 256 MiB.
std::vector<std::size_t> collective_sizes(bool quick);

/// The NCCL collectives wslcuda runs (kernels/platform/collective_pattern.hpp).
using collective = kernels::collective_kind;
using kernels::collective_expected;
using kernels::collective_input;

/// "all_reduce", "all_gather", "reduce_scatter", "broadcast".
std::string to_string(collective c);

/// busbw / algbw for `c` on `ranks` ranks, as nccl-tests defines it (nccl-tests
/// doc/PERFORMANCE.md, "Bus bandwidth"): all-reduce 2(n−1)/n; all-gather and reduce-scatter
/// (n−1)/n; broadcast 1. The factor makes busbw comparable with the hardware's link bandwidth
/// whatever the rank count. Throws std::invalid_argument for ranks < 1.
double bus_bandwidth_factor(collective c, int ranks);

/// Elements each rank passes as NCCL's `count` for a collective of `size_bytes` (nccl-tests'
/// size: the whole buffer, i.e. the receive buffer of all-gather and the send buffer of
/// reduce-scatter) of `element_bytes`-byte elements on `ranks` ranks: size / element for
/// all-reduce and broadcast, size / element / ranks for all-gather (sendcount) and
/// reduce-scatter (recvcount). Rounded down.
std::size_t collective_count(collective c, std::size_t size_bytes, std::size_t element_bytes,
                             int ranks);

/// Elements in a rank's receive buffer: count × ranks for all-gather, count otherwise.
std::size_t collective_receive_elements(collective c, std::size_t count, int ranks) noexcept;

/// Elements in a rank's send buffer: count × ranks for reduce-scatter, count otherwise.
std::size_t collective_send_elements(collective c, std::size_t count, int ranks) noexcept;

}  // namespace wslcuda
