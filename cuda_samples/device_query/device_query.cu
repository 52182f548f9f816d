// device_query: the properties of every device that matter for WSL (compute capability, SMs,
// memory, L2, clocks through attributes, watchdog, managed memory, LUID, PCI bus id), and the
// driver and runtime versions.
#include <cstdio>

#include "common/sample.cuh"

namespace {
int attr(cudaDeviceAttr a, int d) {
  int v = 0;
  SAMPLE_CHECK(cudaDeviceGetAttribute(&v, a, d));
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "device_query: prints every CUDA device's properties and the driver and runtime versions.\n"
      "Usage: device_query [--help]\n");
  int driver = 0, runtime = 0;
  SAMPLE_CHECK(cudaRuntimeGetVersion(&runtime));
  SAMPLE_CHECK(cudaDriverGetVersion(&driver));
  std::printf("CUDA driver API %d.%d, runtime %d.%d\n", driver / 1000, driver % 1000 / 10,
              runtime / 1000, runtime % 1000 / 10);
  const int count = sample::require_device();
  for (int d = 0; d < count; ++d) {
    cudaDeviceProp p{};
    SAMPLE_CHECK(cudaGetDeviceProperties(&p, d));
    std::printf("\nDevice %d: %s\n", d, p.name);
    std::printf("  compute capability          %d.%d\n", p.major, p.minor);
    std::printf("  multiprocessors             %d\n", p.multiProcessorCount);
    std::printf("  global memory               %.2f GiB\n",
                static_cast<double>(p.totalGlobalMem) / (1 << 30));
    std::printf("  L2 cache                    %d KiB\n", p.l2CacheSize / 1024);
    std::printf("  SM clock (peak)             %.0f MHz\n", attr(cudaDevAttrClockRate, d) / 1e3);
    std::printf("  memory clock (peak)         %.0f MHz\n",
                attr(cudaDevAttrMemoryClockRate, d) / 1e3);
    std::printf("  memory bus                  %d bits\n",
                attr(cudaDevAttrGlobalMemoryBusWidth, d));
    std::printf("  kernel run-time limit       %s\n",
                attr(cudaDevAttrKernelExecTimeout, d) ? "yes (watchdog/TDR)" : "no");
    std::printf("  managed memory              %s\n",
                attr(cudaDevAttrManagedMemory, d) ? "yes" : "no");
    std::printf("  concurrent managed access   %s\n",
                attr(cudaDevAttrConcurrentManagedAccess, d) ? "yes" : "no");
    std::printf("  PCI bus id                  %04x:%02x:%02x.0\n", p.pciDomainID, p.pciBusID,
                p.pciDeviceID);
    std::printf("  LUID                        ");
    for (int i = 0; i < 8; ++i) std::printf("%02x", static_cast<unsigned char>(p.luid[i]));
    std::printf(" (node mask %u)\n", p.luidDeviceNodeMask);
  }
  sample::pass();
}
