// Fuzz target: the loss kernels behind gl.loss(kind, pred, target, {rows, cols}). loss::parse
// with arbitrary names, then loss::evaluate on a rows x cols table of fuzzed predictions and
// targets (the binding has already checked that both hold rows * cols numbers; the kernels
// check the rest: at least one element, a valid huber delta).
//
// For finite inputs the loss and its gradient may overflow to infinity but must never be NaN:
// the kernels are written from logits precisely so that nothing becomes 0 * inf or inf - inf.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "gradlab/loss.hpp"

using namespace gradlab_fuzz;

namespace {
const std::vector<std::string> kNames = {"mse", "half_mse", "mae", "huber", "bce",
                                         "bce_logits", "softmax_ce"};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const std::string name = pick_name(fdp, kNames);
  gradlab::loss::Kind kind{};
  if (!accepts([&] { kind = gradlab::loss::parse(name); })) return 0;
  FUZZ_CHECK(gradlab::loss::parse(gradlab::loss::name(kind)) == kind);

  const std::size_t rows = fdp.ConsumeIntegralInRange<std::size_t>(0, 16);
  const std::size_t cols = fdp.ConsumeIntegralInRange<std::size_t>(0, 8);
  const double delta = fdp.ConsumeBool() ? 1.0 : any_double(fdp, 0.0, 5.0);
  // Scale: ordinary numbers, or numbers near the overflow threshold of exp and of squaring.
  const double scale = fdp.ConsumeBool() ? 10.0 : fdp.ConsumeBool() ? 800.0 : 1e300;
  const bool wild = fdp.ConsumeIntegralInRange<int>(0, 5) == 0;
  const bool probabilities = fdp.ConsumeBool();  // targets in [0, 1], as bce and softmax_ce expect
  std::vector<double> p(rows * cols), t(rows * cols), grad(rows * cols);
  for (double& v : p) v = wild ? any_double(fdp, -scale, scale) : bounded_double(fdp, -scale, scale);
  for (double& v : t) {
    if (probabilities) v = fdp.ConsumeBool() ? static_cast<double>(fdp.ConsumeBool()) : fdp.ConsumeProbability<double>();
    else v = wild ? any_double(fdp, -scale, scale) : bounded_double(fdp, -scale, scale);
  }
  if (trace())
    std::fprintf(stderr, "loss %s rows=%zu cols=%zu delta=%g scale=%g wild=%d prob=%d\n",
                 name.c_str(), rows, cols, delta, scale, wild, probabilities);

  double loss = 0;
  const bool ok = accepts([&] {
    loss = gradlab::loss::evaluate(kind, p.data(), t.data(), rows, cols, grad.data(), delta);
  });
  const bool delta_ok = kind != gradlab::loss::Kind::huber || (std::isfinite(delta) && delta > 0);
  // Both cross-entropies refuse targets outside [0, 1] (a probability is what they measure).
  bool targets_ok = true;
  if (kind == gradlab::loss::Kind::bce_logits || kind == gradlab::loss::Kind::softmax_ce)
    for (double v : t) targets_ok = targets_ok && v >= 0.0 && v <= 1.0;
  FUZZ_CHECK(ok == (rows * cols > 0 && delta_ok && targets_ok));
  if (!ok) return 0;
  if (all_finite(p) && all_finite(t)) {
    FUZZ_CHECK(!std::isnan(loss));
    FUZZ_CHECK(!any_nan(grad));
    // Every loss is a mean of non-negative terms; for bce and softmax_ce only when the targets
    // are probabilities (then -t log q >= 0).
    if (kind != gradlab::loss::Kind::bce_logits && kind != gradlab::loss::Kind::softmax_ce)
      FUZZ_CHECK(loss >= 0);
    else if (probabilities)
      FUZZ_CHECK(loss >= -1e-12 * std::max(1.0, std::fabs(loss)));
  }
  // Without a gradient buffer: the same loss.
  const double again = gradlab::loss::evaluate(kind, p.data(), t.data(), rows, cols, nullptr, delta);
  FUZZ_CHECK(again == loss || (std::isnan(again) && std::isnan(loss)));
  return 0;
}
