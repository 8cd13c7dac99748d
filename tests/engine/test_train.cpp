// The trainer against closed forms: gradient descent on x^2 multiplies x by (1 - 2 lr) each
// step, so every iterate, loss, stopping step and divergence step can be written down exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/data.hpp"
#include "gradlab/functions.hpp"
#include "gradlab/nn.hpp"
#include "gradlab/optim.hpp"
#include "gradlab/train.hpp"

using namespace gradlab;

namespace {

std::shared_ptr<Objective> square() { return make_function("square"); }  // starts at x = 3

/// A one-parameter objective from a loss formula and its derivative.
class Formula : public Objective {
 public:
  Formula(double start, std::function<double(double)> f, std::function<double(double)> df)
      : m_f(std::move(f)), m_df(std::move(df)) {
    m_params = {start};
    m_layout = {ParamBlock{"w", 1, 1, 0}};
  }
  double evaluate_at(const double* x, double* grad) override {
    if (grad) grad[0] = m_df(x[0]);
    return m_f(x[0]);
  }

 private:
  std::function<double(double)> m_f, m_df;
};

/// Mean over examples a_i of 1/2 (w - a_i)^2: its gradient on a batch is w - mean(batch), so
/// one SGD step with lr 1 lands exactly on the batch mean.
class Mean : public Objective {
 public:
  explicit Mean(std::vector<double> a) : m_a(std::move(a)) {
    m_params = {0.0};
    m_layout = {ParamBlock{"w", 1, 1, 0}};
  }
  std::size_t num_examples() const override { return m_a.size(); }
  double evaluate_at(const double* x, double* grad) override {
    return evaluate_batch(x, grad, 0, m_a.size());
  }
  double evaluate_batch(const double* x, double* grad, std::size_t b, std::size_t e) override {
    double loss = 0, g = 0;
    for (std::size_t i = b; i < e; ++i) {
      loss += 0.5 * (x[0] - m_a[i]) * (x[0] - m_a[i]);
      g += x[0] - m_a[i];
    }
    if (grad) grad[0] = g / (e - b);
    return loss / (e - b);
  }

 private:
  std::vector<double> m_a;
};

std::unique_ptr<Optimizer> sgd(double lr) { return std::make_unique<SGD>(lr); }

}  // namespace

TEST(Trainer, GradientDescentOnSquareFollowsTheClosedForm) {
  // x_{k+1} = x_k - 0.1 * 2 x_k = 0.8 x_k, so x_k = 3 * 0.8^k and loss_k = 9 * 0.64^k.
  Trainer t(square(), sgd(0.1));
  EXPECT_EQ(t.status(), Status::running);
  EXPECT_EQ(t.run(10), Status::running);
  EXPECT_EQ(t.steps(), 10u);
  ASSERT_EQ(t.history().size(), 11u);
  ASSERT_EQ(t.trajectory().size(), 11u);
  for (int k = 0; k <= 10; ++k) {
    EXPECT_NEAR(t.trajectory()[k], 3 * std::pow(0.8, k), 1e-14) << k;
    EXPECT_NEAR(t.history()[k], 9 * std::pow(0.64, k), 1e-13) << k;
  }
  EXPECT_NEAR(t.parameters()[0], 3 * std::pow(0.8, 10), 1e-14);
  EXPECT_NEAR(t.loss(), 9 * std::pow(0.64, 10), 1e-13);
  EXPECT_NEAR(t.gradient()[0], 6 * std::pow(0.8, 10), 1e-13);
  EXPECT_EQ(t.full_loss(), t.loss());
}

