// RUN: iqc-opt %s --iqc-cpu-lower-contractions='rows=4 vector-width=8' | FileCheck %s

// Each f32 matmul becomes a call to one shared kernel function taking
// dynamically strided memrefs (casts adapt static operands).
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: call @__iqc_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?xf32, strided<[?, 1], offset: ?>>, memref<?x?xf32, strided<[?, 1], offset: ?>>, memref<?x?xf32, strided<[?, 1], offset: ?>>) -> ()
// CHECK: memref.cast %{{.*}} : memref<8x3xf32> to memref<?x?xf32, strided<[?, 1], offset: ?>>
// CHECK: call @__iqc_matmul_f32
func.func @matmul(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>,
                  %d: memref<5x8xf32>, %e: memref<8x3xf32>, %f: memref<5x3xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  linalg.matmul ins(%d, %e : memref<5x8xf32>, memref<8x3xf32>) outs(%f : memref<5x3xf32>)
  return
}

// batch_matmul calls the batched kernel.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: call @__iqc_batch_matmul_f32
func.func @batch_matmul(%a: memref<3x5x7xf32>, %b: memref<3x7x9xf32>, %c: memref<3x5x9xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x5x7xf32>, memref<3x7x9xf32>) outs(%c : memref<3x5x9xf32>)
  return
}

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

// The kernel: row blocks of 4 x 8 accumulators carried through the k loop,
// full-width column blocks and a masked column tail.
// CHECK-LABEL: func.func private @__iqc_matmul_f32
// CHECK-SAME: attributes {passthrough = ["noinline"]}
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<?x?xf32, strided<[?, 1], offset: ?>>, vector<8xf32>
// CHECK: %[[R:.*]]:4 = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK: vector.fma
// CHECK: vector.store %[[R]]#0
// CHECK: scf.if
// CHECK: vector.create_mask
// CHECK: vector.maskedload
// CHECK: vector.maskedstore
// CHECK-LABEL: func.func private @__iqc_batch_matmul_f32
// CHECK: memref.dim %{{.*}}, %c0
// CHECK: scf.for
// CHECK: vector.fma
