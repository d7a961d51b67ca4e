#include "runtime/run/interrupts.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

using namespace spinfer;

// Signals are process-wide, so each case runs in a forked child that reports through its exit
// status; the test process keeps its default handlers.
namespace {

int in_child(void (*body)()) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("interrupts: the first SIGTERM is recorded and the process goes on") {
  CHECK(in_child([] {
          install_interrupt_handlers();
          if (interrupt_signal() != 0) ::_exit(2);
          ::raise(SIGTERM);
          ::_exit(interrupt_signal() == SIGTERM ? 0 : 3);
        }) == 0);
}

TEST_CASE("interrupts: a second signal ends the process at once with 128 + signal") {
  CHECK(in_child([] {
          install_interrupt_handlers();
          ::raise(SIGINT);
          ::raise(SIGTERM);
          ::_exit(0);  // not reached
        }) == 128 + SIGTERM);
}

TEST_CASE("interrupts: SIGUSR1 (what mpirun forwards to the ranks) stops the run like SIGTERM") {
  CHECK(in_child([] {
          install_interrupt_handlers();
          ::raise(SIGUSR1);
          ::_exit(interrupt_signal() == SIGUSR1 ? 0 : 3);
        }) == 0);
}

TEST_CASE("interrupts: once the stop is complete, a further signal exits quietly with its code") {
  CHECK(in_child([] {
          install_interrupt_handlers();
          ::raise(SIGTERM);
          finish_on_further_signals(75);
          ::raise(SIGTERM);  // mpirun ending the ranks after the first one exited
          ::_exit(0);        // not reached
        }) == 75);
}
