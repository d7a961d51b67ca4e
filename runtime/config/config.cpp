#include "runtime/config/config.hpp"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "agents/core/error.hpp"
#include "runtime/config/ensemble_config.hpp"

namespace spinfer {

const char* field_defaults_json();

namespace {

namespace pb = google::protobuf;
using Instance = config::Instance;

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

void parse_json(const std::string& json, pb::Message& out, const std::string& source) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = pb::util::JsonStringToMessage(json, &out, options);
  if (!status.ok())
    throw Error(printable(source) + ": " + printable(one_line(std::string(status.message())), 300));
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw field_error("config", path, "cannot read file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw field_error("config", path, "cannot read file");
  return text.str();
}

bool is_json_literal(const std::string& value) {
  if (value.empty()) return false;
  if (value == "true" || value == "false" || value == "null") return true;
  const char c = value.front();
  if (c == '[' || c == '{' || c == '"') return true;
  char* end = nullptr;
  std::strtod(value.c_str(), &end);
  return end == value.c_str() + value.size() &&
         (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.');
}

std::string quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// --set a.b.c=value: the value is parsed by protobuf's JSON parser as {"a":{"b":{"c":value}}}
// (strings may be given bare), so it gets the same type checks and messages as a file. A
// repeated or message field is replaced as a whole, not merged into.
void apply_override(RunConfig& config, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw field_error("--set", assignment, "expected FIELD=VALUE");
  const std::string path = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);

  std::vector<std::string> parts;
  std::stringstream split(path);
  for (std::string part; std::getline(split, part, '.');) parts.push_back(part);
  if (path.back() == '.') parts.emplace_back();  // getline drops it: "beta." is not "beta"
  pb::Message* message = &config;
  bool string_field = false;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const pb::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(parts[k]);
    if (field == nullptr) throw field_error("--set", path, "no such configuration field");
    const bool last = k + 1 == parts.size();
    if (!last && field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
      throw field_error("--set", path, "'" + parts[k] + "' has no sub-fields");
    if (!last && field->is_repeated())
      throw field_error("--set", path, "'" + parts[k] + "' is a list, set as a whole");
    if (last && (field->is_repeated() || field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE))
      message->GetReflection()->ClearField(message, field);
    if (!last) message = message->GetReflection()->MutableMessage(message, field);
    if (last) string_field = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING;
  }
  const bool raw = string_field ? value.starts_with('"') : is_json_literal(value);
  std::string json = raw ? value : quoted(value);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) json = "{\"" + *it + "\":" + json + "}";
  RunConfig patch;
  parse_json(json, patch, "--set " + assignment);
  config.MergeFrom(patch);
}

template <class T>
void require(bool ok, const std::string& field, const T& value, const std::string& why) {
  if (!ok) throw field_error(field, value, why);
}

void require_finite(double value, const std::string& field) {
  require(std::isfinite(value), field, value, "must be a finite number");
}

// Per-kind defaults, and refusal of fields the kind does not use (most often a typo or a field
// meant for another kind).
void resolve_instance(Instance& in) {
  if (!in.has_kind()) throw field_error("instance.kind", "(missing)", "required");
  const auto kind = in.kind();
  require(kind != Instance::kind_unspecified, "instance.kind", Instance::Kind_Name(kind),
          "must be one of sk, edwards_anderson, ferromagnet, random_regular, coupling_list, "
          "directed_coupling_list, hopfield");
  const bool sk = kind == Instance::sk, rr = kind == Instance::random_regular;
  const bool hopfield = kind == Instance::hopfield;
  const bool lattice = kind == Instance::edwards_anderson || kind == Instance::ferromagnet;
  const bool file = kind == Instance::coupling_list || kind == Instance::directed_coupling_list;
  const std::string name = Instance::Kind_Name(kind);
  auto refuse = [&](bool present, const char* field, bool used) {
    if (present && !used)
      throw field_error(std::string("instance.") + field, "(given)",
                        "not used by instance kind " + name);
  };
  refuse(in.has_n(), "n", sk || rr || (hopfield && !in.has_patterns_path()));
  refuse(in.has_patterns(), "patterns", hopfield);
  refuse(in.has_patterns_path(), "patterns_path", hopfield);
  refuse(in.has_corruption(), "corruption", hopfield);
  refuse(in.has_cue_pattern(), "cue_pattern", hopfield);
  if (hopfield && in.has_patterns() && in.has_patterns_path())
    throw field_error("instance.patterns_path", in.patterns_path(),
                      "give either patterns (random, with n) or patterns_path, not both");
  refuse(in.has_dimensions(), "dimensions", lattice);
  refuse(in.has_length(), "length", lattice);
  refuse(in.has_degree(), "degree", rr);
  refuse(in.has_path(), "path", file);
  refuse(in.has_distribution(), "distribution", sk || rr || kind == Instance::edwards_anderson);
  refuse(in.has_coupling_scale(), "coupling_scale",
         !file && !hopfield && kind != Instance::ferromagnet);
  refuse(in.has_coupling_mean(), "coupling_mean", !file && !hopfield);
  auto need = [&](bool present, const char* field) {
    if (!present)
      throw field_error(std::string("instance.") + field, "(missing)",
                        "required for instance kind " + name);
  };
  if (sk || rr) need(in.has_n(), "n");
  if (rr) need(in.has_degree(), "degree");
  if (lattice) need(in.has_length(), "length");
  if (file) need(in.has_path(), "path");
  if (hopfield && !in.has_patterns_path()) {
    need(in.has_patterns(), "patterns");
    need(in.has_n(), "n");
  }
  if (hopfield && !in.has_corruption()) in.set_corruption(0.1);
  if (hopfield && !in.has_cue_pattern()) in.set_cue_pattern(0);
  if (lattice && !in.has_dimensions()) in.set_dimensions(2);
  if ((sk || rr || kind == Instance::edwards_anderson) && !in.has_distribution())
    in.set_distribution(kind == Instance::sk ? Instance::gaussian : Instance::bimodal);
  if (!file && !hopfield && !in.has_coupling_mean())
    in.set_coupling_mean(kind == Instance::ferromagnet ? 1.0 : 0.0);
  if (!file && !hopfield && kind != Instance::ferromagnet && !in.has_coupling_scale())
    in.set_coupling_scale(1);
  if (!in.has_field()) in.set_field(0);
  if (!in.has_field_spread()) in.set_field_spread(0);
  if (!in.has_seed()) in.set_seed(1);
  if (!in.has_asymmetry()) in.set_asymmetry(0);
}

// Knobs that only one schedule or action rule reads are refused elsewhere rather than ignored.
void validate_fragility_knobs(const RunConfig& c) {
  require(std::isfinite(c.policy_precision()) && c.policy_precision() >= 0, "policy_precision",
          c.policy_precision(), "must be finite and >= 0");
  require(c.action() != RunConfig::posterior_mode || c.policy_precision() == 1, "policy_precision",
          c.policy_precision(),
          "not used by action posterior_mode (already the alpha -> infinity limit)");
  const bool stale = c.schedule() == RunConfig::stale;
  require(c.staleness() >= 0 && c.staleness() <= 1000, "staleness", c.staleness(),
          "must be in [0, 1000]");
  require(stale || c.staleness() == 0, "staleness", c.staleness(), "only used by schedule stale");
  require(c.stale_domains() >= 0, "stale_domains", c.stale_domains(), "must be >= 0");
  require(stale || c.stale_domains() == 0, "stale_domains", c.stale_domains(),
          "only used by schedule stale");
  require(c.max_kernel_agents() >= 0 && c.max_kernel_agents() <= 12, "max_kernel_agents",
          c.max_kernel_agents(),
          "must be in [0, 12] (a dense kernel on 2^12 states takes 128 MiB)");
}

}  // namespace

