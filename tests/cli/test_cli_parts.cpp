// The CLI's parts without network: argument parsing, configuration files, exit codes, display
// widths, file names of citizen keys and the sync progress file that makes `sync` resumable.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "args.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "hardening.hpp"
#include "output.hpp"
#include "sync_state.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;
using namespace myna::cli;

TEST_CASE("cli: arguments and --help text from one option table") {
  CommandSpec spec{
      "fetch", "TYPE", "Fetches.", {{"from", "DATE", "start"}, {"bom", "", "BOM"}, {"deny", "ID", "x", true}},
      1,       1,      ""};
  auto a = parse_args(spec, {"drugs", "--from", "2024-01-01", "--bom", "--deny=C1", "--deny", "C2"});
  REQUIRE(a.ok());
  CHECK(a->positional() == std::vector<std::string>{"drugs"});
  CHECK(a->get("from") == "2024-01-01");
  CHECK(a->has("bom"));
  CHECK(a->all("deny") == std::vector<std::string>{"C1", "C2"});
  CHECK(parse_args(spec, {"drugs", "--nope"}).error().message().find("--nope") != std::string::npos);
  CHECK_FALSE(parse_args(spec, {"drugs", "--from"}).ok());                      // value missing
  CHECK_FALSE(parse_args(spec, {"drugs", "--bom=1"}).ok());                     // flag with a value
  CHECK_FALSE(parse_args(spec, {"drugs", "--from", "a", "--from", "b"}).ok());  // not repeatable
  CHECK_FALSE(parse_args(spec, {}).ok());                                       // positional missing
  CHECK(parse_args(spec, {"--help"})->help());
  std::string help = help_text(spec);
  CHECK(help.find("usage: myna fetch TYPE") == 0);
  CHECK(help.find("--from DATE") != std::string::npos);
  CHECK(help.find("(repeatable)") != std::string::npos);
}

TEST_CASE("cli: configuration files") {
  auto c = Config::parse("# comment\n\napi_base_url = https://sp.example \nca_file = certs/ca.pem\ntoken_dir=/abs\n",
                         "cfg", "/etc/myna");
  REQUIRE(c.ok());
  CHECK(c->get("api_base_url") == "https://sp.example");
  CHECK(c->get("ca_file") == "/etc/myna/certs/ca.pem");  // relative to the file
  CHECK(c->get("token_dir") == "/abs");
  CHECK(c->get("citizen") == "default");
  CHECK(c->get("notification_timeout") == "300");
  auto bad = Config::parse("api_base_url = x\ncolour = blue\n", "cfg", "/");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "cfg:2: unknown configuration key 'colour'");
  CHECK(Config::parse("just words\n", "cfg", "/").error().message().find("cfg:1") == 0);
  CHECK(flag_name("api_base_url") == "api-base-url");
  for (const ConfigKey& k : config_keys()) CHECK_FALSE(std::string(k.help).empty());
}

TEST_CASE("cli: every error category has an exit code and advice") {
  for (int c = 0; c <= static_cast<int>(ErrorCategory::storage); ++c) {
    auto category = static_cast<ErrorCategory>(c);
    CHECK(exit_code(category) != kOk);
    CHECK(exit_code(category) != kInternal);
    CHECK_FALSE(advice(category).empty());
  }
  CHECK(exit_code(ErrorCategory::consent_required) == kConsent);
  CHECK(exit_code(ErrorCategory::tls) == kNetwork);
  CHECK(exit_code(ErrorCategory::maintenance) == kService);
  CHECK(exit_code(ErrorCategory::decode) == kData);
  CHECK(exit_code(ErrorCategory::storage) == kStorage);
  CHECK(exit_code(ErrorCategory::cancelled) == kInterrupted);
}

TEST_CASE("cli: display widths and tables align Japanese text") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("薬剤情報") == 8);
  CHECK(display_width("ｶﾅ") == 2);    // half-width katakana
  CHECK(display_width("ＡＢ") == 4);  // full-width letters
  CHECK(pad("氏名", 6) == "氏名  ");
  std::string t = format_table({{"項番", "項目名"}, {"1", "カナ氏名"}}, true);
  CHECK(t == "項番  項目名\n--------------\n1     カナ氏名\n");
}

