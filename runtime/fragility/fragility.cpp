#include "runtime/fragility/fragility.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "agents/core/error.hpp"
#include "runtime/fragility/reference_bias.hpp"
#include "runtime/io/installed_files.hpp"
#include "runtime/io/run_directory.hpp"
#include "runtime/io/version.hpp"
#include "runtime/results/outputs.hpp"
#include "runtime/run/rank_agreement.hpp"
#include "runtime/run/run.hpp"
#include "runtime/verify/chain_verdicts.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* kColumns[] = {"knob",
                          "value",
                          "n_free",
                          "exact",
                          "kernel_tv_boltzmann_symmetric",
                          "kernel_kl_boltzmann_symmetric",
                          "kernel_tv_boltzmann",
                          "kernel_kl_boltzmann",
                          "kernel_tv_little",
                          "kernel_kl_little",
                          "kernel_entropy_production",
                          "sampled_tv_boltzmann_symmetric",
                          "sampled_tv_noise",
                          "sampled_tv_kernel",
                          "entropy_production",
                          "entropy_production_error",
                          "entropy_production_verdict",
                          "detailed_balance_p",
                          "bias_magnetization",
                          "bias_magnetization_error",
                          "bias_energy",
                          "bias_energy_error",
                          "bias_edge_correlation",
                          "bias_edge_correlation_error",
                          "edge_rms_bias",
                          "edge_rms_noise",
                          "verdict_reference",
                          "verdict"};

std::string number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", x);
  return text;
}

// The sampled comparison with `reference`, if the run made one.
const record::Comparison* comparison(const record::Summary& s, const std::string& reference) {
  if (s.stationarity().reference() == reference) return &s.stationarity();
  for (const auto& a : s.alternatives())
    if (a.reference() == reference) return &a;
  return nullptr;
}

double kernel_distance(const record::Summary& s, const std::string& reference, bool kl) {
  for (const auto& d : s.kernel().distances())
    if (d.reference() == reference) return kl ? d.kl_divergence() : d.tv_distance();
  return kNaN;
}

const record::ObservableBias* bias_of(const record::Summary& s, const std::string& observable) {
  for (const auto& b : s.bias().observables())
    if (b.observable() == observable) return &b;
  return nullptr;
}

// One CSV row from a run's summary (rank 0).
std::vector<std::string> row(const std::string& knob, const std::string& value,
                             const record::Summary& s, bool exact) {
  std::vector<std::string> r = {knob, value, std::to_string(s.n_agents() - s.n_clamped()),
                                exact ? "1" : "0"};
  const bool kernel = !s.kernel().schedule().empty();
  for (const char* reference : {"boltzmann_symmetric", "boltzmann", "little"}) {
    // A symmetric run's Boltzmann(J_sym) is Boltzmann(J).
    r.push_back(number(kernel ? kernel_distance(s, reference, false) : kNaN));
    r.push_back(number(kernel ? kernel_distance(s, reference, true) : kNaN));
  }
  r.push_back(number(kernel ? s.kernel().entropy_production_per_sweep() : kNaN));
  const record::Comparison* sym = comparison(s, "boltzmann_symmetric");
  if (!sym) sym = comparison(s, "boltzmann");
  r.push_back(number(exact && sym ? sym->tv_distance() : kNaN));
  r.push_back(number(exact && sym ? sym->tv_expected_if_stationary() : kNaN));
  // Without its own comparison the kernel law equals the closed form the verdict used.
  const record::Comparison* own = comparison(s, "kernel");
  if (!own && kernel) own = &s.stationarity();
  r.push_back(number(exact && own ? own->tv_distance() : kNaN));
  const bool ep = s.has_entropy_production();
  r.push_back(number(ep ? s.entropy_production().per_sweep() : kNaN));
  r.push_back(number(ep ? s.entropy_production().per_sweep_error() : kNaN));
  r.push_back(ep ? s.entropy_production().verdict() : "");
  r.push_back(number(s.has_detailed_balance() && s.detailed_balance().dof() > 0
                         ? s.detailed_balance().p_value()
                         : kNaN));
  for (const char* observable : {"magnetization", "energy_per_agent", "edge_correlation"}) {
    const record::ObservableBias* b = bias_of(s, observable);
    r.push_back(number(b ? b->bias() : kNaN));
    r.push_back(number(b ? b->bias_error() : kNaN));
  }
  r.push_back(number(s.has_bias() ? s.bias().edge_rms_bias() : kNaN));
  r.push_back(number(s.has_bias() ? s.bias().edge_rms_noise() : kNaN));
  if (exact) {
    r.push_back(s.stationarity().reference());
    r.push_back(s.stationarity().verdict());
  } else {
    r.push_back("exact_schedule");
    r.push_back(s.has_bias() ? s.bias().verdict() : "");
  }
  return r;
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t k = 0; k < fields.size(); ++k) line += (k ? "," : "") + fields[k];
  return line + "\n";
}

