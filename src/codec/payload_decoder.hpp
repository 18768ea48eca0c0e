// SAX handler that builds records of type R from the payload document
//   [ { "<organisation>": { "<information type>": [ {record}, ... ], ... } }, ... ]
// The structure is strict. Values follow the tolerant value rules (records/field_values.hpp):
// lenient keeps every value as received and notes its issues on the record; strict turns the
// record's first issue (but unknown_item) into a decode error naming the record index, the
// item number and the Japanese item name. Keys that are no item and repeated items are kept
// as the record's extra items. Other information types are skipped.
#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cstring>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include <rapidjson/reader.h>

#include "codec/json_streams.hpp"
#include "codec/key_index.hpp"
#include "codec/payload_lookups.hpp"
#include "codec/record_issues.hpp"

namespace myna::internal {

const KeyIndex& key_index(RecordType type, const Profile& profile);

// Numbers arrive as their exact text. Recursive parsing is safe: PayloadHandler refuses
// nesting beyond profile.max_depth first.
constexpr unsigned kPayloadFlags = rapidjson::kParseNumbersAsStringsFlag;

/// Whether a sink stores the records itself and lets them be built in place: R& emplace()
/// opens a default record, Status commit() keeps it, discard() takes it back out.
template <class Sink, class = void>
struct BuildsInPlace : std::false_type {};
template <class Sink>
struct BuildsInPlace<Sink, std::void_t<decltype(std::declval<Sink&>().emplace())>> : std::true_type {};

template <class R, class Sink>
class PayloadHandler {
  using rapidjson_size = rapidjson::SizeType;
  static constexpr bool kInPlace = BuildsInPlace<Sink>::value;
  enum class Level : std::uint8_t { root, orgs, org, types, records, record, value, done };
  enum class Pending : std::uint8_t { none, records, skip };

 public:
  static constexpr std::size_t kGuesses = RecordKeys<R>::kGuesses;

  PayloadHandler(const Profile& profile, DecodePolicy policy, Sink& sink, ValueBudget& budget)
      : profile_(profile),
        policy_(policy),
        sink_(sink),
        budget_(budget),
        index_(key_index(RecordTraits<R>::type, profile)),
        keys_(index_),
        type_key_(profile.payload_key(RecordTraits<R>::type)) {}
  PayloadHandler(const PayloadHandler&) = delete;
  PayloadHandler& operator=(const PayloadHandler&) = delete;
  ~PayloadHandler() { drop_open_record(); }

  // ---- RapidJSON handler interface
  bool Null() { return scalar(JsonKind::null, "null", 4); }
  bool Bool(bool b) { return b ? scalar(JsonKind::boolean, "true", 4) : scalar(JsonKind::boolean, "false", 5); }
  bool Int(int) { return number_unexpected(); }
  bool Uint(unsigned) { return number_unexpected(); }
  bool Int64(std::int64_t) { return number_unexpected(); }
  bool Uint64(std::uint64_t) { return number_unexpected(); }
  bool Double(double) { return number_unexpected(); }
  bool RawNumber(const char* s, rapidjson_size n, bool) { return scalar(JsonKind::number, s, n); }
  bool String(const char* s, rapidjson_size n, bool) { return scalar(JsonKind::string, s, n); }
  bool Key(const char* s, rapidjson_size n, bool) {
    budget_.reset();
    take_unpaired();  // a key is matched as received
    if (n > profile_.max_value_bytes) return fail_too_long();
    if (capture_.active()) return capture_.key(std::string_view(s, n)), capture_fits();
    if (skip_ > 0) return true;
    switch (level_) {
      case Level::org: return true;  // organisation name: any key
      case Level::types:
        pending_ =
            (n == type_key_.size() && std::memcmp(s, type_key_.data(), n) == 0) ? Pending::records : Pending::skip;
        return true;
      case Level::record: return record_key(s, n);
      default: return true;
    }
  }
  /// A guess (0: most likely, up to RecordKeys::kGuesses) at the key of the record's next
  /// item in its wire form with what usually follows it (`KEY\":\"`, WireKeys), or empty.
  std::string_view expected_item(std::size_t guess) const noexcept {
    return level_ == Level::record && skip_ == 0 && !capture_.active() ? keys_.expected_wire(guess)
                                                                       : std::string_view();
  }
  /// The item of expected_item(guess) with a string value of at most max_value_bytes without
  /// unpaired surrogate escapes.
  bool ExpectedItem(std::size_t guess, const char* s, std::size_t n) {
    ExpectedKey(guess);
    return ItemString(s, n);
  }
  /// Key() for the key of expected_item(guess).
  void ExpectedKey(std::size_t guess = 0) {
    budget_.reset();
    budget_.unpaired_escapes = 0;
    ++position_;
    level_ = Level::value;
    field_key(keys_.take_expected(guess), nullptr, 0);
  }
  /// String() right after ExpectedKey(), for a string of at most max_value_bytes without
  /// unpaired surrogate escapes.
  bool ItemString(const char* s, std::size_t n) {
    budget_.reset();
    level_ = Level::record;
    return value(JsonKind::string, std::string_view(s, n));
  }
  bool StartObject() { return open(true); }
  bool EndObject(rapidjson_size) { return close(true); }
  bool StartArray() { return open(false); }
  bool EndArray(rapidjson_size) { return close(false); }

