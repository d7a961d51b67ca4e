#pragma once
// From the coordinator's series of an ensemble run to the observables at every temperature, each
// with a standard error and an autocorrelation time, and (small instances) their comparison with
// exact enumeration. Pure functions: no MPI.
#include <cstdint>
#include <vector>

#include "agents/exact/exact_observables.hpp"
#include "agents/ising/spin_glass.hpp"
#include "runtime/verify/stationarity.hpp"
#include "summary.pb.h"

namespace spinfer {

// One entry per measurement, in (temperature, replica) order within a measurement: "replica a at
// temperature k" is whichever of replica a's systems held temperature k at that moment, the
// series that parallel tempering equilibrates.
struct EnsembleSeries {
  int temperatures = 0;
  int replicas = 0;
  int patterns = 0;
  std::vector<double> energy;         // [t][k][a], per spin, units of J
  std::vector<double> magnetization;  // [t][k][a]
  std::vector<double> pattern;        // [t][k][a][mu], hopfield overlaps m^mu
  std::vector<double> overlap;        // [t][k][pair], pairs (a, b), a < b, in row order

  [[nodiscard]] int pairs() const { return replicas * (replicas - 1) / 2; }
  [[nodiscard]] std::int64_t samples() const {
    const auto per = static_cast<std::int64_t>(temperatures) * replicas;
    return per > 0 ? static_cast<std::int64_t>(energy.size()) / per : 0;
  }
  // Series of one replica at one temperature.
  [[nodiscard]] std::vector<double> energy_of(int k, int a) const;
  [[nodiscard]] std::vector<double> magnetization_of(int k, int a) const;
};

// Every observable of summary.proto's TemperatureObservables at temperature k, pooled over the
// replicas (pairs for overlaps) sample by sample; n is the number of agents.
record::TemperatureObservables analyse_temperature(const EnsembleSeries& series, int k, double beta,
                                                   std::int64_t n);

struct ExactReference {
  ExactThermodynamics thermodynamics;
  ExactOverlap overlap;
};
// Enumeration of every state of `glass` at beta (at most kMaxEnumeratedAgents agents).
ExactReference exact_reference(const SpinGlass& glass, double beta);

// z = (measured - exact) / error for every observable and temperature with a finite error; the
// verdict uses the largest |z|, Bonferroni-corrected over the number of z-scores.
record::Comparison compare_with_exact_observables(
    const std::vector<record::TemperatureObservables>& measured,
    const std::vector<ExactReference>& exact, const VerificationSettings& settings);

// Independent replicas at the coldest temperature must agree on energy and |m| (large N).
record::Comparison compare_replicas(const EnsembleSeries& series,
                                    const VerificationSettings& settings);

}  // namespace spinfer
