# wslcuda_embed_migrations(OUTPUT): writes OUTPUT, a C++ file defining
# wslcuda::history::kEmbeddedMigrations, the text of every validator/history/migrations/*.sql in
# file-name order (0001_initial.sql, 0002_…), so that a build carries its schema and nothing is
# read from disk at run time. Adding or editing a file re-runs the configure step.
function(wslcuda_embed_migrations output)
  set(dir ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../validator/history/migrations)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT files)
  set(entries "")
  foreach(file ${files})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} text)
    if(text MATCHES "\\)wslcuda_sql\"")
      message(FATAL_ERROR "${file} holds the raw-string delimiter )wslcuda_sql\"")
    endif()
    get_filename_component(name ${file} NAME)
    string(APPEND entries "    {\"${name}\", R\"wslcuda_sql(${text})wslcuda_sql\"},\n")
  endforeach()
  list(LENGTH files count)
  file(CONFIGURE OUTPUT ${output} CONTENT
"// Generated from validator/history/migrations/*.sql by cmake/embed_migrations.cmake; do not edit.
#include <cstddef>

#include \"history/migrate.hpp\"

namespace wslcuda::history {
extern const embedded_migration kEmbeddedMigrations[];
extern const std::size_t kEmbeddedMigrationCount;
const embedded_migration kEmbeddedMigrations[] = {
@entries@};
const std::size_t kEmbeddedMigrationCount = @count@;
}  // namespace wslcuda::history
" @ONLY)
endfunction()
