// bandwidth_test: host-to-device, device-to-host and device-to-device copy bandwidth with
// pageable or pinned host memory, every copy checked byte for byte.
// GB/s = bytes copied once / time (D2D counts the bytes once, not read + written).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/sample.cuh"

namespace {

constexpr std::size_t kBytes = std::size_t{32} << 20;  // 32 MiB, as NVIDIA's bandwidthTest
constexpr int kRepeats = 20;

double time_copies(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind,
                   cudaStream_t s) {
  cudaEvent_t start, stop;
  SAMPLE_CHECK(cudaEventCreate(&start));
  SAMPLE_CHECK(cudaEventCreate(&stop));
  SAMPLE_CHECK(cudaMemcpyAsync(dst, src, bytes, kind, s));  // warm-up
  SAMPLE_CHECK(cudaEventRecord(start, s));
  for (int i = 0; i < kRepeats; ++i) SAMPLE_CHECK(cudaMemcpyAsync(dst, src, bytes, kind, s));
  SAMPLE_CHECK(cudaEventRecord(stop, s));
  SAMPLE_CHECK(cudaEventSynchronize(stop));
  float ms = 0.0f;
  SAMPLE_CHECK(cudaEventElapsedTime(&ms, start, stop));
  SAMPLE_CHECK(cudaEventDestroy(start));
  SAMPLE_CHECK(cudaEventDestroy(stop));
  return static_cast<double>(bytes) * kRepeats / (ms * 1e-3) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "bandwidth_test: H2D, D2H and D2D copy bandwidth (32 MiB, 20 copies each), checked.\n"
      "Usage: bandwidth_test [--memory pageable|pinned] [--csv]\n");
  const std::string memory = sample::option(argc, argv, "--memory", "pinned");
  if (memory != "pageable" && memory != "pinned") {
    std::printf("--memory must be pageable or pinned\n");
    return sample::kExitFail;
  }
  const bool csv = sample::has_flag(argc, argv, "--csv");
  sample::require_device();

  unsigned char* host_src = nullptr;
  unsigned char* host_dst = nullptr;
  std::vector<unsigned char> pageable_src, pageable_dst;
  if (memory == "pinned") {
    SAMPLE_CHECK(cudaMallocHost(&host_src, kBytes));
    SAMPLE_CHECK(cudaMallocHost(&host_dst, kBytes));
  } else {
    pageable_src.resize(kBytes);
    pageable_dst.resize(kBytes);
    host_src = pageable_src.data();
    host_dst = pageable_dst.data();
  }
  for (std::size_t i = 0; i < kBytes; ++i) host_src[i] = static_cast<unsigned char>(i * 131 + 7);
  unsigned char *d0 = nullptr, *d1 = nullptr;
  SAMPLE_CHECK(cudaMalloc(&d0, kBytes));
  SAMPLE_CHECK(cudaMalloc(&d1, kBytes));
  cudaStream_t s;
  SAMPLE_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

  const double h2d = time_copies(d0, host_src, kBytes, cudaMemcpyHostToDevice, s);
  const double d2d = time_copies(d1, d0, kBytes, cudaMemcpyDeviceToDevice, s);
  std::memset(host_dst, 0, kBytes);
  const double d2h = time_copies(host_dst, d1, kBytes, cudaMemcpyDeviceToHost, s);
  SAMPLE_CHECK(cudaStreamSynchronize(s));
  const bool same = std::memcmp(host_src, host_dst, kBytes) == 0;

  if (csv) {
    std::printf(
        "direction,memory,bytes,GB/s\nH2D,%s,%zu,%.2f\nD2H,%s,%zu,%.2f\nD2D,device,%zu,%.2f\n",
        memory.c_str(), kBytes, h2d, memory.c_str(), kBytes, d2h, kBytes, d2d);
  } else {
    std::printf("%s host memory, %zu MiB transfers\n", memory.c_str(), kBytes >> 20);
    std::printf(
        "  host to device   %8.2f GB/s\n  device to host   %8.2f GB/s\n  device to device %8.2f "
        "GB/s\n",
        h2d, d2h, d2d);
  }
  SAMPLE_CHECK(cudaStreamDestroy(s));
  SAMPLE_CHECK(cudaFree(d0));
  SAMPLE_CHECK(cudaFree(d1));
  if (memory == "pinned") {
    SAMPLE_CHECK(cudaFreeHost(host_src));
    SAMPLE_CHECK(cudaFreeHost(host_dst));
  }
  if (!same) sample::fail("bandwidth_test: the bytes that came back differ from those sent");
  sample::pass();
}
