#pragma once
// Reduction family: sums and maxima (ours and CUB), row-wise softmax and layer norm.

#include <cstdint>
#include <memory>

#include "suite/gpu/builtin.hpp"

namespace wslcuda {

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

}  // namespace wslcuda
