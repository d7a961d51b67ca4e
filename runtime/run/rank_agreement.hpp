#pragma once
// Input errors must end every rank, not hang the ones that did not see them. A step that may
// throw spinfer::Error runs on every rank inside on_all_ranks(); afterwards either every rank
// goes on, or every rank throws: the lowest failing rank with its own message, the others with
// ErrorElsewhere, which main() does not print, so the message appears once.
#include <climits>
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

}  // namespace spinfer
