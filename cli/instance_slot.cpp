#include "instance_slot.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "internal/secure_file.hpp"

namespace myna::cli {
namespace {

long long now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

long long read_time(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? std::atoll(buf) : 0;
}

void write_time(int fd, long long t) {
  std::string text = std::to_string(t) + "\n";
  if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, text.data(), text.size(), 0) > 0) ::fdatasync(fd);
}

/// A slot's lock file, never through a symlink (one planted there is replaced); -1 when it
/// cannot be opened or is not this user's regular file.
int open_slot(const std::string& path) {
  constexpr int kFlags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  int fd = ::open(path.c_str(), kFlags, 0600);
  if (fd < 0 && errno == ELOOP && ::unlink(path.c_str()) == 0) fd = ::open(path.c_str(), kFlags | O_EXCL, 0600);
  struct stat st {};
  if (fd >= 0 && (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

Result<InstanceSlot> InstanceSlot::acquire(const std::string& dir) {
  const std::string slots = dir + "/.telegram-id-slots";
  if (Status st = internal::ensure_private_dir(slots); !st) return std::move(st).error();
  InstanceSlot best;
  long long best_time = 0;
  for (unsigned i = 0; i < kSlots; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "/%02u", i);
    const int fd = open_slot(slots + name);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // held by a running myna
      ::close(fd);
      continue;
    }
    long long t = read_time(fd);
    if (best.fd_ >= 0 && t >= best_time) {
      ::close(fd);  // closing releases the lock
      continue;
    }
    if (best.fd_ >= 0) ::close(best.fd_);
    best.fd_ = fd;
    best.index_ = i;
    best_time = t;
  }
  if (best.fd_ < 0)
    return Error(ErrorCategory::storage, "no telegram-id slot is free in " + slots + " (" + std::to_string(kSlots) +
                                             " myna commands already running?)");
  while (best_time >= now_seconds()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  write_time(best.fd_, now_seconds());  // also marks a run that gets killed
  return best;
}

InstanceSlot::InstanceSlot(InstanceSlot&& other) noexcept : fd_(other.fd_), index_(other.index_) { other.fd_ = -1; }

InstanceSlot::~InstanceSlot() {
  if (fd_ < 0) return;
  write_time(fd_, now_seconds());  // ids may run up to the current second
  ::close(fd_);
}

}  // namespace myna::cli
