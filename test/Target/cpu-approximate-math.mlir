// RUN: iqc-opt %s --iqc-cpu-approximate-math | FileCheck %s

// f32 erf/tanh/exp become arith/fma polynomials; f64 keeps the libm op.
// CHECK-LABEL: func.func @f
// CHECK-NOT: math.erf {{.*}} : f32
// CHECK-NOT: math.tanh {{.*}} : f32
// CHECK-NOT: math.exp {{.*}} : f32
// CHECK: math.fma
// CHECK: math.erf %{{.*}} : f64
func.func @f(%x: f32, %y: f64) -> (f32, f32, f32, f64) {
  %a = math.erf %x : f32
  %b = math.tanh %x : f32
  %c = math.exp %x : f32
  %d = math.erf %y : f64
  return %a, %b, %c, %d : f32, f32, f32, f64
}
