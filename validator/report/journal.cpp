#include "report/journal.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace wslcuda {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

/// The PID holding a write lock on `fd`'s file, or 0 when none.
pid_t lock_holder(int fd) {
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (::fcntl(fd, F_GETLK, &fl) != 0) return 0;
  return fl.l_type == F_UNLCK ? 0 : fl.l_pid;
}

bool lock(int fd) {
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  return ::fcntl(fd, F_SETLK, &fl) == 0;
}

std::string busy_message(const std::filesystem::path& path, pid_t pid) {
  return "another wslcuda run (PID " + std::to_string(pid) + ") is writing the same report (" +
         path.string() + " is locked); give this run another --json path";
}

/// A note on an earlier journal: how many results it held.
std::string describe_old(const std::filesystem::path& old, const std::filesystem::path& moved,
                         std::vector<std::string>& notes) {
  struct stat st {};
  if (::lstat(moved.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return "something else was in the way of the journal " + old.string() + "; moved it to " +
           moved.string();
  std::ifstream in(moved, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::size_t torn = 0;
  const std::size_t rows = journal_lines(ss.str(), &torn).size();
  if (torn > 0)
    notes.push_back("warning: " + moved.string() + ": skipped " + std::to_string(torn) +
                    " torn or malformed line(s) (a run killed mid-write)");
  return "an earlier run left its journal " + old.string() + " (" + std::to_string(rows) +
         " finished result(s)); moved it to " + moved.string() + " so nothing is lost";
}

}  // namespace

std::filesystem::path journal_path_for(const std::filesystem::path& report) {
  return report.string() + ".journal";
}

pid_t report_holder(const std::filesystem::path& report) {
  const int fd = ::open(journal_path_for(report).c_str(),
                        O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return 0;
  struct stat st {};
  const pid_t holder = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? lock_holder(fd) : 0;
  ::close(fd);
  return holder;
}

std::vector<json> journal_lines(const std::string& text, std::size_t* skipped) {
  std::vector<json> out;
  std::size_t bad = 0, start = 0;
  while (start < text.size()) {
    std::size_t eol = text.find('\n', start);
    const bool complete = eol != std::string::npos;
    if (!complete) eol = text.size();
    const std::string line = text.substr(start, eol - start);
    start = eol + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!complete || j.is_discarded()) {
      ++bad;
      continue;
    }
    out.push_back(std::move(j));
  }
  if (skipped != nullptr) *skipped = bad;
  return out;
}

journal::journal(std::filesystem::path path) : path_(std::move(path)) {
  // 1. A new, locked file under a temporary name beside the journal.
  const std::filesystem::path parent =
      path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
  std::string tmpl = (parent / ("." + path_.filename().string() + ".XXXXXX")).string();
  fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC | O_APPEND);
  if (fd_ < 0) fail("cannot create the journal beside", path_);
  if (!lock(fd_)) {
    const int saved = errno;
    ::close(fd_);
    ::unlink(tmpl.c_str());
    errno = saved;
    fail("cannot lock the journal", path_);
  }
  (void)::fchmod(fd_, 0644);
  // 2. link() never replaces and never follows a link at the destination: the journal appears
  // only if nothing has that name. Whatever is there is either a live run's (busy) or is moved
  // aside, never truncated.
  for (int attempt = 0;; ++attempt) {
    if (::link(tmpl.c_str(), path_.c_str()) == 0) break;
    if (errno != EEXIST || attempt >= 8) {
      const int saved = errno;
      ::close(fd_);
      ::unlink(tmpl.c_str());
      errno = saved;
      fail("cannot create the journal", path_);
    }
    const int old = ::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat st {};
    if (old >= 0 && ::fstat(old, &st) == 0 && S_ISREG(st.st_mode)) {
      if (const pid_t holder = lock_holder(old); holder != 0) {
        ::close(old);
        ::close(fd_);
        ::unlink(tmpl.c_str());
        throw journal_busy(busy_message(path_, holder), holder);
      }
    }
    // Move it aside under the first free <path>.<N>; renameat2(RENAME_NOREPLACE) never
    // clobbers an earlier one.
    bool moved = false;
    for (int n = 1; n < 1000 && !moved; ++n) {
      const std::filesystem::path aside = path_.string() + "." + std::to_string(n);
      if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, aside.c_str(), RENAME_NOREPLACE) == 0) {
        moved = true;
        notes_.push_back(describe_old(path_, aside, notes_));
      } else if (errno != EEXIST) {
        break;
      }
    }
    if (old >= 0) ::close(old);
    if (!moved && errno != ENOENT) {
      const int saved = errno;
      ::close(fd_);
      ::unlink(tmpl.c_str());
      errno = saved;
      fail("cannot move aside the earlier journal", path_);
    }
  }
  ::unlink(tmpl.c_str());
}

journal::~journal() {
  if (fd_ >= 0) ::close(fd_);
}

void journal::append(const json& line) {
  if (fd_ < 0) return;
  const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      // No torn line: cut back to the last complete one.
      if (before >= 0) (void)::ftruncate(fd_, before);
      if (!warned_)
        std::cerr << "wslcuda: journal " << path_.string() << ": "
                  << std::strerror(n == 0 ? EIO : saved) << " (the line was cut back off)\n";
      warned_ = true;
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  (void)::fsync(fd_);
}

bool journal::on_disk() const {
  struct stat mine {
  }, named{};
  return fd_ >= 0 && ::fstat(fd_, &mine) == 0 && mine.st_nlink > 0 &&
         ::stat(path_.c_str(), &named) == 0 && named.st_dev == mine.st_dev &&
         named.st_ino == mine.st_ino;
}

void journal::remove() {
  // Unlink while still holding the lock, so no second run can take the name in between.
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace wslcuda
