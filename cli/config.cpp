#include "config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "internal/secure_file.hpp"

namespace myna::cli {
namespace {

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

std::string env_name(std::string_view key) {
  std::string name = "MYNA_" + std::string(key);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

std::string default_config_path() { return home_path("XDG_CONFIG_HOME", ".config") + "/myna/config"; }

}  // namespace

const std::vector<ConfigKey>& config_keys() { return configuration_keys(); }

std::string flag_name(std::string_view key) {
  std::string name(key);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::vector<OptionSpec> config_options() {
  std::vector<OptionSpec> options{
      {"config", "FILE", "configuration file (default $MYNA_CONFIG, ~/.config/myna/config)"}};
  for (const ConfigKey& k : config_keys())
    options.push_back({flag_name(k.key), std::string(k.value_name), std::string(k.help)});
  return options;
}

Result<Config> Config::parse(const std::string& text, const std::string& origin, const std::string& base_dir) {
  auto parsed = Configuration::parse(text, origin, base_dir);
  if (!parsed) return std::move(parsed).error();
  Config config;
  config.settings_ = std::move(*parsed);
  config.configured_ = !config.settings_.empty();
  return config;
}

Result<Config> Config::load(const Args& args) {
  std::string path = args.get("config", env("MYNA_CONFIG"));
  const bool explicit_path = !path.empty();
  if (!explicit_path) path = default_config_path();
  Config config;
  if (explicit_path || std::ifstream(path)) {
    auto loaded = Configuration::load(path);
    if (!loaded) return std::move(loaded).error();
    config.settings_ = std::move(*loaded);
    config.configured_ = true;
  }
  for (const ConfigKey& k : config_keys()) {
    const std::string variable = env_name(k.key);
    if (std::string v = env(variable.c_str()); !v.empty()) {
      (void)config.settings_.set(k.key, v, variable);
      config.configured_ = true;
    }
    if (args.has(flag_name(k.key))) {
      (void)config.settings_.set(k.key, args.get(flag_name(k.key)), "--" + flag_name(k.key));
      config.configured_ = true;
    }
  }
  if (!config.settings_.get("token_dir"))
    (void)config.settings_.set("token_dir", home_path("XDG_DATA_HOME", ".local/share") + "/myna/tokens", "default");
  return config;
}

std::string Config::get(const std::string& key) const {
  if (auto v = settings_.get(key)) return *v;
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

Status Config::require(const std::vector<std::string>& keys, const std::string& command) const {
  std::string missing;
  for (const std::string& k : keys)
    if (!settings_.get(k)) missing += (missing.empty() ? "" : ", ") + k;
  if (missing.empty()) return {};
  const std::string sandbox =
      "\n  -> to try it now: `myna sandbox --state-dir /tmp/myna-sb &` writes a working configuration; then "
      "`export MYNA_CONFIG=/tmp/myna-sb/config` (docs/cli.md)";
  if (!configured_)
    return Error(ErrorCategory::validation,
                 "nothing is configured: no configuration file (--config FILE, $MYNA_CONFIG or " +
                     default_config_path() + "), no MYNA_* variable and no configuration flag; `myna " + command +
                     "` needs " + missing + " (and, for the real service, client_cert and client_key)" + sandbox +
                     "\n  -> for the real service: write those keys into " + default_config_path() +
                     " (docs/configuration.md)");
  return Error(ErrorCategory::validation, "the configuration" + (file().empty() ? "" : " " + file()) +
                                              " does not set " + missing + ", which `myna " + command +
                                              "` needs (docs/configuration.md)" + sandbox);
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
