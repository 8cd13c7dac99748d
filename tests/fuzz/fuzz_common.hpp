// Shared helpers for the libFuzzer targets in tests/fuzz/.
//
// May contain: ways of turning fuzz bytes into engine arguments (names, sizes, numbers) and the
// checks every target applies. May not contain: calls into the engine.
//
// The rule every target enforces: an engine entry point given outside data either succeeds or
// throws std::invalid_argument (gradlab::range_error / gradlab::input_error). Targets catch that
// type and only that type; any other exception escapes and terminates, which libFuzzer reports
// as a crash, exactly like a sanitizer report or a failed FUZZ_CHECK.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

namespace gradlab_fuzz {

/// Stops the run with a message when a promised property fails.
#define FUZZ_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      __builtin_trap();                                                                    \
    }                                                                                      \
  } while (0)

/// GRADLAB_FUZZ_STRICT=1 also demands "no NaN" where the API does not promise it (results
/// computed from huge but finite inputs, where overflow can give inf - inf). Off by default: the
/// default run checks documented promises only; strict runs look for NaN leaks to report.
inline bool strict() {
  static const bool on = [] {
    const char* v = std::getenv("GRADLAB_FUZZ_STRICT");
    return v && v[0] == '1';
  }();
  return on;
}

/// GRADLAB_FUZZ_TRACE=1 makes targets print the engine calls they make (to reproduce a crash).
inline bool trace() {
  static const bool on = [] {
    const char* v = std::getenv("GRADLAB_FUZZ_TRACE");
    return v && v[0] == '1';
  }();
  return on;
}

/// Runs f; returns true if it succeeded, false if it threw std::invalid_argument (the engine's
/// documented rejection). Anything else propagates and kills the process.
template <class F>
bool accepts(F&& f) {
  try {
    f();
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

/// Either one of the valid names or a short arbitrary string (often a near miss).
inline std::string pick_name(FuzzedDataProvider& fdp, const std::vector<std::string>& valid) {
  const std::size_t k = fdp.ConsumeIntegralInRange<std::size_t>(0, valid.size() + 1);
  if (k < valid.size()) return valid[k];
  if (k == valid.size()) return fdp.ConsumeRandomLengthString(12);
  // A valid name with one byte changed, or with a prefix/suffix.
  std::string s = valid[fdp.ConsumeIntegralInRange<std::size_t>(0, valid.size() - 1)];
  switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: if (!s.empty()) s[fdp.ConsumeIntegralInRange<std::size_t>(0, s.size() - 1)] ^= 0x20; break;
    case 1: s += ' '; break;
    case 2: s = std::string(1, '\0') + s; break;
    default: s.clear(); break;
  }
  return s;
}

/// Numbers chosen to break validation: NaN, infinities, zeros, extremes, subnormals.
inline double special_double(FuzzedDataProvider& fdp) {
  static const double kSpecial[] = {
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), 0.0, -0.0, 1.0, -1.0, 0.5, 2.0,
      std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
      std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
      std::numeric_limits<double>::epsilon(), 1e-300, 1e300, -1e300, 1e9, 1e-9};
  return kSpecial[fdp.ConsumeIntegralInRange<std::size_t>(0, std::size(kSpecial) - 1)];
}

/// A finite number in [lo, hi] most of the time; sometimes a special or fully arbitrary double.
inline double any_double(FuzzedDataProvider& fdp, double lo, double hi) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: return special_double(fdp);
    case 1: return fdp.ConsumeFloatingPoint<double>();
    default: return fdp.ConsumeFloatingPointInRange<double>(lo, hi);
  }
}

/// A finite number in [lo, hi], always.
inline double bounded_double(FuzzedDataProvider& fdp, double lo, double hi) {
  return fdp.ConsumeFloatingPointInRange<double>(lo, hi);
}

/// A size in [0, cap] most of the time; sometimes one the harness must not allocate for
/// (the engine's own limits have to reject it first).
inline std::size_t any_size(FuzzedDataProvider& fdp, std::size_t cap) {
  static const std::size_t kHuge[] = {0, 1, 257, 10001, 250001, 1000000000,
                                      std::numeric_limits<std::size_t>::max(),
                                      std::numeric_limits<std::size_t>::max() / 8 + 1};
  if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0)
    return kHuge[fdp.ConsumeIntegralInRange<std::size_t>(0, std::size(kHuge) - 1)];
  return fdp.ConsumeIntegralInRange<std::size_t>(0, cap);
}

inline bool all_finite(const double* p, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(p[k])) return false;
  return true;
}
inline bool all_finite(const std::vector<double>& v) { return all_finite(v.data(), v.size()); }

inline bool any_nan(const double* p, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (std::isnan(p[k])) return true;
  return false;
}
inline bool any_nan(const std::vector<double>& v) { return any_nan(v.data(), v.size()); }

}  // namespace gradlab_fuzz
