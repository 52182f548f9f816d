#include "suite/samples.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

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
  const auto rows = run_samples("/nonexistent-prefix/bin", 10, nullptr, {});
  ASSERT_EQ(rows.size(), sample_names().size());
  for (const result_row& r : rows) {
    EXPECT_EQ(r.status, status::skip);
    EXPECT_NE(r.message.find("not built"), std::string::npos);
    // Both places a program may lie are named.
    EXPECT_NE(r.message.find("/nonexistent-prefix/lib/wslcuda/samples/"), std::string::npos)
        << r.message;
    EXPECT_NE(r.message.find("/nonexistent-prefix/bin/"), std::string::npos) << r.message;
  }
}

namespace {
/// A stand-in sample program at `path`: a shell script that prints `result` and exits `code`.
void write_fake_sample(const std::filesystem::path& path, const std::string& result, int code) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << "#!/bin/sh\necho 'Result = " << result << "'\nexit " << code << "\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}
}  // namespace

// The package installs the programs in <prefix>/lib/wslcuda/samples and wslcuda in
// <prefix>/bin; a build tree has them beside wslcuda. The installed folder is searched first.
TEST(Samples, FoundInstalledUnderLibAndBesideTheBinaryInABuildTree) {
  const auto root = std::filesystem::path(::testing::TempDir()) / "samples-layout";
  std::filesystem::remove_all(root);
  const std::string first = sample_names().front(), second = sample_names()[1];
  write_fake_sample(root / "usr" / "lib" / "wslcuda" / "samples" / first, "PASS", 0);
  write_fake_sample(root / "usr" / "bin" / first, "FAIL", 1);   // shadowed by the installed one
  write_fake_sample(root / "usr" / "bin" / second, "FAIL", 1);  // build-tree layout
  const auto rows = run_samples((root / "usr" / "bin").string(), 10, nullptr, {});
  ASSERT_EQ(rows.size(), sample_names().size());
  EXPECT_EQ(rows[0].status, status::pass) << rows[0].message;
  EXPECT_EQ(rows[1].status, status::fail) << rows[1].message;
  EXPECT_EQ(rows[2].status, status::skip) << rows[2].message;
}

}  // namespace wslcuda
