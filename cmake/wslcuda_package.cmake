# Where wslcuda's files go when installed, the same layout staged in the build tree, the man page
# and bash completion generated from the program's help, and the Debian package (CPack DEB).
#
# The layout (validator/model/installed_paths.hpp finds it from the executable's own folder, so
# the package, `cmake --install --prefix ANY` and a build tree all work without a flag):
#   bin/wslcuda
#   share/wslcuda/{baselines/,schema/,gate-policy.json}
#   lib/wslcuda/samples/<cuda_samples programs>
#   share/man/man1/wslcuda.1.gz, share/bash-completion/completions/wslcuda
#   share/doc/wslcuda/{README.md,install.md,copyright,changelog.gz}
#
# One version: project(VERSION) is the binary's (`wslcuda --version`, every report's
# tool.version), the package's and the first entry of cmake/debian/changelog's (checked here).

set(WSLCUDA_DATA_DESTINATION share/wslcuda)
set(WSLCUDA_SAMPLES_DESTINATION lib/wslcuda/samples)
set(WSLCUDA_DOC_DESTINATION share/doc/wslcuda)

# The changelog's first entry names the version and the maintainer: "wslcuda (X) …" and
# " -- Name <address>  date".
file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/debian/changelog changelog_lines)
list(GET changelog_lines 0 changelog_head)
if(NOT changelog_head MATCHES "^wslcuda \\(([^)]+)\\) ")
  message(FATAL_ERROR "cmake/debian/changelog: the first line is not `wslcuda (VERSION) …`")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "cmake/debian/changelog: its newest entry is ${CMAKE_MATCH_1}, the project "
                      "is ${PROJECT_VERSION}: add an entry for ${PROJECT_VERSION}")
endif()
set(changelog_maintainer "")
foreach(line IN LISTS changelog_lines)
  if(line MATCHES "^ -- (.+ <[^>]+>)  ")
    set(changelog_maintainer "${CMAKE_MATCH_1}")
    break()
  endif()
endforeach()

# The build tree mirrors the data folder: build/<preset>/share/wslcuda links to the sources, so
# build/<preset>/bin/wslcuda finds the bundled baselines as an installed one does (and edits to
# reports/baselines count at once).
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/share/wslcuda)
foreach(pair "baselines=reports/baselines" "schema=reports/schema"
             "gate-policy.json=ci/gate-policy.json")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 name)
  list(GET pair 1 source)
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${source} ${PROJECT_BINARY_DIR}/share/wslcuda/${name}
       SYMBOLIC)
endforeach()

install(DIRECTORY reports/schema reports/baselines DESTINATION ${WSLCUDA_DATA_DESTINATION})
install(FILES ci/gate-policy.json DESTINATION ${WSLCUDA_DATA_DESTINATION})
install(FILES README.md docs/install.md DESTINATION ${WSLCUDA_DOC_DESTINATION})
install(FILES cmake/debian/copyright DESTINATION ${WSLCUDA_DOC_DESTINATION})

# gzip -9n (no name, no time stamp): what Debian wants of man pages and changelogs.
find_program(WSLCUDA_GZIP gzip REQUIRED)
set(doc_build_dir ${PROJECT_BINARY_DIR}/share/doc/wslcuda)
add_custom_command(
  OUTPUT ${doc_build_dir}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${doc_build_dir}
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/cmake/debian/changelog
          ${doc_build_dir}/changelog
  COMMAND ${WSLCUDA_GZIP} -9nf ${doc_build_dir}/changelog
  DEPENDS ${PROJECT_SOURCE_DIR}/cmake/debian/changelog
  COMMENT "wslcuda: compressing the changelog"
  VERBATIM)
add_custom_target(wslcuda_changelog ALL DEPENDS ${doc_build_dir}/changelog.gz)
install(FILES ${doc_build_dir}/changelog.gz DESTINATION ${WSLCUDA_DOC_DESTINATION})

if(NOT WSLCUDA_CPU_ONLY)
  install(TARGETS wslcuda RUNTIME DESTINATION bin)
  if(WSLCUDA_BUILD_SAMPLES)
    install(TARGETS ${WSLCUDA_SAMPLES} RUNTIME DESTINATION ${WSLCUDA_SAMPLES_DESTINATION})
  endif()

  # wslcuda(1) and the bash completion, from the built program's own help (cannot drift).
  set(man_page ${PROJECT_BINARY_DIR}/share/man/man1/wslcuda.1)
  set(completion ${PROJECT_BINARY_DIR}/share/bash-completion/completions/wslcuda)
  add_custom_command(
    OUTPUT ${man_page} ${man_page}.gz ${completion}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/share/man/man1
            ${PROJECT_BINARY_DIR}/share/bash-completion/completions
    COMMAND ${CMAKE_COMMAND} -DWSLCUDA=$<TARGET_FILE:wslcuda> -DVERSION=${PROJECT_VERSION}
            -DMAN=${man_page} -DCOMPLETION=${completion} -DGZIP=${WSLCUDA_GZIP}
            -P ${PROJECT_SOURCE_DIR}/cmake/cli_reference.cmake
    DEPENDS wslcuda ${PROJECT_SOURCE_DIR}/cmake/cli_reference.cmake
    COMMENT "wslcuda: man page and bash completion from `wslcuda --help`"
    VERBATIM)
  add_custom_target(wslcuda_cli_reference ALL DEPENDS ${man_page}.gz ${completion})
  install(FILES ${man_page}.gz DESTINATION share/man/man1)
  install(FILES ${completion} DESTINATION share/bash-completion/completions)
endif()

# The Debian package: `cpack --config <build>/CPackConfig.cmake` (ci/package.sh does it for the
# release preset). Dependencies come from dpkg-shlibdeps on what the binaries link (glibc, the
# GCC runtime, pugixml): nothing from CUDA, whose runtime is static and whose libraries are
# loaded at run time when present.
set(WSLCUDA_PACKAGE_MAINTAINER "${changelog_maintainer}"
    CACHE STRING "Maintainer field of the Debian package (default: the changelog's newest entry)")
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE deb_arch
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(deb_arch STREQUAL "")
  set(deb_arch amd64)
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wslcuda)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "checks that CUDA works in WSL 2, correctly and at full speed")
# The extended description (CPack puts the summary above it; an empty line separates paragraphs).
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "wslcuda answers, for someone who has just installed an NVIDIA driver on\n"
  "Windows and opened a WSL 2 shell (and for CI that gates driver releases),\n"
  "whether CUDA works there, correctly and at bare-metal Linux speed. The\n"
  "doctor probes WSL, the Windows driver, libcuda and the CUDA libraries; the\n"
  "run checks GEMM, convolution, reduction, transfer, latency, JIT and NCCL\n"
  "workloads against references and compares them with bundled bare-metal\n"
  "baselines or with the GPU's own peaks. Reports are JSON, JUnit, Markdown\n"
  "and self-contained HTML; the exit code is the verdict.\n"
  "\n"
  "Only the NVIDIA driver is needed: workloads whose library (cuBLAS, cuDNN,\n"
  "NCCL, NVRTC) is missing are skipped, saying how to install it.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${WSLCUDA_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${deb_arch})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_FILE_NAME "wslcuda_${PROJECT_VERSION}_${deb_arch}.deb")
include(CPack)
