// Optimizers: given the parameters and the gradient of the loss, decide where to step next.
// Sorted in order of increasing complexity: SGD (with momentum and Nesterov), Adagrad, RMSprop,
// Adam. Each one follows the pseudo-code in PyTorch's documentation of torch.optim (same
// defaults, same place for epsilon, same first step), so a lesson's numbers match what a learner
// later sees in PyTorch.
//
// This file holds update rules only: no loss, no model, no stopping rule (see train.hpp).
//
// Notation used in the comments: t = step number starting at 1, g_t = gradient, theta = the
// parameters, gamma = learning rate, lambda = weight decay. Every rule here is element-wise, so
// each formula applies to each parameter separately.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace gradlab {

/// The common interface: one call to step() moves the parameters once.
class Optimizer {
 public:
  /// Throws range_error unless lr is finite and > 0.
  explicit Optimizer(double lr);
  virtual ~Optimizer() = default;

  /// Updates params[0..n) in place from grads[0..n) (the gradient of the loss at params).
  /// State buffers (velocity, averages) are allocated on the first step, or again if n changes;
  /// later steps do not allocate.
  virtual void step(double* params, const double* grads, std::size_t n) = 0;

  /// Forgets all state (step count, velocities, averages) so the next step is a first step.
  virtual void reset();

  /// Learning rate gamma.
  double lr() const { return m_lr; }
  /// Throws range_error("learning rate must be finite and > 0") unless lr is.
  void set_lr(double lr);

  /// Number of steps taken since construction or reset() (t of the last step).
  std::size_t steps() const { return m_t; }

  /// True when step() is exactly theta <- theta - gamma g, with no state: then a caller may
  /// apply that update itself (the trainer's fused loop) and count it with count_steps().
  virtual bool is_plain_descent() const { return false; }
  /// Counts k steps on n parameters taken outside step() (only for plain descent).
  void count_steps(std::size_t n, std::size_t k);

  /// Short name: "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam".
  virtual std::string name() const = 0;

 protected:
  /// Called at the start of every step: counts the step and, on a first step (t = 1, or n
  /// differs from the last call), sets the state to its initial values. Returns true on t = 1.
  bool begin_step(std::size_t n);
  /// Sets every state buffer to n initial values. Only allocates when n grows.
  virtual void init_state(std::size_t n) = 0;

  double m_lr;
  std::size_t m_t = 0;  ///< steps taken
  std::size_t m_n = 0;  ///< size the state was initialised for
};

/// Stochastic gradient descent, optionally with momentum (PyTorch's torch.optim.SGD).
///   g <- g + lambda theta                    (if weight_decay != 0)
///   b_1 = g_1;  b_t = mu b_{t-1} + (1 - tau) g_t   (if momentum mu != 0; tau = dampening)
///   g <- g + mu b_t  (nesterov)  or  g <- b_t
///   theta <- theta - gamma g
/// NOTE: the first momentum step copies the gradient (b_1 = g_1) with no dampening, as PyTorch.
class SGD : public Optimizer {
 public:
  /// Defaults are PyTorch's (lr 1e-3). nesterov requires momentum > 0 and dampening 0.
  explicit SGD(double lr = 1e-3, double momentum = 0, double dampening = 0,
               double weight_decay = 0, bool nesterov = false);
  void step(double* params, const double* grads, std::size_t n) override;
  std::string name() const override;
  bool is_plain_descent() const override { return m_momentum == 0 && m_weight_decay == 0; }

  double momentum() const { return m_momentum; }
  double dampening() const { return m_dampening; }
  double weight_decay() const { return m_weight_decay; }
  bool nesterov() const { return m_nesterov; }
  /// The momentum buffer b_t (empty before the first step or without momentum).
  const std::vector<double>& velocity() const { return m_velocity; }

 protected:
  void init_state(std::size_t n) override;

 private:
  double m_momentum, m_dampening, m_weight_decay;
  bool m_nesterov;
  std::vector<double> m_velocity;
};

/// Adagrad (torch.optim.Adagrad): every parameter gets its own step size, shrinking with the
/// sum of its squared gradients.
///   gamma_t = gamma / (1 + (t - 1) eta)      (eta = lr_decay)
///   g <- g + lambda theta                    (if weight_decay != 0)
///   s_t = s_{t-1} + g^2                      (s_0 = initial_accumulator_value)
///   theta <- theta - gamma_t g / (sqrt(s_t) + eps)
class Adagrad : public Optimizer {
 public:
  /// Defaults are PyTorch's: lr 1e-2, lr_decay 0, weight_decay 0, initial accumulator 0,
  /// eps 1e-10.
  explicit Adagrad(double lr = 1e-2, double lr_decay = 0, double weight_decay = 0,
                   double initial_accumulator_value = 0, double eps = 1e-10);
  void step(double* params, const double* grads, std::size_t n) override;
  std::string name() const override { return "adagrad"; }

