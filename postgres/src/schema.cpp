// The schema and its migrations. Every statement here is a constant or is generated from the
// compile-time record catalogs (the per-type views); no input ever becomes SQL text.
#include "schema.hpp"

#include <string>

#include "myna/records.hpp"

namespace myna::internal::pg {
namespace {

// Serialises migrations across instances that start together (pg_advisory_xact_lock key).
constexpr const char* kMigrationLock = "7283519002";

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

constexpr const char* kVersionTable = R"SQL(
CREATE TABLE IF NOT EXISTS myna_schema_version (
  version     integer PRIMARY KEY,
  description text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT clock_timestamp()
))SQL";

constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE myna_retrievals (
  telegram_id text PRIMARY KEY,
  process_id  text NOT NULL DEFAULT '',
  citizen     text NOT NULL,
  record_type smallint NOT NULL CHECK (record_type BETWEEN 1 AND 3),
  from_date   date,
  to_date     date,
  state       text NOT NULL CHECK (state IN
                ('requested', 'waiting', 'notified', 'fetching', 'fetched', 'failed', 'timed_out')),
  error_code  text NOT NULL DEFAULT '',
  owner       text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     bigint NOT NULL DEFAULT 0  -- bumped by every transition (compare-and-set)
) WITH (fillfactor = 80);
-- No secondary index on purpose: every transition is then a HOT update (no index writes);
-- unfinished() and purge() are rare and scan the table (purge keeps it small).

-- Wakes the instances waiting in RetrievalStore::wait() (LISTEN myna_retrieval).
CREATE FUNCTION myna_retrieval_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('myna_retrieval', NEW.telegram_id);
  RETURN NULL;
END $$;
CREATE TRIGGER myna_retrieval_changed AFTER UPDATE OF state ON myna_retrievals
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION myna_retrieval_changed();

-- Tokens: AES-256-GCM values (version byte | 12-byte nonce | ciphertext | 16-byte tag).
CREATE TABLE myna_tokens (
  citizen          text PRIMARY KEY,
  access_token     bytea NOT NULL,
  refresh_token    bytea,
  expires_at       timestamptz NOT NULL,
  grant_expires_at timestamptz NOT NULL,
  granted_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Records: identity (natural key or content hash) + ordinal within the retrieval.
CREATE TABLE myna_records (
  citizen     text NOT NULL,
  record_type smallint NOT NULL CHECK (record_type BETWEEN 1 AND 3),
  record_key  text NOT NULL,
  ordinal     integer NOT NULL CHECK (ordinal >= 0),
  filter_date date,
  items       jsonb NOT NULL,
  source      text NOT NULL DEFAULT '',
  stored_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (citizen, record_type, record_key, ordinal)
);
CREATE INDEX myna_records_by_date ON myna_records (citizen, record_type, filter_date);

-- Work queues drained by several instances (SELECT ... FOR UPDATE SKIP LOCKED + lease).
CREATE TABLE myna_work (
  queue       text NOT NULL,
  item        text NOT NULL,
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done', 'failed')),
  attempts    integer NOT NULL DEFAULT 0,
  not_before  timestamptz NOT NULL DEFAULT clock_timestamp(),
  lease_owner text NOT NULL DEFAULT '',
  lease_until timestamptz,
  last_error  text NOT NULL DEFAULT '',
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (queue, item)
);
CREATE INDEX myna_work_ready ON myna_work (queue, not_before) WHERE state = 'pending';
CREATE INDEX myna_work_leased ON myna_work (queue, lease_until) WHERE state = 'leased';
)SQL";

// Consent per information type: the types a token grants (RecordTypes bits). Rows of version
// 1 keep NULL, read as every type: what those consents granted.
constexpr const char* kSchemaV2 = R"SQL(
ALTER TABLE myna_tokens ADD COLUMN record_types smallint CHECK (record_types BETWEEN 0 AND 7);
COMMENT ON COLUMN myna_tokens.record_types IS
  'granted information types: bit 0 薬剤情報, bit 1 特定健診情報, bit 2 医療費通知情報; NULL = all (saved before v2)';
)SQL";

// The audit trail: one row per retrieval (AuditLog); never a record value or a secret.
constexpr const char* kSchemaV3 = R"SQL(
CREATE TABLE myna_audit (
  id               bigserial PRIMARY KEY,
  telegram_id      text NOT NULL,           -- '' when refused before a telegram id was assigned
  process_id       text,                    -- NULL before the service accepted the request
  citizen          text NOT NULL,           -- the application's key for the citizen
  record_type      smallint NOT NULL CHECK (record_type BETWEEN 1 AND 3),
  from_date        date,
  to_date          date,
  requested_at     timestamptz NOT NULL,
  notified_at      timestamptz,             -- NULL on the fallback (no notification)
  fetched_at       timestamptz,             -- NULL when no result response arrived
  notified         boolean NOT NULL,
  request_attempts integer NOT NULL,
  result_attempts  integer NOT NULL,
  bytes            bigint NOT NULL,
  records          bigint NOT NULL,
  issues           jsonb NOT NULL,          -- issue counts per kind, e.g. {"unknown_code": 2}
  instance_name    text NOT NULL,
  outcome          text NOT NULL,           -- 'ok' or the error category
  message          text NOT NULL DEFAULT '',
  logged_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX myna_audit_by_telegram ON myna_audit (telegram_id) WHERE telegram_id <> '';
CREATE INDEX myna_audit_by_citizen ON myna_audit (citizen, requested_at);
)SQL";

