// RUN: iqc-opt %s -split-input-file -iq-raise-gelu | FileCheck %s

// nn.GELU() as torch exports it:
// Div(sqrt 2) -> Erf -> Add(1) -> Mul(x) -> Mul(0.5).

// CHECK-LABEL: func.func @gelu_torch
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>)
// CHECK-NEXT: %[[G:.*]] = iq.gelu %[[X]] : tensor<?x?x256xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_torch(%x: tensor<?x?x256xf32>) -> tensor<?x?x256xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %1 = iq.erf %0 : tensor<?x?x256xf32>
  %2 = iq.add %1, %one : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %3 = iq.mul %x, %2 : tensor<?x?x256xf32>, tensor<?x?x256xf32> -> tensor<?x?x256xf32>
  %4 = iq.mul %3, %half : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  return %4 : tensor<?x?x256xf32>
}

// -----

// Every commutative operand in the other order: 1 + erf, (1 + erf) * x,
// 0.5 * (...).
// CHECK-LABEL: func.func @gelu_commuted
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[G:.*]] = iq.gelu %[[X]] : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_commuted(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<2x8xf32>, tensor<f32> -> tensor<2x8xf32>
  %1 = iq.erf %0 : tensor<2x8xf32>
  %2 = iq.add %one, %1 : tensor<f32>, tensor<2x8xf32> -> tensor<2x8xf32>
  %3 = iq.mul %2, %x : tensor<2x8xf32>, tensor<2x8xf32> -> tensor<2x8xf32>
  %4 = iq.mul %half, %3 : tensor<f32>, tensor<2x8xf32> -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// The (x * 0.5) * (1 + erf(x / sqrt 2)) form, in both operand orders.
// CHECK-LABEL: func.func @gelu_half_first
// CHECK-SAME: (%[[X:.*]]: tensor<?x256xf32>, %[[Y:.*]]: tensor<?x256xf32>)
// CHECK-DAG: %[[GX:.*]] = iq.gelu %[[X]] : tensor<?x256xf32>
// CHECK-DAG: %[[GY:.*]] = iq.gelu %[[Y]] : tensor<?x256xf32>
// CHECK-NOT: iq.mul
// CHECK: return %[[GX]], %[[GY]]
func.func @gelu_half_first(%x: tensor<?x256xf32>, %y: tensor<?x256xf32>) -> (tensor<?x256xf32>, tensor<?x256xf32>) {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %h = iq.mul %x, %half : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %0 = iq.div %x, %sqrt2 : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %1 = iq.erf %0 : tensor<?x256xf32>
  %2 = iq.add %1, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %3 = iq.mul %h, %2 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %hy = iq.mul %half, %y : tensor<f32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %4 = iq.div %y, %sqrt2 : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %5 = iq.erf %4 : tensor<?x256xf32>
  %6 = iq.add %one, %5 : tensor<f32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %7 = iq.mul %6, %hy : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  return %3, %7 : tensor<?x256xf32>, tensor<?x256xf32>
}

// -----

// erf(x * 0.70710678) instead of erf(x / 1.4142135), the constant on either
// side.
// CHECK-LABEL: func.func @gelu_mul_rsqrt2
// CHECK-SAME: (%[[X:.*]]: tensor<?x256xf32>, %[[Y:.*]]: tensor<?x256xf32>)
// CHECK-DAG: %[[GX:.*]] = iq.gelu %[[X]] : tensor<?x256xf32>
// CHECK-DAG: %[[GY:.*]] = iq.gelu %[[Y]] : tensor<?x256xf32>
// CHECK-NOT: iq.erf
// CHECK: return %[[GX]], %[[GY]]
func.func @gelu_mul_rsqrt2(%x: tensor<?x256xf32>, %y: tensor<?x256xf32>) -> (tensor<?x256xf32>, tensor<?x256xf32>) {
  %rsqrt2 = arith.constant dense<0.707106769> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.mul %x, %rsqrt2 : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %1 = iq.erf %0 : tensor<?x256xf32>
  %2 = iq.add %1, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %3 = iq.mul %x, %2 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %4 = iq.mul %3, %half : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %5 = iq.mul %rsqrt2, %y : tensor<f32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %6 = iq.erf %5 : tensor<?x256xf32>
  %7 = iq.add %6, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %8 = iq.mul %y, %7 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %9 = iq.mul %8, %half : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  return %4, %9 : tensor<?x256xf32>, tensor<?x256xf32>
}

// -----

// f16 model: the constants are f16 roundings of sqrt 2.
// CHECK-LABEL: func.func @gelu_f16
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf16>)
// CHECK-NEXT: %[[G:.*]] = iq.gelu %[[X]] : tensor<?x64xf16>
// CHECK-NEXT: return %[[G]]
func.func @gelu_f16(%x: tensor<?x64xf16>) -> tensor<?x64xf16> {
  %sqrt2 = arith.constant dense<1.414> : tensor<f16>
  %one = arith.constant dense<1.0> : tensor<f16>
  %half = arith.constant dense<0.5> : tensor<f16>
  %0 = iq.div %x, %sqrt2 : tensor<?x64xf16>, tensor<f16> -> tensor<?x64xf16>
  %1 = iq.erf %0 : tensor<?x64xf16>
  %2 = iq.add %1, %one : tensor<?x64xf16>, tensor<f16> -> tensor<?x64xf16>
  %3 = iq.mul %x, %2 : tensor<?x64xf16>, tensor<?x64xf16> -> tensor<?x64xf16>
  %4 = iq.mul %3, %half : tensor<?x64xf16>, tensor<f16> -> tensor<?x64xf16>
  return %4 : tensor<?x64xf16>
}

