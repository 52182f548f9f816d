#include "model/installed_paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace wslcuda {
namespace {

/// Sets (or, with nullopt, unsets) an environment variable for the life of the object.
class scoped_env {
 public:
  scoped_env(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = std::string(old);
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~scoped_env() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST(InstalledPaths, DataBesideTheBinaryForEveryPrefix) {
  EXPECT_EQ(installed_data_dir("/usr/bin"), "/usr/share/wslcuda");
  EXPECT_EQ(installed_data_dir("/opt/wslcuda/bin"), "/opt/wslcuda/share/wslcuda");
  EXPECT_EQ(installed_data_dir("/home/u/src/wslcuda/build/ci/bin"),
            "/home/u/src/wslcuda/build/ci/share/wslcuda");  // the staged build tree
  EXPECT_EQ(installed_data_dir(""), "");
}

TEST(InstalledPaths, BaselinesFromTheEnvironmentThenBesideTheBinary) {
  {
    const scoped_env unset("WSLCUDA_BASELINE_DIR", std::nullopt);
    const auto dirs = bundled_baseline_dirs("/usr/bin/wslcuda");
    ASSERT_EQ(dirs.size(), 1u);
    EXPECT_EQ(dirs[0], "/usr/share/wslcuda/baselines");
    EXPECT_TRUE(bundled_baseline_dirs("").empty());
  }
  {
    const scoped_env empty("WSLCUDA_BASELINE_DIR", std::string());
    EXPECT_EQ(bundled_baseline_dirs("/usr/bin/wslcuda").size(), 1u);  // empty counts as unset
  }
  const scoped_env set("WSLCUDA_BASELINE_DIR", std::string("/srv/baselines"));
  const auto dirs = bundled_baseline_dirs("/usr/local/bin/wslcuda");
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[0], "/srv/baselines");
  EXPECT_EQ(dirs[1], "/usr/local/share/wslcuda/baselines");
}

TEST(InstalledPaths, NothingPointsIntoTheSourceTree) {
  // An installed binary must not reach the tree it was built from (it may not exist, or be
  // stale): every folder is relative to the binary or named by the environment.
  const scoped_env unset("WSLCUDA_BASELINE_DIR", std::nullopt);
  for (const auto& dir : bundled_baseline_dirs("/usr/bin/wslcuda"))
    EXPECT_EQ(dir.string().rfind("/usr/", 0), 0u) << dir;
  for (const auto& dir : sample_program_dirs("/usr/bin"))
    EXPECT_EQ(dir.string().rfind("/usr/", 0), 0u) << dir;
}

TEST(InstalledPaths, SamplesUnderLibThenBesideTheBinary) {
  const auto dirs = sample_program_dirs("/usr/bin");
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[0], "/usr/lib/wslcuda/samples");
  EXPECT_EQ(dirs[1], "/usr/bin");
  EXPECT_TRUE(sample_program_dirs("").empty());
}

}  // namespace wslcuda
