# wslcuda_embed_policy(OUTPUT): writes OUTPUT, a C++ file defining wslcuda::kEmbeddedGatePolicy
# as the text of ci/gate-policy.json, so that default_policy() is that file and nothing else.
# Editing the file re-runs the configure step (CMAKE_CONFIGURE_DEPENDS).
function(wslcuda_embed_policy output)
  set(policy ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../ci/gate-policy.json)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${policy})
  file(READ ${policy} text)
  file(CONFIGURE OUTPUT ${output} CONTENT
"// Generated from ci/gate-policy.json by cmake/embed_policy.cmake; do not edit.
namespace wslcuda {
extern const char* const kEmbeddedGatePolicy;
const char* const kEmbeddedGatePolicy = R\"wslcuda_policy(@text@)wslcuda_policy\";
}  // namespace wslcuda
" @ONLY)
endfunction()
