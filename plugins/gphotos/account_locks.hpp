// One batchCreate at a time per Google account, across every instance of
// this plugin in the process (two jobs syncing to the same account share it):
// Google answers overlapping batchCreate calls of one user with 429
// "concurrent write request".
//
// The registry is the one piece of process-wide state of the plugin: the SDK
// has no object shared by destination instances, so it lives in this library
// (it is loaded once per process). It holds weak references: a lock lives as
// long as some destination uses it.
#pragma once

#include <filesystem>
#include <memory>

#include "async_semaphore.hpp"

namespace photosync::gphotos {

// The lock of the account whose sign-in is stored in `credentials_file`.
[[nodiscard]] std::shared_ptr<AsyncSemaphore> account_lock(
    const std::filesystem::path& credentials_file);

}  // namespace photosync::gphotos