// -----

// The intermediate values keep their other users; only the root is replaced.
// CHECK-LABEL: func.func @gelu_shared_intermediate
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK: %[[E:.*]] = iq.erf
// CHECK: %[[G:.*]] = iq.gelu %[[X]] : tensor<8xf32>
// CHECK: return %[[G]], %[[E]]
func.func @gelu_shared_intermediate(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = iq.erf %0 : tensor<8xf32>
  %2 = iq.add %1, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %3 = iq.mul %x, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %4 = iq.mul %3, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  return %4, %1 : tensor<8xf32>, tensor<8xf32>
}

//===----------------------------------------------------------------------===//
// Look-alikes that must NOT be raised.
//===----------------------------------------------------------------------===//

// -----

// 0.6 instead of 0.5.
// CHECK-LABEL: func.func @not_gelu_wrong_half
// CHECK-NOT: iq.gelu
// CHECK: iq.erf
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_wrong_half(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %c = arith.constant dense<6.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %1 = iq.erf %0 : tensor<?x256xf32>
  %2 = iq.add %1, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %3 = iq.mul %x, %2 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %4 = iq.mul %3, %c : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  return %4 : tensor<?x256xf32>
}

// -----

// 0.6 instead of 0.5 in the (x * c) * (1 + erf) form.
// CHECK-LABEL: func.func @not_gelu_wrong_half_first
// CHECK-NOT: iq.gelu
// CHECK: iq.erf
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_wrong_half_first(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %c = arith.constant dense<6.000000e-01> : tensor<f32>
  %h = iq.mul %x, %c : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %0 = iq.div %x, %sqrt2 : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %1 = iq.erf %0 : tensor<?x256xf32>
  %2 = iq.add %1, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %3 = iq.mul %h, %2 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  return %3 : tensor<?x256xf32>
}

// -----

