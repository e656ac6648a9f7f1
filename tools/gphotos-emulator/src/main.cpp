// photosync-emulator: Google Photos Library API emulator (see docs/emulator.md).
#include <cstdio>
#include <exception>

#include "app.hpp"
#include "cli.hpp"
#include "http_server.hpp"

int main(int argc, char** argv) {
    auto parsed = gpe::parse_command_line(argc, argv);
    if (!parsed.config)
        return parsed.exit_code;
    try {
        gpe::App app(*parsed.config);
        if (!app.load_state())
            return 1;
        gpe::Server server(app);
        server.listen();
        server.run();
        app.save_state();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "photosync-emulator: %s\n", e.what());
        return 1;
    }
}
