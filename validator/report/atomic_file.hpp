#pragma once

#include <filesystem>
#include <string>

namespace wslcuda {

/// Writes `content` to `path` atomically: a temporary file in the same folder, fsync, rename
/// over `path`, fsync of the folder (so a crash leaves either the old file or the new one).
/// Throws std::runtime_error naming the path and the system error.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// Throws std::runtime_error when a file cannot be created in the folder of `path` (checked
/// before any workload runs, so a bad --json path costs nothing).
void check_writable(const std::filesystem::path& path);

}  // namespace wslcuda
