#pragma once
// /__emulator/* : inspection and run-time control for tests (no auth,
// loopback peers only). See docs/emulator.md for the full API.

#include "app.hpp"
#include "http_types.hpp"

namespace gpe {

Response handle_control(App& app, const Request& req);

}  // namespace gpe
