//===- SymbolicShapeTest.cpp - symbolic dimension algebra -----------------===//

#include "iqc/Import/SymbolicShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <gtest/gtest.h>

using namespace mlir;
using iqc::SymDim;

namespace {
struct SymDimTest : ::testing::Test {
  SymDimTest() : builder(&context) {
    context.loadDialect<arith::ArithDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(
        builder, builder.getUnknownLoc(), "f",
        builder.getFunctionType(
            {builder.getIndexType(), builder.getIndexType()}, {}));
    Block *block = func.addEntryBlock();
    batch = block->getArgument(0);
    seq = block->getArgument(1);
  }
  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  Value batch, seq;
};
} // namespace

TEST_F(SymDimTest, ConstantsMultiplyAndDivide) {
  SymDim a = SymDim::constant(12), b = SymDim::constant(64);
  EXPECT_EQ((a * b).getConstant(), 768);
  EXPECT_EQ(SymDim::constant(768).exactDiv(b)->getConstant(), 12);
  EXPECT_FALSE(SymDim::constant(10).exactDiv(SymDim::constant(4)));
}

TEST_F(SymDimTest, ProductsAreOrderIndependent) {
  SymDim bs = SymDim::atom(batch) * SymDim::atom(seq);
  SymDim sb = SymDim::atom(seq) * SymDim::atom(batch);
  EXPECT_EQ(bs, sb);
  EXPECT_FALSE(bs.isConstant());
}

TEST_F(SymDimTest, ExactDivisionRemovesAtoms) {
  // (batch * seq * 768) / (seq * 12) = batch * 64
  SymDim total =
      SymDim::atom(batch) * SymDim::atom(seq) * SymDim::constant(768);
  std::optional<SymDim> q =
      total.exactDiv(SymDim::atom(seq) * SymDim::constant(12));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(*q, SymDim::atom(batch) * SymDim::constant(64));
  // Dividing by a symbol that is not a factor is not exact.
  EXPECT_FALSE(SymDim::atom(batch).exactDiv(SymDim::atom(seq)));
}

TEST_F(SymDimTest, ZeroAbsorbs) {
  SymDim z = SymDim::constant(0) * SymDim::atom(batch);
  EXPECT_EQ(z.getConstant(), 0);
}
