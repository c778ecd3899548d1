// RUN: iqc-opt %s -split-input-file -iq-raise-linear | FileCheck %s

// nn.Linear as torch exports it: MatMul(x, W^T constant [K, N]) followed by
// Add of the constant [N] bias.

// CHECK-LABEL: func.func @linear_bias_rhs
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4xf32>)
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00, 9.000000e+00], [1.000000e+01, 1.100000e+01, 1.200000e+01]]> : tensor<4x3xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>
// CHECK: %[[L:.*]] = iq.linear %[[X]], %[[W]], %[[B]] : tensor<?x?x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<?x?x3xf32>
// CHECK-NOT: iq.
// CHECK: return %[[L]]
func.func @linear_bias_rhs(%x: tensor<?x?x4xf32>) -> tensor<?x?x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %b = arith.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %0 = iq.matmul %x, %w : tensor<?x?x4xf32>, tensor<4x3xf32> -> tensor<?x?x3xf32>
  %1 = iq.add %0, %b : tensor<?x?x3xf32>, tensor<3xf32> -> tensor<?x?x3xf32>
  return %1 : tensor<?x?x3xf32>
}

// -----

// CHECK-LABEL: func.func @linear_bias_lhs
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK-DAG: %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<4x3xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>
// CHECK: %[[L:.*]] = iq.linear %[[X]], %[[W]], %[[B]] : tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
// CHECK-NOT: iq.
// CHECK: return %[[L]]
func.func @linear_bias_lhs(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %b = arith.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %0 = iq.matmul %x, %w : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
  %1 = iq.add %b, %0 : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// No bias.
// CHECK-LABEL: func.func @linear_no_bias
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x4xf32>)
// CHECK: %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<4x3xf32>
// CHECK: %[[L:.*]] = iq.linear %[[X]], %[[W]] : tensor<?x8x4xf32>, tensor<4x3xf32> -> tensor<?x8x3xf32>
// CHECK-NOT: iq.
// CHECK: return %[[L]]
func.func @linear_no_bias(%x: tensor<?x8x4xf32>) -> tensor<?x8x3xf32> {
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %0 = iq.matmul %x, %w : tensor<?x8x4xf32>, tensor<4x3xf32> -> tensor<?x8x3xf32>
  return %0 : tensor<?x8x3xf32>
}

// -----

// Two linears in a row (feed-forward block).
// CHECK-LABEL: func.func @linear_chain
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<5.000000e-01> : tensor<4x8xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<2.500000e-01> : tensor<8x4xf32>
// CHECK-DAG: %[[B2:.*]] = arith.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK: %[[L1:.*]] = iq.linear %[[X]], %[[W1]], %[[B1]] : tensor<?x4xf32>, tensor<4x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
// CHECK: %[[R:.*]] = iq.relu %[[L1]]
// CHECK: %[[L2:.*]] = iq.linear %[[R]], %[[W2]], %[[B2]] : tensor<?x8xf32>, tensor<8x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK: return %[[L2]]
func.func @linear_chain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w1 = arith.constant dense<0.5> : tensor<4x8xf32>
  %b1 = arith.constant dense<1.0> : tensor<8xf32>
  %w2 = arith.constant dense<0.25> : tensor<8x4xf32>
  %b2 = arith.constant dense<2.0> : tensor<4xf32>
  %0 = iq.matmul %x, %w1 : tensor<?x4xf32>, tensor<4x8xf32> -> tensor<?x8xf32>
  %1 = iq.add %0, %b1 : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %2 = iq.relu %1 : tensor<?x8xf32>
  %3 = iq.matmul %2, %w2 : tensor<?x8xf32>, tensor<8x4xf32> -> tensor<?x4xf32>
  %4 = iq.add %b2, %3 : tensor<4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %4 : tensor<?x4xf32>
}

//===----------------------------------------------------------------------===//
// Look-alikes that must NOT be raised (or whose add must not be folded).
//===----------------------------------------------------------------------===//

// -----

// The weight is not a constant.
// CHECK-LABEL: func.func @not_linear_weight_argument
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[W:.*]]: tensor<4x3xf32>)
// CHECK-NOT: iq.linear
// CHECK: %[[M:.*]] = iq.matmul %[[X]], %[[W]] : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK: %[[A:.*]] = iq.add %[[M]], %{{.*}} : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
// CHECK: return %[[A]]
func.func @not_linear_weight_argument(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %b = arith.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %0 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %1 = iq.add %0, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %1 : tensor<?x3xf32>
}

// -----

