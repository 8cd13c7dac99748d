// Fuzz target: grid requests. loss_grid(f, i, j, ranges, nx, ny) over a lesson function or a
// small model (with or without data, including the one-input line that takes the fused fast
// path), with arbitrary indices, bounds and sizes. Checks: success exactly when the documented
// rule allows it; an ny x nx result with no NaN; parameters untouched; and sampled cells equal
// to evaluating the objective directly.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "gradlab/data.hpp"
#include "gradlab/functions.hpp"
#include "gradlab/landscape.hpp"
#include "gradlab/nn.hpp"

using namespace gradlab_fuzz;

namespace {

/// 0..32 cells mostly; sometimes a side the engine must refuse before allocating anything.
std::size_t grid_side(FuzzedDataProvider& fdp) {
  static const std::size_t kBad[] = {0, 1, gradlab::kMaxGridSide + 1, 1000000000,
                                     std::numeric_limits<std::size_t>::max()};
  if (fdp.ConsumeIntegralInRange<int>(0, 9) == 0)
    return kBad[fdp.ConsumeIntegralInRange<std::size_t>(0, std::size(kBad) - 1)];
  return fdp.ConsumeIntegralInRange<std::size_t>(0, 32);
}

/// The value loss_grid promises for a cell: the loss, or +inf where it is not finite.
double cell(double v) { return std::isfinite(v) ? v : std::numeric_limits<double>::infinity(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);

  // The objective.
  std::unique_ptr<gradlab::Objective> f;
  gradlab::LinearRegression* line = nullptr;  // set when the fast path may apply
  bool has_data = true;
  double data_scale = 0;  // largest |x| or |y| in the data
  const int kind = fdp.ConsumeIntegralInRange<int>(0, 3);
  if (kind == 0) {
    const auto names = gradlab::function_names();
    f = gradlab::make_function(names[fdp.ConsumeIntegralInRange<std::size_t>(0, names.size() - 1)]);
  } else {
    gradlab::ModelSpec spec;
    if (kind == 1) {  // the fast-path candidate, and its neighbours
      spec.type = "linear";
      spec.inputs = fdp.ConsumeIntegralInRange<int>(0, 3) == 0 ? 2 : 1;
      spec.bias = fdp.ConsumeIntegralInRange<int>(0, 3) != 0;
      const char* losses[] = {"mse", "half_mse", "mae", "huber"};
      spec.loss = losses[fdp.ConsumeIntegralInRange<int>(0, 3)];
    } else if (kind == 2) {
      spec.type = "logistic";
      spec.inputs = fdp.ConsumeIntegralInRange<std::size_t>(1, 3);
    } else {
      spec.type = "mlp";
      spec.sizes = {fdp.ConsumeIntegralInRange<std::size_t>(1, 3),
                    fdp.ConsumeIntegralInRange<std::size_t>(1, 4), 1};
      spec.activations = {"tanh", fdp.ConsumeBool() ? "sigmoid" : "linear"};
      spec.loss = fdp.ConsumeBool() ? "bce" : "mse";
      spec.seed = fdp.ConsumeIntegral<std::uint8_t>();
    }
    auto model = gradlab::make_model(spec);
    has_data = fdp.ConsumeIntegralInRange<int>(0, 7) != 0;
    if (has_data) {
      const std::size_t rows = fdp.ConsumeIntegralInRange<std::size_t>(1, 64);
      gradlab::Dataset d;
      d.x = gradlab::Matrix::from_shape({rows, model->inputs()});
      d.y = gradlab::Matrix::from_shape({rows, model->outputs()});
      const double range = fdp.ConsumeBool() ? 10.0 : 1e4;  // far from the origin: cancellation
      const double shift = fdp.ConsumeBool() ? 0.0 : bounded_double(fdp, -range, range);
      for (double& v : d.x) v = shift + bounded_double(fdp, -range, range);
      const bool probabilities = model->loss_kind() == gradlab::loss::Kind::bce_logits;
      for (double& v : d.y) v = probabilities ? fdp.ConsumeProbability<double>()
                                              : shift + bounded_double(fdp, -range, range);
      for (double v : d.x) data_scale = std::max(data_scale, std::fabs(v));
      for (double v : d.y) data_scale = std::max(data_scale, std::fabs(v));
      model->set_data(d);
    }
    // Parameters anywhere (the grid fixes all but two of them).
    for (double& p : model->parameters()) p = bounded_double(fdp, -5, 5);
    line = dynamic_cast<gradlab::LinearRegression*>(model.get());
    f = std::move(model);
  }

  // The request.
  const std::size_t n = f->size();
  const std::size_t i = any_size(fdp, n), j = any_size(fdp, n);
  const bool wild = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
  double lo[2], hi[2];
  for (int a = 0; a < 2; ++a) {
    lo[a] = wild ? any_double(fdp, -10, 10) : bounded_double(fdp, -10, 10);
    hi[a] = wild ? any_double(fdp, -10, 10) : bounded_double(fdp, -10, 10);
  }
  const std::size_t nx = grid_side(fdp), ny = grid_side(fdp);

  const bool should_work = i < n && j < n && i != j && std::isfinite(lo[0]) &&
                           std::isfinite(hi[0]) && lo[0] < hi[0] && std::isfinite(lo[1]) &&
                           std::isfinite(hi[1]) && lo[1] < hi[1] && nx >= 2 &&
                           nx <= gradlab::kMaxGridSide && ny >= 2 &&
                           ny <= gradlab::kMaxGridSide && has_data;

  const std::vector<double> before = f->parameters();
  std::vector<double> grid;
  const bool ok =
      accepts([&] { grid = gradlab::loss_grid(*f, i, j, lo[0], hi[0], lo[1], hi[1], nx, ny); });
  FUZZ_CHECK(ok == should_work);
  FUZZ_CHECK(f->parameters() == before);
  if (!ok) return 0;
  FUZZ_CHECK(grid.size() == nx * ny);
  FUZZ_CHECK(!any_nan(grid));

  // Sample a few cells against a direct evaluation.
  const bool fast = line && line->inputs() == 1 && line->has_bias() &&
                    (line->loss_kind() == gradlab::loss::Kind::mse ||
                     line->loss_kind() == gradlab::loss::Kind::half_mse);
  for (int s = 0; s < 4 && fdp.remaining_bytes() > 0; ++s) {
    const std::size_t r = fdp.ConsumeIntegralInRange<std::size_t>(0, ny - 1);
    const std::size_t c = fdp.ConsumeIntegralInRange<std::size_t>(0, nx - 1);
    std::vector<double> p = before;
    p[i] = lo[0] + (hi[0] - lo[0]) * static_cast<double>(c) / static_cast<double>(nx - 1);
    p[j] = lo[1] + (hi[1] - lo[1]) * static_cast<double>(r) / static_cast<double>(ny - 1);
    const double direct = cell(f->evaluate_at(p.data(), nullptr));
    const double got = grid[r * nx + c];
    if (!fast) {
      FUZZ_CHECK(got == direct);
      continue;
    }
    if (!std::isfinite(direct) || !std::isfinite(got)) {
      // Overflow only where the numbers are astronomically large.
      FUZZ_CHECK(std::fabs(p[i]) > 1e100 || std::fabs(p[j]) > 1e100 || got == direct);
      continue;
    }
    // The fused formula rounds differently; bound its error by the size of the terms.
    const double w = p[0], b = p[1];
    const double terms = (std::fabs(w) * data_scale + std::fabs(b) + data_scale) *
                         (std::fabs(w) * data_scale + std::fabs(b) + data_scale);
    FUZZ_CHECK(std::fabs(got - direct) <= 1e-11 * terms + 1e-12);
  }
  return 0;
}
