// The autodiff graph against independent oracles: central finite differences (one line per op),
// the hand-derived numbers of seeds 000 and 001, and closed forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/graph.hpp"
#include "gradlab/random.hpp"

using namespace gradlab;

namespace {

using Build = std::function<Id(Graph&, const std::vector<Id>&)>;

Array random_array(const Shape& shape, Rng& rng, double lo, double hi) {
  Array a = xt::zeros<double>(shape);
  for (auto& v : a) v = rng.uniform(lo, hi);
  return a;
}

// An array of the given shape filled row-major from values.
Array make(const Shape& shape, const std::vector<double>& values) {
  Array a = xt::zeros<double>(shape);
  std::copy(values.begin(), values.end(), a.begin());
  return a;
}

// Builds the op on random inputs of the given shapes (values in [lo, hi)), reduces its output to
// a scalar with random weights (so each output element gets a different upstream gradient),
// and returns the worst relative error between backward() and central differences.
double op_grad_error(const std::vector<Shape>& shapes, const Build& build, double lo = -2.0,
                     double hi = 2.0, std::uint64_t seed = 7) {
  Rng rng(seed);
  Graph g;
  std::vector<Id> leaves;
  for (std::size_t i = 0; i < shapes.size(); ++i)
    leaves.push_back(g.input("x" + std::to_string(i), random_array(shapes[i], rng, lo, hi)));
  const Id out = build(g, leaves);
  Id root = out;
  if (g.value(out).size() != 1) {
    const Shape out_shape(g.value(out).shape().begin(), g.value(out).shape().end());
    root = g.sum(g.mul(out, g.constant(random_array(out_shape, rng, -1.0, 1.0))));
  }
  g.backward(root);

  const double h = 1e-6;
  double worst = 0.0;
  for (Id leaf : leaves) {
    for (std::size_t i = 0; i < g.value(leaf).size(); ++i) {
      const double x = g.value(leaf).flat(i);
      g.set_element(leaf, i, x + h);
      g.forward();
      const double up = g.value(root).flat(0);
      g.set_element(leaf, i, x - h);
      g.forward();
      const double down = g.value(root).flat(0);
      g.set_element(leaf, i, x);
      const double numeric = (up - down) / (2.0 * h);
      const double analytic = g.grad(leaf).flat(i);
      const double scale = std::max({1.0, std::fabs(numeric), std::fabs(analytic)});
      worst = std::max(worst, std::fabs(numeric - analytic) / scale);
    }
  }
  return worst;
}

const double kTol = 1e-6;
const Shape M{3, 4}, Row{4}, Row2{1, 4}, Col{3, 1}, Scalar{};

}  // namespace

// ---- one line per op ----------------------------------------------------------------------------

