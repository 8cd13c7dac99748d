#include "gradlab/nn.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "gradlab/error.hpp"
#include "gradlab/random.hpp"
#include "simd.hpp"

namespace gradlab {

namespace {

using simd::f64x2;
using simd::load2;
using simd::splat;
using simd::store2;

/// sigmoid of one value, through the same SIMD code as whole layers (see map_pairs), so a value
/// gets the same result bit for bit wherever it is computed.
inline double sigmoid(double z) { return simd::sigmoid(splat(z))[0]; }

constexpr double kLeakySlope = 0.01;

GRADLAB_COLD std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

GRADLAB_COLD void check_inputs(std::size_t inputs) {
  require_range(inputs >= 1 && inputs <= kMaxColumns,
                "a model needs between 1 and " + std::to_string(kMaxColumns) + " inputs (got " +
                    std::to_string(inputs) + ")");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Model

Model::Model(std::size_t inputs, std::size_t outputs, loss::Kind loss)
    : m_inputs(inputs), m_outputs(outputs), m_loss(loss) {}

GRADLAB_COLD void Model::add_block(const std::string& name, std::size_t rows, std::size_t cols) {
  m_layout.push_back(ParamBlock{name, rows, cols, m_params.size()});
  m_params.resize(m_params.size() + rows * cols, 0.0);
}

GRADLAB_COLD void Model::set_data(const Dataset& data) {
  validate(data);
  // Messages only on failure: a widget's data slider calls this on every move.
  if (data.inputs() != m_inputs)
    throw input_error("the model takes " + std::to_string(m_inputs) +
                      " inputs per example but the data has " + std::to_string(data.inputs()));
  if (data.outputs() != m_outputs)
    throw input_error("the model makes " + std::to_string(m_outputs) +
                      " outputs per example but the data has " +
                      std::to_string(data.outputs()) + " targets");
  if (m_loss == loss::Kind::bce_logits) {
    for (std::size_t r = 0; r < data.rows(); ++r)
      for (std::size_t c = 0; c < m_outputs; ++c) {
        const double t = data.y(r, c);
        if (!(t >= 0.0 && t <= 1.0))
          throw range_error("cross-entropy needs targets in [0, 1]; row " +
                            std::to_string(r + 1) + " has " + format_number(t));
      }
  }
  m_data = data;
  m_has_data = true;
  m_rows = m_data.rows();
}

// NOTE: the checks on the hot path below only build their message when they fail: a
// std::string made on every call would cost more than the loss of a small model.
double Model::evaluate_at(const double* x, double* grad) {
  if (!m_has_data) throw input_error("this model has no data yet: call set_data first");
  return loss_rows(x, grad, 0, m_data.rows());
}

double Model::evaluate_batch(const double* x, double* grad, std::size_t begin, std::size_t end) {
  if (!m_has_data) throw input_error("this model has no data yet: call set_data first");
  if (!(begin < end && end <= m_data.rows()))
    throw range_error("batch [" + std::to_string(begin) + ", " + std::to_string(end) +
                      ") is not a non-empty range inside the " +
                      std::to_string(m_data.rows()) + " examples");
  return loss_rows(x, grad, begin, end);
}

GRADLAB_COLD Matrix Model::predict(const Matrix& x) const {
  // Messages only on failure: the decision-boundary widgets predict a grid every frame.
  if (x.shape(1) != m_inputs)
    throw input_error("the model takes " + std::to_string(m_inputs) + " inputs per row but got " +
                      std::to_string(x.shape(1)));
  const std::size_t rows = x.shape(0);
  if (rows < 1 || rows > kMaxPredictRows)
    throw range_error("predict needs between 1 and " + std::to_string(kMaxPredictRows) + " rows");
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < m_inputs; ++c)
      if (!std::isfinite(x(r, c)))
        throw range_error("input " + std::to_string(c + 1) + " of row " +
                          std::to_string(r + 1) + " is not a finite number");
  Matrix out({rows, m_outputs}, 0.0);
  predict_rows(x.data(), rows, out.data());
  return out;
}

GRADLAB_COLD std::vector<double> Model::input_gradient(const double* input_row, std::size_t output) const {
  return input_gradients(input_row, 1, output);
}

GRADLAB_COLD std::vector<double> Model::input_gradients(const double* x, std::size_t rows,
                                                        std::size_t output) const {
  require_range(output < m_outputs, "output index " + std::to_string(output) +
                                        " is out of range (the model has " +
                                        std::to_string(m_outputs) + " outputs)");
  if (rows < 1 || rows > kMaxPredictRows)
    throw range_error("input gradients need between 1 and " + std::to_string(kMaxPredictRows) +
                      " rows");
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < m_inputs; ++c)
      if (!std::isfinite(x[r * m_inputs + c]))
        throw range_error("input " + std::to_string(c + 1) +
                          (rows > 1 ? " of row " + std::to_string(r + 1) : std::string()) +
                          " is not a finite number");
  std::vector<double> out(rows * m_inputs, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    input_gradient_row(x + r * m_inputs, output, out.data() + r * m_inputs);
  return out;
}

// ---------------------------------------------------------------------------------------------
// LinearRegression

namespace {
GRADLAB_COLD loss::Kind check_regression_loss(loss::Kind kind) {
  require(kind == loss::Kind::mse || kind == loss::Kind::half_mse || kind == loss::Kind::mae ||
              kind == loss::Kind::huber,
          "linear regression supports the losses mse, half_mse, mae and huber (use the "
          "logistic model for bce)");
  return kind;
}
}  // namespace

GRADLAB_COLD LinearRegression::LinearRegression(std::size_t inputs, bool bias, loss::Kind loss)
    : Model((check_inputs(inputs), inputs), 1, check_regression_loss(loss)),
      m_bias(bias),
      m_pred(kChunkRows),
      m_dpred(kChunkRows) {
  add_block("weight", inputs, 1);
  if (bias) add_block("bias", 1, 1);
}

// L = (1/n) sum_i r_i^2 with r_i = x_i . w + b - t_i (mse; half of it for half_mse);
// dL/dw = (2/n) sum_i r_i x_i,  dL/db = (2/n) sum_i r_i.
// NOTE: fused into one pass with no intermediate buffer: the residual is formed, squared and
// pushed into the gradient while the row is in registers. This is the loop behind the
// 2-parameter regression lessons, which run tens of thousands of steps per second.
double LinearRegression::squared_error_rows(const double* p, double* grad, std::size_t begin,
                                            std::size_t end) const {
  const std::size_t n = end - begin, d = m_inputs;
  const double* x = m_data.x.data() + begin * d;
  const double* t = m_data.y.data() + begin;
  const double b = m_bias ? p[d] : 0.0;
  double sum = 0.0, gb = 0.0;

  if (d == 1) {  // the common one-feature line
    // NOTE: four points at a time, as two SIMD pairs (SSE2 natively, simd128 in WebAssembly):
    // each line does the work of two points, and the two pairs' running sums do not wait on
    // each other, so the additions overlap. This loop is the whole cost of the 2-parameter
    // regression lessons.
    const double w = p[0];
    const f64x2 wv = splat(w), bv = splat(b);
    f64x2 sum0 = splat(0.0), gw0 = sum0, gb0 = sum0, sum1 = sum0, gw1 = sum0, gb1 = sum0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      const f64x2 x0 = load2(x + i), x1 = load2(x + i + 2);
      const f64x2 r0 = wv * x0 + bv - load2(t + i);
      const f64x2 r1 = wv * x1 + bv - load2(t + i + 2);
      sum0 += r0 * r0, gw0 += r0 * x0, gb0 += r0;
      sum1 += r1 * r1, gw1 += r1 * x1, gb1 += r1;
    }
    double gw = simd::sum(gw0 + gw1);
    sum = simd::sum(sum0 + sum1);
    gb = simd::sum(gb0 + gb1);
    for (; i < n; ++i) {  // up to three points left over
      const double r = w * x[i] + b - t[i];
      sum += r * r, gw += r * x[i], gb += r;
    }
    if (grad) grad[0] = gw;
  } else {
    if (grad) std::fill(grad, grad + d, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double* row = x + i * d;
      double pred = b;
      for (std::size_t k = 0; k < d; ++k) pred += row[k] * p[k];
      const double r = pred - t[i];
      sum += r * r;
      if (grad) {
        for (std::size_t k = 0; k < d; ++k) grad[k] += r * row[k];
        gb += r;
      }
    }
  }

