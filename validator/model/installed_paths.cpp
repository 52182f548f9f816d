#include "model/installed_paths.hpp"

#include <cstdlib>

namespace wslcuda {

namespace {

/// `<bin_dir>/../<below>`, lexically normal; empty for an empty `bin_dir`.
std::filesystem::path beside(const std::filesystem::path& bin_dir,
                             const std::filesystem::path& below) {
  if (bin_dir.empty()) return {};
  return (bin_dir / ".." / below).lexically_normal();
}

}  // namespace

std::filesystem::path installed_data_dir(const std::filesystem::path& bin_dir) {
  return beside(bin_dir, std::filesystem::path("share") / "wslcuda");
}

std::vector<std::filesystem::path> bundled_baseline_dirs(const std::filesystem::path& exe) {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("WSLCUDA_BASELINE_DIR"); env != nullptr && *env != '\0')
    dirs.emplace_back(env);
  if (!exe.empty()) dirs.push_back(installed_data_dir(exe.parent_path()) / "baselines");
  return dirs;
}

std::vector<std::filesystem::path> sample_program_dirs(const std::filesystem::path& bin_dir) {
  if (bin_dir.empty()) return {};
  return {beside(bin_dir, std::filesystem::path("lib") / "wslcuda" / "samples"), bin_dir};
}

}  // namespace wslcuda
