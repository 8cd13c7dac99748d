// The training loop: evaluate the loss and its gradient, let the optimizer step, repeat; stop
// when the gradient vanishes (converged), the loss blows up (diverged) or the step budget runs
// out (max_steps). It records what lessons plot: the loss after every step and the path of the
// parameters.
//
// This file knows nothing about what is being minimised (any Objective: a lesson function or a
// model) nor how a step is chosen (any Optimizer).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "gradlab/objective.hpp"
#include "gradlab/optim.hpp"

namespace gradlab {

/// Where a training run stands.
enum class Status {
  running,    ///< can take more steps
  converged,  ///< the gradient (or the loss change) fell below its tolerance
  diverged,   ///< the loss or a parameter stopped being finite, the loss exploded, or a
              ///< parameter went beyond ±1e100
  max_steps,  ///< TrainerOptions::max_steps steps taken
};

/// "running", "converged", "diverged", "max-steps".
std::string to_string(Status status);

struct TrainerOptions {
  /// Examples per step; 0 = the full batch. Used only when the objective has examples
  /// (num_examples() > 0).
  std::size_t batch_size = 0;
  /// Total step budget; reaching it sets Status::max_steps.
  std::size_t max_steps = 1000000;
  /// Converged when every |gradient component| < grad_tolerance (0 disables).
  double grad_tolerance = 1e-10;
  /// When > 0, also converged when one step changes the loss by less than
  /// loss_tolerance * max(1, |previous loss|).
  double loss_tolerance = 0;
  /// Diverged when |loss| exceeds divergence_factor * max(1, |initial loss|) (or any loss,
  /// gradient or parameter is not finite). |loss| so that a loss falling without bound (the
  /// saddle) also stops.
  double divergence_factor = 1e12;
  /// Keep the parameters after every step in trajectory().
  bool record_trajectory = true;
  /// Most doubles trajectory() may hold; later points are not recorded (see
  /// Trainer::trajectory_truncated()).
  std::size_t trajectory_limit = 200000;
};

/// Runs an optimizer on an objective.
///
/// After construction and after every step the trainer holds the loss and gradient at the
/// current parameters, so history()[k] is the loss after k steps (history()[0] = initial loss)
/// and history().size() == steps() + 1.
///
/// Mini-batches: with batch_size > 0 and an objective with examples, the examples are taken in
/// consecutive batches [b, b + batch_size) (the last one may be shorter; then it wraps to 0).
/// history()[k] and gradient() are then those of the batch the next step will use, evaluated at
/// the current parameters: a noisy estimate of the full loss, which full_loss() computes.
///
/// Divergence: the step that produced a non-finite or exploding loss is undone (parameters,
/// gradient and loss are those of the last good point) and nothing non-finite is recorded.
/// Once converged or diverged, step() and run() do nothing until reset().
///
/// Parameters changed from outside (objective().parameters() = ...) are noticed at the next
/// step, which re-evaluates the loss and gradient there first and steps from the new point;
/// history() and trajectory() simply continue. reset(params) instead starts a fresh run.
class Trainer {
 public:
  /// Evaluates the objective at its current parameters (the start point). Throws input_error
  /// for a null objective or optimizer, range_error for bad options.
  Trainer(std::shared_ptr<Objective> objective, std::unique_ptr<Optimizer> optimizer,
          TrainerOptions options = {});
  // NOTE: defined in train.cpp, not implicitly where a trainer is freed: the WebAssembly
  // bindings are built for size (-Oz), and there the history's and trajectory's destructors
  // kept a loop over every element (30,000 iterations after a 10,000-step run, ~0.1 ms).
  ~Trainer();
  Trainer(Trainer&&) noexcept = default;
  Trainer& operator=(Trainer&&) noexcept = default;

  /// Takes up to n steps, stopping early if the status leaves running. Returns the status.
  Status run(std::size_t n);
  /// run(1).
  Status step();

  Status status() const { return m_status; }
  /// Accepted steps since construction or reset().
  std::size_t steps() const { return m_steps; }
  /// The latest finite loss (NaN only if even the start point's loss was not finite).
  double loss() const { return m_loss; }
  /// Gradient at the current parameters (of the next mini-batch in mini-batch mode).
  const std::vector<double>& gradient() const { return m_grad; }
  /// The current parameters (the objective's).
  const std::vector<double>& parameters() const { return m_objective->parameters(); }
  /// Loss after each step; [0] is the initial loss. Only finite values.
  const std::vector<double>& history() const { return m_history; }
  /// Parameters at each recorded point, flat: point k is [k * size, (k + 1) * size).
  const std::vector<double>& trajectory() const { return m_trajectory; }
  /// True when trajectory_limit stopped the recording of later points.
  bool trajectory_truncated() const { return m_truncated; }

  /// Loss over all examples at the current parameters (= loss() in full-batch mode).
  double full_loss();

  /// Back to the start point: parameters, optimizer state, history, trajectory, status.
  void reset();
  /// Makes params the new start point, then reset(). Throws input_error for a wrong size,
  /// range_error for non-finite values.
  void reset(const std::vector<double>& params);

  /// Changes the optimizer's learning rate from the next step on (range_error unless finite
  /// and > 0). Does not reset anything.
  void set_learning_rate(double lr);

  Objective& objective() { return *m_objective; }
  Optimizer& optimizer() { return *m_optimizer; }
  const TrainerOptions& options() const { return m_options; }

 private:
  /// Loss (and gradient into grad) at the current parameters, on the current batch.
  double evaluate(double* grad);
  bool full_batch() const;
  template <class Update, class Evaluate>
  Status advance(Update&& update, Evaluate&& evaluate_new);
  Status run_fused(Objective::Kernel kernel, std::size_t n);
  /// |loss| beyond this is divergence.
  double divergence_limit() const;
  /// Appends the current parameters to the trajectory if allowed.
  void record_point();
  /// Sets m_status from the latest accepted point (converged / max_steps / running), given the
  /// largest |gradient component| there.
  void update_status(double previous_loss, double grad_norm);

  std::shared_ptr<Objective> m_objective;
  std::unique_ptr<Optimizer> m_optimizer;
  TrainerOptions m_options;

  Status m_status = Status::running;
  std::size_t m_steps = 0;
  double m_loss = 0;
  double m_initial_loss = 0;
  std::size_t m_batch_begin = 0;  ///< first example of the current batch
  bool m_truncated = false;

  std::vector<double> m_start;      ///< the start point reset() returns to
  std::vector<double> m_grad;       ///< gradient at the current parameters
  std::vector<double> m_new_grad;   ///< gradient at a trial point, swapped in when accepted
  std::vector<double> m_last_good;  ///< parameters at the last accepted point
  std::vector<double> m_history;
  std::vector<double> m_trajectory;
};

}  // namespace gradlab
