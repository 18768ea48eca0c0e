// Everything of the PostgreSQL component (MynaPortal::postgres). See docs/scale-out.md.
#pragma once

#include "myna/postgres/audit_log.hpp"
#include "myna/postgres/database.hpp"
#include "myna/postgres/record_sink.hpp"
#include "myna/postgres/stores.hpp"
#include "myna/postgres/work_queue.hpp"
