#pragma once
// SHA-256 on a helper thread for large request bodies: the connection's io
// thread only copies each read into a bounded ring of buffers and goes back
// to the socket while the helper hashes, so receiving and hashing overlap.
// Memory stays bounded (kSlots × kSlotBytes) whatever the upload size.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sha256.hpp"

namespace gpe {

class HashPipeline {
  public:
    static constexpr std::size_t kSlots = 4;
    static constexpr std::size_t kSlotBytes = 1 << 20;

    HashPipeline();
    ~HashPipeline();
    HashPipeline(const HashPipeline&) = delete;
    HashPipeline& operator=(const HashPipeline&) = delete;

    // Copies the bytes in; waits only while every slot is still being hashed.
    void feed(const char* p, std::size_t n);
    // Waits for everything fed so far and returns the digest (hex).
    std::string finish_hex();

  private:
    void run();

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::vector<char>> queue_;  // filled, waiting to be hashed
    std::vector<std::vector<char>> free_;  // empty slots
    std::size_t allocated_ = 0;
    bool busy_ = false;
    bool stop_ = false;
    Sha256 hasher_;
    std::thread worker_;
};

}  // namespace gpe
