// Loss landscapes: orientation, agreement with evaluate, the linear fast path against the
// general path, infinities and validation.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/error.hpp"
#include "gradlab/landscape.hpp"
#include "gradlab/nn.hpp"

using namespace gradlab;

namespace {

/// f(x) = x0 + 10 x1 + 100 x2: each cell shows which parameter moved where.
class Plane : public Objective {
 public:
  Plane() { m_params = {0.0, 0.0, 7.0}; }
  double evaluate_at(const double* x, double*) override { return x[0] + 10 * x[1] + 100 * x[2]; }
};

/// Hides a model's type so loss_grid must take its general path.
class Wrapped : public Objective {
 public:
  explicit Wrapped(Objective& inner) : m_inner(inner) { m_params = inner.parameters(); }
  double evaluate_at(const double* x, double* g) override { return m_inner.evaluate_at(x, g); }

 private:
  Objective& m_inner;
};

}  // namespace

TEST(Landscape, ColumnsWalkParameterIRowsWalkParameterJ) {
  Plane f;
  const auto grid = loss_grid(f, 0, 1, 0.0, 4.0, -1.0, 1.0, 5, 3);
  ASSERT_EQ(grid.size(), 15u);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 5; ++c)
      EXPECT_DOUBLE_EQ(grid[r * 5 + c], double(c) + 10 * (-1.0 + double(r)) + 700);
  // Swapping i and j transposes the roles.
  const auto swapped = loss_grid(f, 1, 0, 0.0, 4.0, -1.0, 1.0, 5, 3);
  EXPECT_DOUBLE_EQ(swapped[2 * 5 + 4], 10 * 4.0 + 1.0 + 700);
  EXPECT_EQ(f.parameters(), (std::vector<double>{0.0, 0.0, 7.0}));
}

TEST(Landscape, CellsEqualEvaluateAtThatPoint) {
  MLP model({2, 5, 1}, {"tanh", "sigmoid"}, loss::Kind::bce_logits, 3);
  model.set_data(xor_data(120, 2, 0.1));
  const std::vector<double> before = model.parameters();
  const std::size_t i = 3, j = 12, nx = 7, ny = 6;
  const auto grid = loss_grid(model, i, j, -2.0, 1.0, -0.5, 3.0, nx, ny);
  EXPECT_EQ(model.parameters(), before);
  for (std::size_t r : {0u, 2u, 5u})
    for (std::size_t c : {0u, 3u, 6u}) {
      std::vector<double> p = before;
      p[i] = -2.0 + 3.0 * double(c) / double(nx - 1);
      p[j] = -0.5 + 3.5 * double(r) / double(ny - 1);
      EXPECT_NEAR(grid[r * nx + c], model.evaluate_at(p.data(), nullptr), 1e-12);
    }
}

TEST(Landscape, LinearFastPathEqualsTheGeneralPath) {
  for (auto kind : {loss::Kind::mse, loss::Kind::half_mse}) {
    LinearRegression line(1, true, kind);
    line.set_data(exam_scores(64, 5, 5.0));
    Wrapped general(line);
    for (auto [i, j] : {std::pair<std::size_t, std::size_t>{0, 1}, {1, 0}}) {
      const auto fast = loss_grid(line, i, j, -3.0, 12.0, 20.0, 80.0, 31, 17);
      const auto slow = loss_grid(general, i, j, -3.0, 12.0, 20.0, 80.0, 31, 17);
      ASSERT_EQ(fast.size(), slow.size());
      for (std::size_t k = 0; k < fast.size(); ++k)
        EXPECT_NEAR(fast[k], slow[k], 1e-9 * std::max(1.0, slow[k]));
    }
    // Near the minimum, where cancellation would show.
    const auto fast = loss_grid(line, 0, 1, 4.9, 5.1, 49.0, 51.0, 5, 5);
    const auto slow = loss_grid(general, 0, 1, 4.9, 5.1, 49.0, 51.0, 5, 5);
    for (std::size_t k = 0; k < fast.size(); ++k) EXPECT_NEAR(fast[k], slow[k], 1e-10 * slow[k]);
  }
}