TEST(GraphOps, Add) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.add(x[0], x[1]); }), kTol);
}
TEST(GraphOps, AddBroadcastsRowVectorAgainstMatrix) {
  EXPECT_LT(op_grad_error({M, Row}, [](Graph& g, auto x) { return g.add(x[0], x[1]); }), kTol);
  EXPECT_LT(op_grad_error({Row2, M}, [](Graph& g, auto x) { return g.add(x[0], x[1]); }), kTol);
  EXPECT_LT(op_grad_error({Col, Row2}, [](Graph& g, auto x) { return g.add(x[0], x[1]); }), kTol);
}
TEST(GraphOps, AddScalarToMatrix) {
  EXPECT_LT(op_grad_error({Scalar, M}, [](Graph& g, auto x) { return g.add(x[0], x[1]); }), kTol);
}
TEST(GraphOps, Sub) {
  EXPECT_LT(op_grad_error({M, Row}, [](Graph& g, auto x) { return g.sub(x[0], x[1]); }), kTol);
}
TEST(GraphOps, Mul) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.mul(x[0], x[1]); }), kTol);
  EXPECT_LT(op_grad_error({Col, M}, [](Graph& g, auto x) { return g.mul(x[0], x[1]); }), kTol);
  EXPECT_LT(op_grad_error({M, Scalar}, [](Graph& g, auto x) { return g.mul(x[0], x[1]); }), kTol);
}
TEST(GraphOps, Div) {
  EXPECT_LT(op_grad_error({M, Row}, [](Graph& g, auto x) { return g.div(x[0], x[1]); }, 0.5, 2.0),
            kTol);
}
TEST(GraphOps, Neg) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.neg(x[0]); }), kTol);
}
TEST(GraphOps, Matmul) {
  EXPECT_LT(op_grad_error({{3, 4}, {4, 2}}, [](Graph& g, auto x) { return g.matmul(x[0], x[1]); }),
            kTol);
}
TEST(GraphOps, MatmulWithVectors) {
  EXPECT_LT(op_grad_error({{4}, {4, 2}}, [](Graph& g, auto x) { return g.matmul(x[0], x[1]); }),
            kTol);
  EXPECT_LT(op_grad_error({{3, 4}, {4}}, [](Graph& g, auto x) { return g.matmul(x[0], x[1]); }),
            kTol);
  EXPECT_LT(op_grad_error({{4}, {4}}, [](Graph& g, auto x) { return g.matmul(x[0], x[1]); }), kTol);
}
TEST(GraphOps, Sum) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.sum(x[0]); }), kTol);
}
TEST(GraphOps, Mean) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.mean(x[0]); }), kTol);
}
TEST(GraphOps, Square) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.square(x[0]); }), kTol);
}
TEST(GraphOps, Pow) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.pow(x[0], 3.0); }), kTol);
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.pow(x[0], 0.5); }, 0.5, 2.0), kTol);
}
TEST(GraphOps, Exp) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.exp(x[0]); }), kTol);
}
TEST(GraphOps, Log) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.log(x[0]); }, 0.5, 3.0), kTol);
}
TEST(GraphOps, Sqrt) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.sqrt(x[0]); }, 0.5, 3.0), kTol);
}
TEST(GraphOps, Abs) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.abs(x[0]); }), kTol);
}
TEST(GraphOps, Sigmoid) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.sigmoid(x[0]); }), kTol);
}
TEST(GraphOps, Tanh) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.tanh(x[0]); }), kTol);
}
TEST(GraphOps, Relu) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.relu(x[0]); }), kTol);
}
TEST(GraphOps, LeakyRelu) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.leaky_relu(x[0], 0.1); }), kTol);
}
TEST(GraphOps, Softmax) {
  EXPECT_LT(op_grad_error({M}, [](Graph& g, auto x) { return g.softmax(x[0]); }), kTol);
  EXPECT_LT(op_grad_error({Row}, [](Graph& g, auto x) { return g.softmax(x[0]); }), kTol);
}
TEST(GraphOps, Mse) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.mse(x[0], x[1]); }), kTol);
}
TEST(GraphOps, HalfMse) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.half_mse(x[0], x[1]); }), kTol);
}
TEST(GraphOps, Mae) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.mae(x[0], x[1]); }), kTol);
}
TEST(GraphOps, Huber) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.huber(x[0], x[1], 0.7); }), kTol);
}
TEST(GraphOps, BceLogits) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.bce_logits(x[0], x[1]); }, 0, 1),
            kTol);
}
TEST(GraphOps, SoftmaxCe) {
  EXPECT_LT(op_grad_error({M, M}, [](Graph& g, auto x) { return g.softmax_ce(x[0], x[1]); }, 0, 1),
            kTol);
}
TEST(GraphOps, SoftmaxCeComposedFromPrimitivesAgrees) {
  // -mean over rows of sum_k t_k log softmax(z)_k, built from primitives, equals the fused op.
  Rng rng(3);
  Graph g;
  const Id z = g.input("z", random_array(M, rng, -2, 2));
  const Id t = g.constant(g.value(g.softmax(g.constant(random_array(M, rng, -2, 2)))));
  const Id fused = g.softmax_ce(z, t);
  const Id composed =
      g.div(g.neg(g.sum(g.mul(t, g.log(g.softmax(z))))), g.constant(Array(3.0)));
  EXPECT_NEAR(g.value(fused)(), g.value(composed)(), 1e-12);
}

TEST(GraphOps, EveryNameBuildsThroughOp) {
  for (const auto& name : Graph::op_names()) {
    Graph g;
    const Id a = g.input("a", Array{{0.2, 0.7}, {0.4, 0.9}});
    const Id b = g.input("b", Array{{0.5, 0.5}, {0.1, 0.6}});
    const bool unary = name == "neg" || name == "sum" || name == "mean" || name == "square" ||
                       name == "pow" || name == "exp" || name == "log" || name == "sqrt" ||
                       name == "abs" || name == "sigmoid" || name == "tanh" || name == "relu" ||
                       name == "leaky_relu" || name == "softmax";
    const std::vector<Id> inputs = unary ? std::vector<Id>{a} : std::vector<Id>{a, b};
    const Id y = g.op(name, inputs, name == "pow" ? 2.0 : std::nan(""));
    EXPECT_EQ(g.node(y).op_name(), name);
    EXPECT_EQ(g.node(y).inputs, inputs);
  }
}

