// format_number (error.hpp) against the C library's printf("%g"), which is an independent
// implementation of the same rule: 6 significant digits, ties to even on the exact binary value,
// trailing zeros dropped, exponent form below 1e-4 and from 1e6.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "gradlab/error.hpp"

using gradlab::format_number;

namespace {

std::string printf_g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

TEST(FormatNumber, WorkedExamples) {
  // Written out by hand from the %g rule.
  EXPECT_EQ(format_number(250.0), "250");
  EXPECT_EQ(format_number(0.05), "0.05");
  EXPECT_EQ(format_number(-0.5), "-0.5");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "-0");
  EXPECT_EQ(format_number(1e-4), "0.0001");
  EXPECT_EQ(format_number(1.5e-5), "1.5e-05");
  EXPECT_EQ(format_number(999999.0), "999999");
  EXPECT_EQ(format_number(999999.5), "1e+06");     // rounds up into the next decade
  EXPECT_EQ(format_number(1234567.0), "1.23457e+06");
  EXPECT_EQ(format_number(3.14159265358979), "3.14159");
  EXPECT_EQ(format_number(1e100), "1e+100");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(FormatNumber, DecimalTiesFollowTheBinaryValue) {
  // 2666.525 is stored as 2666.5250000000000909...: above the tie, so it rounds up, although
  // 2666.525 x 100 rounds to exactly 266652.5. 2768.955 is stored below its tie.
  EXPECT_EQ(format_number(2666.525), "2666.53");
  EXPECT_EQ(format_number(2768.955), "2768.95");
  // 1234565 is an exact tie: to even.
  EXPECT_EQ(format_number(1234565.0), "1.23456e+06");
  EXPECT_EQ(format_number(1234575.0), "1.23458e+06");
}

TEST(FormatNumber, AgreesWithPrintfEverywhere) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-30.0, 30.0), plain(-1e4, 1e4);
  int differ = 0;
  auto check = [&](double v) {
    if (format_number(v) != printf_g(v) && ++differ <= 10)
      ADD_FAILURE() << "%.17g: printf " << printf_g(v) << ", format_number " << format_number(v);
  };
  for (int i = 0; i < 200000; ++i) check(std::pow(10.0, exponent(rng)) * (i % 2 ? 1 : -1));
  for (int i = 0; i < 100000; ++i) check(std::round(plain(rng) * 1000.0) / 1000.0);  // 3 decimals
  for (int i = 0; i < 100000; ++i) {  // any finite double, subnormals included
    const std::uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isfinite(v)) check(v);
  }
  EXPECT_EQ(differ, 0);
}
