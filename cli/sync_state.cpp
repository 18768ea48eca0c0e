#include "sync_state.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace myna::cli {
namespace {

constexpr const char* kFileName = ".myna-sync-progress";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) cells.push_back(cell);
  return cells;
}

}  // namespace

Result<ProgressFile> ProgressFile::open(const std::string& dir, const std::string& parameters, bool restart) {
  ProgressFile p;
  p.path_ = dir + "/" + kFileName;
  const std::string header = "# myna sync " + parameters;
  std::ifstream in(p.path_);
  std::string line;
  bool fresh = restart || !in || !std::getline(in, line);
  if (!fresh && line != header)
    return Error(ErrorCategory::validation, dir + " holds a sync with other parameters (" +
                                                line.substr(std::min<std::size_t>(line.size(), 12)) +
                                                "); use another --out directory, the same parameters, or --restart");
  while (!fresh && std::getline(in, line)) {
    auto cells = split_tabs(line);
    if (cells.size() == 4 && cells[0] == "ok") p.done_.emplace(cells[1], cells[2]);
  }
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (fresh ? O_TRUNC : 0);
  p.fd_ = ::open(p.path_.c_str(), flags, 0600);
  if (p.fd_ < 0) return Error(ErrorCategory::storage, "cannot write " + p.path_);
  if (fresh)
    if (Status st = p.append(header + "\n"); !st) return std::move(st).error();
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
    if (safe) out += static_cast<char>(c);
    else out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out.empty() ? "%" : out;
}

}  // namespace myna::cli
