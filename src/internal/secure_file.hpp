// Private files for secrets and state: directories 0700, files 0600, replaced atomically
// (temp file in the same directory, fsync, rename, fsync of the directory); small files read
// after checks of their type and mode (read_checked_file). Internal header.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/crypto.h>

#include "internal/crypto.hpp"
#include "myna/error.hpp"
#include "myna/secret.hpp"

namespace myna::internal {

inline Error storage_error(std::string what, int err) {
  return Error(ErrorCategory::storage, std::move(what) + ": " + std::strerror(err));
}

/// Creates dir and missing parents with mode 0700, then checks dir itself, opened without
/// following a symlink: it must be a real directory (a symlink there is refused, never
/// followed), owned by this user, and not writable by group or others (someone else could have
/// planted or swapped files in it); group/other read and search access is removed.
inline Status ensure_private_dir(const std::string& dir) {
  if (dir.empty()) return Error(ErrorCategory::validation, "the store directory is empty");
  for (std::size_t pos = dir.find('/', 1);; pos = dir.find('/', pos + 1)) {
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      return storage_error("cannot create the store directory " + part, errno);
    if (pos == std::string::npos) break;
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    struct stat link {};
    if (errno == ELOOP || (errno == ENOTDIR && ::lstat(dir.c_str(), &link) == 0 && S_ISLNK(link.st_mode)))
      return Error(ErrorCategory::storage,
                   "the store directory " + dir + " is a symbolic link; give the real path (a link is never followed)");
    if (errno == ENOTDIR) return Error(ErrorCategory::storage, "the store path is not a directory: " + dir);
    return storage_error("cannot open the store directory " + dir, errno);
  }
  struct stat st {};
  Status checked;
  if (::fstat(fd, &st) != 0) {
    checked = storage_error("cannot open the store directory " + dir, errno);
  } else if (st.st_uid != ::geteuid()) {
    checked = Error(ErrorCategory::storage, "the store directory " + dir + " is owned by another user (uid " +
                                                std::to_string(st.st_uid) + "); use a directory of your own");
  } else if ((st.st_mode & 022) != 0) {
    checked = Error(ErrorCategory::storage,
                    "the store directory " + dir + " is writable by others: check its files, then chmod 700 it");
  } else if ((st.st_mode & 077) != 0 && ::fchmod(fd, 0700) != 0) {
    checked = storage_error("cannot restrict the store directory to its owner " + dir, errno);
  }
  ::close(fd);
  return checked;
}

/// A warning when a private key file can be read by group or others (mode & 044); nullopt
/// when it cannot, or when it cannot be examined (reading it then reports the problem).
inline std::optional<std::string> private_key_exposure(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || (st.st_mode & 044) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "the private key file " + path + " can be read by " + ((st.st_mode & 004) ? "others" : "its group") +
         " (mode " + mode + "); restrict it to its owner: chmod 600 " + path;
}

inline bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

inline Status fsync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return storage_error("cannot open the store directory " + dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return storage_error("cannot sync the store directory " + dir, err);
  return {};
}

/// Creates dir/name with content atomically and returns it open for writing (positioned at
/// its end, for appending): readers see the old file or the new one, never a partial one, also
/// after a crash. The temp file has an unpredictable name and is created with
/// O_CREAT | O_EXCL | O_NOFOLLOW, so nothing planted at a guessable name is opened or followed;
/// it gets exactly `mode`, is written and fsynced, then renamed over dir/name (a symlink there
/// is replaced, never followed) and the directory is fsynced. The caller closes the fd.
inline Result<int> create_file_atomically(const std::string& dir, const std::string& name, std::string_view content,
                                          mode_t mode = 0600) {
  const auto nonce = random_bytes(8);
  if (!nonce) return Error(ErrorCategory::storage, "the random generator failed");
  const std::string temp = dir + "/." + name + ".tmp-" + hex(*nonce);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode & 0777);
  if (fd < 0) return storage_error("cannot create a file in " + dir, errno);
  bool ok = ::fchmod(fd, mode & 0777) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
  int err = errno;
  if (ok && ::rename(temp.c_str(), (dir + "/" + name).c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::close(fd);
    ::unlink(temp.c_str());
    return storage_error("cannot write " + name + " in " + dir, err);
  }
  if (Status synced = fsync_dir(dir); !synced) {
    ::close(fd);
    return std::move(synced).error();
  }
  return fd;
}

/// Replaces dir/name with content atomically (create_file_atomically, then closed).
inline Status atomic_write(const std::string& dir, const std::string& name, std::string_view content,
                           mode_t mode = 0600) {
  auto fd = create_file_atomically(dir, name, content, mode);
  if (!fd) return std::move(fd).error();
  if (::close(*fd) != 0) return storage_error("cannot write " + name + " in " + dir, errno);
  return {};
}

/// A path as its directory ("." for a bare name) and file name; the name is empty when the
/// path ends in '/'.
inline std::pair<std::string, std::string> split_path(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

/// atomic_write for a path.
inline Status atomic_write_path(const std::string& path, std::string_view content, mode_t mode = 0600) {
  auto [dir, name] = split_path(path);
  if (name.empty() || name == "." || name == "..") return Error(ErrorCategory::validation, "not a file name: " + path);
  return atomic_write(dir, name, content, mode);
}

/// Opens an existing file of this user for reading and appending, never through a symlink:
/// nullopt when path does not name a regular file owned by the user (absent, a symlink, a
/// FIFO, someone else's): the caller then creates it afresh (create_file_atomically).
inline Result<std::optional<int>> open_own_file_for_append(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ELOOP || errno == ENXIO) return std::optional<int>();
    return storage_error("cannot open " + path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || st.st_nlink != 1) {
    ::close(fd);
    return std::optional<int>();
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || ::fchmod(fd, st.st_mode & 0700) != 0) {
    const int err = errno;
    ::close(fd);
    return storage_error("cannot open " + path, err);
  }
  return std::optional<int>(fd);
}

/// Appends at most max_bytes read from fd to text (reserve it first: no reallocation then
/// leaves copies of a secret behind). 0 at the end of the file or max_bytes, else the errno.
inline int read_at_most(int fd, std::size_t max_bytes, std::string& text) {
  char chunk[4096];
  int err = 0;
  for (std::size_t got = 0; got < max_bytes;) {
    const ssize_t n = ::read(fd, chunk, std::min(sizeof chunk, max_bytes - got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = errno;
    if (n <= 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    got += static_cast<std::size_t>(n);
  }
  OPENSSL_cleanse(chunk, sizeof chunk);
  return err;
}

/// Why read_checked_file could not read a file: the caller words the error.
enum class FileReadFault : std::uint8_t { cannot_open, not_regular, cannot_read };

/// The first max_bytes of the file at path (SIZE_MAX: all of it), read from the descriptor
/// checked: a regular file (opened non-blocking: a FIFO never hangs the caller) that
/// allowed(const struct stat&) -> Status accepts. allowed's error is returned as it is, a
/// fault as fault_error(FileReadFault) -> Error; what was read is then wiped.
template <class Allowed, class FaultError>
Result<std::string> read_checked_file(const std::string& path, std::size_t max_bytes, Allowed&& allowed,
                                      FaultError&& fault_error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return fault_error(FileReadFault::cannot_open);
  struct stat st {};
  Status checked =
      ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? allowed(st) : Status(fault_error(FileReadFault::not_regular));
  std::string text;
  if (checked) {
    text.reserve(std::min(static_cast<std::size_t>(st.st_size), max_bytes));
    if (read_at_most(fd, max_bytes, text) != 0) checked = fault_error(FileReadFault::cannot_read);
  }
  ::close(fd);
  if (checked) return text;
  wipe(text);
  return std::move(checked).error();
}

/// Reads dir/name; nullopt when it does not exist. Larger than max_bytes → storage error.
inline Result<std::optional<std::string>> read_private_file(const std::string& dir, const std::string& name,
                                                            std::size_t max_bytes) {
  const std::string path = dir + "/" + name;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return storage_error("cannot open " + name + " in " + dir, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < 0 || static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Error(ErrorCategory::storage, name + " in " + dir + " is unreadable or too large: the file is corrupt");
  }
  std::string content;
  content.reserve(static_cast<std::size_t>(st.st_size) + 1);  // no reallocation leaves copies behind
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      wipe(content);
      return storage_error(std::string("cannot read ").append(name).append(" in ").append(dir), err);
    }
    if (n == 0) break;
    content.append(chunk, static_cast<std::size_t>(n));
    if (content.size() > max_bytes) break;
  }
  OPENSSL_cleanse(chunk, sizeof chunk);
  ::close(fd);
  if (content.size() > max_bytes) {
    wipe(content);
    return Error(ErrorCategory::storage, name + " in " + dir + " is too large: the file is corrupt");
  }
  return std::optional<std::string>(std::move(content));
}

/// Removes the temp files atomic_write left behind for dir/name when a process died between
/// creating and renaming one: they may hold a copy of a secret.
inline Status remove_temp_files(const std::string& dir, const std::string& name) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return storage_error("cannot list the store directory " + dir, errno);
  const std::string prefix = "." + name + ".tmp-";
  std::vector<std::string> stale;
  while (const dirent* e = ::readdir(d))
    if (std::string_view(e->d_name).substr(0, prefix.size()) == prefix) stale.emplace_back(e->d_name);
  ::closedir(d);
  for (const std::string& file : stale)
    if (::unlink(std::string(dir).append("/").append(file).c_str()) != 0 && errno != ENOENT)
      return storage_error(std::string("cannot remove ").append(file).append(" in ").append(dir), errno);
  return {};
}

/// Removes dir/name (absent is fine) and syncs the directory.
inline Status remove_file(const std::string& dir, const std::string& name) {
  if (::unlink((dir + "/" + name).c_str()) != 0 && errno != ENOENT)
    return storage_error("cannot remove " + name + " in " + dir, errno);
  return fsync_dir(dir);
}

}  // namespace myna::internal
