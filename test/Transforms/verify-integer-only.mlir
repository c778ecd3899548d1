// RUN: iqc-opt %s --split-input-file --iq-verify-integer-only --verify-diagnostics | FileCheck %s

// Float only at the boundary: quantize the input, integer kernels, then
// dequantize the output. The pass accepts it unchanged.
// CHECK-LABEL: func.func @integer_only
// CHECK: iq.igelu
func.func @integer_only(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %q = quant.qcast %x : tensor<4x8xf32> to tensor<4x8x!quant.uniform<i32:f32, 1.0e-4>>
  %i = quant.scast %q : tensor<4x8x!quant.uniform<i32:f32, 1.0e-4>> to tensor<4x8xi32>
  %g = iq.igelu %i b = [-25018] c = [-692507494] one = [-42268] : tensor<4x8xi32> -> tensor<4x8xi64>
  %r = iq.requant %g multipliers = [-1420672499] shifts = [52] : tensor<4x8xi64> -> tensor<4x8xi8>
  %s = quant.scast %r : tensor<4x8xi8> to tensor<4x8x!quant.uniform<i8:f32, 0.03>>
  %y = quant.dcast %s : tensor<4x8x!quant.uniform<i8:f32, 0.03>> to tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A float GELU planted between the boundaries is reported by name, with the
// dequantize/quantize pair around it (they are not at the boundary).
func.func @planted_float(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %q = quant.qcast %x : tensor<4x8xf32> to tensor<4x8x!quant.uniform<i8:f32, 0.05>>
  %i = quant.scast %q : tensor<4x8x!quant.uniform<i8:f32, 0.05>> to tensor<4x8xi8>
  %w = quant.scast %i : tensor<4x8xi8> to tensor<4x8x!quant.uniform<i8:f32, 0.05>>
  // expected-error @+1 {{'quant.dcast' computes in floating point inside the integer-only model body}}
  %f = quant.dcast %w : tensor<4x8x!quant.uniform<i8:f32, 0.05>> to tensor<4x8xf32>
  // expected-error @+1 {{'iq.gelu' computes in floating point inside the integer-only model body}}
  %g = iq.gelu %f : tensor<4x8xf32>
  // expected-error @+1 {{'quant.qcast' computes in floating point inside the integer-only model body}}
  %q2 = quant.qcast %g : tensor<4x8xf32> to tensor<4x8x!quant.uniform<i8:f32, 0.05>>
  %y = quant.dcast %q2 : tensor<4x8x!quant.uniform<i8:f32, 0.05>> to tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
