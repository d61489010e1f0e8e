// teaching_stats.h: the numbers behind the teaching panels (positional encoding, complexity, paths, norms).
#pragma once
#include <atomic>
#include <functional>
#include <vector>

#include "mat.h"

namespace attn {

// ---- Positional encoding (paper §3.5)
Mat pe_similarity(const Mat& pe);                             // S = PE·PEᵀ (n × n)
// s(k) = PE(p)·PE(p + k), averaged over p: for sinusoids it equals Σ_i cos(k·ω_i), the offset alone decides it.
std::vector<double> pe_similarity_by_offset(const Mat& pe);
// Mean |cos| between random token embeddings and sinusoidal PE rows in d dimensions: falls like 1/√d, which is
// why summing word and position vectors loses little (they are nearly orthogonal).
double mean_abs_cos_embedding_pe(int d, int samples, uint64_t seed);

// ---- Least-squares exponent of t = c·n^p on log-log data (p; c through *coef).
double fit_power_law(const std::vector<double>& n, const std::vector<double>& t, double* coef = nullptr);

// ---- Why a measured exponent differs from theory
// Exponent between successive sizes, log(t[i+1]/t[i]) / log(n[i+1]/n[i]): one per pair, NaN where undefined.
std::vector<double> local_exponents(const std::vector<double>& n, const std::vector<double>& t);
// The CPU's L2 and L3 cache sizes in bytes as sysconf(_SC_LEVEL2/3_CACHE_SIZE) reports them; 0: not reported.
struct CacheSizes {
  uint64_t l2 = 0, l3 = 0;
};
CacheSizes cache_sizes();
// The smallest n for which bytes_per_cell·n² > bytes (0 when bytes or bytes_per_cell is 0).
uint64_t n_exceeding(uint64_t bytes, uint64_t bytes_per_cell);

// ---- Measured times for growing n (background thread: progress and cancel are checked between sizes).
struct TimingPoint {
  int n = 0;
  double attention_s = 0;  // one head of attention, every pair at once (parallel in n)
  double rnn_s = 0;        // an Elman RNN over n steps (each step waits for the previous)
};
// progress(k, total) is called after each size; returns early when *cancel becomes true.
std::vector<TimingPoint> measure_scaling(const std::vector<int>& ns, int d, const std::atomic<bool>* cancel,
                                         const std::function<void(int, int)>& progress);

// ---- Residual connections: how much of each token's input survives a sublayer.
double mean_row_cosine(const Mat& a, const Mat& b);  // average over rows of cos(a_i, b_i)
double rms(const Mat& a);                            // √(mean of squares)

}  // namespace attn