TEST_CASE("cli: citizen keys become safe, distinct file names") {
  CHECK(file_name_of("C0000001") == "C0000001");
  CHECK(file_name_of("user.42") == "user.42");
  CHECK(file_name_of("../etc/passwd") == "%2E.%2Fetc%2Fpasswd");
  CHECK(file_name_of("a/b") != file_name_of("a%2Fb"));
  CHECK(file_name_of("") == "%");
  CHECK(file_name_of("山田") == "%E5%B1%B1%E7%94%B0");
}

TEST_CASE("cli: the sync progress file resumes, refuses other parameters, restarts") {
  test::TempDir dir;
  {
    auto p = ProgressFile::open(dir.path(), "from=a to=b", false);
    REQUIRE(p.ok());
    REQUIRE(p->record_ok("drugs", "C1", 3).ok());
    REQUIRE(p->record_failure("drugs", "C2", "consent_required").ok());
    REQUIRE(p->record_ok("expenses", "C2", 0).ok());
  }
  {
    auto p = ProgressFile::open(dir.path(), "from=a to=b", false);
    REQUIRE(p.ok());
    CHECK(p->done("drugs", "C1"));
    CHECK_FALSE(p->done("drugs", "C2"));  // failed: retried
    CHECK(p->done("expenses", "C2"));
    CHECK_FALSE(p->done("checkups", "C1"));
  }
  auto other = ProgressFile::open(dir.path(), "from=a to=c", false);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().category() == ErrorCategory::validation);
  CHECK(other.error().message().find("--restart") != std::string::npos);
  auto restarted = ProgressFile::open(dir.path(), "from=a to=c", true);
  REQUIRE(restarted.ok());
  CHECK_FALSE(restarted->done("drugs", "C1"));
  std::ifstream in(dir.path() + "/.myna-sync-progress");
  std::string header;
  std::getline(in, header);
  CHECK(header == "# myna sync from=a to=c");
}

namespace {

Result<Config> load_config_file(const std::string& path) {
  CommandSpec spec{"fetch", "", "", config_options(), 0, 0, ""};
  auto args = parse_args(spec, {"--config", path});
  REQUIRE(args.ok());
  return Config::load(*args);
}

}  // namespace

TEST_CASE("cli: a configuration file others can change is refused; a group-writable one is warned about",
          "[security]") {
  test::TempDir tmp;
  const std::string path = tmp.sub("config");
  std::ofstream(path) << "api_base_url = https://sp.example\n";
  REQUIRE(::chmod(path.c_str(), 0666) == 0);
  auto refused = load_config_file(path);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::validation);
  CHECK(refused.error().message().find("writable by others") != std::string::npos);

  REQUIRE(::chmod(path.c_str(), 0620) == 0);
  auto warned = load_config_file(path);
  REQUIRE(warned.ok());
  CHECK(warned->get("api_base_url") == "https://sp.example");
  REQUIRE(warned->warnings().size() == 1);
  CHECK(warned->warnings()[0].find("writable by its group") != std::string::npos);

  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  auto fine = load_config_file(path);
  REQUIRE(fine.ok());
  CHECK(fine->warnings().empty());

  if (::geteuid() == 0) {  // only root can hand the file to another user
    REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
    auto theirs = load_config_file(path);
    REQUIRE_FALSE(theirs.ok());
    CHECK(theirs.error().message().find("owned by another user") != std::string::npos);
  }
}

TEST_CASE("cli: core dumps are off and the process is not dumpable", "[security]") {
  rlimit allow{RLIM_INFINITY, RLIM_INFINITY};
  (void)::setrlimit(RLIMIT_CORE, &allow);  // as root; otherwise the current limit stays
  REQUIRE(disable_core_dumps().ok());
  rlimit now{};
  REQUIRE(::getrlimit(RLIMIT_CORE, &now) == 0);
  CHECK(now.rlim_cur == 0);
  CHECK(now.rlim_max == 0);
  CHECK(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
}
