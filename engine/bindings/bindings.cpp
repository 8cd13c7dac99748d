// The WebAssembly binding: the only file of the engine that knows about JavaScript.
//
// May contain: conversions between JS values and engine types, validation of what JS passes in,
// and one EMSCRIPTEN_BINDINGS block. May not contain: engine logic (that lives in src/).
//
// Rules (see web/engine/gradlab.js, which turns these raw bindings into the public JS API):
// - Coarse calls only: a call costs ~100 ns under DYNAMIC_EXECUTION=0, so we bind run(n),
//   history() and whole grids, never per-element getters.
// - Bulk numbers leave as copies (Float64Array.slice of a heap view): a live view of wasm memory
//   reads as empty once the memory grows.
// - Errors are values at the boundary. Every bound function runs its body inside guard(), which
//   catches any C++ exception, records its kind and message in one static slot and returns a
//   default value. The JS wrapper calls errorKind() after every call and throws RangeError
//   (range_error) or Error (anything else) with takeErrorMessage(). No exception ever crosses
//   into JS, so no stack frame is skipped and nothing leaks, however many times it happens.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/error.hpp"
#include "gradlab/functions.hpp"
#include "gradlab/gradcheck.hpp"
#include "gradlab/graph.hpp"
#include "gradlab/landscape.hpp"
#include "gradlab/loss.hpp"
#include "gradlab/nn.hpp"
#include "gradlab/objective.hpp"
#include "gradlab/optim.hpp"
#include "gradlab/train.hpp"

using emscripten::val;

