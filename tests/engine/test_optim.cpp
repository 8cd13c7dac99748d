// Optimizers against step sequences worked out by hand from PyTorch's documented formulas.
// Every expected number below is written from the formula in the comment, never from our code.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/optim.hpp"

using namespace gradlab;

namespace {

/// Runs one step with the given gradient on a single parameter and returns it.
double step1(Optimizer& opt, double& theta, double g) {
  opt.step(&theta, &g, 1);
  return theta;
}

OptimizerConfig config(const std::string& kind, double lr) {
  OptimizerConfig c;
  c.kind = kind;
  c.lr = lr;
  return c;
}

}  // namespace

// ------------------------------------------------------------------------------------------ SGD

TEST(Sgd, PlainStepIsThetaMinusLrTimesGradient) {
  SGD opt(0.1);
  double theta = 1.0;
  EXPECT_DOUBLE_EQ(step1(opt, theta, 2.0), 0.8);  // 1 - 0.1 * 2
}

TEST(Sgd, MomentumThreeStepsOnConstantGradient) {
  // mu = 0.9, lr = 0.1, g = 1:  b1 = g = 1, b2 = 0.9 + 1 = 1.9, b3 = 0.9 * 1.9 + 1 = 2.71
  // theta: 0 -> -0.1 -> -0.29 -> -0.561
  SGD opt(0.1, 0.9);
  double theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.1, 1e-15);
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.29, 1e-15);
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.561, 1e-15);
  EXPECT_NEAR(opt.velocity()[0], 2.71, 1e-15);
}

TEST(Sgd, DampeningIsSkippedOnTheFirstStep) {
  // mu = 0.9, tau = 0.5, g = 1:  b1 = 1 (no dampening), b2 = 0.9 + 0.5 = 1.4, b3 = 1.26 + 0.5
  SGD opt(1.0, 0.9, 0.5);
  double theta = 0.0;
  step1(opt, theta, 1.0);
  EXPECT_NEAR(opt.velocity()[0], 1.0, 1e-15);
  step1(opt, theta, 1.0);
  EXPECT_NEAR(opt.velocity()[0], 1.4, 1e-15);
  step1(opt, theta, 1.0);
  EXPECT_NEAR(opt.velocity()[0], 1.76, 1e-15);
  EXPECT_NEAR(theta, -(1.0 + 1.4 + 1.76), 1e-14);
}

TEST(Sgd, NesterovLooksAheadAlongTheVelocity) {
  // mu = 0.9, lr = 0.1, g = 1:  b1 = 1, step uses g + mu b1 = 1.9  -> theta1 = -0.19
  //                             b2 = 1.9, step uses 1 + 0.9 * 1.9 = 2.71 -> theta2 = -0.461
  SGD opt(0.1, 0.9, 0.0, 0.0, true);
  double theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.19, 1e-15);
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.461, 1e-15);
  EXPECT_EQ(opt.name(), "nesterov");
}

TEST(Sgd, NesterovNeedsMomentumAndNoDampening) {
  EXPECT_THROW(SGD(0.1, 0.0, 0.0, 0.0, true), range_error);
  EXPECT_THROW(SGD(0.1, 0.9, 0.1, 0.0, true), range_error);
}

TEST(Sgd, WeightDecayIsAddedToTheGradient) {
  // g' = g + lambda theta = 1 + 0.5 * 2 = 2;  theta = 2 - 0.1 * 2 = 1.8
  SGD opt(0.1, 0.0, 0.0, 0.5);
  double theta = 2.0;
  EXPECT_NEAR(step1(opt, theta, 1.0), 1.8, 1e-15);
}

TEST(Sgd, ResetMakesTheNextStepAFirstStepAgain) {
  SGD opt(0.1, 0.9);
  double theta = 0.0;
  step1(opt, theta, 1.0);
  step1(opt, theta, 1.0);
  opt.reset();
  EXPECT_EQ(opt.steps(), 0u);
  theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.1, 1e-15);  // b1 = g again, not 0.9 * 1.9 + 1
}

