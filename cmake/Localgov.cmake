# Helpers shared by every CMakeLists.txt of the project.

# localgov_embed_migrations(<target> <component> <dir>)
# Compiles every <dir>/NNNN_name.sql into the target as a function
#   const std::vector<localgov::Migration>& <component>_migrations()
# so that a binary carries its own schema (the `migrate` subcommand needs no files).
function(localgov_embed_migrations target component dir)
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${component}_migrations.cc")
  # A CMake list would split the command line at its semicolons: pass it joined by commas.
  string(REPLACE ";" "," files_arg "${sql_files}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DCOMPONENT=${component} -DOUT=${out} "-DFILES=${files_arg}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake"
    DEPENDS ${sql_files} "${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake"
    COMMENT "Embedding ${component} migrations"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()

function(localgov_target_defaults target)
  target_compile_options(${target} PRIVATE ${LOCALGOV_WARNINGS})
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}")
endfunction()
