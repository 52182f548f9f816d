#pragma once
// Explicit registry (CUTLASS's initialize_all_* functions, nccl-tests' testColl table): each
// family adds its workloads with register_<family>(registry&, …); nothing registers itself.

#include <memory>
#include <string>
#include <vector>

#include "model/ids.hpp"
#include "suite/workload.hpp"

namespace wslcuda {

class registry {
 public:
  /// Adds a workload; throws std::invalid_argument when its id is already registered or breaks
  /// the id grammar (id_grammar_error).
  void add(std::unique_ptr<workload> w);
  /// Every workload, in registration order.
  const std::vector<std::unique_ptr<workload>>& all() const noexcept { return workloads_; }
  /// Workloads whose id matches `filter`: comma-separated shell globs (fnmatch), any of which
  /// may match; "" and "*" match everything. Registration order is kept.
  std::vector<workload*> matching(const std::string& filter) const;

 private:
  std::vector<std::unique_ptr<workload>> workloads_;
};

}  // namespace wslcuda
