// Envelope parsing shared by all telegrams (internal).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "codec/json_streams.hpp"

namespace myna::internal {

struct Envelope {
  CommonHeader header;
  bool header_seen = false;
  std::optional<std::string> inquiry_condition;
  bool payload_seen = false;
};

/// Decodes the embedded payload string; the stream is positioned after its opening quote.
using PayloadParser = std::function<Status(ByteCursor&, ValueBudget&)>;

/// Parses one telegram from the cursor. When payload is set, the string at
/// selfPersonalDataProvisionInfo.selfPersonalData is handed to it instead of being read whole.
Status parse_envelope(ByteCursor& cursor, const Profile& profile, Envelope& out, const PayloadParser* payload);

/// A decode error for the envelope, naming the field.
Error envelope_error(const std::string& field, const std::string& what, std::uint64_t offset = 0);

/// Turns a failed payload parse into an Error (syntax, truncation, limits).
Error payload_syntax_error(const char* rapidjson_message, std::size_t offset, PayloadStream::End end,
                           const ByteCursor& cursor, std::size_t value_limit);

}  // namespace myna::internal