  /// Of a body held whole: read bytes of total so far, after a close. Between records, a sink that stores the records
  /// and would run out of room for as many more as the rest holds at this rate reserves room for a quarter more than
  /// that (never more records' bytes than the body's): whole records are then rarely moved as the storage grows.
  void size_hint(std::size_t read, std::size_t total) {
    if constexpr (kInPlace) {
      if (level_ != Level::records || read == 0) return;  // inside a record: it is open in the sink
      const double expected =
          static_cast<double>(record_index_ + 1) * static_cast<double>(total) / static_cast<double>(read);
      const std::size_t most = total / sizeof(R);
      sink_.reserve(std::min(static_cast<std::size_t>(expected * 1.05) + 1, most),
                    std::min(static_cast<std::size_t>(expected * 1.25) + 1, most));
    }
  }

  // ---- resuming (streaming reader)
  /// What the handler must get back to read on from a place between elements.
  struct Checkpoint {
    std::int64_t record_index;
    std::size_t depth, skip;
    Level level;
    Pending pending;
  };
  /// Between records and outside any record item: a place to resume from.
  bool resumable() const noexcept { return level_ != Level::record && level_ != Level::value && !capture_.active(); }
  Checkpoint checkpoint() const noexcept { return {record_index_, depth_, skip_, level_, pending_}; }
  /// Back to a checkpoint: whatever was read after it (part of a record) is forgotten.
  void restore(const Checkpoint& c) noexcept {
    record_index_ = c.record_index, depth_ = c.depth, skip_ = c.skip, level_ = c.level, pending_ = c.pending;
    field_ = -1, position_ = 0, target_ = Target::field, unpaired_ = false;
    capture_.reset();
    seen_.reset();
    drop_open_record();
    renew_own_record();
    budget_.reset();
    budget_.unpaired_escapes = 0;
  }

  // ---- results
  const std::optional<Error>& error() const noexcept { return error_; }
  std::int64_t record_index() const noexcept { return record_index_; }
  /// The item being decoded when a syntax error stopped the parser (-1 if none).
  int current_field() const noexcept { return field_; }
  bool in_record() const noexcept { return level_ == Level::record || level_ == Level::value; }
  /// The error of a value over max_value_bytes here: from the handler's own length check,
  /// or from a stream's budget that stopped the value before it was whole.
  Error too_long_error() const {
    std::string what = value_too_long_message(profile_.max_value_bytes);
    if (record_index_ < 0) return Error(ErrorCategory::decode, "payload: " + what).with_location(location());
    std::string where = std::string(japanese_name(RecordTraits<R>::type)) + " record #" + std::to_string(record_index_);
    if (in_record() && field_ >= 0) {
      const FieldInfo& info = RecordTraits<R>::catalog[static_cast<std::size_t>(field_)];
      where += ", item " + std::to_string(info.number) + " " + std::string(info.ja);
    }
    return Error(ErrorCategory::decode, where + ": " + what).with_location(location());
  }

 private:
  /// Where the value after a record key goes.
  enum class Target : std::uint8_t { field, repeated, unknown };

  static constexpr const char* kJsonNames[] = {"null", "boolean", "number", "string", "object", "array"};

