#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "fuzz.hpp"

namespace myna::fuzz {
namespace {

std::vector<std::pair<std::string, TargetFn>>& registry() {
  static std::vector<std::pair<std::string, TargetFn>> targets;
  return targets;
}

}  // namespace

bool register_target(const char* name, TargetFn fn) {
  registry().emplace_back(name, fn);
  return true;
}

TargetFn find_target(std::string_view name) {
  for (const auto& [n, fn] : registry())
    if (n == name) return fn;
  return nullptr;
}

std::string target_names() {
  std::string out;
  for (const auto& entry : registry()) out += (out.empty() ? "" : " ") + entry.first;
  return out;
}

void fail(std::string_view what) {
  std::fprintf(stderr, "\nmyna fuzz: property broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

void fail(std::string_view what, const Error& error) { fail(std::string(what) + "\n  error: " + describe(error)); }

void check_loggable(const Error& error, std::string_view secret) {
  const std::string text = error.to_string();
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) fail("an error text has a control character", error);
  if (!secret.empty() && text.find(secret) != std::string::npos) fail("an error text shows a secret", error);
}

std::string describe(const Error& e) {
  std::string out = std::string(to_string(e.category())) + ": " + e.message();
  if (const auto& loc = e.location()) {
    out += " [type=" + loc->record_type + " index=" + std::to_string(loc->record_index) +
           " item=" + std::to_string(loc->item_number) + " " + loc->item_name + " field=" + loc->envelope_field +
           " offset=" + std::to_string(loc->byte_offset) + "]";
  }
  if (e.http_status()) out += " http=" + std::to_string(*e.http_status());
  if (!e.service_code().empty()) out += " code=" + e.service_code();
  return out;
}

}  // namespace myna::fuzz
