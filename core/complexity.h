// complexity.h: Table 1 of the paper, evaluated as written, beside what our own code actually does.
//
//  Layer type                   Complexity per layer   Sequential operations   Maximum path length
//  Self-attention               n²·d                   1                       1
//  Recurrent                    n·d²                   n                       n
//  Convolutional                k·n·d²                 1                       log_k(n)
//  Self-attention (restricted)  r·n·d                  1                       n/r
//
// One definition of r everywhere (the paper's §4): restricted self-attention lets a query see a neighbourhood
// of size r centred on it, i.e. the keys within ±⌊r/2⌋ positions (r + 1 of them for an even r, which keeps the
// window symmetric; the cost still counts r), so one hop moves at most ⌊r/2⌋ positions and
// the path between i and j takes ⌈|i − j| / ⌊r/2⌋⌉ hops (≈ 2n/r at most: O(n/r)). r ≥ 2 (r = 1 is the query
// alone: no position reaches another); r > n is clamped to n (a neighbourhood cannot hold more keys than exist).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace attn {

struct ComplexityRow {
  std::string layer;            // "self-attention", "recurrent", "convolutional", "restricted self-attention"
  uint64_t per_layer = 0;       // the Table 1 expression's value
  uint64_t sequential = 0;      // sequential operations
  uint64_t max_path = 0;        // maximum path length: the most edges between two of the n positions, exact
                                // (n − 1, ⌈log_k n⌉, ⌈(n − 1)/⌊r/2⌋⌉; the paper gives their order)
};

// The neighbourhood size restricted attention really uses for n positions: r clamped to [2, n] (1 when n = 1).
uint64_t clamp_neighbourhood(uint64_t r, uint64_t n);

// Throws nothing: n, d are clamped to ≥ 1, k to ≥ 2 (log_1 is undefined), r by clamp_neighbourhood.
std::vector<ComplexityRow> complexity_table(uint64_t n, uint64_t d, uint64_t k, uint64_t r);

// ⌈log_k n⌉ computed exactly in integers: the number of layers of width-k convolutions to connect n positions.
// k < 2 never widens the reach: 0 for n ≤ 1, kNoPathU64 otherwise (never a loop or a division by 0).
constexpr uint64_t kNoPathU64 = UINT64_MAX;
uint64_t ceil_log(uint64_t n, uint64_t k);

// Path lengths between positions i and j (edges on the shortest path; 0 for i == j). kNoPath: no path exists.
constexpr int kNoPath = -1;
int rnn_path_length(int i, int j);              // |i − j|
int self_attention_path_length(int i, int j);   // 1
// Stack of kernel-k convolutions with dilations k⁰, k¹, …: ⌈log_k(|i − j| + 1)⌉ layers; kNoPath when k < 2.
int conv_path_length(int i, int j, int k);
// Neighbourhood of size r: ⌈|i − j| / ⌊r/2⌋⌉ hops; kNoPath when r < 2.
int restricted_path_length(int i, int j, int r);
// How far one restricted-attention hop reaches: ⌊r/2⌋ positions either side (0 when r < 2).
int restricted_reach(int r);

// Multiply-adds of one multi-head attention layer as our engine performs them (n tokens, d = d_model):
struct MultiHeadCost {
  uint64_t projections;   // Q, K, V and W_O: 4·n·d²
  uint64_t scores;        // Q·Kᵀ over all heads: n²·d
  uint64_t weighted_sum;  // weights·V over all heads: n²·d
  uint64_t total() const { return projections + scores + weighted_sum; }
  uint64_t weights_bytes_per_head;  // the n × n float matrix each head keeps: 4·n²
};
MultiHeadCost multi_head_cost(uint64_t n, uint64_t d, uint64_t heads);

// One encoder layer's parameters and multiply-adds, split between its sublayers (the Feed-forward tab, n tokens,
// d = d_model, f = d_ff). Counts as the engine holds them: every projection has a bias.
struct LayerShare {
  uint64_t ffn_params = 0;        // W_1 (d×f), b_1 (f), W_2 (f×d), b_2 (d): 2·d·f + f + d
  uint64_t attention_params = 0;  // W_Q, W_K, W_V, W_O (d×d each) and their biases: 4·d² + 4·d
  uint64_t norm_params = 0;       // two LayerNorms' γ and β: 4·d
  uint64_t layer_params() const { return ffn_params + attention_params + norm_params; }
  uint64_t ffn_macs = 0;          // x·W_1 and h·W_2 for every token: 2·n·d·f
  MultiHeadCost attention{};      // 4·n·d² + n²·d + n²·d (multi_head_cost)
  uint64_t layer_macs() const { return ffn_macs + attention.total(); }  // LayerNorm, softmax, bias adds: O(n·d), left out
};
LayerShare layer_share(uint64_t n, uint64_t d, uint64_t f);

// Multiply-adds of our Elman RNN over n steps of width d: (x_t·U + h_{t−1}·W) = 2·n·d².
uint64_t rnn_cost(uint64_t n, uint64_t d);

// Bytes per (query, key) cell that measure_attention_seconds touches: the trace keeps scores, scaled, masked
// and weights, four n × n float matrices (16·n² bytes), the working set that outgrows the caches as n grows.
constexpr uint64_t kAttentionBytesPerCell = 4 * sizeof(float);

// Wall-clock seconds of one single-head attention (scores, softmax, weighted sum) on seeded random
// Q, K, V of n × d, the median of `reps` runs after one untimed run (allocation and first touch of the buffers).
double measure_attention_seconds(int n, int d, int reps);

}  // namespace attn