namespace gradlab::wasm {

/// A property name as a JS string, made once per distinct name and kept: obj[key("x")],
/// obj.set(key("x"), v).
/// NOTE: val's obj["x"] and obj.set("x", v) decode the C string into a fresh JS string on
/// every call, a crossing of its own; gl.trainer() reads a dozen fields and layout() writes
/// four per block, so the names are cached. A few dozen distinct names exist, compared by text
/// (one caller builds names at run time). Entries are never moved or freed, so references stay
/// valid and no JS handle is released at exit.
const val& key(const char* name) {
  struct Key {
    const char* at;    // where the name was first seen: a string literal, almost always
    const char* name;  // a copy
    const val* js;
  };
  constexpr std::size_t kKeys = 128;  // ~60 field names exist, plus lesson functions' parameters
  static Key table[kKeys];
  static std::size_t count = 0;
  // By address first (one comparison of text to confirm), then by text.
  for (std::size_t i = 0; i < count; ++i)
    if (table[i].at == name && std::strcmp(table[i].name, name) == 0) return *table[i].js;
  for (std::size_t i = 0; i < count; ++i)
    if (std::strcmp(table[i].name, name) == 0) return *table[i].js;
  if (count == kKeys) {  // never expected: then one spare slot, valid until the next call
    static val* spare = new val(val::undefined());
    *spare = val(name);
    return *spare;
  }
  table[count] = {name, strdup(name), new val(name)};
  return *table[count++].js;
}

// ---------------------------------------------------------------------------------------------
// Errors

enum ErrorKind : int { no_error = 0, range = 1, input = 2 };

struct ErrorSlot {
  int kind = no_error;
  std::string message;
};

ErrorSlot& error_slot() {
  static ErrorSlot slot;
  return slot;
}

/// What a failed call returns (the JS wrapper throws before anyone looks at it).
template <class T>
T failed_result() {
  if constexpr (std::is_same_v<T, val>) {
    return val::undefined();
  } else {
    return T{};
  }
}

/// Calls call(context); any exception becomes the pending error.
/// NOTE: the catch blocks only copy the message; nothing JS-facing happens inside them. They live
/// here once, not in every guard<> instantiation (that repetition was ~8 KB of the module).
void run_guarded(void (*call)(void*), void* context) {
  ErrorSlot& slot = error_slot();
  try {
    call(context);
  } catch (const range_error& e) {
    slot.kind = range;
    slot.message = e.what();
  } catch (const std::exception& e) {
    slot.kind = input;
    slot.message = e.what();
  } catch (...) {
    slot.kind = input;
    slot.message = "unknown engine error";
  }
}

/// Runs body(); any exception becomes the pending error and a default-constructed result.
template <class Body>
auto guard(Body&& body) -> decltype(body()) {
  using Result = decltype(body());
  if constexpr (std::is_void_v<Result>) {
    run_guarded([](void* b) { (*static_cast<std::remove_reference_t<Body>*>(b))(); }, &body);
  } else {
    Result result = failed_result<Result>();
    auto assign = [&] { result = body(); };
    run_guarded([](void* a) { (*static_cast<decltype(assign)*>(a))(); }, &assign);
    return result;
  }
}

int error_kind() { return error_slot().kind; }

std::string take_error_message() {
  ErrorSlot& slot = error_slot();
  std::string message;
  message.swap(slot.message);
  slot.kind = no_error;
  return message;
}

/// For leak tests: bytes of wasm memory, bytes currently allocated by malloc, and the address
/// of a local variable (the C stack position; it must not drift after errors).
val memory_stats() {
  // The property names first: the first use of a name caches it, an allocation that a count
  // taken before it would miss.
  const val& allocated = key("allocated");
  const val& heap = key("heap");
  const val& stack = key("stack");
  const val& length = key("length");
  const struct mallinfo info = mallinfo();
  volatile char probe = 0;
  val out = val::object();
  out.set(allocated, static_cast<double>(info.uordblks));
  out.set(heap, val::module_property("HEAP8")[length]);
  out.set(stack, static_cast<double>(reinterpret_cast<std::uintptr_t>(&probe)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Conversions (JS -> C++ validate; C++ -> JS copy)

/// A copy of n doubles as a fresh Float64Array.
val to_f64(const double* data, std::size_t n) {
  return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}
val to_f64(const std::vector<double>& v) { return to_f64(v.data(), v.size()); }

std::string type_of(const val& v) { return v.typeOf().as<std::string>(); }

/// Numbers from a JS array or typed array (the wrapper always passes a Float64Array).
std::vector<double> to_vector(const val& v, const std::string& what) {
  if (v.isUndefined() || v.isNull()) throw input_error(what + " must be an array of numbers");
  const val length_js = v[key("length")];
  if (!length_js.isNumber()) throw input_error(what + " must be an array of numbers");
  const double length = length_js.as<double>();
  if (!(length >= 0 && length <= 5e7))
    throw range_error(what + " must hold at most 50000000 numbers");
  return emscripten::convertJSArrayToNumberVector<double>(v);
}

std::vector<double> to_finite_vector(const val& v, const std::string& what) {
  std::vector<double> out = to_vector(v, what);
  for (double x : out)
    if (!std::isfinite(x)) throw range_error(what + " must be finite numbers");
  return out;
}

// NOTE: the field readers below run for every spec a widget passes (a trainer per slider move
// in some lessons), so they build their messages only when a check fails: require(ok, a + b)
// would allocate and concatenate strings on every call, which measured as a third of the cost
// of gl.model() and gl.trainer().

/// A JS spec object, and, once check_fields has listed its keys, which fields it has.
/// NOTE: every field read is three or four crossings into JS (get, type test, conversion,
/// release), ~1 us each in Chromium; an optimizer spec has 14 possible fields and a widget
/// usually sets two. With the keys known, an absent field is answered here. A plain val
/// converts implicitly (keys unknown: every read asks JS).
struct Fields {
  Fields(const val& o) : obj(o) {}  // NOLINT: implicit on purpose
  Fields(const val& o, std::vector<std::string> k) : obj(o), keys(std::move(k)), known(true) {}

  /// False only when the keys are known and name is not among them.
  bool may_have(const char* name) const {
    if (!known) return true;
    for (const std::string& k : keys)
      if (k == name) return true;
    return false;
  }

  const val& obj;
  std::vector<std::string> keys;
  bool known = false;
};

/// obj[field] as a finite number; fallback when the field is absent (undefined).
double number_field(const Fields& spec, const char* field, double fallback) {
  const val& obj = spec.obj;
  if (obj.isUndefined() || obj.isNull() || !spec.may_have(field)) return fallback;
  const val v = obj[key(field)];
  if (v.isUndefined()) return fallback;
  if (!v.isNumber())
    throw input_error(std::string(field) + " must be a number, not a " + type_of(v));
  const double x = v.as<double>();
  if (!std::isfinite(x)) throw range_error(std::string(field) + " must be a finite number");
  return x;
}

/// obj[field] as a finite number; required.
double number_field(const Fields& spec, const char* field) {
  const double missing = std::numeric_limits<double>::infinity();  // number_field never returns it
  const double x = number_field(spec, field, missing);
  if (x == missing) throw input_error(std::string("missing field \"") + field + "\"");
  return x;
}

/// obj[field] as a non-negative integer within [lo, hi].
std::size_t count_field(const Fields& obj, const char* field, double fallback, double lo, double hi) {
  hi = std::min(hi, static_cast<double>(std::numeric_limits<std::uint32_t>::max()));
  const double x = number_field(obj, field, fallback);
  if (!(x == std::floor(x) && x >= lo && x <= hi))
    throw range_error(std::string(field) + " must be an integer in [" +
                      std::to_string(static_cast<long long>(lo)) + ", " +
                      std::to_string(static_cast<long long>(hi)) + "]");
  return static_cast<std::size_t>(x);
}

/// obj[field] as a seed: an integer in [0, 2^53) (uint64 on both builds; size_t is 32-bit in wasm).
std::uint64_t seed_field(const Fields& obj, const char* field, double fallback) {
  const double x = number_field(obj, field, fallback);
  if (!(x == std::floor(x) && x >= 0 && x <= 9007199254740991.0))
    throw range_error(std::string(field) + " must be an integer in [0, 2^53)");
  return static_cast<std::uint64_t>(x);
}

std::string string_field(const Fields& spec, const char* field, const std::string& fallback) {
  const val& obj = spec.obj;
  if (obj.isUndefined() || obj.isNull() || !spec.may_have(field)) return fallback;
  const val v = obj[key(field)];
  if (v.isUndefined()) return fallback;
  if (!v.isString())
    throw input_error(std::string(field) + " must be a string, not a " + type_of(v));
  return v.as<std::string>();
}

bool bool_field(const Fields& spec, const char* field, bool fallback) {
  const val& obj = spec.obj;
  if (obj.isUndefined() || obj.isNull() || !spec.may_have(field)) return fallback;
  const val v = obj[key(field)];
  if (v.isUndefined()) return fallback;
  if (v.isTrue()) return true;
  if (v.isFalse()) return false;
  throw input_error(std::string(field) + " must be true or false");
}

// ---------------------------------------------------------------------------------------------
// Loss kernels

/// { loss, gradient } of loss kind over rows x cols predictions.
val loss_eval(const std::string& kind, const val& pred, const val& target, double rows_d,
              double cols_d, double delta) {
  return guard([&] {
    const loss::Kind k = loss::parse(kind);
    const std::vector<double> p = to_finite_vector(pred, "predictions");
    const std::vector<double> t = to_finite_vector(target, "targets");
    require_range(rows_d >= 1 && cols_d >= 1 && rows_d == std::floor(rows_d) &&
                      cols_d == std::floor(cols_d),
                  "rows and cols must be integers >= 1");
    const auto rows = static_cast<std::size_t>(rows_d);
    const auto cols = static_cast<std::size_t>(cols_d);
    require(p.size() == rows * cols, "predictions must hold rows * cols numbers");
    require(t.size() == rows * cols, "targets must hold rows * cols numbers");
    std::vector<double> grad(p.size());
    const double value = loss::evaluate(k, p.data(), t.data(), rows, cols, grad.data(), delta);
    val out = val::object();
    out.set(key("loss"), value);
    out.set(key("gradient"), to_f64(grad));
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Datasets

val dataset_to_js(const Dataset& d) {
  val out = val::object();
  out.set(key("x"), to_f64(d.x.data(), d.x.size()));
  out.set(key("y"), to_f64(d.y.data(), d.y.size()));
  out.set(key("rows"), static_cast<double>(d.rows()));
  out.set(key("inputs"), static_cast<double>(d.inputs()));
  out.set(key("outputs"), static_cast<double>(d.outputs()));
  return out;
}

/// gl.dataset(name, { n, seed, noise }).
val make_dataset_js(const std::string& name, const val& options) {
  return guard([&] {
    const std::size_t n = count_field(options, "n", 100, 1, static_cast<double>(kMaxRows));
    const std::uint64_t seed = seed_field(options, "seed", 1);
    const double noise = number_field(options, "noise", 0.0);
    return dataset_to_js(make_dataset(name, n, seed, noise));
  });
}

val dataset_names_js() {
  return guard([&] {
    val out = val::array();
    for (const std::string& name : dataset_names()) out.call<void>("push", name);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Graph

/// An integer id from JS.
Id to_id(double id) {
  require(std::isfinite(id) && id >= 0 && id == std::floor(id), "a node id must be an integer >= 0");
  return static_cast<Id>(id);
}

Shape to_shape(const val& shape_js) {
  const std::vector<double> dims = to_vector(shape_js, "shape");
  require(dims.size() <= 8, "a shape has at most 8 dimensions");
  Shape shape;
  double total = 1;
  for (double d : dims) {
    require_range(std::isfinite(d) && d >= 0 && d == std::floor(d) && d <= 1e7,
                  "shape sizes must be integers in [0, 10000000]");
    shape.push_back(static_cast<std::size_t>(d));
    total *= d;
  }
  require_range(total <= 1e7, "an array may hold at most 10000000 numbers");
  return shape;
}

/// values reshaped to shape; the sizes must agree.
Array to_array(const val& values_js, const val& shape_js) {
  const std::vector<double> values = to_finite_vector(values_js, "values");
  const Shape shape = to_shape(shape_js);
  std::size_t total = 1;
  for (std::size_t d : shape) total *= d;
  if (total != values.size())
    throw input_error("values hold " + std::to_string(values.size()) + " numbers but shape " +
                      shape_to_string(shape) + " needs " + std::to_string(total));
  Array a = Array::from_shape(shape);
  std::copy(values.begin(), values.end(), a.begin());
  return a;
}

val array_to_js(const Array& a) { return to_f64(a.data(), a.size()); }

val shape_to_js(const Shape& shape) {
  val out = val::array();
  for (std::size_t d : shape) out.call<void>("push", static_cast<double>(d));
  return out;
}

val gradcheck_to_js(const GradCheckResult& r) {
  val out = val::object();
  out.set(key("maxRelError"), r.max_rel_error);
  out.set(key("ok"), r.ok);
  out.set(key("tolerance"), r.tolerance);
  out.set(key("value"), r.value);
  out.set(key("analytic"), to_f64(r.analytic));
  out.set(key("numeric"), to_f64(r.numeric));
  val parts = val::array();
  for (const GradCheckPart& part : r.parts) {
    val p = val::object();
    p.set(key("name"), part.name);
    p.set(key("offset"), static_cast<double>(part.offset));
    p.set(key("size"), static_cast<double>(part.size));
    p.set(key("maxRelError"), part.max_rel_error);
    parts.call<void>("push", p);
  }
  out.set(key("parts"), parts);
  return out;
}

/// The attribute of an op: a number, or { exponent | p | slope | delta }; NaN = default.
double op_attr(const val& attr) {
  if (attr.isUndefined() || attr.isNull()) return std::numeric_limits<double>::quiet_NaN();
  if (attr.isNumber()) {
    const double x = attr.as<double>();
    require_range(std::isfinite(x), "an op attribute must be a finite number");
    return x;
  }
  require(type_of(attr) == "object", "an op attribute must be a number or an object");
  // number_field refuses NaN, so NaN here means "absent": try the next name.
  const double absent = std::numeric_limits<double>::quiet_NaN();
  for (const char* field : {"exponent", "p", "slope", "delta"}) {
    const double x = number_field(attr, field, absent);
    if (!std::isnan(x)) return x;
  }
  return absent;
}

/// gl.graph(): a tape of array-valued nodes.
class JsGraph {
 public:
  double size() const { return static_cast<double>(m_graph.size()); }

  double input(const std::string& name, const val& values, const val& shape) {
    return guard([&] { return static_cast<double>(m_graph.input(name, to_array(values, shape))); });
  }
  double constant(const val& values, const val& shape, const std::string& name) {
    return guard([&] { return static_cast<double>(m_graph.constant(to_array(values, shape), name)); });
  }
  double op(const std::string& name, const val& inputs_js, const val& attr) {
    return guard([&] {
      std::vector<Id> inputs;
      for (double id : to_vector(inputs_js, "inputs")) inputs.push_back(to_id(id));
      return static_cast<double>(m_graph.op(name, inputs, op_attr(attr)));
    });
  }
  void forward() {
    guard([&] { m_graph.forward(); });
  }
  void backward(double root) {
    guard([&] { m_graph.backward(to_id(root)); });
  }
  val value(double id) {
    return guard([&] { return array_to_js(m_graph.value(to_id(id))); });
  }
  val grad(double id) {
    return guard([&] { return array_to_js(m_graph.grad(to_id(id))); });
  }
  /// New values for a leaf; without shape, the leaf keeps its shape.
  void set_value(double id, const val& values, const val& shape) {
    guard([&] {
      const Id leaf = to_id(id);
      if (shape.isUndefined() || shape.isNull()) {
        const Array& old = m_graph.value(leaf);
        m_graph.set_value(leaf, to_array(values, shape_to_js(Shape(old.shape().begin(), old.shape().end()))));
      } else {
        m_graph.set_value(leaf, to_array(values, shape));
      }
    });
  }
  val sweep(double leaf, const val& values, double output) {
    return guard([&] {
      return to_f64(m_graph.sweep(to_id(leaf), to_vector(values, "values"), to_id(output)));
    });
  }
  val nodes() {
    return guard([&] {
      val out = val::array();
      for (Id id = 0; id < m_graph.size(); ++id) {
        const Node& node = m_graph.node(id);
        val n = val::object();
        n.set(key("id"), static_cast<double>(id));
        n.set(key("op"), node.op_name());
        n.set(key("name"), node.name);
        val inputs = val::array();
        for (Id input : node.inputs) inputs.call<void>("push", static_cast<double>(input));
        n.set(key("inputs"), inputs);
        n.set(key("shape"), shape_to_js(Shape(node.value.shape().begin(), node.value.shape().end())));
        if (!std::isnan(node.attr)) n.set(key("attr"), node.attr);
        n.set(key("value"), array_to_js(node.value));
        n.set(key("grad"), array_to_js(node.grad));
        out.call<void>("push", n);
      }
      return out;
    });
  }
  val gradcheck(double root, double h) {
    return guard([&] {
      return gradcheck_to_js(check_graph(m_graph, to_id(root), std::isnan(h) ? 1e-6 : h));
    });
  }

 private:
  Graph m_graph;
};

val op_names_js() {
  return guard([&] {
    val out = val::array();
    for (const std::string& name : Graph::op_names()) out.call<void>("push", name);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Models and functions: one JS type for every Objective

/// The own enumerable keys of a JS object.
std::vector<std::string> keys_of(const val& obj) {
  static const val& object = *new val(val::global("Object"));
  const val keys = object.call<val>("keys", obj);
  std::vector<std::string> out;
  const auto n = keys[key("length")].as<std::size_t>();
  for (std::size_t k = 0; k < n; ++k) out.push_back(keys[k].as<std::string>());
  return out;
}

/// Rejects fields a spec of this type does not have (a typo must not pass silently), and
/// returns the spec with its keys known.
Fields check_fields(const val& spec, const char* type, std::initializer_list<const char*> allowed) {
  std::vector<std::string> keys = keys_of(spec);
  for (const std::string& key : keys) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || key == a;
    if (ok) continue;
    std::string list;
    for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
    throw input_error("unknown field \"" + key + "\" in a " + type + " spec (fields: " + list +
                      ")");
  }
  return Fields(spec, std::move(keys));
}

std::vector<std::size_t> to_sizes(const val& v, const char* field) {
  if (v.isUndefined() || !v.isArray())
    throw input_error(std::string("missing field \"") + field + "\" (an array of layer widths)");
  std::vector<std::size_t> out;
  for (double d : to_vector(v, field)) {
    require_range(std::isfinite(d) && d >= 1 && d <= 1e6 && d == std::floor(d),
                  std::string(field) + " must hold integers >= 1");
    out.push_back(static_cast<std::size_t>(d));
  }
  return out;
}

std::vector<std::string> to_strings(const val& v, const char* field) {
  if (!v.isArray())
    throw input_error(std::string(field) + " must be an array of names");
  std::vector<std::string> out;
  const auto n = v[key("length")].as<std::size_t>();
  for (std::size_t k = 0; k < n; ++k) {
    if (!v[k].isString())
      throw input_error(std::string(field) + " must be an array of names");
    out.push_back(v[k].as<std::string>());
  }
  return out;
}

/// The parameters of JS: a full vector of objective.size() finite numbers.
std::vector<double> to_params(const val& values, std::size_t n) {
  std::vector<double> x = to_finite_vector(values, "parameters");
  if (x.size() != n)
    throw input_error("parameters must hold " + std::to_string(n) + " numbers, not " +
                      std::to_string(x.size()));
  return x;
}

/// gl.model(spec): a model (linear, logistic, mlp) or a lesson function, behind one interface.
/// The objective is shared with any Trainer made from it, so either may be deleted first.
class JsModel {
 public:
  JsModel() = default;
  explicit JsModel(std::shared_ptr<Objective> objective)
      : m_objective(std::move(objective)),
        m_model(dynamic_cast<Model*>(m_objective.get())),
        m_function(dynamic_cast<Function*>(m_objective.get())) {}

  const std::shared_ptr<Objective>& objective() const { return m_objective; }

  std::string type() const {
    if (m_model) return m_model->type();
    return m_function ? "function" : "";
  }
  double size() const { return m_objective ? static_cast<double>(m_objective->size()) : 0.0; }

  val layout() {
    return guard([&] {
      val out = val::array();
      for (const ParamBlock& b : obj().layout()) {
        val block = val::object();
        block.set(key("name"), b.name);
        block.set(key("rows"), static_cast<double>(b.rows));
        block.set(key("cols"), static_cast<double>(b.cols));
        block.set(key("offset"), static_cast<double>(b.offset));
        out.call<void>("push", block);
      }
      return out;
    });
  }

  val parameters() {
    return guard([&] { return to_f64(obj().parameters()); });
  }

  void set_parameters(const val& values) {
    guard([&] { obj().parameters() = to_params(values, obj().size()); });
  }

  /// x: rows * inputs numbers, y: rows * outputs numbers; rows NaN = x.length / inputs.
  void set_data(const val& x_js, const val& y_js, double rows) {
    guard([&] {
      Model& m = model("setData");
      const std::vector<double> x = to_vector(x_js, "x");
      const std::vector<double> y = to_vector(y_js, "y");
      if (!std::isnan(rows)) {
        require_range(rows >= 1 && rows == std::floor(rows), "rows must be an integer >= 1");
        const std::size_t expected = static_cast<std::size_t>(rows) * m.inputs();
        if (x.size() != expected)
          throw input_error("x must hold rows * inputs = " + std::to_string(expected) +
                            " numbers, not " + std::to_string(x.size()));
      }
      m.set_data(from_points(x, y, m.inputs(), m.outputs()));
    });
  }

  /// { loss, gradient } at params (a Float64Array) or, when undefined, the current parameters.
  val evaluate(const val& params) {
    return guard([&] {
      Objective& f = obj();
      std::vector<double> grad(f.size());
      double loss = 0.0;
      if (params.isUndefined() || params.isNull()) {
        loss = f.evaluate(grad.data());
      } else {
        const std::vector<double> x = to_params(params, f.size());
        loss = f.evaluate_at(x.data(), grad.data());
      }
      val out = val::object();
      out.set(key("loss"), loss);
      out.set(key("gradient"), to_f64(grad));
      return out;
    });
  }

  /// Loss and gradient at `count` parameter vectors in one call: params holds count * size()
  /// numbers (one vector after another); the result holds count * (1 + size()): each point's
  /// loss followed by its gradient. One crossing for a whole grid of gradient arrows, where
  /// evaluate() per point cost ~8 us of conversions each.
  val evaluate_many(const val& params_js, double count_d) {
    return guard([&] {
      Objective& f = obj();
      const std::size_t n = f.size();
      require_range(count_d >= 1 && count_d <= static_cast<double>(kMaxPredictRows) &&
                        count_d == std::floor(count_d),
                    "count must be an integer in [1, " + std::to_string(kMaxPredictRows) + "]");
      const auto count = static_cast<std::size_t>(count_d);
      const std::vector<double> x = to_finite_vector(params_js, "parameters");
      if (x.size() != count * n)
        throw input_error("parameters must hold count * " + std::to_string(n) + " = " +
                          std::to_string(count * n) + " numbers, not " + std::to_string(x.size()));
      std::vector<double> out(count * (n + 1));
      for (std::size_t k = 0; k < count; ++k) {
        double* row = out.data() + k * (n + 1);
        row[0] = f.evaluate_at(x.data() + k * n, row + 1);
      }
      return to_f64(out);
    });
  }

  /// Models: predictions (rows x outputs) for rows of inputs. Functions: f at each row of
  /// dims() coordinates (so a 1-D curve is one call).
  val predict(const val& x_js, double rows_d) {
    return guard([&] {
      const std::vector<double> x = to_finite_vector(x_js, "x");
      const std::size_t cols = m_model ? m_model->inputs() : obj().size();
      std::size_t rows = x.size() / cols;
      if (!std::isnan(rows_d)) {
        require_range(rows_d >= 1 && rows_d == std::floor(rows_d), "rows must be an integer >= 1");
        rows = static_cast<std::size_t>(rows_d);
      }
      require(rows >= 1 && x.size() == rows * cols,
              "x must hold rows * " + std::to_string(cols) + " numbers, not " +
                  std::to_string(x.size()));
      if (m_model) {
        Matrix in = Matrix::from_shape({rows, cols});
        std::copy(x.begin(), x.end(), in.begin());
        const Matrix out = m_model->predict(in);
        return to_f64(out.data(), out.size());
      }
      Function& f = function("predict");
      if (rows > kMaxPredictRows)
        throw range_error("predict takes at most " + std::to_string(kMaxPredictRows) + " rows");
      std::vector<double> out(rows);
      for (std::size_t r = 0; r < rows; ++r) out[r] = f.value(x.data() + r * cols);
      return to_f64(out);
    });
  }

  /// Functions: the n x n Hessian at params or at the current parameters.
  val hessian(const val& params) {
    return guard([&] {
      Function& f = function("hessian");
      const std::vector<double> x = (params.isUndefined() || params.isNull())
                                        ? f.parameters()
                                        : to_params(params, f.size());
      return to_f64(f.hessian_at(x));
    });
  }

  /// Loss over an ny x nx grid of parameters i (columns) and j (rows).
  val landscape(const val& spec) {
    return guard([&] {
      Objective& f = obj();
      const double limit = static_cast<double>(f.size());
      const std::size_t i = count_field(spec, "i", 0, 0, limit);
      const std::size_t j = count_field(spec, "j", 1, 0, limit);
      const std::size_t nx = count_field(spec, "nx", 50, 2, kMaxGridSide);
      const std::size_t ny = count_field(spec, "ny", 50, 2, kMaxGridSide);
      const GridMethod method = parse_grid_method(string_field(spec, "method", "auto"));
      return to_f64(loss_grid(f, i, j, number_field(spec, "iMin"), number_field(spec, "iMax"),
                              number_field(spec, "jMin"), number_field(spec, "jMax"), nx, ny,
                              method));
    });
  }

  /// Central differences against the analytic gradient at params (or the current parameters).
  val gradcheck(const val& params, double h) {
    return guard([&] {
      Objective& f = obj();
      const std::vector<double> x = (params.isUndefined() || params.isNull())
                                        ? f.parameters()
                                        : to_params(params, f.size());
      return gradcheck_to_js(check_objective(f, x.data(), std::isnan(h) ? 1e-6 : h));
    });
  }

  /// MLP: ||dLoss/dW_l|| per layer from the last gradient evaluation.
  val layer_gradient_norms() {
    return guard([&] {
      auto* mlp = dynamic_cast<MLP*>(m_model);
      require(mlp != nullptr, "layerGradientNorms() is only available for mlp models");
      return to_f64(mlp->layer_gradient_norms());
    });
  }

  /// Models: d prediction[output] / d input at one input row.
  val input_gradient(const val& row_js, double output) {
    return guard([&] {
      Model& m = model("inputGradient");
      const std::vector<double> row = to_finite_vector(row_js, "input row");
      if (row.size() != m.inputs())
        throw input_error("the input row must hold " + std::to_string(m.inputs()) + " numbers");
      require_range(output >= 0 && output < static_cast<double>(m.outputs()) &&
                        output == std::floor(output),
                    "output must be an integer in [0, " + std::to_string(m.outputs()) + ")");
      return to_f64(m.input_gradient(row.data(), static_cast<std::size_t>(output)));
    });
  }

  /// Models: input_gradient at each of `rows` input rows (rows x inputs numbers), in one call.
  val input_gradients(const val& x_js, double rows_d, double output) {
    return guard([&] {
      Model& m = model("inputGradients");
      const std::vector<double> x = to_finite_vector(x_js, "x");
      std::size_t rows = x.size() / m.inputs(); // rows left out: as many as x holds
      if (!std::isnan(rows_d)) {
        require_range(rows_d >= 1 && rows_d <= static_cast<double>(kMaxPredictRows) &&
                          rows_d == std::floor(rows_d),
                      "rows must be an integer in [1, " + std::to_string(kMaxPredictRows) + "]");
        rows = static_cast<std::size_t>(rows_d);
      }
      require(rows >= 1 && x.size() == rows * m.inputs(),
              "x must hold rows * " + std::to_string(m.inputs()) + " numbers, not " +
                  std::to_string(x.size()));
      require_range(output >= 0 && output < static_cast<double>(m.outputs()) &&
                        output == std::floor(output),
                    "output must be an integer in [0, " + std::to_string(m.outputs()) + ")");
      return to_f64(m.input_gradients(x.data(), rows, static_cast<std::size_t>(output)));
    });
  }

  /// What the object is: type and shape (models) or formula, axes, view, start, minima (functions).
  val info() {
    return guard([&] {
      val out = val::object();
      out.set(key("type"), type());
      out.set(key("size"), size());
      if (m_model) {
        out.set(key("inputs"), static_cast<double>(m_model->inputs()));
        out.set(key("outputs"), static_cast<double>(m_model->outputs()));
        out.set(key("loss"), loss::name(m_model->loss_kind()));
        out.set(key("examples"), static_cast<double>(m_model->num_examples()));
        if (auto* mlp = dynamic_cast<MLP*>(m_model)) {
          val sizes = val::array();
          for (std::size_t w : mlp->sizes()) sizes.call<void>("push", static_cast<double>(w));
          out.set(key("sizes"), sizes);
          val acts = val::array();
          for (Activation a : mlp->activations()) acts.call<void>("push", activation_name(a));
          out.set(key("activations"), acts);
        }
      } else if (m_function) {
        const Function& f = *m_function;
        out.set(key("name"), f.name());
        out.set(key("formula"), f.formula());
        val labels = val::array();
        for (const std::string& l : f.axis_labels()) labels.call<void>("push", l);
        out.set(key("axisLabels"), labels);
        val view = val::object();
        view.set(key("xMin"), f.view().x_min);
        view.set(key("xMax"), f.view().x_max);
        view.set(key("yMin"), f.view().y_min);
        view.set(key("yMax"), f.view().y_max);
        out.set(key("view"), view);
        out.set(key("start"), to_f64(f.start()));
        val minima = val::array();
        for (const std::vector<double>& m : f.minima()) minima.call<void>("push", to_f64(m));
        out.set(key("minima"), minima);
      }
      return out;
    });
  }

 private:
  Objective& obj() {
    require(m_objective != nullptr, "this model was not created");
    return *m_objective;
  }
  Model& model(const char* what) {
    if (m_model == nullptr)
      throw input_error(std::string(what) + "() is only available for models, not functions");
    return *m_model;
  }
  Function& function(const char* what) {
    if (m_function == nullptr)
      throw input_error(std::string(what) + "() is only available for functions");
    return *m_function;
  }

  std::shared_ptr<Objective> m_objective;
  Model* m_model = nullptr;
  Function* m_function = nullptr;
};

/// gl.model(spec).
JsModel make_model_js(const val& spec) {
  return guard([&] {
    require(type_of(spec) == "object" && !spec.isNull(), "a model spec must be an object");
    const std::string type = string_field(spec, "type", "");
    require(!type.empty(), "missing field \"type\" (linear, logistic, mlp or function)");
    if (type == "function") {
      const std::string name = string_field(spec, "name", "");
      require(!name.empty(), "missing field \"name\" in a function spec");
      std::map<std::string, double> params;
      for (const std::string& key : keys_of(spec)) {
        if (key == "type" || key == "name") continue;
        params[key] = number_field(spec, key.c_str());
      }
      return JsModel(std::shared_ptr<Objective>(make_function(name, params)));
    }
    if (type != "linear" && type != "logistic" && type != "mlp")
      throw input_error("unknown model type \"" + type +
                        "\" (expected linear, logistic, mlp or function)");
    const Fields fields =
        type == "linear"     ? check_fields(spec, "linear", {"type", "inputs", "bias", "loss"})
        : type == "logistic" ? check_fields(spec, "logistic", {"type", "inputs", "loss"})
                             : check_fields(spec, "mlp", {"type", "sizes", "activations", "loss",
                                                          "seed", "init"});
    ModelSpec ms;
    ms.type = type;
    if (type == "linear") ms.bias = bool_field(fields, "bias", true);
    if (type == "mlp") {
      ms.sizes = to_sizes(spec[key("sizes")], "sizes");
      if (!fields.may_have("activations") || spec[key("activations")].isUndefined()) {
        // Default: tanh hidden layers and a linear output.
        for (std::size_t l = 1; l < ms.sizes.size(); ++l) {
          ms.activations.push_back(l + 1 == ms.sizes.size() ? "linear" : "tanh");
        }
      } else {
        ms.activations = to_strings(spec[key("activations")], "activations");
      }
      ms.seed = seed_field(fields, "seed", 1);
      ms.init = string_field(fields, "init", "uniform");
    } else {
      ms.inputs = count_field(fields, "inputs", 1, 1, kMaxColumns);
    }
    ms.loss = string_field(fields, "loss", "");
    return JsModel(std::shared_ptr<Objective>(make_model(ms)));
  });
}

// ---------------------------------------------------------------------------------------------
// Trainer

/// { type, lr, momentum, ... } -> OptimizerConfig. Absent fields keep PyTorch's defaults.
OptimizerConfig to_optimizer_config(const val& spec) {
  OptimizerConfig c;
  if (spec.isUndefined() || spec.isNull()) return c;
  require(type_of(spec) == "object", "the optimizer spec must be an object");
  const Fields fields = check_fields(
      spec, "optimizer",
      {"type", "lr", "momentum", "dampening", "weightDecay", "nesterov", "alpha", "eps", "beta1",
       "beta2", "amsgrad", "centered", "lrDecay", "initialAccumulatorValue"});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  c.kind = string_field(fields, "type", c.kind);
  c.lr = number_field(fields, "lr", nan);
  c.momentum = number_field(fields, "momentum", c.momentum);
  c.dampening = number_field(fields, "dampening", c.dampening);
  c.weight_decay = number_field(fields, "weightDecay", c.weight_decay);
  c.nesterov = bool_field(fields, "nesterov", c.nesterov);
  c.alpha = number_field(fields, "alpha", c.alpha);
  c.eps = number_field(fields, "eps", nan);
  c.beta1 = number_field(fields, "beta1", c.beta1);
  c.beta2 = number_field(fields, "beta2", c.beta2);
  c.amsgrad = bool_field(fields, "amsgrad", c.amsgrad);
  c.centered = bool_field(fields, "centered", c.centered);
  c.lr_decay = number_field(fields, "lrDecay", c.lr_decay);
  c.initial_accumulator_value =
      number_field(fields, "initialAccumulatorValue", c.initial_accumulator_value);
  // NOTE: number_field rejects NaN, so an explicit lr: NaN is an error, never "the default".
  return c;
}

TrainerOptions to_trainer_options(const val& spec) {
  TrainerOptions o;
  if (spec.isUndefined() || spec.isNull()) return o;
  require(type_of(spec) == "object", "the trainer options must be an object");
  const Fields fields =
      check_fields(spec, "trainer options",
                   {"batchSize", "tolerance", "lossTolerance", "maxSteps", "divergenceFactor",
                    "recordTrajectory", "trajectoryLimit"});
  o.batch_size = count_field(fields, "batchSize", 0, 0, static_cast<double>(kMaxRows));
  o.grad_tolerance = number_field(fields, "tolerance", o.grad_tolerance);
  o.loss_tolerance = number_field(fields, "lossTolerance", o.loss_tolerance);
  o.max_steps = count_field(fields, "maxSteps", static_cast<double>(o.max_steps), 1, 1e12);
  o.divergence_factor = number_field(fields, "divergenceFactor", o.divergence_factor);
  o.record_trajectory = bool_field(fields, "recordTrajectory", o.record_trajectory);
  o.trajectory_limit =
      count_field(fields, "trajectoryLimit", static_cast<double>(o.trajectory_limit), 0, 1e8);
  return o;
}

/// gl.trainer(model, optimizer, options). Holds its own reference to the model's objective.
class JsTrainer {
 public:
  JsTrainer() = default;
  explicit JsTrainer(std::shared_ptr<Trainer> trainer) : m_trainer(std::move(trainer)) {}

  std::string run(double n) {
    return guard([&] {
      require_range(std::isfinite(n) && n >= 0 && n <= 1e9 && n == std::floor(n),
                    "the number of steps must be an integer in [0, 1000000000]");
      return to_string(trainer().run(static_cast<std::size_t>(n)));
    });
  }
  std::string status() {
    return guard([&] { return to_string(trainer().status()); });
  }
  double steps() {
    return guard([&] { return static_cast<double>(trainer().steps()); });
  }
  double loss() {
    return guard([&] { return trainer().loss(); });
  }
  val parameters() {
    return guard([&] { return to_f64(trainer().parameters()); });
  }
  val gradient() {
    return guard([&] { return to_f64(trainer().gradient()); });
  }
  val history() {
    return guard([&] { return to_f64(trainer().history()); });
  }
  val trajectory() {
    return guard([&] { return to_f64(trainer().trajectory()); });
  }
  double full_loss() {
    return guard([&] { return trainer().full_loss(); });
  }
  void reset(const val& params) {
    guard([&] {
      if (params.isUndefined() || params.isNull()) {
        trainer().reset();
      } else {
        trainer().reset(to_params(params, trainer().objective().size()));
      }
    });
  }
  void set_learning_rate(double lr) {
    guard([&] { trainer().set_learning_rate(lr); });
  }
  double learning_rate() {
    return guard([&] { return trainer().optimizer().lr(); });
  }

 private:
  Trainer& trainer() {
    require(m_trainer != nullptr, "this trainer was not created");
    return *m_trainer;
  }
  std::shared_ptr<Trainer> m_trainer;
};

JsTrainer make_trainer_js(const JsModel& model, const val& optimizer, const val& options) {
  return guard([&] {
    require(model.objective() != nullptr, "trainer() needs a model");
    std::unique_ptr<Optimizer> opt = make_optimizer(to_optimizer_config(optimizer));
    return JsTrainer(
        std::make_shared<Trainer>(model.objective(), std::move(opt), to_trainer_options(options)));
  });
}

/// Throws on purpose, for the boundary tests (kind 1 -> range_error, else input_error).
double test_throw(int kind) {
  return guard([&]() -> double {
    if (kind == 1) throw range_error("test range error");
    if (kind == 2) throw input_error("test input error");
    if (kind == 3) return std::vector<double>().at(1);  // a throw from inside libc++
    return 42.0;
  });
}

}  // namespace gradlab::wasm

EMSCRIPTEN_BINDINGS(gradlab) {
  using namespace emscripten;
  using namespace gradlab::wasm;
  function("errorKind", &error_kind);
  function("takeErrorMessage", &take_error_message);
  function("memoryStats", &memory_stats);
  function("testThrow", &test_throw);
  function("loss", &loss_eval);
  function("dataset", &make_dataset_js);
  function("datasetNames", &dataset_names_js);
  function("opNames", &op_names_js);

  function("makeModel", &make_model_js);

  class_<JsModel>("Model")
      .function("type", &JsModel::type)
      .function("size", &JsModel::size)
      .function("layout", &JsModel::layout)
      .function("parameters", &JsModel::parameters)
      .function("setParameters", &JsModel::set_parameters)
      .function("setData", &JsModel::set_data)
      .function("evaluate", &JsModel::evaluate)
      .function("evaluateMany", &JsModel::evaluate_many)
      .function("predict", &JsModel::predict)
      .function("hessian", &JsModel::hessian)
      .function("landscape", &JsModel::landscape)
      .function("gradcheck", &JsModel::gradcheck)
      .function("layerGradientNorms", &JsModel::layer_gradient_norms)
      .function("inputGradient", &JsModel::input_gradient)
      .function("inputGradients", &JsModel::input_gradients)
      .function("info", &JsModel::info);

  function("makeTrainer", &make_trainer_js);

  class_<JsTrainer>("Trainer")
      .function("run", &JsTrainer::run)
      .function("status", &JsTrainer::status)
      .function("steps", &JsTrainer::steps)
      .function("loss", &JsTrainer::loss)
      .function("parameters", &JsTrainer::parameters)
      .function("gradient", &JsTrainer::gradient)
      .function("history", &JsTrainer::history)
      .function("trajectory", &JsTrainer::trajectory)
      .function("fullLoss", &JsTrainer::full_loss)
      .function("reset", &JsTrainer::reset)
      .function("setLearningRate", &JsTrainer::set_learning_rate)
      .function("learningRate", &JsTrainer::learning_rate);

  class_<JsGraph>("Graph")
      .constructor<>()
      .function("size", &JsGraph::size)
      .function("input", &JsGraph::input)
      .function("constant", &JsGraph::constant)
      .function("op", &JsGraph::op)
      .function("forward", &JsGraph::forward)
      .function("backward", &JsGraph::backward)
      .function("value", &JsGraph::value)
      .function("grad", &JsGraph::grad)
      .function("setValue", &JsGraph::set_value)
      .function("sweep", &JsGraph::sweep)
      .function("nodes", &JsGraph::nodes)
      .function("gradcheck", &JsGraph::gradcheck);
}
