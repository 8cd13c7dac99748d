// Inputs the fuzzers (tests/fuzz) once turned into NaN; each must now be refused up front.
#include <gtest/gtest.h>

#include <vector>

#include "gradlab/data.hpp"
#include "gradlab/error.hpp"
#include "gradlab/functions.hpp"

using namespace gradlab;

TEST(Regressions, RecipeScalesOutsideTheKitchenAreRefused) {
  EXPECT_THROW(make_function("recipe", {{"scale", 1e-300}}), range_error);
  EXPECT_THROW(make_function("recipe", {{"scale", 1.6e298}}), range_error);
  EXPECT_THROW(make_function("recipe2", {{"time_scale", 1e-300}}), range_error);
  EXPECT_THROW(make_function("recipe2", {{"sugar_scale", 5e-324}}), range_error);
  EXPECT_NO_THROW(make_function("recipe", {{"scale", 50}}));
}

TEST(Regressions, DataValuesBeyondOneEHundredAreRefused) {
  // Squares of 1e308 overflow; the dataset limit keeps every loss and gradient finite.
  EXPECT_THROW(from_points({1.69e308}, {1.0}, 1, 1), range_error);
  EXPECT_THROW(from_points({1.0}, {-8.18e307}, 1, 1), range_error);
  EXPECT_NO_THROW(from_points({1e100}, {-1e100}, 1, 1));
}
