// The listener component (MynaPortal::listener / mynaportal-listener): starts the HTTP callback
// listener on a free loopback port, prints its URL and stops it.
#include <iostream>

#include <myna/client/listener.hpp>

int main() {
  myna::ListenerOptions options;  // loopback, a free port, plain HTTP (allowed on loopback only)
  auto listener = myna::CallbackListener::start(options, [](std::string_view) { return myna::NotificationReply{}; });
  if (!listener) {
    std::cerr << listener.error() << '\n';
    return 1;
  }
  std::cout << "listening on port " << (*listener)->port() << '\n';
  (*listener)->stop();
  return 0;
}
