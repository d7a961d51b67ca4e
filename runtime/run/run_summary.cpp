#include "runtime/run/run_summary.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "runtime/io/status.hpp"
#include "runtime/io/version.hpp"

namespace spinfer {

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return text;
}

std::vector<std::string> distinct_hosts(const comm::Communicator& comm) {
  std::vector<std::string> hosts = comm.gather_to_root(comm::Communicator::processor_name());
  std::sort(hosts.begin(), hosts.end());
  hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  return hosts;
}

void fill_run_summary(record::Summary& s, const RunConfig& config, const RunFacts& facts,
                      int ranks) {
  s.set_version(kVersion);
  s.set_ranks(ranks);
  s.set_schedule(RunConfig::Schedule_Name(config.schedule()));
  s.set_action(RunConfig::Action_Name(config.action()));
  s.set_seed(config.seed());
  s.set_n_agents(static_cast<std::int32_t>(facts.n_agents));
  s.set_chains(facts.systems);
  s.set_sweeps(config.sweeps());
  s.set_burn_in(config.burn_in());
  s.set_measured_samples(static_cast<std::int32_t>(facts.measured_samples));
  s.set_instance(facts.instance);
  s.set_precision_asymmetry(facts.precision_asymmetry);
  s.set_final_state_hash(hex(facts.final_state_hash));
  s.set_wall_seconds(facts.total_wall);
  const std::int64_t total = static_cast<std::int64_t>(config.burn_in()) + config.sweeps();
  s.set_updates_per_second(static_cast<double>(facts.acting_agents) * facts.systems *
                           static_cast<double>(total - facts.first_sweep) / facts.segment_wall);
  *s.mutable_config() = config;
  s.set_command_line(facts.command_line);

  record::Provenance& p = *s.mutable_provenance();
  p.set_version(kVersion);
  p.set_build_type(kBuildType);
  p.set_compiler(kCompiler);
  p.set_mpi_library(comm::Environment::library_version());
  p.set_ranks(ranks);
  p.set_layout(facts.layout);
  *p.mutable_hosts() = {facts.hosts.begin(), facts.hosts.end()};
  p.set_wall_seconds(facts.total_wall);
  p.set_command_line(facts.command_line);
  p.set_segments(facts.segments);
  p.set_finished_at(utc_timestamp());
}

}  // namespace spinfer
