// RUN: iqc-opt %s | iqc-opt | FileCheck %s
// RUN: iqc-opt %s -mlir-print-op-generic | iqc-opt | FileCheck %s

// Round-trip of the custom assembly of every iq op.

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary_static
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<2x1x4xf32>)
func.func @binary_static(%a: tensor<2x3x4xf32>, %b: tensor<4xf32>, %c: tensor<2x1x4xf32>) -> tensor<2x3x4xf32> {
  // CHECK: %[[ADD:.*]] = iq.add %[[A]], %[[B]] : tensor<2x3x4xf32>, tensor<4xf32> -> tensor<2x3x4xf32>
  %0 = iq.add %a, %b : tensor<2x3x4xf32>, tensor<4xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[SUB:.*]] = iq.sub %[[ADD]], %[[C]] : tensor<2x3x4xf32>, tensor<2x1x4xf32> -> tensor<2x3x4xf32>
  %1 = iq.sub %0, %c : tensor<2x3x4xf32>, tensor<2x1x4xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[MUL:.*]] = iq.mul %[[B]], %[[SUB]] : tensor<4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %2 = iq.mul %b, %1 : tensor<4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[DIV:.*]] = iq.div %[[MUL]], %[[C]] : tensor<2x3x4xf32>, tensor<2x1x4xf32> -> tensor<2x3x4xf32>
  %3 = iq.div %2, %c : tensor<2x3x4xf32>, tensor<2x1x4xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[POW:.*]] = iq.pow %[[DIV]], %[[B]] : tensor<2x3x4xf32>, tensor<4xf32> -> tensor<2x3x4xf32>
  %4 = iq.pow %3, %b : tensor<2x3x4xf32>, tensor<4xf32> -> tensor<2x3x4xf32>
  // CHECK: return %[[POW]]
  return %4 : tensor<2x3x4xf32>
}

// Broadcasting of 1 against a larger size, on both sides, and a 0-D operand.
// CHECK-LABEL: func.func @binary_broadcast_both
// CHECK-SAME: (%[[A:.*]]: tensor<3x1xf32>, %[[B:.*]]: tensor<1x5xf32>, %[[S:.*]]: tensor<f32>)
func.func @binary_broadcast_both(%a: tensor<3x1xf32>, %b: tensor<1x5xf32>, %s: tensor<f32>) -> tensor<3x5xf32> {
  // CHECK: %[[M:.*]] = iq.mul %[[A]], %[[B]] : tensor<3x1xf32>, tensor<1x5xf32> -> tensor<3x5xf32>
  %0 = iq.mul %a, %b : tensor<3x1xf32>, tensor<1x5xf32> -> tensor<3x5xf32>
  // CHECK: %[[R:.*]] = iq.add %[[S]], %[[M]] : tensor<f32>, tensor<3x5xf32> -> tensor<3x5xf32>
  %1 = iq.add %s, %0 : tensor<f32>, tensor<3x5xf32> -> tensor<3x5xf32>
  // CHECK: return %[[R]]
  return %1 : tensor<3x5xf32>
}

// Dynamic dims: `?` against 1 stays `?`, `?` against a static size > 1 takes
// the static size, `?` against `?` stays `?`.
// CHECK-LABEL: func.func @binary_dynamic
// CHECK-SAME: (%[[A:.*]]: tensor<?x?x256xf32>, %[[B:.*]]: tensor<?x1x256xf32>, %[[C:.*]]: tensor<4x?x1xf32>)
func.func @binary_dynamic(%a: tensor<?x?x256xf32>, %b: tensor<?x1x256xf32>, %c: tensor<4x?x1xf32>) -> tensor<4x?x256xf32> {
  // CHECK: %[[S:.*]] = iq.sub %[[A]], %[[B]] : tensor<?x?x256xf32>, tensor<?x1x256xf32> -> tensor<?x?x256xf32>
  %0 = iq.sub %a, %b : tensor<?x?x256xf32>, tensor<?x1x256xf32> -> tensor<?x?x256xf32>
  // CHECK: %[[D:.*]] = iq.div %[[S]], %[[C]] : tensor<?x?x256xf32>, tensor<4x?x1xf32> -> tensor<4x?x256xf32>
  %1 = iq.div %0, %c : tensor<?x?x256xf32>, tensor<4x?x1xf32> -> tensor<4x?x256xf32>
  // CHECK: return %[[D]]
  return %1 : tensor<4x?x256xf32>
}

// Integer and quantized element types.
// CHECK-LABEL: func.func @binary_int_quant
// CHECK-SAME: (%[[A:.*]]: tensor<8xi32>, %[[B:.*]]: tensor<i32>, %[[Q:.*]]: tensor<?x8x!quant.uniform<i8:f32, 5.000000e-02:-3>>)
func.func @binary_int_quant(%a: tensor<8xi32>, %b: tensor<i32>, %q: tensor<?x8x!quant.uniform<i8:f32, 0.05:-3>>) -> (tensor<8xi32>, tensor<?x8x!quant.uniform<i8:f32, 0.05:-3>>) {
  // CHECK: %[[D:.*]] = iq.div %[[A]], %[[B]] : tensor<8xi32>, tensor<i32> -> tensor<8xi32>
  %0 = iq.div %a, %b : tensor<8xi32>, tensor<i32> -> tensor<8xi32>
  // CHECK: %[[QA:.*]] = iq.add %[[Q]], %[[Q]] : tensor<?x8x!quant.uniform<i8:f32, 5.000000e-02:-3>>, tensor<?x8x!quant.uniform<i8:f32, 5.000000e-02:-3>> -> tensor<?x8x!quant.uniform<i8:f32, 5.000000e-02:-3>>
  %1 = iq.add %q, %q : tensor<?x8x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x8x!quant.uniform<i8:f32, 0.05:-3>> -> tensor<?x8x!quant.uniform<i8:f32, 0.05:-3>>
  // CHECK: return %[[D]], %[[QA]]
  return %0, %1 : tensor<8xi32>, tensor<?x8x!quant.uniform<i8:f32, 0.05:-3>>
}

