// Native benchmark runner: times the benchmark workloads on the C++ engine, with no JavaScript
// involved. It shares nothing with the Node harness but two JSON files: it reads the workloads,
// data and initial parameters the harness generated (so every engine sees the same numbers) and
// prints {"meta": ..., "results": {workload: {ms_median, ms, final_loss, params | grid}}}.
//
//   gradlab_native_bench input.json [--budget-ms 12000] [--max-reps 5] [--only W1,W3a]
//
// Timing per workload: one warm-up run (kept as a sample when it took over a second), then as
// many runs as fit in the budget (1..max-reps, 3 x max-reps under 200 ms); the median is reported. Each run includes
// building the model and trainer, as the JavaScript engines' runs do.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/landscape.hpp"
#include "gradlab/nn.hpp"
#include "gradlab/optim.hpp"
#if __has_include("gradlab/train.hpp")
#include "gradlab/train.hpp"
#define GRADLAB_BENCH_HAVE_TRAINER 1
#endif

namespace {

// --- A minimal JSON reader: exactly what input.json needs (objects, arrays, numbers, strings,
// booleans, null). Numbers go through strtod, so doubles written by JSON.stringify round-trip.
struct Json {
  enum class Type { null, boolean, number, string, array, object } type = Type::null;
  double number = 0;
  bool boolean = false;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  const Json& operator[](const std::string& key) const {
    auto it = object.find(key);
    if (type != Type::object || it == object.end()) throw std::runtime_error("missing key: " + key);
    return it->second;
  }
  bool has(const std::string& key) const { return type == Type::object && object.count(key) > 0; }
  std::vector<double> numbers() const {
    std::vector<double> out;
    out.reserve(array.size());
    for (const Json& v : array) out.push_back(v.number);
    return out;
  }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : m_s(text) {}
  Json parse() {
    Json v = value();
    skip();
    if (m_i != m_s.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("input JSON: " + what + " at offset " + std::to_string(m_i));
  }
  void skip() {
    while (m_i < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_i]))) ++m_i;
  }
  bool eat(char c) {
    skip();
    if (m_i < m_s.size() && m_s[m_i] == c) {
      ++m_i;
      return true;
    }
    return false;
  }
  Json value() {
    skip();
    if (m_i >= m_s.size()) fail("unexpected end");
    Json v;
    const char c = m_s[m_i];
    if (c == '{') {
      ++m_i;
      v.type = Json::Type::object;
      if (eat('}')) return v;
      do {
        skip();
        std::string key = str();
        if (!eat(':')) fail("expected ':'");
        v.object[key] = value();
      } while (eat(','));
      if (!eat('}')) fail("expected '}'");
    } else if (c == '[') {
      ++m_i;
      v.type = Json::Type::array;
      if (eat(']')) return v;
      do v.array.push_back(value());
      while (eat(','));
      if (!eat(']')) fail("expected ']'");
    } else if (c == '"') {
      v.type = Json::Type::string;
      v.string = str();
    } else if (m_s.compare(m_i, 4, "true") == 0 || m_s.compare(m_i, 5, "false") == 0) {
      v.type = Json::Type::boolean;
      v.boolean = m_s[m_i] == 't';
      m_i += v.boolean ? 4 : 5;
    } else if (m_s.compare(m_i, 4, "null") == 0) {
      m_i += 4;
    } else {
      char* end = nullptr;
      v.type = Json::Type::number;
      v.number = std::strtod(m_s.c_str() + m_i, &end);
      if (end == m_s.c_str() + m_i) fail("bad value");
      m_i = static_cast<std::size_t>(end - m_s.c_str());
    }
    return v;
  }
  std::string str() {
    if (m_i >= m_s.size() || m_s[m_i] != '"') fail("expected string");
    ++m_i;
    std::string out;
    while (m_i < m_s.size() && m_s[m_i] != '"') {
      if (m_s[m_i] == '\\' && m_i + 1 < m_s.size()) ++m_i;  // plain escapes only (no \u)
      out += m_s[m_i++];
    }
    if (m_i >= m_s.size()) fail("unterminated string");
    ++m_i;
    return out;
  }
  const std::string& m_s;
  std::size_t m_i = 0;
};

