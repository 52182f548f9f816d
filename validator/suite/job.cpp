#include "suite/job.hpp"

#include <type_traits>

#include "report/input_file.hpp"

namespace wslcuda {
namespace {

template <typename T>
T field(const json& j, const char* key, const std::string& where) {
  if (!j.is_object()) throw input_error(where + ": expected an object");
  const auto it = j.find(key);
  if (it == j.end()) throw input_error(where + ": missing key \"" + key + "\"");
  if constexpr (std::is_same<T, bool>::value) {
    if (!it->is_boolean()) throw input_error(where + "/" + key + ": expected true or false");
    return it->get<bool>();
  } else if constexpr (std::is_arithmetic<T>::value) {
    const std::optional<T> v = checked_number<T>(*it);
    if (!v) throw input_error(where + "/" + key + ": expected a number in range");
    return *v;
  } else if constexpr (std::is_same<T, std::string>::value) {
    if (!it->is_string()) throw input_error(where + "/" + key + ": expected a string");
    return it->get<std::string>();
  } else {
    return *it;
  }
}

}  // namespace

json to_json(const worker_job& job) {
  const target_info& t = job.target;
  json peaks = json::object();
  for (const auto& [precision, value] : t.peak_flops) peaks[precision] = value;
  json missing = json::object();
  for (const auto& [name, why] : t.missing_libraries) missing[name] = why;
  const sampling_policy& p = job.sampling;
  return json{{"ids", job.ids},
              {"device", job.device},
              {"seed", job.seed},
              {"quick", job.quick},
              {"synthetic", job.synthetic},
              {"target",
               {{"usable", t.usable},
                {"unusable_reason", t.unusable_reason},
                {"device", t.device},
                {"name", t.name},
                {"compute_capability", t.compute_capability},
                {"peak_flops", peaks},
                {"peak_dram_bytes_per_s", t.peak_dram_bytes_per_s},
                {"kernel_exec_timeout", t.kernel_exec_timeout},
                {"l2_cache_bytes", t.l2_cache_bytes},
                {"host_link_bytes_per_s", t.host_link_bytes_per_s},
                {"host_link", t.host_link},
                {"concurrent_managed_access", t.concurrent_managed_access},
                {"device_count", t.device_count},
                {"missing_libraries", missing}}},
              {"sampling",
               {{"min_samples", p.min_samples},
                {"min_time_s", p.min_time_s},
                {"max_noise", p.max_noise},
                {"max_time_s", p.max_time_s},
                {"max_samples", p.max_samples},
                {"warmup_time_s", p.warmup_time_s},
                {"min_warmup_runs", p.min_warmup_runs}}}};
}

worker_job worker_job_from_json(const json& j) {
  if (!j.is_object()) throw input_error("job: expected an object");
  worker_job job;
  const json ids = field<json>(j, "ids", "job");
  if (!ids.is_array() || ids.empty()) throw input_error("job/ids: expected a non-empty array");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_string())
      throw input_error("job/ids/" + std::to_string(i) + ": expected a string");
    job.ids.push_back(ids[i].get<std::string>());
  }
  job.device = field<int>(j, "device", "job");
  job.seed = field<std::uint64_t>(j, "seed", "job");
  job.quick = field<bool>(j, "quick", "job");
  job.synthetic = field<bool>(j, "synthetic", "job");
  const json t = field<json>(j, "target", "job");
  job.target.usable = field<bool>(t, "usable", "job/target");
  job.target.unusable_reason = field<std::string>(t, "unusable_reason", "job/target");
  job.target.device = field<int>(t, "device", "job/target");
  job.target.name = field<std::string>(t, "name", "job/target");
  job.target.compute_capability = field<int>(t, "compute_capability", "job/target");
  const json peaks = field<json>(t, "peak_flops", "job/target");
  if (!peaks.is_object()) throw input_error("job/target/peak_flops: expected an object");
  for (const auto& [k, v] : peaks.items()) {
    const auto value = checked_number<double>(v);
    if (!value) throw input_error("job/target/peak_flops/" + k + ": expected a number");
    job.target.peak_flops[k] = *value;
  }
  job.target.peak_dram_bytes_per_s = field<double>(t, "peak_dram_bytes_per_s", "job/target");
  job.target.kernel_exec_timeout = field<bool>(t, "kernel_exec_timeout", "job/target");
  job.target.l2_cache_bytes = field<int>(t, "l2_cache_bytes", "job/target");
  job.target.host_link_bytes_per_s = field<double>(t, "host_link_bytes_per_s", "job/target");
  job.target.host_link = field<std::string>(t, "host_link", "job/target");
  job.target.concurrent_managed_access = field<bool>(t, "concurrent_managed_access", "job/target");
  job.target.device_count = field<int>(t, "device_count", "job/target");
  const json missing = field<json>(t, "missing_libraries", "job/target");
  if (!missing.is_object()) throw input_error("job/target/missing_libraries: expected an object");
  for (const auto& [k, v] : missing.items()) {
    if (!v.is_string())
      throw input_error("job/target/missing_libraries/" + k + ": expected a string");
    job.target.missing_libraries[k] = v.get<std::string>();
  }
  const json p = field<json>(j, "sampling", "job");
  job.sampling.min_samples = field<int>(p, "min_samples", "job/sampling");
  job.sampling.min_time_s = field<double>(p, "min_time_s", "job/sampling");
  job.sampling.max_noise = field<double>(p, "max_noise", "job/sampling");
  job.sampling.max_time_s = field<double>(p, "max_time_s", "job/sampling");
  job.sampling.max_samples = field<int>(p, "max_samples", "job/sampling");
  job.sampling.warmup_time_s = field<double>(p, "warmup_time_s", "job/sampling");
  job.sampling.min_warmup_runs = field<int>(p, "min_warmup_runs", "job/sampling");
  return job;
}

}  // namespace wslcuda