// CHECK-LABEL: func.func @cmp
// CHECK-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<2xi64>)
func.func @cmp(%a: tensor<?x4xf32>, %b: tensor<4xf32>, %i: tensor<2xi64>) -> (tensor<?x4xi1>, tensor<?x4xi1>, tensor<?x4xi1>, tensor<?x4xi1>, tensor<?x4xi1>, tensor<2xi1>) {
  // CHECK: %[[EQ:.*]] = iq.cmp{{ +}}eq, %[[A]], %[[B]] : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xi1>
  %0 = iq.cmp eq, %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xi1>
  // CHECK: %[[LT:.*]] = iq.cmp{{ +}}lt, %[[A]], %[[B]] : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xi1>
  %1 = iq.cmp lt, %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xi1>
  // CHECK: %[[LE:.*]] = iq.cmp{{ +}}le, %[[B]], %[[A]] : tensor<4xf32>, tensor<?x4xf32> -> tensor<?x4xi1>
  %2 = iq.cmp le, %b, %a : tensor<4xf32>, tensor<?x4xf32> -> tensor<?x4xi1>
  // CHECK: %[[GT:.*]] = iq.cmp{{ +}}gt, %[[A]], %[[A]] : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xi1>
  %3 = iq.cmp gt, %a, %a : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xi1>
  // CHECK: %[[GE:.*]] = iq.cmp{{ +}}ge, %[[A]], %[[B]] : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xi1>
  %4 = iq.cmp ge, %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xi1>
  // CHECK: %[[IEQ:.*]] = iq.cmp{{ +}}eq, %[[I]], %[[I]] : tensor<2xi64>, tensor<2xi64> -> tensor<2xi1>
  %5 = iq.cmp eq, %i, %i : tensor<2xi64>, tensor<2xi64> -> tensor<2xi1>
  // CHECK: return %[[EQ]], %[[LT]], %[[LE]], %[[GT]], %[[GE]], %[[IEQ]]
  return %0, %1, %2, %3, %4, %5 : tensor<?x4xi1>, tensor<?x4xi1>, tensor<?x4xi1>, tensor<?x4xi1>, tensor<?x4xi1>, tensor<2xi1>
}

// CHECK-LABEL: func.func @select
// CHECK-SAME: (%[[C:.*]]: tensor<?x1xi1>, %[[T:.*]]: tensor<4xf32>, %[[F:.*]]: tensor<f32>)
func.func @select(%c: tensor<?x1xi1>, %t: tensor<4xf32>, %f: tensor<f32>) -> tensor<?x4xf32> {
  // CHECK: %[[R:.*]] = iq.select %[[C]], %[[T]], %[[F]] : tensor<?x1xi1>, tensor<4xf32>, tensor<f32> -> tensor<?x4xf32>
  %0 = iq.select %c, %t, %f : tensor<?x1xi1>, tensor<4xf32>, tensor<f32> -> tensor<?x4xf32>
  // CHECK: return %[[R]]
  return %0 : tensor<?x4xf32>
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary_float
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>)
func.func @unary_float(%x: tensor<?x?x256xf32>) -> tensor<?x?x256xf32> {
  // CHECK: %[[SQRT:.*]] = iq.sqrt %[[X]] : tensor<?x?x256xf32>
  %0 = iq.sqrt %x : tensor<?x?x256xf32>
  // CHECK: %[[ERF:.*]] = iq.erf %[[SQRT]] : tensor<?x?x256xf32>
  %1 = iq.erf %0 : tensor<?x?x256xf32>
  // CHECK: %[[TANH:.*]] = iq.tanh %[[ERF]] : tensor<?x?x256xf32>
  %2 = iq.tanh %1 : tensor<?x?x256xf32>
  // CHECK: %[[SIG:.*]] = iq.sigmoid %[[TANH]] : tensor<?x?x256xf32>
  %3 = iq.sigmoid %2 : tensor<?x?x256xf32>
  // CHECK: %[[EXP:.*]] = iq.exp %[[SIG]] : tensor<?x?x256xf32>
  %4 = iq.exp %3 : tensor<?x?x256xf32>
  // CHECK: %[[RELU:.*]] = iq.relu %[[EXP]] : tensor<?x?x256xf32>
  %5 = iq.relu %4 : tensor<?x?x256xf32>
  // CHECK: %[[ABS:.*]] = iq.abs %[[RELU]] : tensor<?x?x256xf32>
  %6 = iq.abs %5 : tensor<?x?x256xf32>
  // CHECK: %[[NEG:.*]] = iq.neg %[[ABS]] : tensor<?x?x256xf32>
  %7 = iq.neg %6 : tensor<?x?x256xf32>
  // CHECK: %[[GELU:.*]] = iq.gelu %[[NEG]] : tensor<?x?x256xf32>
  %8 = iq.gelu %7 : tensor<?x?x256xf32>
  // CHECK: %[[SWISH:.*]] = iq.swish %[[GELU]] : tensor<?x?x256xf32>
  %9 = iq.swish %8 : tensor<?x?x256xf32>
  // CHECK: return %[[SWISH]]
  return %9 : tensor<?x?x256xf32>
}

