#pragma once
// Synthetic workloads that misbehave on purpose, to test the runner, isolation and reports on
// the CPU: `wslcuda run --synthetic --filter 'synthetic.*'` (hidden flag). They need no device.

#include "suite/registry.hpp"

namespace wslcuda {

/// Registers synthetic.ok (passes), synthetic.sleep (sleeps 20 ms per run), synthetic.hang
/// (never returns), synthetic.segfault (SIGSEGV), synthetic.abort (abort()), synthetic.throw
/// (an exception), synthetic.garbage (writes garbage on stdout and exits), synthetic.exit
/// (exits with code 3 mid-run), synthetic.memory (allocates until the address-space limit; it
/// refuses to run without one), synthetic.wrong (fails verification).
void register_synthetic(registry& r);

}  // namespace wslcuda
