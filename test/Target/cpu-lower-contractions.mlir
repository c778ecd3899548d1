// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iqc-cpu-lower-contractions{rows=4 vector-width=8}))' --split-input-file | FileCheck %s

// A dynamic f32 matmul becomes row blocks of 4 x 8 accumulators carried
// through the k loop, full-width column blocks and a masked column tail.
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<?x?xf32>, vector<8xf32>
// CHECK: %[[R:.*]]:4 = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK: vector.fma
// CHECK: vector.store %[[R]]#0
// CHECK: scf.if
// CHECK: vector.create_mask
// CHECK: vector.maskedload
// CHECK: vector.maskedstore
func.func @matmul(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// batch_matmul gets a loop over the batch around the same kernel.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-NOT: linalg.batch_matmul
// CHECK: scf.for
// CHECK: vector.fma
func.func @batch_matmul(%a: memref<3x5x7xf32>, %b: memref<3x7x9xf32>, %c: memref<3x5x9xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x5x7xf32>, memref<3x7x9xf32>) outs(%c : memref<3x5x9xf32>)
  return
}

// -----

// Integer matmuls and non-contiguous operands are left to loops.
// CHECK-LABEL: func.func @untouched
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x4xi32>, memref<4x4xi32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x4xf32, strided<[1, 4]>>, memref<4x4xf32, strided<[1, 4]>>)
func.func @untouched(%a: memref<4x4xi32>, %c: memref<4x4xi32>,
                     %t: memref<4x4xf32, strided<[1, 4]>>, %d: memref<4x4xf32>) {
  linalg.matmul ins(%a, %a : memref<4x4xi32>, memref<4x4xi32>) outs(%c : memref<4x4xi32>)
  linalg.matmul ins(%t, %t : memref<4x4xf32, strided<[1, 4]>>, memref<4x4xf32, strided<[1, 4]>>) outs(%d : memref<4x4xf32>)
  return
}