// relu/abs/neg accept any element type, including quantized ones.
// CHECK-LABEL: func.func @unary_int_quant
// CHECK-SAME: (%[[I:.*]]: tensor<4xi32>, %[[Q:.*]]: tensor<?x4x!quant.uniform<i8:f32, 1.000000e-01>>, %[[H:.*]]: tensor<2xf16>)
func.func @unary_int_quant(%i: tensor<4xi32>, %q: tensor<?x4x!quant.uniform<i8:f32, 0.1>>, %h: tensor<2xf16>) -> (tensor<4xi32>, tensor<?x4x!quant.uniform<i8:f32, 0.1>>, tensor<2xf16>) {
  // CHECK: %[[ABS:.*]] = iq.abs %[[I]] : tensor<4xi32>
  %0 = iq.abs %i : tensor<4xi32>
  // CHECK: %[[NEG:.*]] = iq.neg %[[ABS]] : tensor<4xi32>
  %1 = iq.neg %0 : tensor<4xi32>
  // CHECK: %[[RELU:.*]] = iq.relu %[[Q]] : tensor<?x4x!quant.uniform<i8:f32, 1.000000e-01>>
  %2 = iq.relu %q : tensor<?x4x!quant.uniform<i8:f32, 0.1>>
  // CHECK: %[[GELU:.*]] = iq.gelu %[[H]] : tensor<2xf16>
  %3 = iq.gelu %h : tensor<2xf16>
  // CHECK: return %[[NEG]], %[[RELU]], %[[GELU]]
  return %1, %2, %3 : tensor<4xi32>, tensor<?x4x!quant.uniform<i8:f32, 0.1>>, tensor<2xf16>
}

// CHECK-LABEL: func.func @not
// CHECK-SAME: (%[[M:.*]]: tensor<?x4xi1>)
func.func @not(%m: tensor<?x4xi1>) -> tensor<?x4xi1> {
  // CHECK: %[[N:.*]] = iq.not %[[M]] : tensor<?x4xi1>
  %0 = iq.not %m : tensor<?x4xi1>
  // CHECK: return %[[N]]
  return %0 : tensor<?x4xi1>
}

// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[F:.*]]: tensor<?x4xf32>, %[[I:.*]]: tensor<3xi64>)
func.func @cast(%f: tensor<?x4xf32>, %i: tensor<3xi64>) -> (tensor<?x4xi32>, tensor<?x4xi1>, tensor<3xf16>, tensor<?x4xf32>, tensor<3xi8>) {
  // CHECK: %[[C0:.*]] = iq.cast %[[F]] : tensor<?x4xf32> -> tensor<?x4xi32>
  %0 = iq.cast %f : tensor<?x4xf32> -> tensor<?x4xi32>
  // CHECK: %[[C1:.*]] = iq.cast %[[F]] : tensor<?x4xf32> -> tensor<?x4xi1>
  %1 = iq.cast %f : tensor<?x4xf32> -> tensor<?x4xi1>
  // CHECK: %[[C2:.*]] = iq.cast %[[I]] : tensor<3xi64> -> tensor<3xf16>
  %2 = iq.cast %i : tensor<3xi64> -> tensor<3xf16>
  // CHECK: %[[C3:.*]] = iq.cast %[[C1]] : tensor<?x4xi1> -> tensor<?x4xf32>
  %3 = iq.cast %1 : tensor<?x4xi1> -> tensor<?x4xf32>
  // CHECK: %[[C4:.*]] = iq.cast %[[I]] : tensor<3xi64> -> tensor<3xi8>
  %4 = iq.cast %i : tensor<3xi64> -> tensor<3xi8>
  // CHECK: return %[[C0]], %[[C1]], %[[C2]], %[[C3]], %[[C4]]
  return %0, %1, %2, %3, %4 : tensor<?x4xi32>, tensor<?x4xi1>, tensor<3xf16>, tensor<?x4xf32>, tensor<3xi8>
}

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>, %[[I:.*]]: tensor<2x3x4xi32>)
func.func @reduce(%x: tensor<?x?x256xf32>, %i: tensor<2x3x4xi32>) -> (tensor<?x?x1xf32>, tensor<?xf32>, tensor<1x3x1xi32>, tensor<i32>, tensor<2x4xi32>) {
  // CHECK: %[[M0:.*]] = iq.reduce_mean %[[X]] along [2] keep_dims : tensor<?x?x256xf32> -> tensor<?x?x1xf32>
  %0 = iq.reduce_mean %x along [2] keep_dims : tensor<?x?x256xf32> -> tensor<?x?x1xf32>
  // CHECK: %[[M1:.*]] = iq.reduce_mean %[[X]] along [1, 2] : tensor<?x?x256xf32> -> tensor<?xf32>
  %1 = iq.reduce_mean %x along [1, 2] : tensor<?x?x256xf32> -> tensor<?xf32>
  // CHECK: %[[S0:.*]] = iq.reduce_sum %[[I]] along [0, 2] keep_dims : tensor<2x3x4xi32> -> tensor<1x3x1xi32>
  %2 = iq.reduce_sum %i along [0, 2] keep_dims : tensor<2x3x4xi32> -> tensor<1x3x1xi32>
  // CHECK: %[[S1:.*]] = iq.reduce_sum %[[I]] along [0, 1, 2] : tensor<2x3x4xi32> -> tensor<i32>
  %3 = iq.reduce_sum %i along [0, 1, 2] : tensor<2x3x4xi32> -> tensor<i32>
  // CHECK: %[[S2:.*]] = iq.reduce_sum %[[I]] along [1] : tensor<2x3x4xi32> -> tensor<2x4xi32>
  %4 = iq.reduce_sum %i along [1] : tensor<2x3x4xi32> -> tensor<2x4xi32>
  // CHECK: return %[[M0]], %[[M1]], %[[S0]], %[[S1]], %[[S2]]
  return %0, %1, %2, %3, %4 : tensor<?x?x1xf32>, tensor<?xf32>, tensor<1x3x1xi32>, tensor<i32>, tensor<2x4xi32>
}

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x?x?xf32>)
func.func @softmax(%x: tensor<?x4x?x?xf32>) -> (tensor<?x4x?x?xf32>, tensor<?x4x?x?xf32>) {
  // CHECK: %[[S3:.*]] = iq.softmax %[[X]] axis = 3 : tensor<?x4x?x?xf32>
  %0 = iq.softmax %x axis = 3 : tensor<?x4x?x?xf32>
  // CHECK: %[[S0:.*]] = iq.softmax %[[X]] axis = 0 : tensor<?x4x?x?xf32>
  %1 = iq.softmax %x axis = 0 : tensor<?x4x?x?xf32>
  // CHECK: return %[[S3]], %[[S0]]
  return %0, %1 : tensor<?x4x?x?xf32>, tensor<?x4x?x?xf32>
}

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>, %[[G:.*]]: tensor<256xf32>, %[[B:.*]]: tensor<256xf32>, %[[G2:.*]]: tensor<?x256xf32>)
func.func @layer_norm(%x: tensor<?x?x256xf32>, %g: tensor<256xf32>, %b: tensor<256xf32>, %g2: tensor<?x256xf32>) -> (tensor<?x?x256xf32>, tensor<?x?x256xf32>, tensor<?x?x256xf32>) {
  // CHECK: %[[L0:.*]] = iq.layer_norm %[[X]], %[[G]], %[[B]] axis = 2 epsilon = 9.99999974E-6 : tensor<?x?x256xf32>, tensor<256xf32>, tensor<256xf32> -> tensor<?x?x256xf32>
  %0 = iq.layer_norm %x, %g, %b axis = 2 epsilon = 1.0e-5 : tensor<?x?x256xf32>, tensor<256xf32>, tensor<256xf32> -> tensor<?x?x256xf32>
  // CHECK: %[[L1:.*]] = iq.layer_norm %[[X]], %[[G]] axis = 2 epsilon = 9.99999996E-13 : tensor<?x?x256xf32>, tensor<256xf32> -> tensor<?x?x256xf32>
  %1 = iq.layer_norm %x, %g axis = 2 epsilon = 1.0e-12 : tensor<?x?x256xf32>, tensor<256xf32> -> tensor<?x?x256xf32>
  // CHECK: %[[L2:.*]] = iq.layer_norm %[[X]], %[[G2]] axis = 1 epsilon = 0.000000e+00 : tensor<?x?x256xf32>, tensor<?x256xf32> -> tensor<?x?x256xf32>
  %2 = iq.layer_norm %x, %g2 axis = 1 epsilon = 0.0 : tensor<?x?x256xf32>, tensor<?x256xf32> -> tensor<?x?x256xf32>
  // CHECK: return %[[L0]], %[[L1]], %[[L2]]
  return %0, %1, %2 : tensor<?x?x256xf32>, tensor<?x?x256xf32>, tensor<?x?x256xf32>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x16x?xf32>, %[[S:.*]]: tensor<16xf32>, %[[B:.*]]: tensor<16xf32>, %[[M:.*]]: tensor<16xf32>, %[[V:.*]]: tensor<16xf32>)
