# The libFuzzer build (PHOTOSYNC_FUZZ=ON, preset "fuzz"): every target of the
# tree is compiled with coverage instrumentation and ASan + UBSan, and only
# the fuzz targets (tests/fuzz) and the libraries they use are built.
#
# Clang 16 or later: libFuzzer is Clang's, and Clang 14/15 cannot compile
# libstdc++ 12's <expected>. Clang 16 implements what <expected> needs
# (conditionally trivial special members, P0848) but still announces
# __cpp_concepts 201907L, which libstdc++ 12 checks before it declares
# std::expected; the fuzz build states the level it has.
include_guard(GLOBAL)

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    message(FATAL_ERROR "PHOTOSYNC_FUZZ needs Clang 16 or later (libFuzzer; std::expected); "
        "got ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}: "
        "configure with the preset 'fuzz' (tools/fuzz does), which uses clang++-16")
endif()

add_compile_options(
    -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer
    -U__cpp_concepts -D__cpp_concepts=202002L)
add_link_options(-fsanitize=address,undefined)
