#include "interrupts.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace spinfer {
namespace {

std::atomic<int> received{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler needs a lock-free flag");

extern "C" void on_interrupt(int signal) {
  int expected = 0;
  if (!received.compare_exchange_strong(expected, signal)) {
    // Second signal: the user or the batch system insists. The last checkpoint stays valid.
    static const char message[] = "spinfer: second signal, aborting without checkpoint\n";
    [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(128 + signal);
  }
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action = {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

int interrupt_signal() {
  return received.load(std::memory_order_relaxed);
}

void set_interrupt_signal_for_testing(int signal) {
  received.store(signal);
}

}  // namespace spinfer
