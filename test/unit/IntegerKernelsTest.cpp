//===- IntegerKernelsTest.cpp - Compile-time constants of integer kernels -===//
//
// Expected values are worked out by hand or come from exact arithmetic
// (long double / 128-bit integers, std::sqrt on small ranges), never from
// the functions under test.
//
//===----------------------------------------------------------------------===//

#include "iqc/Quant/IntegerKernels.h"

#include <cmath>
#include <gtest/gtest.h>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace iqc::quant;

TEST(Dyadic, HandWorkedValues) {
  // 0.75 = 0.75 * 2^0: m = 0.75 * 2^31 = 1610612736, e = 31.
  Dyadic d = decomposeDyadic(0.75);
  EXPECT_EQ(d.m, 1610612736);
  EXPECT_EQ(d.e, 31);
  // 1 = 0.5 * 2^1: m = 2^30, e = 30.
  d = decomposeDyadic(1.0);
  EXPECT_EQ(d.m, int64_t(1) << 30);
  EXPECT_EQ(d.e, 30);
  // The sign lives in m.
  d = decomposeDyadic(-0.75);
  EXPECT_EQ(d.m, -1610612736);
  EXPECT_EQ(d.e, 31);
  // A mantissa that rounds up to 2^31 becomes 2^30 with e - 1:
  // 1 - 2^-40 = (1 - 2^-40) * 2^0 -> round(2^31 - 2^-9) = 2^31.
  d = decomposeDyadic(1.0 - std::ldexp(1.0, -40));
  EXPECT_EQ(d.m, int64_t(1) << 30);
  EXPECT_EQ(d.e, 30);
  d = decomposeDyadic(0.0);
  EXPECT_EQ(d.m, 0);
}

TEST(Dyadic, RelativeErrorBelow2ToMinus31) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> logDist(std::log(1e-9), std::log(1e4));
  for (int i = 0; i < 100000; ++i) {
    double r = std::exp(logDist(rng)) * (i % 2 ? -1 : 1);
    Dyadic d = decomposeDyadic(r);
    ASSERT_GE(std::llabs(d.m), int64_t(1) << 30);
    ASSERT_LT(std::llabs(d.m), int64_t(1) << 31);
    long double approx = (long double)d.m * std::ldexp(1.0L, -(int)d.e);
    ASSERT_LE(std::fabs((double)((approx - r) / r)), std::ldexp(1.0, -31)) << r;
  }
}

TEST(Dyadic, ApplyRoundsHalfUpAndUses128Bits) {
  Dyadic half{int64_t(1) << 30, 31}; // exactly 0.5
  EXPECT_EQ(*applyDyadic(5, half), 3);  // 2.5 -> 3
  EXPECT_EQ(*applyDyadic(-5, half), -2); // -2.5 -> -2 (half up)
  EXPECT_EQ(*applyDyadic(7, half), 4);
  // z near 2^62 times m near 2^31 needs ~93 bits: (2^62 * 2^30) >> 40 = 2^52.
  Dyadic d{int64_t(1) << 30, 40};
  EXPECT_EQ(*applyDyadic((__int128)1 << 62, d), int64_t(1) << 52);
  // e <= 0: left shift; overflow is reported.
  Dyadic up{int64_t(1) << 30, -2};
  EXPECT_EQ(*applyDyadic(3, up), int64_t(3) << 32);
  EXPECT_FALSE(applyDyadic((__int128)1 << 40, up).has_value());
  // Huge e rounds to 0.
  EXPECT_EQ(*applyDyadic(12345, Dyadic{int64_t(1) << 30, 200}), 0);
}

TEST(Dyadic, MatchesExactRoundingOfTheDyadicValue) {
  std::mt19937_64 rng(2);
  for (int i = 0; i < 20000; ++i) {
    int64_t z = (int64_t)(rng() >> 20) - (int64_t(1) << 43);
    Dyadic d = decomposeDyadic(std::ldexp((double)(rng() % 1000 + 1), -20));
    // floor(z * m / 2^e + 1/2) computed with 128-bit floor division.
    __int128 num = (__int128)z * d.m + ((__int128)1 << (d.e - 1));
    __int128 den = (__int128)1 << d.e;
    __int128 q = num / den;
    if ((num % den != 0) && (num < 0))
      --q;
    ASSERT_EQ(*applyDyadic(z, d), (int64_t)q);
  }
}

TEST(ClampToBits, Ranges) {
  EXPECT_EQ(clampToBits(300, 8), 127);
  EXPECT_EQ(clampToBits(-300, 8), -128);
  EXPECT_EQ(clampToBits(300, 8, false), 255);
  EXPECT_EQ(clampToBits(-1, 8, false), 0);
  EXPECT_EQ(clampToBits(int64_t(1) << 40, 32), INT32_MAX);
}

