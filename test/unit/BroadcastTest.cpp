//===- BroadcastTest.cpp - numpy broadcasting of iq shapes ----------------===//
//
// Expected shapes are worked out by hand from the numpy/ONNX broadcasting
// rules.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/IR/IQOps.h"

#include <gtest/gtest.h>

using iqc::iq::broadcastShapes;
using llvm::SmallVector;
constexpr int64_t Dyn = mlir::ShapedType::kDynamic;

TEST(Broadcast, RightAlignedWithUnitDims) {
  auto r = broadcastShapes({2, 1, 4}, {3, 1});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{2, 3, 4}));
}

TEST(Broadcast, ScalarAndVector) {
  auto r = broadcastShapes({}, {5});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{5}));
}

TEST(Broadcast, MismatchFails) {
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {4})));
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {3, 3})));
}

TEST(Broadcast, DynamicDims) {
  // ? against 5 must be 5 at run time; ? against 1 stays ?.
  auto r = broadcastShapes({Dyn, 1}, {5, Dyn});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{5, Dyn}));
  auto s = broadcastShapes({Dyn, 128}, {1, 1});
  ASSERT_TRUE(succeeded(s));
  EXPECT_EQ(*s, (SmallVector<int64_t>{Dyn, 128}));
}
