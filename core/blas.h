// blas.h: OpenBLAS's sgemm for the big products (a GPT-2 layer's, its logits), loaded when first needed.
//
// Why a BLAS, and why loaded at run time (measured 2026-11-26 on this 2-core AMD Zen 5; one core, min of 20):
//   product (m × k × n)      Eigen 3.4   OpenBLAS 0.3.21 SkylakeX kernels   (its default here: Haswell kernels)
//   128 × 768 × 768          32–46       171 GFLOP/s
//   128 × 768 × 2304         61–80       147                                 87–100
//   128 × 3072 × 768         105–132     143                                 85–98
//   128 × 768 × 50257ᵀ       85–93       135
//   1024 × 1024 × 1024       111–131     166–180                             93–102
// and the whole GPT-2-small-shaped trace at 128 tokens with its logits (2 threads): Eigen 194–203 ms, OpenBLAS's
// default kernels 231–245 ms, its SkylakeX kernels 145–165 ms. OpenBLAS 0.3.21 predates AMD's AVX-512 CPUs and
// picks its AVX2 kernels on them; it reads OPENBLAS_CORETYPE once, when the library loads. So the library is
// dlopen'ed after that variable is set (only on an AMD CPU with AVX-512 F/BW/DQ/VL, and only if the user has not
// set it), and OPENBLAS_NUM_THREADS=1 (core/parallel.cpp splits the work over its own threads).
// ATTN_BLAS=off keeps every product on Eigen (for comparison); without libopenblas0 the engine uses Eigen too.
#pragma once
#include <string>

namespace attn {

// Row-major C (m × n, row stride ldc) = A (m × k, stride lda) · B (k × n, stride ldb) + beta·C, or A · Bᵀ (B is
// n × k) when b_transposed; beta is 0 (C is overwritten) or 1 (C holds a bias to add to). One thread; callable from
// several threads at once. False when no BLAS is loaded (nothing written).
bool blas_sgemm(bool b_transposed, int m, int n, int k, const float* A, int lda, const float* B, int ldb, float beta,
                float* C, int ldc);
// C (m × n) += Aᵀ · B, A being k × m (stride lda) and B k × n (stride ldb): a weight's gradient Xᵀ·∂Y.
bool blas_sgemm_tn_add(int m, int n, int k, const float* A, int lda, const float* B, int ldb, float* C, int ldc);

// What the big products run on, for --version and the README: "OpenBLAS 0.3.21 (SkylakeX kernels)" or "Eigen (…)".
std::string blas_description();

}  // namespace attn