RunConfig resolve_config(const ConfigSource& source) {
  if (source.path)
    return parse_config_text(read_text_file(*source.path), *source.path, source.overrides,
                             source.seed);
  return parse_config_text(default_run_json(), "embedded default configuration", source.overrides,
                           source.seed);
}

RunConfig parse_config_text(std::string_view json, const std::string& origin,
                            const std::vector<std::string>& overrides,
                            std::optional<std::uint32_t> seed) {
  RunConfig user;
  parse_json(std::string(json), user, origin);
  for (const auto& assignment : overrides) apply_override(user, assignment);
  if (seed) user.set_seed(*seed);

  RunConfig config;
  parse_json(field_defaults_json(), config, "embedded defaults");
  config.MergeFrom(user);
  resolve_instance(*config.mutable_instance());
  if (!config.has_burn_in()) config.set_burn_in(config.sweeps() / 10);
  if (!config.has_name() || config.name().empty()) config.set_name("run");
  resolve_ensemble(user, config);
  validate_config(config);
  return config;
}

namespace {

void validate_instance(const Instance& in) {
  const auto kind = in.kind();
  if (kind == Instance::sk)
    require(in.n() >= 2 && in.n() <= 16384, "instance.n", in.n(), "must be in [2, 16384]");
  if (kind == Instance::random_regular) {
    // The generator allocates n * degree stubs before it tries anything: 2^24 agents as for
    // coupling lists, and degrees up to 16, far beyond any it succeeds with (a matching is simple
    // with probability about exp(-(d^2 - 1) / 4)).
    require(in.n() >= 2 && in.n() <= 16777216, "instance.n", in.n(), "must be in [2, 2^24]");
    require(in.degree() >= 1 && in.degree() < in.n() && in.degree() <= 16, "instance.degree",
            in.degree(), "must be in [1, min(n - 1, 16)]");
    require(static_cast<std::int64_t>(in.n()) * in.degree() % 2 == 0, "instance.degree",
            in.degree(), "n * degree must be even");
  }
  if (kind == Instance::edwards_anderson || kind == Instance::ferromagnet) {
    require(in.dimensions() == 2 || in.dimensions() == 3, "instance.dimensions", in.dimensions(),
            "must be 2 or 3");
    const double cap = in.dimensions() == 2 ? 46340 : 1290;  // L^d < 2^31
    require(in.length() >= 3 && in.length() <= cap, "instance.length", in.length(),
            "must be in [3, " + std::to_string(static_cast<int>(cap)) + "]");
  }
  if (kind == Instance::hopfield) {
    if (!in.has_patterns_path()) {
      require(in.n() >= 2 && in.n() <= 16384, "instance.n", in.n(), "must be in [2, 16384]");
      require(in.patterns() >= 1 && in.patterns() <= 4096, "instance.patterns", in.patterns(),
              "must be in [1, 4096]");
      require(in.cue_pattern() < in.patterns(), "instance.cue_pattern", in.cue_pattern(),
              "must name a stored pattern (0 .. patterns-1)");
    }
    require(in.cue_pattern() >= 0, "instance.cue_pattern", in.cue_pattern(), "must be >= 0");
    require(in.corruption() >= 0 && in.corruption() <= 1, "instance.corruption", in.corruption(),
            "must be in [0, 1]");
  }
  for (auto [value, name] : {std::pair{in.coupling_mean(), "instance.coupling_mean"},
                             {in.coupling_scale(), "instance.coupling_scale"},
                             {in.field(), "instance.field"},
                             {in.field_spread(), "instance.field_spread"}})
    require_finite(value, name);
  require(in.coupling_scale() >= 0, "instance.coupling_scale", in.coupling_scale(), "must be >= 0");
  require(in.field_spread() >= 0, "instance.field_spread", in.field_spread(), "must be >= 0");
  require_finite(in.asymmetry(), "instance.asymmetry");
}

}  // namespace

