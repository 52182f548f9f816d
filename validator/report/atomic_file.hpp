#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace wslcuda {

/// A report, JUnit or Markdown file could not be written: disk full (ENOSPC), I/O error (EIO),
/// the folder gone or made read-only after the start. An environment error (exit_output, 5),
/// not a bug in wslcuda. `error()` is the errno.
class output_error : public std::runtime_error {
 public:
  output_error(const std::string& what, int error) : std::runtime_error(what), error_(error) {}
  int error() const noexcept { return error_; }

 private:
  int error_;
};

/// Writes `content` to `path`. A regular file or a new path is written atomically: a temporary
/// file in the same folder, fsync, rename over `path`, fsync of the folder (so a crash leaves
/// either the old file or the new one; on failure the temporary file is removed and `path` is
/// untouched). An existing character or block device, FIFO or socket (`/dev/stdout`, a pipe,
/// `/dev/null`) is written in place, as `tee` does, and never replaced. Throws output_error
/// naming the path and the system error.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// Throws std::runtime_error when `path` cannot be written: its folder is missing or not
/// writable, or it is a directory, or a device or FIFO without write permission (checked before
/// any workload runs, so a bad --json path costs nothing). Never opens `path` (a FIFO would
/// block).
void check_writable(const std::filesystem::path& path);

/// True when `path` names an existing file that is not a regular file (device, FIFO, socket),
/// following symbolic links: such outputs are written in place.
bool is_special_file(const std::filesystem::path& path);

}  // namespace wslcuda
