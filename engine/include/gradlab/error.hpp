// Errors the engine raises. The WebAssembly binding maps them to JavaScript exceptions:
// range_error -> RangeError, everything else -> Error, always with the message below.
#pragma once

#include <stdexcept>
#include <string>

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

}  // namespace gradlab
