#include "runtime/results/outputs.hpp"

#include "runtime/io/run_directory.hpp"
#include "runtime/results/chain_tables.hpp"
#include "runtime/results/ensemble_tables.hpp"

namespace spinfer {

void write_outputs(const std::string& directory, const RunConfig& config, const RunResult& result) {
  ensure_writable_directory(directory);
  const auto at = [&](const std::string& name) { return directory + "/" + name; };
  write_file_atomically(at("config.json"), to_json(config) + "\n");
  const std::vector<OutputFile> tables =
      result.summary.has_ensemble() ? ensemble_tables(result) : chain_tables(result);
  for (const OutputFile& file : tables) write_file_atomically(at(file.name), file.content);
  // Last: a summary.json present means the run's other outputs are complete.
  write_file_atomically(at("summary.json"), to_json(result.summary) + "\n");
}

}  // namespace spinfer
