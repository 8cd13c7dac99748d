#include "gradlab/graph.hpp"

#include <algorithm>
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/loss.hpp"

namespace gradlab {

namespace {

struct OpInfo {
  Op op;
  const char* name;
  std::size_t arity;
};

// Every op that Graph::op() can create, with its number of inputs. Order follows enum Op.
const OpInfo kOps[] = {
    {Op::add, "add", 2},           {Op::sub, "sub", 2},
    {Op::mul, "mul", 2},           {Op::div, "div", 2},
    {Op::neg, "neg", 1},           {Op::matmul, "matmul", 2},
    {Op::sum, "sum", 1},           {Op::mean, "mean", 1},
    {Op::square, "square", 1},     {Op::pow, "pow", 1},
    {Op::exp, "exp", 1},           {Op::log, "log", 1},
    {Op::sqrt, "sqrt", 1},         {Op::abs, "abs", 1},
    {Op::sigmoid, "sigmoid", 1},   {Op::tanh, "tanh", 1},
    {Op::relu, "relu", 1},         {Op::leaky_relu, "leaky_relu", 1},
    {Op::softmax, "softmax", 1},   {Op::mse, "mse", 2},
    {Op::half_mse, "half_mse", 2}, {Op::mae, "mae", 2},
    {Op::huber, "huber", 2},       {Op::bce_logits, "bce_logits", 2},
    {Op::softmax_ce, "softmax_ce", 2},
};

template <class S>
Shape to_shape(const S& s) {
  return Shape(s.begin(), s.end());
}

template <class S>
std::size_t count_of(const S& shape) {
  std::size_t total = 1;
  for (std::size_t d : shape) total *= d;
  return total;
}

bool same_shape(const Array& a, const Array& b) {
  return std::equal(a.shape().begin(), a.shape().end(), b.shape().begin(), b.shape().end());
}

// Gives `out` the shape `shape` (no allocation when it already has it).
void reshape_to(Array& out, const Shape& shape) {
  if (!std::equal(shape.begin(), shape.end(), out.shape().begin(), out.shape().end())) out.resize(shape);
}

// A zero-filled array of the given shape.
Array zeros(const Shape& shape) {
  Array z = Array::from_shape(shape);
  z.fill(0.0);
  return z;
}

// Makes `out` a rank-0 array holding v (reusing its buffer when it already is one).
void assign_scalar(Array& out, double v) {
  if (out.dimension() != 0) out.resize(Shape{});
  out() = v;
}

// NOTE: the graph is written with plain loops over flat row-major buffers instead of xtensor
// expressions. Every distinct xtensor expression is its own template instantiation (broadcasting
// assigners, steppers), and the graph's ~40 of them were a quarter of the WebAssembly module;
// the graph only ever sees lesson-sized arrays, where plain loops are at least as fast.

// Broadcasting as an index map: for each flat index of an array of shape `out`, the flat index of
// the element of an operand of shape `in` (aligned at the right; size-1 axes repeat) it reads.
// `in` must broadcast to `out` (broadcast_shape checked it).
std::vector<std::size_t> source_index(const Shape& out, const Shape& in) {
  const std::size_t rank = out.size();
  const std::size_t offset = rank - in.size();
  std::vector<std::size_t> stride(rank, 0);
  std::size_t step = 1;
  for (std::size_t k = in.size(); k-- > 0;) {
    stride[k + offset] = in[k] == 1 ? 0 : step;
    step *= in[k];
  }
  std::vector<std::size_t> map(count_of(out));
  std::vector<std::size_t> counter(rank, 0);
  std::size_t source = 0;
  for (std::size_t& m : map) {
    m = source;
    for (std::size_t k = rank; k-- > 0;) {  // odometer: advance the last axis, carry leftwards
      source += stride[k];
      if (++counter[k] < out[k]) break;
      source -= stride[k] * out[k];
      counter[k] = 0;
    }
  }
  return map;
}

// How one operand of a broadcasting op is read: element i of the result uses element at(i).
struct Operand {
  const double* data;
  std::vector<std::size_t> map;  // empty: the operand already has the result's shape
  double at(std::size_t i) const { return data[map.empty() ? i : map[i]]; }
};

Operand operand(const Array& x, const Shape& out) {
  Operand o{x.data(), {}};
  if (!std::equal(out.begin(), out.end(), x.shape().begin(), x.shape().end()))
    o.map = source_index(out, to_shape(x.shape()));
  return o;
}

// grad[at(i)] += contribution[i]: summing a contribution computed in the result's shape over the
// axes that broadcasting added or stretched (the reverse of broadcasting).
void add_into(Array& grad, const Operand& o, std::size_t i, double contribution) {
  grad.data()[o.map.empty() ? i : o.map[i]] += contribution;
}

// x^p. NOTE: not std::pow, whose lookup tables alone are ~4 KB gzipped of the WebAssembly
// module (std::exp and std::log, needed anyway, have their own). A whole exponent multiplies
// (any sign of x, exact for squares and cubes); any other is e^(p ln x), NaN for x < 0 as
// pow gives, within a few ulps of pow for the exponents lessons use.
double power(double x, double p) {
  if (p == std::floor(p) && std::fabs(p) <= 1e9) {
    double result = 1.0, base = x;
    for (auto n = static_cast<unsigned long long>(std::fabs(p)); n != 0; n >>= 1) {
      if (n & 1) result *= base;
      base *= base;
    }
    return p < 0 ? 1.0 / result : result;
  }
  return std::exp(p * std::log(x));
}

// y = f(x) for the element-wise ops; attr is the pow exponent or the leaky slope.
double unary_value(Op op, double x, double attr) {
  switch (op) {
    case Op::neg: return -x;
    case Op::square: return x * x;
    case Op::pow: return power(x, attr);
    case Op::exp: return std::exp(x);
    case Op::log: return std::log(x);
    case Op::sqrt: return std::sqrt(x);
    case Op::abs: return std::fabs(x);
    // NOTE: for x < -709, e^-x overflows to inf and 1 / (1 + inf) = 0: the right limit.
    case Op::sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Op::tanh: return std::tanh(x);
    case Op::relu: return x > 0.0 ? x : 0.0;
    default: return x > 0.0 ? x : attr * x;  // leaky_relu
  }
}

// dL/dx = dL/dy * dy/dx for the element-wise ops, from x, y = f(x) and g = dL/dy.
double unary_grad(Op op, double x, double y, double g, double attr) {
  switch (op) {
    case Op::neg: return -g;
    case Op::square: return 2.0 * x * g;
    case Op::pow: return attr * power(x, attr - 1.0) * g;
    case Op::exp: return y * g;
    case Op::log: return g / x;
    case Op::sqrt: return g / (2.0 * y);
    case Op::abs: return static_cast<double>((x > 0.0) - (x < 0.0)) * g;  // sign(0) = 0
    case Op::sigmoid: return y * (1.0 - y) * g;
    case Op::tanh: return (1.0 - y * y) * g;
    case Op::relu: return x > 0.0 ? g : 0.0;
    default: return x > 0.0 ? g : attr * g;  // leaky_relu
  }
}

double binary_value(Op op, double a, double b) {
  switch (op) {
    case Op::add: return a + b;
    case Op::sub: return a - b;
    case Op::mul: return a * b;
    default: return a / b;  // div
  }
}

// The 2-D view numpy's matmul takes of an operand: (rows, cols). A 1-D vector is a row (1, k)
// when on the left and a column (k, 1) when on the right.
struct MatDims {
  std::size_t rows, cols;
};
MatDims mat_dims(const Array& a, bool left) {
  if (a.dimension() == 2) return {a.shape()[0], a.shape()[1]};
  if (left) return {1, a.shape()[0]};
  return {a.shape()[0], 1};
}

// C (m x n) = A (m x k) B (k x n), all row-major flat buffers. transpose_a / transpose_b read
// A as stored (k x m) or B as stored (n x k), which is what the backward pass needs.
void matmul_kernel(const double* a, const double* b, double* c, std::size_t m, std::size_t k,
                   std::size_t n, bool transpose_a, bool transpose_b, bool accumulate_into_c) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        const double aip = transpose_a ? a[p * m + i] : a[i * k + p];
        const double bpj = transpose_b ? b[j * k + p] : b[p * n + j];
        s += aip * bpj;
      }
      c[i * n + j] = accumulate_into_c ? c[i * n + j] + s : s;
    }
  }
}