func.func @batch_norm(%x: tensor<?x16x?xf32>, %s: tensor<16xf32>, %b: tensor<16xf32>, %m: tensor<16xf32>, %v: tensor<16xf32>) -> tensor<?x16x?xf32> {
  // CHECK: %[[R:.*]] = iq.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] epsilon = 1.000000e-03 : tensor<?x16x?xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<?x16x?xf32>
  %0 = iq.batch_norm %x, %s, %b, %m, %v epsilon = 1.0e-3 : tensor<?x16x?xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<?x16x?xf32>
  // CHECK: return %[[R]]
  return %0 : tensor<?x16x?xf32>
}

//===----------------------------------------------------------------------===//
// Contractions and convolution
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<?x?x64xf32>, %[[W:.*]]: tensor<64x128xf32>, %[[B:.*]]: tensor<?x4x?x32xf32>, %[[C:.*]]: tensor<4x32x?xf32>)
func.func @matmul(%a: tensor<?x?x64xf32>, %w: tensor<64x128xf32>, %b: tensor<?x4x?x32xf32>, %c: tensor<4x32x?xf32>) -> (tensor<?x?x128xf32>, tensor<?x4x?x?xf32>) {
  // CHECK: %[[M0:.*]] = iq.matmul %[[A]], %[[W]] : tensor<?x?x64xf32>, tensor<64x128xf32> -> tensor<?x?x128xf32>
  %0 = iq.matmul %a, %w : tensor<?x?x64xf32>, tensor<64x128xf32> -> tensor<?x?x128xf32>
  // CHECK: %[[M1:.*]] = iq.matmul %[[B]], %[[C]] : tensor<?x4x?x32xf32>, tensor<4x32x?xf32> -> tensor<?x4x?x?xf32>
  %1 = iq.matmul %b, %c : tensor<?x4x?x32xf32>, tensor<4x32x?xf32> -> tensor<?x4x?x?xf32>
  // CHECK: return %[[M0]], %[[M1]]
  return %0, %1 : tensor<?x?x128xf32>, tensor<?x4x?x?xf32>
}

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x64xf32>, %[[W:.*]]: tensor<64x128xf32>, %[[B:.*]]: tensor<128xf32>, %[[V:.*]]: tensor<64xf32>)
func.func @linear(%x: tensor<?x?x64xf32>, %w: tensor<64x128xf32>, %b: tensor<128xf32>, %v: tensor<64xf32>) -> (tensor<?x?x128xf32>, tensor<?x?x128xf32>, tensor<128xf32>) {
  // CHECK: %[[L0:.*]] = iq.linear %[[X]], %[[W]], %[[B]] : tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128xf32> -> tensor<?x?x128xf32>
  %0 = iq.linear %x, %w, %b : tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128xf32> -> tensor<?x?x128xf32>
  // CHECK: %[[L1:.*]] = iq.linear %[[X]], %[[W]] : tensor<?x?x64xf32>, tensor<64x128xf32> -> tensor<?x?x128xf32>
  %1 = iq.linear %x, %w : tensor<?x?x64xf32>, tensor<64x128xf32> -> tensor<?x?x128xf32>
  // A 1-D input is a single feature vector.
  // CHECK: %[[L2:.*]] = iq.linear %[[V]], %[[W]] : tensor<64xf32>, tensor<64x128xf32> -> tensor<128xf32>
  %2 = iq.linear %v, %w : tensor<64xf32>, tensor<64x128xf32> -> tensor<128xf32>
  // CHECK: return %[[L0]], %[[L1]], %[[L2]]
  return %0, %1, %2 : tensor<?x?x128xf32>, tensor<?x?x128xf32>, tensor<128xf32>
}

