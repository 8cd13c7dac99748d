#include "gradlab/gradcheck.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "gradlab/error.hpp"

namespace gradlab {

namespace {

void check_settings(double h, double tolerance) {
  require_range(std::isfinite(h) && h > 0.0, "gradcheck step h must be finite and > 0");
  require_range(std::isfinite(tolerance) && tolerance > 0.0,
                "gradcheck tolerance must be finite and > 0");
}

// Fills in the error columns once analytic, numeric and parts are known.
void score(GradCheckResult& result) {
  bool any_nan = false;
  result.max_rel_error = 0.0;
  for (std::size_t i = 0; i < result.analytic.size(); ++i) {
    const double e = relative_error(result.analytic[i], result.numeric[i]);
    if (std::isnan(e)) any_nan = true;
    else result.max_rel_error = std::max(result.max_rel_error, e);
  }
  for (auto& part : result.parts) {
    part.max_rel_error = 0.0;
    for (std::size_t i = part.offset; i < part.offset + part.size; ++i) {
      const double e = relative_error(result.analytic[i], result.numeric[i]);
      part.max_rel_error = std::isnan(e) ? e : std::max(part.max_rel_error, e);
      if (std::isnan(e)) break;
    }
  }
  if (any_nan) result.max_rel_error = std::numeric_limits<double>::quiet_NaN();
  result.ok = !any_nan && result.max_rel_error <= result.tolerance;
}

}  // namespace

double relative_error(double analytic, double numeric) {
  const double scale = std::max({1.0, std::fabs(analytic), std::fabs(numeric)});
  return std::fabs(analytic - numeric) / scale;
}

GradCheckResult check_graph(Graph& graph, Id root, double h, double tolerance) {
  check_settings(h, tolerance);
  GradCheckResult result;
  result.tolerance = tolerance;

  graph.forward();
  graph.backward(root);  // validates root
  result.value = graph.value(root).flat(0);

  for (Id leaf : graph.variables()) {
    GradCheckPart part;
    part.name = graph.node(leaf).name;
    part.id = leaf;
    part.offset = result.analytic.size();
    part.size = graph.value(leaf).size();
    const Array& grad = graph.grad(leaf);
    result.analytic.insert(result.analytic.end(), grad.begin(), grad.end());
    result.parts.push_back(part);
  }

  for (const auto& part : result.parts) {
    for (std::size_t i = 0; i < part.size; ++i) {
      const double x = graph.value(part.id).flat(i);
      graph.set_element(part.id, i, x + h);
      graph.forward();
      const double f_plus = graph.value(root).flat(0);
      graph.set_element(part.id, i, x - h);
      graph.forward();
      const double f_minus = graph.value(root).flat(0);
      graph.set_element(part.id, i, x);
      result.numeric.push_back((f_plus - f_minus) / (2.0 * h));
    }
  }

  graph.forward();  // back to the unperturbed values and gradients
  graph.backward(root);
  score(result);
  return result;
}

GradCheckResult check_objective(Objective& objective, const double* x, double h,
                                double tolerance) {
  check_settings(h, tolerance);
  require(x != nullptr, "gradcheck needs a point x");
  const std::size_t n = objective.size();
  GradCheckResult result;
  result.tolerance = tolerance;
  result.analytic.assign(n, 0.0);
  result.value = objective.evaluate_at(x, result.analytic.data());

  std::vector<double> point(x, x + n);
  result.numeric.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = point[i];
    point[i] = xi + h;
    const double f_plus = objective.evaluate_at(point.data(), nullptr);
    point[i] = xi - h;
    const double f_minus = objective.evaluate_at(point.data(), nullptr);
    point[i] = xi;
    result.numeric[i] = (f_plus - f_minus) / (2.0 * h);
  }

  const auto& layout = objective.layout();
  for (std::size_t b = 0; b < layout.size(); ++b) {
    GradCheckPart part;
    part.name = layout[b].name;
    part.id = b;
    part.offset = layout[b].offset;
    part.size = layout[b].size();
    if (part.offset + part.size <= n) result.parts.push_back(part);
  }
  if (result.parts.empty()) {  // no (valid) layout: one part covering everything
    GradCheckPart all;
    all.name = "x";
    all.size = n;
    result.parts.push_back(all);
  }
  score(result);
  return result;
}

}  // namespace gradlab
