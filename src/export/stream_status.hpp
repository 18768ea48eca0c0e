// The status of an exporter's output stream (internal to the exporters).
#pragma once

#include <iosfwd>
#include <string_view>

#include "myna/error.hpp"

namespace myna::internal {

/// A storage error when the stream has failed (after writing `what`).
Status check_stream(const std::ostream& out, std::string_view what);

}  // namespace myna::internal
