#include "gradlab/data.hpp"

#include <algorithm>
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/random.hpp"

namespace gradlab {

namespace {

constexpr double kPi = 3.141592653589793;

void check_generator_args(std::size_t n, double noise) {
  require_range(n >= 1 && n <= kMaxRows,
                "number of points must be between 1 and " + std::to_string(kMaxRows) + " (got " +
                    std::to_string(n) + ")");
  require_range(std::isfinite(noise) && noise >= 0.0 && noise <= kMaxNoise,
                "noise must be finite and between 0 and " + std::to_string(int(kMaxNoise)));
}

Dataset empty(std::size_t rows, std::size_t inputs, std::size_t outputs) {
  Dataset d;
  d.x = Matrix({rows, inputs}, 0.0);
  d.y = Matrix({rows, outputs}, 0.0);
  return d;
}

/// One feature -> one target on a straight line with Gaussian noise, clamped to [lo, hi].
Dataset noisy_line(std::size_t n, std::uint64_t seed, double noise, double x_min, double x_max,
                   double weight, double bias, double lo, double hi) {
  Rng rng(seed);
  Dataset d = empty(n, 1, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = rng.uniform(x_min, x_max);
    const double y = weight * x + bias + noise * rng.normal();
    d.x(i, 0) = x;
    d.y(i, 0) = std::clamp(y, lo, hi);
  }
  return d;
}

/// Shared tail of the 2-D classifiers: store a point with Gaussian jitter and its label.
void put_point(Dataset& d, std::size_t i, double x1, double x2, double label, Rng& rng,
               double noise) {
  d.x(i, 0) = x1 + noise * rng.normal();
  d.x(i, 1) = x2 + noise * rng.normal();
  d.y(i, 0) = label;
}

/// Row i's label: classes alternate so every dataset is balanced.
double label_of(std::size_t i) { return static_cast<double>(i % 2); }

/// Throws input_error (range_error when range) with the message a + x + b + y + c, the numbers
/// in decimal. Out of line: validate and from_points run on every setData (a widget's data
/// slider), so they build a message only when a check fails, and one call per check keeps
/// that small.
[[noreturn]] void fail(bool range, const char* a, std::size_t x, const char* b = "",
                       std::size_t y = 0, const char* c = nullptr) {
  std::string message = a + std::to_string(x) + b;
  if (c != nullptr) message += std::to_string(y) + c;
  if (range) throw range_error(message);
  throw input_error(message);
}

/// Index of the first value in v[0..n) that is not finite or exceeds kMaxAbsValue (n if none).
std::size_t first_bad(const double* v, std::size_t n) {
  std::size_t k = 0;
  while (k < n && std::fabs(v[k]) <= kMaxAbsValue) ++k;  // also stops at NaN
  return k;
}

}  // namespace

void validate(const Dataset& data) {
  const std::size_t rows = data.x.shape(0);
  const std::size_t inputs = data.inputs(), outputs = data.outputs();
  if (data.y.shape(0) != rows)
    fail(false, "inputs have ", rows, " rows but targets have ", data.y.shape(0), "");
  if (rows < 1 || rows > kMaxRows)
    fail(true, "a dataset needs between 1 and ", kMaxRows, " rows (got ", rows, ")");
  if (inputs < 1 || inputs > kMaxColumns)
    fail(true, "a dataset needs between 1 and ", kMaxColumns, " inputs");
  if (outputs < 1 || outputs > kMaxColumns)
    fail(true, "a dataset needs between 1 and ", kMaxColumns, " outputs");
  // The first bad row, its input before its target, as a reader scans the table.
  const std::size_t bx = first_bad(data.x.data(), rows * inputs);
  const std::size_t by = first_bad(data.y.data(), rows * outputs);
  const bool input = bx / inputs < rows && bx / inputs <= by / outputs;
  if (!input && by / outputs >= rows) return;
  const std::size_t k = input ? bx : by, cols = input ? inputs : outputs;
  fail(true, input ? "input " : "target ", k % cols + 1, " of row ", k / cols + 1,
       " is not a finite number of magnitude <= 1e100");
}

Dataset from_points(const std::vector<double>& x, const std::vector<double>& y,
                    std::size_t inputs, std::size_t outputs) {
  if (inputs < 1 || inputs > kMaxColumns)
    fail(true, "inputs per row must be between 1 and ", kMaxColumns);
  if (outputs < 1 || outputs > kMaxColumns)
    fail(true, "outputs per row must be between 1 and ", kMaxColumns);
  if (x.size() % inputs != 0)
    fail(false, "got ", x.size(), " input numbers, which is not a whole number of rows of ",
         inputs, "");
  const std::size_t rows = x.size() / inputs;
  if (rows < 1 || rows > kMaxRows)
    fail(true, "a dataset needs between 1 and ", kMaxRows, " rows (got ", rows, ")");
  if (y.size() != rows * outputs)
    fail(false, "inputs describe ", rows,
         (" rows, so " + std::to_string(rows * outputs) + " target numbers were expected (got ")
             .c_str(),
         y.size(), ")");
  Dataset d = empty(rows, inputs, outputs);
  std::copy(x.begin(), x.end(), d.x.begin());
  std::copy(y.begin(), y.end(), d.y.begin());
  validate(d);
  return d;
}

Dataset exam_scores(std::size_t n, std::uint64_t seed, double noise) {
  check_generator_args(n, noise);
  return noisy_line(n, seed, noise, 1.0, 9.0, 5.0, 50.0, 0.0, 100.0);
}

Dataset recipe(std::size_t n, std::uint64_t seed, double noise) {
  check_generator_args(n, noise);
  return noisy_line(n, seed, noise, 20.0, 80.0, 0.1, 1.0, 0.0, 10.0);
}

Dataset seed002() {
  return from_points({1, 1, 1, 2, 2, 2, 2, 3}, {1, 2, 2, 3}, 2, 1);
}

Dataset xor_data(std::size_t n, std::uint64_t seed, double noise) {
  check_generator_args(n, noise);
  Rng rng(seed);
  Dataset d = empty(n, 2, 1);
  constexpr double kGap = 0.3;  // keeps points off the axes, where the label would be ambiguous
  for (std::size_t i = 0; i < n; ++i) {
    const double label = label_of(i);
    // Pick a quadrant consistent with the label, then a point inside it.
    const bool x1_positive = rng.uniform() < 0.5;
    const bool x2_positive = (label == 1.0) ? !x1_positive : x1_positive;
    const double x1 = rng.uniform(kGap, 6.0) * (x1_positive ? 1.0 : -1.0);
    const double x2 = rng.uniform(kGap, 6.0) * (x2_positive ? 1.0 : -1.0);
    put_point(d, i, x1, x2, label, rng, noise);
  }
  return d;
}

Dataset circle(std::size_t n, std::uint64_t seed, double noise) {
  check_generator_args(n, noise);
  Rng rng(seed);
  Dataset d = empty(n, 2, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double label = label_of(i);
    const double radius = label == 1.0 ? rng.uniform(0.0, 2.5) : rng.uniform(3.5, 6.0);
    const double angle = rng.uniform(0.0, 2.0 * kPi);
    put_point(d, i, radius * std::cos(angle), radius * std::sin(angle), label, rng, noise);
  }
  return d;
}

Dataset spirals(std::size_t n, std::uint64_t seed, double noise) {
  check_generator_args(n, noise);
  Rng rng(seed);
  Dataset d = empty(n, 2, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double label = label_of(i);
    const double t = rng.uniform();
    const double radius = 6.0 * t;
    const double angle = 3.5 * kPi * t + label * kPi;
    put_point(d, i, radius * std::cos(angle), radius * std::sin(angle), label, rng, noise);
  }
  return d;
}

Dataset blobs(std::size_t n, std::uint64_t seed, double noise) {
  check_generator_args(n, noise);
  Rng rng(seed);
  Dataset d = empty(n, 2, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double label = label_of(i);
    const double centre = label == 1.0 ? 2.0 : -2.0;
    // NOTE: two statements, because the order in which function arguments are evaluated is
    // unspecified (GCC and clang differ), and the draws must come out in the same order
    // natively and in WebAssembly.
    const double x1 = centre + rng.normal();
    const double x2 = centre + rng.normal();
    put_point(d, i, x1, x2, label, rng, noise);
  }
  return d;
}

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names{"exam-scores", "recipe", "seed002", "xor",
                                              "circle",      "spirals", "blobs"};
  return names;
}

Dataset make_dataset(const std::string& name, std::size_t n, std::uint64_t seed, double noise) {
  const auto& names = dataset_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string list;
    for (const auto& known : names) list += (list.empty() ? "" : ", ") + known;
    throw input_error("unknown dataset \"" + name + "\" (expected one of: " + list + ")");
  }
  check_generator_args(n, noise);
  if (name == "exam-scores") return exam_scores(n, seed, noise);
  if (name == "recipe") return recipe(n, seed, noise);
  if (name == "xor") return xor_data(n, seed, noise);
  if (name == "circle") return circle(n, seed, noise);
  if (name == "spirals") return spirals(n, seed, noise);
  if (name == "blobs") return blobs(n, seed, noise);
  return seed002();
}

}  // namespace gradlab
