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

# localgov_service_code(<target>): code that runs inside a service. Under clang (the fuzz build,
# which CI runs) an object with static storage that needs a destructor at exit is an error: when
# the process exits with worker threads still running (libFuzzer's exit, a crash handler), the
# exit handlers would free a string or map that a worker is still reading. A function's static
# is built the first time it runs, often on a worker thread, and is freed before anything
# registered earlier (rpc_fuzz's StopWorld): CI's rpc_fuzz once freed the delivery worker's SQL
# text under it. Write such a constant as a reference to an object never freed:
#   static const std::string& kSql = *new std::string(absl::StrCat(...));
# gcc has no such warning; the rule is checked by the clang build.
function(localgov_service_code target)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(${target} PRIVATE -Werror=exit-time-destructors)
  endif()
endfunction()
