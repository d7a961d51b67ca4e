#include "agents/statistics/entropy_production_meter.hpp"

namespace spinfer {

void EntropyProductionMeter::end_sweep() {
  totals_.push_back(current_);
  current_ = 0;
}

void EntropyProductionMeter::add_sweep(double total) {
  totals_.push_back(total);
}

MeanEstimate EntropyProductionMeter::per_sweep() const {
  return estimate_mean(totals_);
}

}  // namespace spinfer
