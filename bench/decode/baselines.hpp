// What a user would write without the SDK, over the same result telegrams and into the same
// record structs: RapidJSON SAX with a null handler (the floor), RapidJSON DOM + mapping, and
// nlohmann::json + mapping; and simdjson parsing only (the fastest general parser, no records). Both stages every time:
// the telegram, then the payload string it holds. The mappings are the fair kind: a key → catalog row table built once,
// values parsed by the records' own public parser (assign_wire_text), records reserved and moved.
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include "myna/codec/payload.hpp"

#ifdef MYNA_BENCH_HAVE_NLOHMANN
#include <nlohmann/json.hpp>
#endif
#ifdef MYNA_BENCH_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace bench {

// ------------------------------------------------------------------ SAX, null handler

struct NullHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, NullHandler> {};

/// Does nothing with the telegram except parse the payload string it yields.
struct NullTelegramHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, NullTelegramHandler> {
  bool payload_next = false;
  bool payload_ok = false;

  bool Default() {
    payload_next = false;
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    payload_next = n == 16 && std::memcmp(s, "selfPersonalData", 16) == 0;
    return true;
  }
  bool String(const char* s, rapidjson::SizeType, bool) {
    if (!payload_next) return true;
    payload_next = false;
    rapidjson::StringStream payload(s);  // RapidJSON NUL-terminates the strings it yields
    NullHandler inner;
    rapidjson::Reader reader;
    payload_ok = !reader.Parse(payload, inner).IsError();
    return payload_ok;
  }
};

/// True when both stages parse. (Not inlined: profiles show each method as one function.)
[[gnu::noinline]] inline bool sax_null(const std::string& body) {
  rapidjson::StringStream stream(body.c_str());
  NullTelegramHandler handler;
  rapidjson::Reader reader;
  return !reader.Parse(stream, handler).IsError() && handler.payload_ok;
}

// ------------------------------------------------------------------ shared by the mappings

/// Key → catalog row, built once per record type.
template <class R>
const std::unordered_map<std::string_view, const myna::FieldInfo*>& field_table() {
  static const auto table = [] {
    std::unordered_map<std::string_view, const myna::FieldInfo*> t;
    for (const myna::FieldInfo& f : myna::catalog<R>()) t.emplace(f.ja, &f);
    return t;
  }();
  return table;
}

/// Sets one item from its wire text; false on a malformed value.
template <class R>
bool set_item(R& record, std::string_view key, std::string_view text) {
  const auto& table = field_table<R>();
  auto row = table.find(key);
  if (row == table.end()) return true;  // unknown item: ignored
  const myna::FieldInfo& f = *row->second;
  if (text.empty() && f.kind != myna::ValueKind::text) return true;  // "" = absent
  return myna::assign_wire_text(f, f.access(&record), text).ok();
}

inline const std::string& type_key(myna::RecordType type) {
  static const myna::Profile profile;
  return profile.payload_key(type);
}

// ------------------------------------------------------------------ RapidJSON DOM + mapping

using Json = rapidjson::Value;

inline bool dom_header(const Json& telegram, myna::CommonHeader& h) {
  auto m = telegram.FindMember("commonHeader");
  if (m == telegram.MemberEnd() || !m->value.IsObject()) return false;
  const std::pair<const char*, std::string*> fields[] = {{"telegramId", &h.telegram_id},
                                                         {"telegramType", &h.telegram_type},
                                                         {"mode", &h.mode},
                                                         {"processId", &h.process_id},
                                                         {"errorCode", &h.error_code}};
  for (const auto& [name, out] : fields) {
    auto f = m->value.FindMember(name);
    if (f == m->value.MemberEnd() || !f->value.IsString()) return false;
    out->assign(f->value.GetString(), f->value.GetStringLength());
  }
  return true;
}

template <class R>
bool dom_records(const Json& array, std::vector<R>& out) {
  out.reserve(out.size() + array.Size());
  for (const Json& item : array.GetArray()) {
    if (!item.IsObject()) return false;
    R record;
    for (const auto& m : item.GetObject()) {
      if (m.value.IsNull()) continue;
      if (!m.value.IsString()) return false;
      if (!set_item(record, {m.name.GetString(), m.name.GetStringLength()},
                    {m.value.GetString(), m.value.GetStringLength()}))
        return false;
    }
    out.push_back(std::move(record));
  }
  return true;
}

