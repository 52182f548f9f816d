#include "model/target.hpp"

#include "measure/roofline.hpp"

namespace wslcuda {

target_info make_target(const environment& env, int device) {
  target_info t;
  t.device = device;
  for (const library_record& lib : env.libraries) {
    if (!lib.loaded)
      t.missing_libraries[lib.name] = lib.error.empty() ? "not loaded" : lib.error;
    else if (!lib.check_error.empty())
      t.missing_libraries[lib.name] = lib.check_error;
  }
  if (!environment_usable(env)) {
    t.unusable_reason = env.no_device_reason.empty() ? "no CUDA device" : env.no_device_reason;
    return t;
  }
  if (device < 0 || device >= static_cast<int>(env.devices.size())) {
    t.unusable_reason = "device " + std::to_string(device) + " does not exist (" +
                        std::to_string(env.devices.size()) + " device(s))";
    return t;
  }
  const device_record& d = env.devices[static_cast<std::size_t>(device)];
  t.usable = true;
  t.name = d.name;
  t.compute_capability = d.cc_major * 10 + d.cc_minor;
  if (d.peak_fp32_flops > 0.0) t.peak_flops["f32"] = d.peak_fp32_flops;
  for (const char* precision : {"tf32", "f16", "bf16"}) {
    const double peak =
        peak_tensor_flops(d.sm_count, d.sm_clock_khz, d.cc_major, d.cc_minor, precision);
    if (peak > 0.0) t.peak_flops[precision] = peak;
  }
  t.peak_dram_bytes_per_s = d.peak_dram_bytes_per_s;
  t.kernel_exec_timeout = d.kernel_exec_timeout;
  t.l2_cache_bytes = d.l2_cache_bytes;
  t.host_link_bytes_per_s = d.host_link.bytes_per_s;
  t.host_link = d.host_link.description;
  t.concurrent_managed_access = d.concurrent_managed_access;
  t.device_count = static_cast<int>(env.devices.size());
  return t;
}

}  // namespace wslcuda
