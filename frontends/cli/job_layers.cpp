#include "job_layers.hpp"

namespace photosync::cli {

sdk::Result<JobLayers> JobLayers::open(const Config& config, const std::string& job) {
    if (job.empty()) {
        return JobLayers(config, nullptr);
    }
    auto it = config.jobs.find(job);
    if (it == config.jobs.end()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "no job '" + job + "' in " +
                             (config.file.empty() ? std::string("the config (no config file found)")
                                                  : config.file.string()));
    }
    return JobLayers(config, &it->second);
}

void JobLayers::fill_folder_album(std::string& folder, std::string& album) const {
    if (job_ == nullptr) {
        return;
    }
    if (folder.empty() && job_->folder) {
        folder = *job_->folder;
    }
    if (album.empty() && job_->album) {
        album = *job_->album;
    }
}

}  // namespace photosync::cli