TEST(GraphOps, OpFillsDefaultAttributes) {
  Graph g;
  const Id x = g.input("x", Array{-2.0, 3.0});
  const Id y = g.op("leaky_relu", {x});
  EXPECT_DOUBLE_EQ(g.node(y).attr, 0.01);
  EXPECT_DOUBLE_EQ(g.value(y)(0), -0.02);
  EXPECT_DOUBLE_EQ(g.node(g.op("huber", {x, x})).attr, 1.0);
  const Id labels = g.constant(Array{0.0, 1.0});  // BCE targets must lie in [0, 1]
  EXPECT_EQ(g.node(g.op("bce", {x, labels})).op, Op::bce_logits);
}

// ---- the seeds' worked examples ---------------------------------------------------------------

// Seed 001: z = W X, y = sigmoid(z), Loss = 1 - y  =>  dLoss/dW = -y (1 - y) X.
TEST(GraphSeeds, SigmoidNeuronMatchesTheChainRuleByHand) {
  const double cases[][2] = {{0.5, 2.0}, {-1.3, 0.7}, {2.0, -3.0}, {0.0, 1.0}};
  for (const auto& c : cases) {
    const double w = c[0], x = c[1];
    Graph g;
    const Id W = g.input("W", Array(w));
    const Id X = g.constant(Array(x), "X");
    const Id z = g.mul(W, X);
    const Id y = g.sigmoid(z);
    const Id loss = g.sub(g.constant(Array(1.0)), y);
    g.backward(loss);

    const double yv = 1.0 / (1.0 + std::exp(-w * x));
    EXPECT_DOUBLE_EQ(g.value(z)(), w * x);
    EXPECT_DOUBLE_EQ(g.value(y)(), yv);
    EXPECT_DOUBLE_EQ(g.value(loss)(), 1.0 - yv);
    EXPECT_DOUBLE_EQ(g.grad(y)(), -1.0);                          // dLoss/dy = -1
    EXPECT_DOUBLE_EQ(g.grad(z)() / g.grad(y)(), yv * (1.0 - yv));  // dy/dz = y (1 - y)
    EXPECT_DOUBLE_EQ(g.grad(W)() / g.grad(z)(), x);                // dz/dW = X
    EXPECT_DOUBLE_EQ(g.grad(W)(), -yv * (1.0 - yv) * x);          // the product
  }
}

// Seed 000: score = hours * W + B with hours 4, W 5, B 50 predicts 70; the true score is 75.
TEST(GraphSeeds, ExamScoreSquaredError) {
  Graph g;
  const Id hours = g.constant(Array(4.0), "hours");
  const Id W = g.input("W", Array(5.0));
  const Id B = g.input("B", Array(50.0));
  const Id pred = g.add(g.mul(hours, W), B);
  const Id actual = g.constant(Array(75.0), "actual");
  EXPECT_DOUBLE_EQ(g.value(pred)(), 70.0);
  EXPECT_DOUBLE_EQ(g.value(g.sub(actual, pred))(), 5.0);  // the error

  const Id loss = g.square(g.sub(pred, actual));  // (pred - 75)^2 = 25
  g.backward(loss);
  EXPECT_DOUBLE_EQ(g.value(loss)(), 25.0);
  EXPECT_DOUBLE_EQ(g.grad(W)(), -40.0);  // 2 (70 - 75) * 4
  EXPECT_DOUBLE_EQ(g.grad(B)(), -10.0);  // 2 (70 - 75)

  // The fused mse op over one example says the same.
  const Id mse = g.mse(pred, actual);
  g.backward(mse);
  EXPECT_DOUBLE_EQ(g.value(mse)(), 25.0);
  EXPECT_DOUBLE_EQ(g.grad(W)(), -40.0);
  EXPECT_DOUBLE_EQ(g.grad(B)(), -10.0);
}

// ---- structure of the sweep ---------------------------------------------------------------

