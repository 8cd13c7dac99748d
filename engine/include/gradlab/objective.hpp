// What gradient descent minimises: a point in R^n (the parameters) and a differentiable loss
// of it. Models (nn.hpp) and the 1-D/2-D lesson functions (functions.hpp) are both objectives,
// so the same Trainer, landscape sampler and gradient checker serve them all.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gradlab {

/// Where one named parameter block (a weight matrix, a bias vector, a coordinate) lives inside
/// the flat parameter vector.
struct ParamBlock {
  std::string name;          ///< e.g. "W1", "b1", "weight", "bias", "x"
  std::size_t rows = 1;      ///< matrix rows (1 for a vector or scalar)
  std::size_t cols = 1;      ///< matrix columns
  std::size_t offset = 0;    ///< index of the first element in parameters()
  std::size_t size() const { return rows * cols; }
};

class Objective {
 public:
  virtual ~Objective() = default;

  /// Number of parameters n.
  std::size_t size() const { return m_params.size(); }

  /// The current parameters (row-major blocks, as described by layout()).
  std::vector<double>& parameters() { return m_params; }
  const std::vector<double>& parameters() const { return m_params; }

  /// The named blocks that make up parameters().
  const std::vector<ParamBlock>& layout() const { return m_layout; }

  /// Loss at an arbitrary point x[0..n), without moving parameters(). When grad is not null,
  /// writes dLoss/dx into grad[0..n).
  virtual double evaluate_at(const double* x, double* grad) = 0;

  /// Loss at the current parameters (and its gradient when grad is not null).
  double evaluate(double* grad) { return evaluate_at(m_params.data(), grad); }

  /// Number of training examples behind the loss (0 for a plain function). Trainers use it for
  /// mini-batches.
  virtual std::size_t num_examples() const { return 0; }

  /// A plain function computing the full loss (and gradient): kernel(*this, x, grad) equals
  /// evaluate_at(x, grad). For loops that evaluate the same objective thousands of times in a
  /// row (the trainer's fused gradient-descent loop), one direct call instead of a chain of
  /// virtual ones. Null when the objective has none; ask again after changing its data.
  using Kernel = double (*)(Objective& self, const double* x, double* grad);
  virtual Kernel full_kernel() { return nullptr; }

  /// Loss and gradient over examples [begin, end) only; defaults to the full loss.
  virtual double evaluate_batch(const double* x, double* grad, std::size_t begin,
                                std::size_t end) {
    (void)begin;
    (void)end;
    return evaluate_at(x, grad);
  }

 protected:
  std::vector<double> m_params;
  std::vector<ParamBlock> m_layout;
};

}  // namespace gradlab