void validate_config(const RunConfig& c) {
  validate_instance(c.instance());
  require(std::isfinite(c.beta()) && c.beta() > 0, "beta", c.beta(), "must be finite and > 0");
  require(c.schedule() != RunConfig::schedule_unspecified, "schedule",
          RunConfig::Schedule_Name(c.schedule()),
          "must be random_sequential, chromatic, synchronous, stale or asynchronous");
  require(c.action() != RunConfig::action_unspecified, "action", RunConfig::Action_Name(c.action()),
          "must be sample_posterior or posterior_mode");
  validate_fragility_knobs(c);
  require(c.sweeps() >= 1, "sweeps", c.sweeps(), "must be >= 1");
  require(c.burn_in() >= 0, "burn_in", c.burn_in(), "must be >= 0");
  require(c.measure_interval() >= 1 && c.measure_interval() <= c.sweeps(), "measure_interval",
          c.measure_interval(), "must be in [1, sweeps]");
  require(c.chains() >= 1 && c.chains() <= 64, "chains", c.chains(), "must be in [1, 64]");

  std::set<int> seen;
  for (int k = 0; k < c.clamped_size(); ++k) {
    const auto& clamp = c.clamped(k);
    const std::string at = "clamped[" + std::to_string(k) + "]";
    require(clamp.has_agent(), at + ".agent", "(missing)", "required");
    require(clamp.agent() >= 0, at + ".agent", clamp.agent(), "must be >= 0");
    require(clamp.value() == 1 || clamp.value() == -1, at + ".value", clamp.value(),
            "must be -1 or +1");
    require(seen.insert(clamp.agent()).second, at + ".agent", clamp.agent(), "clamped twice");
  }

  const auto& v = c.verification();
  require(v.false_alarm_rate() > 0 && v.false_alarm_rate() < 0.5, "verification.false_alarm_rate",
          v.false_alarm_rate(), "must be in (0, 0.5)");
  require(v.max_exact_agents() >= 0 && v.max_exact_agents() <= 24, "verification.max_exact_agents",
          v.max_exact_agents(), "must be in [0, 24]");
  require(std::isfinite(v.min_effective_samples()) && v.min_effective_samples() >= 1,
          "verification.min_effective_samples", v.min_effective_samples(), "must be >= 1");
  require(std::isfinite(c.progress().interval_seconds()) && c.progress().interval_seconds() > 0,
          "progress.interval_seconds", c.progress().interval_seconds(), "must be > 0");
  const auto& k = c.checkpoint();
  require(k.interval_sweeps() >= 0, "checkpoint.interval_sweeps", k.interval_sweeps(),
          "must be >= 0 (0: by time only)");
  require(std::isfinite(k.interval_seconds()) && k.interval_seconds() > 0,
          "checkpoint.interval_seconds", k.interval_seconds(), "must be > 0");
  require(std::isfinite(k.status_seconds()) && k.status_seconds() > 0, "checkpoint.status_seconds",
          k.status_seconds(), "must be > 0");
  validate_ensemble(c);
}

std::string to_json(const google::protobuf::Message& message, bool pretty) {
  pb::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  const auto status = pb::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) throw std::runtime_error("JSON printing failed: " + status.ToString());
  return out;
}

}  // namespace spinfer
