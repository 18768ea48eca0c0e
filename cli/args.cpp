#include "args.hpp"

#include <algorithm>
#include <iostream>

#include "exit_codes.hpp"

namespace myna::cli {
namespace {

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

const OptionSpec* find(const CommandSpec& spec, const std::string& name) {
  auto it = std::find_if(spec.options.begin(), spec.options.end(), [&](const OptionSpec& o) { return o.name == name; });
  return it == spec.options.end() ? nullptr : &*it;
}

}  // namespace

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

Result<Args> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      args.help_ = true;
      continue;
    }
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
      args.positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    const OptionSpec* option = find(spec, name);
    if (!option) return invalid("unknown option --" + name + " for `myna " + spec.name + "`");
    if (option->value_name.empty()) {
      if (inline_value) return invalid("--" + name + " takes no value");
      args.values_[name].push_back("true");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argv.size()) return invalid("--" + name + " needs a value (" + option->value_name + ")");
      value = argv[++i];
    }
    auto& values = args.values_[name];
    if (!values.empty() && !option->repeatable) return invalid("--" + name + " is given twice");
    values.push_back(value);
  }
  if (!args.help_ && (args.positional_.size() < spec.min_positional || args.positional_.size() > spec.max_positional))
    return invalid("wrong number of arguments for `myna " + spec.name + "`");
  return args;
}

std::string help_text(const CommandSpec& spec) {
  std::string out = "usage: myna " + spec.name + (spec.synopsis.empty() ? "" : " " + spec.synopsis) + "\n\n" +
                    spec.description + "\n";
  if (!spec.options.empty()) out += "\noptions:\n";
  for (const OptionSpec& o : spec.options) {
    std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    if (left.size() < 28)
      left.resize(28, ' ');
    else
      left += "\n" + std::string(28, ' ');
    out += left + o.help + (o.repeatable ? " (repeatable)" : "") + "\n";
  }
  out += "  --help                    this text\n";
  if (!spec.epilog.empty()) out += "\n" + spec.epilog + "\n";
  return out;
}

}  // namespace myna::cli

namespace myna::cli {
int print_help(const CommandSpec& spec) {
  std::cout << help_text(spec);
  return kOk;
}
}  // namespace myna::cli
