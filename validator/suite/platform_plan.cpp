#include "suite/platform_plan.hpp"

#include <stdexcept>

namespace wslcuda {

std::vector<std::size_t> transfer_sizes(bool quick) {
  if (quick) return {kMiB, 256 * kMiB};
  return {4 * kKiB, 64 * kKiB, kMiB, 16 * kMiB, 256 * kMiB, kGiB};
}

std::vector<std::size_t> collective_sizes(bool quick) {
  if (quick) return {kMiB, 256 * kMiB};
  std::vector<std::size_t> sizes;
  for (std::size_t s = 8; s <= kGiB; s *= 8) sizes.push_back(s);
  return sizes;
}

std::string to_string(collective c) {
  switch (c) {
    case collective::all_reduce:
      return "all_reduce";
    case collective::all_gather:
      return "all_gather";
    case collective::reduce_scatter:
      return "reduce_scatter";
    case collective::broadcast:
      return "broadcast";
  }
  return "unknown";
}

double bus_bandwidth_factor(collective c, int ranks) {
  if (ranks < 1) throw std::invalid_argument("bus_bandwidth_factor: ranks < 1");
  const double n = ranks;
  switch (c) {
    case collective::all_reduce:
      return 2.0 * (n - 1.0) / n;
    case collective::all_gather:
    case collective::reduce_scatter:
      return (n - 1.0) / n;
    case collective::broadcast:
      return 1.0;
  }
  return 1.0;
}

std::size_t collective_count(collective c, std::size_t size_bytes, std::size_t element_bytes,
                             int ranks) {
  if (element_bytes == 0 || ranks < 1) return 0;
  const std::size_t elements = size_bytes / element_bytes;
  switch (c) {
    case collective::all_gather:
    case collective::reduce_scatter:
      return elements / static_cast<std::size_t>(ranks);
    case collective::all_reduce:
    case collective::broadcast:
      return elements;
  }
  return elements;
}

std::size_t collective_receive_elements(collective c, std::size_t count, int ranks) noexcept {
  return c == collective::all_gather ? count * static_cast<std::size_t>(ranks) : count;
}

std::size_t collective_send_elements(collective c, std::size_t count, int ranks) noexcept {
  return c == collective::reduce_scatter ? count * static_cast<std::size_t>(ranks) : count;
}

}  // namespace wslcuda
