#include "account_locks.hpp"

#include <map>
#include <mutex>
#include <string>

namespace photosync::gphotos {

std::shared_ptr<AsyncSemaphore> account_lock(const std::filesystem::path& credentials_file) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<AsyncSemaphore>> locks;
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(credentials_file, ec);
    auto key = (ec ? credentials_file : canonical).string();
    std::lock_guard lock(mutex);
    std::erase_if(locks, [](const auto& entry) { return entry.second.expired(); });
    auto& slot = locks[key];
    auto existing = slot.lock();
    if (!existing) {
        existing = std::make_shared<AsyncSemaphore>(1);
        slot = existing;
    }
    return existing;
}

}  // namespace photosync::gphotos
