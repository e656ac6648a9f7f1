// The plugin boundary. A plugin is a shared library that exports three C
// functions (use PHOTOSYNC_PLUGIN below). The engine checks the ABI version and
// build key through the first two before it touches any C++ type of the third:
// C++ interfaces cross the boundary, so host and plugin must agree on compiler,
// standard library and Boost version, and the library stays loaded for as long
// as any object it made is alive.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/config.hpp>
#include <boost/version.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "photosync/sdk/authenticator.hpp"
#include "photosync/sdk/destination.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/log.hpp"
#include "photosync/sdk/source.hpp"

// Bumped whenever any type in photosync/sdk changes layout or meaning.
#ifndef PHOTOSYNC_SDK_ABI_VERSION
#define PHOTOSYNC_SDK_ABI_VERSION 1
#endif

#define PHOTOSYNC_SDK_STR2(x) #x
#define PHOTOSYNC_SDK_STR(x) PHOTOSYNC_SDK_STR2(x)

// What else must match for C++ types to be shared: compiler family and major
// version, libstdc++'s string ABI, Boost (Asio's awaitable layout).
#if defined(__clang__)
#define PHOTOSYNC_SDK_COMPILER "clang-" PHOTOSYNC_SDK_STR(__clang_major__)
#elif defined(__GNUC__)
#define PHOTOSYNC_SDK_COMPILER "gcc-" PHOTOSYNC_SDK_STR(__GNUC__)
#else
#define PHOTOSYNC_SDK_COMPILER "unknown"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define PHOTOSYNC_SDK_STDLIB "libstdc++-cxx11abi" PHOTOSYNC_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define PHOTOSYNC_SDK_STDLIB "stdlib"
#endif
#define PHOTOSYNC_SDK_BUILD_KEY                                                        \
    "photosync-sdk-abi-" PHOTOSYNC_SDK_STR(                                            \
        PHOTOSYNC_SDK_ABI_VERSION) ";" PHOTOSYNC_SDK_COMPILER ";" PHOTOSYNC_SDK_STDLIB \
                                   ";boost-" PHOTOSYNC_SDK_STR(BOOST_VERSION)

namespace photosync::sdk {

enum class PluginKind : std::uint8_t { source, destination };

[[nodiscard]] std::string_view to_string(PluginKind kind) noexcept;

// What the engine gives a plugin instance.
struct PluginContext {
    boost::asio::any_io_executor io;        // where the plugin's asynchronous work runs
    boost::asio::any_io_executor blocking;  // a pool for blocking system calls (file I/O)
    LogSink* log = nullptr;                 // never null; outlives the instance
    std::filesystem::path state_dir;        // private, persistent (credentials, caches)
};

// What the user asked for: "folder:/srv/photos" gives location "/srv/photos";
// options come from flags or the config file (keys declared in OptionSpec).
struct PluginConfig {
    std::string location;
    std::map<std::string, std::string, std::less<>> options;
};

// One option a plugin accepts, declared as data so front ends can show help
// and validate config without knowing the plugin.
struct OptionSpec {
    const char* name;
    const char* help;
    const char* default_value;  // nullptr when there is none
    bool secret;                // never shown in logs, errors or listings
};

struct PluginInfo {
    const char* name;  // unique; what users type before ':' ("local", "folder")
    PluginKind kind;
    const char* version;      // the plugin's own version
    const char* description;  // one line
    const OptionSpec* options;
    std::size_t option_count;
    // Exactly one of these is set, matching kind.
    Result<std::unique_ptr<Source>> (*make_source)(const PluginContext&, const PluginConfig&);
    Result<std::unique_ptr<Destination>> (*make_destination)(const PluginContext&,
                                                             const PluginConfig&);
    // Optional (nullptr when the plugin needs no sign-in).
    Result<std::unique_ptr<Authenticator>> (*make_authenticator)(const PluginContext&,
                                                                 const PluginConfig&);
};

}  // namespace photosync::sdk

// The exported entry points; a plugin defines them with PHOTOSYNC_PLUGIN.
#define PHOTOSYNC_PLUGIN_ABI_SYMBOL "photosync_plugin_abi_version"
#define PHOTOSYNC_PLUGIN_KEY_SYMBOL "photosync_plugin_build_key"
#define PHOTOSYNC_PLUGIN_INFO_SYMBOL "photosync_plugin_info"

// Defines the plugin's entry points. `info` is a PluginInfo with static storage.
#define PHOTOSYNC_PLUGIN(info)                                                             \
    extern "C" BOOST_SYMBOL_EXPORT std::uint32_t photosync_plugin_abi_version() noexcept { \
        return PHOTOSYNC_SDK_ABI_VERSION;                                                  \
    }                                                                                      \
    extern "C" BOOST_SYMBOL_EXPORT const char* photosync_plugin_build_key() noexcept {     \
        return PHOTOSYNC_SDK_BUILD_KEY;                                                    \
    }                                                                                      \
    extern "C" BOOST_SYMBOL_EXPORT const ::photosync::sdk::PluginInfo*                     \
    photosync_plugin_info() noexcept {                                                     \
        return &(info);                                                                    \
    }
