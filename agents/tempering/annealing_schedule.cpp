#include "agents/tempering/annealing_schedule.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "agents/core/error.hpp"

namespace spinfer {

AnnealingKind parse_annealing_kind(const std::string& field, const std::string& text) {
  if (text == "linear") return AnnealingKind::linear;
  if (text == "geometric") return AnnealingKind::geometric;
  throw field_error(field, text, "must be linear or geometric");
}

namespace {

void validate(AnnealingKind kind, double beta_start, double beta_end, std::int64_t sweeps) {
  if (sweeps < 1) throw field_error("annealing.sweeps", sweeps, "must be >= 1");
  const bool geometric = kind == AnnealingKind::geometric;
  for (auto [field, beta] :
       {std::pair{"annealing.beta_start", beta_start}, std::pair{"annealing.beta_end", beta_end}}) {
    if (!std::isfinite(beta) || beta < 0) throw field_error(field, beta, "must be finite and >= 0");
    if (geometric && beta == 0)
      throw field_error(field, beta, "must be > 0 for a geometric schedule");
  }
}

}  // namespace

double annealing_beta(AnnealingKind kind, double beta_start, double beta_end, std::int64_t sweeps,
                      std::int64_t sweep) {
  validate(kind, beta_start, beta_end, sweeps);
  if (sweep < 0 || sweep >= sweeps)
    throw field_error("annealing sweep", sweep, "must be in [0, " + std::to_string(sweeps) + ")");
  if (sweep == sweeps - 1) return beta_end;
  // The expressions of annealing_schedule below, term for term.
  const double x = static_cast<double>(sweep) / static_cast<double>(sweeps - 1);
  if (kind == AnnealingKind::geometric)
    return beta_start * std::exp(std::log(beta_end / beta_start) * x);
  return beta_start + (beta_end - beta_start) * x;
}

std::vector<double> annealing_schedule(AnnealingKind kind, double beta_start, double beta_end,
                                       std::int64_t sweeps) {
  validate(kind, beta_start, beta_end, sweeps);
  const bool geometric = kind == AnnealingKind::geometric;
  std::vector<double> betas(static_cast<std::size_t>(sweeps));
  if (sweeps == 1) {
    betas[0] = beta_end;
    return betas;
  }
  const double last = static_cast<double>(sweeps - 1);
  const double log_ratio = geometric ? std::log(beta_end / beta_start) : 0.0;
  for (std::int64_t t = 0; t < sweeps; ++t) {
    const double x = static_cast<double>(t) / last;
    betas[t] =
        geometric ? beta_start * std::exp(log_ratio * x) : beta_start + (beta_end - beta_start) * x;
  }
  betas.back() = beta_end;
  return betas;
}

}  // namespace spinfer
