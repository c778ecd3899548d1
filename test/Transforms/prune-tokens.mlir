// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-prune-tokens{thresholds=0,0.1,0 report-kept}))' | FileCheck %s
// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-prune-tokens{final-threshold=0.3}))' | FileCheck %s --check-prefix=SCHEDULE
// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-prune-tokens{runtime-thresholds}))' | FileCheck %s --check-prefix=RUNTIME
// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-prune-tokens{thresholds=0,0,0}))' | FileCheck %s --check-prefix=ZERO

// Three float attention layers (BERT's additive mask, post-LN residual,
// two heads of two): the layer with theta = 0.1 sums its probabilities
// over live query rows into importances, keeps tokens whose importance
// reaches round(0.1 * 2^40) = 109951162778 (times H * L_orig), and the
// hidden state is compacted after its LayerNorm; the next layer's softmax
// gets a new additive mask from the compacted keep mask and its head
// reshapes take their sizes from the compacted rows; the output goes back to
// the original positions; kept_tokens reports one count per layer.

// CHECK-LABEL: func.func @encoder
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4xf32>, %[[MASK:.*]]: tensor<?x?xi64>) -> (tensor<?x?x4xf32>, tensor<?x3xi64> {iq.name = "kept_tokens"})
// CHECK: %[[MX:.*]] = tensor.expand_shape %[[MASK]]
// CHECK: %[[MI1:.*]] = iq.cast %[[MX]] : tensor<?x1x1x?xi64> -> tensor<?x1x1x?xi1>
// CHECK: %[[ALIVE:.*]] = tensor.collapse_shape %[[MI1]] {{\[\[}}0, 1, 2], [3]]
// CHECK: %[[LORIG:.*]] = tensor.dim %[[ALIVE]], %c1
// CHECK: %[[POS:.*]] = tensor.generate
// CHECK: iq.softmax
// CHECK: %[[H0:.*]] = iq.layer_norm
// CHECK: %[[P1:.*]] = iq.softmax
// CHECK-NEXT: %[[IMP:.*]] = iq.token_importance %[[P1]] rows(%[[ALIVE]]) : tensor<?x2x?x?xf32>, tensor<?x?xi1> -> tensor<?x?xf32>
// CHECK-NEXT: %[[KEEP:.*]] = iq.prune_keep %[[IMP]], %[[ALIVE]] l_orig(%[[LORIG]]) threshold = 109951162778 heads = 2
// CHECK: %[[H1:.*]] = iq.layer_norm
// CHECK-NEXT: %[[IDX:.*]], %[[VALID:.*]] = iq.compact_indices %[[KEEP]] : tensor<?x?xi1> -> tensor<?x?xi64>, tensor<?x?xi1>
// CHECK: %[[HC:.*]] = iq.gather_rows %[[H1]][%[[IDX]]] : tensor<?x?x4xf32>, tensor<?x?xi64> -> tensor<?x?x4xf32>
// CHECK: %[[POSC:.*]] = iq.gather_rows %[[POS]][%[[IDX]]]
// CHECK: %[[B2:.*]] = tensor.dim %[[HC]], %c0
// CHECK: %[[L2:.*]] = tensor.dim %[[HC]], %c1
// CHECK: tensor.expand_shape %[[HC]] {{.*}} output_shape [%[[B2]], %[[L2]], 2, 2]
// CHECK: %[[S2:.*]] = iq.matmul
// CHECK: %[[KM:.*]] = tensor.expand_shape %[[VALID]] {{\[\[}}0, 1, 2], [3]]
// CHECK: %[[KMF:.*]] = iq.cast %[[KM]] : tensor<?x1x1x?xi1> -> tensor<?x1x1x?xf32>
// CHECK: %[[INV:.*]] = iq.sub %{{.*}}, %[[KMF]]
// CHECK: %[[BIAS:.*]] = iq.mul %[[INV]], %{{.*}}
// CHECK: %[[M2:.*]] = iq.add %[[S2]], %[[BIAS]]
// CHECK: iq.softmax %[[M2]] axis = 3
// CHECK-NOT: iq.prune_keep
// CHECK: %[[H2:.*]] = iq.layer_norm %{{.*}} : tensor<?x?x4xf32>
// CHECK-NEXT: %[[OUT:.*]] = iq.scatter_rows %[[H2]][%[[POSC]], %[[VALID]]] length(%[[LORIG]])
// CHECK-NEXT: %[[KEPT:.*]] = tensor.concat dim(1) {{.*}} : (tensor<?x1xi64>, tensor<?x1xi64>, tensor<?x1xi64>) -> tensor<?x3xi64>
// CHECK-NEXT: return %[[OUT]], %[[KEPT]]

