// The gradient checker: it must pass correct gradients, catch wrong ones, and leave what it
// checks untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/gradcheck.hpp"
#include "gradlab/graph.hpp"
#include "gradlab/random.hpp"

using namespace gradlab;

namespace {

// f(a, b) = a^2 + 3 a b + sin(b) with parameters laid out as blocks "a" and "b".
// With wrong = true the reported df/db is off by 0.01, a bug gradcheck must catch.
class Curve : public Objective {
 public:
  explicit Curve(bool wrong = false) : m_wrong(wrong) {
    m_params = {0.0, 0.0};
    m_layout = {{"a", 1, 1, 0}, {"b", 1, 1, 1}};
  }
  double evaluate_at(const double* x, double* grad) override {
    const double a = x[0], b = x[1];
    if (grad) {
      grad[0] = 2 * a + 3 * b;
      grad[1] = 3 * a + std::cos(b) + (m_wrong ? 0.01 : 0.0);
    }
    return a * a + 3 * a * b + std::sin(b);
  }

 private:
  bool m_wrong;
};

// A two-layer network's loss: mean((tanh(X W1 + b1) W2 - y)^2) on random data.
struct TinyNet {
  Graph g;
  Id W1, b1, W2, loss;
  explicit TinyNet(std::uint64_t seed) {
    Rng rng(seed);
    auto random = [&](Shape s) {
      Array a = xt::zeros<double>(s);
      for (auto& v : a) v = rng.normal();
      return a;
    };
    const Id X = g.constant(random({5, 3}), "X");
    const Id y = g.constant(random({5, 1}), "y");
    W1 = g.input("W1", random({3, 4}));
    b1 = g.input("b1", random({4}));
    W2 = g.input("W2", random({4, 1}));
    const Id hidden = g.tanh(g.add(g.matmul(X, W1), b1));
    loss = g.mse(g.matmul(hidden, W2), y);
  }
};

}  // namespace

TEST(GradCheck, RelativeErrorIsAbsoluteBelowOneAndRelativeAbove) {
  EXPECT_DOUBLE_EQ(relative_error(0.0, 1e-12), 1e-12);
  EXPECT_DOUBLE_EQ(relative_error(100.0, 101.0), 1.0 / 101.0);
  EXPECT_TRUE(std::isnan(relative_error(std::nan(""), 1.0)));
}

TEST(GradCheck, GraphOfATinyNetworkPasses) {
  TinyNet net(11);
  const GradCheckResult r = check_graph(net.g, net.loss);
  EXPECT_TRUE(r.ok) << r.max_rel_error;
  EXPECT_LT(r.max_rel_error, 1e-7);
  ASSERT_EQ(r.parts.size(), 3u);
  EXPECT_EQ(r.parts[0].name, "W1");
  EXPECT_EQ(r.parts[1].offset, 12u);
  EXPECT_EQ(r.parts[2].size, 4u);
  EXPECT_EQ(r.analytic.size(), 12u + 4u + 4u);
  EXPECT_EQ(r.numeric.size(), r.analytic.size());
  EXPECT_DOUBLE_EQ(r.value, net.g.value(net.loss)());
}

TEST(GradCheck, GraphIsLeftAsItWas) {
  TinyNet net(5);
  net.g.backward(net.loss);
  const Array w1 = net.g.value(net.W1), grad_w1 = net.g.grad(net.W1);
  const double loss = net.g.value(net.loss)();
  check_graph(net.g, net.loss);
  EXPECT_EQ(net.g.value(net.W1), w1);
  EXPECT_EQ(net.g.grad(net.W1), grad_w1);
  EXPECT_DOUBLE_EQ(net.g.value(net.loss)(), loss);
}

TEST(GradCheck, SeedNeuronGradientMatches) {
  Graph g;
  const Id W = g.input("W", Array(0.7));
  const Id z = g.mul(W, g.constant(Array(1.5), "X"));
  const Id loss = g.sub(g.constant(Array(1.0)), g.sigmoid(z));
  const GradCheckResult r = check_graph(g, loss);
  EXPECT_TRUE(r.ok);
  ASSERT_EQ(r.analytic.size(), 1u);
  const double y = 1.0 / (1.0 + std::exp(-1.05));
  EXPECT_NEAR(r.numeric[0], -y * (1 - y) * 1.5, 1e-9);
}

TEST(GradCheck, ObjectiveWithCorrectGradientPasses) {
  Curve f;
  const double x[] = {0.4, -1.2};
  const GradCheckResult r = check_objective(f, x);
  EXPECT_TRUE(r.ok) << r.max_rel_error;
  ASSERT_EQ(r.analytic.size(), 2u);
  EXPECT_DOUBLE_EQ(r.analytic[0], 2 * 0.4 + 3 * -1.2);
  EXPECT_NEAR(r.numeric[1], 3 * 0.4 + std::cos(-1.2), 1e-8);
  EXPECT_DOUBLE_EQ(r.value, 0.16 + 3 * 0.4 * -1.2 + std::sin(-1.2));
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_EQ(r.parts[1].name, "b");
  EXPECT_EQ(f.parameters(), (std::vector<double>{0.0, 0.0}));  // untouched
}

TEST(GradCheck, ObjectiveWithWrongGradientFailsInTheRightBlock) {
  Curve f(true);
  const double x[] = {0.4, -1.2};
  const GradCheckResult r = check_objective(f, x);
  EXPECT_FALSE(r.ok);
  EXPECT_NEAR(r.max_rel_error, 0.01 / std::max(1.0, std::fabs(r.analytic[1])), 1e-6);
  EXPECT_LT(r.parts[0].max_rel_error, 1e-8);
  EXPECT_GT(r.parts[1].max_rel_error, 1e-3);
}

TEST(GradCheck, RejectsBadSettings) {
  Curve f;
  const double x[] = {0.0, 0.0};
  EXPECT_THROW(check_objective(f, x, 0.0), range_error);
  EXPECT_THROW(check_objective(f, x, 1e-6, -1.0), range_error);
  Graph g;
  const Id v = g.input("v", Array{1.0, 2.0});
  EXPECT_THROW(check_graph(g, g.exp(v)), input_error);  // not a scalar
}
