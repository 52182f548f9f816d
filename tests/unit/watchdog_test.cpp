// The in-process watchdog of `run --no-isolation` (issue 27, item 4): a guarded workload that
// passes its limit, a stop (one byte on the notify pipe) after the grace, a second stop at once,
// and nothing once the main thread is finishing. Waits are bounded waits on the act callback,
// not sleeps.

#include "suite/watchdog.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "suite/isolation.hpp"
#include "suite/registry.hpp"
#include "suite/synthetic.hpp"

namespace wslcuda {
namespace {

constexpr auto kBound = std::chrono::seconds(30);

workload& synthetic_ok(registry& r) {
  register_synthetic(r);
  return *r.matching("synthetic.host.f32.ok").at(0);
}

void stop_byte(const in_process_watchdog& w) {
  const char s = 's';
  ASSERT_EQ(::write(w.notify_fd(), &s, 1), 1);
}

}  // namespace

TEST(Watchdog, AGuardedWorkloadPastItsLimitIsHandedToAct) {
  registry r;
  workload& ok = synthetic_ok(r);
  std::promise<watchdog_event> acted;
  auto event = acted.get_future().share();
  in_process_watchdog w(1000.0, [&](const watchdog_event& e) { acted.set_value(e); });
  // 20 s (the derived limit's floor) × 0.001: the watchdog acts while the call is in flight.
  const auto guarded = w.guard(
      [&](workload&) {
        EXPECT_EQ(event.wait_for(kBound), std::future_status::ready);
        return result_row{};
      },
      quick_sampling_policy(), 1e-3);
  guarded(ok);
  ASSERT_EQ(event.wait_for(kBound), std::future_status::ready);
  EXPECT_EQ(event.get().why, watchdog_event::kind::deadline);
  EXPECT_EQ(event.get().id, "synthetic.host.f32.ok");
  EXPECT_DOUBLE_EQ(event.get().limit_s,
                   workload_timeout_s(ok.info(), quick_sampling_policy(), 1e-3));
  EXPECT_FALSE(w.main_thread_finishing());  // it acted: the main thread must not write
}

TEST(Watchdog, AStopActsAfterTheGraceAndASecondAtOnce) {
  {
    std::promise<watchdog_event> acted;
    auto event = acted.get_future();
    in_process_watchdog w(0.01, [&](const watchdog_event& e) { acted.set_value(e); });
    stop_byte(w);
    ASSERT_EQ(event.wait_for(kBound), std::future_status::ready);
    const watchdog_event e = event.get();
    EXPECT_EQ(e.why, watchdog_event::kind::stop);
    EXPECT_EQ(e.id, "");  // between workloads
  }
  {
    std::promise<watchdog_event> acted;
    auto event = acted.get_future();
    in_process_watchdog w(1e6, [&](const watchdog_event& e) { acted.set_value(e); });
    stop_byte(w);
    stop_byte(w);  // the grace of 1e6 s is not waited for
    ASSERT_EQ(event.wait_for(kBound), std::future_status::ready);
    EXPECT_EQ(event.get().why, watchdog_event::kind::stop);
  }
}

TEST(Watchdog, NothingHappensOnceTheMainThreadIsFinishing) {
  registry r;
  workload& ok = synthetic_ok(r);
  int acts = 0;
  {
    in_process_watchdog w(0.0, [&](const watchdog_event&) { ++acts; });
    // A call that returns at once is disarmed before any limit.
    const auto guarded =
        w.guard([](workload&) { return result_row{}; }, quick_sampling_policy(), 1.0);
    guarded(ok);
    EXPECT_TRUE(w.main_thread_finishing());
    stop_byte(w);
    stop_byte(w);
  }  // the destructor stops and joins the thread
  EXPECT_EQ(acts, 0);
}

}  // namespace wslcuda
