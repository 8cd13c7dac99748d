// Models against hand-derived numbers (seeds 000 and 002), closed-form least squares, and
// central finite differences for every model, loss and activation.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/error.hpp"
#include "gradlab/nn.hpp"
#include "gradlab/random.hpp"

using namespace gradlab;

namespace {

/// Largest |analytic - numeric| / max(1, |analytic|, |numeric|) over all parameters, where the
/// numeric gradient is the central difference (f(x + h) - f(x - h)) / 2h.
double gradient_error(Objective& f, std::size_t begin = 0, std::size_t end = 0) {
  std::vector<double> x = f.parameters();
  std::vector<double> grad(x.size());
  auto loss = [&](double* g) {
    return end > begin ? f.evaluate_batch(x.data(), g, begin, end) : f.evaluate_at(x.data(), g);
  };
  loss(grad.data());
  double worst = 0.0;
  const double h = 1e-6;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double saved = x[k];
    x[k] = saved + h;
    const double up = loss(nullptr);
    x[k] = saved - h;
    const double down = loss(nullptr);
    x[k] = saved;
    const double numeric = (up - down) / (2 * h);
    const double scale = std::max({1.0, std::fabs(grad[k]), std::fabs(numeric)});
    worst = std::max(worst, std::fabs(grad[k] - numeric) / scale);
  }
  return worst;
}

/// Random inputs in [-2, 2] and targets: 0/1 labels when binary, else values in [-1, 1].
Dataset make_random_set(std::size_t rows, std::size_t inputs, std::size_t outputs, bool binary,
                    std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> x(rows * inputs), y(rows * outputs);
  for (double& v : x) v = rng.uniform(-2, 2);
  for (double& v : y) v = binary ? double(rng.below(2)) : rng.uniform(-1, 1);
  return from_points(x, y, inputs, outputs);
}

void randomize(Objective& f, std::uint64_t seed, double scale = 0.7) {
  Rng rng(seed);
  for (double& p : f.parameters()) p = rng.uniform(-scale, scale);
}

}  // namespace

TEST(Nn, ExamSingleStudentGradientIsMinusFortyAndMinusTen) {
  // Seed 000: Weight 5, Bias 50, 4 hours -> prediction 70, actual 75.
  LinearRegression model(1);
  model.set_data(from_points({4.0}, {75.0}, 1, 1));
  model.parameters() = {5.0, 50.0};
  Matrix hours({1, 1}, 4.0);
  EXPECT_DOUBLE_EQ(model.predict(hours)(0, 0), 70.0);
  double grad[2];
  EXPECT_DOUBLE_EQ(model.evaluate(grad), 25.0);  // (70 - 75)^2
  EXPECT_DOUBLE_EQ(grad[0], -40.0);              // 2 (70 - 75) 4
  EXPECT_DOUBLE_EQ(grad[1], -10.0);              // 2 (70 - 75)
}

TEST(Nn, Seed002GradientDescentApproachesTheNormalEquations) {
  // Solve X^T X w = X^T y by hand for X = [[1,1],[1,2],[2,2],[2,3]], y = [1,2,2,3].
  const Dataset d = seed002();
  double a = 0, b = 0, c = 0, u = 0, v = 0;  // X^T X = [[a, b], [b, c]], X^T y = [u, v]
  for (std::size_t i = 0; i < 4; ++i) {
    a += d.x(i, 0) * d.x(i, 0), b += d.x(i, 0) * d.x(i, 1), c += d.x(i, 1) * d.x(i, 1);
    u += d.x(i, 0) * d.y(i, 0), v += d.x(i, 1) * d.y(i, 0);
  }
  const double det = a * c - b * b;
  const double w0 = (c * u - b * v) / det, w1 = (a * v - b * u) / det;
  EXPECT_NEAR(w0, 0.0, 1e-12);  // y is exactly the second column
  EXPECT_NEAR(w1, 1.0, 1e-12);

  LinearRegression model(2, /*bias=*/false);
  model.set_data(d);
  auto& w = model.parameters();
  const double start_distance = std::hypot(w[0] - w0, w[1] - w1);
  const double start_loss = model.evaluate(nullptr);
  double g[2];
  for (int step = 0; step < 1000; ++step) {
    model.evaluate(g);
    w[0] -= 0.01 * g[0], w[1] -= 0.01 * g[1];
  }
  const double distance = std::hypot(w[0] - w0, w[1] - w1);
  EXPECT_LT(distance, 0.25 * start_distance);
  EXPECT_LT(model.evaluate(nullptr), 0.01 * start_loss);
  for (int step = 0; step < 30000; ++step) {
    model.evaluate(g);
    w[0] -= 0.01 * g[0], w[1] -= 0.01 * g[1];
  }
  EXPECT_NEAR(w[0], w0, 1e-6);
  EXPECT_NEAR(w[1], w1, 1e-6);
}

