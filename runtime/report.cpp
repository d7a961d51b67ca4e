#include "report.hpp"

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
  const double alpha = s.stationarity().false_alarm_rate();
  out << format("verdict: %s with %s (false-alarm rate %.3g)\n", s.stationarity().verdict().c_str(),
                s.stationarity().reference().c_str(), alpha);
  out << "outputs: " << out_dir << "/summary.json\n";
}

}  // namespace spinfer
