// Reports and baselines, as `wslcuda compare` and `baseline capture` read them.
#include "baseline/baseline.hpp"
#include "baseline/bundled_baselines.hpp"
#include "baseline/documents.hpp"
#include "fuzz_common.hpp"
#include "report/comparison_formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wslcuda::fuzz::run(data, size, [](const wslcuda::json& doc) {
    const wslcuda::comparable_document d = wslcuda::comparable_from_json(doc, "fuzz.json");
    (void)wslcuda::baseline_to_json(d).dump();
  });
}
