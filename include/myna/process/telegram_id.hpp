// Telegram ids: "TL-" + 8-digit provider number + "-" + YYMMDDhhmmss (JST) + "-" + 4 digits
// (29 characters), unique across threads and across instances: instance i of n uses only
// sequence numbers s with s % n == i. When a second's sequence space is used up, ids move on
// to the next second (ahead of the clock) instead of repeating.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "myna/error.hpp"
#include "myna/export.hpp"

namespace myna {

/// Thread-safe: next() may be called from several threads at once.
class MYNA_API TelegramIdGenerator {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// Fails (validation) for a provider number that is not 8 digits or instance >= count.
  static Result<TelegramIdGenerator> create(std::string provider_number, unsigned instance = 0,
                                            unsigned instance_count = 1, Clock clock = {});
  TelegramIdGenerator(TelegramIdGenerator&&) noexcept;
  TelegramIdGenerator& operator=(TelegramIdGenerator&&) noexcept;
  ~TelegramIdGenerator();

  std::string next();

  /// True when id has the profile's shape (TL-NNNNNNNN-YYMMDDhhmmss-NNNN, a real date/time).
  static bool well_formed(std::string_view id);

 private:
  TelegramIdGenerator() = default;
  std::string provider_;
  unsigned instance_ = 0, count_ = 1;
  Clock clock_;
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();
  long long second_ = -1;  // JST seconds of the last id
  unsigned seq_ = 0;       // next sequence number to try within second_
};

}  // namespace myna
