#include "myna/process/retrieval.hpp"

namespace myna {

const char* to_string(RetrievalState state) noexcept {
  switch (state) {
    case RetrievalState::requested: return "requested";
    case RetrievalState::waiting: return "waiting";
    case RetrievalState::notified: return "notified";
    case RetrievalState::fetching: return "fetching";
    case RetrievalState::fetched: return "fetched";
    case RetrievalState::failed: return "failed";
    case RetrievalState::timed_out: return "timed_out";
  }
  return "unknown";
}

bool is_final(RetrievalState state) noexcept {
  return state == RetrievalState::fetched || state == RetrievalState::failed || state == RetrievalState::timed_out;
}

}  // namespace myna