TEST(Trainer, TooLargeLearningRateDivergesAndKeepsOnlyFiniteValues) {
  // lr 1.1: x_{k+1} = (1 - 2.2) x_k = -1.2 x_k, loss_k = 9 * 1.44^k. The divergence limit is
  // 1e12 * max(1, 9) = 9e12, first passed when 1.44^k > 1e12:
  // 75 * log10(1.44) = 11.88 < 12 < 76 * log10(1.44) = 12.04, so step 76 is refused.
  Trainer t(square(), sgd(1.1));
  EXPECT_EQ(t.run(1000), Status::diverged);
  EXPECT_EQ(t.steps(), 75u);
  EXPECT_EQ(t.history().size(), 76u);
  for (double l : t.history()) EXPECT_TRUE(std::isfinite(l));
  EXPECT_NEAR(t.parameters()[0] / (3 * std::pow(-1.2, 75)), 1.0, 1e-12);  // last good point
  EXPECT_NEAR(t.loss() / (9 * std::pow(1.44, 75)), 1.0, 1e-12);
  // Stays diverged until reset.
  EXPECT_EQ(t.run(10), Status::diverged);
  EXPECT_EQ(t.step(), Status::diverged);
  EXPECT_EQ(t.steps(), 75u);
  EXPECT_EQ(to_string(t.status()), "diverged");
}

TEST(Trainer, StepBeyondTheParameterLimitDivergesThoughItsLossIsFinite) {
  // Logistic regression, one row x = 1, y = 1, from w = b = 0: p = 1/2, loss ln 2, gradient
  // (p - y)(x, 1) = (-1/2, -1/2). SGD with lr 1e300 moves to w = b = 5e299: the logit 1e300
  // saturates the sigmoid, so the loss there is exactly 0 and the gradient 0, and the step would
  // count as converged. Parameters beyond 1e100 are divergence: the step is refused.
  auto model = std::make_shared<LogisticRegression>(1);
  model->set_data(from_points({1.0}, {1.0}, 1, 1));
  model->parameters() = {0.0, 0.0};
  Trainer t(model, sgd(1e300));
  EXPECT_NEAR(t.loss(), std::log(2.0), 1e-15);
  EXPECT_EQ(t.run(5), Status::diverged);
  EXPECT_EQ(t.steps(), 0u);
  EXPECT_EQ(t.parameters(), (std::vector<double>{0.0, 0.0}));
  EXPECT_NEAR(t.full_loss(), std::log(2.0), 1e-15);
  // One step of lr 1e99 (to 5e98) is still inside the limit and is taken.
  model->parameters() = {0.0, 0.0};
  Trainer small(model, sgd(1e99));
  EXPECT_NE(small.step(), Status::diverged);
  EXPECT_EQ(small.steps(), 1u);
  EXPECT_DOUBLE_EQ(small.parameters()[0], 5e98);
  // Nor does a run start beyond the limit: reset(params) refuses such a point, and a model
  // already there gives a trainer that is diverged from the start.
  EXPECT_THROW(small.reset({1e101, 0.0}), range_error);
  EXPECT_NO_THROW(small.reset({1e100, 0.0}));
  model->parameters() = {-2e100, 0.0};
  Trainer far(model, sgd(0.1));
  EXPECT_EQ(far.status(), Status::diverged);
  EXPECT_EQ(far.run(3), Status::diverged);
  EXPECT_EQ(far.steps(), 0u);
}

TEST(Trainer, NonFiniteLossIsUndoneNotRecorded) {
  // f(w) = w^2 but NaN beyond |w| > 10; from w = 3 with lr 1.1 the points are 3, -3.6, 4.32,
  // -5.184, 6.2208, -7.46496, 8.957952, then -10.7495... gives NaN.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto f = std::make_shared<Formula>(
      3.0, [nan](double w) { return std::abs(w) > 10 ? nan : w * w; },
      [](double w) { return 2 * w; });
  Trainer t(f, sgd(1.1));
  EXPECT_EQ(t.run(100), Status::diverged);
  EXPECT_EQ(t.steps(), 6u);
  EXPECT_NEAR(t.parameters()[0], 3 * std::pow(1.2, 6), 1e-12);
  for (double l : t.history()) EXPECT_TRUE(std::isfinite(l));
  for (double x : t.trajectory()) EXPECT_TRUE(std::isfinite(x));
  EXPECT_TRUE(std::isfinite(t.loss()));
}

