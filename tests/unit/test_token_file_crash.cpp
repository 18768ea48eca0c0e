// The file token store under crashes: a child process saves tokens in a loop and is killed
// (SIGKILL) at a random moment; the file then loads fine, holding the old or the new token,
// never garbage. Files stay private, and removing a citizen's token leaves no copy behind.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "myna/auth/token.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;

namespace {

Token token(const std::string& access, const std::string& refresh) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return Token{SecretString(access), SecretString(refresh), now + std::chrono::hours(1),
               now + std::chrono::hours(24 * 90), now};
}

// Two tokens of different sizes, so that a torn file could not pass for either.
const std::string kOldAccess = "AT-old-" + std::string(40, 'o');
const std::string kNewAccess = "AT-new-" + std::string(400, 'n');
const std::string kRefresh = "RT-2b7f61c0d94e8a35";

/// Saves the two tokens alternately until killed. Runs in the child: no Catch2 here.
[[noreturn]] void save_forever(const std::string& dir) {
  auto store = make_file_token_store(dir);
  if (!store) ::_exit(2);
  const Token tokens[] = {token(kOldAccess, kRefresh), token(kNewAccess, kRefresh)};
  for (unsigned i = 0;; ++i)
    if (!(*store)->save("citizen", tokens[i % 2]).ok()) ::_exit(3);
}

/// Every file in dir, with its mode and content.
struct FileSeen {
  std::string name;
  unsigned mode;
  std::string content;
};
std::vector<FileSeen> files_in(const std::string& dir) {
  std::vector<FileSeen> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    std::ifstream in(e.path());
    std::stringstream content;
    content << in.rdbuf();
    out.push_back({e.path().filename().string(), static_cast<unsigned>(st.st_mode & 0777), content.str()});
  }
  return out;
}

}  // namespace

TEST_CASE("file token store: a writer killed at any moment never leaves a corrupt token", "[token][store][crash]") {
  test::TempDir tmp;
  const std::string dir = tmp.sub("tokens");
  auto store = make_file_token_store(dir).value();
  REQUIRE(store->save("citizen", token(kOldAccess, kRefresh)).ok());
  std::mt19937 rng(20261127);
  std::uniform_int_distribution<int> delay_us(200, 20000);
  int saw_old = 0, saw_new = 0;
  for (int round = 0; round < 40; ++round) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) save_forever(dir);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));  // it was still writing, not failed

    auto loaded = store->load("citizen");
    INFO("round " << round);
    REQUIRE(loaded.ok());
    REQUIRE(loaded->has_value());
    const std::string access(loaded->value().access_token.reveal());
    CHECK((access == kOldAccess || access == kNewAccess));
    CHECK(loaded->value().refresh_token.reveal() == kRefresh);
    (access == kOldAccess ? saw_old : saw_new)++;
    for (const FileSeen& f : files_in(dir)) {
      INFO(f.name);
      CHECK(f.mode == 0600);
    }
  }
  CHECK(saw_old + saw_new == 40);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  // Deletion on request: no file in the directory holds either token any more.
  REQUIRE(store->remove("citizen").ok());
  CHECK_FALSE(store->load("citizen").value().has_value());
  for (const FileSeen& f : files_in(dir)) {
    INFO(f.name << " survived remove()");
    CHECK(f.content.find(kOldAccess) == std::string::npos);
    CHECK(f.content.find(kNewAccess) == std::string::npos);
    CHECK(f.content.find(kRefresh) == std::string::npos);
  }
}
