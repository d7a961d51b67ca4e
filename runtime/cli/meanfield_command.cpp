#include "runtime/cli/meanfield_command.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "agents/core/error.hpp"
#include "agents/exact/exact_observables.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/meanfield/mean_field.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/io/run_directory.hpp"
#include "runtime/io/text_format.hpp"
#include "runtime/io/version.hpp"
#include "runtime/results/outputs.hpp"
#include "runtime/run/instance_factory.hpp"
#include "runtime/run/rank_agreement.hpp"
#include "summary.pb.h"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxExact = 20;

struct SampledRun {
  std::vector<double> betas;
  std::vector<std::vector<double>> magnetizations;  // per beta, per agent
};

std::string read_file(const std::string& path, const char* field) {
  std::ifstream in(path);
  if (!in) throw field_error(field, path, "cannot read file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
  return cells;
}

// <s_i> from a run directory of the same instance: agents.csv of an ordinary run (one beta, from
// its config) or of an ensemble run (a beta column).
SampledRun read_sampled(const std::string& dir, const RunConfig& config, AgentId n) {
  RunConfig run;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(read_file(dir + "/config.json", "--compare"),
                                                   &run, options)
           .ok())
    throw field_error("--compare", dir + "/config.json", "not a spinfer configuration");
  if (!google::protobuf::util::MessageDifferencer::Equals(run.instance(), config.instance()))
    throw field_error("--compare", dir, "the run is of another instance");
  std::istringstream csv(read_file(dir + "/agents.csv", "--compare"));
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> header = split(line);
  const auto column = [&](const std::string& name) -> int {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return static_cast<int>(c);
    return -1;
  };
  const int agent = column("agent"), m = column("magnetization"), beta = column("beta");
  if (agent < 0 || m < 0)
    throw field_error("--compare", dir + "/agents.csv", "has no agent and magnetization columns");
  SampledRun sampled;
  for (int row = 2; std::getline(csv, line); ++row) {
    const std::vector<std::string> cells = split(line);
    if (static_cast<int>(cells.size()) != static_cast<int>(header.size()))
      throw field_error("--compare", dir + "/agents.csv:" + std::to_string(row), "malformed line");
    const double b = beta >= 0 ? std::stod(cells[beta]) : run.beta();
    const AgentId i = std::stoll(cells[agent]);
    if (i < 0 || i >= n)
      throw field_error("--compare", dir + "/agents.csv:" + std::to_string(row),
                        "agent out of range");
    if (sampled.betas.empty() || sampled.betas.back() != b) {
      sampled.betas.push_back(b);
      sampled.magnetizations.emplace_back(static_cast<std::size_t>(n), kNaN);
    }
    sampled.magnetizations.back()[i] = std::stod(cells[m]);
  }
  if (sampled.betas.empty()) throw field_error("--compare", dir + "/agents.csv", "has no rows");
  return sampled;
}

double rms(const Eigen::VectorXd& a, const std::vector<double>& b) {
  double sum = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum / static_cast<double>(a.size()));
}

double largest(const Eigen::VectorXd& a, const std::vector<double>& b) {
  double most = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) most = std::max(most, std::fabs(a[i] - b[i]));
  return most;
}

// What every beta's solution needs: the instance, the starting points, what it is compared with.
struct MeanFieldSetting {
  const SpinGlass& glass;
  const SampledRun& sampled;
  bool fields;
  bool exact;
  bool quiet;
};