// rows x classes view of a softmax / softmax_ce operand: the last axis holds the classes.
void rows_and_classes(const Array& x, std::size_t& rows, std::size_t& classes) {
  classes = x.dimension() == 0 ? 1 : x.shape().back();
  rows = classes == 0 ? 0 : x.size() / classes;
}

loss::Kind loss_kind(Op op) {
  switch (op) {
    case Op::mse: return loss::Kind::mse;
    case Op::half_mse: return loss::Kind::half_mse;
    case Op::mae: return loss::Kind::mae;
    case Op::huber: return loss::Kind::huber;
    case Op::bce_logits: return loss::Kind::bce_logits;
    default: return loss::Kind::softmax_ce;
  }
}

// Leaves hold data a learner typed or a lesson generated: reject NaN and infinity at the door.
void require_finite(const Array& value, const std::string& what) {
  for (double v : value)
    require_range(std::isfinite(v), what + " must contain only finite numbers");
}

}  // namespace

// ---- free helpers ---------------------------------------------------------------------------

std::string op_name(Op op) {
  if (op == Op::input) return "input";
  if (op == Op::constant) return "constant";
  for (const auto& info : kOps)
    if (info.op == op) return info.name;
  return "?";
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + ")";
}

Shape broadcast_shape(const Shape& a, const Shape& b, const std::string& what) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (std::size_t i = 0; i < rank; ++i) {  // i counts axes from the right
    const std::size_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    const std::size_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    require(da == db || da == 1 || db == 1,
            what + ": shapes " + shape_to_string(a) + " and " + shape_to_string(b) +
                " cannot be broadcast together");
    out[rank - 1 - i] = da == 1 ? db : da;
  }
  return out;
}

