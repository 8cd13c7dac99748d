// Fuzz target: the lesson functions. make_function(name, params) with arbitrary names and
// parameter maps; value / gradient / Hessian at fuzzed points; the documented metadata (view,
// start, minima); then a few Trainer steps with a fuzzed optimizer from the suggested start.
//
// With accepted parameters and |x| <= 1000, value, gradient and Hessian must never be NaN
// (infinity from overflow is tolerated: an accepted parameter may be extreme).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "fuzz_train.hpp"
#include "gradlab/functions.hpp"

using namespace gradlab_fuzz;

namespace {

const std::vector<std::string> kParamNames = {
    "ideal", "scale", "ideal_sugar", "sugar_scale", "ideal_time", "time_scale", "interaction",
    "condition", "angle", "a", "b", "amplitude", "bowl"};

/// Ranges near each parameter's valid interval, so that accepted values are explored well.
double param_value(FuzzedDataProvider& fdp, const std::string& key) {
  if (key == "ideal" || key == "ideal_sugar") return any_double(fdp, -10, 410);
  if (key == "ideal_time") return any_double(fdp, -10, 250);
  if (key == "interaction") return any_double(fdp, -2.5, 2.5);
  if (key == "condition") return any_double(fdp, 0.5, 2e6);
  if (key == "angle") return any_double(fdp, -10, 10);
  if (key == "a") return any_double(fdp, -12, 12);
  if (key == "b") return any_double(fdp, -1, 2e4);
  if (key == "amplitude") return any_double(fdp, -1, 110);
  if (key == "bowl") return any_double(fdp, -1, 11);
  return any_double(fdp, -1, 200);  // scales
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const std::string name = pick_name(fdp, gradlab::function_names());
  std::map<std::string, double> params;
  const std::size_t count = fdp.ConsumeIntegralInRange<std::size_t>(0, 4);
  for (std::size_t k = 0; k < count; ++k) {
    const std::string key = pick_name(fdp, kParamNames);
    params[key] = param_value(fdp, key);
  }

  if (trace()) {
    std::fprintf(stderr, "make_function(\"%s\"", name.c_str());
    for (const auto& kv : params) std::fprintf(stderr, ", %s=%.17g", kv.first.c_str(), kv.second);
    std::fprintf(stderr, ")\n");
  }
  std::unique_ptr<gradlab::Function> f;
  if (!accepts([&] { f = gradlab::make_function(name, params); })) return 0;
  FUZZ_CHECK(f != nullptr);
  FUZZ_CHECK(f->name() == name);
  const std::size_t dims = f->dims();
  FUZZ_CHECK(dims == 1 || dims == 2);
  FUZZ_CHECK(f->axis_labels().size() == dims);
  FUZZ_CHECK(f->start().size() == dims && all_finite(f->start()));
  FUZZ_CHECK(f->parameters() == f->start());
  const gradlab::ViewRange& v = f->view();
  FUZZ_CHECK(std::isfinite(v.x_min) && std::isfinite(v.x_max) && v.x_min < v.x_max);
  FUZZ_CHECK(std::isfinite(v.y_min) && std::isfinite(v.y_max) && v.y_min < v.y_max);
  double previous = -INFINITY;
  for (const auto& m : f->minima()) {
    FUZZ_CHECK(m.size() == dims && all_finite(m));
    const double fm = f->value_at(m);
    FUZZ_CHECK(!std::isnan(fm));
    FUZZ_CHECK(fm >= previous - 1e-9 * std::max(1.0, std::fabs(fm)));  // lowest first
    previous = fm;
  }

  // Value, gradient and Hessian at a few points; a wrong length must be an input_error.
  const std::size_t points = fdp.ConsumeIntegralInRange<std::size_t>(0, 4);
  for (std::size_t p = 0; p < points; ++p) {
    const std::size_t len = fdp.ConsumeIntegralInRange<int>(0, 7) == 0
                                ? fdp.ConsumeIntegralInRange<std::size_t>(0, 3)
                                : dims;
    const bool wild = fdp.ConsumeBool();
    std::vector<double> x(len);
    for (double& c : x) c = wild ? any_double(fdp, -1000, 1000) : bounded_double(fdp, -1000, 1000);
    double value = 0;
    std::vector<double> g, h;
    const bool ok = accepts([&] {
      value = f->value_at(x);
      g = f->gradient_at(x);
      h = f->hessian_at(x);
    });
    if (len != dims) FUZZ_CHECK(!ok);
    else if (!wild) FUZZ_CHECK(ok);
    if (!ok) continue;
    FUZZ_CHECK(g.size() == dims && h.size() == dims * dims);
    if (!wild || strict()) {
      FUZZ_CHECK(!std::isnan(value) && !any_nan(g) && !any_nan(h));
    }
    if (!wild && dims == 2 && std::isfinite(h[1]))  // symmetric
      FUZZ_CHECK(std::fabs(h[1] - h[2]) <= 1e-12 * std::max(1.0, std::fabs(h[1])));
    // The Objective interface agrees with the named accessors.
    std::vector<double> g2(dims);
    const double value2 = f->evaluate_at(x.data(), g2.data());
    FUZZ_CHECK(value2 == value || (std::isnan(value2) && std::isnan(value)));
    FUZZ_CHECK(g2 == g || any_nan(g));
  }

  // Training from the suggested start: finite there for every accepted parameter set.
  std::vector<double> g0(dims);
  const double f0 = f->evaluate(g0.data());
  const bool start_finite = std::isfinite(f0) && all_finite(g0);
  std::shared_ptr<gradlab::Objective> objective(std::move(f));
  fuzz_training(fdp, objective, start_finite);
  return 0;
}
