// Native reference runs for tests/wasm/native-parity.test.mjs: the same seeded computations the
// test repeats through the WebAssembly module, printed as JSON with 17 significant digits. The
// test asserts that both builds agree to 1e-12 (they run the same C++; only libm and the compiler
// differ).
//
// Built natively by CMake as gradlab_reference (build/native/gradlab_reference).
#include <cstdio>
#include <string>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/functions.hpp"
#include "gradlab/graph.hpp"
#include "gradlab/landscape.hpp"
#include "gradlab/loss.hpp"
#include "gradlab/nn.hpp"
#include "gradlab/optim.hpp"
#include "gradlab/train.hpp"

namespace {

using namespace gradlab;

std::string numbers(const double* p, std::size_t n) {
  std::string out = "[";
  char buf[32];
  for (std::size_t k = 0; k < n; ++k) {
    std::snprintf(buf, sizeof buf, "%s%.17g", k ? "," : "", p[k]);
    out += buf;
  }
  return out + "]";
}
std::string numbers(const std::vector<double>& v) { return numbers(v.data(), v.size()); }

void field(const char* name, const std::string& json, bool last = false) {
  std::printf("  \"%s\": %s%s\n", name, json.c_str(), last ? "" : ",");
}

}  // namespace

int main() {
  std::printf("{\n");

  // Datasets: every generator, 24 rows, seed 7, noise 0.3.
  std::string datasets = "{";
  for (const std::string& name : dataset_names()) {
    const Dataset d = make_dataset(name, 24, 7, 0.3);
    datasets += (datasets.size() > 1 ? "," : "") + std::string("\"") + name + "\": {\"x\": " +
                numbers(d.x.data(), d.x.size()) + ", \"y\": " + numbers(d.y.data(), d.y.size()) +
                "}";
  }
  field("datasets", datasets + "}");

  // MLP 2-8-8-1 on xor: seeded initialisation, then 50 trainer steps of Adam.
  {
    ModelSpec spec;
    spec.type = "mlp";
    spec.sizes = {2, 8, 8, 1};
    spec.activations = {"tanh", "tanh", "sigmoid"};
    spec.loss = "bce";
    spec.seed = 3;
    spec.init = "xavier";
    std::shared_ptr<Model> mlp = make_model(spec);
    mlp->set_data(make_dataset("xor", 40, 5, 0.1));
    field("mlpInit", numbers(mlp->parameters()));
    OptimizerConfig oc;
    oc.kind = "adam";
    oc.lr = 0.05;
    TrainerOptions to;
    Trainer trainer(mlp, make_optimizer(oc), to);
    trainer.run(50);
    field("mlpTrained", numbers(trainer.parameters()));
    field("mlpHistory", numbers(trainer.history()));
    Matrix grid = Matrix::from_shape({3, 2});
    const double pts[] = {-3, -3, 0.5, 2, 4, -1};
    std::copy(pts, pts + 6, grid.begin());
    const Matrix pred = mlp->predict(grid);
    field("mlpPredict", numbers(pred.data(), pred.size()));
  }

  // Linear regression on exam scores: 50 steps of SGD with momentum, mini-batches of 8.
  {
    ModelSpec spec;
    std::shared_ptr<Model> lin = make_model(spec);
    lin->set_data(make_dataset("exam-scores", 32, 11, 5));
    OptimizerConfig oc;
    oc.kind = "momentum";
    oc.lr = 0.005;
    TrainerOptions to;
    to.batch_size = 8;
    Trainer trainer(lin, make_optimizer(oc), to);
    trainer.run(50);
    field("linearHistory", numbers(trainer.history()));
    field("linearTrajectory", numbers(trainer.trajectory()));
    field("linearLandscape", numbers(loss_grid(*lin, 0, 1, 0, 10, 0, 100, 4, 3)));
  }

  // Rosenbrock: 50 RMSprop steps from the suggested start.
  {
    std::shared_ptr<Function> f = make_function("rosenbrock");
    OptimizerConfig oc;
    oc.kind = "rmsprop";
    oc.lr = 0.01;
    TrainerOptions to;
    Trainer trainer(f, make_optimizer(oc), to);
    trainer.run(50);
    field("rosenbrockTrajectory", numbers(trainer.trajectory()));
  }

  // A graph: softmax cross-entropy of a 2x3 matmul, backward.
  {
    Graph g;
    Array xv = Array::from_shape({2, 2});
    Array wv = Array::from_shape({2, 3});
    const double xs[] = {0.5, -1.0, 2.0, 0.25};
    const double ws[] = {0.1, -0.2, 0.3, 0.7, 0.05, -0.4};
    std::copy(xs, xs + 4, xv.begin());
    std::copy(ws, ws + 6, wv.begin());
    const Id x = g.constant(xv, "x");
    const Id w = g.input("W", wv);
    Array tv = Array::from_shape({2, 3});
    const double ts[] = {1, 0, 0, 0, 0, 1};
    std::copy(ts, ts + 6, tv.begin());
    const Id t = g.constant(tv, "t");
    const Id z = g.op("tanh", {g.op("matmul", {x, w})});
    const Id loss = g.op("softmax_ce", {z, t});
    g.backward(loss);
    field("graphLoss", numbers(g.value(loss).data(), 1));
    field("graphGradW", numbers(g.grad(w).data(), g.grad(w).size()), true);
  }

  std::printf("}\n");
  return 0;
}
