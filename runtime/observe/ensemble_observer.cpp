#include "runtime/observe/ensemble_observer.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "agents/core/error.hpp"
#include "agents/core/fixed_point.hpp"
#include "runtime/io/record_span.hpp"

namespace spinfer {
namespace {

constexpr std::int64_t kNoEnergy = std::numeric_limits<std::int64_t>::max();

std::int64_t as_signed(std::uint64_t fixed) {
  return static_cast<std::int64_t>(fixed);
}

}  // namespace

EnsembleObserver::EnsembleObserver(const comm::Communicator& world, const Ensemble& ensemble,
                                   int replicas, int temperatures, AgentId n_agents,
                                   const std::optional<Patterns>& patterns)
    : replicas_(replicas),
      temperatures_(temperatures),
      n_(n_agents),
      patterns_(patterns ? patterns->count() : 0) {
  const LocalDomain& d = ensemble.domain();
  local_patterns_.resize(static_cast<std::size_t>(patterns_ * d.owned_count));
  for (int mu = 0; mu < patterns_; ++mu)
    for (std::int64_t row = 0; row < d.owned_count; ++row)
      local_patterns_[mu * d.owned_count + row] = patterns->values(mu, d.global_id(row));
  series_.temperatures = temperatures;
  series_.replicas = replicas;
  series_.patterns = patterns_;
  histograms_.assign(static_cast<std::size_t>(temperatures), OverlapHistogram(n_agents));
  spin_sums_.assign(static_cast<std::size_t>(temperatures * d.owned_count), 0);
  system_best_.assign(static_cast<std::size_t>(replicas * temperatures), kNoEnergy);
  // Bytes of spins one measurement keeps on the busiest rank.
  const double bytes =
      world.max(static_cast<double>(ensemble.local_systems()) * static_cast<double>(d.owned_count));
  batch_limit_ =
      static_cast<int>(std::clamp(static_cast<double>(kMaxBatchBytes) / std::max(bytes, 1.0), 1.0,
                                  static_cast<double>(kMaxBatch)));
}

void EnsembleObserver::measure(const comm::Communicator& world, const Ensemble& ensemble,
                               const ReplicaExchange& exchange, std::int64_t sweep) {
  const std::int64_t owned = ensemble.domain().owned_count;
  pending_sweeps_.push_back(sweep);
  pending_temperatures_.insert(pending_temperatures_.end(), exchange.temperature_of().begin(),
                               exchange.temperature_of().end());
  for (int c = 0; c < ensemble.local_systems(); ++c) {
    const int system = ensemble.first_system() + c;
    const std::int8_t* s = ensemble.spins(c);
    const LadderBlock::Sums local = ensemble.local_sums(c);
    pending_sums_.push_back(static_cast<std::uint64_t>(local.spin));
    pending_sums_.push_back(local.energy_fixed);
    for (int mu = 0; mu < patterns_; ++mu) {
      const std::int8_t* xi = local_patterns_.data() + mu * owned;
      std::int64_t dot = 0;
      for (std::int64_t row = 0; row < owned; ++row) dot += xi[row] * s[row];
      pending_sums_.push_back(static_cast<std::uint64_t>(dot));
    }
    pending_spins_.insert(pending_spins_.end(), s, s + owned);
    std::int64_t* at = spin_sums_.data() + exchange.temperature_of(system) * owned;
    for (std::int64_t row = 0; row < owned; ++row) at[row] += s[row];
  }
  ++samples_;
  // Every rank measures at the same sweeps and knows the same limit: they flush together.
  if (static_cast<int>(pending_sweeps_.size()) >= batch_limit_) flush(world, ensemble);
}

void EnsembleObserver::flush(const comm::Communicator& world, const Ensemble& ensemble) {
  const int batch = static_cast<int>(pending_sweeps_.size());
  if (batch == 0) return;  // the same on every rank
  const int systems = replicas_ * temperatures_;
  const int pairs = series_.pairs();
  const int local = ensemble.local_systems();
  const int first = ensemble.first_system();
  const std::int64_t owned = ensemble.domain().owned_count;
  const EnsembleLayout& layout = ensemble.layout();

  // 1. The permutations: each system's temperature from the first rank of the group holding it
  //    (+1, so that 0 means "not mine").
  std::vector<std::uint64_t> merged(static_cast<std::size_t>(batch) * systems, 0);
  if (layout.rank_in_group(world.rank()) == 0)
    for (int t = 0; t < batch; ++t)
      for (int c = 0; c < local; ++c)
        merged[t * systems + first + c] =
            static_cast<std::uint64_t>(pending_temperatures_[t * systems + first + c] + 1);
  world.sum_wrapping_in_place(merged);
  std::vector<int> permutations(merged.size());
  for (std::size_t i = 0; i < merged.size(); ++i) permutations[i] = static_cast<int>(merged[i]) - 1;

  // 2. Spins of every group's systems at this rank's position, for the overlaps.
  std::vector<std::int8_t> gathered;
  std::vector<std::size_t> group_base(static_cast<std::size_t>(layout.groups), 0);
  if (pairs > 0 && layout.groups > 1) {
    gathered = ensemble.cross_comm().all_gather(pending_spins_);
    for (int g = 1; g < layout.groups; ++g)
      group_base[g] = group_base[g - 1] + static_cast<std::size_t>(batch) *
                                              layout.systems_in(g - 1) *
                                              static_cast<std::size_t>(owned);
  }
  const auto spins_of = [&](int t, int system) -> const std::int8_t* {
    if (layout.groups == 1 || ensemble.holds(system))
      return pending_spins_.data() +
             (static_cast<std::size_t>(t) * local + (system - first)) * owned;
    const int g = layout.group_of_system(system);
    return gathered.data() + group_base[g] +
           (static_cast<std::size_t>(t) * layout.systems_in(g) +
            (system - layout.first_system[g])) *
               owned;
  };

  // 3. Every sum of the batch: per measurement spins, energies, pattern overlaps per system and
  //    agreements per temperature and pair; the group holding the first system of a pair counts
  //    it.
  const std::size_t per_system = 2 + static_cast<std::size_t>(patterns_);
  const std::size_t width = per_system * systems + static_cast<std::size_t>(temperatures_) * pairs;
  std::vector<std::uint64_t> sums(width * batch, 0);
  for (int t = 0; t < batch; ++t) {
    std::uint64_t* row = sums.data() + width * t;
    std::copy_n(pending_sums_.data() + per_system * local * t, per_system * local,
                row + per_system * first);
    if (pairs == 0) continue;
    const int* temperature = permutations.data() + static_cast<std::ptrdiff_t>(t) * systems;
    std::vector<int> at(static_cast<std::size_t>(systems));  // [a * T + k]: the system there
    for (int s = 0; s < systems; ++s) at[(s / temperatures_) * temperatures_ + temperature[s]] = s;
    for (int k = 0; k < temperatures_; ++k) {
      int pair = 0;
      for (int a = 0; a < replicas_; ++a)
        for (int b = a + 1; b < replicas_; ++b, ++pair) {
          const int x = at[a * temperatures_ + k], y = at[b * temperatures_ + k];
          if (!ensemble.holds(x)) continue;
          const std::int8_t* sx = spins_of(t, x);
          const std::int8_t* sy = spins_of(t, y);
          std::int64_t dot = 0;
          for (std::int64_t i = 0; i < owned; ++i) dot += sx[i] * sy[i];
          row[per_system * systems + static_cast<std::size_t>(k) * pairs + pair] =
              static_cast<std::uint64_t>(dot);
        }
    }
  }
  world.sum_wrapping_in_place(sums);
  record_batch(sums, permutations, ensemble);
  pending_sweeps_.clear();
  pending_temperatures_.clear();
  pending_sums_.clear();
  pending_spins_.clear();
}

void EnsembleObserver::record_batch(const std::vector<std::uint64_t>& sums,
                                    const std::vector<int>& permutations,
                                    const Ensemble& ensemble) {
  const int batch = static_cast<int>(pending_sweeps_.size());
  const int systems = replicas_ * temperatures_;
  const int pairs = series_.pairs();
  const std::size_t per_system = 2 + static_cast<std::size_t>(patterns_);
  const std::size_t width = per_system * systems + static_cast<std::size_t>(temperatures_) * pairs;
  const std::int64_t owned = ensemble.domain().owned_count;
  const double n = static_cast<double>(n_);
  for (int t = 0; t < batch; ++t) {
    const std::uint64_t* row = sums.data() + width * t;
    const auto energy = [&](int s) { return as_signed(row[per_system * s + 1]); };
    // The lowest energy, decided from the reduced totals: the same on every rank.
    int lowest = 0;
    for (int s = 0; s < systems; ++s) {
      system_best_[s] = std::min(system_best_[s], energy(s));
      if (energy(s) < energy(lowest)) lowest = s;
    }
    if (!found_ || energy(lowest) < best_fixed_) {
      found_ = true;
      best_fixed_ = energy(lowest);
      best_system_ = lowest;
      best_sweep_ = pending_sweeps_[t];
      best_spins_.clear();
      if (ensemble.holds(lowest)) {
        const std::int8_t* s =
            pending_spins_.data() + (static_cast<std::size_t>(t) * ensemble.local_systems() +
                                     (lowest - ensemble.first_system())) *
                                        owned;
        best_spins_.assign(s, s + owned);
      }
    }
    std::vector<int> at(static_cast<std::size_t>(systems));
    const int* temperature = permutations.data() + static_cast<std::ptrdiff_t>(t) * systems;
    for (int s = 0; s < systems; ++s) at[(s / temperatures_) * temperatures_ + temperature[s]] = s;
    for (int k = 0; k < temperatures_; ++k)
      for (int a = 0; a < replicas_; ++a) {
        const std::uint64_t* at_s = row + per_system * at[a * temperatures_ + k];
        series_.magnetization.push_back(static_cast<double>(as_signed(at_s[0])) / n);
        series_.energy.push_back(fixed_point::to_double(at_s[1]) / n);
        for (int mu = 0; mu < patterns_; ++mu)
          series_.pattern.push_back(static_cast<double>(as_signed(at_s[2 + mu])) / n);
      }
    for (int k = 0; k < temperatures_; ++k)
      for (int p = 0; p < pairs; ++p) {
        const std::int64_t agreements =
            as_signed(row[per_system * systems + static_cast<std::size_t>(k) * pairs + p]);
        series_.overlap.push_back(static_cast<double>(agreements) / n);
        histograms_[k].add_agreements(agreements);
      }
  }
}

std::vector<double> EnsembleObserver::magnetizations(const comm::Communicator& world,
                                                     const Ensemble& ensemble) const {
  const LocalDomain& d = ensemble.domain();
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(temperatures_ * n_), 0);
  for (int k = 0; k < temperatures_; ++k)
    for (std::int64_t row = 0; row < d.owned_count; ++row)
      sums[k * n_ + d.owned_first + row] =
          static_cast<std::uint64_t>(spin_sums_[k * d.owned_count + row]);
  world.sum_wrapping_in_place(sums);
  if (!world.is_root()) return {};
  // Each measurement adds every replica once at every temperature.
  const double count = static_cast<double>(samples_) * replicas_;
  std::vector<double> m(sums.size());
  for (std::size_t i = 0; i < sums.size(); ++i)
    m[i] = count > 0 ? static_cast<double>(as_signed(sums[i])) / count : 0.0;
  return m;
}

