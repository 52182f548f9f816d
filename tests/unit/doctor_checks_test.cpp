// One test per doctor check outcome. Environments come from the fake roots under
// tests/fixtures/roots (read by the same host/WSL probes as the real system) plus hand-made
// "live" facts (driver, devices, DXCore), so every branch runs without a GPU or WSL.

#include <gtest/gtest.h>

#include <filesystem>

#include "measure/units.hpp"
#include "model/library_sources.hpp"
#include "model/target.hpp"
#include "probe/checks.hpp"
#include "probe/dxcore/dxcore_probe.hpp"
#include "probe/host_probe.hpp"
#include "probe/wsl_probe.hpp"
#include "suite/workload.hpp"

namespace wslcuda {
namespace {

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(WSLCUDA_FIXTURES_DIR) / "roots" / name;
}

library_record library(const std::string& name, bool loaded, const std::string& error = "") {
  library_record l;
  l.name = name;
  l.loaded = loaded;
  l.path = loaded ? "/usr/local/cuda/lib64/lib" + name + ".so" : "";
  l.version = loaded ? "1.2.3" : "";
  l.error = error;
  return l;
}

dxcore_adapter rtx4090() {
  dxcore_adapter a;
  a.description = "NVIDIA GeForce RTX 4090";
  a.vendor_id = kNvidiaVendorId;
  a.device_id = 0x2684;
  a.driver_version = "31.0.15.5222";
  a.windows_driver_version = "552.22";
  a.luid_low = 0xd1e5;
  a.dedicated_memory_bytes = 25757220864ULL;
  a.is_hardware = true;
  return a;
}

dxcore_adapter basic_render() {
  dxcore_adapter a;
  a.description = "Microsoft Basic Render Driver";
  a.vendor_id = 0x1414;
  a.driver_version = "10.0.22621.1";
  return a;
}

/// A healthy live system on top of a fixture root (WSL 2 or bare metal).
environment live(const std::string& root_name) {
  environment env;
  const auto root = fixture(root_name);
  env.live = true;
  env.host = probe_host(root);
  env.host.memory_bytes = std::uint64_t{32} << 30;
  env.wsl = probe_wsl_files(root);
  env.driver.cuda_runtime = 13000;
  env.driver.cuda_driver_api = 13000;
  env.driver.libcuda_path = env.host.is_wsl ? "/usr/lib/wsl/lib/libcuda.so.1"
                                            : "/usr/lib/x86_64-linux-gnu/libcuda.so.580.65.06";
  device_record d;
  d.name = env.host.is_wsl ? "NVIDIA GeForce RTX 4090" : "NVIDIA H100 80GB HBM3";
  d.cc_major = env.host.is_wsl ? 8 : 9;
  d.cc_minor = env.host.is_wsl ? 9 : 0;
  d.managed_memory = true;
  d.concurrent_managed_access = !env.host.is_wsl;
  d.kernel_exec_timeout = env.host.is_wsl;
  if (env.host.is_wsl && env.host.wsl_version == 2) {
    env.dxcore_probed = true;
    env.dxcore.loaded = true;
    env.dxcore.library = "/usr/lib/wsl/lib/libdxcore.so";
    env.dxcore.adapters = {rtx4090(), basic_render()};
    env.dxcore.d3d12_error = "";
    env.dxcore.d3d12_library = "/usr/lib/wsl/lib/libd3d12.so";
    d.dxcore_match = "luid";
    d.dxcore_adapter = 0;
  }
  env.devices.push_back(d);
  env.pinned_cap_bytes = std::uint64_t{8} << 30;
  env.pinned_max_bytes = env.pinned_cap_bytes;
  env.libraries = {library("cuda", true), library("cublas", true), library("cudnn", true),
                   library("nccl", true), library("nvrtc", true),  library("nvml", true)};
  return env;
}

check_record check(const environment& env, const std::string& id) {
  for (const check_record& c : doctor_checks(env))
    if (c.id == id) return c;
  ADD_FAILURE() << "no check " << id;
  return {};
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST(Doctor, CheckIdsAndOrderAreTheContract) {
  std::vector<std::string> ids;
  for (const check_record& c : doctor_checks(live("wsl2-ubuntu-22.04"))) ids.push_back(c.id);
  EXPECT_EQ(
      ids, (std::vector<std::string>{
               "host.wsl", "wsl.kernel", "wsl.dxg", "wsl.libcuda", "wsl.linux_driver", "wsl.dxcore",
               "wsl.d3d12", "cuda.driver", "cuda.runtime_compat", "cuda.devices",
               "cuda.device_match", "cuda.pinned_memory", "cuda.managed_memory", "cuda.watchdog",
               "lib.cublas", "lib.cudnn", "lib.nccl", "lib.nvrtc", "lib.nvml"}));
}

TEST(Doctor, HealthyWsl2PassesEveryCheckButManagedMemory) {
  for (const char* root : {"wsl2-ubuntu-22.04", "wsl2-ubuntu-24.04"}) {
    for (const check_record& c : doctor_checks(live(root))) {
      if (c.id == "cuda.managed_memory") {
        EXPECT_EQ(c.status, status::warn) << c.message;  // no concurrent access on WSL
        EXPECT_TRUE(contains(c.message, "concurrent"));
      } else {
        EXPECT_EQ(c.status, status::pass) << root << " " << c.id << ": " << c.message;
      }
    }
  }
}

TEST(Doctor, HostWsl) {
  EXPECT_EQ(check(live("wsl2-ubuntu-22.04"), "host.wsl").status, status::pass);
  const check_record wsl1 = check(live("wsl1"), "host.wsl");
  EXPECT_EQ(wsl1.status, status::fail);
  EXPECT_TRUE(contains(wsl1.remedy, "wsl --set-version <distro> 2"));
  const check_record bare = check(live("baremetal-linux-nvidia"), "host.wsl");
  EXPECT_EQ(bare.status, status::skip);
  EXPECT_TRUE(contains(bare.message, "not WSL (kernel 6.8.0-45-generic"));
  environment empty;
  EXPECT_EQ(check(empty, "host.wsl").status, status::warn);
}

TEST(Doctor, OffWslEveryWslCheckIsSkipped) {
  for (const check_record& c : doctor_checks(live("baremetal-linux-nvidia")))
    if (c.id.rfind("wsl.", 0) == 0) {
      EXPECT_EQ(c.status, status::skip) << c.id;
    }
  EXPECT_EQ(check(live("baremetal-linux-nvidia"), "cuda.device_match").status, status::skip);
  EXPECT_EQ(check(live("baremetal-linux-nvidia"), "cuda.managed_memory").status, status::pass);
}

TEST(Doctor, WslKernel) {
  const check_record pass = check(live("wsl2-ubuntu-24.04"), "wsl.kernel");
  EXPECT_EQ(pass.status, status::pass);
  const check_record old = check(live("wsl2-old-kernel"), "wsl.kernel");
  EXPECT_EQ(old.status, status::warn) << old.message;
  EXPECT_TRUE(contains(old.remedy, "wsl --update"));
  const check_record ancient = check(live("wsl2-ancient-kernel"), "wsl.kernel");
  EXPECT_EQ(ancient.status, status::fail) << ancient.message;
  EXPECT_TRUE(contains(ancient.remedy, "wsl --update"));
  environment junk = live("wsl2-ubuntu-24.04");
  junk.host.kernel_release = "microsoft-standard-WSL2";  // no leading number
  EXPECT_EQ(check(junk, "wsl.kernel").status, status::warn);
}

TEST(Doctor, WslDxg) {
  const check_record c = check(live("wsl2-no-dxg"), "wsl.dxg");
  EXPECT_EQ(c.status, status::fail);
  EXPECT_FALSE(c.remedy.empty());
  EXPECT_EQ(check(live("wsl1"), "wsl.dxg").status, status::skip);  // host.wsl already fails
}

TEST(Doctor, WslLibcuda) {
  const check_record ok = check(live("wsl2-ubuntu-24.04"), "wsl.libcuda");
  EXPECT_EQ(ok.status, status::pass);
  EXPECT_TRUE(contains(ok.message, "is not a symbolic link"))
      << ok.message;  // a regular file: harmless warning explained
  const check_record missing = check(live("wsl2-no-libcuda"), "wsl.libcuda");
  EXPECT_EQ(missing.status, status::fail);
  EXPECT_TRUE(contains(missing.remedy, "Windows"));
}

TEST(Doctor, WslLinuxDriver) {
  const check_record c = check(live("wsl2-linux-driver"), "wsl.linux_driver");
  ASSERT_EQ(c.status, status::fail);
  EXPECT_TRUE(contains(c.message, "nvidia-driver-535"));
  EXPECT_TRUE(contains(c.message, "libnvidia-compute-535"));
  EXPECT_TRUE(contains(c.message, "/usr/lib/x86_64-linux-gnu/libcuda.so.535.183.01"));
  EXPECT_FALSE(contains(c.message, "cuda-toolkit"));
  EXPECT_FALSE(contains(c.message, "nvidia-container-toolkit"));
  EXPECT_FALSE(contains(c.message, "cuda-drivers-580"));  // removed, only config files left
  EXPECT_TRUE(contains(c.remedy, "apt-get remove --purge nvidia-driver-535 libnvidia-compute-535"));
  EXPECT_TRUE(contains(c.remedy, "cuda-toolkit"));
  // A link from a system folder into /usr/lib/wsl is how WSL is meant to look.
  EXPECT_EQ(check(live("wsl2-ubuntu-22.04"), "wsl.linux_driver").status, status::pass);
}

TEST(Doctor, WslDxcoreAndD3d12) {
  environment env = live("wsl2-ubuntu-24.04");
  const check_record ok = check(env, "wsl.dxcore");
  EXPECT_TRUE(contains(ok.message, "552.22")) << ok.message;
  EXPECT_TRUE(contains(ok.message, "1 software adapter(s) filtered")) << ok.message;

  environment no_nvidia = env;
  no_nvidia.dxcore.adapters = {basic_render()};
  no_nvidia.dxcore.d3d12_error.reset();
  EXPECT_EQ(check(no_nvidia, "wsl.dxcore").status, status::fail);
  EXPECT_TRUE(contains(check(no_nvidia, "wsl.dxcore").remedy, "TCC"));
  EXPECT_EQ(check(no_nvidia, "wsl.d3d12").status, status::skip);

  environment no_lib = env;
  no_lib.dxcore = dxcore_result{};
  no_lib.dxcore.error = "cannot load libdxcore.so: not found";
  EXPECT_EQ(check(no_lib, "wsl.dxcore").status, status::fail);

  environment bad_d3d12 = env;
  bad_d3d12.dxcore.d3d12_error =
      "D3D12CreateDevice(D3D_FEATURE_LEVEL_1_0_CORE) failed: HRESULT 0x887a0004";
  EXPECT_EQ(check(bad_d3d12, "wsl.d3d12").status, status::fail);

  environment not_live = env;
  not_live.live = false;
  EXPECT_EQ(check(not_live, "wsl.dxcore").status, status::skip);
  EXPECT_TRUE(contains(check(not_live, "wsl.dxcore").message, "--root"));
}

TEST(Doctor, CudaDriver) {
  environment none = live("baremetal-linux-nvidia");
  none.driver = driver_info{};
  none.driver.cuda_runtime = 13000;
  none.driver.libcuda_error = "libcuda.so.1 not found (…)";
  const check_record c = check(none, "cuda.driver");
  EXPECT_EQ(c.status, status::fail);
  EXPECT_FALSE(c.remedy.empty());
  EXPECT_EQ(check(none, "cuda.runtime_compat").status, status::skip);
  EXPECT_EQ(check(none, "cuda.devices").status, status::skip);  // cuda.driver already says why

  environment shadowed = live("wsl2-linux-driver");
  shadowed.driver.libcuda_path = "/usr/lib/x86_64-linux-gnu/libcuda.so.535.183.01";
  const check_record s = check(shadowed, "cuda.driver");
  EXPECT_EQ(s.status, status::fail);
  EXPECT_TRUE(contains(s.message, "not from /usr/lib/wsl/lib"));

  environment wsl_none = live("wsl2-ubuntu-24.04");
  wsl_none.driver.libcuda_path.clear();
  EXPECT_TRUE(contains(check(wsl_none, "cuda.driver").remedy, "Windows"));
}

TEST(Doctor, RuntimeNewerThanDriverFailsWithBothNumbers) {
  environment env = live("baremetal-linux-nvidia");
  env.driver.cuda_driver_api = 12080;
  const check_record c = check(env, "cuda.runtime_compat");
  EXPECT_EQ(c.status, status::fail);
  EXPECT_TRUE(contains(c.message, "13.0"));
  EXPECT_TRUE(contains(c.message, "12.8"));
  EXPECT_FALSE(c.remedy.empty());
}

TEST(Doctor, CudaDevices) {
  environment env = live("baremetal-linux-nvidia");
  env.devices[0].cc_major = 7;
  env.devices[0].cc_minor = 0;
  const check_record old = check(env, "cuda.devices");
  EXPECT_EQ(old.status, status::fail);
  EXPECT_TRUE(contains(old.message, "sm_70"));
  environment none = live("baremetal-linux-nvidia");
  none.devices.clear();
  none.no_device_reason =
      "cudaGetDeviceCount failed: cudaErrorNoDevice (no CUDA-capable device is detected)";
  EXPECT_EQ(check(none, "cuda.devices").status, status::fail);
  EXPECT_EQ(check(none, "cuda.devices").message, none.no_device_reason);
}

TEST(Doctor, CudaDeviceMatch) {
  environment env = live("wsl2-ubuntu-24.04");
  EXPECT_TRUE(contains(check(env, "cuda.device_match").message, "by luid"));
  env.devices[0].dxcore_adapter = -1;
  env.devices[0].dxcore_match = "none";
  EXPECT_EQ(check(env, "cuda.device_match").status, status::warn);
}

TEST(Doctor, PinnedMemory) {
  environment env = live("wsl2-ubuntu-24.04");
  EXPECT_EQ(check(env, "cuda.pinned_memory").status, status::pass);
  env.pinned_max_bytes = std::uint64_t{1} << 30;
  const check_record low = check(env, "cuda.pinned_memory");
  EXPECT_EQ(low.status, status::warn);
  EXPECT_TRUE(contains(low.message, "pin_memory=True"));
  EXPECT_TRUE(contains(low.remedy, ".wslconfig"));
  env.pinned_cap_bytes = std::uint64_t{1} << 30;  // a small VM: the cap itself is under 2 GiB
  EXPECT_EQ(check(env, "cuda.pinned_memory").status, status::pass);
  // The default probe pins 2 GiB once and says how to find the ceiling; --deep searches it.
  env.pinned_cap_bytes = kPinnedWarnBytes;
  env.pinned_max_bytes = kPinnedWarnBytes;
  const check_record quick = check(env, "cuda.pinned_memory");
  EXPECT_EQ(quick.status, status::pass);
  EXPECT_TRUE(contains(quick.message, "doctor --deep")) << quick.message;
  env.pinned_cap_bytes = std::uint64_t{8} << 30;
  env.pinned_max_bytes = env.pinned_cap_bytes;
  EXPECT_TRUE(contains(check(env, "cuda.pinned_memory").message, "256 MiB steps"));
  env.pinned_max_bytes.reset();
  EXPECT_EQ(check(env, "cuda.pinned_memory").status, status::skip);
}

TEST(Doctor, ManagedMemoryAndWatchdog) {
  environment env = live("baremetal-linux-nvidia");
  env.devices[0].managed_memory = false;
  EXPECT_EQ(check(env, "cuda.managed_memory").status, status::warn);
  const check_record tdr = check(live("wsl2-ubuntu-24.04"), "cuda.watchdog");
  EXPECT_EQ(tdr.status, status::pass);
  EXPECT_TRUE(contains(tdr.message, "TDR"));
  EXPECT_TRUE(contains(check(live("baremetal-linux-nvidia"), "cuda.watchdog").message,
                       "no kernel run-time limit"));
}

TEST(Doctor, Libraries) {
  environment env = live("baremetal-linux-nvidia");
  env.libraries[2] = library("cudnn", false, "libcudnn.so.9: cannot open shared object file");
  env.libraries[3].check_error = "built for CUDA 12, wslcuda's runtime is CUDA 13";
  const check_record cudnn = check(env, "lib.cudnn");
  EXPECT_EQ(cudnn.status, status::warn);
  EXPECT_TRUE(contains(cudnn.message, "skipped"));
  EXPECT_TRUE(contains(cudnn.remedy, "nvidia-cudnn-cu13"));
  const check_record nccl = check(env, "lib.nccl");
  EXPECT_EQ(nccl.status, status::fail);
  EXPECT_TRUE(contains(nccl.message, "CUDA 12"));
  EXPECT_EQ(make_target(env, 0).missing_libraries.at("cudnn"),
            "libcudnn.so.9: cannot open shared object file");
  EXPECT_EQ(make_target(env, 0).missing_libraries.at("nccl"),
            "built for CUDA 12, wslcuda's runtime is CUDA 13");
}

// Only the driver (the package's promise): every CUDA library is missing. Each lib.* check names
// its library and how to get it (NVIDIA's apt package and the pip wheel, from one table), and the
// workloads that need it are skipped with the same remedy.
TEST(Doctor, EachMissingLibraryNamedWithItsAptPackageAndWheel) {
  environment env = live("wsl2-ubuntu-24.04");
  for (library_record& l : env.libraries)
    if (l.name != "cuda")
      l = library(l.name, false, "lib" + l.name + ".so: cannot open shared object file");
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"cublas", {"cuBLAS", "libcublas-13-0", "pip install nvidia-cublas`", "gemm.cublas.*"}},
      {"cudnn", {"cuDNN", "libcudnn9-cuda-13", "pip install nvidia-cudnn-cu13`", "conv.cudnn.*"}},
      {"nccl", {"NCCL", "apt install libnccl2`", "pip install nvidia-nccl-cu13`", "nccl.*"}},
      {"nvrtc", {"NVRTC", "cuda-nvrtc-13-0", "pip install nvidia-cuda-nvrtc`", "jit.nvrtc.*"}}};
  const target_info target = make_target(env, 0);
  for (const auto& [name, words] : expected) {
    const check_record c = check(env, "lib." + name);
    EXPECT_EQ(c.status, status::warn) << name;
    EXPECT_TRUE(contains(c.message, words[0] + " not loaded")) << c.message;
    EXPECT_TRUE(contains(c.message, words[3])) << c.message;
    for (std::size_t i = 1; i < 3; ++i) EXPECT_TRUE(contains(c.remedy, words[i])) << c.remedy;
    // The skipped rows say what the doctor says.
    workload_info needs;
    needs.requirements.libraries = {name};
    const auto why = unmet_requirement(needs, target);
    ASSERT_TRUE(why.has_value()) << name;
    EXPECT_TRUE(contains(*why, c.remedy)) << *why;
    EXPECT_TRUE(contains(*why, "lib" + name + ".so: cannot open")) << *why;
  }
  const check_record nvml = check(env, "lib.nvml");
  EXPECT_EQ(nvml.status, status::warn);
  EXPECT_TRUE(contains(nvml.remedy, "comes with the NVIDIA driver")) << nvml.remedy;
  EXPECT_FALSE(contains(nvml.remedy, "pip")) << nvml.remedy;
  // Every library the probe loads (but the driver itself) has a row in the table.
  for (const library_record& l : env.libraries) {
    if (l.name != "cuda") {
      EXPECT_NE(find_library_source(l.name), nullptr) << l.name;
    }
  }
}

