#include "runtime/io/status.hpp"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "agents/core/error.hpp"
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/io/run_directory.hpp"

namespace spinfer {

record::Status progress_status(const StatusProgress& p) {
  record::Status st;
  st.set_state(p.state);
  st.set_name(p.name);
  st.set_sweep(p.sweep);
  st.set_total_sweeps(p.total_sweeps);
  const double rate = static_cast<double>(p.sweep - p.first_sweep) / std::max(p.elapsed, 1e-9);
  st.set_elapsed_seconds(p.elapsed);
  st.set_sweeps_per_second(rate);
  st.set_eta_seconds(rate > 0 ? static_cast<double>(p.total_sweeps - p.sweep) / rate : 0.0);
  st.set_updated_at(utc_timestamp());
  st.set_ranks(p.ranks);
  st.set_host(comm::Communicator::processor_name());
  st.set_pid(static_cast<std::int32_t>(getpid()));
  st.set_last_checkpoint_sweep(p.last_checkpoint_sweep);
  st.set_segment(p.segment);
  st.set_checkpoints_written(p.checkpoints_written);
  st.set_last_checkpoint_bytes(p.last_checkpoint_bytes);
  st.set_last_checkpoint_seconds(p.last_checkpoint_seconds);
  return st;
}

void write_status(const std::string& directory, const record::Status& status) {
  write_file_atomically(directory + "/" + kStatusName, to_json(status) + "\n");
}

record::Status read_status(const std::string& directory) {
  const std::string path = directory + "/" + kStatusName;
  std::ifstream in(path);
  if (!in) throw field_error("status", directory, "no readable " + std::string(kStatusName));
  std::ostringstream text;
  text << in.rdbuf();
  record::Status status;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // a newer spinfer may have written more
  if (!google::protobuf::util::JsonStringToMessage(text.str(), &status, options).ok())
    throw field_error("status", path, "not a spinfer status file");
  return status;
}

namespace {

std::string duration(double seconds) {
  char text[32];
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%llds", s);
  return text;
}

}  // namespace

std::string format_status(const record::Status& st, bool in_use) {
  std::ostringstream out;
  const double fraction =
      st.total_sweeps() > 0 ? static_cast<double>(st.sweep()) / st.total_sweeps() : 0.0;
  char line[256];
  std::snprintf(line, sizeof line, "%s: %s, sweep %lld/%lld (%.1f%%)", st.name().c_str(),
                st.state().c_str(), static_cast<long long>(st.sweep()),
                static_cast<long long>(st.total_sweeps()), 100 * fraction);
  out << line << "\n";
  out << "  segment " << std::max(st.segment(), 1) << ", ranks " << st.ranks() << ", rank 0 is pid "
      << st.pid() << " on " << st.host() << ", updated " << st.updated_at() << "\n";
  std::snprintf(line, sizeof line, "  %.0f sweeps/s, %s elapsed", st.sweeps_per_second(),
                duration(st.elapsed_seconds()).c_str());
  out << line;
  const bool said_running = st.state() == "running";
  if (said_running && in_use) out << ", about " << duration(st.eta_seconds()) << " left";
  out << "\n";
  if (said_running && !in_use)
    out << "  no spinfer process holds this directory: the run was killed or lost its node; "
        << (st.last_checkpoint_sweep() > 0 ? "spinfer run --resume continues from sweep " +
                                                 std::to_string(st.last_checkpoint_sweep())
                                           : std::string("it had not checkpointed yet"))
        << "\n";
  if (st.last_checkpoint_sweep() > 0) {
    out << "  last checkpoint at sweep " << st.last_checkpoint_sweep();
    if (st.checkpoints_written() > 0) {
      std::snprintf(line, sizeof line, " (%.3g MB written in %.2g s)",
                    static_cast<double>(st.last_checkpoint_bytes()) / 1e6,
                    st.last_checkpoint_seconds());
      out << line;
    }
    out << "\n";
  }
  if (st.measured_samples() > 0) {
    std::snprintf(line, sizeof line, "  %d samples: m = %.5f +- %.5f, e = %.5f +- %.5f per agent\n",
                  st.measured_samples(), st.magnetization(), st.magnetization_error(),
                  st.energy_per_agent(), st.energy_per_agent_error());
    out << line;
    const auto& v = st.stationarity();
    if (!v.verdict().empty()) {
      std::snprintf(line, sizeof line, "  verdict%s: %s against %s (p = %.3g)\n",
                    st.state() == "finished" ? "" : " so far", v.verdict().c_str(),
                    v.reference().c_str(), v.p_value());
      out << line;
    }
  }
  return out.str();
}

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace spinfer
