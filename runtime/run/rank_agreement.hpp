#pragma once
// The two ways an error reaches every rank (as LAMMPS's Error::all and Error::one):
// - on_all_ranks(): a step every rank takes before the ranks depend on each other (reading and
//   checking input). Afterwards either every rank goes on, or every rank throws: the lowest
//   failing rank with its own message, the others with ErrorElsewhere, which main() does not
//   print, so the message appears once and every rank exits 2.
// - abort_all_on_error(): a step during which ranks wait for each other (the run itself). An
//   error on one rank (a full disk, say) cannot be agreed on, since the others may be inside a
//   collective: that rank prints it and ends every rank through MPI_Abort.
#include <climits>
#include <iostream>
#include <optional>

#include "agents/core/error.hpp"
#include "comm/communicator.hpp"

namespace spinfer {

class ErrorElsewhere : public Error {
 public:
  ErrorElsewhere() : Error("failed on another rank") {}
};

template <class Step>
void on_all_ranks(const comm::Communicator& comm, Step&& step) {
  std::optional<Error> error;
  try {
    step();
  } catch (const Error& e) {
    error = e;
  }
  const int first_failure = comm.min(error ? comm.rank() : INT_MAX);
  if (first_failure == INT_MAX) return;
  if (comm.rank() == first_failure) throw *error;
  throw ErrorElsewhere();
}

// Exit code of an abort: the input-error code, since the error is the user's to act on.
inline constexpr int kAbortExitCode = 2;

template <class Step>
void abort_all_on_error(const comm::Communicator& comm, Step&& step) {
  try {
    step();
  } catch (const Error& e) {
    std::cerr << "spinfer: error on rank " << comm.rank() << ": " << e.what() << std::endl;
    comm::Environment::abort_all(kAbortExitCode);
  }
}

}  // namespace spinfer