TEST(Landscape, ExplicitSumEqualsTheGeneralPathAndTheFastPath) {
  // Sizes that leave every tail of the 8-wide kernel (17 = 2 x 8 + 1, 13 = 8 + 4 + 1) and an
  // odd number of points.
  for (auto kind : {loss::Kind::mse, loss::Kind::half_mse}) {
    LinearRegression line(1, true, kind);
    line.set_data(exam_scores(63, 9, 5.0));
    Wrapped general(line);
    for (auto [i, j] : {std::pair<std::size_t, std::size_t>{0, 1}, {1, 0}}) {
      const auto sum = loss_grid(line, i, j, -3.0, 12.0, 20.0, 80.0, 17, 13, GridMethod::explicit_sum);
      const auto slow = loss_grid(general, i, j, -3.0, 12.0, 20.0, 80.0, 17, 13);
      const auto fast = loss_grid(line, i, j, -3.0, 12.0, 20.0, 80.0, 17, 13, GridMethod::fastest);
      ASSERT_EQ(sum.size(), slow.size());
      for (std::size_t k = 0; k < sum.size(); ++k) {
        EXPECT_NEAR(sum[k], slow[k], 1e-12 * std::max(1.0, slow[k])) << "cell " << k;
        EXPECT_NEAR(sum[k], fast[k], 1e-9 * std::max(1.0, slow[k])) << "cell " << k;
      }
    }
  }
  // By hand: points (0, 1) and (2, 3); at w = 1, b = 1 the residuals are 0 and 0; at w = 0,
  // b = 0 they are -1 and -3, so MSE = (1 + 9) / 2 = 5.
  LinearRegression line(1, true, loss::Kind::mse);
  line.set_data(from_points({0.0, 2.0}, {1.0, 3.0}, 1, 1));
  const auto grid = loss_grid(line, 0, 1, 0.0, 1.0, 0.0, 1.0, 2, 2, GridMethod::explicit_sum);
  EXPECT_DOUBLE_EQ(grid[0], 5.0);  // w = 0, b = 0
  EXPECT_DOUBLE_EQ(grid[3], 0.0);  // w = 1, b = 1
  EXPECT_EQ(parse_grid_method("sum"), GridMethod::explicit_sum);
  EXPECT_EQ(parse_grid_method("auto"), GridMethod::fastest);
  EXPECT_THROW(parse_grid_method("closed"), input_error);
}

TEST(Landscape, OverflowBecomesInfinityNeverNaN) {
  LinearRegression line(1);
  line.set_data(exam_scores(16, 1, 1.0));
  Wrapped general(line);
  for (Objective* f : {static_cast<Objective*>(&line), static_cast<Objective*>(&general)}) {
    const auto grid = loss_grid(*f, 0, 1, -1e300, 1e300, -1e300, 1e300, 3, 3);
    bool any_inf = false;
    for (double v : grid) {
      EXPECT_FALSE(std::isnan(v));
      EXPECT_GE(v, 0.0);
      any_inf = any_inf || std::isinf(v);
    }
    EXPECT_TRUE(any_inf);
  }
}

TEST(Landscape, RejectsBadGrids) {
  Plane f;
  EXPECT_THROW(loss_grid(f, 0, 0, 0, 1, 0, 1, 10, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 3, 0, 1, 0, 1, 10, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 1, 1, 1, 0, 1, 10, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 1, 0, 1, 2, 1, 10, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 1, std::nan(""), 1, 0, 1, 10, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 1, 0, INFINITY, 0, 1, 10, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 1, 0, 1, 0, 1, 1, 10), range_error);
  EXPECT_THROW(loss_grid(f, 0, 1, 0, 1, 0, 1, 10, kMaxGridSide + 1), range_error);
  EXPECT_NO_THROW(loss_grid(f, 0, 1, 0, 1, 0, 1, 2, kMaxGridSide));
  LinearRegression no_data(1);
  EXPECT_THROW(loss_grid(no_data, 0, 1, 0, 1, 0, 1, 3, 3), input_error);
}