  const double inv_n = 1.0 / static_cast<double>(n);
  const bool half = m_loss == loss::Kind::half_mse;
  if (grad) {
    const double scale = (half ? 1.0 : 2.0) * inv_n;
    for (std::size_t k = 0; k < d; ++k) grad[k] *= scale;
    if (m_bias) grad[d] = gb * scale;
  }
  return (half ? 0.5 : 1.0) * sum * inv_n;
}

Objective::Kernel LinearRegression::full_kernel() {
  if (!has_data() || (m_loss != loss::Kind::mse && m_loss != loss::Kind::half_mse)) return nullptr;
  return [](Objective& self, const double* p, double* grad) {
    const auto& model = static_cast<const LinearRegression&>(self);
    return model.squared_error_rows(p, grad, 0, model.m_rows);
  };
}

double LinearRegression::loss_rows(const double* p, double* grad, std::size_t begin,
                                   std::size_t end) {
  if (m_loss == loss::Kind::mse || m_loss == loss::Kind::half_mse)
    return squared_error_rows(p, grad, begin, end);

  // Any other loss: predictions for a chunk, the loss kernel's dL/dprediction, then the chain
  // rule dL/dw_k = sum_i dL/dpred_i * x_ik, dL/db = sum_i dL/dpred_i.
  const std::size_t n = end - begin, d = m_inputs;
  const double b = m_bias ? p[d] : 0.0;
  if (grad) std::fill(grad, grad + size(), 0.0);
  double total = 0.0;
  for (std::size_t c0 = begin; c0 < end; c0 += kChunkRows) {
    const std::size_t m = std::min(kChunkRows, end - c0);
    const double* x = m_data.x.data() + c0 * d;
    for (std::size_t i = 0; i < m; ++i) {
      double pred = b;
      for (std::size_t k = 0; k < d; ++k) pred += x[i * d + k] * p[k];
      m_pred[i] = pred;
    }
    // The kernel averages over the chunk's m rows; re-weight by m / n to average over all n.
    const double weight = static_cast<double>(m) / static_cast<double>(n);
    total += weight * loss::evaluate(m_loss, m_pred.data(), m_data.y.data() + c0, m, 1,
                                     grad ? m_dpred.data() : nullptr);
    if (grad) {
      for (std::size_t i = 0; i < m; ++i) {
        const double g = m_dpred[i] * weight;
        for (std::size_t k = 0; k < d; ++k) grad[k] += g * x[i * d + k];
        if (m_bias) grad[d] += g;
      }
    }
  }
  return total;
}

void LinearRegression::predict_rows(const double* x, std::size_t rows, double* out) const {
  const std::size_t d = m_inputs;
  const double b = m_bias ? m_params[d] : 0.0;
  for (std::size_t i = 0; i < rows; ++i) {
    double pred = b;
    for (std::size_t k = 0; k < d; ++k) pred += x[i * d + k] * m_params[k];
    out[i] = pred;
  }
}

// d(x . w + b)/dx = w
void LinearRegression::input_gradient_row(const double*, std::size_t, double* out) const {
  std::copy(m_params.begin(), m_params.begin() + m_inputs, out);
}

// ---------------------------------------------------------------------------------------------
// LogisticRegression

GRADLAB_COLD LogisticRegression::LogisticRegression(std::size_t inputs)
    : Model((check_inputs(inputs), inputs), 1, loss::Kind::bce_logits),
      m_logit(kChunkRows),
      m_dlogit(kChunkRows) {
  add_block("weight", inputs, 1);
  add_block("bias", 1, 1);
}

// z_i = x_i . w + b;  L = bce_logits(z, t);  dL/dw = sum_i dL/dz_i x_i,  dL/db = sum_i dL/dz_i,
// where the kernel gives dL/dz_i = (sigmoid(z_i) - t_i) / n.
double LogisticRegression::loss_rows(const double* p, double* grad, std::size_t begin,
                                     std::size_t end) {
  const std::size_t n = end - begin, d = m_inputs;
  const double b = p[d];
  if (grad) std::fill(grad, grad + size(), 0.0);
  double total = 0.0;
  for (std::size_t c0 = begin; c0 < end; c0 += kChunkRows) {
    const std::size_t m = std::min(kChunkRows, end - c0);
    const double* x = m_data.x.data() + c0 * d;
    for (std::size_t i = 0; i < m; ++i) {
      double z = b;
      for (std::size_t k = 0; k < d; ++k) z += x[i * d + k] * p[k];
      m_logit[i] = z;
    }
    const double weight = static_cast<double>(m) / static_cast<double>(n);
    total += weight * loss::bce_logits(m_logit.data(), m_data.y.data() + c0, m,
                                       grad ? m_dlogit.data() : nullptr);
    if (grad) {
      for (std::size_t i = 0; i < m; ++i) {
        const double g = m_dlogit[i] * weight;
        for (std::size_t k = 0; k < d; ++k) grad[k] += g * x[i * d + k];
        grad[d] += g;
      }
    }
  }
  return total;
}

void LogisticRegression::predict_rows(const double* x, std::size_t rows, double* out) const {
  const std::size_t d = m_inputs;
  for (std::size_t i = 0; i < rows; ++i) {
    double z = m_params[d];
    for (std::size_t k = 0; k < d; ++k) z += x[i * d + k] * m_params[k];
    out[i] = sigmoid(z);
  }
}

// d sigmoid(x . w + b)/dx = s (1 - s) w
void LogisticRegression::input_gradient_row(const double* input_row, std::size_t,
                                            double* out) const {
  double s = 0.0;
  predict_rows(input_row, 1, &s);
  for (std::size_t k = 0; k < m_inputs; ++k) out[k] = s * (1.0 - s) * m_params[k];
}

// ---------------------------------------------------------------------------------------------
// Activations and initialisers

GRADLAB_COLD Activation parse_activation(const std::string& name) {
  if (name == "linear") return Activation::linear;
  if (name == "relu") return Activation::relu;
  if (name == "leaky_relu") return Activation::leaky_relu;
  if (name == "tanh") return Activation::tanh;
  if (name == "sigmoid") return Activation::sigmoid;
  throw input_error("unknown activation \"" + name +
                    "\" (expected linear, relu, leaky_relu, tanh or sigmoid)");
}

GRADLAB_COLD std::string activation_name(Activation activation) {
  switch (activation) {
    case Activation::linear: return "linear";
    case Activation::relu: return "relu";
    case Activation::leaky_relu: return "leaky_relu";
    case Activation::tanh: return "tanh";
    case Activation::sigmoid: return "sigmoid";
  }
  return "linear";
}

GRADLAB_COLD Init parse_init(const std::string& name) {
  if (name == "uniform") return Init::uniform;
  if (name == "xavier") return Init::xavier;
  if (name == "he") return Init::he;
  throw input_error("unknown init \"" + name + "\" (expected uniform, xavier or he)");
}

GRADLAB_COLD std::string init_name(Init init) {
  switch (init) {
    case Init::uniform: return "uniform";
    case Init::xavier: return "xavier";
    case Init::he: return "he";
  }
  return "uniform";
}

namespace {

/// out[i] = f(in[i]) two at a time; an odd last value goes through f as a pair too, so
/// every value's result is the same wherever it sits.
template <class F>
void map_pairs(const double* in, double* out, std::size_t n, F f) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) store2(out + i, f(load2(in + i)));
  if (i < n) out[i] = f(splat(in[i]))[0];
}

