#include "runtime/run/run.hpp"

#include "runtime/run/interrupts.hpp"
#include "runtime/run/run_kinds.hpp"

namespace spinfer {

// The Ising family as the run needs it: a run at one beta acts with the precisions (scale 1,
// its action rule and policy precision, free energies measured); an ensemble with J at the
// ladder's betas. The lookup table is decided from the whole population.
PopulationSpec<IsingBlock> ising_population(const RunConfig& config, const RunInputs& in) {
  PopulationSpec<IsingBlock> spec;
  spec.schedule = config.schedule();
  spec.seed = config.seed();
  spec.layout = in.layout;
  spec.graph = &in.graph();
  spec.partition = in.partition;
  spec.clamped = in.clamped;
  spec.staleness = config.staleness();
  spec.stale_domains = in.stale_domains;
  const bool lookup = has_common_precision(in.graph());
  if (in.ensemble) {
    std::vector<double> scales = in.scales;
    spec.make_block = [scales, lookup](WeightedGraph local) {
      return IsingBlock(std::move(local), scales,
                        IsingBlockOptions{.lookup_allowed = lookup, .tabled_single_updates = true});
    };
    spec.count_bonds = true;
  } else {
    const ActionRule rule = config.action() == RunConfig::posterior_mode
                                ? ActionRule::posterior_mode
                                : ActionRule::sample_posterior;
    const double alpha = config.policy_precision();
    spec.make_block = [rule, lookup, alpha](WeightedGraph local) {
      return IsingBlock(std::move(local), rule, lookup, alpha);
    };
  }
  // Hopfield systems start at their own corruption of the cue pattern, keyed by (seed, system).
  if (in.patterns) {
    const std::vector<std::int8_t> cue = in.patterns->pattern(config.instance().cue_pattern());
    const double fraction = config.instance().corruption();
    const std::uint64_t seed = config.seed();
    spec.initial_state = [cue, fraction, seed](int system) {
      return corrupt(cue, fraction, seed | (static_cast<std::uint64_t>(system) + 1) << 32);
    };
  }
  return spec;
}

RunResult run(const RunConfig& config, const comm::Communicator& comm, const RunOptions& options) {
  return run(config, prepare_run(config, comm.size()), comm, options);
}

RunResult run(const RunConfig& config, const RunInputs& inputs, const comm::Communicator& comm,
              const RunOptions& options) {
  const std::unique_ptr<RunKind> kind =
      inputs.ensemble ? ensemble_run(config, inputs) : one_beta_run(config, inputs);
  IsingSegment segment(config, ising_population(config, inputs), kind->plan(), inputs.scales, comm,
                       options);
  segment.set_describe([&](record::Status& status, const std::string& state) {
    kind->describe(segment, status, state);
  });
  RunResult result;
  result.glass = inputs.glass;
  result.completed_sweeps = segment.run();
  result.cpu_seconds = segment.cpu();
  if (segment.interrupted()) {
    result.interrupted_by = comm.max(interrupt_signal());
    return result;
  }
  kind->complete(segment, comm, options, result);
  return result;
}

}  // namespace spinfer
