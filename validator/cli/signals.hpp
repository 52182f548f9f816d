#pragma once
// Stopping `wslcuda run`: SIGINT, SIGTERM, SIGHUP (a closed terminal), SIGQUIT and SIGUSR1 all
// ask the run to stop, write the report with what finished and exit 130.

#include <atomic>
#include <string>

namespace wslcuda {

/// Non-zero (the signal number) once a stop was asked for.
std::atomic<int>& stop_request();

/// Installs the handlers. With `second_signal_exits` (--no-isolation: a workload running in this
/// process cannot be stopped), the first signal says the run stops after the current workload
/// and a second one exits 130 at once, naming `journal_path` (when not empty) as the record of
/// what finished. Call again to change the mode.
void install_stop_handlers(bool second_signal_exits, const std::string& journal_path);

/// --no-isolation with a watchdog (suite/watchdog.hpp): each stop signal also writes a byte to
/// `notify_fd` (write(2), async-signal-safe), so the watchdog writes the report of what finished
/// within `grace_s` even while a workload hangs; a second signal asks for it at once, a third
/// exits 130 at once (the watchdog itself stuck). Call after install_stop_handlers(true, …);
/// -1 turns it off.
void notify_stops_to(int notify_fd, double grace_s);

}  // namespace wslcuda