Array unbroadcast(const Array& grad, const Shape& shape) {
  const Shape from = to_shape(grad.shape());
  require(broadcast_shape(shape, from, "unbroadcast") == from,
          "unbroadcast: shape " + shape_to_string(shape) + " does not broadcast to " +
              shape_to_string(from));
  Array out = zeros(shape);
  const Operand o = operand(out, from);
  for (std::size_t i = 0; i < grad.size(); ++i) add_into(out, o, i, grad.data()[i]);
  return out;
}

// ---- building -------------------------------------------------------------------------------

void Graph::check_id(Id id) const {
  require(id < m_nodes.size(), "node id " + std::to_string(id) + " does not exist (the graph has " +
                                   std::to_string(m_nodes.size()) + " nodes)");
}

const Node& Graph::node(Id id) const {
  check_id(id);
  return m_nodes[id];
}

Id Graph::input(const std::string& name, const Array& value) {
  require_finite(value, "input \"" + name + "\"");
  Node n;
  n.op = Op::input;
  n.name = name;
  n.value = value;
  n.grad = zeros(to_shape(value.shape()));
  m_nodes.push_back(std::move(n));
  return m_nodes.size() - 1;
}

Id Graph::constant(const Array& value, const std::string& name) {
  require_finite(value, "a constant");
  Node n;
  n.op = Op::constant;
  n.name = name;
  n.value = value;
  n.grad = zeros(to_shape(value.shape()));
  m_nodes.push_back(std::move(n));
  return m_nodes.size() - 1;
}

void Graph::set_value(Id leaf, const Array& value) {
  check_id(leaf);
  require(m_nodes[leaf].is_leaf(), "set_value: node " + std::to_string(leaf) + " is a \"" +
                                       m_nodes[leaf].op_name() +
                                       "\" node; only input and constant nodes hold set values");
  require_finite(value, "set_value: the new value");
  Node& n = m_nodes[leaf];
  if (!std::equal(value.shape().begin(), value.shape().end(), n.value.shape().begin(),
                  n.value.shape().end()))
    n.grad = zeros(to_shape(value.shape()));
  n.value = value;
  m_stale = true;
}

void Graph::set_element(Id leaf, std::size_t index, double value) {
  check_id(leaf);
  Node& n = m_nodes[leaf];
  require(n.is_leaf(), "set_element: node " + std::to_string(leaf) + " is not a leaf");
  require_range(std::isfinite(value), "set_element: the value must be finite");
  require(index < n.value.size(), "set_element: index " + std::to_string(index) +
                                      " is outside node " + std::to_string(leaf) + " (size " +
                                      std::to_string(n.value.size()) + ")");
  n.value.flat(index) = value;
  m_stale = true;
}

void Graph::set_name(Id id, const std::string& name) {
  check_id(id);
  m_nodes[id].name = name;
}