TEST(Trainer, ConvergesWhenTheGradientIsTiny) {
  // lr 0.5 on x^2 jumps to the minimum in one step: x_1 = 3 - 0.5 * 6 = 0, gradient 0.
  Trainer once(square(), sgd(0.5));
  EXPECT_EQ(once.run(100), Status::converged);
  EXPECT_EQ(once.steps(), 1u);
  // lr 0.1: |gradient| = 6 * 0.8^k < 1e-10 first at k = 112 (6 * 0.8^111 = 1.05e-10).
  Trainer t(square(), sgd(0.1));
  EXPECT_EQ(t.run(1000), Status::converged);
  EXPECT_EQ(t.steps(), 112u);
  EXPECT_EQ(to_string(t.status()), "converged");
  EXPECT_EQ(t.run(5), Status::converged);
  EXPECT_EQ(t.steps(), 112u);
}

TEST(Trainer, LossToleranceStopsWhenTheLossStallsOnOneStep) {
  // loss_k = 9 * 0.64^k changes by 3.24 * 0.64^(k-1) on step k; below 1e-3 (loss < 1 there)
  // first at k = 20 (k = 19: 3.24 * 0.64^18 = 1.05e-3).
  TrainerOptions o;
  o.loss_tolerance = 1e-3;
  Trainer t(square(), sgd(0.1), o);
  EXPECT_EQ(t.run(1000), Status::converged);
  EXPECT_EQ(t.steps(), 20u);
}

TEST(Trainer, StopsAtTheStepBudget) {
  TrainerOptions o;
  o.max_steps = 5;
  Trainer t(square(), sgd(0.1), o);
  EXPECT_EQ(t.run(3), Status::running);
  EXPECT_EQ(t.run(100), Status::max_steps);
  EXPECT_EQ(t.steps(), 5u);
  EXPECT_EQ(t.history().size(), 6u);
  EXPECT_EQ(to_string(Status::max_steps), "max-steps");
  EXPECT_EQ(to_string(Status::running), "running");
}

TEST(Trainer, SeedPracticeQuestionWeightUpdate) {
  // Seed 000: y = 500 x; dError/dWeight = 10, learning rate 0.01:
  // new weight = 500 - 0.01 * 10 = 499.9. An error that is 10 * w has exactly that gradient.
  auto f = std::make_shared<Formula>(500.0, [](double w) { return 10 * w; },
                                     [](double) { return 10.0; });
  Trainer t(f, sgd(0.01));
  t.step();
  EXPECT_NEAR(t.parameters()[0], 499.9, 1e-12);
  EXPECT_NEAR(t.history()[0], 5000.0, 1e-12);
  EXPECT_NEAR(t.history()[1], 4999.0, 1e-9);
}

TEST(Trainer, ResetReturnsToTheStartOrANewOne) {
  Trainer t(square(), std::make_unique<SGD>(0.1, 0.9));
  t.run(7);
  t.reset();
  EXPECT_EQ(t.steps(), 0u);
  EXPECT_EQ(t.status(), Status::running);
  EXPECT_EQ(t.parameters()[0], 3.0);
  EXPECT_EQ(t.history(), std::vector<double>{9.0});
  EXPECT_EQ(t.trajectory(), std::vector<double>{3.0});
  // The optimizer was reset too: the first momentum step is again b1 = g = 6 -> 3 - 0.6.
  t.step();
  EXPECT_NEAR(t.parameters()[0], 2.4, 1e-15);

  t.reset({2.0});
  EXPECT_EQ(t.history(), std::vector<double>{4.0});
  t.step();
  EXPECT_NEAR(t.parameters()[0], 1.6, 1e-15);
  t.reset();  // back to the new start point 2
  EXPECT_EQ(t.parameters()[0], 2.0);

  EXPECT_THROW(t.reset(std::vector<double>{1.0, 2.0}), input_error);
  EXPECT_THROW(t.reset({std::numeric_limits<double>::infinity()}), range_error);

  // A diverged run runs again after reset.
  Trainer d(square(), sgd(1.1));
  d.run(1000);
  d.reset();
  d.set_learning_rate(0.1);
  EXPECT_EQ(d.run(3), Status::running);
  EXPECT_NEAR(d.parameters()[0], 3 * 0.512, 1e-14);
}