TEST(Sgd, StateIsAllocatedOnceAndReusedAcrossSteps) {
  SGD opt(0.1, 0.9);
  std::vector<double> theta{1, 2, 3}, g{1, 1, 1};
  opt.step(theta.data(), g.data(), 3);
  const double* buffer = opt.velocity().data();
  for (int k = 0; k < 10; ++k) opt.step(theta.data(), g.data(), 3);
  EXPECT_EQ(opt.velocity().data(), buffer);
  // A different size starts afresh (b1 = g for each element).
  opt.step(theta.data(), g.data(), 2);
  EXPECT_EQ(opt.steps(), 1u);
  EXPECT_EQ(opt.velocity()[0], 1.0);
}

// -------------------------------------------------------------------------------------- Adagrad

TEST(Adagrad, ConstantGradientStepsShrinkLikeOneOverSqrtT) {
  // (tolerance 1e-10: the default eps = 1e-10 sits in each denominator)
  // g = 3, lr = 0.1:  s_t = 9 t, step_t = 0.1 * 3 / sqrt(9 t) = 0.1 / sqrt(t)
  Adagrad opt(0.1);
  double theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 3.0), -0.1, 1e-10);
  EXPECT_NEAR(step1(opt, theta, 3.0), -0.1 - 0.1 / std::sqrt(2.0), 1e-10);
  EXPECT_NEAR(step1(opt, theta, 3.0), -0.1 - 0.1 / std::sqrt(2.0) - 0.1 / std::sqrt(3.0), 1e-10);
  EXPECT_NEAR(opt.sum_squares()[0], 27.0, 1e-10);
}

TEST(Adagrad, LearningRateDecayAndInitialAccumulator) {
  // lr_decay 0.5: gamma_2 = 0.1 / (1 + 0.5) = 1/15;  initial accumulator 16, g = 3:
  // s1 = 16 + 9 = 25 -> step 0.1 * 3 / 5 = 0.06;  s2 = 34 -> step (1/15) * 3 / sqrt(34)
  Adagrad opt(0.1, 0.5, 0.0, 16.0);
  double theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 3.0), -0.06, 1e-10);
  EXPECT_NEAR(step1(opt, theta, 3.0), -0.06 - (1.0 / 15.0) * 3.0 / std::sqrt(34.0), 1e-10);
}

TEST(Adagrad, WeightDecayAndEpsilonPlacement) {
  // g = 0, theta = 2, lambda = 0.5 -> g' = 1, s1 = 1, step = 0.1 * 1 / (1 + eps) with eps 0.25
  Adagrad opt(0.1, 0.0, 0.5, 0.0, 0.25);
  double theta = 2.0;
  EXPECT_NEAR(step1(opt, theta, 0.0), 2.0 - 0.1 / 1.25, 1e-15);
}

// -------------------------------------------------------------------------------------- RMSprop

TEST(Rmsprop, FirstStepsWithDefaults) {
  // alpha 0.99, lr 0.01, g = 1: v1 = 0.01 -> step 0.01 / (0.1 + 1e-8);
  //                             v2 = 0.0099 + 0.01 = 0.0199 -> step 0.01 / (sqrt(0.0199) + 1e-8)
  RMSprop opt(0.01);
  double theta = 0.0;
  const double t1 = -0.01 / (0.1 + 1e-8);
  EXPECT_NEAR(step1(opt, theta, 1.0), t1, 1e-15);
  EXPECT_NEAR(step1(opt, theta, 1.0), t1 - 0.01 / (std::sqrt(0.0199) + 1e-8), 1e-15);
}

