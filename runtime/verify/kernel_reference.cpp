#include "runtime/verify/kernel_reference.hpp"

#include <cmath>

#include "agents/core/error.hpp"
#include "agents/exact/asymmetry.hpp"
#include "agents/exact/distribution_distance.hpp"
#include "agents/exact/kernel_oracle.hpp"
#include "runtime/schedules/registry.hpp"

namespace spinfer {
namespace {

record::ExactDistance distance(const std::string& name, const std::vector<double>& law,
                               const std::vector<double>& reference) {
  record::ExactDistance d;
  d.set_reference(name);
  d.set_tv_distance(total_variation_distance(law, reference));
  d.set_kl_divergence(relative_entropy(law, reference));
  return d;
}

}  // namespace

KernelReference exact_kernel_reference(const RunConfig& config, const ReducedModel& model,
                                       const Colouring& colouring, double precision_asymmetry) {
  KernelReference out;
  const auto n = static_cast<int>(model.free_agents.size());
  if (n > config.max_kernel_agents()) {
    out.record.set_note("free agents (" + std::to_string(n) + ") exceed max_kernel_agents (" +
                        std::to_string(config.max_kernel_agents()) + ")");
    return out;
  }
  std::string note;
  const ScheduleTraits& traits = schedule_traits(config.schedule());
  const auto schedule = traits.kernel(config, note);
  if (!schedule) {
    out.record.set_note(note);
    return out;
  }
  KernelSpec spec;
  spec.schedule = *schedule;
  spec.rule = config.action() == RunConfig::posterior_mode ? ActionRule::posterior_mode
                                                           : ActionRule::sample_posterior;
  spec.policy_precision = config.policy_precision();
  if (spec.schedule == KernelSchedule::chromatic)
    spec.colour_classes = colour_classes(model, colouring);
  KernelReport report;
  try {
    report = analyse_kernel(model, spec);
  } catch (const Error& e) {  // posterior_mode with several attractors has no unique law
    out.record.set_note(std::string("no unique stationary law: ") + e.what());
    return out;
  }
  out.law = std::move(report.stationary.p);
  record::ExactKernel& r = out.record;
  r.set_schedule(RunConfig::Schedule_Name(traits.kernel_name(config)));
  r.set_steps_per_sweep(report.steps_per_sweep);
  r.set_entropy_production_per_sweep(report.entropy_production_per_sweep);
  r.set_stationary_residual(report.stationary.residual);
  r.set_support(report.stationary.support);
  *r.add_distances() = distance("boltzmann", out.law, boltzmann_distribution(model));
  *r.add_distances() =
      distance("boltzmann_symmetric", out.law, boltzmann_distribution(symmetric_part(model)));
  *r.add_distances() = distance("little", out.law, little_distribution(model));
  out.governs_verdict = precision_asymmetry > 0 || config.policy_precision() != 1.0;
  return out;
}

bool kernel_adds_a_reference(const RunConfig& config, const KernelReference& kernel) {
  if (kernel.law.empty()) return false;
  const std::string closed_form = verdict_reference(config, kernel);
  if (closed_form == "kernel") return true;
  for (const auto& d : kernel.record.distances())
    if (d.reference() == closed_form) return d.tv_distance() > 1e-9;
  return true;
}

std::string verdict_reference(const RunConfig& config, const KernelReference& kernel) {
  if (kernel.governs_verdict && !kernel.law.empty()) return "kernel";
  return schedule_traits(config.schedule()).expected;
}

}  // namespace spinfer
