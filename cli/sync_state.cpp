#include "sync_state.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "internal/secure_file.hpp"

namespace myna::cli {
namespace {

constexpr const char* kFileName = ".myna-sync-progress";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) cells.push_back(cell);
  return cells;
}

/// The whole content of an open file, read from its start.
Result<std::string> read_all(int fd, const std::string& path) {
  std::string content;
  char chunk[4096];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fd, chunk, sizeof chunk, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(ErrorCategory::storage, "cannot read " + path);
    if (n == 0) return content;
    content.append(chunk, static_cast<std::size_t>(n));
    at += n;
  }
}

}  // namespace

// The file is this user's own regular file, opened without following a symlink; anything else
// at its path (a symlink, someone else's file) is replaced by a fresh one, never written through.
Result<ProgressFile> ProgressFile::open(const std::string& dir, const std::string& parameters, bool restart) {
  ProgressFile p;
  p.path_ = dir + "/" + kFileName;
  const std::string header = "# myna sync " + parameters;
  auto existing =
      restart ? Result<std::optional<int>>(std::optional<int>()) : internal::open_own_file_for_append(p.path_);
  if (!existing) return std::move(existing).error();
  std::string content;
  if (*existing) {
    p.fd_ = **existing;
    auto read = read_all(p.fd_, p.path_);
    if (!read) return std::move(read).error();
    content = std::move(*read);
  }
  std::istringstream in(content);
  std::string line;
  const bool fresh = !std::getline(in, line);
  if (!fresh && line != header)
    return Error(ErrorCategory::validation, dir + " holds a sync with other parameters (" +
                                                line.substr(std::min<std::size_t>(line.size(), 12)) +
                                                "); use another --out directory, the same parameters, or --restart");
  while (!fresh && std::getline(in, line)) {
    auto cells = split_tabs(line);
    if (cells.size() == 4 && cells[0] == "ok") p.done_.emplace(cells[1], cells[2]);
  }
  if (fresh) {
    if (p.fd_ >= 0) ::close(p.fd_);
    p.fd_ = -1;
    auto created = internal::create_file_atomically(dir, kFileName, header + "\n");
    if (!created) return std::move(created).error();
    p.fd_ = *created;
  }
  return p;
}

ProgressFile::ProgressFile(ProgressFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), done_(std::move(other.done_)) {
  other.fd_ = -1;
}

ProgressFile::~ProgressFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool ProgressFile::done(const std::string& type, const std::string& citizen) const {
  return done_.count({type, citizen}) != 0;
}

Status ProgressFile::append(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fdatasync(fd_) != 0)
    return Error(ErrorCategory::storage, "cannot append to " + path_);
  return {};
}

Status ProgressFile::record_ok(const std::string& type, const std::string& citizen, std::size_t records) {
  return append("ok\t" + type + "\t" + citizen + "\t" + std::to_string(records) + "\n");
}

Status ProgressFile::record_failure(const std::string& type, const std::string& citizen, const std::string& category) {
  return append("failed\t" + type + "\t" + citizen + "\t" + category + "\n");
}

ProgressDisplay::ProgressDisplay(std::size_t total, bool terminal) : total_(total), terminal_(terminal) {}

void ProgressDisplay::ok(const std::string& type, const std::string& citizen, std::size_t records) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++ok_;
  if (terminal_) return draw(type + " " + citizen);
  std::cerr << "sync: " << ok_ + failed_ << "/" << total_ << " ok " << type << " " << citizen << " (" << records
            << " records)\n";
}

void ProgressDisplay::failed(const std::string& type, const std::string& citizen, const std::string& category) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++failed_;
  if (terminal_) return draw(type + " " + citizen + " failed");
  std::cerr << "sync: " << ok_ + failed_ << "/" << total_ << " FAILED " << type << " " << citizen << " (" << category
            << ")\n";
}

void ProgressDisplay::draw(const std::string& last) {
  auto now = std::chrono::steady_clock::now();
  bool complete = ok_ + failed_ == total_;
  if (!complete && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr std::size_t kWidth = 30;
  std::size_t filled = total_ ? (ok_ + failed_) * kWidth / total_ : kWidth;
  std::cerr << "\r\x1b[K[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << ok_ + failed_
            << "/" << total_ << "  ok " << ok_ << "  failed " << failed_ << "  " << last << std::flush;
}

void ProgressDisplay::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!terminal_) return;
  last_draw_ = {};
  draw("");
  std::cerr << "\n";
}

std::string file_name_of(const std::string& citizen) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < citizen.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(citizen[i]);
    bool safe = std::isalnum(c) || c == '_' || c == '-' || (c == '.' && i > 0);
    if (safe)
      out += static_cast<char>(c);
    else
      out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out.empty() ? "%" : out;
}

}  // namespace myna::cli
