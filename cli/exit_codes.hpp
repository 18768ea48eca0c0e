// Exit codes of `myna` (docs/cli.md) and the one place that maps error categories to them.
#pragma once

#include <string>
#include <string_view>

#include "myna/error.hpp"

namespace myna::cli {

enum ExitCode : int {
  kOk = 0,
  kInternal = 1,       ///< a bug or an unexpected condition
  kUsage = 2,          ///< bad command line, configuration or input (validation)
  kConsent = 3,        ///< consent needed: no token, grant over, denied, card certificate expired
  kNetwork = 4,        ///< network, TLS or timeout
  kService = 5,        ///< the service answered with an error, maintenance, rate limiting, protocol
  kData = 6,           ///< malformed record data (decode)
  kStorage = 7,        ///< token store or output files
  kPartial = 8,        ///< sync finished, some citizens failed
  kInterrupted = 130,  ///< Ctrl-C / SIGTERM
};

int exit_code(ErrorCategory category) noexcept;

/// What to do about an error of this category, for the CLI user.
std::string_view advice(ErrorCategory category) noexcept;

/// Prints "myna: <doing>: <error>" and the advice to stderr; returns the exit code.
int report(const Error& error, std::string_view doing);

/// Prints "myna: <message>" and "(see myna <command> --help)" to stderr; returns kUsage.
int usage_error(std::string_view command, std::string_view message);

/// Prints a command's --help text to stdout; returns kOk.
int print_help(const struct CommandSpec& spec);

}  // namespace myna::cli