TEST(Rmsprop, CenteredSubtractsTheSquaredMeanGradient) {
  // alpha 0.5, lr 1, eps tiny.
  // g1 = 2: v = 2, a = 1, v~ = 2 - 1 = 1       -> step 2 / 1 = 2
  // g2 = 0: v = 1, a = 0.5, v~ = 0.75          -> step 0
  // g3 = 1: v = 1, a = 0.75, v~ = 0.4375       -> step 1 / sqrt(0.4375)
  RMSprop opt(1.0, 0.5, 1e-300, 0.0, 0.0, true);
  double theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 2.0), -2.0, 1e-14);
  EXPECT_NEAR(step1(opt, theta, 0.0), -2.0, 1e-14);
  EXPECT_NEAR(step1(opt, theta, 1.0), -2.0 - 1.0 / std::sqrt(0.4375), 1e-14);
}

TEST(Rmsprop, MomentumBufferStartsAtZero) {
  // alpha 0.5, lr 1, mu 0.5, g = 2 twice:
  // v1 = 2 -> b1 = 2 / sqrt(2) = sqrt(2);  v2 = 1 + 2 = 3 -> b2 = 0.5 sqrt(2) + 2 / sqrt(3)
  RMSprop opt(1.0, 0.5, 1e-300, 0.0, 0.5);
  double theta = 0.0;
  const double b1 = std::sqrt(2.0), b2 = 0.5 * std::sqrt(2.0) + 2.0 / std::sqrt(3.0);
  EXPECT_NEAR(step1(opt, theta, 2.0), -b1, 1e-14);
  EXPECT_NEAR(step1(opt, theta, 2.0), -b1 - b2, 1e-14);
}

// ----------------------------------------------------------------------------------------- Adam

TEST(Adam, FirstStepMovesEveryParameterByLrTimesSignOfGradient) {
  // m^1 = g, v^1 = g^2, so the step is lr g / (|g| + eps): lr sign(g) up to eps; g = 0 stays.
  Adam opt(0.1);
  std::vector<double> theta{1.0, 1.0, 1.0}, g{3.0, -0.002, 0.0};
  opt.step(theta.data(), g.data(), 3);
  EXPECT_NEAR(theta[0], 0.9, 1e-9);
  EXPECT_NEAR(theta[1], 1.1, 1e-6);  // 0.1 * 0.002 / (0.002 + 1e-8)
  EXPECT_EQ(theta[2], 1.0);
}

TEST(Adam, BiasCorrectionOnASignFlip) {
  // lr 0.1, betas (0.9, 0.999), g1 = 1, g2 = -1.
  // t=1: m = 0.1, v = 0.001; m^ = 1, v^ = 1 -> step -0.1
  // t=2: m = 0.09 - 0.1 = -0.01, v = 0.000999 + 0.001 = 0.001999
  //      m^ = -0.01 / 0.19 = -1/19, v^ = 0.001999 / (1 - 0.998001) = 1 -> step +0.1/19
  Adam opt(0.1);
  double theta = 0.0;
  EXPECT_NEAR(step1(opt, theta, 1.0), -0.1, 1e-8);
  EXPECT_NEAR(step1(opt, theta, -1.0), -0.1 + 0.1 / 19.0, 1e-8);
}

TEST(Adam, AmsgradKeepsTheLargestSecondMoment) {
  // lr 0.1, g1 = 2, g2 = 0.  t=1: m = 0.2, v = 0.004 -> step -0.1.
  // t=2: m = 0.18, v = 0.003996, vmax = 0.004;  m^ = 0.18 / 0.19
  //   amsgrad: v^ = 0.004 / 0.001999;  plain Adam: v^ = 0.003996 / 0.001999
  Adam ams(0.1, 0.9, 0.999, 1e-300, 0.0, true), plain(0.1, 0.9, 0.999, 1e-300);
  double a = 0.0, p = 0.0;
  step1(ams, a, 2.0);
  step1(plain, p, 2.0);
  step1(ams, a, 0.0);
  step1(plain, p, 0.0);
  EXPECT_NEAR(a, -0.1 - 0.1 * (0.18 / 0.19) / std::sqrt(0.004 / 0.001999), 1e-12);
  EXPECT_NEAR(p, -0.1 - 0.1 * (0.18 / 0.19) / std::sqrt(0.003996 / 0.001999), 1e-12);
}

