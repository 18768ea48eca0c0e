// Configuration files: the `key = value` files of the `myna` tool (~/.config/myna/config) and
// of `myna sandbox` (DIR/config), read into ClientOptions and, when the file names a
// notification endpoint, the listener's options. One parser for the library and the tool;
// docs/configuration.md lists every key with the field it sets.
//
//   auto options = myna::load_client_options("/tmp/myna-sb/config");  // Result<ClientOptions>
//
// Values are plain data (const use from several threads is safe).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myna/client/client.hpp"
#include "myna/client/listener.hpp"
#include "myna/export.hpp"

namespace myna {

/// One key of a configuration file.
struct ConfigKey {
  std::string_view key;         ///< e.g. "api_base_url"
  std::string_view value_name;  ///< e.g. "URL"
  std::string_view help;        ///< one line for --help and the docs
  bool path = false;            ///< a relative value in a file is relative to the file's directory
};

/// Every key, in the order the documentation lists them.
MYNA_API const std::vector<ConfigKey>& configuration_keys();

/// The settings of a configuration file, plus whatever the caller sets on top (the `myna`
/// tool adds MYNA_* variables and flags). Errors name the file (or source) and the line,
/// never a value.
class MYNA_API Configuration {
 public:
  /// Reads a file: lines `key = value`, `#` comments, blank lines. A missing or unreadable
  /// file, an unknown key or a malformed line is a validation error naming the file (and line).
  /// The file decides where tokens are sent: one writable by others or owned by another user
  /// (root excepted) is refused; one writable by its group is read with a warning (warnings()).
  static Result<Configuration> load(const std::string& path);
  /// The same from text; `origin` names it in errors, relative paths are resolved against
  /// base_dir ("" keeps them as written).
  static Result<Configuration> parse(std::string_view text, const std::string& origin, const std::string& base_dir);

  /// Sets one key; `where` names the source in an error (e.g. "MYNA_CA_FILE"). A relative path
  /// value is resolved against base_dir when one is given.
  Status set(std::string_view key, std::string value, const std::string& where, const std::string& base_dir = "");
  /// The value as set (nullopt when unset or set to "").
  std::optional<std::string> get(std::string_view key) const;
  /// Where the key was set, e.g. "/tmp/sb/config:3" or "MYNA_CA_FILE" ("" when unset).
  std::string origin(std::string_view key) const;
  /// True when no key is set at all.
  bool empty() const noexcept { return values_.empty(); }
  /// The file read by load() ("" for parse() and for a default-constructed one).
  const std::string& file() const noexcept { return file_; }
  /// Problems worth telling the user that did not stop load() (a group-writable file).
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

  /// The ClientOptions these settings describe: the Profile's hosts, client id, provider
  /// number, redirect URI and switches; the TLS files and proxy of the libcurl transport; the
  /// notification timeout; a file token store in token_dir (unset: the default in-memory store).
  /// Every other field keeps its default. A bad value is a validation error naming the key.
  Result<ClientOptions> client_options() const;
  /// The notification listener's options (host and port of notify_listen, notify_path,
  /// notify_cert, notify_key); nullopt when notify_listen is unset.
  Result<std::optional<ListenerOptions>> listener_options() const;

 private:
  struct Entry {
    std::string value, where;
  };
  std::map<std::string, Entry, std::less<>> values_;
  std::string file_;
  std::vector<std::string> warnings_;
};

/// Configuration::load(path), then client_options().
MYNA_API Result<ClientOptions> load_client_options(const std::string& path);

}  // namespace myna
