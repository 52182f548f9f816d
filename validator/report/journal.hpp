#pragma once
// Results appended as they arrive, one JSON object per line, fsync'd, next to the report
// (`<report>.journal`): if wslcuda itself is killed, what ran is still on disk.

#include <filesystem>
#include <string>

#include "report/json_report.hpp"

namespace wslcuda {

class journal {
 public:
  /// Opens (truncates) `path`. Throws std::runtime_error naming the path on failure.
  explicit journal(std::filesystem::path path);
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;
  ~journal();
  /// Appends one line and fsyncs. Errors are reported once on stderr and then ignored: the
  /// journal is a safety net, not the report.
  void append(const json& line);
  /// Closes and deletes the file (after the final report was written).
  void remove();
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool warned_ = false;
};

/// `<report>.journal` for a report path.
std::filesystem::path journal_path_for(const std::filesystem::path& report);

}  // namespace wslcuda
