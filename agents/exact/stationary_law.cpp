#include "agents/exact/stationary_law.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// Strongly connected components of the graph x -> y for K(x, y) > 0, by Tarjan's algorithm run
// iteratively. It walks the reversed graph, whose components are the same, because the reversed
// successors of y are column y of K, contiguous in Eigen's column-major storage.
std::vector<int> components(const Eigen::MatrixXd& k, int& count) {
  const int n = static_cast<int>(k.rows());
  std::vector<int> index(n, -1), low(n, 0), component(n, -1), stack;
  std::vector<char> on_stack(n, 0);
  struct Frame {
    int node;
    int next;
  };
  std::vector<Frame> calls;
  int counter = 0;
  count = 0;
  const auto visit = [&](int v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    calls.push_back({v, 0});
  };
  for (int root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    visit(root);
    while (!calls.empty()) {
      const int v = calls.back().node;
      if (calls.back().next < n) {
        const int w = calls.back().next++;
        if (k(w, v) <= 0) continue;
        if (index[w] < 0) {
          visit(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        int w = -1;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          component[w] = count;
        } while (w != v);
        ++count;
      }
      calls.pop_back();
      if (!calls.empty()) low[calls.back().node] = std::min(low[calls.back().node], low[v]);
    }
  }
  return component;
}

// The members of every closed class: components that no positive entry leaves.
std::vector<std::vector<int>> closed_classes(const Eigen::MatrixXd& k) {
  int count = 0;
  const std::vector<int> component = components(k, count);
  std::vector<char> closed(static_cast<std::size_t>(count), 1);
  const auto n = k.rows();
  for (Eigen::Index y = 0; y < n; ++y)
    for (Eigen::Index x = 0; x < n; ++x)
      if (k(x, y) > 0 && component[x] != component[y]) closed[component[x]] = 0;
  std::vector<std::vector<int>> classes(static_cast<std::size_t>(count));
  for (Eigen::Index x = 0; x < n; ++x)
    if (closed[component[x]]) classes[component[x]].push_back(static_cast<int>(x));
  std::erase_if(classes, [](const auto& members) { return members.empty(); });
  return classes;
}

void validate_kernel(const Eigen::MatrixXd& k) {
  if (k.rows() != k.cols() || k.rows() == 0)
    throw std::invalid_argument("stationary_law: kernel must be square and non-empty");
  if (!k.allFinite() || k.minCoeff() < 0)
    throw std::invalid_argument("stationary_law: kernel entries must be finite and >= 0");
  // Rows are sums of at most 2^12 products of probabilities: rounding stays near 1e-13.
  const double worst = (k.rowwise().sum().array() - 1.0).abs().maxCoeff();
  if (worst > 1e-9) throw std::invalid_argument("stationary_law: rows must sum to 1");
}

}  // namespace

int closed_class_count(const Eigen::MatrixXd& kernel) {
  validate_kernel(kernel);
  return static_cast<int>(closed_classes(kernel).size());
}

StationaryLaw stationary_law(const Eigen::MatrixXd& kernel, double tolerance) {
  validate_kernel(kernel);
  const auto classes = closed_classes(kernel);
  if (classes.size() != 1)
    throw field_error("closed classes", classes.size(),
                      "the kernel has no unique stationary distribution");
  const std::vector<int>& members = classes.front();
  const auto m = static_cast<Eigen::Index>(members.size());

  // pi Q = pi on the closed class (Q is stochastic there), written as (Q - I)^T pi = 0 with one
  // equation replaced by sum pi = 1. The equations sum to zero, so dropping any one loses
  // nothing, and the system is regular because the class has a unique stationary law.
  Eigen::MatrixXd a = kernel(members, members).transpose();
  a.diagonal().array() -= 1.0;
  a.row(m - 1).setOnes();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(m);
  b[m - 1] = 1.0;
  Eigen::VectorXd pi = a.partialPivLu().solve(b);
  // Rounding can leave entries of order -1e-17 where the true value is tiny and positive.
  pi = pi.cwiseMax(0.0);
  pi /= pi.sum();

  StationaryLaw law;
  law.support = m;
  law.p.assign(static_cast<std::size_t>(kernel.rows()), 0.0);
  for (Eigen::Index i = 0; i < m; ++i) law.p[members[i]] = pi[i];
  const Eigen::Map<const Eigen::RowVectorXd> p(law.p.data(), kernel.rows());
  law.residual = (p * kernel - p).lpNorm<1>();
  if (!(law.residual <= tolerance))
    throw field_error("stationary residual", law.residual,
                      "exceeds " + std::to_string(tolerance) + "; the kernel is ill-conditioned");
  return law;
}

}  // namespace spinfer
