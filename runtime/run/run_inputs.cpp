#include "runtime/run/run_inputs.hpp"

#include "agents/core/error.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/population/population.hpp"
#include "runtime/run/instance_factory.hpp"

namespace spinfer {
namespace {

// `domains` contiguous blocks (lattice slabs) of the population, or none for 0.
std::optional<Partition> stale_domain_partition(const AgentPopulation& agents, int domains) {
  if (domains == 0) return std::nullopt;
  const bool enough =
      agents.lattice ? domains <= agents.lattice->length : domains <= agents.precisions.size();
  if (!enough)
    throw field_error("stale_domains", domains,
                      "more domains than " +
                          std::string(agents.lattice ? "lattice planes" : "agents") +
                          " to cut the population into");
  return balanced_partition(agents.precisions.size(), domains, agents.lattice);
}

// The schedules an ensemble can run, by name: "chromatic or random_sequential".
std::string ensemble_schedules() {
  std::string names;
  std::apply(
      [&]<class... Kind>(Kind...) {
        ((Kind::traits.in_ensembles
              ? void(names += (names.empty() ? "" : " or ") + std::string(Kind::traits.name))
              : void()),
         ...);
      },
      Schedules{});
  return names;
}

void prepare_one_beta(const RunConfig& config, int ranks, RunInputs& in) {
  const AgentId n = in.glass->couplings.size();
  in.clamped = clamped_agents(config, n);
  in.agents = agents_from_spin_glass(*in.glass, config.beta());
  in.scales = {1.0};
  if (config.schedule() == RunConfig::stale)
    in.stale_domains = stale_domain_partition(in.agents, config.stale_domains());
  in.layout = EnsembleLayout{1, ranks, {0, config.chains()}};
  in.partition =
      partition_for_schedule(in.agents.precisions, in.agents.lattice, config.schedule(), ranks);
  const std::int64_t delayed_states =
      config.schedule() == RunConfig::stale && config.staleness() > 0 ? config.staleness() + 1 : 0;
  const std::int64_t samples = config.sweeps() / config.measure_interval() + 1;
  require_checkpoint_fits({n, n * config.chains() * (1 + delayed_states),
                           n + in.glass->couplings.directed_edges(), samples * config.chains()});
  const AgentId n_free = n - static_cast<AgentId>(in.clamped.size());
  if (n_free <= config.verification().max_exact_agents())
    in.exact = reduce_clamped(in.agents.precisions, in.clamped);
}

void prepare_ensemble(const RunConfig& config, int ranks, RunInputs& in) {
  if (!schedule_traits(config.schedule()).in_ensembles)
    throw field_error("schedule", RunConfig::Schedule_Name(config.schedule()),
                      "ensemble runs need a Boltzmann sampler: " + ensemble_schedules());
  if (config.instance().kind() == config::Instance::hopfield)
    in.patterns = hopfield_patterns(config.instance());
  in.scales = initial_ladder(config);
  const int systems = config.replicas() * static_cast<int>(in.scales.size());
  in.layout = make_ensemble_layout(ranks, systems, config.layout().groups());
  try {
    in.partition = partition_for_schedule(in.glass->couplings, in.glass->lattice, config.schedule(),
                                          in.layout.ranks_per_group);
  } catch (const Error& e) {
    throw Error(std::string("layout.groups: ") + e.what() + " (ranks per group)");
  }
  const std::int64_t n = in.glass->couplings.size();
  const std::int64_t temperatures = static_cast<std::int64_t>(in.scales.size());
  const std::int64_t samples = config.sweeps() / config.measure_interval() + 1;
  require_checkpoint_fits({n, n * (systems + 1), temperatures * n, samples * config.replicas()});
}

}  // namespace

RunInputs prepare_run(const RunConfig& config, int ranks) {
  RunInputs in;
  in.glass = std::make_shared<const SpinGlass>(build_instance(config.instance()));
  in.ensemble = is_ensemble_run(config);
  if (in.ensemble)
    prepare_ensemble(config, ranks, in);
  else
    prepare_one_beta(config, ranks, in);
  return in;
}

}  // namespace spinfer
