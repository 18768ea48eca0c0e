// myna: the command-line tool of mynaportal-sdk (docs/cli.md).
#include <iostream>
#include <map>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "hardening.hpp"
#include "myna/version.hpp"

namespace {

constexpr const char* kOverview = R"(usage: myna <command> [options]

The command-line tool of mynaportal-sdk: consent, retrieval and export of 薬剤情報, 特定健診情報
and 医療費通知情報 through the Mynaportal 医療保険情報取得 API (the SDK's own documented wire
profile; not the official client).

commands:
  login     ask a citizen for consent and store the token (opens the consent URL)
  fetch     fetch one record type for a date range: table, JSON Lines, CSV or FHIR R4
  sync      fetch many citizens into a directory; progress bar, resumable, summary
  sandbox   run the local emulator and write a ready configuration for the other commands
  catalog   print the item catalog of a record type (項番, 項目名, units, code sets)

Run `myna <command> --help` for its options. Configuration: flags, then MYNA_* variables, then
the file given by --config / MYNA_CONFIG / ~/.config/myna/config (`key = value`).

exit codes: 0 ok, 1 internal error, 2 usage or configuration, 3 consent needed (login),
4 network/TLS/timeout, 5 service error or maintenance, 6 malformed data, 7 storage,
8 sync finished with failures, 130 interrupted.

try it against the sandbox:
  myna sandbox --state-dir /tmp/myna-sb &
  export MYNA_CONFIG=/tmp/myna-sb/config
  myna login --citizen C0000005 --sandbox-citizen C0000005
  myna fetch drugs --citizen C0000005 --from 2024-01-01 --to 2024-12-31
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace myna::cli;
  if (myna::Status st = disable_core_dumps(); !st) std::cerr << "myna: warning: " << st.error().message() << "\n";
  const Argv all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << kOverview;
    return kUsage;
  }
  const std::string& command = all[0];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kOverview;
    return kOk;
  }
  if (command == "--version") {
    std::cout << "myna " << MYNA_VERSION_STRING << "\n";
    return kOk;
  }
  static const std::map<std::string, int (*)(const Argv&)> kCommands{{"login", run_login},
                                                                     {"fetch", run_fetch},
                                                                     {"sync", run_sync},
                                                                     {"sandbox", run_sandbox},
                                                                     {"catalog", run_catalog}};
  auto it = kCommands.find(command);
  if (it == kCommands.end()) return usage_error("", "unknown command '" + command + "'");
  try {
    return it->second(Argv(all.begin() + 1, all.end()));
  } catch (const std::exception& e) {  // a bug: say so instead of aborting
    std::cerr << "myna: internal error: " << e.what() << "\n";
    return kInternal;
  }
}
