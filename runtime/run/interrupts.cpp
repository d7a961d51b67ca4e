#include "runtime/run/interrupts.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace spinfer {
namespace {

std::atomic<int> received{0};
std::atomic<int> quiet_exit_code{0};  // set once the stop a signal asked for is complete
static_assert(std::atomic<int>::is_always_lock_free, "the handler needs a lock-free flag");

extern "C" void on_interrupt(int signal) {
  // mpirun ends the other ranks with SIGTERM when the first one exits non-zero: nothing is lost.
  if (const int code = quiet_exit_code.load()) ::_exit(code);
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
  // mpirun passes SIGUSR1 on to every rank and keeps running, where it answers SIGTERM and
  // SIGINT by killing the ranks a second later: `kill -USR1 <mpirun>` is the clean stop there.
  sigaction(SIGUSR1, &action, nullptr);
}

void finish_on_further_signals(int exit_code) {
  quiet_exit_code.store(exit_code);
}

int interrupt_signal() {
  return received.load(std::memory_order_relaxed);
}

void set_interrupt_signal_for_testing(int signal) {
  received.store(signal);
  quiet_exit_code.store(0);
}

}  // namespace spinfer
