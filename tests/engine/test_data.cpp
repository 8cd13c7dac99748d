// Datasets: ranges, determinism, the seeds' exact numbers, and readable validation errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/error.hpp"

using namespace gradlab;

namespace {

bool same(const Dataset& a, const Dataset& b) {
  if (a.rows() != b.rows() || a.inputs() != b.inputs() || a.outputs() != b.outputs()) return false;
  for (std::size_t k = 0; k < a.x.size(); ++k)
    if (a.x.data()[k] != b.x.data()[k]) return false;
  for (std::size_t k = 0; k < a.y.size(); ++k)
    if (a.y.data()[k] != b.y.data()[k]) return false;
  return true;
}

/// Closed-form least squares for y = w x + b: w = cov(x, y) / var(x), b = mean y - w mean x.
void fit_line(const Dataset& d, double& w, double& b) {
  const double n = static_cast<double>(d.rows());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < d.rows(); ++i) mx += d.x(i, 0), my += d.y(i, 0);
  mx /= n, my /= n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < d.rows(); ++i) {
    sxy += (d.x(i, 0) - mx) * (d.y(i, 0) - my);
    sxx += (d.x(i, 0) - mx) * (d.x(i, 0) - mx);
  }
  w = sxy / sxx;
  b = my - w * mx;
}

template <class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Data, ExamScoresStayInRangeAndRepeatWithTheSeed) {
  const Dataset d = exam_scores(500, 7, 5.0);
  ASSERT_EQ(d.rows(), 500u);
  ASSERT_EQ(d.inputs(), 1u);
  ASSERT_EQ(d.outputs(), 1u);
  for (std::size_t i = 0; i < d.rows(); ++i) {
    EXPECT_GE(d.x(i, 0), 1.0);
    EXPECT_LE(d.x(i, 0), 9.0);
    EXPECT_GE(d.y(i, 0), 0.0);
    EXPECT_LE(d.y(i, 0), 100.0);
  }
  EXPECT_TRUE(same(d, exam_scores(500, 7, 5.0)));
  EXPECT_FALSE(same(d, exam_scores(500, 8, 5.0)));
}

TEST(Data, ExamScoresLeastSquaresRecoversWeightFiveBiasFifty) {
  double w = 0, b = 0;
  fit_line(exam_scores(5000, 3, 5.0), w, b);
  EXPECT_NEAR(w, 5.0, 0.15);
  EXPECT_NEAR(b, 50.0, 0.8);
  // Without noise every point lies on the line.
  const Dataset exact = exam_scores(20, 3, 0.0);
  for (std::size_t i = 0; i < exact.rows(); ++i)
    EXPECT_NEAR(exact.y(i, 0), 5.0 * exact.x(i, 0) + 50.0, 1e-12);
}

TEST(Data, RecipeIsSugarToSweetness) {
  const Dataset d = recipe(300, 2, 0.0);
  for (std::size_t i = 0; i < d.rows(); ++i) {
    EXPECT_GE(d.x(i, 0), 20.0);
    EXPECT_LE(d.x(i, 0), 80.0);
    EXPECT_NEAR(d.y(i, 0), 0.1 * d.x(i, 0) + 1.0, 1e-12);
  }
  const Dataset noisy = recipe(300, 2, 3.0);
  for (std::size_t i = 0; i < noisy.rows(); ++i) {
    EXPECT_GE(noisy.y(i, 0), 0.0);
    EXPECT_LE(noisy.y(i, 0), 10.0);
  }
}

TEST(Data, Seed002IsExactlyTheFourPoints) {
  const Dataset d = seed002();
  ASSERT_EQ(d.rows(), 4u);
  ASSERT_EQ(d.inputs(), 2u);
  const double x[4][2] = {{1, 1}, {1, 2}, {2, 2}, {2, 3}};
  const double y[4] = {1, 2, 2, 3};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(d.x(i, 0), x[i][0]);
    EXPECT_EQ(d.x(i, 1), x[i][1]);
    EXPECT_EQ(d.y(i, 0), y[i]);
  }
  EXPECT_TRUE(same(make_dataset("seed002", 50, 9, 1.0), d));
}

TEST(Data, ClassificationSetsHaveBalancedZeroOneLabels) {
  for (const char* name : {"xor", "circle", "spirals", "blobs"}) {
    const Dataset d = make_dataset(name, 201, 5, 0.2);
    ASSERT_EQ(d.rows(), 201u) << name;
    ASSERT_EQ(d.inputs(), 2u) << name;
    ASSERT_EQ(d.outputs(), 1u) << name;
    int ones = 0;
    for (std::size_t i = 0; i < d.rows(); ++i) {
      const double label = d.y(i, 0);
      EXPECT_TRUE(label == 0.0 || label == 1.0) << name;
      ones += label == 1.0;
    }
    EXPECT_EQ(ones, 100) << name;
    EXPECT_TRUE(same(d, make_dataset(name, 201, 5, 0.2))) << name;
  }
}