// Naive mean field and TAP at betas[b], into the report, the CSV and (unless quiet) the table.
void solve_at(const MeanFieldSetting& c, double beta, std::size_t b, MeanFieldOptions& options,
              record::MeanFieldReport& report, std::ostringstream& csv, std::ostream& out) {
  const WeightedGraph& g = c.glass.couplings;
  const AgentId n = g.size();
  const SampledRun& sampled = c.sampled;
  options.initial.resize(0);
  if (!sampled.betas.empty()) {
    options.initial.resize(n);
    for (AgentId i = 0; i < n; ++i)
      options.initial[i] = std::clamp(sampled.magnetizations[b][i], -0.999, 0.999);
  } else if (!c.fields) {
    options.initial = Eigen::VectorXd::Constant(n, 0.1);
  }
  Eigen::VectorXd m_exact;
  double f_exact = kNaN;
  if (c.exact) {
    const ReducedModel model = reduce_clamped(agents_from_spin_glass(c.glass, beta).precisions, {});
    m_exact = exact_magnetizations(boltzmann_distribution(model), static_cast<int>(n));
    f_exact = exact_thermodynamics(model, beta).free_energy_per_spin;
    report.add_exact_free_energy_per_spin(f_exact);
  }
  std::vector<MeanFieldResult> results;
  for (const MeanFieldKind kind : {MeanFieldKind::naive, MeanFieldKind::tap}) {
    results.push_back(solve_mean_field(g, beta, kind, options));
    const MeanFieldResult& r = results.back();
    record::MeanFieldSolution& s = *report.add_solutions();
    s.set_kind(kind == MeanFieldKind::naive ? "naive" : "tap");
    s.set_beta(beta);
    s.set_iterations(r.iterations);
    s.set_converged(r.converged);
    s.set_residual(r.residual);
    s.set_free_energy_per_spin(r.free_energy_per_spin);
    s.set_rms_vs_sampled(sampled.betas.empty() ? kNaN : rms(r.m, sampled.magnetizations[b]));
    s.set_max_abs_vs_sampled(sampled.betas.empty() ? kNaN
                                                   : largest(r.m, sampled.magnetizations[b]));
    s.set_rms_vs_exact(c.exact ? rms(r.m, {m_exact.data(), m_exact.data() + n}) : kNaN);
  }
  for (AgentId i = 0; i < n; ++i) {
    csv << beta << ',' << i << ',' << g.fields[i] << ',' << results[0].m[i] << ','
        << results[1].m[i];
    if (!sampled.betas.empty()) csv << ',' << sampled.magnetizations[b][i];
    if (c.exact) csv << ',' << m_exact[i];
    csv << '\n';
  }
  if (c.quiet) return;
  const auto describe = [&](const record::MeanFieldSolution& s) {
    const double dm = !sampled.betas.empty() ? s.rms_vs_sampled() : s.rms_vs_exact();
    return format_text("%5d%s %+9.5f %8.4f", s.iterations(), s.converged() ? " " : "!",
                       s.free_energy_per_spin(), dm);
  };
  const int last = report.solutions_size();
  out << format_text("  %8.4f  %-28s %-28s", beta, describe(report.solutions(last - 2)).c_str(),
                     describe(report.solutions(last - 1)).c_str());
  if (c.exact) out << format_text("%+9.5f", f_exact);
  out << "\n";
}

}  // namespace

void run_meanfield(const comm::Communicator& world, const MeanFieldArguments& args,
                   std::ostream& out) {
  on_all_ranks(world, [&] {
    if (!world.is_root()) return;
    const RunConfig config = resolve_config(args.config);
    const SpinGlass glass = build_instance(config.instance());
    const WeightedGraph& g = glass.couplings;
    const AgentId n = g.size();
    SampledRun sampled;
    if (!args.compare.empty()) sampled = read_sampled(args.compare, config, n);
    const std::vector<double> betas = !sampled.betas.empty() ? sampled.betas
                                      : config.has_temperatures()
                                          ? initial_ladder(config)
                                          : std::vector<double>{config.beta()};
    const std::string dir = args.out.empty() ? "runs/" + config.name() + "-meanfield" : args.out;
    claim_run_directory(dir, args.overwrite ? DirectoryUse::overwrite : DirectoryUse::fresh);

    bool fields = false;
    for (double h : g.fields) fields = fields || h != 0;
    record::MeanFieldReport report;
    report.set_version(kVersion);
    *report.mutable_config() = config;
    report.set_instance(glass.description);
    report.set_n_agents(static_cast<std::int32_t>(n));
    report.set_compared_run(args.compare);
    MeanFieldOptions options;
    report.set_damping(options.damping);
    // Without fields, m = 0 solves both equations at every temperature: a small uniform start
    // lets the iteration find an ordered solution where one exists; the sampled <s_i>, when
    // given, pick the solution nearest to what the run saw.
    report.set_start(!sampled.betas.empty() ? "sampled <s_i> (clipped to +-0.999)"
                     : fields               ? "tanh(beta h_i)"
                                            : "m_i = 0.1");
    const bool exact = n <= std::min(kMaxExact, config.verification().max_exact_agents());

    std::ostringstream csv;
    csv.precision(10);
    csv << "beta,agent,field,m_naive,m_tap" << (sampled.betas.empty() ? "" : ",m_sampled")
        << (exact ? ",m_exact" : "") << '\n';
    if (!args.quiet)
      out << "spinfer meanfield | " << glass.description << " | start: " << report.start() << "\n"
          << format_text("  %8s  %-28s %-28s %s\n", "beta", "naive: iter, F/N, rms dm",
                         "TAP: iter, F/N, rms dm", exact ? "exact F/N" : "");
    const MeanFieldSetting setting{glass, sampled, fields, exact, args.quiet};
    for (std::size_t b = 0; b < betas.size(); ++b)
      solve_at(setting, betas[b], b, options, report, csv, out);
    write_file_atomically(dir + "/meanfield.csv", csv.str());
    write_file_atomically(dir + "/meanfield.json", to_json(report) + "\n");
    if (!args.quiet)
      out << "  (! = not converged; rms dm against "
          << (sampled.betas.empty() ? "enumeration" : "the sampled <s_i>") << ")\noutputs: " << dir
          << "/meanfield.json, meanfield.csv\n";
  });
}

}  // namespace spinfer
