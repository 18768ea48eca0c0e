// Outbound completion notifications: a delay queue served by a small pool of workers, each
// with its own libcurl handle (connections are kept alive per worker). URLs are used
// round-robin, like a load balancer in front of the provider's endpoints.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "myna/codec/envelope.hpp"
#include "myna/profile.hpp"
#include "stats.hpp"
#include "util.hpp"

namespace myna::internal::sandbox {

struct Notification {
  CommonHeader header;  ///< POSTed as {"commonHeader":{...}}
  bool forged = false;  ///< unknown ids: counted in forged_sent / forged_accepted
};

/// The client certificate presented to https:// endpoints that ask for one (both empty: none).
struct TlsClientFiles {
  std::string cert_file, key_file;
};

class Notifier {
 public:
  /// ca_file: trusted for https:// URLs (the sandbox CA); "" uses the system store.
  Notifier(Profile profile, std::string ca_file, Counters& counters, TlsClientFiles client = {},
           std::size_t workers = 4);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void set_urls(std::vector<std::string> urls);
  void schedule(Notification notification, SteadyClock::time_point when);
  /// Delivers one notification now, on the calling thread (e.g. before a response is sent).
  void deliver_now(const Notification& notification);
  /// Drops pending notifications and joins the workers.
  void stop();

 private:
  struct Job {
    SteadyClock::time_point when;
    std::uint64_t order;
    Notification notification;
    bool operator>(const Job& other) const { return when != other.when ? when > other.when : order > other.order; }
  };

  void work();
  bool next_job(Job& job);
  std::string next_url();
  void deliver(void* curl, const Notification& notification);
  bool is_echo(const std::string& reply, const CommonHeader& sent) const;

  Profile profile_;
  std::string ca_file_;
  TlsClientFiles client_;
  Counters& counters_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Job, std::vector<Job>, std::greater<Job>> jobs_;
  std::vector<std::string> urls_;
  std::uint64_t next_order_ = 0, next_url_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace myna::internal::sandbox
