#include "gradlab/landscape.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "gradlab/error.hpp"
#include "gradlab/nn.hpp"
#include "simd.hpp"

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

// Every cell summed over every point: residual = b + (w x_k - t_k). The outer loop takes one
// weight at a time and computes c_k = w x_k - t_k once for it; the inner loop runs eight bias
// values at once (four SIMD pairs), each adding (b + c_k)^2 for every point k.
void squared_error_line_sum(const LinearRegression& line, std::size_t i, double i_min,
                            double i_max, double j_min, double j_max, std::size_t nx,
                            std::size_t ny, double* out) {
  using simd::f64x2;
  using simd::splat;
  const Dataset& data = line.data();
  const std::size_t n = data.rows();
  const double* x = data.x.data();
  const double* t = data.y.data();
  const double scale =
      (line.loss_kind() == loss::Kind::half_mse ? 0.5 : 1.0) / static_cast<double>(n);

  // Parameter 0 is the weight and 1 the bias; i names the one that varies along columns.
  const bool weight_on_columns = i == 0;
  const std::size_t n_w = weight_on_columns ? nx : ny, n_b = weight_on_columns ? ny : nx;
  const double w_lo = weight_on_columns ? i_min : j_min, w_hi = weight_on_columns ? i_max : j_max;
  const double b_lo = weight_on_columns ? j_min : i_min, b_hi = weight_on_columns ? j_max : i_max;
  std::vector<double> bias(n_b), c(n);
  for (std::size_t q = 0; q < n_b; ++q) bias[q] = grid_point(b_lo, b_hi, q, n_b);
  // Cell (weight index p, bias index q) in the row-major nx-wide grid.
  auto cell = [&](std::size_t p, std::size_t q) -> double& {
    return weight_on_columns ? out[q * nx + p] : out[p * nx + q];
  };

  for (std::size_t p = 0; p < n_w; ++p) {
    const double w = grid_point(w_lo, w_hi, p, n_w);
    for (std::size_t k = 0; k < n; ++k) c[k] = w * x[k] - t[k];
    std::size_t q = 0;
    for (; q + 8 <= n_b; q += 8) {
      const f64x2 b0 = simd::load2(&bias[q]), b1 = simd::load2(&bias[q + 2]);
      const f64x2 b2 = simd::load2(&bias[q + 4]), b3 = simd::load2(&bias[q + 6]);
      f64x2 s0 = splat(0.0), s1 = s0, s2 = s0, s3 = s0;
      for (std::size_t k = 0; k < n; ++k) {
        const f64x2 ck = splat(c[k]);
        const f64x2 r0 = b0 + ck, r1 = b1 + ck, r2 = b2 + ck, r3 = b3 + ck;
        s0 += r0 * r0, s1 += r1 * r1, s2 += r2 * r2, s3 += r3 * r3;
      }
      const f64x2 sums[4] = {s0, s1, s2, s3};
      for (std::size_t lane = 0; lane < 8; ++lane)
        cell(p, q + lane) = finite_or_inf(scale * sums[lane / 2][lane % 2]);
    }
    for (; q < n_b; ++q) {
      double s = 0.0;
      for (std::size_t k = 0; k < n; ++k) {
        const double r = bias[q] + c[k];
        s += r * r;
      }
      cell(p, q) = finite_or_inf(scale * s);
    }
  }
}

// The arguments' checks, apart from the loops: their messages are only built on failure.
GRADLAB_COLD void check_grid(std::size_t n, std::size_t i, std::size_t j, double i_min,
                             double i_max, double j_min, double j_max, std::size_t nx,
                             std::size_t ny) {
  if (!(i < n && j < n))
    throw range_error("landscape parameters must be indices below " + std::to_string(n) +
                      " (got " + std::to_string(i) + " and " + std::to_string(j) + ")");
  require_range(i != j, "a landscape needs two different parameters");
  if (!(std::isfinite(i_min) && std::isfinite(i_max) && i_min < i_max))
    throw range_error("the range of parameter " + std::to_string(i) +
                      " must be finite with min < max");
  if (!(std::isfinite(j_min) && std::isfinite(j_max) && j_min < j_max))
    throw range_error("the range of parameter " + std::to_string(j) +
                      " must be finite with min < max");
  if (!(nx >= 2 && nx <= kMaxGridSide && ny >= 2 && ny <= kMaxGridSide))
    throw range_error("a landscape grid needs between 2 and " + std::to_string(kMaxGridSide) +
                      " cells per side");
}

}  // namespace

GRADLAB_COLD GridMethod parse_grid_method(const std::string& name) {
  if (name == "auto") return GridMethod::fastest;
  if (name == "sum") return GridMethod::explicit_sum;
  throw input_error("unknown landscape method \"" + name + "\" (expected auto or sum)");
}

std::vector<double> loss_grid(Objective& f, std::size_t i, std::size_t j, double i_min,
                              double i_max, double j_min, double j_max, std::size_t nx,
                              std::size_t ny, GridMethod method) {
  check_grid(f.size(), i, j, i_min, i_max, j_min, j_max, nx, ny);
  std::vector<double> out(nx * ny, kInf);
  if (is_squared_error_line(f)) {
    const auto& line = static_cast<LinearRegression&>(f);
    if (method == GridMethod::explicit_sum)
      squared_error_line_sum(line, i, i_min, i_max, j_min, j_max, nx, ny, out.data());
    else
      squared_error_line_grid(line, i, i_min, i_max, j_min, j_max, nx, ny, out.data());
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
