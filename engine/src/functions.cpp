// The lesson functions of functions.hpp. Each class states its formula, gradient and Hessian
// in a comment, then codes them literally.
#include "gradlab/functions.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "gradlab/error.hpp"

namespace gradlab {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::string number(double v) { return format_number(v); }

/// Reads named numeric parameters with defaults, and rejects names nobody asked for.
class ParamReader {
 public:
  ParamReader(const std::string& function, const std::map<std::string, double>& params)
      : m_function(function), m_params(params) {}

  /// params[key] if given (must be finite), otherwise fallback.
  double get(const std::string& key, double fallback) {
    m_known.push_back(key);
    auto it = m_params.find(key);
    if (it == m_params.end()) return fallback;
    require_range(std::isfinite(it->second),
                  m_function + ": parameter '" + key + "' must be finite");
    return it->second;
  }

  /// Throws range_error("<function>: <key> must be <rule> (got v)") unless ok.
  void check(bool ok, const std::string& key, double v, const std::string& rule) const {
    require_range(ok, m_function + ": " + key + " must be " + rule + " (got " + number(v) + ")");
  }

  /// Throws input_error if a parameter name was not read by get().
  void finish() const {
    for (const auto& kv : m_params) {
      if (std::find(m_known.begin(), m_known.end(), kv.first) != m_known.end()) continue;
      std::string valid;
      for (const auto& k : m_known) valid += (valid.empty() ? "" : ", ") + k;
      throw input_error("unknown parameter '" + kv.first + "' for function '" + m_function +
                        "' (valid: " + (valid.empty() ? "none" : valid) + ")");
    }
  }

 private:
  std::string m_function;
  const std::map<std::string, double>& m_params;
  std::vector<std::string> m_known;
};

// --------------------------------------------------------------------------------- 1-D curves

/// f(x) = x^2;  f'(x) = 2x;  f''(x) = 2.
class Square : public Function {
 public:
  Square() : Function("square", "f(x) = x^2", {"x"}, {-4, 4, 0, 16}, {3.0}) {
    m_minima = {{0.0}};
  }
  double value(const double* x) const override { return x[0] * x[0]; }
  void gradient(const double* x, double* g) const override { g[0] = 2 * x[0]; }
  void hessian(const double*, double* h) const override { h[0] = 2; }
};

/// The gulab-jamun sugar bowl. s = grams of sugar per batch; the taste error is
///   f(s) = ((s - ideal) / scale)^2   (dimensionless: 1 means "one scale away from perfect")
///   f'(s) = 2 (s - ideal) / scale^2;  f''(s) = 2 / scale^2.
/// The single gradient step that lands on the ideal from anywhere has lr = scale^2 / 2.
class Recipe : public Function {
 public:
  Recipe(double ideal, double scale)
      : Function("recipe",
                 "f(s) = ((s - " + number(ideal) + ") / " + number(scale) + ")^2, s in grams",
                 {"sugar (g)"}, {0, 400, 0, peak(ideal, scale)}, {100.0}),
        m_ideal(ideal),
        m_scale(scale) {
    m_minima = {{ideal}};
  }
  double value(const double* s) const override {
    const double u = (s[0] - m_ideal) / m_scale;
    return u * u;
  }
  void gradient(const double* s, double* g) const override {
    g[0] = 2 * (s[0] - m_ideal) / (m_scale * m_scale);
  }
  void hessian(const double*, double* h) const override { h[0] = 2 / (m_scale * m_scale); }

