// RUN: iqc-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(iq-quantize{ranges=%S/Inputs/quantize-ranges.json}))'
// RUN: not iqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(iq-quantize))' 2>&1 | FileCheck %s --check-prefix=NORANGES
// RUN: not iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-quantize{ranges=%S/Inputs/quantize-ranges-bad.json}))' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-quantize{ranges=%S/Inputs/missing.json}))' 2>&1 | FileCheck %s --check-prefix=MISSING
// NORANGES: error: iq-quantize: no activation ranges (pass ranges=<file.json>
// BAD: iq-quantize: {{.*}}quantize-ranges-bad.json: point 'x': needs finite min <= max
// MISSING: iq-quantize: cannot read '{{.*}}missing.json'

// A value without a calibrated range (ops without a NameLoc are named by
// their op name).
func.func @no_range(%x: tensor<2x2xf32> {iq.name = "x"}) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %0 = iq.linear %x, %w : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  // expected-error @+1 {{iq-quantize: no calibrated range for 'iq.gelu'}}
  %1 = iq.gelu %0 : tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}

// -----

// An op without an integer form in the path of a quantized op.
func.func @unsupported(%x: tensor<2x2xf32> {iq.name = "x"}) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-note @+1 {{produced here}}
  %0 = iq.exp %x : tensor<2x2xf32>
  // expected-error @+1 {{iq-quantize: cannot quantize operand 'iq.exp' produced by 'iq.exp': 'iq.exp' has no integer form in iq-quantize}}
  %1 = iq.linear %0, %w : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}

// -----

// The LayerNorm input's range lacks the row variance (as in QDQ models):
// the shift that is safe for any 8-bit input row of 2 channels,
// 2 * 4^8 / 4^s < 2^32, is 0.
func.func @no_row_variance(%x: tensor<2x2xf32> {iq.name = "lin"}) -> tensor<2x2xf32> {
  %g = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{LayerNorm input 'lin' has no calibrated row variance; using the data-independent variance shift 0}}
  %0 = iq.layer_norm %x, %g axis = 1 epsilon = 1.0e-5 : tensor<2x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Without a static channel count there is no safe fallback.
func.func @no_row_variance_dynamic(%x: tensor<2x?xf32> {iq.name = "lin"}) -> tensor<2x?xf32> {
  %g = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{the ranges of LayerNorm input 'lin' have no row_sum_squares}}
  %0 = iq.layer_norm %x, %g axis = 1 epsilon = 1.0e-5 : tensor<2x?xf32>, tensor<2xf32> -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// Run-time weights have no per-channel integer form.
func.func @runtime_weight(%x: tensor<2x2xf32> {iq.name = "x"}, %w: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{the weight of 'iq.linear' must be a float constant}}
  %0 = iq.linear %x, %w : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
