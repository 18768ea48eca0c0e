// Result telegram bodies produced piece by piece (chunked HTTP), so that even a huge body never
// sits in memory: records are encoded with codec::ResultWriter as the socket takes them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "myna/codec/payload.hpp"

namespace myna::internal::sandbox {

class BodySource {
 public:
  virtual ~BodySource() = default;
  /// Appends the next part (about 64 KiB) to out; false once the body is complete.
  virtual bool next(std::string& out) = 0;
};

/// The result telegram holding these records.
template <class R>
std::unique_ptr<BodySource> records_body(const Profile& profile, CommonHeader header, std::vector<R> records);

/// About `bytes` of drug records, cycling through `pool` (shared, never copied).
std::unique_ptr<BodySource> bulk_body(const Profile& profile, CommonHeader header,
                                      std::shared_ptr<const std::vector<DrugRecord>> pool, std::uint64_t bytes);

/// Drains a source into one string (small bodies, truncation faults).
std::string drain(BodySource& source);

}  // namespace myna::internal::sandbox
