#include "myna/client/configuration.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

#include "internal/host_port.hpp"
#include "internal/secure_file.hpp"
#include "internal/text.hpp"
#include "myna/secret.hpp"

namespace myna {
namespace {

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

const ConfigKey* find_key(std::string_view key) {
  for (const ConfigKey& k : configuration_keys())
    if (key == k.key) return &k;
  return nullptr;
}

// A key is named in an error only when it looks like one (a pasted secret never is echoed).
std::string quoted_key(std::string_view key) {
  const bool plain = !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return plain ? "'" + std::string(key) + "'" : "(a key that is no identifier)";
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

bool is_true(std::string_view v) { return v == "true" || v == "yes" || v == "on" || v == "1"; }
bool is_false(std::string_view v) { return v == "false" || v == "no" || v == "off" || v == "0"; }

}  // namespace

const std::vector<ConfigKey>& configuration_keys() {
  static const std::vector<ConfigKey> keys{
      {"api_base_url", "URL", "the service's API host {sp host} (token, request, result)", false},
      {"authorize_base_url", "URL", "the consent host {app host} the browser is sent to", false},
      {"client_id", "ID", "provider id + service id, e.g. SP00000086_AA0003", false},
      {"provider_number", "DIGITS", "8-digit provider number in telegram ids", false},
      {"redirect_uri", "URL", "the registered consent redirect; loopback for `myna login`", false},
      {"consent_types_parameter", "NAME",
       "authorize parameter naming the information types asked for (default scope; empty: none, every grant "
       "covers all types)",
       false},
      {"ca_file", "FILE", "CA bundle (PEM) of the service (default: the system's)", true},
      {"client_cert", "FILE", "the provider's client certificate (PEM, mutual TLS)", true},
      {"client_key", "FILE", "its private key (PEM)", true},
      {"proxy", "URL", "HTTP(S) proxy for the service", false},
      {"token_dir", "DIR", "token store, one file per citizen (myna: default ~/.local/share/myna/tokens)", true},
      {"citizen", "KEY", "myna: your key for the citizen (default: default)", false},
      {"notify_listen", "HOST:PORT",
       "serve completion notifications here (unset: ask for the result after notification_timeout)", false},
      {"notify_path", "PATH", "path of the notification endpoint (default /myna/notify)", false},
      {"notify_cert", "FILE", "TLS certificate of the notification endpoint (PEM)", true},
      {"notify_key", "FILE", "its private key (PEM)", true},
      {"notify_client_ca", "FILE", "notifier authentication: CA (PEM) whose client certificates may notify", true},
      {"notify_client_names", "NAMES", "with notify_client_ca: the certificate names accepted (comma-separated)",
       false},
      {"notify_allowed_networks", "CIDRS", "addresses allowed to notify, e.g. 203.0.113.0/24 (comma-separated)", false},
      {"notify_path_secret_file", "FILE",
       "a file (readable by you only) holding the secret path segment notifications must carry", true},
      {"notification_timeout", "SECONDS", "wait this long for the notification (default 300)", false},
      {"use_pkce", "BOOL", "send a PKCE S256 challenge (if your specification asks for it)", false},
      {"supports_refresh", "BOOL", "the token endpoint issues refresh tokens", false},
      {"sandbox", "BOOL", "this configuration points at `myna sandbox`", false},
  };
  return keys;
}

Status Configuration::set(std::string_view key, std::string value, const std::string& where,
                          const std::string& base_dir) {
  const ConfigKey* k = find_key(key);
  if (!k) return invalid(where + ": unknown configuration key " + quoted_key(key));
  if (k->path && !value.empty() && value[0] != '/' && !base_dir.empty()) value = base_dir + "/" + value;
  values_[std::string(key)] = Entry{std::move(value), where};
  return {};
}

std::optional<std::string> Configuration::get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.value.empty()) return std::nullopt;
  return it->second.value;
}

std::string Configuration::origin(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string() : it->second.where;
}