TEST(Adam, WeightDecayMovesParametersEvenWithZeroGradient) {
  // g' = 0 + 0.1 * 1 = 0.1 > 0, and the first Adam step is lr sign(g'): 1 -> 0.99
  Adam opt(0.01, 0.9, 0.999, 1e-8, 0.1);
  double theta = 1.0;
  EXPECT_NEAR(step1(opt, theta, 0.0), 0.99, 1e-9);
}

// ------------------------------------------------------------------------- factory, validation

TEST(MakeOptimizer, KindsAndDefaults) {
  OptimizerConfig c;
  c.kind = "adam";
  EXPECT_EQ(make_optimizer(c)->lr(), 1e-3);
  c.kind = "adagrad";
  EXPECT_EQ(make_optimizer(c)->lr(), 1e-2);
  c.kind = "rmsprop";
  EXPECT_EQ(make_optimizer(c)->lr(), 1e-2);
  c.kind = "sgd";
  EXPECT_EQ(make_optimizer(c)->name(), "sgd");
}

TEST(MakeOptimizer, MomentumKindDefaultsToPointNine) {
  auto opt = make_optimizer(config("momentum", 0.1));
  EXPECT_EQ(opt->name(), "momentum");
  double theta = 0.0;
  step1(*opt, theta, 1.0);
  step1(*opt, theta, 1.0);
  EXPECT_NEAR(theta, -0.29, 1e-15);  // same sequence as MomentumThreeStepsOnConstantGradient
  auto nag = make_optimizer(config("nesterov", 0.1));
  theta = 0.0;
  EXPECT_NEAR(step1(*nag, theta, 1.0), -0.19, 1e-15);
}

TEST(MakeOptimizer, UnknownKindListsTheValidOnes) {
  try {
    make_optimizer(config("lbfgs", 0.1));
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("lbfgs"), std::string::npos);
    EXPECT_NE(what.find("adam"), std::string::npos);
    EXPECT_NE(what.find("rmsprop"), std::string::npos);
  }
}

TEST(MakeOptimizer, EveryHyperParameterIsValidated) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double lr : {0.0, -1.0, inf}) EXPECT_THROW(make_optimizer(config("sgd", lr)), range_error);
  auto bad = [](auto edit) {
    OptimizerConfig c;
    c.lr = 0.1;
    edit(c);
    return c;
  };
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.momentum = -0.1; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.weight_decay = -1; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.dampening = 2; })), range_error);
  EXPECT_THROW(make_optimizer(bad([&](auto& c) { c.momentum = nan; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.kind = "adam"; c.beta1 = 1.0; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.kind = "adam"; c.beta2 = -0.1; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.kind = "adam"; c.eps = 0; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.kind = "rmsprop"; c.alpha = 1; })), range_error);
  EXPECT_THROW(make_optimizer(bad([](auto& c) { c.kind = "adagrad"; c.lr_decay = -1; })),
               range_error);
  EXPECT_THROW(
      make_optimizer(bad([](auto& c) { c.kind = "adagrad"; c.initial_accumulator_value = -1; })),
      range_error);
  try {
    make_optimizer(bad([](auto& c) { c.kind = "adam"; c.beta1 = 1.5; }));
  } catch (const range_error& e) {
    EXPECT_NE(std::string(e.what()).find("beta1"), std::string::npos);
  }
}

TEST(Optimizer, SetLearningRateIsValidated) {
  SGD opt(0.1);
  opt.set_lr(0.5);
  EXPECT_EQ(opt.lr(), 0.5);
  try {
    opt.set_lr(0.0);
    FAIL() << "expected range_error";
  } catch (const range_error& e) {
    EXPECT_STREQ(e.what(), "learning rate must be finite and > 0");
  }
  EXPECT_THROW(opt.set_lr(std::numeric_limits<double>::quiet_NaN()), range_error);
  EXPECT_EQ(opt.lr(), 0.5);
}