// Division by 1.5 instead of sqrt 2, multiplication by 0.75 instead of
// 1/sqrt 2, and sqrt 2 divided by x.
// CHECK-LABEL: func.func @not_gelu_wrong_scale
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_wrong_scale(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %c = arith.constant dense<1.5> : tensor<f32>
  %r = arith.constant dense<0.75> : tensor<f32>
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %c : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = iq.erf %0 : tensor<8xf32>
  %2 = iq.add %1, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %3 = iq.mul %x, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %4 = iq.mul %3, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %5 = iq.mul %x, %r : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %6 = iq.erf %5 : tensor<8xf32>
  %7 = iq.add %6, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %8 = iq.mul %x, %7 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %9 = iq.mul %8, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %10 = iq.div %sqrt2, %x : tensor<f32>, tensor<8xf32> -> tensor<8xf32>
  %11 = iq.erf %10 : tensor<8xf32>
  %12 = iq.add %11, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %13 = iq.mul %x, %12 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %14 = iq.mul %13, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  return %4, %9, %14 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// 2 + erf instead of 1 + erf.
// CHECK-LABEL: func.func @not_gelu_wrong_one
// CHECK-NOT: iq.gelu
// CHECK: iq.erf
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_wrong_one(%x: tensor<8xf32>) -> tensor<8xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = iq.erf %0 : tensor<8xf32>
  %2 = iq.add %1, %two : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %3 = iq.mul %x, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %4 = iq.mul %3, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  return %4 : tensor<8xf32>
}

// -----

// The erf argument and the multiplied value differ, in both forms.
// CHECK-LABEL: func.func @not_gelu_different_values
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_different_values(%x: tensor<8xf32>, %y: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %y, %sqrt2 : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = iq.erf %0 : tensor<8xf32>
  %2 = iq.add %1, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %3 = iq.mul %x, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %4 = iq.mul %3, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %h = iq.mul %x, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %5 = iq.mul %h, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %4, %5 : tensor<8xf32>, tensor<8xf32>
}

// -----

// The final 0.5 broadcasts the result to a larger shape.
// CHECK-LABEL: func.func @not_gelu_broadcasting_half
// CHECK-NOT: iq.gelu
// CHECK: iq.mul %{{.*}}, %{{.*}} : tensor<?x256xf32>, tensor<3x1x1xf32> -> tensor<3x?x256xf32>
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_broadcasting_half(%x: tensor<?x256xf32>) -> tensor<3x?x256xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<3x1x1xf32>
  %0 = iq.div %x, %sqrt2 : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %1 = iq.erf %0 : tensor<?x256xf32>
  %2 = iq.add %1, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %3 = iq.mul %x, %2 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %4 = iq.mul %3, %half : tensor<?x256xf32>, tensor<3x1x1xf32> -> tensor<3x?x256xf32>
  return %4 : tensor<3x?x256xf32>
}

// -----

// A broadcasting sqrt 2 makes the erf branch larger than x.
// CHECK-LABEL: func.func @not_gelu_broadcasting_erf
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_broadcasting_erf(%x: tensor<256xf32>) -> tensor<2x256xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<2x1xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<256xf32>, tensor<2x1xf32> -> tensor<2x256xf32>
  %1 = iq.erf %0 : tensor<2x256xf32>
  %2 = iq.add %1, %one : tensor<2x256xf32>, tensor<f32> -> tensor<2x256xf32>
  %3 = iq.mul %x, %2 : tensor<256xf32>, tensor<2x256xf32> -> tensor<2x256xf32>
  %4 = iq.mul %3, %half : tensor<2x256xf32>, tensor<f32> -> tensor<2x256xf32>
  return %4 : tensor<2x256xf32>
}

// -----

// Without the final multiplication by 0.5.
// CHECK-LABEL: func.func @not_gelu_no_half
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_no_half(%x: tensor<8xf32>) -> tensor<8xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = iq.erf %0 : tensor<8xf32>
  %2 = iq.add %1, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %3 = iq.mul %x, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %3 : tensor<8xf32>
}

// -----

// The tanh approximation is a different function.
// CHECK-LABEL: func.func @not_gelu_tanh
// CHECK-NOT: iq.gelu
// CHECK: return
func.func @not_gelu_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<5.000000e-01> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = iq.tanh %0 : tensor<8xf32>
  %2 = iq.add %1, %one : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %3 = iq.mul %x, %2 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %4 = iq.mul %3, %half : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  return %4 : tensor<8xf32>
}