TEST(Trainer, LearningRateCanChangeMidRun) {
  // Two steps at lr 0.1 (x 0.8 each), then two at lr 0.2 (x 0.6 each).
  Trainer t(square(), sgd(0.1));
  t.run(2);
  t.set_learning_rate(0.2);
  t.run(2);
  EXPECT_NEAR(t.parameters()[0], 3 * 0.64 * 0.36, 1e-14);
  EXPECT_THROW(t.set_learning_rate(-1), range_error);
}

TEST(Trainer, MiniBatchesAreConsecutiveAndWrapAround) {
  // a = 1..5, batch 2: batches [0,2) [2,4) [4,5) [0,2) ... With lr 1 each step lands on the
  // mean of the batch it used: w1 = 1.5, w2 = 3.5, w3 = 5, w4 = 1.5.
  auto m = std::make_shared<Mean>(std::vector<double>{1, 2, 3, 4, 5});
  TrainerOptions o;
  o.batch_size = 2;
  o.grad_tolerance = 0;
  Trainer t(m, sgd(1.0), o);
  // history[0]: batch [0,2) at w = 0: (1/2)(1 + 4)/2 = 1.25
  EXPECT_DOUBLE_EQ(t.history()[0], 1.25);
  const double expected[] = {1.5, 3.5, 5.0, 1.5};
  for (double w : expected) {
    t.step();
    EXPECT_DOUBLE_EQ(t.parameters()[0], w);
  }
  // history[1]: batch [2,4) at w = 1.5: (1/2)(1.5^2 + 2.5^2)/2 = 2.125
  EXPECT_DOUBLE_EQ(t.history()[1], 2.125);
  // history[3]: batch [0,2) again at w = 5: (1/2)(16 + 9)/2 = 6.25
  EXPECT_DOUBLE_EQ(t.history()[3], 6.25);
  // full_loss at w = 1.5: (1/2)(0.25 + 0.25 + 2.25 + 6.25 + 12.25) / 5 = 2.125
  EXPECT_DOUBLE_EQ(t.full_loss(), 2.125);
}

TEST(Trainer, TrajectoryStopsAtItsLimit) {
  TrainerOptions o;
  o.trajectory_limit = 5;  // doubles: five points of one parameter
  Trainer t(square(), sgd(0.1), o);
  t.run(10);
  EXPECT_EQ(t.trajectory().size(), 5u);
  EXPECT_TRUE(t.trajectory_truncated());
  EXPECT_EQ(t.history().size(), 11u);
  TrainerOptions off;
  off.record_trajectory = false;
  Trainer u(square(), sgd(0.1), off);
  u.run(3);
  EXPECT_TRUE(u.trajectory().empty());
}

TEST(Trainer, WorksOnTwoDimensionalFunctionsWithAdam) {
  // Adam with constant-sign gradients moves each coordinate by about lr per step, so from
  // (-2.5, 1.5) on the bowl the first step goes to (-2.4, 1.4).
  std::shared_ptr<Objective> bowl = make_function("bowl");
  OptimizerConfig c;
  c.kind = "adam";
  c.lr = 0.1;
  Trainer t(bowl, make_optimizer(c));
  t.step();
  EXPECT_NEAR(t.parameters()[0], -2.4, 1e-8);
  EXPECT_NEAR(t.parameters()[1], 1.4, 1e-8);
  EXPECT_EQ(t.trajectory().size(), 4u);
  t.run(5000);
  EXPECT_NEAR(t.parameters()[0], 0.0, 1e-3);
  EXPECT_NEAR(t.parameters()[1], 0.0, 1e-3);
}

