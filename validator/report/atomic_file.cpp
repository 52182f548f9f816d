#include "report/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "model/json_reader.hpp"

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
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A descriptor the caller left non-blocking (a pipe): wait until it takes more.
      pollfd ready{fd, POLLOUT, 0};
      if (::poll(&ready, 1, -1) < 0 && errno != EINTR) return false;
      continue;
    }
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

/// N when `text` is a descriptor number (digits only, within int), else nullopt.
std::optional<int> descriptor_number(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::atoi(text.c_str());
}

/// The descriptor `p` names when it is one of this process's descriptor links (`p`'s folder
/// already resolved, so /dev/fd and /proc/self appear as /proc/<pid>/fd).
std::optional<int> descriptor_named(const std::string& p) {
  if (p == "/dev/stdin") return 0;
  if (p == "/dev/stdout") return 1;
  if (p == "/dev/stderr") return 2;
  const std::string pid = std::to_string(::getpid());
  for (const std::string& folder : {std::string("/dev/fd/"), std::string("/proc/self/fd/"),
                                    std::string("/proc/thread-self/fd/"), "/proc/" + pid + "/fd/"})
    if (p.rfind(folder, 0) == 0) return descriptor_number(p.substr(folder.size()));
  // /proc/<pid>/task/<tid>/fd/N: a thread of this process (they share the descriptor table).
  const std::string task = "/proc/" + pid + "/task/";
  if (p.rfind(task, 0) == 0) {
    const std::size_t fd = p.find("/fd/", task.size());
    if (fd != std::string::npos &&
        descriptor_number(p.substr(task.size(), fd - task.size())).has_value())
      return descriptor_number(p.substr(fd + 4));
  }
  return std::nullopt;
}

/// `path` with its folder resolved (realpath), or nullopt when the folder does not resolve.
std::optional<std::filesystem::path> with_real_folder(const std::filesystem::path& path) {
  const std::filesystem::path abs = std::filesystem::absolute(path).lexically_normal();
  const std::filesystem::path name = abs.filename();
  if (name.empty() || name == "." || name == "..") return std::nullopt;
  char buf[PATH_MAX];
  if (::realpath(abs.parent_path().c_str(), buf) == nullptr) return std::nullopt;
  return std::filesystem::path(buf) / name;
}

/// The descriptor `path` names, through up to 40 symbolic links (the kernel's own limit), each
/// step judged with its folder resolved; nullopt when the chain ends elsewhere.
std::optional<int> descriptor_behind(const std::filesystem::path& path) {
  std::filesystem::path p = path;
  for (int hop = 0; hop <= 40; ++hop) {
    const std::optional<std::filesystem::path> real = with_real_folder(p);
    if (!real) return std::nullopt;
    if (const std::optional<int> fd = descriptor_named(real->string())) return fd;
    struct stat st {};
    if (::lstat(real->c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return std::nullopt;
    char target[PATH_MAX];
    const ssize_t n = ::readlink(real->c_str(), target, sizeof target - 1);
    if (n <= 0) return std::nullopt;
    target[n] = '\0';
    const std::filesystem::path next(target);
    p = next.is_absolute() ? next : real->parent_path() / next;
  }
  return std::nullopt;
}

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& why) {
  throw std::runtime_error(path.string() + " " + why);
}

/// True when `folder` (resolved) is /dev or /proc or below, /dev/shm excepted.
bool in_system_folder(const std::string& folder) {
  const auto under = [&](const std::string& root) {
    return folder == root || folder.rfind(root + "/", 0) == 0;
  };
  return (under("/dev") && !under("/dev/shm")) || under("/proc") || under("/sys");
}

}  // namespace

