#include "job_request.hpp"

#include <set>

#include "photosync/engine/bandwidth.hpp"
#include "photosync/engine/endpoint.hpp"

namespace photosync::server {

using nlohmann::json;

namespace {

// "[json.exception.parse_error.101] parse error at line 1, column 2: ..." without the prefix.
std::string parse_message(const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (auto close = what.find("] "); what.starts_with("[json.exception") && close != what.npos) {
        what.erase(0, close + 2);
    }
    return "malformed JSON: " + what;
}

sdk::Result<void> bad(std::string message) {
    return sdk::fail(sdk::ErrorKind::invalid_input, std::move(message));
}

sdk::Result<std::string> string_field(const json& body, const char* name, bool required) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             std::string("'") + name + "' is missing");
        }
        return std::string();
    }
    if (!it->is_string()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         std::string("'") + name + "' must be a string");
    }
    auto value = it->get<std::string>();
    if (required && value.empty()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         std::string("'") + name + "' must not be empty");
    }
    return value;
}

sdk::Result<std::vector<std::string>> string_list(const json& body, const char* name) {
    std::vector<std::string> out;
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return out;
    }
    if (it->is_string()) {
        out.push_back(it->get<std::string>());  // one pattern without brackets
        return out;
    }
    if (!it->is_array()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         std::string("'") + name + "' must be a list of glob patterns");
    }
    for (const auto& v : *it) {
        if (!v.is_string() || v.get<std::string>().empty()) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             std::string("'") + name + "' must hold non-empty strings");
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

// Option values may be strings, numbers or booleans (as in the config file).
sdk::Result<void> apply_options(const json& body, const char* name, engine::Endpoint& endpoint) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return {};
    }
    if (!it->is_object()) {
        return bad(std::string("'") + name + "' must be an object of KEY: VALUE");
    }
    for (const auto& [key, value] : it->items()) {
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_boolean()) {
            text = value.get<bool>() ? "true" : "false";
        } else if (value.is_number_integer() || value.is_number_float()) {
            text = value.dump();
        } else {
            return bad(std::string("option '") + key + "' in '" + name +
                       "' must be a string, number or boolean");
        }
        endpoint.config.options.insert_or_assign(key, text);
    }
    return {};
}

void apply_config_options(const JobDefaults& defaults, engine::Endpoint& endpoint) {
    if (defaults.plugin_options == nullptr) {
        return;
    }
    if (auto it = defaults.plugin_options->find(endpoint.plugin);
        it != defaults.plugin_options->end()) {
        for (const auto& [k, v] : it->second) {
            endpoint.config.options.insert_or_assign(k, v);
        }
    }
}

// "watch": true keeps the job running: new files go up as they appear, each
// once unchanged for "settle_ms" (as `photosync watch --settle`).
sdk::Result<void> read_watch_fields(const json& body, const engine::JobSpec& spec, JobInfo& info) {
    if (auto it = body.find("watch"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) {
            return bad("'watch' must be true or false");
        }
        info.watch = it->get<bool>();
    }
    if (auto it = body.find("settle_ms"); it != body.end() && !it->is_null()) {
        if (!info.watch) {
            return bad("'settle_ms' is for watch jobs: add \"watch\": true");
        }
        constexpr std::int64_t kMaxSettleMs = 24LL * 3600 * 1000;
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
            it->get<std::int64_t>() > kMaxSettleMs) {
            return bad("'settle_ms' must be a whole number of milliseconds from 0 to " +
                       std::to_string(kMaxSettleMs));
        }
        info.watch_options.settle = std::chrono::milliseconds(it->get<std::int64_t>());
    }
    if (info.watch && spec.dry_run) {
        return bad("'dry_run' and 'watch' do not go together: a watch uploads as files appear");
    }
    return {};
}

}  // namespace

