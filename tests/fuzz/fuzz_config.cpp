// The TOML config file (frontends/cli/config_file.cpp, parse_config, with
// toml++ compiled in): any text is a Config or one line naming the file and
// the line ("config FILE:LINE: ..."); a number of jobs read is 1 to 64.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config_file.hpp"
#include "fuzz_support.hpp"

using namespace photosync;

namespace {

void check_jobs(const cli::JobSettings& s) {
    if (s.jobs) {
        PHOTOSYNC_FUZZ_CHECK(*s.jobs >= 1 && *s.jobs <= 64, "jobs out of range");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto config = cli::parse_config(text, "config.toml");
    if (!config) {
        const auto& message = config.error().message;
        PHOTOSYNC_FUZZ_CHECK(config.error().kind == sdk::ErrorKind::invalid_input, message);
        PHOTOSYNC_FUZZ_CHECK(message.starts_with("config config.toml:"), message);
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(message), message);
        return 0;
    }
    check_jobs(config->defaults);
    for (const auto& [name, job] : config->jobs) {
        check_jobs(job);
    }
    return 0;
}
