#include "connection_set.hpp"

#include <boost/asio/post.hpp>
#include <vector>

namespace photosync::server {

void ConnectionSet::add(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex_);
    c->id = next_id_++;
    open_.emplace(c->id, c);
}

void ConnectionSet::remove(const Connection& c) {
    {
        std::lock_guard lock(mutex_);
        open_.erase(c.id);
    }
    changed_.notify_all();
}

std::size_t ConnectionSet::size() const {
    std::lock_guard lock(mutex_);
    return open_.size();
}

void ConnectionSet::close_all() {
    std::vector<std::shared_ptr<Connection>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, w] : open_) {
            if (auto c = w.lock()) {
                all.push_back(std::move(c));
            }
        }
    }
    for (const auto& c : all) {
        boost::asio::post(c->stream.get_executor(), [c] {
            boost::system::error_code ignored;
            c->stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
            c->stream.close();
        });
    }
}

bool ConnectionSet::wait_empty(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return open_.empty(); });
}

}  // namespace photosync::server
