# Warnings live on an INTERFACE target; nvcc receives the host flags through -Xcompiler
# (the way nvbench does it).
add_library(wslcuda_warnings INTERFACE)
set(_wslcuda_cxx_warnings -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
                          -Wcast-align -Woverloaded-virtual)
# Not -Wnull-dereference: GCC 12 reports false positives inside nlohmann::ordered_map at -O2.
set(_wslcuda_cuda_host_warnings -Wall,-Wextra)
if(WSLCUDA_WARNINGS_AS_ERRORS)
  list(APPEND _wslcuda_cxx_warnings -Werror)
  string(APPEND _wslcuda_cuda_host_warnings ",-Werror")
  set(_wslcuda_cuda_device_warnings -Werror=all-warnings)
endif()
target_compile_options(wslcuda_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:${_wslcuda_cxx_warnings}>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${_wslcuda_cuda_host_warnings} ${_wslcuda_cuda_device_warnings}>)
