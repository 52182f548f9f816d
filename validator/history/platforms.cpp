#include "history/platforms.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "history/driver_changes.hpp"
#include "history/queries.hpp"
#include "measure/statistics.hpp"

namespace wslcuda::history {
namespace {

bool usable(const trend_point& p) {
  return p.status == "pass" && p.value && std::isfinite(*p.value) && *p.value > 0 && !p.excluded &&
         !p.interrupted;
}

/// The side of `points` (one row, one platform, one driver).
platform_side side_of(const std::string& driver, const std::vector<const trend_point*>& points) {
  platform_side s;
  s.driver = driver;
  s.runs = points.size();
  std::vector<double> values, spreads;
  for (const trend_point* p : points) {
    values.push_back(*p->value);
    if (p->spread && p->executions >= 2) spreads.push_back(*p->spread);
  }
  s.central_s = median_of(values);
  if (!spreads.empty()) s.execution_spread = median_of(spreads);
  if (values.size() >= 2) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    s.run_spread = (*hi - *lo) / s.central_s;
  }
  return s;
}

/// The newest driver of `drivers` (version → sort key), or `wanted` when it is among them.
std::string chosen_driver(const std::map<std::string, std::int64_t>& drivers,
                          const std::string& wanted) {
  if (!wanted.empty() && drivers.count(wanted) != 0) return wanted;
  std::string best;
  std::int64_t best_key = -1;
  for (const auto& [version, key] : drivers)
    if (key > best_key || (key == best_key && compare_driver_versions(version, best) > 0)) {
      best = version;
      best_key = key;
    }
  return best;
}

}  // namespace

std::vector<platform_pair> compare_platforms(connection& c, const platform_selection& selection) {
  run_filter f;
  f.gpu = selection.gpu;
  const std::vector<trend_point> points = trend(c, {"*"}, f, "median_s");

  // (model, api) → platform → driver version → sort key; and the points per row.
  using level = std::pair<std::string, int>;
  std::map<level, std::map<std::string, std::map<std::string, std::int64_t>>> drivers;
  std::map<std::tuple<std::string, int, std::string, std::string, std::string>,
           std::vector<const trend_point*>>
      by_row;  // (model, api, platform, driver, id) →
  for (const trend_point& p : points) {
    if (!usable(p) || (p.platform != "wsl" && p.platform != "linux")) continue;
    drivers[{p.gpu_model, p.cuda_driver_api}][p.platform][p.driver_version] = p.driver_sort_key;
    by_row[{p.gpu_model, p.cuda_driver_api, p.platform, p.driver_version, p.workload_id}].push_back(
        &p);
  }

  std::vector<platform_pair> out;
  for (const auto& [lvl, platforms] : drivers) {
    const auto wsl = platforms.find("wsl");
    const auto linux_ = platforms.find("linux");
    if (wsl == platforms.end() || linux_ == platforms.end()) continue;
    if (!selection.driver.empty() && wsl->second.count(selection.driver) == 0 &&
        linux_->second.count(selection.driver) == 0)
      continue;
    platform_pair pair;
    pair.gpu_model = lvl.first;
    pair.cuda_driver_api = lvl.second;
    pair.wsl_driver = chosen_driver(wsl->second, selection.driver);
    pair.linux_driver = chosen_driver(linux_->second, selection.driver);
    std::map<std::string, platform_row> rows;
    for (const auto& [key, pts] : by_row) {
      const auto& [model, api, platform, driver, id] = key;
      if (model != pair.gpu_model || api != pair.cuda_driver_api) continue;
      if (platform == "wsl" && driver == pair.wsl_driver)
        rows[id].wsl = side_of(driver, pts);
      else if (platform == "linux" && driver == pair.linux_driver)
        rows[id].linux_ = side_of(driver, pts);
    }
    for (auto& [id, row] : rows) {
      if (row.wsl.runs == 0 || row.linux_.runs == 0) continue;
      row.workload_id = id;
      row.ratio = row.wsl.central_s / row.linux_.central_s;
      pair.rows.push_back(std::move(row));
    }
    if (!pair.rows.empty()) out.push_back(std::move(pair));
  }
  return out;
}

}  // namespace wslcuda::history
