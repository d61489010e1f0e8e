#include "complexity.h"

#include <algorithm>
#include <chrono>

#include "attention.h"
#include "rng.h"

namespace attn {

uint64_t ceil_log(uint64_t n, uint64_t k) {
  if (k < 2) k = 2;
  uint64_t layers = 0, reach = 1;
  while (reach < n) {
    reach = (reach > UINT64_MAX / k) ? UINT64_MAX : reach * k;
    ++layers;
  }
  return layers;
}

std::vector<ComplexityRow> complexity_table(uint64_t n, uint64_t d, uint64_t k, uint64_t r) {
  n = std::max<uint64_t>(n, 1);
  d = std::max<uint64_t>(d, 1);
  k = std::max<uint64_t>(k, 2);
  r = std::max<uint64_t>(r, 1);
  return {
      {"self-attention", n * n * d, 1, 1},
      {"recurrent", n * d * d, n, n},
      {"convolutional", k * n * d * d, 1, ceil_log(n, k)},
      {"restricted self-attention", r * n * d, 1, (n + r - 1) / r},
  };
}

MultiHeadCost multi_head_cost(uint64_t n, uint64_t d, uint64_t heads) {
  (void)heads;  // the head count splits d into h slices of d_k; the totals do not depend on it
  return {4 * n * d * d, n * n * d, n * n * d, 4 * n * n};
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
  for (int r = 0; r < std::max(1, reps); ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    scaled_dot_product_attention(Q, K, V, nullptr, opt, &t);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace attn
