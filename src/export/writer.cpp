#include "myna/export/writer.hpp"

#include <ostream>
#include <string>

#include "export/stream_status.hpp"

namespace myna {

std::string export_text(ConstFieldRef ref) {
  if (ref.kind == ValueKind::coded) return to_wire_text(ref);
  return to_display_text(ref);  // dates YYYY-MM-DD, year-months YYYY-MM, the rest as on the wire
}

namespace internal {
Status check_stream(const std::ostream& out, std::string_view what) {
  if (out) return {};
  return Error(ErrorCategory::storage,
               "writing " + std::string(what) + " failed (disk full or output closed?); check the output file");
}
}  // namespace internal

}  // namespace myna
