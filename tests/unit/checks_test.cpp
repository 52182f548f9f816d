#include "probe/checks.hpp"

#include <gtest/gtest.h>

namespace wslcuda {
namespace {

const check_record& find(const std::vector<check_record>& checks, const std::string& id) {
  for (const check_record& c : checks)
    if (c.id == id) return c;
  throw std::runtime_error("no check " + id);
}

environment healthy() {
  environment env;
  env.driver.libcuda_path = "/usr/lib/x86_64-linux-gnu/libcuda.so.580.65.06";
  env.driver.cuda_driver_api = 13000;
  env.driver.cuda_runtime = 13000;
  device_record d;
  d.name = "NVIDIA H100 80GB HBM3";
  d.cc_major = 9;
  d.peak_fp32_flops = 6.69e13;
  d.peak_dram_bytes_per_s = 3.35e12;
  env.devices.push_back(d);
  library_record cublas{"cublas", true, "/usr/local/cuda/lib64/libcublas.so.13", "13.1.0", "", {}};
  env.libraries.push_back(cublas);
  return env;
}

}  // namespace

TEST(Checks, HealthyEnvironmentPasses) {
  const environment env = healthy();
  const auto checks = basic_checks(env);
  for (const check_record& c : checks)
    EXPECT_EQ(c.status, status::pass) << c.id << ": " << c.message;
  EXPECT_NE(find(checks, "cuda.driver").message.find("libcuda.so.580.65.06"), std::string::npos);
  EXPECT_NE(find(checks, "cuda.driver").message.find("13.0"), std::string::npos);
  EXPECT_NE(find(checks, "lib.cublas").message.find("13.1.0"), std::string::npos);
  EXPECT_TRUE(environment_usable(env));
}

TEST(Checks, NoDriverFailsWithRemedyAndSkipsCompat) {
  environment env;
  env.driver.cuda_runtime = 13000;
  env.driver.libcuda_error = "libcuda.so.1 not found (…)";
  env.no_device_reason = "no CUDA driver: libcuda.so.1 not found (cudaErrorInsufficientDriver)";
  const auto checks = basic_checks(env);
  EXPECT_EQ(find(checks, "cuda.driver").status, status::fail);
  EXPECT_FALSE(find(checks, "cuda.driver").remedy.empty());
  EXPECT_EQ(find(checks, "cuda.runtime_compat").status, status::skip);
  EXPECT_EQ(find(checks, "cuda.devices").status, status::fail);
  EXPECT_EQ(find(checks, "cuda.devices").message, env.no_device_reason);
  EXPECT_FALSE(environment_usable(env));
}

TEST(Checks, WslRemedyPointsAtTheWindowsDriver) {
  environment env;
  env.host.is_wsl = true;
  const auto checks = basic_checks(env);
  EXPECT_NE(find(checks, "cuda.driver").remedy.find("Windows"), std::string::npos);
}

TEST(Checks, RuntimeNewerThanDriverFailsWithBothNumbers) {
  environment env = healthy();
  env.driver.cuda_driver_api = 12080;
  const auto checks = basic_checks(env);
  const check_record& c = find(checks, "cuda.runtime_compat");
  EXPECT_EQ(c.status, status::fail);
  EXPECT_NE(c.message.find("13.0"), std::string::npos);
  EXPECT_NE(c.message.find("12.8"), std::string::npos);
  EXPECT_FALSE(c.remedy.empty());
}

TEST(Checks, ComputeCapabilityBelow75Fails) {
  environment env = healthy();
  env.devices[0].cc_major = 7;
  env.devices[0].cc_minor = 0;
  const auto checks = basic_checks(env);
  const check_record& c = find(checks, "cuda.devices");
  EXPECT_EQ(c.status, status::fail);
  EXPECT_NE(c.message.find("sm_70"), std::string::npos);
}

TEST(Checks, MissingLibraryWarns) {
  environment env = healthy();
  env.libraries[0] = library_record{"cublas", false, "", "", "libcublas.so.13 not found", {}};
  const auto checks = basic_checks(env);
  const check_record& c = find(checks, "lib.cublas");
  EXPECT_EQ(c.status, status::warn);
  EXPECT_NE(c.message.find("skipped"), std::string::npos);
  EXPECT_FALSE(c.remedy.empty());
}

TEST(Checks, CudaVersionString) {
  EXPECT_EQ(cuda_version_string(13000), "13.0");
  EXPECT_EQ(cuda_version_string(12080), "12.8");
  EXPECT_EQ(cuda_version_string(0), "0.0");
}

TEST(MakeTarget, FromHealthyEnvironment) {
  environment env = healthy();
  env.libraries.push_back(library_record{"cudnn", false, "", "", "libcudnn.so.9 not found", {}});
  const target_info t = make_target(env, 0);
  EXPECT_TRUE(t.usable);
  EXPECT_EQ(t.compute_capability, 90);
  EXPECT_DOUBLE_EQ(t.peak_flops.at("f32"), 6.69e13);
  EXPECT_DOUBLE_EQ(t.peak_dram_bytes_per_s, 3.35e12);
  EXPECT_EQ(t.missing_libraries.count("cublas"), 0u);
  EXPECT_EQ(t.missing_libraries.at("cudnn"), "libcudnn.so.9 not found");
}

TEST(MakeTarget, MissingDeviceOrdinalAndNoDevice) {
  const target_info t = make_target(healthy(), 3);
  EXPECT_FALSE(t.usable);
  EXPECT_EQ(t.unusable_reason, "device 3 does not exist (1 device(s))");
  environment none;
  none.no_device_reason = "cudaGetDeviceCount failed: cudaErrorNoDevice";
  EXPECT_EQ(make_target(none, 0).unusable_reason, none.no_device_reason);
}

}  // namespace wslcuda
