// Models: parametrised functions from inputs to predictions, each paired with a dataset and a
// loss so that it is an Objective gradient descent can minimise. Sorted by increasing
// complexity: a line, a line squashed into a probability, a multi-layer perceptron.
//
// May contain: the three models, their activations and initialisers, and the make_model factory.
// May not contain: optimisers (optim.hpp), the general autodiff graph (graph.hpp), datasets
// (data.hpp). The models here do NOT use the graph: each writes its forward and backward pass by
// hand, over buffers allocated once, because they run thousands of steps per second in the
// browser. The graph is for showing the chain rule; these are for training fast.
//
// Parameters are one flat vector (Objective::parameters()), cut into named blocks
// (Objective::layout()). Matrices are row-major: W(k, j) is parameters()[offset + k * cols + j].
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/loss.hpp"
#include "gradlab/objective.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab {

/// Examples processed together in one forward/backward sweep. Workspaces hold this many rows,
/// so memory does not grow with the dataset and stays in cache.
constexpr std::size_t kChunkRows = 64;

/// Limits on MLP shapes (make_model and the MLP constructor check them).
constexpr std::size_t kMaxHiddenLayers = 10;
constexpr std::size_t kMaxWidth = kMaxColumns;

/// The largest number of rows predict() accepts in one call (a 500 x 500 heat map).
constexpr std::size_t kMaxPredictRows = 250000;

/// Base of all models: a dataset, a loss, and predictions from flat parameters.
class Model : public Objective {
 public:
  /// "linear", "logistic" or "mlp".
  virtual std::string type() const = 0;

  std::size_t inputs() const { return m_inputs; }
  std::size_t outputs() const { return m_outputs; }
  loss::Kind loss_kind() const { return m_loss; }

  /// Copies the examples the loss is measured on. Checks them with validate(data), checks their
  /// column counts against inputs() and outputs() (input_error), and for the bce loss checks
  /// that every target lies in [0, 1] (range_error).
  void set_data(const Dataset& data);
  bool has_data() const { return m_has_data; }
  const Dataset& data() const { return m_data; }

  /// Number of rows in the dataset (0 before set_data).
  std::size_t num_examples() const override { return m_rows; }

  /// Mean loss over the whole dataset at parameters x; dLoss/dx into grad when not null.
  /// Throws input_error when no data has been set.
  double evaluate_at(const double* x, double* grad) override;

  /// Mean loss over rows [begin, end) only (so the gradient is that mini-batch's gradient).
  /// Throws range_error unless begin < end <= num_examples().
  double evaluate_batch(const double* x, double* grad, std::size_t begin,
                        std::size_t end) override;

  /// Predictions for each row of x (rows x inputs()) at the current parameters: rows x outputs(),
  /// after the output activation (a probability for the logistic model and sigmoid outputs).
  /// Checks the column count (input_error), 1..kMaxPredictRows rows and finite inputs
  /// (range_error).
  Matrix predict(const Matrix& x) const;

  /// Feature attribution: d prediction[output] / d input at one input row (inputs() numbers),
  /// at the current parameters. Returns inputs() numbers.
  std::vector<double> input_gradient(const double* input_row, std::size_t output = 0) const;

  /// input_gradient at `rows` contiguous input rows x (rows x inputs(), row-major), one gradient
  /// row each (rows x inputs() numbers): all the points of an integrated-gradients path in one
  /// call. Checks 1..kMaxPredictRows rows and finite inputs (range_error).
  std::vector<double> input_gradients(const double* x, std::size_t rows,
                                      std::size_t output = 0) const;

 protected:
  Model(std::size_t inputs, std::size_t outputs, loss::Kind loss);

  /// Appends a named rows x cols block to the parameter vector, filled with zeros.
  void add_block(const std::string& name, std::size_t rows, std::size_t cols);

  /// Loss over data rows [begin, end) (already checked) at params; gradient when grad != null.
  virtual double loss_rows(const double* params, double* grad, std::size_t begin,
                           std::size_t end) = 0;
  /// Predictions for `rows` contiguous input rows x into out (rows x outputs()).
  virtual void predict_rows(const double* x, std::size_t rows, double* out) const = 0;
  /// d prediction[output] / d input for one input row, into out (inputs() numbers).
  virtual void input_gradient_row(const double* input_row, std::size_t output,
                                  double* out) const = 0;

