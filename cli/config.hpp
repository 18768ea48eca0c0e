// Configuration of the network commands: the library's configuration keys
// (myna/client/configuration.hpp), each settable in the config file (`key = value`), the
// environment (MYNA_KEY) and as a flag (--key); flags win over the environment, the
// environment over the file, the file over the defaults.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "myna/client/configuration.hpp"

namespace myna::cli {

using myna::ConfigKey;

/// Every configuration key, in the order --help lists them.
const std::vector<ConfigKey>& config_keys();

/// "--api-base-url" style flag name (without the dashes) of a key.
std::string flag_name(std::string_view key);

/// Option specs for all keys plus --config FILE (added to every network command).
std::vector<OptionSpec> config_options();

class Config {
 public:
  /// Reads the config file (--config FILE, else $MYNA_CONFIG, else ~/.config/myna/config when
  /// it exists), then the environment, then the flags. A validation error names a bad line,
  /// and refuses a file writable by others or owned by another user than this one or root
  /// (it decides where tokens are sent); a group-writable one gives a warning.
  static Result<Config> load(const Args& args);
  /// Parses the text of a config file (for `myna sandbox`'s own check and the tests).
  static Result<Config> parse(const std::string& text, const std::string& origin, const std::string& base_dir);

  std::string get(const std::string& key) const;  ///< "" when unset (after the tool's defaults)
  bool flag(const std::string& key) const;        ///< true/yes/on/1
  const std::string& file() const noexcept { return settings_.file(); }
  /// Problems worth telling the user that do not stop the command (a group-writable file).
  const std::vector<std::string>& warnings() const noexcept { return settings_.warnings(); }

  /// A usage error when a key the command needs is unset: it says what is missing and, when
  /// nothing at all is configured, where a configuration comes from and how `myna sandbox`
  /// gives a working one.
  Status require(const std::vector<std::string>& keys, const std::string& command) const;

  /// No file, no MYNA_* variable and no configuration flag was found.
  bool nothing_configured() const noexcept { return !configured_; }

  /// The settings with the tool's defaults (token_dir) filled in, as the library reads them.
  const Configuration& settings() const noexcept { return settings_; }

 private:
  Configuration settings_;
  bool configured_ = false;  // a file, a MYNA_* variable or a configuration flag was found
};

/// Writes `key = value` lines through the safe writer (internal/secure_file.hpp), mode 0600.
Status write_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries,
                    const std::string& header_comment);

}  // namespace myna::cli
