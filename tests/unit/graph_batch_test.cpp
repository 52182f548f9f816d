// The CPU side of replayed batches (suite/graph_batch.hpp): when a replay is believed, how a
// graph's unusual nodes are named, and the workspace a cuBLAS handle gets.

#include "suite/graph_batch.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace wslcuda {

TEST(GraphBatch, AReplayFarFasterThanADeviceBoundEagerRunIsNotBelieved) {
  EXPECT_TRUE(replay_is_plausible(100e-6, 100e-6));
  EXPECT_TRUE(replay_is_plausible(50e-6, 100e-6));   // the limit itself
  EXPECT_FALSE(replay_is_plausible(49e-6, 100e-6));  // under half the fastest eager run
  EXPECT_FALSE(replay_is_plausible(1e-6, 20e-6));
  // Launch-bound eager runs (< 20 us): replaying them faster is the point.
  EXPECT_TRUE(replay_is_plausible(1e-6, 19e-6));
  // Unknown times decide nothing.
  EXPECT_TRUE(replay_is_plausible(0.0, 1e-3));
  EXPECT_TRUE(replay_is_plausible(1e-6, INFINITY));
  EXPECT_TRUE(replay_is_plausible(NAN, 1e-3));
}

TEST(GraphBatch, OnlyNodesTheRunsDoNotEnqueueAreNamed) {
  EXPECT_EQ(graph_nodes_note({{"event_record", 2}, {"kernel", 1000}, {"memcpy", 4}}), "");
  EXPECT_EQ(graph_nodes_note({{"event_record", 2},
                              {"kernel", 16},
                              {"mem_alloc", 16},
                              {"mem_free", 16},
                              {"memset", 0}}),
            "graph nodes besides kernels, copies and event records: 16 mem_alloc, 16 mem_free");
  EXPECT_EQ(graph_nodes_note({}), "");
}

TEST(GraphBatch, CublasWorkspaceFollowsTheCublasRecommendation) {
  EXPECT_EQ(cublas_workspace_bytes(90), 32u << 20);   // Hopper
  EXPECT_EQ(cublas_workspace_bytes(100), 32u << 20);  // newer: at least as much
  EXPECT_EQ(cublas_workspace_bytes(89), 4u << 20);
  EXPECT_EQ(cublas_workspace_bytes(75), 4u << 20);
}

}  // namespace wslcuda
