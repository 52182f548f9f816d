#include "reduction/reduction_plan.hpp"

#include <gtest/gtest.h>

#include "verify/tolerance.hpp"

namespace wslcuda {

TEST(ReducePlan, H100At2To24) {
  const kernels::reduce_plan p = kernels::plan_reduce_sum_f32(std::int64_t{1} << 24, 132);
  EXPECT_EQ(p.threads, 256);
  EXPECT_EQ(p.blocks, 132 * 8);
  // 2^22 float4 over 270336 threads: at most 16 each, 4 additions per float4.
  EXPECT_EQ(p.serial, 64);
  EXPECT_EQ(p.tree_height, 64 + 8 + 5 + 8);  // ⌈1056/256⌉ = 5 partials per stage-2 thread
  EXPECT_EQ(p.workspace, p.blocks);
  EXPECT_LT(summation_bound(p.tree_height, std::int64_t{1} << 24, number_format::f32).value, 1e-5);
}

TEST(ReducePlan, TinyInputsUseOneBlockAndCountTheTail) {
  const kernels::reduce_plan p = kernels::plan_reduce_sum_f32(5, 132);
  EXPECT_EQ(p.blocks, 1);
  EXPECT_EQ(p.serial, 4 + 1);
  const kernels::reduce_plan q = kernels::plan_reduce_sum_f32(3, 132);
  EXPECT_EQ(q.serial, 1);  // no float4, one tail element per thread
}

TEST(ReducePlan, EveryElementIsCovered) {
  for (std::int64_t n : {std::int64_t{1}, std::int64_t{1000003}, std::int64_t{1} << 28}) {
    const kernels::reduce_plan p = kernels::plan_reduce_sum_f32(n, 80);
    const std::int64_t threads = std::int64_t{p.blocks} * p.threads;
    // serial/4 float4s per thread cover the n/4 float4s; the n%4 tail goes one per thread.
    EXPECT_GE((p.serial / 4) * threads, n / 4) << n;
    EXPECT_GE(threads, n % 4) << n;
    EXPECT_EQ(p.serial % 4, n % 4 != 0 ? 1 : 0) << n;
  }
}

}  // namespace wslcuda
