#include "suite/gpu/cuda_context.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "suite/graph_batch.hpp"

namespace wslcuda {
namespace {

/// The name of a graph node kind in graph_nodes_note (the enumerator of cudaGraphNodeType
/// without its prefix, in snake case).
const char* graph_node_kind_name(cudaGraphNodeType type) {
  switch (type) {
    case cudaGraphNodeTypeKernel:
      return "kernel";
    case cudaGraphNodeTypeMemcpy:
      return "memcpy";
    case cudaGraphNodeTypeMemset:
      return "memset";
    case cudaGraphNodeTypeHost:
      return "host";
    case cudaGraphNodeTypeGraph:
      return "child_graph";
    case cudaGraphNodeTypeEmpty:
      return "empty";
    case cudaGraphNodeTypeWaitEvent:
      return "event_wait";
    case cudaGraphNodeTypeEventRecord:
      return "event_record";
    case cudaGraphNodeTypeExtSemaphoreSignal:
      return "semaphore_signal";
    case cudaGraphNodeTypeExtSemaphoreWait:
      return "semaphore_wait";
    case cudaGraphNodeTypeMemAlloc:
      return "mem_alloc";
    case cudaGraphNodeTypeMemFree:
      return "mem_free";
    default:
      return "other";
  }
}

/// The note on `graph`'s unusual nodes (graph_nodes_note), or "" when they cannot be listed.
std::string describe_nodes(cudaGraph_t graph) {
  std::size_t count = 0;
  if (cudaGraphGetNodes(graph, nullptr, &count) != cudaSuccess) {
    (void)cudaGetLastError();
    return "";
  }
  std::vector<cudaGraphNode_t> nodes(count);
  if (count > 0 && cudaGraphGetNodes(graph, nodes.data(), &count) != cudaSuccess) {
    (void)cudaGetLastError();
    return "";
  }
  std::vector<std::pair<std::string, std::size_t>> kinds;
  for (cudaGraphNode_t node : nodes) {
    cudaGraphNodeType type{};
    if (cudaGraphNodeGetType(node, &type) != cudaSuccess) {
      (void)cudaGetLastError();
      return "";
    }
    const std::string name = graph_node_kind_name(type);
    auto it =
        std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == name; });
    if (it == kinds.end())
      kinds.emplace_back(name, 1);
    else
      ++it->second;
  }
  return graph_nodes_note(kinds);
}

/// Selects the device before the stream and events are created (members are built in order).
int select_device(int device) {
  WSLCUDA_CUDA_CHECK(cudaSetDevice(device));
  WSLCUDA_CUDA_CHECK(cudaFree(nullptr));  // creates the primary context now, outside any timing
  return device;
}
}  // namespace

cuda_context::cuda_context(int device) : device_(select_device(device)) {}

void cuda_context::start_timer() {
  WSLCUDA_CUDA_CHECK(cudaEventRecord(start_.get(), stream_.get()));
}

double cuda_context::stop_timer() {
  WSLCUDA_CUDA_CHECK(cudaEventRecord(stop_.get(), stream_.get()));
  WSLCUDA_CUDA_CHECK(cudaEventSynchronize(stop_.get()));
  float ms = 0.0f;
  WSLCUDA_CUDA_CHECK(cudaEventElapsedTime(&ms, start_.get(), stop_.get()));
  return static_cast<double>(ms) * 1e-3;
}

