// Configuration files read into ClientOptions and ListenerOptions: every key to its field,
// relative paths, errors that name the file and line but never a value.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "myna/client/configuration.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;

TEST_CASE("configuration: a sandbox-style file becomes ClientOptions and ListenerOptions", "[configuration]") {
  test::TempDir dir;
  const std::string path = dir.path() + "/config";
  std::ofstream(path) << "# Written by `myna sandbox`\n"
                         "sandbox = true\n"
                         "api_base_url = https://127.0.0.1:4443\n"
                         "authorize_base_url = https://127.0.0.1:4444\n"
                         "client_id = SP00000099_AA0001\n"
                         "provider_number = 00000099\n"
                         "redirect_uri = http://127.0.0.1:8765/callback\n"
                         "supports_refresh = true\n"
                         "use_pkce = yes\n"
                         "ca_file = ca.pem\n"
                         "client_cert = client.pem\n"
                         "client_key = /keys/client.key\n"
                         "proxy = http://proxy.example:8080\n"
                         "token_dir = tokens\n"
                         "citizen = C0000005\n"
                         "notify_listen = 127.0.0.1:9443\n"
                         "notify_path = /hooks/myna\n"
                         "notify_cert = listener.pem\n"
                         "notify_key = listener.key\n"
                         "notification_timeout = 30\n";
  auto config = Configuration::load(path);
  REQUIRE(config.ok());
  CHECK(config->file() == path);
  auto o = config->client_options();
  REQUIRE(o.ok());
  CHECK(o->profile.api_base_url == "https://127.0.0.1:4443");
  CHECK(o->profile.authorize_base_url == "https://127.0.0.1:4444");
  CHECK(o->profile.client_id == "SP00000099_AA0001");
  CHECK(o->profile.provider_number == "00000099");
  CHECK(o->profile.redirect_uri == "http://127.0.0.1:8765/callback");
  CHECK(o->profile.supports_refresh);
  CHECK(o->profile.use_pkce);
  CHECK(o->curl.tls.ca_file == dir.path() + "/ca.pem");  // relative to the file
  CHECK(o->curl.tls.client_cert_file == dir.path() + "/client.pem");
  CHECK(o->curl.tls.client_key_file == "/keys/client.key");
  CHECK(o->curl.proxy == "http://proxy.example:8080");
  CHECK(o->notification_timeout == std::chrono::seconds(30));
  REQUIRE(o->token_store);  // a file store in DIR/tokens
  Token t;
  t.access_token = SecretString("a");
  REQUIRE(o->token_store->save("C0000005", t).ok());
  CHECK(std::filesystem::is_directory(dir.path() + "/tokens"));
  CHECK(o->token_store->load("C0000005").value().has_value());
  auto listener = config->listener_options();
  REQUIRE(listener.ok());
  REQUIRE(listener->has_value());
  CHECK((*listener)->host == "127.0.0.1");
  CHECK((*listener)->port == 9443);
  CHECK((*listener)->notification_path == "/hooks/myna");
  CHECK((*listener)->cert_file == dir.path() + "/listener.pem");
  CHECK((*listener)->key_file == dir.path() + "/listener.key");
  CHECK(load_client_options(path).ok());
}

TEST_CASE("configuration: the notifier-authentication keys fill ListenerOptions::notifier",
          "[configuration][security]") {
  test::TempDir dir;
  const std::string secret_file = dir.path() + "/notify.secret";
  std::ofstream(secret_file) << "  s3cret-Path_Segment.0123456789  \nsecond line ignored\n";
  std::filesystem::permissions(secret_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string base = "notify_listen = 127.0.0.1:9443\n";
  auto config = Configuration::parse(base +
                                         "notify_client_ca = notifier-ca.pem\n"
                                         "notify_client_names = notify.myna.example, , backup.example \n"
                                         "notify_allowed_networks = 203.0.113.0/24,2001:db8::/32\n"
                                         "notify_path_secret_file = notify.secret\n",
                                     "cfg", dir.path());
  REQUIRE(config.ok());
  auto listener = config->listener_options();
  REQUIRE(listener.ok());
  const NotifierAuthentication& n = (*listener)->notifier;
  CHECK(n.client_ca_file == dir.path() + "/notifier-ca.pem");
  CHECK(n.client_names == std::vector<std::string>{"notify.myna.example", "backup.example"});
  CHECK(n.allowed_networks == std::vector<std::string>{"203.0.113.0/24", "2001:db8::/32"});
  CHECK(n.path_secret.reveal() == "s3cret-Path_Segment.0123456789");

  SECTION("a secret file others can read is refused, without its content in the message") {
    std::filesystem::permissions(secret_file, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
    auto refused = config->listener_options();
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message().find("cfg:5: notify_path_secret_file must be a regular file") != std::string::npos);
    CHECK(refused.error().message().find("s3cret") == std::string::npos);
  }
  SECTION("names without a CA are refused") {
    auto names_only = Configuration::parse(base + "notify_client_names = a.example\n", "cfg", dir.path());
    REQUIRE(names_only.ok());
    auto refused = names_only->listener_options();
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message().find("notify_client_names needs notify_client_ca") != std::string::npos);
  }
  SECTION("unset, nothing is required of the notifier") {
    auto plain = Configuration::parse(base, "cfg", dir.path());
    REQUIRE(plain.ok());
    const NotifierAuthentication none = (*plain->listener_options())->notifier;
    CHECK(none.client_ca_file.empty());
    CHECK(none.client_names.empty());
    CHECK(none.allowed_networks.empty());
    CHECK(none.path_secret.empty());
  }
}