// Quantized linear: per-tensor input, per-output-channel (axis 1) weight,
// i32 bias; the result is the i32 accumulator with scales S_x * S_w[c].
// CHECK-LABEL: func.func @linear_quant
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x!quant.uniform<i8:f32, 2.500000e-02>>, %[[W:.*]]: tensor<4x2x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01}>>, %[[B:.*]]: tensor<2x!quant.uniform<i32:f32:0, {2.500000e-03,5.000000e-03}>>)
func.func @linear_quant(%x: tensor<?x4x!quant.uniform<i8:f32, 0.025>>, %w: tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.0025, 0.005}>>) -> (tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.005}>>, tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.005}>>) {
  // CHECK: %[[L0:.*]] = iq.linear %[[X]], %[[W]], %[[B]] : {{.*}} -> tensor<?x2x!quant.uniform<i32:f32:1, {2.500000e-03,5.000000e-03}>>
  %0 = iq.linear %x, %w, %b : tensor<?x4x!quant.uniform<i8:f32, 0.025>>, tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>, tensor<2x!quant.uniform<i32:f32:0, {0.0025, 0.005}>> -> tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.005}>>
  // CHECK: %[[L1:.*]] = iq.linear %[[X]], %[[W]] : {{.*}} -> tensor<?x2x!quant.uniform<i32:f32:1, {2.500000e-03,5.000000e-03}>>
  %1 = iq.linear %x, %w : tensor<?x4x!quant.uniform<i8:f32, 0.025>>, tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> -> tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.005}>>
  // CHECK: return %[[L0]], %[[L1]]
  return %0, %1 : tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.005}>>, tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.005}>>
}

// Integer forms: i8 x i8 + i32 -> i32 accumulators; ui8 probabilities x i8.
// CHECK-LABEL: func.func @integer_contractions
func.func @integer_contractions(%x: tensor<?x4xi8>, %w: tensor<4x2xi8>, %b: tensor<2xi32>, %p: tensor<2x?x?xui8>, %v: tensor<2x?x8xi8>) -> (tensor<?x2xi32>, tensor<2x?x8xi32>) {
  // CHECK: iq.linear %{{.*}} : tensor<?x4xi8>, tensor<4x2xi8>, tensor<2xi32> -> tensor<?x2xi32>
  %0 = iq.linear %x, %w, %b : tensor<?x4xi8>, tensor<4x2xi8>, tensor<2xi32> -> tensor<?x2xi32>
  // CHECK: iq.matmul %{{.*}} : tensor<2x?x?xui8>, tensor<2x?x8xi8> -> tensor<2x?x8xi32>
  %1 = iq.matmul %p, %v : tensor<2x?x?xui8>, tensor<2x?x8xi8> -> tensor<2x?x8xi32>
  return %0, %1 : tensor<?x2xi32>, tensor<2x?x8xi32>
}

// The quantized forms of the semantic ops, as iq-quantize writes them.
// CHECK-LABEL: func.func @quantized_ops
func.func @quantized_ops(%acc: tensor<?x8x!quant.uniform<i32:f32:1, {1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4}>>, %x: tensor<?x8x!quant.uniform<i8:f32, 0.05>>, %logits: tensor<?x2x4x4x!quant.uniform<i32:f32, 3.0e-4>>, %mask: tensor<?x1x1x4xi1>, %g: tensor<8xf32>, %bt: tensor<8xf32>) -> (tensor<?x8x!quant.uniform<i8:f32, 0.04>>, tensor<?x8x!quant.uniform<i8:f32, 0.03>>, tensor<?x2x4x4x!quant.uniform<u8:f32, 0.00390625>>, tensor<?x8x!quant.uniform<i8:f32, 0.02>>, tensor<?x8x!quant.uniform<i8:f32, 0.00787>>) {
  // CHECK: iq.gelu %{{.*}} : tensor<?x8x!quant.uniform<i32:f32:1, {{.*}}>> -> tensor<?x8x!quant.uniform<i8:f32, 4.000000e-02>>
  %0 = iq.gelu %acc : tensor<?x8x!quant.uniform<i32:f32:1, {1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4}>> -> tensor<?x8x!quant.uniform<i8:f32, 0.04>>
  // CHECK: iq.add %{{.*}} -> tensor<?x8x!quant.uniform<i32<-2097152:2097151>:f32, 1.000000e-05>>
  %1 = iq.add %acc, %x : tensor<?x8x!quant.uniform<i32:f32:1, {1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4}>>, tensor<?x8x!quant.uniform<i8:f32, 0.05>> -> tensor<?x8x!quant.uniform<i32<-2097152:2097151>:f32, 1.0e-5>>
  // CHECK: iq.layer_norm %{{.*}} variance_shift = 9 : {{.*}} -> tensor<?x8x!quant.uniform<i8:f32, 3.000000e-02>>
  %2 = iq.layer_norm %1, %g, %bt axis = 1 epsilon = 1.0e-12 variance_shift = 9 : tensor<?x8x!quant.uniform<i32<-2097152:2097151>:f32, 1.0e-5>>, tensor<8xf32>, tensor<8xf32> -> tensor<?x8x!quant.uniform<i8:f32, 0.03>>
  // CHECK: iq.softmax %{{.*}} mask(%{{.*}} : tensor<?x1x1x4xi1>) axis = 3 : {{.*}} -> tensor<?x2x4x4x!quant.uniform<u8:f32, 3.906250e-03>>
  %3 = iq.softmax %logits mask(%mask : tensor<?x1x1x4xi1>) axis = 3 : tensor<?x2x4x4x!quant.uniform<i32:f32, 3.0e-4>> -> tensor<?x2x4x4x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: iq.rescale %{{.*}} -> tensor<?x8x!quant.uniform<i8:f32, 2.000000e-02>>
  %4 = iq.rescale %acc : tensor<?x8x!quant.uniform<i32:f32:1, {1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4}>> -> tensor<?x8x!quant.uniform<i8:f32, 0.02>>
  // CHECK: iq.tanh %{{.*}} -> tensor<?x8x!quant.uniform<i8:f32, 7.870000e-03>>
  %5 = iq.tanh %acc : tensor<?x8x!quant.uniform<i32:f32:1, {1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4, 1.0e-4, 2.0e-4}>> -> tensor<?x8x!quant.uniform<i8:f32, 0.00787>>
  return %0, %2, %3, %4, %5 : tensor<?x8x!quant.uniform<i8:f32, 0.04>>, tensor<?x8x!quant.uniform<i8:f32, 0.03>>, tensor<?x2x4x4x!quant.uniform<u8:f32, 0.00390625>>, tensor<?x8x!quant.uniform<i8:f32, 0.02>>, tensor<?x8x!quant.uniform<i8:f32, 0.00787>>
}

