// Fuzz target: user datasets. make_dataset(name, n, seed, noise) with arbitrary names and
// numbers, and from_points(x, y, inputs, outputs) with arbitrary tables. Besides "no crash",
// each call is compared with the documented rule for when it must succeed, and a success must
// return exactly the promised table with only finite numbers.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "gradlab/data.hpp"

using namespace gradlab_fuzz;

namespace {

void fuzz_make_dataset(FuzzedDataProvider& fdp) {
  const std::string name = pick_name(fdp, gradlab::dataset_names());
  const std::size_t n = any_size(fdp, 64);
  const std::uint64_t seed = fdp.ConsumeIntegral<std::uint64_t>();
  const double noise = any_double(fdp, 0.0, 3.0);

  bool known = false;
  for (const auto& valid : gradlab::dataset_names()) known = known || valid == name;
  const bool should_work = known && n >= 1 && n <= gradlab::kMaxRows && std::isfinite(noise) &&
                           noise >= 0 && noise <= gradlab::kMaxNoise;

  gradlab::Dataset d;
  const bool ok = accepts([&] { d = gradlab::make_dataset(name, n, seed, noise); });
  FUZZ_CHECK(ok == should_work);
  if (!ok) return;
  FUZZ_CHECK(d.rows() == (name == "seed002" ? 4 : n));
  FUZZ_CHECK(d.y.shape(0) == d.rows());
  FUZZ_CHECK(d.inputs() >= 1 && d.outputs() >= 1);
  FUZZ_CHECK(all_finite(d.x.data(), d.x.size()) && all_finite(d.y.data(), d.y.size()));
  FUZZ_CHECK(accepts([&] { gradlab::validate(d); }));

  // Same arguments, same numbers (the wasm build relies on this).
  const gradlab::Dataset again = gradlab::make_dataset(name, n, seed, noise);
  FUZZ_CHECK(again.x == d.x && again.y == d.y);
}

/// What validate() accepts for a value: finite with magnitude at most kMaxAbsValue.
bool all_acceptable(const double* v, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (!(std::fabs(v[k]) <= gradlab::kMaxAbsValue)) return false;
  return true;
}

void fuzz_from_points(FuzzedDataProvider& fdp) {
  const std::size_t inputs = any_size(fdp, 17);
  const std::size_t outputs = any_size(fdp, 17);
  // The harness allocates at most 64 rows x 16 columns; sizes beyond that are only passed on.
  const std::size_t in_cols = inputs >= 1 && inputs <= 16 ? inputs : 1;
  const std::size_t out_cols = outputs >= 1 && outputs <= 16 ? outputs : 1;
  const std::size_t rows = fdp.ConsumeIntegralInRange<std::size_t>(0, 64);
  // Occasionally a length that does not fit the shape.
  const std::size_t x_len = rows * in_cols + (fdp.ConsumeIntegralInRange<int>(0, 9) == 0 ? 1 : 0);
  const std::size_t y_len = rows * out_cols + (fdp.ConsumeIntegralInRange<int>(0, 9) == 0 ? 1 : 0);
  const bool wild = fdp.ConsumeBool();  // wild: any doubles, including NaN and infinities
  std::vector<double> x(x_len), y(y_len);
  for (double& v : x) v = wild ? any_double(fdp, -1e6, 1e6) : bounded_double(fdp, -100, 100);
  for (double& v : y) v = wild ? any_double(fdp, -1e6, 1e6) : bounded_double(fdp, -100, 100);

  const bool cols_ok = inputs >= 1 && inputs <= gradlab::kMaxColumns && outputs >= 1 &&
                       outputs <= gradlab::kMaxColumns;
  bool should_work = cols_ok && x.size() % inputs == 0;
  if (should_work) {
    const std::size_t r = x.size() / inputs;
    should_work = r >= 1 && r <= gradlab::kMaxRows && y.size() == r * outputs &&
                  all_acceptable(x.data(), x.size()) && all_acceptable(y.data(), y.size());
  }

  gradlab::Dataset d;
  const bool ok = accepts([&] { d = gradlab::from_points(x, y, inputs, outputs); });
  FUZZ_CHECK(ok == should_work);
  if (!ok) return;
  FUZZ_CHECK(d.inputs() == inputs && d.outputs() == outputs && d.rows() == x.size() / inputs);
  for (std::size_t k = 0; k < x.size(); ++k) FUZZ_CHECK(d.x.data()[k] == x[k]);
  for (std::size_t k = 0; k < y.size(); ++k) FUZZ_CHECK(d.y.data()[k] == y[k]);
}

// validate() on a hand-made Dataset whose two matrices may disagree.
void fuzz_validate(FuzzedDataProvider& fdp) {
  const std::size_t rx = fdp.ConsumeIntegralInRange<std::size_t>(0, 8);
  const std::size_t ry = fdp.ConsumeBool() ? rx : fdp.ConsumeIntegralInRange<std::size_t>(0, 8);
  const std::size_t cx = fdp.ConsumeIntegralInRange<std::size_t>(0, 4);
  const std::size_t cy = fdp.ConsumeIntegralInRange<std::size_t>(0, 4);
  gradlab::Dataset d;
  d.x = gradlab::Matrix::from_shape({rx, cx});
  d.y = gradlab::Matrix::from_shape({ry, cy});
  for (double& v : d.x) v = any_double(fdp, -10, 10);
  for (double& v : d.y) v = any_double(fdp, -10, 10);
  const bool should_work = rx == ry && rx >= 1 && cx >= 1 && cy >= 1 &&
                           all_acceptable(d.x.data(), d.x.size()) &&
                           all_acceptable(d.y.data(), d.y.size());
  FUZZ_CHECK(accepts([&] { gradlab::validate(d); }) == should_work);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
    case 0: fuzz_make_dataset(fdp); break;
    case 1: fuzz_from_points(fdp); break;
    default: fuzz_validate(fdp); break;
  }
  return 0;
}
