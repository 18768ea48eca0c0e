// Writes fetched records to PostgreSQL exactly once: each record gets an identity (its
// natural key, or a content hash when its filter item is absent) plus an ordinal among the
// records of the same retrieval with that identity; one transaction per retrieval upserts
// them, so a retried retrieval, a second fetch of the same result or two instances racing
// never duplicate a record, and a crash never leaves half a retrieval. Items are stored as
// JSONB keyed by item number (the catalogs drive it). See docs/scale-out.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "myna/postgres/database.hpp"
#include "myna/postgres/export.hpp"
#include "myna/query/query.hpp"
#include "myna/records.hpp"

namespace myna::pg {

/// The items that identify a record of type R. The first one is the item the service
/// filters on (表2.6: 診療年月 for drugs and expenses, 実施年月日 for checkups).
template <class R>
struct NaturalKey;
template <>
struct NaturalKey<DrugRecord> {
  // 診療年月, 入外等の別, 医療機関(薬局)コード, 処方箋発行医療機関コード, 調剤日,
  // 処方箋発行日, 処方グループ番号, 診療識別等区分, 医薬品コード
  static constexpr std::array<std::uint16_t, 9> items{9, 10, 11, 13, 17, 18, 19, 20, 23};
};
template <>
struct NaturalKey<CheckupRecord> {
  // 実施年月日, 健診プログラムコード, 特定健診機関番号
  static constexpr std::array<std::uint16_t, 3> items{14, 15, 16};
};
template <>
struct NaturalKey<MedicalExpenseRecord> {
  // 診療年月, ユニークコード
  static constexpr std::array<std::uint16_t, 2> items{4, 3};
};

/// The identity part of a record's key: "n:" + a JSON array of the natural key items
/// (null where absent) when the filter item is present, else "h:" + the hex SHA-256 of all
/// items. The stored key adds the ordinal among equal identities within one retrieval.
template <class R>
MYNA_PG_API std::string record_identity(const R& record);

struct StoreReport {
  std::size_t inserted = 0;   ///< new rows
  std::size_t updated = 0;    ///< same key, different items (the service corrected a record)
  std::size_t unchanged = 0;  ///< already stored as they are (a retry, a duplicate fetch)
};

/// Thread-safe: each call takes a connection of the Database's pool.
class MYNA_PG_API RecordSink {
 public:
  static Result<std::shared_ptr<RecordSink>> create(std::shared_ptr<Database> db);
  ~RecordSink();

  /// Stores the records of one retrieval for a citizen in one transaction (retried once on a
  /// serialization failure or deadlock). `source` (e.g. the telegram id) is kept per row for
  /// audit. A record whose text holds a NUL character is refused (validation).
  template <class R>
  Result<StoreReport> store(const std::string& citizen, const std::vector<R>& records, const std::string& source = "");

  /// The citizen's stored records of type R, in filter date, identity and ordinal order.
  template <class R>
  Result<std::vector<R>> load(const std::string& citizen);

  /// Rows of type R stored for the citizen.
  template <class R>
  Result<std::size_t> count(const std::string& citizen);

 private:
  explicit RecordSink(std::shared_ptr<Database> db);
  std::shared_ptr<Database> db_;
};

}  // namespace myna::pg
