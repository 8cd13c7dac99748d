// Losses against hand-derived numbers (seed 004) and central finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/loss.hpp"

using namespace gradlab;

TEST(Loss, MseOfTheSeedExampleIsTenHundredths) {
  // ((2.5-3)^2 + (3.1-3)^2 + (4.8-5)^2) / 3 = (0.25 + 0.01 + 0.04) / 3 = 0.10
  const std::vector<double> p{2.5, 3.1, 4.8}, t{3.0, 3.0, 5.0};
  EXPECT_NEAR(loss::mse(p.data(), t.data(), 3), 0.10, 1e-12);
}

TEST(Loss, CrossEntropyOfOneClassMatchesMinusLog) {
  // One row, two classes, logits chosen so softmax gives 0.8 to the true class: z = (log 4, 0).
  const std::vector<double> z{std::log(4.0), 0.0}, t{1.0, 0.0};
  EXPECT_NEAR(loss::softmax_ce(z.data(), t.data(), 1, 2), -std::log(0.8), 1e-12);
  // BCE with a logit whose sigmoid is 0.1: z = log(0.1/0.9).
  const std::vector<double> z1{std::log(0.1 / 0.9)}, t1{1.0};
  EXPECT_NEAR(loss::bce_logits(z1.data(), t1.data(), 1), -std::log(0.1), 1e-12);
}

TEST(Loss, BceFromLogitsStaysFiniteForHugeLogits) {
  const std::vector<double> z{-1000.0, 1000.0}, t{1.0, 0.0};
  std::vector<double> g(2);
  const double l = loss::bce_logits(z.data(), t.data(), 2, g.data());
  EXPECT_NEAR(l, 1000.0, 1e-9);  // each term is 1000, mean 1000
  EXPECT_NEAR(g[0], -0.5, 1e-12);
  EXPECT_NEAR(g[1], 0.5, 1e-12);
}

TEST(Loss, BceFromLogitsOfAnInfiniteLogitIsInfiniteOrZeroNeverNaN) {
  // A logistic model whose weights grew past ~1e306 gives logits of ±inf. The loss of such a
  // term is the limit: +inf unless the target sits exactly on the side the logit points to
  // (then 0); the gradient is the sigmoid's limit minus the target. (A fuzz finding: NaN.)
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> z{inf, inf, -inf, -inf}, t{1.0, 0.9, 0.0, 0.3};
  std::vector<double> g(4);
  for (std::size_t i = 0; i < 4; ++i) {
    const double l = loss::bce_logits(&z[i], &t[i], 1, &g[i]);
    EXPECT_EQ(l, (i == 0 || i == 2) ? 0.0 : inf) << "term " << i;
  }
  EXPECT_DOUBLE_EQ(g[0], 0.0);
  EXPECT_DOUBLE_EQ(g[1], 1.0 - 0.9);
  EXPECT_DOUBLE_EQ(g[2], 0.0);
  EXPECT_DOUBLE_EQ(g[3], -0.3);
  EXPECT_EQ(loss::bce_logits(z.data(), t.data(), 4), inf);
}

TEST(Loss, EveryGradientMatchesCentralDifferences) {
  const std::vector<double> p{0.3, -1.7, 2.2, 0.05, -0.4, 1.1};
  const std::vector<double> t{0.0, 1.0, 1.0, 0.0, 0.5, 0.2};  // also valid probabilities
  for (auto kind : {loss::Kind::mse, loss::Kind::half_mse, loss::Kind::mae, loss::Kind::huber,
                    loss::Kind::bce_logits, loss::Kind::softmax_ce}) {
    const std::size_t rows = 3, cols = 2;
    std::vector<double> tt = t;
    if (kind == loss::Kind::softmax_ce) tt = {0.0, 1.0, 1.0, 0.0, 0.3, 0.7};
    std::vector<double> g(p.size());
    loss::evaluate(kind, p.data(), tt.data(), rows, cols, g.data(), 1.0);
    const double h = 1e-6;
    for (std::size_t i = 0; i < p.size(); ++i) {
      auto plus = p, minus = p;
      plus[i] += h;
      minus[i] -= h;
      const double numeric = (loss::evaluate(kind, plus.data(), tt.data(), rows, cols) -
                              loss::evaluate(kind, minus.data(), tt.data(), rows, cols)) /
                             (2 * h);
      EXPECT_NEAR(g[i], numeric, 1e-7) << loss::name(kind) << " element " << i;
    }
  }
}

TEST(Loss, UnknownNameIsAnInputError) {
  EXPECT_THROW(loss::parse("hinge"), std::invalid_argument);
}

// Regressions found by tests/fuzz (fuzz_loss).
TEST(Loss, BceRefusesTargetsOutsideZeroOne) {
  const std::vector<double> z{1.0}, t{2.0};
  EXPECT_THROW(loss::bce_logits(z.data(), t.data(), 1), gradlab::range_error);
}

TEST(Loss, SoftmaxCrossEntropyStaysFiniteForExtremeLogits) {
  // Class 0 gets all the probability: the loss is exactly 0 and the gradient is (0, 0).
  const std::vector<double> z{1.7976931348623157e308, -1.7976931348623157e308}, t{1.0, 0.0};
  std::vector<double> g(2);
  EXPECT_EQ(loss::softmax_ce(z.data(), t.data(), 1, 2, g.data()), 0.0);
  EXPECT_EQ(g[0], 0.0);
  EXPECT_EQ(g[1], 0.0);
}
