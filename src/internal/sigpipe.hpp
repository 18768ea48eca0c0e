// Writing to a peer that has gone must give EPIPE, not kill the process: SIGPIPE is ignored
// unless the application installed a handler of its own. Used by the listener and the sandbox.
#pragma once

#include <signal.h>

namespace myna::internal {

inline void ignore_sigpipe() noexcept {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, nullptr);
  }
}

}  // namespace myna::internal