// A batched (3-D) constant right operand is not a linear weight.
// CHECK-LABEL: func.func @not_linear_batched_weight
// CHECK-NOT: iq.linear
// CHECK: iq.matmul
// CHECK-NOT: iq.linear
// CHECK: return
func.func @not_linear_batched_weight(%x: tensor<2x5x4xf32>) -> tensor<2x5x3xf32> {
  %w = arith.constant dense<0.5> : tensor<2x4x3xf32>
  %0 = iq.matmul %x, %w : tensor<2x5x4xf32>, tensor<2x4x3xf32> -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// A constant left operand is not a linear (W x, not x W).
// CHECK-LABEL: func.func @not_linear_constant_lhs
// CHECK-NOT: iq.linear
// CHECK: iq.matmul
// CHECK-NOT: iq.linear
// CHECK: return
func.func @not_linear_constant_lhs(%x: tensor<4x?xf32>) -> tensor<3x?xf32> {
  %w = arith.constant dense<0.5> : tensor<3x4xf32>
  %0 = iq.matmul %w, %x : tensor<3x4xf32>, tensor<4x?xf32> -> tensor<3x?xf32>
  return %0 : tensor<3x?xf32>
}

// -----

// Bias of the wrong shape: [1, N], [K], a broadcasting [2, 1, N], and a [1]
// scalar-like bias; none is folded, the matmul still becomes a bias-free
// linear.
// CHECK-LABEL: func.func @not_linear_bias_wrong_shape
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[B2D:.*]] = arith.constant dense<1.000000e+00> : tensor<1x3xf32>
// CHECK-DAG: %[[BB:.*]] = arith.constant dense<1.000000e+00> : tensor<2x1x3xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK-NOT: iq.linear %{{.*}}, %{{.*}}, %
// CHECK: %[[L0:.*]] = iq.linear %[[X]], %{{.*}} : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK: %[[A0:.*]] = iq.add %[[L0]], %[[B2D]] : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
// CHECK: %[[L1:.*]] = iq.linear %[[X]], %{{.*}} : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK: %[[A1:.*]] = iq.add %[[L1]], %[[BB]] : tensor<?x3xf32>, tensor<2x1x3xf32> -> tensor<2x?x3xf32>
// CHECK: %[[L2:.*]] = iq.linear %[[X]], %{{.*}} : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK: %[[A2:.*]] = iq.add %[[L2]], %[[B1]] : tensor<?x3xf32>, tensor<1xf32> -> tensor<?x3xf32>
// CHECK-NOT: iq.linear %{{.*}}, %{{.*}}, %
// CHECK: return %[[A0]], %[[A1]], %[[A2]]
func.func @not_linear_bias_wrong_shape(%x: tensor<?x4xf32>) -> (tensor<?x3xf32>, tensor<2x?x3xf32>, tensor<?x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %b2d = arith.constant dense<1.0> : tensor<1x3xf32>
  %bb = arith.constant dense<1.0> : tensor<2x1x3xf32>
  %b1 = arith.constant dense<1.0> : tensor<1xf32>
  %0 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %1 = iq.add %0, %b2d : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  %2 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %3 = iq.add %2, %bb : tensor<?x3xf32>, tensor<2x1x3xf32> -> tensor<2x?x3xf32>
  %4 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %5 = iq.add %4, %b1 : tensor<?x3xf32>, tensor<1xf32> -> tensor<?x3xf32>
  return %1, %3, %5 : tensor<?x3xf32>, tensor<2x?x3xf32>, tensor<?x3xf32>
}

// -----

// The added value is not a constant (a residual connection).
// CHECK-LABEL: func.func @not_linear_bias_argument
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[R:.*]]: tensor<3xf32>)
// CHECK: %[[L:.*]] = iq.linear %[[X]], %{{.*}} : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK: %[[A:.*]] = iq.add %[[L]], %[[R]] : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
// CHECK: return %[[A]]
func.func @not_linear_bias_argument(%x: tensor<?x4xf32>, %r: tensor<3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %0 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %1 = iq.add %0, %r : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %1 : tensor<?x3xf32>
}

// -----

// The product has another user: the bias add is not folded into it.
// CHECK-LABEL: func.func @not_linear_bias_shared_product
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[L:.*]] = iq.linear %[[X]], %{{.*}} : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK: %[[A:.*]] = iq.add %[[L]], %{{.*}} : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
// CHECK: return %[[A]], %[[L]]
func.func @not_linear_bias_shared_product(%x: tensor<?x4xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %b = arith.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %0 = iq.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %1 = iq.add %0, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %1, %0 : tensor<?x3xf32>, tensor<?x3xf32>
}

// -----

// An existing linear that already has a bias does not take a second one.
// CHECK-LABEL: func.func @not_linear_second_bias
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[W:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[L:.*]] = iq.linear %[[X]], %[[W]], %[[B]]
// CHECK: %[[A:.*]] = iq.add %[[L]], %{{.*}} : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
// CHECK: return %[[A]]
func.func @not_linear_second_bias(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %c = arith.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %0 = iq.linear %x, %w, %b : tensor<?x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %1 = iq.add %0, %c : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %1 : tensor<?x3xf32>
}