TEST(GraphBackward, DiamondCountsTheSharedNodeOnce) {
  // s = tanh(x) feeds two branches; f = (s + 1)(s - 2);  df/dx = (2s - 1)(1 - s^2).
  Graph g;
  const Id x = g.input("x", Array(0.3));
  const Id s = g.tanh(x);
  const Id f = g.mul(g.add(s, g.constant(Array(1.0))), g.sub(s, g.constant(Array(2.0))));
  const double sv = std::tanh(0.3);
  g.backward(f);
  EXPECT_NEAR(g.grad(x)(), (2 * sv - 1) * (1 - sv * sv), 1e-15);
  EXPECT_NEAR(g.grad(s)(), 2 * sv - 1, 1e-15);
  // A second backward starts from zero rather than adding to the first.
  g.backward(f);
  EXPECT_NEAR(g.grad(x)(), (2 * sv - 1) * (1 - sv * sv), 1e-15);
}

TEST(GraphBackward, SameNodeAsBothOperands) {
  Graph g;
  const Id x = g.input("x", Array{1.5, -2.0});
  const Id y = g.sum(g.mul(x, x));  // d/dx sum x^2 = 2x
  g.backward(y);
  EXPECT_DOUBLE_EQ(g.grad(x)(0), 3.0);
  EXPECT_DOUBLE_EQ(g.grad(x)(1), -4.0);
}

TEST(GraphBackward, NodesOutsideTheRootsPastGetZeroGradient) {
  Graph g;
  const Id a = g.input("a", Array(2.0));
  const Id b = g.input("b", Array(3.0));
  const Id ya = g.square(a);
  const Id yb = g.square(b);
  g.backward(ya);
  EXPECT_DOUBLE_EQ(g.grad(a)(), 4.0);
  EXPECT_DOUBLE_EQ(g.grad(b)(), 0.0);
  EXPECT_DOUBLE_EQ(g.grad(yb)(), 0.0);
}

TEST(GraphBackward, ChainOfOneHundredThousandNodes) {
  const int n = 100000;
  Graph g;
  const Id x = g.input("x", Array(0.0));
  const Id step = g.constant(Array(0.001));
  Id y = x;
  for (int i = 0; i < n; ++i) y = g.add(y, step);
  g.backward(y);
  EXPECT_NEAR(g.value(y)(), 100.0, 1e-9);
  EXPECT_DOUBLE_EQ(g.grad(x)(), 1.0);
  EXPECT_DOUBLE_EQ(g.grad(step)(), n);  // the constant was used n times
}

TEST(GraphBackward, TanhChainOfOneHundredThousandNodesMatchesFiniteDifference) {
  Graph g;
  const Id x = g.input("x", Array(0.8));
  Id y = x;
  for (int i = 0; i < 100000; ++i) y = g.tanh(y);
  g.backward(y);
  const double analytic = g.grad(x)();
  const double h = 1e-6;
  g.set_value(x, Array(0.8 + h));
  g.forward();
  const double up = g.value(y)();
  g.set_value(x, Array(0.8 - h));
  g.forward();
  const double down = g.value(y)();
  EXPECT_GT(analytic, 0.0);
  EXPECT_NEAR(analytic, (up - down) / (2 * h), 1e-6 * std::max(1.0, std::fabs(analytic)));
}

// ---- forward replay -------------------------------------------------------------------------

TEST(GraphForward, ReplayAfterSetValueUsesTheSameBuffers) {
  Graph g;
  const Id W = g.input("W", Array{{1.0, 2.0}});     // 1 x 2
  const Id X = g.constant(make({2, 1}, {3.0, 4.0}), "X");  // 2 x 1
  const Id z = g.matmul(W, X);
  const Id y = g.sigmoid(z);
  EXPECT_DOUBLE_EQ(g.value(z)(0, 0), 11.0);
  const double* z_buffer = g.value(z).data();
  const double* y_buffer = g.value(y).data();

  g.set_value(W, Array{{-1.0, 0.5}});
  EXPECT_DOUBLE_EQ(g.value(z)(0, 0), 11.0);  // not recomputed until forward()
  g.forward();
  EXPECT_DOUBLE_EQ(g.value(z)(0, 0), -1.0);
  EXPECT_DOUBLE_EQ(g.value(y)(0, 0), 1.0 / (1.0 + std::exp(1.0)));
  EXPECT_EQ(g.value(z).data(), z_buffer);
  EXPECT_EQ(g.value(y).data(), y_buffer);
}

