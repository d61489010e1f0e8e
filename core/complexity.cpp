#include "complexity.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "attention.h"
#include "rng.h"

namespace attn {

uint64_t ceil_log(uint64_t n, uint64_t k) {
  if (n <= 1) return 0;
  if (k < 2) return kNoPathU64;  // reach stays 1: no number of layers connects two positions
  uint64_t layers = 0, reach = 1;
  while (reach < n) {
    reach = (reach > UINT64_MAX / k) ? UINT64_MAX : reach * k;
    ++layers;
  }
  return layers;
}

int rnn_path_length(int i, int j) { return std::abs(i - j); }
int self_attention_path_length(int i, int j) { return i == j ? 0 : 1; }

// A stack of kernel-k convolutions with dilations k⁰, k¹, … (as in ByteNet/WaveNet, the paper's log_k n case):
// after L layers a position sees k^L positions, so |i − j| < k^L needs L = ⌈log_k(|i − j| + 1)⌉ layers.
int conv_path_length(int i, int j, int k) {
  if (i == j) return 0;
  if (k < 2) return kNoPath;
  return int(ceil_log(uint64_t(std::abs(i - j)) + 1, uint64_t(k)));
}

int restricted_reach(int r) { return r < 2 ? 0 : r / 2; }

int restricted_path_length(int i, int j, int r) {
  if (i == j) return 0;
  const int reach = restricted_reach(r);
  if (reach == 0) return kNoPath;
  return (std::abs(i - j) + reach - 1) / reach;
}

uint64_t clamp_neighbourhood(uint64_t r, uint64_t n) {
  n = std::max<uint64_t>(n, 1);
  return std::min(std::max<uint64_t>(r, 2), n);
}

std::vector<ComplexityRow> complexity_table(uint64_t n, uint64_t d, uint64_t k, uint64_t r) {
  n = std::max<uint64_t>(n, 1);
  d = std::max<uint64_t>(d, 1);
  k = std::max<uint64_t>(k, 2);
  r = clamp_neighbourhood(r, n);
  // Longest path: between positions 0 and n − 1. r ≥ 2 whenever n ≥ 2, so a path always exists.
  const uint64_t far = n - 1;
  const uint64_t restricted = n < 2 ? 0 : (far + r / 2 - 1) / (r / 2);
  return {
      {"self-attention", n * n * d, 1, n < 2 ? 0u : 1u},
      {"recurrent", n * d * d, n, far},
      {"convolutional", k * n * d * d, 1, ceil_log(n, k)},
      {"restricted self-attention", r * n * d, 1, restricted},
  };
}

MultiHeadCost multi_head_cost(uint64_t n, uint64_t d, uint64_t heads) {
  (void)heads;  // the head count splits d into h slices of d_k; the totals do not depend on it
  return {4 * n * d * d, n * n * d, n * n * d, 4 * n * n};
}

LayerShare layer_share(uint64_t n, uint64_t d, uint64_t f) {
  LayerShare s;
  s.ffn_params = 2 * d * f + f + d;
  s.attention_params = 4 * d * d + 4 * d;
  s.norm_params = 4 * d;
  s.ffn_macs = 2 * n * d * f;
  s.attention = multi_head_cost(n, d, 1);
  return s;
}

uint64_t rnn_cost(uint64_t n, uint64_t d) { return 2 * n * d * d; }

double measure_attention_seconds(int n, int d, int reps) {
  Rng rng(12345);
  Mat Q(n, d), K(n, d), V(n, d);
  for (Mat* m : {&Q, &K, &V})
    for (int i = 0; i < m->size(); ++i) m->data()[i] = rng.normal();
  std::vector<double> times;
  HeadTrace t;
  AttentionOptions opt;
  // One untimed call first: it allocates and first touches the trace's n × n matrices (256 MiB at n = 4096), a
  // cost of the allocator, not of attention.
  scaled_dot_product_attention(Q, K, V, nullptr, opt, &t);
  for (int r = 0; r < std::max(1, reps); ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    scaled_dot_product_attention(Q, K, V, nullptr, opt, &t);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace attn
