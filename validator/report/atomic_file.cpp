#include "report/atomic_file.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wslcuda {
namespace {

std::filesystem::path folder_of(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path,
                       int error = errno) {
  throw output_error(what + " " + path.string() + ": " + std::strerror(error), error);
}

/// Writes all of `content` to `fd`; false with errno set on failure.
bool write_all(int fd, const std::string& content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) {
      errno = EIO;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

/// A Unix socket cannot be open()ed: connect to it instead (stream, then datagram).
int open_socket(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::strcpy(addr.sun_path, path.c_str());
  for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
    const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return fd;
    const int saved = errno;
    ::close(fd);
    errno = saved;
  }
  return -1;
}

/// A device, FIFO or socket: written in place (`tee`), never renamed over.
void write_in_place(const std::filesystem::path& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 && errno == ENXIO) fd = open_socket(path);  // /dev/stdout on a socket, too
  if (fd < 0) fail("cannot open", path);
  if (!write_all(fd, content)) {
    const int saved = errno;
    ::close(fd);
    fail("cannot write", path, saved);
  }
  if (::close(fd) != 0 && errno != EINTR) fail("cannot close", path);
}

}  // namespace

bool is_special_file(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  if (path.empty()) throw output_error("an empty output path", EINVAL);
  if (is_special_file(path)) return write_in_place(path, content);
  const std::filesystem::path dir = folder_of(path);
  std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) fail("cannot create a temporary file beside", path);
  // On any failure the temporary file goes: nothing torn is left behind.
  const auto give_up = [&](const char* what) {
    const int saved = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    fail(what, path, saved);
  };
  if (!write_all(fd, content)) give_up("cannot write");
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) give_up("cannot sync");
  if (::close(fd) != 0 && errno != EINTR) {
    const int saved = errno;
    ::unlink(tmpl.c_str());
    fail("cannot close", path, saved);
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmpl.c_str());
    fail("cannot rename onto", path, saved);
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);  // best effort: some file systems (9p on /mnt/c) refuse it
    ::close(dfd);
  }
}

void check_writable(const std::filesystem::path& path) {
  if (path.empty()) throw std::runtime_error("an empty path is not a file path");
  const std::filesystem::path dir = folder_of(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error(path.string() + " is a directory, not a file path");
  if (is_special_file(path)) {
    // Written in place: it needs write permission on itself, not on its folder.
    if (::access(path.c_str(), W_OK) != 0)
      throw std::runtime_error(path.string() + " is not writable: " + std::strerror(errno));
    return;
  }
  if (!std::filesystem::is_directory(dir, ec))
    throw std::runtime_error("folder " + dir.string() + " does not exist (for " + path.string() +
                             ")");
  if (::access(dir.c_str(), W_OK) != 0)
    throw std::runtime_error("folder " + dir.string() +
                             " is not writable: " + std::strerror(errno));
}

}  // namespace wslcuda
