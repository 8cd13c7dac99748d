// The small functions the lessons minimise by hand and by optimizer: 1-D curves and 2-D
// landscapes with a known value, gradient and Hessian at every point. Each is an Objective, so
// the same Trainer, landscape sampler and gradient checker that serve neural networks serve
// them too.
//
// Layout: a 1-D function has one parameter block "x"; a 2-D function has two blocks "x"
// (offset 0) and "y" (offset 1), each 1 x 1. The physical meaning of each coordinate (grams of
// sugar, minutes of soaking) is given by axis_labels().
//
// Names and parameters (make_function):
//   "square"      f(x) = x^2                                           (no parameters)
//   "recipe"      f(s) = ((s - ideal) / scale)^2                       ideal = 250 g, scale = 50 g
//   "recipe2"     f(s, t) = u^2 + c u v + v^2,  u = (s - ideal_sugar) / sugar_scale,
//                 v = (t - ideal_time) / time_scale                    ideal_sugar = 250 g,
//                 sugar_scale = 50 g, ideal_time = 120 min, time_scale = 30 min,
//                 interaction c = 0.5 (|c| < 2)
//   "bowl"        f(x) = 1/2 x^T A x, A with eigenvalues 1 and condition, its eigenvector for 1
//                 at angle radians from the x axis                     condition = 10, angle = 0
//   "rosenbrock"  f(x, y) = (a - x)^2 + b (y - x^2)^2                  a = 1, b = 100
//   "saddle"      f(x, y) = x^2 - y^2                                  (no parameters)
//   "wells1d"     f(x) = x^2 / 10 + amplitude (1 - cos 2x)             amplitude = 1
//                 minima (amplitude 1): x = 0 (global, f = 0), +-2.98978 (f = 0.93962),
//                 +-5.96370 (f = 3.75386); start x = 4 rolls into the one near +pi
//   "wells2d"     f(x, y) = bowl (x^2 + y^2) - sum_i d_i exp(-|p - c_i|^2 / (2 w_i^2))
//                 bowl = 0.05; wells c = (1.5, -1) d = 1.5 w = 0.7, c = (-1.5, 1) d = 1 w = 0.6,
//                 c = (-0.8, -1.6) d = 0.8 w = 0.5. Minima (bowl 0.05): (1.4524, -0.9683)
//                 f = -1.3427 (global), (-1.4476, 0.9651) f = -0.8432, (-0.7674, -1.5491)
//                 f = -0.6506; start (-0.6, 0) rolls into the second one
//
// Suggested starts: square 3; recipe 100 g; recipe2 (100 g, 30 min); bowl (-2.5, 1.5);
// rosenbrock (-1.2, 1); saddle (-1.8, 0.05); wells1d 4; wells2d (-0.6, 0).
// Stable plain-SGD learning rates are below 2 / (largest curvature): square 1, recipe
// scale^2 = 2500 (lr = 1250 lands in one step), recipe2 about 870 (defaults), bowl
// 2 / condition.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gradlab/objective.hpp"

namespace gradlab {

/// Where a lesson should look: the horizontal range of the first coordinate, and either the
/// range of the second coordinate (2-D functions) or of the function value (1-D functions).
struct ViewRange {
  double x_min = 0, x_max = 0;
  double y_min = 0, y_max = 0;
};

/// A function of 1 or 2 parameters with closed-form derivatives.
class Function : public Objective {
 public:
  /// Number of coordinates (1 or 2); equals size().
  std::size_t dims() const { return size(); }

  /// f(x) for x[0..dims).
  virtual double value(const double* x) const = 0;
  /// g = grad f(x), g[0..dims).
  virtual void gradient(const double* x, double* g) const = 0;
  /// H = Hessian of f at x, dims x dims, row-major: H[i*dims + j] = d^2 f / dx_i dx_j.
  virtual void hessian(const double* x, double* h) const = 0;

  /// Vector conveniences (throw input_error when x.size() != dims()).
  double value_at(const std::vector<double>& x) const;
  std::vector<double> gradient_at(const std::vector<double>& x) const;
  std::vector<double> hessian_at(const std::vector<double>& x) const;

  /// Objective interface: value(x) and, when grad is not null, gradient(x, grad).
  double evaluate_at(const double* x, double* grad) override;

  /// The name given to make_function(), e.g. "rosenbrock".
  const std::string& name() const { return m_name; }
  /// The formula in plain text, e.g. "f(x, y) = (1 - x)^2 + 100 (y - x^2)^2".
  const std::string& formula() const { return m_formula; }
  /// What each coordinate means, with units: {"x"}, {"sugar (g)", "soaking time (min)"}, ...
  const std::vector<std::string>& axis_labels() const { return m_axis_labels; }
  /// The suggested plotting window (see ViewRange).
  const ViewRange& view() const { return m_view; }
  /// The suggested starting point; parameters() holds it after construction.
  const std::vector<double>& start() const { return m_start; }
  /// Local minima inside the view, each a point of dims() coordinates, lowest value first
  /// (equal values: smaller x first).
  /// Closed-form where one exists ("square", "recipe", "recipe2", "bowl", "rosenbrock");
  /// found numerically to ~1e-12 for "wells1d" and "wells2d"; empty for "saddle".
  const std::vector<std::vector<double>>& minima() const { return m_minima; }

 protected:
  /// Sets name, formula, labels (their count is dims), view and start; parameters() = start.
  Function(std::string name, std::string formula, std::vector<std::string> axis_labels,
           ViewRange view, std::vector<double> start);
  /// Sorts m_minima by value, lowest first.
  void sort_minima();

  std::vector<std::vector<double>> m_minima;

 private:
  std::string m_name, m_formula;
  std::vector<std::string> m_axis_labels;
  ViewRange m_view;
  std::vector<double> m_start;
};

/// Builds a lesson function by name (see the table at the top of this file). Unknown name or
/// parameter name -> input_error listing the valid ones; a parameter out of range or not
/// finite -> range_error.
std::unique_ptr<Function> make_function(const std::string& name,
                                        const std::map<std::string, double>& params = {});

/// The names make_function() accepts.
std::vector<std::string> function_names();

}  // namespace gradlab
