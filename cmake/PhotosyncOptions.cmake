# Shared compile settings for photosync's own targets. Linked PRIVATE so the
# warnings never leak to consumers of the installed package.
include_guard(GLOBAL)

add_library(photosync_warnings INTERFACE)
target_compile_options(photosync_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Werror
    -Wno-missing-field-initializers)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# photosync_add_plugin(NAME SOURCES...): a MODULE library loaded through
# Boost.DLL, named photosync-plugin-NAME.so and placed where the engine's
# search path finds it in the build tree and after install.
function(photosync_add_plugin name)
    set(target photosync_plugin_${name})
    add_library(${target} MODULE ${ARGN})
    set_target_properties(${target} PROPERTIES
        PREFIX ""
        OUTPUT_NAME "photosync-plugin-${name}"
        LIBRARY_OUTPUT_DIRECTORY "${PHOTOSYNC_PLUGIN_OUTPUT_DIR}"
        INSTALL_RPATH "$ORIGIN/../..")
    target_link_libraries(${target} PRIVATE photosync::sdk photosync_warnings)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
    install(TARGETS ${target} LIBRARY DESTINATION "${PHOTOSYNC_PLUGIN_INSTALL_DIR}")
endfunction()
