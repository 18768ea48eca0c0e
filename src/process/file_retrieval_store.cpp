#include <sys/file.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "internal/civil_date.hpp"
#include "internal/flat_json.hpp"
#include "internal/json_string.hpp"
#include "internal/retrieval_transitions.hpp"
#include "internal/secure_file.hpp"

namespace myna {

namespace {

using internal::SysClock;
constexpr std::size_t kMaxRecordBytes = 64 * 1024;
constexpr std::string_view kSuffix = ".retrieval.json";
constexpr std::chrono::milliseconds kFirstPoll{20};
constexpr std::chrono::milliseconds kMaxPoll{200};

std::int64_t epoch_ms(SysClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

SysClock::time_point from_epoch_ms(std::int64_t ms) { return SysClock::time_point(std::chrono::milliseconds(ms)); }

void add_text(std::string& out, std::string_view key, std::string_view value) {
  internal::append_json_string(out, key);
  out += ':';
  internal::append_json_string(out, value);
  out += ',';
}

void add_number(std::string& out, std::string_view key, std::int64_t value) {
  internal::append_json_string(out, key);
  out += ':' + std::to_string(value) + ',';
}

std::string record_json(const Retrieval& r) {
  std::string out = "{\"version\":1,";
  add_text(out, "telegramId", r.telegram_id);
  add_text(out, "processId", r.process_id);
  add_text(out, "citizen", r.citizen);
  add_number(out, "type", static_cast<int>(r.type));
  add_text(out, "from", internal::compact_date(r.from));
  add_text(out, "to", internal::compact_date(r.to));
  add_text(out, "state", to_string(r.state));
  add_number(out, "createdAt", epoch_ms(r.created_at));
  add_number(out, "updatedAt", epoch_ms(r.updated_at));
  add_text(out, "errorCode", r.error_code);
  add_text(out, "owner", r.owner);
  if (!r.provisional.empty()) add_text(out, "provisional", internal::encode_provisional(r.provisional));
  out.back() = '}';
  return out;
}

std::optional<RetrievalState> state_named(std::string_view name) {
  for (auto s : {RetrievalState::requested, RetrievalState::waiting, RetrievalState::notified, RetrievalState::fetching,
                 RetrievalState::fetched, RetrievalState::failed, RetrievalState::timed_out})
    if (name == to_string(s)) return s;
  return std::nullopt;
}

bool read_date(const internal::FlatValue& v, Date& out) {
  if (v.kind != internal::FlatValue::Kind::string) return false;
  if (v.text.empty()) return true;
  auto date = Date::parse(v.text);
  if (date) out = *date;
  return date.ok();
}

struct RecordFields {
  Retrieval r;
  internal::RequiredMembers required{6};
};

bool read_ms(const internal::FlatValue& v, SysClock::time_point& out) {
  if (v.kind != internal::FlatValue::Kind::integer) return false;
  out = from_epoch_ms(v.integer);
  return true;
}

bool read_type(const internal::FlatValue& v, RecordType& out) {
  if (v.kind != internal::FlatValue::Kind::integer || v.integer < 1 || v.integer > 3) return false;
  out = static_cast<RecordType>(v.integer);
  return true;
}

bool read_state(const internal::FlatValue& v, RetrievalState& out) {
  const auto state = v.kind == internal::FlatValue::Kind::string ? state_named(v.text) : std::nullopt;
  if (state) out = *state;
  return state.has_value();
}

bool read_record_member(RecordFields& f, std::string_view key, const internal::FlatValue& v) {
  using internal::read_string;
  auto& required = f.required;
  if (key == "version") return internal::is_version(v, 1) && required.mark(0);
  if (key == "telegramId") return read_string(v, f.r.telegram_id) && required.mark(1);
  if (key == "type") return read_type(v, f.r.type) && required.mark(2);
  if (key == "state") return read_state(v, f.r.state) && required.mark(3);
  if (key == "createdAt") return read_ms(v, f.r.created_at) && required.mark(4);
  if (key == "updatedAt") return read_ms(v, f.r.updated_at) && required.mark(5);
  if (key == "processId") return read_string(v, f.r.process_id);
  if (key == "citizen") return read_string(v, f.r.citizen);
  if (key == "errorCode") return read_string(v, f.r.error_code);
  if (key == "owner") return read_string(v, f.r.owner);
  if (key == "from") return read_date(v, f.r.from);
  if (key == "to") return read_date(v, f.r.to);
  if (key == "provisional")
    return v.kind == internal::FlatValue::Kind::string && internal::decode_provisional(v.text, f.r.provisional);
  return true;
}

/// Holds the in-process mutex and an flock() on the directory's lock file: every
/// read-modify-write is atomic across threads and across processes on this machine.
class DirLock {
 public:
  DirLock(std::mutex& mu, int fd, int operation) : guard_(mu), fd_(fd) {
    int rc = 0;
    while ((rc = ::flock(fd_, operation)) != 0 && errno == EINTR) {}
    error_ = rc == 0 ? 0 : errno;
  }
  ~DirLock() {
    if (error_ == 0) ::flock(fd_, LOCK_UN);
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  Status status(const std::string& dir) const {
    if (error_ == 0) return {};
    return internal::storage_error("cannot lock the retrieval directory " + dir, error_);
  }

 private:
  std::lock_guard<std::mutex> guard_;
  int fd_;
  int error_ = 0;
};

class FileRetrievalStore final : public RetrievalStore {
 public:
  FileRetrievalStore(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  ~FileRetrievalStore() override { ::close(lock_fd_); }
  FileRetrievalStore(const FileRetrievalStore&) = delete;
  FileRetrievalStore& operator=(const FileRetrievalStore&) = delete;

  Status create(const Retrieval& retrieval) override {
    auto record = internal::as_created(retrieval, SysClock::now());
    if (!record) return std::move(record).error();
    {
      DirLock lock(mu_, lock_fd_, LOCK_EX);
      if (Status locked = lock.status(dir_); !locked) return locked;
      auto existing = read(record->telegram_id);
      if (!existing) return std::move(existing).error();
      if (*existing) return internal::duplicate_retrieval();
      if (Status st = write(*record); !st) return st;
    }
    wake();
    return {};
  }

  Result<std::optional<Retrieval>> find(const std::string& telegram_id) override {
    DirLock lock(mu_, lock_fd_, LOCK_SH);
    if (Status locked = lock.status(dir_); !locked) return std::move(locked).error();
    return read(telegram_id);
  }

  Status set_process_id(const std::string& telegram_id, const std::string& process_id) override {
    return update(telegram_id, [&](Retrieval& r, bool& changed) -> Result<bool> {
      if (Status st = internal::apply_process_id(r, process_id, SysClock::now(), changed); !st)
        return std::move(st).error();
      return true;
    });
  }

  Result<std::optional<RetrievalState>> mark_notified(const std::string& telegram_id, const std::string& process_id,
                                                      const std::string& error_code) override {
    std::optional<RetrievalState> state;
    auto updated = update(telegram_id, [&](Retrieval& r, bool& changed) -> Result<bool> {
      state = internal::apply_notified(r, process_id, error_code, SysClock::now(), changed);
      return true;
    });
    if (!updated) {
      if (updated.error().category() == ErrorCategory::validation) return std::optional<RetrievalState>();
      return std::move(updated).error();
    }
    return state;
  }

  Result<bool> claim_fetch(const std::string& telegram_id, const std::string& owner,
                           std::chrono::seconds stale_after) override {
    bool claimed = false;
    auto updated = update(telegram_id, [&](Retrieval& r, bool& changed) -> Result<bool> {
      claimed = changed = internal::apply_claim(r, owner, stale_after, SysClock::now());
      return true;
    });
    if (!updated) return std::move(updated).error();
    return claimed;
  }

  Status finish(const std::string& telegram_id, RetrievalState state) override {
    return update(telegram_id, [&](Retrieval& r, bool& changed) -> Result<bool> {
      if (Status st = internal::apply_finish(r, state, SysClock::now(), changed); !st) return std::move(st).error();
      return true;
    });
  }

  Result<RetrievalState> wait(const std::string& telegram_id, const Context& context) override {
    auto poll = std::chrono::duration_cast<Context::Clock::duration>(kFirstPoll);
    for (;;) {
      const std::uint64_t seen = generation();
      auto found = find(telegram_id);
      if (!found) return std::move(found).error();
      if (!*found) return internal::unknown_retrieval();
      const RetrievalState state = (*found)->state;
      if (!internal::is_pending(state)) return state;
      if (context.cancelled()) return internal::wait_cancelled();
      const auto left = context.remaining();
      if (left && *left <= Context::Clock::duration::zero()) return state;
      sleep_unless_woken(seen, left ? std::min(*left, poll) : poll);
      poll = std::min<Context::Clock::duration>(poll * 2, kMaxPoll);
    }
  }

  Result<std::vector<Retrieval>> unfinished() override {
    std::vector<Retrieval> out;
    DirLock lock(mu_, lock_fd_, LOCK_SH);
    if (Status locked = lock.status(dir_); !locked) return std::move(locked).error();
    Status st = for_each_record([&](const std::string&, const Retrieval& r) {
      if (!is_final(r.state)) out.push_back(r);
    });
    if (!st) return std::move(st).error();
    internal::sort_by_creation(out);
    return out;
  }

  Status purge(std::chrono::seconds older_than) override {
    const auto now = SysClock::now();
    std::vector<std::string> doomed;
    DirLock lock(mu_, lock_fd_, LOCK_EX);
    if (Status locked = lock.status(dir_); !locked) return locked;
    Status st = for_each_record([&](const std::string& name, const Retrieval& r) {
      if (internal::purgeable(r, older_than, now)) doomed.push_back(name);
    });
    if (!st) return st;
    for (const auto& name : doomed)
      if (::unlink((dir_ + "/" + name).c_str()) != 0 && errno != ENOENT)
        return internal::storage_error("cannot remove " + name + " in " + dir_, errno);
    return doomed.empty() ? Status() : internal::fsync_dir(dir_);
  }

 private:
  static std::string file_name(const std::string& telegram_id) {
    return internal::sha256_hex(telegram_id) + std::string(kSuffix);
  }

  Error corrupt(const std::string& name) const {
    return Error(ErrorCategory::storage, "the retrieval file " + name + " in " + dir_ + " is corrupt");
  }

  Result<std::optional<Retrieval>> read_file(const std::string& name) const {
    auto content = internal::read_private_file(dir_, name, kMaxRecordBytes);
    if (!content) return std::move(content).error();
    if (!*content) return std::optional<Retrieval>();
    RecordFields fields;
    const auto parsed = internal::parse_flat_object(**content, [&](std::string_view key, const internal::FlatValue& v) {
      return read_record_member(fields, key, v);
    });
    if (parsed != internal::FlatParse::ok || !fields.required.complete()) return corrupt(name);
    return std::optional<Retrieval>(std::move(fields.r));
  }

  /// Reads the record of telegram_id (caller holds the lock).
  Result<std::optional<Retrieval>> read(const std::string& telegram_id) const {
    const std::string name = file_name(telegram_id);
    auto record = read_file(name);
    if (record && *record && (*record)->telegram_id != telegram_id) return corrupt(name);
    return record;
  }

  Status write(const Retrieval& r) const {
    return internal::atomic_write(dir_, file_name(r.telegram_id), record_json(r));
  }

  /// Read-modify-write of one record under the lock; the change fn says whether to write.
  template <class Change>
  Status update(const std::string& telegram_id, Change change) {
    bool changed = false;
    {
      DirLock lock(mu_, lock_fd_, LOCK_EX);
      if (Status locked = lock.status(dir_); !locked) return locked;
      auto record = read(telegram_id);
      if (!record) return std::move(record).error();
      if (!*record) return internal::unknown_retrieval();
      Result<bool> applied = change(**record, changed);
      if (!applied) return std::move(applied).error();
      if (changed)
        if (Status st = write(**record); !st) return st;
    }
    if (changed) wake();
    return {};
  }

  template <class Fn>
  Status for_each_record(Fn fn) const {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.front() == '.' || name.size() <= kSuffix.size() ||
          name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
        continue;
      auto record = read_file(name);
      if (!record) return std::move(record).error();
      if (*record) fn(name, **record);
    }
    if (ec) return Error(ErrorCategory::storage, "cannot list the retrieval directory " + dir_ + ": " + ec.message());
    return {};
  }

  std::uint64_t generation() {
    std::lock_guard<std::mutex> lock(wake_mu_);
    return generation_;
  }

  void wake() {
    {
      std::lock_guard<std::mutex> lock(wake_mu_);
      ++generation_;
    }
    wake_cv_.notify_all();
  }

  void sleep_unless_woken(std::uint64_t seen, Context::Clock::duration d) {
    std::unique_lock<std::mutex> lock(wake_mu_);
    wake_cv_.wait_for(lock, d, [&] { return generation_ != seen; });
  }

  std::string dir_;
  int lock_fd_;
  std::mutex mu_;
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  std::uint64_t generation_ = 0;
};

}  // namespace

Result<std::shared_ptr<RetrievalStore>> make_file_retrieval_store(std::string dir) {
  if (Status st = internal::ensure_private_dir(dir); !st) return std::move(st).error();
  const std::string lock_path = dir + "/.lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return internal::storage_error("cannot open the lock file in " + dir, errno);
  return std::shared_ptr<RetrievalStore>(std::make_shared<FileRetrievalStore>(std::move(dir), fd));
}

}  // namespace myna
