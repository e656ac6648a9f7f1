// The engine's fallback log when the embedding program gives none.
#pragma once

#include <memory>

#include "photosync/sdk/log.hpp"

namespace photosync::engine {

std::shared_ptr<sdk::LogSink> make_stderr_log(sdk::LogLevel threshold);

}  // namespace photosync::engine
