#include "client/support.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "myna/sandbox/sandbox.hpp"

#ifndef MYNA_SANDBOX_EXE
#define MYNA_SANDBOX_EXE "myna-sandbox"
#endif

namespace bench::client {
namespace {

std::vector<char*> c_argv(const std::string& program, std::vector<std::string>& args) {
  args.insert(args.begin(), program);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

// Starts `program` with its stdout on a pipe; returns the child's pid and the pipe's read end.
pid_t spawn(const std::string& program, std::vector<std::string> args, int& out_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe failed");
  std::vector<char*> argv = c_argv(program, args);
  const pid_t pid = ::fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the bench (a sandbox would linger)
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execv(program.c_str(), argv.data());
    std::perror(program.c_str());
    ::_exit(127);
  }
  ::close(fds[1]);
  out_fd = fds[0];
  return pid;
}

// Reads one line (without '\n') from fd; false at end of file.
bool read_line(int fd, std::string& line) {
  line.clear();
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) return !line.empty();
    if (c == '\n') return true;
    line.push_back(c);
  }
}

// The value after `label` in a summary line ("  consent host        https://...").
bool field_after(const std::string& line, const std::string& label, std::string& out) {
  const auto at = line.find(label);
  if (at == std::string::npos) return false;
  const auto start = line.find_first_not_of(' ', at + label.size());
  out = start == std::string::npos ? "" : line.substr(start);
  return true;
}

std::string sandbox_exe() {
  const char* from_env = std::getenv("MYNA_SANDBOX_EXE");
  return from_env && *from_env ? from_env : MYNA_SANDBOX_EXE;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

}  // namespace

// ---------------------------------------------------------------- arguments

Args::Args(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) continue;
    const bool has_value = i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0;
    values_[name] = has_value ? argv[++i] : "";
  }
}

std::string Args::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long Args::number(const std::string& name, long long fallback) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) { fail(name + " needs a number"); }
}

std::vector<std::string> SandboxInfo::as_args() const {
  return {"--api", api_url, "--app", app_url, "--state", state_dir};
}

SandboxInfo SandboxInfo::from_args(const Args& args) {
  SandboxInfo info{args.text("--api"), args.text("--app"), args.text("--state")};
  if (info.api_url.empty() || info.app_url.empty() || info.state_dir.empty())
    fail("a child run needs --api, --app and --state");
  return info;
}

// ---------------------------------------------------------------- the sandbox process

SandboxProcess::SandboxProcess(const std::vector<std::string>& options) {
  char temp[] = "/tmp/myna-bench-XXXXXX";
  if (!::mkdtemp(temp)) fail("mkdtemp failed");
  temp_dir_ = temp;
  info_.state_dir = temp_dir_ + "/state";
  std::vector<std::string> args = {"--state-dir", info_.state_dir};
  args.insert(args.end(), options.begin(), options.end());
  pid_ = spawn(sandbox_exe(), args, out_fd_);
  read_summary();
}

SandboxProcess::~SandboxProcess() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(temp_dir_, ignored);
}

// Parses the start-up summary up to its last line (redirect_uri).
void SandboxProcess::read_summary() {
  std::string line, value;
  while (read_line(out_fd_, line)) {
    if (field_after(line, "API host (mutual TLS)", value)) info_.api_url = value;
    if (field_after(line, "consent host", value)) info_.app_url = value;
    if (line.find("redirect_uri") != std::string::npos) break;
  }
  if (info_.api_url.empty() || info_.app_url.empty()) {
    stop();
    throw std::runtime_error("the sandbox (" + sandbox_exe() + ") did not start; set MYNA_SANDBOX_EXE");
  }
}

std::string SandboxProcess::stop() {
  if (pid_ <= 0) return {};
  ::kill(pid_, SIGTERM);
  std::string line, last;
  while (read_line(out_fd_, line)) last = line;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  ::close(out_fd_);
  pid_ = -1;
  return last;
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    fail("cannot find a free loopback port");
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string notify_url(int port) { return "https://127.0.0.1:" + std::to_string(port) + "/myna/notify"; }

// ---------------------------------------------------------------- child runs

double ChildOutcome::value(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) fail("the child did not report " + name);
  return it->second;
}

