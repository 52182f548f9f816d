#include "model/worker_protocol.hpp"

#include "model/json_reader.hpp"
#include "model/row_json.hpp"

namespace wslcuda {

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
  const json& ids = member(j, "ids", "job");
  if (!ids.is_array() || ids.empty()) throw input_error("job/ids: expected a non-empty array");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_string())
      throw input_error("job/ids/" + std::to_string(i) + ": expected a string");
    job.ids.push_back(ids[i].get<std::string>());
  }
  job.device = number_at<int>(j, "device", "job");
  job.seed = number_at<std::uint64_t>(j, "seed", "job");
  job.quick = bool_at(j, "quick", "job");
  job.synthetic = bool_at(j, "synthetic", "job");
  const json& t = member(j, "target", "job");
  job.target.usable = bool_at(t, "usable", "job/target");
  job.target.unusable_reason = string_at(t, "unusable_reason", "job/target");
  job.target.device = number_at<int>(t, "device", "job/target");
  job.target.name = string_at(t, "name", "job/target");
  job.target.compute_capability = number_at<int>(t, "compute_capability", "job/target");
  const json& peaks = member(t, "peak_flops", "job/target");
  if (!peaks.is_object()) throw input_error("job/target/peak_flops: expected an object");
  for (const auto& [k, v] : peaks.items()) {
    const auto value = checked_number<double>(v);
    if (!value) throw input_error("job/target/peak_flops/" + k + ": expected a number");
    job.target.peak_flops[k] = *value;
  }
  job.target.peak_dram_bytes_per_s = number_at<double>(t, "peak_dram_bytes_per_s", "job/target");
  job.target.kernel_exec_timeout = bool_at(t, "kernel_exec_timeout", "job/target");
  job.target.l2_cache_bytes = number_at<int>(t, "l2_cache_bytes", "job/target");
  job.target.host_link_bytes_per_s = number_at<double>(t, "host_link_bytes_per_s", "job/target");
  job.target.host_link = string_at(t, "host_link", "job/target");
  job.target.concurrent_managed_access = bool_at(t, "concurrent_managed_access", "job/target");
  job.target.device_count = number_at<int>(t, "device_count", "job/target");
  const json& missing = member(t, "missing_libraries", "job/target");
  if (!missing.is_object()) throw input_error("job/target/missing_libraries: expected an object");
  for (const auto& [k, v] : missing.items()) {
    if (!v.is_string())
      throw input_error("job/target/missing_libraries/" + k + ": expected a string");
    job.target.missing_libraries[k] = v.get<std::string>();
  }
  const json& p = member(j, "sampling", "job");
  job.sampling.min_samples = number_at<int>(p, "min_samples", "job/sampling");
  job.sampling.min_time_s = number_at<double>(p, "min_time_s", "job/sampling");
  job.sampling.max_noise = number_at<double>(p, "max_noise", "job/sampling");
  job.sampling.max_time_s = number_at<double>(p, "max_time_s", "job/sampling");
  job.sampling.max_samples = number_at<int>(p, "max_samples", "job/sampling");
  job.sampling.warmup_time_s = number_at<double>(p, "warmup_time_s", "job/sampling");
  job.sampling.min_warmup_runs = number_at<int>(p, "min_warmup_runs", "job/sampling");
  return job;
}

void write_result_line(std::ostream& os, const result_row& row) {
  os << kResultLinePrefix << to_json(row).dump() << "\n" << std::flush;
}

std::optional<result_row> find_result_line(const std::string& out, const std::string& id,
                                           std::string* malformed, std::string* other_id) {
  std::size_t pos = 0;
  const std::string prefix = kResultLinePrefix;
  while ((pos = out.find(prefix, pos)) != std::string::npos) {
    if (pos != 0 && out[pos - 1] != '\n') {
      pos += prefix.size();
      continue;
    }
    const std::size_t eol = out.find('\n', pos);
    const std::string body =
        out.substr(pos + prefix.size(),
                   eol == std::string::npos ? std::string::npos : eol - pos - prefix.size());
    try {
      result_row row = result_from_json(json::parse(body), "worker result");
      if (row.id == id) return row;
      if (other_id != nullptr) *other_id = row.id;
    } catch (const std::exception& e) {
      if (malformed != nullptr)
        *malformed = std::string("malformed result from the worker: ") + e.what();
    }
    pos = eol == std::string::npos ? out.size() : eol;
  }
  return std::nullopt;
}

}  // namespace wslcuda
