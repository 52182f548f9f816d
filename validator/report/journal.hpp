#pragma once
// Results appended as they arrive, one JSON object per line, fsync'd, next to the report
// (`<report>.journal`): if wslcuda itself is killed, what ran is still on disk. The journal is
// also the run's lock on its report path: a POSIX record lock on it is held for the whole run.

#include <sys/types.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "model/report_json.hpp"

namespace wslcuda {

/// Another process holds the journal's lock: a second run on the same report path (exit 2).
class journal_busy : public std::runtime_error {
 public:
  journal_busy(const std::string& what, pid_t holder) : std::runtime_error(what), holder_(holder) {}
  pid_t holder() const noexcept { return holder_; }

 private:
  pid_t holder_;
};

class journal {
 public:
  /// Creates `path` and locks it, never writing through a link and never truncating: the file
  /// is created under a temporary name, locked, then linked to `path` only if no such name
  /// exists. An existing journal locked by a live run throws journal_busy naming its PID; one
  /// left by a killed run (or a symbolic link, or anything else in the way) is moved aside to
  /// `<path>.<N>` (first free N) and notes() says where, with how many results it holds (a torn
  /// last line is counted apart, with a warning). Throws std::runtime_error naming the path for
  /// other failures.
  explicit journal(std::filesystem::path path);
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;
  ~journal();
  /// Appends one line and fsyncs. A line that cannot be written whole (disk full) is cut back
  /// off, so the journal never ends in a torn line. Errors are reported once on stderr and then
  /// ignored: the journal is a safety net, not the report.
  void append(const json& line);
  /// Deletes the file (after the final report was written), then closes it (releasing the lock).
  void remove();
  const std::filesystem::path& path() const noexcept { return path_; }
  /// True while the journal file still has a name (false once it or its folder was removed:
  /// then the finished results are not on disk, and no message may say they are).
  bool on_disk() const;
  /// What the constructor did that a user should hear (an earlier journal moved aside).
  const std::vector<std::string>& notes() const noexcept { return notes_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool warned_ = false;
  std::vector<std::string> notes_;
};

/// The PID of a live run that holds the report path `report` (its lock on `<report>.journal`),
/// or 0 when none does (no journal, a journal left by a killed run, or not a regular file).
/// Never creates, follows or changes anything. Call it before this process takes a journal's
/// lock: closing any descriptor of a file drops the caller's own POSIX locks on it.
pid_t report_holder(const std::filesystem::path& report);

/// `<report>.journal` for a report path.
std::filesystem::path journal_path_for(const std::filesystem::path& report);

/// Result lines of a journal's text: every complete line that parses as JSON. A torn or
/// unparsable line is skipped and counted in `skipped` (the last line of a journal whose writer
/// was killed mid-write).
std::vector<json> journal_lines(const std::string& text, std::size_t* skipped = nullptr);

}  // namespace wslcuda
