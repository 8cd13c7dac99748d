// Shared by fuzz_model.cpp and fuzz_function.cpp: a fuzzed optimizer configuration and a few
// fuzzed Trainer steps on an objective, checking what train.hpp promises (history holds only
// finite losses, one per step plus the start; the trajectory only finite points; nothing moves
// once the run has stopped).
#pragma once

#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_common.hpp"
#include "gradlab/objective.hpp"
#include "gradlab/optim.hpp"
#include "gradlab/train.hpp"

namespace gradlab_fuzz {

inline gradlab::OptimizerConfig fuzz_optimizer_config(FuzzedDataProvider& fdp) {
  gradlab::OptimizerConfig c;
  c.kind = pick_name(fdp, gradlab::optimizer_kinds());
  // Every hyper-parameter keeps its default unless the next bit says to fuzz it.
  if (fdp.ConsumeBool()) c.lr = any_double(fdp, 1e-6, 2.0);
  if (fdp.ConsumeBool()) c.momentum = any_double(fdp, 0.0, 1.0);
  if (fdp.ConsumeBool()) c.dampening = any_double(fdp, 0.0, 1.0);
  if (fdp.ConsumeBool()) c.weight_decay = any_double(fdp, 0.0, 1.0);
  c.nesterov = fdp.ConsumeBool();
  if (fdp.ConsumeBool()) c.alpha = any_double(fdp, 0.0, 1.0);
  if (fdp.ConsumeBool()) c.eps = any_double(fdp, 0.0, 1e-3);
  if (fdp.ConsumeBool()) c.beta1 = any_double(fdp, 0.0, 1.0);
  if (fdp.ConsumeBool()) c.beta2 = any_double(fdp, 0.0, 1.0);
  c.amsgrad = fdp.ConsumeBool();
  c.centered = fdp.ConsumeBool();
  if (fdp.ConsumeBool()) c.lr_decay = any_double(fdp, 0.0, 1.0);
  if (fdp.ConsumeBool()) c.initial_accumulator_value = any_double(fdp, 0.0, 1.0);
  return c;
}

inline gradlab::TrainerOptions fuzz_trainer_options(FuzzedDataProvider& fdp) {
  gradlab::TrainerOptions o;
  o.batch_size = any_size(fdp, 70);
  o.max_steps = fdp.ConsumeBool() ? o.max_steps : any_size(fdp, 25);
  if (fdp.ConsumeBool()) o.grad_tolerance = any_double(fdp, 0.0, 1e-3);
  if (fdp.ConsumeBool()) o.loss_tolerance = any_double(fdp, 0.0, 1e-3);
  if (fdp.ConsumeBool()) o.divergence_factor = any_double(fdp, 1.0, 1e6);
  o.record_trajectory = fdp.ConsumeBool();
  o.trajectory_limit = fdp.ConsumeBool() ? o.trajectory_limit : any_size(fdp, 64);
  return o;
}

/// The invariants of a Trainer between calls.
inline void check_trainer(const gradlab::Trainer& t, bool start_finite) {
  const auto& h = t.history();
  FUZZ_CHECK(h.size() == t.steps() + 1 || (!start_finite && h.empty()));
  FUZZ_CHECK(all_finite(h));
  FUZZ_CHECK(all_finite(t.trajectory()));
  const std::size_t n = t.parameters().size();
  if (n > 0 && t.options().record_trajectory) {
    FUZZ_CHECK(t.trajectory().size() % n == 0);
    FUZZ_CHECK(t.trajectory().size() <= (t.steps() + 1) * n);
    FUZZ_CHECK(t.trajectory().size() <= std::max(t.options().trajectory_limit, n));
  }
  if (start_finite) {
    FUZZ_CHECK(std::isfinite(t.loss()));
    FUZZ_CHECK(h.empty() || h.back() == t.loss());
    FUZZ_CHECK(all_finite(t.parameters()));
    FUZZ_CHECK(all_finite(t.gradient()));
  }
  FUZZ_CHECK(t.steps() <= t.options().max_steps);
}

/// Builds a trainer on objective from fuzz bytes and takes up to ~20 steps.
/// start_finite: the caller knows the loss and gradient at the start point are finite.
inline void fuzz_training(FuzzedDataProvider& fdp, std::shared_ptr<gradlab::Objective> objective,
                          bool start_finite) {
  const gradlab::OptimizerConfig config = fuzz_optimizer_config(fdp);
  std::unique_ptr<gradlab::Optimizer> optimizer;
  if (!accepts([&] { optimizer = gradlab::make_optimizer(config); })) return;
  FUZZ_CHECK(optimizer != nullptr);
  FUZZ_CHECK(optimizer->lr() > 0 && std::isfinite(optimizer->lr()));

  std::unique_ptr<gradlab::Trainer> trainer;
  const gradlab::TrainerOptions options = fuzz_trainer_options(fdp);
  if (!accepts([&] {
        trainer = std::make_unique<gradlab::Trainer>(objective, std::move(optimizer), options);
      }))
    return;
  check_trainer(*trainer, start_finite);

  std::size_t budget = 20;  // steps this input may still take
  while (budget > 0 && fdp.remaining_bytes() > 0) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
      case 0:
      case 1:
      case 2: {
        const std::size_t k = fdp.ConsumeIntegralInRange<std::size_t>(0, budget);
        budget -= k;
        const gradlab::Status before = trainer->status();
        const std::size_t steps = trainer->steps();
        const auto params = trainer->parameters();
        const gradlab::Status s = trainer->run(k);
        FUZZ_CHECK(s == trainer->status());
        FUZZ_CHECK(trainer->steps() <= steps + k);
        if (before == gradlab::Status::converged || before == gradlab::Status::diverged) {
          FUZZ_CHECK(trainer->steps() == steps && trainer->parameters() == params);
        }
        const std::string name = gradlab::to_string(s);
        FUZZ_CHECK(name == "running" || name == "converged" || name == "diverged" ||
                   name == "max-steps");
        break;
      }
      case 3:
        --budget;
        trainer->step();
        break;
      case 4:
        accepts([&] { trainer->set_learning_rate(any_double(fdp, 1e-6, 2.0)); });
        break;
      case 5: {
        // A new start point: right length with bounded values, or anything.
        std::vector<double> p(fdp.ConsumeBool() ? trainer->parameters().size()
                                                : fdp.ConsumeIntegralInRange<std::size_t>(0, 8));
        const bool wild = fdp.ConsumeBool();
        for (double& v : p) v = wild ? any_double(fdp, -3, 3) : bounded_double(fdp, -3, 3);
        if (accepts([&] { trainer->reset(p); })) {
          FUZZ_CHECK(trainer->steps() == 0);
          FUZZ_CHECK(trainer->parameters() == p);
          // The caller's guarantee holds for its own start point only; a new one may overflow.
          start_finite = start_finite && std::isfinite(trainer->loss()) &&
                         all_finite(trainer->gradient());
        }
        break;
      }
      case 6:
        trainer->reset();
        FUZZ_CHECK(trainer->steps() == 0);
        break;
      default: {
        double full = 0;
        if (accepts([&] { full = trainer->full_loss(); }) && start_finite) {
          FUZZ_CHECK(!std::isnan(full));
        }
        break;
      }
    }
    check_trainer(*trainer, start_finite);
  }
}

}  // namespace gradlab_fuzz