// Integer residual add: per-channel lhs constants, per-tensor rhs, 22-bit clamp.
// CHECK-LABEL: func.func @iadd
func.func @iadd(%a: tensor<?x2xi32>, %b: tensor<?x2xi8>) -> tensor<?x2xi32> {
  // CHECK: iq.iadd %{{.*}}{{\[\[}}1073741824, 1200000000], [20, 21]], %{{.*}}{{\[\[}}1500000000], [3]] clamp = [-2097152, 2097151] : tensor<?x2xi32>, tensor<?x2xi8> -> tensor<?x2xi32>
  %0 = iq.iadd %a [[1073741824, 1200000000], [20, 21]], %b [[1500000000], [3]] clamp = [-2097152, 2097151] : tensor<?x2xi32>, tensor<?x2xi8> -> tensor<?x2xi32>
  return %0 : tensor<?x2xi32>
}

// 1-D depthwise conv with bias (Squeezeformer), pointwise conv without bias,
// and 2-D strided subsampling conv.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<?x144x?xf32>, %[[DW:.*]]: tensor<144x1x31xf32>, %[[DB:.*]]: tensor<144xf32>, %[[PW:.*]]: tensor<288x144x1xf32>, %[[I:.*]]: tensor<1x1x80x100xf32>, %[[W2:.*]]: tensor<144x1x3x3xf32>, %[[B2:.*]]: tensor<144xf32>)
func.func @conv(%x: tensor<?x144x?xf32>, %dw: tensor<144x1x31xf32>, %db: tensor<144xf32>, %pw: tensor<288x144x1xf32>, %i: tensor<1x1x80x100xf32>, %w2: tensor<144x1x3x3xf32>, %b2: tensor<144xf32>) -> (tensor<?x144x?xf32>, tensor<?x288x?xf32>, tensor<1x144x39x49xf32>, tensor<1x144x40x50xf32>) {
  // CHECK: %[[C0:.*]] = iq.conv %[[X]], %[[DW]], %[[DB]] strides = [1] pads = [15, 15] dilations = [1] groups = 144 : tensor<?x144x?xf32>, tensor<144x1x31xf32>, tensor<144xf32> -> tensor<?x144x?xf32>
  %0 = iq.conv %x, %dw, %db strides = [1] pads = [15, 15] dilations = [1] groups = 144 : tensor<?x144x?xf32>, tensor<144x1x31xf32>, tensor<144xf32> -> tensor<?x144x?xf32>
  // CHECK: %[[C1:.*]] = iq.conv %[[C0]], %[[PW]] strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<?x144x?xf32>, tensor<288x144x1xf32> -> tensor<?x288x?xf32>
  %1 = iq.conv %0, %pw strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<?x144x?xf32>, tensor<288x144x1xf32> -> tensor<?x288x?xf32>
  // CHECK: %[[C2:.*]] = iq.conv %[[I]], %[[W2]], %[[B2]] strides = [2, 2] pads = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<1x1x80x100xf32>, tensor<144x1x3x3xf32>, tensor<144xf32> -> tensor<1x144x39x49xf32>
  %2 = iq.conv %i, %w2, %b2 strides = [2, 2] pads = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<1x1x80x100xf32>, tensor<144x1x3x3xf32>, tensor<144xf32> -> tensor<1x144x39x49xf32>
  // Asymmetric pads and dilation 2: (80 + 1 + 2 - 2*2 - 1) / 2 + 1 = 40.
  // CHECK: %[[C3:.*]] = iq.conv %[[I]], %[[W2]] strides = [2, 2] pads = [1, 0, 2, 1] dilations = [2, 1] groups = 1 : tensor<1x1x80x100xf32>, tensor<144x1x3x3xf32> -> tensor<1x144x40x50xf32>
  %3 = iq.conv %i, %w2 strides = [2, 2] pads = [1, 0, 2, 1] dilations = [2, 1] groups = 1 : tensor<1x1x80x100xf32>, tensor<144x1x3x3xf32> -> tensor<1x144x40x50xf32>
  // CHECK: return %[[C0]], %[[C1]], %[[C2]], %[[C3]]
  return %0, %1, %2, %3 : tensor<?x144x?xf32>, tensor<?x288x?xf32>, tensor<1x144x39x49xf32>, tensor<1x144x40x50xf32>
}