TEST(Data, NoiselessClassificationFollowsItsRule) {
  const Dataset x = xor_data(400, 1, 0.0);
  for (std::size_t i = 0; i < x.rows(); ++i) {
    EXPECT_EQ(x.y(i, 0), (x.x(i, 0) > 0) != (x.x(i, 1) > 0) ? 1.0 : 0.0);
    EXPECT_GE(std::fabs(x.x(i, 0)), 0.3);
    EXPECT_LE(std::fabs(x.x(i, 0)), 6.0);
  }
  const Dataset c = circle(400, 1, 0.0);
  for (std::size_t i = 0; i < c.rows(); ++i) {
    const double r = std::hypot(c.x(i, 0), c.x(i, 1));
    if (c.y(i, 0) == 1.0) EXPECT_LE(r, 2.5 + 1e-12);
    else EXPECT_TRUE(r >= 3.5 - 1e-12 && r <= 6.0 + 1e-12);
  }
  const Dataset s = spirals(400, 1, 0.0);
  for (std::size_t i = 0; i < s.rows(); ++i) EXPECT_LE(std::hypot(s.x(i, 0), s.x(i, 1)), 6.0 + 1e-12);
  const Dataset b = blobs(4000, 1, 0.0);
  double sum1 = 0, sum0 = 0;
  for (std::size_t i = 0; i < b.rows(); ++i) (b.y(i, 0) == 1.0 ? sum1 : sum0) += b.x(i, 0);
  EXPECT_NEAR(sum1 / 2000, 2.0, 0.1);
  EXPECT_NEAR(sum0 / 2000, -2.0, 0.1);
}

TEST(Data, MakeDatasetChecksItsArguments) {
  EXPECT_THROW(make_dataset("xor", 0, 1, 0.1), range_error);
  EXPECT_THROW(make_dataset("xor", kMaxRows + 1, 1, 0.1), range_error);
  EXPECT_NO_THROW(make_dataset("xor", kMaxRows, 1, 0.1));
  EXPECT_THROW(make_dataset("circle", 10, 1, -1.0), range_error);
  EXPECT_THROW(make_dataset("circle", 10, 1, std::nan("")), range_error);
  EXPECT_THROW(make_dataset("moons", 10, 1, 0.1), input_error);
  const std::string message = error_message([] { make_dataset("moons", 10, 1, 0.1); });
  for (const auto& name : dataset_names()) EXPECT_NE(message.find(name), std::string::npos);
}

TEST(Data, FromPointsBuildsRowMajorTables) {
  const Dataset d = from_points({1, 2, 3, 4, 5, 6}, {7, 8, 9}, 2, 1);
  ASSERT_EQ(d.rows(), 3u);
  EXPECT_EQ(d.x(2, 1), 6.0);
  EXPECT_EQ(d.y(1, 0), 8.0);
}

TEST(Data, FromPointsNamesTheBadRow) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(from_points({1, 2, nan, 4}, {1, 2, 3, 4}, 1, 1), range_error);
  const std::string m = error_message([&] { from_points({1, 2, nan, 4}, {1, 2, 3, 4}, 1, 1); });
  EXPECT_NE(m.find("row 3"), std::string::npos) << m;
  const std::string m2 = error_message(
      [&] { from_points({1, 2, 3, 4}, {1, std::numeric_limits<double>::infinity(), 3, 4}, 1, 1); });
  EXPECT_NE(m2.find("row 2"), std::string::npos) << m2;
}

TEST(Data, FromPointsRejectsInconsistentSizesAndTooManyRows) {
  EXPECT_THROW(from_points({1, 2, 3}, {1}, 2, 1), input_error);     // 3 numbers, rows of 2
  EXPECT_THROW(from_points({1, 2, 3, 4}, {1}, 2, 1), input_error);  // 2 rows, 1 target
  EXPECT_THROW(from_points({}, {}, 1, 1), range_error);             // no rows
  EXPECT_THROW(from_points({1}, {1}, 0, 1), range_error);
  const std::vector<double> many(kMaxRows + 1, 1.0);
  EXPECT_THROW(from_points(many, many, 1, 1), range_error);
  const std::vector<double> most(kMaxRows, 1.0);
  EXPECT_NO_THROW(from_points(most, most, 1, 1));
}
