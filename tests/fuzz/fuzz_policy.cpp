// Gate policy files (--policy).
#include "baseline/policy.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wslcuda::fuzz::run(data, size, [](const wslcuda::json& doc) {
    const wslcuda::gate_policy p = wslcuda::parse_policy(doc, "fuzz.json");
    (void)wslcuda::min_ratio_for(p, "gemm.own.f32.m1024n1024k1024", "gemm");
  });
}