// Quantized conv: per-tensor input, per-output-channel (axis 0) weight, i32
// bias.
// CHECK-LABEL: func.func @conv_quant
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x?x!quant.uniform<i8:f32, 5.000000e-02>>, %[[W:.*]]: tensor<2x1x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>>, %[[B:.*]]: tensor<2xi32>)
func.func @conv_quant(%x: tensor<?x2x?x!quant.uniform<i8:f32, 0.05>>, %w: tensor<2x1x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, %b: tensor<2xi32>) -> tensor<?x2x?x!quant.uniform<i8:f32, 0.05>> {
  // CHECK: %[[C:.*]] = iq.conv %[[X]], %[[W]], %[[B]] strides = [1] pads = [1, 1] dilations = [1] groups = 2 : tensor<?x2x?x!quant.uniform<i8:f32, 5.000000e-02>>, tensor<2x1x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>>, tensor<2xi32> -> tensor<?x2x?x!quant.uniform<i8:f32, 5.000000e-02>>
  %0 = iq.conv %x, %w, %b strides = [1] pads = [1, 1] dilations = [1] groups = 2 : tensor<?x2x?x!quant.uniform<i8:f32, 0.05>>, tensor<2x1x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, tensor<2xi32> -> tensor<?x2x?x!quant.uniform<i8:f32, 0.05>>
  // CHECK: return %[[C]]
  return %0 : tensor<?x2x?x!quant.uniform<i8:f32, 0.05>>
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[E:.*]]: tensor<1000x256xf32>, %[[I:.*]]: tensor<?x?xi64>, %[[J:.*]]: tensor<i32>, %[[Q:.*]]: tensor<1000x256x!quant.uniform<i8:f32, 1.000000e-02>>)
func.func @gather(%e: tensor<1000x256xf32>, %i: tensor<?x?xi64>, %j: tensor<i32>, %q: tensor<1000x256x!quant.uniform<i8:f32, 0.01>>) -> (tensor<?x?x256xf32>, tensor<1000xf32>, tensor<?x?x256x!quant.uniform<i8:f32, 0.01>>) {
  // CHECK: %[[G0:.*]] = iq.gather %[[E]][%[[I]]] axis = 0 : tensor<1000x256xf32>, tensor<?x?xi64> -> tensor<?x?x256xf32>
  %0 = iq.gather %e[%i] axis = 0 : tensor<1000x256xf32>, tensor<?x?xi64> -> tensor<?x?x256xf32>
  // CHECK: %[[G1:.*]] = iq.gather %[[E]][%[[J]]] axis = 1 : tensor<1000x256xf32>, tensor<i32> -> tensor<1000xf32>
  %1 = iq.gather %e[%j] axis = 1 : tensor<1000x256xf32>, tensor<i32> -> tensor<1000xf32>
  // CHECK: %[[G2:.*]] = iq.gather %[[Q]][%[[I]]] axis = 0 : tensor<1000x256x!quant.uniform<i8:f32, 1.000000e-02>>, tensor<?x?xi64> -> tensor<?x?x256x!quant.uniform<i8:f32, 1.000000e-02>>
  %2 = iq.gather %q[%i] axis = 0 : tensor<1000x256x!quant.uniform<i8:f32, 0.01>>, tensor<?x?xi64> -> tensor<?x?x256x!quant.uniform<i8:f32, 0.01>>
  // CHECK: return %[[G0]], %[[G1]], %[[G2]]
  return %0, %1, %2 : tensor<?x?x256xf32>, tensor<1000xf32>, tensor<?x?x256x!quant.uniform<i8:f32, 0.01>>
}

//===----------------------------------------------------------------------===//
// Quantized-model ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @dynamic_quantize
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x256xf32>)
func.func @dynamic_quantize(%x: tensor<?x?x256xf32>) -> (tensor<?x?x256xui8>, tensor<f32>, tensor<ui8>) {
  // CHECK: %[[Q:.*]], %[[S:.*]], %[[Z:.*]] = iq.dynamic_quantize %[[X]] : tensor<?x?x256xf32>
  %q, %s, %z = iq.dynamic_quantize %x : tensor<?x?x256xf32>
  // CHECK: return %[[Q]], %[[S]], %[[Z]] : tensor<?x?x256xui8>, tensor<f32>, tensor<ui8>
  return %q, %s, %z : tensor<?x?x256xui8>, tensor<f32>, tensor<ui8>
}

