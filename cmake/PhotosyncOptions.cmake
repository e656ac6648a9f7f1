# Shared compile settings for photosync's own targets. Linked PRIVATE so the
# warnings never leak to consumers of the installed package.
include_guard(GLOBAL)

add_library(photosync_warnings INTERFACE)
target_compile_options(photosync_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Werror
    -Wno-missing-field-initializers)
# GCC 12 at -O1 with sanitizers reports false maybe-uninitialized positives
# inside libstdc++ (<regex>, std::function; e.g. Catch2's own implementation).
# Sanitizer builds keep the warning visible but not fatal; others keep it an error.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13
   AND CMAKE_CXX_FLAGS MATCHES "-fsanitize")
    target_compile_options(photosync_warnings INTERFACE -Wno-error=maybe-uninitialized)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# Plugins are built with the same function plugin authors get from the package.
include(photosyncPlugin)
