// RUN: iqc-opt %s -canonicalize -split-input-file | FileCheck %s

// Folders of the iq ops. An identity operand folds away only when the other
// operand already has the result type, i.e. when broadcasting does not change
// the type.

// CHECK-LABEL: func.func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-NOT: iq.add
// CHECK: return %[[X]], %[[X]] : tensor<?x4xf32>, tensor<?x4xf32>
func.func @add_zero(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %0 = iq.add %x, %zero : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %1 = iq.add %zero, %x : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// A splat zero of the same shape, and of a broadcastable shape of size-1
// dims that leaves the type unchanged.
// CHECK-LABEL: func.func @add_zero_same_shape
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[Y:.*]]: tensor<?x4xf32>)
// CHECK-NOT: iq.add
// CHECK: return %[[X]], %[[Y]] : tensor<2x4xf32>, tensor<?x4xf32>
func.func @add_zero_same_shape(%x: tensor<2x4xf32>, %y: tensor<?x4xf32>) -> (tensor<2x4xf32>, tensor<?x4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<2x4xf32>
  %zero1 = arith.constant dense<0.0> : tensor<1x1xf32>
  %0 = iq.add %x, %zero : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %1 = iq.add %zero1, %y : tensor<1x1xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %0, %1 : tensor<2x4xf32>, tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @add_zero_int
// CHECK-SAME: (%[[X:.*]]: tensor<8xi32>)
// CHECK-NOT: iq.add
// CHECK: return %[[X]]
func.func @add_zero_int(%x: tensor<8xi32>) -> tensor<8xi32> {
  %zero = arith.constant dense<0> : tensor<i32>
  %0 = iq.add %zero, %x : tensor<i32>, tensor<8xi32> -> tensor<8xi32>
  return %0 : tensor<8xi32>
}

// -----

// NEGATIVE: the zero broadcasts the operand to a larger shape.
// CHECK-LABEL: func.func @add_zero_broadcasting
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[Z24:.*]] = arith.constant dense<0.000000e+00> : tensor<2x4xf32>
// CHECK-DAG: %[[Z314:.*]] = arith.constant dense<0.000000e+00> : tensor<3x1x4xf32>
// CHECK-DAG: %[[Z34:.*]] = arith.constant dense<0.000000e+00> : tensor<3x4xf32>
// CHECK: %[[A0:.*]] = iq.add %[[X]], %[[Z24]] : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
// Constants move to the right of commutative ops.
// CHECK: %[[A1:.*]] = iq.add %[[Y]], %[[Z314]] : tensor<?x4xf32>, tensor<3x1x4xf32> -> tensor<3x?x4xf32>
// CHECK: %[[A2:.*]] = iq.add %[[Y]], %[[Z34]] : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
// CHECK: return %[[A0]], %[[A1]], %[[A2]]
func.func @add_zero_broadcasting(%x: tensor<4xf32>, %y: tensor<?x4xf32>) -> (tensor<2x4xf32>, tensor<3x?x4xf32>, tensor<3x4xf32>) {
  %z24 = arith.constant dense<0.0> : tensor<2x4xf32>
  %z314 = arith.constant dense<0.0> : tensor<3x1x4xf32>
  %z34 = arith.constant dense<0.0> : tensor<3x4xf32>
  %0 = iq.add %x, %z24 : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %1 = iq.add %z314, %y : tensor<3x1x4xf32>, tensor<?x4xf32> -> tensor<3x?x4xf32>
  // `?` against a static 3 refines the type: not the operand's type.
  %2 = iq.add %y, %z34 : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<3x?x4xf32>, tensor<3x4xf32>
}

// -----