TEST(Nn, ExamScoresGradientDescentFindsTheLeastSquaresLine) {
  const Dataset d = exam_scores(64, 11, 5.0);
  // Closed form via the normal equations of [x 1].
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = 64;
  for (std::size_t i = 0; i < 64; ++i)
    sx += d.x(i, 0), sy += d.y(i, 0), sxx += d.x(i, 0) * d.x(i, 0), sxy += d.x(i, 0) * d.y(i, 0);
  const double w_star = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double b_star = (sy - w_star * sx) / n;
  LinearRegression model(1);
  model.set_data(d);
  auto& p = model.parameters();
  double g[2];
  for (int step = 0; step < 200000; ++step) {
    model.evaluate(g);
    p[0] -= 0.02 * g[0], p[1] -= 0.02 * g[1];
  }
  EXPECT_NEAR(p[0], w_star, 1e-6);
  EXPECT_NEAR(p[1], b_star, 1e-6);
  EXPECT_NEAR(p[0], 5.0, 1.0);
  EXPECT_NEAR(p[1], 50.0, 5.0);
}

TEST(Nn, LinearGradientsMatchFiniteDifferences) {
  for (auto kind : {loss::Kind::mse, loss::Kind::half_mse, loss::Kind::mae, loss::Kind::huber})
    for (std::size_t inputs : {1u, 3u})
      for (bool bias : {true, false}) {
        LinearRegression model(inputs, bias, kind);
        model.set_data(make_random_set(150, inputs, 1, false, 4));
        randomize(model, 5);
        EXPECT_LT(gradient_error(model), 1e-6) << loss::name(kind) << inputs << bias;
        EXPECT_LT(gradient_error(model, 11, 140), 1e-6) << loss::name(kind) << inputs << bias;
      }
}

TEST(Nn, LogisticGradientsMatchFiniteDifferences) {
  LogisticRegression model(2);
  model.set_data(make_random_set(150, 2, 1, true, 6));
  randomize(model, 7);
  EXPECT_LT(gradient_error(model), 1e-6);
  EXPECT_LT(gradient_error(model, 3, 70), 1e-6);
}

TEST(Nn, MlpGradientsMatchFiniteDifferencesForEveryActivationAndLoss) {
  const std::vector<std::string> acts{"linear", "relu", "leaky_relu", "tanh", "sigmoid"};
  for (const auto& hidden : acts) {
    for (const std::string loss_name : {"mse", "half_mse", "mae", "huber", "bce"}) {
      for (const std::string out : {"linear", "sigmoid", "tanh"}) {
        if (loss_name == "bce" && out == "tanh") continue;
        MLP model({3, 5, 4, 1}, {hidden, hidden, out}, loss::parse(loss_name), 3);
        model.set_data(make_random_set(150, 3, 1, loss_name == "bce", 8));
        randomize(model, 9);
        EXPECT_LT(gradient_error(model), 1e-6) << hidden << " " << loss_name << " " << out;
        EXPECT_LT(gradient_error(model, 20, 90), 1e-6) << hidden << " " << loss_name << " " << out;
      }
    }
  }
}