output_target route_output(const std::filesystem::path& path) {
  output_target out;
  if (path.empty()) return out;
  if (const std::optional<int> fd = descriptor_behind(path)) {
    const int flags = ::fcntl(*fd, F_GETFL);
    if (flags < 0) refuse(path, "names descriptor " + std::to_string(*fd) + ", which is not open");
    if ((flags & O_ACCMODE) == O_RDONLY)
      refuse(path, "names descriptor " + std::to_string(*fd) + ", which is open for reading only");
    struct stat st {};
    if (::fstat(*fd, &st) == 0 && S_ISBLK(st.st_mode))
      refuse(path, "names descriptor " + std::to_string(*fd) +
                       ", a block device: wslcuda never writes a disk device");
    if (::fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode))
      refuse(path, "names descriptor " + std::to_string(*fd) + ", a directory");
    out.route = output_route::descriptor;
    out.fd = *fd;
    return out;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISBLK(st.st_mode))
      refuse(path, "is a block device (or a link to one): wslcuda never writes a disk device");
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) out.route = output_route::in_place;
  }
  return out;
}

bool is_special_file(const std::filesystem::path& path) {
  try {
    return route_output(path).route != output_route::file;
  } catch (const std::runtime_error&) {
    return false;
  }
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  if (path.empty()) throw output_error("an empty output path", EINVAL);
  output_target target;
  try {
    target = route_output(path);
  } catch (const std::runtime_error& e) {
    throw output_error(e.what(), EINVAL);
  }
  if (target.route == output_route::descriptor) {
    if (!write_all(target.fd, content)) fail("cannot write", path);
    return;
  }
  if (target.route == output_route::in_place) return write_in_place(path, content);
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

std::string json_document_text(const json& doc, const std::filesystem::path& path) {
  const std::uintmax_t limit = input_limits{}.max_bytes;
  std::string text = doc.dump(2) + "\n";
  if (text.size() <= limit) return text;
  text = doc.dump() + "\n";
  if (text.size() <= limit) return text;
  throw output_error("not writing " + path.string() + ": the document would be " +
                         std::to_string(text.size()) + " bytes even without indentation, more " +
                         "than the " + std::to_string(limit) +
                         "-byte limit wslcuda reads documents up to",
                     EFBIG);
}

void check_writable(const std::filesystem::path& path) {
  if (path.empty()) throw std::runtime_error("an empty path is not a file path");
  const std::filesystem::path dir = folder_of(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error(path.string() + " is a directory, not a file path");
  const output_target target = route_output(path);  // throws for what is never written
  if (target.route == output_route::descriptor) return;
  if (target.route == output_route::in_place) {
    // Written in place: it needs write permission on itself, not on its folder.
    if (::access(path.c_str(), W_OK) != 0)
      throw std::runtime_error(path.string() + " is not writable: " + std::strerror(errno));
    return;
  }
  if (!std::filesystem::is_directory(dir, ec))
    throw std::runtime_error("folder " + dir.string() + " does not exist (for " + path.string() +
                             ")");
  char real[PATH_MAX];
  if (::realpath(dir.c_str(), real) != nullptr && in_system_folder(real))
    throw std::runtime_error(path.string() + " would be a new or replaced file in " + real +
                             ": only devices and descriptors (e.g. /dev/stdout) are written "
                             "there, and nothing in /dev, /proc or /sys is created or replaced");
  if (::access(dir.c_str(), W_OK) != 0)
    throw std::runtime_error("folder " + dir.string() +
                             " is not writable: " + std::strerror(errno));
  errno = 0;
  const long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  const std::size_t limit = name_max > 0 ? static_cast<std::size_t>(name_max) : NAME_MAX;
  const std::size_t name = path.filename().native().size();
  if (name + kTemporarySiblingExtraBytes > limit)
    throw std::runtime_error(
        "the file name of " + path.string() + " is " + std::to_string(name) +
        " bytes: its temporary sibling (." + "NAME.XXXXXX, " +
        std::to_string(name + kTemporarySiblingExtraBytes) + " bytes) would exceed the limit of " +
        std::to_string(limit) + " bytes of its file system; give a name of at most " +
        std::to_string(limit > kTemporarySiblingExtraBytes ? limit - kTemporarySiblingExtraBytes
                                                           : 0) +
        " bytes");
}

}  // namespace wslcuda