// The sigmoid neuron of seed 001 swept over its weight: each value is the closed form
// L(w) = 1 - sigma(w X), and the graph is left exactly as it was.
TEST(GraphSweep, LossOverOneWeightMatchesTheClosedFormAndRestoresTheGraph) {
  Graph g;
  const Id W = g.input("W", Array(0.5));
  const Id X = g.constant(Array(2.0), "X");
  const Id y = g.sigmoid(g.mul(W, X));
  const Id L = g.sub(g.constant(Array(1.0)), y);
  g.backward(L);
  const double loss_before = g.value(L)();
  const double y_before = g.value(y)();
  const double grad_before = g.grad(W)();

  const std::vector<double> ws = {-3.0, -0.25, 0.0, 0.5, 1.75, 40.0};
  const std::vector<double> out = g.sweep(W, ws, L);
  ASSERT_EQ(out.size(), ws.size());
  for (std::size_t k = 0; k < ws.size(); ++k)
    EXPECT_NEAR(out[k], 1.0 - 1.0 / (1.0 + std::exp(-2.0 * ws[k])), 1e-15) << "w = " << ws[k];

  EXPECT_DOUBLE_EQ(g.value(W)(), 0.5);
  EXPECT_DOUBLE_EQ(g.value(L)(), loss_before);
  EXPECT_DOUBLE_EQ(g.value(y)(), y_before);
  EXPECT_DOUBLE_EQ(g.grad(W)(), grad_before);
  EXPECT_TRUE(g.sweep(W, {}, L).empty());
  // A sweep of any node of one element, here an intermediate one, over the constant X.
  const std::vector<double> ys = g.sweep(X, {1.0, 3.0}, y);
  EXPECT_NEAR(ys[0], 1.0 / (1.0 + std::exp(-0.5)), 1e-15);
  EXPECT_NEAR(ys[1], 1.0 / (1.0 + std::exp(-1.5)), 1e-15);
  EXPECT_DOUBLE_EQ(g.value(X)(), 2.0);
}

TEST(GraphSweep, RefusesWhatItCannotSweep) {
  Graph g;
  const Id w = g.input("w", Array{1.0, 2.0});
  const Id s = g.input("s", Array(1.0));
  const Id total = g.sum(g.mul(w, s));
  const Id both = g.mul(w, s);
  EXPECT_THROW(g.sweep(w, {1.0}, total), input_error);      // a leaf of two elements
  EXPECT_THROW(g.sweep(total, {1.0}, total), input_error);  // not a leaf
  EXPECT_THROW(g.sweep(s, {1.0}, both), input_error);       // an output of two elements
  EXPECT_THROW(g.sweep(s, {1.0}, 99), input_error);         // no such node
  EXPECT_THROW(g.sweep(s, {1.0, std::nan("")}, total), range_error);
  EXPECT_THROW(g.sweep(s, std::vector<double>(Graph::kMaxSweep + 1, 1.0), total), input_error);
  // An output of one element until a leaf got a value of another shape after the last forward():
  // the sweep looks at the graph as it is now (the fuzzer's case), and leaves the leaf alone.
  Graph h;
  const Id a = h.input("a", Array(1.0));
  const Id k = h.input("k", Array(2.0));
  const Id prod = h.mul(a, k);  // one element now
  h.forward();
  h.set_value(a, Array{1.0, 2.0, 3.0});
  EXPECT_THROW(h.sweep(k, {1.0}, prod), input_error);
  EXPECT_DOUBLE_EQ(h.value(k)(), 2.0);
  EXPECT_DOUBLE_EQ(g.value(total)(), 3.0);  // nothing was changed by the refusals
  EXPECT_DOUBLE_EQ(g.value(s)(), 1.0);
}

TEST(GraphForward, ReplayFollowsAShapeChange) {
  Graph g;
  const Id x = g.input("x", Array{1.0, 2.0});
  const Id y = g.mean(g.square(x));
  EXPECT_DOUBLE_EQ(g.value(y)(), 2.5);
  g.set_value(x, Array{1.0, 2.0, 3.0, 4.0});
  g.forward();
  EXPECT_DOUBLE_EQ(g.value(y)(), 7.5);
  g.backward(y);
  ASSERT_EQ(g.grad(x).size(), 4u);
  EXPECT_DOUBLE_EQ(g.grad(x)(3), 2.0);  // 2 x / n = 8 / 4
}