/// a = act(z) over n values. One switch per layer, so the loops inside stay branch-free.
void activate(Activation act, const double* z, double* a, std::size_t n) {
  switch (act) {
    case Activation::linear:
      std::copy(z, z + n, a);
      break;
    case Activation::relu:
      map_pairs(z, a, n, [](f64x2 v) { return simd::select(v > splat(0.0), v, splat(0.0)); });
      break;
    case Activation::leaky_relu:
      for (std::size_t i = 0; i < n; ++i) a[i] = z[i] > 0.0 ? z[i] : kLeakySlope * z[i];
      break;
    case Activation::tanh:
      map_pairs(z, a, n, [](f64x2 v) { return simd::tanh(v); });
      break;
    case Activation::sigmoid:
      map_pairs(z, a, n, [](f64x2 v) { return simd::sigmoid(v); });
      break;
  }
}

/// dz *= act'(z) over n values, using a = act(z) where that is cheaper.
void times_derivative(Activation act, const double* z, const double* a, double* dz,
                      std::size_t n) {
  switch (act) {
    case Activation::linear:
      break;
    case Activation::relu: {
      // NOTE: as explicit SIMD selects. Written as a scalar ?: loop, the WebAssembly build
      // kept it scalar (z, a and dz may alias), and on the 2-64-64-1 ReLU network it was
      // 14% of a training step.
      std::size_t i = 0;
      for (; i + 2 <= n; i += 2)
        store2(dz + i, simd::select(load2(z + i) > splat(0.0), load2(dz + i), splat(0.0)));
      for (; i < n; ++i) dz[i] = z[i] > 0.0 ? dz[i] : 0.0;
      break;
    }
    case Activation::leaky_relu:
      for (std::size_t i = 0; i < n; ++i) dz[i] *= z[i] > 0.0 ? 1.0 : kLeakySlope;
      break;
    case Activation::tanh:
      for (std::size_t i = 0; i < n; ++i) dz[i] *= 1.0 - a[i] * a[i];
      break;
    case Activation::sigmoid:
      for (std::size_t i = 0; i < n; ++i) dz[i] *= a[i] * (1.0 - a[i]);
      break;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// MLP

namespace {
GRADLAB_COLD std::vector<Activation> check_mlp(const std::vector<std::size_t>& sizes,
                                  const std::vector<std::string>& activations,
                                  loss::Kind loss) {
  require_range(sizes.size() >= 2 && sizes.size() <= kMaxHiddenLayers + 2,
                "an MLP needs sizes {inputs, hidden..., outputs} with 0 to " +
                    std::to_string(kMaxHiddenLayers) + " hidden layers");
  for (std::size_t w : sizes)
    require_range(w >= 1 && w <= kMaxWidth, "every layer width must be between 1 and " +
                                                std::to_string(kMaxWidth) + " (got " +
                                                std::to_string(w) + ")");
  require(activations.size() == sizes.size() - 1,
          "an MLP with " + std::to_string(sizes.size() - 1) + " layers needs " +
              std::to_string(sizes.size() - 1) + " activations (got " +
              std::to_string(activations.size()) + ")");
  std::vector<Activation> acts;
  for (const auto& name : activations) acts.push_back(parse_activation(name));
  require(loss != loss::Kind::softmax_ce,
          "an MLP supports the losses mse, half_mse, mae, huber and bce");
  if (loss == loss::Kind::bce_logits)
    require(acts.back() == Activation::sigmoid || acts.back() == Activation::linear,
            "the bce loss needs a sigmoid (or linear, for logits) output activation, not " +
                activation_name(acts.back()));
  return acts;
}
}  // namespace

GRADLAB_COLD MLP::MLP(const std::vector<std::size_t>& sizes, const std::vector<std::string>& activations,
         loss::Kind loss, std::uint64_t seed, Init init)
    : Model(sizes.empty() ? 0 : sizes.front(), sizes.empty() ? 0 : sizes.back(), loss),
      m_sizes(sizes),
      m_act(check_mlp(sizes, activations, loss)),
      m_init(init) {
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    m_w_offset.push_back(m_params.size());
    add_block("W" + std::to_string(l), sizes[l - 1], sizes[l]);
    m_b_offset.push_back(m_params.size());
    add_block("b" + std::to_string(l), 1, sizes[l]);
  }
  m_grad_norms.assign(layers(), 0.0);
  m_ws = make_workspace(kChunkRows);
  initialize(seed);
}

GRADLAB_COLD void MLP::initialize(std::uint64_t seed) {
  Rng rng(seed);
  for (std::size_t l = 1; l <= layers(); ++l) {
    const double fan_in = static_cast<double>(m_sizes[l - 1]);
    const double fan_out = static_cast<double>(m_sizes[l]);
    double range = 0.5, bias = 0.1;
    if (m_init == Init::xavier) range = std::sqrt(6.0 / (fan_in + fan_out)), bias = 0.0;
    if (m_init == Init::he) range = std::sqrt(6.0 / fan_in), bias = 0.0;
    double* w = m_params.data() + m_w_offset[l - 1];
    for (std::size_t k = 0; k < m_sizes[l - 1] * m_sizes[l]; ++k) w[k] = rng.uniform(-range, range);
    double* b = m_params.data() + m_b_offset[l - 1];
    std::fill(b, b + m_sizes[l], bias);
  }
}

GRADLAB_COLD MLP::Workspace MLP::make_workspace(std::size_t rows) const {
  Workspace ws;
  ws.x.assign(rows * m_inputs, 0.0);
  for (std::size_t l = 1; l <= layers(); ++l) {
    ws.z.emplace_back(rows * m_sizes[l], 0.0);
    ws.a.emplace_back(rows * m_sizes[l], 0.0);
    ws.dz.emplace_back(rows * m_sizes[l], 0.0);
  }
  ws.out.assign(rows * m_outputs, 0.0);
  ws.dout.assign(rows * m_outputs, 0.0);
  return ws;
}

namespace {

/// Row-major (rows x cols) -> neuron-major (cols x rows), and back.
void transpose(const double* in, std::size_t rows, std::size_t cols, double* out) {
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = in[i * cols + j];
}

// The three products of a layer, on neuron-major buffers (neuron q's values for the chunk's
// `rows` examples are the contiguous run in[q * rows .. (q + 1) * rows)).
//
// NOTE: register-blocked. A plain "z += w * a" loop loads and stores z for every multiply-add;
// these kernels keep a block of outputs in SIMD registers for the whole inner sum (4 neurons x 4
// examples forward, 4 x 2 weights for the weight gradient), so each loaded value feeds several
// multiply-adds. On the 2-64-64-1 benchmark network this is ~3x faster than the axpy loops it
// replaced.

/// out[p][i] = init[p] + sum_q M[p sp + q sq] in[q][i] for p < BP neurons from p0 (init null:
/// zeros). The sum runs in order q = 0, 1, ... for every example.
template <int BP>
void combine_block(const double* M, std::size_t sp, std::size_t sq, const double* init,
                   const double* in, std::size_t Q, std::size_t rows, std::size_t p0,
                   double* out) {
  const double* m0 = M + p0 * sp;
  std::size_t i = 0;
  for (; i + 4 <= rows; i += 4) {
    f64x2 acc[BP][2];
    for (int pp = 0; pp < BP; ++pp) acc[pp][0] = acc[pp][1] = splat(init ? init[p0 + pp] : 0.0);
    const double* a = in + i;
    const double* m = m0;
    for (std::size_t q = 0; q < Q; ++q, a += rows, m += sq) {
      const f64x2 a0 = load2(a), a1 = load2(a + 2);
      for (int pp = 0; pp < BP; ++pp) {
        const f64x2 w = splat(m[pp * sp]);
        acc[pp][0] += w * a0;
        acc[pp][1] += w * a1;
      }
    }
    for (int pp = 0; pp < BP; ++pp) {
      store2(out + (p0 + pp) * rows + i, acc[pp][0]);
      store2(out + (p0 + pp) * rows + i + 2, acc[pp][1]);
    }
  }
  if (i + 2 <= rows) {  // two examples left (a mini-batch of 10): one SIMD pair, not scalars
    f64x2 acc[BP];
    for (int pp = 0; pp < BP; ++pp) acc[pp] = splat(init ? init[p0 + pp] : 0.0);
    const double* a = in + i;
    const double* m = m0;
    for (std::size_t q = 0; q < Q; ++q, a += rows, m += sq) {
      const f64x2 a0 = load2(a);
      for (int pp = 0; pp < BP; ++pp) acc[pp] += splat(m[pp * sp]) * a0;
    }
    for (int pp = 0; pp < BP; ++pp) store2(out + (p0 + pp) * rows + i, acc[pp]);
    i += 2;
  }
  for (; i < rows; ++i)
    for (int pp = 0; pp < BP; ++pp) {
      double s = init ? init[p0 + pp] : 0.0;
      for (std::size_t q = 0; q < Q; ++q) s += m0[pp * sp + q * sq] * in[q * rows + i];
      out[(p0 + pp) * rows + i] = s;
    }
}

/// out[p][i] = init[p] + sum_q M[p sp + q sq] in[q][i] for p < P, i < rows.
void combine(const double* M, std::size_t sp, std::size_t sq, const double* init,
             const double* in, std::size_t Q, std::size_t P, std::size_t rows, double* out) {
  std::size_t p = 0;
  for (; p + 4 <= P; p += 4) combine_block<4>(M, sp, sq, init, in, Q, rows, p, out);
  for (; p < P; ++p) combine_block<1>(M, sp, sq, init, in, Q, rows, p, out);
}

/// g[k ldg + j] += sum_i A[k][i] B[j][i] for BK rows from k0 and BJ columns from j0.
template <int BK, int BJ>
void gram_block(const double* A, const double* B, std::size_t rows, std::size_t k0,
                std::size_t j0, std::size_t ldg, double* g) {
  f64x2 acc[BK][BJ];
  for (int kk = 0; kk < BK; ++kk)
    for (int jj = 0; jj < BJ; ++jj) acc[kk][jj] = splat(0.0);
  std::size_t i = 0;
  for (; i + 2 <= rows; i += 2) {
    f64x2 b[BJ];
    for (int jj = 0; jj < BJ; ++jj) b[jj] = load2(B + (j0 + jj) * rows + i);
    for (int kk = 0; kk < BK; ++kk) {
      const f64x2 a = load2(A + (k0 + kk) * rows + i);
      for (int jj = 0; jj < BJ; ++jj) acc[kk][jj] += a * b[jj];
    }
  }
  for (int kk = 0; kk < BK; ++kk)
    for (int jj = 0; jj < BJ; ++jj) {
      double s = simd::sum(acc[kk][jj]);
      if (i < rows) s += A[(k0 + kk) * rows + i] * B[(j0 + jj) * rows + i];
      g[(k0 + kk) * ldg + j0 + jj] += s;
    }
}

/// g[k ldg + j] += sum_i A[k][i] B[j][i] for k < K, j < J: a weight gradient A^T dZ.
void gram(const double* A, std::size_t K, const double* B, std::size_t J, std::size_t rows,
          std::size_t ldg, double* g) {
  std::size_t k = 0;
  for (; k + 4 <= K; k += 4) {
    std::size_t j = 0;
    for (; j + 2 <= J; j += 2) gram_block<4, 2>(A, B, rows, k, j, ldg, g);
    for (; j < J; ++j) gram_block<4, 1>(A, B, rows, k, j, ldg, g);
  }
  for (; k < K; ++k) {
    std::size_t j = 0;
    for (; j + 2 <= J; j += 2) gram_block<1, 2>(A, B, rows, k, j, ldg, g);
    for (; j < J; ++j) gram_block<1, 1>(A, B, rows, k, j, ldg, g);
  }
}

}  // namespace

// Z_l = A_{l-1} W_l + b_l;  A_l = act_l(Z_l).
// Buffers are neuron-major: neuron j's values for the chunk's `rows` examples are the
// contiguous run Z[j * rows .. (j + 1) * rows), so the kernels run along examples with unit
// stride however narrow the layer.
void MLP::forward(const double* p, const double* x, std::size_t rows, Workspace& ws,
                  bool output_activation) const {
  const double* in = x;
  for (std::size_t l = 1; l <= layers(); ++l) {
    const std::size_t n_in = m_sizes[l - 1], n_out = m_sizes[l];
    const double* W = p + m_w_offset[l - 1];  // n_in x n_out: W[k n_out + j]
    const double* b = p + m_b_offset[l - 1];
    double* Z = ws.z[l - 1].data();
    combine(W, 1, n_out, b, in, n_in, n_out, rows, Z);
    if (l < layers() || output_activation)
      activate(m_act[l - 1], Z, ws.a[l - 1].data(), rows * n_out);
    in = ws.a[l - 1].data();
  }
}

// Given dL/dZ_L in ws.dz[L-1], walks back through the layers:
//   dL/dW_l = A_{l-1}^T dZ_l,   dL/db_l = sum over examples of dZ_l,
//   dL/dA_{l-1} = dZ_l W_l^T,   dL/dZ_{l-1} = dL/dA_{l-1} * act'(Z_{l-1}).
// grad (parameter gradients, accumulated with +=) and dx (dL/dinputs, neuron-major,
// overwritten) are each optional.
void MLP::backward(const double* p, const double* x, std::size_t rows, Workspace& ws,
                   double* grad, double* dx) const {
  for (std::size_t l = layers(); l >= 1; --l) {
    const std::size_t n_in = m_sizes[l - 1], n_out = m_sizes[l];
    const double* W = p + m_w_offset[l - 1];
    const double* dZ = ws.dz[l - 1].data();
    const double* A_prev = l > 1 ? ws.a[l - 2].data() : x;

    if (grad) {
      gram(A_prev, n_in, dZ, n_out, rows, n_out, grad + m_w_offset[l - 1]);
      double* gb = grad + m_b_offset[l - 1];
      for (std::size_t j = 0; j < n_out; ++j) {
        const double* dz = dZ + j * rows;
        double s = 0.0;
        for (std::size_t i = 0; i < rows; ++i) s += dz[i];
        gb[j] += s;
      }
    }

    // dL/dA_{l-1}[k] = sum_j W[k n_out + j] dZ[j]: into the previous layer's dz buffer (or dx
    // for the inputs).
    double* dA_prev = l > 1 ? ws.dz[l - 2].data() : dx;
    if (dA_prev) combine(W, n_out, 1, nullptr, dZ, n_out, n_in, rows, dA_prev);
    if (l == 1) break;
    times_derivative(m_act[l - 2], ws.z[l - 2].data(), ws.a[l - 2].data(), ws.dz[l - 2].data(),
                     rows * n_in);
  }
}

double MLP::loss_rows(const double* p, double* grad, std::size_t begin, std::size_t end) {
  const std::size_t n = end - begin, n0 = m_inputs, nL = m_outputs, L = layers();
  if (grad) std::fill(grad, grad + size(), 0.0);
  double total = 0.0;
  Workspace& ws = m_ws;
  for (std::size_t c0 = begin; c0 < end; c0 += kChunkRows) {
    const std::size_t m = std::min(kChunkRows, end - c0);
    transpose(m_data.x.data() + c0 * n0, m, n0, ws.x.data());
    // With bce the loss reads the logit Z_L, so the output sigmoid is never needed here.
    forward(p, ws.x.data(), m, ws, !loss_on_logits());
    const double* out = loss_on_logits() ? ws.z[L - 1].data() : ws.a[L - 1].data();
    transpose(out, nL, m, ws.out.data());  // the loss kernels take rows of outputs
    // The kernel averages over the chunk; re-weight by m / n to average over the n rows.
    const double weight = static_cast<double>(m) / static_cast<double>(n);
    total += weight * loss::evaluate(m_loss, ws.out.data(), m_data.y.data() + c0 * nL, m, nL,
                                     grad ? ws.dout.data() : nullptr);
    if (grad) {
      for (std::size_t i = 0; i < m * nL; ++i) ws.dout[i] *= weight;
      double* dZ = ws.dz[L - 1].data();
      transpose(ws.dout.data(), m, nL, dZ);
      if (!loss_on_logits())  // dL/dZ_L = dL/dA_L * act'(Z_L)
        times_derivative(m_act[L - 1], ws.z[L - 1].data(), ws.a[L - 1].data(), dZ, m * nL);
      backward(p, ws.x.data(), m, ws, grad, nullptr);
    }
  }
  if (grad) {
    for (std::size_t l = 1; l <= L; ++l) {
      const double* g = grad + m_w_offset[l - 1];
      double s = 0.0;
      for (std::size_t k = 0; k < m_sizes[l - 1] * m_sizes[l]; ++k) s += g[k] * g[k];
      m_grad_norms[l - 1] = std::sqrt(s);
    }
  }
  return total;
}

void MLP::predict_rows(const double* x, std::size_t rows, double* out) const {
  Workspace ws = make_workspace(std::min(rows, kChunkRows));
  const std::size_t n0 = m_inputs, nL = m_outputs;
  for (std::size_t c0 = 0; c0 < rows; c0 += kChunkRows) {
    const std::size_t m = std::min(kChunkRows, rows - c0);
    transpose(x + c0 * n0, m, n0, ws.x.data());
    forward(m_params.data(), ws.x.data(), m, ws, true);
    transpose(ws.a.back().data(), nL, m, out + c0 * nL);
  }
}

// Seed dA_L = one-hot(output), turn it into dZ_L, and run the backward pass down to the inputs.
// (With one example, neuron-major and row-major are the same layout.)
void MLP::input_gradient_row(const double* input_row, std::size_t output, double* out) const {
  Workspace ws = make_workspace(1);
  forward(m_params.data(), input_row, 1, ws, true);
  std::vector<double>& dZ = ws.dz.back();
  std::fill(dZ.begin(), dZ.end(), 0.0);
  dZ[output] = 1.0;
  times_derivative(m_act.back(), ws.z.back().data(), ws.a.back().data(), dZ.data(), m_outputs);
  backward(m_params.data(), input_row, 1, ws, nullptr, out);
}

GRADLAB_COLD std::vector<std::vector<double>> MLP::layer_outputs(const double* input_row) const {
  for (std::size_t c = 0; c < m_inputs; ++c)
    if (!std::isfinite(input_row[c]))
      throw range_error("input " + std::to_string(c + 1) + " is not a finite number");
  Workspace ws = make_workspace(1);
  forward(m_params.data(), input_row, 1, ws, true);
  return ws.a;
}

// ---------------------------------------------------------------------------------------------
// Factory

GRADLAB_COLD std::unique_ptr<Model> make_model(const ModelSpec& spec) {
  if (spec.type == "linear") {
    const loss::Kind kind = spec.loss.empty() ? loss::Kind::mse : loss::parse(spec.loss);
    return std::make_unique<LinearRegression>(spec.inputs, spec.bias, kind);
  }
  if (spec.type == "logistic") {
    require(spec.loss.empty() || loss::parse(spec.loss) == loss::Kind::bce_logits,
            "the logistic model's loss is bce");
    return std::make_unique<LogisticRegression>(spec.inputs);
  }
  if (spec.type == "mlp") {
    const loss::Kind kind = spec.loss.empty() ? loss::Kind::mse : loss::parse(spec.loss);
    return std::make_unique<MLP>(spec.sizes, spec.activations, kind, spec.seed,
                                 parse_init(spec.init));
  }
  throw input_error("unknown model type \"" + spec.type +
                    "\" (expected one of: " + join({"linear", "logistic", "mlp"}) + ")");
}

}  // namespace gradlab
