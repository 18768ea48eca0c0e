// A bounded pipe between a transfer (pushing body chunks from its thread) and the decoder
// (pulling them on the caller's thread as a ByteSource). Memory stays below the capacity.
// A full pipe wakes its producer only once half of it is drained: one hand-off per half
// capacity instead of one per chunk when the decoder is the slower side.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

#include "myna/codec/payload.hpp"

namespace myna::internal {

class ChunkPipe : public ByteSource {
 public:
  explicit ChunkPipe(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

  /// Producer: blocks while the pipe is full; fails once the consumer has gone.
  Status push(std::string_view chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return abandoned_ || queued_ < capacity_; });
    if (abandoned_) {
      refused_ = true;
      return Error(ErrorCategory::cancelled, "the decoder stopped reading the result");
    }
    chunks_.emplace_back(chunk);
    queued_ += chunk.size();
    data_.notify_one();
    return {};
  }

  /// Producer: no more chunks.
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    data_.notify_one();
  }

  /// Whether a push failed because the consumer had gone (the transfer ended for that reason).
  bool refused() {
    std::lock_guard<std::mutex> lock(mu_);
    return refused_;
  }

  /// Consumer: stop; wakes a blocked producer.
  void abandon() {
    std::lock_guard<std::mutex> lock(mu_);
    abandoned_ = true;
    space_.notify_all();
  }

  Result<std::string_view> next() override {
    std::unique_lock<std::mutex> lock(mu_);
    if (!current_.empty()) {
      queued_ -= current_.size();
      current_.clear();
      if (queued_ <= capacity_ / 2) space_.notify_one();
    }
    data_.wait(lock, [&] { return closed_ || !chunks_.empty(); });
    if (chunks_.empty()) return std::string_view{};
    current_ = std::move(chunks_.front());
    chunks_.pop_front();
    return std::string_view(current_);
  }

 private:
  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable space_, data_;
  std::deque<std::string> chunks_;
  std::string current_;
  std::size_t queued_ = 0;  // bytes in chunks_ and current_
  bool closed_ = false, abandoned_ = false, refused_ = false;
};

}  // namespace myna::internal
