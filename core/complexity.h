// complexity.h: Table 1 of the paper, evaluated as written, beside what our own code actually does.
//
//  Layer type                   Complexity per layer   Sequential operations   Maximum path length
//  Self-attention               n²·d                   1                       1
//  Recurrent                    n·d²                   n                       n
//  Convolutional                k·n·d²                 1                       log_k(n)
//  Self-attention (restricted)  r·n·d                  1                       n/r
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace attn {

struct ComplexityRow {
  std::string layer;            // "self-attention", "recurrent", "convolutional", "restricted self-attention"
  uint64_t per_layer = 0;       // the Table 1 expression's value
  uint64_t sequential = 0;      // sequential operations
  uint64_t max_path = 0;        // maximum path length (log_k n and n/r rounded up to whole steps)
};

// Throws nothing; inputs are clamped to ≥ 1 (k ≥ 2, since log_1 is undefined).
std::vector<ComplexityRow> complexity_table(uint64_t n, uint64_t d, uint64_t k, uint64_t r);

// ⌈log_k n⌉ computed exactly in integers: the number of layers of width-k convolutions to connect n positions.
uint64_t ceil_log(uint64_t n, uint64_t k);

// Multiply-adds of one multi-head attention layer as our engine performs them (n tokens, d = d_model):
struct MultiHeadCost {
  uint64_t projections;   // Q, K, V and W_O: 4·n·d²
  uint64_t scores;        // Q·Kᵀ over all heads: n²·d
  uint64_t weighted_sum;  // weights·V over all heads: n²·d
  uint64_t total() const { return projections + scores + weighted_sum; }
  uint64_t weights_bytes_per_head;  // the n × n float matrix each head keeps: 4·n²
};
MultiHeadCost multi_head_cost(uint64_t n, uint64_t d, uint64_t heads);

// Multiply-adds of our Elman RNN over n steps of width d: (x_t·U + h_{t−1}·W) = 2·n·d².
uint64_t rnn_cost(uint64_t n, uint64_t d);

// Wall-clock seconds of one single-head attention (scores, softmax, weighted sum) on seeded random
// Q, K, V of n × d, the median of `reps` runs.
double measure_attention_seconds(int n, int d, int reps);

}  // namespace attn