Result<Configuration> Configuration::parse(std::string_view text, const std::string& origin,
                                           const std::string& base_dir) {
  Configuration config;
  int number = 0;
  for (std::size_t start = 0; start <= text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // a file written on Windows
    line = internal::trim_ows(line);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = origin + ":" + std::to_string(number + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return invalid(where + ": expected `key = value`");
    const std::string_view key = internal::trim_ows(line.substr(0, eq));
    const std::string value(internal::trim_ows(line.substr(eq + 1)));
    if (Status st = config.set(key, value, where, base_dir); !st) return std::move(st).error();
  }
  return config;
}

namespace {

/// Whoever can change the configuration decides where tokens are sent (api_base_url) and which
/// certificates are trusted: refuse a file writable by others or owned by another user (root
/// excepted), warn about one writable by its group.
Status check_config_owner(const std::string& path, const struct stat& st, std::vector<std::string>& warnings) {
  if ((st.st_mode & S_IWOTH) != 0)
    return invalid("the configuration file " + path +
                   " is writable by others: anyone could point your tokens at "
                   "another server; chmod o-w " +
                   path);
  if (st.st_uid != ::geteuid() && st.st_uid != 0)
    return invalid("the configuration file " + path + " is owned by another user (uid " + std::to_string(st.st_uid) +
                   "), who could point your tokens at another server; use a file of your own");
  if ((st.st_mode & S_IWGRP) != 0)
    warnings.push_back("the configuration file " + path +
                       " is writable by its group, whose members could point "
                       "your tokens at another server; chmod g-w " +
                       path);
  return {};
}

/// The text of a regular file that passes check_config_owner.
Result<std::string> read_config_file(const std::string& path, std::vector<std::string>& warnings) {
  return internal::read_checked_file(
      path, SIZE_MAX, [&](const struct stat& st) { return check_config_owner(path, st, warnings); },
      [&](internal::FileReadFault fault) {
        return invalid(fault == internal::FileReadFault::not_regular
                           ? "the configuration file " + path + " is not a regular file"
                           : "cannot read the configuration file " + path);
      });
}

}  // namespace

Result<Configuration> Configuration::load(const std::string& path) {
  std::vector<std::string> warnings;
  auto text = read_config_file(path, warnings);
  if (!text) return std::move(text).error();
  auto parsed = parse(*text, path, directory_of(path));
  if (!parsed) return parsed;
  parsed->file_ = path;
  parsed->warnings_ = std::move(warnings);
  return parsed;
}

namespace {

// "FILE:LINE: key …" — where the bad value was set, never the value.
Error bad_value(const Configuration& c, std::string_view key, const std::string& expected) {
  return invalid(c.origin(key) + ": " + std::string(key) + " " + expected);
}

Status read_flag(const Configuration& c, std::string_view key, bool& field) {
  const auto v = c.get(key);
  if (!v) return {};
  if (!is_true(*v) && !is_false(*v)) return bad_value(c, key, "is true or false");
  field = is_true(*v);
  return {};
}

Status read_seconds(const Configuration& c, std::string_view key, std::chrono::milliseconds& field) {
  const auto v = c.get(key);
  if (!v) return {};
  if (!internal::all_digits(*v) || v->size() > 9 || internal::digits_value(*v) == 0)
    return bad_value(c, key, "must be a positive number of seconds");
  field = std::chrono::seconds(internal::digits_value(*v));
  return {};
}

Status read_profile(const Configuration& c, Profile& p) {
  const std::pair<std::string_view, std::string Profile::*> texts[] = {
      {"api_base_url", &Profile::api_base_url},
      {"authorize_base_url", &Profile::authorize_base_url},
      {"client_id", &Profile::client_id},
      {"provider_number", &Profile::provider_number},
      {"redirect_uri", &Profile::redirect_uri}};
  for (const auto& [key, member] : texts)
    if (auto v = c.get(key)) p.*member = *v;
  // Set to nothing is a value here: the specification has no such parameter.
  if (!c.origin("consent_types_parameter").empty())
    p.consent_types_parameter = c.get("consent_types_parameter").value_or("");
  if (Status st = read_flag(c, "use_pkce", p.use_pkce); !st) return st;
  return read_flag(c, "supports_refresh", p.supports_refresh);
}

}  // namespace

Result<ClientOptions> Configuration::client_options() const {
  ClientOptions options;
  if (Status st = read_profile(*this, options.profile); !st) return std::move(st).error();
  options.curl.tls.ca_file = get("ca_file").value_or("");
  options.curl.tls.client_cert_file = get("client_cert").value_or("");
  options.curl.tls.client_key_file = get("client_key").value_or("");
  options.curl.proxy = get("proxy").value_or("");
  if (Status st = read_seconds(*this, "notification_timeout", options.notification_timeout); !st)
    return std::move(st).error();
  if (auto dir = get("token_dir")) {
    auto store = make_file_token_store(*dir);
    if (!store) return std::move(store).error();
    options.token_store = *store;
  }
  return options;
}

namespace {

/// The comma-separated items of a list value, trimmed; empty items are skipped.
std::vector<std::string> list_items(std::string_view list) {
  std::vector<std::string> items;
  for (std::size_t start = 0; start <= list.size();) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string_view item = internal::trim_ows(list.substr(start, comma - start));
    if (!item.empty()) items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

/// The secret path segment from its file: the first line (of its first 512 bytes). The file
/// must be a regular file that only its owner can access (the secret keeps forged
/// notifications out). Errors name the file, never its content.
Result<SecretString> read_path_secret(const Configuration& c, const std::string& path) {
  const std::string_view key = "notify_path_secret_file";
  auto not_private = [&] {
    return bad_value(c, key, "must be a regular file only its owner can access (chmod 600 " + path + ")");
  };
  auto no_secret = [&] { return bad_value(c, key, "holds no secret on its first line: " + path); };
  auto text = internal::read_checked_file(
      path, 512, [&](const struct stat& st) { return (st.st_mode & 077) == 0 ? Status() : not_private(); },
      [&](internal::FileReadFault fault) {
        if (fault == internal::FileReadFault::cannot_open) return bad_value(c, key, "cannot be read: " + path);
        return fault == internal::FileReadFault::not_regular ? not_private() : no_secret();  // read error: no secret
      });
  if (!text) return std::move(text).error();
  const std::string_view first_line = std::string_view(*text).substr(0, text->find('\n'));
  SecretString secret(std::string(internal::trim_ows(first_line)));
  wipe(*text);
  if (secret.empty()) return no_secret();
  return secret;
}

Status read_notifier(const Configuration& c, NotifierAuthentication& notifier) {
  notifier.client_ca_file = c.get("notify_client_ca").value_or("");
  notifier.client_names = list_items(c.get("notify_client_names").value_or(""));
  notifier.allowed_networks = list_items(c.get("notify_allowed_networks").value_or(""));
  if (!notifier.client_names.empty() && notifier.client_ca_file.empty())
    return bad_value(c, "notify_client_names", "needs notify_client_ca (names are checked on its certificates)");
  if (auto file = c.get("notify_path_secret_file")) {
    auto secret = read_path_secret(c, *file);
    if (!secret) return std::move(secret).error();
    notifier.path_secret = std::move(*secret);
  }
  return {};
}

}  // namespace

Result<std::optional<ListenerOptions>> Configuration::listener_options() const {
  const auto listen = get("notify_listen");
  if (!listen) return std::optional<ListenerOptions>();
  const auto address = internal::parse_host_port(*listen);
  if (!address) return bad_value(*this, "notify_listen", "is HOST:PORT (e.g. 127.0.0.1:8443)");
  ListenerOptions options;
  options.host = address->first;
  options.port = address->second;
  options.notification_path = get("notify_path").value_or(options.notification_path);
  options.cert_file = get("notify_cert").value_or("");
  options.key_file = get("notify_key").value_or("");
  if (Status st = read_notifier(*this, options.notifier); !st) return std::move(st).error();
  return std::optional<ListenerOptions>(std::move(options));
}

Result<ClientOptions> load_client_options(const std::string& path) {
  auto config = Configuration::load(path);
  if (!config) return std::move(config).error();
  return config->client_options();
}

}  // namespace myna