void cuda_context::synchronize() {
  WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

bool cuda_context::prepare_batch(const std::function<void()>& body, int runs, std::string& note) {
  release_batch();
  const cudaStream_t s = stream_.get();
  cudaError_t e = cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    note = std::string("no CUDA graph: cudaStreamBeginCapture gave ") + cudaGetErrorName(e);
    return false;
  }
  std::string failure;
  try {
    // External event records become event nodes of the graph: the timed interval is inside it.
    WSLCUDA_CUDA_CHECK(cudaEventRecordWithFlags(start_.get(), s, cudaEventRecordExternal));
    for (int i = 0; i < runs; ++i) body();
    WSLCUDA_CUDA_CHECK(cudaEventRecordWithFlags(stop_.get(), s, cudaEventRecordExternal));
  } catch (const std::exception& ex) {
    failure = ex.what();
  } catch (...) {
    failure = "an exception that is not a std::exception";
  }
  cudaGraph_t graph = nullptr;
  e = cudaStreamEndCapture(s, &graph);  // always ends the capture, valid or not
  if (failure.empty() && e != cudaSuccess) failure = cudaGetErrorName(e);
  if (failure.empty()) {
    // Work enqueued on another stream ran eagerly instead of landing in the graph, which would
    // then time two empty event nodes: at least one node per run besides the two events.
    std::size_t nodes = 0;
    e = cudaGraphGetNodes(graph, nullptr, &nodes);
    if (e != cudaSuccess)
      failure = std::string("cudaGraphGetNodes: ") + cudaGetErrorName(e);
    else if (nodes < static_cast<std::size_t>(runs) + 2)
      failure = "the runs enqueued " + std::to_string(nodes - std::min<std::size_t>(nodes, 2)) +
                " graph nodes for " + std::to_string(runs) + " runs (work on another stream?)";
  }
  std::string nodes_note;
  if (failure.empty()) {
    nodes_note = describe_nodes(graph);
    // Auto-free: allocation nodes left unfreed by one launch are freed before the next, which
    // otherwise fails with cudaErrorInvalidValue; free of cost for a graph without any.
    e = cudaGraphInstantiate(&batch_, graph, cudaGraphInstantiateFlagAutoFreeOnLaunch);
    if (e != cudaSuccess) {
      failure = std::string("cudaGraphInstantiate: ") + cudaGetErrorName(e);
      batch_ = nullptr;
    }
  }
  if (graph != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaGraphDestroy(graph));
  if (failure.empty()) {
    e = cudaGraphUpload(batch_, s);  // the first replay should not pay for the upload
    if (e == cudaSuccess) e = cudaStreamSynchronize(s);
    if (e != cudaSuccess) failure = std::string("cudaGraphUpload: ") + cudaGetErrorName(e);
  }
  if (!failure.empty()) {
    (void)cudaGetLastError();  // capture errors are not sticky; leave none behind
    release_batch();
    note = "CUDA graph capture failed (" + failure + "), so launched one by one";
    return false;
  }
  note = "replayed as one CUDA graph between event nodes: no host submission inside the interval";
  if (!nodes_note.empty()) note += " (" + nodes_note + ")";
  return true;
}

double cuda_context::time_prepared_batch(const std::function<void()>& while_running) {
  if (batch_ == nullptr) throw std::logic_error("time_prepared_batch without a prepared batch");
  WSLCUDA_CUDA_CHECK(cudaGraphLaunch(batch_, stream_.get()));
  // The device runs the batch now; both events are nodes inside it, so host work here (an NVML
  // clock reading) is outside the timed interval and sees a busy GPU, not an idle one.
  if (while_running) while_running();
  // The stop event is recorded by a node inside the graph, not by a host-side cudaEventRecord:
  // wait for the stream (the graph is the last work on it), which certainly covers that node,
  // rather than rely on how cudaEventSynchronize treats an event last recorded by a graph node.
  WSLCUDA_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
  float ms = 0.0f;
  WSLCUDA_CUDA_CHECK(cudaEventElapsedTime(&ms, start_.get(), stop_.get()));
  return static_cast<double>(ms) * 1e-3;
}

void cuda_context::release_batch() noexcept {
  if (batch_ != nullptr) WSLCUDA_CUDA_CHECK_NOEXCEPT(cudaGraphExecDestroy(batch_));
  batch_ = nullptr;
}

}  // namespace wslcuda