TEST(Nn, MlpGradientsMatchForManyOutputsNoHiddenLayerAndDepth) {
  MLP wide({2, 6, 3}, {"tanh", "linear"}, loss::Kind::mse, 1);
  wide.set_data(make_random_set(70, 2, 3, false, 10));
  randomize(wide, 11);
  EXPECT_LT(gradient_error(wide), 1e-6);

  MLP flat({2, 1}, {"sigmoid"}, loss::Kind::bce_logits, 1);
  flat.set_data(make_random_set(30, 2, 1, true, 12));
  EXPECT_LT(gradient_error(flat), 1e-6);

  MLP deep({2, 4, 4, 4, 4, 4, 4, 1}, std::vector<std::string>(7, "sigmoid"), loss::Kind::mse, 2);
  deep.set_data(make_random_set(65, 2, 1, false, 13));
  randomize(deep, 14, 1.5);
  EXPECT_LT(gradient_error(deep), 1e-6);
}

TEST(Nn, MlpWithoutHiddenLayersIsLogisticRegression) {
  const Dataset d = make_random_set(90, 2, 1, true, 15);
  MLP mlp({2, 1}, {"sigmoid"}, loss::Kind::bce_logits, 1);
  LogisticRegression logistic(2);
  mlp.set_data(d), logistic.set_data(d);
  mlp.parameters() = {0.3, -0.8, 0.25};  // W1 (2x1), b1
  logistic.parameters() = {0.3, -0.8, 0.25};
  std::vector<double> g1(3), g2(3);
  EXPECT_NEAR(mlp.evaluate(g1.data()), logistic.evaluate(g2.data()), 1e-12);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(g1[k], g2[k], 1e-12);
  const Matrix p1 = mlp.predict(d.x), p2 = logistic.predict(d.x);
  for (std::size_t i = 0; i < d.rows(); ++i) EXPECT_NEAR(p1(i, 0), p2(i, 0), 1e-12);
}

TEST(Nn, EvaluateBatchIsTheLossOfThatSubset) {
  const Dataset d = make_random_set(200, 2, 1, false, 16);
  const std::size_t begin = 37, end = 171;
  std::vector<double> x, y;
  for (std::size_t i = begin; i < end; ++i) {
    x.push_back(d.x(i, 0)), x.push_back(d.x(i, 1));
    y.push_back(d.y(i, 0));
  }
  const Dataset subset = from_points(x, y, 2, 1);
  MLP full({2, 8, 1}, {"tanh", "linear"}, loss::Kind::huber, 5);
  MLP part({2, 8, 1}, {"tanh", "linear"}, loss::Kind::huber, 5);
  full.set_data(d), part.set_data(subset);
  std::vector<double> g_full(full.size()), g_part(part.size());
  const double l_full = full.evaluate_batch(full.parameters().data(), g_full.data(), begin, end);
  const double l_part = part.evaluate(g_part.data());
  EXPECT_NEAR(l_full, l_part, 1e-12);
  for (std::size_t k = 0; k < g_full.size(); ++k) EXPECT_NEAR(g_full[k], g_part[k], 1e-12);

  LinearRegression line(2), line_part(2);
  line.set_data(d), line_part.set_data(subset);
  randomize(line, 3), randomize(line_part, 3);
  EXPECT_NEAR(line.evaluate_batch(line.parameters().data(), nullptr, begin, end),
              line_part.evaluate(nullptr), 1e-12);
}

