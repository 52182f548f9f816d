# Generates version_info.cpp at build time so the git revision in reports is the one built,
# not the one configured. The file is rewritten only when its content changes.
set(WSLCUDA_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
add_custom_target(wslcuda_version_info
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DOUTPUT=${WSLCUDA_GENERATED_DIR}/version_info.cpp
          -DVERSION=${PROJECT_VERSION}
          -P ${PROJECT_SOURCE_DIR}/cmake/write_version_info.cmake
  BYPRODUCTS ${WSLCUDA_GENERATED_DIR}/version_info.cpp
  COMMENT "wslcuda: recording git revision"
  VERBATIM)
