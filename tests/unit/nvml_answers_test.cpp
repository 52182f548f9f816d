// NVML's answers turned into readings and links (dynload/nvml): every case decided without a
// GPU or NVML, from the values the queries would return (nullopt: the query failed).

#include <gtest/gtest.h>

#include "dynload/nvml.hpp"

namespace wslcuda {

TEST(NvmlAnswers, APcieMaximumWithoutACurrentValueIsStillUsed) {
  const auto link = pcie_link_from(5u, 16u, std::nullopt, std::nullopt);
  ASSERT_TRUE(link.has_value());  // before 2026-12-03 all four answers were needed
  EXPECT_EQ(link->max_generation, 5);
  EXPECT_EQ(link->max_width, 16);
  EXPECT_EQ(link->current_generation, 0);  // unknown
  EXPECT_EQ(link->current_width, 0);
  const auto all = pcie_link_from(4u, 16u, 1u, 8u);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->current_generation, 1);
  EXPECT_EQ(all->current_width, 8);
  EXPECT_EQ(pcie_link_from(4u, 16u, 1u, std::nullopt)->current_generation, 0);  // half a pair
  EXPECT_FALSE(pcie_link_from(std::nullopt, 16u, 4u, 16u).has_value());
  EXPECT_FALSE(pcie_link_from(4u, std::nullopt, 4u, 16u).has_value());
}

TEST(NvmlAnswers, ClocksWithoutAMaximumAreStillRecorded) {
  const auto r = clock_reading_from(1980u, std::nullopt, 3201u, 0x4ull);
  ASSERT_TRUE(r.has_value());  // before, a missing maximum meant no reader at all
  EXPECT_EQ(r->sm_mhz, 1980);
  EXPECT_EQ(r->sm_max_mhz, 0);  // unknown
  EXPECT_EQ(r->mem_mhz, 3201);
  EXPECT_TRUE(r->reasons_known);
  EXPECT_EQ(r->reasons, std::vector<std::string>{"power cap"});
  EXPECT_FALSE(clock_reading_from(std::nullopt, 1980u, 3201u, 0ull).has_value());
  EXPECT_EQ(clock_reading_from(1000u, 1980u, std::nullopt, 0ull)->mem_mhz, 0);
}

TEST(NvmlAnswers, AFailedReasonsQueryIsUnknownNotIdleNorThrottled) {
  const auto unknown = clock_reading_from(600u, 1980u, 3201u, std::nullopt);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown->reasons_known);
  EXPECT_FALSE(unknown->idle);
  EXPECT_TRUE(unknown->reasons.empty());
  const auto idle = clock_reading_from(600u, 1980u, 3201u, 0x1ull);
  EXPECT_TRUE(idle->reasons_known);
  EXPECT_TRUE(idle->idle);
  EXPECT_TRUE(idle->reasons.empty());  // idle is a flag, not a named reason
}

TEST(NvmlAnswers, EveryClockEventReasonBitIsNamed) {
  // nvmlClocksEventReasonAll of NVML API version 13 is 0x1FF; every bit but idle has a name.
  const std::vector<std::string> all = clock_event_reasons(0x1FF);
  EXPECT_EQ(all, (std::vector<std::string>{"applications clocks", "power cap", "HW slowdown",
                                           "sync boost", "SW thermal", "HW thermal",
                                           "HW power brake", "display clock"}));
  // A bit a later NVML adds is named by its value, never dropped.
  EXPECT_EQ(clock_event_reasons(0x200), std::vector<std::string>{"reason bit 0x200"});
  EXPECT_EQ(clock_event_reasons(0x8000000000000004ull),
            (std::vector<std::string>{"power cap", "reason bit 0x8000000000000000"}));
  EXPECT_TRUE(clock_event_reasons(0x1).empty());
}

}  // namespace wslcuda
