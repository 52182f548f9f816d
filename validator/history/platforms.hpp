#pragma once
// WSL against bare metal from the store (issue 24, `wslcuda history platforms`;
// docs/change-points.md, "WSL against bare metal"): for each GPU model and driver present on both
// platforms, per row the ratio of the WSL central time to the Linux one, with what each side
// rests on. Nothing here prints.
//
// WSL names the Windows driver (581.15) and Linux the kernel module's (580.82.07): one release
// has two version strings, so a pair is a GPU model and a CUDA driver API level (13000: CUDA
// 13.0), which both sides report alike. Each side takes its newest driver of that level, or the
// one `driver` names.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "history/store.hpp"

namespace wslcuda::history {

/// Which pairs: every filter that is empty matches everything.
struct platform_selection {
  std::string gpu;     ///< glob over the GPU model, case-insensitive
  std::string driver;  ///< a driver version of either side; its API level's pair, that driver
};

/// One side of a row: its runs on one platform and driver.
struct platform_side {
  std::string driver;    ///< driver version
  std::size_t runs = 0;  ///< usable runs (pass, finite central > 0, neither excluded nor
                         ///< interrupted)
  double central_s = 0;  ///< median of the runs' central times, seconds
  /// Median of the runs' execution spreads ((max − min) / median of the per-execution medians,
  /// as stored); nullopt when no run had two executions or more.
  std::optional<double> execution_spread;
  /// (max − min) / median of the runs' central times; nullopt with one run.
  std::optional<double> run_spread;
};

/// A row measured on both platforms.
struct platform_row {
  std::string workload_id;
  platform_side wsl, linux_;
  double ratio = 0;  ///< wsl.central_s / linux_.central_s: 1.05 is WSL 5 % slower
};

/// One GPU model and driver level with both platforms.
struct platform_pair {
  std::string gpu_model;
  int cuda_driver_api = 0;
  std::string wsl_driver, linux_driver;
  std::vector<platform_row> rows;  ///< by workload id
};

/// The pairs `selection` names, by GPU model then API level (metric median_s). A row is in a
/// pair when both sides have a usable run of it. Throws store_error.
std::vector<platform_pair> compare_platforms(connection& c, const platform_selection& selection);

}  // namespace wslcuda::history
