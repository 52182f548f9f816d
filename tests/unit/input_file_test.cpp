// Hostile inputs: every way a file can be wrong gives an input_error that names the file and
// the position, never a crash.

#include "model/json_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace wslcuda {
namespace {

std::filesystem::path write(const std::string& name, const std::string& content) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "hostile-inputs";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string error_reading(const std::filesystem::path& p, const input_limits& limits = {}) {
  try {
    read_json_file(p, limits);
  } catch (const input_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(InputFile, SyntaxErrorsGiveLineAndColumn) {
  const auto p = write("bad.json", "{\n  \"a\": 1,\n  \"b\": tru\n}\n");
  const std::string e = error_reading(p);
  EXPECT_EQ(e.rfind(p.string() + ":3:", 0), 0u) << e;
  EXPECT_EQ(line_and_column("ab\ncd", 4), (std::pair<std::size_t, std::size_t>{2, 2}));
}

TEST(InputFile, TruncatedEmptyAndWhitespace) {
  EXPECT_NE(error_reading(write("trunc.json", "{\"results\": [1, 2")).find("trunc.json:1:"),
            std::string::npos);
  EXPECT_NE(error_reading(write("empty.json", "")).find("empty file"), std::string::npos);
  EXPECT_NE(error_reading(write("blank.json", " \n\t\n")).find("empty file"), std::string::npos);
}

TEST(InputFile, NanAndInfinityAreNotJson) {
  EXPECT_NE(error_reading(write("nan.json", "{\"x\": NaN}")).find("nan.json:1:"),
            std::string::npos);
  EXPECT_NE(error_reading(write("inf.json", "{\"x\": Infinity}")).find("inf.json:1:"),
            std::string::npos);
  EXPECT_NE(error_reading(write("neginf.json", "[-Infinity]")).find("neginf.json:1:"),
            std::string::npos);
}

TEST(InputFile, DeepNestingIsRefusedNotRecursedInto) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  const std::string e = error_reading(write("deep.json", deep));
  EXPECT_NE(e.find("nesting deeper than 64"), std::string::npos) << e;
  const std::string ok = std::string(60, '[') + std::string(60, ']');
  EXPECT_EQ(error_reading(write("ok-depth.json", ok)), "(no error)");
}

TEST(InputFile, DirectoriesMissingFilesAndBinaryJunk) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "hostile-inputs";
  std::filesystem::create_directories(dir / "a-directory.json");
  EXPECT_NE(error_reading(dir / "a-directory.json").find("is a directory"), std::string::npos);
  EXPECT_NE(error_reading(dir / "missing.json").find("no such file"), std::string::npos);
  std::string junk;
  for (int i = 0; i < 1000; ++i) junk.push_back(static_cast<char>(i * 97 + 13));
  EXPECT_NE(error_reading(write("junk.json", junk)).find("junk.json:1:"), std::string::npos);
}

TEST(InputFile, OversizedFilesAreRefusedUnread) {
  const auto p = write("huge.json", "");
  ASSERT_EQ(::truncate(p.c_str(), std::int64_t{1} << 30), 0);  // 1 GiB, sparse: costs no disk
  const std::string e = error_reading(p);
  EXPECT_NE(e.find("larger than the"), std::string::npos) << e;
  std::filesystem::remove(p);
  input_limits small;
  small.max_bytes = 10;
  EXPECT_NE(error_reading(write("eleven.json", "[1,2,3,4,5]"), small).find("larger than"),
            std::string::npos);
}

TEST(InputFile, SchemaVersions) {
  EXPECT_NO_THROW(check_schema_version(json{{"schema_version", "1.0.0"}}, "x", 1));
  EXPECT_NO_THROW(check_schema_version(json{{"schema_version", "1.9.3"}}, "x", 1));
  EXPECT_THROW(check_schema_version(json{{"schema_version", "2.0.0"}}, "x", 1), input_error);
  EXPECT_THROW(check_schema_version(json{{"schema_version", "99999999999999999999.0.0"}}, "x", 1),
               input_error);
  EXPECT_THROW(check_schema_version(json{{"schema_version", 1}}, "x", 1), input_error);
  EXPECT_THROW(check_schema_version(json{{"schema_version", "1.0"}}, "x", 1), input_error);
  EXPECT_THROW(check_schema_version(json::object(), "x", 1), input_error);
  EXPECT_THROW(check_schema_version(json::array(), "x", 1), input_error);
}

}  // namespace wslcuda
