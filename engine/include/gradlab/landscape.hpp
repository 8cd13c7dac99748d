// Loss landscapes: the loss as a surface over two chosen parameters, all others held where they
// are. This is the picture behind "gradient descent walks downhill": a heat map or contour plot
// of this grid, with the optimiser's trajectory drawn on top.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gradlab/objective.hpp"

namespace gradlab {

/// The largest number of cells along either side of a landscape grid.
constexpr std::size_t kMaxGridSide = 1000;

/// Loss of f on an ny x nx grid over parameters i and j. Cell (r, c), stored at r * nx + c,
/// has parameter i = i_min + (i_max - i_min) c / (nx - 1) and parameter j = j_min + (j_max -
/// j_min) r / (ny - 1); every other parameter keeps its current value in f.parameters(), which
/// is left unchanged. So columns walk along i, rows along j (row 0 is j_min).
///
/// A cell whose loss is not finite (overflow far from the data) is stored as +infinity, so a
/// plot can mark it without the grid ever holding NaN.
///
/// Throws range_error unless i != j, both < f.size(), every bound finite with min < max, and
/// nx, ny in [2, kMaxGridSide]. Errors from f itself (e.g. a model without data) propagate.
///
/// How loss_grid may compute a one-input LinearRegression with a bias and the mse or half_mse
/// loss (every other objective is evaluated cell by cell).
enum class GridMethod {
  /// The loss is an exact quadratic in (weight, bias): each cell in O(1) from a few sums over
  /// the data. Fastest for large data; what the widgets use.
  fastest,
  /// Every cell is an explicit mean of squared residuals over all the points, in a SIMD kernel
  /// that runs the bias values of one weight in parallel. No algebraic shortcut: the benchmark's
  /// definition of the work, and an independent check of the fast path.
  explicit_sum,
};

/// "auto" (GridMethod::fastest) or "sum" (GridMethod::explicit_sum); input_error otherwise.
GridMethod parse_grid_method(const std::string& name);

std::vector<double> loss_grid(Objective& f, std::size_t i, std::size_t j, double i_min,
                              double i_max, double j_min, double j_max, std::size_t nx,
                              std::size_t ny, GridMethod method = GridMethod::fastest);

}  // namespace gradlab