TEST(Nn, PredictShapesAndOutputActivations) {
  const Dataset d = make_random_set(130, 2, 1, true, 17);
  MLP logits({2, 8, 8, 1}, {"tanh", "tanh", "linear"}, loss::Kind::bce_logits, 4);
  MLP probs({2, 8, 8, 1}, {"tanh", "tanh", "sigmoid"}, loss::Kind::bce_logits, 4);
  logits.set_data(d), probs.set_data(d);
  // Same seed, same parameters, and the bce loss is the same function of them.
  EXPECT_EQ(logits.parameters(), probs.parameters());
  EXPECT_NEAR(logits.evaluate(nullptr), probs.evaluate(nullptr), 1e-12);
  const Matrix z = logits.predict(d.x), p = probs.predict(d.x);
  ASSERT_EQ(p.shape(0), 130u);
  ASSERT_EQ(p.shape(1), 1u);
  for (std::size_t i = 0; i < 130; ++i) EXPECT_NEAR(p(i, 0), 1 / (1 + std::exp(-z(i, 0))), 1e-12);

  MLP wide({2, 4, 3}, {"relu", "linear"}, loss::Kind::mse, 4);
  const Matrix w = wide.predict(d.x);
  EXPECT_EQ(w.shape(0), 130u);
  EXPECT_EQ(w.shape(1), 3u);

  LogisticRegression logistic(2);
  logistic.parameters() = {1.0, -2.0, 0.5};
  const Matrix q = logistic.predict(d.x);
  for (std::size_t i = 0; i < 130; ++i)
    EXPECT_NEAR(q(i, 0), 1 / (1 + std::exp(-(d.x(i, 0) - 2 * d.x(i, 1) + 0.5))), 1e-12);

  const auto outs = probs.layer_outputs(&d.x(5, 0));
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[0].size(), 8u);
  EXPECT_NEAR(outs[2][0], p(5, 0), 1e-12);
}

TEST(Nn, SameSeedSameInitialisation) {
  for (const char* init : {"uniform", "xavier", "he"}) {
    ModelSpec spec;
    spec.type = "mlp", spec.sizes = {2, 8, 8, 1}, spec.activations = {"relu", "relu", "linear"};
    spec.seed = 42, spec.init = init;
    auto a = make_model(spec), b = make_model(spec);
    EXPECT_EQ(a->parameters(), b->parameters()) << init;
    spec.seed = 43;
    EXPECT_NE(a->parameters(), make_model(spec)->parameters()) << init;
  }
  MLP playground({2, 8, 1}, {"tanh", "sigmoid"}, loss::Kind::bce_logits, 7, Init::uniform);
  for (const auto& block : playground.layout())
    for (std::size_t k = 0; k < block.size(); ++k) {
      const double v = playground.parameters()[block.offset + k];
      if (block.name[0] == 'b') EXPECT_EQ(v, 0.1);
      else EXPECT_TRUE(v >= -0.5 && v < 0.5);
    }
  MLP he({4, 16, 1}, {"relu", "linear"}, loss::Kind::mse, 7, Init::he);
  for (std::size_t k = 0; k < 64; ++k) EXPECT_LE(std::fabs(he.parameters()[k]), std::sqrt(6.0 / 4));
  // Re-initialising with the same seed restores the starting point.
  const std::vector<double> start = he.parameters();
  randomize(he, 1);
  he.initialize(7);
  EXPECT_EQ(he.parameters(), start);
}

TEST(Nn, LayoutNamesAndShapes) {
  MLP model({2, 8, 3, 1}, {"tanh", "tanh", "linear"}, loss::Kind::mse, 1);
  const auto& l = model.layout();
  ASSERT_EQ(l.size(), 6u);
  EXPECT_EQ(l[0].name, "W1");
  EXPECT_EQ(l[0].rows, 2u);
  EXPECT_EQ(l[0].cols, 8u);
  EXPECT_EQ(l[1].name, "b1");
  EXPECT_EQ(l[1].offset, 16u);
  EXPECT_EQ(l[5].name, "b3");
  EXPECT_EQ(model.size(), 2u * 8 + 8 + 8 * 3 + 3 + 3 + 1);
  LinearRegression line(3);
  EXPECT_EQ(line.layout()[0].name, "weight");
  EXPECT_EQ(line.layout()[1].name, "bias");
  EXPECT_EQ(line.size(), 4u);
  for (double p : line.parameters()) EXPECT_EQ(p, 0.0);
}

