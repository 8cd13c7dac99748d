// Reverse-mode automatic differentiation on a tape of array-valued nodes.
//
// May contain: the Graph (nodes, the primitive ops with their derivative rules, forward replay,
// backward) and the broadcasting helpers it needs.
// May not contain: models, optimisers or anything JavaScript-facing.
//
// How it works, in four sentences. Every op appends one Node to the tape and computes its value
// at once, so building an expression evaluates it. A node's inputs always have smaller ids, so
// the tape is already in topological order: forward() replays it front to back and backward()
// walks it back to front, once, with no recursion. Each op knows its local derivative and
// ADDS (+=) upstream-gradient x local-derivative into its inputs' grads, which is the chain rule;
// a node used twice receives two contributions. Broadcasting in the forward pass (a row vector
// added to every row of a matrix) becomes a sum over the broadcast axes in the backward pass.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// A node's index in its Graph. Ids are handed out in creation order (0, 1, 2, ...).
using Id = std::size_t;

/// What a node computes. Leaves (input, constant) compute nothing; they hold given values.
enum class Op {
  input, constant,                                              // leaves
  add, sub, mul, div, neg, matmul,                              // arithmetic
  sum, mean,                                                    // reductions to a scalar
  square, pow, exp, log, sqrt, abs,                             // element-wise math
  sigmoid, tanh, relu, leaky_relu, softmax,                     // activations
  mse, half_mse, mae, huber, bce_logits, softmax_ce,            // fused losses (loss.hpp)
};

/// The op's name as the graph lesson prints it and Graph::op() accepts it ("add", "sigmoid", ...).
std::string op_name(Op op);

/// One entry of the tape. Read it through Graph::node(); only the Graph changes it.
struct Node {
  Op op = Op::constant;
  std::vector<Id> inputs;  ///< ids of the operands, in order (empty for leaves)
  std::string name;        ///< optional label for drawing ("W", "z", "Loss"); may be empty
  double attr = std::numeric_limits<double>::quiet_NaN();  ///< pow exponent, leaky slope,
                                                           ///< huber delta; NaN if unused
  Array value;             ///< result of the forward pass
  Array grad;              ///< d(root)/d(this node) after backward(root); zeros before

  /// op_name(op).
  std::string op_name() const { return gradlab::op_name(op); }
  /// True for input and constant nodes.
  bool is_leaf() const { return op == Op::input || op == Op::constant; }
};

/// The shape numpy broadcasting gives to `a op b`: align shapes at the right; each pair of sizes
/// must be equal or contain a 1. Throws input_error naming both shapes (and `what`, e.g. "add").
Shape broadcast_shape(const Shape& a, const Shape& b, const std::string& what = "broadcast");

/// The gradient of a broadcast operand: sums `grad` over the axes that broadcasting added or
/// stretched, so the result has `shape`. (Broadcasting copies a value to many places; in reverse,
/// the gradients of those copies add up.)
Array unbroadcast(const Array& grad, const Shape& shape);

/// A shape as text, e.g. "(2, 3)"; "()" for a scalar.
std::string shape_to_string(const Shape& shape);

/// A recorded computation: leaves, ops, values and gradients.
///
/// Example (the sigmoid neuron of the chain-rule lesson):
///     Graph g;
///     Id W = g.input("W", Array(0.5));
///     Id X = g.constant(Array(2.0), "X");
///     Id z = g.mul(W, X);
///     Id y = g.sigmoid(z);
///     Id L = g.sub(g.constant(Array(1.0)), y);
///     g.backward(L);             // g.grad(W) == -y (1 - y) X
class Graph {
 public:
  // ---- leaves -------------------------------------------------------------------------------

  /// A variable: a leaf that gradcheck perturbs and whose gradient a learner inspects.
  /// Leaf values must be finite (range_error otherwise), here and in constant / set_value.
  Id input(const std::string& name, const Array& value);
  /// A fixed leaf (data, targets, literal numbers). backward() still reports its gradient.
  Id constant(const Array& value, const std::string& name = "");
  /// Replaces a leaf's value (the shape may change). The nodes that depend on it keep their old
  /// values until forward() (or backward(), which replays first). Throws input_error for
  /// non-leaves.
  void set_value(Id leaf, const Array& value);
  /// Sets one element (flat row-major index) of a leaf, keeping its shape. Used by gradcheck.
  void set_element(Id leaf, std::size_t index, double value);
  /// Gives a node a label for drawing.
  void set_name(Id id, const std::string& name);

  // ---- arithmetic (binary ops broadcast like numpy) ------------------------------------------

  /// y = a + b;  dy/da = 1, dy/db = 1
  Id add(Id a, Id b);
  /// y = a - b;  dy/da = 1, dy/db = -1
  Id sub(Id a, Id b);
  /// y = a * b (element-wise);  dy/da = b, dy/db = a
  Id mul(Id a, Id b);
  /// y = a / b;  dy/da = 1 / b, dy/db = -a / b^2
  Id div(Id a, Id b);
  /// y = -x;  dy/dx = -1
  Id neg(Id x);
  /// Y = A B (matrix product; a 1-D operand is a row vector on the left, a column on the right,
  /// and that axis is dropped from the result, as numpy does);  dA = dY B^T, dB = A^T dY
  Id matmul(Id a, Id b);

  // ---- reductions ----------------------------------------------------------------------------

  /// y = sum of all x_i (a scalar);  dy/dx_i = 1
  Id sum(Id x);
  /// y = (sum of all x_i) / n;  dy/dx_i = 1 / n
  Id mean(Id x);

  // ---- element-wise math ---------------------------------------------------------------------

