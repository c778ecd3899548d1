// RUN: iqc-opt %s --allow-unregistered-dialect --iqc-cpu-outline-loops='min-ops=1' | FileCheck %s

// Each top-level loop nest becomes a private noinline function taking the
// memrefs and sizes it uses; index constants are cloned into it.
// CHECK-LABEL: func.func @model
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>, %[[B:.*]]: memref<?xf32>)
// CHECK: %[[N:.*]] = memref.dim %[[A]]
// CHECK: call @model_loop0(%[[N]], %[[A]], %[[B]])
// CHECK: call @model_loop1(%[[N]], %[[B]])
// CHECK-NEXT: return
// CHECK: func.func private @model_loop0(%{{.*}}: index, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>) attributes {passthrough = ["noinline"]}
// CHECK: arith.constant 0 : index
// CHECK: scf.for
// CHECK: func.func private @model_loop1
func.func @model(%a: memref<?xf32>, %b: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %b[%i] : memref<?xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %b[%i] : memref<?xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %b[%i] : memref<?xf32>
  }
  return
}


// Memrefs that view a fresh allocation no other argument views are
// recorded for iqc-cpu-mark-noalias as the aligned pointer's position among
// the lowered arguments (an index is one; a memref of rank r is 3 + 2r, the
// aligned pointer second). Model arguments are not marked, nor two views of
// one allocation; a memref of unknown origin disables marking for the
// whole function.
// CHECK-LABEL: func.func @views
// CHECK: func.func private @views_loop0(%{{.*}}: index, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: memref<4xf32>)
// CHECK-SAME: iqc.noalias_slots = array<i64: 7, 12>
// CHECK: func.func private @views_loop1(%{{.*}}: memref<4xf32>, %{{.*}}: memref<2x2xf32>, %{{.*}}: memref<?xf32>)
// CHECK-SAME: iqc.noalias_slots = array<i64: 13>
// CHECK: func.func private @views_loop2(
// CHECK-NOT: iqc.noalias_slots
// CHECK-SAME: passthrough
func.func @views(%a: memref<?xf32>, %p: !llvm.ptr) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  %fresh = memref.alloc(%n) : memref<?xf32>
  %b = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %fresh[%i] : memref<?xf32>
    memref.store %x, %b[%c0] : memref<4xf32>
  }
  %v = memref.expand_shape %b [[0, 1]] output_shape [2, 2] : memref<4xf32> into memref<2x2xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %b[%i] : memref<4xf32>
    memref.store %x, %v[%c0, %c0] : memref<2x2xf32>
    memref.store %x, %fresh[%i] : memref<?xf32>
  }
  %u = "test.unknown"(%p) : (!llvm.ptr) -> memref<?xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %u[%i] : memref<?xf32>
    memref.store %x, %fresh[%i] : memref<?xf32>
  }
  return
}