TEST(Nn, LayerGradientNormsAreTheNormsOfEachWeightGradient) {
  MLP model({2, 6, 6, 6, 1}, {"sigmoid", "sigmoid", "sigmoid", "linear"}, loss::Kind::mse, 3);
  model.set_data(make_random_set(80, 2, 1, false, 18));
  std::vector<double> g(model.size());
  model.evaluate(g.data());
  const auto& norms = model.layer_gradient_norms();
  ASSERT_EQ(norms.size(), 4u);
  for (std::size_t l = 0; l < 4; ++l) {
    const ParamBlock& w = model.layout()[2 * l];
    double s = 0;
    for (std::size_t k = 0; k < w.size(); ++k) s += g[w.offset + k] * g[w.offset + k];
    EXPECT_NEAR(norms[l], std::sqrt(s), 1e-15);
    EXPECT_GT(norms[l], 0.0);
  }
}

TEST(Nn, InputGradientMatchesFiniteDifferencesOfPredict) {
  std::vector<std::unique_ptr<Model>> models;
  models.push_back(std::make_unique<LinearRegression>(3));
  models.push_back(std::make_unique<LogisticRegression>(3));
  models.push_back(std::make_unique<MLP>(std::vector<std::size_t>{3, 5, 2},
                                         std::vector<std::string>{"tanh", "sigmoid"},
                                         loss::Kind::mse, 2));
  for (auto& m : models) {
    randomize(*m, 19);
    const std::vector<double> x{0.4, -1.1, 0.7};
    for (std::size_t out = 0; out < m->outputs(); ++out) {
      const auto g = m->input_gradient(x.data(), out);
      ASSERT_EQ(g.size(), 3u);
      for (std::size_t k = 0; k < 3; ++k) {
        Matrix up({1, 3}), down({1, 3});
        for (std::size_t c = 0; c < 3; ++c) up(0, c) = down(0, c) = x[c];
        up(0, k) += 1e-6, down(0, k) -= 1e-6;
        const double numeric = (m->predict(up)(0, out) - m->predict(down)(0, out)) / 2e-6;
        EXPECT_NEAR(g[k], numeric, 1e-7) << m->type() << " output " << out << " input " << k;
      }
    }
  }
}

TEST(Nn, InputGradientsOfManyRowsAreTheRowsOneAtATime) {
  MLP m({3, 5, 2}, {"tanh", "sigmoid"}, loss::Kind::mse, 2);
  randomize(m, 23);
  const std::vector<double> x{0.4, -1.1, 0.7, 2.0, 0.0, -0.3, -1.5, 0.9, 1.2};  // three rows
  for (std::size_t out = 0; out < 2; ++out) {
    const auto all = m.input_gradients(x.data(), 3, out);
    ASSERT_EQ(all.size(), 9u);
    for (std::size_t r = 0; r < 3; ++r) {
      const auto one = m.input_gradient(x.data() + 3 * r, out);
      for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(all[3 * r + c], one[c]) << "row " << r;
    }
  }
  std::vector<double> bad = x;
  bad[4] = std::numeric_limits<double>::quiet_NaN();
  try {
    m.input_gradients(bad.data(), 3, 0);
    FAIL() << "a NaN input was accepted";
  } catch (const range_error& e) {
    EXPECT_STREQ(e.what(), "input 2 of row 2 is not a finite number");
  }
  EXPECT_THROW(m.input_gradients(x.data(), 0, 0), range_error);
  EXPECT_THROW(m.input_gradients(x.data(), 3, 2), range_error);  // two outputs: 0 and 1
}

TEST(Nn, LogisticRegressionSeparatesTwoBlobs) {
  LogisticRegression model(2);
  const Dataset d = blobs(200, 1, 0.0);
  model.set_data(d);
  std::vector<double> g(3);
  for (int step = 0; step < 300; ++step) {
    model.evaluate(g.data());
    for (int k = 0; k < 3; ++k) model.parameters()[k] -= 0.5 * g[k];
  }
  const Matrix p = model.predict(d.x);
  int right = 0;
  for (std::size_t i = 0; i < d.rows(); ++i) right += (p(i, 0) > 0.5) == (d.y(i, 0) == 1.0);
  EXPECT_GE(right, 195);
}

