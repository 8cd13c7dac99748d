// Fuzz target: the autodiff graph. A program read from the fuzz bytes builds a Graph with
// input() / constant() leaves of fuzzed shapes and values and op(name, ids, attr) nodes with
// arbitrary (also invalid) names, arities, ids and attributes, interleaved with set_value,
// set_element, forward, backward, sweep, node inspection and gradient checks.
//
// The graph may legitimately hold NaN (log of a negative number is documented IEEE behaviour),
// so this target checks structure rather than values: no crash, only std::invalid_argument,
// ids in creation order, and after backward(root) a gradient of root's shape equal to 1 and a
// gradient of every node shaped like its value.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "gradlab/gradcheck.hpp"
#include "gradlab/graph.hpp"

using namespace gradlab_fuzz;

namespace {

constexpr std::size_t kMaxNodes = 24;

/// A shape of rank 0..3 with sides 1..4 (0 now and then: empty arrays are legal).
gradlab::Shape fuzz_shape(FuzzedDataProvider& fdp) {
  gradlab::Shape s(fdp.ConsumeIntegralInRange<std::size_t>(0, 3));
  for (auto& d : s)
    d = fdp.ConsumeIntegralInRange<int>(0, 15) == 0 ? 0 : fdp.ConsumeIntegralInRange<std::size_t>(1, 4);
  return s;
}

gradlab::Array fuzz_array(FuzzedDataProvider& fdp, bool& finite) {
  gradlab::Array a = gradlab::Array::from_shape(fuzz_shape(fdp));
  const bool wild = fdp.ConsumeIntegralInRange<int>(0, 5) == 0;
  for (double& v : a) v = wild ? any_double(fdp, -3, 3) : bounded_double(fdp, -3, 3);
  finite = all_finite(a.data(), a.size());
  return a;
}

/// An id that usually exists; sometimes one past the end or far out.
gradlab::Id fuzz_id(FuzzedDataProvider& fdp, const gradlab::Graph& g) {
  if (g.size() == 0 || fdp.ConsumeIntegralInRange<int>(0, 11) == 0) return any_size(fdp, g.size() + 1);
  return fdp.ConsumeIntegralInRange<gradlab::Id>(0, g.size() - 1);
}

bool same_shape(const gradlab::Array& a, const gradlab::Array& b) {
  return a.dimension() == b.dimension() &&
         std::equal(a.shape().begin(), a.shape().end(), b.shape().begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  gradlab::Graph g;
  std::vector<std::string> names = gradlab::Graph::op_names();
  names.push_back("bce");
  int gradchecks = 0;

  for (int step = 0; step < 64 && fdp.remaining_bytes() > 0; ++step) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 12)) {
      case 0:
      case 1: {  // a leaf
        if (g.size() >= kMaxNodes) break;
        bool finite = true;
        const gradlab::Array a = fuzz_array(fdp, finite);
        const std::size_t before = g.size();
        gradlab::Id id = 0;
        const bool ok = accepts([&] {
          id = fdp.ConsumeBool() ? g.input(fdp.ConsumeRandomLengthString(6), a) : g.constant(a);
        });
        FUZZ_CHECK(ok == finite);
        if (ok) FUZZ_CHECK(id == before && g.size() == before + 1 && g.value(id) == a);
        else FUZZ_CHECK(g.size() == before);
        break;
      }
      case 2:
      case 3:
      case 4:
      case 5: {  // an op
        if (g.size() >= kMaxNodes) break;
        const std::string name = pick_name(fdp, names);
        std::vector<gradlab::Id> inputs(fdp.ConsumeIntegralInRange<int>(0, 7) == 0
                                            ? fdp.ConsumeIntegralInRange<std::size_t>(0, 3)
                                            : fdp.ConsumeIntegralInRange<std::size_t>(1, 2));
        for (auto& id : inputs) id = fuzz_id(fdp, g);
        const double attr = fdp.ConsumeBool() ? std::nan("") : any_double(fdp, -3, 3);
        const std::size_t before = g.size();
        gradlab::Id id = 0;
        if (accepts([&] { id = g.op(name, inputs, attr); })) {
          FUZZ_CHECK(id == before && g.size() == before + 1);
          const gradlab::Node& n = g.node(id);
          FUZZ_CHECK(n.inputs == inputs && !n.is_leaf());
          for (gradlab::Id in : n.inputs) FUZZ_CHECK(in < id);
          FUZZ_CHECK(n.op_name() == (name == "bce" ? "bce_logits" : name));
        } else {
          FUZZ_CHECK(g.size() == before);  // a rejected op leaves no half-built node
        }
        break;
      }
      case 6: {  // new leaf values, possibly of another shape
        bool finite = true;
        const gradlab::Id id = fuzz_id(fdp, g);
        const gradlab::Array a = fuzz_array(fdp, finite);
        const bool ok = accepts([&] { g.set_value(id, a); });
        if (ok) FUZZ_CHECK(finite && id < g.size() && g.node(id).is_leaf() && g.value(id) == a);
        break;
      }
      case 7: {
        const gradlab::Id id = fuzz_id(fdp, g);
        const std::size_t index = any_size(fdp, 8);
        const double v = any_double(fdp, -3, 3);
        if (accepts([&] { g.set_element(id, index, v); }))
          FUZZ_CHECK(g.node(id).is_leaf() && g.value(id).flat(index) == v);
        break;
      }
      case 8:
        accepts([&] { g.forward(); });
        break;
      case 9: {
        const gradlab::Id root = fuzz_id(fdp, g);
        if (!accepts([&] { g.backward(root); })) break;
        FUZZ_CHECK(root < g.size() && g.value(root).size() == 1);
        FUZZ_CHECK(g.grad(root).size() == 1 && g.grad(root).flat(0) == 1.0);
        for (gradlab::Id id = 0; id < g.size(); ++id)
          FUZZ_CHECK(same_shape(g.grad(id), g.value(id)));
        break;
      }
      case 10: {
        if (gradchecks++ >= 2) break;  // each check replays the graph twice per input element
        const gradlab::Id root = fuzz_id(fdp, g);
        const double h = fdp.ConsumeBool() ? 1e-6 : any_double(fdp, 1e-8, 1e-2);
        const double tol = fdp.ConsumeBool() ? 1e-6 : any_double(fdp, 1e-9, 1e-2);
        gradlab::GradCheckResult r;
        if (!accepts([&] { r = gradlab::check_graph(g, root, h, tol); })) break;
        FUZZ_CHECK(std::isfinite(h) && h > 0 && std::isfinite(tol) && tol > 0);
        FUZZ_CHECK(r.analytic.size() == r.numeric.size());
        std::size_t total = 0;
        for (const auto& p : r.parts) {
          FUZZ_CHECK(p.offset == total);
          total += p.size;
        }
        FUZZ_CHECK(total == r.analytic.size());
        if (r.ok) FUZZ_CHECK(r.max_rel_error <= r.tolerance);
        break;
      }
      case 11: {  // sweep: the leaf put back, and the graph as after forward()
        const gradlab::Id leaf = fuzz_id(fdp, g);
        const gradlab::Id output = fuzz_id(fdp, g);
        std::vector<double> values(fdp.ConsumeIntegralInRange<std::size_t>(0, 4));
        for (double& v : values) v = fdp.ConsumeIntegralInRange<int>(0, 7) == 0 ? any_double(fdp, -3, 3)
                                                                              : bounded_double(fdp, -3, 3);
        const bool leaf_ok = leaf < g.size() && g.node(leaf).is_leaf() && g.value(leaf).size() == 1;
        const gradlab::Array before = leaf_ok ? g.value(leaf) : gradlab::Array();
        std::vector<double> out;
        if (!accepts([&] { out = g.sweep(leaf, values, output); })) {
          if (leaf_ok) FUZZ_CHECK(g.value(leaf) == before);
          break;
        }
        FUZZ_CHECK(leaf_ok && g.value(output).size() == 1 && all_finite(values));
        FUZZ_CHECK(out.size() == values.size() && g.value(leaf) == before);
        std::vector<gradlab::Array> now;
        for (gradlab::Id id = 0; id < g.size(); ++id) now.push_back(g.value(id));
        if (!accepts([&] { g.forward(); })) break;
        for (gradlab::Id id = 0; id < g.size(); ++id) {
          const gradlab::Array& a = g.value(id);
          FUZZ_CHECK(same_shape(a, now[id]));
          for (std::size_t k = 0; k < a.size(); ++k)
            FUZZ_CHECK(a.flat(k) == now[id].flat(k) || (std::isnan(a.flat(k)) && std::isnan(now[id].flat(k))));
        }
        break;
      }
      default: {  // inspection of any id, valid or not
        const gradlab::Id id = fuzz_id(fdp, g);
        if (accepts([&] { (void)g.node(id); })) {
          FUZZ_CHECK(id < g.size());
          accepts([&] { g.set_name(id, fdp.ConsumeRandomLengthString(6)); });
        } else {
          FUZZ_CHECK(id >= g.size());
        }
        break;
      }
    }
  }
  (void)g.variables();
  return 0;
}