TEST(Trainer, RejectsMissingPartsAndBadOptions) {
  EXPECT_THROW(Trainer(nullptr, sgd(0.1)), input_error);
  EXPECT_THROW(Trainer(square(), nullptr), input_error);
  TrainerOptions o;
  o.divergence_factor = 0;
  EXPECT_THROW(Trainer(square(), sgd(0.1), o), range_error);
  o = TrainerOptions{};
  o.grad_tolerance = -1;
  EXPECT_THROW(Trainer(square(), sgd(0.1), o), range_error);
}

TEST(Trainer, SaddleRunAwayStopsAsDiverged) {
  // lr 0.1 on x^2 - y^2: x_k = -1.8 * 0.8^k, y_k = 0.05 * 1.2^k. The loss falls without bound;
  // the run stops at the first k with |loss_k| > 1e12 * |loss_0|, keeping k - 1 steps.
  auto loss = [](int k) {
    const double x = -1.8 * std::pow(0.8, k), y = 0.05 * std::pow(1.2, k);
    return x * x - y * y;
  };
  int first = 0;
  while (std::abs(loss(first)) <= 1e12 * std::abs(loss(0))) ++first;
  Trainer t(make_function("saddle"), sgd(0.1));
  EXPECT_EQ(t.run(100000), Status::diverged);
  EXPECT_EQ(t.steps(), static_cast<std::size_t>(first - 1));
  EXPECT_NEAR(t.loss() / loss(first - 1), 1.0, 1e-9);
}

TEST(Trainer, GradientDescentSettlesInTheNearestWell) {
  // wells1d from x = 4: the valley near +pi (x ~ 2.99), not the global minimum at 0.
  auto w1 = make_function("wells1d");
  const auto local1 = w1->minima()[1][0] > 0 ? w1->minima()[1] : w1->minima()[2];
  Trainer t1(std::move(w1), sgd(0.1));
  EXPECT_EQ(t1.run(100000), Status::converged);
  EXPECT_NEAR(t1.parameters()[0], local1[0], 1e-9);
  // wells2d from (-0.6, 0): the second-lowest valley, not the deepest.
  auto w2 = make_function("wells2d");
  const auto second = w2->minima()[1];
  Trainer t2(std::move(w2), sgd(0.1));
  EXPECT_EQ(t2.run(100000), Status::converged);
  EXPECT_NEAR(t2.parameters()[0], second[0], 1e-9);
  EXPECT_NEAR(t2.parameters()[1], second[1], 1e-9);
}

