// The spinfer command line: which command runs, and what ends the process. The only file that
// touches the MPI world communicator (through comm::Environment). Errors reach it in the two
// ways runtime/run/rank_agreement.hpp describes; what arrives here ends this rank with exit 2
// (input) or, for anything else, ends every rank through MPI_Abort.
#include <cstring>
#include <iostream>

#include "comm/communicator.hpp"
#include "runtime/cli/arguments.hpp"
#include "runtime/cli/exit_codes.hpp"
#include "runtime/cli/meanfield_command.hpp"
#include "runtime/cli/run_command.hpp"
#include "runtime/fragility/fragility.hpp"
#include "runtime/io/run_directory.hpp"
#include "runtime/io/status.hpp"
#include "runtime/io/version.hpp"
#include "runtime/run/interrupts.hpp"
#include "runtime/run/rank_agreement.hpp"

namespace spinfer {
namespace {

int dispatch(const comm::Communicator& world, int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help"))) {
    if (world.is_root()) std::cout << kUsage;
    return 0;
  }
  if (argc >= 2 && !std::strcmp(argv[1], "--version")) {
    if (world.is_root())
      std::cout << "spinfer " << kVersion << " (" << kBuildType << ", " << kCompiler << ", "
                << comm::Environment::library_version() << ")\n";
    return 0;
  }
  Arguments args;
  on_all_ranks(world, [&] { args = parse_arguments(argc, argv); });
  if (args.command == "run") return run_command(world, args, argc, argv);
  if (args.command == "config") {
    RunConfig config;
    on_all_ranks(world, [&] { config = resolve_config(args.config); });
    if (world.is_root()) std::cout << to_json(config) << "\n";
    return 0;
  }
  if (args.command == "status") {
    on_all_ranks(world, [&] {
      if (world.is_root())
        std::cout << format_status(read_status(args.out), run_directory_in_use(args.out));
    });
    return 0;
  }
  if (args.command == "meanfield") {
    run_meanfield(world, {args.config, args.out, args.compare, args.overwrite, args.quiet},
                  std::cout);
    return 0;
  }
  if (args.command == "bench") {
    run_bench(world, args.bench, std::cout);
    run_tempering_bench(world, args.tempering, std::cout);
    return 0;
  }
  if (args.command == "fragility") {
    FragilityOptions fragility;
    fragility.config = args.config;
    fragility.knob = args.knob;
    fragility.values = args.values;
    fragility.out = args.out;
    fragility.overwrite = args.overwrite;
    fragility.quiet = args.quiet;
    fragility.plot = args.plot;
    fragility.command_line = command_line(argc, argv);
    return run_fragility(world, fragility);
  }
  on_all_ranks(world, [&] {
    throw field_error("command", args.command,
                      "unknown (run, config, status, meanfield, fragility, bench)");
  });
  return 0;
}

}  // namespace
}  // namespace spinfer

int main(int argc, char** argv) {
  spinfer::comm::Environment environment(argc, argv);
  const spinfer::comm::Communicator world = environment.world();
  spinfer::install_interrupt_handlers();
  try {
    return spinfer::dispatch(world, argc, argv);
  } catch (const spinfer::ErrorElsewhere&) {
    return spinfer::kInputError;  // the failing rank printed the message
  } catch (const spinfer::Error& e) {
    std::cerr << "spinfer: error: " << e.what() << std::endl;
    return spinfer::kInputError;
  } catch (const std::exception& e) {
    // Seen by this rank alone, mid-run: the others may be waiting in a collective.
    std::cerr << "spinfer: internal error on rank " << world.rank() << ": " << e.what()
              << std::endl;
    spinfer::comm::Environment::abort_all(spinfer::kInternalError);
  }
}
