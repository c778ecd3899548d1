//===- IntegerKernels.h - Compile-time constants of integer kernels -*- C++ -*-===//
//
// Host-side math of shared/INTEGER-KERNELS.md, computed once at compile time
// and used by the quantization and lowering passes: symmetric scales, dyadic
// multipliers (m * 2^-e), the integer square root, and the constants of
// i-GELU and i-exp/i-softmax. python/iqc/intref.py implements the same
// definitions independently; the compiled kernels must agree with it bit for
// bit.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_QUANT_INTEGERKERNELS_H
#define IQC_QUANT_INTEGERKERNELS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iqc::quant {

/// S = max(absMax, 1e-8) / (2^(bits-1) - 1).
double symmetricScale(double absMax, unsigned bits = 8);

/// ratio ~= m * 2^-e with |m| in [2^30, 2^31) and the sign in m; m = 0 for
/// ratio 0. m = round_half_up(mant * 2^31) from frexp, e = 31 - exp; a
/// mantissa that rounds to 2^31 becomes 2^30 with e - 1.
struct Dyadic {
  int64_t m = 0;
  int64_t e = 0;
};
Dyadic decomposeDyadic(double ratio);

/// (z * m + 2^(e-1)) >> e with a 128-bit product (exact for |z| < 2^95);
/// e <= 0 shifts left. std::nullopt when the result does not fit in i64.
std::optional<int64_t> applyDyadic(__int128 z, Dyadic d);

/// Clamp to the signed (or unsigned) range of `bits` bits.
int64_t clampToBits(int64_t v, unsigned bits, bool isSigned = true);

/// floor(sqrt(n)), I-BERT's Algorithm 4 (Newton from 2^ceil(bits/2)).
uint64_t isqrt(uint64_t n);

/// i-GELU constants for one channel of input scale S (S <= 5e-4).
struct GeluConstants {
  int64_t b;       // floor(-1.769 / S'),  S' = S / 1.4142
  int64_t c;       // floor((1 / -0.2888) / S'^2)
  int64_t one;     // floor(1 / S_L),  S_L = -0.2888 S'^2 2^14
  double outScale; // S * S_L / 2 (negative)
};
GeluConstants geluConstants(double scale);

/// Smallest k with scale / 2^k <= target (coarse inputs are shifted up
/// before i-GELU / sigmoid).
unsigned upscaleShift(double scale, double target = 3e-4);

/// i-exp constants for the logit scale S.
struct ExpConstants {
  int64_t x0;      // floor(-0.6931 / S)
  int64_t b;       // floor((0.96963238 / 0.35815147) / S)
  int64_t c;       // floor((1 / 0.35815147) / S^2)
  double scaleP;   // 0.35815147 S^2
  double scale16;  // scaleP * c / 32767: exp(0) -> 32767
  Dyadic requant;  // dyadic(scaleP / 2^30 / scale16)
};
ExpConstants expConstants(double scale);

/// The i-LayerNorm affine constants for `gamma.size()` channels and the
/// 32-bit output scale S_core = sqrt(C) / 2^30: bias[c] = floor((beta[c] /
/// gamma[c]) / S_core) and the dyadic form of gamma[c] * S_core / outScale.
/// A |gamma[c]| below 1e-6 * max|gamma| (zero included) is raised to that
/// bound, keeping its sign (zero counts as positive), so that beta / gamma
/// stays finite. Fails (with a message) when a bias does not fit in 62 bits
/// or a requantization would shift left.
struct LayerNormConstants {
  std::vector<int64_t> bias;
  std::vector<Dyadic> requant;
  double coreScale = 0;
  std::string error;
};
LayerNormConstants layerNormConstants(const std::vector<double> &gamma,
                                      const std::vector<double> &beta,
                                      double outScale);

} // namespace iqc::quant

#endif // IQC_QUANT_INTEGERKERNELS_H