EnsembleObserver::Best EnsembleObserver::best(const comm::Communicator& world) const {
  Best b;
  b.found = found_;
  b.energy = fixed_point::to_double(static_cast<std::uint64_t>(best_fixed_));
  b.system = best_system_;
  b.sweep = best_sweep_;
  b.spins = world.gather_to_root(best_spins_);
  for (std::int64_t e : system_best_)
    b.system_energy.push_back(e == kNoEnergy
                                  ? std::numeric_limits<double>::quiet_NaN()
                                  : fixed_point::to_double(static_cast<std::uint64_t>(e)));
  return b;
}

void EnsembleObserver::save(const comm::Communicator& world, const Ensemble& ensemble,
                            record::EnsembleState& state) {
  flush(world, ensemble);
  const LocalDomain& d = ensemble.domain();
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(temperatures_ * n_), 0);
  for (int k = 0; k < temperatures_; ++k)
    for (std::int64_t row = 0; row < d.owned_count; ++row)
      sums[k * n_ + d.owned_first + row] =
          static_cast<std::uint64_t>(spin_sums_[k * d.owned_count + row]);
  world.sum_wrapping_in_place(sums);
  std::vector<std::int8_t> bytes(best_spins_.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = best_spins_[i] > 0 ? 1 : 0;
  const std::vector<std::int8_t> best = world.gather_to_root(bytes);
  if (!world.is_root()) return;
  for (std::uint64_t s : sums) state.add_spin_sums(as_signed(s));
  state.set_samples(samples_);
  state.set_best_energy_fixed(found_ ? static_cast<std::uint64_t>(best_fixed_) : 0);
  state.set_best_system(found_ ? best_system_ : -1);
  state.set_best_sweep(best_sweep_);
  state.set_best_spins(reinterpret_cast<const char*>(best.data()), best.size());
  for (std::int64_t e : system_best_) state.add_system_best_fixed(static_cast<std::uint64_t>(e));
}

