// A command's settings come in three layers: flags win over the [jobs.NAME]
// section named by --job, which wins over [defaults]. Shared by sync and watch.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "config_file.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::cli {

class JobLayers {
  public:
    // The layers for --job NAME (empty: flags and [defaults] only). An unknown
    // job is invalid_input, naming the config file.
    static sdk::Result<JobLayers> open(const Config& config, const std::string& job);

    // Sets `field` from the job, else the defaults, unless its flag was given.
    template <class T, class Field>
    void pick(std::optional<T> JobSettings::*member, Field& field, const CLI::Option* flag) const {
        if (flag != nullptr && flag->count() > 0) {
            return;
        }
        if (job_ != nullptr && (job_->*member)) {
            field = *(job_->*member);
        } else if (config_->defaults.*member) {
            field = *(config_->defaults.*member);
        }
    }

    // FOLDER and ALBUM from the job where the command line left them out.
    void fill_folder_album(std::string& folder, std::string& album) const;

  private:
    JobLayers(const Config& config, const JobSettings* job) : config_(&config), job_(job) {}

    const Config* config_;
    const JobSettings* job_;  // nullptr without --job
};

}  // namespace photosync::cli
