// The odd_values fault: one value of a record replaced by a real-world variant of the kinds in
// the variant corpus (tests/data/variants/), with the ground truth of what was sent.
#pragma once

#include <cstddef>
#include <cstdint>

#include "myna/records.hpp"
#include "myna/sandbox/sandbox.hpp"

namespace myna::internal::sandbox {

/// How many variants apply to records of type R.
template <class R>
std::size_t odd_variant_count() noexcept;

/// Replaces one value of `record` by variant `choice` (< odd_variant_count<R>()) and returns
/// what was sent (telegram id and record index left for the caller).
template <class R>
myna::sandbox::OddValue apply_odd_variant(R& record, std::size_t choice);

}  // namespace myna::internal::sandbox
