# photosync_add_plugin(NAME SOURCES...)
#
# Builds a photosync plugin: a MODULE library named photosync-plugin-NAME.so
# that links photosync::sdk, refuses undefined symbols at link time (so a
# missing one is a build error, not a load failure), and installs into
# <prefix>/lib/photosync/plugins where photosync looks for plugins.
# Shipped with the photosync package for plugin authors; used in-tree too.
include_guard(GLOBAL)
include(GNUInstallDirs)

function(photosync_add_plugin name)
    set(target photosync_plugin_${name})
    add_library(${target} MODULE ${ARGN})
    set_target_properties(${target} PROPERTIES
        PREFIX ""
        OUTPUT_NAME "photosync-plugin-${name}"
        INSTALL_RPATH "$ORIGIN/../..")
    if(DEFINED PHOTOSYNC_PLUGIN_OUTPUT_DIR)
        set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PHOTOSYNC_PLUGIN_OUTPUT_DIR}")
    endif()
    target_link_libraries(${target} PRIVATE photosync::sdk)
    if(TARGET photosync_warnings)
        target_link_libraries(${target} PRIVATE photosync_warnings)
    endif()
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
    install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/photosync/plugins")
endfunction()