Id Graph::push(Op op, std::vector<Id> inputs, double attr) {
  for (Id id : inputs) check_id(id);
  Node n;
  n.op = op;
  n.inputs = std::move(inputs);
  n.attr = attr;
  m_nodes.push_back(std::move(n));
  try {
    compute(m_nodes.back());  // building the graph evaluates it
    m_nodes.back().grad = zeros(to_shape(m_nodes.back().value.shape()));
  } catch (...) {
    m_nodes.pop_back();  // a rejected op leaves the tape as it was
    throw;
  }
  return m_nodes.size() - 1;
}

Id Graph::add(Id a, Id b) { return push(Op::add, {a, b}); }
Id Graph::sub(Id a, Id b) { return push(Op::sub, {a, b}); }
Id Graph::mul(Id a, Id b) { return push(Op::mul, {a, b}); }
Id Graph::div(Id a, Id b) { return push(Op::div, {a, b}); }
Id Graph::neg(Id x) { return push(Op::neg, {x}); }
Id Graph::matmul(Id a, Id b) { return push(Op::matmul, {a, b}); }
Id Graph::sum(Id x) { return push(Op::sum, {x}); }
Id Graph::mean(Id x) { return push(Op::mean, {x}); }
Id Graph::square(Id x) { return push(Op::square, {x}); }
Id Graph::pow(Id x, double exponent) {
  require_range(std::isfinite(exponent), "pow exponent must be finite");
  return push(Op::pow, {x}, exponent);
}
Id Graph::exp(Id x) { return push(Op::exp, {x}); }
Id Graph::log(Id x) { return push(Op::log, {x}); }
Id Graph::sqrt(Id x) { return push(Op::sqrt, {x}); }
Id Graph::abs(Id x) { return push(Op::abs, {x}); }
Id Graph::sigmoid(Id x) { return push(Op::sigmoid, {x}); }
Id Graph::tanh(Id x) { return push(Op::tanh, {x}); }
Id Graph::relu(Id x) { return push(Op::relu, {x}); }
Id Graph::leaky_relu(Id x, double slope) {
  require_range(std::isfinite(slope), "leaky_relu slope must be finite");
  return push(Op::leaky_relu, {x}, slope);
}
Id Graph::softmax(Id x) { return push(Op::softmax, {x}); }
Id Graph::mse(Id pred, Id target) { return push(Op::mse, {pred, target}); }
Id Graph::half_mse(Id pred, Id target) { return push(Op::half_mse, {pred, target}); }
Id Graph::mae(Id pred, Id target) { return push(Op::mae, {pred, target}); }
Id Graph::huber(Id pred, Id target, double delta) {
  require_range(std::isfinite(delta) && delta > 0.0, "huber delta must be finite and > 0");
  return push(Op::huber, {pred, target}, delta);
}
Id Graph::bce_logits(Id logits, Id target) { return push(Op::bce_logits, {logits, target}); }
Id Graph::softmax_ce(Id logits, Id target) { return push(Op::softmax_ce, {logits, target}); }

std::vector<std::string> Graph::op_names() {
  std::vector<std::string> names;
  for (const auto& info : kOps) names.push_back(info.name);
  return names;
}

Id Graph::op(const std::string& name, const std::vector<Id>& inputs, double attr) {
  const std::string key = name == "bce" ? "bce_logits" : name;
  const OpInfo* info = nullptr;
  for (const auto& candidate : kOps)
    if (key == candidate.name) info = &candidate;
  if (!info) {
    std::string list;
    for (const auto& n : op_names()) list += (list.empty() ? "" : ", ") + n;
    throw input_error("unknown op \"" + name + "\" (valid ops: " + list + ")");
  }
  require(inputs.size() == info->arity,
          "op \"" + name + "\" takes " + std::to_string(info->arity) + " input" +
              (info->arity == 1 ? "" : "s") + ", got " + std::to_string(inputs.size()));
  const bool has_attr = !std::isnan(attr);
  switch (info->op) {
    case Op::pow:
      require(has_attr, "op \"pow\" needs its exponent as attr");
      return pow(inputs[0], attr);
    case Op::leaky_relu: return leaky_relu(inputs[0], has_attr ? attr : 0.01);
    case Op::huber: return huber(inputs[0], inputs[1], has_attr ? attr : 1.0);
    default: return push(info->op, inputs);
  }
}