 private:
  /// The largest taste error on the 0..400 g shelf (at whichever end is farther from ideal).
  static double peak(double ideal, double scale) {
    const double far = std::max(ideal, 400 - ideal) / scale;
    return far * far;
  }
  double m_ideal, m_scale;
};

/// f(x) = x^2 / 10 + a (1 - cos 2x)   (a = amplitude): a bowl with ripples.
///   f'(x) = x / 5 + 2a sin 2x;  f''(x) = 1/5 + 4a cos 2x.
/// The global minimum is x = 0 (f = 0). Near every other multiple of pi, k pi, sits a local
/// minimum whenever the ripple is strong enough to hold the bowl's slope back: on
/// [k pi - pi/4, k pi + pi/4] cos 2x >= 0, so f'' > 0 and f' has at most one root there; the
/// constructor finds it by bisection.
class Wells1d : public Function {
 public:
  explicit Wells1d(double amplitude)
      : Function("wells1d", "f(x) = x^2/10 + " + number(amplitude) + " (1 - cos 2x)", {"x"},
                 {-7, 7, 0, 4.9 + 2 * amplitude}, {4.0}),
        m_a(amplitude) {
    for (int k = -2; k <= 2; ++k) {
      if (k == 0) {
        m_minima.push_back({0.0});
        continue;
      }
      double lo = k * kPi - kPi / 4, hi = k * kPi + kPi / 4;
      if (slope(lo) >= 0 || slope(hi) <= 0) continue;  // no root: the ripple is too weak
      for (int it = 0; it < 200 && hi - lo > 1e-15; ++it) {
        const double mid = 0.5 * (lo + hi);
        (slope(mid) < 0 ? lo : hi) = mid;
      }
      m_minima.push_back({0.5 * (lo + hi)});
    }
    sort_minima();
  }
  double value(const double* x) const override {
    return x[0] * x[0] / 10 + m_a * (1 - std::cos(2 * x[0]));
  }
  void gradient(const double* x, double* g) const override { g[0] = slope(x[0]); }
  void hessian(const double* x, double* h) const override {
    h[0] = 0.2 + 4 * m_a * std::cos(2 * x[0]);
  }

 private:
  double slope(double x) const { return x / 5 + 2 * m_a * std::sin(2 * x); }
  double m_a;
};

// ------------------------------------------------------------------------------ 2-D landscapes

/// f(x, y) = x^2 - y^2: a minimum along x, a maximum along y. grad = (2x, -2y);
/// H = [[2, 0], [0, -2]]. The origin is a stationary point but not a minimum (none exist).
class Saddle : public Function {
 public:
  Saddle() : Function("saddle", "f(x, y) = x^2 - y^2", {"x", "y"}, {-2, 2, -2, 2}, {-1.8, 0.05}) {}
  double value(const double* p) const override { return p[0] * p[0] - p[1] * p[1]; }
  void gradient(const double* p, double* g) const override {
    g[0] = 2 * p[0];
    g[1] = -2 * p[1];
  }
  void hessian(const double*, double* h) const override {
    h[0] = 2, h[1] = 0, h[2] = 0, h[3] = -2;
  }
};

/// Any quadratic f(p) = 1/2 (p - m)^T A (p - m) with constant symmetric positive-definite A:
///   grad = A (p - m);  H = A;  single minimum at m, f = 0. Base of "recipe2" and "bowl".
class Quadratic : public Function {
 public:
  double value(const double* p) const override {
    const double dx = p[0] - m_center[0], dy = p[1] - m_center[1];
    return 0.5 * (m_a[0] * dx * dx + 2 * m_a[1] * dx * dy + m_a[3] * dy * dy);
  }
  void gradient(const double* p, double* g) const override {
    const double dx = p[0] - m_center[0], dy = p[1] - m_center[1];
    g[0] = m_a[0] * dx + m_a[1] * dy;
    g[1] = m_a[2] * dx + m_a[3] * dy;
  }
  void hessian(const double*, double* h) const override { std::copy(m_a.begin(), m_a.end(), h); }

 protected:
  Quadratic(std::string name, std::string formula, std::vector<std::string> labels,
            ViewRange view, std::vector<double> start, const std::array<double, 4>& a, double mx,
            double my)
      : Function(std::move(name), std::move(formula), std::move(labels), view, std::move(start)),
        m_a(a),
        m_center{mx, my} {
    m_minima = {{mx, my}};
  }

 private:
  std::array<double, 4> m_a;  ///< row-major A
  double m_center[2];
};

/// The 2-D recipe: sugar s (g) and syrup-soaking time t (min).
///   u = (s - ideal_sugar) / sugar_scale,  v = (t - ideal_time) / time_scale
///   f = u^2 + c u v + v^2        (c = interaction: a longer soak pulls in more syrup, so too
///                                 much sugar and too long a soak add up, while one can partly
///                                 make up for the other; this tilts the bowl)
///   df/ds = (2u + c v) / sugar_scale;  df/dt = (c u + 2v) / time_scale
///   H = [[2/ss^2, c/(ss ts)], [c/(ss ts), 2/ts^2]]   (positive-definite iff |c| < 2)
class Recipe2 : public Quadratic {
 public:
  Recipe2(double s0, double ss, double t0, double ts, double c)
      : Quadratic("recipe2",
                  "f(s, t) = u^2 " + (c < 0 ? "- " + number(-c) : "+ " + number(c)) +
                      " u v + v^2, u = (s - " + number(s0) + ")/" +
                      number(ss) + ", v = (t - " + number(t0) + ")/" + number(ts),
                  {"sugar (g)", "soaking time (min)"}, {0, 400, 0, 240}, {100.0, 30.0},
                  hessian_of(ss, ts, c), s0, t0) {}