// Notifications that arrived before the request response confirmed the processId: kept
// apart, never changing the retrieval, until the response confirms one of them.
constexpr const char* kSchemaV4 = R"SQL(
ALTER TABLE myna_retrievals ADD COLUMN provisional text NOT NULL DEFAULT '';
COMMENT ON COLUMN myna_retrievals.provisional IS
  'notifications before the processId was confirmed: one line "processId errorCode" each';
)SQL";

constexpr Migration kMigrations[] = {
    {1, "retrievals, tokens, records, work queues, per-type item views", kSchemaV1},
    {2, "tokens: granted information types", kSchemaV2},
    {3, "audit trail (one row per retrieval)", kSchemaV3},
    {4, "retrievals: provisional notifications of the request window", kSchemaV4},
};

/// The SQL expression reading one item from the JSONB column, typed by its value kind.
std::string item_expression(const FieldInfo& f) {
  const std::string raw = "(items->>'" + std::to_string(f.number) + "')";
  switch (f.kind) {
    case ValueKind::date: return "to_date(" + raw + ", 'YYYYMMDD')";
    case ValueKind::count: return raw + "::integer";
    case ValueKind::yen: return raw + "::bigint";
    case ValueKind::decimal: return raw + "::numeric";
    case ValueKind::text:
    case ValueKind::year_month:
    case ValueKind::code:
    case ValueKind::coded: break;
  }
  return raw;
}

std::string quoted_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// CREATE VIEW myna_<type> with one typed column per catalog item (named by its English
/// identifier, commented with its item number and Japanese name).
template <class R>
std::string items_view() {
  const std::string view = "myna_" + std::string(english_name(RecordTraits<R>::type));
  std::string sql = "CREATE VIEW " + view + " AS SELECT citizen, record_key, ordinal, filter_date, source, stored_at";
  for (const FieldInfo& f : catalog<R>()) sql += ",\n  " + item_expression(f) + " AS " + std::string(f.en);
  sql += "\nFROM myna_records WHERE record_type = " + std::to_string(static_cast<int>(RecordTraits<R>::type)) + ";\n";
  for (const FieldInfo& f : catalog<R>())
    sql += "COMMENT ON COLUMN " + view + "." + std::string(f.en) + " IS " +
           quoted_literal(std::to_string(f.number) + " " + std::string(f.ja)) + ";\n";
  return sql;
}

Status apply(Connection& c, const Migration& m) {
  if (Status st = c.exec_script("creating the schema", m.sql); !st) return st;
  if (m.version == 1) {
    for (const std::string& view :
         {items_view<DrugRecord>(), items_view<CheckupRecord>(), items_view<MedicalExpenseRecord>()})
      if (Status st = c.exec_script("creating the item views", view.c_str()); !st) return st;
  }
  auto recorded =
      c.exec("recording the schema version", "INSERT INTO myna_schema_version (version, description) VALUES ($1, $2)",
             {Param::integer(m.version), Param::text(m.description)});
  if (!recorded) return std::move(recorded).error();
  return {};
}

Error newer_schema(int found) {
  return Error(ErrorCategory::storage, "the database schema is version " + std::to_string(found) +
                                           ", newer than this SDK understands (" + std::to_string(latest_version()) +
                                           "); upgrade the SDK");
}

}  // namespace

int latest_version() noexcept { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> read_version(Connection& c) {
  auto rows = c.exec("reading the schema version",
                     "SELECT CASE WHEN to_regclass('myna_schema_version') IS NULL THEN -1 ELSE 0 END");
  if (!rows) return std::move(rows).error();
  if (rows->integer(0, 0) < 0) return 0;
  auto version = c.exec("reading the schema version", "SELECT coalesce(max(version), 0) FROM myna_schema_version");
  if (!version) return std::move(version).error();
  return static_cast<int>(version->integer(0, 0));
}

Status migrate(Connection& c, const Logger& logger) {
  return transaction(c, "migrating the schema", [&]() -> Status {
    auto locked =
        c.exec("migrating the schema", "SELECT pg_advisory_xact_lock($1::bigint)", {Param::text(kMigrationLock)});
    if (!locked) return std::move(locked).error();
    if (Status st = c.exec_script("creating the schema version table", kVersionTable); !st) return st;
    auto current = read_version(c);
    if (!current) return std::move(current).error();
    if (*current > latest_version()) return newer_schema(*current);
    for (const Migration& m : kMigrations) {
      if (m.version <= *current) continue;
      if (Status st = apply(c, m); !st) return st;
      logger.log(LogLevel::info, "database: schema migrated to version " + std::to_string(m.version));
    }
    return {};
  });
}

}  // namespace myna::internal::pg
