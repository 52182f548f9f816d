// graph_launch: the same 100 small kernels as a stream of launches and as one CUDA graph
// (captured from the stream), both timed from the host and both checked (each kernel adds 1).
// In WSL every submission crosses to the Windows host, so the gap between the two is larger
// there than on bare-metal Linux.
#include <chrono>
#include <cstdio>
#include <vector>

#include "common/sample.cuh"

namespace {

constexpr int kKernels = 100;
constexpr int kElements = 1 << 16;

__global__ void add_one(int* v, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] += 1;
}

void enqueue(int* v, cudaStream_t s) {
  for (int k = 0; k < kKernels; ++k) add_one<<<kElements / 256, 256, 0, s>>>(v, kElements);
}

}  // namespace

int main(int argc, char** argv) {
  sample::handle_help(
      argc, argv,
      "graph_launch: 100 kernels as stream launches and as a CUDA graph; timings of both.\n");
  sample::require_device();
  int* dv;
  SAMPLE_CHECK(cudaMalloc(&dv, kElements * sizeof(int)));
  SAMPLE_CHECK(cudaMemset(dv, 0, kElements * sizeof(int)));
  cudaStream_t s;
  SAMPLE_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

  enqueue(dv, s);  // warm-up (module load)
  SAMPLE_CHECK(cudaGetLastError());
  SAMPLE_CHECK(cudaStreamSynchronize(s));
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  enqueue(dv, s);
  SAMPLE_CHECK(cudaGetLastError());
  SAMPLE_CHECK(cudaStreamSynchronize(s));
  const double stream_us = std::chrono::duration<double, std::micro>(clock::now() - t0).count();

  cudaGraph_t graph;
  cudaGraphExec_t exec;
  SAMPLE_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
  enqueue(dv, s);
  SAMPLE_CHECK(cudaStreamEndCapture(s, &graph));
  SAMPLE_CHECK(cudaGraphInstantiate(&exec, graph, 0));
  SAMPLE_CHECK(cudaGraphLaunch(exec, s));  // warm-up (upload)
  SAMPLE_CHECK(cudaStreamSynchronize(s));
  t0 = clock::now();
  SAMPLE_CHECK(cudaGraphLaunch(exec, s));
  SAMPLE_CHECK(cudaStreamSynchronize(s));
  const double graph_us = std::chrono::duration<double, std::micro>(clock::now() - t0).count();

  std::vector<int> v(kElements);
  SAMPLE_CHECK(cudaMemcpy(v.data(), dv, kElements * sizeof(int), cudaMemcpyDeviceToHost));
  SAMPLE_CHECK(cudaGraphExecDestroy(exec));
  SAMPLE_CHECK(cudaGraphDestroy(graph));
  SAMPLE_CHECK(cudaStreamDestroy(s));
  SAMPLE_CHECK(cudaFree(dv));
  const int expected = 4 * kKernels;  // warm-up stream, timed stream, graph warm-up, timed graph
  int wrong = 0;
  for (int x : v) wrong += x == expected ? 0 : 1;
  std::printf(
      "[graph_launch] %d kernels: stream launches + sync %.1f us, graph launch + sync %.1f us "
      "(%.2fx)\n",
      kKernels, stream_us, graph_us, stream_us / graph_us);
  if (wrong != 0) sample::fail("graph_launch: " + std::to_string(wrong) + " elements wrong");
  sample::pass();
}
