#include "blas.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace attn {

namespace {

// cblas.h's values (CBLAS is a fixed ABI): row-major, no transpose, transpose.
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
using SgemmFn = void (*)(int order, int ta, int tb, int m, int n, int k, float alpha, const float* A, int lda,
                         const float* B, int ldb, float beta, float* C, int ldc);
using NameFn = char* (*)();

bool blas_wanted() {
  const char* v = std::getenv("ATTN_BLAS");
  return !(v && (std::strcmp(v, "off") == 0 || std::strcmp(v, "0") == 0));
}

// Set before main, while the process has one thread (setenv is not safe beside a concurrent getenv); the library
// itself is loaded later, on the first big product, and reads them then. OPENBLAS_* variables found in the
// environment were set for other programs (this machine sets OPENBLAS_CORETYPE=Haswell for its Python tools): the
// engine's private copy gets one thread per call and either OpenBLAS's own CPU detection or ATTN_BLAS_CORETYPE.
const bool kEnvironmentSet = [] {
  if (!blas_wanted()) return false;
  setenv("OPENBLAS_NUM_THREADS", "1", 1);
  if (const char* core = std::getenv("ATTN_BLAS_CORETYPE"))
    setenv("OPENBLAS_CORETYPE", core, 1);
  else
    unsetenv("OPENBLAS_CORETYPE");
  return true;
}();

struct Library {
  SgemmFn sgemm = nullptr;
  std::string description = "Eigen (no BLAS: libopenblas0 not found)";
};

const Library& library() {
  static Library lib;
  static std::once_flag once;
  std::call_once(once, [] {
    if (!kEnvironmentSet) {
      lib.description = "Eigen (ATTN_BLAS=off)";
      return;
    }
    // Debian's pthread build first (its threads stay idle at OPENBLAS_NUM_THREADS=1), then whichever variant the
    // alternatives system points at. Never unloaded.
    void* h = dlopen("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    auto sgemm = reinterpret_cast<SgemmFn>(dlsym(h, "cblas_sgemm"));
    auto config = reinterpret_cast<NameFn>(dlsym(h, "openblas_get_config"));
    auto core = reinterpret_cast<NameFn>(dlsym(h, "openblas_get_corename"));
    if (!sgemm) return;
    lib.sgemm = sgemm;
    std::string name = config ? config() : "OpenBLAS";  // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …": name, version
    const size_t second_space = name.find(' ', name.find(' ') + 1);
    if (second_space != std::string::npos) name.resize(second_space);
    lib.description = name + " (" + (core ? core() : "?") + " kernels)";
  });
  return lib;
}

}  // namespace

bool blas_sgemm(bool b_transposed, int m, int n, int k, const float* A, int lda, const float* B, int ldb, float beta,
                float* C, int ldc) {
  const Library& lib = library();
  if (!lib.sgemm) return false;
  lib.sgemm(kRowMajor, kNoTrans, b_transposed ? kTrans : kNoTrans, m, n, k, 1.0f, A, lda, B, ldb, beta, C, ldc);
  return true;
}

bool blas_sgemm_tn_add(int m, int n, int k, const float* A, int lda, const float* B, int ldb, float* C, int ldc) {
  const Library& lib = library();
  if (!lib.sgemm) return false;
  lib.sgemm(kRowMajor, kTrans, kNoTrans, m, n, k, 1.0f, A, lda, B, ldb, 1.0f, C, ldc);
  return true;
}

std::string blas_description() { return library().description; }

}  // namespace attn