void EnsembleObserver::restore(const comm::Communicator& world, const record::EnsembleState& state,
                               const Ensemble& ensemble) {
  const LocalDomain& d = ensemble.domain();
  // The saved sums are totals over all groups: one group carries them on, the others restart
  // from zero, so that the next reduction counts them once.
  std::vector<comm::Communicator::Range> wanted;
  if (ensemble.group() == 0)
    for (int k = 0; k < temperatures_; ++k)
      wanted.push_back({k * n_ + d.owned_first, d.owned_count});
  std::optional<std::vector<std::int64_t>> sums =
      world.scatter_ranges(as_span(state.spin_sums()), temperatures_ * n_, wanted);
  if (!sums || state.system_best_fixed_size() != replicas_ * temperatures_)
    throw field_error("checkpoint", "ensemble observables", "sizes do not match the run");
  samples_ = state.samples();
  if (ensemble.group() == 0)
    spin_sums_ = std::move(*sums);
  else
    std::fill(spin_sums_.begin(), spin_sums_.end(), 0);
  found_ = state.best_system() >= 0;
  best_fixed_ = static_cast<std::int64_t>(state.best_energy_fixed());
  best_system_ = state.best_system();
  best_sweep_ = state.best_sweep();
  best_spins_.clear();
  if (found_ && ensemble.holds(best_system_)) {
    if (static_cast<AgentId>(state.best_spins().size()) != n_)
      throw field_error("checkpoint", "best_spins", "size does not match the population");
    for (std::int64_t row = 0; row < d.owned_count; ++row)
      best_spins_.push_back(state.best_spins()[d.owned_first + row] != 0 ? 1 : -1);
  }
  for (int s = 0; s < replicas_ * temperatures_; ++s)
    system_best_[s] = static_cast<std::int64_t>(state.system_best_fixed(s));
}

