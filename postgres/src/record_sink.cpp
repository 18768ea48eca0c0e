// The idempotent record sink. Identity rules (docs/scale-out.md):
// - filter item present: "n:" + JSON array of the natural key items (null where absent).
//   The filter item is part of the key, so every record with that identity lies inside or
//   outside any query range together: each retrieval returns the whole group, in the
//   service's order, and ordinals within the group are stable;
// - filter item absent: the record cannot be placed in a range; only its content identifies
//   it: "h:" + SHA-256 of all its items. Ordinals then count identical records.
#include "myna/postgres/record_sink.hpp"

#include <openssl/evp.h>

#include <unordered_map>

#include "internal/json_string.hpp"
#include "pool.hpp"

namespace myna::pg {
namespace {

using internal::pg::Connection;
using internal::pg::Param;

constexpr std::size_t kRecordsPerStatement = 500;
constexpr std::size_t kMaxCitizenKeyBytes = 1024;

constexpr const char* kUpsert =
    "INSERT INTO myna_records AS r (citizen, record_type, record_key, ordinal, filter_date, items, source)"
    " SELECT $1, $2::smallint, x.k, x.o, to_date(x.d, 'YYYYMMDD'), x.i, $4"
    " FROM jsonb_to_recordset($3::jsonb) AS x(k text, o integer, d text, i jsonb)"
    " ON CONFLICT (citizen, record_type, record_key, ordinal) DO UPDATE"
    " SET items = EXCLUDED.items, filter_date = EXCLUDED.filter_date, source = EXCLUDED.source,"
    " updated_at = clock_timestamp()"
    " WHERE r.items IS DISTINCT FROM EXCLUDED.items"
    " RETURNING (xmax = 0)";
constexpr const char* kLoad =
    "SELECT r.record_key, r.ordinal, e.key, e.value FROM myna_records r"
    " LEFT JOIN LATERAL jsonb_each_text(r.items) e ON true"
    " WHERE r.citizen = $1 AND r.record_type = $2"
    " ORDER BY r.filter_date, r.record_key, r.ordinal";
constexpr const char* kCount = "SELECT count(*) FROM myna_records WHERE citizen = $1 AND record_type = $2";

template <class R>
constexpr bool valid_natural_key() {
  bool first = true;
  for (std::uint16_t n : NaturalKey<R>::items) {
    const FieldInfo* f = find_field<R>(n);
    if (!f) return false;
    if (first && f->kind != ValueKind::date && f->kind != ValueKind::year_month) return false;
    first = false;
  }
  return true;
}
static_assert(valid_natural_key<DrugRecord>() && valid_natural_key<CheckupRecord>() &&
                  valid_natural_key<MedicalExpenseRecord>(),
              "natural keys name catalog items and start with the filter item (a date or a year-month)");

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(digits[md[i] >> 4]);
    out.push_back(digits[md[i] & 15]);
  }
  return out;
}

template <class R>
const FieldInfo& filter_field() {
  return *find_field<R>(NaturalKey<R>::items[0]);
}

/// The record's items as a JSON object keyed by item number, in catalog order (also the
/// canonical text the content hash is taken of). False when a value holds a NUL.
template <class R>
bool items_json(const R& record, std::string& out) {
  out = "{";
  for (const FieldInfo& f : catalog<R>()) {
    const ConstFieldRef ref = f.of(record);
    if (!has_value(ref)) continue;
    const std::string text = to_wire_text(ref);
    if (text.find('\0') != std::string::npos) return false;
    if (out.size() > 1) out.push_back(',');
    out += '"' + std::to_string(f.number) + "\":";
    internal::append_json_string(out, text);
  }
  out.push_back('}');
  return true;
}

template <class R>
std::string identity(const R& record, const std::string& items) {
  if (!has_value(filter_field<R>().of(record))) return "h:" + sha256_hex(items);
  std::string key = "n:[";
  for (std::uint16_t n : NaturalKey<R>::items) {
    if (key.size() > 3) key.push_back(',');
    const ConstFieldRef ref = find_field<R>(n)->of(record);
    if (has_value(ref))
      internal::append_json_string(key, to_wire_text(ref));
    else
      key += "null";
  }
  return key + "]";
}

/// The filter date as YYYYMMDD (a year-month's first day); "" when absent.
template <class R>
std::string filter_date(const R& record) {
  const ConstFieldRef ref = filter_field<R>().of(record);
  if (!has_value(ref)) return {};
  const std::string wire = to_wire_text(ref);
  return ref.kind == ValueKind::year_month ? wire + "01" : wire;
}

/// The JSON array parameters of the upsert statements, kRecordsPerStatement records each.
template <class R>
Result<std::vector<std::string>> upsert_batches(const std::vector<R>& records) {
  std::vector<std::string> batches;
  std::unordered_map<std::string, int> ordinals;
  std::string items;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!items_json(records[i], items))
      return Error(ErrorCategory::validation,
                   "record " + std::to_string(i) + " has a value with a NUL character, which PostgreSQL cannot store");
    std::string key = identity(records[i], items);
    const int ordinal = ordinals[key]++;
    if (i % kRecordsPerStatement == 0) batches.emplace_back("[");
    std::string& out = batches.back();
    if (out.size() > 1) out.push_back(',');
    out += "{\"k\":";
    internal::append_json_string(out, key);
    const std::string date = filter_date(records[i]);
    out += ",\"o\":" + std::to_string(ordinal) + ",\"d\":" + (date.empty() ? "null" : '"' + date + '"');
    out += ",\"i\":" + items + "}";
    if ((i + 1) % kRecordsPerStatement == 0 || i + 1 == records.size()) out.push_back(']');
  }
  return batches;
}

