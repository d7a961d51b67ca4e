#include "runtime/run/instance_factory.hpp"

#include <sstream>

#include "agents/core/error.hpp"
#include "agents/exact/asymmetry.hpp"
#include "agents/instances/directed_coupling_list.hpp"
#include "agents/instances/instances.hpp"

namespace spinfer {
namespace {

CouplingDistribution distribution(const config::Instance& in) {
  return in.distribution() == config::Instance::bimodal ? CouplingDistribution::bimodal
                                                        : CouplingDistribution::gaussian;
}

std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace

SpinGlass build_instance(const config::Instance& in) {
  SpinGlass glass;
  switch (in.kind()) {
    case config::Instance::sk:
      glass = sherrington_kirkpatrick(in.n(), distribution(in), in.coupling_mean(),
                                      in.coupling_scale(), in.seed());
      break;
    case config::Instance::edwards_anderson:
      glass = edwards_anderson(in.dimensions(), in.length(), distribution(in), in.coupling_mean(),
                               in.coupling_scale(), in.seed());
      break;
    case config::Instance::ferromagnet:
      glass = ferromagnet(in.dimensions(), in.length(), in.coupling_mean());
      break;
    case config::Instance::random_regular:
      glass = random_regular(in.n(), in.degree(), distribution(in), in.coupling_mean(),
                             in.coupling_scale(), in.seed());
      break;
    case config::Instance::coupling_list:
      glass = read_coupling_list(in.path());
      break;
    case config::Instance::directed_coupling_list:
      glass = read_directed_coupling_list(in.path());
      break;
    case config::Instance::hopfield:
      glass = hopfield(hopfield_patterns(in));
      break;
    default:
      throw field_error("instance.kind", in.kind(), "unknown");
  }
  if (in.field() != 0 || in.field_spread() != 0)
    add_fields(glass, in.field(), in.field_spread(), in.seed());
  if (in.asymmetry() != 0) {
    glass.couplings = add_antisymmetric_part(glass.couplings, in.asymmetry(), in.seed());
    glass.description += ", asymmetry " + format_number(in.asymmetry());
  }
  return glass;
}

Patterns hopfield_patterns(const config::Instance& in) {
  Patterns patterns;
  try {
    patterns = in.has_patterns_path() ? read_patterns(in.patterns_path())
                                      : random_patterns(in.patterns(), in.n(), in.seed());
  } catch (const Error& e) {
    // The agents library names its own parameters; the user wrote instance.*.
    const std::string message = e.what();
    if (message.starts_with("hopfield.")) throw Error("instance." + message.substr(9));
    throw;
  }
  if (in.cue_pattern() >= patterns.count())
    throw field_error("instance.cue_pattern", in.cue_pattern(),
                      "the instance stores only " + std::to_string(patterns.count()) + " patterns");
  return patterns;
}

std::vector<ClampedAgent> clamped_agents(const RunConfig& config, AgentId n_agents) {
  std::vector<ClampedAgent> out;
  for (int k = 0; k < config.clamped_size(); ++k) {
    const auto& c = config.clamped(k);
    if (c.agent() >= n_agents)
      throw field_error("clamped[" + std::to_string(k) + "].agent", c.agent(),
                        "no such agent (population has " + std::to_string(n_agents) + ")");
    out.push_back({c.agent(), static_cast<std::int8_t>(c.value())});
  }
  if (static_cast<AgentId>(out.size()) >= n_agents)
    throw field_error("clamped", out.size(), "every agent is clamped: nothing left to act");
  return out;
}

}  // namespace spinfer
