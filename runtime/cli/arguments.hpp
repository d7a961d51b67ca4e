#pragma once
// The spinfer command line as words: which command, its configuration source and its options.
// Parsing checks every option against the command it belongs to and throws spinfer::Error
// naming the one it does not understand; it talks to no other rank.
#include <string>
#include <vector>

#include "runtime/cli/bench.hpp"
#include "runtime/cli/bench_tempering.hpp"
#include "runtime/config/config.hpp"

namespace spinfer {

// The text `spinfer --help` prints.
extern const char* const kUsage;

struct Arguments {
  std::string command;
  ConfigSource config;
  std::string out;
  std::string resume;
  bool overwrite = false;
  bool quiet = false;
  BenchOptions bench;
  std::string knob;                 // fragility
  std::vector<std::string> values;  // fragility
  bool plot = true;                 // fragility
  TemperingBenchOptions tempering;
  std::string compare;  // meanfield --compare
};

Arguments parse_arguments(int argc, char** argv);

// argv joined by spaces, as provenance records it.
std::string command_line(int argc, char** argv);

}  // namespace spinfer
