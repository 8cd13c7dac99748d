// The training loop of train.hpp.
#include "gradlab/train.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "gradlab/error.hpp"

namespace gradlab {

namespace {

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

// Parameters beyond ±1e100 are out of bounds: a step there has diverged (whatever the loss on
// its batch says), and the trainer does not start there (reset(params) refuses them). No model
// here means anything there, and a model's products with the data can overflow: a logistic
// regression with weights near 1e307 saturated its batch to a loss of exactly 0
// ("converged"), while on another row w₁x₁ + w₂x₂ was inf − inf and the loss of the whole data
// set NaN (found by fuzz_model).
constexpr double kParameterLimit = 1e100;

/// Finite and within ±kParameterLimit.
bool usable(const std::vector<double>& params) {
  return std::all_of(params.begin(), params.end(),
                     [](double x) { return std::isfinite(x) && std::abs(x) <= kParameterLimit; });
}

/// Whether a batch size covers every example (0 = full batch; no examples = a plain function).
bool covers_all(std::size_t batch, std::size_t examples) {
  return batch == 0 || examples == 0 || batch >= examples;
}

double inf_norm(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

/// What a step found at its new point p (n parameters) with gradient g.
struct PointCheck {
  bool finite;       ///< every parameter and gradient component is finite, every |parameter|
                     ///< at most kParameterLimit
  double grad_norm;  ///< largest |gradient component|
};

// One pass: are the new point and its gradient finite (and the point within bounds), and how
// large is the gradient? (x - x is 0 for finite x and NaN for inf or NaN, so one test covers
// both.)
inline PointCheck inspect(const double* p, const double* g, std::size_t n) {
  double finite_check = 0.0, grad_norm = 0.0, largest = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    finite_check += (p[k] - p[k]) + (g[k] - g[k]);
    grad_norm = std::max(grad_norm, std::abs(g[k]));
    largest = std::max(largest, std::abs(p[k]));
  }
  return {finite_check == 0.0 && largest <= kParameterLimit, grad_norm};
}

/// The status after an accepted step: converged (gradient or loss change below tolerance),
/// max_steps (budget used) or running.
inline Status classify(const TrainerOptions& o, double previous_loss, double loss,
                       double grad_norm, std::size_t steps) {
  const double tol = o.loss_tolerance;
  if (grad_norm < o.grad_tolerance) return Status::converged;
  if (tol > 0 && std::isfinite(previous_loss) &&
      std::abs(loss - previous_loss) < tol * std::max(1.0, std::abs(previous_loss)))
    return Status::converged;
  if (steps >= o.max_steps) return Status::max_steps;
  return Status::running;
}

}  // namespace

GRADLAB_COLD std::string to_string(Status status) {
  switch (status) {
    case Status::running: return "running";
    case Status::converged: return "converged";
    case Status::diverged: return "diverged";
    case Status::max_steps: return "max-steps";
  }
  return "running";
}

GRADLAB_COLD Trainer::Trainer(std::shared_ptr<Objective> objective, std::unique_ptr<Optimizer> optimizer,
                 TrainerOptions options)
    : m_objective(std::move(objective)), m_optimizer(std::move(optimizer)), m_options(options) {
  require(m_objective != nullptr, "trainer needs an objective");
  require(m_optimizer != nullptr, "trainer needs an optimizer");
  const TrainerOptions& o = m_options;
  require_range(std::isfinite(o.grad_tolerance) && o.grad_tolerance >= 0,
                "gradient tolerance must be finite and >= 0");
  require_range(std::isfinite(o.loss_tolerance) && o.loss_tolerance >= 0,
                "loss tolerance must be finite and >= 0");
  require_range(std::isfinite(o.divergence_factor) && o.divergence_factor > 0,
                "divergence factor must be finite and > 0");

  m_start = m_objective->parameters();
  const std::size_t n = m_start.size();
  m_grad.assign(n, 0.0);
  m_new_grad.assign(n, 0.0);
  m_last_good.assign(n, 0.0);
  // Room for the first few thousand steps; longer runs grow the vectors geometrically.
  m_history.reserve(std::min<std::size_t>(o.max_steps, 4095) + 1);
  if (o.record_trajectory)
    m_trajectory.reserve(std::min(o.trajectory_limit, 1024 * std::max<std::size_t>(n, 1)));
  reset();
}

Trainer::~Trainer() = default;

double Trainer::evaluate(double* grad) {
  const std::size_t examples = m_objective->num_examples();
  const std::size_t batch = m_options.batch_size;
  if (covers_all(batch, examples)) return m_objective->evaluate(grad);
  if (m_batch_begin >= examples) m_batch_begin = 0;  // the data shrank since the last step
  const std::size_t end = std::min(m_batch_begin + batch, examples);
  return m_objective->evaluate_batch(m_objective->parameters().data(), grad, m_batch_begin, end);
}

void Trainer::record_point() {
  if (!m_options.record_trajectory) return;
  const auto& p = m_objective->parameters();
  if (m_trajectory.size() + p.size() > m_options.trajectory_limit) {
    m_truncated = true;
    return;
  }
  // push_back, not insert: for two parameters insert is a memmove call, the loop is two stores.
  for (double v : p) m_trajectory.push_back(v);
}

void Trainer::update_status(double previous_loss, double grad_norm) {
  m_status = classify(m_options, previous_loss, m_loss, grad_norm, m_steps);
}

double Trainer::divergence_limit() const {
  // |loss|, not loss: a loss running off to -infinity (the saddle) is a run-away as well.
  return m_options.divergence_factor * std::max(1.0, std::abs(m_initial_loss));
}

void Trainer::reset() {
  auto& params = m_objective->parameters();
  params = m_start;
  m_optimizer->reset();
  m_history.clear();
  m_trajectory.clear();
  m_truncated = false;
  m_steps = 0;
  m_batch_begin = 0;

  const double loss = evaluate(m_grad.data());
  m_initial_loss = loss;
  if (!std::isfinite(loss) || !usable(params) || !all_finite(m_grad)) {
    // Nothing finite to start from: report it rather than step from garbage.
    m_loss = std::isfinite(loss) ? loss : std::numeric_limits<double>::quiet_NaN();
    m_status = Status::diverged;
    return;
  }
  m_loss = loss;
  std::copy(params.begin(), params.end(), m_last_good.begin());
  m_history.push_back(loss);
  record_point();
  update_status(std::numeric_limits<double>::quiet_NaN(), inf_norm(m_grad));
}

GRADLAB_COLD void Trainer::reset(const std::vector<double>& params) {
  require(params.size() == m_start.size(),
          "reset: expected " + std::to_string(m_start.size()) + " parameters, got " +
              std::to_string(params.size()));
  require_range(usable(params), "reset: parameters must be finite and within ±1e100");
  m_start = params;
  reset();
}

bool Trainer::full_batch() const {
  return covers_all(m_options.batch_size, m_objective->num_examples());
}

// One step of the loop, shared by step() and run()'s fused loop: update(p, g, n) moves the
// parameters from the gradient at the current point; evaluate_new(grad) gives the loss at the
// new point and writes its gradient.
// NOTE: for the 2-parameter lessons the model's loss is a few dozen nanoseconds, so the
// bookkeeping here is written as plain loops over the parameters, each fusing what would
// otherwise be separate passes (and library calls: std::copy of two doubles is a memmove call).
template <class Update, class Evaluate>
Status Trainer::advance(Update&& update, Evaluate&& evaluate_new) {
  if (m_status != Status::running) return m_status;
  if (m_steps >= m_options.max_steps) return m_status = Status::max_steps;

  auto& params = m_objective->parameters();
  const std::size_t n = params.size();
  double* p = params.data();
  double* last = m_last_good.data();
  bool moved = false;
  for (std::size_t k = 0; k < n; ++k) moved |= p[k] != last[k];
  if (moved) {
    // Someone moved the parameters behind our back (e.g. a slider): the cached loss and
    // gradient belong to the old point, so look again before stepping from the new one.
    const double loss = evaluate(m_grad.data());
    if (!std::isfinite(loss) || !usable(params) || !all_finite(m_grad)) {
      std::copy(m_last_good.begin(), m_last_good.end(), params.begin());
      evaluate(m_grad.data());
      return m_status = Status::diverged;
    }
    m_loss = loss;
    std::copy(params.begin(), params.end(), m_last_good.begin());
  }
  const std::size_t batch_begin = m_batch_begin;

  // theta_{k+1} = optimizer(theta_k, gradient at theta_k); then look at the new point, on the
  // next mini-batch when there are mini-batches.
  update(p, m_grad.data(), n);
  const double loss = evaluate_new(m_new_grad.data());

  const PointCheck check = inspect(p, m_new_grad.data(), n);
  if (!std::isfinite(loss) || std::abs(loss) > divergence_limit() || !check.finite) {
    std::copy(m_last_good.begin(), m_last_good.end(), params.begin());  // undo the bad step
    m_batch_begin = batch_begin;
    return m_status = Status::diverged;
  }

  std::swap(m_grad, m_new_grad);  // no copy, no allocation
  for (std::size_t k = 0; k < n; ++k) last[k] = p[k];
  record_point();
  const double previous = m_loss;
  m_loss = loss;
  ++m_steps;
  m_history.push_back(loss);
  update_status(previous, check.grad_norm);
  return m_status;
}

Status Trainer::step() {
  return advance(
      [this](double* p, const double* g, std::size_t n) { m_optimizer->step(p, g, n); },
      [this](double* grad) {
        const std::size_t examples = m_objective->num_examples();
        const std::size_t batch = m_options.batch_size;
        if (!covers_all(batch, examples)) {  // the next mini-batch
          m_batch_begin += batch;
          if (m_batch_begin >= examples) m_batch_begin = 0;
        }
        return evaluate(grad);
      });
}

Status Trainer::run(std::size_t n) {
  if (m_status != Status::running) return m_status;
  // Room for the whole run up front (capped at 2^20 steps), so a long run never stops to move
  // its history and trajectory to a larger block.
  const std::size_t steps = std::min({n, m_options.max_steps - m_steps, std::size_t{1} << 20});
  m_history.reserve(m_history.size() + steps);
  if (m_options.record_trajectory)
    m_trajectory.reserve(std::min(m_options.trajectory_limit,
                                  m_trajectory.size() + steps * m_start.size()));

  // Fused loop: plain gradient descent on the full batch of an objective with a direct kernel
  // (the regression lessons). See run_fused.
  const Objective::Kernel kernel =
      m_optimizer->is_plain_descent() && full_batch() ? m_objective->full_kernel() : nullptr;
  if (kernel != nullptr) return run_fused(kernel, n);
  for (std::size_t i = 0; i < n && m_status == Status::running; ++i) step();
  return m_status;
}

// The same steps as step(), for plain gradient descent on the full batch: the SGD update is
// written in place and the loss is one direct kernel call instead of the optimizer's, the
// objective's and the model's virtual calls.
// NOTE: for a 64-point line the kernel is ~50 ns, and step()'s bookkeeping (members reloaded
// after every opaque call, a push_back per record, loops over a run-time parameter count) cost
// about as much again in WebAssembly. So for a line's two parameters (every regression lesson)
// the steps after the first run in a loop of their own: every piece of state is a local, the
// two parameters are straight-line code, history and trajectory are written by index into room
// made per block, and the checks are advance()'s own (inspect, classify), so each step matches
// step() to the bit (the TrainerFusedLoop tests). Other sizes step through advance().
Status Trainer::run_fused(Objective::Kernel kernel, std::size_t n) {
  Objective& objective = *m_objective;
  const double lr = m_optimizer->lr();
  std::size_t updates = 0;
  const auto descend = [lr, &updates](double* p, const double* g, std::size_t k) {
    for (std::size_t j = 0; j < k; ++j) p[j] -= lr * g[j];  // as SGD::step
    ++updates;
  };
  const auto loss_at = [kernel, &objective](double* grad) {
    return kernel(objective, objective.parameters().data(), grad);
  };
  constexpr std::size_t K = 2;
  const std::size_t k = m_start.size();
  if (k != K) {  // other sizes: every step through advance()
    for (std::size_t i = 0; i < n && m_status == Status::running; ++i) advance(descend, loss_at);
    m_optimizer->count_steps(k, updates);
    return m_status;
  }
  // The first step through advance(): it notices parameters moved from outside the trainer.
  if (n > 0 && m_status == Status::running) advance(descend, loss_at);

  double* p = objective.parameters().data();
  double* g = m_grad.data();
  double* g_new = m_new_grad.data();
  double* last = m_last_good.data();
  const double limit = divergence_limit();
  const TrainerOptions options = m_options;  // a local: members are reloaded after each kernel call
  Status status = m_status;
  double loss = m_loss;
  std::size_t steps = m_steps;
  bool truncated = m_truncated;

  constexpr std::size_t kBlock = 4096;  // steps per block of history room (32 KB)
  for (std::size_t left = n > 0 ? n - 1 : 0; left > 0 && status == Status::running;) {
    const std::size_t block = std::min(left, kBlock);
    const std::size_t h0 = m_history.size(), t0 = m_trajectory.size();
    // Trajectory points that still fit under trajectory_limit (record_point's rule).
    const std::size_t room = !options.record_trajectory || t0 > options.trajectory_limit
                                 ? 0
                                 : std::min(block, (options.trajectory_limit - t0) / K);
    m_history.resize(h0 + block);
    m_trajectory.resize(t0 + room * K);
    double* history = m_history.data() + h0;
    double* trajectory = m_trajectory.data() + t0;

    std::size_t taken = 0;
    while (taken < block) {
      descend(p, g, K);
      const double next = kernel(objective, p, g_new);
      const PointCheck check = inspect(p, g_new, K);
      if (!std::isfinite(next) || std::abs(next) > limit || !check.finite) {
        for (std::size_t j = 0; j < K; ++j) p[j] = last[j];  // undo the bad step
        status = Status::diverged;
        break;
      }
      std::swap(g, g_new);
      for (std::size_t j = 0; j < K; ++j) last[j] = p[j];
      if (taken < room) {
        for (std::size_t j = 0; j < K; ++j) trajectory[taken * K + j] = p[j];
      } else if (options.record_trajectory) {
        truncated = true;
      }
      history[taken++] = next;
      ++steps;
      status = classify(options, loss, next, check.grad_norm, steps);
      loss = next;
      if (status != Status::running) break;
    }
    m_history.resize(h0 + taken);
    m_trajectory.resize(t0 + std::min(taken, room) * K);
    left -= block;
  }

  if (g != m_grad.data()) std::swap(m_grad, m_new_grad);  // m_grad: gradient at the current point
  m_status = status;
  m_loss = loss;
  m_steps = steps;
  m_truncated = truncated;
  m_optimizer->count_steps(k, updates);
  return m_status;
}

double Trainer::full_loss() { return m_objective->evaluate(nullptr); }

void Trainer::set_learning_rate(double lr) { m_optimizer->set_lr(lr); }

}  // namespace gradlab
