#include "runtime/results/report.hpp"
#include "runtime/io/text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace spinfer {
namespace {

std::string describe(const record::Comparison& c, int chains) {
  if (c.method() == "exact_enumeration")
    return format_text(
        "vs %-9s (exact): TV %.4f (a stationary sampler shows ~%.4f), KL %.2e, p = %.3g "
        "[chi2 %.3g on %d cells, max|z| %.2f over m_i and C_ij], tau_int %.2f  ->  %s",
        c.reference().c_str(), c.tv_distance(), c.tv_expected_if_stationary(), c.kl_divergence(),
        c.p_value(), c.gof_p_value(), c.gof_cells(), c.max_abs_z(), c.tau_int(),
        c.verdict().c_str());
  std::string text = format_text("between %d chains: p = %.3g, ESS %.0f", chains, c.p_value(),
                                 c.effective_samples());
  for (const auto& check : c.chains())
    text += format_text("; %s R-hat %.4f (ESS %.0f)", check.observable().c_str(), check.rhat(),
                        check.effective_samples());
  return text + "  ->  " + c.verdict();
}

// The fragility measurements, when the run made them.
void print_fragility(std::ostream& out, const record::Summary& s) {
  if (!s.kernel().schedule().empty()) {
    std::string distances;
    for (const auto& d : s.kernel().distances())
      distances += format_text(" %s %.4f", d.reference().c_str(), d.tv_distance());
    out << format_text("  exact kernel (%s): EP %.4g per sweep; law at TV%s\n",
                       s.kernel().schedule().c_str(), s.kernel().entropy_production_per_sweep(),
                       distances.c_str());
  }
  if (s.has_entropy_production()) {
    const auto& ep = s.entropy_production();
    out << format_text("  entropy production   %.4g +- %.2g per sweep (%s), exact %.4g  ->  %s\n",
                       ep.per_sweep(), ep.per_sweep_error(), ep.granularity().c_str(),
                       ep.exact_per_sweep(), ep.verdict().c_str());
  }
  if (s.has_detailed_balance() && s.detailed_balance().dof() == 0)
    out << "  detailed balance     " << s.detailed_balance().note() << "\n";
  else if (s.has_detailed_balance())
    out << format_text("  detailed balance     chi2 %.4g on %d dof (%s), p = %.3g  ->  %s\n",
                       s.detailed_balance().statistic(), s.detailed_balance().dof(),
                       s.detailed_balance().granularity().c_str(), s.detailed_balance().p_value(),
                       s.detailed_balance().verdict().c_str());
  if (s.has_bias()) {
    std::string text;
    for (const auto& b : s.bias().observables())
      text += format_text(" %s %+.4g +- %.2g;", b.observable().c_str(), b.bias(), b.bias_error());
    out << "  bias vs " << s.bias().reference_schedule() << ":" << text << "  ->  "
        << s.bias().verdict() << "\n";
  }
  if (!s.concurrency().reproducible())
    out << format_text("  NOT REPRODUCIBLE: %s (%lld halo messages, mean lag %.2f sweeps)\n",
                       s.concurrency().note().c_str(),
                       static_cast<long long>(s.concurrency().halo_messages()),
                       s.concurrency().mean_ghost_lag_sweeps());
}

// A run at one beta: which law its chains sample.
void print_chain_report(std::ostream& out, const record::Summary& s, const std::string& out_dir) {
  out << format_text(
      "spinfer %s | %s | beta %.4g | %s, %s | %d ranks, %d chains, %d sweeps "
      "(+%d burn-in)\n",
      s.version().c_str(), s.instance().c_str(), s.beta(), s.schedule().c_str(), s.action().c_str(),
      s.ranks(), s.chains(), s.sweeps(), s.burn_in());
  out << format_text("  magnetization        %+.5f +- %.5f   (|m| %.5f)\n", s.magnetization(),
                     s.magnetization_error(), s.abs_magnetization());
  out << format_text("  energy per agent     %+.5f +- %.5f\n", s.energy_per_agent(),
                     s.energy_per_agent_error());
  out << format_text("  free energy / agent  %+.5f +- %.5f   (mean surprise of the agents)\n",
                     s.free_energy_per_agent(), s.free_energy_per_agent_error());
  out << format_text("  %.3g agent updates/s, %.2f s, final_state_hash %s\n",
                     s.updates_per_second(), s.wall_seconds(), s.final_state_hash().c_str());
  out << "  stationarity " << describe(s.stationarity(), s.chains()) << "\n";
  for (const auto& alt : s.alternatives())
    out << "  alternative  " << describe(alt, s.chains()) << "\n";
  print_fragility(out, s);
  const double alpha = s.stationarity().false_alarm_rate();
  out << format_text("verdict: %s with %s (false-alarm rate %.3g)\n",
                     s.stationarity().verdict().c_str(), s.stationarity().reference().c_str(),
                     alpha);
  out << "outputs: " << out_dir << "/summary.json\n";
}

// An ensemble run: per temperature.
void print_ensemble_report(std::ostream& out, const record::Summary& s,
                           const std::string& out_dir) {
  const auto& e = s.ensemble();
  out << format_text(
      "spinfer %s | %s | %s: %d replicas x %d temperatures | %s | %d ranks, %d sweeps "
      "(+%d burn-in)\n",
      s.version().c_str(), s.instance().c_str(), e.mode().c_str(), e.replicas(), e.temperatures(),
      s.schedule().c_str(), s.ranks(), s.sweeps(), s.burn_in());
  if (e.observables_size() > 0) {
    out << format_text("  %8s %11s %20s %17s %17s %17s\n", "beta", "samples", "energy/spin", "|m|",
                       "binder U", "q_EA");
    for (const auto& o : e.observables())
      out << format_text("  %8.4f %11lld %+11.5f+-%.5f %9.5f+-%.5f %9.4f+-%.4f %9.4f+-%.4f\n",
                         o.beta(), static_cast<long long>(o.samples()), o.energy_per_spin().value(),
                         o.energy_per_spin().error(), o.abs_magnetization().value(),
                         o.abs_magnetization().error(), o.binder().value(), o.binder().error(),
                         o.q_ea().value(), o.q_ea().error());
  }
  const int cue = s.config().instance().cue_pattern();
  if (e.observables_size() > 0 && e.observables(0).pattern_overlaps_size() > cue) {
    out << "  hopfield overlaps m^mu (cue pattern " << cue << "):";
    for (const auto& o : e.observables()) {
      double other = 0;
      for (int mu = 0; mu < o.pattern_overlaps_size(); ++mu)
        if (mu != cue) other = std::max(other, std::fabs(o.pattern_overlaps(mu).value()));
      out << format_text(" beta %.3g: %.3f (others <= %.3f);", o.beta(),
                         o.pattern_overlaps(cue).value(), other);
    }
    out << "\n";
  }
  if (e.temperatures() >= 2 && e.swap_interval() > 0) {
    double lowest = 1;
    for (const auto& w : e.swaps()) lowest = std::min(lowest, w.acceptance());
    out << format_text("  swaps every %d sweeps: lowest acceptance %.3f; %lld round trips",
                       e.swap_interval(), lowest, static_cast<long long>(e.round_trips()));
    if (e.round_trips() > 0)
      out << format_text(" of %.0f sweeps on average", e.mean_round_trip_sweeps());
    out << "\n";
  }
  if (std::isfinite(e.best_energy()))
    out << format_text("  lowest energy seen %.6f (%.6f per spin), replica %d, sweep %lld\n",
                       e.best_energy(), e.best_energy_per_spin(), e.best_replica(),
                       static_cast<long long>(e.best_sweep()));
  out << format_text("  %.3g agent updates/s, %.2f s, final_state_hash %s\n",
                     s.updates_per_second(), s.wall_seconds(), s.final_state_hash().c_str());
  if (!s.stationarity().verdict().empty())
    out << format_text("verdict: %s (%s, p = %.3g, max|z| %.2f)\n",
                       s.stationarity().verdict().c_str(), s.stationarity().method().c_str(),
                       s.stationarity().p_value(), s.stationarity().max_abs_z());
  out << "outputs: " << out_dir << "/summary.json\n";
}

}  // namespace

void print_report(std::ostream& out, const record::Summary& summary, const std::string& out_dir) {
  if (summary.has_ensemble())
    print_ensemble_report(out, summary, out_dir);
  else
    print_chain_report(out, summary, out_dir);
}

}  // namespace spinfer