  std::size_t m_inputs;
  std::size_t m_outputs;
  loss::Kind m_loss;
  Dataset m_data;
  bool m_has_data = false;
  std::size_t m_rows = 0;  ///< m_data.rows() once there is data (asked for on every training step)
};

// ---------------------------------------------------------------------------------------------

/// prediction = x . weight + bias, one output. Blocks: "weight" (inputs x 1), "bias" (1 x 1,
/// only when bias is true). Starts at all zeros. Losses: mse, half_mse, mae, huber.
/// With one input and a bias this is the seeds' Score = Hours x Weight + Bias.
class LinearRegression : public Model {
 public:
  explicit LinearRegression(std::size_t inputs, bool bias = true,
                            loss::Kind loss = loss::Kind::mse);
  std::string type() const override { return "linear"; }
  bool has_bias() const { return m_bias; }
  /// The squared-error losses (mse, half_mse) once there is data; null otherwise.
  Kernel full_kernel() override;

 protected:
  double loss_rows(const double* params, double* grad, std::size_t begin,
                   std::size_t end) override;
  void predict_rows(const double* x, std::size_t rows, double* out) const override;
  void input_gradient_row(const double* input_row, std::size_t output,
                          double* out) const override;

 private:
  double squared_error_rows(const double* params, double* grad, std::size_t begin,
                            std::size_t end) const;
  bool m_bias;
  std::vector<double> m_pred;   ///< kChunkRows predictions (general-loss path)
  std::vector<double> m_dpred;  ///< kChunkRows dLoss/dprediction
};

/// probability = sigmoid(z), z = x . weight + bias (the logit). Loss: binary cross-entropy,
/// computed from z (loss::bce_logits). Blocks "weight" (inputs x 1) and "bias" (1 x 1). Starts
/// at all zeros (every probability 0.5). Targets must be in [0, 1].
class LogisticRegression : public Model {
 public:
  explicit LogisticRegression(std::size_t inputs);
  std::string type() const override { return "logistic"; }

 protected:
  double loss_rows(const double* params, double* grad, std::size_t begin,
                   std::size_t end) override;
  void predict_rows(const double* x, std::size_t rows, double* out) const override;
  void input_gradient_row(const double* input_row, std::size_t output,
                          double* out) const override;

 private:
  std::vector<double> m_logit;   ///< kChunkRows logits
  std::vector<double> m_dlogit;  ///< kChunkRows dLoss/dlogit
};

// ---------------------------------------------------------------------------------------------

/// Activation functions applied elementwise after each layer's affine map.
enum class Activation {
  linear,      ///< a = z;                           da/dz = 1
  relu,        ///< a = max(z, 0);                   da/dz = 1 if z > 0 else 0
  leaky_relu,  ///< a = z if z > 0 else 0.01 z;      da/dz = 1 if z > 0 else 0.01
  tanh,        ///< a = tanh(z);                     da/dz = 1 - a^2
  sigmoid,     ///< a = 1 / (1 + exp(-z));           da/dz = a (1 - a)
};

/// "linear", "relu", "leaky_relu", "tanh", "sigmoid". Throws input_error listing them.
Activation parse_activation(const std::string& name);
std::string activation_name(Activation activation);

/// How an MLP's weights are first drawn (biases: see each).
enum class Init {
  uniform,  ///< W ~ U(-0.5, 0.5), b = 0.1 (TensorFlow Playground's choice)
  xavier,   ///< W ~ U(-r, r), r = sqrt(6 / (fan_in + fan_out)) (Glorot uniform), b = 0
  he,       ///< W ~ U(-r, r), r = sqrt(6 / fan_in) (He uniform, for relu), b = 0
};

/// "uniform", "xavier", "he". Throws input_error listing them.
Init parse_init(const std::string& name);
std::string init_name(Init init);

