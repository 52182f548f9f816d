#include "model/status.hpp"

#include <gtest/gtest.h>

namespace wslcuda {

TEST(Status, StringRoundTrip) {
  for (status s : {status::pass, status::warn, status::fail, status::skip, status::error}) {
    const auto back = status_from_string(to_string(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_FALSE(status_from_string("PASS").has_value());
  EXPECT_FALSE(status_from_string("").has_value());
}

TEST(Status, AggregateFollowsDesignOrder) {
  EXPECT_EQ(aggregate({}), status::skip);
  EXPECT_EQ(aggregate({status::skip, status::skip}), status::skip);
  EXPECT_EQ(aggregate({status::skip, status::pass}), status::pass);
  EXPECT_EQ(aggregate({status::pass, status::warn, status::skip}), status::warn);
  EXPECT_EQ(aggregate({status::pass, status::warn, status::fail}), status::fail);
  EXPECT_EQ(aggregate({status::pass, status::error}), status::fail);
}

}  // namespace wslcuda