  bool take_unpaired() noexcept {
    const bool any = budget_.unpaired_escapes != 0;
    budget_.unpaired_escapes = 0;
    return any;
  }

  bool depth_ok() {
    if (++depth_ <= profile_.max_depth) return true;
    return fail_shape("JSON nesting is deeper than " + std::to_string(profile_.max_depth));
  }

  bool open(bool object) {
    budget_.reset();
    if (!depth_ok()) return false;
    if (capture_.active()) return capture_.open(object ? '{' : '['), capture_fits();
    if (skip_ > 0) return ++skip_, true;
    switch (level_) {
      case Level::root:
        if (object) return fail_shape("the payload must be a JSON array of organisations");
        level_ = Level::orgs;
        return true;
      case Level::orgs:
        if (!object) return fail_shape("each payload element must be a JSON object");
        level_ = Level::org;
        return true;
      case Level::org:  // an organisation's information types; anything else is skipped
        if (!object) return skip_ = 1, true;
        level_ = Level::types;
        return true;
      case Level::types:
        if (pending_ == Pending::skip) return skip_ = 1, true;
        if (object) return fail_shape("\"" + type_key_ + "\" must be a JSON array of records");
        level_ = Level::records;
        return true;
      case Level::records:
        if (!object) return fail_record("a record must be a JSON object");
        return begin_record();
      case Level::record: return fail_shape("a value without a key");
      case Level::value:  // an object or array in place of a value: kept as its JSON text
        capture_.open(object ? '{' : '[');
        return true;
      case Level::done: return fail_shape("the payload has more than one root");
    }
    return true;
  }

  bool close(bool object) {
    --depth_;
    if (capture_.active()) {
      if (!capture_.close(object ? '}' : ']')) return true;
      level_ = Level::record;
      return value(object ? JsonKind::object : JsonKind::array, capture_.text());
    }
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    switch (level_) {
      case Level::orgs: level_ = Level::done; return true;
      case Level::org: level_ = Level::orgs; return true;
      case Level::types: level_ = Level::org; return true;
      case Level::records: level_ = Level::types; return true;
      case Level::record: return end_record();
      default: return true;
    }
  }

  bool begin_record() {
    if (static_cast<std::size_t>(record_index_ + 1) >= profile_.max_records)
      return fail_shape("more than " + std::to_string(profile_.max_records) + " records");
    ++record_index_;
    level_ = Level::record;
    if constexpr (kInPlace) record_ = &sink_.emplace(), open_ = true;
    seen_.reset();
    keys_.start_record();
    issues_.start_record();
    position_ = 0;
    return true;
  }

  bool end_record() {
    level_ = Level::records;
    field_ = -1;
    issues_.finish_codes(*record_);
    if (policy_ == DecodePolicy::strict) {
      Issue first;
      int field = -1;
      if (issues_.first_refused(first, field)) {
        drop_open_record();
        field_ = field;
        if (field < 0) return fail_record(strict_message(RecordTraits<R>::catalog[0], first.kind));
        return fail_item(strict_message(RecordTraits<R>::catalog[static_cast<std::size_t>(field)], first.kind));
      }
    }
    issues_.move_into(record_->issues);
    Status st;
    if constexpr (kInPlace) {
      open_ = false;
      st = sink_.commit();
    } else {
      st = sink_(std::move(own_));
      renew_own_record();
    }
    if (!st) {
      error_ = std::move(st).error();
      return false;
    }
    return true;
  }

  /// A fresh record in place: cheaper than move-assigning a temporary field by field.
  void renew_own_record() noexcept {
    static_assert(std::is_nothrow_default_constructible_v<R>);
    own_.~R();
    new (&own_) R();
  }
  /// A record opened in the sink and not finished is taken back out (never delivered half).
  void drop_open_record() noexcept {
    if constexpr (kInPlace) {
      if (open_) sink_.discard();
      open_ = false;
      record_ = &own_;
    }
  }

  bool record_key(const char* s, std::size_t n) {
    ++position_;
    level_ = Level::value;
    int index = keys_.find(s, n);
    if (index < 0) index = index_.find_folded(std::string_view(s, n));
    return field_key(index, s, n);
  }

