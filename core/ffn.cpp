#include "ffn.h"

#include <cmath>

#include "parallel.h"

namespace attn {

namespace {
constexpr float kSqrt2OverPi = 0.7978845608028654f;  // √(2/π)
}

float gelu_tanh(float a) { return 0.5f * a * (1.0f + std::tanh(kSqrt2OverPi * (a + 0.044715f * a * a * a))); }

// d/da 0.5·a·(1 + tanh(u)), u = √(2/π)(a + 0.044715a³): 0.5(1 + tanh u) + 0.5·a·(1 − tanh²u)·√(2/π)(1 + 3·0.044715a²)
// On whole arrays, with Eigen's vectorised tanh (as the forward): per element it took 15% of a language model's
// training step (bench_train, BM_LmStep).
Mat gelu_tanh_derivative(const MatRef& x) {
  const auto a = x.array();
  const Eigen::ArrayXXf t = (kSqrt2OverPi * (a + 0.044715f * a.cube())).tanh();
  return (0.5f * (1.0f + t) + 0.5f * a * (1.0f - t.square()) * kSqrt2OverPi * (1.0f + 3.0f * 0.044715f * a.square()))
      .matrix();
}

float gelu_tanh_derivative(float a) { return gelu_tanh_derivative(Mat::Constant(1, 1, a))(0, 0); }

void feed_forward(const MatRef& x, const FFNWeights& w, Mat* hidden, Mat* out) {
  matmul(x, w.W_1, w.b_1, hidden);  // x·W_1 + b_1
  if (w.activation == Activation::ReLU) {
    *hidden = hidden->cwiseMax(0.0f);
  } else {
    // gelu_tanh's formula on whole arrays: Eigen's tanh is vectorised (std::tanh per element is ~80× slower).
    const auto a = hidden->array();
    hidden->array() = 0.5f * a * (1.0f + (kSqrt2OverPi * (a + 0.044715f * a.cube())).tanh());
  }
  matmul(*hidden, w.W_2, w.b_2, out);  // ·W_2 + b_2
}

}  // namespace attn
