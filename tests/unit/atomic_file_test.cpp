#include "report/atomic_file.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace wslcuda {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST(AtomicFile, WritesReplacesAndLeavesNoTemporary) {
  const auto dir = fresh_dir("atomic-write");
  const auto path = dir / "report.json";
  write_file_atomically(path, "first");
  EXPECT_EQ(slurp(path), "first");
  write_file_atomically(path, "second, longer");
  EXPECT_EQ(slurp(path), "second, longer");
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(AtomicFile, MissingFolderIsAClearError) {
  const auto path = std::filesystem::path(::testing::TempDir()) / "no-such-folder-xyz" / "r.json";
  try {
    write_file_atomically(path, "x");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-folder-xyz"), std::string::npos) << e.what();
  }
  EXPECT_THROW(check_writable(path), std::runtime_error);
}

TEST(AtomicFile, CheckWritable) {
  const auto dir = fresh_dir("atomic-check");
  EXPECT_NO_THROW(check_writable(dir / "r.json"));
  EXPECT_THROW(check_writable(dir), std::runtime_error);  // a directory is not a file path
}

}  // namespace wslcuda

namespace wslcuda {

// Issue 27, item 1: descriptors are recognised through every spelling and through links; a
// descriptor route never opens, creates or renames anything.
TEST(AtomicFile, RoutesDescriptorsDevicesAndFiles) {
  const auto dir = fresh_dir("atomic-route");
  EXPECT_EQ(route_output("/dev/stdout").route, output_route::descriptor);
  EXPECT_EQ(route_output("/dev/stdout").fd, 1);
  EXPECT_EQ(route_output("/dev/stderr").fd, 2);
  EXPECT_EQ(route_output("/dev/fd/2").fd, 2);
  EXPECT_EQ(route_output("/proc/self/fd/1").fd, 1);
  EXPECT_EQ(route_output("/proc/" + std::to_string(::getpid()) + "/fd/2").fd, 2);
  std::filesystem::create_symlink("/dev/stderr", dir / "err-link");
  EXPECT_EQ(route_output(dir / "err-link").fd, 2);
  std::filesystem::create_directory_symlink("/proc/self/fd", dir / "fds");
  EXPECT_EQ(route_output(dir / "fds" / "2").fd, 2);
  EXPECT_EQ(route_output("/dev/null").route, output_route::in_place);
  EXPECT_EQ(route_output(dir / "new.json").route, output_route::file);
  EXPECT_THROW(route_output("/dev/fd/987"), std::runtime_error);  // not open
  EXPECT_TRUE(is_special_file("/dev/stdout"));
  EXPECT_FALSE(is_special_file(dir / "new.json"));
  EXPECT_THROW(check_writable("/dev/wslcuda-unit-test.json"), std::runtime_error);
  EXPECT_THROW(check_writable(dir / std::string(300, 'n')), std::runtime_error);
}

}  // namespace wslcuda