  // The key of a record item (catalog index), or of no item (-1); s, n: the key as received
  // (null for the canonical key), kept when the value becomes an extra item.
  bool field_key(int index, const char* s, std::size_t n) {
    if (index < 0) {  // a key that is no item: kept as an extra item
      field_ = -1;
      target_ = Target::unknown;
      extra_key_.assign(s, n);
      return true;
    }
    field_ = index;
    target_ = seen_[static_cast<std::size_t>(index)] ? Target::repeated : Target::field;
    if (target_ == Target::repeated) {
      if (s)
        extra_key_.assign(s, n);
      else
        extra_key_.assign(RecordTraits<R>::catalog[static_cast<std::size_t>(index)].ja);
    }
    seen_[static_cast<std::size_t>(index)] = true;
    return true;
  }

  bool scalar(JsonKind kind, const char* s, std::size_t n) {
    budget_.reset();
    // An unpaired surrogate escape marks the item it belongs to: a value, or a string inside
    // an object or array kept as one (capture); never a string outside the records.
    if (kind == JsonKind::string && take_unpaired() && skip_ == 0 && level_ == Level::value) unpaired_ = true;
    if (n > profile_.max_value_bytes) return fail_too_long();
    if (capture_.active()) {
      if (kind == JsonKind::string)
        capture_.string_value(std::string_view(s, n));
      else
        capture_.scalar(std::string_view(s, n));
      return capture_fits();
    }
    if (skip_ > 0) return true;
    switch (level_) {
      case Level::org: return true;  // not an organisation object: ignored
      case Level::types:
        if (pending_ == Pending::skip) return true;
        return fail_shape("\"" + type_key_ + "\" must be a JSON array of records, not " +
                          kJsonNames[static_cast<int>(kind)]);
      case Level::value: level_ = Level::record; return value(kind, std::string_view(s, n));
      case Level::records:
        return fail_record(std::string("a record must be a JSON object, not ") + kJsonNames[static_cast<int>(kind)]);
      default:
        return fail_shape(std::string("unexpected ") + kJsonNames[static_cast<int>(kind)] +
                          " in the payload structure");
    }
  }

  // One item's value: the field's (clean text straight from the interner), or an extra item.
  bool value(JsonKind kind, std::string_view text) {
    const bool unpaired = std::exchange(unpaired_, false);
    if (target_ != Target::field) return extra(kind, text);
    const FieldInfo& info = RecordTraits<R>::catalog[static_cast<std::size_t>(field_)];
    FieldRef ref = info.access(record_);
    if (kind == JsonKind::string && ref.kind == ValueKind::text && !unpaired) {
      Text shared = interner_.get(text.data(), text.size());
      if (shared.has_value()) return *static_cast<Text*>(ref.ptr) = std::move(shared), true;
    }
    if (kind == JsonKind::string && !unpaired && store_canonical(info, ref, text)) return true;
    const ValueIssues found = store_value(info, ref, ReceivedValue{kind, text, unpaired, profile_.empty_is_absent});
    if (!found.empty()) issues_.add(field_, position_, found);
    if (ref.kind == ValueKind::coded && static_cast<const Coded*>(ref.ptr)->has_value())
      note_coded(*static_cast<Coded*>(ref.ptr));
    return true;
  }

  // A valid coded answer stored by store_value: read in the record's period once settled.
  void note_coded(Coded& answer) {
    const std::optional<CodePeriod> period = issues_.settled_period(*record_, seen_);
    if (period) answer.set_period(*period);
    issues_.coded(field_, position_, answer, period);
  }

