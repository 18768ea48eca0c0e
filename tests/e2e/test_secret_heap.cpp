// The bearer token does not survive in freed heap blocks. This program replaces the global
// operator new/delete: every block carries its size in a header, and while the scan is armed
// each block is searched for the token at the moment it is freed (legal: the block is still
// ours). The sandbox runs as a separate process (myna-sandbox), so only the client's own
// blocks are scanned. What libcurl and OpenSSL allocate with malloc is theirs and not
// scanned (docs/security.md, "Wiping is best effort").
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "myna/auth/token.hpp"
#include "myna/client/client.hpp"
#include "myna/sandbox/sandbox.hpp"
#include "unit/temp_dir.hpp"
#include "unit/transport_fixture.hpp"

extern char** environ;

namespace {

// ---------------------------------------------------------------- the heap scanner

// While recording, the content of every block freed is appended to an arena (malloc'd, so it
// is not itself scanned); afterwards the arena is searched for each secret, also for secrets
// that only became known later (the tokens of a response).
constexpr std::size_t kHeader = alignof(std::max_align_t);  // keeps new's alignment
constexpr std::size_t kArenaBytes = 64u << 20;
constexpr std::size_t kProbe = 20;  // a secret's first 20 characters: partial copies count too
std::atomic<bool> g_recording{false};
std::atomic<bool> g_one_thread{false};  // record only the blocks the recording thread frees
std::atomic<pthread_t> g_thread{};
char* g_arena = nullptr;
std::atomic<std::size_t> g_used{0};
std::atomic<long> g_blocks{0};
std::atomic<bool> g_overflow{false};

void record(const void* block, std::size_t size) noexcept {
  if (!g_recording.load(std::memory_order_acquire)) return;
  if (g_one_thread.load(std::memory_order_relaxed) && !::pthread_equal(::pthread_self(), g_thread.load())) return;
  const std::size_t at = g_used.fetch_add(size + 1);
  if (at + size + 1 > kArenaBytes) {
    g_overflow = true;
    return;
  }
  std::memcpy(g_arena + at, block, size);
  g_arena[at + size] = '\0';  // blocks never join into a false match
  ++g_blocks;
}

/// one_thread: only this thread's frees (an in-process server handles the secret too).
void start_recording(bool one_thread = false) {
  g_one_thread = one_thread;
  g_thread = ::pthread_self();
  if (!g_arena) g_arena = static_cast<char*>(std::malloc(kArenaBytes));
  REQUIRE(g_arena != nullptr);
  g_used = 0;
  g_blocks = 0;
  g_overflow = false;
  g_recording.store(true, std::memory_order_release);
}

void stop_recording() { g_recording.store(false, std::memory_order_release); }

/// Whether any block freed while recording held (the start of) the secret.
bool freed_blocks_hold(std::string_view secret) {
  REQUIRE(secret.size() >= kProbe);
  REQUIRE_FALSE(g_overflow);
  const std::size_t used = std::min<std::size_t>(g_used, kArenaBytes);
  return ::memmem(g_arena, used, secret.data(), kProbe) != nullptr;
}

// A new block starts zeroed: malloc may hand out memory libcurl or OpenSSL freed unwiped (say a
// header line with the token), and what the scan finds must be a copy the SDK itself made.
void* allocate(std::size_t n) noexcept {
  auto* raw = static_cast<unsigned char*>(std::calloc(1, n + kHeader));
  if (!raw) return nullptr;
  std::memcpy(raw, &n, sizeof n);
  return raw + kHeader;
}

void release(void* p) noexcept {
  if (!p) return;
  auto* raw = static_cast<unsigned char*>(p) - kHeader;
  std::size_t n = 0;
  std::memcpy(&n, raw, sizeof n);
  record(p, n);
  std::free(raw);
}

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

namespace {

// ---------------------------------------------------------------- the sandbox, another process

class SandboxProcess {
 public:
  SandboxProcess(const std::string& state_dir, std::vector<std::string> extra) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args{MYNA_SANDBOX_BINARY, "--state-dir", state_dir, "--delay", "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(::posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    output_ = ::fdopen(out[0], "r");
    REQUIRE(output_ != nullptr);
    char line[512];
    while ((api_.empty() || app_.empty()) && std::fgets(line, sizeof line, output_)) {
      const std::string text(line);
      const auto url = text.find("https://");
      if (url == std::string::npos) continue;
      std::string value = text.substr(url, text.find_first_of(" \n", url) - url);
      if (text.find("API host") != std::string::npos) api_ = value;
      if (text.find("consent host") != std::string::npos) app_ = value;
    }
    REQUIRE_FALSE(api_.empty());
    REQUIRE_FALSE(app_.empty());
  }
  ~SandboxProcess() {
    ::kill(pid_, SIGINT);
    ::waitpid(pid_, nullptr, 0);
    std::fclose(output_);
  }
  const std::string& api() const { return api_; }
  const std::string& app() const { return app_; }