 private:
  static std::array<double, 4> hessian_of(double ss, double ts, double c) {
    const double off = c / (ss * ts);
    return {2 / (ss * ss), off, off, 2 / (ts * ts)};
  }
};

/// f(p) = 1/2 p^T A p with A = R diag(1, kappa) R^T, R the rotation by angle theta:
///   A = [[cos^2 + kappa sin^2, (1 - kappa) sin cos], [(1 - kappa) sin cos, sin^2 + kappa cos^2]]
/// grad = A p; H = A. The condition number kappa = largest / smallest curvature decides how
/// much plain gradient descent zig-zags.
class Bowl : public Quadratic {
 public:
  Bowl(double kappa, double theta)
      : Quadratic("bowl",
                  "f(p) = 1/2 p^T A p, eigenvalues 1 and " + number(kappa) + ", angle " +
                      number(theta) + " rad",
                  {"x", "y"}, {-3, 3, -3, 3}, {-2.5, 1.5}, matrix_of(kappa, theta), 0, 0) {}

 private:
  static std::array<double, 4> matrix_of(double kappa, double theta) {
    const double c = std::cos(theta), s = std::sin(theta), off = (1 - kappa) * s * c;
    return {c * c + kappa * s * s, off, off, s * s + kappa * c * c};
  }
};

/// f(x, y) = (a - x)^2 + b (y - x^2)^2: a curved, flat-bottomed valley.
///   df/dx = -2 (a - x) - 4 b x (y - x^2);   df/dy = 2 b (y - x^2)
///   H = [[2 - 4 b y + 12 b x^2, -4 b x], [-4 b x, 2 b]];  minimum at (a, a^2), f = 0.
class Rosenbrock : public Function {
 public:
  Rosenbrock(double a, double b)
      : Function("rosenbrock",
                 "f(x, y) = (" + number(a) + " - x)^2 + " + number(b) + " (y - x^2)^2",
                 {"x", "y"},
                 {std::min(-2.0, a - 3), std::max(2.0, a + 1), std::min(-1.0, a * a - 2),
                  std::max(3.0, a * a + 2)},
                 {-1.2, 1.0}),
        m_a(a),
        m_b(b) {
    m_minima = {{a, a * a}};
  }
  double value(const double* p) const override {
    const double r = m_a - p[0], q = p[1] - p[0] * p[0];
    return r * r + m_b * q * q;
  }
  void gradient(const double* p, double* g) const override {
    const double q = p[1] - p[0] * p[0];
    g[0] = -2 * (m_a - p[0]) - 4 * m_b * p[0] * q;
    g[1] = 2 * m_b * q;
  }
  void hessian(const double* p, double* h) const override {
    h[0] = 2 - 4 * m_b * p[1] + 12 * m_b * p[0] * p[0];
    h[1] = h[2] = -4 * m_b * p[0];
    h[3] = 2 * m_b;
  }

 private:
  double m_a, m_b;
};

/// A gentle bowl with three Gaussian wells of different depth d_i and width w_i at c_i:
///   f(p) = k |p|^2 - sum_i d_i e_i,   e_i = exp(-|p - c_i|^2 / (2 w_i^2))
///   grad = 2 k p + sum_i d_i e_i (p - c_i) / w_i^2
///   H = 2 k I + sum_i d_i e_i / w_i^2 (I - (p - c_i)(p - c_i)^T / w_i^2)
/// The minima have no closed form; the constructor finds every one inside the view by Newton's
/// method from a grid of starting points (keeping only points where H is positive-definite).
class Wells2d : public Function {
 public:
  explicit Wells2d(double k)
      : Function("wells2d", "f(x, y) = " + number(k) + " (x^2 + y^2) - sum of 3 Gaussian wells",
                 {"x", "y"}, {-3, 3, -3, 3}, {-0.6, 0.0}),
        m_k(k) {
    find_minima();
    sort_minima();
  }

