#pragma once
// What spinfer's exit status means, for batch scripts.
namespace spinfer {

constexpr int kInternalError = 1;  // a bug or a failure seen by one rank mid-run
constexpr int kInputError = 2;     // bad configuration, arguments or files: nothing was run
// sysexits' EX_TEMPFAIL: stopped by a signal with a checkpoint written, resume to continue.
constexpr int kInterrupted = 75;

}  // namespace spinfer
