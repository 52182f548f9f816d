#pragma once
// The JIT workloads' kernel, in the two forms the driver and NVRTC compile at run time. Both
// compute what launch_axpy_f32 (platform_kernels.cu) computes, with the same single rounding,
// so the three results must be equal bit for bit. CUDA-free: a CPU test assembles the PTX with
// ptxas and compiles the source with NVRTC.

namespace wslcuda::kernels {

/// Name of the entry point in both forms.
inline constexpr const char* kJitAxpyEntry = "wslcuda_axpy";

/// Hand-written PTX (ISA 7.8, CUDA 11.8, so every CUDA 13 driver's JIT accepts it; target sm_75,
/// the oldest architecture CUDA 13 supports): y[i] = fma.rn(a, x[i], y[i]) for i < n, one
/// thread per element. Parameters: (float* y, const float* x, float a, unsigned n).
inline constexpr const char* kJitAxpyPtx = R"(.version 7.8
.target sm_75
.address_size 64

.visible .entry wslcuda_axpy(
    .param .u64 param_y,
    .param .u64 param_x,
    .param .f32 param_a,
    .param .u32 param_n)
{
    .reg .pred  %p<2>;
    .reg .b32   %r<6>;
    .reg .f32   %f<5>;
    .reg .b64   %rd<8>;

    ld.param.u64    %rd1, [param_y];
    ld.param.u64    %rd2, [param_x];
    ld.param.f32    %f1, [param_a];
    ld.param.u32    %r1, [param_n];
    mov.u32         %r2, %ctaid.x;
    mov.u32         %r3, %ntid.x;
    mov.u32         %r4, %tid.x;
    mad.lo.s32      %r5, %r2, %r3, %r4;
    setp.ge.u32     %p1, %r5, %r1;
    @%p1 bra        DONE;
    cvta.to.global.u64  %rd3, %rd1;
    cvta.to.global.u64  %rd4, %rd2;
    mul.wide.u32    %rd5, %r5, 4;
    add.s64         %rd6, %rd3, %rd5;
    add.s64         %rd7, %rd4, %rd5;
    ld.global.f32   %f2, [%rd7];
    ld.global.f32   %f3, [%rd6];
    fma.rn.f32      %f4, %f1, %f2, %f3;
    st.global.f32   [%rd6], %f4;
DONE:
    ret;
}
)";

/// CUDA C++ source for NVRTC (no includes, extern "C" so the entry keeps its name).
inline constexpr const char* kJitAxpySource = R"(extern "C" __global__ void wslcuda_axpy(
    float* __restrict__ y, const float* __restrict__ x, float a, unsigned n) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = __fmaf_rn(a, x[i], y[i]);
}
)";

}  // namespace wslcuda::kernels
