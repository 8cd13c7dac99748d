// Fuzz target: model configurations. make_model(spec) with arbitrary types, sizes, activations,
// losses, seeds and inits; then set_data with a fuzzed table, evaluate / evaluate_batch /
// predict / input_gradient(s), and a few Trainer steps with a fuzzed optimizer.
//
// Finiteness is only demanded where it is owed: with bounded data (|x|, |y| <= 100) and the
// model's own initial parameters, loss and gradient must be finite; with wild data the engine
// must either reject it (NaN, infinities) or just not crash.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "fuzz_train.hpp"
#include "gradlab/data.hpp"
#include "gradlab/nn.hpp"

using namespace gradlab_fuzz;

namespace {

const std::vector<std::string> kTypes = {"linear", "logistic", "mlp"};
const std::vector<std::string> kLosses = {"", "mse", "half_mse", "mae", "huber", "bce",
                                          "bce_logits", "softmax_ce"};
const std::vector<std::string> kActivations = {"linear", "relu", "leaky_relu", "tanh",
                                               "sigmoid"};
const std::vector<std::string> kInits = {"uniform", "xavier", "he"};

gradlab::ModelSpec fuzz_spec(FuzzedDataProvider& fdp) {
  gradlab::ModelSpec s;
  s.type = pick_name(fdp, kTypes);
  s.inputs = any_size(fdp, 17);
  s.bias = fdp.ConsumeBool();
  s.loss = pick_name(fdp, kLosses);
  // Up to kMaxHiddenLayers + 3 layers: one or two too many must be rejected.
  const std::size_t layers = fdp.ConsumeIntegralInRange<std::size_t>(0, 13);
  for (std::size_t l = 0; l < layers; ++l) {
    // Wide layers are only ever passed through: the cap keeps the parameter count small.
    const std::size_t w = any_size(fdp, l + 1 == layers ? 3 : 10);
    s.sizes.push_back(w);
  }
  std::size_t acts = layers > 0 ? layers - 1 : 0;
  if (fdp.ConsumeIntegralInRange<int>(0, 9) == 0) acts = fdp.ConsumeIntegralInRange<std::size_t>(0, 14);
  for (std::size_t l = 0; l < acts; ++l) s.activations.push_back(pick_name(fdp, kActivations));
  s.seed = fdp.ConsumeIntegral<std::uint64_t>();
  s.init = pick_name(fdp, kInits);
  return s;
}

/// Rejects only what the engine must reject anyway, so that the rest of the target does not
/// allocate for huge shapes the harness caps. (The engine's own checks run first.)
bool small_enough(const gradlab::Model& m) {
  return m.inputs() <= 17 && m.outputs() <= 17 && m.size() <= 4096;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const gradlab::ModelSpec spec = fuzz_spec(fdp);
  if (trace()) {
    std::fprintf(stderr, "make_model type=%s inputs=%zu bias=%d loss=%s init=%s sizes=[",
                 spec.type.c_str(), spec.inputs, spec.bias, spec.loss.c_str(), spec.init.c_str());
    for (std::size_t w : spec.sizes) std::fprintf(stderr, " %zu", w);
    std::fprintf(stderr, " ] activations=[");
    for (const auto& a : spec.activations) std::fprintf(stderr, " %s", a.c_str());
    std::fprintf(stderr, " ]\n");
  }
  std::unique_ptr<gradlab::Model> model;
  if (!accepts([&] { model = gradlab::make_model(spec); })) return 0;
  FUZZ_CHECK(model != nullptr);
  FUZZ_CHECK(model->type() == spec.type);
  FUZZ_CHECK(model->inputs() >= 1 && model->inputs() <= gradlab::kMaxColumns);
  FUZZ_CHECK(model->outputs() >= 1 && model->outputs() <= gradlab::kMaxColumns);
  FUZZ_CHECK(small_enough(*model));  // the harness never asked for more
  {
    std::size_t offset = 0;
    for (const auto& b : model->layout()) {
      FUZZ_CHECK(b.offset == offset && b.size() >= 1);
      offset += b.size();
    }
    FUZZ_CHECK(offset == model->size());
    FUZZ_CHECK(all_finite(model->parameters()));
  }
  FUZZ_CHECK(model->num_examples() == 0);

  // Evaluating without data is an error, never a crash.
  std::vector<double> grad(model->size());
  FUZZ_CHECK(!accepts([&] { model->evaluate(grad.data()); }));

  // A dataset: usually the right shape with bounded values; sometimes wrong columns or wild values.
  const std::size_t rows = fdp.ConsumeIntegralInRange<std::size_t>(0, 64);
  const std::size_t in_cols = fdp.ConsumeIntegralInRange<int>(0, 9) == 0
                                  ? fdp.ConsumeIntegralInRange<std::size_t>(0, 17)
                                  : model->inputs();
  const std::size_t out_cols = fdp.ConsumeIntegralInRange<int>(0, 9) == 0
                                   ? fdp.ConsumeIntegralInRange<std::size_t>(0, 17)
                                   : model->outputs();
  const bool wild = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
  const bool labels = model->loss_kind() == gradlab::loss::Kind::bce_logits && fdp.ConsumeBool();
  gradlab::Dataset d;
  d.x = gradlab::Matrix::from_shape({rows, in_cols});
  d.y = gradlab::Matrix::from_shape({rows, out_cols});
  for (double& v : d.x) v = wild ? any_double(fdp, -100, 100) : bounded_double(fdp, -100, 100);
  for (double& v : d.y) {
    if (labels) v = fdp.ConsumeBool() ? 1.0 : fdp.ConsumeProbability<double>();
    else v = wild ? any_double(fdp, -100, 100) : bounded_double(fdp, -100, 100);
  }
  if (trace()) {
    std::fprintf(stderr, "set_data rows=%zu x:", rows);
    for (double v : d.x) std::fprintf(stderr, " %.17g", v);
    std::fprintf(stderr, "\n  y:");
    for (double v : d.y) std::fprintf(stderr, " %.17g", v);
    std::fprintf(stderr, "\n");
  }
  const bool data_ok = accepts([&] { model->set_data(d); });
  if (data_ok) {
    FUZZ_CHECK(rows >= 1 && in_cols == model->inputs() && out_cols == model->outputs());
    FUZZ_CHECK(all_finite(d.x.data(), d.x.size()) && all_finite(d.y.data(), d.y.size()));
    FUZZ_CHECK(model->num_examples() == rows);
  } else if (!wild && rows >= 1 && in_cols == model->inputs() && out_cols == model->outputs()) {
    // Bounded data of the right shape is refused only for out-of-range bce targets.
    FUZZ_CHECK(model->loss_kind() == gradlab::loss::Kind::bce_logits && !labels);
  }
  // Bounded data and the model's own start: everything it returns must be finite.
  const bool tame = data_ok && !wild;

  if (data_ok) {
    const double loss = model->evaluate(grad.data());
    if (tame) FUZZ_CHECK(std::isfinite(loss) && all_finite(grad));
    else if (strict()) FUZZ_CHECK(!std::isnan(loss) && !any_nan(grad));

    // Mini-batches, including empty, reversed and out-of-range ones.
    const std::size_t begin = any_size(fdp, rows + 1), end = any_size(fdp, rows + 1);
    double batch = 0;
    const bool batch_ok = accepts([&] { batch = model->evaluate_batch(model->parameters().data(), grad.data(), begin, end); });
    FUZZ_CHECK(batch_ok == (begin < end && end <= rows));
    if (batch_ok && tame) FUZZ_CHECK(std::isfinite(batch) && all_finite(grad));

    // The same rows in one batch give the full loss.
    if (tame) {
      const double whole = model->evaluate_batch(model->parameters().data(), nullptr, 0, rows);
      FUZZ_CHECK(std::fabs(whole - loss) <= 1e-9 * std::max(1.0, std::fabs(loss)));
    }
  }

  // Predictions (allowed with or without data) on a small fuzzed table.
  {
    const std::size_t prows = fdp.ConsumeIntegralInRange<std::size_t>(0, 8);
    const std::size_t pcols = fdp.ConsumeBool() ? model->inputs() : fdp.ConsumeIntegralInRange<std::size_t>(0, 17);
    gradlab::Matrix x = gradlab::Matrix::from_shape({prows, pcols});
    const bool pwild = fdp.ConsumeBool();
    for (double& v : x) v = pwild ? any_double(fdp, -100, 100) : bounded_double(fdp, -100, 100);
    gradlab::Matrix out;
    const bool ok = accepts([&] { out = model->predict(x); });
    FUZZ_CHECK(ok == (prows >= 1 && pcols == model->inputs() && all_finite(x.data(), x.size())));
    if (ok) {
      FUZZ_CHECK(out.shape(0) == prows && out.shape(1) == model->outputs());
      if (!pwild) FUZZ_CHECK(all_finite(out.data(), out.size()));
      else if (strict()) FUZZ_CHECK(!any_nan(out.data(), out.size()));
    }
  }

  // Feature attribution at one row, for any output index.
  {
    std::vector<double> row(model->inputs());
    const bool rwild = fdp.ConsumeBool();
    for (double& v : row) v = rwild ? any_double(fdp, -100, 100) : bounded_double(fdp, -100, 100);
    const std::size_t output = any_size(fdp, model->outputs());
    std::vector<double> g;
    const bool ok = accepts([&] { g = model->input_gradient(row.data(), output); });
    FUZZ_CHECK(ok == (output < model->outputs() && all_finite(row)));
    if (ok) {
      FUZZ_CHECK(g.size() == model->inputs());
      if (!rwild) FUZZ_CHECK(all_finite(g));
      else if (strict()) FUZZ_CHECK(!any_nan(g));
    }
  }

  // Several rows in one call (0 to 5): each row's gradient is the one input_gradient gives alone.
  {
    const std::size_t rows = fdp.ConsumeIntegralInRange<std::size_t>(0, 5);
    const std::size_t n = model->inputs();
    std::vector<double> x(std::max<std::size_t>(rows, 1) * n);
    const bool xwild = fdp.ConsumeBool();
    for (double& v : x) v = xwild ? any_double(fdp, -100, 100) : bounded_double(fdp, -100, 100);
    const std::size_t output = any_size(fdp, model->outputs());
    std::vector<double> g;
    const bool ok = accepts([&] { g = model->input_gradients(x.data(), rows, output); });
    FUZZ_CHECK(ok == (rows >= 1 && output < model->outputs() && all_finite(x.data(), rows * n)));
    if (ok) {
      FUZZ_CHECK(g.size() == rows * n);
      const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
      for (std::size_t r = 0; r < rows; ++r) {
        const auto one = model->input_gradient(x.data() + r * n, output);
        for (std::size_t c = 0; c < n; ++c) FUZZ_CHECK(same(g[r * n + c], one[c]));
      }
    }
  }

  if (auto* mlp = dynamic_cast<gradlab::MLP*>(model.get())) {
    std::vector<double> row(mlp->inputs());
    for (double& v : row) v = bounded_double(fdp, -100, 100);
    const auto layers = mlp->layer_outputs(row.data());
    FUZZ_CHECK(layers.size() == mlp->layers());
    for (std::size_t l = 0; l < layers.size(); ++l) {
      FUZZ_CHECK(layers[l].size() == mlp->sizes()[l + 1]);
      FUZZ_CHECK(all_finite(layers[l]));
    }
    FUZZ_CHECK(mlp->layer_gradient_norms().size() == mlp->layers());
    if (tame) FUZZ_CHECK(all_finite(mlp->layer_gradient_norms()));
    if (fdp.ConsumeBool()) {
      const auto before = mlp->parameters();
      const std::uint64_t seed = fdp.ConsumeIntegral<std::uint64_t>();
      mlp->initialize(seed);
      FUZZ_CHECK(all_finite(mlp->parameters()));
      const auto once = mlp->parameters();
      mlp->initialize(seed);
      FUZZ_CHECK(mlp->parameters() == once);
      if (seed == spec.seed) FUZZ_CHECK(once == before);
    }
  }

  if (!data_ok) return 0;  // a trainer on a model without data fails in its constructor anyway
  std::shared_ptr<gradlab::Objective> objective(std::move(model));
  fuzz_training(fdp, objective, tame);
  return 0;
}
