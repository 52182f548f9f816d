#pragma once
// Outputs that must not collide: two outputs naming one file, or an output naming an input,
// would have the last writer win and overwrite what was read. Checked before any work (exit 2).

#include <string>
#include <vector>

namespace wslcuda {

/// A path a command was given, with the flag that gave it (for the message).
struct named_path {
  std::string flag;  ///< e.g. "--json", "--from", "A"
  std::string path;  ///< "" = not given (ignored)
};

/// "" when the outputs are distinct files that are not inputs; else a message naming both flags
/// and the file. Files are the same when they exist as one inode (links and `./x` vs `x`
/// included) or, when new, resolve to the same absolute path. Devices, FIFOs and sockets (written
/// in place: `/dev/null`, `/dev/stdout`) may be shared between outputs, but never be an input.
std::string output_conflict(const std::vector<named_path>& outputs,
                            const std::vector<named_path>& inputs);

}  // namespace wslcuda
