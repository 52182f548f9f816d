#include "dynload/library_loader.hpp"

#include <gtest/gtest.h>

namespace wslcuda {

TEST(LibraryLoader, LoadsBySonameAndNamesTheRealFile) {
  const loaded_library m = load_library({"libm", {"libm.so.6"}, {}, false});
  ASSERT_TRUE(m.record.loaded) << m.record.error;
  EXPECT_NE(m.handle, nullptr);
  EXPECT_EQ(m.record.path.front(), '/');
  EXPECT_NE(m.record.path.find("libm"), std::string::npos);
  EXPECT_EQ(m.record.searched, std::vector<std::string>{"libm.so.6"});
}

TEST(LibraryLoader, MissingLibraryIsARecordNotACrash) {
  const loaded_library x =
      load_library({"nothere", {"libwslcuda-does-not-exist.so.1"}, {"nvidia/nothere/lib"}, true});
  EXPECT_FALSE(x.record.loaded);
  EXPECT_EQ(x.handle, nullptr);
  EXPECT_FALSE(x.record.error.empty());
  ASSERT_FALSE(x.record.searched.empty());
  EXPECT_EQ(x.record.searched.front(), "libwslcuda-does-not-exist.so.1");
}

TEST(LibraryLoader, SearchDirsExcludeTheToolkitForTheDriver) {
  for (const std::string& dir : library_search_dirs(libcuda_spec()))
    EXPECT_EQ(dir.find("/usr/local/cuda"), std::string::npos) << dir;
}

TEST(LibraryLoader, SpecsNameCuda13Sonames) {
  EXPECT_EQ(libcuda_spec().sonames, std::vector<std::string>{"libcuda.so.1"});
  EXPECT_EQ(cublas_spec().sonames, std::vector<std::string>{"libcublas.so.13"});
}

}  // namespace wslcuda