std::vector<Id> Graph::variables() const {
  std::vector<Id> ids;
  for (Id id = 0; id < m_nodes.size(); ++id)
    if (m_nodes[id].op == Op::input) ids.push_back(id);
  return ids;
}

void Graph::clear() {
  m_nodes.clear();
  m_stale = false;
}

// ---- forward --------------------------------------------------------------------------------

void Graph::forward() {
  for (Node& n : m_nodes)
    if (!n.is_leaf()) compute(n);
  m_stale = false;
}

std::vector<double> Graph::sweep(Id leaf, const std::vector<double>& values, Id output) {
  check_id(leaf);
  check_id(output);
  Node& in = m_nodes[leaf];
  require(in.is_leaf() && in.value.size() == 1,
          "sweep: node " + std::to_string(leaf) + " must be an input or constant of one element");
  // A leaf given a value of another shape since the last forward() reshapes what follows it: the
  // output's size is checked on the graph as it is now, not as it was.
  if (m_stale) forward();
  require(m_nodes[output].value.size() == 1,
          "sweep: output node " + std::to_string(output) + " must have one element");
  require(values.size() <= kMaxSweep,
          "sweep: at most " + std::to_string(kMaxSweep) + " values, not " + std::to_string(values.size()));
  for (double v : values) require_range(std::isfinite(v), "sweep: the values must be finite");
  const double old = in.value.flat(0);
  std::vector<double> out;
  out.reserve(values.size());
  try {
    for (double v : values) {
      in.value.flat(0) = v;
      forward();
      out.push_back(m_nodes[output].value.flat(0));
    }
  } catch (...) {
    in.value.flat(0) = old;
    m_stale = true;
    throw;
  }
  in.value.flat(0) = old;
  forward();
  return out;
}

// Every op writes into the node's existing value array: when it already has the result's shape
// (every replay after the first) nothing is allocated; when a leaf changed shape, it is resized
// first. Writing in place is safe because a node is never one of its own operands.
void Graph::compute(Node& n) {
  const Array& a = m_nodes[n.inputs[0]].value;
  const Array* b = n.inputs.size() > 1 ? &m_nodes[n.inputs[1]].value : nullptr;
  const std::string what = n.op_name();
  auto check_same_shape = [&] {
    require(same_shape(a, *b),
            what + ": prediction shape " + shape_to_string(to_shape(a.shape())) +
                " and target shape " + shape_to_string(to_shape(b->shape())) + " differ");
  };

  switch (n.op) {
    case Op::input:
    case Op::constant: return;
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div: {
      const Shape out = broadcast_shape(to_shape(a.shape()), to_shape(b->shape()), what);
      reshape_to(n.value, out);
      const Operand oa = operand(a, out), ob = operand(*b, out);
      double* y = n.value.data();
      for (std::size_t i = 0; i < n.value.size(); ++i) y[i] = binary_value(n.op, oa.at(i), ob.at(i));
      return;
    }
    case Op::neg:
    case Op::square:
    case Op::pow:
    case Op::exp:
    case Op::log:
    case Op::sqrt:
    case Op::abs:
    case Op::sigmoid:
    case Op::tanh:
    case Op::relu:
    case Op::leaky_relu: {
      reshape_to(n.value, to_shape(a.shape()));
      const double* x = a.data();
      double* y = n.value.data();
      for (std::size_t i = 0; i < a.size(); ++i) y[i] = unary_value(n.op, x[i], n.attr);
      return;
    }
    case Op::matmul: {
      require(a.dimension() >= 1 && a.dimension() <= 2 && b->dimension() >= 1 &&
                  b->dimension() <= 2,
              "matmul: operands must be 1-D or 2-D, got shapes " +
                  shape_to_string(to_shape(a.shape())) + " and " +
                  shape_to_string(to_shape(b->shape())));
      const MatDims da = mat_dims(a, true), db = mat_dims(*b, false);
      require(da.cols == db.rows, "matmul: inner sizes differ: " +
                                      shape_to_string(to_shape(a.shape())) + " x " +
                                      shape_to_string(to_shape(b->shape())));
      Shape out;
      if (a.dimension() == 2) out.push_back(da.rows);
      if (b->dimension() == 2) out.push_back(db.cols);
      reshape_to(n.value, out);
      matmul_kernel(a.data(), b->data(), n.value.data(), da.rows, da.cols, db.cols, false, false,
                    false);
      return;
    }
    case Op::sum:
    case Op::mean: {
      require(n.op == Op::sum || a.size() > 0, "mean of an empty array");
      double total = 0.0;
      for (double v : a) total += v;
      assign_scalar(n.value, n.op == Op::sum ? total : total / static_cast<double>(a.size()));
      return;
    }
    case Op::softmax: {
      // NOTE: subtracting each row's maximum first keeps e^x from overflowing; it cancels out.
      reshape_to(n.value, to_shape(a.shape()));
      std::size_t rows = 0, classes = 0;
      rows_and_classes(a, rows, classes);
      for (std::size_t r = 0; r < rows; ++r) {
        const double* x = a.data() + r * classes;
        double* y = n.value.data() + r * classes;
        const double m = *std::max_element(x, x + classes);
        double total = 0.0;
        for (std::size_t k = 0; k < classes; ++k) total += (y[k] = std::exp(x[k] - m));
        for (std::size_t k = 0; k < classes; ++k) y[k] /= total;
      }
      return;
    }
    case Op::mse:
    case Op::half_mse:
    case Op::mae:
    case Op::huber:
    case Op::bce_logits:
    case Op::softmax_ce: {
      check_same_shape();
      std::size_t rows = a.size(), cols = 1;
      if (n.op == Op::softmax_ce) {
        require(a.dimension() >= 1 && a.dimension() <= 2,
                "softmax_ce: logits must be 1-D (one row) or 2-D (rows x classes), got shape " +
                    shape_to_string(to_shape(a.shape())));
        rows_and_classes(a, rows, cols);
      }
      const double delta = n.op == Op::huber ? n.attr : 1.0;
      assign_scalar(n.value,
                    loss::evaluate(loss_kind(n.op), a.data(), b->data(), rows, cols, nullptr, delta));
      return;
    }
  }
}