TEST_CASE("configuration: unset keys keep the defaults", "[configuration]") {
  auto config = Configuration::parse("api_base_url = https://sp.example\n", "cfg", "/etc/myna");
  REQUIRE(config.ok());
  auto o = config->client_options().value();
  const ClientOptions defaults;
  CHECK(o.profile.client_id == defaults.profile.client_id);
  CHECK(o.notification_timeout == defaults.notification_timeout);
  CHECK_FALSE(o.token_store);  // Client::create puts the in-memory store there
  CHECK_FALSE(config->listener_options().value().has_value());
  CHECK_FALSE(config->get("proxy"));
  CHECK(o.profile.consent_types_parameter == "scope");
  CHECK(Configuration().empty());
}

TEST_CASE("configuration: consent_types_parameter set to nothing means the specification has none", "[configuration]") {
  auto named = Configuration::parse("consent_types_parameter = types\n", "cfg", "/").value().client_options();
  CHECK(named.value().profile.consent_types_parameter == "types");
  auto none = Configuration::parse("consent_types_parameter =\n", "cfg", "/").value().client_options();
  CHECK(none.value().profile.consent_types_parameter.empty());
}

TEST_CASE("configuration: errors name the file and line, never the value", "[configuration][security]") {
  auto unknown = Configuration::parse("api_base_url = x\ncolour = blue\n", "cfg", "/");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message() == "cfg:2: unknown configuration key 'colour'");
  auto pasted = Configuration::parse("\n\nsk-live-SECRET9 just pasted\n", "cfg", "/");
  REQUIRE_FALSE(pasted.ok());
  CHECK(pasted.error().message() == "cfg:3: expected `key = value`");
  auto odd_key = Configuration::parse("tok3n:SECRET = 1\n", "cfg", "/");
  REQUIRE_FALSE(odd_key.ok());
  CHECK(odd_key.error().message().find("SECRET") == std::string::npos);
  auto timeout = Configuration::parse("# c\nnotification_timeout = soon-SECRET\n", "cfg", "/").value().client_options();
  REQUIRE_FALSE(timeout.ok());
  CHECK(timeout.error().message() == "cfg:2: notification_timeout must be a positive number of seconds");
  auto flag = Configuration::parse("use_pkce = maybe-SECRET\n", "cfg", "/").value().client_options();
  CHECK(flag.error().message() == "cfg:1: use_pkce is true or false");
  auto listen = Configuration::parse("notify_listen = SECRET\n", "cfg", "/").value().listener_options();
  REQUIRE_FALSE(listen.ok());
  CHECK(listen.error().message().find("SECRET") == std::string::npos);
  auto missing = Configuration::load("/nonexistent/myna/config");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() == "cannot read the configuration file /nonexistent/myna/config");
  CHECK(missing.error().category() == ErrorCategory::validation);
}

TEST_CASE("configuration: every key has a help line", "[configuration]") {
  for (const ConfigKey& k : configuration_keys()) {
    CHECK_FALSE(k.key.empty());
    CHECK_FALSE(k.help.empty());
  }
}

TEST_CASE("configuration: every key is in the table of docs/configuration.md", "[configuration]") {
  std::ifstream file(std::string(MYNA_SOURCE_DIR) + "/docs/configuration.md");
  const std::string doc((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(doc.empty());
  for (const ConfigKey& k : configuration_keys()) {
    INFO(k.key);
    CHECK(doc.find("| `" + std::string(k.key) + "` |") != std::string::npos);
  }
}
