// One results[] row, as read back from reports and from worker processes.
#include "fuzz_common.hpp"
#include "model/report_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wslcuda::fuzz::run(data, size, [](const wslcuda::json& doc) {
    const wslcuda::result_row r = wslcuda::result_from_json(doc, "fuzz.json");
    (void)wslcuda::to_json(r).dump();
  });
}
