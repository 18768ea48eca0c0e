// Writes the structure-aware seed corpora (fuzz/corpus/<target>/seed-*) and the libFuzzer
// dictionaries (fuzz/dict/*.dict) from the SDK's own encoders and catalogs, so seeds are
// real telegrams. Run after a wire-format change:  build-fuzz/fuzz/myna_fuzz_seeds fuzz
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "myna/codec/payload.hpp"
#include "support/fill.hpp"

namespace fs = std::filesystem;
using namespace myna;

namespace {

fs::path g_root;

void write(const std::string& target, const std::string& name, std::string_view data) {
  const fs::path dir = g_root / "corpus" / target;
  fs::create_directories(dir);
  std::ofstream out(dir / ("seed-" + name), std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

CommonHeader header(const std::string& type, const std::string& process_id = "P-0002", const std::string& code = "") {
  return CommonHeader{"TL-00000086-260101093000-0002", type, "1", process_id, code};
}

// ---------------------------------------------------------------- listener requests

// The first byte is the piece size (fuzz/listener_request.cpp).
void listener_request_seeds(const Profile& p) {
  const std::string body = codec::encode_header(header(p.notification_type));
  const std::string head = "POST /myna/notify HTTP/1.1\r\nHost: 127.0.0.1:8443\r\nContent-Type: application/json\r\n";
  const std::string length = head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
  const auto hex = [](std::size_t n) {
    char text[24];
    std::snprintf(text, sizeof text, "%zx", n);
    return std::string(text);
  };
  for (std::size_t at = 0; at < body.size(); at += 40) {
    const std::string part = body.substr(at, 40);
    chunked += hex(part.size()) + (at == 0 ? ";ext=1" : "") + "\r\n" + part + "\r\n";
  }
  chunked += "0\r\nX-Trailer: t\r\n\r\n";
  const std::string redirect = "GET /callback?code=abc&state=xyz HTTP/1.1\r\nHost: localhost\r\n\r\n";
  write("listener_request", "content-length", std::string(1, '\0') + length);
  write("listener_request", "chunked", std::string(1, '\7') + chunked);
  write("listener_request", "pipelined", std::string(1, '\x13') + length + redirect + chunked);
  write("listener_request", "continue-close",
        std::string(1, '\1') + head + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
  write("listener_request", "http10",
        std::string(1, '\0') + "POST /myna/notify HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}");
  write("listener_request", "both-framings",
        std::string(1, '\3') + head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
}

// ---------------------------------------------------------------- envelope

void envelope_seeds(const Profile& p) {
  const RequestTelegram request{header(p.request_type, ""), "InfoType=1&Date=20240101-20241231"};
  write("envelope", "request", codec::encode_request(request));
  write("envelope", "request-response", codec::encode_header(header(p.request_response_type)));
  write("envelope", "notification", codec::encode_header(header(p.notification_type)));
  write("envelope", "reply", codec::encode_header(header(p.notification_reply_type)));
  write("envelope", "result-request", codec::encode_header(header(p.result_request_type)));
  write("envelope", "error-maintenance", codec::encode_header(header(p.result_response_type, "P-0002", "E0005")));
  write("envelope", "escapes", codec::encode_header({"TL-\"\\\n\t\u00e9", "\x01", "モード", "", "E0001"}));
  write("envelope", "extras",
        "  {\"x\":[1,2.5e3,{\"y\":null}],\"commonHeader\":{\"errorCode\":\"\",\"processId\":\"P\","
        "\"mode\":\"1\",\"telegramType\":\"IFA0302-R01\",\"telegramId\":\"TL-1\",\"extra\":true},"
        "\"selfProvisionDataReqInfo\":{\"inquiryCondition\":\"Date=2024\"}} \r\n");
  write("envelope", "wrong-types",
        "{\"commonHeader\":{\"telegramId\":1,\"telegramType\":null,\"mode\":[],"
        "\"processId\":{},\"errorCode\":false}}");
}

// ---------------------------------------------------------------- payloads and results

template <class R>
std::vector<R> sample(int count, int keep_every, int salt) {
  std::vector<R> out;
  for (int i = 0; i < count; ++i) out.push_back(test::filled<R>(salt + i, keep_every));
  return out;
}

template <class R>
void payload_seeds(const std::string& target, const Profile& p) {
  Profile nulls = p;
  nulls.encode_absent_as_null = true;
  const auto full = sample<R>(1, 1, 3), sparse = sample<R>(3, 4, 7);
  const CommonHeader ok = header(p.result_response_type);
  write(target, "payload-full", codec::encode_payload(full, p));
  write(target, "payload-sparse", codec::encode_payload(sparse, p));
  write(target, "payload-nulls", codec::encode_payload(sample<R>(1, 3, 5), nulls));
  write(target, "payload-empty", codec::encode_payload(std::vector<R>{}, p));
  write(target, "payload-other-types", "[{\"org\":{\"生活保護情報\":[{\"a\":1}],\"x\":3}},{\"o2\":[]}]");
  write(target, "result-full", codec::encode_result(ok, full, p));
  write(target, "result-sparse", codec::encode_result(ok, sparse, p));
  write(target, "result-not-ready", codec::encode_header(header(p.result_response_type, "P-0002", "E0006")));
  write(target, "result-unicode-escapes",
        "{\"commonHeader\":{\"telegramId\":\"T\",\"telegramType\":\"IFA0303-S01\",\"mode\":\"1\",\"processId\":\"P\","
        "\"errorCode\":\"\"},\"selfPersonalDataProvisionInfo\":{\"selfPersonalData\":\"[{\\\"\\u793e\\\":{\\\"" +
            p.payload_key(RecordTraits<R>::type) + "\\\":[{\\\"\\ud842\\udfb7\\\":\\\"\\u0041\\\"}]}}]\"}}");
  // The streaming target: [selector][k][sizes...] then a result telegram.
  const char type = static_cast<char>(static_cast<int>(RecordTraits<R>::type) - 1);
  const char stop = static_cast<char>(type | 4);
  const std::string not_ready = codec::encode_header(header(p.result_response_type, "P", "E0006"));
  write("stream", target + "-bytewise", std::string{type, 0, 0} + codec::encode_result(ok, sparse, p));
  write("stream", target + "-mixed", std::string{type, 2, 6, 63, 0} + codec::encode_result(ok, full, p));
  write("stream", target + "-stop", std::string{stop, 0, 16, 1} + codec::encode_result(ok, sparse, p));
  write("stream", target + "-error", std::string{type, 0, 4} + not_ready);
}

// ---------------------------------------------------------------- consent, token, notification, query

void redirect_seeds() {
  const std::string state = "q0V9mXcT2aLr8sJ4nB6uE1yW7kHdGfPzRtYiUoOpAsD";  // fuzz/redirect.cpp
  write("redirect", "granted", "https://localhost/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=" + state);
  write("redirect", "granted-bare", "state=" + state + "&code=a%2Bb+c&login_type=0#frag");
  write("redirect", "denied-error", "https://localhost/callback?error=access_denied&state=" + state);
  write("redirect", "denied-code", "https://localhost/callback?code=access_denied&state=" + state);
  write("redirect", "certificate-state", "https://localhost/callback?state=Certificate%20expired");
  write("redirect", "certificate-error", "?error=certificate_expired&state=" + state);
  write("redirect", "other-error",
        "?error=server_error&error_description=%E3%82%A8%E3%83%A9%E3%83%BC%0A&state=" + state);
  write("redirect", "wrong-state",
        "https://localhost/callback?code=abc&state=q0V9mXcT2aLr8sJ4nB6uE1yW7kHdGfPzRtYiUoOpAsE");
  write("redirect", "duplicate", "?code=a&code=b&state=" + state);
}

void token_seeds() {
  const auto seed = [](const std::string& name, char status, const std::string& body) {
    write("token", name, std::string{status} + body);
  };
  seed("ok-full", 0,
       R"({"access_token":"eyJhbGciOi.J9+/=","token_type":"Bearer","expires_in":3600,)"
       R"("refresh_token":"r-1","grant_expires_in":7776000})");
  seed("ok-minimal", 1, R"({"access_token":"t"})");
  seed("ok-strings", 0, R"({"access_token":"t","token_type":"bearer","expires_in":"3600","refresh_token":null})");
  seed("ok-nested", 0, R"({"x":{"access_token":1},"access_token":"t","y":[1,2]})");
  seed("bad-type", 0, R"({"access_token":"t","token_type":"mac"})");
  seed("error-400", 4, R"({"error":"invalid_grant","error_description":"コードは使用済みです"})");
  seed("error-401", 5, R"({"error":"invalid_token"})");
  seed("error-500", 10, "<html>Internal Server Error</html>");
  seed("error-429", 9, "");
}

void notification_seeds(const Profile& p) {
  const auto note = [&](int n, const std::string& pid, const std::string& code = "") {
    const std::string id = "TL-00000086-260101093000-000" + std::to_string(n);
    return codec::encode_header({id, p.notification_type, "1", pid, code});
  };
  write("notification", "pending-requested", note(1, "P-0001"));
  write("notification", "pending-waiting", note(2, "P-0002"));
  write("notification", "with-error-code", note(2, "P-0002", "E0006"));
  write("notification", "duplicate", note(3, "P-0003"));
  write("notification", "fetched", note(5, "P-0005"));
  write("notification", "late", note(6, "P-0006"));
  write("notification", "wrong-process", note(2, "P-9999"));
  write("notification", "unknown", note(9, "P-0009"));
  write("notification", "wrong-type", codec::encode_header(header(p.notification_reply_type)));
  write("notification", "twice", note(2, "P-0002") + '\xff' + note(2, "P-0002") + '\xff' + note(7, "P-0007"));
}

void query_seeds() {
  write("query", "dates", "20240101\n20241231");
  write("query", "dashed", "2024-01-01\n2024-12-31");
  write("query", "leap", "20240229\n20230229");
  write("query", "filter", "InfoType=1&Date=20240101-20241231");
  write("query", "filter-reordered", "Date=20240101/20241231;Type=2");
  write("query", "year-month", "202401");
  write("query", "decimal", "5.60");
  write("query", "decimal-negative", "-0.5");
  write("query", "decimal-long", "12345678901234567.00000000000000000000");
  write("query", "institution", "0112345678");
  write("query", "medicine", "620098801");
  write("query", "price-list", "1234567F1020");
  write("query", "coded", "010");
}

// ---------------------------------------------------------------- dictionaries

std::string dict_entry(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (u < 0x20 || u >= 0x7f)
      out += std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
    else
      out += c;
  }
  return out + "\"";
}

void write_dict(const std::string& name, const std::set<std::string>& words) {
  fs::create_directories(g_root / "dict");
  std::ofstream out(g_root / "dict" / (name + ".dict"));
  out << "# Generated by fuzz/make_seeds.cpp; do not edit.\n";
  for (const auto& w : words) out << dict_entry(w) << "\n";
}

std::set<std::string> json_words() {
  return {"{", "}",  "[",   "]",   ":",    ",",    "\"",      "\"\"",    "null",           "true", "false",
          "0", "-1", "1.5", "1e5", "\\\"", "\\\\", "\\u0000", "\\u3042", "\\ud83d\\ude00", " ",    "\n"};
}

void dictionaries(const Profile& p) {
  std::set<std::string> envelope = json_words();
  for (const char* w : {"commonHeader", "telegramId", "telegramType", "mode", "processId", "errorCode",
                        "selfProvisionDataReqInfo", "inquiryCondition", "selfPersonalDataProvisionInfo",
                        "selfPersonalData", "TL-00000086-260101093000-0001", "E0001", "E0005", "E0006"})
    envelope.insert(w);
  for (const auto* t : {&p.request_type, &p.request_response_type, &p.notification_type, &p.notification_reply_type,
                        &p.result_request_type, &p.result_response_type})
    envelope.insert(*t);
  write_dict("envelope", envelope);

  std::set<std::string> payload = envelope;
  for (auto type : {RecordType::drug, RecordType::checkup, RecordType::expense}) {
    payload.insert(p.payload_key(type));
    payload.insert("\\\"" + p.payload_key(type) + "\\\"");
  }
  payload.insert(std::string(kDefaultProviderOrg));
  const auto names = [&](const auto& catalog) {
    for (const FieldInfo& f : catalog) payload.insert("\\\"" + std::string(f.ja) + "\\\":");
  };
  names(catalog<DrugRecord>());
  names(catalog<CheckupRecord>());
  names(catalog<MedicalExpenseRecord>());
  for (const char* v : {"\\\"20240131\\\"", "\\\"202401\\\"", "\\\"5.60\\\"", "\\\"0112345678\\\"", "\\\"1\\\""})
    payload.insert(v);
  write_dict("payload", payload);

  write_dict("redirect", {"code=", "state=", "error=", "error_description=", "access_denied", "certificate_expired",
                          "Certificate%20expired", "Certificate expired", "?", "&", "#", "=", "%", "%2", "+",
                          "https://localhost/callback?", "q0V9mXcT2aLr8sJ4nB6uE1yW7kHdGfPzRtYiUoOpAsD"});
  std::set<std::string> token = json_words();
  for (const char* w : {"access_token", "token_type", "Bearer", "expires_in", "refresh_token", "grant_expires_in",
                        "error", "error_description", "invalid_grant", "invalid_client", "3600", "\"3600\""})
    token.insert(w);
  write_dict("token", token);
  write_dict("listener_request", {"POST ",
                                  "GET ",
                                  " HTTP/1.1\r\n",
                                  " HTTP/1.0\r\n",
                                  "\r\n",
                                  "\r\n\r\n",
                                  ": ",
                                  "Host: ",
                                  "Content-Length: ",
                                  "Transfer-Encoding: ",
                                  "chunked",
                                  "Connection: ",
                                  "close",
                                  "keep-alive",
                                  "Expect: ",
                                  "100-continue",
                                  "0\r\n\r\n",
                                  ";ext=",
                                  "/myna/notify",
                                  "/callback?",
                                  "ffffffff",
                                  "\t",
                                  " "});
  write_dict("query", {"InfoType=", "&Date=", "Date=", ";Type=", "{from}", "{to}", "{type}", "-", "/", ".", "\n",
                       "2024", "0229", "1231", "-0", "00", "99999999999999999", "F1020"});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: myna_fuzz_seeds <fuzz directory>\n";
    return 2;
  }
  g_root = argv[1];
  for (const char* t : {"envelope", "payload_drug", "payload_checkup", "payload_expense", "stream", "redirect", "token",
                        "notification", "query", "listener_request"}) {
    if (!fs::is_directory(g_root / "corpus" / t)) continue;
    for (const auto& e : fs::directory_iterator(g_root / "corpus" / t))
      if (e.path().filename().string().rfind("seed-", 0) == 0) fs::remove(e.path());
  }
  const Profile p;
  envelope_seeds(p);
  payload_seeds<DrugRecord>("payload_drug", p);
  payload_seeds<CheckupRecord>("payload_checkup", p);
  payload_seeds<MedicalExpenseRecord>("payload_expense", p);
  redirect_seeds();
  token_seeds();
  notification_seeds(p);
  query_seeds();
  listener_request_seeds(p);
  dictionaries(p);
  std::cout << "seeds and dictionaries written under " << g_root.string() << "\n";
  return 0;
}
