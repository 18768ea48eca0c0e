#include "myna/process/notification_handler.hpp"

#include "myna/codec/envelope.hpp"

namespace myna {

namespace {

constexpr const char* kMalformedCode = "E0001";  // 電文の形式が不正
constexpr const char* kUnknownCode = "E0002";    // 処理IDが存在しない

/// An id from an unauthenticated request as it may appear in a log line: visible ASCII, bounded.
std::string loggable(std::string_view id) {
  std::string out;
  for (char c : id.substr(0, 64)) out.push_back(c > ' ' && c < 0x7f ? c : '?');
  return out;
}

std::string ids(const CommonHeader& h) {
  return "telegramId=" + loggable(h.telegram_id) + " processId=" + loggable(h.process_id);
}

/// The reply telegram: the notification's ids echoed with the reply type.
NotificationReply make_reply(const Profile& profile, int status, const CommonHeader& echo, std::string error_code,
                             bool accepted = false) {
  const CommonHeader out{echo.telegram_id, profile.notification_reply_type, echo.mode, echo.process_id,
                         std::move(error_code)};
  return NotificationReply{status, codec::encode_header(out), accepted};
}

bool ended_early(RetrievalState state) { return is_final(state) && state != RetrievalState::fetched; }

}  // namespace

NotificationHandler::NotificationHandler(Profile profile, std::shared_ptr<RetrievalStore> store, Logger logger)
    : profile_(std::move(profile)), store_(std::move(store)), logger_(std::move(logger)) {}

NotificationReply NotificationHandler::handle(std::string_view body) const {
  auto decoded = codec::decode_header(body, profile_);
  if (!decoded) {
    logger_.log(LogLevel::warn, "notification rejected (400): malformed telegram");
    return make_reply(profile_, 400, CommonHeader{"", "", profile_.mode, "", ""}, kMalformedCode);
  }
  const CommonHeader& h = *decoded;
  const auto reject = [&](int status, const char* why, std::string code) {
    logger_.log(status >= 500 ? LogLevel::error : LogLevel::warn,
                "notification rejected (" + std::to_string(status) + "): " + why + " " + ids(h));
    return make_reply(profile_, status, h, std::move(code));
  };
  if (h.telegram_type != profile_.notification_type) return reject(400, "wrong telegramType", kMalformedCode);
  if (h.telegram_id.empty() || h.process_id.empty()) return reject(400, "missing ids", kMalformedCode);
  if (!store_) return reject(500, "no retrieval store", h.error_code);

  // A success code is stored as "": a non-empty Retrieval::error_code always means failure.
  const std::string error_code = h.error_code == profile_.success_code ? std::string() : h.error_code;
  auto marked = store_->mark_notified(h.telegram_id, h.process_id, error_code);
  if (!marked) return reject(500, "retrieval store failed", h.error_code);
  if (!*marked) {
    // Unknown ids, another processId, and notifications before the service's response confirmed
    // the processId (kept as provisional by the store) get the same answer: what a sender
    // learns depends only on the ids it sent. A late one is told apart only with the
    // confirmed processId, which only the service knows.
    auto now = store_->find(h.telegram_id);
    if (!now) return reject(500, "retrieval store failed", h.error_code);
    if (*now && (*now)->process_id == h.process_id && ended_early((*now)->state))
      return reject(409, "the retrieval already ended (late)", h.error_code);
    const bool in_window = *now && (*now)->process_id.empty() && (*now)->state == RetrievalState::requested;
    return reject(404, in_window ? "before the request response; kept as provisional" : "unknown telegramId/processId",
                  kUnknownCode);
  }
  logger_.log(LogLevel::info, "notification accepted (200) as " + std::string(to_string(**marked)) + " " + ids(h) +
                                  (error_code.empty() ? "" : " errorCode=" + loggable(error_code)));
  return make_reply(profile_, 200, h, h.error_code, true);
}

}  // namespace myna
