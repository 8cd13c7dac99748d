// Update rules of optim.hpp. Each step() is one pass over the parameters; the state vectors are
// sized on the first step, so later steps never allocate.
#include "gradlab/optim.hpp"

#include <algorithm>
#include <cmath>

#include "gradlab/error.hpp"

namespace gradlab {

namespace {

/// Throws range_error("<what> must be finite and <rule> (got v)") unless ok and v is finite.
/// The message is built only on failure: a trainer is made per slider move in some lessons.
void check(bool ok, double v, const char* what, const char* rule) {
  if (ok && std::isfinite(v)) return;
  throw range_error(std::string(what) + " must be finite and " + rule + " (got " +
                    format_number(v) + ")");
}

/// base^n by repeated squaring. NOTE: not std::pow, which would bring ~4 KB gzipped of lookup
/// tables into the WebAssembly module; this differs from pow by a few ulps at most.
double integer_power(double base, unsigned long long n) {
  double result = 1.0;
  for (; n != 0; n >>= 1) {
    if (n & 1) result *= base;
    base *= base;
  }
  return result;
}

void check_lr(double lr) {
  require_range(std::isfinite(lr) && lr > 0, "learning rate must be finite and > 0");
}

void check_weight_decay(double wd) { check(wd >= 0, wd, "weight_decay", ">= 0"); }
void check_eps(double eps) { check(eps > 0, eps, "eps", "> 0"); }

}  // namespace

// ----------------------------------------------------------------------------------- Optimizer

Optimizer::Optimizer(double lr) : m_lr(lr) { check_lr(lr); }

void Optimizer::set_lr(double lr) {
  check_lr(lr);
  m_lr = lr;
}

void Optimizer::reset() { m_t = 0; }

bool Optimizer::begin_step(std::size_t n) {
  if (m_t == 0 || n != m_n) {
    init_state(n);  // assign() keeps the old capacity: no allocation unless n grew
    m_n = n;
    m_t = 0;
  }
  ++m_t;
  return m_t == 1;
}

void Optimizer::count_steps(std::size_t n, std::size_t k) {
  if (k == 0) return;
  begin_step(n);
  m_t += k - 1;
}

// ----------------------------------------------------------------------------------------- SGD

SGD::SGD(double lr, double momentum, double dampening, double weight_decay, bool nesterov)
    : Optimizer(lr),
      m_momentum(momentum),
      m_dampening(dampening),
      m_weight_decay(weight_decay),
      m_nesterov(nesterov) {
  check(momentum >= 0, momentum, "momentum", ">= 0");
  check(dampening >= 0 && dampening <= 1, dampening, "dampening", "in [0, 1]");
  check_weight_decay(weight_decay);
  require_range(!nesterov || (momentum > 0 && dampening == 0),
                "nesterov momentum requires momentum > 0 and dampening = 0");
}

std::string SGD::name() const {
  if (m_nesterov) return "nesterov";
  return m_momentum > 0 ? "momentum" : "sgd";
}

void SGD::init_state(std::size_t n) {
  if (m_momentum != 0) m_velocity.assign(n, 0.0);
}

void SGD::step(double* params, const double* grads, std::size_t n) {
  const bool first = begin_step(n);
  if (is_plain_descent()) {
    // NOTE: the lessons' common case, as its own loop with the rate in a local: in the general
    // loop below every store to params[i] could alias a member (a double too), so each
    // iteration reloads the rate and both switches.
    const double lr = m_lr;
    for (std::size_t i = 0; i < n; ++i) params[i] -= lr * grads[i];
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    double g = grads[i];
    if (m_weight_decay != 0) g += m_weight_decay * params[i];
    if (m_momentum != 0) {
      double& b = m_velocity[i];
      b = first ? g : m_momentum * b + (1 - m_dampening) * g;
      g = m_nesterov ? g + m_momentum * b : b;  // Nesterov: look ahead along the velocity
    }
    params[i] -= m_lr * g;
  }
}

// ------------------------------------------------------------------------------------- Adagrad

Adagrad::Adagrad(double lr, double lr_decay, double weight_decay,
                 double initial_accumulator_value, double eps)
    : Optimizer(lr),
      m_lr_decay(lr_decay),
      m_weight_decay(weight_decay),
      m_initial(initial_accumulator_value),
      m_eps(eps) {
  check(lr_decay >= 0, lr_decay, "lr_decay", ">= 0");
  check_weight_decay(weight_decay);
  check(initial_accumulator_value >= 0, initial_accumulator_value, "initial_accumulator_value",
        ">= 0");
  check_eps(eps);
}

void Adagrad::init_state(std::size_t n) { m_sum.assign(n, m_initial); }

void Adagrad::step(double* params, const double* grads, std::size_t n) {
  begin_step(n);
  const double lr_t = m_lr / (1 + static_cast<double>(m_t - 1) * m_lr_decay);
  for (std::size_t i = 0; i < n; ++i) {
    double g = grads[i];
    if (m_weight_decay != 0) g += m_weight_decay * params[i];
    m_sum[i] += g * g;
    params[i] -= lr_t * g / (std::sqrt(m_sum[i]) + m_eps);
  }
}

// ------------------------------------------------------------------------------------- RMSprop

RMSprop::RMSprop(double lr, double alpha, double eps, double weight_decay, double momentum,
                 bool centered)
    : Optimizer(lr),
      m_alpha(alpha),
      m_eps(eps),
      m_weight_decay(weight_decay),
      m_momentum(momentum),
      m_centered(centered) {
  check(alpha >= 0 && alpha < 1, alpha, "alpha", "in [0, 1)");
  check_eps(eps);
  check_weight_decay(weight_decay);
  check(momentum >= 0, momentum, "momentum", ">= 0");
}

void RMSprop::init_state(std::size_t n) {
  m_square_avg.assign(n, 0.0);
  if (m_centered) m_grad_avg.assign(n, 0.0);
  if (m_momentum > 0) m_buffer.assign(n, 0.0);
}

void RMSprop::step(double* params, const double* grads, std::size_t n) {
  begin_step(n);
  for (std::size_t i = 0; i < n; ++i) {
    double g = grads[i];
    if (m_weight_decay != 0) g += m_weight_decay * params[i];
    double& v = m_square_avg[i];
    v = m_alpha * v + (1 - m_alpha) * g * g;
    double v_tilde = v;
    if (m_centered) {
      double& a = m_grad_avg[i];
      a = m_alpha * a + (1 - m_alpha) * g;
      // NOTE: v - a^2 is a variance estimate, >= 0 in exact arithmetic; rounding can push it a
      // hair below 0, and sqrt would then give NaN, so clamp at 0.
      v_tilde = std::max(0.0, v - a * a);
    }
    const double scaled = g / (std::sqrt(v_tilde) + m_eps);
    if (m_momentum > 0) {
      double& b = m_buffer[i];
      b = m_momentum * b + scaled;  // b_0 = 0, so b_1 = g_1 / (sqrt(v~_1) + eps)
      params[i] -= m_lr * b;
    } else {
      params[i] -= m_lr * scaled;
    }
  }
}

// ---------------------------------------------------------------------------------------- Adam

Adam::Adam(double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad)
    : Optimizer(lr),
      m_beta1(beta1),
      m_beta2(beta2),
      m_eps(eps),
      m_weight_decay(weight_decay),
      m_amsgrad(amsgrad) {
  check(beta1 >= 0 && beta1 < 1, beta1, "beta1", "in [0, 1)");
  check(beta2 >= 0 && beta2 < 1, beta2, "beta2", "in [0, 1)");
  check_eps(eps);
  check_weight_decay(weight_decay);
}

void Adam::init_state(std::size_t n) {
  m_m.assign(n, 0.0);
  m_v.assign(n, 0.0);
  if (m_amsgrad) m_vmax.assign(n, 0.0);
}

void Adam::step(double* params, const double* grads, std::size_t n) {
  begin_step(n);
  const double correction1 = 1 - integer_power(m_beta1, m_t);  // 1 - beta1^t
  const double correction2 = 1 - integer_power(m_beta2, m_t);  // 1 - beta2^t
  // Members as locals: a store to params[i] or a state vector could alias any double member,
  // so the loop would otherwise reload every hyperparameter per parameter.
  const double lr = m_lr, beta1 = m_beta1, beta2 = m_beta2, eps = m_eps, wd = m_weight_decay;
  const bool amsgrad = m_amsgrad;
  double* mean = m_m.data();
  double* second = m_v.data();
  double* second_max = m_vmax.data();
  for (std::size_t i = 0; i < n; ++i) {
    double g = grads[i];
    if (wd != 0) g += wd * params[i];
    mean[i] = beta1 * mean[i] + (1 - beta1) * g;
    second[i] = beta2 * second[i] + (1 - beta2) * g * g;
    double v = second[i];
    if (amsgrad) {
      // NOTE: the maximum is taken over the raw v_t, then bias-corrected (PyTorch 2.x docs and
      // implementation; some older docs wrote the maximum over the corrected values).
      second_max[i] = std::max(second_max[i], v);
      v = second_max[i];
    }
    const double m_hat = mean[i] / correction1;
    const double v_hat = v / correction2;
    params[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
  }
}

// ------------------------------------------------------------------------------------- factory

std::vector<std::string> optimizer_kinds() {
  return {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"};
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c) {
  // NaN selects PyTorch's default; any other value is validated by the constructors.
  auto or_default = [](double v, double fallback) { return std::isnan(v) ? fallback : v; };
  const std::string& k = c.kind;
  if (k == "sgd" || k == "momentum" || k == "nesterov") {
    const double momentum = (k != "sgd" && c.momentum == 0) ? 0.9 : c.momentum;
    return std::make_unique<SGD>(or_default(c.lr, 1e-3), momentum, c.dampening, c.weight_decay,
                                 k == "nesterov" || c.nesterov);
  }
  if (k == "adagrad")
    return std::make_unique<Adagrad>(or_default(c.lr, 1e-2), c.lr_decay, c.weight_decay,
                                     c.initial_accumulator_value, or_default(c.eps, 1e-10));
  if (k == "rmsprop")
    return std::make_unique<RMSprop>(or_default(c.lr, 1e-2), c.alpha, or_default(c.eps, 1e-8),
                                     c.weight_decay, c.momentum, c.centered);
  if (k == "adam")
    return std::make_unique<Adam>(or_default(c.lr, 1e-3), c.beta1, c.beta2,
                                  or_default(c.eps, 1e-8), c.weight_decay, c.amsgrad);
  std::string valid;
  for (const auto& name : optimizer_kinds()) valid += (valid.empty() ? "" : ", ") + name;
  throw input_error("unknown optimizer '" + k + "' (valid: " + valid + ")");
}

}  // namespace gradlab