TEST(GraphForward, BackwardReplaysForwardAfterALeafChanged) {
  Graph g;
  const Id W = g.input("W", make({1, 2}, {1.0, 2.0}));
  const Id X = g.constant(make({2, 1}, {3.0, 4.0}), "X");
  const Id loss = g.sum(g.matmul(X, W));  // 2 x 2 outer product, summed: (3 + 4)(w1 + w2)
  g.set_value(W, make({1, 3}, {1.0, 1.0, 1.0}));  // new shape, no forward() call
  g.backward(loss);
  EXPECT_DOUBLE_EQ(g.value(loss)(), 21.0);
  ASSERT_EQ(g.grad(W).size(), 3u);
  EXPECT_DOUBLE_EQ(g.grad(W)(0, 2), 7.0);
}

TEST(GraphForward, InspectionDescribesEveryNode) {
  Graph g;
  const Id W = g.input("W", Array(0.5));
  const Id X = g.constant(Array(2.0), "X");
  const Id z = g.mul(W, X);
  g.set_name(z, "z");
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g.node(W).op_name(), "input");
  EXPECT_EQ(g.node(X).op_name(), "constant");
  EXPECT_EQ(g.node(z).op_name(), "mul");
  EXPECT_EQ(g.node(z).name, "z");
  EXPECT_EQ(g.node(z).inputs, (std::vector<Id>{W, X}));
  EXPECT_EQ(g.variables(), std::vector<Id>{W});
  EXPECT_EQ(g.grad(z), Array(0.0));  // zeros until backward()
}

TEST(GraphHelpers, UnbroadcastSumsOverBroadcastAxes) {
  const Array g = xt::ones<double>({2, 3});
  EXPECT_EQ(unbroadcast(g, {3}), (Array{2.0, 2.0, 2.0}));
  EXPECT_EQ(unbroadcast(g, {2, 1}), make({2, 1}, {3.0, 3.0}));
  EXPECT_EQ(unbroadcast(g, {1, 3}), (Array{{2.0, 2.0, 2.0}}));
  EXPECT_DOUBLE_EQ(unbroadcast(g, {})(), 6.0);
  EXPECT_EQ(broadcast_shape({3, 1}, {4}), (Shape{3, 4}));
}

// ---- errors ---------------------------------------------------------------------------------

template <class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const input_error& e) {
    return e.what();
  }
  return "(no input_error thrown)";
}

TEST(GraphErrors, ShapesThatCannotBroadcastNameBothShapes) {
  Graph g;
  const Id a = g.input("a", xt::zeros<double>({2, 3}));
  const Id b = g.input("b", xt::zeros<double>({4}));
  const std::string msg = error_message([&] { g.add(a, b); });
  EXPECT_NE(msg.find("(2, 3)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(4)"), std::string::npos) << msg;
  EXPECT_EQ(g.size(), 2u);  // the rejected op was not recorded
  EXPECT_NE(error_message([&] { g.matmul(a, a); }).find("inner sizes differ"), std::string::npos);
  EXPECT_NE(error_message([&] { g.mse(a, b); }).find("differ"), std::string::npos);
}

TEST(GraphErrors, UnknownOpListsTheValidOnes) {
  Graph g;
  const Id a = g.input("a", Array(1.0));
  const std::string msg = error_message([&] { g.op("sigmoidd", {a}); });
  EXPECT_NE(msg.find("sigmoidd"), std::string::npos) << msg;
  EXPECT_NE(msg.find("leaky_relu"), std::string::npos) << msg;
  EXPECT_NE(error_message([&] { g.op("add", {a}); }).find("takes 2 inputs"), std::string::npos);
  EXPECT_NE(error_message([&] { g.op("pow", {a}); }).find("exponent"), std::string::npos);
  EXPECT_NE(error_message([&] { g.op("neg", {99}); }).find("does not exist"),
            std::string::npos);
}

TEST(GraphErrors, BackwardNeedsAScalarRoot) {
  Graph g;
  const Id a = g.input("a", Array{1.0, 2.0});
  const std::string msg = error_message([&] { g.backward(g.square(a)); });
  EXPECT_NE(msg.find("scalar"), std::string::npos) << msg;
  EXPECT_NE(error_message([&] { g.set_value(g.neg(a), Array(1.0)); }).find("only input"),
            std::string::npos);
  EXPECT_THROW(g.backward(1000), input_error);
  EXPECT_THROW(g.leaky_relu(a, std::nan("")), range_error);
  EXPECT_THROW(g.input("w", Array{1.0, std::nan("")}), range_error);
  EXPECT_THROW(g.set_value(a, Array(INFINITY)), range_error);
}
