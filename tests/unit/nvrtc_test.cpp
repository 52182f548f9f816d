// NVRTC through dynload/nvrtc: compiling needs no GPU, so the JIT workload's source is compiled
// here (skipped, visibly, where libnvrtc.so.13 is not found).

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dynload/library_loader.hpp"
#include "dynload/nvrtc.hpp"
#include "platform/jit_sources.hpp"

namespace wslcuda {

class NvrtcCompile : public ::testing::Test {
 protected:
  void SetUp() override {
    const loaded_library& lib = load_library_once(nvrtc_spec());
    if (lib.handle == nullptr) GTEST_SKIP() << "libnvrtc.so.13 not found: " << lib.record.error;
    api_ = nvrtc_api::resolve(lib.handle);
  }
  nvrtc_api api_;
};

// NVRTC needs no GPU: the JIT workload's source compiles here to SASS and to PTX.
TEST_F(NvrtcCompile, TheJitKernelCompilesToCubinAndPtx) {
  const nvrtc_output cubin = nvrtc_compile(api_, kernels::kJitAxpySource, "axpy.cu", "sm_90");
  ASSERT_GE(cubin.image.size(), 4u);
  EXPECT_EQ(std::string(cubin.image.data(), 4),
            "\x7f"
            "ELF");
  const nvrtc_output ptx = nvrtc_compile(api_, kernels::kJitAxpySource, "axpy.cu", "compute_90");
  const std::string text(ptx.image.data());
  EXPECT_NE(text.find(".entry wslcuda_axpy"), std::string::npos);
  EXPECT_NE(text.find("fma.rn.f32"), std::string::npos);  // one rounding, as the SASS twin
}

TEST_F(NvrtcCompile, ACompileErrorCarriesTheLog) {
  try {
    nvrtc_compile(api_, "__global__ void k() { undeclared(); }", "bad.cu", "sm_90");
    FAIL() << "expected a compile error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("undeclared"), std::string::npos) << e.what();
  }
}

}  // namespace wslcuda
