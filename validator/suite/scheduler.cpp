#include "suite/scheduler.hpp"

#include <algorithm>
#include <memory>

#include "measure/sampler.hpp"
#include "suite/host_context.hpp"
#include "suite/isolation.hpp"

namespace wslcuda {

void run_group_in_worker(const std::vector<const workload_info*>& group,
                         const schedule_options& options,
                         const std::function<void(std::size_t, result_row)>& on_row) {
  worker_job job = options.job_template;
  child_request request;
  for (const workload_info* info : group) {
    job.ids.push_back(info->id);
    request.stage_timeouts_s.push_back(
        workload_timeout_s(*info, job.sampling, options.timeout_scale));
  }
  request.stage_marker = kResultLinePrefix;
  // Rows are handed on as the worker writes them, in group order. What a row's arrival took
  // beyond its own phases is the worker's cost: process start and context for the first row.
  std::size_t delivered = 0;
  double mark = steady_seconds();
  request.on_stage_line = [&](const std::string& line) {
    if (delivered >= group.size()) return;
    if (auto row = find_result_line(line, group[delivered]->id)) {
      const double now = steady_seconds();
      if (row->phases) {
        const phase_times& p = *row->phases;
        row->phases->worker =
            std::max(0.0, now - mark - (p.setup + p.verify + p.warmup + p.samples));
      }
      mark = now;
      on_row(delivered, std::move(*row));
      ++delivered;
    }
  };
  request.argv = {options.self_exe, "__worker"};
  request.stdin_data = to_json(job).dump();
  request.grace_s = options.grace_s;
  request.address_space_limit = options.worker_memory_limit;
  const child_result child = run_child(request, options.interrupt);
  for (std::size_t k = delivered; k < group.size(); ++k) {
    std::string malformed;
    if (auto row = find_result_line(child.stdout_data, group[k]->id, &malformed)) {
      on_row(k, std::move(*row));
      continue;
    }
    // A worker that exits cleanly after some results stopped on purpose (device lost): the
    // rest start again in a new worker. Otherwise this workload is the one that ended it.
    const bool stopped_on_purpose =
        k > 0 && child.exited && child.exit_code == 0 && malformed.empty();
    if (!stopped_on_purpose)
      on_row(k, result_from_child(*group[k], job.device, child, child.expired_limit_s));
    break;
  }
}

std::function<result_row(workload&)> make_in_process_runner(const target_info& target,
                                                            context_factory make_context,
                                                            const runner_options& options) {
  struct state {
    std::unique_ptr<execution_context> device_ctx;
    std::string failure;
    std::optional<error_block> failure_error;
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
        s->failure_error = error_of(e);
      }
    }
    if (runnable && !s->failure.empty()) {
      result_row row = run_workload(w, nullptr, target, options);
      row.message = s->failure;
      if (s->failure_error) row.error = s->failure_error;
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
  auto record = [&](const workload_info& info, result_row row) {
    if (info.requirements.needs_device && row.status == status::error && is_device_lost(row.error))
      ++consecutive_lost;
    else if (info.requirements.needs_device && row.status != status::skip)
      consecutive_lost = 0;
    if (on_result) on_result(row);
    out.rows.push_back(std::move(row));
  };
  std::size_t i = 0;
  while (i < workloads.size()) {
    if (options.interrupt != nullptr && options.interrupt->load() != 0) {
      out.interrupted = true;
      break;
    }
    workload* w = workloads[i];
    const workload_info& info = w->info();
    if (info.requirements.needs_device && consecutive_lost >= options.device_lost_limit) {
      record(info, skipped_row(*w, target.device,
                               "device lost: " + std::to_string(consecutive_lost) +
                                   " workloads in a row ended with a device-lost error"));
      ++i;
    } else if (auto why = unmet_requirement(info, target)) {
      record(info, skipped_row(*w, target.device, *why));
      ++i;
    } else if (!options.isolation) {
      record(info, in_process(*w));
      ++i;
    } else {
      // This workload and the runnable ones right after it in the same group share a worker.
      std::vector<const workload_info*> group{&info};
      for (std::size_t j = i + 1; !info.group.empty() && j < workloads.size(); ++j) {
        const workload_info& next = workloads[j]->info();
        if (next.group != info.group || unmet_requirement(next, target)) break;
        group.push_back(&next);
      }
      // Rows come for a prefix of the group; the rest start again in a new worker.
      run_group_in_worker(group, options, [&](std::size_t k, result_row row) {
        if (row.error && row.error->kind == error_kind::interrupted) {
          out.interrupted = true;
          return;
        }
        record(*group[k], std::move(row));
        ++i;
      });
      if (out.interrupted) return out;
    }
  }
  return out;
}

}  // namespace wslcuda
