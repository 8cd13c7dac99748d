// Errors the engine raises. The WebAssembly binding maps them to JavaScript exceptions:
// range_error -> RangeError, everything else -> Error, always with the message below.
#pragma once

#include <stdexcept>
#include <string>

/// Marks set-up and validation code that lives in the engine's hot files (nn, train,
/// landscape): it runs once per user action, so WebAssembly builds optimise it for size (clang's
/// minsize) while the loops next to it stay -O3. GCC (native builds) has no such attribute.
#if defined(__clang__)
#define GRADLAB_COLD __attribute__((minsize))
#else
#define GRADLAB_COLD
#endif

namespace gradlab {

/// A number outside its valid range: a learning rate <= 0, a grid of 0 cells, NaN data.
class range_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Input that does not fit: mismatched shapes, an unknown name, too many points.
class input_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Throws range_error(message) unless ok.
inline void require_range(bool ok, const std::string& message) {
  if (!ok) throw range_error(message);
}

/// Throws input_error(message) unless ok.
inline void require(bool ok, const std::string& message) {
  if (!ok) throw input_error(message);
}

// The same checks for a fixed message. NOTE: without these, a string literal would be turned
// into a std::string (a heap allocation) on every call, even when the check passes; on hot
// paths (loss kernels, model evaluation) that costs more than the arithmetic.
inline void require_range(bool ok, const char* message) {
  if (!ok) throw range_error(message);
}
inline void require(bool ok, const char* message) {
  if (!ok) throw input_error(message);
}

/// A number for a message or a formula, as printf's "%g" writes it: 6 significant digits,
/// trailing zeros dropped, exponent form below 1e-4 and from 1e6 ("250", "0.05", "1e+100",
/// "-inf", "nan"). NOTE: written by hand because printf would add its whole formatter (~4 KB
/// gzipped) to the WebAssembly module. It can differ from printf only for a number within one
/// rounding error of halfway between two 6-digit values.
std::string format_number(double v);

}  // namespace gradlab
