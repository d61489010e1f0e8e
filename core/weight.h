// weight.h: a weight matrix that either owns its floats or views memory it does not own (a checkpoint's
// memory-mapped file, issue 12 §2), and reads like a Mat either way.
//
// It is an Eigen::Map (row-major, any row stride), so every expression, block and product of a Mat works on it, and
// it binds to MatRef without a copy. Do not pass it to a `const Mat&` parameter: Eigen would silently copy it into
// a temporary Mat; take MatRef instead.
//
//   owned   the floats live in a Mat of its own, rows contiguous (random init, training, F16/BF16 converted).
//           Copying deep-copies them: a copy never aliases the original (zeros_like, Adam's moments, gradients).
//   viewed  the floats belong to someone else, kept alive by `keep` (a checkpoint's mapping): copies share them,
//           and the memory is released when the last Weight viewing it is destroyed. Rows may be `stride` floats
//           apart (GPT-2's W_q | W_k | W_v are column blocks of c_attn, stride 3·d).
// Assigning a Mat or an expression, or resize(), makes the weight owned (as a Mat's assignment reallocates).
// Writing through (i, j), data() or a block changes the floats in place: on a viewed weight every copy sees it, so
// only models built here (owned) are ever written to (training, gradients).
#pragma once
#include <memory>
#include <utility>

#include "mat.h"

namespace attn {

using MatMap = Eigen::Map<Mat, 0, Eigen::OuterStride<>>;

class Weight : public MatMap {
 public:
  Weight() noexcept : MatMap(nullptr, 0, 0, Eigen::OuterStride<>(0)) {}
  Weight(Mat m) noexcept : Weight() { own(std::move(m)); }  // NOLINT: implicit, as a Mat field was assigned
  template <typename D>
  Weight(const Eigen::EigenBase<D>& e) : Weight(Mat(e.derived())) {}  // NOLINT
  Weight(const Weight& o) : Weight() { *this = o; }
  Weight(Weight&& o) noexcept : Weight() { *this = std::move(o); }

  // rows × cols floats at `data`, rows `stride` floats apart, alive as long as `keep` (nothing is copied).
  static Weight view(const float* data, Eigen::Index rows, Eigen::Index cols, Eigen::Index stride,
                     std::shared_ptr<const void> keep) {
    Weight w;
    w.keep_ = std::move(keep);
    w.point_at(const_cast<float*>(data), rows, cols, stride);
    return w;
  }

  Weight& operator=(const Weight& o) {
    if (this == &o) return *this;
    if (o.viewed()) {
      owned_.resize(0, 0);
      keep_ = o.keep_;
      point_at(const_cast<float*>(o.data()), o.rows(), o.cols(), o.outerStride());
    } else {
      own(Mat(o));
    }
    return *this;
  }
  Weight& operator=(Weight&& o) noexcept {
    if (this == &o) return *this;
    owned_ = std::move(o.owned_);  // a Mat's move keeps its heap block: o's pointer stays valid for us
    keep_ = std::move(o.keep_);
    point_at(o.data(), o.rows(), o.cols(), o.outerStride());
    o.own(Mat());
    return *this;
  }
  Weight& operator=(Mat m) {
    own(std::move(m));
    return *this;
  }
  template <typename D>
  Weight& operator=(const Eigen::EigenBase<D>& e) {
    return *this = Mat(e.derived());  // evaluated first: e may read this weight (w = w.transpose() is safe)
  }

  void resize(Eigen::Index rows, Eigen::Index cols) {
    if (viewed() || rows != this->rows() || cols != this->cols()) own(Mat(rows, cols));
  }

  bool viewed() const { return keep_ != nullptr; }
  // What keeps a viewed weight's memory alive (null when owned).
  const std::shared_ptr<const void>& keep_alive() const { return keep_; }

 private:
  void point_at(float* data, Eigen::Index rows, Eigen::Index cols, Eigen::Index stride) {
    // Eigen's documented way to re-seat a Map: construct it again in place.
    new (static_cast<MatMap*>(this)) MatMap(data, rows, cols, Eigen::OuterStride<>(stride));
  }
  void own(Mat m) {
    keep_.reset();
    owned_ = std::move(m);
    point_at(owned_.data(), owned_.rows(), owned_.cols(), owned_.cols());
  }

  Mat owned_;
  std::shared_ptr<const void> keep_;
};

}  // namespace attn
