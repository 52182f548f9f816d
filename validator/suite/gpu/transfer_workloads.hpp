#pragma once
// Transfer family: host↔device and device↔device copies.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

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

}  // namespace wslcuda