// NEGATIVE: the constant is not zero, or not a splat.
// CHECK-LABEL: func.func @add_not_zero
// CHECK-COUNT-2: iq.add
// CHECK: return
func.func @add_not_zero(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %mixed = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = iq.add %x, %one : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %1 = iq.add %x, %mixed : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @sub_zero
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ZERO2:.*]] = arith.constant dense<0.000000e+00> : tensor<2x1xf32>
// The zero on the left is x - 0 only when it is on the right.
// CHECK: %[[NEG:.*]] = iq.sub %[[ZERO]], %[[X]] : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
// Broadcasting subtraction is kept.
// CHECK: %[[B:.*]] = iq.sub %[[X]], %[[ZERO2]] : tensor<?x4xf32>, tensor<2x1xf32> -> tensor<2x4xf32>
// CHECK: return %[[X]], %[[NEG]], %[[B]]
func.func @sub_zero(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<2x4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %zero2 = arith.constant dense<0.0> : tensor<2x1xf32>
  %0 = iq.sub %x, %zero : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %1 = iq.sub %zero, %x : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %2 = iq.sub %x, %zero2 : tensor<?x4xf32>, tensor<2x1xf32> -> tensor<2x4xf32>
  return %0, %1, %2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>, %[[I:.*]]: tensor<3xi64>)
// CHECK-NOT: iq.mul
// CHECK: return %[[X]], %[[X]], %[[I]]
func.func @mul_one(%x: tensor<?x?x256xf32>, %i: tensor<3xi64>) -> (tensor<?x?x256xf32>, tensor<?x?x256xf32>, tensor<3xi64>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %ones = arith.constant dense<1.0> : tensor<256xf32>
  %ione = arith.constant dense<1> : tensor<i64>
  %0 = iq.mul %x, %one : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %1 = iq.mul %ones, %x : tensor<256xf32>, tensor<?x?x256xf32> -> tensor<?x?x256xf32>
  %2 = iq.mul %i, %ione : tensor<3xi64>, tensor<i64> -> tensor<3xi64>
  return %0, %1, %2 : tensor<?x?x256xf32>, tensor<?x?x256xf32>, tensor<3xi64>
}

// -----

// NEGATIVE: broadcasting multiplications by one, and multiplication by a
// value other than one.
// CHECK-LABEL: func.func @mul_one_broadcasting
// CHECK-SAME: (%[[X:.*]]: tensor<256xf32>, %[[Y:.*]]: tensor<?x1xf32>)
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<4x256xf32>
// CHECK-DAG: %[[ONES8:.*]] = arith.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : tensor<f32>
// CHECK: %[[M0:.*]] = iq.mul %[[X]], %[[ONES]] : tensor<256xf32>, tensor<4x256xf32> -> tensor<4x256xf32>
// CHECK: %[[M1:.*]] = iq.mul %[[Y]], %[[ONES8]] : tensor<?x1xf32>, tensor<8xf32> -> tensor<?x8xf32>
// CHECK: %[[M2:.*]] = iq.mul %[[X]], %[[TWO]] : tensor<256xf32>, tensor<f32> -> tensor<256xf32>
// CHECK: return %[[M0]], %[[M1]], %[[M2]]
func.func @mul_one_broadcasting(%x: tensor<256xf32>, %y: tensor<?x1xf32>) -> (tensor<4x256xf32>, tensor<?x8xf32>, tensor<256xf32>) {
  %ones = arith.constant dense<1.0> : tensor<4x256xf32>
  %ones8 = arith.constant dense<1.0> : tensor<8xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %0 = iq.mul %ones, %x : tensor<4x256xf32>, tensor<256xf32> -> tensor<4x256xf32>
  %1 = iq.mul %y, %ones8 : tensor<?x1xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %2 = iq.mul %x, %two : tensor<256xf32>, tensor<f32> -> tensor<256xf32>
  return %0, %1, %2 : tensor<4x256xf32>, tensor<?x8xf32>, tensor<256xf32>
}

// -----

