// The real photosync-emulator (tools/gphotos-emulator) as a test fixture:
// started on a free loopback port (HTTPS with a generated CA, plus plain HTTP
// for control calls), waited for until ready, stopped at scope exit.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace photosync::test {

struct HttpReply {
    int status = 0;
    std::string body;
};

class EmulatorProcess {
  public:
    // `program` is the emulator binary; `extra_args` are added to its command line.
    explicit EmulatorProcess(const std::filesystem::path& program,
                             const std::vector<std::string>& extra_args = {});
    ~EmulatorProcess();
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;

    // https://127.0.0.1:PORT (OAuth, API and uploads; certificate from ca_file()).
    [[nodiscard]] const std::string& base_url() const noexcept { return base_url_; }
    [[nodiscard]] std::filesystem::path ca_file() const { return dir_ / "ca.pem"; }
    // A Google "installed" client_secret.json whose endpoints point here.
    [[nodiscard]] std::filesystem::path client_secret_file() const {
        return dir_ / "client_secret.json";
    }
    [[nodiscard]] std::filesystem::path log_file() const { return dir_ / "emulator.log"; }

    // A control call (/__emulator/...) over plain HTTP on loopback.
    HttpReply control(const std::string& method, const std::string& path,
                      const std::string& json_body = {}) const;

  private:
    TempDir dir_;
    pid_t pid_ = -1;
    int https_port_ = 0;
    int http_port_ = 0;
    std::string base_url_;
};

}  // namespace photosync::test
