#include "suite/registry.hpp"

#include <gtest/gtest.h>

#include "synthetic_workloads.hpp"

namespace wslcuda {

TEST(Registry, RejectsDuplicateIds) {
  registry r;
  r.add(testing::make_synthetic("gemm.own.f32.a"));
  EXPECT_THROW(r.add(testing::make_synthetic("gemm.own.f32.a")), std::invalid_argument);
  EXPECT_THROW(r.add(nullptr), std::invalid_argument);
  EXPECT_EQ(r.all().size(), 1u);
}

TEST(Registry, FiltersWithCommaSeparatedGlobsKeepingOrder) {
  registry r;
  for (const char* id :
       {"gemm.own.f32.x", "gemm.cublas.f32.x", "conv.own.f32.direct.y", "reduce.own.f32.sum.z"})
    r.add(testing::make_synthetic(id));
  EXPECT_EQ(r.matching("").size(), 4u);
  EXPECT_EQ(r.matching("*").size(), 4u);
  const auto gemm = r.matching("gemm.*");
  ASSERT_EQ(gemm.size(), 2u);
  EXPECT_EQ(gemm[0]->info().id, "gemm.own.f32.x");
  const auto mixed = r.matching("reduce.*,*.cublas.*");
  ASSERT_EQ(mixed.size(), 2u);
  EXPECT_EQ(mixed[0]->info().id, "gemm.cublas.f32.x");
  EXPECT_EQ(mixed[1]->info().id, "reduce.own.f32.sum.z");
  EXPECT_TRUE(r.matching("nothing*").empty());
}

TEST(Registry, IdMatches) {
  EXPECT_TRUE(id_matches("a.b", ""));
  EXPECT_TRUE(id_matches("a.b", "x,a.*"));
  EXPECT_FALSE(id_matches("a.b", "a"));
  EXPECT_FALSE(id_matches("a.b", ",,"));
}

}  // namespace wslcuda