  double value(const double* p) const override {
    double f = m_k * (p[0] * p[0] + p[1] * p[1]);
    for (const Well& w : kWells) f -= w.depth * bump(w, p);
    return f;
  }
  void gradient(const double* p, double* g) const override {
    g[0] = 2 * m_k * p[0];
    g[1] = 2 * m_k * p[1];
    for (const Well& w : kWells) {
      const double s = w.depth * bump(w, p) / (w.width * w.width);
      g[0] += s * (p[0] - w.x);
      g[1] += s * (p[1] - w.y);
    }
  }
  void hessian(const double* p, double* h) const override {
    h[0] = h[3] = 2 * m_k;
    h[1] = h[2] = 0;
    for (const Well& w : kWells) {
      const double w2 = w.width * w.width, s = w.depth * bump(w, p) / w2;
      const double dx = p[0] - w.x, dy = p[1] - w.y;
      h[0] += s * (1 - dx * dx / w2);
      h[3] += s * (1 - dy * dy / w2);
      h[1] -= s * dx * dy / w2;
    }
    h[2] = h[1];
  }

 private:
  struct Well {
    double x, y, depth, width;
  };
  // The deepest well is not the one nearest the start point (-0.6, 0): plain gradient descent
  // from there settles in the shallower valley near (-1.45, 0.97), not the deepest near
  // (1.45, -0.97) -- the lesson's local-minimum trap.
  static constexpr Well kWells[3] = {{1.5, -1.0, 1.5, 0.7},
                                     {-1.5, 1.0, 1.0, 0.6},
                                     {-0.8, -1.6, 0.8, 0.5}};

  static double bump(const Well& w, const double* p) {
    const double dx = p[0] - w.x, dy = p[1] - w.y;
    return std::exp(-(dx * dx + dy * dy) / (2 * w.width * w.width));
  }

  void find_minima() {
    const ViewRange& v = view();
    const int n = 13;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        double p[2] = {v.x_min + (v.x_max - v.x_min) * i / (n - 1),
                       v.y_min + (v.y_max - v.y_min) * j / (n - 1)};
        if (newton(p)) add_minimum(p);
      }
    }
  }

  /// Newton's method p <- p - H^-1 grad, with the step capped at 0.5; true when it reaches a
  /// point with |grad| < 1e-13, positive-definite H, inside the view.
  bool newton(double* p) const {
    double g[2], h[4];
    for (int it = 0; it < 100; ++it) {
      gradient(p, g);
      if (std::max(std::abs(g[0]), std::abs(g[1])) < 1e-13) break;
      hessian(p, h);
      const double det = h[0] * h[3] - h[1] * h[2];
      if (!(h[0] > 0 && det > 0)) return false;  // not heading for a minimum from here
      double dx = -(h[3] * g[0] - h[1] * g[1]) / det;
      double dy = -(-h[2] * g[0] + h[0] * g[1]) / det;
      const double len = std::hypot(dx, dy);
      if (len > 0.5) dx *= 0.5 / len, dy *= 0.5 / len;
      p[0] += dx;
      p[1] += dy;
    }
    gradient(p, g);
    hessian(p, h);
    const ViewRange& v = view();
    return std::max(std::abs(g[0]), std::abs(g[1])) < 1e-12 && h[0] > 0 &&
           h[0] * h[3] - h[1] * h[2] > 0 && p[0] >= v.x_min && p[0] <= v.x_max &&
           p[1] >= v.y_min && p[1] <= v.y_max;
  }

  void add_minimum(const double* p) {
    for (const auto& m : m_minima)
      if (std::hypot(m[0] - p[0], m[1] - p[1]) < 1e-6) return;
    m_minima.push_back({p[0], p[1]});
  }

  double m_k;
};

}  // namespace

// ---------------------------------------------------------------------------------- Function

Function::Function(std::string name, std::string formula, std::vector<std::string> axis_labels,
                   ViewRange view, std::vector<double> start)
    : m_name(std::move(name)),
      m_formula(std::move(formula)),
      m_axis_labels(std::move(axis_labels)),
      m_view(view),
      m_start(std::move(start)) {
  m_params = m_start;
  const char* names[2] = {"x", "y"};
  for (std::size_t i = 0; i < m_params.size(); ++i)
    m_layout.push_back(ParamBlock{names[i], 1, 1, i});
}

