// Logging is a callback the application sets per client. The SDK logs methods, URL paths
// (never query strings), status codes, telegram ids, process ids and timings; never bodies,
// tokens, codes, keys or record values.
#pragma once

#include <functional>
#include <string_view>

#include "myna/core_export.hpp"

namespace myna {

enum class LogLevel { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

MYNA_CORE_API const char* to_string(LogLevel level) noexcept;

/// Receives one formatted line per event (already free of secrets and PHI). The SDK calls it
/// from any thread and from several at once (batch workers, the listener, the notification
/// handler): a sink must be thread-safe.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

/// A sink with a threshold; cheap to copy. log() is as thread-safe as the sink; a Logger is
/// not changed after construction.
class Logger {
 public:
  Logger() = default;
  Logger(LogSink sink, LogLevel level) : sink_(std::move(sink)), level_(level) {}
  bool enabled(LogLevel level) const noexcept { return sink_ && level >= level_; }
  void log(LogLevel level, std::string_view message) const {
    if (enabled(level)) sink_(level, message);
  }

 private:
  LogSink sink_;
  LogLevel level_ = LogLevel::off;
};

}  // namespace myna