std::string describe(const std::vector<std::string>& r) {
  // Indices into kColumns.
  std::ostringstream out;
  out << r[0] << " = " << r[1] << ": ";
  if (r[3] == "1")
    out << "TV(kernel, Boltzmann J_sym) " << r[4] << ", exact EP " << r[10] << "; sampled TV "
        << r[11] << " (noise ~" << r[12] << ")";
  else
    out << "bias m " << r[18] << " +- " << r[19] << ", e " << r[20] << " +- " << r[21]
        << ", edge C " << r[22] << " +- " << r[23];
  out << "; EP " << r[14] << " +- " << r[15] << " (" << r[16] << "); " << r[26] << " " << r[27];
  return out.str();
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

const std::vector<std::string>& fragility_knobs() {
  static const std::vector<std::string> knobs = {"asymmetry", "policy_precision", "staleness",
                                                 "schedule"};
  return knobs;
}

std::vector<std::string> knob_overrides(const std::string& knob, const std::string& value) {
  if (knob == "asymmetry") return {"instance.asymmetry=" + value};
  if (knob == "policy_precision") return {"policy_precision=" + value};
  if (knob == "staleness") return {"schedule=stale", "staleness=" + value};
  if (knob == "schedule") return {"schedule=" + value};
  throw field_error("--knob", knob, "must be asymmetry, policy_precision, staleness or schedule");
}

int run_fragility(const comm::Communicator& world, const FragilityOptions& options) {
  std::vector<RunConfig> configs;
  RunConfig base;
  std::string out;
  on_all_ranks(world, [&] {
    if (options.values.empty()) throw field_error("--values", "(missing)", "give v1,v2,...");
    for (const std::string& value : options.values) {
      ConfigSource source = options.config;
      for (auto& assignment : knob_overrides(options.knob, value))
        source.overrides.push_back(assignment);
      configs.push_back(resolve_config(source));
      configs.back().set_bias_reference(false);  // one reference for all values, below
    }
    // The name and the exact-schedule reference (which resets every knob) come from the first.
    base = configs.front();
    out = options.out.empty() ? "runs/" + base.name() + "-fragility-" + options.knob : options.out;
    if (world.is_root())
      claim_run_directory(out, options.overwrite ? DirectoryUse::overwrite : DirectoryUse::fresh);
  });

  std::string csv = csv_line({std::begin(kColumns), std::end(kColumns)});
  std::string runs_json;
  std::optional<RunResult> reference;
  RunConfig reference_config;
  for (std::size_t k = 0; k < configs.size(); ++k) {
    const RunConfig& config = configs[k];
    RunInputs inputs;
    on_all_ranks(world, [&] { inputs = prepare_run(config, world.size()); });
    RunOptions run_options;
    run_options.command_line = options.command_line;
    RunResult result = run(config, inputs, world, run_options);
    const bool exact = inputs.exact.has_value();
    if (!exact) {
      if (!reference) {
        reference_config = exact_schedule_config(base);
        // Sweeping the schedule itself, the reference must not be whichever value came first.
        if (options.knob == "schedule") reference_config.set_schedule(RunConfig::chromatic);
        RunInputs ref_inputs;
        on_all_ranks(world,
                     [&] { ref_inputs = prepare_reference_run(reference_config, world.size()); });
        reference = run(reference_config, ref_inputs, world, run_options);
      }
      if (world.is_root()) {
        const VerificationSettings settings = verification_settings(config);
        *result.summary.mutable_bias() =
            compare_with_reference(result, *reference, reference_config, settings);
      }
    }
    if (!world.is_root()) continue;
    const auto fields = row(options.knob, options.values[k], result.summary, exact);
    csv += csv_line(fields);
    if (!options.quiet) std::cout << describe(fields) << std::endl;
    runs_json += std::string(runs_json.empty() ? "" : ",\n") +
                 "{\"value\": " + json_string(options.values[k]) +
                 ", \"summary\": " + to_json(result.summary, false) + "}";
  }
  if (!world.is_root()) return 0;
  std::string json = "{\"knob\": " + json_string(options.knob) +
                     ", \"version\": " + json_string(kVersion) +
                     ", \"ranks\": " + std::to_string(world.size()) +
                     ", \"command_line\": " + json_string(options.command_line) +
                     ", \"runs\": [\n" + runs_json + "]";
  if (reference) json += ",\n\"reference\": " + to_json(reference->summary, false);
  json += "}\n";
  write_file_atomically(out + "/fragility.csv", csv);
  write_file_atomically(out + "/fragility.json", json);
  if (options.plot) {
    const std::string script = installed_tool("plot_fragility.py");
    const std::string command = system_python() + " " + script + " " + out + " > /dev/null";
    if (script.empty() || std::system(command.c_str()) != 0)
      std::cerr << "spinfer: fragility.png not drawn (needs python3-matplotlib); run: "
                << system_python() << " " << (script.empty() ? "tools/plot_fragility.py" : script)
                << " " << out << std::endl;
  }
  if (!options.quiet) std::cout << "outputs: " << out << "/fragility.csv" << std::endl;
  return 0;
}

}  // namespace spinfer
