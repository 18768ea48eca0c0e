// Process hardening of the `myna` tool: a core dump of it would hold access and refresh
// tokens, codes and records, so it makes none.
#pragma once

#include "myna/error.hpp"

namespace myna::cli {

/// Sets RLIMIT_CORE to 0 (soft and hard) and marks the process non-dumpable
/// (prctl(PR_SET_DUMPABLE, 0): no core dump, no ptrace attach by other processes of the user,
/// /proc/PID files owned by root). Called first thing in main().
Status disable_core_dumps() noexcept;

}  // namespace myna::cli
