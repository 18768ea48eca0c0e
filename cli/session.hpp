// What the network commands share: the Client built from the configuration (file token
// store, mutual TLS), the notification listener, Ctrl-C handling, atomic output files.
#pragma once

#include <csignal>
#include <memory>
#include <string>

#include "config.hpp"
#include "myna/client/client.hpp"
#include "myna/client/listener.hpp"

namespace myna::cli {

/// The client for the configuration (the library's reading of it, plus a telegram-id slot of
/// this run); `verbose` logs the SDK's (redacted) lines to stderr.
Result<std::shared_ptr<Client>> make_client(const Config& config, bool verbose, bool strict = false);

/// Serves the client's notification endpoint on notify_listen; null when it is not set (the
/// client then asks for the result after notification_timeout).
Result<std::unique_ptr<CallbackListener>> start_notification_listener(const Config& config, const Client& client);

/// Blocks SIGINT/SIGTERM in every thread and cancels the returned context when one arrives
/// (a second one ends the process at once). Call before any thread starts.
Context interrupt_context();

/// The stop signals (SIGINT, SIGTERM) with their default action restored (a shell starts
/// background jobs with SIGINT ignored, and an ignored signal never reaches sigwait) and
/// blocked in this thread and every thread started after; wait for them with sigwait.
sigset_t block_stop_signals();

/// Writes a file (records: mode 0600) through the SDK's safe writer: a temp file with an
/// unpredictable name created O_EXCL | O_NOFOLLOW, fsync, rename over the path (a symlink
/// there is replaced, never followed), directory fsync. "-" writes to stdout.
Status write_output(const std::string& path, const std::string& content);

/// Whether a stream (fileno) is a terminal.
bool is_terminal(int fd) noexcept;

}  // namespace myna::cli
