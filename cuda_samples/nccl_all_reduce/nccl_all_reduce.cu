// nccl_all_reduce: all-reduce (sum) of 1M floats across every visible GPU in one process
// (ncclCommInitAll; one GPU is fine), NCCL loaded at run time. Inputs are small integers, so
// the sums are exact and every element is compared for equality (nccl-tests' #wrong).
#include <nccl.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/sample.cuh"

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "nccl_all_reduce: all-reduce of 1M floats across all visible GPUs, checked exactly.\n");
  const int ndev = sample::require_device();
  void* lib = sample::load_or_waive("libnccl.so.2", "NCCL");
  const auto init_all = sample::symbol<decltype(&ncclCommInitAll)>(lib, "ncclCommInitAll");
  const auto all_reduce = sample::symbol<decltype(&ncclAllReduce)>(lib, "ncclAllReduce");
  const auto group_start = sample::symbol<decltype(&ncclGroupStart)>(lib, "ncclGroupStart");
  const auto group_end = sample::symbol<decltype(&ncclGroupEnd)>(lib, "ncclGroupEnd");
  const auto destroy = sample::symbol<decltype(&ncclCommDestroy)>(lib, "ncclCommDestroy");
  const auto error_string =
      sample::symbol<decltype(&ncclGetErrorString)>(lib, "ncclGetErrorString");
  auto check = [&](ncclResult_t r, const char* what) {
    if (r != ncclSuccess) sample::fail(std::string(what) + ": " + error_string(r));
  };

  constexpr std::size_t count = 1 << 20;
  std::vector<ncclComm_t> comms(ndev);
  std::vector<int> devices(ndev);
  for (int d = 0; d < ndev; ++d) devices[d] = d;
  check(init_all(comms.data(), ndev, devices.data()), "ncclCommInitAll");
  std::vector<float*> send(ndev), recv(ndev);
  std::vector<cudaStream_t> streams(ndev);
  for (int d = 0; d < ndev; ++d) {
    SAMPLE_CHECK(cudaSetDevice(d));
    SAMPLE_CHECK(cudaMalloc(&send[d], count * sizeof(float)));
    SAMPLE_CHECK(cudaMalloc(&recv[d], count * sizeof(float)));
    std::vector<float> host(count);
    for (std::size_t i = 0; i < count; ++i)
      host[i] = static_cast<float>((i % 97) + d);  // small integers
    SAMPLE_CHECK(cudaMemcpy(send[d], host.data(), count * sizeof(float), cudaMemcpyHostToDevice));
    SAMPLE_CHECK(cudaMemset(recv[d], 0xFF, count * sizeof(float)));
    SAMPLE_CHECK(cudaStreamCreate(&streams[d]));
  }
  check(group_start(), "ncclGroupStart");
  for (int d = 0; d < ndev; ++d)
    check(all_reduce(send[d], recv[d], count, ncclFloat, ncclSum, comms[d], streams[d]),
          "ncclAllReduce");
  check(group_end(), "ncclGroupEnd");
  long wrong = 0;
  for (int d = 0; d < ndev; ++d) {
    SAMPLE_CHECK(cudaSetDevice(d));
    SAMPLE_CHECK(cudaStreamSynchronize(streams[d]));
    std::vector<float> host(count);
    SAMPLE_CHECK(cudaMemcpy(host.data(), recv[d], count * sizeof(float), cudaMemcpyDeviceToHost));
    for (std::size_t i = 0; i < count; ++i) {
      const float expected =
          static_cast<float>(ndev * static_cast<int>(i % 97) + ndev * (ndev - 1) / 2);
      wrong += host[i] == expected ? 0 : 1;
    }
    SAMPLE_CHECK(cudaFree(send[d]));
    SAMPLE_CHECK(cudaFree(recv[d]));
    SAMPLE_CHECK(cudaStreamDestroy(streams[d]));
    destroy(comms[d]);
  }
  std::printf("[nccl_all_reduce] %d GPU(s), %zu floats: #wrong = %ld\n", ndev, count, wrong);
  if (wrong != 0) sample::fail("nccl_all_reduce: wrong sums");
  sample::pass();
}
