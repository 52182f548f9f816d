#include "suite/samples.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

namespace wslcuda {
namespace {
child_result exited(int code, const std::string& out) {
  child_result c;
  c.started = c.exited = true;
  c.exit_code = code;
  c.stdout_data = out;
  return c;
}
}  // namespace

TEST(Samples, ResultLinesAndExitCodes) {
  const result_row pass = sample_result(
      "vector_add", exited(0, "[vector_add] 50000 elements, 0 wrong\nResult = PASS\n"), 60);
  EXPECT_EQ(pass.status, status::pass);
  EXPECT_EQ(pass.id, "sample.vector_add");
  EXPECT_EQ(pass.family, "sample");
  EXPECT_EQ(pass.message, "Result = PASS; [vector_add] 50000 elements, 0 wrong");
  EXPECT_EQ(sample_result("x", exited(1, "bad\nResult = FAIL\n"), 60).status, status::fail);
  const result_row waived =
      sample_result("cudnn_conv", exited(2, "Result = WAIVED (cuDNN 9 not available: x)\n"), 60);
  EXPECT_EQ(waived.status, status::skip);
  EXPECT_EQ(waived.message, "cuDNN 9 not available: x");
  EXPECT_EQ(sample_result("x", exited(0, "Result = FAIL\n"), 60).status,
            status::error);  // disagreeing exit code
  EXPECT_EQ(sample_result("x", exited(0, "no verdict\n"), 60).status, status::error);
  // The line's exact form: trailing blanks are fine, other words or a prefix are not.
  EXPECT_EQ(sample_result("x", exited(0, "Result = PASS  \r\n"), 60).status, status::pass);
  EXPECT_EQ(sample_result("x", exited(0, "Result = PASSED\n"), 60).status, status::error);
  EXPECT_EQ(sample_result("x", exited(0, "x Result = PASS\n"), 60).status, status::error);
  EXPECT_EQ(sample_result("x", exited(2, "Result = WAIVED (unclosed\n"), 60).status, status::error);
  child_result crashed = exited(0, "");
  crashed.exited = false;
  crashed.signaled = true;
  crashed.signal = SIGSEGV;
  EXPECT_NE(sample_result("x", crashed, 60).message.find("SIGSEGV"), std::string::npos);
  child_result slow = exited(0, "");
  slow.timed_out = true;
  EXPECT_EQ(sample_result("x", slow, 60).message, "timed out after 60 s");
}

TEST(Samples, EveryNameHasASourceFolder) {
  for (const std::string& name : sample_names())
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(WSLCUDA_SOURCE_DIR) / "cuda_samples" /
                                        name / (name + ".cu")))
        << name;
}

TEST(Samples, MissingBinariesAreSkippedNotErrors) {
  const auto rows = run_samples("/nonexistent-bin-dir", 10, nullptr, {});
  ASSERT_EQ(rows.size(), sample_names().size());
  for (const result_row& r : rows) {
    EXPECT_EQ(r.status, status::skip);
    EXPECT_NE(r.message.find("not built"), std::string::npos);
  }
}

}  // namespace wslcuda
