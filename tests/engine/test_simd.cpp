// The SIMD elementary functions of engine/src/simd.hpp against the C library, which is exact to
// about one ulp: exp over its whole used range (x <= 0), tanh and sigmoid across the
// region near 0 where 1 - exp(-2z) would cancel, and saturation.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../../engine/src/simd.hpp"

namespace {

using gradlab::simd::f64x2;
using gradlab::simd::splat;

/// Largest relative error of f against ref over the points lo + k (hi - lo) / n, two at a time.
template <class F, class R>
double max_relative_error(F f, R ref, double lo, double hi, int n) {
  double worst = 0.0;
  for (int k = 0; k < n; k += 2) {
    const double a = lo + (hi - lo) * k / n, b = lo + (hi - lo) * (k + 1) / n;
    const f64x2 v = f(f64x2{a, b});
    const double xs[2] = {a, b};
    for (int lane = 0; lane < 2; ++lane) {
      const double want = ref(xs[lane]);
      const double err = want == 0.0 ? std::fabs(v[lane]) : std::fabs(v[lane] - want) / std::fabs(want);
      worst = std::max(worst, err);
    }
  }
  return worst;
}

constexpr double kUlp = std::numeric_limits<double>::epsilon();

TEST(Simd, ExpMatchesTheLibraryOnNonPositiveInputs) {
  auto f = [](f64x2 x) { return gradlab::simd::exp_nonpositive(x); };
  auto ref = [](double x) { return std::exp(x); };
  EXPECT_LT(max_relative_error(f, ref, -700.0, 0.0, 200001), 4 * kUlp);
  EXPECT_LT(max_relative_error(f, ref, -1.0, 0.0, 100001), 4 * kUlp);
  // exp(0) = 1 and exp(-ln 2) = 1/2 exactly (to rounding).
  EXPECT_DOUBLE_EQ(gradlab::simd::exp_nonpositive(splat(0.0))[0], 1.0);
  EXPECT_NEAR(gradlab::simd::exp_nonpositive(splat(-std::log(2.0)))[0], 0.5, 2 * kUlp);
  // Far below the clamp: tiny and finite, never NaN or negative.
  const double tiny = gradlab::simd::exp_nonpositive(splat(-1e6))[0];
  EXPECT_TRUE(tiny >= 0.0 && tiny < 1e-300);
  EXPECT_EQ(gradlab::simd::exp_nonpositive(splat(-std::numeric_limits<double>::infinity()))[0] < 1e-300, true);
}

TEST(Simd, TanhMatchesTheLibrary) {
  auto f = [](f64x2 z) { return gradlab::simd::tanh(z); };
  auto ref = [](double z) { return std::tanh(z); };
  EXPECT_LT(max_relative_error(f, ref, -0.02, 0.02, 40001), 4 * kUlp);  // near 0, where 1 - e cancels
  EXPECT_LT(max_relative_error(f, ref, -5.0, 5.0, 100001), 8 * kUlp);
  EXPECT_EQ(gradlab::simd::tanh(splat(40.0))[0], 1.0);
  EXPECT_EQ(gradlab::simd::tanh(splat(-1000.0))[0], -1.0);
  EXPECT_EQ(gradlab::simd::tanh(splat(0.0))[0], 0.0);
  // Odd: tanh(-z) = -tanh(z) exactly.
  for (double z : {0.005, 0.3, 1.7, 9.0})
    EXPECT_EQ(gradlab::simd::tanh(splat(-z))[0], -gradlab::simd::tanh(splat(z))[0]);
}

TEST(Simd, SigmoidMatchesTheClosedForm) {
  auto f = [](f64x2 z) { return gradlab::simd::sigmoid(z); };
  auto ref = [](double z) { return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z)); };
  EXPECT_LT(max_relative_error(f, ref, -30.0, 30.0, 100001), 6 * kUlp);
  EXPECT_EQ(gradlab::simd::sigmoid(splat(0.0))[0], 0.5);
  // sigmoid(z) + sigmoid(-z) = 1.
  for (double z : {0.1, 2.0, 7.5})
    EXPECT_NEAR(gradlab::simd::sigmoid(splat(z))[0] + gradlab::simd::sigmoid(splat(-z))[0], 1.0, 4 * kUlp);
  // Saturates without overflow or NaN.
  EXPECT_EQ(gradlab::simd::sigmoid(splat(1e308))[0], 1.0);
  EXPECT_GE(gradlab::simd::sigmoid(splat(-1e308))[0], 0.0);
}

}  // namespace
