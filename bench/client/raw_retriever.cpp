#include "client/raw_retriever.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "client/httplib_wrap.hpp"

namespace bench::client {
namespace {

// The wire profile's constants (docs/wire-format.md), written out as a raw client would.
constexpr const char* kRequestPath = "/online-resource-web/request";
constexpr const char* kResultPath = "/online-resource-web/result";
constexpr const char* kProvider = "00000086";
constexpr const char* kDrugKey = "薬剤情報";
constexpr std::chrono::seconds kNotificationWait{30};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string json_string(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) fail(std::string("raw: no string ") + key);
  return {it->value.GetString(), it->value.GetStringLength()};
}

/// {"commonHeader":{...}} with the five header fields.
std::string header_telegram(const std::string& id, const char* type, const std::string& mode,
                            const std::string& process_id, const std::string& error_code,
                            const std::string& filter = "") {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("commonHeader");
  w.StartObject();
  w.Key("telegramId"), w.String(id.c_str());
  w.Key("telegramType"), w.String(type);
  w.Key("mode"), w.String(mode.c_str());
  w.Key("processId"), w.String(process_id.c_str());
  w.Key("errorCode"), w.String(error_code.c_str());
  w.EndObject();
  if (!filter.empty()) {
    w.Key("selfProvisionDataReqInfo");
    w.StartObject();
    w.Key("inquiryCondition"), w.String(filter.c_str());
    w.EndObject();
  }
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

/// Japanese item name → catalog row, built once.
const std::unordered_map<std::string_view, const myna::FieldInfo*>& drug_fields() {
  static const auto fields = [] {
    std::unordered_map<std::string_view, const myna::FieldInfo*> map;
    for (const auto& f : myna::catalog<myna::DrugRecord>()) map.emplace(f.ja, &f);
    return map;
  }();
  return fields;
}

myna::DrugRecord to_record(const rapidjson::Value& object) {
  if (!object.IsObject()) fail("raw: a record is not an object");
  myna::DrugRecord record;
  for (const auto& m : object.GetObject()) {
    const auto it = drug_fields().find({m.name.GetString(), m.name.GetStringLength()});
    if (it == drug_fields().end() || m.value.IsNull()) continue;
    if (!m.value.IsString()) fail("raw: a value is not a string or number");
    const std::string_view text(m.value.GetString(), m.value.GetStringLength());
    if (text.empty() && it->second->kind != myna::ValueKind::text) continue;  // empty_is_absent
    if (!myna::assign_wire_text(*it->second, it->second->of(record), text)) fail("raw: invalid value");
  }
  return record;
}

/// The embedded payload: [{org: {"薬剤情報": [records]}}].
std::vector<myna::DrugRecord> to_records(const rapidjson::Document& payload) {
  if (!payload.IsArray()) fail("raw: the payload is not an array");
  std::vector<myna::DrugRecord> records;
  for (const auto& org : payload.GetArray()) {
    if (!org.IsObject()) fail("raw: an organisation entry is not an object");
    for (const auto& by_org : org.GetObject()) {
      if (!by_org.value.IsObject()) fail("raw: an organisation's data is not an object");
      const auto drugs = by_org.value.FindMember(kDrugKey);
      if (drugs == by_org.value.MemberEnd()) continue;
      if (!drugs->value.IsArray()) fail("raw: 薬剤情報 is not an array");
      for (const auto& r : drugs->value.GetArray()) records.push_back(to_record(r));
    }
  }
  return records;
}

}  // namespace

struct RawRetriever::Impl {
  CURL* curl = nullptr;
  curl_slist* headers = nullptr;
  std::string base_url, body;
  std::unique_ptr<httplib::SSLServer> server;
  std::thread server_thread;

  std::mutex mu;  // guards the notification state below
  std::condition_variable notified_cv;
  std::string pending_id, notified_process_id;
  bool notified = false;

  long long stamp_second = 0;
  int sequence = 0;

  // ---- the notification endpoint

  void on_notification(const httplib::Request& req, httplib::Response& res) {
    rapidjson::Document doc;
    doc.Parse(req.body.data(), req.body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("commonHeader")) {
      res.status = 400;
      return;
    }
    const auto& h = doc["commonHeader"];
    const std::string id = json_string(h, "telegramId"), process = json_string(h, "processId");
    {
      std::lock_guard<std::mutex> lock(mu);
      if (id != pending_id || notified) {
        res.status = 404;
        return;
      }
      notified = true;
      notified_process_id = process;
    }
    notified_cv.notify_one();
    res.set_content(header_telegram(id, "IFA0302-S01", json_string(h, "mode"), process, json_string(h, "errorCode")),
                    "application/json");
  }

