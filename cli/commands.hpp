// The `myna` commands; each parses its own arguments and returns the exit code.
#pragma once

#include <string>
#include <vector>

#include "myna/error.hpp"
#include "myna/records.hpp"

namespace myna::cli {

using Argv = std::vector<std::string>;

int run_login(const Argv& argv);
int run_fetch(const Argv& argv);
int run_sync(const Argv& argv);
int run_sandbox(const Argv& argv);
int run_catalog(const Argv& argv);

/// "drugs" / "checkups" / "expenses" → the record type.
bool parse_record_type(const std::string& text, RecordType& type);
/// "drugs,checkups" (comma-separated, each once, in the order given) for --types.
Result<std::vector<RecordType>> parse_types(const std::string& list);

}  // namespace myna::cli
