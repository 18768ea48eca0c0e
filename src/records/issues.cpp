#include "myna/records/issues.hpp"

#include <algorithm>
#include <ostream>
#include <vector>

namespace myna {
namespace {

constexpr std::array<std::string_view, kIssueKindCount> kNames = {
    "unparsed_value",  "unknown_code",   "out_of_range", "text_repaired",
    "wrong_json_type", "duplicate_item", "unknown_item", "ambiguous_code",
};

}  // namespace

const char* to_string(IssueKind kind) noexcept {
  const auto index = static_cast<std::size_t>(kind);
  return index < kNames.size() ? kNames[index].data() : "?";
}

std::optional<IssueKind> issue_kind_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<IssueKind>(i);
  return std::nullopt;
}

// ---------------------------------------------------------------- Issues

struct Issues::Block {
  std::vector<Issue> issues;
  std::vector<ExtraItem> extras;
};

Issues::Issues(const Issues& other) : block_(other.block_ ? std::make_unique<Block>(*other.block_) : nullptr) {}

Issues& Issues::operator=(const Issues& other) {
  if (this != &other) block_ = other.block_ ? std::make_unique<Block>(*other.block_) : nullptr;
  return *this;
}

Issues::Issues() noexcept = default;
Issues::Issues(Issues&& other) noexcept = default;
Issues& Issues::operator=(Issues&& other) noexcept = default;
Issues::~Issues() = default;

std::size_t Issues::size() const noexcept { return block_ ? block_->issues.size() : 0; }

const Issue* Issues::begin() const noexcept { return block_ ? block_->issues.data() : nullptr; }

bool Issues::has(IssueKind kind, std::uint16_t item_number) const noexcept {
  return std::any_of(begin(), end(), [&](const Issue& i) {
    return i.kind == kind && (item_number == 0 || i.item_number == item_number);
  });
}

bool Issues::mentions(std::uint16_t item_number) const noexcept {
  return std::any_of(begin(), end(), [&](const Issue& i) { return i.item_number == item_number; });
}

std::size_t Issues::extra_count() const noexcept { return block_ ? block_->extras.size() : 0; }

const ExtraItem* Issues::extra_begin() const noexcept { return block_ ? block_->extras.data() : nullptr; }

void Issues::add(const Issue& issue) {
  if (!block_) block_ = std::make_unique<Block>();
  block_->issues.push_back(issue);
}

void Issues::add_extra(ExtraItem item) {
  if (!block_) block_ = std::make_unique<Block>();
  block_->extras.push_back(std::move(item));
}

void Issues::clear() noexcept { block_.reset(); }

bool operator==(const Issues& a, const Issues& b) noexcept {
  if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) return false;
  return std::equal(a.extra_begin(), a.extra_end(), b.extra_begin(), b.extra_end(),
                    [](const ExtraItem& x, const ExtraItem& y) {
                      return x.item_number == y.item_number && x.key == y.key && x.text == y.text && x.json == y.json;
                    });
}

// ---------------------------------------------------------------- IssueCounts

std::uint64_t IssueCounts::total() const noexcept {
  std::uint64_t sum = 0;
  for (auto n : counts_) sum += n;
  return sum;
}

void IssueCounts::add(const Issues& issues) noexcept {
  for (const Issue& issue : issues) add(issue.kind);
}

IssueCounts& IssueCounts::operator+=(const IssueCounts& other) noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  return *this;
}

std::ostream& operator<<(std::ostream& os, const IssueCounts& counts) {
  if (counts.empty()) return os << "none";
  const char* separator = "";
  for (std::size_t i = 0; i < kIssueKindCount; ++i) {
    const auto kind = static_cast<IssueKind>(i);
    if (counts.count(kind) == 0) continue;
    os << separator << to_string(kind) << '=' << counts.count(kind);
    separator = " ";
  }
  return os;
}

std::ostream& operator<<(std::ostream& os, const Issues& issues) {
  const char* separator = "";
  for (const Issue& issue : issues) {
    os << separator << "item " << issue.item_number;
    if (!issue.item_name.empty()) os << ' ' << issue.item_name;
    os << ": " << to_string(issue.kind);
    separator = "; ";
  }
  return os;
}

}  // namespace myna
