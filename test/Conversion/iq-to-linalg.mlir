// RUN: iqc-opt %s --convert-iq-to-linalg --split-input-file | FileCheck %s

// Broadcasting reads index 0 of size-1 dims; the dynamic result size comes
// from the operand that has the dynamic dim.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<1x4xf32>)
// CHECK: %[[D:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<?x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<?x4xf32>, tensor<1x4xf32>) outs(%[[E]] : tensor<?x4xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<?x4xf32>, %b: tensor<1x4xf32>) -> tensor<?x4xf32> {
  %0 = iq.add %a, %b : tensor<?x4xf32>, tensor<1x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Unsigned data: bitcast to signless storage, unsigned division.
// CHECK-LABEL: func.func @div_unsigned
// CHECK: tensor.bitcast %{{.*}} : tensor<3xui8> to tensor<3xi8>
// CHECK: arith.divui
// CHECK: tensor.bitcast %{{.*}} : tensor<3xi8> to tensor<3xui8>
func.func @div_unsigned(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xui8> {
  %0 = iq.div %a, %b : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

// A linear layer: leading dims collapsed, bias broadcast into the
// accumulator, a named linalg.matmul, dims expanded back.
// CHECK-LABEL: func.func @linear
// CHECK: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<?x?x8xf32> into tensor<?x8xf32>
// CHECK: %[[ACC:.*]] = linalg.broadcast ins(%{{.*}} : tensor<16xf32>) outs(%{{.*}} : tensor<?x16xf32>) dimensions = [0]
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[X]], %{{.*}} : tensor<?x8xf32>, tensor<8x16xf32>) outs(%[[ACC]] : tensor<?x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [%{{.*}}, %{{.*}}, 16]
func.func @linear(%x: tensor<?x?x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<?x?x16xf32> {
  %0 = iq.linear %x, %w, %b : tensor<?x?x8xf32>, tensor<8x16xf32>, tensor<16xf32> -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// -----

// Attention scores: equal batch dims collapse into linalg.batch_matmul.
// CHECK-LABEL: func.func @attention_scores
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<?x2x?x4xf32> into tensor<?x?x4xf32>
// CHECK: linalg.batch_matmul
// CHECK: tensor.expand_shape
func.func @attention_scores(%q: tensor<?x2x?x4xf32>, %k: tensor<?x2x4x?xf32>) -> tensor<?x2x?x?xf32> {
  %0 = iq.matmul %q, %k : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32> -> tensor<?x2x?x?xf32>
  return %0 : tensor<?x2x?x?xf32>
}

// -----

// Softmax: max, exp(x - max), sum, divide.
// CHECK-LABEL: func.func @softmax
// CHECK: linalg.fill ins(%{{.*}} : f32)
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = iq.softmax %x axis = 1 : tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// Gather normalizes negative indices and clamps into the table.
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic
// CHECK: arith.cmpi slt
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<10x4xf32>
func.func @gather(%t: tensor<10x4xf32>, %i: tensor<?x?xi64>) -> tensor<?x?x4xf32> {
  %0 = iq.gather %t[%i] axis = 0 : tensor<10x4xf32>, tensor<?x?xi64> -> tensor<?x?x4xf32>
  return %0 : tensor<?x?x4xf32>
}

// -----

// QuantizeLinear semantics: round half to even, add the zero point,
// saturate to [-128, 127].
// CHECK-LABEL: func.func @quantize
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.addf
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: arith.minimumf
// CHECK: arith.fptosi
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: quant.scast
func.func @quantize(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:3>> {
  %0 = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:3>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5:3>>
}

// -----

// Per-tensor requant of an i32 accumulator: i64 product, round half up,
// arithmetic shift, clamp to [-128, 127], truncate.
// CHECK-LABEL: func.func @requant
// CHECK: linalg.generic
// CHECK: %[[X:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: %[[P:.*]] = arith.muli %[[X]], %{{.*}} : i64
// CHECK: %[[R:.*]] = arith.addi %[[P]], %{{.*}} : i64
// CHECK: %[[S:.*]] = arith.shrsi %[[R]], %{{.*}} : i64
// CHECK: arith.maxsi %[[S]], %{{.*}} : i64
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @requant(%a: tensor<?x8xi32>) -> tensor<?x8xi8> {
  %0 = iq.requant %a multipliers = [1073741824] shifts = [40] : tensor<?x8xi32> -> tensor<?x8xi8>
  return %0 : tensor<?x8xi8>
}
