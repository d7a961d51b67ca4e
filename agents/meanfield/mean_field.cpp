#include "agents/meanfield/mean_field.hpp"

#include <cmath>
#include <string>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// Entropy of a spin with mean m: -(1+m)/2 ln((1+m)/2) - (1-m)/2 ln((1-m)/2), 0 at |m| = 1.
double spin_entropy(double m) {
  auto term = [](double p) { return p > 0 ? -p * std::log(p) : 0.0; };
  return term(0.5 * (1 + m)) + term(0.5 * (1 - m));
}

void validate(const WeightedGraph& couplings, double beta, const MeanFieldOptions& options) {
  if (!std::isfinite(beta) || beta <= 0) throw field_error("beta", beta, "must be finite and > 0");
  if (!(options.damping >= 0 && options.damping < 1)) {
    throw field_error("mean_field.damping", options.damping, "must be in [0, 1)");
  }
  if (options.max_iterations < 1) {
    throw field_error("mean_field.max_iterations", options.max_iterations, "must be >= 1");
  }
  if (!(options.tolerance > 0)) {
    throw field_error("mean_field.tolerance", options.tolerance, "must be > 0");
  }
  if (options.initial.size() != 0) {
    if (options.initial.size() != couplings.size()) {
      throw field_error("mean_field.initial", options.initial.size(),
                        "needs one entry per agent (" + std::to_string(couplings.size()) + ")");
    }
    for (double m : options.initial) {
      if (!(std::abs(m) < 1))
        throw field_error("mean_field.initial", m, "entries must be in (-1, 1)");
    }
  }
}

// The right-hand side of the mean-field equations at m, written into `out`.
void update(const WeightedGraph& g, double beta, MeanFieldKind kind, const Eigen::VectorXd& m,
            Eigen::VectorXd& out) {
  for (AgentId i = 0; i < g.size(); ++i) {
    double field = g.fields[i];
    double reaction = 0;
    for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e) {
      const double w = g.weights[e];
      const double mj = m[g.columns[e]];
      field += w * mj;
      reaction += w * w * (1 - mj * mj);
    }
    double x = beta * field;
    if (kind == MeanFieldKind::tap) x -= beta * beta * m[i] * reaction;
    out[i] = std::tanh(x);
  }
}

// max_i |b_i - a_i|, NaN if any entry is NaN. A plain loop: Eigen's vectorised maxCoeff trips a
// false -Wmaybe-uninitialized in GCC 12's AVX-512 headers.
double largest_change(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  double largest = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double d = std::abs(b[i] - a[i]);
    if (std::isnan(d)) return d;
    if (d > largest) largest = d;
  }
  return largest;
}

}  // namespace

double mean_field_reduced_free_energy(const WeightedGraph& g, double beta, MeanFieldKind kind,
                                      const Eigen::VectorXd& m) {
  if (m.size() != g.size()) {
    throw field_error("magnetizations", m.size(),
                      "need one per agent (" + std::to_string(g.size()) + ")");
  }
  // Every undirected edge appears in both rows, hence the halves.
  double minus_beta_f = 0;
  for (AgentId i = 0; i < g.size(); ++i) {
    const double mi = m[i];
    minus_beta_f += spin_entropy(mi) + beta * g.fields[i] * mi;
    for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e) {
      const double w = g.weights[e];
      const double mj = m[g.columns[e]];
      minus_beta_f += 0.5 * beta * w * mi * mj;
      if (kind == MeanFieldKind::tap) {
        minus_beta_f += 0.25 * beta * beta * w * w * (1 - mi * mi) * (1 - mj * mj);
      }
    }
  }
  return -minus_beta_f / static_cast<double>(g.size());
}

MeanFieldResult solve_mean_field(const WeightedGraph& couplings, double beta, MeanFieldKind kind,
                                 const MeanFieldOptions& options) {
  validate(couplings, beta, options);
  const AgentId n = couplings.size();
  MeanFieldResult result;
  if (options.initial.size() != 0) {
    result.m = options.initial;
  } else {
    result.m.resize(n);
    for (AgentId i = 0; i < n; ++i) result.m[i] = std::tanh(beta * couplings.fields[i]);
  }

  // The residual is measured at the m that is returned, so it describes what the caller gets.
  Eigen::VectorXd next(n);
  for (int iteration = 1;; ++iteration) {
    update(couplings, beta, kind, result.m, next);
    result.residual = largest_change(result.m, next);
    result.iterations = iteration;
    if (!std::isfinite(result.residual)) break;  // reported as not converged
    if (result.residual < options.tolerance) {
      result.converged = true;
      break;
    }
    if (iteration == options.max_iterations) break;
    result.m = (1 - options.damping) * next + options.damping * result.m;
  }
  result.reduced_free_energy = mean_field_reduced_free_energy(couplings, beta, kind, result.m);
  result.free_energy_per_spin = result.reduced_free_energy / beta;
  return result;
}

}  // namespace spinfer
