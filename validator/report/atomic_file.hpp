#pragma once

#include <filesystem>

#include <stdexcept>
#include <string>
#include "model/json.hpp"

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

/// How an output path is written (route_output).
enum class output_route {
  file,        ///< a regular file or a new name: written atomically (temporary sibling, rename)
  descriptor,  ///< one of this process's open descriptors: written to it, wherever it points
  in_place,    ///< an existing character device, FIFO or socket: opened and written, as `tee`
};

/// Where an output path goes and, for output_route::descriptor, the descriptor.
struct output_target {
  output_route route = output_route::file;
  int fd = -1;
};

/// Decides how `path` is written, before anything else. A path that is, or is a symbolic link
/// (chain) to, one of this process's descriptors (`/dev/stdin`, `/dev/stdout`, `/dev/stderr`,
/// `/dev/fd/N`, `/proc/self/fd/N`, `/proc/thread-self/fd/N`, `/proc/<own pid>/fd/N`) is the
/// descriptor N, whatever it points at (a file, a pipe, a terminal): such a path is never
/// opened, created, renamed or replaced. Each step of a link chain is judged with its folder
/// resolved (realpath), so `/dev/fd` and links to folders are seen through. An existing
/// character device, FIFO or socket is written in place. Throws std::runtime_error naming the
/// path for what must never be written: a block device or a link to one (a stale
/// `report.csv -> /dev/sdX` must never overwrite a disk), a descriptor that is not open, open
/// for reading only, or a block device.
output_target route_output(const std::filesystem::path& path);

/// Writes `content` to `path` as route_output decides. A regular file or a new path is written
/// atomically: a temporary file in the same folder, fsync, rename over `path`, fsync of the
/// folder (so a crash leaves either the old file or the new one; on failure the temporary file
/// is removed and `path` is untouched). A descriptor is written at its offset and left open; a
/// character device, FIFO or socket is written in place, as `tee` does, and never replaced.
/// Throws output_error naming the path and the system error (a route refused since the checks
/// is EINVAL).
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// `doc` as the text of a JSON document wslcuda writes (a report, a baseline, a comparison):
/// indented by 2 with a final newline when that stays within the size its own readers take
/// (model/json_reader.hpp, input_limits::max_bytes, 256 MiB), else compact (a 212 MB report
/// gated again became 304 MB indented, which `gate` then refused). Throws output_error (EFBIG)
/// naming `path` when even the compact text is larger: what wslcuda writes, it can read again.
std::string json_document_text(const json& doc, const std::filesystem::path& path);

/// Throws std::runtime_error when `path` cannot be written, checked before any workload runs so
/// a bad output path costs nothing: what route_output refuses; for a new or regular file, its
/// folder is missing or not writable, it is a directory, its folder lies in /dev, /proc or /sys
/// (only devices and descriptors are written there; /dev/shm, a tmpfs for files, is allowed), or
/// its temporary sibling's name (`.NAME.XXXXXX`, 8 bytes longer) would exceed the file system's
/// name limit (pathconf _PC_NAME_MAX, 255 on ext4, tmpfs, 9p); a device or FIFO without write
/// permission. Never opens `path` (a FIFO would block).
void check_writable(const std::filesystem::path& path);

/// Bytes the temporary sibling's name adds to an output's file name (`.` + name + `.XXXXXX`).
inline constexpr std::size_t kTemporarySiblingExtraBytes = 8;

/// True when `path` is not written as a regular file (route_output gives a descriptor or in
/// place; false when it refuses the path): such outputs keep no journal and may be shared.
bool is_special_file(const std::filesystem::path& path);

}  // namespace wslcuda
