// Configuration of the network commands: one table of keys, each settable in the config file
// (`key = value`), the environment (MYNA_KEY) and as a flag (--key); flags win over the
// environment, the environment over the file, the file over the defaults.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "args.hpp"

namespace myna::cli {

struct ConfigKey {
  const char* key;         ///< file key; the flag is --key-with-dashes, the variable MYNA_KEY
  const char* value_name;  ///< e.g. "URL"
  const char* help;
  bool path;               ///< relative values in a file are relative to the file's directory
};

/// Every configuration key, in the order --help lists them.
const std::vector<ConfigKey>& config_keys();

/// "--api-base-url" style flag name (without the dashes) of a key.
std::string flag_name(const std::string& key);

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

  std::string get(const std::string& key) const;  ///< "" when unset (after defaults)
  bool flag(const std::string& key) const;       ///< true/yes/on/1
  const std::string& file() const noexcept { return file_; }
  /// Problems worth telling the user that do not stop the command (a group-writable file).
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

 private:
  Status set(const std::string& key, std::string value, const std::string& base_dir, const std::string& where);
  std::map<std::string, std::string> values_;
  std::string file_;
  std::vector<std::string> warnings_;
};

/// Writes `key = value` lines through the safe writer (internal/secure_file.hpp), mode 0600.
Status write_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries,
                    const std::string& header_comment);

}  // namespace myna::cli