// The schedule theta_l = 0.3 l / N: layer 1 at 0.1, layer 2 at 0.2
// (round(0.2 * 2^40) = 219902325555).
// SCHEDULE: iq.prune_keep {{.*}} threshold = 109951162778 heads = 2
// SCHEDULE: iq.prune_keep {{.*}} threshold = 219902325555 heads = 2
// SCHEDULE-NOT: iq.prune_keep

// Run-time thresholds: a prune_thresholds [3] input, read by every layer but
// the first.
// RUNTIME: func.func @encoder({{.*}}, %[[T:.*]]: tensor<3xi64> {iq.name = "prune_thresholds"})
// RUNTIME: %[[T1:.*]] = tensor.extract %[[T]][%c1
// RUNTIME: %[[T1T:.*]] = tensor.from_elements %[[T1]] : tensor<i64>
// RUNTIME: iq.prune_keep {{.*}} threshold_value(%[[T1T]] : tensor<i64>) threshold = 0
// RUNTIME: %[[T2:.*]] = tensor.extract %[[T]][%c2
// RUNTIME-NOT: iq.prune_keep {{.*}}threshold = {{[1-9]}}

// Thresholds 0 everywhere: nothing changes.
// ZERO-NOT: iq.token_importance
// ZERO-NOT: iq.gather_rows
// ZERO: return %{{.*}} : tensor<?x?x4xf32>