template <class R>
[[gnu::noinline]] bool dom_map(const std::string& body, myna::ResultTelegram<R>& out) {
  rapidjson::Document telegram;
  telegram.Parse(body.c_str());  // the NUL-terminated form: RapidJSON's faster StringStream
  if (telegram.HasParseError() || !telegram.IsObject() || !dom_header(telegram, out.header)) return false;
  auto info = telegram.FindMember("selfPersonalDataProvisionInfo");
  if (info == telegram.MemberEnd() || !info->value.IsObject()) return false;
  auto data = info->value.FindMember("selfPersonalData");
  if (data == info->value.MemberEnd() || !data->value.IsString()) return false;
  rapidjson::Document payload;
  payload.Parse(data->value.GetString());
  if (payload.HasParseError() || !payload.IsArray()) return false;
  const std::string& key = type_key(myna::RecordTraits<R>::type);
  for (const Json& element : payload.GetArray()) {  // [{"<organisation>": {"<type>": [records]}}]
    if (!element.IsObject()) return false;
    for (const auto& org : element.GetObject()) {
      if (!org.value.IsObject()) continue;
      auto records = org.value.FindMember(key.c_str());
      if (records != org.value.MemberEnd() && records->value.IsArray() && !dom_records(records->value, out.records))
        return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------ nlohmann::json + mapping

#ifdef MYNA_BENCH_HAVE_NLOHMANN
template <class R>
bool nlohmann_records(const nlohmann::json& array, std::vector<R>& out) {
  out.reserve(out.size() + array.size());
  for (const nlohmann::json& item : array) {
    if (!item.is_object()) return false;
    R record;
    for (const auto& [key, value] : item.items()) {
      if (value.is_null()) continue;
      if (!value.is_string()) return false;
      if (!set_item(record, key, value.template get_ref<const std::string&>())) return false;
    }
    out.push_back(std::move(record));
  }
  return true;
}

template <class R>
[[gnu::noinline]] bool nlohmann_map(const std::string& body, myna::ResultTelegram<R>& out) {
  const auto telegram = nlohmann::json::parse(body, nullptr, false);
  if (telegram.is_discarded() || !telegram.is_object()) return false;
  try {
    const auto& h = telegram.at("commonHeader");
    h.at("telegramId").get_to(out.header.telegram_id);
    h.at("telegramType").get_to(out.header.telegram_type);
    h.at("mode").get_to(out.header.mode);
    h.at("processId").get_to(out.header.process_id);
    h.at("errorCode").get_to(out.header.error_code);
    const auto& data = telegram.at("selfPersonalDataProvisionInfo").at("selfPersonalData");
    const auto payload = nlohmann::json::parse(data.get_ref<const std::string&>(), nullptr, false);
    if (payload.is_discarded() || !payload.is_array()) return false;
    const std::string& key = type_key(myna::RecordTraits<R>::type);
    for (const auto& element : payload) {  // [{"<organisation>": {"<type>": [records]}}]
      if (!element.is_object()) return false;
      for (const auto& org : element) {
        if (!org.is_object()) continue;
        auto records = org.find(key);
        if (records != org.end() && records->is_array() && !nlohmann_records(*records, out.records)) return false;
      }
    }
  } catch (const nlohmann::json::exception&) { return false; }
  return true;
}
#endif

// ------------------------------------------------------------------ simdjson, parse only

#ifdef MYNA_BENCH_HAVE_SIMDJSON
/// simdjson's DOM parser over both stages, doing only what any parser must: the telegram is
/// parsed whole (validated, strings unescaped onto its tape), the payload string is looked up
/// and parsed whole by a second parser. No records are built. The parsers are reused between
/// calls, as a user decoding many telegrams would; the telegram arrives with simdjson's padding
/// (the caller reserves it), the payload string is copied into a padded buffer by simdjson
/// itself (its input must be padded, and a string on the tape is not).
class SimdjsonParse {
 public:
  [[gnu::noinline]] bool operator()(const std::string& body) {
    simdjson::dom::element telegram;
    if (outer_.parse(body).get(telegram)) return false;  // no copy: body.capacity() has the padding
    std::string_view payload;
    if (telegram["selfPersonalDataProvisionInfo"]["selfPersonalData"].get(payload)) return false;
    simdjson::dom::element root;
    if (inner_.parse(payload.data(), payload.size(), true).get(root)) return false;
    return root.is_array();
  }

 private:
  simdjson::dom::parser outer_, inner_;
};
#endif

}  // namespace bench
