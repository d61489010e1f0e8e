// parallel.h: the engine's own threads. Work big enough to pay for a thread hand-off (a GPT-2-sized product, the
// heads of a layer) is split over the cores; the teaching model's tiny matrices always stay on the calling thread.
//
// Thread count, deliberately: one process-wide pool of (cores − 1) helper threads, capped by ATTN_THREADS (read
// once; ATTN_THREADS=1 turns the helpers off). A caller always runs a share itself and borrows the helpers only when
// no other caller holds them: several traces built at once (the app's jobs) run at most jobs + cores − 1 threads,
// and none ever waits for another's helpers. Eigen's own threading (OpenMP) stays off.
//
// Chosen by measurement (bench_engine, 2026-11-25, 2 cores shared with other builds, load 1.7–3; min of 5):
// GPT-2-small-shaped stack at 128 tokens without / with the 50257-word logits; the teaching trace; a 1024³ product.
//   these threads (2, FFN too) 155 / 176 ms   teaching 0.095 ms   223 GFLOP/s
//   Eigen + OpenMP (2)         160 / 465 ms   teaching 0.152 ms   216 GFLOP/s  (spin-waits: 4.5 s at load 5)
//   Eigen on OpenBLAS 0.3.21   182 / 304 ms   teaching 0.143 ms   201 GFLOP/s  (Haswell kernels: see below)
//   Eigen on BLIS 0.9          generic kernels here, 25 s; skx forced by BLIS_ARCH_TYPE: teaching 0.62 ms
//   Eigen, one thread          237 ms (no logits)     teaching 0.090 ms   119–133 GFLOP/s
// 2026-11-26: the OpenBLAS row above ran the Haswell kernels only because this machine's environment sets
// OPENBLAS_CORETYPE=Haswell; left to detect the CPU, OpenBLAS picks its AVX-512 (Cooperlake) kernels. Now each
// column block of a big product runs on OpenBLAS, loaded with its own detection (core/blas.h), on these threads:
// full GPT-2-small trace with logits and predictions 137–142 ms (median of 5, after one warm-up trace), was 223–234.
#pragma once
#include <functional>

#include "mat.h"

namespace attn {

// Products with fewer multiply-adds (m·k·n) than this stay on one thread: about 30 µs of work on one core, where
// waking a sleeping helper costs microseconds. Every product of the teaching model is 8× under it.
constexpr double kParallelMinMacs = 4.0 * 1024 * 1024;
// Products from this size run on the BLAS (core/blas.h) when it is loaded: a language model's 128 × 128 × 128
// products are 2–3× faster there than on Eigen (bench_train, BM_LmStep); the teaching model's stay on Eigen.
constexpr double kBlasMinMacs = 1024.0 * 1024;

int parallel_threads();  // the calling thread + the pool's helpers

// Runs body(0) … body(parts − 1), each exactly once, on the calling thread and the free helpers; returns when all
// are done. Parts must be independent (write disjoint memory). An exception from a part is rethrown here.
void parallel_for(int parts, const std::function<void(int)>& body);

// *C = A·B, or A·Bᵀ (GPT-2's tied logits: output·wteᵀ); C must not alias A or B. Split by column blocks of C over the cores when
// m·k·n ≥ kParallelMinMacs; each block is one ordinary Eigen product (same values up to float rounding).
void matmul(const MatRef& A, const MatRef& B, Mat* C);
void matmul(const MatRef& A, const MatRef& B, const RowVec& bias, Mat* C);  // *C = A·B + bias on every row
void matmul_bt(const MatRef& A, const MatRef& B, Mat* C);
// *C += Aᵀ·B on the calling thread (a weight's gradient, ∂W += Xᵀ·∂Y: training splits its batch over the cores
// instead). C must not alias A or B. On the BLAS from kBlasMinMacs multiply-adds, else Eigen.
void matmul_tn_add(const MatRef& A, const MatRef& B, Eigen::Ref<Mat, 0, Eigen::OuterStride<>> C);

}  // namespace attn
