#pragma once
// Synthetic workloads and a scripted execution context for testing the runner on the CPU:
// time is virtual (advanced by the scripted work), so nothing sleeps and nothing is flaky.

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/named_error.hpp"
#include "suite/workload.hpp"

namespace wslcuda::testing {

/// A context whose clock advances only by the work workloads report through add_work().
class scripted_context final : public execution_context {
 public:
  void* stream() const noexcept override { return nullptr; }
  void start_timer() override { start_ = now_; }
  double stop_timer() override { return now_ - start_; }
  void synchronize() override {}
  std::string clock_name() const override { return "scripted"; }
  void add_work(double seconds) { now_ += seconds; }
  double now() const noexcept { return now_; }

  /// With replay on, prepare_batch keeps the body (as a CUDA graph would) and
  /// time_prepared_batch replays it on the virtual clock; `refusal` is the reason when off.
  bool prepare_batch(const std::function<void()>& body, int runs, std::string& note) override {
    if (!replay) {
      note = refusal;
      return false;
    }
    body_ = body;
    runs_ = runs;
    ++prepared_batches;
    now_ += prepare_cost_s;
    note = "replayed (scripted): no host submission inside the interval";
    return true;
  }
  double time_prepared_batch(const std::function<void()>& while_running) override {
    ++replays;
    start_timer();
    for (int i = 0; i < runs_; ++i) body_();
    in_replay = true;
    if (while_running) while_running();
    in_replay = false;
    return (now_ - start_) * replay_time_factor;
  }
  void release_batch() noexcept override {
    if (body_) ++released_batches;
    body_ = nullptr;
  }

  bool replay = false;
  std::string refusal;
  int prepared_batches = 0, released_batches = 0, replays = 0;
  /// A replay reports this fraction of the work it did (below 1: a graph that captured less).
  double replay_time_factor = 1.0;
  /// True while time_prepared_batch calls its `while_running` callback.
  bool in_replay = false;
  /// Virtual seconds a prepare_batch takes (capture, instantiation, upload).
  double prepare_cost_s = 0.0;

 private:
  double now_ = 0.0, start_ = 0.0;
  std::function<void()> body_;
  int runs_ = 0;
};

/// Behaviour of a synthetic workload.
struct synthetic_spec {
  std::string id = "synthetic.own.f32.x";
  double seconds_per_run = 1e-3;  ///< virtual time each run() adds
  double flops = 0.0;
  double bytes = 1e6;
  wslcuda::status verify_status = status::pass;
  bool throw_in_prepare = false;
  bool throw_in_run = false;
  /// run() throws a CUDA named_error (cudaErrorLaunchTimeout).
  bool throw_named = false;
  bound_kind bound = bound_kind::device;  ///< declared (workload_info::bound)
  std::string timing_definition;          ///< workload_info::timing_definition
  int min_cc = 75;
  std::vector<std::string> libraries;
};

class synthetic_workload final : public workload {
 public:
  explicit synthetic_workload(synthetic_spec spec) : spec_(std::move(spec)) {
    info_.id = spec_.id;
    // family.implementation.precision from the id, as workload_id() would make it.
    const auto part = [&](std::size_t k) {
      std::size_t begin = 0;
      for (std::size_t i = 0; i < k && begin != std::string::npos; ++i)
        begin = spec_.id.find('.', begin) == std::string::npos ? std::string::npos
                                                               : spec_.id.find('.', begin) + 1;
      if (begin == std::string::npos) return std::string();
      return spec_.id.substr(begin, spec_.id.find('.', begin) - begin);
    };
    info_.family = part(0);
    info_.implementation = part(1);
    info_.precision = part(2);
    info_.shape = {{"N", 1}};
    info_.seed = 99;
    info_.requirements.min_compute_capability = spec_.min_cc;
    info_.requirements.libraries = spec_.libraries;
    info_.bound = spec_.bound;
    info_.timing_definition = spec_.timing_definition;
  }
  const workload_info& info() const noexcept override { return info_; }
  /// For tests of the registry's checks: an info that disagrees with itself.
  workload_info& mutable_info() noexcept { return info_; }
  double flops() const noexcept override { return spec_.flops; }
  double bytes() const noexcept override { return spec_.bytes; }
  void prepare(execution_context&) override {
    ++prepared;
    if (spec_.throw_in_prepare) throw std::runtime_error("cudaErrorMemoryAllocation (synthetic)");
  }
  void run(execution_context& ctx) override {
    ++runs;
    if (spec_.throw_in_run) throw std::runtime_error("cudaErrorIllegalAddress (synthetic)");
    if (spec_.throw_named)
      throw named_error("k.cu:1: cudaErrorLaunchTimeout (synthetic)", "cuda",
                        "cudaErrorLaunchTimeout", 702);
    static_cast<scripted_context&>(ctx).add_work(spec_.seconds_per_run);
  }
  check_result verify(execution_context& ctx) override {
    run(ctx);
    check_result r;
    r.status = spec_.verify_status;
    r.metric = "synthetic";
    r.bound = 1.0;
    r.value = spec_.verify_status == status::pass ? 0.5 : 2.0;
    r.compared = spec_.verify_status == status::error ? 0 : 1;
    r.message = spec_.verify_status == status::pass ? "ok" : "wrong by design";
    return r;
  }
  void release() noexcept override { ++released; }

  int prepared = 0, runs = 0, released = 0;

 private:
  synthetic_spec spec_;
  workload_info info_;
};

inline std::unique_ptr<synthetic_workload> make_synthetic(const std::string& id) {
  synthetic_spec s;
  s.id = id;
  return std::make_unique<synthetic_workload>(s);
}

}  // namespace wslcuda::testing