// CHECK-LABEL: func.func @matmul_integer
// CHECK-SAME: (%[[A:.*]]: tensor<?x?x64xui8>, %[[B:.*]]: tensor<64x32xi8>, %[[AZ:.*]]: tensor<ui8>, %[[BZ:.*]]: tensor<32xi8>, %[[C:.*]]: tensor<4x64xi8>, %[[CZ:.*]]: tensor<4xi8>)
func.func @matmul_integer(%a: tensor<?x?x64xui8>, %b: tensor<64x32xi8>, %az: tensor<ui8>, %bz: tensor<32xi8>, %c: tensor<4x64xi8>, %cz: tensor<4xi8>) -> (tensor<?x?x32xi32>, tensor<?x?x32xi32>, tensor<?x?x32xi32>, tensor<?x?x32xi32>, tensor<4x32xi32>) {
  // CHECK: %[[M0:.*]] = iq.matmul_integer %[[A]], %[[B]] : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  %0 = iq.matmul_integer %a, %b : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  // CHECK: %[[M1:.*]] = iq.matmul_integer %[[A]], %[[B]] lhs_zero_point(%[[AZ]] : tensor<ui8>) rhs_zero_point(%[[BZ]] : tensor<32xi8>) : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  %1 = iq.matmul_integer %a, %b lhs_zero_point(%az : tensor<ui8>) rhs_zero_point(%bz : tensor<32xi8>) : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  // CHECK: %[[M2:.*]] = iq.matmul_integer %[[A]], %[[B]] lhs_zero_point(%[[AZ]] : tensor<ui8>) : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  %2 = iq.matmul_integer %a, %b lhs_zero_point(%az : tensor<ui8>) : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  // CHECK: %[[M3:.*]] = iq.matmul_integer %[[A]], %[[B]] rhs_zero_point(%[[BZ]] : tensor<32xi8>) : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  %3 = iq.matmul_integer %a, %b rhs_zero_point(%bz : tensor<32xi8>) : tensor<?x?x64xui8>, tensor<64x32xi8> -> tensor<?x?x32xi32>
  // Per-row lhs zero point.
  // CHECK: %[[M4:.*]] = iq.matmul_integer %[[C]], %[[B]] lhs_zero_point(%[[CZ]] : tensor<4xi8>) : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
  %4 = iq.matmul_integer %c, %b lhs_zero_point(%cz : tensor<4xi8>) : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
  // CHECK: return %[[M0]], %[[M1]], %[[M2]], %[[M3]], %[[M4]]
  return %0, %1, %2, %3, %4 : tensor<?x?x32xi32>, tensor<?x?x32xi32>, tensor<?x?x32xi32>, tensor<?x?x32xi32>, tensor<4x32xi32>
}

// -----

// CHECK-LABEL: func.func @requant
// CHECK: iq.requant %{{.*}} multipliers = [1073741824] shifts = [40] : tensor<?x8xi32> -> tensor<?x8xi8>
// CHECK: iq.requant %{{.*}} multipliers = [1073741824, -1518500250] shifts = [40, 31] axis = 1 : tensor<?x2xi32> -> tensor<?x2xui8>
func.func @requant(%a: tensor<?x8xi32>, %b: tensor<?x2xi32>) -> (tensor<?x8xi8>, tensor<?x2xui8>) {
  %0 = iq.requant %a multipliers = [1073741824] shifts = [40] : tensor<?x8xi32> -> tensor<?x8xi8>
  %1 = iq.requant %b multipliers = [1073741824, -1518500250] shifts = [40, 31] axis = 1 : tensor<?x2xi32> -> tensor<?x2xui8>
  return %0, %1 : tensor<?x8xi8>, tensor<?x2xui8>
}

// CHECK-LABEL: func.func @igelu
// CHECK: iq.igelu %{{.*}} b = [-25018] c = [-692507494] one = [-42268] : tensor<?x8xi32> -> tensor<?x8xi64>
func.func @igelu(%a: tensor<?x8xi32>) -> tensor<?x8xi64> {
  %0 = iq.igelu %a b = [-25018] c = [-692507494] one = [-42268] : tensor<?x8xi32> -> tensor<?x8xi64>
  return %0 : tensor<?x8xi64>
}

// CHECK-LABEL: func.func @isoftmax
// CHECK: iq.isoftmax %{{.*}} mask(%{{.*}} : tensor<?x1x1x?xi1>) x0 = -463 b = 1804 c = 1240939 multiplier = 1116486064 shift = 66 : tensor<?x2x?x?xi32> -> tensor<?x2x?x?xui8>
// CHECK: iq.isoftmax %{{.*}} x0 = -463
func.func @isoftmax(%q: tensor<?x2x?x?xi32>, %m: tensor<?x1x1x?xi1>) -> (tensor<?x2x?x?xui8>, tensor<?x2x?x?xui8>) {
  %0 = iq.isoftmax %q mask(%m : tensor<?x1x1x?xi1>) x0 = -463 b = 1804 c = 1240939 multiplier = 1116486064 shift = 66 : tensor<?x2x?x?xi32> -> tensor<?x2x?x?xui8>
  %1 = iq.isoftmax %q x0 = -463 b = 1804 c = 1240939 multiplier = 1116486064 shift = 66 : tensor<?x2x?x?xi32> -> tensor<?x2x?x?xui8>
  return %0, %1 : tensor<?x2x?x?xui8>, tensor<?x2x?x?xui8>
}

// CHECK-LABEL: func.func @ilayernorm
// CHECK: iq.ilayernorm %{{.*}} shift = 9 bias = [12, -3] multipliers = [1073741824, -1073741824] shifts = [40, 41] : tensor<?x2xi32> -> tensor<?x2xi8>
func.func @ilayernorm(%x: tensor<?x2xi32>) -> tensor<?x2xi8> {
  %0 = iq.ilayernorm %x shift = 9 bias = [12, -3] multipliers = [1073741824, -1073741824] shifts = [40, 41] : tensor<?x2xi32> -> tensor<?x2xi8>
  return %0 : tensor<?x2xi8>
}

// CHECK-LABEL: func.func @isigmoid
// CHECK: iq.isigmoid %{{.*}} x0 = -867 b = 3384 c = 4362678 multiplier = 1116486064 shift = 67 : tensor<?x4xi32> -> tensor<?x4xi32>
func.func @isigmoid(%q: tensor<?x4xi32>) -> tensor<?x4xi32> {
  %0 = iq.isigmoid %q x0 = -867 b = 3384 c = 4362678 multiplier = 1116486064 shift = 67 : tensor<?x4xi32> -> tensor<?x4xi32>
  return %0 : tensor<?x4xi32>
}
