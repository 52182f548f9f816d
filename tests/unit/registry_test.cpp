#include "suite/registry.hpp"

#include <gtest/gtest.h>

#include "model/ids.hpp"
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

TEST(Registry, IdsAreDerivedFromTheInfoFields) {
  workload_info info;
  info.family = "gemm";
  info.implementation = "own";
  info.precision = "f32";
  info.shape = {{"M", 64}, {"N", 32}, {"K", 16}};
  EXPECT_EQ(workload_id(info), "gemm.own.f32.m64n32k16");
  info.op = "sum";
  info.shape = {{"bytes", 4096}};
  EXPECT_EQ(workload_id(info), "gemm.own.f32.sum.b4096");
  info.shape_label = "n32c64h56w56k64r3s3p1u1";  // a family's own notation wins
  EXPECT_EQ(workload_id(info), "gemm.own.f32.sum.n32c64h56w56k64r3s3p1u1");
  info.shape_label = "-";  // the shape left out
  EXPECT_EQ(workload_id(info), "gemm.own.f32.sum");
  info.shape = {};
  info.shape_label = "";
  EXPECT_EQ(workload_id(info), "gemm.own.f32.sum");
}

TEST(Registry, AWorkloadInfoIsItsIdentityTraitsIdAndSeed) {
  workload_traits traits;
  traits.group = "demo";
  traits.bound = bound_kind::link;
  traits.description = "{op} of {bytes} bytes from device {src}";
  traits.timing_definition = "copies {bytes} B";
  const workload_info info =
      make_workload_info({"demo", "ce", "u8", "copy", {{"bytes", 4096}, {"src", 1}}}, traits, 7);
  EXPECT_EQ(info.id, "demo.ce.u8.copy.b4096s1");
  EXPECT_EQ(info.description, "copy of 4096 bytes from device 1");  // placeholders filled
  EXPECT_EQ(info.timing_definition, "copies 4096 B");
  EXPECT_EQ(info.group, "demo");
  EXPECT_EQ(info.bound, bound_kind::link);
  EXPECT_EQ(info.seed, 7u);
  // A placeholder that names neither the op nor an extent is a defect of the family's table.
  traits.description = "{nodes} nodes";
  EXPECT_THROW((void)make_workload_info({"demo", "ce", "u8", "copy", {{"bytes", 1}}}, traits, 0),
               std::invalid_argument);
  traits.description = "{bytes";
  EXPECT_THROW((void)make_workload_info({"demo", "ce", "u8", "copy", {{"bytes", 1}}}, traits, 0),
               std::invalid_argument);
}

TEST(Registry, AddRejectsIdsOutsideTheGrammar) {
  const auto with_id = [](const std::string& id) {
    testing::synthetic_spec spec;
    spec.id = id;
    return std::make_unique<testing::synthetic_workload>(spec);
  };
  registry r;
  EXPECT_NO_THROW(r.add(with_id("synthetic.own.f32.x")));
  EXPECT_NO_THROW(r.add(with_id("synthetic.own.f32.sum.n1024")));
  // The drift the grammar exists to stop: implementation and precision missing from the id.
  EXPECT_THROW(r.add(with_id("synthetic.launch")), std::invalid_argument);
  // An id whose parts disagree with the info's fields (the old latency.launch: "runtime", "none").
  testing::synthetic_spec spec;
  spec.id = "synthetic.runtime.none.launch";
  auto drifting = std::make_unique<testing::synthetic_workload>(spec);
  drifting->mutable_info().id = "synthetic.launch.none.x";
  EXPECT_THROW(r.add(std::move(drifting)), std::invalid_argument);
  EXPECT_THROW(r.add(with_id("synthetic.own.f32.a.b.c")), std::invalid_argument);
  EXPECT_THROW(r.add(with_id("synthetic.own.f32.Upper")), std::invalid_argument);
  EXPECT_THROW(r.add(with_id("synthetic.own.f32.")), std::invalid_argument);
  EXPECT_EQ(r.all().size(), 2u);
}

TEST(Registry, RenamedIdsMapToTheirCurrentNames) {
  EXPECT_EQ(current_workload_id("latency.launch"), "latency.runtime.none.launch");
  EXPECT_EQ(current_workload_id("latency.graph_100"), "latency.runtime.none.graph.n100");
  EXPECT_EQ(current_workload_id("latency.malloc_free"),
            "latency.runtime.none.malloc_free.b1048576");
  EXPECT_EQ(current_workload_id("jit.nvrtc"), "jit.nvrtc.f32.compile.n1048576");
  EXPECT_EQ(current_workload_id("jit.driver_ptx.launch"), "jit.driver_ptx.f32.launch.n1048576");
  EXPECT_EQ(current_workload_id("nccl.all_reduce.f32.b8"), "nccl.nccl.f32.all_reduce.b8");
  EXPECT_EQ(current_workload_id("p2p.ce.f32.copy_on.dev1_dev0.b268435456"),
            "p2p.ce.f32.copy_on.b268435456s1d0");
  // Current ids, and ids never renamed, are their own current name.
  for (const char* id : {"latency.runtime.none.launch", "nccl.nccl.f32.broadcast.b64",
                         "gemm.own.f32.m4096n4096k4096", "jit.nvrtc.f32.compile.n1048576"})
    EXPECT_EQ(current_workload_id(id), id);
}

}  // namespace wslcuda
