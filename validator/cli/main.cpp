// wslcuda: does CUDA work in this WSL 2 shell, correctly and at bare-metal speed?

#include <poll.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/command_line.hpp"
#include "cli/history_commands.hpp"
#include "model/version.hpp"
#include "report/atomic_file.hpp"
#include "report/console_filter.hpp"
#include "report/exit_code.hpp"

namespace {

/// The exit code once stdout is flushed: a reader that went away (EPIPE, `| head`) is quiet and
/// changes nothing, since the files a command writes are its results; any other failure to write
/// stdout (`> /dev/full`) is said on stderr and, for a command that had succeeded, exit 5.
int finish_stdout(int code) {
  std::cout.flush();
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
  if (!failed) return code;
  const int error = errno;
  // A pipe whose reader is gone polls as POLLERR on the write end (errno may be stale by now).
  pollfd out{STDOUT_FILENO, POLLOUT, 0};
  if (error == EPIPE || (::poll(&out, 1, 0) == 1 && (out.revents & POLLERR) != 0)) return code;
  std::cerr << "wslcuda: cannot write to standard output"
            << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << "\n";
  return code == wslcuda::exit_ok ? wslcuda::exit_output : code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wslcuda;
  const std::vector<std::string> args(argv, argv + argc);
  // Every console line passes one escaping function (report/console_filter.hpp), whatever
  // outside text it carries; a worker's stdout is the result protocol and is left alone.
  if (args.size() < 2 || args[1] != "__worker") escape_console_streams();

  CLI::App app{
      "wslcuda: checks that CUDA works in WSL 2 (or on Linux), correctly and at "
      "bare-metal speed.\nExit codes: 0 passed, 1 failure, 2 usage or input error, 3 no "
      "usable GPU, 4 internal error, 5 environment error writing an output (disk full, I/O error), "
      "130 interrupted."};
  app.set_version_flag("--version",
                       std::string("wslcuda ") + tool_version() + " (" + git_revision() + ")");
  app.require_subcommand(1);

  command_body body;
  add_run(app, body, args);
  add_doctor(app, body, args);
  add_compare(app, body);
  add_gate(app, body);
  add_baseline(app, body);
  add_html(app, body);
  add_export(app, body);
  add_list(app, body);
  add_history(app, body);
  add_worker(app, body);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and the hint
    return exit_usage;
  }

  // A closed pipe on stdout (`wslcuda list | head`) is no reason to die by SIGPIPE halfway
  // through a run whose report is still to be written: writes to it fail instead, and
  // finish_stdout decides what that means.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return finish_stdout(body ? body() : exit_usage);
  } catch (const output_error& e) {
    // Disk full, I/O error, a folder removed under the run: the environment, not a bug.
    std::cerr << "wslcuda: cannot write an output: " << e.what() << "\n";
    return exit_output;
  } catch (const std::exception& e) {
    std::cerr << "wslcuda: internal error: " << e.what() << "\n";
    return exit_internal;
  }
  return exit_usage;
}