sdk::Result<BuiltJob> build_job(const json& body, const PathPolicy& paths,
                                const JobDefaults& defaults) {
    if (!body.is_object()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "the body must be a JSON object such as "
                         "{\"folder\": \"/home/ana/Pictures/Trip\", \"album\": \"Trip\"}");
    }
    static const std::set<std::string> known{"folder",         "album",   "to",      "jobs",
                                             "include",        "exclude", "dry_run", "options",
                                             "source_options", "bwlimit", "watch",   "settle_ms"};
    static const std::set<std::string> after_upload_fields{"move_to", "delete_after_upload"};
    for (const auto& [key, value] : body.items()) {
        if (!known.contains(key) && !after_upload_fields.contains(key) &&
            key != "max_requests_per_day") {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "unknown field '" + key +
                                 "' (known: folder, album, to, jobs, include, exclude, dry_run, "
                                 "options, source_options, bwlimit, move_to, "
                                 "delete_after_upload, max_requests_per_day, watch, settle_ms)");
        }
    }
    auto folder = string_field(body, "folder", true);
    if (!folder) {
        return std::unexpected(folder.error());
    }
    auto album = string_field(body, "album", true);
    if (!album) {
        return std::unexpected(album.error());
    }
    auto to = string_field(body, "to", false);
    if (!to) {
        return std::unexpected(to.error());
    }
    BuiltJob built;
    auto& spec = built.spec;
    spec.album = *album;
    spec.concurrency = defaults.concurrency;
    if (auto it = body.find("jobs"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
            it->get<std::int64_t>() > static_cast<std::int64_t>(engine::kMaxConcurrency)) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "'jobs' must be a whole number from 1 to " +
                                 std::to_string(engine::kMaxConcurrency));
        }
        spec.concurrency = it->get<std::size_t>();
    }
    if (auto it = body.find("dry_run"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) {
            return sdk::fail(sdk::ErrorKind::invalid_input, "'dry_run' must be true or false");
        }
        spec.dry_run = it->get<bool>();
    }
    if (auto it = body.find("delete_after_upload"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "'delete_after_upload' must be true or false");
        }
        spec.delete_after_upload = it->get<bool>();
    }
    // This job's own limit, on top of any the server has for all its jobs.
    if (auto it = body.find("bwlimit"); it != body.end() && !it->is_null()) {
        if (!it->is_string()) {
            return sdk::fail(
                sdk::ErrorKind::invalid_input,
                "'bwlimit' must be a string such as \"2M\" or \"08:00,512k 23:00,off\"");
        }
        auto schedule = engine::parse_bandwidth(it->get<std::string>());
        if (!schedule) {
            return std::unexpected(schedule.error());
        }
        spec.bwlimit = std::move(*schedule);
        built.info.bwlimit = it->get<std::string>();
    }
    if (auto r = read_watch_fields(body, spec, built.info); !r) {
        return std::unexpected(r.error());
    }
    for (auto [name, list] : {std::pair{"include", &spec.include}, {"exclude", &spec.exclude}}) {
        auto patterns = string_list(body, name);
        if (!patterns) {
            return std::unexpected(patterns.error());
        }
        *list = std::move(*patterns);
    }

    auto source_path = paths.check(*folder, "folder");
    if (!source_path) {
        return std::unexpected(source_path.error());
    }
    spec.source.plugin = "local";
    spec.source.config.location = source_path->string();
    // After upload, files go only where the server may write.
    auto move_to = string_field(body, "move_to", false);
    if (!move_to) {
        return std::unexpected(move_to.error());
    }
    if (!move_to->empty()) {
        auto checked = paths.check(*move_to, "move_to folder");
        if (!checked) {
            return std::unexpected(checked.error());
        }
        spec.move_to = checked->string();
    }

    auto destination = engine::Endpoint::parse(to->empty() ? defaults.destination : *to);
    if (!destination) {
        return std::unexpected(destination.error());
    }
    // A destination written as a path (folder:/srv/photos) is held to the
    // same roots as the source: the server must not write just anywhere.
    const auto& location = destination->config.location;
    if (!location.empty() && (location.front() == '/' || location.front() == '~')) {
        auto checked = paths.check(location, "destination folder");
        if (!checked) {
            return std::unexpected(checked.error());
        }
        destination->config.location = checked->string();
    }
    spec.destination = std::move(*destination);
    apply_config_options(defaults, spec.source);
    apply_config_options(defaults, spec.destination);
    if (auto r = apply_options(body, "options", spec.destination); !r) {
        return std::unexpected(r.error());
    }
    if (auto r = apply_options(body, "source_options", spec.source); !r) {
        return std::unexpected(r.error());
    }
    // The daily request budget of Google Photos, as `sync --max-requests-per-day`.
    if (auto it = body.find("max_requests_per_day"); it != body.end() && !it->is_null()) {
        if (!it->is_number_unsigned()) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "'max_requests_per_day' must be a whole number (0: no budget)");
        }
        if (spec.destination.plugin != "gphotos") {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "'max_requests_per_day' is for the gphotos destination (this job "
                             "goes to '" +
                                 spec.destination.plugin + "')");
        }
        spec.destination.config.options.insert_or_assign("max_requests_per_day",
                                                         std::to_string(it->get<std::uint64_t>()));
    }

    built.info.folder = spec.source.config.location;
    built.info.album = spec.album;
    built.info.destination = spec.destination.to_string();
    built.info.dry_run = spec.dry_run;
    built.info.concurrency = spec.concurrency == 0 ? engine::kDefaultConcurrency : spec.concurrency;
    built.info.include = spec.include;
    built.info.exclude = spec.exclude;
    return built;
}

sdk::Result<BuiltJob> parse_job_request(std::string_view body, const PathPolicy& paths,
                                        const JobDefaults& defaults) {
    json doc;
    try {
        doc = json::parse(body);
    } catch (const json::exception& e) {
        // Not only parse_error: a number too large for a double ("1e9999")
        // is out_of_range.406, which escaped to the session's catch-all as a
        // 500 "internal error" (found by tests/fuzz/fuzz_server_request).
        return sdk::fail(sdk::ErrorKind::invalid_input, parse_message(e));
    }
    return build_job(doc, paths, defaults);
}

}  // namespace photosync::server
