// A small command-line parser: `--name value`, `--name=value`, flags and positionals, with
// the --help text generated from the same option table.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "myna/error.hpp"

namespace myna::cli {

struct OptionSpec {
  std::string name;        ///< without the dashes, e.g. "from"
  std::string value_name;  ///< "" for a flag, e.g. "DATE"
  std::string help;
  bool repeatable = false;
};

struct CommandSpec {
  std::string name;         ///< e.g. "fetch"
  std::string synopsis;     ///< after "usage: myna NAME ", e.g. "drugs|checkups|expenses --from DATE --to DATE"
  std::string description;  ///< a paragraph
  std::vector<OptionSpec> options;
  std::size_t min_positional = 0, max_positional = 0;
  std::string epilog;  ///< printed after the options (examples, notes)
};

class Args {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  /// The last value of an option, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& all(const std::string& name) const;
  const std::vector<std::string>& positional() const noexcept { return positional_; }
  bool help() const noexcept { return help_; }

 private:
  friend Result<Args> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

/// Parses the arguments after the command name; a validation error names the bad argument.
Result<Args> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv);

/// The --help text of a command.
std::string help_text(const CommandSpec& spec);

}  // namespace myna::cli
