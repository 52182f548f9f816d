#include "dynload/library_loader.hpp"

#include <dlfcn.h>
#include <glob.h>
#include <link.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace wslcuda {
namespace {

std::vector<std::string> glob_dirs(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), GLOB_ONLYDIR | GLOB_NOSORT, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return out;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

void push_unique(std::vector<std::string>& out, std::set<std::string>& seen,
                 const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return;
  const std::string canonical = std::filesystem::weakly_canonical(dir, ec).string();
  if (seen.insert(ec ? dir : canonical).second) out.push_back(dir);
}

std::vector<std::string> python_sys_path() {
  std::vector<std::string> out;
  // Only site-packages from the interpreter users run; quiet and bounded output.
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen("python3 -c 'import sys; print(\"\\n\".join(p for p in sys.path if "
            "p.endswith(\"-packages\")))' 2>/dev/null",
            "r"),
      pclose);
  if (!pipe) return out;
  char line[4096];
  while (std::fgets(line, sizeof line, pipe.get()) != nullptr && out.size() < 64) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

}  // namespace

library_spec libcuda_spec() {
  return {"cuda", {"libcuda.so.1"}, {}, false};
}

library_spec cublas_spec() {
  return {"cublas", {"libcublas.so.13"}, {"nvidia/cublas/lib", "nvidia/cu13/lib"}, true};
}

library_spec cudnn_spec() {
  return {"cudnn", {"libcudnn.so.9"}, {"nvidia/cudnn/lib", "nvidia/cu13/lib"}, true};
}

library_spec nccl_spec() {
  return {"nccl", {"libnccl.so.2"}, {"nvidia/nccl/lib", "nvidia/cu13/lib"}, true};
}

library_spec nvrtc_spec() {
  return {"nvrtc", {"libnvrtc.so.13"}, {"nvidia/cuda_nvrtc/lib", "nvidia/cu13/lib"}, true};
}

library_spec nvml_spec() {
  return {"nvml", {"libnvidia-ml.so.1"}, {}, false};
}

namespace {

std::vector<std::string> scan_site_packages() {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::vector<std::string> prefixes;
  for (const char* var : {"VIRTUAL_ENV", "CONDA_PREFIX"})
    if (!env(var).empty()) prefixes.push_back(env(var));
  const std::string home = env("HOME");
  if (!home.empty()) prefixes.push_back(home + "/.local");
  const std::string pyenv_root = env("PYENV_ROOT").empty() ? home + "/.pyenv" : env("PYENV_ROOT");
  for (const std::string& v : glob_dirs(pyenv_root + "/versions/*")) prefixes.push_back(v);
  prefixes.push_back("/usr/local");
  prefixes.push_back("/usr");
  for (const std::string& prefix : prefixes)
    for (const char* kind : {"site-packages", "dist-packages"})
      for (const std::string& dir : glob_dirs(prefix + "/lib/python3*/" + kind))
        push_unique(out, seen, dir);
  push_unique(out, seen, "/usr/lib/python3/dist-packages");
  bool any_nvidia = false;
  for (const std::string& dir : out) any_nvidia |= std::filesystem::is_directory(dir + "/nvidia");
  if (!any_nvidia)
    for (const std::string& dir : python_sys_path()) push_unique(out, seen, dir);
  return out;
}

}  // namespace

const std::vector<std::string>& python_site_packages() {
  static const std::vector<std::string> dirs = scan_site_packages();  // thread-safe, once
  return dirs;
}

std::vector<std::string> library_search_dirs(const library_spec& spec) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  push_unique(out, seen, "/usr/lib/wsl/lib");
  if (spec.search_toolkit) {
    const std::string cuda_home = env("CUDA_HOME").empty() ? env("CUDA_PATH") : env("CUDA_HOME");
    std::vector<std::string> roots;
    if (!cuda_home.empty()) roots.push_back(cuda_home);
    roots.push_back("/usr/local/cuda");
    for (const std::string& r : glob_dirs("/usr/local/cuda-*")) roots.push_back(r);
    for (const std::string& r : roots)
      for (const char* sub :
           {"/lib64", "/lib", "/targets/x86_64-linux/lib", "/targets/sbsa-linux/lib"})
        push_unique(out, seen, r + sub);
  }
  if (!spec.wheel_dirs.empty()) {
    for (const std::string& site : python_site_packages())
      for (const std::string& wheel : spec.wheel_dirs) push_unique(out, seen, site + "/" + wheel);
  }
  return out;
}

std::string loaded_path(void* handle) {
  if (handle == nullptr) return "";
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr || map->l_name == nullptr)
    return "";
  std::error_code ec;
  const auto real = std::filesystem::canonical(map->l_name, ec);
  return ec ? std::string(map->l_name) : real.string();
}

loaded_library load_library(const library_spec& spec) {
  loaded_library out;
  out.record.name = spec.name;
  auto attempt = [&](const std::string& what) {
    out.record.searched.push_back(what);
    dlerror();
    void* h = dlopen(what.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      const char* err = dlerror();
      out.record.error = err != nullptr ? err : "dlopen failed";
      return false;
    }
    out.handle = h;
    out.record.loaded = true;
    out.record.error.clear();
    out.record.path = loaded_path(h);
    return true;
  };
  for (const std::string& soname : spec.sonames)
    if (attempt(soname)) return out;
  std::string missing_error = out.record.error;
  for (const std::string& dir : library_search_dirs(spec)) {
    for (const std::string& soname : spec.sonames) {
      const std::string candidate = dir + "/" + soname;
      std::error_code ec;
      if (!std::filesystem::exists(candidate, ec)) {
        out.record.searched.push_back(candidate);
        continue;
      }
      if (attempt(candidate)) return out;
      missing_error = out.record.error;  // present but broken: keep that reason
    }
  }
  out.record.error = missing_error.empty() ? spec.sonames.front() + " not found" : missing_error;
  return out;
}

const loaded_library& load_library_once(const library_spec& spec) {
  static std::mutex mutex;
  static std::map<std::string, loaded_library> loaded;
  std::string key;
  for (const std::string& soname : spec.sonames) key += soname + ";";
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(key);
  if (it == loaded.end()) it = loaded.emplace(key, load_library(spec)).first;
  return it->second;
}

}  // namespace wslcuda
