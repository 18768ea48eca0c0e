#include "notifier.hpp"

#include <curl/curl.h>

#include <memory>

namespace myna::internal::sandbox {
namespace {

constexpr std::size_t kMaxReplyBytes = 64 * 1024;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  std::size_t n = size * count;
  if (out->size() + n > kMaxReplyBytes) return 0;  // aborts: a reply telegram is tiny
  out->append(data, n);
  return n;
}

}  // namespace

Notifier::Notifier(Profile profile, std::string ca_file, Counters& counters, TlsClientFiles client, std::size_t workers)
    : profile_(std::move(profile)), ca_file_(std::move(ca_file)), client_(std::move(client)), counters_(counters) {
  for (std::size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

Notifier::~Notifier() { stop(); }

void Notifier::set_urls(std::vector<std::string> urls) {
  std::lock_guard<std::mutex> lock(mutex_);
  urls_ = std::move(urls);
}

void Notifier::schedule(Notification notification, SteadyClock::time_point when) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    jobs_.push(Job{when, next_order_++, std::move(notification)});
  }
  wake_.notify_one();
}

void Notifier::deliver_now(const Notification& notification) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  deliver(curl.get(), notification);
}

void Notifier::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    jobs_ = {};
  }
  wake_.notify_all();
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
}

bool Notifier::next_job(Job& job) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (stopping_) return false;
    if (jobs_.empty()) {
      wake_.wait(lock);
    } else if (auto due = jobs_.top().when; due > SteadyClock::now()) {
      wake_.wait_until(lock, due);  // a copy: the queue may change while waiting
    } else {
      job = jobs_.top();
      jobs_.pop();
      return true;
    }
  }
}

std::string Notifier::next_url() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (urls_.empty()) return {};
  return urls_[next_url_++ % urls_.size()];
}

void Notifier::work() {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  Job job;
  while (next_job(job)) deliver(curl.get(), job.notification);
}

void Notifier::deliver(void* handle, const Notification& notification) {
  std::string url = next_url();
  if (url.empty() || !handle) return;  // nobody to notify: the result is still fetchable
  CURL* curl = static_cast<CURL*>(handle);
  std::string body = codec::encode_header(notification.header), reply;
  std::unique_ptr<curl_slist, ListDeleter> headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  if (!ca_file_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  if (!client_.cert_file.empty()) {  // sent only when the endpoint asks for a certificate
    curl_easy_setopt(curl, CURLOPT_SSLCERT, client_.cert_file.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, client_.key_file.c_str());
  }
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (notification.forged) {
    ++counters_.forged_sent;
    if (status == 200) ++counters_.forged_accepted;
    return;
  }
  ++counters_.notifications_sent;
  if (status == 200 && is_echo(reply, notification.header))
    ++counters_.notifications_acked;
  else
    ++counters_.notifications_rejected;
}

bool Notifier::is_echo(const std::string& reply, const CommonHeader& sent) const {
  auto header = codec::decode_header(reply, profile_);
  return header.ok() && header->telegram_type == profile_.notification_reply_type &&
         header->telegram_id == sent.telegram_id && header->process_id == sent.process_id &&
         header->mode == sent.mode && header->error_code == sent.error_code;
}

}  // namespace myna::internal::sandbox
