// Two doubles as one SIMD value, for the engine's hot loops (private to engine/src).
//
// GCC/Clang vector extensions: arithmetic on f64x2 is per lane, and the same source becomes
// SSE2 natively and simd128 in WebAssembly (-msimd128). No intrinsics, so nothing here is tied
// to one instruction set; without SIMD the compiler simply emits two scalar operations.
//
// May contain: lane-wise helpers and elementary functions on f64x2.
// May not contain: anything that knows about models, losses or data.
#pragma once

#include <cstdint>
#include <cstring>

namespace gradlab::simd {

typedef double f64x2 __attribute__((vector_size(16)));
typedef long long i64x2 __attribute__((vector_size(16)));

inline f64x2 load2(const double* p) {
  f64x2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store2(double* p, f64x2 v) { std::memcpy(p, &v, sizeof v); }

inline f64x2 splat(double x) { return f64x2{x, x}; }

inline double sum(f64x2 v) { return v[0] + v[1]; }

/// mask ? a : b, lane by lane, for a mask made by a comparison (all ones or all zeros). The
/// mask's element type differs between compilers and targets, hence the template.
template <class Mask>
inline f64x2 select(Mask mask, f64x2 a, f64x2 b) {
  const i64x2 m = (i64x2)mask;
  return (f64x2)((m & (i64x2)a) | (~m & (i64x2)b));
}

inline f64x2 abs(f64x2 x) {
  const i64x2 magnitude = {INT64_MAX, INT64_MAX};
  return (f64x2)((i64x2)x & magnitude);
}

/// |x| with the sign of s.
inline f64x2 copysign(f64x2 x, f64x2 s) {
  const i64x2 sign = {INT64_MIN, INT64_MIN};
  return (f64x2)((i64x2)abs(x) | ((i64x2)s & sign));
}

/// exp(x) = scale (1 + rq) for x <= 0, split so that expm1 needs no subtraction of nearly equal
/// numbers: scale = 2^n exactly, rq = exp(r) - 1 with |r| <= ln2 / 2.
///
/// NOTE: std::exp is a scalar library call of ~20 ns; a tanh network spends most of its time
/// there. Here: x = n ln2 + r with integer n, so exp(x) = 2^n exp(r); exp(r) - 1 is r times the
/// Taylor series 1 + r/2 + ... + r^12/13! (truncation error < 1e-17 relative), and 2^n is built
/// directly in the exponent bits. Inputs below -708 are clamped there: exp(-708) ~ 3e-308 is
/// already far below anything tanh or sigmoid can resolve next to 1.
struct ExpParts {
  f64x2 scale, rq;
};

inline ExpParts exp_parts(f64x2 x) {
  const f64x2 lo = splat(-708.0);
  x = select(x < lo, lo, x);
  // Adding 1.5 * 2^52 rounds x / ln2 to an integer and leaves that integer in the low mantissa
  // bits of t.
  const f64x2 shift = splat(6755399441055744.0);
  const f64x2 t = x * splat(1.4426950408889634) + shift;
  const f64x2 n = t - shift;
  // ln2 split in two so that n * ln2_hi is exact (ln2_hi has 32 trailing zero bits).
  const f64x2 r = (x - n * splat(6.93147180369123816490e-01)) - n * splat(1.90821492927058770002e-10);
  f64x2 q = splat(1.0 / 6227020800.0);  // 1/13!
  q = q * r + splat(1.0 / 479001600.0);
  q = q * r + splat(1.0 / 39916800.0);
  q = q * r + splat(1.0 / 3628800.0);
  q = q * r + splat(1.0 / 362880.0);
  q = q * r + splat(1.0 / 40320.0);
  q = q * r + splat(1.0 / 5040.0);
  q = q * r + splat(1.0 / 720.0);
  q = q * r + splat(1.0 / 120.0);
  q = q * r + splat(1.0 / 24.0);
  q = q * r + splat(1.0 / 6.0);
  q = q * r + splat(0.5);
  q = q * r + splat(1.0);
  // 2^n: n + 1023 in the exponent field. The low 12 bits of t's bit pattern are n's (two's
  // complement), the bits above them a constant that the shift by 52 pushes out.
  const i64x2 bias = {1023, 1023};
  return {(f64x2)(((i64x2)t + bias) << 52), r * q};
}

/// exp(x) for x <= 0, within a couple of ulp of std::exp.
inline f64x2 exp_nonpositive(f64x2 x) {
  const ExpParts e = exp_parts(x);
  return e.scale + e.scale * e.rq;
}

/// exp(x) - 1 for x <= 0, accurate also near 0 (scale - 1 is exact for a power of two).
inline f64x2 expm1_nonpositive(f64x2 x) {
  const ExpParts e = exp_parts(x);
  return e.scale * e.rq + (e.scale - splat(1.0));
}

/// tanh(z) = sign(z) (1 - e) / (1 + e) with e = exp(-2|z|), written with m = e - 1 as
/// -m / (2 + m) so that nothing cancels near 0.
inline f64x2 tanh(f64x2 z) {
  const f64x2 m = expm1_nonpositive(splat(-2.0) * abs(z));
  return copysign(-m / (splat(2.0) + m), z);
}

/// sigmoid(z) = 1 / (1 + exp(-z)); for z < 0 as e / (1 + e) with e = exp(z), so exp never
/// overflows. One division for both cases.
inline f64x2 sigmoid(f64x2 z) {
  const f64x2 e = exp_nonpositive(-abs(z));
  const f64x2 q = splat(1.0) / (splat(1.0) + e);
  return select(z >= splat(0.0), q, e * q);
}

}  // namespace gradlab::simd
