#pragma once
// The JSON type every wslcuda document uses, and the error every reader throws.

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace wslcuda {

/// Keys keep their insertion order, so documents diff cleanly and read in a fixed order.
using json = nlohmann::ordered_json;

/// A malformed input document. what() names the source and the JSON pointer of the problem,
/// e.g. "report.json: /results/3/status: expected one of pass, warn, fail, skip, error".
class input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wslcuda
