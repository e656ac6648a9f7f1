#include "folder_job.hpp"

#include "commands.hpp"

namespace photosync::cli {

void add_folder_job_flags(CLI::App& app, FolderJobOptions& o, const FolderJobHelp& help) {
    app.add_option("FOLDER", o.folder, help.folder);
    app.add_option("ALBUM", o.album,
                   "album to put them in (created if missing, reused if it exists)");
    app.add_option("--job", o.job, help.job);
    o.to_flag =
        app.add_option("--to", o.to,
                       "destination: PLUGIN or PLUGIN:LOCATION, e.g. gphotos, folder:/srv/photos")
            ->capture_default_str();
    o.from_flag = app.add_option("--from", o.from, help.from)->capture_default_str();
    app.add_option("-o,--option", o.dest_options,
                   "destination option KEY=VALUE (repeatable; 'photosync plugins -v' lists them)");
    app.add_option("--source-option", o.source_options, "source option KEY=VALUE (repeatable)");
    o.include_flag =
        app.add_option("--include", o.include,
                       "only items matching this glob (repeatable; no '/': file name, else path)");
    o.exclude_flag =
        app.add_option("--exclude", o.exclude, "skip items matching this glob (repeatable; wins)");
    o.bwlimit_flag =
        app.add_option("--bwlimit", o.bwlimit,
                       "limit upload bandwidth, all uploads together: RATE (bytes/s, e.g. 512k, "
                       "2M, 1G; off) or a schedule by local time, e.g. \"08:00,512k 23:00,off\"")
            ->type_name("RATE");
    app.add_flag("--json", o.json, help.json);
    o.jobs_flag = app.add_option("-j,--jobs", o.jobs,
                                 "items uploaded at once (default " +
                                     std::to_string(engine::kDefaultConcurrency) + ")")
                      ->check(CLI::Range(std::size_t{1}, engine::kMaxConcurrency));
}

sdk::Result<JobLayers> resolve_folder_job(const GlobalOptions& global, FolderJobOptions& o) {
    auto layers = JobLayers::open(global.config, o.job);
    if (!layers) {
        return layers;
    }
    layers->pick(&JobSettings::to, o.to, o.to_flag);
    layers->pick(&JobSettings::from, o.from, o.from_flag);
    layers->pick(&JobSettings::jobs, o.jobs, o.jobs_flag);
    layers->pick(&JobSettings::bwlimit, o.bwlimit, o.bwlimit_flag);
    layers->pick(&JobSettings::include, o.include, o.include_flag);
    layers->pick(&JobSettings::exclude, o.exclude, o.exclude_flag);
    layers->fill_folder_album(o.folder, o.album);
    return layers;
}

sdk::Result<FolderJobEndpoints> folder_job_endpoints(
    const GlobalOptions& global, const FolderJobOptions& o, const std::string& folder,
    const std::vector<std::string>& extra_source_options) {
    auto destination = engine::Endpoint::parse(o.to);
    if (!destination) {
        return std::unexpected(destination.error());
    }
    auto source = engine::Endpoint::parse(o.from);
    if (!source) {
        return std::unexpected(source.error());
    }
    source->config.location = folder;
    auto source_options = o.source_options;
    source_options.insert(source_options.end(), extra_source_options.begin(),
                          extra_source_options.end());
    if (auto r = apply_plugin_options(global, o.dest_options, *destination); !r) {
        return std::unexpected(r.error());
    }
    if (auto r = apply_plugin_options(global, source_options, *source); !r) {
        return std::unexpected(r.error());
    }
    return FolderJobEndpoints{std::move(*source), std::move(*destination)};
}

}  // namespace photosync::cli