TEST(Isqrt, ExhaustiveSmallAndRandomLarge) {
  for (uint64_t n = 0; n < (1u << 20); ++n)
    ASSERT_EQ(isqrt(n), (uint64_t)std::sqrt((double)n)) << n;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 200000; ++i) {
    uint64_t n = rng() >> (rng() % 40);
    uint64_t r = isqrt(n);
    // r^2 <= n < (r+1)^2, checked in 128 bits.
    ASSERT_LE((unsigned __int128)r * r, n);
    ASSERT_GT((unsigned __int128)(r + 1) * (r + 1), n);
  }
  EXPECT_EQ(isqrt(UINT64_MAX), 4294967295u);
  EXPECT_EQ(isqrt((uint64_t)1 << 32), 65536u);
}

TEST(SymmetricScale, HandValues) {
  EXPECT_DOUBLE_EQ(symmetricScale(127.0), 1.0);
  EXPECT_DOUBLE_EQ(symmetricScale(0.0), 1e-8 / 127);
  EXPECT_DOUBLE_EQ(symmetricScale(32767.0, 16), 1.0);
}

TEST(GeluConstants, HandComputed) {
  // S = 1e-4 (40-digit decimal arithmetic): S' = 1e-4 / 1.4142 =
  // 7.0711356243812756e-5; -1.769 / S' = -25017.198 -> b = -25018;
  // (1 / -0.2888) / S'^2 = -692507493.07 -> c = -692507494.
  GeluConstants k = geluConstants(1e-4);
  EXPECT_EQ(k.b, -25018);
  EXPECT_EQ(k.c, -692507494);
  // S_L = -0.2888 S'^2 2^14 = -2.3658950e-5; 1 / S_L = -42267.303 -> -42268.
  EXPECT_EQ(k.one, -42268);
  EXPECT_LT(k.outScale, 0);
  EXPECT_EQ(upscaleShift(1e-4), 0u);
  // 0.05 / 2^k <= 3e-4 first at k = 8 (0.05 / 256 = 1.95e-4).
  EXPECT_EQ(upscaleShift(0.05), 8u);
}

TEST(ExpConstants, HandComputed) {
  // S = 1e-3: x0 = floor(-693.1) = -694; b = floor(2707.3249) = 2707;
  // c = floor(2792114.7...) = 2792114; exp(0) maps to 32767 by construction.
  ExpConstants k = expConstants(1e-3);
  EXPECT_EQ(k.x0, -694);
  EXPECT_EQ(k.b, 2707);
  EXPECT_EQ(k.c, 2792114);
  // p(0) = c, so e16 = c * S_p / S16 = 32767.
  Dyadic d = k.requant;
  // e16 = (p m + 2^(E-1)) >> E with E = e - 30 for z = 0.
  __int128 num = (__int128)k.c * d.m + ((__int128)1 << (d.e - 31));
  EXPECT_EQ((int64_t)(num >> (d.e - 30)), 32767);
}

// The C++ constants equal those of the independent numpy reference
// (python/iqc/intref.py) on many scales. The lit test
// test/Reference/quant-constants.test writes the reference values and points
// IQC_QUANT_REFERENCE at them; without it the test is skipped.
TEST(IntegerKernels, MatchesNumpyReference) {
  const char *path = std::getenv("IQC_QUANT_REFERENCE");
  if (!path)
    GTEST_SKIP() << "IQC_QUANT_REFERENCE not set";
  FILE *f = std::fopen(path, "r");
  ASSERT_NE(f, nullptr) << path;
  char kind[16];
  double x;
  int checked = 0;
  while (std::fscanf(f, "%15s %lf", kind, &x) == 2) {
    std::string k(kind);
    if (k == "dyadic") {
      long long m, e;
      ASSERT_EQ(std::fscanf(f, "%lld %lld", &m, &e), 2);
      Dyadic d = decomposeDyadic(x);
      EXPECT_EQ(d.m, m) << "dyadic(" << x << ")";
      EXPECT_EQ(d.e, e) << "dyadic(" << x << ")";
    } else if (k == "gelu") {
      long long b, c, one;
      ASSERT_EQ(std::fscanf(f, "%lld %lld %lld", &b, &c, &one), 3);
      GeluConstants g = geluConstants(x);
      EXPECT_EQ(g.b, b) << "gelu(" << x << ")";
      EXPECT_EQ(g.c, c) << "gelu(" << x << ")";
      EXPECT_EQ(g.one, one) << "gelu(" << x << ")";
    } else if (k == "exp") {
      long long x0, b, c, m, e;
      ASSERT_EQ(std::fscanf(f, "%lld %lld %lld %lld %lld", &x0, &b, &c, &m, &e),
                5);
      ExpConstants ec = expConstants(x);
      EXPECT_EQ(ec.x0, x0) << "exp(" << x << ")";
      EXPECT_EQ(ec.b, b) << "exp(" << x << ")";
      EXPECT_EQ(ec.c, c) << "exp(" << x << ")";
      EXPECT_EQ(ec.requant.m, m) << "exp(" << x << ")";
      EXPECT_EQ(ec.requant.e, e) << "exp(" << x << ")";
    } else {
      FAIL() << "unknown record " << k;
    }
    ++checked;
  }
  std::fclose(f);
  EXPECT_GT(checked, 1000);
  std::printf("checked %d constants against the numpy reference\n", checked);
}
