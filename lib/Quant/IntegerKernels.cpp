//===- IntegerKernels.cpp - Compile-time constants of integer kernels -----===//

#include "iqc/Quant/IntegerKernels.h"

#include <algorithm>
#include <cmath>

using namespace iqc::quant;

double iqc::quant::symmetricScale(double absMax, unsigned bits) {
  return std::max(absMax, 1e-8) / double((int64_t(1) << (bits - 1)) - 1);
}

Dyadic iqc::quant::decomposeDyadic(double ratio) {
  if (ratio == 0)
    return {};
  int exp;
  double mant = std::frexp(std::fabs(ratio), &exp); // [0.5, 1)
  // mant * 2^31 is exact in a double; round half up.
  int64_t m = (int64_t)std::floor(std::ldexp(mant, 31) + 0.5);
  int64_t e = 31 - exp;
  if (m == (int64_t(1) << 31)) {
    m /= 2;
    e -= 1;
  }
  return {ratio < 0 ? -m : m, e};
}

std::optional<int64_t> iqc::quant::applyDyadic(__int128 z, Dyadic d) {
  __int128 r;
  if (d.e <= 0) {
    if (d.e < -62)
      return std::nullopt;
    __int128 p = z * d.m;
    r = p * ((__int128)1 << -d.e);
    if (p != 0 && r / ((__int128)1 << -d.e) != p)
      return std::nullopt;
  } else if (d.e >= 127) {
    r = 0; // |z * m| < 2^126 for |z| < 2^95: rounds to 0
  } else {
    __int128 p = z * d.m + ((__int128)1 << (d.e - 1));
    r = p >> d.e; // arithmetic shift on GCC/Clang
  }
  if (r > INT64_MAX || r < INT64_MIN)
    return std::nullopt;
  return (int64_t)r;
}

int64_t iqc::quant::clampToBits(int64_t v, unsigned bits, bool isSigned) {
  int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  int64_t hi = isSigned ? (int64_t(1) << (bits - 1)) - 1
                        : (bits >= 63 ? INT64_MAX : (int64_t(1) << bits) - 1);
  return std::clamp(v, lo, hi);
}

uint64_t iqc::quant::isqrt(uint64_t n) {
  if (n == 0)
    return 0;
  unsigned bits = 64 - __builtin_clzll(n);
  // x0 = 2^ceil(bits/2) >= sqrt(n); Newton decreases monotonically to the
  // floor. Use 128-bit sums: x + n/x can exceed 2^64 only for x = 2^32.
  unsigned __int128 x = (unsigned __int128)1 << ((bits + 1) / 2);
  while (true) {
    unsigned __int128 y = (x + n / x) / 2;
    if (y >= x)
      return (uint64_t)x;
    x = y;
  }
}

GeluConstants iqc::quant::geluConstants(double scale) {
  double s1 = scale / 1.4142;
  GeluConstants k;
  k.b = (int64_t)std::floor(-1.769 / s1);
  k.c = (int64_t)std::floor((1 / -0.2888) / (s1 * s1));
  double sL = -0.2888 * s1 * s1 * 16384.0;
  k.one = (int64_t)std::floor(1 / sL);
  k.outScale = scale * sL / 2;
  return k;
}

unsigned iqc::quant::upscaleShift(double scale, double target) {
  unsigned k = 0;
  while (scale / std::ldexp(1.0, k) > target)
    ++k;
  return k;
}

ExpConstants iqc::quant::expConstants(double scale) {
  ExpConstants k;
  k.x0 = (int64_t)std::floor(-0.6931 / scale);
  k.b = (int64_t)std::floor((0.96963238 / 0.35815147) / scale);
  k.c = (int64_t)std::floor((1.0 / 0.35815147) / (scale * scale));
  k.scaleP = 0.35815147 * scale * scale;
  k.scale16 = k.scaleP * (double)k.c / 32767;
  k.requant = decomposeDyadic(k.scaleP / std::ldexp(1.0, 30) / k.scale16);
  return k;
}

LayerNormConstants
iqc::quant::layerNormConstants(const std::vector<double> &gamma,
                               const std::vector<double> &beta,
                               double outScale) {
  LayerNormConstants k;
  size_t C = gamma.size();
  k.coreScale = std::sqrt((double)C) / std::ldexp(1.0, 30);
  double gmax = 0;
  for (double g : gamma)
    gmax = std::max(gmax, std::fabs(g));
  double gmin = 1e-6 * gmax;
  for (size_t c = 0; c < C; ++c) {
    double g = gamma[c];
    if (std::fabs(g) < gmin || g == 0)
      g = g < 0 ? -gmin : gmin;
    double bc = c < beta.size() ? beta[c] : 0.0;
    double bias = std::floor((bc / g) / k.coreScale);
    if (!(std::fabs(bias) < std::ldexp(1.0, 62))) {
      k.error = "channel " + std::to_string(c) +
                ": beta / gamma is too large for the 64-bit LayerNorm bias";
      return k;
    }
    k.bias.push_back((int64_t)bias);
    Dyadic d = decomposeDyadic(g * k.coreScale / outScale);
    if (d.m != 0 && d.e < 1) {
      k.error = "channel " + std::to_string(c) +
                ": gamma * S_core / S_out is too large to requantize";
      return k;
    }
    k.requant.push_back(d);
  }
  return k;
}
