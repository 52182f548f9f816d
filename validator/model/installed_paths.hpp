#pragma once
// Where wslcuda's files lie, found from the folder of the executable itself, so that the Debian
// package (/usr/bin, /usr/share/wslcuda, /usr/lib/wslcuda/samples), `cmake --install` to any
// prefix and a build tree (which stages the same layout under build/<preset>/) all work without a
// flag. The layout is the one the install rules write (cmake/wslcuda_package.cmake):
//
//   <prefix>/bin/wslcuda
//   <prefix>/share/wslcuda/{baselines,schema,gate-policy.json}
//   <prefix>/lib/wslcuda/samples/<sample>      (a build tree: beside wslcuda, in bin/)
//
// CUDA-free; nothing here reads the source tree, so an installed binary never depends on the
// machine it was built on.

#include <filesystem>
#include <vector>

namespace wslcuda {

/// wslcuda's data folder for an executable in `bin_dir`: `<bin_dir>/../share/wslcuda`, lexically
/// normal (/usr/bin → /usr/share/wslcuda). Empty when `bin_dir` is empty. Whether it exists is
/// the caller's question.
std::filesystem::path installed_data_dir(const std::filesystem::path& bin_dir);

/// Folders searched for bundled baselines (`--baseline auto`) by the executable `exe`, in order:
/// $WSLCUDA_BASELINE_DIR when set and not empty, then installed_data_dir(exe's folder)/baselines.
/// Folders that do not exist are listed all the same (the loader skips them).
std::vector<std::filesystem::path> bundled_baseline_dirs(const std::filesystem::path& exe);

/// Folders searched for the cuda_samples programs (`run --samples`) of an executable in
/// `bin_dir`, in order: `<bin_dir>/../lib/wslcuda/samples` (installed), then `bin_dir` itself (a
/// build tree puts the programs beside wslcuda). Empty when `bin_dir` is empty.
std::vector<std::filesystem::path> sample_program_dirs(const std::filesystem::path& bin_dir);

}  // namespace wslcuda