TEST(Doctor, UnderARootEveryLiveCheckSaysSo) {
  environment env;
  env.host = probe_host(fixture("wsl2-ubuntu-24.04"));
  env.wsl = probe_wsl_files(fixture("wsl2-ubuntu-24.04"));
  env.live = false;
  for (const check_record& c : doctor_checks(env)) {
    if (c.id == "host.wsl" || c.id == "wsl.kernel" || c.id == "wsl.dxg" || c.id == "wsl.libcuda" ||
        c.id == "wsl.linux_driver") {
      EXPECT_EQ(c.status, status::pass)
          << c.id << ": " << c.message;  // file-based checks still run
    } else {
      EXPECT_EQ(c.status, status::skip) << c.id;
      EXPECT_TRUE(contains(c.message, "--root")) << c.id << ": " << c.message;
    }
  }
}

TEST(Doctor, CudaVersionString) {
  EXPECT_EQ(cuda_version_string(13000), "13.0");
  EXPECT_EQ(cuda_version_string(12080), "12.8");
  EXPECT_EQ(cuda_version_string(0), "0.0");
}

TEST(MakeTarget, FromHealthyEnvironment) {
  const target_info t = make_target(live("baremetal-linux-nvidia"), 0);
  EXPECT_TRUE(t.usable);
  EXPECT_EQ(t.compute_capability, 90);
  EXPECT_TRUE(t.missing_libraries.empty());
}

TEST(MakeTarget, MissingDeviceOrdinalAndNoDevice) {
  const target_info t = make_target(live("baremetal-linux-nvidia"), 3);
  EXPECT_FALSE(t.usable);
  EXPECT_EQ(t.unusable_reason, "device 3 does not exist (1 device(s))");
  environment none;
  none.no_device_reason = "cudaGetDeviceCount failed: cudaErrorNoDevice";
  EXPECT_EQ(make_target(none, 0).unusable_reason, none.no_device_reason);
}

}  // namespace wslcuda