 private:
  pid_t pid_ = 0;
  std::FILE* output_ = nullptr;
  std::string api_, app_;
};

std::size_t ignore_body(char*, std::size_t size, std::size_t n, void*) { return size * n; }

/// Plays the citizen's browser: the consent page answers with a redirect; its Location.
std::string consent_redirect(const std::string& url, const std::string& ca_file) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &ignore_body);
  std::string location;
  if (curl_easy_perform(curl) == CURLE_OK) {
    char* target = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &target) == CURLE_OK && target) location = target;
  }
  curl_easy_cleanup(curl);
  return location;
}

}  // namespace

TEST_CASE("the heap scan sees a token left in a freed block (control)", "[secret][heap]") {
  const std::string token = "control-token-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  start_recording();
  { std::string copy = std::string(token.data(), token.size()); }  // freed without being wiped
  stop_recording();
  CHECK(freed_blocks_hold(token));
  start_recording();
  { myna::SecretString secret(std::string(token.data(), token.size())); }  // wiped when destroyed
  stop_recording();
  CHECK_FALSE(freed_blocks_hold(token));
}

namespace {

/// A client of a myna-sandbox process (extra: its options), with a memory token store.
struct Rig {
  myna::test::TempDir state;
  SandboxProcess sandbox;
  std::shared_ptr<myna::TokenStore> tokens = myna::make_memory_token_store();
  std::shared_ptr<myna::Client> client;

  explicit Rig(std::vector<std::string> extra = {}) : sandbox(state.sub("sandbox"), std::move(extra)) {
    myna::ClientOptions options;
    options.profile = myna::sandbox::SandboxOptions::default_profile();
    options.profile.api_base_url = sandbox.api();
    options.profile.authorize_base_url = sandbox.app();
    options.curl.tls.ca_file = state.sub("sandbox/ca.pem");
    options.curl.tls.client_cert_file = state.sub("sandbox/client.pem");
    options.curl.tls.client_key_file = state.sub("sandbox/client-key.pem");
    options.notification_timeout = std::chrono::milliseconds(100);  // no listener: the fallback fetch
    options.token_store = tokens;
    client = myna::Client::create(options).value();
  }

  /// The citizen's browser at the consent page: the redirect it comes back with.
  std::string redirect_for(const myna::ConsentRequest& request, const std::string& citizen) {
    std::string redirect = consent_redirect(request.url + "&citizen=" + citizen, state.sub("sandbox/ca.pem"));
    REQUIRE(redirect.find("code=") != std::string::npos);
    return redirect;
  }

  myna::Token token(const std::string& user) { return tokens->load(user).value().value(); }

  void fetch(const std::string& user) {
    const auto query = myna::make_query(myna::RecordType::drug, "20240101", "20241231").value();
    auto drugs = client->fetch_drugs(user, query);
    REQUIRE(drugs.ok());
  }
};

}  // namespace

