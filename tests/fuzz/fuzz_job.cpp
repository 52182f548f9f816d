// The job a worker reads on stdin.
#include "fuzz_common.hpp"
#include "model/worker_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wslcuda::fuzz::run(data, size, [](const wslcuda::json& doc) {
    const wslcuda::worker_job j = wslcuda::worker_job_from_json(doc);
    (void)wslcuda::to_json(j).dump();
  });
}
