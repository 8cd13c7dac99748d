#include "gradlab/landscape.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "gradlab/error.hpp"
#include "gradlab/nn.hpp"

namespace gradlab {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Stores a cell, turning NaN and -inf/+inf into +inf.
inline double finite_or_inf(double v) { return std::isfinite(v) ? v : kInf; }

/// The parameter value at step `step` of `count` evenly spaced points on [lo, hi].
inline double grid_point(double lo, double hi, std::size_t step, std::size_t count) {
  return lo + (hi - lo) * static_cast<double>(step) / static_cast<double>(count - 1);
}

/// The fast path applies to y = w x + b fitted by (half) mean squared error.
bool is_squared_error_line(Objective& f) {
  auto* line = dynamic_cast<LinearRegression*>(&f);
  return line && line->has_data() && line->inputs() == 1 && line->has_bias() &&
         (line->loss_kind() == loss::Kind::mse || line->loss_kind() == loss::Kind::half_mse);
}

// With centred data (x' = x - mean x, t' = t - mean t) the residual of the line is
//   r = w x + b - t = (w x' - t') + (w mean_x + b - mean_t),
// and since x' and t' sum to zero, the cross term vanishes:
//   mean r^2 = w^2 Sxx - 2 w Sxt + Stt + (w mean_x + b - mean_t)^2,
// where Sxx = mean x'^2, Sxt = mean x' t', Stt = mean t'^2. Centring first keeps the sums from
// cancelling catastrophically when the data sit far from the origin (exam scores near 75).
void squared_error_line_grid(const LinearRegression& line, std::size_t i, double i_min,
                             double i_max, double j_min, double j_max, std::size_t nx,
                             std::size_t ny, double* out) {
  const Dataset& data = line.data();
  const std::size_t n = data.rows();
  const double* x = data.x.data();
  const double* t = data.y.data();
  double mean_x = 0.0, mean_t = 0.0;
  for (std::size_t k = 0; k < n; ++k) mean_x += x[k], mean_t += t[k];
  mean_x /= static_cast<double>(n);
  mean_t /= static_cast<double>(n);
  double sxx = 0.0, sxt = 0.0, stt = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double dx = x[k] - mean_x, dt = t[k] - mean_t;
    sxx += dx * dx, sxt += dx * dt, stt += dt * dt;
  }
  sxx /= static_cast<double>(n), sxt /= static_cast<double>(n), stt /= static_cast<double>(n);
  const double scale = line.loss_kind() == loss::Kind::half_mse ? 0.5 : 1.0;

  // Parameter 0 is the weight and 1 the bias; i names the one that varies along columns.
  const bool weight_on_columns = i == 0;
  for (std::size_t r = 0; r < ny; ++r) {
    const double v_row = grid_point(j_min, j_max, r, ny);
    for (std::size_t c = 0; c < nx; ++c) {
      const double v_col = grid_point(i_min, i_max, c, nx);
      const double w = weight_on_columns ? v_col : v_row;
      const double b = weight_on_columns ? v_row : v_col;
      const double offset = w * mean_x + b - mean_t;
      out[r * nx + c] = finite_or_inf(scale * (w * w * sxx - 2.0 * w * sxt + stt + offset * offset));
    }
  }
}

}  // namespace

std::vector<double> loss_grid(Objective& f, std::size_t i, std::size_t j, double i_min,
                              double i_max, double j_min, double j_max, std::size_t nx,
                              std::size_t ny) {
  const std::size_t n = f.size();
  require_range(i < n && j < n, "landscape parameters must be indices below " +
                                    std::to_string(n) + " (got " + std::to_string(i) + " and " +
                                    std::to_string(j) + ")");
  require_range(i != j, "a landscape needs two different parameters");
  require_range(std::isfinite(i_min) && std::isfinite(i_max) && i_min < i_max,
                "the range of parameter " + std::to_string(i) +
                    " must be finite with min < max");
  require_range(std::isfinite(j_min) && std::isfinite(j_max) && j_min < j_max,
                "the range of parameter " + std::to_string(j) +
                    " must be finite with min < max");
  require_range(nx >= 2 && nx <= kMaxGridSide && ny >= 2 && ny <= kMaxGridSide,
                "a landscape grid needs between 2 and " + std::to_string(kMaxGridSide) +
                    " cells per side");

  std::vector<double> out(nx * ny, kInf);
  if (is_squared_error_line(f)) {
    squared_error_line_grid(static_cast<LinearRegression&>(f), i, i_min, i_max, j_min, j_max,
                            nx, ny, out.data());
    return out;
  }

  // General path: move two coordinates of a private copy and ask f for the loss (no gradient).
  std::vector<double> point = f.parameters();
  for (std::size_t r = 0; r < ny; ++r) {
    point[j] = grid_point(j_min, j_max, r, ny);
    for (std::size_t c = 0; c < nx; ++c) {
      point[i] = grid_point(i_min, i_max, c, nx);
      out[r * nx + c] = finite_or_inf(f.evaluate_at(point.data(), nullptr));
    }
  }
  return out;
}

}  // namespace gradlab