TEST_CASE("secrets: no freed heap block of the client holds the bearer token after authenticated calls",
          "[e2e][attack][secret][heap]") {
  Rig rig;
  const auto request = rig.client->begin_consent().value();
  REQUIRE(rig.client->complete_consent("heap", rig.redirect_for(request, "C0000001"), request).ok());
  const myna::Token token = rig.token("heap");
  start_recording();
  for (int i = 0; i < 2; ++i) rig.fetch("heap");  // each: a request telegram and a result fetch
  stop_recording();
  INFO("blocks freed: " << g_blocks.load());
  CHECK(g_blocks > 100);
  CHECK_FALSE(freed_blocks_hold(token.access_token.reveal()));
}

TEST_CASE("secrets: no freed heap block of the client holds the code or the tokens of an exchange or a refresh",
          "[e2e][attack][secret][heap]") {
  Rig rig({"--token-lifetime", "30"});  // within the client's 60 s refresh margin: every call refreshes
  const auto request = rig.client->begin_consent().value();
  std::string redirect = rig.redirect_for(request, "C0000002");  // the test's own copies of the code live on
  const std::string code = redirect.substr(redirect.find("code=") + 5, 24);
  start_recording();
  REQUIRE(rig.client->complete_consent("heap", redirect, request).ok());
  stop_recording();
  const myna::Token first = rig.token("heap");
  INFO("blocks freed: " << g_blocks.load());
  CHECK_FALSE(freed_blocks_hold(code));
  CHECK_FALSE(freed_blocks_hold(first.access_token.reveal()));
  CHECK_FALSE(freed_blocks_hold(first.refresh_token.reveal()));

  start_recording();
  rig.fetch("heap");  // refreshes first: the token is inside the refresh margin
  stop_recording();
  const myna::Token second = rig.token("heap");
  REQUIRE_FALSE(second.access_token.equals(first.access_token.reveal()));
  CHECK_FALSE(freed_blocks_hold(first.refresh_token.reveal()));
  CHECK_FALSE(freed_blocks_hold(second.access_token.reveal()));
  CHECK_FALSE(freed_blocks_hold(second.refresh_token.reveal()));
}

TEST_CASE("secrets: a token response that arrives in many pieces leaves no copy in freed blocks",
          "[e2e][attack][secret][heap]") {
  // The token endpoint answers in 1 KiB chunks, so the collected body grows many times.
  const std::string access = "access-7c1d9e2f4a6b8c0d1e3f5a7b9c1d3e5f";
  const std::string refresh = "refresh-0a2b4c6d8e1f3a5b7c9d1e3f5a7b9c1d";
  const std::string body = "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":3600," +
                           "\"refresh_token\":\"" + refresh + "\",\"padding\":\"" + std::string(64 * 1024, 'x') + "\"}";
  myna::test::TestServer server(myna::test::TestServer::Mode::tls);
  server.http().Post(".*", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](std::size_t offset, httplib::DataSink& sink) {
      if (offset >= body.size()) {
        sink.done();
        return true;
      }
      return sink.write(body.data() + offset, std::min<std::size_t>(1024, body.size() - offset));
    });
  });
  server.start();
  myna::Profile profile;
  profile.api_base_url = server.url("");
  profile.supports_refresh = true;
  const myna::TokenClient client(profile, myna::make_curl_transport(myna::test::mtls_options()).value());
  start_recording(true);  // the server thread builds the body: only the client's thread is recorded
  auto token = client.exchange_code(myna::SecretString(std::string("code-5e4d3c2b1a09f8e7d6c5b4a3")),
                                    myna::SecretString(), myna::Context());
  stop_recording();
  REQUIRE(token.ok());
  CHECK(token->access_token.reveal() == access);
  INFO("blocks freed: " << g_blocks.load());
  CHECK_FALSE(freed_blocks_hold(access));
  CHECK_FALSE(freed_blocks_hold(refresh));
  CHECK_FALSE(freed_blocks_hold("code-5e4d3c2b1a09f8e7d6c5b4a3"));
}
