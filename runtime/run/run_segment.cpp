#include "runtime/run/run_segment.hpp"

#include <time.h>

#include "runtime/io/progress.hpp"
#include "runtime/io/status.hpp"
#include "runtime/run/run_control.hpp"

namespace spinfer {
namespace {

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

RunSegment::RunSegment(const RunConfig& config, std::int64_t n_agents,
                       const comm::Communicator& comm, const RunOptions& options)
    : config_(config),
      comm_(comm),
      options_(options),
      total_(static_cast<std::int64_t>(config.burn_in()) + config.sweeps()),
      n_agents_(n_agents) {}

void RunSegment::resume_bookkeeping(const record::Checkpoint& checkpoint) {
  first_sweep_ = checkpoint.completed_sweeps();
  sample_sweeps_ = measured_sweeps(config_, first_sweep_);
  earlier_wall_ = checkpoint.wall_seconds();
  segments_ = checkpoint.segments() + 1;
  last_checkpoint_sweep_ = first_sweep_;
}

void RunSegment::open_checkpoints(int series_width) {
  if (comm_.is_root() && !options_.directory.empty())
    writer_.emplace(options_.directory, config_, series_width, options_.resume);
}

std::int64_t RunSegment::run() {
  const bool checkpoints = !options_.directory.empty();
  RunControl control(comm_, config_.checkpoint(), checkpoints, total_);
  Progress progress(options_.show_progress && comm_.is_root(), total_,
                    config_.progress().interval_seconds());
  comm_.barrier();
  start_ = comm_.wall_time();
  const double cpu = process_cpu_seconds();
  std::int64_t done = first_sweep_;
  for (std::int64_t sweep = first_sweep_; sweep < total_; ++sweep) {
    done = sweep + 1;
    const bool measured =
        done > config_.burn_in() && (done - config_.burn_in()) % config_.measure_interval() == 0;
    advance(sweep, measured);
    if (measured) {
      measure(done);
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
  wall_ = comm_.wall_time() - start_;
  cpu_ = process_cpu_seconds() - cpu;
  progress.finish();
  done_ = done;
  // A finished run's status carries its final results: write_final_status() once they are known.
  if (checkpoints && comm_.is_root() && interrupted_) write_current_status(done, "interrupted");
  return done;
}

void RunSegment::write_final_status() {
  if (comm_.is_root() && !options_.directory.empty()) write_current_status(done_, "finished");
}

void RunSegment::save_checkpoint(std::int64_t done) {
  record::Checkpoint checkpoint;
  fill_checkpoint(done, checkpoint);
  if (!comm_.is_root()) return;
  stamp_checkpoint(
      checkpoint, config_,
      {done, n_agents_, earlier_wall_ + comm_.wall_time() - start_, comm_.size(), segments_});
  std::vector<std::uint64_t> rows;
  encode_series(writer_->series_rows(), rows);
  writer_->write(checkpoint, rows);
  last_checkpoint_sweep_ = done;
  ++checkpoints_written_;
}

void RunSegment::write_current_status(std::int64_t done, const std::string& state) {
  // Once the loop is over its own duration counts, not the analysis after it.
  const double elapsed = state == "running" ? comm_.wall_time() - start_ : wall_;
  record::Status status =
      progress_status({state, config_.name(), done, first_sweep_, total_, elapsed, comm_.size(),
                       last_checkpoint_sweep_, segments_, checkpoints_written_,
                       writer_->last_bytes(), writer_->last_seconds()});
  describe(status, state);
  write_status(options_.directory, status);
}

}  // namespace spinfer
