// The consent part of the emulated service (docs/wire-format.md §1): the authorize request's
// checks, the immediate answer for tests and benchmarks, and the pages a person goes through
// (sign-in with the card, then the consent question).
#include <algorithm>

#include "myna/auth/consent.hpp"
#include "service.hpp"

namespace myna::internal::sandbox {

using namespace myna::sandbox;  // the sandbox's public types, unqualified
namespace {

constexpr const char* kHtmlType = "text/html; charset=utf-8";

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// A page with the headers every Mynaportal page gets: no caching, no framing, nothing
/// loaded from elsewhere (inline style only).
Reply html(int status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.content_type = kHtmlType;
  reply.body = std::move(body);
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.headers.emplace_back("X-Frame-Options", "DENY");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  reply.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return reply;
}

Reply bad_request(const char* text) { return html(400, message_page("リクエストを処理できません", text)); }

Reply session_over() {
  return html(400, message_page("セッションの有効期限が切れました",
                                "連携を始めたサービスの画面に戻り、もう一度「次へ」から操作してください。"));
}

bool four_digits(const std::string& pin) {
  return pin.size() == 4 && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string form_field(const std::map<std::string, std::string>& form, const char* name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

}  // namespace

std::variant<Reply, ConsentAsk> Service::check_authorize(const AuthorizeQuery& query) const {
  auto get = [&](const char* name) {
    auto it = query.params.find(name);
    return it == query.params.end() ? std::string() : it->second;
  };
  // Without a registered client and redirect_uri nothing may be redirected (open redirector).
  if (get("client_id") != profile_.client_id) return bad_request("client_id is not registered.");
  ConsentAsk ask;
  ask.redirect_uri = get("redirect_uri");
  if (!registered(ask.redirect_uri)) return bad_request("redirect_uri does not match the registered one.");
  const std::string state = get("state");
  ask.state_param = query.params.count("state") ? "&state=" + url_encode(state) : "";
  auto error = [&](const char* code, const char* description) -> Reply {
    return redirect(ask.redirect_uri,
                    std::string("error=") + code + "&error_description=" + url_encode(description) + ask.state_param);
  };
  ask.code_challenge = get("code_challenge");
  if (query.repeated_parameter) return error("invalid_request", "a parameter is repeated");
  if (get("response_type") != "code") return error("unsupported_response_type", "response_type must be code");
  if (state.empty()) return error("invalid_request", "state is missing");
  if (get("login_type") != profile_.login_type) return error("invalid_request", "login_type is not supported");
  if (ask.code_challenge.empty() && profile_.use_pkce) return error("invalid_request", "code_challenge is required");
  if (!ask.code_challenge.empty() && (get("code_challenge_method") != "S256" || ask.code_challenge.size() != 43))
    return error("invalid_request", "code_challenge must be an S256 challenge");
  ask.types = RecordTypes::all();  // no parameter in the profile, or none sent: every type
  const std::string& parameter = profile_.consent_types_parameter;
  if (!parameter.empty() && query.params.count(parameter)) {
    auto types = profile_.parse_scope(get(parameter.c_str()));
    if (!types || types->empty()) return error("invalid_scope", "the information types asked for are unknown");
    ask.types = *types;
  }
  return ask;
}

Reply Service::authorize(const AuthorizeQuery& query) {
  auto checked = check_authorize(query);
  if (auto* refusal = std::get_if<Reply>(&checked)) return std::move(*refusal);
  const ConsentAsk& ask = std::get<ConsentAsk>(checked);
  if (query.citizen.empty()) {
    std::string session = sessions_.open(ask);
    if (session.empty()) return html(503, message_page("混み合っています", "しばらくしてからもう一度お試しください。"));
    return sign_in_page(session, "");
  }
  const std::string& citizen = query.citizen;
  if (!citizen_exists(citizen))
    return redirect(ask.redirect_uri, "error=invalid_request&error_description=" +
                                          url_encode("unknown sandbox citizen") + ask.state_param);
  if (auto ended = card_outcome(citizen, ask, 302)) return std::move(*ended);
  return grant(citizen, ask, 302);
}

std::optional<Reply> Service::card_outcome(const std::string& citizen, const ConsentAsk& ask, int status) {
  if (contains(options_.unregistered_citizens, citizen))
    return redirect(ask.redirect_uri,
                    "error=not_registered&error_description=" +
                        url_encode("the citizen has no Mynaportal account (user registration)") + ask.state_param,
                    status);
  if (contains(options_.denying_citizens, citizen))  // both refusal forms seen in the wild
    return redirect(ask.redirect_uri,
                    (refusals_++ % 2 == 0 ? "error=access_denied" : "code=access_denied") + ask.state_param, status);
  if (contains(options_.expired_certificate_citizens, citizen))
    return redirect(ask.redirect_uri, "state=Certificate%20expired", status);
  return std::nullopt;
}

Reply Service::grant(const std::string& citizen, const ConsentAsk& ask, int status) {
  std::string code = auth_.issue_code({citizen, profile_.client_id, ask.redirect_uri, ask.code_challenge, ask.types});
  return redirect(ask.redirect_uri, "code=" + code + ask.state_param, status);
}

// ---------------------------------------------------------------- the pages

Reply Service::sign_in(const std::string& form_body) {
  auto form = parse_form(form_body);
  if (!form) return bad_request("malformed form");
  const std::string session = form_field(*form, "session");
  auto current = sessions_.find(session);
  if (!current) return session_over();
  const std::string citizen = form_field(*form, "citizen");
  if (!citizen_exists(citizen)) return sign_in_page(session, "カードを読み取れませんでした。市民を選んでください。");
  if (!four_digits(form_field(*form, "pin"))) return sign_in_page(session, "暗証番号は数字4桁で入力してください。");
  if (auto ended = card_outcome(citizen, current->ask, 303)) {
    (void)sessions_.take(session);
    return std::move(*ended);
  }
  sessions_.set_citizen(session, citizen);
  ConsentSubject subject{options_.provider_name, profile_.client_id, citizen_name(citizen), current->ask.types,
                         std::chrono::duration_cast<std::chrono::hours>(profile_.grant_period).count() / 24};
  return html(200, consent_page(profile_.authorize_path + "/decision", session, subject));
}

Reply Service::decide(const std::string& form_body) {
  auto form = parse_form(form_body);
  if (!form) return bad_request("malformed form");
  const std::string decision = form_field(*form, "decision");
  if (decision != "agree" && decision != "deny") return bad_request("decision must be agree or deny");
  auto session = sessions_.take(form_field(*form, "session"));
  if (!session || session->citizen.empty()) return session_over();
  if (decision == "deny")
    return redirect(session->ask.redirect_uri, "error=access_denied" + session->ask.state_param, 303);
  return grant(session->citizen, session->ask, 303);
}

Reply Service::sign_in_page(const std::string& session, const std::string& error) const {
  return html(error.empty() ? 200 : 400, sandbox::sign_in_page(profile_.authorize_path + "/sign-in", session,
                                                               options_.provider_name, sign_in_choices(), error));
}

std::vector<CitizenChoice> Service::sign_in_choices() const {
  std::vector<CitizenChoice> out;
  auto add = [&](const std::string& id, const char* note) {
    for (const CitizenChoice& c : out)
      if (c.id == id) return;
    out.push_back({id, citizen_name(id), note});
  };
  for (std::size_t i = 1; i <= options_.sign_in_citizens; ++i) add(citizen_id(i), "");
  for (const auto& id : options_.expired_certificate_citizens) add(id, "電子証明書の有効期限切れ");
  for (const auto& id : options_.denying_citizens) add(id, "情報提供に同意しない市民");
  for (const auto& id : options_.unregistered_citizens) add(id, "マイナポータル未登録");
  return out;
}

std::string Service::citizen_name(const std::string& citizen) const {
  long long index = citizen_index(citizen);
  if (index < 0) return "未登録 花子（ミトウロク ハナコ）";
  Citizen c = generator_.citizen(static_cast<std::size_t>(index));
  return std::string(c.name.str()) + "（" + std::string(c.kana_name.str()) + "）";
}

// ---------------------------------------------------------------- redirects

void Service::register_redirect_uri(std::string uri) {
  std::lock_guard<std::mutex> lock(redirect_mutex_);
  extra_redirect_uris_.push_back(std::move(uri));
}

bool Service::registered(const std::string& redirect_uri) const {
  if (redirect_uri == profile_.redirect_uri) return true;
  std::lock_guard<std::mutex> lock(redirect_mutex_);
  return contains(extra_redirect_uris_, redirect_uri);
}

Reply Service::redirect(const std::string& uri, const std::string& params, int status) const {
  Reply reply =
      html(status, message_page("提供元のサービスに戻ります", "自動的に移動しない場合は戻るボタンを押してください。"));
  reply.headers.emplace_back("Location", uri + (uri.find('?') == std::string::npos ? '?' : '&') + params);
  return reply;
}

bool Service::citizen_exists(const std::string& id) const {
  return citizen_index(id) >= 0 || id == options_.bulk_citizen || contains(options_.unregistered_citizens, id);
}

}  // namespace myna::internal::sandbox
