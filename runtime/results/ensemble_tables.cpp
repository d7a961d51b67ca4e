#include "runtime/results/ensemble_tables.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "runtime/io/csv_text.hpp"
#include "runtime/io/run_directory.hpp"
#include "runtime/io/text_format.hpp"

namespace spinfer {
namespace {

struct Column {
  const char* name;
  const record::Measured& (record::TemperatureObservables::*get)() const;
  bool tau;  // plain means carry their own autocorrelation time
};

const Column kColumns[] = {
    {"energy_per_spin", &record::TemperatureObservables::energy_per_spin, true},
    {"abs_magnetization", &record::TemperatureObservables::abs_magnetization, true},
    {"m2", &record::TemperatureObservables::m2, true},
    {"m4", &record::TemperatureObservables::m4, true},
    {"susceptibility", &record::TemperatureObservables::susceptibility, false},
    {"specific_heat", &record::TemperatureObservables::specific_heat, false},
    {"binder", &record::TemperatureObservables::binder, false},
    {"q_ea", &record::TemperatureObservables::q_ea, true},
    {"q2", &record::TemperatureObservables::q2, true},
    {"q4", &record::TemperatureObservables::q4, true},
    {"spin_glass_susceptibility", &record::TemperatureObservables::spin_glass_susceptibility,
     false},
    {"overlap_binder", &record::TemperatureObservables::overlap_binder, false},
};

std::vector<double> exact_values(const ExactReference& r) {
  const auto& t = r.thermodynamics;
  const auto& q = r.overlap;
  return {t.energy_per_spin,
          t.abs_magnetization,
          t.m2,
          t.m4,
          t.susceptibility,
          t.specific_heat,
          t.binder,
          q.abs_mean,
          q.q2,
          q.q4,
          q.spin_glass_susceptibility,
          q.binder};
}

std::string observables_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  const bool exact = !r.exact.empty();
  out << "temperature_index,beta,temperature,samples";
  for (const Column& c : kColumns) {
    out << ',' << c.name << ',' << c.name << "_err";
    if (c.tau) out << ',' << c.name << "_tau";
  }
  if (exact)
    for (const Column& c : kColumns) out << ",exact_" << c.name;
  out << '\n';
  const auto& e = r.summary.ensemble();
  for (int k = 0; k < e.observables_size(); ++k) {
    const auto& o = e.observables(k);
    out << k << ',' << o.beta() << ',' << 1.0 / o.beta() << ',' << o.samples();
    for (const Column& c : kColumns) {
      const record::Measured& m = (o.*c.get)();
      out << ',' << m.value() << ',' << m.error();
      if (c.tau) out << ',' << m.tau_int();
    }
    if (exact)
      for (double v : exact_values(r.exact[k])) out << ',' << v;
    out << '\n';
  }
  return out.str();
}

std::string overlap_histogram_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  const bool exact = !r.exact.empty();
  out << "temperature_index,beta,q,count,probability" << (exact ? ",exact_probability" : "")
      << '\n';
  const auto& betas = r.summary.ensemble().betas();
  for (std::size_t k = 0; k < r.histograms.size(); ++k) {
    const OverlapHistogram& h = r.histograms[k];
    const std::vector<double> p = h.probabilities();
    for (std::size_t b = 0; b < h.bins(); ++b) {
      out << k << ',' << betas[static_cast<int>(k)] << ',' << h.centre(b) << ',' << h.counts()[b]
          << ',' << p[b];
      // Every attainable q has a bin of its own up to OverlapHistogram::kMaxIntervals agents.
      if (exact) out << ',' << r.exact[k].overlap.distribution[b];
      out << '\n';
    }
  }
  return out.str();
}

std::string tempering_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  const auto& e = r.summary.ensemble();
  out << "pair,beta_low,beta_high,initial_beta_low,initial_beta_high,attempts,accepted,acceptance,"
         "round_trips,mean_round_trip_sweeps\n";
  for (const auto& s : e.swaps())
    out << s.pair() << ',' << s.beta_low() << ',' << s.beta_high() << ','
        << e.initial_betas(s.pair()) << ',' << e.initial_betas(s.pair() + 1) << ',' << s.attempts()
        << ',' << s.accepted() << ',' << s.acceptance() << ',' << e.round_trips() << ','
        << e.mean_round_trip_sweeps() << '\n';
  return out.str();
}

std::string timeseries_csv(const RunResult& r) {
  CsvText out;
  const EnsembleSeries& s = r.ensemble_series;
  const auto& betas = r.summary.ensemble().betas();
  out << "sweep,temperature_index,beta,replica,energy_per_spin,magnetization";
  for (int mu = 0; mu < s.patterns; ++mu) out << ",m_pattern" << mu;
  out << '\n';
  std::size_t row = 0;
  for (std::size_t t = 0; t < r.sample_sweeps.size(); ++t)
    for (int k = 0; k < s.temperatures; ++k)
      for (int a = 0; a < s.replicas; ++a, ++row) {
        const double beta = r.sample_betas.empty() ? betas[k] : r.sample_betas[t];
        out << r.sample_sweeps[t] << ',' << k << ',' << beta << ',' << a << ',' << s.energy[row]
            << ',' << s.magnetization[row];
        for (int mu = 0; mu < s.patterns; ++mu)
          out << ',' << s.pattern[row * static_cast<std::size_t>(s.patterns) + mu];
        out << '\n';
      }
  return std::move(out).str();
}

std::string agents_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  const auto& g = r.glass->couplings;
  const auto& betas = r.summary.ensemble().betas();
  out << "agent,field,temperature_index,beta,magnetization\n";
  const AgentId n = g.size();
  for (int k = 0; k < betas.size(); ++k)
    for (AgentId i = 0; i < n; ++i)
      out << i << ',' << g.fields[i] << ',' << k << ',' << betas[k] << ','
          << r.magnetizations[k * n + i] << '\n';
  return out.str();
}

std::string ground_state_csv(const RunResult& r) {
  std::ostringstream out;
  out << "agent,spin\n";
  for (std::size_t i = 0; i < r.best.spins.size(); ++i)
    out << i << ',' << (r.best.spins[i] > 0 ? 1 : -1) << '\n';
  return out.str();
}

std::string pattern_overlaps_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  out << "temperature_index,beta,pattern,overlap,overlap_err,overlap_tau\n";
  for (const auto& o : r.summary.ensemble().observables())
    for (int mu = 0; mu < o.pattern_overlaps_size(); ++mu) {
      const auto& m = o.pattern_overlaps(mu);
      out << o.index() << ',' << o.beta() << ',' << mu << ',' << m.value() << ',' << m.error()
          << ',' << m.tau_int() << '\n';
    }
  return out.str();
}

}  // namespace

std::vector<OutputFile> ensemble_tables(const RunResult& result) {
  const auto& e = result.summary.ensemble();
  std::vector<OutputFile> files = {{"timeseries.csv", timeseries_csv(result)},
                                   {"agents.csv", agents_csv(result)}};
  if (result.best.found) files.push_back({"ground_state.csv", ground_state_csv(result)});
  if (e.observables_size() > 0) {
    files.push_back({"observables.csv", observables_csv(result)});
    if (e.replicas() >= 2)
      files.push_back({"overlap_histogram.csv", overlap_histogram_csv(result)});
  }
  if (e.temperatures() >= 2 && e.swap_interval() > 0)
    files.push_back({"tempering.csv", tempering_csv(result)});
  if (result.ensemble_series.patterns > 0 && e.observables_size() > 0)
    files.push_back({"pattern_overlaps.csv", pattern_overlaps_csv(result)});
  return files;
}

}  // namespace spinfer
