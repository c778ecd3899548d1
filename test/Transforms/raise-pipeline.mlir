// RUN: iqc-opt %s -split-input-file -iq-raise | FileCheck %s

// The iq-raise pipeline (canonicalize, raise layer_norm / linear / gelu /
// swish, canonicalize, cse) on graphs in the form the importer produces for
// torch exports: every constant is its own arith.constant, scalars are 0-D
// tensors.

// Pre-LN transformer feed-forward block:
// x + Linear2(GELU(Linear1(LayerNorm(x)))).
// CHECK-LABEL: func.func @feed_forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4xf32>)
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01, 2.500000e-01, 0.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<5.000000e-01> : tensor<4x8xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<1.000000e-01> : tensor<8xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<2.500000e-01> : tensor<8x4xf32>
// CHECK-DAG: %[[B2:.*]] = arith.constant dense<2.000000e-01> : tensor<4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[G]], %[[B]] axis = 2 epsilon = 9.99999974E-6 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
// CHECK: %[[L1:.*]] = iq.linear %[[LN]], %[[W1]], %[[B1]] : tensor<?x?x4xf32>, tensor<4x8xf32>, tensor<8xf32> -> tensor<?x?x8xf32>
// CHECK: %[[GE:.*]] = iq.gelu %[[L1]] : tensor<?x?x8xf32>
// CHECK: %[[L2:.*]] = iq.linear %[[GE]], %[[W2]], %[[B2]] : tensor<?x?x8xf32>, tensor<8x4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
// CHECK: %[[R:.*]] = iq.add %[[X]], %[[L2]] : tensor<?x?x4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[R]]
func.func @feed_forward(%x: tensor<?x?x4xf32>) -> tensor<?x?x4xf32> {
  // LayerNorm
  %c0 = arith.constant dense<2.0> : tensor<f32>
  %c1 = arith.constant dense<9.99999974E-6> : tensor<f32>
  %c2 = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %c3 = arith.constant dense<[0.5, -0.5, 0.25, 0.0]> : tensor<4xf32>
  %0 = iq.reduce_mean %x along [2] keep_dims : tensor<?x?x4xf32> -> tensor<?x?x1xf32>
  %1 = iq.sub %x, %0 : tensor<?x?x4xf32>, tensor<?x?x1xf32> -> tensor<?x?x4xf32>
  %2 = iq.pow %1, %c0 : tensor<?x?x4xf32>, tensor<f32> -> tensor<?x?x4xf32>
  %3 = iq.reduce_mean %2 along [2] keep_dims : tensor<?x?x4xf32> -> tensor<?x?x1xf32>
  %4 = iq.add %3, %c1 : tensor<?x?x1xf32>, tensor<f32> -> tensor<?x?x1xf32>
  %5 = iq.sqrt %4 : tensor<?x?x1xf32>
  %6 = iq.div %1, %5 : tensor<?x?x4xf32>, tensor<?x?x1xf32> -> tensor<?x?x4xf32>
  %7 = iq.mul %6, %c2 : tensor<?x?x4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  %8 = iq.add %7, %c3 : tensor<?x?x4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  // Linear 1 (bias first, as torch emits Add(bias, MatMul))
  %c4 = arith.constant dense<0.5> : tensor<4x8xf32>
  %c5 = arith.constant dense<0.1> : tensor<8xf32>
  %9 = iq.matmul %8, %c4 : tensor<?x?x4xf32>, tensor<4x8xf32> -> tensor<?x?x8xf32>
  %10 = iq.add %c5, %9 : tensor<8xf32>, tensor<?x?x8xf32> -> tensor<?x?x8xf32>
  // GELU
  %c6 = arith.constant dense<1.41421354> : tensor<f32>
  %c7 = arith.constant dense<1.0> : tensor<f32>
  %c8 = arith.constant dense<0.5> : tensor<f32>
  %11 = iq.div %10, %c6 : tensor<?x?x8xf32>, tensor<f32> -> tensor<?x?x8xf32>
  %12 = iq.erf %11 : tensor<?x?x8xf32>
  %13 = iq.add %12, %c7 : tensor<?x?x8xf32>, tensor<f32> -> tensor<?x?x8xf32>
  %14 = iq.mul %10, %13 : tensor<?x?x8xf32>, tensor<?x?x8xf32> -> tensor<?x?x8xf32>
  %15 = iq.mul %14, %c8 : tensor<?x?x8xf32>, tensor<f32> -> tensor<?x?x8xf32>
  // Linear 2
  %c9 = arith.constant dense<0.25> : tensor<8x4xf32>
  %c10 = arith.constant dense<0.2> : tensor<4xf32>
  %16 = iq.matmul %15, %c9 : tensor<?x?x8xf32>, tensor<8x4xf32> -> tensor<?x?x4xf32>
  %17 = iq.add %c10, %16 : tensor<4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  // Residual
  %18 = iq.add %x, %17 : tensor<?x?x4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  return %18 : tensor<?x?x4xf32>
}

// -----

