#include "suite/session.hpp"

#include <algorithm>
#include <utility>

#include "suite/samples.hpp"

namespace wslcuda {

measurement_session::measurement_session(std::vector<workload*> selected, target_info target,
                                         schedule_options schedule,
                                         std::function<result_row(workload&)> in_process,
                                         std::function<void(const result_row&)> on_row)
    : selected_(std::move(selected)),
      target_(std::move(target)),
      schedule_(std::move(schedule)),
      in_process_(std::move(in_process)),
      on_row_(std::move(on_row)) {}

session_outcome measurement_session::measure(const session_options& options) {
  session_outcome out;
  for (int round = 0; round < options.repeat && !out.interrupted; ++round) {
    const schedule_outcome o = run_scheduled(selected_, target_, schedule_, in_process_, on_row_);
    out.executions.insert(out.executions.end(), o.rows.begin(), o.rows.end());
    out.interrupted = o.interrupted;
  }
  if (!options.samples_dir.empty() && !out.interrupted) {
    const auto rows =
        run_samples(options.samples_dir, options.samples_timeout_s, schedule_.interrupt, on_row_);
    out.executions.insert(out.executions.end(), rows.begin(), rows.end());
  }
  return out;
}

std::vector<result_row> measurement_session::rerun(const std::vector<std::string>& ids) {
  std::vector<workload*> again;
  for (workload* w : selected_)
    if (std::find(ids.begin(), ids.end(), w->info().id) != ids.end()) again.push_back(w);
  schedule_outcome o = run_scheduled(again, target_, schedule_, in_process_, on_row_);
  if (o.interrupted) o.rows.clear();
  return o.rows;
}

std::vector<result_row> run_suite(const std::vector<workload*>& workloads,
                                  const target_info& target, const context_factory& make_context,
                                  const runner_options& options,
                                  const std::function<void(const result_row&)>& on_result) {
  schedule_options in_process;
  in_process.isolation = false;
  return run_scheduled(workloads, target, in_process,
                       make_in_process_runner(target, make_context, options), on_result)
      .rows;
}

}  // namespace wslcuda
