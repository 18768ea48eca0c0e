#include "config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "internal/secure_file.hpp"

namespace myna::cli {
namespace {

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string home_path(const char* xdg_variable, const char* fallback) {
  std::string xdg = env(xdg_variable);
  if (!xdg.empty()) return xdg;
  std::string home = env("HOME");
  return home.empty() ? "." : home + "/" + fallback;
}

const ConfigKey* find_key(const std::string& key) {
  for (const ConfigKey& k : config_keys())
    if (key == k.key) return &k;
  return nullptr;
}

std::string env_name(const std::string& key) {
  std::string name = "MYNA_" + key;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

/// Whoever can change the configuration decides where tokens are sent (api_base_url) and which
/// certificates are trusted: refuse a file writable by others or owned by another user (root
/// excepted), warn about one writable by its group.
Status check_config_owner(const std::string& path, const struct stat& st, std::vector<std::string>& warnings) {
  if ((st.st_mode & S_IWOTH) != 0)
    return invalid("the configuration file " + path + " is writable by others: anyone could point your tokens at "
                   "another server; chmod o-w " + path);
  if (st.st_uid != ::geteuid() && st.st_uid != 0)
    return invalid("the configuration file " + path + " is owned by another user (uid " + std::to_string(st.st_uid) +
                   "), who could point your tokens at another server; use a file of your own");
  if ((st.st_mode & S_IWGRP) != 0)
    warnings.push_back("the configuration file " + path + " is writable by its group, whose members could point "
                       "your tokens at another server; chmod g-w " + path);
  return {};
}

/// The file's text; nullopt when it cannot be opened (absent).
Result<std::optional<std::string>> read_config_file(const std::string& path, std::vector<std::string>& warnings) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::optional<std::string>();
  struct stat st {};
  Status checked = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
                       ? check_config_owner(path, st, warnings)
                       : invalid("the configuration file " + path + " is not a regular file");
  std::string text;
  char chunk[4096];
  for (ssize_t n; checked && (n = ::read(fd, chunk, sizeof chunk)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) checked = invalid("cannot read the configuration file " + path);
    else text.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (!checked) return std::move(checked).error();
  return std::optional<std::string>(std::move(text));
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys{
      {"api_base_url", "URL", "the service's API host {sp host} (token, request, result)", false},
      {"authorize_base_url", "URL", "the consent host {app host} the browser is sent to", false},
      {"client_id", "ID", "provider id + service id, e.g. SP00000086_AA0003", false},
      {"provider_number", "DIGITS", "8-digit provider number in telegram ids", false},
      {"redirect_uri", "URL", "the registered consent redirect; loopback for `myna login`", false},
      {"ca_file", "FILE", "CA bundle (PEM) of the service (default: the system's)", true},
      {"client_cert", "FILE", "the provider's client certificate (PEM, mutual TLS)", true},
      {"client_key", "FILE", "its private key (PEM)", true},
      {"proxy", "URL", "HTTP(S) proxy for the service", false},
      {"token_dir", "DIR", "token store, one file per citizen (default ~/.local/share/myna/tokens)", true},
      {"citizen", "KEY", "your key for the citizen (default: default)", false},
      {"notify_listen", "HOST:PORT", "serve completion notifications here (unset: ask for the result after "
                                     "notification_timeout)", false},
      {"notify_path", "PATH", "path of the notification endpoint (default /myna/notify)", false},
      {"notify_cert", "FILE", "TLS certificate of the notification endpoint (PEM)", true},
      {"notify_key", "FILE", "its private key (PEM)", true},
      {"notification_timeout", "SECONDS", "wait this long for the notification (default 300)", false},
      {"use_pkce", "BOOL", "send a PKCE S256 challenge (if your specification asks for it)", false},
      {"supports_refresh", "BOOL", "the token endpoint issues refresh tokens", false},
      {"sandbox", "BOOL", "this configuration points at `myna sandbox`", false},
  };
  return keys;
}

std::string flag_name(const std::string& key) {
  std::string name = key;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::vector<OptionSpec> config_options() {
  std::vector<OptionSpec> options{
      {"config", "FILE", "configuration file (default $MYNA_CONFIG, ~/.config/myna/config)"}};
  for (const ConfigKey& k : config_keys()) options.push_back({flag_name(k.key), k.value_name, k.help});
  return options;
}

Status Config::set(const std::string& key, std::string value, const std::string& base_dir, const std::string& where) {
  const ConfigKey* k = find_key(key);
  if (!k) return invalid(where + ": unknown configuration key '" + key + "'");
  if (k->path && !value.empty() && value[0] != '/' && !base_dir.empty()) value = base_dir + "/" + value;
  values_[key] = std::move(value);
  return {};
}

Result<Config> Config::parse(const std::string& text, const std::string& origin, const std::string& base_dir) {
  Config config;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto eq = t.find('=');
    const std::string where = origin + ":" + std::to_string(number);
    if (eq == std::string::npos) return invalid(where + ": expected `key = value`");
    if (Status st = config.set(trim(t.substr(0, eq)), trim(t.substr(eq + 1)), base_dir, where); !st)
      return std::move(st).error();
  }
  return config;
}

Result<Config> Config::load(const Args& args) {
  std::string path = args.get("config", env("MYNA_CONFIG"));
  bool explicit_path = !path.empty();
  if (!explicit_path) path = home_path("XDG_CONFIG_HOME", ".config") + "/myna/config";
  Config config;
  auto text = read_config_file(path, config.warnings_);
  if (!text) return std::move(text).error();
  if (*text) {
    auto parsed = parse(**text, path, directory_of(path));
    if (!parsed) return parsed;
    parsed->warnings_ = std::move(config.warnings_);
    config = std::move(*parsed);
    config.file_ = path;
  } else if (explicit_path) {
    return invalid("cannot read the configuration file " + path);
  }
  for (const ConfigKey& k : config_keys()) {
    if (std::string v = env(env_name(k.key).c_str()); !v.empty())
      (void)config.set(k.key, v, "", env_name(k.key));
    if (args.has(flag_name(k.key))) (void)config.set(k.key, args.get(flag_name(k.key)), "", "--" + flag_name(k.key));
  }
  return config;
}

std::string Config::get(const std::string& key) const {
  if (auto it = values_.find(key); it != values_.end() && !it->second.empty()) return it->second;
  if (key == "citizen") return "default";
  if (key == "notify_path") return "/myna/notify";
  if (key == "notification_timeout") return "300";
  if (key == "token_dir") return home_path("XDG_DATA_HOME", ".local/share") + "/myna/tokens";
  return "";
}

bool Config::flag(const std::string& key) const {
  std::string v = get(key);
  return v == "true" || v == "yes" || v == "on" || v == "1";
}

Status write_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries,
                    const std::string& header_comment) {
  std::string text = header_comment;
  for (const auto& [key, value] : entries) text += key + " = " + value + "\n";
  if (Status st = internal::atomic_write_path(path, text); !st)
    return Error(ErrorCategory::storage, "cannot write the configuration file " + path + ": " + st.error().message());
  return {};
}

}  // namespace myna::cli