// CHECK-LABEL: func.func @div_one
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<3x1x4xf32>
// 1 / x is not x.
// CHECK: %[[RECIP:.*]] = iq.div %[[ONE]], %[[X]] : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
// NEGATIVE: broadcasting division by one.
// CHECK: %[[B:.*]] = iq.div %[[X]], %[[ONES]] : tensor<?x4xf32>, tensor<3x1x4xf32> -> tensor<3x?x4xf32>
// CHECK: return %[[X]], %[[RECIP]], %[[B]], %[[I]]
func.func @div_one(%x: tensor<?x4xf32>, %i: tensor<4xi32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<3x?x4xf32>, tensor<4xi32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %ones = arith.constant dense<1.0> : tensor<3x1x4xf32>
  %ione = arith.constant dense<1> : tensor<1xi32>
  %0 = iq.div %x, %one : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %1 = iq.div %one, %x : tensor<f32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %2 = iq.div %x, %ones : tensor<?x4xf32>, tensor<3x1x4xf32> -> tensor<3x?x4xf32>
  %3 = iq.div %i, %ione : tensor<4xi32>, tensor<1xi32> -> tensor<4xi32>
  return %0, %1, %2, %3 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<3x?x4xf32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @pow_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x?xf32>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<5x1x1xf32>
// 1^x is not x.
// CHECK: %[[P0:.*]] = iq.pow %[[ONE]], %[[X]] : tensor<f32>, tensor<2x?xf32> -> tensor<2x?xf32>
// CHECK: %[[P1:.*]] = iq.pow %[[X]], %[[TWO]] : tensor<2x?xf32>, tensor<f32> -> tensor<2x?xf32>
// NEGATIVE: broadcasting pow by one.
// CHECK: %[[P2:.*]] = iq.pow %[[X]], %[[ONES]] : tensor<2x?xf32>, tensor<5x1x1xf32> -> tensor<5x2x?xf32>
// CHECK: return %[[X]], %[[P0]], %[[P1]], %[[P2]]
func.func @pow_one(%x: tensor<2x?xf32>) -> (tensor<2x?xf32>, tensor<2x?xf32>, tensor<2x?xf32>, tensor<5x2x?xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %ones = arith.constant dense<1.0> : tensor<5x1x1xf32>
  %0 = iq.pow %x, %one : tensor<2x?xf32>, tensor<f32> -> tensor<2x?xf32>
  %1 = iq.pow %one, %x : tensor<f32>, tensor<2x?xf32> -> tensor<2x?xf32>
  %2 = iq.pow %x, %two : tensor<2x?xf32>, tensor<f32> -> tensor<2x?xf32>
  %3 = iq.pow %x, %ones : tensor<2x?xf32>, tensor<5x1x1xf32> -> tensor<5x2x?xf32>
  return %0, %1, %2, %3 : tensor<2x?xf32>, tensor<2x?xf32>, tensor<2x?xf32>, tensor<5x2x?xf32>
}

// -----

// i1 tensors have no additive/multiplicative identity folding.
// CHECK-LABEL: func.func @i1_not_folded
// CHECK: iq.add
// CHECK: iq.mul
func.func @i1_not_folded(%m: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>) {
  %f = arith.constant dense<false> : tensor<i1>
  %t = arith.constant dense<true> : tensor<i1>
  %0 = iq.add %m, %f : tensor<4xi1>, tensor<i1> -> tensor<4xi1>
  %1 = iq.mul %m, %t : tensor<4xi1>, tensor<i1> -> tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// -----

// NEGATIVE: 2^64 is not zero, although its low 64 bits are.
// Regression (fixed): before the fix, isSplatOf() in IQOps.cpp compares APInt::getSExtValue(), which is only
// defined for values of at most 64 significant bits; x + 2^64 folds to x.
// CHECK-LABEL: func.func @add_wide_int_not_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4xi128>)
// CHECK: %[[C:.*]] = arith.constant dense<18446744073709551616> : tensor<i128>
// CHECK: %[[A:.*]] = iq.add %[[X]], %[[C]] : tensor<4xi128>, tensor<i128> -> tensor<4xi128>
// CHECK: return %[[A]]
func.func @add_wide_int_not_zero(%x: tensor<4xi128>) -> tensor<4xi128> {
  %c = arith.constant dense<18446744073709551616> : tensor<i128>
  %0 = iq.add %x, %c : tensor<4xi128>, tensor<i128> -> tensor<4xi128>
  return %0 : tensor<4xi128>
}

// -----

// CHECK-LABEL: func.func @neg_neg
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NOT: iq.neg
// CHECK: return %[[X]], %[[I]]
func.func @neg_neg(%x: tensor<?x4xf32>, %i: tensor<4xi32>) -> (tensor<?x4xf32>, tensor<4xi32>) {
  %0 = iq.neg %x : tensor<?x4xf32>
  %1 = iq.neg %0 : tensor<?x4xf32>
  %2 = iq.neg %i : tensor<4xi32>
  %3 = iq.neg %2 : tensor<4xi32>
  return %1, %3 : tensor<?x4xf32>, tensor<4xi32>
}

// -----

// Three negations leave one; a single negation stays.
// CHECK-LABEL: func.func @neg_odd
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[N0:.*]] = iq.neg %[[X]] : tensor<4xf32>
// CHECK: %[[N1:.*]] = iq.neg %[[X]] : tensor<4xf32>
// CHECK-NOT: iq.neg
// CHECK: return %[[N0]], %[[N1]]
func.func @neg_odd(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = iq.neg %x : tensor<4xf32>
  %1 = iq.neg %0 : tensor<4xf32>
  %2 = iq.neg %1 : tensor<4xf32>
  return %0, %2 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @not_not
// CHECK-SAME: (%[[M:.*]]: tensor<?x4xi1>)
// CHECK: %[[N:.*]] = iq.not %[[M]] : tensor<?x4xi1>
// CHECK-NOT: iq.not
// CHECK: return %[[M]], %[[N]]
func.func @not_not(%m: tensor<?x4xi1>) -> (tensor<?x4xi1>, tensor<?x4xi1>) {
  %0 = iq.not %m : tensor<?x4xi1>
  %1 = iq.not %0 : tensor<?x4xi1>
  %2 = iq.not %1 : tensor<?x4xi1>
  return %1, %2 : tensor<?x4xi1>, tensor<?x4xi1>
}

// -----

// CHECK-LABEL: func.func @cast_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[I:.*]]: tensor<3xi64>)
// CHECK-NOT: iq.cast
// CHECK: return %[[X]], %[[I]]
func.func @cast_same_type(%x: tensor<?x4xf32>, %i: tensor<3xi64>) -> (tensor<?x4xf32>, tensor<3xi64>) {
  %0 = iq.cast %x : tensor<?x4xf32> -> tensor<?x4xf32>
  %1 = iq.cast %i : tensor<3xi64> -> tensor<3xi64>
  return %0, %1 : tensor<?x4xf32>, tensor<3xi64>
}

// -----

// NEGATIVE: casts that change the element type, and a cast that only refines
// a dynamic dimension, are kept; a round trip through another type is not an
// identity (f32 -> i32 truncates).
// CHECK-LABEL: func.func @cast_not_folded
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[I:.*]] = iq.cast %[[X]] : tensor<?x4xf32> -> tensor<?x4xi32>
// CHECK: %[[F:.*]] = iq.cast %[[I]] : tensor<?x4xi32> -> tensor<?x4xf32>
// CHECK: %[[S:.*]] = iq.cast %[[X]] : tensor<?x4xf32> -> tensor<2x4xf32>
// CHECK: return %[[F]], %[[S]]
func.func @cast_not_folded(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<2x4xf32>) {
  %0 = iq.cast %x : tensor<?x4xf32> -> tensor<?x4xi32>
  %1 = iq.cast %0 : tensor<?x4xi32> -> tensor<?x4xf32>
  %2 = iq.cast %x : tensor<?x4xf32> -> tensor<2x4xf32>
  return %1, %2 : tensor<?x4xf32>, tensor<2x4xf32>
}

// -----

// Folding composes: (x * 1 + 0) / 1 - 0 is x.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>)
// CHECK-NOT: iq.
// CHECK: return %[[X]]
func.func @chain(%x: tensor<?x?x256xf32>) -> tensor<?x?x256xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %0 = iq.mul %x, %one : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %1 = iq.add %0, %zero : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %2 = iq.div %1, %one : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %3 = iq.sub %2, %zero : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  %4 = iq.pow %3, %one : tensor<?x?x256xf32>, tensor<f32> -> tensor<?x?x256xf32>
  return %4 : tensor<?x?x256xf32>
}