  /// y = x^2;  dy/dx = 2x
  Id square(Id x);
  /// y = x^p (p a constant);  dy/dx = p x^(p-1)
  Id pow(Id x, double exponent);
  /// y = e^x;  dy/dx = e^x = y
  Id exp(Id x);
  /// y = ln x;  dy/dx = 1 / x
  /// NOTE: x <= 0 gives the IEEE results (-inf at 0, NaN below); the lessons never ask for it.
  Id log(Id x);
  /// y = sqrt x;  dy/dx = 1 / (2 y)
  /// NOTE: x < 0 gives NaN and x = 0 an infinite derivative (IEEE); the lessons never ask.
  Id sqrt(Id x);
  /// y = |x|;  dy/dx = sign(x) (0 at x = 0, as PyTorch does)
  Id abs(Id x);

  // ---- activations ---------------------------------------------------------------------------

  /// y = 1 / (1 + e^-x);  dy/dx = y (1 - y)
  Id sigmoid(Id x);
  /// y = tanh x;  dy/dx = 1 - y^2
  Id tanh(Id x);
  /// y = max(x, 0);  dy/dx = 1 if x > 0 else 0
  Id relu(Id x);
  /// y = x if x > 0 else slope x;  dy/dx = 1 if x > 0 else slope
  Id leaky_relu(Id x, double slope = 0.01);
  /// y_i = e^(x_i) / sum_j e^(x_j) over the last axis (each row of a matrix);
  /// dx_i = y_i (dy_i - sum_j dy_j y_j)
  Id softmax(Id x);

  // ---- fused losses: a scalar from (prediction, target) of the same shape, via loss.hpp -----

  /// L = mean (p - t)^2;  dL/dp = 2 (p - t) / n, dL/dt = -dL/dp
  Id mse(Id pred, Id target);
  /// L = mean (p - t)^2 / 2;  dL/dp = (p - t) / n, dL/dt = -dL/dp
  Id half_mse(Id pred, Id target);
  /// L = mean |p - t|;  dL/dp = sign(p - t) / n, dL/dt = -dL/dp
  Id mae(Id pred, Id target);
  /// L = mean Huber(p - t; delta);  dL/dp = clamp(p - t, -delta, delta) / n, dL/dt = -dL/dp
  Id huber(Id pred, Id target, double delta = 1.0);
  /// L = mean of binary cross-entropy of sigmoid(z) against t;
  /// dL/dz = (sigmoid(z) - t) / n, dL/dt = -z / n
  /// NOTE: fused because log(sigmoid(z)) composed from primitives underflows for z < -745.
  Id bce_logits(Id logits, Id target);
  /// L = mean over rows of -sum_k t_k log softmax(z)_k;  dL/dz = (softmax(z) - t) / rows when
  /// each target row sums to 1 (in general (softmax(z) sum_k t_k - t) / rows),
  /// dL/dt = -log softmax(z) / rows. Logits are rows x classes (a 1-D vector is one row).
  /// NOTE: fused because log(softmax(z)) composed from primitives overflows for large z.
  Id softmax_ce(Id logits, Id target);

  /// Any op by name, for the JavaScript binding: op("sigmoid", {z}), op("pow", {x}, 3).
  /// attr is the pow exponent (required), leaky_relu slope (default 0.01) or huber delta
  /// (default 1); NaN means "use the default"; other ops ignore it. "bce" is accepted for
  /// "bce_logits". Throws input_error for an unknown name (listing the valid ones) or a wrong
  /// number of inputs.
  Id op(const std::string& name, const std::vector<Id>& inputs,
        double attr = std::numeric_limits<double>::quiet_NaN());

  /// The names op() accepts, in the order of the Op enum.
  static std::vector<std::string> op_names();

  // ---- running it ----------------------------------------------------------------------------

  /// Recomputes every op node from the current leaf values, in creation order, writing into
  /// the existing arrays (no allocation unless a leaf's shape changed).
  void forward();
  /// Sets every grad to d(root)/d(node): zeroes them, seeds d(root)/d(root) = 1 and applies the
  /// chain rule in one sweep from root down to id 0, skipping nodes root does not depend on.
  /// If a leaf changed since the last forward(), replays forward() first, so values and
  /// gradients always belong together. Throws input_error unless root's value has exactly one
  /// element.
  void backward(Id root);
  /// The value of the one-element node `output` with the one-element leaf `leaf` set to each of
  /// `values` in turn: one forward() per value, in a single call (a curve of the loss over one
  /// weight, say). Afterwards the leaf holds its old value again and every node the value of a
  /// forward() from it; gradients are left as they were. Throws input_error for a leaf that is
  /// not a one-element input or constant, an output that is not one element, or more than
  /// kMaxSweep values; range_error for a value that is not finite.
  std::vector<double> sweep(Id leaf, const std::vector<double>& values, Id output);
  static constexpr std::size_t kMaxSweep = 100000;

  // ---- inspection ----------------------------------------------------------------------------

  /// Number of nodes.
  std::size_t size() const { return m_nodes.size(); }
  /// One node: op, inputs, name, attr, value, grad. Throws input_error for a bad id.
  const Node& node(Id id) const;
  const Array& value(Id id) const { return node(id).value; }
  const Array& grad(Id id) const { return node(id).grad; }
  /// Ids of all input() leaves (the variables), in creation order.
  std::vector<Id> variables() const;
  /// Removes every node.
  void clear();

 private:
  Id push(Op op, std::vector<Id> inputs, double attr = std::numeric_limits<double>::quiet_NaN());
  void check_id(Id id) const;
  void compute(Node& node);        // node.value = op(inputs' values)
  void propagate(const Node& node);  // inputs' grads += chain rule with node.grad

  std::vector<Node> m_nodes;
  bool m_stale = false;  // a leaf changed after the last complete forward()
  Array m_scratch;  // reused buffer for loss gradients during backward()
};

}  // namespace gradlab