  void start_server(const SandboxInfo& sandbox, int port) {
    server = std::make_unique<httplib::SSLServer>(sandbox.file("listener.pem").c_str(),
                                                  sandbox.file("listener-key.pem").c_str());
    if (!server->is_valid()) fail("raw: cannot load the listener certificate");
    server->set_tcp_nodelay(true);
    server->Post("/notify", [this](const httplib::Request& req, httplib::Response& res) { on_notification(req, res); });
    if (!server->bind_to_port("127.0.0.1", port)) fail("raw: cannot listen on port " + std::to_string(port));
    server_thread = std::thread([this] { server->listen_after_bind(); });
    while (!server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // ---- the libcurl side

  void configure(const SandboxInfo& sandbox, const std::string& token) {
    curl = curl_easy_init();
    if (!curl) fail("raw: curl_easy_init failed");
    const std::string bearer = "Authorization: Bearer " + token;
    for (const char* h : {"Content-Type: application/json; charset=utf-8", "Accept: application/json", "Expect:"})
      headers = curl_slist_append(headers, h);
    headers = curl_slist_append(headers, bearer.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_CAINFO, sandbox.file("ca.pem").c_str());
    curl_easy_setopt(curl, CURLOPT_SSLCERT, sandbox.file("client.pem").c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, sandbox.file("client-key.pem").c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    base_url = sandbox.api_url;
  }

  const std::string& post(const char* path, const std::string& telegram) {
    body.clear();
    const std::string url = base_url + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, telegram.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(telegram.size()));
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) fail(std::string("raw: POST ") + path + " failed: " + curl_easy_strerror(rc));
    return body;
  }

  // "TL-" + provider + "-" + YYMMDDhhmmss (JST) + "-" + sequence; 5000.. so that the ids never
  // meet the SDK's (0.. in the same second).
  std::string next_telegram_id() {
    const std::time_t now = std::time(nullptr);
    if (now != stamp_second) stamp_second = now, sequence = 5000;
    const std::time_t jst = now + 9 * 3600;
    std::tm t{};
    gmtime_r(&jst, &t);
    char id[40];
    std::snprintf(id, sizeof id, "TL-%s-%02d%02d%02d%02d%02d%02d-%04d", kProvider, t.tm_year % 100, t.tm_mon + 1,
                  t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, sequence++);
    return id;
  }

  void expect(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu);
    pending_id = id;
    notified = false;
  }

  // The request response's processId (checked header).
  std::string accepted(const std::string& response, const std::string& id) {
    rapidjson::Document doc;
    doc.Parse(response.data(), response.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("commonHeader")) fail("raw: bad request response");
    const auto& h = doc["commonHeader"];
    if (json_string(h, "telegramType") != "IFA0301-S01" || json_string(h, "telegramId") != id ||
        !json_string(h, "errorCode").empty())
      fail("raw: the request was not accepted");
    return json_string(h, "processId");
  }

  std::string wait_notified() {
    std::unique_lock<std::mutex> lock(mu);
    if (!notified_cv.wait_for(lock, kNotificationWait, [this] { return notified; }))
      fail("raw: no notification arrived");
    return notified_process_id;
  }

  std::vector<myna::DrugRecord> decode(const std::string& response, const std::string& id,
                                       const std::string& process_id) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(response.data(), response.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("commonHeader")) fail("raw: bad result");
    const auto& h = doc["commonHeader"];
    if (json_string(h, "telegramType") != "IFA0303-S01" || json_string(h, "telegramId") != id ||
        json_string(h, "processId") != process_id || !json_string(h, "errorCode").empty())
      fail("raw: the result header does not match");
    const auto info = doc.FindMember("selfPersonalDataProvisionInfo");
    if (info == doc.MemberEnd() || !info->value.IsObject()) fail("raw: no selfPersonalDataProvisionInfo");
    const std::string data = json_string(info->value, "selfPersonalData");
    rapidjson::Document payload;
    payload.Parse<rapidjson::kParseNumbersAsStringsFlag>(data.data(), data.size());
    if (payload.HasParseError()) fail("raw: the payload is not JSON");
    return to_records(payload);
  }
};

RawRetriever::RawRetriever(const SandboxInfo& sandbox, const std::string& access_token, int port)
    : impl_(std::make_unique<Impl>()) {
  impl_->configure(sandbox, access_token);
  impl_->start_server(sandbox, port);
}

RawRetriever::~RawRetriever() {
  impl_->server->stop();
  impl_->server_thread.join();
  curl_slist_free_all(impl_->headers);
  curl_easy_cleanup(impl_->curl);
}

std::vector<myna::DrugRecord> RawRetriever::retrieve(const std::string& filter) {
  const std::string id = impl_->next_telegram_id();
  impl_->expect(id);
  const std::string process_id =
      impl_->accepted(impl_->post(kRequestPath, header_telegram(id, "IFA0301-R01", "1", "", "", filter)), id);
  if (impl_->wait_notified() != process_id) fail("raw: the notification names another process");
  const std::string& result = impl_->post(kResultPath, header_telegram(id, "IFA0303-R01", "1", process_id, ""));
  return impl_->decode(result, id, process_id);
}

}  // namespace bench::client
