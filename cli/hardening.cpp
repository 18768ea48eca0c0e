#include "hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace myna::cli {

Status disable_core_dumps() noexcept {
  const rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0)
    return Error(ErrorCategory::storage, std::string("cannot turn core dumps off: ") + std::strerror(errno));
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return Error(ErrorCategory::storage, std::string("cannot mark the process non-dumpable: ") + std::strerror(errno));
  return {};
}

}  // namespace myna::cli
