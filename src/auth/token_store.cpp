#include <algorithm>
#include <map>

#include "internal/flat_json.hpp"
#include "internal/json_string.hpp"
#include "internal/secure_file.hpp"
#include "myna/auth/token.hpp"

namespace myna {

namespace {

using SysClock = std::chrono::system_clock;
constexpr std::size_t kMaxTokenFileBytes = 64 * 1024;

class MemoryTokenStore final : public TokenStore {
 public:
  Result<std::optional<Token>> load(const std::string& citizen) override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = tokens_.find(citizen);
    if (it == tokens_.end()) return std::optional<Token>();
    return std::optional<Token>(it->second);
  }
  Status save(const std::string& citizen, const Token& token) override {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_[citizen] = token;
    return {};
  }
  Status remove(const std::string& citizen) override {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_.erase(citizen);
    return {};
  }

 private:
  std::mutex mu_;
  std::map<std::string, Token> tokens_;
};

std::int64_t epoch_seconds(SysClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

SysClock::time_point from_epoch_seconds(std::int64_t s) { return SysClock::time_point(std::chrono::seconds(s)); }

void append_member(std::string& out, std::string_view key, std::int64_t value) {
  internal::append_json_string(out, key);
  out += ':' + std::to_string(value) + ',';
}

/// "drugs checkups": the granted types by their English identifiers (independent of the profile).
std::string types_text(RecordTypes types) {
  std::string out;
  for (RecordType type : kAllRecordTypes) {
    if (!types.contains(type)) continue;
    if (!out.empty()) out += ' ';
    out += english_name(type);
  }
  return out;
}

/// The types of types_text(); false when a word names no type.
bool read_types(std::string_view text, RecordTypes& out) {
  out = {};
  while (!text.empty()) {
    const std::string_view word = text.substr(0, text.find(' '));
    text.remove_prefix(std::min(text.size(), word.size() + 1));
    if (word.empty()) continue;
    auto type = record_type_named(word);
    if (!type) return false;
    out.add(*type);
  }
  return true;
}

/// {"version":1,"access_token":…,"refresh_token":…,"expires_at":s,"grant_expires_at":s,"granted_at":s,
///  "record_types":"drugs checkups"}. A file without record_types (written before consent
/// per information type) grants every type, as it did then.
std::string token_json(const Token& token) {
  std::string out;
  out.reserve(256 + 2 * (token.access_token.size() + token.refresh_token.size()));
  out += "{\"version\":1,\"access_token\":";
  internal::append_json_string(out, token.access_token.reveal());
  out += ",\"refresh_token\":";
  internal::append_json_string(out, token.refresh_token.reveal());
  out += ',';
  append_member(out, "expires_at", epoch_seconds(token.expires_at));
  append_member(out, "grant_expires_at", epoch_seconds(token.grant_expires_at));
  append_member(out, "granted_at", epoch_seconds(token.granted_at));
  internal::append_json_string(out, "record_types");
  out += ':';
  internal::append_json_string(out, types_text(token.record_types));
  out += '}';
  return out;
}

struct TokenFileFields {
  Token token;
  internal::RequiredMembers required{6};
};

bool read_secret(const internal::FlatValue& v, SecretString& out) {
  if (v.kind != internal::FlatValue::Kind::string) return false;
  out = SecretString(std::string(v.text));
  return true;
}

bool read_seconds(const internal::FlatValue& v, SysClock::time_point& out) {
  if (v.kind != internal::FlatValue::Kind::integer) return false;
  out = from_epoch_seconds(v.integer);
  return true;
}

bool read_token_member(TokenFileFields& f, std::string_view key, const internal::FlatValue& v) {
  auto& required = f.required;
  if (key == "version") return internal::is_version(v, 1) && required.mark(0);
  if (key == "access_token") return read_secret(v, f.token.access_token) && required.mark(1);
  if (key == "refresh_token") return read_secret(v, f.token.refresh_token) && required.mark(2);
  if (key == "expires_at") return read_seconds(v, f.token.expires_at) && required.mark(3);
  if (key == "grant_expires_at") return read_seconds(v, f.token.grant_expires_at) && required.mark(4);
  if (key == "granted_at") return read_seconds(v, f.token.granted_at) && required.mark(5);
  if (key == "record_types")  // optional: absent in files of older versions (all types)
    return v.kind == internal::FlatValue::Kind::string && read_types(v.text, f.token.record_types);
  return true;
}

class FileTokenStore final : public TokenStore {
 public:
  explicit FileTokenStore(std::string dir) : dir_(std::move(dir)) {}

  Result<std::optional<Token>> load(const std::string& citizen) override {
    auto name = file_name(citizen);
    if (!name) return std::move(name).error();
    auto content = internal::read_private_file(dir_, *name, kMaxTokenFileBytes);
    if (!content) return std::move(content).error();
    if (!*content) return std::optional<Token>();
    TokenFileFields fields;
    const auto parsed = internal::parse_flat_object(**content, [&](std::string_view key, const internal::FlatValue& v) {
      return read_token_member(fields, key, v);
    });
    wipe(**content);
    if (parsed != internal::FlatParse::ok || !fields.required.complete() || fields.token.access_token.empty())
      return Error(ErrorCategory::storage, "the token file " + *name + " in " + dir_ +
                                               " is corrupt; remove it and ask the citizen to consent again");
    return std::optional<Token>(std::move(fields.token));
  }

  Status save(const std::string& citizen, const Token& token) override {
    auto name = file_name(citizen);
    if (!name) return std::move(name).error();
    std::string content = token_json(token);
    Status written = internal::atomic_write(dir_, *name, content);
    wipe(content);
    return written;
  }

  Status remove(const std::string& citizen) override {
    auto name = file_name(citizen);
    if (!name) return std::move(name).error();
    if (Status st = internal::remove_temp_files(dir_, *name); !st) return st;  // crash leftovers
    return internal::remove_file(dir_, *name);
  }

 private:
  /// Hex SHA-256 of the key: any key maps to a plain file name inside dir_.
  static Result<std::string> file_name(const std::string& citizen) {
    if (citizen.empty()) return Error(ErrorCategory::validation, "the citizen key is empty");
    return internal::sha256_hex(citizen) + ".token.json";
  }

  std::string dir_;
};

}  // namespace

std::shared_ptr<TokenStore> make_memory_token_store() { return std::make_shared<MemoryTokenStore>(); }

Result<std::shared_ptr<TokenStore>> make_file_token_store(std::string dir) {
  if (Status st = internal::ensure_private_dir(dir); !st) return std::move(st).error();
  return std::shared_ptr<TokenStore>(std::make_shared<FileTokenStore>(std::move(dir)));
}

}  // namespace myna
