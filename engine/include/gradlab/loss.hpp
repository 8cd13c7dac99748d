// Loss functions: how wrong a batch of predictions is, and which way each prediction should
// move. Each is a mean over all elements (PyTorch's reduction='mean'), and each can also write
// dLoss/dprediction, which is where backpropagation starts.
//
// These kernels work on raw contiguous buffers so the fused model code (nn.hpp) and the
// autodiff graph (graph.hpp) share one implementation of every formula.
#pragma once

#include <cstddef>
#include <string>

namespace gradlab::loss {

enum class Kind {
  mse,         ///< mean of (p - t)^2
  half_mse,    ///< mean of (p - t)^2 / 2 (TensorFlow Playground's "square" error)
  mae,         ///< mean of |p - t|
  huber,       ///< mean of Huber(p - t; delta)
  bce_logits,  ///< binary cross-entropy; predictions are logits z, targets in [0, 1]
  softmax_ce,  ///< softmax cross-entropy over each row of logits; targets are row distributions
};

/// "mse", "half_mse", "mae", "huber", "bce" (from logits), "softmax_ce". Throws input_error.
Kind parse(const std::string& name);
std::string name(Kind kind);

/// L = mean((p - t)^2);  dL/dp = 2 (p - t) / n
double mse(const double* p, const double* t, std::size_t n, double* grad = nullptr);

/// L = mean((p - t)^2) / 2;  dL/dp = (p - t) / n
double half_mse(const double* p, const double* t, std::size_t n, double* grad = nullptr);

/// L = mean|p - t|;  dL/dp = sign(p - t) / n  (0 where p == t, as PyTorch does)
double mae(const double* p, const double* t, std::size_t n, double* grad = nullptr);

/// r = p - t;  L = mean(r^2/2 if |r| < delta else delta (|r| - delta/2));
/// dL/dp = (r if |r| < delta else delta sign r) / n. PyTorch's HuberLoss.
double huber(const double* p, const double* t, std::size_t n, double delta = 1.0,
             double* grad = nullptr);

/// Targets t must lie in [0, 1] (range_error otherwise).
/// L = mean(max(z,0) - z t + log(1 + exp(-|z|)));  dL/dz = (sigmoid(z) - t) / n.
/// NOTE: computed from logits z, never from sigmoid(z): log(sigmoid(z)) underflows to -inf for
/// z < -745, while this form stays finite for every finite z.
double bce_logits(const double* z, const double* t, std::size_t n, double* grad = nullptr);

/// Rows of logits z (rows x classes), rows of target probabilities t (one-hot or soft; each
/// in [0, 1], else range_error).
/// L = mean over rows of -sum_k t_k log softmax(z)_k;  dL/dz = (softmax(z) - t) / rows.
/// NOTE: log-softmax is computed as z - max - log(sum exp(z - max)) so large logits cannot
/// overflow.
double softmax_ce(const double* z, const double* t, std::size_t rows, std::size_t classes,
                  double* grad = nullptr);

/// Dispatch on kind. For softmax_ce, cols is the number of classes; for the others the loss is
/// over all rows * cols elements. delta is used by huber only.
double evaluate(Kind kind, const double* p, const double* t, std::size_t rows, std::size_t cols,
                double* grad = nullptr, double delta = 1.0);

}  // namespace gradlab::loss
