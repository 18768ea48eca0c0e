#include "myna/process/telegram_id.hpp"

#include "internal/text.hpp"
#include "myna/records/values.hpp"

namespace myna {

namespace {

constexpr long long kJstOffsetSeconds = 9 * 3600;
constexpr long long kSecondsPerDay = 24 * 3600;
constexpr unsigned kSequenceSpace = 10000;  // 4 digits
constexpr std::size_t kIdLength = 29;

using internal::all_digits;
using internal::append_digits;
using internal::digits_at;

long long jst_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count() + kJstOffsetSeconds;
}

/// "YYMMDDhhmmss" of a JST second count.
void append_timestamp(std::string& out, long long jst) {
  long long days = jst / kSecondsPerDay;
  long long rest = jst % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  const Date date = Date::from_days_since_epoch(days);
  append_digits(out, date.year() % 100, 2);
  append_digits(out, date.month(), 2);
  append_digits(out, date.day(), 2);
  append_digits(out, rest / 3600, 2);
  append_digits(out, rest / 60 % 60, 2);
  append_digits(out, rest % 60, 2);
}

}  // namespace

Result<TelegramIdGenerator> TelegramIdGenerator::create(std::string provider_number, unsigned instance,
                                                        unsigned instance_count, Clock clock) {
  if (provider_number.size() != 8 || !all_digits(provider_number))
    return Error(ErrorCategory::validation, "the provider number must be 8 digits");
  if (instance_count == 0 || instance_count > kSequenceSpace || instance >= instance_count)
    return Error(ErrorCategory::validation,
                 "the instance number must be below the instance count (1 to 10000 instances)");
  TelegramIdGenerator generator;
  generator.provider_ = std::move(provider_number);
  generator.instance_ = instance;
  generator.count_ = instance_count;
  generator.clock_ = clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); });
  generator.seq_ = instance;
  return generator;
}

TelegramIdGenerator::TelegramIdGenerator(TelegramIdGenerator&&) noexcept = default;
TelegramIdGenerator& TelegramIdGenerator::operator=(TelegramIdGenerator&&) noexcept = default;
TelegramIdGenerator::~TelegramIdGenerator() = default;

std::string TelegramIdGenerator::next() {
  std::lock_guard<std::mutex> lock(*mu_);
  // The clock moving backwards keeps second_: ids stay ahead and never repeat.
  if (const long long now = jst_seconds(clock_()); now > second_) {
    second_ = now;
    seq_ = instance_;
  }
  if (seq_ >= kSequenceSpace) {  // this second is used up: move on to the next one
    ++second_;
    seq_ = instance_;
  }
  std::string id;
  id.reserve(kIdLength);
  id += "TL-";
  id += provider_;
  id += '-';
  append_timestamp(id, second_);
  id += '-';
  append_digits(id, seq_, 4);
  seq_ += count_;
  return id;
}

bool TelegramIdGenerator::well_formed(std::string_view id) {
  if (id.size() != kIdLength || id.substr(0, 3) != "TL-" || id[11] != '-' || id[24] != '-') return false;
  if (!all_digits(id.substr(3, 8)) || !all_digits(id.substr(12, 12)) || !all_digits(id.substr(25, 4))) return false;
  const int year = 2000 + digits_at(id, 12, 2);
  const int month = digits_at(id, 14, 2);
  const int day = digits_at(id, 16, 2);
  return is_valid_date(year, month, day) && digits_at(id, 18, 2) < 24 && digits_at(id, 20, 2) < 60 &&
         digits_at(id, 22, 2) < 60;
}

}  // namespace myna