// A freshly initialized LayerNorm (gamma = 1, beta = 0): canonicalization
// folds the affine part away before raising.
// CHECK-LABEL: func.func @layer_norm_identity_affine
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[ONES]] axis = 1 epsilon = 9.99999974E-6 : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[LN]]
func.func @layer_norm_identity_affine(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant dense<2.0> : tensor<f32>
  %c1 = arith.constant dense<9.99999974E-6> : tensor<f32>
  %c2 = arith.constant dense<1.0> : tensor<4xf32>
  %c3 = arith.constant dense<0.0> : tensor<4xf32>
  %0 = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %1 = iq.sub %x, %0 : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %2 = iq.pow %1, %c0 : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %3 = iq.reduce_mean %2 along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %4 = iq.add %3, %c1 : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %5 = iq.sqrt %4 : tensor<?x1xf32>
  %6 = iq.div %1, %5 : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %7 = iq.mul %6, %c2 : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %8 = iq.add %7, %c3 : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return %8 : tensor<?x4xf32>
}

// -----

// Squeezeformer convolution module: pointwise conv, GLU, depthwise conv,
// batch norm, swish, pointwise conv. The GLU (a * sigmoid(b)) is not a swish;
// the swish after the batch norm is.
// CHECK-LABEL: func.func @conv_module
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x?xf32>, %[[A:.*]]: tensor<?x4x?xf32>)
// CHECK: %[[SIG:.*]] = iq.sigmoid %[[A]] : tensor<?x4x?xf32>
// CHECK: %[[GLU:.*]] = iq.mul %[[X]], %[[SIG]] :
// CHECK: %[[DW:.*]] = iq.conv %[[GLU]]
// CHECK: %[[BN:.*]] = iq.batch_norm %[[DW]]
// CHECK: %[[SW:.*]] = iq.swish %[[BN]] : tensor<?x4x?xf32>
// CHECK-NOT: iq.sigmoid
// CHECK: return %[[SW]]
func.func @conv_module(%x: tensor<?x4x?xf32>, %a: tensor<?x4x?xf32>) -> tensor<?x4x?xf32> {
  %0 = iq.sigmoid %a : tensor<?x4x?xf32>
  %1 = iq.mul %x, %0 : tensor<?x4x?xf32>, tensor<?x4x?xf32> -> tensor<?x4x?xf32>
  %w = arith.constant dense<0.5> : tensor<4x1x3xf32>
  %b = arith.constant dense<0.0> : tensor<4xf32>
  %2 = iq.conv %1, %w, %b strides = [1] pads = [1, 1] dilations = [1] groups = 4 : tensor<?x4x?xf32>, tensor<4x1x3xf32>, tensor<4xf32> -> tensor<?x4x?xf32>
  %s = arith.constant dense<1.0> : tensor<4xf32>
  %bb = arith.constant dense<0.0> : tensor<4xf32>
  %m = arith.constant dense<0.0> : tensor<4xf32>
  %v = arith.constant dense<1.0> : tensor<4xf32>
  %3 = iq.batch_norm %2, %s, %bb, %m, %v epsilon = 1.0e-5 : tensor<?x4x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x4x?xf32>
  %4 = iq.sigmoid %3 : tensor<?x4x?xf32>
  %5 = iq.mul %4, %3 : tensor<?x4x?xf32>, tensor<?x4x?xf32> -> tensor<?x4x?xf32>
  return %5 : tensor<?x4x?xf32>
}

// -----

// Identity arithmetic the importer leaves (x * 1, + 0) disappears first, and
// cse merges the two identical GELUs of the same value once raised.
// CHECK-LABEL: func.func @gelu_cse
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>)
// CHECK: %[[G:.*]] = iq.gelu %[[X]] : tensor<?x8xf32>
// CHECK-NOT: iq.gelu
// CHECK: return %[[G]], %[[G]]
func.func @gelu_cse(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %zero = arith.constant dense<0.0> : tensor<f32>
  %xi = iq.mul %x, %one : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %x0 = iq.add %xi, %zero : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one1 = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %0 = iq.div %x0, %sqrt2 : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %1 = iq.erf %0 : tensor<?x8xf32>
  %2 = iq.add %1, %one1 : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %3 = iq.mul %x0, %2 : tensor<?x8xf32>, tensor<?x8xf32> -> tensor<?x8xf32>
  %4 = iq.mul %3, %half : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %rsqrt2 = arith.constant dense<0.707106769> : tensor<f32>
  %half2 = arith.constant dense<0.5> : tensor<f32>
  %5 = iq.mul %x, %half2 : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %6 = iq.mul %x, %rsqrt2 : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %7 = iq.erf %6 : tensor<?x8xf32>
  %8 = iq.add %7, %one1 : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %9 = iq.mul %5, %8 : tensor<?x8xf32>, tensor<?x8xf32> -> tensor<?x8xf32>
  return %4, %9 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Look-alikes survive the whole pipeline: GELU with 0.6, LayerNorm with a
// cube, matmul with a non-constant weight.
// CHECK-LABEL: func.func @look_alikes
// CHECK-NOT: iq.gelu
// CHECK-NOT: iq.layer_norm
// CHECK-NOT: iq.linear
// CHECK: return
func.func @look_alikes(%x: tensor<?x4xf32>, %w: tensor<4x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %c = arith.constant dense<0.6> : tensor<f32>
  %0 = iq.div %x, %sqrt2 : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %1 = iq.erf %0 : tensor<?x4xf32>
  %2 = iq.add %1, %one : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %3 = iq.mul %x, %2 : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %4 = iq.mul %3, %c : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %5 = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %6 = iq.sub %x, %5 : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %7 = iq.pow %6, %three : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %8 = iq.reduce_mean %7 along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %9 = iq.add %8, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %10 = iq.sqrt %9 : tensor<?x1xf32>
  %11 = iq.div %6, %10 : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %12 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  return %4, %11, %12 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
