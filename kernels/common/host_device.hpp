#pragma once
// WSLCUDA_HOST_DEVICE: a function both the CUDA compiler (as __host__ __device__) and a plain C++
// compiler (as nothing) accept, for formulas shared by kernels and their CPU references. CUDA-free.

#if defined(__CUDACC__)
#define WSLCUDA_HOST_DEVICE __host__ __device__
#else
#define WSLCUDA_HOST_DEVICE
#endif
