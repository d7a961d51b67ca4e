#include "runtime/run/segment.hpp"

#include "agents/core/error.hpp"
#include "agents/ising/ising_block.hpp"
#include "runtime/io/progress.hpp"
#include "runtime/io/status.hpp"
#include "runtime/run/process_clock.hpp"
#include "runtime/run/run_control.hpp"

namespace spinfer {

template <class Block>
Segment<Block>::Segment(const RunConfig& config, const PopulationSpec<Block>& population,
                        const MeasurementPlan& plan, std::vector<double> scales,
                        const comm::Communicator& world, const RunOptions& options)
    : config_(config),
      world_(world),
      options_(options),
      total_(static_cast<std::int64_t>(config.burn_in()) + config.sweeps()),
      n_agents_(plan.n_agents),
      entropy_production_(plan.entropy_production),
      population_(world, population),
      tempering_(config, plan.replicas, std::move(scales)),
      observer_(world, population_, plan) {
  if (options.resume) restore(options.resume->checkpoint);
  if (world.is_root() && !options.directory.empty())
    writer_.emplace(options.directory, config, observer_.series_width(), options.resume);
  if (options.resume && world.is_root()) observer_.restore_series(options.resume->series);
}

template <class Block>
void Segment<Block>::restore(const record::Checkpoint& cp) {
  const int systems = population_.layout().systems();
  if (cp.n_agents() != n_agents_ || cp.chains_size() != systems ||
      cp.ensemble().betas_size() != tempering_.temperatures() || cp.completed_sweeps() > total_)
    throw field_error("checkpoint", "population", "does not match the configuration");
  for (int c = 0; c < population_.local_systems(); ++c) {
    const int system = population_.first_system() + c;
    population_.restore_system(c, cp.chains(system).spins(), "system " + std::to_string(system));
    const int length = population_.history_length();
    const std::string& bytes = cp.chains(system).stale_history();
    const auto n = static_cast<std::size_t>(n_agents_);
    if (bytes.size() != n * static_cast<std::size_t>(length))
      throw field_error("checkpoint", "stale history of chain " + std::to_string(system),
                        "does not match staleness " + std::to_string(config_.staleness()));
    for (int m = 0; m < length; ++m)
      population_.restore_history(c, m, cp.completed_sweeps(),
                                  std::string_view(bytes).substr(m * n, n),
                                  "stale history of chain " + std::to_string(system));
  }
  tempering_.restore(cp.ensemble(), population_);
  observer_.restore(world_, cp, population_);
  first_sweep_ = cp.completed_sweeps();
  sample_sweeps_ = measured_sweeps(config_, first_sweep_);
  earlier_wall_ = cp.wall_seconds();
  segments_ = cp.segments() + 1;
  last_checkpoint_sweep_ = first_sweep_;
}

template <class Block>
void Segment<Block>::advance(std::int64_t sweep, bool measured) {
  tempering_.before_sweep(sweep, population_);
  population_.sweep(static_cast<std::uint64_t>(sweep), tempering_.temperature_of(),
                    measured && entropy_production_);
  tempering_.after_sweep(sweep + 1, world_, population_);
}

template <class Block>
void Segment<Block>::end_of_loop() {
  population_.synchronise();  // the final state is hashed
  observer_.flush(world_, population_);
  tempering_.merge(world_, population_);
}

template <class Block>
std::int64_t Segment<Block>::run() {
  const bool checkpoints = !options_.directory.empty();
  RunControl control(world_, config_.checkpoint(), checkpoints, total_);
  Progress progress(options_.show_progress && world_.is_root(), total_,
                    config_.progress().interval_seconds());
  world_.barrier();
  start_ = world_.wall_time();
  const double cpu = process_cpu_seconds();
  std::int64_t done = first_sweep_;
  for (std::int64_t sweep = first_sweep_; sweep < total_; ++sweep) {
    done = sweep + 1;
    const bool measured =
        done > config_.burn_in() && (done - config_.burn_in()) % config_.measure_interval() == 0;
    advance(sweep, measured);
    if (measured) {
      population_.synchronise();
      observer_.measure(world_, population_, tempering_.temperature_of(), done);
      sample_sweeps_.push_back(done);
    }
    if (done % 64 == 0) progress.update(done);
    const RunControl::Decision decision = control.after_sweep(done);
    if (decision.checkpoint) {
      save_checkpoint(done);
      control.checkpoint_written();
    }
    if (decision.stop) {
      interrupted_ = true;
      break;
    }
    if (decision.status && checkpoints) write_current_status(done, "running");
  }
  end_of_loop();
  wall_ = world_.wall_time() - start_;
  cpu_ = process_cpu_seconds() - cpu;
  progress.finish();
  done_ = done;
  // A finished run's status carries its final results: write_final_status() once they are known.
  if (checkpoints && world_.is_root() && interrupted_) write_current_status(done, "interrupted");
  return done;
}

template <class Block>
void Segment<Block>::write_final_status() {
  if (world_.is_root() && !options_.directory.empty()) write_current_status(done_, "finished");
}

template <class Block>
void Segment<Block>::fill_checkpoint(std::int64_t done, record::Checkpoint& cp) {
  population_.synchronise();
  tempering_.merge(world_, population_);
  const Population<Block>& p = population_;
  for (int s = 0; s < p.layout().systems(); ++s) {
    const bool mine = p.holds(s);
    const std::vector<std::int8_t> spins = world_.gather_to_root(
        mine ? p.owned_bytes(s - p.first_system()) : std::vector<std::int8_t>{});
    if (world_.is_root())
      cp.add_chains()->set_spins(reinterpret_cast<const char*>(spins.data()), spins.size());
    // The stale schedule's delayed states, each gathered whole (oldest first).
    for (int m = 0; m < p.history_length(); ++m) {
      const std::vector<std::int8_t> past = world_.gather_to_root(
          mine ? p.history_bytes(s - p.first_system(), m, done) : std::vector<std::int8_t>{});
      if (world_.is_root())
        cp.mutable_chains(s)->mutable_stale_history()->append(
            reinterpret_cast<const char*>(past.data()), past.size());
    }
  }
  observer_.save(world_, population_, cp);
  if (world_.is_root()) tempering_.fill(*cp.mutable_ensemble());
}

template <class Block>
void Segment<Block>::save_checkpoint(std::int64_t done) {
  record::Checkpoint checkpoint;
  fill_checkpoint(done, checkpoint);
  if (!world_.is_root()) return;
  stamp_checkpoint(
      checkpoint, config_,
      {done, n_agents_, earlier_wall_ + world_.wall_time() - start_, world_.size(), segments_});
  std::vector<std::uint64_t> rows;
  observer_.encode_series(writer_->series_rows(), rows);
  writer_->write(checkpoint, rows);
  last_checkpoint_sweep_ = done;
  ++checkpoints_written_;
}

template <class Block>
void Segment<Block>::write_current_status(std::int64_t done, const std::string& state) {
  // Once the loop is over its own duration counts, not the analysis after it.
  const double elapsed = state == "running" ? world_.wall_time() - start_ : wall_;
  record::Status status =
      progress_status({state, config_.name(), done, first_sweep_, total_, elapsed, world_.size(),
                       last_checkpoint_sweep_, segments_, checkpoints_written_,
                       writer_->last_bytes(), writer_->last_seconds()});
  if (describe_) describe_(status, state);
  write_status(options_.directory, status);
}

// The agent families: one line each.
template class Segment<IsingBlock>;

}  // namespace spinfer
