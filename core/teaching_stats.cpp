#include "teaching_stats.h"

#include <chrono>
#include <cmath>
#include <unistd.h>

#include "attention.h"
#include "complexity.h"
#include "positional.h"
#include "rng.h"
#include "rnn.h"

namespace attn {

Mat pe_similarity(const Mat& pe) { return pe * pe.transpose(); }

std::vector<double> pe_similarity_by_offset(const Mat& pe) {
  const int n = int(pe.rows());
  std::vector<double> s(size_t(n), 0.0);
  for (int k = 0; k < n; ++k) {
    double sum = 0;
    for (int p = 0; p + k < n; ++p) sum += pe.row(p).dot(pe.row(p + k));
    s[size_t(k)] = sum / (n - k);
  }
  return s;
}

double mean_abs_cos_embedding_pe(int d, int samples, uint64_t seed) {
  const Mat pe = sinusoidal_pe(samples, d);
  double sum = 0;
  for (int i = 0; i < samples; ++i) {
    const RowVec e = token_embedding("w" + std::to_string(seed) + "_" + std::to_string(i), d, seed);
    const double c = e.dot(pe.row(i)) / (double(e.norm()) * pe.row(i).norm() + 1e-12);
    sum += std::fabs(c);
  }
  return sum / samples;
}

double fit_power_law(const std::vector<double>& n, const std::vector<double>& t, double* coef) {
  // log t = log c + p·log n: ordinary least squares on the logs.
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int m = 0;
  for (size_t i = 0; i < n.size() && i < t.size(); ++i) {
    if (!(n[i] > 0) || !(t[i] > 0)) continue;
    const double x = std::log(n[i]), y = std::log(t[i]);
    sx += x, sy += y, sxx += x * x, sxy += x * y, ++m;
  }
  if (m < 2 || sxx * m - sx * sx == 0) return NAN;
  const double p = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  if (coef) *coef = std::exp((sy - p * sx) / m);
  return p;
}

std::vector<double> local_exponents(const std::vector<double>& n, const std::vector<double>& t) {
  std::vector<double> p;
  for (size_t i = 0; i + 1 < n.size() && i + 1 < t.size(); ++i) {
    const bool ok = n[i] > 0 && n[i + 1] > 0 && n[i + 1] != n[i] && t[i] > 0 && t[i + 1] > 0;
    p.push_back(ok ? std::log(t[i + 1] / t[i]) / std::log(n[i + 1] / n[i]) : NAN);
  }
  return p;
}

CacheSizes cache_sizes() {
  const long l2 = ::sysconf(_SC_LEVEL2_CACHE_SIZE), l3 = ::sysconf(_SC_LEVEL3_CACHE_SIZE);
  return {l2 > 0 ? uint64_t(l2) : 0, l3 > 0 ? uint64_t(l3) : 0};
}

uint64_t n_exceeding(uint64_t bytes, uint64_t bytes_per_cell) {
  if (bytes == 0 || bytes_per_cell == 0) return 0;
  const uint64_t cells = bytes / bytes_per_cell;  // n² ≤ cells still fits
  uint64_t n = uint64_t(std::sqrt(double(cells)));
  while (n * n > cells) --n;
  while ((n + 1) * (n + 1) <= cells) ++n;
  return n + 1;
}

std::vector<TimingPoint> measure_scaling(const std::vector<int>& ns, int d, const std::atomic<bool>* cancel,
                                         const std::function<void(int, int)>& progress) {
  std::vector<TimingPoint> out;
  const RnnWeights w = make_rnn(d, d, 1);
  for (size_t k = 0; k < ns.size(); ++k) {
    if (cancel && cancel->load()) break;
    const int n = ns[k];
    TimingPoint p;
    p.n = n;
    const int reps = n <= 256 ? 5 : (n <= 1024 ? 3 : 1);
    p.attention_s = measure_attention_seconds(n, d, reps);
    Rng rng(7);
    Mat X(n, d);
    for (int i = 0; i < X.size(); ++i) X.data()[i] = rng.normal();
    const auto t0 = std::chrono::steady_clock::now();
    const Mat H = rnn_forward(X, w);
    (void)H;
    p.rnn_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.push_back(p);
    if (progress) progress(int(k) + 1, int(ns.size()));
  }
  return out;
}

double mean_row_cosine(const Mat& a, const Mat& b) {
  double s = 0;
  for (int i = 0; i < a.rows(); ++i) s += a.row(i).dot(b.row(i)) / (double(a.row(i).norm()) * b.row(i).norm() + 1e-12);
  return a.rows() ? s / a.rows() : 0.0;
}

double rms(const Mat& a) { return a.size() ? std::sqrt(double(a.squaredNorm()) / double(a.size())) : 0.0; }

}  // namespace attn
