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

# Plugins are built with the same function plugin authors get from the package.
include(photosyncPlugin)
