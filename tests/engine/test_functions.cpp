// Lesson functions: values at hand-computed points, gradients and Hessians against central
// finite differences, and minima checked by brute-force search on a grid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/functions.hpp"

using namespace gradlab;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Case {
  std::string name;
  std::map<std::string, double> params;
};

std::vector<Case> all_cases() {
  return {{"square", {}},
          {"recipe", {}},
          {"recipe", {{"ideal", 180}, {"scale", 20}}},
          {"recipe2", {}},
          {"recipe2", {{"interaction", -1.5}, {"time_scale", 10}}},
          {"bowl", {}},
          {"bowl", {{"condition", 25}, {"angle", 0.7}}},
          {"rosenbrock", {}},
          {"rosenbrock", {{"a", -0.5}, {"b", 5}}},
          {"saddle", {}},
          {"wells1d", {}},
          {"wells1d", {{"amplitude", 0.3}}},
          {"wells2d", {}},
          {"wells2d", {{"bowl", 0.2}}}};
}

/// Points spread over the function's view (a 4 x 4 grid inside it, or 7 points for 1-D).
std::vector<std::vector<double>> sample_points(const Function& f) {
  const ViewRange& v = f.view();
  std::vector<std::vector<double>> pts;
  for (int i = 1; i <= 7; ++i) {
    const double x = v.x_min + (v.x_max - v.x_min) * i / 8.3;
    if (f.dims() == 1) {
      pts.push_back({x});
    } else {
      for (int j = 1; j <= 4; ++j) pts.push_back({x, v.y_min + (v.y_max - v.y_min) * j / 5.3});
    }
  }
  pts.push_back(f.start());
  return pts;
}

/// The step for central differences: a millionth of the view's width.
double fd_step(const Function& f, std::size_t i) {
  const ViewRange& v = f.view();
  return 1e-5 * (i == 0 ? v.x_max - v.x_min : v.y_max - v.y_min);
}

}  // namespace

TEST(Functions, ValuesAtHandComputedPoints) {
  EXPECT_EQ(make_function("square")->value_at({3}), 9);
  // ((100 - 250) / 50)^2 = (-3)^2 = 9
  EXPECT_DOUBLE_EQ(make_function("recipe")->value_at({100}), 9);
  // u = (100-250)/50 = -3, v = (30-120)/30 = -3:  9 + 0.5 * 9 + 9 = 22.5
  EXPECT_DOUBLE_EQ(make_function("recipe2")->value_at({100, 30}), 22.5);
  // condition 10, angle 0: A = diag(1, 10);  1/2 (6.25 + 10 * 2.25) = 14.375
  EXPECT_DOUBLE_EQ(make_function("bowl")->value_at({-2.5, 1.5}), 14.375);
  // angle pi/2 swaps the axes: A = diag(4, 1) for condition 4, so f(1, 0) = 1/2 * 4 = 2
  EXPECT_NEAR(make_function("bowl", {{"condition", 4}, {"angle", kPi / 2}})->value_at({1, 0}), 2,
              1e-14);
  // (1 + 1.2)^2 + 100 (1 - 1.44)^2 = 4.84 + 19.36 = 24.2
  EXPECT_NEAR(make_function("rosenbrock")->value_at({-1.2, 1}), 24.2, 1e-12);
  EXPECT_EQ(make_function("saddle")->value_at({1, 2}), -3);
  // (pi/2)^2 / 10 + (1 - cos pi) = pi^2/40 + 2
  EXPECT_NEAR(make_function("wells1d")->value_at({kPi / 2}), kPi * kPi / 40 + 2, 1e-14);
  // Far from every well only the bowl is left: 0.05 * 18 = 0.9 (wells contribute < 1e-7).
  EXPECT_NEAR(make_function("wells2d")->value_at({3, 3}), 0.9, 1e-7);
}

