#pragma once
// SIGTERM, SIGINT and SIGUSR1 (batch-system pre-emption, Ctrl-C, a signal mpirun forwards) ask
// the run to stop at the next phase boundary and checkpoint; a second signal ends the process at
// once. Installed once, from main,
// never from a constructor: tests and library users keep the default behaviour.
namespace spinfer {

void install_interrupt_handlers();

// The stop is complete (checkpoint written on every rank's behalf): from now on a signal ends
// the process at once, quietly, with `exit_code`.
void finish_on_further_signals(int exit_code);

// The first signal received, or 0. Async-signal-safe to set, cheap to read.
int interrupt_signal();

// For tests: as if `signal` had arrived (0 clears).
void set_interrupt_signal_for_testing(int signal);

}  // namespace spinfer