// ---- backward -------------------------------------------------------------------------------

void Graph::backward(Id root) {
  check_id(root);
  if (m_stale) forward();  // never pair new leaf values with old downstream values
  require(m_nodes[root].value.size() == 1,
          "backward needs a scalar root (one number, like a loss); node " + std::to_string(root) +
              " has shape " + shape_to_string(to_shape(m_nodes[root].value.shape())));

  for (Node& n : m_nodes) {
    reshape_to(n.grad, to_shape(n.value.shape()));
    n.grad.fill(0.0);
  }
  m_nodes[root].grad.fill(1.0);  // d(root)/d(root) = 1

  // One sweep from root down. Inputs have smaller ids than the nodes using them, so by the time
  // the sweep reaches a node every contribution to its grad has been added. A node is visited
  // only if some node already visited uses it, i.e. only if root depends on it.
  std::vector<bool> reachable(root + 1, false);
  reachable[root] = true;
  for (Id id = root + 1; id-- > 0;) {
    if (!reachable[id]) continue;
    const Node& n = m_nodes[id];
    for (Id input : n.inputs) reachable[input] = true;
    propagate(n);
  }
}

// Chain rule for one node: each input's grad += (this node's grad) x (local derivative).
void Graph::propagate(const Node& n) {
  if (n.is_leaf()) return;
  const Array& g = n.grad;  // d(root)/d(this node)
  const Array& y = n.value;
  Node& in_a = m_nodes[n.inputs[0]];
  Node* in_b = n.inputs.size() > 1 ? &m_nodes[n.inputs[1]] : nullptr;
  const Array& a = in_a.value;

  switch (n.op) {
    case Op::input:
    case Op::constant: return;
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div: {
      // The local derivatives read a and b where the forward pass did; each contribution is
      // added where it came from, which sums it over the axes broadcasting stretched.
      const Array& b = in_b->value;
      const Shape out = to_shape(g.shape());
      const Operand oa = operand(a, out), ob = operand(b, out);
      for (std::size_t i = 0; i < g.size(); ++i) {
        const double gi = g.data()[i], ai = oa.at(i), bi = ob.at(i);
        double da = gi, db = gi;  // add
        if (n.op == Op::sub) {
          db = -gi;
        } else if (n.op == Op::mul) {
          da = gi * bi;
          db = gi * ai;
        } else if (n.op == Op::div) {
          da = gi / bi;
          db = -gi * ai / (bi * bi);
        }
        add_into(in_a.grad, oa, i, da);
        add_into(in_b->grad, ob, i, db);
      }
      return;
    }
    case Op::matmul: {
      // Seen as matrices A (m x k), B (k x n), dY (m x n): dA += dY B^T, dB += A^T dY.
      const Array& b = in_b->value;
      const MatDims da = mat_dims(a, true), db = mat_dims(b, false);
      const std::size_t m = da.rows, k = da.cols, cols = db.cols;
      matmul_kernel(g.data(), b.data(), in_a.grad.data(), m, cols, k, false, true, true);
      matmul_kernel(a.data(), g.data(), in_b->grad.data(), k, m, cols, true, false, true);
      return;
    }
    case Op::sum:
    case Op::mean: {
      const double d = n.op == Op::sum ? g() : g() / static_cast<double>(a.size());
      for (double& v : in_a.grad) v += d;
      return;
    }
    case Op::neg:
    case Op::square:
    case Op::pow:
    case Op::exp:
    case Op::log:
    case Op::sqrt:
    case Op::abs:
    case Op::sigmoid:
    case Op::tanh:
    case Op::relu:
    case Op::leaky_relu: {
      double* dx = in_a.grad.data();
      for (std::size_t i = 0; i < a.size(); ++i)
        dx[i] += unary_grad(n.op, a.data()[i], y.data()[i], g.data()[i], n.attr);
      return;
    }
    case Op::softmax: {
      std::size_t rows = 0, classes = 0;
      rows_and_classes(a, rows, classes);
      for (std::size_t r = 0; r < rows; ++r) {
        const double* yr = y.data() + r * classes;
        const double* gr = g.data() + r * classes;
        double* dx = in_a.grad.data() + r * classes;
        double dot = 0.0;
        for (std::size_t k = 0; k < classes; ++k) dot += gr[k] * yr[k];
        for (std::size_t k = 0; k < classes; ++k) dx[k] += yr[k] * (gr[k] - dot);
      }
      return;
    }
    case Op::mse:
    case Op::half_mse:
    case Op::mae:
    case Op::huber:
    case Op::bce_logits: {
      // loss.hpp writes dL/dp into the scratch buffer; scale it by the upstream gradient.
      const Array& t = in_b->value;
      const std::size_t count = a.size();
      const double delta = n.op == Op::huber ? n.attr : 1.0;
      if (m_scratch.size() != count) m_scratch.resize(Shape{count});
      loss::evaluate(loss_kind(n.op), a.data(), t.data(), count, 1, m_scratch.data(), delta);
      const double upstream = g();
      const double* dl_dp = m_scratch.data();
      double* dp = in_a.grad.data();
      double* dt = in_b->grad.data();
      for (std::size_t i = 0; i < count; ++i) dp[i] += upstream * dl_dp[i];
      if (n.op == Op::bce_logits) {
        // L contains -z t, so dL/dt = -z / n.
        for (std::size_t i = 0; i < count; ++i)
          dt[i] -= upstream * a.data()[i] / static_cast<double>(count);
      } else {
        // These losses depend on p - t only, so dL/dt = -dL/dp.
        for (std::size_t i = 0; i < count; ++i) dt[i] -= upstream * dl_dp[i];
      }
      return;
    }
    case Op::softmax_ce: {
      // Per row, with s = softmax(z) and T = sum_k t_k:
      //   dL/dz_k = (s_k T - t_k) / rows   (loss.hpp's s_k - t_k when the row sums to 1, T = 1)
      //   dL/dt_k = -log s_k / rows
      // Computed here for any T, so the derivative stays right while gradcheck nudges t.
      const Array& t = in_b->value;
      std::size_t rows = 0, cols = 0;
      rows_and_classes(a, rows, cols);
      const double scale = g() / static_cast<double>(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double* z = a.data() + r * cols;
        const double* tr = t.data() + r * cols;
        double* dz = in_a.grad.data() + r * cols;
        double* dt = in_b->grad.data() + r * cols;
        const double m = *std::max_element(z, z + cols);
        double total = 0.0, target_total = 0.0;
        for (std::size_t k = 0; k < cols; ++k) {
          total += std::exp(z[k] - m);
          target_total += tr[k];
        }
        const double log_total = std::log(total);
        for (std::size_t k = 0; k < cols; ++k) {
          const double log_s = z[k] - m - log_total;
          dz[k] += scale * (std::exp(log_s) * target_total - tr[k]);
          dt[k] -= scale * log_s;
        }
      }
      return;
    }
  }
}

}  // namespace gradlab