// --- Workloads ---------------------------------------------------------------------------------

struct Outcome {
  std::vector<double> params;  // W1: {w, b}; MLPs: canonical flat parameters
  std::vector<double> grid;    // W2
  double loss = 0;             // float64 loss at the final parameters (W2: grid minimum)
  std::string note;
};

gradlab::Dataset dataset_of(const Json& d) {
  const std::size_t rows = static_cast<std::size_t>(d["rows"].number);
  const std::vector<double> x = d["x"].numbers();
  const std::vector<double> y = d["y"].numbers();
  return gradlab::from_points(x, y, x.size() / rows, y.size() / rows);
}

std::unique_ptr<gradlab::Optimizer> optimizer_for(const Json& spec) {
  gradlab::OptimizerConfig config;
  config.kind = spec.has("optimizer") ? spec["optimizer"].string : "sgd";
  config.lr = spec["lr"].number;
  if (config.kind == "adam") {
    config.beta1 = spec["beta1"].number;
    config.beta2 = spec["beta2"].number;
    config.eps = spec["eps"].number;
  }
  return gradlab::make_optimizer(config);
}

/// Trains `model` for spec.steps updates (batch_size 0 = full batch), as the wasm engine's
/// trainer does.
std::vector<double> train(const std::shared_ptr<gradlab::Model>& model, const Json& spec,
                          std::size_t batch_size, std::string& note) {
  const std::size_t steps = static_cast<std::size_t>(spec["steps"].number);
#ifdef GRADLAB_BENCH_HAVE_TRAINER
  // The engine's Trainer, with the options the wasm engine's trainer gets by default, except
  // that convergence stopping is off: every engine must take every step.
  gradlab::TrainerOptions options;
  options.batch_size = batch_size;
  options.grad_tolerance = 0;
  gradlab::Trainer trainer(model, optimizer_for(spec), options);
  trainer.run(steps);
  if (trainer.steps() != steps) {
    note = "trainer stopped after " + std::to_string(trainer.steps()) + " steps (" +
           gradlab::to_string(trainer.status()) + ")";
  }
  return trainer.parameters();
#else
  // No trainer in this engine build: the same loop by hand (consecutive mini-batches).
  (void)note;
  auto opt = optimizer_for(spec);
  std::vector<double>& p = model->parameters();
  std::vector<double> grad(p.size());
  const std::size_t rows = model->num_examples();
  std::size_t start = 0;
  for (std::size_t s = 0; s < steps; ++s) {
    if (batch_size == 0 || batch_size >= rows) {
      model->evaluate(grad.data());
    } else {
      const std::size_t end = std::min(rows, start + batch_size);
      model->evaluate_batch(p.data(), grad.data(), start, end);
      start = end == rows ? 0 : end;
    }
    opt->step(p.data(), grad.data(), p.size());
  }
  return p;
#endif
}