TEST(Nn, ValidationErrors) {
  ModelSpec spec;
  spec.type = "mlp", spec.sizes = {2, 8, 1}, spec.activations = {"swish", "linear"};
  EXPECT_THROW(make_model(spec), input_error);
  spec.activations = {"tanh"};
  EXPECT_THROW(make_model(spec), input_error);  // one activation per layer
  spec.activations = {"tanh", "tanh"}, spec.loss = "bce";
  EXPECT_THROW(make_model(spec), input_error);  // bce needs a sigmoid or linear output
  spec.loss = "softmax_ce", spec.activations = {"tanh", "linear"};
  EXPECT_THROW(make_model(spec), input_error);
  spec.loss = "mse", spec.sizes = {2, 0, 1};
  EXPECT_THROW(make_model(spec), range_error);
  spec.sizes = {2, kMaxWidth + 1, 1};
  EXPECT_THROW(make_model(spec), range_error);
  spec.sizes = std::vector<std::size_t>(kMaxHiddenLayers + 3, 2);
  spec.activations = std::vector<std::string>(kMaxHiddenLayers + 2, "tanh");
  EXPECT_THROW(make_model(spec), range_error);
  spec.sizes = {2};
  spec.activations = {};
  EXPECT_THROW(make_model(spec), range_error);
  spec.sizes = {2, 4, 1}, spec.activations = {"tanh", "linear"}, spec.init = "zeros";
  EXPECT_THROW(make_model(spec), input_error);
  spec.init = "he";
  EXPECT_NO_THROW(make_model(spec));

  ModelSpec line;
  line.inputs = 0;
  EXPECT_THROW(make_model(line), range_error);
  line.inputs = 1, line.loss = "bce";
  EXPECT_THROW(make_model(line), input_error);
  line.loss = "hinge";
  EXPECT_THROW(make_model(line), input_error);
  line.type = "forest", line.loss = "";
  EXPECT_THROW(make_model(line), input_error);

  LinearRegression model(2);
  EXPECT_THROW(model.evaluate(nullptr), input_error);  // no data yet
  EXPECT_THROW(model.set_data(exam_scores(10, 1, 1.0)), input_error);  // 1 input, not 2
  model.set_data(seed002());
  EXPECT_THROW(model.evaluate_batch(model.parameters().data(), nullptr, 2, 2), range_error);
  EXPECT_THROW(model.evaluate_batch(model.parameters().data(), nullptr, 0, 5), range_error);
  EXPECT_THROW(model.predict(Matrix({3, 1}, 0.0)), input_error);
  Matrix bad({2, 2}, 0.0);
  bad(1, 0) = std::nan("");
  EXPECT_THROW(model.predict(bad), range_error);

  LogisticRegression logistic(1);
  EXPECT_THROW(logistic.set_data(exam_scores(10, 1, 1.0)), range_error);  // targets not in [0,1]
  EXPECT_THROW(logistic.input_gradient(std::vector<double>{1.0}.data(), 1), range_error);
}

TEST(Nn, ActivationsMatchTheirDefinitions) {
  // A 1-1 network with W = 1, b = 0 is just its activation.
  for (const std::string act : {"linear", "relu", "leaky_relu", "tanh", "sigmoid"}) {
    MLP unit({1, 1}, {act}, loss::Kind::mse, 1);
    unit.parameters() = {1.0, 0.0};
    for (double z : {-800.0, -20.0, -3.0, -0.5, -0.01, -1e-3, -1e-9, 0.0, 1e-7, 0.009, 0.011, 0.3,
                     2.0, 19.0, 800.0}) {
      const double expected = act == "linear"       ? z
                              : act == "relu"       ? std::max(z, 0.0)
                              : act == "leaky_relu" ? (z > 0 ? z : 0.01 * z)
                              : act == "tanh"       ? std::tanh(z)
                                                    : 1.0 / (1.0 + std::exp(-z));
      const double got = unit.predict(Matrix({1, 1}, z))(0, 0);
      EXPECT_NEAR(got, expected, 4e-16 * std::max(1.0, std::fabs(expected))) << act << " " << z;
      if (expected != 0.0) EXPECT_NEAR(got / expected, 1.0, 1e-14) << act << " " << z;
    }
  }
}
