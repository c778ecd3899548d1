// RUN: iqc-opt %s -split-input-file -iq-raise-swish | FileCheck %s

// nn.SiLU as torch exports it: Mul(x, Sigmoid(x)).

// CHECK-LABEL: func.func @swish
// CHECK-SAME: (%[[X:.*]]: tensor<?x144x?xf32>)
// CHECK-NEXT: %[[S:.*]] = iq.swish %[[X]] : tensor<?x144x?xf32>
// CHECK-NEXT: return %[[S]]
func.func @swish(%x: tensor<?x144x?xf32>) -> tensor<?x144x?xf32> {
  %0 = iq.sigmoid %x : tensor<?x144x?xf32>
  %1 = iq.mul %x, %0 : tensor<?x144x?xf32>, tensor<?x144x?xf32> -> tensor<?x144x?xf32>
  return %1 : tensor<?x144x?xf32>
}

// -----

// CHECK-LABEL: func.func @swish_sigmoid_first
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[S:.*]] = iq.swish %[[X]] : tensor<2x8xf32>
// CHECK-NEXT: return %[[S]]
func.func @swish_sigmoid_first(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = iq.sigmoid %x : tensor<2x8xf32>
  %1 = iq.mul %0, %x : tensor<2x8xf32>, tensor<2x8xf32> -> tensor<2x8xf32>
  return %1 : tensor<2x8xf32>
}

// -----

// The sigmoid keeps its other users.
// CHECK-LABEL: func.func @swish_shared_sigmoid
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK: %[[SIG:.*]] = iq.sigmoid %[[X]] : tensor<8xf32>
// CHECK: %[[S:.*]] = iq.swish %[[X]] : tensor<8xf32>
// CHECK: return %[[S]], %[[SIG]]
func.func @swish_shared_sigmoid(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = iq.sigmoid %x : tensor<8xf32>
  %1 = iq.mul %x, %0 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %1, %0 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Swish of a value that is itself a sigmoid: s * sigmoid(s), s = sigmoid(y).
// Both operands of the mul are defined by sigmoids; only the rhs one is
// sigmoid(other operand).
// Regression (fixed): before the fix, RaiseSwishPattern only tries the first sigmoid-defined operand
// (operandDefinedBy picks the lhs) and misses this swish.
// CHECK-LABEL: func.func @swish_of_sigmoid
// CHECK-SAME: (%[[Y:.*]]: tensor<8xf32>)
// CHECK: %[[SY:.*]] = iq.sigmoid %[[Y]] : tensor<8xf32>
// CHECK: %[[S:.*]] = iq.swish %[[SY]] : tensor<8xf32>
// CHECK: return %[[S]]
func.func @swish_of_sigmoid(%y: tensor<8xf32>) -> tensor<8xf32> {
  %s = iq.sigmoid %y : tensor<8xf32>
  %t = iq.sigmoid %s : tensor<8xf32>
  %0 = iq.mul %s, %t : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

//===----------------------------------------------------------------------===//
// Look-alikes that must NOT be raised.
//===----------------------------------------------------------------------===//

// -----

// The sigmoid of a different value (a GLU: a * sigmoid(b)).
// CHECK-LABEL: func.func @not_swish_glu
// CHECK-SAME: (%[[A:.*]]: tensor<?x144xf32>, %[[B:.*]]: tensor<?x144xf32>)
// CHECK-NOT: iq.swish
// CHECK: %[[SIG:.*]] = iq.sigmoid %[[B]]
// CHECK: %[[M0:.*]] = iq.mul %[[A]], %[[SIG]]
// CHECK: %[[M1:.*]] = iq.mul %[[SIG]], %[[A]]
// CHECK-NOT: iq.swish
// CHECK: return %[[M0]], %[[M1]]
func.func @not_swish_glu(%a: tensor<?x144xf32>, %b: tensor<?x144xf32>) -> (tensor<?x144xf32>, tensor<?x144xf32>) {
  %0 = iq.sigmoid %b : tensor<?x144xf32>
  %1 = iq.mul %a, %0 : tensor<?x144xf32>, tensor<?x144xf32> -> tensor<?x144xf32>
  %2 = iq.mul %0, %a : tensor<?x144xf32>, tensor<?x144xf32> -> tensor<?x144xf32>
  return %1, %2 : tensor<?x144xf32>, tensor<?x144xf32>
}

// -----

// sigmoid(x) * sigmoid(x) is not swish.
// CHECK-LABEL: func.func @not_swish_sigmoid_squared
// CHECK-NOT: iq.swish
// CHECK: iq.mul
// CHECK-NOT: iq.swish
// CHECK: return
func.func @not_swish_sigmoid_squared(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = iq.sigmoid %x : tensor<8xf32>
  %1 = iq.mul %0, %0 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// x * tanh(x) is not swish.
// CHECK-LABEL: func.func @not_swish_tanh
// CHECK-NOT: iq.swish
// CHECK: iq.mul
// CHECK-NOT: iq.swish
// CHECK: return
func.func @not_swish_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = iq.tanh %x : tensor<8xf32>
  %1 = iq.mul %x, %0 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// A broadcasting mul: y * sigmoid(x) with y a broadcast of x's values to a
// larger shape is not x * sigmoid(x).
// CHECK-LABEL: func.func @not_swish_broadcasting
// CHECK-NOT: iq.swish
// CHECK: iq.mul %{{.*}}, %{{.*}} : tensor<3x8xf32>, tensor<8xf32> -> tensor<3x8xf32>
// CHECK-NOT: iq.swish
// CHECK: return
func.func @not_swish_broadcasting(%x: tensor<8xf32>, %y: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %0 = iq.sigmoid %x : tensor<8xf32>
  %1 = iq.mul %y, %0 : tensor<3x8xf32>, tensor<8xf32> -> tensor<3x8xf32>
  return %1 : tensor<3x8xf32>
}
