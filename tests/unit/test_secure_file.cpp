// The one safe writer for files holding secrets or records (token and retrieval stores, every
// file the CLI writes, the sandbox's keys), and the private-directory check of the stores.
// Planted symlinks, other owners, shared directories, existing files, permissions.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "internal/secure_file.hpp"
#include "myna/auth/token.hpp"
#include "myna/process/retrieval.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;
namespace fs = std::filesystem;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const std::string& path, const std::string& text, mode_t mode = 0644) {
  std::ofstream(path) << text;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

}  // namespace

TEST_CASE("safe writer: a symlink at the final name is replaced, never followed", "[secure_file][security]") {
  test::TempDir tmp;
  const std::string victim = tmp.sub("victim"), path = tmp.sub("out.csv");
  write(victim, "untouched", 0666);
  REQUIRE(::symlink(victim.c_str(), path.c_str()) == 0);
  REQUIRE(internal::atomic_write_path(path, "records").ok());
  CHECK(read(victim) == "untouched");
  CHECK(S_ISREG(lstat_of(path).st_mode));
  CHECK(read(path) == "records");
  CHECK((lstat_of(path).st_mode & 0777) == 0600);
}

TEST_CASE("safe writer: the temp name is unpredictable and never opened if it exists", "[secure_file][security]") {
  test::TempDir tmp;
  const std::string victim = tmp.sub("victim"), path = tmp.sub("out.csv");
  write(victim, "untouched", 0666);
  // Every name an earlier writer used (PATH.tmp-<pid>, PATH.tmp) is a symlink to the victim.
  for (const std::string& guess :
       {path + ".tmp-" + std::to_string(::getpid()), path + ".tmp", tmp.sub(".out.csv.tmp-")})
    REQUIRE(::symlink(victim.c_str(), guess.c_str()) == 0);
  REQUIRE(internal::atomic_write_path(path, "records").ok());
  REQUIRE(internal::atomic_write_path(path, "records again").ok());
  CHECK(read(victim) == "untouched");
  CHECK(read(path) == "records again");
  int temp_files = 0;
  for (const auto& e : fs::directory_iterator(tmp.path()))
    temp_files += !fs::is_symlink(e.symlink_status()) && e.path().filename().string().find(".tmp") != std::string::npos;
  CHECK(temp_files == 0);  // nothing left behind
}

TEST_CASE("safe writer: an existing file is replaced by a new private one", "[secure_file]") {
  test::TempDir tmp;
  const std::string path = tmp.sub("config");
  write(path, "old", 0666);
  const ino_t before = lstat_of(path).st_ino;
  const mode_t old_umask = ::umask(0);  // the mode is exact whatever the umask
  Status written = internal::atomic_write_path(path, "new");
  ::umask(old_umask);
  REQUIRE(written.ok());
  CHECK(lstat_of(path).st_ino != before);
  CHECK((lstat_of(path).st_mode & 0777) == 0600);
  CHECK(read(path) == "new");
  REQUIRE(internal::atomic_write_path(tmp.sub("cert.pem"), "public", 0644).ok());
  CHECK((lstat_of(tmp.sub("cert.pem")).st_mode & 0777) == 0644);
  CHECK_FALSE(internal::atomic_write_path(tmp.path() + "/", "x").ok());  // no file name
}

TEST_CASE("safe writer: appending opens only this user's own regular file", "[secure_file][security]") {
  test::TempDir tmp;
  const std::string victim = tmp.sub("victim"), link = tmp.sub("progress");
  write(victim, "untouched", 0666);
  REQUIRE(::symlink(victim.c_str(), link.c_str()) == 0);
  CHECK_FALSE(internal::open_own_file_for_append(link).value().has_value());  // a symlink: not followed
  CHECK_FALSE(internal::open_own_file_for_append(tmp.sub("absent")).value().has_value());
  const std::string fifo = tmp.sub("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_FALSE(internal::open_own_file_for_append(fifo).value().has_value());  // and it does not block
  const std::string others = tmp.sub("others");
  write(others, "theirs", 0666);
  REQUIRE(::chown(others.c_str(), 65534, 65534) == 0);
  CHECK_FALSE(internal::open_own_file_for_append(others).value().has_value());

  auto created = internal::create_file_atomically(tmp.path(), "progress", "header\n");  // replaces the link
  REQUIRE(created.ok());
  REQUIRE(internal::write_all(*created, "line 1\n"));
  ::close(*created);
  auto opened = internal::open_own_file_for_append(link).value();
  REQUIRE(opened.has_value());
  REQUIRE(internal::write_all(*opened, "line 2\n"));
  ::close(*opened);
  CHECK(read(link) == "header\nline 1\nline 2\n");
  CHECK(read(victim) == "untouched");
}

TEST_CASE("private directory: a symlink is refused, never followed", "[secure_file][security]") {
  test::TempDir tmp;
  const std::string real = tmp.sub("real"), link = tmp.sub("tokens");
  REQUIRE(::mkdir(real.c_str(), 0700) == 0);
  REQUIRE(::symlink(real.c_str(), link.c_str()) == 0);
  auto refused = make_file_token_store(link);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::storage);
  CHECK(refused.error().message().find("symbolic link") != std::string::npos);
  CHECK_FALSE(make_file_retrieval_store(link).ok());
  CHECK(fs::is_empty(real));
}

TEST_CASE("private directory: another user's, or one writable by others, is refused", "[secure_file][security]") {
  test::TempDir tmp;
  const std::string theirs = tmp.sub("theirs");
  REQUIRE(::mkdir(theirs.c_str(), 0700) == 0);
  if (::geteuid() == 0) {  // only root can hand a directory to another user
    REQUIRE(::chown(theirs.c_str(), 65534, 65534) == 0);
    auto refused = make_file_token_store(theirs);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message().find("owned by another user") != std::string::npos);
  }
  for (mode_t shared : {0777, 0770, 0702, 01777}) {
    INFO(std::oct << shared);
    const std::string dir = tmp.sub("shared");
    REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
    REQUIRE(::chmod(dir.c_str(), shared) == 0);
    auto refused = make_file_token_store(dir);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message().find("writable by others") != std::string::npos);
    REQUIRE(::rmdir(dir.c_str()) == 0);
  }
  const std::string readable = tmp.sub("readable");
  REQUIRE(::mkdir(readable.c_str(), 0700) == 0);
  REQUIRE(::chmod(readable.c_str(), 0755) == 0);
  REQUIRE(make_file_token_store(readable).ok());  // readable only: tightened
  CHECK((lstat_of(readable).st_mode & 0777) == 0700);
}