void Function::sort_minima() {
  std::sort(m_minima.begin(), m_minima.end(),
            [this](const std::vector<double>& a, const std::vector<double>& b) {
              const double fa = value(a.data()), fb = value(b.data());
              return fa < fb || (fa == fb && a < b);  // ties (mirror images): smaller x first
            });
}

double Function::evaluate_at(const double* x, double* grad) {
  if (grad) gradient(x, grad);
  return value(x);
}

namespace {
void check_point(const Function& f, const std::vector<double>& x) {
  require(x.size() == f.dims(), "function '" + f.name() + "' takes " +
                                    std::to_string(f.dims()) + " coordinate(s), got " +
                                    std::to_string(x.size()));
}
}  // namespace

double Function::value_at(const std::vector<double>& x) const {
  check_point(*this, x);
  return value(x.data());
}

std::vector<double> Function::gradient_at(const std::vector<double>& x) const {
  check_point(*this, x);
  std::vector<double> g(dims());
  gradient(x.data(), g.data());
  return g;
}

std::vector<double> Function::hessian_at(const std::vector<double>& x) const {
  check_point(*this, x);
  std::vector<double> h(dims() * dims());
  hessian(x.data(), h.data());
  return h;
}

// ----------------------------------------------------------------------------------- factory

std::vector<std::string> function_names() {
  return {"square", "recipe", "recipe2", "bowl", "rosenbrock", "saddle", "wells1d", "wells2d"};
}

std::unique_ptr<Function> make_function(const std::string& name,
                                        const std::map<std::string, double>& params) {
  ParamReader p(name, params);
  std::unique_ptr<Function> f;
  if (name == "square") {
    f = std::make_unique<Square>();
  } else if (name == "recipe") {
    const double ideal = p.get("ideal", 250), scale = p.get("scale", 50);
    p.check(ideal >= 0 && ideal <= 400, "ideal", ideal, "in [0, 400] g");
    p.check(scale >= 1 && scale <= 1000, "scale", scale, "in [1, 1000] g");
    f = std::make_unique<Recipe>(ideal, scale);
  } else if (name == "recipe2") {
    const double s0 = p.get("ideal_sugar", 250), ss = p.get("sugar_scale", 50);
    const double t0 = p.get("ideal_time", 120), ts = p.get("time_scale", 30);
    const double c = p.get("interaction", 0.5);
    p.check(s0 >= 0 && s0 <= 400, "ideal_sugar", s0, "in [0, 400] g");
    p.check(ss >= 1 && ss <= 1000, "sugar_scale", ss, "in [1, 1000] g");
    p.check(t0 >= 0 && t0 <= 240, "ideal_time", t0, "in [0, 240] min");
    p.check(ts >= 1 && ts <= 600, "time_scale", ts, "in [1, 600] min");
    p.check(c > -2 && c < 2, "interaction", c, "in (-2, 2) so the bowl has one bottom");
    f = std::make_unique<Recipe2>(s0, ss, t0, ts, c);
  } else if (name == "bowl") {
    const double kappa = p.get("condition", 10), theta = p.get("angle", 0);
    p.check(kappa >= 1 && kappa <= 1e6, "condition", kappa, "in [1, 1e6]");
    f = std::make_unique<Bowl>(kappa, theta);
  } else if (name == "rosenbrock") {
    const double a = p.get("a", 1), b = p.get("b", 100);
    p.check(std::abs(a) <= 10, "a", a, "in [-10, 10]");
    p.check(b > 0 && b <= 1e4, "b", b, "in (0, 1e4]");
    f = std::make_unique<Rosenbrock>(a, b);
  } else if (name == "saddle") {
    f = std::make_unique<Saddle>();
  } else if (name == "wells1d") {
    const double a = p.get("amplitude", 1);
    p.check(a >= 0 && a <= 100, "amplitude", a, "in [0, 100]");
    f = std::make_unique<Wells1d>(a);
  } else if (name == "wells2d") {
    const double k = p.get("bowl", 0.05);
    p.check(k >= 0 && k <= 10, "bowl", k, "in [0, 10]");
    f = std::make_unique<Wells2d>(k);
  } else {
    std::string valid;
    for (const auto& n : function_names()) valid += (valid.empty() ? "" : ", ") + n;
    throw input_error("unknown function '" + name + "' (valid: " + valid + ")");
  }
  p.finish();
  return f;
}

}  // namespace gradlab
