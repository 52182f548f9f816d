#include "report/exit_code.hpp"

#include <gtest/gtest.h>

namespace wslcuda {

TEST(ExitCode, MappingFollowsDesign) {
  EXPECT_EQ(exit_code_for(true, {status::pass, status::skip}, false), 0);
  EXPECT_EQ(exit_code_for(true, {status::pass, status::warn}, false), 0);
  EXPECT_EQ(exit_code_for(true, {status::pass, status::warn}, true), 1);
  EXPECT_EQ(exit_code_for(true, {status::pass, status::fail}, false), 1);
  EXPECT_EQ(exit_code_for(true, {status::error}, false), 1);
  EXPECT_EQ(exit_code_for(true, {}, false), 0);
  // Nothing could be validated: 3 wins over the failed driver check that says why.
  EXPECT_EQ(exit_code_for(false, {status::fail, status::skip}, false), 3);
}

}  // namespace wslcuda
