#pragma once

namespace wslcuda {
/// wslcuda's version (the CMake project version), e.g. "0.1.0".
const char* tool_version() noexcept;
/// `git describe --always --dirty` of the source tree at build time, or "unknown".
const char* git_revision() noexcept;
}  // namespace wslcuda
