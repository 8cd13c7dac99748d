#include "gradlab/loss.hpp"

#include <algorithm>
#include <cmath>

#include "gradlab/error.hpp"

namespace gradlab::loss {

Kind parse(const std::string& name) {
  if (name == "mse") return Kind::mse;
  if (name == "half_mse") return Kind::half_mse;
  if (name == "mae") return Kind::mae;
  if (name == "huber") return Kind::huber;
  if (name == "bce" || name == "bce_logits") return Kind::bce_logits;
  if (name == "softmax_ce" || name == "cross_entropy") return Kind::softmax_ce;
  throw input_error("unknown loss \"" + name +
                    "\" (expected mse, half_mse, mae, huber, bce or softmax_ce)");
}

std::string name(Kind kind) {
  switch (kind) {
    case Kind::mse: return "mse";
    case Kind::half_mse: return "half_mse";
    case Kind::mae: return "mae";
    case Kind::huber: return "huber";
    case Kind::bce_logits: return "bce";
    case Kind::softmax_ce: return "softmax_ce";
  }
  return "mse";
}

namespace {
void require_nonempty(std::size_t n) { require(n > 0, "a loss needs at least one prediction"); }
}  // namespace

double mse(const double* p, const double* t, std::size_t n, double* grad) {
  require_nonempty(n);
  const double inv_n = 1.0 / static_cast<double>(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = p[i] - t[i];
    sum += r * r;
    if (grad) grad[i] = 2.0 * r * inv_n;
  }
  return sum * inv_n;
}

double half_mse(const double* p, const double* t, std::size_t n, double* grad) {
  require_nonempty(n);
  const double inv_n = 1.0 / static_cast<double>(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = p[i] - t[i];
    sum += r * r;
    if (grad) grad[i] = r * inv_n;
  }
  return 0.5 * sum * inv_n;
}

double mae(const double* p, const double* t, std::size_t n, double* grad) {
  require_nonempty(n);
  const double inv_n = 1.0 / static_cast<double>(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = p[i] - t[i];
    sum += std::fabs(r);
    if (grad) grad[i] = (r > 0.0 ? 1.0 : r < 0.0 ? -1.0 : 0.0) * inv_n;
  }
  return sum * inv_n;
}

double huber(const double* p, const double* t, std::size_t n, double delta, double* grad) {
  require_nonempty(n);
  require_range(std::isfinite(delta) && delta > 0.0, "huber delta must be finite and > 0");
  const double inv_n = 1.0 / static_cast<double>(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = p[i] - t[i];
    const double a = std::fabs(r);
    if (a < delta) {
      sum += 0.5 * r * r;
      if (grad) grad[i] = r * inv_n;
    } else {
      sum += delta * (a - 0.5 * delta);
      if (grad) grad[i] = (r > 0.0 ? delta : -delta) * inv_n;
    }
  }
  return sum * inv_n;
}

double bce_logits(const double* z, const double* t, std::size_t n, double* grad) {
  require_nonempty(n);
  const double inv_n = 1.0 / static_cast<double>(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(t[i] >= 0.0 && t[i] <= 1.0))  // also rejects NaN
      throw range_error("binary cross-entropy targets must be in [0, 1]");
    const double zi = z[i];
    // max(z, 0) − z·t as |z| times the target's distance from the side z points to. Written
    // directly, an infinite logit (weights grown past ~1e306) gave inf − inf = NaN; this gives
    // +inf, or 0 when the target sits exactly on that side.
    const double away = zi >= 0.0 ? 1.0 - t[i] : t[i];
    sum += (away == 0.0 ? 0.0 : std::fabs(zi) * away) + std::log1p(std::exp(-std::fabs(zi)));
    if (grad) {
      // sigmoid written so that exp never overflows
      const double e = std::exp(-std::fabs(zi));
      const double s = zi >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      grad[i] = (s - t[i]) * inv_n;
    }
  }
  return sum * inv_n;
}

double softmax_ce(const double* z, const double* t, std::size_t rows, std::size_t classes,
                  double* grad) {
  require_nonempty(rows * classes);
  const double inv_rows = 1.0 / static_cast<double>(rows);
  double sum = 0.0;
  for (std::size_t r = 0; r < rows; ++r) {
    const double* zr = z + r * classes;
    const double* tr = t + r * classes;
    for (std::size_t k = 0; k < classes; ++k)
      if (!(tr[k] >= 0.0 && tr[k] <= 1.0))  // also rejects NaN
        throw range_error("cross-entropy targets must be probabilities in [0, 1]");
    double m = zr[0];
    for (std::size_t k = 1; k < classes; ++k) m = std::max(m, zr[k]);
    double s = 0.0;
    for (std::size_t k = 0; k < classes; ++k) s += std::exp(zr[k] - m);
    const double log_s = std::log(s);
    for (std::size_t k = 0; k < classes; ++k) {
      const double log_softmax = zr[k] - m - log_s;
      // NOTE: a class with target 0 adds nothing, even when its log-probability is -inf
      // (logits ~1e308 apart), so skip it instead of computing 0 * -inf = NaN.
      if (tr[k] != 0.0) sum -= tr[k] * log_softmax;
      if (grad) grad[r * classes + k] = (std::exp(log_softmax) - tr[k]) * inv_rows;
    }
  }
  return sum * inv_rows;
}

double evaluate(Kind kind, const double* p, const double* t, std::size_t rows, std::size_t cols,
                double* grad, double delta) {
  const std::size_t n = rows * cols;
  switch (kind) {
    case Kind::mse: return mse(p, t, n, grad);
    case Kind::half_mse: return half_mse(p, t, n, grad);
    case Kind::mae: return mae(p, t, n, grad);
    case Kind::huber: return huber(p, t, n, delta, grad);
    case Kind::bce_logits: return bce_logits(p, t, n, grad);
    case Kind::softmax_ce: return softmax_ce(p, t, rows, cols, grad);
  }
  return 0.0;
}

}  // namespace gradlab::loss