Status check_citizen(const std::string& citizen) {
  if (citizen.empty()) return Error(ErrorCategory::validation, "the citizen key is empty");
  if (citizen.size() > kMaxCitizenKeyBytes)
    return Error(ErrorCategory::validation, "the citizen key is longer than 1024 bytes");
  return {};
}

Param type_param(RecordType type) { return Param::integer(static_cast<int>(type)); }

/// Builds records from (identity, ordinal, item, value) rows, one record per identity.
template <class R>
Result<std::vector<R>> assemble(const internal::pg::Rows& rows) {
  std::vector<R> out;
  std::string_view last_key;
  std::int64_t last_ordinal = -1;
  for (int i = 0; i < rows.size(); ++i) {
    if (out.empty() || rows.text(i, 0) != last_key || rows.integer(i, 1) != last_ordinal) {
      out.emplace_back();
      last_key = rows.text(i, 0);
      last_ordinal = rows.integer(i, 1);
    }
    if (rows.null(i, 2)) continue;  // a record without any item
    const int number = static_cast<int>(rows.integer(i, 2));
    const FieldInfo* f = find_field<R>(number);
    if (!f || !assign_wire_text(*f, f->of(out.back()), rows.text(i, 3)))
      return Error(ErrorCategory::storage, "a stored " + std::string(japanese_name(RecordTraits<R>::type)) +
                                               " record has an unknown item or an invalid value for item " +
                                               std::to_string(number));
  }
  return out;
}

}  // namespace

template <class R>
std::string record_identity(const R& record) {
  std::string items;
  items_json(record, items);
  return identity(record, items);
}

RecordSink::RecordSink(std::shared_ptr<Database> db) : db_(std::move(db)) {}
RecordSink::~RecordSink() = default;

Result<std::shared_ptr<RecordSink>> RecordSink::create(std::shared_ptr<Database> db) {
  if (!db) return Error(ErrorCategory::validation, "the record sink needs a database");
  return std::shared_ptr<RecordSink>(new RecordSink(std::move(db)));
}

template <class R>
Result<StoreReport> RecordSink::store(const std::string& citizen, const std::vector<R>& records,
                                      const std::string& source) {
  if (Status st = check_citizen(citizen); !st) return std::move(st).error();
  auto batches = upsert_batches(records);
  if (!batches) return std::move(batches).error();
  const char* what = "storing records";
  return db_->impl().run(what, [&](Connection& c) -> Result<StoreReport> {
    auto upsert_all = [&]() -> Result<StoreReport> {
      StoreReport report;
      for (const std::string& batch : *batches) {
        auto rows =
            c.exec(what, kUpsert,
                   {Param::text(citizen), type_param(RecordTraits<R>::type), Param::text(batch), Param::text(source)});
        if (!rows) return std::move(rows).error();
        for (int i = 0; i < rows->size(); ++i) (rows->text(i, 0) == "t" ? report.inserted : report.updated)++;
      }
      report.unchanged = records.size() - report.inserted - report.updated;
      return report;
    };
    // One statement is a transaction of its own; several need BEGIN … COMMIT.
    return batches->size() <= 1 ? upsert_all() : internal::pg::transaction(c, what, upsert_all);
  });
}

template <class R>
Result<std::vector<R>> RecordSink::load(const std::string& citizen) {
  if (Status st = check_citizen(citizen); !st) return std::move(st).error();
  return db_->impl().run("loading records", [&](Connection& c) -> Result<std::vector<R>> {
    auto rows = c.exec("loading records", kLoad, {Param::text(citizen), type_param(RecordTraits<R>::type)});
    if (!rows) return std::move(rows).error();
    return assemble<R>(*rows);
  });
}

template <class R>
Result<std::size_t> RecordSink::count(const std::string& citizen) {
  if (Status st = check_citizen(citizen); !st) return std::move(st).error();
  return db_->impl().run("counting records", [&](Connection& c) -> Result<std::size_t> {
    auto rows = c.exec("counting records", kCount, {Param::text(citizen), type_param(RecordTraits<R>::type)});
    if (!rows) return std::move(rows).error();
    return static_cast<std::size_t>(rows->integer(0, 0));
  });
}

#define MYNA_INSTANTIATE_SINK(R)                                                                                    \
  template std::string record_identity<R>(const R&);                                                                \
  template Result<StoreReport> RecordSink::store<R>(const std::string&, const std::vector<R>&, const std::string&); \
  template Result<std::vector<R>> RecordSink::load<R>(const std::string&);                                          \
  template Result<std::size_t> RecordSink::count<R>(const std::string&);

MYNA_INSTANTIATE_SINK(DrugRecord)
MYNA_INSTANTIATE_SINK(CheckupRecord)
MYNA_INSTANTIATE_SINK(MedicalExpenseRecord)

}  // namespace myna::pg
