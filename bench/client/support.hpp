// Helpers shared by the client benchmarks (bench_stream, bench_retrieval, bench_batch): the
// sandbox in a process of its own, this program run again as a child process whose memory is
// measured alone, consent, and client options pointing at the sandbox.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "myna/client/client.hpp"
#include "myna/client/listener.hpp"

namespace bench::client {

/// "--name value" options and bare "--flag"s.
class Args {
 public:
  Args(int argc, char** argv);
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string text(const std::string& name, const std::string& fallback = "") const;
  long long number(const std::string& name, long long fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

/// Where a running sandbox listens and the PEM files it wrote into its state directory.
struct SandboxInfo {
  std::string api_url, app_url, state_dir;
  std::string file(const char* name) const { return state_dir + "/" + name; }
  /// The options a child needs to reach the same sandbox.
  std::vector<std::string> as_args() const;
  static SandboxInfo from_args(const Args& args);
};

/// The myna-sandbox executable in its own process, so that only the client is measured.
class SandboxProcess {
 public:
  /// Starts it with --state-dir (a fresh temp dir) plus `options`; throws std::runtime_error.
  explicit SandboxProcess(const std::vector<std::string>& options);
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  const SandboxInfo& info() const { return info_; }
  /// SIGTERM, then waits; returns the sandbox's closing "stopped: ..." line.
  std::string stop();

 private:
  void read_summary();

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string temp_dir_;
  SandboxInfo info_;
};

/// A loopback TCP port that was free a moment ago (for the notification listener, whose URL
/// the sandbox must know when it starts).
int free_loopback_port();
std::string notify_url(int port);

/// What a child run of this program reported ("VALUE name number" lines) and how it ended.
struct ChildOutcome {
  int exit_status = -1;
  double ru_maxrss_mb = 0;  ///< from wait4; includes the pre-exec image, so prefer peak_rss_mb
  std::map<std::string, double> values;
  double value(const std::string& name) const;
};

/// Runs this executable again with `args` (or `program` with args) and waits for it.
ChildOutcome run_child(const std::vector<std::string>& args, const std::string& program = "/proc/self/exe");
/// The path of this executable.
std::string self_path();
/// Child side: one "VALUE name number" line for the parent.
void report(const std::string& name, double value);
/// Peak resident set (VmHWM) of this address space, in MiB: after exec it counts only this
/// program, unlike ru_maxrss, which keeps the high-water mark of the image before exec.
double own_peak_rss_mb();

/// Client options for the sandbox: its profile, CA and the provider's client certificate.
myna::ClientOptions client_options(const SandboxInfo& sandbox);
/// The notification endpoint (HTTPS with the sandbox's listener certificate) on `port`.
std::unique_ptr<myna::CallbackListener> start_listener(const SandboxInfo& sandbox, int port,
                                                       const myna::NotificationHandler& handler);

/// Plays the citizen's browser on the consent host (one keep-alive connection) and completes
/// the consent through the client, which stores the token under `user`. One per thread.
class Consenter {
 public:
  explicit Consenter(const SandboxInfo& sandbox);
  ~Consenter();
  Consenter(const Consenter&) = delete;
  Consenter& operator=(const Consenter&) = delete;
  myna::Status consent(myna::Client& client, const std::string& user, const std::string& citizen_id);

 private:
  std::string authorize(const std::string& url, const std::string& citizen_id);
  std::string ca_file_;
  void* curl_;
};

/// The p-th percentile (0..100, nearest rank) of a sample (copied); median = percentile 50.
double percentile(std::vector<double> sample, double p);
inline double median(std::vector<double> sample) { return percentile(std::move(sample), 50); }
/// Stops the bench with a message (a bench that cannot measure must not print figures):
/// throws std::runtime_error, which guarded_main reports after the destructors have run.
[[noreturn]] void fail(const std::string& message);
/// Runs main's body; an exception becomes a message on stderr and exit status 1.
int guarded_main(const std::function<int()>& body);

}  // namespace bench::client