Outcome run_workload(const Json& spec, const Json& input) {
  const std::string kind = spec["kind"].string;
  Outcome out;
  if (kind == "linear" || kind == "landscape") {
    auto model = std::make_shared<gradlab::LinearRegression>(1, true, gradlab::loss::Kind::mse);
    model->set_data(dataset_of(input["exam"]));
    std::fill(model->parameters().begin(), model->parameters().end(), 0.0);
    std::size_t wi = 0, bi = 1;
    for (const auto& block : model->layout()) {
      if (block.name == "weight") wi = block.offset;
      if (block.name == "bias") bi = block.offset;
    }
    if (kind == "landscape") {
      // The workload asks for an explicit sum over the points in every cell, not the closed
      // form the widgets use.
      out.grid = gradlab::loss_grid(*model, wi, bi, spec["wMin"].number, spec["wMax"].number,
                                    spec["bMin"].number, spec["bMax"].number,
                                    static_cast<std::size_t>(spec["nx"].number),
                                    static_cast<std::size_t>(spec["ny"].number),
                                    gradlab::GridMethod::explicit_sum);
      out.loss = *std::min_element(out.grid.begin(), out.grid.end());
      return out;
    }
    std::vector<double> p = train(model, spec, 0, out.note);
    out.params = {p[wi], p[bi]};
    out.loss = model->evaluate_at(p.data(), nullptr);
    return out;
  }
  const Json& net = input[spec["net"].string];
  std::vector<std::size_t> sizes;
  for (double s : net["sizes"].numbers()) sizes.push_back(static_cast<std::size_t>(s));
  std::vector<std::string> acts;
  for (const Json& a : spec["activations"].array) acts.push_back(a.string);
  auto model = std::make_shared<gradlab::MLP>(sizes, acts, gradlab::loss::parse(spec["loss"].string));
  model->set_data(dataset_of(input[spec["data"].string]));
  const std::vector<double> init = net["init"].numbers();
  if (init.size() != model->size()) throw std::runtime_error("initial parameters do not fit");
  model->parameters() = init;  // W1, b1, W2, b2, ...: W_l fan_in x fan_out row-major, as canonical
  out.params = train(model, spec, static_cast<std::size_t>(spec["batchSize"].number), out.note);
  out.loss = model->evaluate_at(out.params.data(), nullptr);
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

void write_numbers(std::ostream& os, const std::vector<double>& v) {
  os << '[';
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
  os << ']';
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s input.json [--budget-ms N] [--max-reps N] [--only W1,W2]\n", argv[0]);
    return 2;
  }
  double budget_ms = 12000;
  int max_reps = 5;
  std::string only;
  for (int a = 2; a + 1 < argc; a += 2) {
    const std::string flag = argv[a];
    if (flag == "--budget-ms") budget_ms = std::atof(argv[a + 1]);
    else if (flag == "--max-reps") max_reps = std::atoi(argv[a + 1]);
    else if (flag == "--only") only = "," + std::string(argv[a + 1]) + ",";
  }
  try {
    std::ifstream file(argv[1]);
    if (!file) throw std::runtime_error(std::string("cannot read ") + argv[1]);
    std::stringstream text;
    text << file.rdbuf();
    const Json input = JsonParser(text.str()).parse();

    std::ostringstream os;
    os.precision(17);
    os << "{\"meta\":{\"compiler\":\"" << escape(__VERSION__) << "\",\"trainer\":"
#ifdef GRADLAB_BENCH_HAVE_TRAINER
       << "true"
#else
       << "false"
#endif
       << "},\"results\":{";
    bool first = true;
    for (const Json& spec : input["workloads"].array) {
      const std::string id = spec["id"].string;
      if (!only.empty() && only.find("," + id + ",") == std::string::npos) continue;
      using clock = std::chrono::steady_clock;
      std::vector<double> times;
      Outcome outcome;
      std::string error;
      try {
        auto t0 = clock::now();
        outcome = run_workload(spec, input);
        const double warm = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
        if (warm > 1000) times.push_back(warm);
        // Fast workloads get more runs, as in the JS harness (median of many resists noise).
        const int cap = warm < 200 ? 3 * max_reps : max_reps;
        const int reps = std::max(1, std::min(cap, static_cast<int>(budget_ms / std::max(warm, 1e-3))));
        while (static_cast<int>(times.size()) < reps) {
          t0 = clock::now();
          outcome = run_workload(spec, input);
          times.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
        }
      } catch (const std::exception& e) {
        error = e.what();
      }
      os << (first ? "" : ",") << '"' << id << "\":{";
      first = false;
      if (!error.empty()) {
        os << "\"error\":\"" << escape(error) << "\"}";
        std::fprintf(stderr, "  %s native: ERROR %s\n", id.c_str(), error.c_str());
        continue;
      }
      os << "\"ms_median\":" << median(times) << ",\"ms\":";
      write_numbers(os, times);
      os << ",\"final_loss\":" << outcome.loss;
      if (!outcome.note.empty()) os << ",\"note\":\"" << escape(outcome.note) << '"';
      if (!outcome.grid.empty()) {
        os << ",\"grid\":";
        write_numbers(os, outcome.grid);
      } else {
        os << ",\"params\":";
        write_numbers(os, outcome.params);
      }
      os << '}';
      std::fprintf(stderr, "  %s native: %.2f ms median of %zu\n", id.c_str(), median(times), times.size());
    }
    os << "}}\n";
    std::fputs(os.str().c_str(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "native bench: %s\n", e.what());
    return 1;
  }
}
