#include "report/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace wslcuda {

std::filesystem::path journal_path_for(const std::filesystem::path& report) {
  return report.string() + ".journal";
}

journal::journal(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error("cannot open journal " + path_.string() + ": " + std::strerror(errno));
}

journal::~journal() {
  if (fd_ >= 0) ::close(fd_);
}

void journal::append(const json& line) {
  if (fd_ < 0) return;
  const std::string text = line.dump() + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!warned_)
        std::cerr << "wslcuda: journal " << path_.string() << ": " << std::strerror(errno) << "\n";
      warned_ = true;
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  (void)::fsync(fd_);
}

void journal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace wslcuda