  /// The running sum of squared gradients s_t.
  const std::vector<double>& sum_squares() const { return m_sum; }

 protected:
  void init_state(std::size_t n) override;

 private:
  double m_lr_decay, m_weight_decay, m_initial, m_eps;
  std::vector<double> m_sum;
};

/// RMSprop (torch.optim.RMSprop): divide the gradient by a running root-mean-square of it.
///   g <- g + lambda theta                        (if weight_decay != 0)
///   v_t = alpha v_{t-1} + (1 - alpha) g^2        (v_0 = 0)
///   centered:  a_t = alpha a_{t-1} + (1 - alpha) g;   v~ = v_t - a_t^2   (else v~ = v_t)
///   momentum mu > 0:  b_t = mu b_{t-1} + g / (sqrt(v~) + eps);  theta <- theta - gamma b_t
///   otherwise:        theta <- theta - gamma g / (sqrt(v~) + eps)
/// NOTE: eps is added after the square root (TensorFlow adds it inside).
class RMSprop : public Optimizer {
 public:
  /// Defaults are PyTorch's: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no momentum.
  explicit RMSprop(double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weight_decay = 0, double momentum = 0, bool centered = false);
  void step(double* params, const double* grads, std::size_t n) override;
  std::string name() const override { return "rmsprop"; }

  /// Running mean of squared gradients v_t.
  const std::vector<double>& square_average() const { return m_square_avg; }

 protected:
  void init_state(std::size_t n) override;

 private:
  double m_alpha, m_eps, m_weight_decay, m_momentum;
  bool m_centered;
  std::vector<double> m_square_avg, m_grad_avg, m_buffer;
};

/// Adam (torch.optim.Adam): momentum on the gradient and RMSprop-style scaling, both
/// bias-corrected so the first steps are not too small.
///   g <- g + lambda theta                        (if weight_decay != 0)
///   m_t = beta1 m_{t-1} + (1 - beta1) g;   v_t = beta2 v_{t-1} + (1 - beta2) g^2
///   m^ = m_t / (1 - beta1^t)
///   v^ = v_t / (1 - beta2^t)   or, amsgrad:  vmax_t = max(vmax_{t-1}, v_t);  v^ = vmax_t / (1 - beta2^t)
///   theta <- theta - gamma m^ / (sqrt(v^) + eps)
/// On the first step m^ = g and v^ = g^2, so every parameter moves by gamma sign(g) (up to eps).
class Adam : public Optimizer {
 public:
  /// Defaults are PyTorch's: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay.
  explicit Adam(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false);
  void step(double* params, const double* grads, std::size_t n) override;
  std::string name() const override { return "adam"; }

  const std::vector<double>& first_moment() const { return m_m; }
  const std::vector<double>& second_moment() const { return m_v; }

 protected:
  void init_state(std::size_t n) override;

 private:
  double m_beta1, m_beta2, m_eps, m_weight_decay;
  bool m_amsgrad;
  std::vector<double> m_m, m_v, m_vmax;
};

/// Everything needed to build any optimizer by name (what the JavaScript side sends).
/// A NaN lr or eps means "the optimizer's PyTorch default" (lr: sgd/momentum/nesterov 1e-3,
/// adagrad 1e-2, rmsprop 1e-2, adam 1e-3; eps: adagrad 1e-10, rmsprop 1e-8, adam 1e-8).
struct OptimizerConfig {
  std::string kind = "sgd";  ///< "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"
  double lr = std::numeric_limits<double>::quiet_NaN();
  double momentum = 0;       ///< sgd, rmsprop; "momentum" and "nesterov" use 0.9 when 0
  double dampening = 0;      ///< sgd
  double weight_decay = 0;   ///< all
  bool nesterov = false;     ///< sgd ("nesterov" kind sets it)
  double alpha = 0.99;       ///< rmsprop smoothing constant
  double eps = std::numeric_limits<double>::quiet_NaN();
  double beta1 = 0.9;        ///< adam
  double beta2 = 0.999;      ///< adam
  bool amsgrad = false;      ///< adam
  bool centered = false;     ///< rmsprop
  double lr_decay = 0;       ///< adagrad
  double initial_accumulator_value = 0;  ///< adagrad
};

/// Builds the optimizer described by config. Unknown kind -> input_error listing the valid
/// kinds; a hyper-parameter out of range -> range_error naming it.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config);

/// The kinds make_optimizer() accepts, in order of increasing complexity.
std::vector<std::string> optimizer_kinds();

}  // namespace gradlab
