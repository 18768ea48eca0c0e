// The listener's answers and their wire form (internal header).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace myna::internal::listener {

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra fields
};

inline const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

/// The response as sent: status line, fields (Content-Length always, Connection: close when
/// the connection ends after it) and body.
inline std::string serialize(const HttpResponse& r, bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "Cache-Control: no-store\r\n";
  for (const auto& [name, value] : r.headers) out.append(name).append(": ").append(value).append("\r\n");
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

/// A small JSON error answer ({"error":"…"}) for refusals the listener makes itself.
inline HttpResponse error_response(int status) {
  HttpResponse r;
  r.status = status;
  r.body = std::string("{\"error\":\"") + reason_phrase(status) + "\"}";
  return r;
}

}  // namespace myna::internal::listener
