// The one header through which the engine sees xtensor.
//
// May contain: xtensor includes and the array aliases the engine uses.
// May not contain: engine logic. Every other engine header includes this one instead of
// including xtensor directly, so the xtensor surface we depend on is listed in one place.
#pragma once

#include <cstddef>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xbroadcast.hpp>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace gradlab {

/// An evaluated n-dimensional array of doubles (any rank; rank 0 is a scalar).
/// NOTE: always store evaluated arrays, never `auto` xtensor expressions: expressions are lazy
/// and hold references to their operands, which dangle once those go out of scope.
using Array = xt::xarray<double>;

/// A rank-2 array (rows x columns), e.g. a dataset's inputs or a weight matrix.
using Matrix = xt::xtensor<double, 2>;

/// A shape, as xtensor spells it.
using Shape = std::vector<std::size_t>;

}  // namespace gradlab
