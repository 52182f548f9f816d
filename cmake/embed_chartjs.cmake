# wslcuda_embed_chartjs(OUTPUT): writes OUTPUT, a C++ file defining wslcuda::kEmbeddedChartJs,
# the bytes of Chart.js (Debian's libjs-chart.js, installed by ci/bootstrap.sh), so that the
# HTML report inlines it and needs no network and no file at run time. Without the file the
# array is empty: the HTML then reads it at run time if it is there, else has tables only.
set(WSLCUDA_CHARTJS /usr/share/javascript/chart.js/chart.min.js CACHE FILEPATH
    "Chart.js (UMD build) inlined into HTML reports")
function(wslcuda_embed_chartjs output)
  set(bytes "")
  set(size 0)
  if(EXISTS ${WSLCUDA_CHARTJS})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${WSLCUDA_CHARTJS})
    file(READ ${WSLCUDA_CHARTJS} text)
    string(FIND "${text}" "</script" closing)
    if(closing EQUAL -1)
      file(READ ${WSLCUDA_CHARTJS} hex HEX)
      string(LENGTH "${hex}" hex_length)
      math(EXPR size "${hex_length} / 2")
      string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
      # One line per 32 bytes keeps the generated file readable by editors.
      string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
      message(STATUS "HTML reports inline ${WSLCUDA_CHARTJS} (${size} bytes)")
    else()
      message(WARNING "${WSLCUDA_CHARTJS} contains \"</script\": not inlined")
    endif()
  else()
    message(STATUS "Chart.js not found (${WSLCUDA_CHARTJS}; Debian package libjs-chart.js): "
                   "HTML reports have tables only")
  endif()
  if(size EQUAL 0)
    set(bytes "0x00")
  endif()
  file(WRITE ${output}.tmp
"// Generated from ${WSLCUDA_CHARTJS} by cmake/embed_chartjs.cmake; do not edit.
#include <cstddef>
namespace wslcuda {
extern const unsigned char kEmbeddedChartJs[];
extern const std::size_t kEmbeddedChartJsSize;
const unsigned char kEmbeddedChartJs[] = {
${bytes}};
const std::size_t kEmbeddedChartJsSize = ${size};
}  // namespace wslcuda
")
  file(COPY_FILE ${output}.tmp ${output} ONLY_IF_DIFFERENT)
  file(REMOVE ${output}.tmp)
endfunction()
