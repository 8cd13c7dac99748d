// Loss landscapes: the loss as a surface over two chosen parameters, all others held where they
// are. This is the picture behind "gradient descent walks downhill": a heat map or contour plot
// of this grid, with the optimiser's trajectory drawn on top.
#pragma once

#include <cstddef>
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
/// NOTE: for a one-input LinearRegression with a bias and the mse or half_mse loss, the loss is
/// an exact quadratic in (weight, bias), so each cell is computed in O(1) from a few sums over
/// the data instead of a pass over every point.
std::vector<double> loss_grid(Objective& f, std::size_t i, std::size_t j, double i_min,
                              double i_max, double j_min, double j_max, std::size_t nx,
                              std::size_t ny);

}  // namespace gradlab
