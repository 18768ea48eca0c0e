// State of `myna sync` in its output directory: the progress file that makes a sync
// resumable, and the progress display on stderr.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "myna/error.hpp"

namespace myna::cli {

/// DIR/.myna-sync-progress: a header naming the sync's parameters, then one line per finished
/// (type, citizen): "ok\tTYPE\tCITIZEN\tRECORDS" or "failed\tTYPE\tCITIZEN\tCATEGORY".
/// Lines are appended and synced to disk after the output file was renamed into place, so an
/// interrupted sync never marks a citizen done whose file is missing.
class ProgressFile {
 public:
  /// Opens (or creates) the file; restart empties it. A validation error when it belongs to a
  /// sync with other parameters.
  static Result<ProgressFile> open(const std::string& dir, const std::string& parameters, bool restart);
  ProgressFile(ProgressFile&& other) noexcept;
  ~ProgressFile();

  bool done(const std::string& type, const std::string& citizen) const;
  Status record_ok(const std::string& type, const std::string& citizen, std::size_t records);
  Status record_failure(const std::string& type, const std::string& citizen, const std::string& category);

 private:
  ProgressFile() = default;
  Status append(const std::string& line);
  std::string path_;
  int fd_ = -1;
  std::set<std::pair<std::string, std::string>> done_;
  std::mutex mutex_;
};

/// Progress on stderr: a redrawn bar on a terminal, one plain line per event otherwise.
class ProgressDisplay {
 public:
  ProgressDisplay(std::size_t total, bool terminal);
  void ok(const std::string& type, const std::string& citizen, std::size_t records);
  void failed(const std::string& type, const std::string& citizen, const std::string& category);
  void finish();

 private:
  void draw(const std::string& last);
  std::mutex mutex_;
  std::size_t total_, ok_ = 0, failed_ = 0;
  bool terminal_;
  std::chrono::steady_clock::time_point last_draw_{};
};

/// A citizen key as a file name: characters outside [A-Za-z0-9._-] and a leading '.' are
/// percent-encoded, so any key is safe and distinct.
std::string file_name_of(const std::string& citizen);

}  // namespace myna::cli
