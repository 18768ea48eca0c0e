// Telegram ids must be unique across processes, but every `myna` run is a new process. Each
// run holds one of kSlots partitions of the id space (ClientOptions::instance of
// instance_count) with flock on DIR/.telegram-id-slots/NN, taking the free slot used least
// recently; a slot used within the current second is waited for. Runs started one after
// another in the same second therefore never repeat an id.
#pragma once

#include <string>
#include <vector>

#include "myna/error.hpp"

namespace myna::cli {

class InstanceSlot {
 public:
  static constexpr unsigned kSlots = 20;  ///< 10000 / 20 = 500 ids per second per run

  static Result<InstanceSlot> acquire(const std::string& dir);
  InstanceSlot(InstanceSlot&& other) noexcept;
  InstanceSlot& operator=(InstanceSlot&&) = delete;
  ~InstanceSlot();
  unsigned index() const noexcept { return index_; }

 private:
  InstanceSlot() = default;
  int fd_ = -1;
  unsigned index_ = 0;
};

}  // namespace myna::cli
