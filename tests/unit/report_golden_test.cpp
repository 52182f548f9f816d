// The report's bytes are a contract (reports and baselines key on them): a report of synthetic
// workloads on a scripted clock, gated against a baseline made from itself, must serialise to
// exactly the committed golden file. A refactor that changes a byte fails here; a deliberate
// format change updates the golden file in the same commit (set WSLCUDA_UPDATE_GOLDEN=1 and run
// this test once to rewrite it), so the diff shows what changed.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "baseline/baseline.hpp"
#include "baseline/judge.hpp"
#include "baseline/policy.hpp"
#include "model/executions.hpp"
#include "model/report_json.hpp"
#include "model/target.hpp"
#include "suite/runner.hpp"
#include "synthetic_workloads.hpp"

namespace wslcuda {
namespace {

using testing::scripted_context;
using testing::synthetic_spec;
using testing::synthetic_workload;

/// A fixed environment: one H200-like device, no probe of this machine.
environment fixed_environment() {
  environment env;
  env.live = false;
  env.host.kernel_release = "6.6.87.2-microsoft-standard-WSL2";
  env.host.is_wsl = true;
  env.host.wsl_version = 2;
  env.host.distro = "Ubuntu 24.04.1 LTS";
  env.host.cpu = "synthetic CPU";
  env.host.logical_cpus = 16;
  env.host.memory_bytes = std::uint64_t{64} << 30;
  env.driver.cuda_driver_api = 13000;
  env.driver.cuda_runtime = 13000;
  env.driver.libcuda_path = "/usr/lib/wsl/lib/libcuda.so.1";
  env.driver.windows_driver_version = "581.15";
  device_record d;
  d.index = 0;
  d.name = "NVIDIA H200";
  d.uuid = "GPU-00000000-0000-0000-0000-000000000001";
  d.pci_bus_id = "0000:01:00.0";
  d.cc_major = 9;
  d.cc_minor = 0;
  d.sm_count = 132;
  d.total_memory_bytes = std::uint64_t{141} << 30;
  d.l2_cache_bytes = 60 << 20;
  d.sm_clock_khz = 1980000;
  d.memory_clock_khz = 3201000;
  d.memory_bus_width_bits = 6144;
  d.peak_fp32_flops = 66.9e12;
  d.peak_dram_bytes_per_s = 4.8e12;
  d.host_link.description = "PCIe Gen5 x16";
  d.host_link.bytes_per_s = 63e9;
  d.host_link.generation = 5;
  d.host_link.width = 16;
  env.devices.push_back(d);
  check_record c;
  c.id = "wsl.dxg";
  c.status = status::pass;
  c.message = "/dev/dxg present";
  env.checks.push_back(c);
  return env;
}

std::vector<synthetic_spec> specs() {
  std::vector<synthetic_spec> out;
  synthetic_spec bandwidth;
  bandwidth.id = "synthetic.own.f32.bandwidth";
  bandwidth.seconds_per_run = 2e-3;
  bandwidth.bytes = 4e6;
  out.push_back(bandwidth);
  synthetic_spec compute;
  compute.id = "synthetic.own.f32.compute";
  compute.seconds_per_run = 3e-3;
  compute.flops = 6e9;
  compute.bytes = 0.0;
  out.push_back(compute);
  synthetic_spec batched;  // under the minimum sample time: batched
  batched.id = "synthetic.own.f32.batched";
  batched.seconds_per_run = 5e-6;
  out.push_back(batched);
  synthetic_spec wrong;
  wrong.id = "synthetic.own.f32.wrong";
  wrong.verify_status = status::fail;
  out.push_back(wrong);
  synthetic_spec crash;
  crash.id = "synthetic.own.f32.throws";
  crash.throw_in_run = true;
  out.push_back(crash);
  synthetic_spec missing;
  missing.id = "synthetic.own.f32.needs_cudnn";
  missing.libraries = {"cudnn"};
  out.push_back(missing);
  return out;
}

run_report golden_run() {
  run_report report;
  report.command = "run";
  report.argv = {"wslcuda", "run", "--filter", "synthetic.*"};
  report.started_at = "2026-11-30T00:00:00Z";
  report.finished_at = "2026-11-30T00:00:01Z";
  report.env = fixed_environment();
  target_info target = make_target(report.env, 0);
  target.missing_libraries["cudnn"] = "not found: libcudnn.so.9";
  scripted_context ctx;
  runner_options options;
  options.wall_clock = [&ctx] { return ctx.now(); };
  std::vector<result_row> executions;
  for (int execution = 0; execution < 2; ++execution) {
    for (const synthetic_spec& s : specs()) {
      synthetic_workload w(s);
      executions.push_back(run_workload(w, &ctx, target, options));
    }
  }
  // Gated against a baseline made from the run itself: every gated row passes.
  report.results = merge_by_id(executions);
  judge_inputs in;
  in.choice = baseline_choice::file;
  in.explicit_baseline = comparable_from_report(report, 0, "golden-baseline.json");
  in.policy = default_policy();
  apply_judgement(report, judge_run(report, executions, in));
  report.timing = account_time(report.results, 1.0, 0.25, 0.125);
  report.exit_code = 1;
  return report;
}

TEST(ReportGolden, SyntheticRunSerialisesToTheCommittedBytes) {
  const std::string path = std::string(WSLCUDA_FIXTURES_DIR) + "/golden/synthetic-report.json";
  json doc = report_to_json(golden_run());
  doc["tool"]["version"] = "golden";  // the build's version and revision are not the format's
  doc["tool"]["git_revision"] = "golden";
  const std::string bytes = doc.dump(2) + "\n";
  if (const char* update = std::getenv("WSLCUDA_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path) << bytes;
    GTEST_SKIP() << "rewrote " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing: run with WSLCUDA_UPDATE_GOLDEN=1 to write it";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(bytes, golden.str()) << "the report's bytes changed; if on purpose, rewrite " << path
                                 << " with WSLCUDA_UPDATE_GOLDEN=1 and explain it in the schema's "
                                    "changelog";
}

}  // namespace
}  // namespace wslcuda