TEST(Trainer, ParametersMovedFromOutsideAreSteppedFromTheNewPoint) {
  // After one step x = 2.4; a slider moves x to 1; the next step uses f'(1) = 2: 1 - 0.2 = 0.8.
  auto f = square();
  Trainer t(f, sgd(0.1));
  t.step();
  f->parameters()[0] = 1.0;
  t.step();
  EXPECT_NEAR(t.parameters()[0], 0.8, 1e-15);
  EXPECT_NEAR(t.loss(), 0.64, 1e-15);
  EXPECT_NEAR(t.gradient()[0], 1.6, 1e-15);
  // A NaN pushed in from outside is refused: diverged, the last good point restored.
  f->parameters()[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(t.step(), Status::diverged);
  EXPECT_NEAR(t.parameters()[0], 0.8, 1e-15);
}

// ---------------------------------------------------------------------------------------------
// run()'s fused loop (plain gradient descent on a full batch with a direct kernel, i.e. the
// regression lessons) must take exactly the steps step() takes: same arithmetic, same records.

namespace {

std::shared_ptr<LinearRegression> line_on(const Dataset& data, loss::Kind kind = loss::Kind::mse) {
  auto model = std::make_shared<LinearRegression>(1, true, kind);
  model->set_data(data);
  return model;
}

/// The same trainer twice: one driven by run(n) (fused loop), one by n calls of step().
void expect_same_run(const std::function<std::shared_ptr<Objective>()>& make, double lr,
                     std::size_t n, Status expected, const char* what,
                     const TrainerOptions& options = {}) {
  SCOPED_TRACE(what);
  Trainer fused(make(), sgd(lr), options);
  Trainer stepped(make(), sgd(lr), options);
  const Status status = fused.run(n);
  for (std::size_t i = 0; i < n; ++i) stepped.step();
  EXPECT_EQ(status, expected);
  EXPECT_EQ(stepped.status(), expected);
  EXPECT_EQ(fused.steps(), stepped.steps());
  EXPECT_EQ(fused.optimizer().steps(), stepped.optimizer().steps());
  EXPECT_EQ(fused.parameters(), stepped.parameters());  // bit for bit
  EXPECT_EQ(fused.gradient(), stepped.gradient());
  EXPECT_EQ(fused.history(), stepped.history());
  EXPECT_EQ(fused.trajectory(), stepped.trajectory());
  EXPECT_EQ(fused.trajectory_truncated(), stepped.trajectory_truncated());
}

void expect_same_run(const Dataset& data, double lr, std::size_t n, Status expected,
                     const char* what, const TrainerOptions& options = {}) {
  expect_same_run([&] { return line_on(data); }, lr, n, expected, what, options);
}

}  // namespace

TEST(TrainerFusedLoop, TheLineKernelIsTheModelsLoss) {
  auto model = line_on(exam_scores(64, 7, 5.0));
  const Objective::Kernel kernel = model->full_kernel();
  ASSERT_NE(kernel, nullptr);
  const double at[2] = {3.5, 40.0};
  double g_kernel[2], g_model[2];
  EXPECT_EQ(kernel(*model, at, g_kernel), model->evaluate_at(at, g_model));
  EXPECT_EQ(g_kernel[0], g_model[0]);
  EXPECT_EQ(g_kernel[1], g_model[1]);
  // Only the squared-error losses with data have one; plain functions have none.
  EXPECT_EQ(line_on(exam_scores(8, 7, 5.0), loss::Kind::mae)->full_kernel(), nullptr);
  EXPECT_EQ(LinearRegression(1).full_kernel(), nullptr);
  EXPECT_EQ(square()->full_kernel(), nullptr);
}

TEST(TrainerFusedLoop, MatchesStepByStepOnTheExamScores) {
  expect_same_run(exam_scores(64, 11, 5.0), 0.01, 3000, Status::running, "step budget");
  // lr 0.05 is above 2 / lambda_max (lambda_max ~ 2 E[x^2] ~ 67 for hours in [0, 10]).
  expect_same_run(exam_scores(64, 11, 5.0), 0.05, 2000, Status::diverged, "diverging");
  expect_same_run(from_points({1, 2, 3}, {3, 5, 7}, 1, 1), 0.1, 20000, Status::converged,
                  "exact line");
}

TEST(TrainerFusedLoop, MatchesStepByStepUnderEveryOption) {
  const Dataset exam = exam_scores(64, 11, 5.0);
  // Longer than one 4096-step block of history room.
  expect_same_run(exam, 0.001, 9000, Status::running, "across blocks");
  TrainerOptions o;
  o.trajectory_limit = 2 * 700 + 1;  // room for 700 points, then truncated mid-block
  expect_same_run(exam, 0.01, 5000, Status::running, "trajectory limit", o);
  o = {};
  o.record_trajectory = false;
  expect_same_run(exam, 0.01, 500, Status::running, "no trajectory", o);
  o = {};
  o.max_steps = 4321;
  expect_same_run(exam, 0.01, 6000, Status::max_steps, "step budget option", o);
  o = {};
  o.loss_tolerance = 1e-9;
  expect_same_run(exam, 0.01, 100000, Status::converged, "loss tolerance", o);
  o = {};
  o.grad_tolerance = 0;
  o.divergence_factor = 10;  // the first steps at lr 0.04 overshoot past 10x the start loss
  expect_same_run(exam, 0.04, 1000, Status::diverged, "divergence factor", o);
  // Parameter counts other than a line's two (the loop's run-time-sized branch), and half_mse.
  const Dataset plane = from_points({1, 0, 0, 1, 1, 1, 2, 1}, {3, 2, 4.5, 6}, 2, 1);
  expect_same_run([&] {
    auto m = std::make_shared<LinearRegression>(2, true, loss::Kind::mse);
    m->set_data(plane);
    return m;
  }, 0.05, 3000, Status::converged, "two inputs and a bias");
  expect_same_run([&] {
    auto m = std::make_shared<LinearRegression>(1, false, loss::Kind::half_mse);
    m->set_data(exam);
    return m;
  }, 0.001, 3000, Status::converged, "no bias, half_mse");
}

TEST(TrainerFusedLoop, ConvergesToTheLeastSquaresLine) {
  // y = 2x + 1 exactly: the least-squares line is (2, 1) with loss 0, so gradient descent stops
  // as converged (gradient below 1e-10) on it.
  Trainer t(line_on(from_points({1, 2, 3, 4}, {3, 5, 7, 9}, 1, 1)), sgd(0.05));
  EXPECT_EQ(t.run(1000000), Status::converged);
  EXPECT_NEAR(t.parameters()[0], 2.0, 1e-9);
  EXPECT_NEAR(t.parameters()[1], 1.0, 1e-9);
  EXPECT_EQ(t.optimizer().steps(), t.steps());
}

TEST(TrainerFusedLoop, DivergenceUndoesTheBadStepAndCountsIt) {
  // Eigenvalues of the MSE Hessian 2 [[E x^2, E x], [E x, 1]] for x = 1..3: about 11.7 and
  // 0.29, so lr 0.5 grows the error by |1 - 0.5 * 11.7| > 1 per step until the limit trips.
  auto model = line_on(from_points({1, 2, 3}, {3, 5, 7}, 1, 1));
  Trainer t(model, sgd(0.5));
  EXPECT_EQ(t.run(100000), Status::diverged);
  EXPECT_TRUE(std::isfinite(t.parameters()[0]) && std::isfinite(t.parameters()[1]));
  EXPECT_EQ(t.trajectory().size(), 2 * (t.steps() + 1));
  EXPECT_EQ(t.history().back(), model->evaluate_at(t.parameters().data(), nullptr));
  EXPECT_EQ(t.optimizer().steps(), t.steps() + 1);  // the refused step was taken, then undone
}

TEST(TrainerFusedLoop, ParametersMovedBetweenRunsAreSteppedFromTheNewPoint) {
  const Dataset data = from_points({1, 2, 3}, {3, 5, 7}, 1, 1);
  auto a = line_on(data), b = line_on(data);
  Trainer fused(a, sgd(0.1)), stepped(b, sgd(0.1));
  fused.run(5);
  for (int i = 0; i < 5; ++i) stepped.step();
  a->parameters() = {0.5, -1.0};  // a slider
  b->parameters() = {0.5, -1.0};
  fused.run(3);
  for (int i = 0; i < 3; ++i) stepped.step();
  EXPECT_EQ(fused.parameters(), stepped.parameters());
  EXPECT_EQ(fused.history(), stepped.history());
  // From (0.5, -1): residuals r_i = 0.5 x_i - 1 - y_i = -3.5, -5, -6.5, so the first step after
  // the move is w -= 0.1 * (2/3) * sum r_i x_i = 0.5 + 0.1 * (2/3) * 33 = 2.7.
  Trainer once(line_on(data), sgd(0.1));
  once.objective().parameters() = {0.5, -1.0};
  once.run(1);
  EXPECT_NEAR(once.parameters()[0], 2.7, 1e-12);
}
