#include "runtime/results/report.hpp"

#include <cstdio>

namespace spinfer {
namespace {

std::string format(const char* pattern, auto... values) {
  char text[512];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

std::string describe(const record::Comparison& c, int chains) {
  if (c.method() == "exact_enumeration")
    return format(
        "vs %-9s (exact): TV %.4f (a stationary sampler shows ~%.4f), KL %.2e, p = %.3g "
        "[chi2 %.3g on %d cells, max|z| %.2f over m_i and C_ij], tau_int %.2f  ->  %s",
        c.reference().c_str(), c.tv_distance(), c.tv_expected_if_stationary(), c.kl_divergence(),
        c.p_value(), c.gof_p_value(), c.gof_cells(), c.max_abs_z(), c.tau_int(),
        c.verdict().c_str());
  std::string text =
      format("between %d chains: p = %.3g, ESS %.0f", chains, c.p_value(), c.effective_samples());
  for (const auto& check : c.chains())
    text += format("; %s R-hat %.4f (ESS %.0f)", check.observable().c_str(), check.rhat(),
                   check.effective_samples());
  return text + "  ->  " + c.verdict();
}

// The fragility measurements, when the run made them.
void print_fragility(std::ostream& out, const record::Summary& s) {
  if (!s.kernel().schedule().empty()) {
    std::string distances;
    for (const auto& d : s.kernel().distances())
      distances += format(" %s %.4f", d.reference().c_str(), d.tv_distance());
    out << format("  exact kernel (%s): EP %.4g per sweep; law at TV%s\n",
                  s.kernel().schedule().c_str(), s.kernel().entropy_production_per_sweep(),
                  distances.c_str());
  }
  if (s.has_entropy_production()) {
    const auto& ep = s.entropy_production();
    out << format("  entropy production   %.4g +- %.2g per sweep (%s), exact %.4g  ->  %s\n",
                  ep.per_sweep(), ep.per_sweep_error(), ep.granularity().c_str(),
                  ep.exact_per_sweep(), ep.verdict().c_str());
  }
  if (s.has_detailed_balance() && s.detailed_balance().dof() == 0)
    out << "  detailed balance     " << s.detailed_balance().note() << "\n";
  else if (s.has_detailed_balance())
    out << format("  detailed balance     chi2 %.4g on %d dof (%s), p = %.3g  ->  %s\n",
                  s.detailed_balance().statistic(), s.detailed_balance().dof(),
                  s.detailed_balance().granularity().c_str(), s.detailed_balance().p_value(),
                  s.detailed_balance().verdict().c_str());
  if (s.has_bias()) {
    std::string text;
    for (const auto& b : s.bias().observables())
      text += format(" %s %+.4g +- %.2g;", b.observable().c_str(), b.bias(), b.bias_error());
    out << "  bias vs " << s.bias().reference_schedule() << ":" << text << "  ->  "
        << s.bias().verdict() << "\n";
  }
  if (!s.concurrency().reproducible())
    out << format("  NOT REPRODUCIBLE: %s (%lld halo messages, mean lag %.2f sweeps)\n",
                  s.concurrency().note().c_str(),
                  static_cast<long long>(s.concurrency().halo_messages()),
                  s.concurrency().mean_ghost_lag_sweeps());
}

}  // namespace

void print_report(std::ostream& out, const record::Summary& s, const std::string& out_dir) {
  out << format(
      "spinfer %s | %s | beta %.4g | %s, %s | %d ranks, %d chains, %d sweeps "
      "(+%d burn-in)\n",
      s.version().c_str(), s.instance().c_str(), s.beta(), s.schedule().c_str(), s.action().c_str(),
      s.ranks(), s.chains(), s.sweeps(), s.burn_in());
  out << format("  magnetization        %+.5f +- %.5f   (|m| %.5f)\n", s.magnetization(),
                s.magnetization_error(), s.abs_magnetization());
  out << format("  energy per agent     %+.5f +- %.5f\n", s.energy_per_agent(),
                s.energy_per_agent_error());
  out << format("  free energy / agent  %+.5f +- %.5f   (mean surprise of the agents)\n",
                s.free_energy_per_agent(), s.free_energy_per_agent_error());
  out << format("  %.3g agent updates/s, %.2f s, final_state_hash %s\n", s.updates_per_second(),
                s.wall_seconds(), s.final_state_hash().c_str());
  out << "  stationarity " << describe(s.stationarity(), s.chains()) << "\n";
  for (const auto& alt : s.alternatives())
    out << "  alternative  " << describe(alt, s.chains()) << "\n";
  print_fragility(out, s);
  const double alpha = s.stationarity().false_alarm_rate();
  out << format("verdict: %s with %s (false-alarm rate %.3g)\n", s.stationarity().verdict().c_str(),
                s.stationarity().reference().c_str(), alpha);
  out << "outputs: " << out_dir << "/summary.json\n";
}

}  // namespace spinfer
