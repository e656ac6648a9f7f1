#pragma once
// SHA-256 on a helper thread for large request bodies: the connection's io
// thread only copies each read into a bounded ring of buffers and goes back
// to the socket while the helper hashes into the target hasher, so receiving
// and hashing overlap. Memory stays bounded (kSlots × kSlotBytes).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "sha256.hpp"

namespace gpe {

class HashPipeline {
  public:
    static constexpr std::size_t kSlots = 4;
    static constexpr std::size_t kSlotBytes = 1 << 20;
    // Bodies at least this large are worth a helper thread.
    static constexpr std::uint64_t kWorthwhileBytes = 1 << 20;

    // `target` must outlive the pipeline and not be touched until drain().
    explicit HashPipeline(Sha256& target);
    ~HashPipeline();  // drains, then stops the helper
    HashPipeline(const HashPipeline&) = delete;
    HashPipeline& operator=(const HashPipeline&) = delete;

    // Copies the bytes in; waits only while every slot is still being hashed.
    void feed(const char* p, std::size_t n);
    // Waits until everything fed so far is in the target hasher.
    void drain();

  private:
    void run();

    Sha256& target_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::vector<char>> queue_;  // filled, waiting to be hashed
    std::vector<std::vector<char>> free_;  // empty slots
    std::size_t allocated_ = 0;
    bool busy_ = false;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace gpe
