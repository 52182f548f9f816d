#include "suite/scheduler.hpp"

#include <memory>

#include "suite/host_context.hpp"
#include "suite/isolation.hpp"

namespace wslcuda {

result_row run_in_worker(const workload_info& info, const schedule_options& options) {
  worker_job job = options.job_template;
  job.id = info.id;
  const double timeout = workload_timeout_s(job.sampling.max_time_s, job.sampling.warmup_time_s,
                                            info.setup_estimate_s, options.timeout_scale);
  child_request request;
  request.argv = {options.self_exe, "__worker"};
  request.stdin_data = to_json(job).dump();
  request.timeout_s = timeout;
  request.grace_s = options.grace_s;
  request.address_space_limit = options.worker_memory_limit;
  const child_result child = run_child(request, options.interrupt);
  return result_from_child(info, job.device, child, timeout);
}

std::function<result_row(workload&)> make_in_process_runner(const target_info& target,
                                                            context_factory make_context,
                                                            const runner_options& options) {
  struct state {
    std::unique_ptr<execution_context> device_ctx;
    std::string failure;
    host_context host;
  };
  auto s = std::make_shared<state>();
  return [s, target, make_context = std::move(make_context), options](workload& w) {
    if (!w.info().requirements.needs_device) return run_workload(w, &s->host, target, options);
    const bool runnable = !unmet_requirement(w.info(), target).has_value();
    if (runnable && !s->device_ctx && s->failure.empty()) {
      try {
        s->device_ctx = make_context();
        if (!s->device_ctx) s->failure = "execution context could not be created";
      } catch (const std::exception& e) {
        s->failure = std::string("execution context could not be created: ") + e.what();
      }
    }
    if (runnable && !s->failure.empty()) {
      result_row row = run_workload(w, nullptr, target, options);
      row.message = s->failure;
      return row;
    }
    return run_workload(w, s->device_ctx.get(), target, options);
  };
}

schedule_outcome run_scheduled(const std::vector<workload*>& workloads, const target_info& target,
                               const schedule_options& options,
                               const std::function<result_row(workload&)>& in_process,
                               const std::function<void(const result_row&)>& on_result) {
  schedule_outcome out;
  int consecutive_lost = 0;
  for (workload* w : workloads) {
    if (options.interrupt != nullptr && options.interrupt->load() != 0) {
      out.interrupted = true;
      break;
    }
    const workload_info& info = w->info();
    result_row row;
    if (info.requirements.needs_device && consecutive_lost >= options.device_lost_limit) {
      row = skipped_row(*w, target.device,
                        "device lost: " + std::to_string(consecutive_lost) +
                            " workloads in a row ended with a device-lost error");
    } else if (auto why = unmet_requirement(info, target)) {
      row = skipped_row(*w, target.device, *why);
    } else if (options.isolation) {
      row = run_in_worker(info, options);
      if (row.message == "interrupted") {
        out.interrupted = true;
        break;
      }
    } else {
      row = in_process(*w);
    }
    if (info.requirements.needs_device && row.status == status::error &&
        is_device_lost_error(row.message))
      ++consecutive_lost;
    else if (info.requirements.needs_device && row.status != status::skip)
      consecutive_lost = 0;
    if (on_result) on_result(row);
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace wslcuda
