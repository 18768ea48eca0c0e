// A ByteSource that hands out a body in chunks of given sizes (for streaming tests).
#pragma once

#include <string>
#include <vector>

#include "myna/codec/payload.hpp"

namespace myna::test {

class ChunkedSource : public ByteSource {
 public:
  ChunkedSource(std::string body, std::vector<std::size_t> sizes) : body_(std::move(body)), sizes_(std::move(sizes)) {}
  Result<std::string_view> next() override {
    if (pos_ >= body_.size()) return std::string_view{};
    std::size_t n = sizes_.empty() ? body_.size() : sizes_[call_++ % sizes_.size()];
    if (n == 0) n = 1;
    n = std::min(n, body_.size() - pos_);
    // Copy into a fresh buffer so a decoder that keeps a stale view is caught by ASan.
    chunk_.assign(body_, pos_, n);
    pos_ += n;
    return std::string_view(chunk_);
  }

 private:
  std::string body_;
  std::vector<std::size_t> sizes_;
  std::string chunk_;
  std::size_t pos_ = 0, call_ = 0;
};

}  // namespace myna::test
