// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iqc-cpu-flatten-expand-shapes))' | FileCheck %s

// Two dynamic sizes in one group: rewritten with row-major strides
// (static where the sizes are: 2 * 64 = 128 and 64).
// CHECK-LABEL: func.func @two_dynamic
// CHECK-SAME: (%[[X:.*]]: memref<?x128xf32>, %[[B:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[BASE:.*]], %{{.*}}, %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[X]]
// CHECK: %[[STRIDE0:.*]] = arith.muli %{{.*}}, %[[S]] : index
// CHECK-NOT: arith.muli
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [0], sizes: [%[[B]], %[[S]], 2, 64], strides: [%[[STRIDE0]], 128, 64, 1]
// CHECK-NOT: memref.expand_shape
func.func @two_dynamic(%x: memref<?x128xf32>, %b: index, %s: index) -> memref<?x?x2x64xf32> {
  %0 = memref.expand_shape %x [[0, 1], [2, 3]] output_shape [%b, %s, 2, 64] : memref<?x128xf32> into memref<?x?x2x64xf32>
  return %0 : memref<?x?x2x64xf32>
}

// One dynamic size per group is left to expand-strided-metadata.
// CHECK-LABEL: func.func @one_dynamic
// CHECK: memref.expand_shape
func.func @one_dynamic(%x: memref<?x128xf32>, %b: index) -> memref<?x2x64xf32> {
  %0 = memref.expand_shape %x [[0], [1, 2]] output_shape [%b, 2, 64] : memref<?x128xf32> into memref<?x2x64xf32>
  return %0 : memref<?x2x64xf32>
}