/// A multi-layer perceptron. sizes = {inputs, hidden..., outputs}; layer l = 1..L (L =
/// sizes.size() - 1) computes
///     Z_l = A_{l-1} W_l + b_l,   A_l = act_l(Z_l),   A_0 = the inputs,
/// with W_l of shape sizes[l-1] x sizes[l] (fan_in x fan_out, row-major) and b_l of 1 x sizes[l].
/// Blocks in order: "W1", "b1", "W2", "b2", ...
///
/// Losses: mse, half_mse, mae, huber on the output A_L; or bce, which needs a "sigmoid" or
/// "linear" output activation and treats the last pre-activation Z_L as the logit (the loss is
/// loss::bce_logits(Z_L), numerically stable). With "sigmoid" output, predict() gives
/// probabilities; with "linear" output, predict() gives the logits themselves.
class MLP : public Model {
 public:
  /// activations has one name per layer (sizes.size() - 1 of them). Widths 1..kMaxWidth, 0 to
  /// kMaxHiddenLayers hidden layers (range_error); unknown names (input_error).
  MLP(const std::vector<std::size_t>& sizes, const std::vector<std::string>& activations,
      loss::Kind loss = loss::Kind::mse, std::uint64_t seed = 1, Init init = Init::uniform);

  std::string type() const override { return "mlp"; }
  const std::vector<std::size_t>& sizes() const { return m_sizes; }
  const std::vector<Activation>& activations() const { return m_act; }
  std::size_t layers() const { return m_act.size(); }

  /// Redraws every weight and bias from seed with the model's init scheme. The same seed always
  /// gives the same parameters.
  void initialize(std::uint64_t seed);

  /// ||dLoss/dW_l|| (L2 norm) for each layer l = 1..L, from the last evaluation that computed a
  /// gradient (zeros before that). Shrinking norms towards the input show vanishing gradients.
  const std::vector<double>& layer_gradient_norms() const { return m_grad_norms; }

  /// Every layer's output A_1 .. A_L for one input row at the current parameters (A_L after the
  /// output activation, as predict gives it). For drawing what hidden neurons compute.
  std::vector<std::vector<double>> layer_outputs(const double* input_row) const;

 protected:
  double loss_rows(const double* params, double* grad, std::size_t begin,
                   std::size_t end) override;
  void predict_rows(const double* x, std::size_t rows, double* out) const override;
  void input_gradient_row(const double* input_row, std::size_t output,
                          double* out) const override;

 private:
  /// Buffers for up to kChunkRows examples, allocated once. Layer buffers are neuron-major
  /// (neuron j's values for all examples are contiguous): pre-activations Z, outputs A and
  /// dLoss/dZ, index l - 1 holding layer l; x is the chunk's inputs in that layout, out/dout
  /// the network output and dLoss/doutput row-major, as the loss kernels read them.
  struct Workspace {
    std::vector<double> x;
    std::vector<std::vector<double>> z, a, dz;
    std::vector<double> out, dout;
  };
  Workspace make_workspace(std::size_t rows) const;
  void forward(const double* params, const double* x, std::size_t rows, Workspace& ws,
               bool output_activation) const;
  void backward(const double* params, const double* x, std::size_t rows, Workspace& ws,
                double* grad, double* dx) const;
  /// The loss reads Z_L (the logit) instead of A_L: bce.
  bool loss_on_logits() const { return m_loss == loss::Kind::bce_logits; }

  std::vector<std::size_t> m_sizes;
  std::vector<Activation> m_act;
  Init m_init;
  std::vector<std::size_t> m_w_offset, m_b_offset;  ///< per layer
  std::vector<double> m_grad_norms;
  Workspace m_ws;
};

// ---------------------------------------------------------------------------------------------

/// Everything needed to build a model, as the JavaScript spec object carries it.
struct ModelSpec {
  std::string type = "linear";  ///< "linear", "logistic", "mlp"
  std::size_t inputs = 1;       ///< linear, logistic (an MLP takes sizes[0])
  bool bias = true;             ///< linear only
  std::string loss;             ///< "" = the type's default: mse (linear, mlp), bce (logistic)
  std::vector<std::size_t> sizes;        ///< mlp: {inputs, hidden..., outputs}
  std::vector<std::string> activations;  ///< mlp: one per layer
  std::uint64_t seed = 1;                ///< mlp initialisation
  std::string init = "uniform";          ///< mlp: "uniform", "xavier", "he"
};

/// Builds the model a spec describes, checking every field (input_error for unknown names and
/// inconsistent shapes, range_error for sizes out of bounds; inputs must be 1..kMaxColumns).
std::unique_ptr<Model> make_model(const ModelSpec& spec);

}  // namespace gradlab
