#pragma once
// Spin-glass instance generators. Every generator is a pure function of its parameters and the
// disorder seed, computed identically on every rank and on every platform (no std::
// distributions, whose output is implementation-defined).
#include <cstdint>
#include <iosfwd>
#include <string>

#include "agents/ising/spin_glass.hpp"

namespace spinfer {

enum class CouplingDistribution { gaussian, bimodal };  // bimodal: +-scale with equal odds

// Sherrington-Kirkpatrick: all pairs, J_ij with mean `mean`/N and spread `scale`/sqrt(N)
// (Gaussian: standard deviation; bimodal: mean/N +- scale/sqrt(N)).
SpinGlass sherrington_kirkpatrick(AgentId n, CouplingDistribution dist, double mean, double scale,
                                  std::uint64_t seed);

// Edwards-Anderson on a periodic hypercubic lattice (2 or 3 dimensions, side L >= 3 so that
// neighbours are distinct): nearest-neighbour couplings of mean `mean` and spread `scale`.
SpinGlass edwards_anderson(int dimensions, std::int64_t length, CouplingDistribution dist,
                           double mean, double scale, std::uint64_t seed);

// Ferromagnet on a periodic hypercubic lattice: every nearest-neighbour coupling equals `coupling`.
SpinGlass ferromagnet(int dimensions, std::int64_t length, double coupling);

// Random regular graph of the given degree (n * degree even, degree < n), simple (no loops, no
// multi-edges), couplings drawn as for EA.
SpinGlass random_regular(AgentId n, int degree, CouplingDistribution dist, double mean,
                         double scale, std::uint64_t seed);

// Reads a user-supplied coupling list. Lines: `i j J_ij` (an undirected coupling, listed once),
// `field i h_i`, `agents N` (declares N; otherwise N = largest id + 1); `#` starts a comment.
// At most kMaxCouplingListAgents agents. Errors name the file and line.
SpinGlass read_coupling_list(const std::string& path);
// The same from a stream; `source` stands for the file name in errors and the description.
SpinGlass read_coupling_list(std::istream& in, const std::string& source);

// 2^24 agents: a population that large takes a file of gigabytes, so the cap costs no real user
// anything, while it stops a one-line file (`agents N`, or one large id) from asking for arrays of
// many gigabytes. Larger instances come from the generators.
inline constexpr AgentId kMaxCouplingListAgents = AgentId{1} << 24;

// Adds fields to every agent: uniform `field` plus Gaussian noise of standard deviation
// `field_spread` keyed by (seed, agent id).
void add_fields(SpinGlass& glass, double field, double field_spread, std::uint64_t seed);

}  // namespace spinfer