int EnsembleObserver::series_width() const {
  return temperatures_ * replicas_ * (2 + patterns_) + temperatures_ * series_.pairs();
}

void EnsembleObserver::encode_series(std::int64_t first_row,
                                     std::vector<std::uint64_t>& out) const {
  const auto per_sample = static_cast<std::size_t>(temperatures_) * replicas_;
  const auto pattern_width = per_sample * static_cast<std::size_t>(patterns_);
  const auto overlap_width = static_cast<std::size_t>(temperatures_) * series_.pairs();
  const auto append = [&out](const std::vector<double>& values, std::size_t from,
                             std::size_t count) {
    for (std::size_t k = from; k < from + count; ++k)
      out.push_back(std::bit_cast<std::uint64_t>(values[k]));
  };
  for (auto t = static_cast<std::size_t>(first_row);
       t < static_cast<std::size_t>(series_.samples()); ++t) {
    append(series_.energy, t * per_sample, per_sample);
    append(series_.magnetization, t * per_sample, per_sample);
    append(series_.pattern, t * pattern_width, pattern_width);
    append(series_.overlap, t * overlap_width, overlap_width);
  }
}

void EnsembleObserver::restore_series(std::span<const std::uint64_t> rows) {
  const auto per_sample = static_cast<std::size_t>(temperatures_) * replicas_;
  const auto pattern_width = per_sample * static_cast<std::size_t>(patterns_);
  const int pairs = series_.pairs();
  const auto overlap_width = static_cast<std::size_t>(temperatures_) * pairs;
  series_.energy.clear();
  series_.magnetization.clear();
  series_.pattern.clear();
  series_.overlap.clear();
  const auto take = [&rows](std::size_t& at, std::size_t count, std::vector<double>& into) {
    for (std::size_t k = 0; k < count; ++k) into.push_back(std::bit_cast<double>(rows[at++]));
  };
  const auto width = static_cast<std::size_t>(series_width());
  for (std::size_t at = 0; at + width <= rows.size();) {
    take(at, per_sample, series_.energy);
    take(at, per_sample, series_.magnetization);
    take(at, pattern_width, series_.pattern);
    take(at, overlap_width, series_.overlap);
  }
  // The histograms follow from the overlap series: agreements = N q, exact in binary.
  histograms_.assign(static_cast<std::size_t>(temperatures_), OverlapHistogram(n_));
  for (std::size_t t = 0; t < series_.overlap.size() / std::max<std::size_t>(overlap_width, 1); ++t)
    for (int k = 0; k < temperatures_; ++k)
      for (int p = 0; p < pairs; ++p)
        histograms_[k].add_agreements(std::llround(
            series_.overlap[(t * temperatures_ + k) * pairs + p] * static_cast<double>(n_)));
}

}  // namespace spinfer
