// mat.h: the one matrix type of the engine.
// Storage order is row-major everywhere, so a heatmap reads m.data() row by row, as printed.
// Convention (as in the paper): a sequence is n × d_model, one token per row.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace attn {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVec = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;
using MatRef = Eigen::Ref<const Mat>;
using RowVecRef = Eigen::Ref<const RowVec>;

// Boolean n × n matrix, row-major, true (1) = the query row may NOT look at that key column.
struct BoolMat {
  int rows = 0, cols = 0;
  std::vector<uint8_t> cells;
  BoolMat() = default;
  BoolMat(int r, int c) : rows(r), cols(c), cells(size_t(r) * size_t(c), 0) {}
  uint8_t& operator()(int i, int j) { return cells[size_t(i) * size_t(cols) + size_t(j)]; }
  uint8_t operator()(int i, int j) const { return cells[size_t(i) * size_t(cols) + size_t(j)]; }
};

}  // namespace attn
