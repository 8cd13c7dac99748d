// Message helpers of error.hpp.
#include "gradlab/error.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace gradlab {

namespace {

/// 10^k for 0 <= k <= 22 exactly (each is a double); beyond, rounded.
double power_of_ten(int k) {
  double p = 1.0;
  for (int i = 0; i < k; ++i) p *= 10.0;
  return p;
}

/// a x b - round(a x b), exactly (Dekker's product: both factors split into 26-bit halves
/// whose products are exact; no fma, which WebAssembly only has as a software routine).
double product_error(double a, double b, double product) {
  auto split = [](double x, double& hi, double& lo) {
    const double c = 134217729.0 * x;  // 2^27 + 1
    hi = c - (c - x);
    lo = x - hi;
  };
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  return ((ah * bh - product) + ah * bl + al * bh) + al * bl;
}

/// round(v x 10^shift) to an integer, ties to even on the exact value of v (not on the rounded
/// product: 2666.525 is 2666.52500000000009..., and 2666.525 x 100 rounds to exactly 266652.5).
double scaled_digits(double v, int shift) {
  while (shift > 300) {  // keep 10^shift finite (subnormal numbers)
    v *= 1e100;
    shift -= 100;
  }
  const double p = power_of_ten(shift < 0 ? -shift : shift);
  const double scaled = shift >= 0 ? v * p : v / p;
  const double low = std::floor(scaled);
  if (scaled - low != 0.5 || p > 1e22) return std::nearbyint(scaled);  // ties to even
  // On a tie of the rounded result: the sign of the exact error says which way.
  double error;  // exact value - scaled, in sign
  if (shift >= 0) {
    error = product_error(v, p, scaled);
  } else {  // v / p - scaled has the sign of v - scaled p = (v - back) - (its rounding error)
    const double back = scaled * p;
    error = (v - back) - product_error(scaled, p, back);
  }
  if (error > 0) return low + 1.0;
  if (error < 0) return low;
  return std::nearbyint(scaled);  // an exact tie: to even, as printf does
}

}  // namespace

std::string format_number(double v) {
  char out[32];
  char* o = out;
  if (std::signbit(v)) *o++ = '-';
  v = std::fabs(v);
  const char* special = std::isnan(v) ? "nan" : std::isinf(v) ? "inf" : v == 0.0 ? "0" : nullptr;
  if (special) {
    while (*special) *o++ = *special++;
    return std::string(out, o);
  }

  // Six significant digits: v ~ digits x 10^(exponent - 5), 100000 <= digits <= 999999. The
  // binary exponent gives the decimal one to within one (further for subnormals); adjust.
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const int binary_exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  int exponent = static_cast<int>(std::floor(binary_exponent * 0.30102999566398120));
  double digits = 0.0;
  for (int attempt = 0; attempt < 40; ++attempt) {
    digits = scaled_digits(v, 5 - exponent);
    if (digits >= 1e6) {
      ++exponent;
    } else if (digits < 1e5) {
      --exponent;
    } else {
      break;
    }
  }
  char d[6];
  auto n = static_cast<std::uint32_t>(digits);
  for (int k = 5; k >= 0; --k, n /= 10) d[k] = static_cast<char>('0' + n % 10);
  int count = 6;  // significant digits left after dropping trailing zeros
  while (count > 1 && d[count - 1] == '0') --count;

  if (exponent < -4 || exponent >= 6) {  // d.ddddde+XX
    *o++ = d[0];
    if (count > 1) *o++ = '.';
    for (int k = 1; k < count; ++k) *o++ = d[k];
    *o++ = 'e';
    *o++ = exponent < 0 ? '-' : '+';
    const int e = exponent < 0 ? -exponent : exponent;
    if (e >= 100) *o++ = static_cast<char>('0' + e / 100);
    *o++ = static_cast<char>('0' + e / 10 % 10);
    *o++ = static_cast<char>('0' + e % 10);
  } else if (exponent < 0) {  // 0.000ddd
    *o++ = '0';
    *o++ = '.';
    for (int k = -1; k > exponent; --k) *o++ = '0';
    for (int k = 0; k < count; ++k) *o++ = d[k];
  } else {  // ddd.ddd
    for (int k = 0; k <= exponent; ++k) *o++ = d[k];
    if (count > exponent + 1) *o++ = '.';
    for (int k = exponent + 1; k < count; ++k) *o++ = d[k];
  }
  return std::string(out, o);
}

}  // namespace gradlab
