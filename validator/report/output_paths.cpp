#include "report/output_paths.hpp"

#include <sys/stat.h>

#include <filesystem>

namespace wslcuda {
namespace {

struct identity {
  bool exists = false;
  bool special = false;  ///< device, FIFO or socket
  dev_t dev = 0;
  ino_t ino = 0;
  std::string canonical;
};

identity identify(const std::string& path) {
  identity id;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.special = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    id.dev = st.st_dev;
    id.ino = st.st_ino;
  }
  std::error_code ec;
  id.canonical =
      std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec).string();
  if (ec) id.canonical = std::filesystem::absolute(path, ec).lexically_normal().string();
  return id;
}

bool same(const identity& a, const identity& b) {
  if (a.exists && b.exists) return a.dev == b.dev && a.ino == b.ino;
  return a.canonical == b.canonical;
}

}  // namespace

std::string output_conflict(const std::vector<named_path>& outputs,
                            const std::vector<named_path>& inputs) {
  std::vector<std::pair<const named_path*, identity>> outs;
  for (const named_path& o : outputs)
    if (!o.path.empty()) outs.emplace_back(&o, identify(o.path));
  for (std::size_t i = 0; i < outs.size(); ++i) {
    for (std::size_t j = i + 1; j < outs.size(); ++j) {
      if (outs[i].second.special || !same(outs[i].second, outs[j].second)) continue;
      return outs[i].first->flag + " and " + outs[j].first->flag + " name the same file (" +
             outs[j].first->path + "): give each output its own path";
    }
  }
  for (const named_path& in : inputs) {
    if (in.path.empty()) continue;
    const identity id = identify(in.path);
    for (const auto& [o, oid] : outs) {
      if (!same(id, oid)) continue;
      return o->flag + " " + o->path + " is also the input " + in.flag + " " + in.path +
             ": writing it would overwrite what was read";
    }
  }
  return "";
}

}  // namespace wslcuda
