// Datasets: the examples a model learns from. Each is a table of inputs x (one row per example)
// and targets y (one row per example, same order).
//
// May contain: the Dataset type, its validation, and the small synthetic generators the lessons
// use (the exam-score and gulab-jamun stories, seed 002's four points, and TensorFlow
// Playground-style 2-D classification sets).
// May not contain: models or losses (nn.hpp, loss.hpp).
//
// Every generator is deterministic: the same (n, seed, noise) gives the same numbers natively and
// in WebAssembly, because all randomness comes from gradlab::Rng.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// The largest number of examples (rows) a dataset may hold.
constexpr std::size_t kMaxRows = 10000;

/// The largest number of input or output columns a dataset may have.
constexpr std::size_t kMaxColumns = 256;

/// The largest noise level the generators accept.
constexpr double kMaxNoise = 100.0;

/// Largest magnitude accepted for any data value. Squares and sums of values this size stay
/// far from overflow, so losses and gradients of valid data are always finite.
constexpr double kMaxAbsValue = 1e100;

/// Inputs and targets, one example per row.
struct Dataset {
  Matrix x;  ///< rows x inputs
  Matrix y;  ///< rows x outputs (for classification: one column of 0/1 labels)

  std::size_t rows() const { return x.shape(0); }
  std::size_t inputs() const { return x.shape(1); }
  std::size_t outputs() const { return y.shape(1); }
};

/// Checks that a dataset is usable for training: x and y have the same number of rows,
/// 1..kMaxRows rows, 1..kMaxColumns columns each, and every number is finite with magnitude
/// at most kMaxAbsValue.
/// Throws input_error (shapes) or range_error (sizes, non-finite values; the message names the
/// 1-based row).
void validate(const Dataset& data);

/// Builds a dataset from flat row-major arrays: x holds rows * inputs numbers, y holds
/// rows * outputs numbers. Validated as validate() does, plus: inputs and outputs in
/// 1..kMaxColumns, x.size() a multiple of inputs, y.size() == rows * outputs.
Dataset from_points(const std::vector<double>& x, const std::vector<double>& y,
                    std::size_t inputs, std::size_t outputs);

// ---------------------------------------------------------------------------------------------
// Generators. n is the number of examples; noise is documented per generator (always >= 0).

/// Exam scores (seed 000): hours studied, uniform in [1, 9], and
///   score = 5 * hours + 50 + noise * N(0, 1), clamped to [0, 100].
/// So Weight = 5 and Bias = 50 are the true line; noise is the spread in score points
/// (5 is a sensible classroom value). Hours stop at 9 so clamping rarely bends the line.
Dataset exam_scores(std::size_t n, std::uint64_t seed, double noise);

/// The gulab-jamun recipe (seed 000): grams of sugar in the syrup, uniform in [20, 80], and
///   sweetness = 0.1 * sugar + 1 + noise * N(0, 1), clamped to [0, 10]
/// (a 0-10 tasting rating). noise is the spread in rating points (0.5 is sensible).
Dataset recipe(std::size_t n, std::uint64_t seed, double noise);

/// Seed 002's four points, exactly: X = [[1,1],[1,2],[2,2],[2,3]], y = [1,2,2,3].
/// (Fit without a bias: y = X w has the exact solution w = (0, 1).)
Dataset seed002();

// 2-D classification sets in the style of TensorFlow Playground. Points lie in about
// [-6, 6] x [-6, 6]; the label (one column) is 0 or 1; the classes alternate row by row, so any
// n gives balanced classes. noise is the standard deviation of Gaussian jitter added to each
// coordinate after the label is chosen (so noise mixes the classes near the border; 0 to 1 is
// a useful range).

/// Exclusive or: x1, x2 uniform in [-6, 6], kept 0.3 away from the axes; label 1 when the signs
/// differ (x1 > 0 XOR x2 > 0), 0 when they agree.
Dataset xor_data(std::size_t n, std::uint64_t seed, double noise);

/// A disc inside a ring: label 1 for points at radius uniform in [0, 2.5] from the origin,
/// label 0 for points at radius uniform in [3.5, 6]; angles uniform.
Dataset circle(std::size_t n, std::uint64_t seed, double noise);

/// Two interleaved spirals: arm k (label k) at t uniform in [0, 1] has radius 6 t and angle
/// 3.5 pi t + k pi, so each arm winds 1.75 times round the origin.
Dataset spirals(std::size_t n, std::uint64_t seed, double noise);

/// Two Gaussian blobs of standard deviation 1: label 1 around (2, 2), label 0 around (-2, -2).
Dataset blobs(std::size_t n, std::uint64_t seed, double noise);

/// The names make_dataset accepts: "exam-scores", "recipe", "seed002", "xor", "circle",
/// "spirals", "blobs".
const std::vector<std::string>& dataset_names();

/// Generates the named dataset. n must be in [1, kMaxRows] and noise finite and in
/// [0, kMaxNoise] (range_error otherwise); an unknown name is an input_error listing the names.
/// "seed002" checks but ignores n, seed and noise: it always returns its four points.
Dataset make_dataset(const std::string& name, std::size_t n, std::uint64_t seed, double noise);

}  // namespace gradlab