  // The common canonical forms of a string value straight to their parser: what store_value
  // does first for a non-empty string of these kinds, without its dispatch. False (nothing
  // stored) for anything else (other kinds, a decimal with a comparator, any other text):
  // store_value then decides.
  bool store_canonical(const FieldInfo& info, FieldRef ref, std::string_view text) {
    if (text.empty()) return false;
    switch (ref.kind) {
      case ValueKind::coded: {
        auto& answer = *static_cast<Coded*>(ref.ptr);
        const std::optional<CodePeriod> period = issues_.settled_period(*record_, seen_);
        if (!CodedWriter::assign(answer, text, period.value_or(CodePeriod::unknown))) return false;
        issues_.coded(field_, position_, answer, period);
        return true;
      }
      case ValueKind::code: return static_cast<CodeString*>(ref.ptr)->try_assign(info.format, text);
      case ValueKind::date: return store_parsed(Date::try_parse(text), ref);
      case ValueKind::year_month: return store_parsed(YearMonth::try_parse(text), ref);
      case ValueKind::yen: return store_parsed(Yen::try_parse(text), ref);
      case ValueKind::decimal: return store_parsed(Decimal::try_parse(text), ref) && note_range(info, ref);
      case ValueKind::count: return store_parsed(Count::try_parse(text), ref) && note_range(info, ref);
      case ValueKind::text: return false;
    }
    return false;
  }
  template <class T>
  static bool store_parsed(std::optional<T> parsed, FieldRef ref) noexcept {
    if (!parsed) return false;
    *static_cast<T*>(ref.ptr) = *parsed;
    return true;
  }
  bool note_range(const FieldInfo& info, FieldRef ref) {
    const ValueIssues found = range_issues(info, ConstFieldRef{ref.kind, ref.ptr});
    if (!found.empty()) issues_.add(field_, position_, found);
    return true;
  }

  bool extra(JsonKind kind, std::string_view text) {
    ExtraItem item;
    item.key = Text(extra_key_);
    item.text = Text(text);
    item.json = kind != JsonKind::string;
    if (target_ == Target::repeated) {
      item.item_number = RecordTraits<R>::catalog[static_cast<std::size_t>(field_)].number;
      issues_.add(field_, position_, IssueKind::duplicate_item);
    } else {
      issues_.add(-1, position_, IssueKind::unknown_item);
    }
    record_->issues.add_extra(std::move(item));
    return true;
  }

  /// An object or array kept as a value is bounded like any value (max_value_bytes).
  bool capture_fits() { return capture_.text().size() <= profile_.max_value_bytes || fail_too_long(); }

  bool number_unexpected() { return fail_shape("internal: numbers must arrive as raw text"); }

  DecodeLocation location() const {
    DecodeLocation loc;
    loc.record_type = std::string(japanese_name(RecordTraits<R>::type));
    loc.record_index = record_index_;
    if (field_ >= 0) {
      const FieldInfo& info = RecordTraits<R>::catalog[static_cast<std::size_t>(field_)];
      loc.item_number = info.number;
      loc.item_name = std::string(info.ja);
    }
    return loc;
  }

  bool fail_item(const std::string& what) {
    const FieldInfo& info = RecordTraits<R>::catalog[static_cast<std::size_t>(field_)];
    error_ = Error(ErrorCategory::decode, std::string(japanese_name(RecordTraits<R>::type)) + " record #" +
                                              std::to_string(record_index_) + ", item " + std::to_string(info.number) +
                                              " " + std::string(info.ja) + ": " + what)
                 .with_location(location());
    return false;
  }
  bool fail_record(const std::string& what) {
    error_ = Error(ErrorCategory::decode, std::string(japanese_name(RecordTraits<R>::type)) + " record #" +
                                              std::to_string(record_index_ + 1) + ": " + what)
                 .with_location(location());
    return false;
  }
  bool fail_too_long() {
    error_ = too_long_error();
    return false;
  }

  bool fail_shape(const std::string& what) {
    error_ = Error(ErrorCategory::decode, "payload: " + what).with_location(location());
    return false;
  }

  const Profile& profile_;
  DecodePolicy policy_;
  Sink& sink_;
  ValueBudget& budget_;
  const KeyIndex& index_;
  RecordKeys<R> keys_;
  const std::string& type_key_;
  TextInterner interner_;
  RecordIssues<R> issues_;
  JsonCapture capture_;
  std::string extra_key_;
  R own_{};            ///< the record being read, unless the sink builds it in place
  R* record_ = &own_;  ///< the record being read
  bool open_ = false;  ///< record_ is open in the sink (in place)
  std::bitset<256> seen_;
  std::optional<Error> error_;
  std::int64_t record_index_ = -1;
  int field_ = -1;
  std::uint32_t position_ = 0;
  std::size_t depth_ = 0;
  std::size_t skip_ = 0;
  Level level_ = Level::root;
  Pending pending_ = Pending::none;
  Target target_ = Target::field;
  bool unpaired_ = false;
};

}  // namespace myna::internal
