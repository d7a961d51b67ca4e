#include "runtime/config/ensemble_config.hpp"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <string>

#include "agents/core/error.hpp"
#include "agents/tempering/annealing_schedule.hpp"
#include "agents/tempering/temperature_ladder.hpp"

namespace spinfer {

const char* ensemble_defaults_json();

namespace {

template <class T>
void require(bool ok, const std::string& field, const T& value, const std::string& why) {
  if (!ok) throw field_error(field, value, why);
}

// The largest number of systems: Philox keys a system's streams with a 16-bit chain id.
constexpr long long kMaxSystems = 65536;
constexpr int kMaxReplicas = 64;

}  // namespace

bool is_ensemble_run(const RunConfig& config) {
  return config.has_temperatures() || config.has_annealing() ||
         config.instance().kind() == config::Instance::hopfield;
}

void resolve_ensemble(const RunConfig& user, RunConfig& config) {
  if (!is_ensemble_run(config)) {
    for (auto [given, field] : {std::pair{user.has_replicas(), "replicas"},
                                {user.has_tempering(), "tempering"},
                                {user.has_layout(), "layout"}})
      require(!given, field, "(given)",
              "used by ensemble runs only (give temperatures or annealing; chains counts "
              "independent chains here)");
    return;
  }
  require(!user.has_chains(), "chains", user.chains(),
          "not used by ensemble runs (temperatures, annealing, hopfield): give replicas");
  RunConfig merged;
  google::protobuf::util::JsonParseOptions options;
  if (!google::protobuf::util::JsonStringToMessage(ensemble_defaults_json(), &merged, options).ok())
    throw std::logic_error("embedded ensemble defaults do not parse");
  merged.MergeFrom(config);
  config = merged;
  if (config.has_temperatures()) {
    auto& t = *config.mutable_temperatures();
    if (!t.has_kind() && t.betas_size() > 0) t.set_kind(config::Ladder::listed);
    if (!t.retune().has_rounds()) t.mutable_retune()->set_rounds(0);
    if (!t.retune().has_step()) t.mutable_retune()->set_step(0.5);
  }
  if (config.has_annealing() && !user.has_burn_in()) config.set_burn_in(0);
}

void validate_ensemble(const RunConfig& c) {
  if (!is_ensemble_run(c)) return;
  require(c.replicas() >= 1 && c.replicas() <= kMaxReplicas, "replicas", c.replicas(),
          "must be in [1, " + std::to_string(kMaxReplicas) + "]");
  // Which schedules an ensemble can run is theirs to say (ScheduleTraits::in_ensembles): the
  // run refuses the others when it is prepared.
  require(c.action() == RunConfig::sample_posterior, "action", RunConfig::Action_Name(c.action()),
          "ensemble runs sample at finite temperature: sample_posterior");
  require(c.clamped_size() == 0, "clamped", c.clamped_size(),
          "clamped agents are not supported in ensemble runs");
  // Tempering swaps and annealing need an energy, which only symmetric couplings and the
  // Glauber action (alpha = 1) have: the fragility knobs belong to single-temperature runs.
  const std::string knob =
      "ensemble runs sample Boltzmann(J): a fragility knob is for runs "
      "without temperatures, annealing or hopfield";
  require(c.policy_precision() == 1.0, "policy_precision", c.policy_precision(), knob);
  require(c.instance().asymmetry() == 0.0, "instance.asymmetry", c.instance().asymmetry(), knob);
  require(c.instance().kind() != config::Instance::directed_coupling_list, "instance.kind",
          "directed_coupling_list", knob);
  require(!c.bias_reference(), "bias_reference", "true", knob);
  require(!(c.has_annealing() && c.has_temperatures()), "annealing", "(given)",
          "cannot be combined with temperatures (anneal every replica, or temper)");
  require(c.tempering().swap_interval() >= 0, "tempering.swap_interval",
          c.tempering().swap_interval(), "must be >= 0 (0: no swaps, a temperature scan)");
  require(c.layout().groups() >= 0, "layout.groups", c.layout().groups(),
          "must be >= 0 (0: automatic)");
  if (c.has_temperatures()) {
    const auto& t = c.temperatures();
    require(t.kind() != config::Ladder::ladder_unspecified, "temperatures", "(no betas)",
            "give betas [...] or kind geometric with beta_min, beta_max, count");
    if (t.kind() == config::Ladder::geometric) {
      require(t.betas_size() == 0, "temperatures.betas", t.betas_size(),
              "a geometric ladder is generated: give beta_min, beta_max, count instead");
      for (auto [present, field] : {std::pair{t.has_beta_min(), "temperatures.beta_min"},
                                    {t.has_beta_max(), "temperatures.beta_max"},
                                    {t.has_count(), "temperatures.count"}})
        require(present, field, "(missing)", "required for a geometric ladder");
      require(t.count() >= 1 && t.count() <= kMaxSystems / c.replicas(), "temperatures.count",
              t.count(),
              "must be in [1, " + std::to_string(kMaxSystems / c.replicas()) + "] (65536 systems)");
    } else {
      for (auto [present, field] : {std::pair{t.has_beta_min(), "temperatures.beta_min"},
                                    {t.has_beta_max(), "temperatures.beta_max"},
                                    {t.has_count(), "temperatures.count"}})
        require(!present, field, "(given)", "only for kind geometric");
      require(t.betas_size() >= 1, "temperatures.betas", 0, "needs at least one beta");
      require(t.betas_size() <= kMaxSystems / c.replicas(), "temperatures.betas", t.betas_size(),
              "too many systems (replicas x temperatures must be <= 65536)");
    }
    const std::vector<double> betas = initial_ladder(c);  // throws on bad ladders
    const int rounds = t.retune().rounds();
    require(rounds >= 0, "temperatures.retune.rounds", rounds, "must be >= 0");
    require(t.retune().step() > 0 && t.retune().step() <= 1, "temperatures.retune.step",
            t.retune().step(), "must be in (0, 1]");
    if (rounds > 0) {
      require(c.tempering().swap_interval() > 0, "temperatures.retune.rounds", rounds,
              "retuning needs swaps (tempering.swap_interval > 0)");
      require(betas.size() >= 3, "temperatures.retune.rounds", rounds,
              "retuning moves interior betas: needs >= 3 temperatures");
      require(static_cast<long long>(c.burn_in()) >= 2LL * rounds * c.tempering().swap_interval(),
              "temperatures.retune.rounds", rounds,
              "burn_in = " + std::to_string(c.burn_in()) +
                  " is too short: each retuning needs >= 2 swap rounds of burn-in");
    }
  }
  if (c.has_annealing()) {
    const auto& a = c.annealing();
    require(a.kind() != config::Annealing::annealing_unspecified, "annealing.kind",
            config::Annealing::Kind_Name(a.kind()), "must be linear or geometric");
    require(a.has_beta_start(), "annealing.beta_start", "(missing)", "required");
    require(a.has_beta_end(), "annealing.beta_end", "(missing)", "required");
    annealing_beta(c, 0);  // throws on bad ends
  }
}

std::vector<double> initial_ladder(const RunConfig& c) {
  if (c.has_annealing()) return {c.annealing().beta_start()};
  if (!c.has_temperatures()) return {c.beta()};
  const auto& t = c.temperatures();
  if (t.kind() == config::Ladder::geometric) {
    if (t.count() == 1) {
      require(t.beta_min() == t.beta_max() && std::isfinite(t.beta_min()) && t.beta_min() > 0,
              "temperatures.count", 1, "one temperature needs beta_min == beta_max > 0");
      return {t.beta_min()};
    }
    return geometric_ladder(t.beta_min(), t.beta_max(), t.count());
  }
  std::vector<double> betas(t.betas().begin(), t.betas().end());
  if (betas.size() == 1) {
    require(std::isfinite(betas[0]) && betas[0] > 0, "temperatures.betas[0]", betas[0],
            "must be finite and > 0");
    return betas;
  }
  try {
    validate_ladder(betas);
  } catch (const Error& e) {
    throw Error(std::string("temperatures.betas: ") + e.what());
  }
  return betas;
}

double annealing_beta(const RunConfig& c, std::int64_t sweep) {
  const auto& a = c.annealing();
  const auto kind =
      a.kind() == config::Annealing::geometric ? AnnealingKind::geometric : AnnealingKind::linear;
  return annealing_beta(kind, a.beta_start(), a.beta_end(),
                        static_cast<std::int64_t>(c.burn_in()) + c.sweeps(), sweep);
}

}  // namespace spinfer