ChildOutcome run_child(const std::vector<std::string>& args, const std::string& program) {
  int out_fd = -1;
  const pid_t pid = spawn(program, args, out_fd);
  ChildOutcome outcome;
  std::string line;
  while (read_line(out_fd, line)) {
    char name[128] = {};
    double value = 0;
    if (std::sscanf(line.c_str(), "VALUE %127s %lf", name, &value) == 2)
      outcome.values[name] = value;
    else
      std::cout << line << '\n';  // the child's own lines pass through
  }
  ::close(out_fd);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  outcome.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.ru_maxrss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return outcome;
}

std::string self_path() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) fail("cannot read /proc/self/exe");
  return path.string();
}

void report(const std::string& name, double value) {
  std::printf("VALUE %s %.6f\n", name.c_str(), value);
  std::fflush(stdout);
}

double own_peak_rss_mb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
  std::fclose(f);
  return static_cast<double>(kib) / 1024.0;
}

// ---------------------------------------------------------------- client side

myna::ClientOptions client_options(const SandboxInfo& sandbox) {
  myna::ClientOptions options;
  options.profile = myna::sandbox::SandboxOptions::default_profile();
  options.profile.authorize_base_url = sandbox.app_url;
  options.profile.api_base_url = sandbox.api_url;
  options.curl.tls.ca_file = sandbox.file("ca.pem");
  options.curl.tls.client_cert_file = sandbox.file("client.pem");
  options.curl.tls.client_key_file = sandbox.file("client-key.pem");
  options.notification_timeout = std::chrono::seconds(30);
  return options;
}

std::unique_ptr<myna::CallbackListener> start_listener(const SandboxInfo& sandbox, int port,
                                                       const myna::NotificationHandler& handler) {
  myna::ListenerOptions options;
  options.port = port;
  options.cert_file = sandbox.file("listener.pem");
  options.key_file = sandbox.file("listener-key.pem");
  auto listener = myna::CallbackListener::start(options, handler);
  if (!listener) fail("listener: " + listener.error().to_string());
  return std::move(*listener);
}

Consenter::Consenter(const SandboxInfo& sandbox) : ca_file_(sandbox.file("ca.pem")), curl_(curl_easy_init()) {
  if (!curl_) fail("curl_easy_init failed");
}

Consenter::~Consenter() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

// GET the authorize URL as the citizen; the redirect it answers with (not followed).
std::string Consenter::authorize(const std::string& url, const std::string& citizen_id) {
  CURL* curl = static_cast<CURL*>(curl_);
  const std::string header = "X-Sandbox-Citizen: " + citizen_id;
  curl_slist* headers = curl_slist_append(nullptr, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  char* location = nullptr;
  std::string redirect;
  if (curl_easy_perform(curl) == CURLE_OK && curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location)
    redirect = location;
  curl_slist_free_all(headers);
  return redirect;
}

myna::Status Consenter::consent(myna::Client& client, const std::string& user, const std::string& citizen_id) {
  auto request = client.begin_consent();
  if (!request) return request.error();
  const std::string redirect = authorize(request->url, citizen_id);
  if (redirect.empty()) return myna::Error(myna::ErrorCategory::consent_required, "the sandbox did not redirect");
  return client.complete_consent(user, redirect, *request);
}

double percentile(std::vector<double> sample, double p) {
  if (sample.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sample.size() - 1) + 0.5);
  auto at = sample.begin() + static_cast<std::ptrdiff_t>(std::min(rank, sample.size() - 1));
  std::nth_element(sample.begin(), at, sample.end());
  return *at;
}

void fail(const std::string& message) { throw std::runtime_error(message); }

int guarded_main(const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {  // destructors have run: the sandbox process is stopped
    std::fprintf(stderr, "bench: %s\n", e.what());
    return 1;
  }
}

}  // namespace bench::client
