#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "internal/crypto.hpp"
#include "myna/auth/token.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;
using SysClock = std::chrono::system_clock;
namespace fs = std::filesystem;

namespace {

Token make_token(const std::string& access, const std::string& refresh = "RT") {
  const auto now = std::chrono::floor<std::chrono::seconds>(SysClock::now());
  Token t;
  t.access_token = SecretString(access);
  t.refresh_token = SecretString(refresh);
  t.granted_at = now;
  t.expires_at = now + std::chrono::hours(1);
  t.grant_expires_at = now + std::chrono::hours(24 * 90);
  return t;
}

void check_same(const Token& a, const Token& b) {
  CHECK(a.access_token.reveal() == b.access_token.reveal());
  CHECK(a.refresh_token.reveal() == b.refresh_token.reveal());
  CHECK(a.expires_at == b.expires_at);
  CHECK(a.grant_expires_at == b.grant_expires_at);
  CHECK(a.granted_at == b.granted_at);
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string token_file(const std::string& dir, const std::string& citizen) {
  return dir + "/" + internal::sha256_hex(citizen) + ".token.json";
}

}  // namespace

TEST_CASE("memory token store", "[token][store]") {
  auto store = make_memory_token_store();
  auto none = store->load("citizen-1");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  const Token token = make_token("AT-1");
  REQUIRE(store->save("citizen-1", token).ok());
  auto loaded = store->load("citizen-1");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  check_same(**loaded, token);
  REQUIRE(store->remove("citizen-1").ok());
  CHECK_FALSE(store->load("citizen-1")->has_value());
}

TEST_CASE("file token store: private directory and files", "[token][store][file]") {
  test::TempDir tmp;
  const std::string dir = tmp.sub("a/b/tokens");
  auto store = make_file_token_store(dir);
  REQUIRE(store.ok());
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(tmp.sub("a")) == 0700);

  const Token token = make_token("AT-\"FILE\"\\/é\n", "RT-FILE");
  REQUIRE((*store)->save("citizen-1", token).ok());
  CHECK(mode_of(token_file(dir, "citizen-1")) == 0600);
  auto loaded = (*store)->load("citizen-1");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  check_same(**loaded, token);

  // A second store object on the same directory sees it (persistence).
  auto again = make_file_token_store(dir);
  REQUIRE(again.ok());
  check_same(*(*again)->load("citizen-1").value(), token);

  REQUIRE((*store)->remove("citizen-1").ok());
  CHECK_FALSE((*store)->load("citizen-1")->has_value());
  CHECK((*store)->remove("citizen-1").ok());  // removing twice is fine
}

TEST_CASE("file token store tightens an existing directory", "[token][store][file]") {
  test::TempDir tmp;
  const std::string dir = tmp.sub("open");
  REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
  REQUIRE(make_file_token_store(dir).ok());
  CHECK(mode_of(dir) == 0700);

  const std::string file = tmp.sub("not-a-dir");
  std::ofstream(file) << "x";
  auto refused = make_file_token_store(file);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::storage);
}

TEST_CASE("file token store replaces files atomically", "[token][store][file]") {
  test::TempDir tmp;
  auto store = make_file_token_store(tmp.path()).value();
  REQUIRE(store->save("c", make_token("AT-1")).ok());
  struct stat first {};
  REQUIRE(::stat(token_file(tmp.path(), "c").c_str(), &first) == 0);
  REQUIRE(store->save("c", make_token("AT-2")).ok());
  struct stat second {};
  REQUIRE(::stat(token_file(tmp.path(), "c").c_str(), &second) == 0);
  CHECK(first.st_ino != second.st_ino);     // a new file was renamed over the old one
  CHECK(names_in(tmp.path()).size() == 1);  // no temp files left behind
  CHECK(store->load("c")->value().access_token.reveal() == "AT-2");

  SECTION("a crash while writing leaves the old token readable") {
    // What a crash mid-write leaves: a partial temp file next to the intact token file.
    const std::string temp = tmp.path() + "/." + internal::sha256_hex("c") + ".token.json.tmp-deadbeef";
    std::ofstream(temp) << R"({"version":1,"access_token":"AT-HALF)";
    CHECK(store->load("c")->value().access_token.reveal() == "AT-2");
  }
  SECTION("concurrent saves never produce a torn file") {
    std::atomic<int> failures{0};  // Catch2 assertions are not thread-safe
    std::vector<std::thread> writers;
    for (int i = 0; i < 4; ++i)
      writers.emplace_back([&, i] {
        for (int k = 0; k < 20; ++k)
          if (!store->save("c", make_token("AT-" + std::to_string(i))).ok()) ++failures;
      });
    for (int k = 0; k < 50; ++k) {
      auto loaded = store->load("c");
      REQUIRE(loaded.ok());
      REQUIRE(loaded->has_value());
    }
    for (auto& t : writers) t.join();
    CHECK(failures == 0);
    CHECK(names_in(tmp.path()).size() == 1);
  }
}

TEST_CASE("file token store: a corrupt file is a storage error", "[token][store][file]") {
  test::TempDir tmp;
  auto store = make_file_token_store(tmp.path()).value();
  for (const char* content : {"", "{", "not json", R"({"version":1})", R"({"version":2,"access_token":"a",
      "refresh_token":"","expires_at":1,"grant_expires_at":1,"granted_at":1})",
                              R"({"version":1,"access_token":5,"refresh_token":"","expires_at":1,
      "grant_expires_at":1,"granted_at":1})"}) {
    std::ofstream(token_file(tmp.path(), "c"), std::ios::trunc) << content;
    auto loaded = store->load("c");
    INFO(content);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().category() == ErrorCategory::storage);
  }
}

TEST_CASE("file token store: citizen keys cannot escape the directory", "[token][store][file][security]") {
  test::TempDir tmp;
  const std::string dir = tmp.sub("tokens");
  auto store = make_file_token_store(dir).value();
  const std::vector<std::string> keys = {"../../evil", "../escape", "/etc/passwd", "a/b", ".lock", ".."};
  for (const auto& key : keys) REQUIRE(store->save(key, make_token("AT")).ok());
  const auto names = names_in(dir);
  CHECK(names.size() == keys.size());
  for (const auto& name : names) {
    CHECK(name.size() == 64 + std::string(".token.json").size());
    CHECK(name.find_first_not_of("0123456789abcdef") == 64);
  }
  CHECK(names_in(tmp.path()) == std::vector<std::string>{"tokens"});

  auto empty = store->save("", make_token("AT"));
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().category() == ErrorCategory::validation);
}
