// Schema creation and migrations (myna_schema_version). Internal header.
#pragma once

#include "connection.hpp"
#include "myna/log.hpp"

namespace myna::internal::pg {

/// The newest schema version this SDK creates.
int latest_version() noexcept;
/// The version recorded in the database; 0 when there is no schema yet.
Result<int> read_version(Connection& c);
/// Creates or upgrades the schema in one transaction under an advisory lock (several
/// instances may start at once); refuses a schema newer than this SDK.
Status migrate(Connection& c, const Logger& logger);

}  // namespace myna::internal::pg
