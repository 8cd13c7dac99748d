// Gradient checking: is a hand-written (analytic) gradient right? Compare it with the slope
// measured numerically by nudging each parameter a little either way.
//
// Central difference for parameter i:  (f(x + h e_i) - f(x - h e_i)) / (2h).
// Its error shrinks like h^2 (a one-sided difference only like h), until rounding takes over:
// f is known to about 1e-16 |f|, divided by 2h. h = 1e-6 balances the two for smooth f.
//
// Relative error of one component (a = analytic, n = numeric):
//     |a - n| / max(1, |a|, |n|)
// i.e. an absolute error for small gradients and a relative one for large gradients, so a
// gradient of 0 versus 1e-12 does not count as a 100% error.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gradlab/graph.hpp"
#include "gradlab/objective.hpp"

namespace gradlab {

/// The check of one named block of numbers: a graph input() leaf or an objective's ParamBlock.
struct GradCheckPart {
  std::string name;            ///< leaf name or block name
  Id id = 0;                   ///< graph node id (graph checks); block index (objective checks)
  std::size_t offset = 0;      ///< where this part starts in analytic / numeric
  std::size_t size = 0;        ///< number of elements
  double max_rel_error = 0.0;  ///< worst relative error inside this part
};

struct GradCheckResult {
  double max_rel_error = 0.0;   ///< worst relative error over every element
  double tolerance = 1e-6;      ///< the threshold used
  bool ok = true;               ///< max_rel_error <= tolerance (and nothing was NaN)
  double value = 0.0;           ///< f at the checked point
  std::vector<double> analytic; ///< backprop / evaluate() gradient, all parts concatenated
  std::vector<double> numeric;  ///< central-difference gradient, same layout
  std::vector<GradCheckPart> parts;
};

/// |a - n| / max(1, |a|, |n|); NaN if either is NaN.
double relative_error(double analytic, double numeric);

/// Checks d(root)/d(leaf) for every input() leaf of the graph: backward(root) against central
/// differences, replaying forward() twice per element. Leaves the graph as it found it (values
/// restored, forward and backward rerun). Throws range_error unless h and tolerance are finite
/// and > 0; input_error if root is not a scalar.
GradCheckResult check_graph(Graph& graph, Id root, double h = 1e-6, double tolerance = 1e-6);

/// Checks objective.evaluate_at(x, grad) against central differences at x[0..objective.size()).
/// The objective's parameters() are not touched.
GradCheckResult check_objective(Objective& objective, const double* x, double h = 1e-6,
                                double tolerance = 1e-6);

}  // namespace gradlab