func.func @encoder(%x: tensor<?x?x4xf32>, %mask: tensor<?x?xi64>) -> tensor<?x?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %B = tensor.dim %x, %c0 : tensor<?x?x4xf32>
  %L = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %big = arith.constant dense<-10000.0> : tensor<f32>
  %g = arith.constant dense<1.0> : tensor<4xf32>
  %be = arith.constant dense<0.0> : tensor<4xf32>
  %mx = tensor.expand_shape %mask [[0], [1, 2, 3]] output_shape [%B, 1, 1, %L] : tensor<?x?xi64> into tensor<?x1x1x?xi64>
  %mf = iq.cast %mx : tensor<?x1x1x?xi64> -> tensor<?x1x1x?xf32>
  %inv = iq.sub %one, %mf : tensor<f32>, tensor<?x1x1x?xf32> -> tensor<?x1x1x?xf32>
  %bias = iq.mul %inv, %big : tensor<?x1x1x?xf32>, tensor<f32> -> tensor<?x1x1x?xf32>
  %q0 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B, %L, 2, 2] : tensor<?x?x4xf32> into tensor<?x?x2x2xf32>
  %e0 = tensor.empty(%B, %L) : tensor<?x2x?x2xf32>
  %qt0 = linalg.transpose ins(%q0 : tensor<?x?x2x2xf32>) outs(%e0 : tensor<?x2x?x2xf32>) permutation = [0, 2, 1, 3]
  %ek0 = tensor.empty(%B, %L) : tensor<?x2x2x?xf32>
  %kt0 = linalg.transpose ins(%q0 : tensor<?x?x2x2xf32>) outs(%ek0 : tensor<?x2x2x?xf32>) permutation = [0, 2, 3, 1]
  %s0 = iq.matmul %qt0, %kt0 : tensor<?x2x?x2xf32>, tensor<?x2x2x?xf32> -> tensor<?x2x?x?xf32>
  %m0 = iq.add %s0, %bias : tensor<?x2x?x?xf32>, tensor<?x1x1x?xf32> -> tensor<?x2x?x?xf32>
  %p0 = iq.softmax %m0 axis = 3 : tensor<?x2x?x?xf32>
  %ctx0 = iq.matmul %p0, %qt0 : tensor<?x2x?x?xf32>, tensor<?x2x?x2xf32> -> tensor<?x2x?x2xf32>
  %ec0 = tensor.empty(%B, %L) : tensor<?x?x2x2xf32>
  %ct0 = linalg.transpose ins(%ctx0 : tensor<?x2x?x2xf32>) outs(%ec0 : tensor<?x?x2x2xf32>) permutation = [0, 2, 1, 3]
  %cc0 = tensor.collapse_shape %ct0 [[0], [1], [2, 3]] : tensor<?x?x2x2xf32> into tensor<?x?x4xf32>
  %r0 = iq.add %x, %cc0 : tensor<?x?x4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  %h0 = iq.layer_norm %r0, %g, %be axis = 2 epsilon = 9.99999996E-13 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  %q1 = tensor.expand_shape %h0 [[0], [1], [2, 3]] output_shape [%B, %L, 2, 2] : tensor<?x?x4xf32> into tensor<?x?x2x2xf32>
  %e1 = tensor.empty(%B, %L) : tensor<?x2x?x2xf32>
  %qt1 = linalg.transpose ins(%q1 : tensor<?x?x2x2xf32>) outs(%e1 : tensor<?x2x?x2xf32>) permutation = [0, 2, 1, 3]
  %ek1 = tensor.empty(%B, %L) : tensor<?x2x2x?xf32>
  %kt1 = linalg.transpose ins(%q1 : tensor<?x?x2x2xf32>) outs(%ek1 : tensor<?x2x2x?xf32>) permutation = [0, 2, 3, 1]
  %s1 = iq.matmul %qt1, %kt1 : tensor<?x2x?x2xf32>, tensor<?x2x2x?xf32> -> tensor<?x2x?x?xf32>
  %m1 = iq.add %s1, %bias : tensor<?x2x?x?xf32>, tensor<?x1x1x?xf32> -> tensor<?x2x?x?xf32>
  %p1 = iq.softmax %m1 axis = 3 : tensor<?x2x?x?xf32>
  %ctx1 = iq.matmul %p1, %qt1 : tensor<?x2x?x?xf32>, tensor<?x2x?x2xf32> -> tensor<?x2x?x2xf32>
  %ec1 = tensor.empty(%B, %L) : tensor<?x?x2x2xf32>
  %ct1 = linalg.transpose ins(%ctx1 : tensor<?x2x?x2xf32>) outs(%ec1 : tensor<?x?x2x2xf32>) permutation = [0, 2, 1, 3]
  %cc1 = tensor.collapse_shape %ct1 [[0], [1], [2, 3]] : tensor<?x?x2x2xf32> into tensor<?x?x4xf32>
  %r1 = iq.add %h0, %cc1 : tensor<?x?x4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  %h1 = iq.layer_norm %r1, %g, %be axis = 2 epsilon = 9.99999996E-13 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  %q2 = tensor.expand_shape %h1 [[0], [1], [2, 3]] output_shape [%B, %L, 2, 2] : tensor<?x?x4xf32> into tensor<?x?x2x2xf32>
  %e2 = tensor.empty(%B, %L) : tensor<?x2x?x2xf32>
  %qt2 = linalg.transpose ins(%q2 : tensor<?x?x2x2xf32>) outs(%e2 : tensor<?x2x?x2xf32>) permutation = [0, 2, 1, 3]
  %ek2 = tensor.empty(%B, %L) : tensor<?x2x2x?xf32>
  %kt2 = linalg.transpose ins(%q2 : tensor<?x?x2x2xf32>) outs(%ek2 : tensor<?x2x2x?xf32>) permutation = [0, 2, 3, 1]
  %s2 = iq.matmul %qt2, %kt2 : tensor<?x2x?x2xf32>, tensor<?x2x2x?xf32> -> tensor<?x2x?x?xf32>
  %m2 = iq.add %s2, %bias : tensor<?x2x?x?xf32>, tensor<?x1x1x?xf32> -> tensor<?x2x?x?xf32>
  %p2 = iq.softmax %m2 axis = 3 : tensor<?x2x?x?xf32>
  %ctx2 = iq.matmul %p2, %qt2 : tensor<?x2x?x?xf32>, tensor<?x2x?x2xf32> -> tensor<?x2x?x2xf32>
  %ec2 = tensor.empty(%B, %L) : tensor<?x?x2x2xf32>
  %ct2 = linalg.transpose ins(%ctx2 : tensor<?x2x?x2xf32>) outs(%ec2 : tensor<?x?x2x2xf32>) permutation = [0, 2, 1, 3]
  %cc2 = tensor.collapse_shape %ct2 [[0], [1], [2, 3]] : tensor<?x?x2x2xf32> into tensor<?x?x4xf32>
  %r2 = iq.add %h1, %cc2 : tensor<?x?x4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  %h2 = iq.layer_norm %r2, %g, %be axis = 2 epsilon = 9.99999996E-13 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  return %h2 : tensor<?x?x4xf32>
}
