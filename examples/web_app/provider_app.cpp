#include "provider_app.hpp"

#include <ctime>
#include <random>

namespace web_app {
namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kCookie = "webapp_session";
constexpr std::size_t kMaxJobs = 200;

/// 128 random bits as hex (std::random_device reads the kernel's CSPRNG on Linux).
std::string random_id() {
  std::random_device device;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", device());
    out += part;
  }
  return out;
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string cookies = req.get_header_value("Cookie");
  for (std::size_t pos = 0; pos < cookies.size();) {
    std::size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string pair = cookies.substr(pos, end - pos);
    pair.erase(0, pair.find_first_not_of(' '));
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

/// YYYY-MM-DD of today (JST) and of the same day `years` earlier.
std::string jst_date(int years_back) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(9));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900 - years_back, tm.tm_mon + 1,
                tm.tm_mday == 29 && tm.tm_mon == 1 ? 28 : tm.tm_mday);
  return buf;
}

myna::RecordTypes types_of(const httplib::Request& req) {
  myna::RecordTypes types;
  for (std::size_t i = 0; i < req.get_param_value_count("types"); ++i)
    if (auto t = myna::record_type_named(req.get_param_value("types", i))) types.add(*t);
  return types;
}

void html(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  res.set_content(body, kHtml);
}

void see_other(httplib::Response& res, const std::string& location) {
  res.status = 303;
  res.set_header("Location", location);
}

/// Fetches one type and renders its table (or keeps the error for the page).
template <class R>
TypeSection fetch_section(myna::Client& client, const std::string& user, const std::string& from,
                          const std::string& to) {
  TypeSection section{myna::RecordTraits<R>::type, 0, {}, std::nullopt};
  auto query = myna::Query::Builder(section.type).from(from).to(to).build();
  if (!query) {
    section.error = query.error();
    return section;
  }
  auto records = client.fetch<R>(user, *query);
  if (!records) {
    section.error = records.error();
    return section;
  }
  section.records = records->size();
  section.table_html = records_table(records->records);
  return section;
}

}  // namespace

ProviderApp::~ProviderApp() {
  for (auto& worker : workers_) worker.join();
}

void ProviderApp::add_routes(httplib::Server& server) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  server.Get("/", [this](Req req, Res res) { start(req, res); });
  server.Post("/consent/start", [this](Req req, Res res) { begin_consent(req, res); });
  server.Get("/callback", [this](Req req, Res res) { callback(req, res); });
  server.Get("/records", [this](Req req, Res res) { records(req, res); });
  server.Get("/records/result", [this](Req req, Res res) { result(req, res); });
  server.Post("/myna/notify", [this](Req req, Res res) {
    myna::NotificationReply reply = client_->notification_handler().handle(req.body);
    res.status = reply.http_status;
    res.set_content(reply.body, "application/json");
  });
}

std::pair<std::string, Session*> ProviderApp::session(const httplib::Request& req, httplib::Response& res) {
  std::string id = cookie_value(req, kCookie);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    id = random_id();
    it = sessions_.emplace(id, Session{"user-" + id.substr(0, 8), std::nullopt}).first;
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + id + "; Path=/; HttpOnly; Secure; SameSite=Lax");
  }
  return {id, &it->second};  // sessions are never erased in this example: the pointer stays valid
}

myna::RecordTypes ProviderApp::granted(const std::string& user) {
  auto types = client_->granted_types(user);
  return types ? *types : myna::RecordTypes();
}

void ProviderApp::start(const httplib::Request& req, httplib::Response& res) {
  auto [id, s] = session(req, res);
  StartView view{granted(s->user), types_of(req), "", myna::stop_window_at(std::chrono::system_clock::now())};
  if (view.preselect.empty()) view.preselect = {myna::RecordType::checkup};
  html(res, 200, start_page(view));
}

void ProviderApp::begin_consent(const httplib::Request& req, httplib::Response& res) {
  auto [id, s] = session(req, res);
  const myna::RecordTypes chosen = types_of(req);
  const myna::RecordTypes linked = granted(s->user);
  if (chosen.empty()) {
    StartView view{linked, {}, "連携する情報を1つ以上選んでください。", std::nullopt};
    return html(res, 400, start_page(view));
  }
  // One token per citizen: a second consent asks for everything linked so far plus the new
  // types, and its token replaces the old one (docs/consent-flow.md).
  auto request = client_->begin_consent(chosen | linked);
  if (!request) return html(res, 500, error_page(request.error()));
  const std::string url = request->url;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s->consent = std::move(*request);
  }
  see_other(res, url);
}

void ProviderApp::callback(const httplib::Request& req, httplib::Response& res) {
  auto [id, s] = session(req, res);
  std::optional<myna::ConsentRequest> consent;
  {
    std::lock_guard<std::mutex> lock(mu_);
    consent = std::move(s->consent);
    s->consent.reset();
  }
  if (!consent)
    return html(res, 400, error_page(myna::Error(myna::ErrorCategory::auth, "no consent in progress in this session")));
  myna::Status done = client_->complete_consent(s->user, req.target, *consent);
  if (!done) return html(res, 403, error_page(done.error(), consent->types));
  see_other(res, "/records");
}

void ProviderApp::records(const httplib::Request& req, httplib::Response& res) {
  auto [id, s] = session(req, res);
  const myna::RecordTypes types = granted(s->user);
  if (types.empty()) return html(res, 403, error_page(myna::Error(myna::ErrorCategory::consent_required, "no grant")));
  std::string from = req.has_param("from") ? req.get_param_value("from") : jst_date(3);
  std::string to = req.has_param("to") ? req.get_param_value("to") : jst_date(0);
  see_other(res, "/records/result?job=" + start_job(s->user, types, std::move(from), std::move(to)));
}

void ProviderApp::result(const httplib::Request& req, httplib::Response& res) {
  auto [id, s] = session(req, res);
  auto job = find_job(req.get_param_value("job"));
  if (!job || job->user != s->user) return see_other(res, "/records");
  std::lock_guard<std::mutex> lock(job->mu);
  if (!job->done) return html(res, 200, waiting_page(job->types));
  html(res, 200, records_page(job->from, job->to, job->sections));
}

std::string ProviderApp::start_job(const std::string& user, myna::RecordTypes types, std::string from, std::string to) {
  auto job = std::make_shared<Job>();
  job->user = user;
  job->from = std::move(from);
  job->to = std::move(to);
  for (myna::RecordType t : myna::kAllRecordTypes)
    if (types.contains(t)) job->types.push_back(t);
  const std::string id = random_id();
  std::lock_guard<std::mutex> lock(mu_);
  if (jobs_.size() >= kMaxJobs) jobs_.erase(jobs_.begin());
  jobs_[id] = job;
  workers_.emplace_back([this, job] { run_job(job); });
  return id;
}

void ProviderApp::run_job(std::shared_ptr<Job> job) {
  std::vector<TypeSection> sections;
  for (myna::RecordType type : job->types) {
    sections.push_back(myna::visit_record_type(
        type, [&](auto tag) { return fetch_section<decltype(tag)>(*client_, job->user, job->from, job->to); }));
  }
  std::lock_guard<std::mutex> lock(job->mu);
  job->sections = std::move(sections);
  job->done = true;
}

std::shared_ptr<Job> ProviderApp::find_job(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

}  // namespace web_app