TEST(Functions, GradientsMatchCentralDifferences) {
  for (const Case& c : all_cases()) {
    auto f = make_function(c.name, c.params);
    for (const auto& p : sample_points(*f)) {
      const std::vector<double> g = f->gradient_at(p);
      for (std::size_t i = 0; i < f->dims(); ++i) {
        const double h = fd_step(*f, i);
        auto plus = p, minus = p;
        plus[i] += h;
        minus[i] -= h;
        const double numeric = (f->value_at(plus) - f->value_at(minus)) / (2 * h);
        EXPECT_NEAR(g[i], numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
            << c.name << " d/dx" << i << " at (" << p[0] << (p.size() > 1 ? ", " : "")
            << (p.size() > 1 ? p[1] : 0.0) << ")";
      }
    }
  }
}

TEST(Functions, HessiansMatchCentralDifferencesOfTheGradient) {
  for (const Case& c : all_cases()) {
    auto f = make_function(c.name, c.params);
    const std::size_t n = f->dims();
    for (const auto& p : sample_points(*f)) {
      const std::vector<double> hess = f->hessian_at(p);
      for (std::size_t j = 0; j < n; ++j) {
        const double h = fd_step(*f, j);
        auto plus = p, minus = p;
        plus[j] += h;
        minus[j] -= h;
        const auto gp = f->gradient_at(plus), gm = f->gradient_at(minus);
        for (std::size_t i = 0; i < n; ++i) {
          const double numeric = (gp[i] - gm[i]) / (2 * h);
          EXPECT_NEAR(hess[i * n + j], numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
              << c.name << " H[" << i << "][" << j << "]";
        }
      }
      if (n == 2) {
        EXPECT_EQ(hess[1], hess[2]) << c.name << " Hessian must be symmetric";
      }
    }
  }
}

TEST(Functions, KnownMinimaHaveZeroGradientAndPositiveCurvature) {
  for (const Case& c : all_cases()) {
    auto f = make_function(c.name, c.params);
    if (c.name == "saddle") {
      EXPECT_TRUE(f->minima().empty());
      continue;
    }
    ASSERT_FALSE(f->minima().empty()) << c.name;
    for (const auto& m : f->minima()) {
      for (double gi : f->gradient_at(m)) EXPECT_NEAR(gi, 0.0, 1e-11) << c.name;
      const auto h = f->hessian_at(m);
      EXPECT_GT(h[0], 0) << c.name;
      if (f->dims() == 2) {
        EXPECT_GT(h[0] * h[3] - h[1] * h[2], 0) << c.name;
      }
    }
  }
}

TEST(Functions, ClosedFormMinimaAreWhereTheFormulaSays) {
  EXPECT_EQ(make_function("recipe", {{"ideal", 180}})->minima()[0][0], 180);
  const auto m2 = make_function("recipe2")->minima()[0];
  EXPECT_EQ(m2[0], 250);
  EXPECT_EQ(m2[1], 120);
  // Rosenbrock minimum (a, a^2), value 0.
  auto r = make_function("rosenbrock", {{"a", -0.5}});
  EXPECT_EQ(r->minima()[0][0], -0.5);
  EXPECT_EQ(r->minima()[0][1], 0.25);
  EXPECT_EQ(r->value_at(r->minima()[0]), 0);
  // wells1d: global minimum at exactly 0 with value 0; the next ones sit just inside +-pi.
  auto w = make_function("wells1d");
  EXPECT_EQ(w->minima()[0][0], 0);
  EXPECT_EQ(w->value_at(w->minima()[0]), 0);
  ASSERT_EQ(w->minima().size(), 5u);  // 0, near +-pi, near +-2pi inside [-7, 7]
  EXPECT_GT(std::abs(w->minima()[1][0]), kPi - 0.5);
  EXPECT_LT(std::abs(w->minima()[1][0]), kPi);
}

TEST(Functions, BowlEigenvectorsFollowTheAngle) {
  // A (cos t, sin t) = 1 * (cos t, sin t) and A (-sin t, cos t) = kappa (-sin t, cos t):
  // for a quadratic with minimum 0, gradient = A p.
  const double t = 0.6, kappa = 7;
  auto f = make_function("bowl", {{"condition", kappa}, {"angle", t}});
  const auto g1 = f->gradient_at({std::cos(t), std::sin(t)});
  EXPECT_NEAR(g1[0], std::cos(t), 1e-14);
  EXPECT_NEAR(g1[1], std::sin(t), 1e-14);
  const auto g2 = f->gradient_at({-std::sin(t), std::cos(t)});
  EXPECT_NEAR(g2[0], -kappa * std::sin(t), 1e-13);
  EXPECT_NEAR(g2[1], kappa * std::cos(t), 1e-13);
}

TEST(Functions, NumericalMinimaAgreeWithABruteForceGridSearch) {
  // A grid point lower than all its neighbours marks a local minimum within one cell.
  for (const Case& c : {Case{"wells1d", {}}, Case{"wells1d", {{"amplitude", 0.3}}},
                        Case{"wells2d", {}}, Case{"wells2d", {{"bowl", 0.2}}}}) {
    auto f = make_function(c.name, c.params);
    const ViewRange& v = f->view();
    const int n = f->dims() == 1 ? 20001 : 601;
    const double dx = (v.x_max - v.x_min) / (n - 1);
    const double dy = (v.y_max - v.y_min) / (n - 1);
    std::vector<double> grid(f->dims() == 1 ? n : n * n);
    auto at = [&](int i, int j) {
      return f->dims() == 1 ? f->value_at({v.x_min + i * dx})
                            : f->value_at({v.x_min + i * dx, v.y_min + j * dy});
    };
    std::vector<std::vector<double>> found;
    if (f->dims() == 1) {
      for (int i = 1; i + 1 < n; ++i)
        if (at(i, 0) < at(i - 1, 0) && at(i, 0) < at(i + 1, 0)) found.push_back({v.x_min + i * dx});
    } else {
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) grid[i * n + j] = at(i, j);
      for (int i = 1; i + 1 < n; ++i)
        for (int j = 1; j + 1 < n; ++j) {
          const double c0 = grid[i * n + j];
          bool lowest = true;
          for (int di = -1; di <= 1; ++di)
            for (int dj = -1; dj <= 1; ++dj)
              if ((di || dj) && grid[(i + di) * n + j + dj] <= c0) lowest = false;
          if (lowest) found.push_back({v.x_min + i * dx, v.y_min + j * dy});
        }
    }
    ASSERT_EQ(found.size(), f->minima().size()) << c.name;
    for (const auto& g : found) {
      bool matched = false;
      for (const auto& m : f->minima()) {
        double d = 0;
        for (std::size_t k = 0; k < m.size(); ++k) d = std::max(d, std::abs(m[k] - g[k]));
        if (d <= 1.5 * std::max(dx, dy)) matched = true;
      }
      EXPECT_TRUE(matched) << c.name << " grid minimum at " << g[0];
    }
    // minima() is sorted by value, lowest first.
    for (std::size_t k = 1; k < f->minima().size(); ++k)
      EXPECT_LE(f->value_at(f->minima()[k - 1]), f->value_at(f->minima()[k]));
  }
}

TEST(Functions, LayoutStartAndObjectiveInterface) {
  for (const Case& c : all_cases()) {
    auto f = make_function(c.name, c.params);
    ASSERT_EQ(f->size(), f->dims());
    EXPECT_EQ(f->axis_labels().size(), f->dims());
    EXPECT_EQ(f->parameters(), f->start());
    EXPECT_EQ(f->layout()[0].name, "x");
    if (f->dims() == 2) {
      EXPECT_EQ(f->layout()[1].name, "y");
      EXPECT_EQ(f->layout()[1].offset, 1u);
    }
    std::vector<double> g(f->dims());
    EXPECT_EQ(f->evaluate(g.data()), f->value_at(f->start()));
    EXPECT_EQ(g, f->gradient_at(f->start()));
    EXPECT_EQ(f->evaluate(nullptr), f->value_at(f->start()));
    const ViewRange& v = f->view();
    EXPECT_LT(v.x_min, v.x_max);
    EXPECT_LT(v.y_min, v.y_max);
  }
  EXPECT_EQ(make_function("recipe2")->axis_labels()[1], "soaking time (min)");
}

TEST(Functions, BadNamesAndParametersAreRejected) {
  EXPECT_THROW(make_function("himmelblau"), input_error);
  EXPECT_THROW(make_function("bowl", {{"kappa", 3}}), input_error);  // it is "condition"
  EXPECT_THROW(make_function("square", {{"a", 1}}), input_error);
  EXPECT_THROW(make_function("bowl", {{"condition", 0.5}}), range_error);
  EXPECT_THROW(make_function("recipe", {{"scale", 0}}), range_error);
  EXPECT_THROW(make_function("recipe2", {{"interaction", 2}}), range_error);
  EXPECT_THROW(make_function("rosenbrock", {{"b", -1}}), range_error);
  EXPECT_THROW(make_function("wells1d", {{"amplitude", std::numeric_limits<double>::quiet_NaN()}}),
               range_error);
  EXPECT_THROW(make_function("square")->value_at({1, 2}), input_error);
  try {
    make_function("bowl", {{"kappa", 3}});
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("condition"), std::string::npos);
  }
}
