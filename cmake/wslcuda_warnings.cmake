# Warnings live on an INTERFACE target; nvcc receives the host flags through -Xcompiler
# (the way nvbench does it).
add_library(wslcuda_warnings INTERFACE)
set(_wslcuda_cxx_warnings -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
                          -Wcast-align -Woverloaded-virtual)
# Not -Wnull-dereference: GCC 12 reports false positives inside nlohmann::ordered_map at -O2.
set(_wslcuda_cuda_host_warnings -Wall,-Wextra)
# GCC 12 and later under -fsanitize=address report a false -Wmaybe-uninitialized inside
# libstdc++'s <regex> (the std::function of a _State moved in _NFA::_M_insert_*; GCC bug 105616,
# https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105616): 14 per translation unit that includes
# <regex>, 56 in a passing asan build of wslcuda_core and the unit tests. Only the sanitized
# build drops the warning; every other build (the ci preset, warnings as errors) keeps it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
  list(APPEND _wslcuda_cxx_warnings -Wno-maybe-uninitialized)
endif()
if(WSLCUDA_WARNINGS_AS_ERRORS)
  list(APPEND _wslcuda_cxx_warnings -Werror)
  string(APPEND _wslcuda_cuda_host_warnings ",-Werror")
  set(_wslcuda_cuda_device_warnings -Werror=all-warnings)
endif()
target_compile_options(wslcuda_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:${_wslcuda_cxx_warnings}>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${_wslcuda_cuda_host_warnings} ${_wslcuda_cuda_device_warnings}>)
